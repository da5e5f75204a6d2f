package saml

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// expiryWarning is how close to its end a certificate must be renewed.
const expiryWarning = 60 * 24 * time.Hour

// signingCert is one X.509 certificate of a signing KeyDescriptor.
type signingCert struct {
	el   *etree.Element // the ds:X509Certificate element
	cert *x509.Certificate
	err  error // set when it does not parse
}

// signingCerts returns the certificates of the IdP's signing
// KeyDescriptors (use="signing" or no use).
func (md *metadata) signingCerts() (kds int, certs []signingCert) {
	for _, kd := range children(md.idp, nsMD, "KeyDescriptor") {
		if use, ok := attr(kd, "use"); ok && use != "signing" {
			continue
		}
		kds++
		for _, x := range descendants(kd, nsDS, "X509Certificate") {
			c, err := parseCertificate(x.Text())
			certs = append(certs, signingCert{el: x, cert: c, err: err})
		}
	}
	return kds, certs
}

// parseCertificate decodes a base64 DER certificate, whitespace allowed.
func parseCertificate(b64 string) (*x509.Certificate, error) {
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(b64), ""))
	if err != nil {
		return nil, input.Wrap(err, "decode base64", "décodage base64 impossible")
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, input.Wrap(err, "parse X.509 certificate", "certificat X.509 illisible")
	}
	return c, nil
}

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
// within 60 days is a warning. A certificate that does not parse leaves
// the rule not evaluated (the document is malformed).
func checkCertificates(env *checks.Env, md *metadata) []result.Finding {
	if md.idp == nil {
		return noIDP(ruleCert)
	}
	kds, certs := md.signingCerts()
	if len(certs) == 0 {
		what := "aucun KeyDescriptor de signature"
		whatEN := "no signing KeyDescriptor"
		if kds > 0 {
			what, whatEN = "KeyDescriptor de signature sans certificat X.509", "signing KeyDescriptor without an X.509 certificate"
		}
		return []result.Finding{checks.Fail(ruleCert,
			"Le fournisseur d'identité ne publie "+what+" : le GAR ne peut pas vérifier les assertions.",
			"The identity provider publishes "+whatEN+": the GAR cannot verify assertions.",
			md.at(md.idp))}
	}
	var out []result.Finding
	for _, sc := range certs {
		if sc.err != nil {
			out = append(out, checks.Errorf(ruleCert, &input.Error{Source: md.src, Line: md.lines[sc.el],
				Err: input.Wrap(sc.err, "unreadable signing certificate", "certificat de signature illisible")}))
			continue
		}
		out = append(out, certFindings(env.Now, md, sc)...)
	}
	if len(out) == 0 {
		c := certs[0].cert
		out = append(out, checks.Pass(ruleCert,
			fmt.Sprintf("%d certificat(s) de signature valide(s) ; le premier expire le %s.", len(certs), c.NotAfter.UTC().Format("2006-01-02")),
			fmt.Sprintf("%d valid signing certificate(s); the first expires on %s.", len(certs), c.NotAfter.UTC().Format("2006-01-02")),
			md.atExcerpt(certs[0].el, "CN="+c.Subject.CommonName)))
	}
	return out
}

// certFindings returns the failures and warnings of one certificate.
func certFindings(now time.Time, md *metadata, sc signingCert) []result.Finding {
	c := sc.cert
	ev := md.atExcerpt(sc.el, fmt.Sprintf("CN=%s, %s → %s", c.Subject.CommonName,
		c.NotBefore.UTC().Format("2006-01-02"), c.NotAfter.UTC().Format("2006-01-02")))
	var out []result.Finding
	if fr, en := keyProblem(c); fr != "" {
		out = append(out, checks.Fail(ruleCert, "Certificat de signature : "+fr+".", "Signing certificate: "+en+".", ev))
	}
	if weakSignature[c.SignatureAlgorithm] {
		alg := c.SignatureAlgorithm.String()
		out = append(out, checks.Fail(ruleCert,
			"Certificat de signature signé avec "+alg+" (SHA-1/MD5 proscrits).",
			"Signing certificate signed with "+alg+" (SHA-1/MD5 refused).", ev))
	}
	switch {
	case now.After(c.NotAfter):
		out = append(out, checks.Fail(ruleCert,
			"Certificat de signature expiré le "+c.NotAfter.UTC().Format("2006-01-02")+".",
			"Signing certificate expired on "+c.NotAfter.UTC().Format("2006-01-02")+".", ev))
	case now.Before(c.NotBefore):
		out = append(out, checks.Fail(ruleCert,
			"Certificat de signature pas encore valide (à partir du "+c.NotBefore.UTC().Format("2006-01-02")+").",
			"Signing certificate not yet valid (from "+c.NotBefore.UTC().Format("2006-01-02")+").", ev))
	case c.NotAfter.Sub(now) < expiryWarning:
		days := int(c.NotAfter.Sub(now).Hours() / 24)
		out = append(out, checks.Warn(ruleCert,
			fmt.Sprintf("Certificat de signature expirant dans %d jours (%s) : prévoir son renouvellement avec le GAR.", days, c.NotAfter.UTC().Format("2006-01-02")),
			fmt.Sprintf("Signing certificate expires in %d days (%s): plan its rollover with the GAR.", days, c.NotAfter.UTC().Format("2006-01-02")), ev))
	}
	return out
}

// errNoCert is returned when a signature can be checked against no
// certificate.
var errNoCert = input.Problemf("no certificate to verify the signature with", "aucun certificat pour vérifier la signature")
