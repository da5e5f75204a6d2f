package saml

import (
	"crypto/x509"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/internal/xmldsigpolicy"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
)

// allowedTransforms are the transforms a metadata signature may use (W3C
// XMLDSig); its signature and digest algorithms are judged by the policy
// the sso area shares (internal/xmldsigpolicy).
var allowedTransforms = map[string]bool{
	"http://www.w3.org/2000/09/xmldsig#enveloped-signature":        true,
	"http://www.w3.org/2001/10/xml-exc-c14n#":                      true,
	"http://www.w3.org/2001/10/xml-exc-c14n#WithComments":          true,
	"http://www.w3.org/TR/2001/REC-xml-c14n-20010315":              true,
	"http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments": true,
	"http://www.w3.org/2006/12/xml-c14n11":                         true,
}

// algName shortens an algorithm URI for messages.
func algName(uri string) string {
	if i := strings.LastIndexByte(uri, '#'); i >= 0 {
		return uri[i+1:]
	}
	return uri
}

// checkSignature checks the metadata signature when there is one
// (SAML-006): a single enveloped signature, child of the root, referencing
// the root and nothing else (no signature wrapping), with SHA-2 algorithms,
// that verifies with the certificate it names at env.Now.
func checkSignature(env *checks.Env, md *metadata) []result.Finding {
	all := descendants(md.Root, nsDS, "Signature")
	if len(all) == 0 {
		return []result.Finding{checks.Skip(rules.SAML006,
			"Métadonnées non signées : pas de signature à vérifier (voir "+rules.SAML007.ID+").",
			"Metadata not signed: no signature to verify (see "+rules.SAML007.ID+").")}
	}
	rootSigs := children(md.Root, nsDS, "Signature")
	fail := func(el *etree.Element, fr, en string) []result.Finding {
		return []result.Finding{checks.Fail(rules.SAML006, fr, en, md.at(el))}
	}
	switch {
	case len(rootSigs) == 0:
		return fail(all[0],
			"La signature ne porte pas sur l'élément racine mais sur un élément imbriqué : le reste du document n'est pas protégé (risque d'emballage de signature).",
			"The signature is not on the root element but on a nested element: the rest of the document is unprotected (signature wrapping risk).")
	case len(rootSigs) > 1:
		return fail(rootSigs[1],
			fmt.Sprintf("%d signatures enfants de la racine : une seule est admise (risque d'emballage de signature).", len(rootSigs)),
			fmt.Sprintf("%d signatures under the root: exactly one is allowed (signature wrapping risk).", len(rootSigs)))
	case len(all) > 1:
		return fail(all[1],
			fmt.Sprintf("%d signatures dans le document : seule celle de la racine est admise (risque d'emballage de signature).", len(all)),
			fmt.Sprintf("%d signatures in the document: only the root's is allowed (signature wrapping risk).", len(all)))
	}
	sig := rootSigs[0]
	if f := signatureShape(md, sig); f != nil {
		return f
	}
	key, err := verifySignature(md, sig)
	if err != nil {
		return fail(sig,
			"Signature des métadonnées invalide : "+input.French(err)+".",
			"Metadata signature does not verify: "+err.Error()+".")
	}
	// The signature verified with the key, whatever its certificate's
	// dates: it is cryptographically valid. The dates are SAML-005's.
	if when := key.NotAfter; env.Now.After(when) {
		return []result.Finding{checks.Pass(rules.SAML006,
			"Signature valide, certificat expiré le "+when.UTC().Format("2006-01-02")+" (voir "+rules.SAML005.ID+") : signature enveloppée de la racine vérifiée (algorithmes SHA-2, référence unique à la racine).",
			"Signature valid, certificate expired on "+when.UTC().Format("2006-01-02")+" (see "+rules.SAML005.ID+"): enveloped root signature verified (SHA-2 algorithms, single reference to the root).",
			md.at(sig))}
	}
	if when := key.NotBefore; env.Now.Before(when) {
		return []result.Finding{checks.Pass(rules.SAML006,
			"Signature valide, certificat pas encore valide avant le "+when.UTC().Format("2006-01-02")+" (voir "+rules.SAML005.ID+") : signature enveloppée de la racine vérifiée (algorithmes SHA-2, référence unique à la racine).",
			"Signature valid, certificate not valid before "+when.UTC().Format("2006-01-02")+" (see "+rules.SAML005.ID+"): enveloped root signature verified (SHA-2 algorithms, single reference to the root).",
			md.at(sig))}
	}
	return []result.Finding{checks.Pass(rules.SAML006,
		"Signature enveloppée de la racine vérifiée (algorithmes SHA-2, référence unique à la racine).",
		"Enveloped root signature verified (SHA-2 algorithms, single reference to the root).",
		md.at(sig))}
}

// signatureShape checks the references and algorithms of the root
// signature; nil when acceptable.
func signatureShape(md *metadata, sig *etree.Element) []result.Finding {
	fail := func(el *etree.Element, fr, en string) []result.Finding {
		return []result.Finding{checks.Fail(rules.SAML006, fr, en, md.at(el))}
	}
	si := child(sig, nsDS, "SignedInfo")
	if si == nil {
		return fail(sig, "Signature sans SignedInfo.", "Signature without SignedInfo.")
	}
	refs := children(si, nsDS, "Reference")
	if len(refs) != 1 {
		return fail(si,
			fmt.Sprintf("La signature a %d références : exactement une, vers la racine, est admise.", len(refs)),
			fmt.Sprintf("The signature has %d references: exactly one, to the root, is allowed.", len(refs)))
	}
	ref := refs[0]
	uri, _ := attr(ref, "URI")
	rootID, hasID := attr(md.Root, "ID")
	if uri != "" && (!hasID || uri != "#"+rootID) {
		return fail(ref,
			fmt.Sprintf("La signature référence %q, qui n'est pas l'élément racine (ID %q) : risque d'emballage de signature.", uri, rootID),
			fmt.Sprintf("The signature references %q, which is not the root element (ID %q): signature wrapping risk.", uri, rootID))
	}
	if hasID {
		if n := countID(md.Root, rootID); n > 1 {
			return fail(md.Root,
				fmt.Sprintf("L'identifiant %q de la racine apparaît %d fois dans le document (risque d'emballage de signature).", rootID, n),
				fmt.Sprintf("The root ID %q occurs %d times in the document (signature wrapping risk).", rootID, n))
		}
	}
	if sm := child(si, nsDS, "SignatureMethod"); sm != nil {
		alg := xmldsigpolicy.AlgorithmOf(sm)
		if !xmldsigpolicy.SignatureMethod(sm) {
			return fail(sm,
				"Algorithme de signature "+algName(alg)+" refusé (SHA-1/MD5 proscrits ; RSA ou ECDSA avec SHA-256 ou plus attendu).",
				"Signature algorithm "+algName(alg)+" refused (SHA-1/MD5 not allowed; RSA or ECDSA with SHA-256 or better expected).")
		}
	}
	if dm := child(ref, nsDS, "DigestMethod"); dm != nil {
		alg := xmldsigpolicy.AlgorithmOf(dm)
		if !xmldsigpolicy.DigestMethod(dm) {
			return fail(dm,
				"Algorithme d'empreinte "+algName(alg)+" refusé (SHA-256 ou plus attendu).",
				"Digest algorithm "+algName(alg)+" refused (SHA-256 or better expected).")
		}
	}
	for _, tr := range descendants(ref, nsDS, "Transform") {
		alg, _ := attr(tr, "Algorithm")
		if !allowedTransforms[alg] {
			return fail(tr,
				"Transformation "+alg+" refusée (seules enveloped-signature et la canonicalisation sont admises).",
				"Transform "+alg+" refused (only enveloped-signature and canonicalisation are allowed).")
		}
	}
	return nil
}

// countID counts the elements whose ID attribute is id.
func countID(e *etree.Element, id string) int {
	n := 0
	if v, ok := attr(e, "ID"); ok && v == id {
		n++
	}
	for _, c := range e.ChildElements() {
		n += countID(c, id)
	}
	return n
}

// verifySignature verifies the root's enveloped signature with goxmldsig
// and returns the certificate whose key verified it. The key is the
// certificate the signature carries (KeyInfo), else its bare RSA key
// (ds:KeyValue, Lemonldap::NG), else any of the IdP's signing keys (a
// signature without KeyInfo, the IdP publishing several keys): this proves
// the document is intact and signed by that key; trusting the key itself is
// the GAR's out-of-band step. Certificate dates are not the signature's
// business (SAML-005 judges them): goxmldsig checks them against its clock,
// so the clock is set inside each certificate's validity.
func verifySignature(md *metadata, sig *etree.Element) (*x509.Certificate, error) {
	keys, err := signatureKeys(md, sig)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errNoCert
	}
	el := md.Root
	if ki := child(sig, nsDS, "KeyInfo"); ki != nil && len(descendants(ki, nsDS, "X509Certificate")) == 0 {
		// goxmldsig only reads certificates from KeyInfo; KeyInfo is
		// outside SignedInfo, so verifying without it proves the same.
		el = md.Root.Copy()
		for _, s := range children(el, nsDS, "Signature") {
			for _, k := range children(s, nsDS, "KeyInfo") {
				s.RemoveChild(k)
			}
		}
	}
	var first error
	for _, k := range keys {
		ctx := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{k}})
		ctx.Clock = dsig.NewFakeClockAt(withinValidity(k))
		_, err := ctx.Validate(el)
		if err == nil {
			return k, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, input.Wrap(errors.New(lowerFirst(first.Error())), "verify signature", "la vérification de la signature échoue")
}

// withinValidity is an instant at which the certificate is valid: its
// NotBefore (a certificate whose dates are inverted has none; NotBefore is
// then as good as any, goxmldsig refuses it either way).
func withinValidity(c *x509.Certificate) time.Time {
	if c.NotBefore.IsZero() {
		return c.NotAfter
	}
	return c.NotBefore
}

// signatureKeys returns the keys a signature may be verified with, as
// certificates (a bare RSA key becomes a certificate without dates).
func signatureKeys(md *metadata, sig *etree.Element) ([]*x509.Certificate, error) {
	if x := descendants(sig, nsDS, "X509Certificate"); len(x) > 0 {
		c, err := samlmeta.ParseCertificate(xmlsafe.TextContent(x[0]))
		if err != nil {
			return nil, input.Wrap(err, "certificate in KeyInfo", "certificat de KeyInfo")
		}
		return []*x509.Certificate{c}, nil
	}
	if kv := descendants(sig, nsDS, "RSAKeyValue"); len(kv) > 0 {
		k, err := samlmeta.ParseRSAKeyValue(kv[0])
		if err != nil {
			return nil, input.Wrap(err, "key in KeyInfo", "clé de KeyInfo")
		}
		return []*x509.Certificate{samlmeta.BareKeyCert(k)}, nil
	}
	if md.IDP == nil {
		return nil, nil
	}
	return md.Keys(), nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// checkSigned reports unsigned metadata (SAML-007).
func checkSigned(_ *checks.Env, md *metadata) []result.Finding {
	if child(md.Root, nsDS, "Signature") != nil {
		return []result.Finding{checks.Pass(rules.SAML007,
			"Métadonnées signées (validité : "+rules.SAML006.ID+").",
			"Metadata signed (validity: "+rules.SAML006.ID+").", md.at(md.Root))}
	}
	return []result.Finding{checks.Fail(rules.SAML007,
		"Métadonnées non signées : leur intégrité ne peut pas être vérifiée après transmission au GAR.",
		"Metadata not signed: its integrity cannot be verified once sent to the GAR.",
		md.at(md.Root))}
}

// maxValidity is how far validUntil may reasonably lie.
const maxValidity = 366 * 24 * time.Hour

// durationRe is xs:duration (XML Schema Part 2, 3.2.6).
var durationRe = regexp.MustCompile(`^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// parseDuration parses an xs:duration (months as 30 days, years as 365).
func parseDuration(s string) (time.Duration, bool) {
	m := durationRe.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") || s == "-P" {
		return 0, false
	}
	num := func(i int) float64 {
		if m[i] == "" {
			return 0
		}
		f, _ := strconv.ParseFloat(m[i], 64)
		return f
	}
	days := num(2)*365 + num(3)*30 + num(4)
	secs := days*86400 + num(5)*3600 + num(6)*60 + num(7)
	if secs > float64(1<<62)/1e9 {
		secs = float64(1<<62) / 1e9
	}
	d := time.Duration(secs * float64(time.Second))
	if m[1] == "-" {
		d = -d
	}
	return d, true
}

// checkValidity checks validUntil and cacheDuration (SAML-008) on the root
// and, inside an EntitiesDescriptor, on the ENT's EntityDescriptor too:
// the earliest validUntil bounds the metadata (saml-metadata-2.0-os
// §2.3.1, §2.3.2). validUntil must be present, in the future and within a
// year; cacheDuration, when present, a positive xs:duration.
func checkValidity(env *checks.Env, md *metadata) []result.Finding {
	holders := []*etree.Element{md.Root}
	if md.Entity != nil && md.Entity != md.Root {
		holders = append(holders, md.Entity)
	}
	var out []result.Finding
	for _, h := range holders {
		cd, ok := attr(h, "cacheDuration")
		if !ok {
			continue
		}
		d, valid := parseDuration(strings.TrimSpace(cd))
		switch {
		case !valid:
			out = append(out, checks.Fail(rules.SAML008,
				fmt.Sprintf("cacheDuration %q n'est pas une durée xs:duration (ex. PT12H, P7D).", cd),
				fmt.Sprintf("cacheDuration %q is not an xs:duration (e.g. PT12H, P7D).", cd), md.at(h)))
		case d <= 0:
			out = append(out, checks.Fail(rules.SAML008,
				fmt.Sprintf("cacheDuration %q n'est pas une durée positive.", cd),
				fmt.Sprintf("cacheDuration %q is not a positive duration.", cd), md.at(h)))
		}
	}
	var (
		earliest time.Time
		at       *etree.Element
		vu       string
		found    bool
	)
	for _, h := range holders {
		v, ok := attr(h, "validUntil")
		if !ok {
			continue
		}
		found = true
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
		if err != nil {
			out = append(out, checks.Fail(rules.SAML008,
				fmt.Sprintf("validUntil %q n'est pas une date xs:dateTime UTC (ex. 2027-06-30T00:00:00Z).", v),
				fmt.Sprintf("validUntil %q is not a UTC xs:dateTime (e.g. 2027-06-30T00:00:00Z).", v), md.at(h)))
			continue
		}
		if at == nil || t.Before(earliest) {
			earliest, at, vu = t, h, v
		}
	}
	if !found {
		return append(out, checks.Warn(rules.SAML008,
			"Pas de validUntil : une copie périmée de ces métadonnées resterait valable indéfiniment.",
			"No validUntil: a stale copy of this metadata would stay valid forever.", md.at(md.Root)))
	}
	if at != nil {
		ev := md.at(at)
		switch {
		case !earliest.After(env.Now):
			out = append(out, checks.Fail(rules.SAML008,
				"Métadonnées périmées : validUntil "+vu+" est passé.",
				"Metadata expired: validUntil "+vu+" is past.", ev))
		case earliest.Sub(env.Now) > maxValidity:
			out = append(out, checks.Warn(rules.SAML008,
				"validUntil "+vu+" est à plus d'un an : la date d'expiration ne protège plus contre des métadonnées périmées.",
				"validUntil "+vu+" is more than a year away: it no longer protects against stale metadata.", ev))
		}
		if len(out) == 0 {
			out = append(out, checks.Pass(rules.SAML008,
				"validUntil "+vu+" dans le futur et à moins d'un an.",
				"validUntil "+vu+" in the future and within a year.", ev))
		}
	}
	return out
}
