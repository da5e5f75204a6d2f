// Package gar holds the checks of the gar area.
package gar

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Check audits one piece of gar evidence (file, directory or URL).
func Check(env *checks.Env, src string) []result.Finding {
	return nil // not implemented yet
}
