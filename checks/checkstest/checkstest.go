// Package checkstest holds the invariants that the tests and fuzz targets
// of every area assert on findings beyond "no panic": findings are well
// formed, their rules are in the catalogue and an area reports on every
// one of its rules. It is imported by tests only.
package checkstest

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Findings fails t unless fs is a non-empty list of findings whose rules
// are in the catalogue, whose statuses are known and whose messages are
// written in both languages.
func Findings(t testing.TB, fs []result.Finding) {
	t.Helper()
	if len(fs) == 0 {
		t.Fatal("no finding at all: a rule was silently dropped")
	}
	for _, f := range fs {
		if _, ok := rules.Lookup(f.Rule); !ok {
			t.Errorf("finding of unknown rule %q", f.Rule)
		}
		switch f.Status {
		case result.Pass, result.Fail, result.Warn, result.Skip, result.Error, result.NotEvaluated:
		default:
			t.Errorf("%s: unknown status %q", f.Rule, f.Status)
		}
		if f.Message == "" || f.MessageEN == "" {
			t.Errorf("%s (%s): empty message (fr %q, en %q)", f.Rule, f.Status, f.Message, f.MessageEN)
		}
	}
}

// Area is Findings, and fails t unless every rule of area got a finding.
func Area(t testing.TB, area rules.Area, fs []result.Finding) {
	t.Helper()
	Findings(t, fs)
	if m := checks.Missing(area, fs); len(m) > 0 {
		t.Errorf("rules without a finding: %v", m)
	}
}
