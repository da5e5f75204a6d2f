package engine

import "github.com/sdetcheck/sdetcheck/internal/result"

// Exit codes. This is the one place that decides them; the README
// documents them.
const (
	ExitConforme    = 0 // no unwaived failure at or above --fail-on
	ExitNonConforme = 1 // an unwaived failure at or above --fail-on
	ExitBadInput    = 2 // bad usage, or evidence unreadable or malformed
	ExitInternal    = 3 // a bug in sdetcheck
)

// ExitCode applies the policy: an evaluation error (unreadable or
// malformed evidence) wins over everything, because the result is then
// incomplete; otherwise any unwaived fail whose severity ranks at or above
// failOn makes the run non-conforme. Warnings and waived findings never
// fail the run.
func ExitCode(r *result.Result, failOn result.Severity) int {
	nonConforme := false
	for _, f := range r.Results {
		switch {
		case f.Status == result.Error:
			return ExitBadInput
		case f.Status == result.Fail && !f.Waived() && f.Severity.Rank() >= failOn.Rank():
			nonConforme = true
		}
	}
	if nonConforme {
		return ExitNonConforme
	}
	return ExitConforme
}
