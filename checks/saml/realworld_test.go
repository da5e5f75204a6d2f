package saml

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
)

// TestRealWorldShapes runs the fixtures reproducing the metadata shapes
// real IdP products publish (Shibboleth, Lemonldap::NG, ADFS, Keycloak,
// SimpleSAMLphp, CAS, key rollover, federation aggregate) and checks each
// inline expectation: "want SAML-004 pass" means the rule has that status
// and, for pass, no failure, warning or error beside it.
func TestRealWorldShapes(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/saml/realworld/*.xml")
	if len(files) == 0 {
		t.Fatal("no real-world fixture found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			got := map[string][]result.Finding{}
			for _, fd := range Check(newEnv(checks.Options{}), f) {
				got[fd.Rule] = append(got[fd.Rule], fd)
			}
			ws := checkstest.Wants(t, strings.TrimPrefix(filepath.ToSlash(f), "../../"))
			if len(ws) == 0 {
				t.Fatal("no inline expectation")
			}
			for _, w := range ws {
				rule, want := w.Rule, w.Status
				ok := false
				for _, fd := range got[rule] {
					if fd.Status == want {
						ok = true
					}
					if want == result.Pass && fd.Status != result.Pass {
						ok = false
						break
					}
				}
				if !ok {
					for _, fd := range got[rule] {
						t.Logf("%s %s: %s", rule, fd.Status, fd.Message)
					}
					t.Errorf("want %s %s", rule, want)
				}
			}
		})
	}
}

// checkDoc audits an in-memory document written to a temporary file.
func checkDoc(t *testing.T, doc string) map[string][]result.Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "md.xml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string][]result.Finding{}
	for _, f := range Check(newEnv(checks.Options{}), p) {
		got[f.Rule] = append(got[f.Rule], f)
	}
	return got
}

// bareKeyDoc is IdP metadata whose signing key is a ds:RSAKeyValue.
func bareKeyDoc(modulus, exponent string) string {
	return `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://auth.ent-fictif.example/saml/metadata">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing">
      <ds:KeyInfo><ds:KeyValue><ds:RSAKeyValue>
        <ds:Modulus>` + modulus + `</ds:Modulus>
        <ds:Exponent>` + exponent + `</ds:Exponent>
      </ds:RSAKeyValue></ds:KeyValue></ds:KeyInfo>
    </KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://auth.ent-fictif.example/saml/singleSignOn"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`
}

// TestBareKey: a bare RSA key (Lemonldap::NG) is judged on its size; a
// short one fails, and so does an unreadable one, named with its line (a
// defect of a well-formed document, not an unreadable piece).
func TestBareKey(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(append([]byte{0xc3}, make([]byte, 127)...)) // 1024 bits
	long := base64.StdEncoding.EncodeToString(append([]byte{0xc3}, make([]byte, 255)...))  // 2048 bits
	cases := []struct {
		name, mod, exp string
		want           result.Status
		line           int
	}{
		{"2048 bits", long, "AQAB", result.Pass, 5},
		{"1024 bits", short, "AQAB", result.Fail, 5},
		{"modulus not base64", "pas*du*base64", "AQAB", result.Fail, 5},
		{"exponent missing", long, "", result.Fail, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := checkDoc(t, bareKeyDoc(c.mod, c.exp))["SAML-005"]
			if len(fs) != 1 || fs[0].Status != c.want {
				t.Fatalf("SAML-005 = %+v, want one %s", fs, c.want)
			}
			if len(fs[0].Evidence) == 0 || fs[0].Evidence[0].Line != c.line {
				t.Errorf("evidence %+v, want line %d", fs[0].Evidence, c.line)
			}
		})
	}
}

// TestSignatureWithoutKeyInfoTampered: a signature without KeyInfo is
// verified with each of the IdP's keys; once the document is changed, none
// verifies it.
func TestSignatureWithoutKeyInfoTampered(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/saml/realworld/shibboleth-signed-no-keyinfo.xml")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(data), "https://idp.ent-fictif.example/idp/profile/SAML2/Redirect/SSO", "https://attaquant.fictif.example/SSO", 1)
	if doc == string(data) {
		t.Fatal("fixture changed: nothing tampered")
	}
	fs := checkDoc(t, doc)["SAML-006"]
	if len(fs) != 1 || fs[0].Status != result.Fail {
		t.Fatalf("SAML-006 = %+v, want fail", fs)
	}
}

// roleDoc is IdP metadata with an extra RoleDescriptor (role) and extra
// content in the IDPSSODescriptor (extra, line 6).
func roleDoc(role, extra string) string {
	return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706" entityID="https://adfs.ent-fictif.example/adfs/services/trust">
  ` + role + `
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://adfs.ent-fictif.example/adfs/ls/"/>
    ` + extra + `
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
`
}

// TestExtensionRoles: a RoleDescriptor of a foreign type (ADFS) is left to
// its own schema, but the rest of the document is still validated, and a
// RoleDescriptor without a type or with a SAML one is still judged.
func TestExtensionRoles(t *testing.T) {
	fed := `<md:RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" ServiceDisplayName="ENT"><fed:PassiveRequestorEndpoint/></md:RoleDescriptor>`
	cases := []struct {
		name, role, extra string
		want              result.Status
		line              int
	}{
		{"foreign type", fed, "", result.Pass, 2},
		{"foreign type, other violation", fed, "<md:ServiceInconnu/>", result.Fail, 6},
		{"no type", `<md:RoleDescriptor protocolSupportEnumeration="urn:x"/>`, "", result.Fail, 0},
		{"SAML type", `<md:RoleDescriptor xsi:type="md:InconnuType" protocolSupportEnumeration="urn:x"/>`, "", result.Fail, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := checkDoc(t, roleDoc(c.role, c.extra))["SAML-002"]
			if len(fs) == 0 || fs[0].Status != c.want {
				t.Fatalf("SAML-002 = %+v, want %s", fs, c.want)
			}
			if c.line > 0 && (len(fs[0].Evidence) == 0 || fs[0].Evidence[0].Line != c.line) {
				t.Errorf("evidence %+v, want line %d", fs[0].Evidence, c.line)
			}
		})
	}
}

// TestAggregateEntityValidUntil: in an EntitiesDescriptor, the ENT's
// EntityDescriptor may carry its own validUntil; the earliest one bounds
// the metadata (saml-metadata-2.0-os §2.3.1, §2.3.2).
func TestAggregateEntityValidUntil(t *testing.T) {
	doc := func(rootVU, entityVU string) string {
		return `<?xml version="1.0"?>
<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" Name="urn:fictif:federation"` + rootVU + `>
  <EntityDescriptor entityID="https://ent-fictif.example/idp"` + entityVU + `>
    <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://ent-fictif.example/idp/sso"/>
    </IDPSSODescriptor>
  </EntityDescriptor>
</EntitiesDescriptor>
`
	}
	cases := []struct {
		name, root, entity string
		want               result.Status
		line               int
	}{
		{"root only", ` validUntil="2027-01-10T00:00:00Z"`, "", result.Pass, 2},
		{"entity only", "", ` validUntil="2027-01-10T00:00:00Z"`, result.Pass, 3},
		{"entity expired", ` validUntil="2027-01-10T00:00:00Z"`, ` validUntil="2026-01-10T00:00:00Z"`, result.Fail, 3},
		{"root expired", ` validUntil="2026-01-10T00:00:00Z"`, ` validUntil="2027-01-10T00:00:00Z"`, result.Fail, 2},
		{"none", "", "", result.Warn, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := checkDoc(t, doc(c.root, c.entity))["SAML-008"]
			if len(fs) != 1 || fs[0].Status != c.want {
				t.Fatalf("SAML-008 = %+v, want one %s", fs, c.want)
			}
			if len(fs[0].Evidence) == 0 || fs[0].Evidence[0].Line != c.line {
				t.Errorf("evidence %+v, want line %d", fs[0].Evidence, c.line)
			}
		})
	}
}

// TestSAML1RoleFirst: an entity may describe its SAML 1.1 role in a
// separate IDPSSODescriptor placed first; the SAML 2.0 one is audited.
func TestSAML1RoleFirst(t *testing.T) {
	got := checkDoc(t, `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.ent-fictif.example/idp/shibboleth">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:mace:shibboleth:1.0">
    <SingleSignOnService Binding="urn:mace:shibboleth:1.0:profiles:AuthnRequest" Location="https://idp.ent-fictif.example/idp/profile/Shibboleth/SSO"/>
  </IDPSSODescriptor>
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.ent-fictif.example/idp/profile/SAML2/Redirect/SSO"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`)
	for _, rule := range []string{"SAML-003", "SAML-004"} {
		if fs := got[rule]; len(fs) != 1 || fs[0].Status != result.Pass {
			t.Errorf("%s = %+v, want pass", rule, fs)
		}
	}
}

// TestCertificateChain: a KeyDescriptor may carry the signing certificate
// with its issuing CA (X509Data holding a chain); the CA's own signature
// algorithm and dates are not the signing key's.
func TestCertificateChain(t *testing.T) {
	newCert := func(tmpl, parent *x509.Certificate, key, signer *rsa.PrivateKey) []byte {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "AC Fictive"},
		NotBefore: time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, SignatureAlgorithm: x509.SHA1WithRSA}
	caDER := newCert(ca, ca, caKey, caKey)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "ent-fictif.example"},
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature, SignatureAlgorithm: x509.SHA256WithRSA}
	leafDER := newCert(leaf, ca, leafKey, caKey)
	doc := func(ders ...[]byte) string {
		var xs string
		for _, d := range ders {
			xs += "<ds:X509Certificate>" + base64.StdEncoding.EncodeToString(d) + "</ds:X509Certificate>\n"
		}
		return `<?xml version="1.0"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://ent-fictif.example/idp">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
` + xs + `    </ds:X509Data></ds:KeyInfo></KeyDescriptor>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://ent-fictif.example/idp/sso"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`
	}
	cases := []struct {
		name string
		ders [][]byte
		want result.Status
	}{
		{"leaf then CA", [][]byte{leafDER, caDER}, result.Pass},
		{"CA then leaf", [][]byte{caDER, leafDER}, result.Pass},
		{"CA alone", [][]byte{caDER}, result.Fail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := checkDoc(t, doc(c.ders...))["SAML-005"]
			if len(fs) == 0 || fs[0].Status != c.want {
				t.Fatalf("SAML-005 = %+v, want %s", fs, c.want)
			}
			for _, f := range fs {
				if f.Status != c.want {
					t.Errorf("also %s: %s", f.Status, f.Message)
				}
			}
		})
	}
}

// TestNegativeSerial: an AD FS token-signing certificate whose 16-byte
// serial number is negative (Windows writes it without the leading zero
// byte), which crypto/x509 refuses since Go 1.23, is read: SAML-005 warns
// of the oddity (RFC 5280 §4.1.2.2) and judges the key and dates as any
// other certificate's, and the sso area verifies with the same key.
func TestNegativeSerial(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	serial := new(big.Int).SetBytes([]byte{0x61, 0x0c, 0x9a, 0x2e, 0x4d, 0x73, 0xb1, 0x8a, 0x4e, 0x2f, 0x95, 0x13, 0x77, 0xd0, 0x3c, 0x26})
	cert := func(cn string, to time.Time) string {
		tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Date(2024, 9, 2, 8, 0, 0, 0, time.UTC), NotAfter: to}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(der, append([]byte{0x02, 0x10}, serial.Bytes()...))
		if i < 0 {
			t.Fatal("serial not found")
		}
		der[i+2] |= 0x80
		if _, err := x509.ParseCertificate(der); err == nil {
			t.Fatal("crypto/x509 parses it")
		}
		return base64.StdEncoding.EncodeToString(der)
	}
	doc := func(signing string) string {
		return `<?xml version="1.0" encoding="utf-8"?>
<EntityDescriptor ID="_5c1f0a3e-8b7d-4e2a-9c61-3f4b2a1d0e9c" entityID="http://adfs.ent-fictif.example/adfs/services/trust" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + cert("ADFS Encryption - adfs.ent-fictif.example", time.Date(2027, 9, 2, 8, 0, 0, 0, time.UTC)) + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>` + signing + `</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
    <NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://adfs.ent-fictif.example/adfs/ls/"/>
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://adfs.ent-fictif.example/adfs/ls/"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`
	}
	for _, c := range []struct {
		name    string
		to      time.Time
		want    []result.Status
		message string
	}{
		{"valid", time.Date(2027, 9, 2, 8, 0, 0, 0, time.UTC), []result.Status{result.Warn}, "negative serial number, which RFC 5280 (§4.1.2.2) forbids"},
		{"expired", time.Date(2025, 9, 2, 8, 0, 0, 0, time.UTC), []result.Status{result.Fail, result.Warn}, "Signing certificate expired on 2025-09-02"},
	} {
		fs := checkDoc(t, doc(cert("ADFS Signing - adfs.ent-fictif.example", c.to)))["SAML-005"]
		var got []result.Status
		var msgs []string
		for _, f := range fs {
			got = append(got, f.Status)
			msgs = append(msgs, f.MessageEN)
		}
		if !slices.Equal(got, c.want) || !strings.Contains(strings.Join(msgs, "\n"), c.message) {
			t.Errorf("%s: SAML-005 %v, want %v saying %q:\n%s", c.name, got, c.want, c.message, strings.Join(msgs, "\n"))
		}
		if strings.Contains(strings.Join(msgs, "\n"), "cannot be read") {
			t.Errorf("%s: the certificate is called unreadable", c.name)
		}
	}
	p := filepath.Join(t.TempDir(), "md.xml")
	if err := os.WriteFile(p, []byte(doc(cert("ADFS Signing - adfs.ent-fictif.example", time.Date(2027, 9, 2, 8, 0, 0, 0, time.UTC)))), 0o644); err != nil {
		t.Fatal(err)
	}
	idp, err := samlmeta.LoadIdP(context.Background(), &input.Loader{}, nil, p)
	if err != nil || len(idp.Keys) != 1 || idp.Keys[0].SerialNumber.Sign() >= 0 || !idp.Keys[0].PublicKey.(*rsa.PublicKey).Equal(&key.PublicKey) {
		t.Errorf("the sso area's keys: %+v, %v", idp, err)
	}
}

// TestAggregateSeveralIdPs: a federation's aggregate holding several
// identity providers. The one judged is the ENT's when the dossier's ENT
// address (ent.url) is on the domain of exactly one's entityID, else the
// first; SAML-003 says which was judged and why, and the other rules judge
// that one (here SAML-005: the first's certificate has expired, the
// ENT's is sound).
func TestAggregateSeveralIdPs(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cert := func(cn string, to time.Time) string {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: to}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		return base64.StdEncoding.EncodeToString(der)
	}
	idp := func(id, c string) string {
		return `  <EntityDescriptor entityID="` + id + `">
    <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + c + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
      <NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>
      <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="` + id + `/sso"/>
    </IDPSSODescriptor>
  </EntityDescriptor>
`
	}
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Name="urn:fictif:federation:education" validUntil="2027-01-10T00:00:00Z">
` + idp("https://idp.autre-ent.fictif.example/idp", cert("idp.autre-ent.fictif.example", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))) +
		idp("https://auth.ent-fictif.example/idp", cert("auth.ent-fictif.example", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))) +
		idp("urn:fictif:universite:idp", cert("idp.universite.fictif.example", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))) + `</EntitiesDescriptor>
`
	for _, c := range []struct {
		name, entURL string
		saml005      result.Status
		says         string
	}{
		{"ENT address on one's domain", "https://www.ent-fictif.example/", result.Pass, "the one audited is https://auth.ent-fictif.example/idp, the only one whose entityID is on the domain of the ENT's address"},
		{"no ENT address", "", result.Fail, "only the first (https://idp.autre-ent.fictif.example/idp) is audited, as nothing in the dossier names the ENT's"},
		{"ENT address on none's domain", "https://ent.ailleurs.example/", result.Fail, "only the first (https://idp.autre-ent.fictif.example/idp) is audited"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := findings(t, doc, checks.Options{ENTURL: c.entURL})
			if f := fs["SAML-003"]; len(f) != 1 || f[0].Status != result.Warn || !f[0].Review || !strings.Contains(f[0].MessageEN, c.says) {
				t.Errorf("SAML-003 %+v, want a review saying %q", f, c.says)
			}
			if f := fs["SAML-005"]; len(f) != 1 || f[0].Status != c.saml005 {
				t.Errorf("SAML-005 %+v, want %s", f, c.saml005)
			}
		})
	}
}
