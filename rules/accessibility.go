package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// The references of the accessibility area: article 47 of the law of 11
// February 2005, its décret, and the RGAA that fixes the mention and the
// statement's content; the Arcom checks them (article 47-1).
const (
	accessLawDoc   = "Loi n° 2005-102 du 11 février 2005, art. 47 ; décret n° 2019-768 du 24 juillet 2019 ; RGAA 4.1 (référentiel général d'amélioration de l'accessibilité)"
	accessLawDocEN = "Law no. 2005-102 of 11 February 2005, art. 47; decree no. 2019-768 of 24 July 2019; RGAA 4.1 (French general accessibility improvement framework)"
	accessURL      = "https://accessibilite.numerique.gouv.fr/obligations/declaration-accessibilite/"
	arcomFR        = "contrôle de l'Arcom (art. 47-1, ordonnance n° 2023-859 du 6 septembre 2023)"
	arcomEN        = "checked by the Arcom (art. 47-1, ordinance no. 2023-859 of 6 September 2023)"
)

// accessibilityRules are the rules of the accessibility area. Their logic
// lives in checks/notice, where the pages are parsed once.
var (
	ACC001 = &Rule{
		ID:       "ACC-001",
		Area:     AreaAccessibility,
		Severity: result.Majeur,
		Title: Text{
			FR: "Le pied de page des pages d'accueil et de connexion affiche « Accessibilité : totalement, partiellement ou non conforme » en lien vers la déclaration",
			EN: "The footer of the home and login pages shows \"Accessibilité : totalement, partiellement ou non conforme\" as a link to the statement",
		},
		Reference: Reference{
			Basis: BasisOfficial, Document: accessLawDoc, DocumentEN: accessLawDocEN,
			Clause:   "RGAA, mentions et pages obligatoires : mention de l'état de conformité sur la page d'accueil, page accessibilité accessible depuis chaque page ; " + arcomFR,
			ClauseEN: "RGAA, mandatory mentions and pages: mention of the conformity state on the home page, accessibility page reachable from every page; " + arcomEN,
			URL:      "https://accessibilite.numerique.gouv.fr/obligations/mentions-et-pages-obligatoires/",
		},
		Rationale: Text{
			FR: "Un ENT est un service public en ligne : sa page d'accueil doit afficher l'une des trois mentions légales, « Accessibilité : totalement conforme », « Accessibilité : partiellement conforme » ou « Accessibilité : non conforme », et chaque page mener à la déclaration d'accessibilité. La règle cherche la mention dans le pied de page des pages d'accueil et de connexion (détecté comme pour PAGE-001, éléments masqués exclus), avec un lien vers la déclaration (la mention elle-même, ou un lien « Accessibilité » ou « Déclaration d'accessibilité » du même bloc). Échouent : une mention seulement dans l'en-tête ou ailleurs que dans le pied de page, une mention sans lien, une formulation qui n'est pas l'une des trois (« conforme aux normes », « site accessible », « Accessibilité : conforme »), un modèle non rempli (« non/partiellement/totalement conforme »), un lien « Accessibilité » qui ne dit pas l'état de conformité, l'absence de toute mention. En ligne, le lien doit aboutir (HTTP 200) ; depuis une copie enregistrée, il est suivi dans le dossier. L'état affiché est comparé à celui de la déclaration (ACC-003).",
			EN: "An ENT is an online public service: its home page must show one of the three legal mentions, \"Accessibilité : totalement conforme\", \"Accessibilité : partiellement conforme\" or \"Accessibilité : non conforme\", and every page must lead to the accessibility statement. The rule looks for the mention in the footer of the home and login pages (found as for PAGE-001, hidden elements left out), with a link to the statement (the mention itself, or an \"Accessibilité\" or \"Déclaration d'accessibilité\" link of the same block). Fails: a mention only in the header or elsewhere than in the footer, a mention without a link, a wording that is not one of the three (\"conforme aux normes\", \"site accessible\", \"Accessibilité : conforme\"), an unfilled template (\"non/partiellement/totalement conforme\"), an \"Accessibilité\" link that does not give the conformity state, no mention at all. Live, the link must answer (HTTP 200); from a saved copy it is followed inside the dossier. The state shown is compared with the statement's (ACC-003).",
		},
		Remediation: Text{
			FR: "Ajouter au pied de page de chaque page, en lien vers la page Accessibilité qui porte la déclaration, la mention exacte qui correspond à l'audit : « Accessibilité : totalement conforme », « Accessibilité : partiellement conforme » ou « Accessibilité : non conforme ».",
			EN: "Add to the footer of every page, as a link to the accessibility page holding the statement, the exact mention matching the audit: \"Accessibilité : totalement conforme\", \"Accessibilité : partiellement conforme\" or \"Accessibilité : non conforme\".",
		},
		Action: Text{
			FR: "Faire afficher par l'éditeur, en bas des pages d'accueil et de connexion, la mention « Accessibilité : totalement, partiellement ou non conforme » avec un lien vers la déclaration d'accessibilité.",
			EN: "Have the vendor show, at the bottom of the home and login pages, the mention \"Accessibility: fully, partially or not compliant\" with a link to the accessibility statement.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/accessibility/pied-mention-ok.html", "fixtures/accessibility/pied-mention-bloc.html"},
			Bad:  []string{"fixtures/accessibility/mention-en-tete.html", "fixtures/accessibility/mention-sans-lien.html", "fixtures/accessibility/mention-inventee.html", "fixtures/accessibility/mention-modele.html"},
		},
	}
	ACC002 = &Rule{
		ID:       "ACC-002",
		Area:     AreaAccessibility,
		Severity: result.Majeur,
		Items:    AccessibilityItems,
		Title: Text{
			FR: "La déclaration d'accessibilité donne chaque élément exigé par le RGAA",
			EN: "The accessibility statement gives every item the RGAA requires",
		},
		Reference: Reference{
			Basis: BasisOfficial, Document: accessLawDoc, DocumentEN: accessLawDocEN,
			Clause:   "RGAA, déclaration d'accessibilité : état de conformité, résultat des tests, contenus non accessibles, établissement de la déclaration, technologies et environnement de test, retour d'information et contact, voies de recours ; " + arcomFR,
			ClauseEN: "RGAA, accessibility statement: conformity state, test results, non-accessible content, drawing up of the statement, technologies and test environment, feedback and contact, means of redress; " + arcomEN,
			URL:      accessURL,
		},
		Rationale: Text{
			FR: "La déclaration d'accessibilité a un contenu fixé : l'état de conformité (totalement, partiellement ou non conforme au RGAA), le taux de critères respectés quand un audit a été fait, la date de la déclaration et celle de l'audit, les contenus non accessibles (non-conformités, dérogations, contenus non soumis), les technologies utilisées et l'environnement de test, un moyen de contact (adresse électronique, formulaire) pour signaler un défaut et obtenir une alternative, et la possibilité de saisir le Défenseur des droits. Chaque élément fait l'objet d'un constat (champ item) qui cite la phrase où il est donné ; il est cherché phrase par phrase avec le titre de sa section, une cellule de tableau avec l'en-tête de sa colonne ou de sa ligne, avec ou sans accents, en HTML ou en PDF. Le taux et la date d'audit sont sans objet quand la déclaration dit qu'aucun audit n'a été fait (elle est alors « non conforme »), les contenus non accessibles pour une conformité totale. La déclaration est lue depuis le lien du pied de page, la pièce evidence.accessibility_statement du dossier, ou seule avec « sdetcheck check accessibility FICHIER|URL » ; sans elle, ses règles sont non évaluées.",
			EN: "The accessibility statement has a fixed content: the conformity state (\"totalement\", \"partiellement\" or \"non conforme\" to the RGAA), the rate of criteria met when an audit was made, the date of the statement and that of the audit, the non-accessible content (non-conformities, exemptions, content out of scope), the technologies used and the test environment, a means of contact (e-mail address, form) to report a defect and obtain an alternative, and the right to refer to the Defender of Rights. Each item has its own finding (item field) quoting the sentence that gives it; it is looked for sentence by sentence with its section's heading, a table cell with its column's or row's header, with or without accents, in HTML or PDF. The rate and the audit date do not apply when the statement says no audit was made (it is then \"non conforme\"), the non-accessible content for a total conformity. The statement is read from the footer link, the dossier's evidence.accessibility_statement piece, or alone with \"sdetcheck check accessibility FILE|URL\"; without it, its rules are not evaluated.",
		},
		Remediation: Text{
			FR: "Rédiger la déclaration selon le modèle du RGAA et compléter chaque élément signalé absent ; la republier et la déclarer sur le téléservice prévu.",
			EN: "Write the statement following the RGAA's model and complete each item reported missing; publish it again and file it on the designated online service.",
		},
		Action: Text{
			FR: "Faire compléter la déclaration d'accessibilité pour qu'elle donne chaque élément exigé par le référentiel d'accessibilité (RGAA), dont le recours au Défenseur des droits.",
			EN: "Have the accessibility statement completed so that it gives every item the accessibility standard (RGAA) requires, including the recourse to the French rights ombudsman.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/accessibility/declaration-complete.html", "fixtures/accessibility/declaration-tableau.html", "fixtures/accessibility/declaration-complete.pdf", "fixtures/accessibility/declaration-fraction.html"},
			Bad:  []string{"fixtures/accessibility/declaration-incomplete.html", "fixtures/accessibility/declaration-modele.html"},
		},
	}
	ACC003 = &Rule{
		ID:       "ACC-003",
		Area:     AreaAccessibility,
		Severity: result.Majeur,
		Title: Text{
			FR: "L'état de conformité déclaré correspond au taux de l'audit et à la mention du pied de page",
			EN: "The declared conformity state matches the audit's rate and the footer's mention",
		},
		Reference: Reference{
			Basis: BasisOfficial, Document: accessLawDoc, DocumentEN: accessLawDocEN,
			Clause:   "RGAA, déclaration d'accessibilité : conformité totale si tous les critères sont respectés, partielle si au moins 50 %, non-conformité si moins de 50 % ou sans audit en cours de validité",
			ClauseEN: "RGAA, accessibility statement: total conformity when every criterion is met, partial when at least 50 %, non-conformity below 50 % or without a valid audit",
			URL:      accessURL,
		},
		Rationale: Text{
			FR: "L'état de conformité se déduit du taux de critères du RGAA respectés : totalement conforme à 100 %, partiellement conforme de 50 % à moins de 100 %, non conforme en dessous de 50 % ou sans audit valide. Le taux lu est celui des critères respectés (le « taux global ») ; un « taux moyen » ne sert pas à l'état. Un état totalement ou partiellement conforme sans taux, ou avec une déclaration qui dit qu'aucun audit n'a été fait, échoue. La mention du pied de page de chaque page (ACC-001) doit donner le même état que la déclaration : un pied de page « partiellement conforme » avec une déclaration « non conforme » trompe l'usager.",
			EN: "The conformity state follows from the rate of RGAA criteria met: \"totalement conforme\" at 100 %, \"partiellement conforme\" from 50 % to below 100 %, \"non conforme\" below 50 % or without a valid audit. The rate read is that of criteria met (the \"global rate\"); an \"average rate\" is not used for the state. A total or partial state without a rate, or with a statement saying no audit was made, fails. Each page's footer mention (ACC-001) must give the same state as the statement: a \"partiellement conforme\" footer with a \"non conforme\" statement misleads users.",
		},
		Remediation: Text{
			FR: "Aligner l'état déclaré sur le taux de l'audit (et refaire l'audit s'il n'y en a pas de valide), puis reporter exactement cet état dans la mention du pied de page de toutes les pages.",
			EN: "Align the declared state with the audit's rate (and redo the audit if none is valid), then carry exactly that state into the footer mention of every page.",
		},
		Action: Text{
			FR: "Faire corriger la déclaration d'accessibilité ou la mention en bas des pages pour que l'état déclaré corresponde au taux mesuré par l'audit.",
			EN: "Have the accessibility statement or the mention at the bottom of the pages corrected so that the state declared matches the rate the audit measured.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/accessibility/declaration-complete.html", "fixtures/accessibility/pied-mention-ok.html"},
			Bad:  []string{"fixtures/accessibility/declaration-etat-incoherent.html", "fixtures/accessibility/pied-etat-different.html", "fixtures/accessibility/declaration-partielle-sans-audit.html"},
		},
	}
	ACC004 = &Rule{
		ID:       "ACC-004",
		Area:     AreaAccessibility,
		Severity: result.Majeur,
		Title: Text{
			FR: "La déclaration d'accessibilité a moins de trois ans à la date de l'audit",
			EN: "The accessibility statement is less than three years old at the audit date",
		},
		Reference: Reference{
			Basis: BasisOfficial, Document: accessLawDoc, DocumentEN: accessLawDocEN,
			Clause:   "RGAA, validité de la déclaration d'accessibilité : mise à jour au plus tard trois ans après sa publication",
			ClauseEN: "RGAA, validity of the accessibility statement: updated at the latest three years after its publication",
			URL:      accessURL,
		},
		Rationale: Text{
			FR: "La déclaration est valide à partir de sa publication et doit être mise à jour au plus tard trois ans après (plus tôt en cas de refonte du site). La date lue est la plus récente des dates d'établissement et de mise à jour de la déclaration (« établie le », « mise à jour le »), à défaut celle de l'audit ; elle est comparée à la date de l'audit sdetcheck (--now). Les dates sont lues sous leurs formes françaises (« 12 mars 2024 », « 1er mars 2024 », « 12/03/2024 », « 2024-03-12 », « mars 2024 », mois abrégés). Sans aucune date lisible, la déclaration est non datée : rien ne montre qu'elle a moins de trois ans, la règle échoue (ACC-002 signale aussi l'absence de date).",
			EN: "The statement is valid from its publication and must be updated at the latest three years later (earlier after a redesign of the site). The date read is the latest of the statement's drawing-up and update dates (\"établie le\", \"mise à jour le\"), failing them the audit's; it is compared with the date of the sdetcheck audit (--now). Dates are read in their French forms (\"12 mars 2024\", \"1er mars 2024\", \"12/03/2024\", \"2024-03-12\", \"mars 2024\", abbreviated months). Without any readable date the statement is undated: nothing shows it is less than three years old, and the rule fails (ACC-002 also reports the missing date).",
		},
		Remediation: Text{
			FR: "Refaire l'évaluation de conformité et publier une déclaration à jour, datée.",
			EN: "Redo the conformity assessment and publish an up-to-date, dated statement.",
		},
		Action: Text{
			FR: "Faire refaire l'audit d'accessibilité et mettre à jour la déclaration : elle doit dater de moins de trois ans.",
			EN: "Have the accessibility audit redone and the statement updated: it must be less than three years old.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/accessibility/declaration-complete.html"},
			Bad:  []string{"fixtures/accessibility/declaration-perimee.html", "fixtures/accessibility/declaration-totale-perimee.html"},
		},
	}
)

var accessibilityRules = []*Rule{ACC001, ACC002, ACC003, ACC004}

// AccessibilityItems are the keys of ACC-002's findings (their "item"), in
// the order of the RGAA's model statement that the report's checklist
// follows.
var AccessibilityItems = []string{
	"etat-conformite", "taux-conformite", "contenus-non-accessibles", "date-declaration", "date-audit",
	"technologies", "environnement-test", "contact", "defenseur-droits",
}
