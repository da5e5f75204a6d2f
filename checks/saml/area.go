package saml

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Area describes the saml area (see checks.Area).
var Area = &checks.Area{
	ID:    rules.AreaSAML,
	Title: rules.Text{FR: "Connecteur SAML vers le GAR", EN: "SAML connector to the GAR"},
	Short: rules.Text{FR: "SAML", EN: "SAML"},
	Method: rules.Text{
		FR: "Lecture des métadonnées SAML du connecteur GAR : signature, certificats et dates, liaisons, attributs transmis au GAR.",
		EN: "SAML metadata of the GAR connector: signature, certificates and dates, bindings, attributes released to the GAR.",
	},
	Check: &checks.Check{
		Run:   Check,
		Piece: rules.Text{FR: "métadonnées SAML", EN: "SAML metadata"},
		Args:  rules.Text{FR: "FICHIER|URL [options]", EN: "FILE|URL [options]"},
		About: rules.Text{FR: "audite les métadonnées SAML de l'IdP", EN: "audit the IdP's SAML metadata"},
		Help: rules.Text{
			FR: "Audite les métadonnées SAML 2.0 de l'IdP de l'ENT envers le GAR : document, schéma, signature, certificats et dates, liaisons, attributs transmis.",
			EN: "Audit the SAML 2.0 metadata of the ENT's IdP toward the GAR: document, schema, signature, certificates and dates, bindings, attributes released.",
		},
		Options: []string{"id-ent", "allow-http", "allow-private-network"},
	},
	Audit: checks.Each(checks.SAMLMetadataPiece, auditAndObserve),
}
