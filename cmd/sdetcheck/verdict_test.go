package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/testtool"
	"github.com/sdetcheck/sdetcheck/report"
)

// Each sample dossier gives the verdict and exit code
// fixtures/dossiers/verdicts.yaml says, the same in every format, and the
// JSON validates against the contract: a missing piece,
// every piece missing under a délai, a bloquant rule only à vérifier are
// incomplet (4); a failure under a dérogation is conforme sous dérogation
// (0).
func TestVerdictEveryFormat(t *testing.T) {
	sch, err := jsonschema.NewCompiler().Compile("../../internal/result/result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range checkstest.DossierVerdicts(t) {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			_, stderr, code := runCLI(t, "audit", filepath.Join(repoRoot, c.Path()),
				"--format", "json,text,pdf,html,sarif,junit,md", "--out-dir", dir, "--now", testNow)
			if code != c.Exit {
				t.Errorf("exit %d, want %d: %s", code, c.Exit, stderr)
			}
			read := func(name string) string {
				data, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return string(data)
			}
			js := read("sdetcheck.json")
			doc, err := jsonschema.UnmarshalJSON(strings.NewReader(js))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(doc); err != nil {
				t.Errorf("JSON does not validate: %v", err)
			}
			var res result.Result
			if err := json.Unmarshal([]byte(js), &res); err != nil {
				t.Fatal(err)
			}
			if res.Verdict != c.Verdict {
				t.Fatalf("JSON verdict %s, want %s", res.Verdict, c.Verdict)
			}
			label := report.VerdictLabel(c.Verdict, "fr")
			why := report.WhyText(&res, "fr")
			if s := read("sdetcheck.txt"); !strings.Contains(s, "Verdict : "+label+"\n") || !strings.Contains(s, why) {
				t.Errorf("text lacks the verdict or why:\n%s", s)
			}
			if s := read("sdetcheck.html"); !strings.Contains(s, `class="verdict `+string(c.Verdict)+`">Avis : `+label) {
				t.Errorf("HTML lacks the verdict")
			}
			if s := read("sdetcheck.sarif"); !strings.Contains(s, `"verdict": "`+string(c.Verdict)+`"`) {
				t.Errorf("SARIF lacks the verdict")
			}
			if s := read("sdetcheck.junit.xml"); !strings.Contains(s, `name="sdetcheck — verdict : `+label+`"`) {
				t.Errorf("JUnit lacks the verdict")
			}
			if s := read("sdetcheck.md"); !strings.Contains(s, "**Verdict : "+label+"**") {
				t.Errorf("Markdown lacks the verdict")
			}
			if !testtool.Poppler(t, "pdftotext") {
				return
			}
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(dir, "sdetcheck.pdf"), "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			first := strings.Join(strings.Fields(strings.SplitN(string(out), "\f", 2)[0]), " ")
			for _, w := range []string{"Avis : " + label, why, "Bilan par règle : " + report.RuleCountsText(&res, "fr"), report.CoverageText(&res, "fr")} {
				if !strings.Contains(first, w) {
					t.Errorf("PDF page 1 lacks %q", w)
				}
			}
			if c.Name == "derogation-valide" && !strings.Contains(first, "Délai accordé par DSDEN Fictive, service numérique éducatif jusqu'au 31 décembre 2099") {
				t.Errorf("PDF page 1 does not say the délai granted, by whom, until when:\n%s", first)
			}
			all := strings.Join(strings.Fields(string(out)), " ")
			for _, sec := range []string{"1. Identification", "2. Méthode et limites", "3. Résultats par domaine", "4. Annexes", "5. Visas"} {
				if !strings.Contains(all, sec) {
					t.Errorf("PDF lacks section %q", sec)
				}
			}
			if c.Name == "conforme" && !strings.Contains(all, "Étendue : 65 personnes présentes dans l'AAF et le flux comparées") {
				t.Errorf("PDF method does not say how many people the mapping check compared")
			}
			if c.Name == "conforme" {
				for _, w := range []string{"Adresse de l'ENT https://ent.fictif.example", "Convention avec la DSDEN Convention ENT n° 2026-012", "Audit réalisé par Service du numérique éducatif",
					// the method says how many schools and people the GAR export covers
					"Étendue : les 5 fichiers (1 établissement, 60 élèves, 5 personnels, 1 responsable) sont valides"} {
					if !strings.Contains(all, w) {
						t.Errorf("PDF identification lacks %q", w)
					}
				}
			}
			if strings.Contains(c.Name, "conforme") || c.Name == "sous-derogation" {
				// The art. 13/14 checklist quotes the sentence that gives each item.
				if !strings.Contains(all, "« Un accord entre les responsables conjoints définit leurs obligations respectives. »") {
					t.Errorf("PDF checklist does not quote the sentence of the accord-conjoint item")
				}
			}
			if c.Name == "sous-derogation" && !strings.Contains(first, "Dérogation à PAGE-005 accordée par") {
				t.Errorf("PDF page 1 does not list the dérogation in force")
			}
		})
	}
}
