// Package notice holds the checks of the page and notice areas: placement
// of the information notice on the home and login pages, and its content.
package notice

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Dossier names the pages and notices of an audit.
type Dossier struct {
	HomePage, LoginPage, Notice, Reference string
}

// CheckPage audits one home or login page (file or URL).
func CheckPage(env *checks.Env, src string) []result.Finding {
	return nil // not implemented yet
}

// CheckNotice audits a notice against env.Opts.NoticeReference.
func CheckNotice(env *checks.Env, src string) []result.Finding {
	return nil // not implemented yet
}

// Audit audits the pages and notice of a dossier, including the rules that
// compare them (same notice linked from both pages).
func Audit(env *checks.Env, d Dossier) []result.Finding {
	return nil // not implemented yet
}
