package sso

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// capturesPiece are the dossier's SSO captures (a list: each is audited).
var capturesPiece = checks.Piece{Key: "sso_captures", Name: rules.Text{FR: "captures d'échanges SSO vers le GAR", EN: "captured SSO exchanges toward the GAR"}}

// dossierAudit audits each of the dossier's captures against its IdP
// metadata (the signing key, SSO-001; the issuer, SSO-004) and its GAR
// feed (the person, SSO-012): without one of them, those rules are not
// evaluated and the others run.
var dossierAudit = &checks.Audit{
	Reads: []checks.Read{
		checks.Required(capturesPiece),
		checks.ReadBy(checks.SAMLMetadataPiece, rules.SSO001, rules.SSO004),
		checks.ReadBy(checks.GARFeedPiece, rules.SSO012),
	},
	Run: func(env *checks.Env, src checks.Sources) []result.Finding {
		e := *env
		e.Opts.SSOMetadata, e.Opts.GARDir = src.One(checks.SAMLMetadataPiece), src.One(checks.GARFeedPiece)
		var out []result.Finding
		for _, c := range src[capturesPiece.Key] {
			out = append(out, Check(&e, c)...)
		}
		return out
	},
}

// Area describes the sso area (see checks.Area).
var Area = &checks.Area{
	ID:    rules.AreaSSO,
	Title: rules.Text{FR: "Échanges SSO capturés vers le GAR", EN: "Captured SSO exchanges toward the GAR"},
	Short: rules.Text{FR: "SSO", EN: "SSO"},
	Method: rules.Text{
		FR: "Lecture des réponses SAML réellement envoyées au GAR (captures HAR ou SAML-tracer) : signature et algorithmes, destinataire et audience, validité, NameID, attributs transmis et leur cohérence avec l'alimentation.",
		EN: "SAML responses actually sent to the GAR (HAR or SAML-tracer captures): signature and algorithms, destination and audience, validity, NameID, attributes released and their consistency with the feed.",
	},
	Check: &checks.Check{
		Run:   Check,
		Piece: rules.Text{FR: "capture d'échanges SSO vers le GAR", EN: "captured SSO exchanges toward the GAR"},
		Args: rules.Text{
			FR: "CAPTURE [--metadata IDP.xml] [--id-ent X] [--gar FLUX]\n[--gar-sp-entity-id ID --gar-sp-acs URL]",
			EN: "CAPTURE [--metadata IDP.xml] [--id-ent X] [--gar FEED]\n[--gar-sp-entity-id ID --gar-sp-acs URL]",
		},
		About: rules.Text{FR: "audite les réponses SAML d'une capture (HAR, SAML-tracer)", EN: "audit the SAML responses of a capture (HAR, SAML-tracer)"},
		Help: rules.Text{
			FR: "Audite les réponses SAML d'une capture d'échanges SSO vers le GAR (HAR, export SAML-tracer, SAMLResponse, extrait de sso-extract) : signature, émetteur, destinataire, validité, NameID, attributs transmis.",
			EN: "Audit the SAML responses of a capture of SSO exchanges toward the GAR (HAR, SAML-tracer export, SAMLResponse, sso-extract extract): signature, issuer, recipient, validity, NameID, attributes released.",
		},
		Options: []string{"metadata", "id-ent", "gar", "gar-sp-entity-id", "gar-sp-acs"},
	},
	Audit: dossierAudit,
}
