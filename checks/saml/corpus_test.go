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
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// corpusNow is the instant the real-world corpus is judged at (BRIEF: the
// CLI runs it with --now 2026-12-01T12:00:00Z).
var corpusNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// worstFirst orders statuses as the corpus expectations do.
var worstFirst = []result.Status{result.Fail, result.Error, result.NotEvaluated, result.Warn, result.Pass, result.Skip}

func worse(a, b result.Status) bool {
	rank := func(s result.Status) int {
		for i, w := range worstFirst {
			if w == s {
				return i
			}
		}
		return len(worstFirst)
	}
	return rank(a) < rank(b)
}

// TestRealWorldCorpus runs every real IdP metadata file of
// fixtures/realworld/saml against the expectations written beside it
// (X.expect.yaml, written by reading the file before running the tool):
// the worst status of each rule must be the one expected, unless the
// disagreement is listed under known.
func TestRealWorldCorpus(t *testing.T) {
	sidecars, _ := filepath.Glob("../../fixtures/realworld/saml/*.expect.yaml")
	if len(sidecars) < 10 {
		t.Fatalf("%d real-world metadata files, want at least 10", len(sidecars))
	}
	for _, sc := range sidecars {
		file := strings.TrimSuffix(sc, ".expect.yaml")
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(sc)
			if err != nil {
				t.Fatal(err)
			}
			var side struct {
				Source, Licence, Product, Edits string
				Args                            []string
				Expect                          map[string]string
				Known                           map[string]string
			}
			if err := yaml.Unmarshal(data, &side); err != nil {
				t.Fatal(err)
			}
			if side.Source == "" || side.Licence == "" || side.Product == "" || side.Edits == "" || len(side.Expect) == 0 {
				t.Fatalf("%s: source, licence, product, edits and expect are required", sc)
			}
			if len(side.Args) > 0 {
				t.Skip("extra CLI arguments: run by the CLI corpus test")
			}
			env := newEnv(checks.Options{})
			env.Now = corpusNow
			got := map[string]result.Status{}
			msgs := map[string][]string{}
			for _, f := range Check(env, file) {
				if s, ok := got[f.Rule]; !ok || worse(f.Status, s) {
					got[f.Rule] = f.Status
				}
				msgs[f.Rule] = append(msgs[f.Rule], string(f.Status)+": "+f.Message)
			}
			rules := make([]string, 0, len(side.Expect))
			for r := range side.Expect {
				rules = append(rules, r)
			}
			sort.Strings(rules)
			for _, r := range rules {
				want := result.Status(side.Expect[r])
				if got[r] == want {
					if _, known := side.Known[r]; known {
						t.Errorf("%s agrees now (%s): remove it from known", r, want)
					}
					continue
				}
				if _, known := side.Known[r]; known {
					continue
				}
				t.Errorf("%s = %s, want %s\n\t%s", r, got[r], want, strings.Join(msgs[r], "\n\t"))
			}
		})
	}
}

// findings audits an in-memory document at corpusNow with options.
func findings(t *testing.T, doc string, opts checks.Options) map[string][]result.Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "md.xml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	env := newEnv(opts)
	env.Now = corpusNow
	got := map[string][]result.Finding{}
	for _, f := range Check(env, p) {
		got[f.Rule] = append(got[f.Rule], f)
	}
	return got
}

// shibV4 is the shape of a Shibboleth IdP v4 metadata file: no
// NameIDFormat, attributes not listed, an https entityID. idp holds extra
// IDPSSODescriptor content, entityID the identifier.
func shibV4(entityID, idp string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" entityID="` + entityID + `">
  <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
` + idp + `
    <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.ent-fictif.example/idp/profile/SAML2/Redirect/SSO"/>
  </IDPSSODescriptor>
</EntityDescriptor>
`
}

func statuses(fs []result.Finding) []result.Status {
	var out []result.Status
	for _, f := range fs {
		out = append(out, f.Status)
	}
	return out
}

// TestNameIDFormatAbsent: no NameIDFormat (Shibboleth IdP v3+) advertises
// nothing; it is a warning, not a majeur failure. A list without transient
// still fails.
func TestNameIDFormatAbsent(t *testing.T) {
	fs := findings(t, shibV4("https://idp.ent-fictif.example/idp/shibboleth", ""), checks.Options{})["SAML-010"]
	if len(fs) != 1 || fs[0].Status != result.Warn || !strings.Contains(fs[0].Message, "ne veut pas dire que transient est refusé") {
		t.Errorf("no NameIDFormat: %+v, want one warning", fs)
	}
	fs = findings(t, shibV4("https://idp.ent-fictif.example/idp/shibboleth",
		`<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</NameIDFormat>`), checks.Options{})["SAML-010"]
	if len(fs) != 1 || fs[0].Status != result.Fail {
		t.Errorf("persistent only: %+v, want one failure", fs)
	}
}

// TestHTTPEntityID: AD FS and Okta name themselves with an http URI; that
// is a valid identifier (warning), not a bloquant failure. A relative or
// malformed one still fails.
func TestHTTPEntityID(t *testing.T) {
	cases := []struct {
		id   string
		want result.Status
	}{
		{"http://adfs.ent-fictif.example/adfs/services/trust", result.Warn},
		{"http://www.okta.com/exkFICTIF0000000000", result.Warn},
		{"https://idp.ent-fictif.example/idp", result.Pass},
		{"urn:fictif:idp", result.Pass},
		{"http://", result.Fail},
		{"http://ent-fictif.example/idp#frag", result.Fail},
		{"idp-ent-fictif", result.Fail},
	}
	for _, c := range cases {
		fs := findings(t, shibV4(c.id, ""), checks.Options{})["SAML-003"]
		if got := statuses(fs); len(got) != 1 || got[0] != c.want {
			t.Errorf("entityID %q: SAML-003 %v, want [%s]", c.id, got, c.want)
		}
	}
}

// adfsClaims is the shape of AD FS's advertised claims: saml:Attribute
// with URI names and FriendlyNames, no idEnt.
func adfsClaims(n int) string {
	var b strings.Builder
	names := []string{"emailaddress", "givenname", "name", "upn", "surname", "role", "groupsid", "primarysid"}
	for i := 0; i < n; i++ {
		nm := names[i%len(names)]
		b.WriteString(`    <saml:Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/` + nm + strings.Repeat("x", i/len(names)) +
			`" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri" FriendlyName="Claim ` + nm + `"/>` + "\n")
	}
	return b.String()
}

// TestAdvertisedAttributes: attributes the metadata advertises say what the
// IdP supports for every SP, not what reaches the GAR. SAML-011 cannot
// infer "not released" (review) and SAML-012 groups the extra ones into
// one review finding that lists them, one evidence each; the dossier's own
// list (saml_attributes) still fails, in one finding too.
func TestAdvertisedAttributes(t *testing.T) {
	doc := shibV4("https://adfs.ent-fictif.example/adfs/services/trust",
		`<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>`+"\n"+adfsClaims(29))
	got := findings(t, doc, checks.Options{})
	if fs := got["SAML-011"]; len(fs) != 1 || fs[0].Status != result.Warn || !fs[0].Review ||
		!strings.Contains(fs[0].Message, "idEnt et GARPersonIdentifiant") {
		t.Errorf("SAML-011 = %+v, want one review naming both attributes", fs)
	}
	fs := got["SAML-012"]
	if len(fs) != 1 || fs[0].Status != result.Warn || !fs[0].Review {
		t.Fatalf("SAML-012 = %d findings %v, want one review", len(fs), statuses(fs))
	}
	if !strings.Contains(fs[0].Message, "29 attributs") || !strings.Contains(fs[0].Message, "Claim emailaddress") ||
		!strings.Contains(fs[0].Message, "et 17 autres") || len(fs[0].Evidence) != 29 {
		t.Errorf("SAML-012 message %q with %d evidences, want the count, names and one evidence per attribute", fs[0].Message, len(fs[0].Evidence))
	}
	got = findings(t, shibV4("https://idp.ent-fictif.example/idp", ""),
		checks.Options{ReleasedAttributes: []string{"mail", "sn", "givenName"}})
	if fs := got["SAML-011"]; len(fs) != 1 || fs[0].Status != result.Fail {
		t.Errorf("dossier list without the GAR attributes: SAML-011 %v, want one failure", statuses(fs))
	}
	if fs := got["SAML-012"]; len(fs) != 1 || fs[0].Status != result.Fail || !strings.Contains(fs[0].Message, "3 attributs") {
		t.Errorf("dossier list with 3 extra attributes: SAML-012 %+v, want one failure listing them", fs)
	}
}

// signedWith signs doc's root with key and cert as AD FS does (enveloped,
// exclusive c14n, RSA-SHA256, certificate in KeyInfo).
func signedWith(t *testing.T, doc string, key *rsa.PrivateKey, der []byte) string {
	t.Helper()
	d := etree.NewDocument()
	if err := d.ReadFromString(doc); err != nil {
		t.Fatal(err)
	}
	ctx, err := dsig.NewSigningContext(key, [][]byte{der})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
		t.Fatal(err)
	}
	sig, err := ctx.ConstructSignature(d.Root().Copy(), true)
	if err != nil {
		t.Fatal(err)
	}
	d.Root().InsertChildAt(0, sig)
	out, err := d.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSignatureExpiredCertificate: a signature that verifies with a key
// whose certificate has expired is cryptographically valid; SAML-006 says
// so and points at SAML-005, which fails the expiry. Tampering still fails.
func TestSignatureExpiredCertificate(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "ADFS Signing - adfs.ent-fictif.example"},
		NotBefore: time.Date(2014, 1, 30, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2015, 1, 30, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature, SignatureAlgorithm: x509.SHA256WithRSA}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd := `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(der) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>
<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>`
	doc := strings.Replace(shibV4("https://adfs.ent-fictif.example/adfs/services/trust", kd),
		`<EntityDescriptor `, `<EntityDescriptor ID="_fictif-46a4ff39" `, 1)
	signed := signedWith(t, doc, key, der)
	got := findings(t, signed, checks.Options{})
	fs := got["SAML-006"]
	if len(fs) != 1 || fs[0].Status != result.Pass || !strings.Contains(fs[0].Message, "Signature valide, certificat expiré le 2015-01-30 (voir SAML-005)") {
		t.Errorf("SAML-006 = %+v, want a pass saying the signature is valid and the certificate expired", fs)
	}
	if got := statuses(got["SAML-005"]); len(got) != 1 || got[0] != result.Fail {
		t.Errorf("SAML-005 = %v, want the expiry to fail", got)
	}
	tampered := strings.Replace(signed, "/idp/profile/SAML2/Redirect/SSO", "/attaquant/SSO", 1)
	if fs := findings(t, tampered, checks.Options{})["SAML-006"]; len(fs) != 1 || fs[0].Status != result.Fail {
		t.Errorf("tampered: SAML-006 = %v, want fail", statuses(fs))
	}
}

// TestSelfSignedSHA1: a self-signed certificate's own SHA-1 signature
// proves nothing in metadata (the key is trusted as published): no
// failure. A CA-issued SHA-1 certificate still fails.
func TestSelfSignedSHA1(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "idp.ent-fictif.example"},
		NotBefore: time.Date(2019, 6, 25, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2029, 6, 25, 0, 0, 0, 0, time.UTC),
		SignatureAlgorithm: x509.SHA1WithRSA}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd := `<KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + base64.StdEncoding.EncodeToString(der) +
		`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`
	fs := findings(t, shibV4("https://idp.ent-fictif.example/idp/shibboleth", kd), checks.Options{})["SAML-005"]
	if got := statuses(fs); len(got) != 1 || got[0] != result.Pass {
		t.Errorf("self-signed SHA-1: SAML-005 %+v, want pass", fs)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(10), Subject: pkix.Name{CommonName: "AC Fictive"},
		NotBefore: tmpl.NotBefore, NotAfter: tmpl.NotAfter, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	leaf := *tmpl
	leaf.SerialNumber = big.NewInt(11)
	leafDER, err := x509.CreateCertificate(rand.Reader, &leaf, ca, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kd = strings.Replace(kd, base64.StdEncoding.EncodeToString(der), base64.StdEncoding.EncodeToString(leafDER), 1)
	fs = findings(t, shibV4("https://idp.ent-fictif.example/idp/shibboleth", kd), checks.Options{})["SAML-005"]
	if got := statuses(fs); len(got) != 1 || got[0] != result.Fail {
		t.Errorf("CA-issued SHA-1: SAML-005 %v, want fail", got)
	}
}

// TestTextReadAsConsumer: every text the checks read is the text a SAML
// consumer reads (all character data, comments and processing instructions
// left out), not etree's Text, which stops at the first child token.
func TestTextReadAsConsumer(t *testing.T) {
	idEnt := func(value string) string {
		return shibV4("https://idp.ent-fictif.example/idp",
			`<saml:Attribute Name="idEnt" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue>`+value+`</saml:AttributeValue></saml:Attribute>`)
	}
	cases := []struct {
		value string
		want  result.Status
	}{
		{"ENTFICTIF1", result.Pass},
		{"ENTFICTIF1<?pi x?>-EVIL", result.Fail},
		{"ENTFICTIF1<!-- x -->-EVIL", result.Fail},
		{"ENTFICTIF1<![CDATA[-EVIL]]>", result.Fail},
		{"ENT<!---->FICTIF1", result.Warn},
		{"ENT<?pi?>FICTIF1", result.Warn},
	}
	for _, c := range cases {
		fs := findings(t, idEnt(c.value), checks.Options{IDEnt: "ENTFICTIF1"})["SAML-013"]
		if got := statuses(fs); len(got) != 1 || got[0] != c.want {
			t.Errorf("idEnt %q: SAML-013 %+v, want %s", c.value, fs, c.want)
		}
	}
	// A NameIDFormat split by a comment is transient to a consumer.
	fs := findings(t, shibV4("https://idp.ent-fictif.example/idp",
		`<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:<!-- généré -->transient</NameIDFormat>`), checks.Options{})["SAML-010"]
	if got := statuses(fs); len(got) != 1 || got[0] != result.Pass {
		t.Errorf("split NameIDFormat: SAML-010 %+v, want pass", fs)
	}
	// A certificate whose base64 a comment splits is read whole.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(12), Subject: pkix.Name{CommonName: "idp.ent-fictif.example"},
		NotBefore: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString(der)
	kd := `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + b64[:64] + "<!-- coupure -->\n" + b64[64:] +
		`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`
	fs = findings(t, shibV4("https://idp.ent-fictif.example/idp", kd), checks.Options{})["SAML-005"]
	if got := statuses(fs); len(got) != 1 || got[0] != result.Pass {
		t.Errorf("certificate split by a comment: SAML-005 %+v, want pass", fs)
	}
}

// TestEndpointProblemsGrouped: endpoints with the same problem (a
// development IdP publishing every endpoint in http, Keycloak's one
// Location under several bindings) make one finding that counts and lists
// them, one evidence each, not one finding per endpoint.
func TestEndpointProblemsGrouped(t *testing.T) {
	eps := ""
	for _, b := range []string{"HTTP-POST", "HTTP-Redirect", "SOAP"} {
		eps += `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:` + b + `" Location="http://localhost:8080/realms/fictif/protocol/saml"/>` + "\n"
	}
	doc := strings.Replace(shibV4("https://idp.ent-fictif.example/idp", eps),
		`<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.ent-fictif.example/idp/profile/SAML2/Redirect/SSO"/>`, "", 1)
	fs := findings(t, doc, checks.Options{})["SAML-004"]
	if len(fs) != 2 {
		t.Fatalf("SAML-004 = %d findings %v, want the grouped endpoints and « aucun utilisable »", len(fs), statuses(fs))
	}
	if !strings.HasPrefix(fs[0].Message, "3 <SingleSignOnService> : même adresse (Location) \"http://localhost:8080/realms/fictif/protocol/saml\", refusée (pas en https)") || len(fs[0].Evidence) != 3 {
		t.Errorf("grouped finding %q with %d evidences", fs[0].Message, len(fs[0].Evidence))
	}
}
