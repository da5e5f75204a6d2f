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

func TestSummarize(t *testing.T) {
	fs := []Finding{
		f("A-001", Pass, Bloquant),
		f("A-002", Fail, Bloquant),
		waived(f("A-003", Fail, Majeur)),
		f("A-004", Fail, Mineur),
		f("A-005", Warn, Majeur),
		waived(f("A-006", Warn, Mineur)),
		f("A-007", Skip, Majeur),
		f("A-008", Error, Info),
		f("A-009", Fail, Info),
	}
	got := Summarize(fs)
	want := Summary{Pass: 1, Fail: 3, Warn: 1, Skip: 1, Error: 1, Waived: 2,
		FailBySeverity: map[Severity]int{Bloquant: 1, Majeur: 0, Mineur: 1, Info: 1}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("summary (-want +got):\n%s", d)
	}
	// Every severity is present even when nothing fails, so the JSON
	// always has the same keys.
	if d := cmp.Diff(map[Severity]int{Bloquant: 0, Majeur: 0, Mineur: 0, Info: 0}, Summarize(nil).FailBySeverity); d != "" {
		t.Errorf("empty summary (-want +got):\n%s", d)
	}
}

func TestVerdictOf(t *testing.T) {
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
		{"error alone", []Finding{f("A", Pass, Bloquant), f("B", Error, Mineur)}, Incomplet},
		{"error wins over a mineur failure", []Finding{f("A", Fail, Mineur), f("B", Error, Mineur)}, Incomplet},
		{"mineur failure", []Finding{f("A", Fail, Mineur)}, ConformeAvecReserves},
		{"info failure", []Finding{f("A", Fail, Info)}, ConformeAvecReserves},
		{"warning", []Finding{f("A", Warn, Bloquant)}, ConformeAvecReserves},
		{"waived bloquant failure", []Finding{waived(f("A", Fail, Bloquant))}, Conforme},
		{"waived warning", []Finding{waived(f("A", Warn, Majeur))}, Conforme},
	}
	for _, c := range cases {
		if got := VerdictOf(Summarize(c.fs)); got != c.want {
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
		r.Finalize()
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
	r.Finalize()
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
