package sso

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/rules"
)

// capturesPiece are the dossier's SSO captures (a list: each is audited).
var capturesPiece = checks.Piece{Key: "sso_captures", Name: rules.Text{FR: "captures d'échanges SSO vers le GAR", EN: "captured SSO exchanges toward the GAR"}}

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
	},
	Audit: checks.Each(capturesPiece, Check),
}
