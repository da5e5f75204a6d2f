package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestMinimalResult renders a result with no subject, no inputs and no
// findings (as `check` on an empty area could give) in every format.
func TestMinimalResult(t *testing.T) {
	r := &result.Result{Tool: result.Tool{Name: "sdetcheck", Version: "0.1.0"}}
	r.Finalize(rules.Traits)
	for _, f := range FormatNames() {
		for _, lang := range []string{"fr", "en"} {
			out := render(t, f, r, Options{Lang: lang})
			if len(out) == 0 {
				t.Errorf("%s/%s: empty output", f, lang)
			}
		}
	}
}

func TestJUnitWellFormed(t *testing.T) {
	out := render(t, "junit", fixture(t), opts("fr"))
	var doc junitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprintf("tests=%d failures=%d errors=%d skipped=%d suites=%d", doc.Tests, doc.Failures, doc.Errors, doc.Skipped, len(doc.Suites))
	// 12 findings; SAML-001 and MAP-001 fail; GAR-002 errors; GAR-001
	// (waived) and PAGE-001 (skip) are skipped; 6 areas.
	if want := "tests=12 failures=2 errors=1 skipped=2 suites=6"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
	}
}

// TestPDFFirstPageHoldsAsks: with many failing rules the list shrinks so
// that the verdict and every ask stay on the first page.
func TestPDFFirstPageHoldsAsks(t *testing.T) {
	r := &result.Result{Tool: result.Tool{Name: "sdetcheck", Version: "0.1.0"},
		Subject: &result.Subject{ENT: "ENT Fictif", Collectivite: "Commune Fictive", Degree: "1D", SDET: "7.0"}}
	cat := map[string]*rules.Rule{}
	for i := 1; i <= 18; i++ {
		id := fmt.Sprintf("GAR-%03d", i)
		cat[id] = &rules.Rule{ID: id, Title: rules.Text{FR: "Une règle d'alimentation GAR assez longue pour tenir une ligne"},
			Remediation: rules.Text{FR: strings.Repeat("Corriger l'export d'alimentation et le renvoyer à la collectivité. ", 2)}}
		r.Results = append(r.Results, result.Finding{Rule: id, Status: result.Fail, Severity: result.Majeur, Area: "gar", Message: "écart"})
	}
	r.Finalize(rules.Traits)
	o := Options{Lang: "fr", Lookup: func(id string) (*rules.Rule, bool) { c, ok := cat[id]; return c, ok }}
	pdf := render(t, "pdf", r, o)
	if dir := os.Getenv("PDF_OUT"); dir != "" {
		os.WriteFile(dir+"/many.pdf", pdf, 0o644)
	}
	text := string(pdfText(t, pdf))
	first := strings.SplitN(text, "\f", 2)[0]
	for id := range cat {
		if !strings.Contains(first, id+" — ") {
			t.Errorf("%s not on the first page", id)
		}
	}
	if !strings.Contains(first, "NON CONFORME") {
		t.Errorf("verdict not on the first page")
	}
}

// TestOddText: glyphs the font lacks, control characters, a very long
// unbroken token and invalid UTF-8 in evidence render in every format
// without error.
func TestOddText(t *testing.T) {
	r := &result.Result{Tool: result.Tool{Name: "sdetcheck", Version: "0.1.0"}, Results: []result.Finding{{
		Rule: "GAR-001", Status: result.Fail, Severity: result.Majeur, Area: "gar",
		Message:  "émoji 🎓 中文 \x07 \xff\xfe",
		Evidence: []result.Evidence{{Source: "gar/é x.xml", Line: 1, Excerpt: strings.Repeat("A", 3000) + " \t\r\n <x/> \u202e"}},
	}}}
	r.Finalize(rules.Traits)
	for _, f := range FormatNames() {
		out := render(t, f, r, Options{})
		if f == "junit" {
			if err := xml.Unmarshal(out, &junitSuites{}); err != nil {
				t.Errorf("junit: %v", err)
			}
		}
	}
}
