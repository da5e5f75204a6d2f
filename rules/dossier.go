package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// dossierRules are about the dossier as a whole. Their logic lives in
// internal/engine.
var dossierRules = []Rule{
	{
		ID:       "DOSSIER-001",
		Area:     AreaDossier,
		Severity: result.Majeur,
		Title: Text{
			FR: "Le dossier fournit chaque pièce exigée",
			EN: "The dossier provides every required piece of evidence",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Convention collectivité–DSDEN (modèle académique)",
			Clause:   "choix d'une solution respectant le SDET, raccordée au GAR, alimentée par l'AAF, avec mentions d'information validées",
		},
		Rationale: Text{
			FR: "La conformité ne peut être attestée que sur pièces : métadonnées SAML du connecteur GAR, export d'alimentation GAR, correspondance AAF → ENT → GAR, pages d'accueil et de connexion, mentions d'information et leur version validée par la DSDEN.",
			EN: "Conformity can only be attested from evidence: the GAR connector's SAML metadata, the GAR feed export, the AAF → ENT → GAR mapping, the home and login pages, the information notice and the version validated by the DSDEN.",
		},
		Remediation: Text{
			FR: "Demander à l'éditeur la pièce manquante et la déclarer dans ent.yaml (section evidence).",
			EN: "Ask the vendor for the missing piece and declare it in ent.yaml (evidence section).",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/dossiers/conforme"},
			Bad:  []string{"fixtures/dossiers/incomplet"},
		},
	},
}
