package saml

import (
	"crypto/x509"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// IdP is what other areas need of an IdP metadata document: its entityID
// and the signing keys it publishes.
type IdP struct {
	EntityID string
	// Keys are the signing keys (KeyDescriptor use="signing" or without
	// use) as certificates; a bare RSA key becomes a certificate without
	// dates. Keys that do not parse are left out.
	Keys []*x509.Certificate
}

// LoadIdP returns the IdP of the metadata src, read and parsed once per
// run (through the run's cache, shared with Check).
func LoadIdP(env *checks.Env, src string) (*IdP, error) {
	v, _, err := env.Cache.Get("saml-idp:"+src, func() (any, func(), error) {
		l := load(env, src)
		if l.readErr != nil {
			return nil, nil, l.readErr
		}
		if l.parseErr != nil {
			return nil, nil, l.parseErr
		}
		md := l.md
		if md.entity == nil || md.idp == nil {
			return nil, nil, &input.Error{Source: src, Err: input.Problemf("no SAML identity provider (IDPSSODescriptor) in the metadata", "aucun fournisseur d'identité SAML (IDPSSODescriptor) dans les métadonnées")}
		}
		idp := &IdP{}
		idp.EntityID, _ = attr(md.entity, "entityID")
		idp.EntityID = strings.TrimSpace(idp.EntityID)
		_, certs := md.signingCerts()
		for _, sc := range certs {
			switch {
			case sc.err != nil:
			case sc.cert != nil:
				idp.Keys = append(idp.Keys, sc.cert)
			default:
				idp.Keys = append(idp.Keys, bareKeyCert(sc.key))
			}
		}
		return idp, nil, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*IdP), nil
}
