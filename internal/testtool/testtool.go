// Package testtool holds what tests of several packages share about the
// tools of the machine they run on. It is imported by tests only.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Poppler says whether poppler's tool (pdftotext, pdfinfo: Debian
// poppler-utils) is installed, for the tests that read the PDF report as
// a reader does. Without it they skip, or fail when
// SDETCHECK_REQUIRE_PDFTOTEXT=1 (as .ci/run sets), so that CI never
// leaves the PDF unread.
func Poppler(t testing.TB, tool string) bool {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("SDETCHECK_REQUIRE_PDFTOTEXT") == "1" {
			t.Fatalf("SDETCHECK_REQUIRE_PDFTOTEXT=1 and no %s: %v", tool, err)
		}
		return false
	}
	return true
}
