package saml

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
)

// expiryWarning is how close to its end a certificate must be renewed.
const expiryWarning = 60 * 24 * time.Hour

// weakSignature lists certificate signature algorithms refused (MD5, SHA-1).
var weakSignature = map[x509.SignatureAlgorithm]bool{
	x509.MD2WithRSA: true, x509.MD5WithRSA: true, x509.SHA1WithRSA: true,
	x509.DSAWithSHA1: true, x509.ECDSAWithSHA1: true,
}

// keyProblem returns what is wrong with a certificate's public key.
func keyProblem(c *x509.Certificate) (fr, en string) {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		if n := k.N.BitLen(); n < 2048 {
			return fmt.Sprintf("clé RSA de %d bits (minimum 2048)", n), fmt.Sprintf("RSA key of %d bits (minimum 2048)", n)
		}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize < 256 {
			name := k.Curve.Params().Name
			return "courbe " + name + " (minimum P-256)", "curve " + name + " (minimum P-256)"
		}
	default:
		alg := c.PublicKeyAlgorithm.String()
		return "type de clé " + alg + " non admis (RSA ou ECDSA attendu)", "key type " + alg + " not accepted (RSA or ECDSA expected)"
	}
	return "", ""
}

// checkCertificates checks the IdP's signing certificates (SAML-005): each
// parses, has a strong key and signature, and is valid at env.Now; expiry
// within 60 days is a warning. A certificate that does not parse (bad
// base64, truncated DER) in a well-formed document is a defect of the
// metadata, not an unreadable piece: SAML-005 fails and names it (which
// KeyDescriptor, which line); the other rules still run.
func checkCertificates(env *checks.Env, md *metadata) []result.Finding {
	if md.IDP == nil {
		return noIDP(rules.SAML005)
	}
	kds, certs := md.SigningKeys()
	if len(certs) == 0 {
		msg, msgEN := "Le fournisseur d'identité ne publie aucun KeyDescriptor de signature : le GAR ne peut pas vérifier les assertions.",
			"The identity provider publishes no signing KeyDescriptor: the GAR cannot verify assertions."
		if kds > 0 {
			msg, msgEN = "Le KeyDescriptor de signature du fournisseur d'identité ne contient ni certificat X.509 ni clé RSA : le GAR ne peut pas vérifier les assertions.",
				"The identity provider's signing KeyDescriptor holds neither an X.509 certificate nor an RSA key: the GAR cannot verify assertions."
		}
		return []result.Finding{checks.Fail(rules.SAML005, msg, msgEN, md.at(md.IDP))}
	}
	// During a key rollover the old and new keys are published side by
	// side: while one of them is sound for the next 60 days, another
	// expiring, not yet valid or even expired does not break logins.
	sound := false
	for _, sc := range certs {
		if sc.Err == nil && ((sc.Cert == nil && len(bareKeyFindings(md, sc)) == 0) ||
			(sc.Cert != nil && len(certFindings(env.Now, md, sc, false)) == 0)) {
			sound = true
		}
	}
	var out []result.Finding
	for _, sc := range certs {
		switch {
		case sc.Err != nil:
			out = append(out, unreadableKey(md, sc))
		case sc.Cert == nil:
			out = append(out, bareKeyFindings(md, sc)...)
		default:
			out = append(out, certFindings(env.Now, md, sc, sound)...)
			out = append(out, negativeSerial(md, sc)...)
		}
	}
	if len(out) == 0 {
		out = append(out, certsPass(md, certs))
	}
	return out
}

// certsPass is the pass finding of SAML-005: the first certificate's
// expiry, or the bare key's size.
func certsPass(md *metadata, certs []samlmeta.SigningKey) result.Finding {
	var first, last *x509.Certificate
	for _, sc := range certs {
		if c := sc.Cert; c != nil {
			if first == nil || c.NotAfter.Before(first.NotAfter) {
				first = c
			}
			if last == nil || c.NotAfter.After(last.NotAfter) {
				last = c
			}
		}
	}
	if first != nil && !first.NotAfter.Equal(last.NotAfter) {
		a, b := first.NotAfter.UTC().Format("2006-01-02"), last.NotAfter.UTC().Format("2006-01-02")
		return checks.Pass(rules.SAML005,
			fmt.Sprintf("%d clés de signature utilisables ; la première échéance de certificat est le %s, la dernière le %s (clés publiées côte à côte, par exemple pendant un renouvellement).", len(certs), a, b),
			fmt.Sprintf("%d usable signing keys; the first certificate expiry is on %s, the last on %s (keys published side by side, e.g. during a rollover).", len(certs), a, b),
			md.at(md.IDP))
	}
	for _, sc := range certs {
		if c := sc.Cert; c != nil {
			return checks.Pass(rules.SAML005,
				fmt.Sprintf("%s ; le premier certificat expire le %s.", checks.Count(len(certs), "clé de signature valide", "clés de signature valides"), c.NotAfter.UTC().Format("2006-01-02")),
				fmt.Sprintf("%s; the first certificate expires on %s.", checks.Count(len(certs), "valid signing key", "valid signing keys"), c.NotAfter.UTC().Format("2006-01-02")),
				md.atExcerpt(sc.El, "CN="+c.Subject.CommonName))
		}
	}
	bits := certs[0].Key.N.BitLen()
	return checks.Pass(rules.SAML005,
		keyValueMessage(len(certs), bits),
		keyValueMessageEN(len(certs), bits),
		md.atExcerpt(certs[0].El, fmt.Sprintf("RSAKeyValue %d bits", bits)))
}

// bareKeyFindings returns the failures of a bare RSA key (no certificate:
// no dates nor certificate signature to judge).
func bareKeyFindings(md *metadata, sc samlmeta.SigningKey) []result.Finding {
	if n := sc.Key.N.BitLen(); n < 2048 {
		return []result.Finding{checks.Fail(rules.SAML005,
			fmt.Sprintf("Clé de signature (ds:KeyValue) : clé RSA de %d bits (minimum 2048).", n),
			fmt.Sprintf("Signing key (ds:KeyValue): RSA key of %d bits (minimum 2048).", n),
			md.atExcerpt(sc.El, fmt.Sprintf("RSAKeyValue %d bits", n)))}
	}
	return nil
}

// selfSigned reports whether a certificate is its own issuer. Metadata
// trusts the key it publishes, not a certificate chain (saml-metadata-2.0-os
// §2.4.1.1; the SAML V2.0 Metadata Interoperability Profile): a
// self-signature proves nothing to the GAR, so its algorithm (often SHA-1
// in keys generated by Shibboleth IdP v2 or SimpleSAMLphp) is no weakness.
func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject) &&
		(len(c.AuthorityKeyId) == 0 || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId))
}

// certFindings returns the failures and warnings of one certificate.
// rollover says another signing key is sound: then this certificate's
// dates only matter when it has expired, as a leftover to remove (warning).
func certFindings(now time.Time, md *metadata, sc samlmeta.SigningKey, rollover bool) []result.Finding {
	c := sc.Cert
	ev := md.atExcerpt(sc.El, fmt.Sprintf("CN=%s, %s → %s", c.Subject.CommonName,
		c.NotBefore.UTC().Format("2006-01-02"), c.NotAfter.UTC().Format("2006-01-02")))
	var out []result.Finding
	if fr, en := keyProblem(c); fr != "" {
		out = append(out, checks.Fail(rules.SAML005, "Certificat de signature : "+fr+".", "Signing certificate: "+en+".", ev))
	}
	if weakSignature[c.SignatureAlgorithm] && !selfSigned(c) {
		alg := c.SignatureAlgorithm.String()
		out = append(out, checks.Fail(rules.SAML005,
			"Certificat de signature signé avec "+alg+" (SHA-1/MD5 proscrits).",
			"Signing certificate signed with "+alg+" (SHA-1/MD5 refused).", ev))
	}
	switch {
	case rollover && now.After(c.NotAfter):
		out = append(out, checks.Warn(rules.SAML005,
			"Ancien certificat de signature expiré le "+c.NotAfter.UTC().Format("2006-01-02")+" encore publié à côté d'un certificat valide : le retirer des métadonnées.",
			"Old signing certificate expired on "+c.NotAfter.UTC().Format("2006-01-02")+" still published beside a valid one: remove it from the metadata.", ev))
	case rollover:
		// Not yet valid (published ahead) or expiring: the sound key
		// carries the logins meanwhile.
	case now.After(c.NotAfter):
		out = append(out, checks.Fail(rules.SAML005,
			"Certificat de signature expiré le "+c.NotAfter.UTC().Format("2006-01-02")+".",
			"Signing certificate expired on "+c.NotAfter.UTC().Format("2006-01-02")+".", ev))
	case now.Before(c.NotBefore):
		out = append(out, checks.Fail(rules.SAML005,
			"Certificat de signature pas encore valide (à partir du "+c.NotBefore.UTC().Format("2006-01-02")+").",
			"Signing certificate not yet valid (from "+c.NotBefore.UTC().Format("2006-01-02")+").", ev))
	case c.NotAfter.Sub(now) < expiryWarning:
		days := int(c.NotAfter.Sub(now).Hours() / 24)
		out = append(out, checks.Warn(rules.SAML005,
			fmt.Sprintf("Certificat de signature expirant dans %d jours (%s) : prévoir son renouvellement avec le GAR.", days, c.NotAfter.UTC().Format("2006-01-02")),
			fmt.Sprintf("Signing certificate expires in %d days (%s): plan its rollover with the GAR.", days, c.NotAfter.UTC().Format("2006-01-02")), ev))
	}
	return out
}

// negativeSerial warns of a certificate whose serial number is negative
// (samlmeta.ParseCertificate reads it): RFC 5280 §4.1.2.2 asks for a
// positive one; old AD FS and Windows self-signed certificates, WSO2's
// and some Java stacks' carry one. The key is usable and service
// providers read it today, but stricter libraries refuse the certificate
// (Go since 1.23): to be replaced at the next rollover. It does not make
// the key unsound for a rollover.
func negativeSerial(md *metadata, sc samlmeta.SigningKey) []result.Finding {
	c := sc.Cert
	if c.SerialNumber == nil || c.SerialNumber.Sign() >= 0 {
		return nil
	}
	d := c.NotAfter.UTC().Format("2006-01-02")
	return []result.Finding{checks.Warn(rules.SAML005,
		fmt.Sprintf("Certificat de signature « %s » (KeyDescriptor n° %d) au numéro de série négatif, que la RFC 5280 (§4.1.2.2) interdit : sa clé est lue et utilisable, mais des bibliothèques récentes refusent ce certificat (Go depuis la version 1.23, par exemple) ; en émettre un au numéro positif au prochain renouvellement (il expire le %s).", certLabel(c), sc.KD, d),
		fmt.Sprintf("Signing certificate %q (KeyDescriptor #%d) has a negative serial number, which RFC 5280 (§4.1.2.2) forbids: its key is read and usable, but recent libraries refuse the certificate (Go since 1.23, for one); issue one with a positive serial at the next rollover (it expires on %s).", certLabel(c), sc.KD, d),
		md.atExcerpt(sc.El, certLabel(c)+", numéro de série "+clip(c.SerialNumber.String(), 24)))}
}

// certLabel names a certificate by its common name, else its
// organisation ("CN=adfs.fictif.example"), clipped; an e-mail address in
// it is masked (a certificate's subject may name a person).
func certLabel(c *x509.Certificate) string {
	label, name := "CN=", c.Subject.CommonName
	if name == "" && len(c.Subject.Organization) > 0 {
		label, name = "O=", c.Subject.Organization[0]
	}
	if name == "" {
		return "?"
	}
	if strings.Contains(name, "@") {
		name = mask.Of(name, "mail").String()
	}
	return label + clip(name, 60)
}

// errNoCert is returned when a signature can be checked against no
// certificate.
var errNoCert = input.Problemf("no certificate to verify the signature with", "aucun certificat pour vérifier la signature")

// keyValueMessage says n RSA keys published without a certificate.
func keyValueMessage(n, bits int) string {
	if n > 1 {
		return fmt.Sprintf("%d clés de signature RSA publiées sans certificat (ds:KeyValue, %d bits pour la première) : robustes, sans date d'expiration.", n, bits)
	}
	return fmt.Sprintf("1 clé de signature RSA publiée sans certificat (ds:KeyValue, %d bits) : robuste, sans date d'expiration.", bits)
}

func keyValueMessageEN(n, bits int) string {
	if n > 1 {
		return fmt.Sprintf("%d RSA signing keys published without a certificate (ds:KeyValue, the first of %d bits): strong, with no expiry date.", n, bits)
	}
	return fmt.Sprintf("1 RSA signing key published without a certificate (ds:KeyValue, %d bits): strong, with no expiry date.", bits)
}

// unreadableKey is SAML-005's failure for a signing certificate (or bare
// key) that does not parse: the document is well-formed, the key it
// publishes cannot be used. The finding names the KeyDescriptor (its rank
// and use) and the line of the certificate, and says what is wrong; a
// consumer that cannot read a key of the metadata may refuse all of it.
func unreadableKey(md *metadata, sc samlmeta.SigningKey) result.Finding {
	what, whatEN, fix, fixEN := "Le certificat X.509", "X.509 certificate", "corriger le certificat publié (base64 complet du certificat DER)", "fix the published certificate (the complete base64 of the DER certificate)"
	if sc.El.Tag == "RSAKeyValue" {
		what, whatEN, fix, fixEN = "La clé RSA (ds:RSAKeyValue)", "RSA key (ds:RSAKeyValue)", "corriger la clé publiée (Modulus et Exponent en base64)", "fix the published key (Modulus and Exponent in base64)"
	}
	use := "sans attribut use"
	useEN := "without a use attribute"
	if sc.Use != "" {
		use, useEN = "use=\""+sc.Use+"\"", "use=\""+sc.Use+"\""
	}
	line := md.Lines[sc.El]
	fr := fmt.Sprintf("%s du KeyDescriptor n° %d (%s), ligne %d, est illisible : %s. Le GAR ne peut pas vérifier les assertions avec cette clé : %s, ou la retirer des métadonnées.",
		what, sc.KD, use, line, input.French(sc.Err), fix)
	en := fmt.Sprintf("The %s of KeyDescriptor #%d (%s), line %d, cannot be read: %s. The GAR cannot verify assertions with this key: %s, or remove it from the metadata.",
		whatEN, sc.KD, useEN, line, sc.Err.Error(), fixEN)
	text := strings.Join(strings.Fields(xmlsafe.TextContent(sc.El)), "")
	excerpt := fmt.Sprintf("KeyDescriptor n° %d, %d caractères base64", sc.KD, len(text))
	if len(text) > 16 {
		excerpt += " : " + text[:8] + "…" + text[len(text)-8:]
	}
	return checks.Fail(rules.SAML005, fr, en, md.atExcerpt(sc.El, excerpt))
}
