package saml

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

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/result"
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
