package mapping

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The pieces of a dossier the mapping area reads: the declared mapping,
// and the AAF samples and the GAR feed it is verified on (MAP-006). The
// samples are optional: without them the mapping is not verified on
// samples (MAP-006 sans objet).
var (
	mappingPiece = checks.Piece{Key: "mapping", Name: rules.Text{FR: "table de correspondance AAF → ENT → GAR", EN: "AAF → ENT → GAR mapping"}}
	aafPiece     = checks.Piece{Key: "aaf_samples", Name: rules.Text{FR: "échantillons AAF", EN: "AAF samples"}, Optional: true}
)

// dossierAudit audits the dossier's mapping, verified on its AAF samples
// and GAR feed when it gives them (MAP-006 reads them: without the feed,
// MAP-006 is not evaluated and the other rules run).
var dossierAudit = &checks.Audit{
	Reads: []checks.Read{
		checks.Required(mappingPiece),
		checks.ReadBy(checks.GARFeedPiece, rules.MAP006),
		checks.ReadBy(aafPiece, rules.MAP006),
	},
	Run: func(env *checks.Env, src checks.Sources) []result.Finding {
		e := *env
		e.Opts.AAFDir, e.Opts.GARDir = src.One(aafPiece), src.One(checks.GARFeedPiece)
		return Check(&e, src.One(mappingPiece))
	},
}

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
		Help: rules.Text{
			FR: "Audite la correspondance AAF → ENT → GAR déclarée par l'éditeur ; avec --aaf et --gar, la compare personne par personne aux échantillons.",
			EN: "Audit the AAF → ENT → GAR mapping the vendor declares; with --aaf and --gar, compare it person by person with the samples.",
		},
		Options: []string{"aaf", "gar"},
	},
	Audit: dossierAudit,
}
