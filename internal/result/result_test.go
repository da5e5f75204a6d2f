package result

import (
	"math/rand"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func f(rule string, st Status, sev Severity) Finding {
	return Finding{Rule: rule, Status: st, Severity: sev, Message: rule}
}

func waived(x Finding) Finding {
	x.Waiver = &Waiver{Rule: x.Rule, Justification: "j", GrantedBy: "DSDEN", Expires: "2099-12-31"}
	return x
}

func review(x Finding) Finding {
	x.Review = true
	return x
}

func live(x Finding) Finding {
	x.LiveOnly = true
	return x
}

func TestSummarize(t *testing.T) {
	fs := []Finding{
		f("A-001", Pass, Bloquant),
		f("A-002", Fail, Bloquant),
		f("A-002", Fail, Bloquant),
		waived(f("A-003", Fail, Majeur)),
		f("A-004", Fail, Mineur),
		f("A-005", Warn, Majeur),
		waived(f("A-006", Warn, Mineur)),
		f("A-007", Skip, Majeur),
		f("A-008", Error, Info),
		f("A-009", Fail, Info),
		f("A-010", NotEvaluated, Majeur),
		f("A-010", Pass, Majeur),
		review(f("A-011", Warn, Bloquant)),
		f("A-011", Pass, Bloquant),
	}
	got := Summarize(fs)
	want := Summary{Pass: 3, Fail: 4, Warn: 2, Skip: 1, Error: 1, NotEvaluated: 1, Waived: 2,
		FailBySeverity: map[Severity]int{Bloquant: 2, Majeur: 0, Mineur: 1, Info: 1},
		// One count per rule: A-002's two failures are one rule.
		Rules: map[RuleState]int{RuleFail: 3, RuleError: 1, RuleNotEvaluated: 1, RuleReview: 1, RuleWaived: 2,
			RuleWarn: 1, RulePass: 1, RuleSkip: 1},
		RulesFailBySeverity: map[Severity]int{Bloquant: 1, Majeur: 0, Mineur: 1, Info: 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("summary (-want +got):\n%s", d)
	}
	// Every severity and state is present even when nothing fails, so the
	// JSON always has the same keys.
	if d := cmp.Diff(map[Severity]int{Bloquant: 0, Majeur: 0, Mineur: 0, Info: 0}, Summarize(nil).FailBySeverity); d != "" {
		t.Errorf("empty summary (-want +got):\n%s", d)
	}
	if n := len(Summarize(nil).Rules); n != len(RuleStateOrder) {
		t.Errorf("empty summary has %d rule states, want %d", n, len(RuleStateOrder))
	}
}

// optional marks a not-evaluated finding a tool option would settle.
func optional(x Finding) Finding { x.Optional = true; return x }

func TestVerdictOf(t *testing.T) {
	pieces := func(st Status) Finding { return f(piecesRule, st, Majeur) }
	cases := []struct {
		name string
		fs   []Finding
		want Verdict
	}{
		{"nothing", nil, Conforme},
		{"passes and skips", []Finding{f("A", Pass, Bloquant), f("B", Skip, Majeur)}, Conforme},
		{"bloquant failure", []Finding{f("A", Fail, Bloquant)}, NonConforme},
		{"majeur failure", []Finding{f("A", Fail, Majeur)}, NonConforme},
		{"majeur failure wins over an error", []Finding{f("A", Fail, Majeur), f("B", Error, Bloquant)}, NonConforme},
		{"majeur failure wins over a missing piece", []Finding{f("A", Fail, Majeur), pieces(Fail), f("B", NotEvaluated, Bloquant)}, NonConforme},
		{"bloquant error", []Finding{f("A", Pass, Bloquant), f("B", Error, Bloquant)}, Incomplet},
		{"mineur error is a reserve", []Finding{f("A", Pass, Bloquant), f("B", Error, Mineur)}, ConformeAvecReserves},
		{"bloquant not evaluated", []Finding{f("A", NotEvaluated, Bloquant), f("A", Pass, Bloquant)}, Incomplet},
		{"majeur not evaluated beside a mineur failure", []Finding{f("A", NotEvaluated, Majeur), f("B", Fail, Mineur)}, Incomplet},
		{"missing piece alone", []Finding{pieces(Fail)}, Incomplet},
		{"missing piece under a dérogation (a délai)", []Finding{waived(pieces(Fail)), f("A", NotEvaluated, Majeur)}, Incomplet},
		{"missing piece under a dérogation, nothing else", []Finding{waived(pieces(Fail))}, Incomplet},
		{"bloquant only à vérifier", []Finding{review(f("A", Warn, Bloquant)), f("A", Pass, Bloquant)}, Incomplet},
		{"bloquant à vérifier under a dérogation", []Finding{waived(review(f("A", Warn, Bloquant)))}, Incomplet},
		{"mineur à vérifier", []Finding{review(f("A", Warn, Mineur))}, ConformeAvecReserves},
		{"mineur failure", []Finding{f("A", Fail, Mineur)}, ConformeAvecReserves},
		{"info failure", []Finding{f("A", Fail, Info)}, ConformeAvecReserves},
		{"warning", []Finding{f("A", Warn, Bloquant)}, ConformeAvecReserves},
		{"waived bloquant failure", []Finding{waived(f("A", Fail, Bloquant))}, ConformeSousDerogation},
		{"waived failure beside a mineur failure", []Finding{waived(f("A", Fail, Bloquant)), f("B", Fail, Mineur)}, ConformeSousDerogation},
		{"waived and unwaived failures of one rule", []Finding{waived(f("A", Fail, Bloquant)), f("A", Fail, Bloquant)}, NonConforme},
		{"waived warning", []Finding{waived(f("A", Warn, Majeur))}, ConformeSousDerogation},
		{"live-only rule on saved copies", []Finding{live(f("A", NotEvaluated, Majeur)), f("A", Pass, Majeur)}, Conforme},
		{"live-only beside a warning", []Finding{live(f("A", NotEvaluated, Majeur)), f("A", Warn, Majeur)}, ConformeAvecReserves},
		{"live-only beside a missing piece of the same rule", []Finding{live(f("A", NotEvaluated, Majeur)), f("A", NotEvaluated, Majeur)}, Incomplet},
		{"a check a tool option enables", []Finding{optional(f("A", NotEvaluated, Majeur)), f("B", Pass, Majeur)}, Conforme},
		{"tool option beside a failure", []Finding{optional(f("A", NotEvaluated, Majeur)), f("B", Fail, Majeur)}, NonConforme},
		{"tool option beside a missing piece of the same rule", []Finding{optional(f("A", NotEvaluated, Majeur)), f("A", NotEvaluated, Majeur)}, Incomplet},
	}
	for _, c := range cases {
		if got := VerdictOf(c.fs, testTraits); got != c.want {
			t.Errorf("%s: verdict %s, want %s", c.name, got, c.want)
		}
	}
}

// Finalize orders findings and inputs whatever order the checks produced
// them in (the GAR area works in parallel).
func TestFinalizeOrder(t *testing.T) {
	base := []Finding{
		f("A-001", Error, Majeur), f("A-001", Fail, Majeur), f("A-001", Warn, Majeur), f("A-001", Pass, Majeur), f("A-001", Skip, Majeur),
		f("B-002", Fail, Mineur),
	}
	base = append(base, Finding{Rule: "A-001", Status: Fail, Message: "x", Evidence: []Evidence{{Source: "b.xml"}}},
		Finding{Rule: "A-001", Status: Fail, Message: "x", Evidence: []Evidence{{Source: "a.xml"}}},
		Finding{Rule: "A-001", Status: Fail, Message: "y", Evidence: []Evidence{{Source: "a.xml"}}})
	inputs := []Input{{Source: "z"}, {Source: "a"}, {Source: "m"}}
	var first *Result
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		fs := append([]Finding(nil), base...)
		in := append([]Input(nil), inputs...)
		rng.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		r := &Result{Results: fs, Inputs: in}
		r.Finalize(testTraits)
		if first == nil {
			first = r
			continue
		}
		if d := cmp.Diff(first, r); d != "" {
			t.Fatalf("order depends on input order (-first +now):\n%s", d)
		}
	}
	if first.Results[0].Status != Error || first.Inputs[0].Source != "a" {
		t.Errorf("errors first and inputs sorted: %+v %+v", first.Results[0], first.Inputs)
	}
	// Empty results still give arrays, not null, in the JSON.
	r := &Result{}
	r.Finalize(testTraits)
	if r.Results == nil || r.Inputs == nil || r.Verdict != Conforme {
		t.Errorf("empty result: %+v", r)
	}
}

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]Severity{"bloquant": Bloquant, " MAJEUR ": Majeur, "Mineur": Mineur, "info": Info} {
		if got, ok := ParseSeverity(in); !ok || got != want {
			t.Errorf("ParseSeverity(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "critique", "major"} {
		if _, ok := ParseSeverity(in); ok {
			t.Errorf("ParseSeverity(%q) accepted", in)
		}
	}
}

// testTraits stands for the catalogue (rules.Traits): DOSSIER-001 reports
// the pieces a dossier lacks.
var testTraits Traits = piecesTraits{}

const piecesRule = "DOSSIER-001"

type piecesTraits struct{}

func (piecesTraits) MissingPieces(rule string) bool { return rule == piecesRule }
