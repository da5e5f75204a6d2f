// Package mapping holds the checks of the mapping area.
package mapping

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Check audits one piece of mapping evidence (file, directory or URL).
func Check(env *checks.Env, src string) []result.Finding {
	return nil // not implemented yet
}
