package saml

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func newEnv(opts checks.Options) *checks.Env {
	return &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: testNow, Opts: opts}
}

// TestEveryRuleReported: whatever the document, every SAML rule gets a
// finding.
func TestEveryRuleReported(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/saml/*/*.xml")
	files = append(files, "../../fixtures/saml/absent.xml")
	if len(files) < 20 {
		t.Fatalf("only %d fixtures found", len(files))
	}
	for _, f := range files {
		fs := Check(newEnv(checks.Options{IDEnt: "ENTFICTIF1"}), f)
		if m := checks.Missing(rules.AreaSAML, fs); len(m) > 0 {
			t.Errorf("%s: no finding for %v", f, m)
		}
	}
}

// TestGoodMetadataPasses: the good fixture passes every rule, and the
// dossier's copy is the same document.
func TestGoodMetadataPasses(t *testing.T) {
	good := "../../fixtures/saml/good/idp-metadata.xml"
	fs := Check(newEnv(checks.Options{IDEnt: "ENTFICTIF1"}), good)
	got := map[string]result.Status{}
	for _, f := range fs {
		if f.Status != result.Pass {
			got[f.Rule] = f.Status
		}
	}
	if d := cmp.Diff(map[string]result.Status{}, got); d != "" {
		t.Errorf("non-passing findings (-want +got):\n%s", d)
	}
	a, _ := os.ReadFile(good)
	b, _ := os.ReadFile("../../fixtures/dossiers/conforme/saml/idp-metadata.xml")
	if string(a) != string(b) {
		t.Error("fixtures/dossiers/conforme/saml/idp-metadata.xml differs from the good fixture: run go generate ./fixtures/saml/gen")
	}
}

// TestMissingFileIsNotEvaluated: a file that cannot be read is an error
// for every rule, SAML-001 included (nothing was read to judge).
func TestMissingFileIsNotEvaluated(t *testing.T) {
	fs := Check(newEnv(checks.Options{}), "../../fixtures/saml/absent.xml")
	for _, f := range fs {
		if f.Status != result.Error {
			t.Errorf("%s: %s, want error", f.Rule, f.Status)
		}
	}
}

// TestSchemaViolationLine: schema violations carry the line of the
// offending element.
func TestSchemaViolationLine(t *testing.T) {
	fs := Check(newEnv(checks.Options{}), "../../fixtures/saml/bad/schema-invalid.xml")
	var got []result.Evidence
	for _, f := range fs {
		if f.Rule == "SAML-002" && f.Status == result.Fail {
			got = append(got, f.Evidence...)
		}
	}
	data, _ := os.ReadFile("../../fixtures/saml/bad/schema-invalid.xml")
	line := 1 + strings.Count(string(data[:strings.Index(string(data), "<md:ServiceInconnu")]), "\n")
	if len(got) != 1 || got[0].Line != line {
		t.Errorf("SAML-002 evidence %+v, want one at line %d", got, line)
	}
}

func TestElementLines(t *testing.T) {
	doc := "<?xml version=\"1.0\"?>\n<!-- c -->\n<a>\n  <b/><c>\n\n    <d x=\"1\"\n       y=\"2\"/>\n  </c>\n</a>\n"
	md, err := parse("t.xml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for e, l := range md.Lines {
		got[e.Tag] = l
	}
	want := map[string]int{"a": 3, "b": 4, "c": 4, "d": 6}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("lines (-want +got):\n%s", d)
	}
}

func TestParseDuration(t *testing.T) {
	cases := map[string]struct {
		d  time.Duration
		ok bool
	}{
		"PT24H":    {24 * time.Hour, true},
		"P7D":      {7 * 24 * time.Hour, true},
		"P1DT1.5S": {24*time.Hour + 1500*time.Millisecond, true},
		"-PT1H":    {-time.Hour, true},
		"P1M":      {30 * 24 * time.Hour, true},
		"PT":       {0, false},
		"P":        {0, false},
		"24h":      {0, false},
		"P1H":      {0, false},
		"":         {0, false},
	}
	for in, want := range cases {
		d, ok := parseDuration(in)
		if d != want.d || ok != want.ok {
			t.Errorf("parseDuration(%q) = %v, %v; want %v, %v", in, d, ok, want.d, want.ok)
		}
	}
}

func TestEntityIDProblem(t *testing.T) {
	cases := map[string]string{
		"https://ent.fictif.example/idp":       "",
		"urn:fictif:ent:idp":                   "",
		"":                                     "empty",
		"http://ent.fictif.example/idp":        "not an https URL nor a URN",
		"ent.fictif.example":                   "not an https URL nor a URN",
		"https:///idp":                         "URL without host",
		"https://u:p@ent.fictif.example/idp":   "URL with a fragment or credentials",
		"https://" + strings.Repeat("a", 1030): "longer than 1024 characters",
	}
	for in, want := range cases {
		if got := entityIDProblem(in); got != want {
			t.Errorf("entityIDProblem(%.40q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocationProblem(t *testing.T) {
	cases := map[string]string{
		"https://ent.fictif.example/sso":   "",
		"http://ent.fictif.example/sso":    "not https",
		"https://ent.fictif.example/a b":   "malformed URL",
		"":                                 "empty",
		"https:///sso":                     "no host",
		"https://localhost/sso":            "loopback or local host",
		"https://u@ent.fictif.example/sso": "credentials in URL",
		"://x":                             "malformed URL",
	}
	for in, want := range cases {
		if got := locationProblem(in); got != want {
			t.Errorf("locationProblem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCertificateExpiry checks the expiry boundaries against env.Now.
func TestCertificateExpiry(t *testing.T) {
	cases := []struct {
		file string
		now  time.Time
		want result.Status
	}{
		{"cert-expiring.xml", testNow, result.Warn},
		{"cert-expiring.xml", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), result.Pass},
		{"cert-expiring.xml", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), result.Fail},
		{"cert-expired.xml", time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), result.Fail}, // not yet valid
	}
	for _, c := range cases {
		env := newEnv(checks.Options{})
		env.Now = c.now
		var got []result.Status
		for _, f := range Check(env, "../../fixtures/saml/bad/"+c.file) {
			if f.Rule == "SAML-005" {
				got = append(got, f.Status)
			}
		}
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%s at %s: SAML-005 %v, want [%s]", c.file, c.now.Format("2006-01-02"), got, c.want)
		}
	}
}

// TestAttributesFromManifestOnly: with no saml:Attribute in the metadata,
// the manifest's list is used; with neither, SAML-011 asks for review.
func TestAttributesFromManifestOnly(t *testing.T) {
	md, err := parse("m.xml", []byte(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:fictif:idp"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`))
	if err != nil {
		t.Fatal(err)
	}
	status := func(fs []result.Finding) []result.Status {
		var out []result.Status
		for _, f := range fs {
			out = append(out, f.Status)
		}
		return out
	}
	env := newEnv(checks.Options{})
	if got := checkAttributes(env, md); len(got) != 1 || got[0].Status != result.Warn || !got[0].Review {
		t.Errorf("no declaration: %+v, want one review warning", got)
	}
	if got := status(checkMinimal(env, md)); !cmp.Equal(got, []result.Status{result.Skip}) {
		t.Errorf("no declaration: minimisation %v, want skip", got)
	}
	env.Opts.ReleasedAttributes = []string{"idEnt", "GARPersonIdentifiant"}
	if got := status(checkAttributes(env, md)); !cmp.Equal(got, []result.Status{result.Pass}) {
		t.Errorf("manifest: %v, want pass", got)
	}
	env.Opts.ReleasedAttributes = []string{"IDENT"}
	got := checkAttributes(env, md)
	if len(got) != 1 || got[0].Status != result.Fail || !strings.Contains(got[0].MessageEN, "case matters") ||
		!strings.Contains(got[0].Message, "idEnt et GARPersonIdentifiant") {
		t.Errorf("case-mismatched manifest: %+v, want one failure naming both attributes with a case hint", got)
	}
}
