package audit

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

func fd(st result.Status, sev result.Severity) result.Finding {
	return result.Finding{Rule: "X-001", Status: st, Severity: sev}
}

func waivedFd(st result.Status, sev result.Severity) result.Finding {
	x := fd(st, sev)
	x.Waiver = &result.Waiver{Rule: "X-001", Justification: "j", GrantedBy: "g", Expires: "2099-12-31"}
	return x
}

func reviewFd(sev result.Severity) result.Finding {
	x := fd(result.Warn, sev)
	x.Review = true
	return x
}

func liveFd() result.Finding {
	x := fd(result.NotEvaluated, result.Majeur)
	x.LiveOnly = true
	return x
}

func pieces(waived bool) result.Finding {
	x := result.Finding{Rule: rules.DOSSIER001.ID, Status: result.Fail, Severity: result.Majeur}
	if waived {
		x.Waiver = &result.Waiver{Rule: rules.DOSSIER001.ID, Justification: "délai", GrantedBy: "DSDEN", Expires: "2099-12-31"}
	}
	return x
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		name   string
		fs     []result.Finding
		failOn result.Severity
		want   int
	}{
		{"nothing", nil, result.Majeur, ExitConforme},
		{"passes, skips, warnings", []result.Finding{fd(result.Pass, result.Bloquant), fd(result.Skip, result.Bloquant), fd(result.Warn, result.Bloquant)}, result.Info, ExitConforme},
		{"bloquant fail", []result.Finding{fd(result.Fail, result.Bloquant)}, result.Majeur, ExitNonConforme},
		{"majeur fail at default", []result.Finding{fd(result.Fail, result.Majeur)}, result.Majeur, ExitNonConforme},
		{"majeur fail, --fail-on bloquant", []result.Finding{fd(result.Fail, result.Majeur)}, result.Bloquant, ExitConforme},
		{"mineur fail at default", []result.Finding{fd(result.Fail, result.Mineur)}, result.Majeur, ExitConforme},
		{"mineur fail, --fail-on mineur", []result.Finding{fd(result.Fail, result.Mineur)}, result.Mineur, ExitNonConforme},
		{"info fail, --fail-on mineur", []result.Finding{fd(result.Fail, result.Info)}, result.Mineur, ExitConforme},
		{"info fail, --fail-on info", []result.Finding{fd(result.Fail, result.Info)}, result.Info, ExitNonConforme},
		{"waived bloquant fail", []result.Finding{waivedFd(result.Fail, result.Bloquant)}, result.Info, ExitConforme},
		{"waived and unwaived", []result.Finding{waivedFd(result.Fail, result.Bloquant), fd(result.Fail, result.Mineur)}, result.Mineur, ExitNonConforme},
		{"error", []result.Finding{fd(result.Pass, result.Bloquant), fd(result.Error, result.Info)}, result.Majeur, ExitBadInput},
		{"error wins over a bloquant fail", []result.Finding{fd(result.Fail, result.Bloquant), fd(result.Error, result.Mineur)}, result.Majeur, ExitBadInput},
		{"error after a fail in the list", []result.Finding{fd(result.Error, result.Mineur), fd(result.Fail, result.Bloquant)}, result.Majeur, ExitBadInput},
		{"majeur not evaluated", []result.Finding{fd(result.NotEvaluated, result.Majeur)}, result.Majeur, ExitIncomplet},
		{"majeur not evaluated, --fail-on bloquant", []result.Finding{fd(result.NotEvaluated, result.Majeur)}, result.Bloquant, ExitConforme},
		{"mineur not evaluated, --fail-on info", []result.Finding{fd(result.NotEvaluated, result.Mineur)}, result.Info, ExitConforme},
		{"bloquant à vérifier", []result.Finding{reviewFd(result.Bloquant)}, result.Majeur, ExitIncomplet},
		{"mineur à vérifier", []result.Finding{reviewFd(result.Mineur)}, result.Majeur, ExitConforme},
		{"missing piece", []result.Finding{pieces(false)}, result.Majeur, ExitIncomplet},
		{"missing piece under a dérogation", []result.Finding{pieces(true)}, result.Majeur, ExitIncomplet},
		{"failure wins over a missing piece", []result.Finding{pieces(false), {Rule: "Y-001", Status: result.Fail, Severity: result.Majeur}}, result.Majeur, ExitNonConforme},
		{"live-only on saved copies", []result.Finding{liveFd(), fd(result.Pass, result.Majeur)}, result.Majeur, ExitConforme},
	}
	for _, c := range cases {
		if got := ExitCode(&result.Result{Results: c.fs}, c.failOn); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}

// The exit code and the verdict agree at the default --fail-on: an
// unreadable piece exits 2 whatever the verdict, non-conforme exits 1,
// incomplet 4, the three forms of conforme 0.
func TestExitCodeMatchesVerdict(t *testing.T) {
	sets := [][]result.Finding{
		nil,
		{fd(result.Fail, result.Bloquant)},
		{fd(result.Fail, result.Majeur), fd(result.Error, result.Info)},
		{fd(result.Error, result.Info)},
		{fd(result.Fail, result.Mineur)},
		{fd(result.Warn, result.Majeur)},
		{waivedFd(result.Fail, result.Majeur)},
		{fd(result.NotEvaluated, result.Bloquant)},
		{reviewFd(result.Bloquant)},
		{pieces(true)},
		{pieces(false), fd(result.Fail, result.Mineur)},
		{liveFd()},
	}
	for _, fs := range sets {
		r := &result.Result{Results: fs}
		r.Finalize(rules.Traits)
		code := ExitCode(r, result.Majeur)
		var want int
		switch {
		case r.Summary.Error > 0:
			want = ExitBadInput
		case r.Verdict == result.NonConforme:
			want = ExitNonConforme
		case r.Verdict == result.Incomplet:
			want = ExitIncomplet
		}
		if code != want {
			t.Errorf("%v: verdict %s, exit %d, want %d", fs, r.Verdict, code, want)
		}
		if r.Summary.Error > 0 && r.Verdict != result.NonConforme && r.Verdict != result.Incomplet && r.Verdict != result.ConformeAvecReserves {
			t.Errorf("%v: errors but verdict %s", fs, r.Verdict)
		}
	}
}
