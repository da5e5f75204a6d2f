package engine

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

func fd(st result.Status, sev result.Severity) result.Finding {
	return result.Finding{Rule: "X-001", Status: st, Severity: sev}
}

func waivedFd(st result.Status, sev result.Severity) result.Finding {
	x := fd(st, sev)
	x.Waiver = &result.Waiver{Rule: "X-001", Justification: "j", GrantedBy: "g", Expires: "2099-12-31"}
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
	}
	for _, c := range cases {
		if got := ExitCode(&result.Result{Results: c.fs}, c.failOn); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}

// The exit code and the verdict agree: non-conforme exits 1 (2 when
// something could not be read), incomplet exits 2, the others exit 0 at
// the default --fail-on.
func TestExitCodeMatchesVerdict(t *testing.T) {
	sets := [][]result.Finding{
		nil,
		{fd(result.Fail, result.Bloquant)},
		{fd(result.Fail, result.Majeur), fd(result.Error, result.Info)},
		{fd(result.Error, result.Info)},
		{fd(result.Fail, result.Mineur)},
		{fd(result.Warn, result.Majeur)},
		{waivedFd(result.Fail, result.Majeur)},
	}
	for _, fs := range sets {
		r := &result.Result{Results: fs}
		r.Finalize()
		code := ExitCode(r, result.Majeur)
		var want int
		switch {
		case r.Summary.Error > 0:
			want = ExitBadInput
		case r.Verdict == result.NonConforme:
			want = ExitNonConforme
		}
		if code != want {
			t.Errorf("%v: verdict %s, exit %d, want %d", fs, r.Verdict, code, want)
		}
		if r.Summary.Error > 0 && r.Verdict != result.NonConforme && r.Verdict != result.Incomplet {
			t.Errorf("%v: errors but verdict %s", fs, r.Verdict)
		}
	}
}
