package contract

import (
	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The pieces of a dossier the contract area reads.
var (
	contractPiece = checks.Piece{Key: "contract", Name: rules.Text{FR: "contrat de sous-traitance de l'éditeur (article 28 du RGPD)", EN: "vendor's processing contract (GDPR article 28)"}}
	secDocPiece   = checks.Piece{Key: "security_documentation", Name: rules.Text{FR: "documentation de sécurité de l'éditeur", EN: "vendor's security documentation"}, Optional: true}
)

// dossierAudit reads the contract and the security documentation. Every
// rule but CONTRACT-007 reads the contract: where the ENT's servers are
// is judged from the hosts the other areas saw, with or without it (a
// spot check of a live ENT has no contract).
var dossierAudit = &checks.Audit{
	Reads: []checks.Read{
		checks.ReadBy(contractPiece, rules.CONTRACT001, rules.CONTRACT002, rules.CONTRACT003, rules.CONTRACT004, rules.CONTRACT005),
		checks.ReadBy(secDocPiece, rules.CONTRACT006),
	},
	Run: func(env *checks.Env, src checks.Sources) []result.Finding {
		c := src.One(contractPiece)
		if c == "" {
			// the security documentation alone
			return []result.Finding{securityDocFinding(env, src.One(secDocPiece), true)}
		}
		return contractFindings(env, c, src.One(secDocPiece), true)
	},
}

// cross compares the contract with what the other areas saw, and locates
// the servers of the hosts they saw (also without a contract).
var cross = &checks.Cross{
	Always: true,
	Run: func(env *checks.Env, src checks.Sources) []result.Finding {
		hosts := env.Seen.Hosts()
		var fs []result.Finding
		if c := src.One(contractPiece); c != "" {
			l := load(env, c, Kind)
			if l.err != nil {
				// the audit run reported it on every rule of the area
				return nil
			}
			fs = declaredHosts(env, l.doc, hosts)
		}
		return append(fs, hostingFindings(env, hosts)...)
	},
}

// Area describes the contract area (see checks.Area).
var Area = &checks.Area{
	ID:    rules.AreaContract,
	Title: rules.Text{FR: "Engagements de l'éditeur", EN: "The vendor's commitments"},
	Short: rules.Text{FR: "Contrat", EN: "Contract"},
	Method: rules.Text{
		FR: "Lecture du contrat de sous-traitance (ou de son annexe de protection des données), phrase par phrase : clauses de l'article 28.3 du RGPD, notification des violations sous 48 heures, hébergement dans l'Union, interdiction de l'usage commercial ; comparaison de ses sous-traitants avec les hôtes que les pages, les métadonnées SAML et les captures SSO font intervenir, et, en ligne, lieu de leurs serveurs ; documentation de sécurité.",
		EN: "Reading of the processing contract (or its data protection annex), sentence by sentence: the clauses of GDPR article 28.3, breach notification within 48 hours, hosting in the Union, ban on commercial use; its sub-processors compared with the hosts the pages, SAML metadata and SSO captures involve and, live, where their servers are; security documentation.",
	},
	Checklist: rules.Text{
		FR: "Clauses du contrat : article 28.3 du RGPD, violations notifiées sous 48 heures, hébergement dans l'Union, aucun usage commercial",
		EN: "The contract's clauses: GDPR article 28.3, breaches notified within 48 hours, hosting in the Union, no commercial use",
	},
	Check: &checks.Check{
		Run:   Check,
		Piece: rules.Text{FR: "contrat de sous-traitance", EN: "processing contract"},
		Args:  rules.Text{FR: "FICHIER|URL [--security-doc FICHIER]", EN: "FILE|URL [--security-doc FILE]"},
		About: rules.Text{FR: "lit le contrat de sous-traitance de l'éditeur (PDF, DOCX, HTML, texte)", EN: "read the vendor's processing contract (PDF, DOCX, HTML, text)"},
		Help: rules.Text{
			FR: "Lit le contrat de sous-traitance de l'éditeur (ou son annexe de protection des données), en PDF, DOCX, HTML ou texte : clauses de l'article 28.3 du RGPD, violations notifiées sous 48 heures, hébergement dans l'Union, aucun usage commercial des données ; avec --security-doc, la documentation de sécurité.",
			EN: "Read the vendor's processing contract (or its data protection annex), as PDF, DOCX, HTML or text: the clauses of GDPR article 28.3, breaches notified within 48 hours, hosting in the Union, no commercial use of the data; with --security-doc, the security documentation.",
		},
		Options: []string{"security-doc", "geoip", "allow-http", "allow-private-network"},
	},
	Audit: dossierAudit,
	Cross: cross,
}
