package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// The references of the contract area.
var (
	// gdprArt28 is the GDPR's article on processors.
	gdprArt28 = Reference{
		Basis:      BasisOfficial,
		Document:   "Règlement (UE) 2016/679 (RGPD)",
		DocumentEN: "Regulation (EU) 2016/679 (GDPR)",
		Clause:     "art. 28 (28.2 et 28.4 sous-traitants ultérieurs, 28.3 a à h clauses du contrat), art. 32 à 36 ; convention collectivité–DSDEN (modèle académique de Poitiers, texte non public) : contrat de sous-traitance au sens de l'art. 28 entre la collectivité et l'éditeur, coordonnées des délégués à la protection des données",
		ClauseEN:   "art. 28 (28.2 and 28.4 sub-processors, 28.3 a to h contract clauses), art. 32 to 36; local authority–DSDEN agreement (Poitiers academic model, text not public): an art. 28 processing contract between the local authority and the vendor, contacts of the data protection officers",
		URL:        "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679",
	}
	// cnil2017 is the CNIL's demand to the ministry: three binding points
	// for the digital services used at school.
	cnil2017 = Reference{
		Basis:      BasisOfficial,
		Document:   "CNIL, communiqué du 23 mai 2017 sur la protection des données scolaires (le courrier adressé à la ministre de l'Éducation nationale n'est pas public)",
		DocumentEN: "CNIL, press release of 23 May 2017 on the protection of school data (the letter to the Minister of Education is not public)",
	}
	// conventionIncidents is the convention's clause on incidents.
	conventionIncidents = Reference{
		Basis:      BasisNotPublic,
		Document:   "Convention collectivité–DSDEN (modèle académique de Poitiers ; pas de version publique en ligne)",
		DocumentEN: "Local authority–DSDEN agreement (Poitiers academic model; no public version online)",
		Clause:     "signalement à la DSDEN de tout incident de sécurité ou violation de données au plus tard 48 heures après sa connaissance (article non cité : texte non public) ; RGPD art. 33.2 (le sous-traitant notifie toute violation au responsable du traitement)",
		ClauseEN:   "any security incident or data breach reported to the DSDEN at most 48 hours after it is known (article not cited: text not public); GDPR art. 33.2 (the processor notifies every breach to the controller)",
	}
)

// contractRules are the rules of the contract area: the vendor's
// commitments in its processing contract, and what the other pieces show
// of them. Their logic lives in checks/contract.
var (
	CONTRACT001 = &Rule{
		ID:       "CONTRACT-001",
		Area:     AreaContract,
		Severity: result.Majeur,
		Items:    ContractClauses,
		Points:   []Point{{Item: "securite", Rank: 3, Title: Text{FR: "Mesures de sécurité conformes aux normes en vigueur", EN: "Security measures meeting the standards in force"}}},
		Title: Text{
			FR: "Le contrat de sous-traitance contient chaque clause exigée par l'article 28.3 du RGPD",
			EN: "The processing contract holds every clause GDPR article 28.3 requires",
		},
		Reference: gdprArt28,
		Rationale: Text{
			FR: "La convention avec la DSDEN oblige la collectivité à signer avec l'éditeur un contrat de sous-traitance au sens de l'article 28 du RGPD. Chaque clause exigée fait l'objet d'un constat (champ item) qui cite la phrase du contrat qui la donne : traitement sur instruction documentée (instructions), confidentialité des personnes autorisées (confidentialite), mesures de sécurité de l'article 32, avec les référentiels cités (RGS, PSSIE, ANSSI, ISO 27001, SecNumCloud) quand le contrat les nomme (securite), sous-traitants ultérieurs soumis à autorisation écrite préalable et liste nommant chacun avec sa prestation et son pays (sous-traitants), aide à l'exercice des droits des personnes (assistance-droits), aide aux obligations des articles 32 à 36 (assistance-conformite), audits et inspections (audits), délégué à la protection des données de l'éditeur et ses coordonnées (dpo), suppression ou restitution de toutes les données, sauvegardes comprises, dans un délai fixé au terme du contrat (fin-de-contrat). Une clause est un engagement, pas un mot : la phrase est lue avec son titre, sa ligne de tableau ou la phrase qui introduit sa liste, à la forme active ou passive ; une négation (« n'est pas tenu de »), une faculté (« peut », « s'efforce ») ou une exception (« sauf ») n'engagent pas.",
			EN: "The agreement with the DSDEN obliges the local authority to sign with the vendor a processing contract under GDPR article 28. Each required clause has its own finding (item field) quoting the contract's sentence that gives it: processing on documented instructions (instructions), confidentiality of the authorised persons (confidentialite), the security measures of article 32, with the standards cited (RGS, PSSIE, ANSSI, ISO 27001, SecNumCloud) when the contract names them (securite), sub-processors under prior written authorisation and a list naming each with its service and country (sous-traitants), help with data subjects' rights (assistance-droits), help with the obligations of articles 32 to 36 (assistance-conformite), audits and inspections (audits), the vendor's data protection officer and contact (dpo), deletion or return of all data, backups included, within a set delay at the contract's end (fin-de-contrat). A clause is a commitment, not a word: the sentence is read with its heading, its table row or the lead-in of its list, in the active or passive voice; a negation (\"n'est pas tenu de\"), an option (\"peut\", \"s'efforce\") or an exception (\"sauf\") commits to nothing.",
		},
		Remediation: Text{
			FR: "Faire compléter le contrat (ou son annexe de protection des données) par l'éditeur avec chaque clause signalée absente, sur le modèle de clauses de sous-traitance de la CNIL, puis le signer de nouveau.",
			EN: "Have the vendor add each clause reported missing to the contract (or its data protection annex), on the CNIL's model processing clauses, then sign it again.",
		},
		Action: Text{
			FR: "Faire compléter le contrat de sous-traitance par l'éditeur pour qu'il contienne chaque clause exigée par l'article 28 du RGPD.",
			EN: "Have the vendor complete the processing contract so that it holds every clause GDPR article 28 requires.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/contract/contrat-conforme.html", "fixtures/contract/contrat-conforme.docx", "fixtures/contract/contrat-conforme.pdf", "fixtures/contract/contrat-conforme.txt"},
			Bad:  []string{"fixtures/contract/contrat-clauses-manquantes.html"},
		},
	}
	CONTRACT002 = &Rule{
		ID:       "CONTRACT-002",
		Area:     AreaContract,
		Severity: result.Majeur,
		Items:    []string{"violation-48h"},
		Title: Text{
			FR: "L'éditeur notifie toute violation de données ou tout incident de sécurité à la collectivité dans un délai de 48 heures au plus",
			EN: "The vendor notifies every data breach or security incident to the local authority within 48 hours at most",
		},
		Reference: conventionIncidents,
		Rationale: Text{
			FR: "La convention oblige la collectivité à signaler à la DSDEN tout incident au plus tard 48 heures après l'avoir connu : elle ne le peut que si l'éditeur l'en informe plus tôt encore. Le contrat doit donc fixer un délai maximal chiffré de 48 heures au plus pour toute violation de données personnelles ou tout incident de sécurité. « Dans les meilleurs délais » sans maximum, 72 heures (le délai de la notification à la CNIL, art. 33.1), ou une notification réservée aux violations « graves » ne suffisent pas ; « immédiatement » ou « sans délai » sans maximum chiffré est à vérifier ; un délai en jours ouvrés peut dépasser 48 heures.",
			EN: "The agreement obliges the local authority to report any incident to the DSDEN at most 48 hours after knowing of it: it can only do so if the vendor tells it sooner still. The contract must therefore set a maximum delay of at most 48 hours for every personal data breach or security incident. \"Dans les meilleurs délais\" with no maximum, 72 hours (the delay of the notification to the CNIL, art. 33.1) or a notification reserved to \"serious\" breaches are not enough; \"immédiatement\" or \"sans délai\" with no figure is to be checked; a delay in working days may exceed 48 hours.",
		},
		Remediation: Text{
			FR: "Faire écrire dans le contrat : « Le titulaire notifie à la collectivité toute violation de données à caractère personnel et tout incident de sécurité dans un délai maximal de 48 heures après en avoir pris connaissance. »",
			EN: "Have the contract say: \"Le titulaire notifie à la collectivité toute violation de données à caractère personnel et tout incident de sécurité dans un délai maximal de 48 heures après en avoir pris connaissance.\"",
		},
		Action: Text{
			FR: "Obtenir de l'éditeur l'engagement écrit de signaler toute violation de données ou tout incident de sécurité en 48 heures au plus.",
			EN: "Obtain the vendor's written commitment to report any data breach or security incident within 48 hours at most.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/contract/contrat-conforme.html", "fixtures/contract/contrat-conforme.docx", "fixtures/contract/contrat-conforme.txt"},
			Bad:  []string{"fixtures/contract/contrat-72h.txt", "fixtures/contract/contrat-meilleurs-delais.docx"},
		},
	}
	CONTRACT003 = &Rule{
		ID:       "CONTRACT-003",
		Area:     AreaContract,
		Severity: result.Bloquant,
		Items:    []string{"hebergement-ue"},
		Points:   []Point{{Item: "hebergement-ue", Rank: 2, Title: Text{FR: "Données hébergées en France ou dans l'Union européenne", EN: "Data hosted in France or in the European Union"}}},
		Title: Text{
			FR: "Les données et leurs sauvegardes sont hébergées en France ou dans l'Union européenne, sans transfert hors de l'Union",
			EN: "The data and their backups are hosted in France or in the European Union, with no transfer outside it",
		},
		Reference: Reference{
			Basis:      BasisOfficial,
			Document:   cnil2017.Document,
			DocumentEN: cnil2017.DocumentEN,
			Clause:     "hébergement des données scolaires en France ou en Europe ; RGPD chapitre V (art. 44 à 49, transferts hors de l'Union)",
			ClauseEN:   "school data hosted in France or in Europe; GDPR chapter V (art. 44 to 49, transfers outside the Union)",
		},
		Rationale: Text{
			FR: "La CNIL a demandé au ministère un encadrement contraignant de l'hébergement des données scolaires en France ou en Europe, et aux collectivités de ne recourir qu'à des services qui le respectent. Le contrat doit situer les données et leurs sauvegardes en France, dans l'Union européenne ou l'Espace économique européen, et n'y permettre aucun transfert hors de l'Union. Un transfert vers un pays tiers, même encadré par des clauses contractuelles types, et un sous-traitant ultérieur établi hors de l'Union sont des échecs qui nomment le pays et le sous-traitant ; un lieu des sauvegardes non précisé est à vérifier.",
			EN: "The CNIL asked the ministry for binding rules hosting school data in France or in Europe, and local authorities to use only services that keep to them. The contract must place the data and their backups in France, the European Union or the European Economic Area, and allow no transfer outside the Union. A transfer to a third country, even under standard contractual clauses, and a sub-processor established outside the Union are failures naming the country and the sub-processor; backups whose location is not stated are to be checked.",
		},
		Remediation: Text{
			FR: "Faire écrire dans le contrat que les données et leurs sauvegardes sont hébergées exclusivement en France ou dans l'Union européenne, sans aucun transfert hors de l'Union, et remplacer tout sous-traitant ultérieur établi hors de l'Union.",
			EN: "Have the contract state that the data and their backups are hosted only in France or in the European Union, with no transfer outside the Union, and replace any sub-processor established outside the Union.",
		},
		Action: Text{
			FR: "Exiger que les données et leurs sauvegardes restent en France ou dans l'Union européenne, sans transfert hors de l'Union.",
			EN: "Require the data and their backups to stay in France or in the European Union, with no transfer outside the Union.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/contract/contrat-conforme.html", "fixtures/contract/contrat-conforme.docx", "fixtures/contract/contrat-conforme.txt"},
			Bad:  []string{"fixtures/contract/contrat-hors-ue.html"},
		},
	}
	CONTRACT004 = &Rule{
		ID:       "CONTRACT-004",
		Area:     AreaContract,
		Severity: result.Bloquant,
		Items:    []string{"usage-commercial"},
		Points:   []Point{{Item: "usage-commercial", Rank: 1, Title: Text{FR: "Aucun usage commercial des données scolaires", EN: "No commercial use of school data"}}},
		Title: Text{
			FR: "Le contrat interdit tout usage commercial des données des élèves et des personnels",
			EN: "The contract forbids any commercial use of pupils' and staff's data",
		},
		Reference: Reference{
			Basis:      BasisOfficial,
			Document:   cnil2017.Document,
			DocumentEN: cnil2017.DocumentEN,
			Clause:     "non-utilisation des données scolaires à des fins commerciales ; RGPD art. 28.3.a (traitement sur instruction seulement) et 28.10 (un sous-traitant qui détermine les finalités est responsable du traitement)",
			ClauseEN:   "no use of school data for commercial purposes; GDPR art. 28.3.a (processing on instructions only) and 28.10 (a processor that determines the purposes is a controller)",
		},
		Rationale: Text{
			FR: "La CNIL a demandé que les données scolaires ne puissent être utilisées à des fins commerciales. Le contrat doit l'interdire expressément, et aucune de ses phrases ne doit le permettre : publicité, profilage, vente ou cession, réutilisation des données (même « anonymisées » ou « pseudonymisées ») pour d'autres produits ou services de l'éditeur ou de partenaires, entraînement de modèles, messages promotionnels aux familles. Une interdiction suivie d'une exception (« sauf », « toutefois ») vaut permission pour ce que l'exception couvre.",
			EN: "The CNIL asked that school data may not be used for commercial purposes. The contract must forbid it expressly, and none of its sentences may allow it: advertising, profiling, sale or transfer, reuse of the data (even \"anonymised\" or \"pseudonymised\") for the vendor's or partners' other products or services, training of models, promotional messages to families. A prohibition followed by an exception (\"sauf\", \"toutefois\") allows what the exception covers.",
		},
		Remediation: Text{
			FR: "Faire écrire dans le contrat que le titulaire s'interdit toute utilisation des données des élèves et des personnels à des fins commerciales, publicitaires ou de profilage, toute cession et toute réutilisation, même anonymisée, pour d'autres fins que l'exécution du contrat, et supprimer toute clause qui le permet.",
			EN: "Have the contract state that the vendor refrains from any use of pupils' and staff's data for commercial, advertising or profiling purposes, any sale and any reuse, even anonymised, for other purposes than performing the contract, and delete any clause that allows it.",
		},
		Action: Text{
			FR: "Faire inscrire dans le contrat l'interdiction de tout usage commercial des données des élèves et des personnels (publicité, profilage, revente, réutilisation).",
			EN: "Have the contract forbid any commercial use of pupils' and staff's data (advertising, profiling, sale, reuse).",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/contract/contrat-conforme.html", "fixtures/contract/contrat-conforme.docx", "fixtures/contract/contrat-conforme.txt"},
			Bad:  []string{"fixtures/contract/contrat-usage-commercial.html"},
		},
	}
	CONTRACT005 = &Rule{
		ID:       "CONTRACT-005",
		Area:     AreaContract,
		Severity: result.Majeur,
		Title: Text{
			FR: "Chaque tiers auquel l'ENT fait appel est un sous-traitant déclaré au contrat",
			EN: "Every third party the ENT uses is a sub-processor the contract declares",
		},
		Reference: Reference{
			Basis:      BasisOfficial,
			Document:   "Règlement (UE) 2016/679 (RGPD)",
			DocumentEN: "Regulation (EU) 2016/679 (GDPR)",
			Clause:     "art. 28.2 et 28.4 (sous-traitants ultérieurs autorisés par écrit), art. 13.1.e et 14.1.e (destinataires)",
			ClauseEN:   "art. 28.2 and 28.4 (sub-processors authorised in writing), art. 13.1.e and 14.1.e (recipients)",
			URL:        "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679",
		},
		Rationale: Text{
			FR: "Un service tiers que les pages chargent (script, police, image, mesure d'audience), ou qu'un échange SSO ou les métadonnées SAML font intervenir, reçoit au moins l'adresse IP et la navigation des élèves : c'est un sous-traitant ultérieur de l'éditeur, qui doit être autorisé et listé au contrat. Chaque hôte vu par les autres domaines de l'audit est comparé au domaine de l'ENT (son adresse déclarée, celle des pages, à défaut l'entityID de l'IdP), aux domaines que le contrat nomme (site, adresses de l'éditeur et des sous-traitants) et aux sous-traitants qu'il liste ; les services de l'État (GAR, ÉduConnect, domaines education.gouv.fr) ne sont pas des sous-traitants. Un hôte non déclaré est un échec qui le nomme. Seul un audit de dossier voit ces hôtes.",
			EN: "A third-party service the pages load (script, font, image, audience measurement), or that an SSO exchange or the SAML metadata involve, receives at least the pupils' IP address and browsing: it is a sub-processor of the vendor, which must be authorised and listed in the contract. Each host the other areas of the audit saw is compared with the ENT's domain (its declared address, the pages', else the IdP's entityID), the domains the contract names (the vendor's and sub-processors' sites and addresses) and the sub-processors it lists; the State's services (GAR, EduConnect, education.gouv.fr domains) are not sub-processors. An undeclared host is a failure naming it. Only a dossier audit sees these hosts.",
		},
		Remediation: Text{
			FR: "Retirer des pages le service tiers non déclaré, ou le faire ajouter par l'éditeur à la liste des sous-traitants ultérieurs du contrat (nom, prestation, pays) après autorisation écrite de la collectivité.",
			EN: "Remove the undeclared third-party service from the pages, or have the vendor add it to the contract's list of sub-processors (name, service, country) after the local authority's written authorisation.",
		},
		Action: Text{
			FR: "Faire déclarer dans le contrat chaque prestataire que l'ENT fait intervenir, ou faire retirer ceux qui ne doivent pas l'être.",
			EN: "Have every provider the ENT involves declared in the contract, or have those that should not be there removed.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/dossiers/conforme"},
			Bad:  []string{"fixtures/dossiers/non-conforme"},
		},
	}
	CONTRACT006 = &Rule{
		ID:       "CONTRACT-006",
		Area:     AreaContract,
		Severity: result.Mineur,
		Actor:    ActorCollectivite,
		Title: Text{
			FR: "La documentation de sécurité de l'éditeur est fournie et date de moins de trois ans",
			EN: "The vendor's security documentation is supplied and less than three years old",
		},
		Reference: Reference{
			Basis:      BasisNotPublic,
			Document:   "Convention collectivité–DSDEN (modèle académique de Poitiers ; pas de version publique en ligne)",
			DocumentEN: "Local authority–DSDEN agreement (Poitiers academic model; no public version online)",
			Clause:     "transmission à la DSDEN de la documentation de sécurité de l'éditeur (article non cité : texte non public) ; RGPD art. 28.3.h (informations démontrant le respect des obligations)",
			ClauseEN:   "the vendor's security documentation sent to the DSDEN (article not cited: text not public); GDPR art. 28.3.h (information demonstrating compliance)",
		},
		Rationale: Text{
			FR: "La collectivité transmet à la DSDEN la documentation de sécurité de l'éditeur : plan d'assurance sécurité, certifications (ISO 27001, HDS, SecNumCloud), dernier test d'intrusion. La pièce (evidence.security_documentation, ou --security-doc) est lue, datée (date écrite dans le document, sinon celle de ses propriétés) et nommée dans le rapport ; une documentation de plus de trois ans, sans date ou illisible est signalée, une documentation absente est à demander.",
			EN: "The local authority sends the DSDEN the vendor's security documentation: security assurance plan, certifications (ISO 27001, HDS, SecNumCloud), last penetration test. The piece (evidence.security_documentation, or --security-doc) is read, dated (the date written in it, else its properties') and named in the report; documentation more than three years old, undated or unreadable is reported, missing documentation is to be asked for.",
		},
		Remediation: Text{
			FR: "Demander à l'éditeur sa documentation de sécurité à jour (plan d'assurance sécurité, certifications, rapport du dernier test d'intrusion), la joindre au dossier (evidence.security_documentation) et la transmettre à la DSDEN.",
			EN: "Ask the vendor for its current security documentation (security assurance plan, certifications, report of the last penetration test), add it to the dossier (evidence.security_documentation) and send it to the DSDEN.",
		},
		Action: Text{
			FR: "Demander à l'éditeur sa documentation de sécurité à jour (moins de trois ans) et la transmettre à la DSDEN.",
			EN: "Ask the vendor for its up-to-date security documentation (less than three years old) and send it to the DSDEN.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/contract/contrat-conforme.html"},
			Bad:  []string{"fixtures/contract/contrat-conforme.txt"},
		},
	}
	CONTRACT007 = &Rule{
		ID:       "CONTRACT-007",
		Area:     AreaContract,
		Severity: result.Majeur,
		Title: Text{
			FR: "Les serveurs de l'ENT et de ses tiers sont situés en France ou dans l'Union européenne",
			EN: "The servers of the ENT and of its third parties are in France or in the European Union",
		},
		Reference: Reference{
			Basis:      BasisOfficial,
			Document:   cnil2017.Document,
			DocumentEN: cnil2017.DocumentEN,
			Clause:     "hébergement des données scolaires en France ou en Europe",
			ClauseEN:   "school data hosted in France or in Europe",
		},
		Rationale: Text{
			FR: "Ce que dit le contrat se vérifie en partie : dans un audit en ligne, chaque hôte de l'ENT et de ses tiers (pages, métadonnées SAML, captures SSO) est résolu et ses adresses sont situées avec une base de géolocalisation hors ligne (--geoip, voir docs/contract.md : base libre, sa date est dite dans le constat). Une adresse hors de l'Union européenne ou de l'Espace économique européen est à vérifier, avec l'adresse, le pays et le réseau ; un réseau de diffusion (CDN) en anycast est signalé incertain, jamais deviné ; un hôte non résolu est à vérifier. La géolocalisation d'une adresse dit où répond le serveur, pas où sont stockées les données : elle corrobore le contrat, elle ne le remplace pas.",
			EN: "What the contract says can partly be checked: in a live audit each host of the ENT and its third parties (pages, SAML metadata, SSO captures) is resolved and its addresses located with an offline geolocation database (--geoip, see docs/contract.md: a free database, whose date the finding gives). An address outside the European Union or the European Economic Area is to be checked, with the address, country and network; an anycast content delivery network (CDN) is reported as uncertain, never guessed; a host that does not resolve is to be checked. Geolocating an address says where the server answers, not where the data are stored: it corroborates the contract, it does not replace it.",
		},
		Remediation: Text{
			FR: "Demander à l'éditeur où sont hébergés les serveurs signalés (contrat d'hébergement, région du fournisseur) ; héberger en France ou dans l'Union européenne tout service qui ne l'est pas, ou le retirer.",
			EN: "Ask the vendor where the reported servers are hosted (hosting contract, provider region); host in France or in the European Union any service that is not, or remove it.",
		},
		Action: Text{
			FR: "Demander à l'éditeur où sont hébergés ses serveurs et faire héberger en France ou dans l'Union ceux qui ne le sont pas.",
			EN: "Ask the vendor where its servers are hosted and have those outside France or the Union moved there.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/contract/hebergement-ue"},
			Bad:  []string{"fixtures/contract/hebergement-hors-ue"},
		},
	}
)

var contractRules = []*Rule{CONTRACT001, CONTRACT002, CONTRACT003, CONTRACT004, CONTRACT005, CONTRACT006, CONTRACT007}

// ContractClauses are the keys of CONTRACT-001's findings (their "item"):
// the clauses of GDPR article 28.3 in the article's order (a to h), then
// the vendor's data protection officer; the report's checklist follows it.
var ContractClauses = []string{
	"instructions", "confidentialite", "securite", "sous-traitants",
	"assistance-droits", "assistance-conformite", "fin-de-contrat", "audits", "dpo",
}
