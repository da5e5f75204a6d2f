package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSARIFValid(t *testing.T) {
	schema := sarifSchema(t)
	for _, lang := range []string{"fr", "en"} {
		out := render(t, "sarif", fixture(t), opts(lang))
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF invalid against the 2.1.0 schema: %v", lang, err)
		}
	}
}

type sarifLog struct {
	Runs []struct {
		Results []struct {
			RuleID              string            `json:"ruleId"`
			Level               string            `json:"level"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Locations           []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }     `json:"artifactLocation"`
					Region           *struct{ StartLine int } `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			Suppressions []struct{ Kind, Justification string } `json:"suppressions"`
		} `json:"results"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level string `json:"level"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
	} `json:"runs"`
}

func TestSARIFContent(t *testing.T) {
	var fr, en sarifLog
	if err := json.Unmarshal(render(t, "sarif", fixture(t), opts("fr")), &fr); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(render(t, "sarif", fixture(t), opts("en")), &en); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Rule, Level, URI string
		Line             int
		Suppressed       bool
	}
	var got []row
	for i, r := range fr.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		line := 0
		if loc.Region != nil {
			line = loc.Region.StartLine
		}
		got = append(got, row{r.RuleID, r.Level, loc.ArtifactLocation.URI, line, len(r.Suppressions) > 0})
		if len(r.Suppressions) > 0 && (r.Suppressions[0].Kind != "external" || r.Suppressions[0].Justification == "") {
			t.Errorf("%s: suppression %+v", r.RuleID, r.Suppressions[0])
		}
		// Fingerprints do not depend on the language.
		if diff := cmp.Diff(r.PartialFingerprints, en.Runs[0].Results[i].PartialFingerprints); diff != "" || len(r.PartialFingerprints) == 0 {
			t.Errorf("%s: fingerprints differ between languages or are missing: %s", r.RuleID, diff)
		}
	}
	want := []row{
		{"DOSSIER-003", "warning", "dossier/derogations.yaml", 9, false},
		{"GAR-001", "error", "dossier/gar/ENTFICTIF1_GAR-ENT_Complet_20261120_Eleve_0000.xml", 48, true},
		{"MAP-001", "error", "dossier/mapping.yaml", 7, false},
		{"NOTICE-001", "warning", "https://ent.example.test/mentions", 88, false},
		{"SAML-001", "error", "dossier/saml/idp-metadata.xml", 12, false},
		{"SAML-003", "warning", "dossier/saml/idp-metadata.xml", 31, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	inv := fr.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.Notifications) != 1 || inv.Notifications[0].Level != "error" {
		t.Errorf("evaluation error not reported as a tool notification: %+v", inv)
	}
}

// TestFixtureIsAResult keeps the report fixture honest: it validates
// against the result schema, as it is after Finalize.
func TestFixtureIsAResult(t *testing.T) {
	f, err := os.Open("../internal/result/result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("result.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	out := render(t, "json", fixture(t), opts("fr"))
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("fixture is not a valid result: %v", err)
	}
}

func TestSARIFURI(t *testing.T) {
	root := filepath.Join(string(filepath.Separator), "depot")
	for src, want := range map[string]string{
		"saml/idp.xml":                      "dossier/saml/idp.xml",
		"pages/Mentions légales.html":       "dossier/pages/Mentions%20l%C3%A9gales.html",
		"https://ent.example.test/mentions": "https://ent.example.test/mentions",
		"../x.xml":                          "x.xml",
		"../../x.xml":                       "x.xml",
		filepath.Join(root, "conformite", "gar", "a.xml"): "conformite/gar/a.xml",
	} {
		got, rel := sarifURI(src, Options{SourceRoot: "dossier", RepoRoot: root})
		if got != want {
			t.Errorf("sarifURI(%q) = %q, want %q", src, got, want)
		}
		if rel == strings.HasPrefix(src, "https://") {
			t.Errorf("sarifURI(%q): relative %v", src, rel)
		}
	}
}

// Code scanning shows a severity for each rule (GitHub reads the
// security-severity of rules tagged "security") and resolves every file
// from the repository's root (uriBaseId %SRCROOT%).
func TestSARIFForCodeScanning(t *testing.T) {
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string `json:"id"`
						Properties struct {
							Severity         string   `json:"severity"`
							SecuritySeverity string   `json:"security-severity"`
							Tags             []string `json:"tags"`
						} `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", fixture(t), opts("fr")), &log); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"bloquant": "9.0", "majeur": "7.0", "mineur": "4.0", "info": "1.0"}
	rules := log.Runs[0].Tool.Driver.Rules
	if len(rules) == 0 {
		t.Fatal("no rule")
	}
	for _, r := range rules {
		p := r.Properties
		if p.SecuritySeverity != want[p.Severity] {
			t.Errorf("%s (%s): security-severity %q, want %q", r.ID, p.Severity, p.SecuritySeverity, want[p.Severity])
		}
		if !slices.Contains(p.Tags, "security") || len(p.Tags) < 3 {
			t.Errorf("%s: tags %v", r.ID, p.Tags)
		}
	}
	n := 0
	for _, res := range log.Runs[0].Results {
		for _, l := range res.Locations {
			a := l.PhysicalLocation.ArtifactLocation
			n++
			if strings.HasPrefix(a.URI, "https://") != (a.URIBaseID == "") || (a.URIBaseID != "" && a.URIBaseID != SRCROOT) {
				t.Errorf("%s: uriBaseId %q", a.URI, a.URIBaseID)
			}
		}
	}
	if n < 3 {
		t.Errorf("only %d locations", n)
	}
}
