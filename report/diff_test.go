package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
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
	old.Finalize(rules.Traits)
	newer.Finalize(rules.Traits)
	d := Compare(old, newer)
	names := func(items []DiffItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.Rule+":"+string(it.Old)+">"+string(it.New))
		}
		return out
	}
	got := [][]string{names(d.Fixed), names(d.Regressed), names(d.New), names(d.StillFailing)}
	// B-001 is gone with its rule: not examined any more, not fixed.
	if n := names(d.NotExamined); len(n) != 1 || n[0] != "B-001:warn>" {
		t.Errorf("not examined: %v", n)
	}
	if !d.Fixed[1].NewWaived {
		t.Errorf("F-001 is waived now: %+v", d.Fixed[1])
	}
	want := [][]string{{"A-001:fail>pass", "F-001:fail>fail"}, {"C-001:pass>fail"}, {"E-001:>warn"}, {"D-001:fail>fail"}}
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
	for _, s := range []string{"### Régressions (1)", "**C-001** (majeur, conforme → échec)", "### Corrigés (2)", "`c.xml:3`", "(majeur, échec → sous dérogation)", "### Plus examinés (ni corrigés ni en échec) (1)", "(majeur, alerte → non examinée)"} {
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
	old.Finalize(rules.Traits)
	newer.Finalize(rules.Traits)
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
	if !strings.Contains(b.String(), "INCOMPLET → INCOMPLET") || !strings.Contains(b.String(), "B-001 [majeur] conforme → non évaluée :") {
		t.Errorf("text diff:\n%s", b.String())
	}
	newer.Results = newer.Results[:0]
	newer.Results = append(newer.Results, waived)
	newer.Finalize(rules.Traits)
	if got := Compare(old, newer).NewVerdict; got != result.ConformeSousDerogation {
		t.Errorf("new verdict %s", got)
	}
	b.Reset()
	WriteDiff(&b, Compare(old, newer), "text", "fr")
	if !strings.Contains(b.String(), "INCOMPLET → CONFORME SOUS DÉROGATION") {
		t.Errorf("text diff:\n%s", b.String())
	}
}

// gar15 is a GAR-015 failure in one file of the feed.
func gar15(file string, line int, msg, msgEN string) result.Finding {
	return result.Finding{Rule: "GAR-015", Status: result.Fail, Severity: result.Bloquant, Area: "gar", Message: msg, MessageEN: msgEN,
		Evidence: []result.Evidence{{Source: file, Line: line}}}
}

// TestCompareFindingsNotRules: two different failures of one rule in one
// file are two entries, each with its message; a failure that moved (its
// line, the export's timestamp in the file name, a count in the message)
// is the same finding; a fix reads "échec → conforme" in text and
// Markdown and "new": "pass" in JSON, never "absent".
func TestCompareFindingsNotRules(t *testing.T) {
	const oldFile = "gar/ENTFICTIF1_GAR-ENT_Complet_20261122_010203_2D_Enseignant_0000.xml"
	const newFile = "gar/ENTFICTIF1_GAR-ENT_Complet_20261129_010203_2D_Enseignant_0000.xml"
	mail := func(file string, line, n int) result.Finding {
		return gar15(file, line, fmt.Sprintf("Courriel d'enseignant transmis au GAR (%d personnes).", n), fmt.Sprintf("Teacher e-mail sent to the GAR (%d people).", n))
	}
	birth := func(file string, line int) result.Finding {
		return gar15(file, line, "Date de naissance d'enseignant transmise au GAR.", "Teacher birth date sent to the GAR.")
	}
	phone := func(file string, line int) result.Finding {
		return gar15(file, line, "Téléphone d'enseignant transmis au GAR.", "Teacher phone number sent to the GAR.")
	}
	old := &result.Result{Results: []result.Finding{mail(oldFile, 10, 3), birth(oldFile, 20)}}
	// Next export: the e-mail is still sent (to 4 people, lines moved), the
	// birth date is no longer sent, a phone number now is.
	newer := &result.Result{Results: []result.Finding{mail(newFile, 12, 4), phone(newFile, 30)}}
	old.Finalize(rules.Traits)
	newer.Finalize(rules.Traits)
	d := Compare(old, newer)
	msgs := func(items []DiffItem) []string {
		var out []string
		for _, it := range items {
			out = append(out, string(it.Old)+">"+string(it.New)+" "+it.MessageEN)
		}
		return out
	}
	got := map[string][]string{"fixed": msgs(d.Fixed), "regressed": msgs(d.Regressed), "new": msgs(d.New), "still": msgs(d.StillFailing), "not examined": msgs(d.NotExamined)}
	want := map[string][]string{
		"fixed":        {"fail>pass Teacher birth date sent to the GAR."},
		"regressed":    nil,
		"new":          {">fail Teacher phone number sent to the GAR."},
		"still":        {"fail>fail Teacher e-mail sent to the GAR (4 people)."},
		"not examined": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if !d.Failing() {
		t.Errorf("a new failure must fail the diff")
	}

	// Two failures of the rule in one file, both fixed: two entries, each
	// message shown, both "échec → conforme" now that the rule passes.
	pass := result.Finding{Rule: "GAR-015", Status: result.Pass, Severity: result.Bloquant, Message: "Aucune donnée superflue.", MessageEN: "No superfluous data."}
	fixed := &result.Result{Results: []result.Finding{pass}}
	fixed.Finalize(rules.Traits)
	d = Compare(old, fixed)
	if len(d.Fixed) != 2 || len(d.StillFailing)+len(d.New)+len(d.NotExamined) != 0 {
		t.Fatalf("diff %+v", d)
	}
	for _, lang := range []string{"fr", "en"} {
		for _, format := range []string{"text", "md"} {
			var b bytes.Buffer
			if err := WriteDiff(&b, d, format, lang); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			change := pick(lang, "échec → conforme", "fail → pass")
			if n := strings.Count(out, change); n != 2 {
				t.Errorf("%s %s: %q %d times, want 2:\n%s", format, lang, change, n, out)
			}
			for _, m := range []string{pick(lang, "Courriel d'enseignant transmis au GAR (3 personnes).", "Teacher e-mail sent to the GAR (3 people)."), pick(lang, "Date de naissance d'enseignant transmise au GAR.", "Teacher birth date sent to the GAR.")} {
				if !strings.Contains(out, mdEscape(m)) && !strings.Contains(out, m) {
					t.Errorf("%s %s lacks %q:\n%s", format, lang, m, out)
				}
			}
			if strings.Contains(out, "absent") {
				t.Errorf("%s %s says absent:\n%s", format, lang, out)
			}
			if lang == "en" && strings.Contains(out, "bloquant") {
				t.Errorf("%s en: French severity:\n%s", format, out)
			}
		}
	}
	var j bytes.Buffer
	if err := WriteDiff(&j, d, "json", "fr"); err != nil {
		t.Fatal(err)
	}
	var back Diff
	if err := json.Unmarshal(j.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	for _, it := range back.Fixed {
		if it.Old != result.Fail || it.New != result.Pass {
			t.Errorf("json fixed entry %+v, want fail → pass", it)
		}
	}

	// One of the two is fixed, the other still fails: the rule has no pass
	// finding, yet the gone failure is fixed ("échec → conforme").
	half := &result.Result{Results: []result.Finding{mail(oldFile, 10, 3)}}
	half.Finalize(rules.Traits)
	d = Compare(old, half)
	if got := msgs(d.Fixed); len(got) != 1 || got[0] != "fail>pass Teacher birth date sent to the GAR." || len(d.StillFailing) != 1 {
		t.Errorf("half fixed: %+v", d)
	}

	// Two failures become two others in the same file: never paired by
	// guess, two fixed and two new.
	other := &result.Result{Results: []result.Finding{phone(oldFile, 10), gar15(oldFile, 20, "Adresse d'enseignant transmise au GAR.", "Teacher address sent to the GAR.")}}
	other.Finalize(rules.Traits)
	d = Compare(old, other)
	if len(d.Fixed) != 2 || len(d.New) != 2 || len(d.StillFailing) != 0 {
		t.Errorf("two different failures for two others: %+v", d)
	}
}

// TestCompareAlikeMessages: a failure whose message grew (one more host)
// is the same finding, still failing, not a fix and a new failure.
func TestCompareAlikeMessages(t *testing.T) {
	tr := func(hosts string) result.Finding {
		return result.Finding{Rule: "PAGE-005", Status: result.Fail, Severity: result.Majeur, Message: "Traceur chargé avant connexion : " + hosts + ".",
			Evidence: []result.Evidence{{Source: "pages/connexion.html", Line: 13}}}
	}
	old := &result.Result{Results: []result.Finding{tr("www.googletagmanager.com")}}
	newer := &result.Result{Results: []result.Finding{tr("www.googletagmanager.com, stats.example.com")}}
	d := Compare(old, newer)
	if len(d.StillFailing) != 1 || len(d.Fixed)+len(d.New) != 0 || !strings.Contains(d.StillFailing[0].Message, "stats.example.com") {
		t.Errorf("diff %+v", d)
	}
}
