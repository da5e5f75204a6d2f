package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// dossierRules are about the dossier as a whole. Their logic lives in
// audit.
var (
	DOSSIER001 = &Rule{
		ID:            "DOSSIER-001",
		MissingPieces: true,
		Actor:         ActorCollectivite,
		Area:          AreaDossier,
		Severity:      result.Majeur,
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
			FR: "La conformité ne peut être attestée que sur pièces : métadonnées SAML du connecteur GAR, export d'alimentation GAR, correspondance AAF → ENT → GAR, captures des échanges SSO vers le GAR (depuis le catalogue 2026.12.0), pages d'accueil et de connexion, mentions d'information et leur version validée par la DSDEN, contrat de sous-traitance de l'éditeur (depuis le catalogue 2026.12.1 ; sa documentation de sécurité est facultative).",
			EN: "Conformity can only be attested from evidence: the GAR connector's SAML metadata, the GAR feed export, the AAF → ENT → GAR mapping, captures of the SSO exchanges toward the GAR (since catalogue 2026.12.0), the home and login pages, the information notice and the version validated by the DSDEN, the vendor's processing contract (since catalogue 2026.12.1; its security documentation is optional).",
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
	}
	DOSSIER002 = &Rule{
		ID:       "DOSSIER-002",
		Actor:    ActorDSDEN,
		Area:     AreaDossier,
		Severity: result.Mineur,
		Title: Text{
			FR: "Aucune dérogation n'est expirée",
			EN: "No waiver has expired",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Convention collectivité–DSDEN (modèle académique)",
			Clause:   "suivi des réserves et des dérogations accordées",
		},
		Rationale: Text{
			FR: "Une dérogation est accordée pour un temps limité, le temps que l'éditeur corrige l'écart. Passé sa date d'expiration, elle ne couvre plus l'échec, qui redevient bloquant pour la conformité ; l'expiration doit être vue par la collectivité et la DSDEN.",
			EN: "A waiver is granted for a limited time, while the vendor fixes the gap. Once expired it no longer covers the failure, which counts again against conformity; the local authority and the DSDEN must see the expiry.",
		},
		Remediation: Text{
			FR: "Faire corriger l'écart par l'éditeur, ou obtenir le renouvellement de la dérogation (nouvelle date d'expiration, justification à jour) auprès de qui l'a accordée.",
			EN: "Have the vendor fix the gap, or have whoever granted the waiver renew it (new expiry date, updated justification).",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/dossiers/derogation-valide"},
			Bad:  []string{"fixtures/dossiers/derogation-expiree"},
		},
	}
	DOSSIER003 = &Rule{
		ID:       "DOSSIER-003",
		Actor:    ActorCollectivite,
		Area:     AreaDossier,
		Severity: result.Mineur,
		Title: Text{
			FR: "Chaque dérogation couvre un échec constaté",
			EN: "Every waiver covers an actual failure",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Convention collectivité–DSDEN (modèle académique)",
			Clause:   "suivi des réserves et des dérogations accordées",
		},
		Rationale: Text{
			FR: "Une dérogation qui ne correspond à aucun échec est soit devenue inutile (l'écart a été corrigé), soit mal ciblée (règle ou portée erronée) et ne protège pas ce qu'elle devait couvrir. Dans les deux cas le fichier de dérogations doit être tenu à jour.",
			EN: "A waiver that matches no failure has either become useless (the gap was fixed) or is mistargeted (wrong rule or scope) and does not cover what it was meant to. Either way the waivers file must be kept up to date.",
		},
		Remediation: Text{
			FR: "Retirer la dérogation devenue inutile, ou corriger sa règle ou sa portée (scope) pour qu'elle désigne la pièce concernée.",
			EN: "Remove the waiver that is no longer needed, or fix its rule or scope so that it names the evidence concerned.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/dossiers/derogation-valide"},
			Bad:  []string{"fixtures/dossiers/derogation-inutile"},
		},
	}
)

var dossierRules = []*Rule{DOSSIER001, DOSSIER002, DOSSIER003}
