package saml

import (
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
	"github.com/sdetcheck/sdetcheck/rules"
)

// FuzzCheck runs every SAML rule on mutated metadata: no input may make
// the check panic or drop a rule, and every finding is well formed. The
// seeds (every metadata fixture) run with `go test`; docs/fuzzing.md says
// how to explore further.
func FuzzCheck(f *testing.F) {
	fuzzseed.Seeds(f, 256<<10, "../../fixtures/saml/*/*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "metadata.xml", data)
		fs := Check(newEnv(checks.Options{Degree: "2D"}), filepath.Join(dir, "metadata.xml"))
		checkstest.Area(t, rules.AreaSAML, fs)
	})
}
