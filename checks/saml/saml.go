// Package saml holds the checks of the saml area.
package saml

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Check audits one piece of saml evidence (file, directory or URL).
func Check(env *checks.Env, src string) []result.Finding {
	return nil // not implemented yet
}
