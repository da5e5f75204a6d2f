// Package notice holds the checks of the page and notice areas: placement
// of the information notice on the home and login pages, and its content.
//
// A page is parsed once with golang.org/x/net/html (or rendered once in a
// headless browser with --render, then parsed). Its footer link to the
// notice is followed: relative to the page file for local files (never out
// of the page's directory, or of the dossier in an audit), through
// env.Loader.Fetch for URLs (no cookies, bounded, recorded as inputs).
package notice

import (
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Dossier names the pages and notices of an audit.
type Dossier struct {
	HomePage, LoginPage, Notice, Reference string
	// Statement is the accessibility statement ("" when the dossier
	// gives none: the footers' link is followed).
	Statement string
}

// CheckPage audits one home or login page (file or URL): the footer link
// (PAGE-001), where it leads (PAGE-002), transport security (PAGE-004) and
// third-party resources (PAGE-005). PAGE-003 compares two pages and needs
// an audit. When the link leads to a readable notice, its content is
// audited too (NOTICE-001 to NOTICE-003).
func CheckPage(env *checks.Env, src string) []result.Finding {
	fs, tgt := auditPage(env, src, pageOpts{thirdParty: true})
	fs = append(fs, checks.Skip(rules.PAGE003,
		"Comparaison entre pages d'accueil et de connexion : uniquement dans un audit de dossier (sdetcheck audit).",
		"Comparing the home and login pages needs a dossier audit (sdetcheck audit)."))
	if tgt != nil && tgt.text != "" {
		fs = append(fs, noticeFindings(env, tgt.src, tgt.text, env.Opts.NoticeReference)...)
	} else {
		fs = append(fs, checks.NotApplicable(rules.AreaNotice, "mentions d'information (lien du pied de page non résolu, voir "+rules.PAGE002.ID+")", "information notice (footer link not resolved, see "+rules.PAGE002.ID+")")...)
	}
	return englishFragments(fs)
}

// CheckNotice audits a notice against env.Opts.NoticeReference (see
// noticeFindings).
func CheckNotice(env *checks.Env, src string) []result.Finding {
	text, err := readNotice(env, src)
	if err != nil {
		return checks.Unreadable(rules.AreaNotice, err)
	}
	return englishFragments(noticeFindings(env, src, text, env.Opts.NoticeReference))
}

// noticeFindings audits the text of a readable notice: its GDPR items
// (NOTICE-001), the match with the version validated by the DSDEN
// (NOTICE-002, against ref) and the deletion delay (NOTICE-003).
func noticeFindings(env *checks.Env, src, text, ref string) []result.Finding {
	fs := contentFindings(env, src, text)
	return append(fs, referenceFinding(env, src, text, ref), retentionFinding(src, text))
}

// Audit audits the pages and notice of a dossier, including the rules that
// compare them (same notice linked from both pages, and it is the notice
// of the dossier).
func Audit(env *checks.Env, d Dossier) []result.Finding {
	acc := &accessibility{}
	homeFs, home := auditPage(env, d.HomePage, pageOpts{inDossier: true, role: "accueil", acc: acc})
	loginFs, login := auditPage(env, d.LoginPage, pageOpts{inDossier: true, role: "connexion", thirdParty: true, acc: acc})
	fs := append(homeFs, loginFs...)
	noticeText, noticeErr := readNotice(env, d.Notice)
	if noticeErr != nil {
		fs = append(fs, checks.Unreadable(rules.AreaNotice, noticeErr)...)
	} else {
		fs = append(fs, noticeFindings(env, d.Notice, noticeText, d.Reference)...)
	}
	fs = append(fs, sameNotice(d, home, login, noticeText, noticeErr))
	fs = append(fs, statementAudit(env, d.Statement, acc)...)
	return englishFragments(fs)
}

// renderHint marks the PAGE-001 finding that asks for --render.
const renderHint = "--render"

// Notes returns the run-level remarks the page checks call for: which
// pages need --render because their raw HTML has no footer content. The
// engine adds them to the result's notes.
func Notes(fs []result.Finding) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Rule != rules.PAGE001.ID || f.Status != result.Warn || !f.Review || !strings.Contains(f.MessageEN, renderHint) || len(f.Evidence) == 0 {
			continue
		}
		src := f.Evidence[0].Source
		if seen[src] {
			continue
		}
		seen[src] = true
		out = append(out, "Le HTML brut de "+src+" n'a pas de contenu de pied de page : relancer avec --render. / The raw HTML of "+src+" has no footer content: run again with --render.")
	}
	sort.Strings(out)
	return out
}
