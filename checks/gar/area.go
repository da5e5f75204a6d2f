package gar

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Area describes the gar area (see checks.Area).
var Area = &checks.Area{
	ID:    rules.AreaGAR,
	Title: rules.Text{FR: "Alimentation du GAR", EN: "GAR feed"},
	Short: rules.Text{FR: "GAR", EN: "GAR"},
	Method: rules.Text{
		FR: "Validation de l'export d'alimentation du GAR contre le schéma officiel, puis contrôles de cohérence sur chaque fichier.",
		EN: "GAR feed export validated against the official schema, then consistency checks on each file.",
	},
	Check: &checks.Check{
		Run:   Check,
		Piece: rules.Text{FR: "export GAR", EN: "GAR feed"},
		Args:  rules.Text{FR: "DOSSIER|TAR.GZ", EN: "DIR|TAR.GZ"},
		About: rules.Text{FR: "audite un export d'alimentation GAR", EN: "audit a GAR feed export"},
		Help: rules.Text{
			FR: "Audite un export d'alimentation GAR (fichiers GAR-ENT 1D ou 2D, répertoire ou archive avec son .md5) : nommage, XSD du GAR, cohérence, minimisation.",
			EN: "Audit a GAR feed export (GAR-ENT 1D or 2D files, a directory or an archive with its .md5): naming, the GAR's XSD, consistency, minimisation.",
		},
		Options: []string{"degree", "id-ent", "xsd-engine"},
	},
	Audit: checks.Each(checks.GARFeedPiece, Check),
}
