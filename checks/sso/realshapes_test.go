package sso

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

const realworld = fixtures + "/realworld/sso/"

// checkWith audits the capture src with the IdP metadata md and no other
// piece.
func checkWith(t *testing.T, src, md string) map[string][]result.Finding {
	t.Helper()
	e := env(checks.Options{SSOMetadata: md})
	defer e.Cache.Close()
	return byRule(Check(e, src))
}

// TestSignatureTrustRealShapes: real responses of library test suites
// (fixtures/realworld/sso) are judged by the metadata's keys only. A
// signature without KeyInfo (PingFederate's default), an assertion written
// with the prefix its response declares (SimpleSAMLphp), a certificate
// expired when the response was signed or not yet valid then: signed. A
// response signed with a key whose certificate only its KeyInfo carries:
// not signed, and the finding says so.
func TestSignatureTrustRealShapes(t *testing.T) {
	for _, c := range []struct {
		capture, metadata string
		want              result.Status
		says              []string
	}{
		{"pingfederate-response-signed.b64", "pingfederate-idp.xml", result.Pass, []string{"the response's signature verifies"}},
		{"pingfederate-assertion-signed.b64", "pingfederate-idp.xml", result.Pass, []string{"the assertion's signature verifies"}},
		{"simplesamlphp-signed-assertion.b64", "simplesamlphp-signed-assertion-idp.xml", result.Pass, []string{"the assertion's signature verifies", "expired on 2015-07-17", "SAML-005"}},
		{"simplesamlphp-expired-certificate.b64", "simplesamlphp-expired-certificate-idp.xml", result.Pass, []string{"expired on 2007-08-14", "SAML-005"}},
		{"onelogin-before-certificate.b64", "onelogin-idp.xml", result.Pass, nil},
		{"onelogin-both-signed.b64", "onelogin-idp.xml", result.Pass, []string{"the signatures of the response and of the assertion verify"}},
		{"node-saml-both-signed.xml", "node-saml-idp.xml", result.Pass, []string{"the signatures of the response and of the assertion verify", "expired on 2015-09-12"}},
		{"onelogin-foreign-key.b64", "onelogin-idp.xml", result.Fail, []string{"KeyInfo carries the certificate", "CN=saml.test.nope", "whose key the metadata does not publish"}},
		{"okta-saml-tool-other-certificate.b64", "okta-saml-tool-idp.xml", result.Fail, []string{"KeyInfo carries the certificate", "Internet Widgits"}},
	} {
		fs := checkWith(t, realworld+c.capture, realworld+c.metadata)
		if status(fs, "SSO-001") != c.want {
			t.Errorf("%s: SSO-001 %s, want %s: %v", c.capture, status(fs, "SSO-001"), c.want, fs["SSO-001"])
			continue
		}
		for _, s := range c.says {
			if !strings.Contains(fs["SSO-001"][0].MessageEN, s) {
				t.Errorf("%s: SSO-001 %q does not say %q", c.capture, fs["SSO-001"][0].MessageEN, s)
			}
		}
	}
}

// TestSignatureEmptyReferenceURI: Okta's SAML test IdP signs the response
// with Reference URI="" (the whole document, whose root is the response):
// no wrapping. On the assertion's signature, "" is not the assertion.
func TestSignatureEmptyReferenceURI(t *testing.T) {
	fs := checkWith(t, realworld+"okta-saml-tool.b64", realworld+"okta-saml-tool-idp.xml")
	if status(fs, "SSO-001") != result.Pass || status(fs, "SSO-003") != result.Pass {
		t.Errorf("URI=\"\" on the response: SSO-001 %v, SSO-003 %v", fs["SSO-001"], fs["SSO-003"])
	}
	good := goodResponse(t)
	x := strings.Replace(good, `<ds:Reference URI="#id-`, `<ds:Reference URI="" data-was="#id-`, 2)
	doc := etree.NewDocument()
	if err := doc.ReadFromString(x); err != nil {
		t.Fatal(err)
	}
	as := doc.Root().SelectElement("Assertion")
	ref := as.FindElement("./Signature/SignedInfo/Reference")
	if ref == nil || ref.SelectAttrValue("URI", "-") != "" {
		t.Fatalf("fixture shape changed: %v", ref)
	}
	fs = checkXML(t, x)
	if status(fs, "SSO-003") != result.Fail {
		t.Errorf("URI=\"\" on the assertion's signature: SSO-003 %v, want fail", fs["SSO-003"])
	}
}

// keyPair is a test IdP key with a self-signed certificate.
type keyPair struct {
	key  *rsa.PrivateKey
	cert *x509.Certificate
}

func newKeyPair(t *testing.T, key *rsa.PrivateKey, cn string, from, to time.Time) keyPair {
	t.Helper()
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(from.Unix()), Subject: pkix.Name{CommonName: cn}, NotBefore: from, NotAfter: to}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return keyPair{key, c}
}

func std64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// metadataWith writes IdP metadata whose signing KeyDescriptor holds keyInfo
// and returns its path.
func metadataWith(t *testing.T, keyInfo string) string {
	t.Helper()
	md := `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://ent.fictif.example/idp">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor use="signing"><ds:KeyInfo>` + keyInfo + `</ds:KeyInfo></md:KeyDescriptor>
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://ent.fictif.example/idp/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`
	p := filepath.Join(t.TempDir(), "idp.xml")
	if err := os.WriteFile(p, []byte(md), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func certInfo(c *x509.Certificate) string {
	return `<ds:X509Data><ds:X509Certificate>` + std64(c.Raw) + `</ds:X509Certificate></ds:X509Data>`
}

func rsaKeyValue(k *rsa.PublicKey) string {
	return `<ds:KeyValue><ds:RSAKeyValue><ds:Modulus>` + std64(k.N.Bytes()) + `</ds:Modulus><ds:Exponent>` +
		std64(big.NewInt(int64(k.E)).Bytes()) + `</ds:Exponent></ds:RSAKeyValue></ds:KeyValue>`
}

// signedBy re-signs the good fixture's response (its own signatures
// removed) with kp, then sets the signature's KeyInfo to keyInfo ("-":
// none; "": as goxmldsig writes it, kp's certificate).
func signedBy(t *testing.T, kp keyPair, keyInfo string) string {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(goodResponse(t)); err != nil {
		t.Fatal(err)
	}
	root := doc.Root()
	for _, e := range []*etree.Element{root, root.SelectElement("Assertion")} {
		for _, s := range e.SelectElements("Signature") {
			e.RemoveChild(s)
		}
	}
	ctx, err := dsig.NewSigningContext(kp.key, [][]byte{kp.cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
		t.Fatal(err)
	}
	signed, err := ctx.SignEnveloped(root)
	if err != nil {
		t.Fatal(err)
	}
	sig := signed.SelectElement("Signature")
	ki := sig.SelectElement("KeyInfo")
	switch keyInfo {
	case "":
	case "-":
		sig.RemoveChild(ki)
	default:
		sig.RemoveChild(ki)
		repl := etree.NewDocument()
		if err := repl.ReadFromString(`<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` + keyInfo + `</ds:KeyInfo>`); err != nil {
			t.Fatal(err)
		}
		sig.AddChild(repl.Root())
	}
	out := etree.NewDocument()
	out.SetRoot(signed)
	s, err := out.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestKeyInfoIsNeverTrusted: whatever the response's KeyInfo holds, the
// signature is judged by the metadata's keys, without their certificates'
// dates: trust is in the key (class 1 of the real-world corpus).
func TestKeyInfoIsNeverTrusted(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) // env's clock
	idp := newKeyPair(t, nil, "ent.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	expired := newKeyPair(t, idp.key, "ent.fictif.example", now.AddDate(-12, 0, 0), now.AddDate(-10, 0, 0))
	future := newKeyPair(t, idp.key, "ent.fictif.example", now.AddDate(1, 0, 0), now.AddDate(3, 0, 0))
	other := newKeyPair(t, nil, "autre.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	personal := newKeyPair(t, other.key, "jean.dupont@ent.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	inMetadata := metadataWith(t, certInfo(idp.cert))
	for _, c := range []struct {
		name     string
		xml      string
		metadata string
		want     result.Status
		says     string
	}{
		{"no KeyInfo (PingFederate)", signedBy(t, idp, "-"), inMetadata, result.Pass, "verifies"},
		{"bare RSAKeyValue in KeyInfo (Secureworks)", signedBy(t, idp, rsaKeyValue(&idp.key.PublicKey)), inMetadata, result.Pass, "verifies"},
		{"KeyInfo holds another certificate of the same key", signedBy(t, idp, certInfo(expired.cert)), inMetadata, result.Pass, "verifies"},
		{"KeyInfo holds only an X509SubjectName", signedBy(t, idp, `<ds:X509Data><ds:X509SubjectName>CN=ent.fictif.example</ds:X509SubjectName></ds:X509Data>`), inMetadata, result.Pass, "verifies"},
		{"bare RSA key in the metadata (Lemonldap::NG)", signedBy(t, idp, ""), metadataWith(t, rsaKeyValue(&idp.key.PublicKey)), result.Pass, "verifies"},
		{"metadata certificate expired", signedBy(t, idp, ""), metadataWith(t, certInfo(expired.cert)), result.Pass, "expired on " + expired.cert.NotAfter.Format("2006-01-02")},
		{"metadata certificate not yet valid", signedBy(t, idp, ""), metadataWith(t, certInfo(future.cert)), result.Pass, "verifies"},
		{"metadata certificate with a negative serial number (WSO2, Windows)", signedBy(t, idp, "-"), metadataWith(t, `<ds:X509Data><ds:X509Certificate>`+std64(negativeSerial(t, idp.key))+`</ds:X509Certificate></ds:X509Data>`), result.Pass, "verifies"},
		{"metadata holds another key too (rollover)", signedBy(t, idp, "-"), metadataWith(t, certInfo(other.cert)+`</ds:KeyInfo></md:KeyDescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo>`+certInfo(idp.cert)), result.Pass, "verifies"},
		{"signature value wrapped and indented (node-saml)", wrapSignatureValue(t, signedBy(t, idp, "")), inMetadata, result.Pass, "verifies"},
		{"signed by a key only the response carries", signedBy(t, other, ""), inMetadata, result.Fail, "KeyInfo carries the certificate \"CN=autre.fictif.example\""},
		{"a foreign certificate naming a person is masked", signedBy(t, personal, ""), inMetadata, result.Fail, "CN=***@ent.fictif.example"},
		{"signed by a bare key only the response carries", signedBy(t, other, rsaKeyValue(&other.key.PublicKey)), inMetadata, result.Fail, "KeyInfo carries an RSA key (ds:RSAKeyValue) the metadata does not publish"},
		{"signed by another key, no KeyInfo", signedBy(t, other, "-"), inMetadata, result.Fail, "does not verify"},
	} {
		p := filepath.Join(t.TempDir(), "reponse.xml")
		if err := os.WriteFile(p, []byte(c.xml), 0o600); err != nil {
			t.Fatal(err)
		}
		fs := checkWith(t, p, c.metadata)
		if status(fs, "SSO-001") != c.want || !strings.Contains(fs["SSO-001"][0].MessageEN, c.says) {
			t.Errorf("%s: SSO-001 %v, want %s saying %q", c.name, fs["SSO-001"], c.want, c.says)
		}
		if f := fs["SSO-001"]; len(f) == 1 && strings.Contains(f[0].Message+f[0].MessageEN, "jean.dupont") {
			t.Errorf("%s: the finding shows the certificate's e-mail address: %s", c.name, f[0].Message)
		}
	}
}

// wrapSignatureValue cuts the base64 of the signature value in lines of 76
// characters, each ending with &#13; and the next one indented, as
// node-saml's test responses and Java's XML Security write it.
func wrapSignatureValue(t *testing.T, x string) string {
	t.Helper()
	const open, end = "<ds:SignatureValue>", "</ds:SignatureValue>"
	i, j := strings.Index(x, open), strings.Index(x, end)
	if i < 0 || j < i {
		t.Fatal("no SignatureValue")
	}
	v := x[i+len(open) : j]
	var lines []string
	for len(v) > 76 {
		lines = append(lines, v[:76])
		v = v[76:]
	}
	lines = append(lines, v)
	return x[:i+len(open)] + strings.Join(lines, "&#13;\n    ") + x[j:]
}

// negativeSerial is a self-signed certificate of key whose serial number is
// negative (-123), which crypto/x509 refuses to parse since Go 1.23. Go
// does not create one: its serial 5 is rewritten in the DER (the
// certificate's own signature, which nobody checks here, breaks).
func negativeSerial(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(5), Subject: pkix.Name{CommonName: "wso2.fictif.example"},
		NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2034, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(der), "\x02\x01\x05")
	if i < 0 {
		t.Fatal("serial not found")
	}
	der[i+2] = 0x85
	if _, err := x509.ParseCertificate(der); err == nil || !strings.Contains(err.Error(), "negative serial") {
		t.Fatalf("the certificate parses: %v", err)
	}
	return der
}
