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
	"errors"
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
	switch {
	case tgt != nil && tgt.text != "":
		fs = append(fs, noticeFindings(env, tgt.src, tgt.text, env.Opts.NoticeReference)...)
	case tgt != nil && tgt.imageOnly:
		fs = append(fs, imageOnlyFindings(env, tgt.src, env.Opts.NoticeReference)...)
	default:
		// the notice was not read from the page (no link, a link that a
		// saved page cannot follow, a broken link): its rules apply and
		// were not examined
		for _, r := range rules.InArea(rules.AreaNotice) {
			fs = append(fs, checks.NotEvaluated(r,
				"Non évaluée : les mentions d'information n'ont pas été lues depuis la page (voir "+rules.PAGE001.ID+" et "+rules.PAGE002.ID+").",
				"Not evaluated: the information notice was not read from the page (see "+rules.PAGE001.ID+" and "+rules.PAGE002.ID+")."))
		}
	}
	return englishFragments(fs)
}

// CheckNotice audits a notice against env.Opts.NoticeReference (see
// noticeFindings).
func CheckNotice(env *checks.Env, src string) []result.Finding {
	text, err := readNotice(env, src)
	if errors.Is(err, errNoTextLayer) {
		return englishFragments(imageOnlyFindings(env, src, env.Opts.NoticeReference))
	}
	if err != nil {
		return checks.Unreadable(rules.AreaNotice, err)
	}
	return englishFragments(noticeFindings(env, src, text, env.Opts.NoticeReference))
}

// noticeFindings audits the text of a readable notice: its GDPR items
// (NOTICE-001), the match with the version validated by the DSDEN
// (NOTICE-002, against ref), the deletion delay (NOTICE-003) and its
// language (NOTICE-004).
func noticeFindings(env *checks.Env, src, text, ref string) []result.Finding {
	fs := contentFindings(env, src, text)
	return append(fs, referenceFinding(env, src, text, ref), retentionFinding(src, text), languageFinding(src, text))
}

// The pages of an audit: links may lead anywhere in the dossier; PAGE-005
// judges the login page.
var (
	homeOpts  = pageOpts{inDossier: true, role: "accueil"}
	loginOpts = pageOpts{inDossier: true, role: "connexion", thirdParty: true}
)

// Audit audits the pages and notice of a dossier, including the rules that
// compare them (same notice linked from both pages, and it is the notice
// of the dossier). A piece the dossier does not give ("" in d) is not
// read, and the others are: each page's rules run on the page given and
// are not evaluated for the page missing; PAGE-003 compares what it can;
// without the notice, its rules are left to the engine, which reports
// them not evaluated (checks.Audit); without the validated version,
// NOTICE-002 is not evaluated and the other notice rules run.
func Audit(env *checks.Env, d Dossier) []result.Finding {
	acc := &accessibility{}
	ho, lo := homeOpts, loginOpts
	ho.acc, lo.acc = acc, acc
	var homeFs, loginFs []result.Finding
	var home, login *target
	if d.HomePage != "" {
		homeFs, home = auditPage(env, d.HomePage, ho)
	} else {
		homeFs = pageMissing(ho, homePiece)
	}
	if d.LoginPage != "" {
		loginFs, login = auditPage(env, d.LoginPage, lo)
	} else {
		loginFs = pageMissing(lo, loginPiece)
	}
	fs := append(homeFs, loginFs...)
	var noticeText string
	var noticeErr error
	if d.Notice != "" {
		noticeText, noticeErr = readNotice(env, d.Notice)
		switch {
		case errors.Is(noticeErr, errNoTextLayer):
			fs = append(fs, imageOnlyFindings(env, d.Notice, d.Reference)...)
		case noticeErr != nil:
			fs = append(fs, checks.Unreadable(rules.AreaNotice, noticeErr)...)
		default:
			fs = append(fs, noticeFindings(env, d.Notice, noticeText, d.Reference)...)
		}
	}
	if d.HomePage != "" && d.LoginPage != "" {
		fs = append(fs, sameNotice(d, home, login, noticeText, noticeErr, pending(homeFs), pending(loginFs)))
	}
	fs = append(fs, statementAudit(env, d.Statement, acc)...)
	return englishFragments(fs)
}

// pageMissing reports the rules run on each page not evaluated for a page
// the dossier does not give (they run on the other page).
func pageMissing(o pageOpts, p checks.Piece) []result.Finding {
	var fs []result.Finding
	for _, r := range o.rules() {
		fs = append(fs, checks.NotEvaluated(r,
			"Non évaluée pour la "+p.Name.FR+" : pièce non fournie.",
			"Not evaluated for the "+p.Name.EN+": evidence not provided (evidence."+p.Key+")."))
	}
	return fs
}

// pending reports whether a page's PAGE-001 finding is only to review
// (a footer built by JavaScript): whether it links the notice is not
// known, so comparisons with its notice are not evaluated.
func pending(fs []result.Finding) bool {
	for _, f := range fs {
		if f.Rule == rules.PAGE001.ID && f.Review {
			return true
		}
	}
	return false
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
