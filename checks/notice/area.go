package notice

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The pieces of a dossier the page and notice areas read.
var (
	homePiece      = checks.Piece{Key: "home_page", Name: rules.Text{FR: "page d'accueil de l'ENT", EN: "home page"}, Scoped: true}
	loginPiece     = checks.Piece{Key: "login_page", Name: rules.Text{FR: "page de connexion", EN: "login page"}, Scoped: true}
	noticePiece    = checks.Piece{Key: "notice", Name: rules.Text{FR: "mentions d'information affichées", EN: "displayed information notice"}, Scoped: true}
	referencePiece = checks.Piece{Key: "notice_reference", Name: rules.Text{FR: "mentions validées par la DSDEN", EN: "notice validated by the DSDEN"}}
)

// dossierAudit audits the pages and the notice together (Audit): PAGE-003
// and NOTICE-002 compare them, so the page and notice areas share it. Each
// rule reads only its pieces: PAGE-001, 002, 004 on each page (home and
// login alike), PAGE-005 on the login page, PAGE-003 both pages and the
// notice, NOTICE-001, 003, 004 the notice (evidence.notice: never one
// guessed from a page's link), NOTICE-002 the notice and its validated
// version. A missing piece leaves the rules that read the others to run.
var dossierAudit = &checks.Audit{
	Reads: []checks.Read{
		checks.ReadBy(homePiece, append(homeOpts.rules(), rules.PAGE003, rules.ACC001)...),
		checks.ReadBy(loginPiece, append(loginOpts.rules(), rules.PAGE003, rules.ACC001)...),
		checks.ReadBy(noticePiece, rules.PAGE003, rules.NOTICE001, rules.NOTICE002, rules.NOTICE003, rules.NOTICE004),
		checks.ReadBy(referencePiece, rules.NOTICE002),
		checks.ReadBy(statementPiece, rules.ACC002, rules.ACC003, rules.ACC004),
	},
	Run: func(env *checks.Env, src checks.Sources) []result.Finding {
		return Audit(env, Dossier{HomePage: src.One(homePiece), LoginPage: src.One(loginPiece), Notice: src.One(noticePiece), Reference: src.One(referencePiece), Statement: src.One(statementPiece)})
	},
}

// PageArea describes the page area (see checks.Area).
var PageArea = &checks.Area{
	ID:    rules.AreaPage,
	Title: rules.Text{FR: "Pages d'accueil et de connexion", EN: "Home and login pages"},
	Short: rules.Text{FR: "Pages", EN: "Pages"},
	Method: rules.Text{
		FR: "Examen du pied de page des pages d'accueil et de connexion : lien vers les mentions, destination du lien, ressources chargées, chiffrement.",
		EN: "Footer of the home and login pages: notice link, where it leads, resources loaded, encryption.",
	},
	Check: &checks.Check{
		Run:    CheckPage,
		Piece:  rules.Text{FR: "page d'accueil ou de connexion", EN: "home or login page"},
		Args:   rules.Text{FR: "FICHIER|URL", EN: "FILE|URL"},
		About:  rules.Text{FR: "audite une page d'accueil ou de connexion", EN: "audit a home or login page"},
		Scoped: true,
		Help: rules.Text{
			FR: "Audite une page d'accueil ou de connexion : lien vers les mentions d'information en pied de page, ressources chargées, chiffrement.",
			EN: "Audit a home or login page: link to the information notice in the footer, resources loaded, encryption.",
		},
		Options: []string{"allow-http", "allow-private-network", "render"},
	},
	Audit: dossierAudit,
}

// NoticeArea describes the notice area (see checks.Area).
var NoticeArea = &checks.Area{
	ID:    rules.AreaNotice,
	Title: rules.Text{FR: "Mentions d'information (RGPD)", EN: "Information notice (GDPR)"},
	Short: rules.Text{FR: "Mentions", EN: "Notice"},
	Method: rules.Text{
		FR: "Lecture des mentions d'information : chaque information exigée par les articles 13 et 14 du RGPD, comparaison avec la version validée par la DSDEN.",
		EN: "Information notice: each item GDPR articles 13 and 14 require, comparison with the version validated by the DSDEN.",
	},
	Checklist: rules.Text{FR: "Informations exigées par les articles 13 et 14 du RGPD", EN: "Information required by GDPR articles 13 and 14"},
	Check: &checks.Check{
		Run:    CheckNotice,
		Piece:  rules.Text{FR: "mentions d'information", EN: "information notice"},
		Args:   rules.Text{FR: "FICHIER|URL [--reference FICHIER]", EN: "FILE|URL [--reference FILE]"},
		Scoped: true,
		Help: rules.Text{
			FR: "Audite les mentions d'information : chaque information exigée par les articles 13 et 14 du RGPD ; avec --reference, la conformité à la version validée par la DSDEN.",
			EN: "Audit the information notice: each item GDPR articles 13 and 14 require; with --reference, conformity to the version the DSDEN validated.",
		},
		Options: []string{"reference", "allow-http", "allow-private-network", "render"},
	},
	Audit: dossierAudit,
}
