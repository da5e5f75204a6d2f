package sso_test

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/checks/sso"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestExamples runs the check directly on the fixtures of the area: the
// catalogue's good and bad examples of its rules and every fixture with
// inline "want RULE-ID status" lines, with the options of their ".args"
// sidecars. cmd/sdetcheck's TestExamples runs the same through the
// command line.
func TestExamples(t *testing.T) {
	checkstest.RunArea(t, rules.AreaSSO, sso.Check)
}
