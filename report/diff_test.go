package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

func f(rule string, st result.Status, src string) result.Finding {
	return result.Finding{Rule: rule, Status: st, Severity: result.Majeur, Message: rule + " " + string(st),
		Evidence: []result.Evidence{{Source: src, Line: 3}}}
}

func TestCompare(t *testing.T) {
	old := &result.Result{Results: []result.Finding{
		f("A-001", result.Fail, "a.xml"), // fixed (now pass)
		f("B-001", result.Warn, "b.xml"), // fixed (absent)
		f("C-001", result.Pass, "c.xml"), // regressed
		f("D-001", result.Fail, "d.xml"), // still failing
		f("F-001", result.Fail, "f.xml"), // waived now: fixed
	}}
	waived := f("F-001", result.Fail, "f.xml")
	waived.Waiver = &result.Waiver{Rule: "F-001", Justification: "x", GrantedBy: "y", Expires: "2099-01-01"}
	newer := &result.Result{Results: []result.Finding{
		f("A-001", result.Pass, "a.xml"),
		f("C-001", result.Fail, "c.xml"),
		f("D-001", result.Fail, "d.xml"),
		f("E-001", result.Warn, "e.xml"), // new
		f("G-001", result.Pass, "g.xml"), // new but passing: not listed
		waived,
	}}
	old.Finalize()
	newer.Finalize()
	d := Compare(old, newer)
	names := func(items []DiffItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Rule+":"+string(it.Old)+">"+string(it.New))
		}
		return out
	}
	got := [][]string{names(d.Fixed), names(d.Regressed), names(d.New), names(d.StillFailing)}
	want := [][]string{{"A-001:fail>pass", "B-001:warn>", "F-001:fail>"}, {"C-001:pass>fail"}, {"E-001:>warn"}, {"D-001:fail>fail"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if !d.Failing() {
		t.Errorf("a regression must fail")
	}
	if Compare(newer, newer).Failing() {
		t.Errorf("identical results must not fail")
	}
	onlyNewWarn := Compare(&result.Result{}, &result.Result{Results: []result.Finding{f("E-001", result.Warn, "e.xml")}})
	if onlyNewWarn.Failing() {
		t.Errorf("a new warning alone must not fail")
	}
	var b bytes.Buffer
	if err := WriteDiff(&b, d, "md", "fr"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"### Régressions (1)", "**C-001** (majeur, conforme → échec)", "### Corrigés (3)", "`c.xml:3`"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("md diff lacks %q:\n%s", s, b.String())
		}
	}
}

// diff knows the new statuses and verdict: a rule not evaluated (its piece
// missing) that is now examined and passes is fixed; a pass that is now
// not evaluated is a regression; what only an audit en ligne can judge is
// no problem; the verdicts are named in words.
func TestCompareNotEvaluated(t *testing.T) {
	live := f("L-001", result.NotEvaluated, "p.html")
	live.LiveOnly = true
	old := &result.Result{Results: []result.Finding{f("A-001", result.NotEvaluated, "x"), f("B-001", result.Pass, "b.xml"), live}}
	waived := f("C-001", result.Fail, "c.xml")
	waived.Waiver = &result.Waiver{Rule: "C-001", Justification: "x", GrantedBy: "y", Expires: "2099-01-01"}
	newer := &result.Result{Results: []result.Finding{f("A-001", result.Pass, "x"), f("B-001", result.NotEvaluated, "b.xml"), live, waived}}
	old.Finalize()
	newer.Finalize()
	if old.Verdict != result.Incomplet || newer.Verdict != result.Incomplet {
		t.Fatalf("verdicts %s, %s", old.Verdict, newer.Verdict)
	}
	d := Compare(old, newer)
	if len(d.Fixed) != 1 || d.Fixed[0].Rule != "A-001" || len(d.Regressed) != 1 || d.Regressed[0].Rule != "B-001" || len(d.New) != 0 {
		t.Errorf("diff %+v", d)
	}
	var b bytes.Buffer
	if err := WriteDiff(&b, d, "text", "fr"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "INCOMPLET → INCOMPLET") || !strings.Contains(b.String(), "B-001 [majeur] conforme → non évaluée") {
		t.Errorf("text diff:\n%s", b.String())
	}
	newer.Results = newer.Results[:0]
	newer.Results = append(newer.Results, waived)
	newer.Finalize()
	if got := Compare(old, newer).NewVerdict; got != result.ConformeSousDerogation {
		t.Errorf("new verdict %s", got)
	}
	b.Reset()
	WriteDiff(&b, Compare(old, newer), "text", "fr")
	if !strings.Contains(b.String(), "INCOMPLET → CONFORME SOUS DÉROGATION") {
		t.Errorf("text diff:\n%s", b.String())
	}
}
