package audit

import (
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Exit codes. This is the one place that decides them; the README and
// docs/reports.md document them.
const (
	ExitConforme    = 0 // conforme, conforme-sous-derogation, conforme-avec-reserves
	ExitNonConforme = 1 // an unwaived failure at or above --fail-on
	ExitBadInput    = 2 // bad usage, or evidence unreadable or malformed
	ExitInternal    = 3 // a bug in sdetcheck
	// ExitIncomplet: nothing was found wrong at or above --fail-on, but a
	// rule at or above it (and bloquant or majeur) was not examined: a
	// piece is missing (even under a dérogation, which is a délai), or a
	// point is only à vérifier. Distinct from 1 (the ENT must be fixed) and
	// from 2 (a file must be fixed): the dossier must be completed.
	ExitIncomplet = 4
)

// ExitCode applies the policy:
//
//  1. an evaluation error (unreadable or malformed evidence) wins over
//     everything: exit 2, the result is then incomplete for what could not
//     be read;
//  2. an unwaived failure whose severity ranks at or above failOn: exit 1
//     (the pieces rule DOSSIER-001 is an incompleteness, not a failure);
//  3. a bloquant or majeur rule at or above failOn left unexamined (see
//     result.RuleOutcome.Unexamined; what only an audit en ligne can judge
//     is outside the scope of an audit sur pièces): exit 4;
//  4. otherwise 0. Warnings, reserves and waived failures never fail the
//     run.
//
// At the default --fail-on majeur, exit 0 is exactly the verdicts
// conforme, conforme-sous-derogation and conforme-avec-reserves.
func ExitCode(r *result.Result, failOn result.Severity) int {
	for _, f := range r.Results {
		if f.Status == result.Error {
			return ExitBadInput
		}
	}
	incomplete := false
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if o.Severity.Rank() < failOn.Rank() {
			continue
		}
		switch {
		case o.NonConformity():
			return ExitNonConforme
		case o.Unexamined() && (o.Severity.Blocking() || o.Pieces):
			incomplete = true
		}
	}
	if incomplete {
		return ExitIncomplet
	}
	return ExitConforme
}
