package notice_test

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/checks/notice"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestExamples runs the checks directly on the fixtures of the page and
// notice areas: the catalogue's good and bad examples of their rules and
// every fixture with inline "want RULE-ID status" lines, with the options
// of their ".args" sidecars. cmd/sdetcheck's TestExamples runs the same
// through the command line.
func TestExamples(t *testing.T) {
	t.Run("page", func(t *testing.T) { checkstest.RunArea(t, rules.AreaPage, notice.CheckPage) })
	t.Run("notice", func(t *testing.T) { checkstest.RunArea(t, rules.AreaNotice, notice.CheckNotice) })
}
