package samlmeta

import (
	"context"
	"crypto/x509"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// IdP is what other areas need of an IdP metadata document: its entityID
// and the signing keys it publishes.
type IdP struct {
	EntityID string
	// Keys are the signing keys (KeyDescriptor use="signing" or without
	// use) as certificates (one with a negative serial number included,
	// ParseCertificate); a bare RSA key, or the key of a certificate that
	// does not parse whole but whose key reads (PublicKeyOf), becomes a
	// certificate without dates. Keys that do not parse are left out.
	Keys []*x509.Certificate
	// All are every identity provider of the document, in document
	// order, this one (the first) included, when it holds several (a
	// federation's aggregate); nil otherwise. A response names its own by
	// its Issuer.
	All []*IdP
}

// LoadIdP returns the IdP of the metadata src, read and parsed once per
// run (through c, shared with the saml area's Load).
func LoadIdP(ctx context.Context, ld *input.Loader, c Cache, src string) (*IdP, error) {
	open := func() (any, func(), error) {
		l := Load(ctx, ld, c, src)
		if l.ReadErr != nil {
			return nil, nil, l.ReadErr
		}
		if l.ParseErr != nil {
			return nil, nil, l.ParseErr
		}
		md := l.Doc
		if md.Entity == nil || md.IDP == nil {
			return nil, nil, &input.Error{Source: src, Err: input.Problemf("no SAML identity provider (IDPSSODescriptor) in the metadata", "aucun fournisseur d'identité SAML (IDPSSODescriptor) dans les métadonnées")}
		}
		idp := idpOfDoc(md)
		if md.IDPs > 1 {
			for _, ed := range md.IdPEntities {
				if ed == md.Entity {
					idp.All = append(idp.All, idp)
					continue
				}
				idp.All = append(idp.All, idpOfDoc(md.WithEntity(ed, ChoseEntityID)))
			}
		}
		return idp, nil, nil
	}
	var v any
	var err error
	if c == nil {
		v, _, err = open()
	} else {
		v, _, err = c.Get("saml-idp:"+src, open)
	}
	if err != nil {
		return nil, err
	}
	return v.(*IdP), nil
}

// idpOfDoc reads the entityID and signing keys of md's entity.
func idpOfDoc(md *Document) *IdP {
	idp := &IdP{Keys: md.Keys()}
	// A signature is verified with the metadata's keys: a certificate Go
	// refuses still publishes its key.
	_, certs := md.SigningKeys()
	for _, sc := range certs {
		if sc.Err == nil || sc.Cert != nil || !Is(sc.El, NSDSig, "X509Certificate") {
			continue
		}
		if k, err := PublicKeyOf(xmlsafe.TextContent(sc.El)); err == nil {
			idp.Keys = append(idp.Keys, KeyOnlyCert(k))
		}
	}
	idp.EntityID, _ = Attr(md.Entity, "entityID")
	idp.EntityID = strings.TrimSpace(idp.EntityID)
	return idp
}
