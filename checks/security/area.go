package security

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The pieces the security area reads: the pages the page area reads,
// declared alike (DOSSIER-001 names a missing page once). Neither is
// required: the area runs on the page the dossier does give.
var (
	homePiece  = checks.Piece{Key: "home_page", Name: rules.Text{FR: "page d'accueil de l'ENT", EN: "home page"}, Scoped: true}
	loginPiece = checks.Piece{Key: "login_page", Name: rules.Text{FR: "page de connexion", EN: "login page"}, Scoped: true}
)

// Area describes the security area (see checks.Area).
var Area = &checks.Area{
	ID:    rules.AreaSecurity,
	Title: rules.Text{FR: "Sécurité des pages d'accueil et de connexion", EN: "Security of the home and login pages"},
	Short: rules.Text{FR: "Sécurité", EN: "Security"},
	Method: rules.Text{
		FR: "Ce que reçoit un navigateur en chargeant en ligne les pages d'accueil et de connexion (redirections comprises) : versions de TLS proposées (une négociation par version), certificat et chaîne, en-têtes de sécurité (HSTS, CSP, protection contre l'affichage en cadre, nosniff, politique de référent), cookies déposés avant connexion, adresse où le formulaire de connexion envoie le mot de passe. Sur une copie enregistrée, seul le formulaire se lit.",
		EN: "What a browser receives when loading the live home and login pages (redirects included): TLS versions offered (one handshake per version), certificate and chain, security headers (HSTS, CSP, framing protection, nosniff, referrer policy), cookies set before login, where the login form sends the password. On a saved copy, only the form can be read.",
	},
	Check: &checks.Check{
		Run:    Check,
		Piece:  rules.Text{FR: "page de connexion en ligne", EN: "live login page"},
		Args:   rules.Text{FR: "URL|FICHIER [--ca-file AC.pem]", EN: "URL|FILE [--ca-file CA.pem]"},
		About:  rules.Text{FR: "audite TLS, en-têtes, cookies et formulaire d'une page de connexion", EN: "audit a login page's TLS, headers, cookies and form"},
		Scoped: true,
		Help: rules.Text{
			FR: "Audite ce que reçoit un navigateur en chargeant une page de connexion en ligne : versions de TLS, certificat et chaîne, en-têtes de sécurité, cookies déposés avant connexion, adresse où le formulaire envoie le mot de passe (sur une copie enregistrée, seul le formulaire se lit). --metadata nomme l'IdP auquel le formulaire peut envoyer le mot de passe.",
			EN: "Audit what a browser receives when loading a live login page: TLS versions, certificate and chain, security headers, cookies set before login, where the form sends the password (on a saved copy, only the form can be read). --metadata names the IdP the form may send the password to.",
		},
		Options: []string{"ca-file", "metadata", "allow-http", "allow-private-network"},
	},
	Audit: &checks.Audit{
		Reads: []checks.Read{
			checks.ReadBy(homePiece, rules.InArea(rules.AreaSecurity)...),
			checks.ReadBy(loginPiece, rules.InArea(rules.AreaSecurity)...),
		},
		Run: func(env *checks.Env, src checks.Sources) []result.Finding {
			return Audit(env, src.One(homePiece), src.One(loginPiece))
		},
	},
}
