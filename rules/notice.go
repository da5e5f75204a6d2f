package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// noticeRules are the rules of the notice area. Their logic lives in
// checks/notice.
var (
	NOTICE001 = &Rule{
		ID:       "NOTICE-001",
		Items:    NoticeItems,
		Area:     AreaNotice,
		Severity: result.Majeur,
		Title: Text{
			FR: "Les mentions d'information donnent chaque information exigée par les articles 13 et 14 du RGPD",
			EN: "The information notice gives every item GDPR articles 13 and 14 require",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Règlement (UE) 2016/679 (RGPD)",
			Clause:   "art. 13 et 14 (et 6.1.e pour la base légale, 26.2 pour les grandes lignes de l'accord de responsabilité conjointe) ; loi Informatique et Libertés, art. 85 (directives post-mortem)",
			URL:      "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679",
		},
		Rationale: Text{
			FR: "Les usagers de l'ENT (élèves, représentants légaux, personnels) doivent être informés avant tout traitement (arrêté du 30 novembre 2006 modifié). Une mention manquante (identité et coordonnées des responsables conjoints DSDEN et collectivité, DPO, finalités, base légale de mission d'intérêt public, catégories de données et leur source l'AAF, destinataires, durées de conservation, droits d'accès, de rectification, d'opposition, de limitation, directives post-mortem, réclamation auprès de la CNIL) rend l'information incomplète : chaque information fait l'objet d'un constat (champ item), qui cite la phrase où elle est donnée. Une information est une affirmation, pas un mot : elle est cherchée phrase par phrase, avec le titre de la section ou la phrase d'introduction d'une liste (le DPO de la CNIL, l'adresse d'un rectorat éditeur du site ou une « adresse postale » parmi les données collectées ne comptent pas ; « vous pouvez accéder aux données vous concernant », « ont accès aux données les seuls personnels habilités » comptent). Les grandes lignes de l'accord de responsabilité conjointe (art. 26.2) sont un point à vérifier quand les mentions ne les donnent pas : la convention les rend accessibles ailleurs (espace documentaire de l'ENT, information des familles en début d'année). Une phrase qui nie (« ne sont ni vendues ni transmises ») ou qui annonce le contenu des mentions (« notre politique décrit les droits dont vous bénéficiez ») ne donne pas l'information ; un responsable unique (« le Client est Responsable du traitement ») ne fait pas des responsables conjoints ; le droit d'accès au service (« le droit d'accès de l'Utilisateur est personnel, incessible ») n'est pas le droit d'accès aux données ; une base légale citée dans un autre ordre (« e) du 1 de l'article 6 », « 6(1)(e) ») ou dite en mots (« exécution du service public ») compte. Les informations sont reconnues aussi en anglais (politiques bilingues des éditeurs ; la langue est NOTICE-004). La lecture vaut avec ou sans accents, en HTML ou en PDF (texte reconstitué d'après la position des caractères) ; un PDF sans couche de texte (image numérisée) est « à vérifier ».",
			EN: "ENT users (pupils, legal guardians, staff) must be informed before any processing (decree of 30 November 2006 as amended). A missing item (identity and contact of the joint controllers DSDEN and local authority, DPO, purposes, public-interest legal basis, categories of data and their source the AAF, recipients, retention periods, rights of access, rectification, objection, restriction, post-mortem directives, complaint to the CNIL) makes the notice incomplete: each item has its own finding (item field), quoting the sentence that gives it. An item is a statement, not a word: it is looked for sentence by sentence, with the section's heading or a list's lead-in (the CNIL's DPO, the address of a rectorat publishing the site or a \"postal address\" among the data collected do not count; \"vous pouvez accéder aux données vous concernant\", \"ont accès aux données les seuls personnels habilités\" do). The essence of the joint arrangement (art. 26.2) is a point to check when the notice does not give it: the convention makes it available elsewhere (the ENT's document space, the information to families at the start of the year). A sentence that denies (\"ne sont ni vendues ni transmises\") or announces what the notice says (\"our policy describes the rights you have\") does not give the item; a single controller (\"le Client est Responsable du traitement\") is no joint controllers; the right to use the service (\"le droit d'accès de l'Utilisateur est personnel, incessible\") is not the right of access to one's data; a legal basis cited in another order (\"e) du 1 de l'article 6\", \"6(1)(e)\") or said in words (\"exécution du service public\") counts. Items are recognised in English too (vendors' bilingual policies; the language is NOTICE-004). Reading works with or without accents, in HTML or PDF (text rebuilt from the characters' positions); a PDF without a text layer (a scan) is \"to review\".",
		},
		Remediation: Text{
			FR: "Compléter les mentions avec chaque information signalée absente (pour les grandes lignes de l'accord, vérifier qu'elles sont publiées ailleurs, sinon les ajouter), puis les faire valider de nouveau par la DSDEN.",
			EN: "Add each item reported missing to the notice (for the essence of the arrangement, check that it is published elsewhere, otherwise add it), then have the DSDEN validate it again.",
		},
		Action: Text{
			FR: "Compléter les mentions d'information avec les informations manquantes, puis les faire valider de nouveau par la DSDEN.",
			EN: "Complete the information notice with the missing items, then have the DSDEN validate it again.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/notice/mentions-completes.html", "fixtures/notice/mentions-sans-accents.html", "fixtures/notice/mentions-completes.pdf"},
			Bad:  []string{"fixtures/notice/mentions-incompletes.html"},
		},
	}
	NOTICE002 = &Rule{
		ID:       "NOTICE-002",
		Compares: true,
		Area:     AreaNotice,
		Severity: result.Majeur,
		Title: Text{
			FR: "Les mentions affichées sont la version validée par la DSDEN",
			EN: "The notice shown is the version validated by the DSDEN",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Convention collectivité–DSDEN (modèle académique de Poitiers ; pas de version publique en ligne)",
			Clause:   "mentions d'information validées par la DSDEN",
		},
		Rationale: Text{
			FR: "La DSDEN, responsable conjoint, valide le texte des mentions. Un texte modifié après validation n'engage plus les deux responsables. La comparaison porte sur tout le texte que le visiteur lit sur la page des mentions (hors en-tête, navigation et pied de page du site : un paragraphe ajouté après le contenu principal est une modification), normalisé (casse, accents, espaces et apostrophes typographiques ignorés) ; une différence est montrée phrase par phrase. Sans version validée (--reference), la règle est « non évaluée » : les autres règles s'appliquent au projet de mentions.",
			EN: "The DSDEN, as joint controller, validates the notice's text. A text changed after validation no longer binds both controllers. The comparison covers all the text a visitor reads on the notice page (but the site's header, navigation and footer: a paragraph added after the main content is a change), normalised (case, accents, spacing and typographic quotes ignored); a difference is shown sentence by sentence. Without the validated version (--reference), the rule is not evaluated: the other rules still judge a draft notice.",
		},
		Remediation: Text{
			FR: "Publier exactement le texte validé, ou soumettre le nouveau texte à la DSDEN et remplacer la version de référence une fois validé.",
			EN: "Publish exactly the validated text, or submit the new text to the DSDEN and replace the reference version once validated.",
		},
		Action: Text{
			FR: "Afficher exactement le texte des mentions validé par la DSDEN, ou lui faire valider le nouveau texte.",
			EN: "Display exactly the notice text the DSDEN validated, or have it validate the new text.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/notice/mentions-completes.html", "fixtures/notice/mentions-sans-accents.html", "fixtures/notice/mentions-completes.pdf"},
			Bad:  []string{"fixtures/notice/mentions-modifiees.html"},
		},
	}
	NOTICE003 = &Rule{
		ID:       "NOTICE-003",
		Area:     AreaNotice,
		Severity: result.Majeur,
		Title: Text{
			FR: "Les mentions annoncent la suppression des données au plus tard 3 mois après la fin du droit d'accès à l'ENT",
			EN: "The notice states that data are deleted at most 3 months after the right to use the ENT ends",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Arrêté du 30 novembre 2006 modifié relatif aux espaces numériques de travail",
			Clause:   "durée de conservation : suppression des données au plus tard trois mois après la fin du droit d'accès à l'ENT (article non cité : règle établie d'après le résumé de référence de l'arrêté, reference/aaf/README.md)",
		},
		Rationale: Text{
			FR: "L'arrêté ENT limite la conservation : les données d'un usager sont supprimées au plus tard trois mois après la fin de son droit d'accès (départ de l'établissement, fin de fonctions). Des mentions qui annoncent un délai plus long décrivent un traitement non conforme ; la collectivité doit le faire corriger avant de signer. La règle lit, phrase par phrase, un délai (« 3 mois », « trois mois », « 90 jours », « un an »…) compté depuis la fin, le départ, la clôture ou l'expiration ; un mois compte 30 jours. Les autres durées (traces de connexion, durée de scolarité) ne sont pas concernées. Si aucun délai de ce type n'est reconnu, le constat est « à vérifier ».",
			EN: "The decree on ENTs limits retention: a user's data are deleted at most three months after their right to use the ENT ends (leaving the school, end of duties). A notice stating a longer delay describes non-compliant processing; the local authority must have it corrected before signing. The rule reads, sentence by sentence, a delay (\"3 mois\", \"trois mois\", \"90 jours\", \"un an\"…) counted from the end, departure, closure or expiry; a month counts 30 days. Other durations (connection logs, length of schooling) are out of scope. If no such delay is recognised, the finding is \"to be checked\".",
		},
		Remediation: Text{
			FR: "Fixer la suppression des données au plus tard 3 mois après la fin du droit d'accès à l'ENT, l'écrire dans les mentions (« supprimées au plus tard 3 mois après la fin du droit d'accès à l'ENT »), puis les faire valider de nouveau par la DSDEN.",
			EN: "Set data deletion at most 3 months after the right to use the ENT ends, state it in the notice (\"supprimées au plus tard 3 mois après la fin du droit d'accès à l'ENT\"), then have the DSDEN validate it again.",
		},
		Action: Text{
			FR: "Supprimer les données au plus tard 3 mois après la fin de l'accès à l'ENT, l'écrire dans les mentions et les faire valider de nouveau par la DSDEN.",
			EN: "Delete the data at most 3 months after access to the ENT ends, say so in the notice and have the DSDEN validate it again.",
		},
		Since:     "2026.11.2",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/notice/mentions-completes.html", "fixtures/notice/mentions-sans-accents.html", "fixtures/notice/mentions-completes.pdf"},
			Bad:  []string{"fixtures/notice/mentions-modifiees.html", "fixtures/notice/mentions-sans-delai.html"},
		},
	}
)

// NOTICE004 rests on the law on the use of French (loi Toubon), whose
// article 1 makes French the language of public services and article 2
// requires it in any information given to the public on a service, and on
// GDPR art. 12.1 (information intelligible to the persons concerned).
var NOTICE004 = &Rule{
	ID:       "NOTICE-004",
	Area:     AreaNotice,
	Severity: result.Majeur,
	Title: Text{
		FR: "Les mentions d'information sont rédigées en français",
		EN: "The information notice is written in French",
	},
	Reference: Reference{
		Basis:      BasisOfficial,
		Document:   "Loi n° 94-665 du 4 août 1994 relative à l'emploi de la langue française (loi Toubon) ; Constitution, art. 2 ; Règlement (UE) 2016/679 (RGPD)",
		DocumentEN: "Law no. 94-665 of 4 August 1994 on the use of the French language (loi Toubon); French Constitution, art. 2; Regulation (EU) 2016/679 (GDPR)",
		Clause:     "loi Toubon, art. 1 (langue des services publics) et 2 (présentation et description d'un service offert au public) ; RGPD, art. 12.1 (information compréhensible, en des termes clairs et simples)",
		ClauseEN:   "loi Toubon, art. 1 (language of public services) and 2 (presentation and description of a service offered to the public); GDPR, art. 12.1 (intelligible information, in clear and plain language)",
		URL:        "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000349929",
	},
	Rationale: Text{
		FR: "Les mentions s'adressent aux élèves, à leurs représentants légaux et aux personnels d'un service public français : le français y est obligatoire (loi Toubon, art. 1 et 2 ; Constitution, art. 2) et une information dans une autre langue n'est pas compréhensible par les personnes concernées (RGPD, art. 12.1). Les éditeurs publient souvent une politique de confidentialité en anglais ou bilingue : NOTICE-001 en reconnaît les informations en anglais aussi, et cette règle dit, à part, si le texte remis aux familles est en français. La langue est reconnue aux mots grammaticaux les plus fréquents (articles, prépositions, pronoms) : un texte bilingue dont une version est française réussit, un texte écrit dans une autre langue échoue, un texte trop court pour en juger est « à vérifier ».",
		EN: "The notice is addressed to pupils, their legal guardians and the staff of a French public service: French is mandatory there (loi Toubon, art. 1 and 2; Constitution, art. 2) and information in another language is not intelligible to the persons concerned (GDPR, art. 12.1). Vendors often publish their privacy policy in English or in two languages: NOTICE-001 recognises its items in English too, and this rule says, separately, whether the text given to families is in French. The language is recognised by its most frequent function words (articles, prepositions, pronouns): a bilingual text with a French version passes, a text written in another language fails, a text too short to tell is \"to review\".",
	},
	Remediation: Text{
		FR: "Publier les mentions en français (une version dans une autre langue peut l'accompagner), puis les faire valider par la DSDEN.",
		EN: "Publish the notice in French (a version in another language may accompany it), then have the DSDEN validate it.",
	},
	Action: Text{
		FR: "Faire rédiger en français les mentions d'information remises aux familles (une version bilingue convient).",
		EN: "Have the information notice given to families written in French (a bilingual version is fine).",
	},
	Since:     "2026.12.1",
	Lifecycle: Stable,
	Examples: Examples{
		Good: []string{"fixtures/notice/mentions-completes.html", "fixtures/notice/mentions-bilingues.html", "fixtures/notice/mentions-completes.pdf"},
		Bad:  []string{"fixtures/notice/mentions-en-anglais.html"},
	},
}

var noticeRules = []*Rule{NOTICE001, NOTICE002, NOTICE003, NOTICE004}

// NoticeItems are the keys of NOTICE-001's findings (their "item"), in the
// order of articles 13 and 14 that the report's checklist follows.
var NoticeItems = []string{
	"responsables-conjoints", "accord-conjoint", "contact-responsables", "dpo",
	"finalites", "base-legale", "categories-donnees", "source-aaf",
	"destinataires", "conservation", "droit-acces", "droit-rectification",
	"droit-opposition", "droit-limitation", "directives-post-mortem", "reclamation-cnil",
}
