package mapping

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/rules"
)

// mappingPiece is the dossier's declared mapping.
var mappingPiece = checks.Piece{Key: "mapping", Name: rules.Text{FR: "table de correspondance AAF → ENT → GAR", EN: "AAF → ENT → GAR mapping"}}

// Area describes the mapping area (see checks.Area).
var Area = &checks.Area{
	ID:    rules.AreaMapping,
	Title: rules.Text{FR: "Correspondance annuaire AAF → ENT → GAR", EN: "Directory mapping AAF → ENT → GAR"},
	Short: rules.Text{FR: "Annuaire", EN: "Directory"},
	Method: rules.Text{
		FR: "Lecture de la table de correspondance AAF → ENT → GAR, comparée personne par personne aux échantillons AAF et à l'export GAR fournis.",
		EN: "AAF → ENT → GAR mapping compared person by person with the AAF samples and the GAR export supplied.",
	},
	Check: &checks.Check{
		Run:   Check,
		Piece: rules.Text{FR: "correspondance AAF → ENT → GAR", EN: "AAF → ENT → GAR mapping"},
		Args:  rules.Text{FR: "FICHIER [--aaf DIR --gar DIR]", EN: "FILE [--aaf DIR --gar DIR]"},
	},
	Audit: checks.Each(mappingPiece, Check),
}
