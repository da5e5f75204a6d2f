package rules

// actions say, for each rule, what must be done when it fails, in plain
// words for a reader who is not an engineer (a collectivité, the DSDEN):
// no element name, attribute, URN or file format. The report's action
// table gives it first; the rule's Remediation follows as the technical
// detail, for the vendor. They are set on the rules once the rules exist
// (init), so that the plain texts of every area read together here.
var actions = map[*Rule]Text{
	ACC001: {
		FR: "Faire afficher par l'éditeur, en bas des pages d'accueil et de connexion, la mention « Accessibilité : totalement, partiellement ou non conforme » avec un lien vers la déclaration d'accessibilité.",
		EN: "Have the vendor show, at the bottom of the home and login pages, the mention \"Accessibility: fully, partially or not compliant\" with a link to the accessibility statement.",
	},
	ACC002: {
		FR: "Faire compléter la déclaration d'accessibilité pour qu'elle donne chaque élément exigé par le référentiel d'accessibilité (RGAA), dont le recours au Défenseur des droits.",
		EN: "Have the accessibility statement completed so that it gives every item the accessibility standard (RGAA) requires, including the recourse to the French rights ombudsman.",
	},
	ACC003: {
		FR: "Faire corriger la déclaration d'accessibilité ou la mention en bas des pages pour que l'état déclaré corresponde au taux mesuré par l'audit.",
		EN: "Have the accessibility statement or the mention at the bottom of the pages corrected so that the state declared matches the rate the audit measured.",
	},
	ACC004: {
		FR: "Faire refaire l'audit d'accessibilité et mettre à jour la déclaration : elle doit dater de moins de trois ans.",
		EN: "Have the accessibility audit redone and the statement updated: it must be less than three years old.",
	},

	CONTRACT001: {
		FR: "Faire compléter le contrat de sous-traitance par l'éditeur pour qu'il contienne chaque clause exigée par l'article 28 du RGPD.",
		EN: "Have the vendor complete the processing contract so that it holds every clause GDPR article 28 requires.",
	},
	CONTRACT002: {
		FR: "Obtenir de l'éditeur l'engagement écrit de signaler toute violation de données ou tout incident de sécurité en 48 heures au plus.",
		EN: "Obtain the vendor's written commitment to report any data breach or security incident within 48 hours at most.",
	},
	CONTRACT003: {
		FR: "Exiger que les données et leurs sauvegardes restent en France ou dans l'Union européenne, sans transfert hors de l'Union.",
		EN: "Require the data and their backups to stay in France or in the European Union, with no transfer outside the Union.",
	},
	CONTRACT004: {
		FR: "Faire inscrire dans le contrat l'interdiction de tout usage commercial des données des élèves et des personnels (publicité, profilage, revente, réutilisation).",
		EN: "Have the contract forbid any commercial use of pupils' and staff's data (advertising, profiling, sale, reuse).",
	},
	CONTRACT005: {
		FR: "Faire déclarer dans le contrat chaque prestataire que l'ENT fait intervenir, ou faire retirer ceux qui ne doivent pas l'être.",
		EN: "Have every provider the ENT involves declared in the contract, or have those that should not be there removed.",
	},
	CONTRACT006: {
		FR: "Demander à l'éditeur sa documentation de sécurité à jour (moins de trois ans) et la transmettre à la DSDEN.",
		EN: "Ask the vendor for its up-to-date security documentation (less than three years old) and send it to the DSDEN.",
	},
	CONTRACT007: {
		FR: "Demander à l'éditeur où sont hébergés ses serveurs et faire héberger en France ou dans l'Union ceux qui ne le sont pas.",
		EN: "Ask the vendor where its servers are hosted and have those outside France or the Union moved there.",
	},

	DOSSIER001: {
		FR: "Fournir la pièce manquante, en la demandant à l'éditeur au besoin.",
		EN: "Supply the missing piece, asking the vendor for it if need be.",
	},
	DOSSIER002: {
		FR: "Faire corriger l'écart, ou faire renouveler la dérogation expirée par qui l'avait accordée.",
		EN: "Have the gap fixed, or have whoever granted the expired waiver renew it.",
	},
	DOSSIER003: {
		FR: "Retirer la dérogation qui ne sert plus, ou la corriger pour qu'elle désigne le bon écart.",
		EN: "Remove the waiver that no longer serves, or correct it so that it names the right gap.",
	},

	GAR001: {
		FR: "Nommer les fichiers de l'export comme le GAR l'exige.",
		EN: "Name the export's files as the GAR requires.",
	},
	GAR002: {
		FR: "Produire l'export pour le bon degré : écoles (1er degré) ou collèges et lycées (2nd degré).",
		EN: "Produce the export for the right degree: primary schools (1D) or secondary schools (2D).",
	},
	GAR003: {
		FR: "Livrer avec l'archive de l'export une empreinte de contrôle calculée sur cette archive même.",
		EN: "Deliver with the export's archive a checksum computed on that very archive.",
	},
	GAR004: {
		FR: "Indiquer dans chaque fichier de l'export la version du format utilisée.",
		EN: "State in each file of the export the version of the format used.",
	},
	GAR005: {
		FR: "Corriger l'export pour qu'il respecte le format officiel du GAR, et le contrôler avant chaque envoi.",
		EN: "Fix the export so that it follows the GAR's official format, and check it before each delivery.",
	},
	GAR006: {
		FR: "Décrire dans l'export chaque établissement cité, une seule fois.",
		EN: "Describe in the export every establishment referred to, once.",
	},
	GAR007: {
		FR: "Supprimer les comptes en double avant l'export : chaque personne doit avoir un seul identifiant.",
		EN: "Remove duplicate accounts before the export: each person must have a single identifier.",
	},
	GAR008: {
		FR: "Corriger dans l'export les rattachements des élèves et des personnels à leurs classes et groupes.",
		EN: "Fix in the export how pupils and staff are attached to their classes and groups.",
	},
	GAR009: {
		FR: "Corriger dans l'export la description des classes et des groupes.",
		EN: "Fix the description of classes and groups in the export.",
	},
	GAR010: {
		FR: "Déclarer dans l'export les matières et les formations (MEF) de chaque établissement.",
		EN: "Declare in the export each establishment's subjects and courses (MEF).",
	},
	GAR011: {
		FR: "Reprendre tel quel l'identifiant officiel (UAI) de chaque établissement donné par l'annuaire académique.",
		EN: "Use each establishment's official identifier (UAI) as the academic directory gives it.",
	},
	GAR012: {
		FR: "Donner à chaque personne l'un des profils que le GAR reconnaît (élève, enseignant, documentaliste…).",
		EN: "Give each person one of the profiles the GAR recognises (pupil, teacher, librarian…).",
	},
	GAR013: {
		FR: "N'écrire la civilité que sous la forme « M. » ou « Mme », ou ne pas la transmettre.",
		EN: "Write the title only as « M. » or « Mme », or leave it out.",
	},
	GAR014: {
		FR: "Vérifier la conversion des dates de naissance dans l'export.",
		EN: "Check how birth dates are converted in the export.",
	},
	GAR015: {
		FR: "Ne plus envoyer au GAR de données personnelles dont il n'a pas besoin (adresse électronique, téléphone, identifiant national de l'élève…).",
		EN: "Stop sending the GAR personal data it does not need (e-mail address, phone number, the pupil's national identifier…).",
	},
	GAR016: {
		FR: "Livrer dans chaque export complet un fichier de chacun des cinq types attendus, même court.",
		EN: "Deliver in every complete export one file of each of the five expected kinds, however short.",
	},

	MAP001: {
		FR: "Fournir la table de correspondance de l'annuaire dans le format attendu.",
		EN: "Supply the directory mapping table in the expected format.",
	},
	MAP002: {
		FR: "Indiquer d'où vient chaque donnée obligatoire envoyée au GAR.",
		EN: "State where each mandatory piece of data sent to the GAR comes from.",
	},
	MAP003: {
		FR: "Désigner chaque donnée d'origine par son nom exact dans l'annuaire académique.",
		EN: "Name each source data item by its exact name in the academic directory.",
	},
	MAP004: {
		FR: "Ne prévoir d'envoyer au GAR que les données que son format prévoit, prises aux bonnes sources.",
		EN: "Plan to send the GAR only the data its format provides for, taken from the right sources.",
	},
	MAP005: {
		FR: "Déclarer comment chaque donnée est convertie (dates, identifiants d'établissement, profils, civilité).",
		EN: "Declare how each data item is converted (dates, establishment identifiers, profiles, titles).",
	},
	MAP006: {
		FR: "Mettre en accord l'export réellement produit et la correspondance déclarée.",
		EN: "Make the export actually produced and the declared mapping agree.",
	},

	NOTICE001: {
		FR: "Compléter les mentions d'information avec les informations manquantes, puis les faire valider de nouveau par la DSDEN.",
		EN: "Complete the information notice with the missing items, then have the DSDEN validate it again.",
	},
	NOTICE002: {
		FR: "Afficher exactement le texte des mentions validé par la DSDEN, ou lui faire valider le nouveau texte.",
		EN: "Display exactly the notice text the DSDEN validated, or have it validate the new text.",
	},
	NOTICE003: {
		FR: "Supprimer les données au plus tard 3 mois après la fin de l'accès à l'ENT, l'écrire dans les mentions et les faire valider de nouveau par la DSDEN.",
		EN: "Delete the data at most 3 months after access to the ENT ends, say so in the notice and have the DSDEN validate it again.",
	},
	NOTICE004: {
		FR: "Faire rédiger en français les mentions d'information remises aux familles (une version bilingue convient).",
		EN: "Have the information notice given to families written in French (a bilingual version is fine).",
	},

	PAGE001: {
		FR: "Ajouter en bas des pages d'accueil et de connexion un lien visible vers les mentions d'information.",
		EN: "Add a visible link to the information notice at the bottom of the home and login pages.",
	},
	PAGE002: {
		FR: "Rendre les mentions d'information consultables sans se connecter.",
		EN: "Make the information notice readable without logging in.",
	},
	PAGE003: {
		FR: "Faire mener les liens des pages d'accueil et de connexion vers les mêmes mentions, celles que la DSDEN a validées.",
		EN: "Make the links of the home and login pages lead to the same notice, the one the DSDEN validated.",
	},
	PAGE004: {
		FR: "Sécuriser le site : chiffrement à jour, certificat valide, aucun contenu transmis sans chiffrement.",
		EN: "Secure the site: up-to-date encryption, a valid certificate, no content sent unencrypted.",
	},
	PAGE005: {
		FR: "Retirer de la page de connexion les outils de mesure d'audience et tout ce qui est chargé depuis d'autres sites.",
		EN: "Remove audience-measurement tools and anything loaded from other sites from the login page.",
	},

	SAML001: {
		FR: "Fournir la description de la connexion de l'ENT au GAR (métadonnées) telle que la produit son logiciel de connexion, complète et sans retouche.",
		EN: "Supply the description of the ENT's connection to the GAR (metadata) as its login software produces it, complete and untouched.",
	},
	SAML002: {
		FR: "Corriger la description de la connexion (métadonnées) pour qu'elle respecte la norme, en la faisant produire par le logiciel plutôt qu'à la main.",
		EN: "Fix the connection description (metadata) so that it follows the standard, having the software produce it rather than writing it by hand.",
	},
	SAML003: {
		FR: "Décrire dans les métadonnées le service de connexion de l'ENT, sous un nom sûr et stable (adresse https).",
		EN: "Describe the ENT's login service in the metadata, under a safe and stable name (https address).",
	},
	SAML004: {
		FR: "Déclarer des adresses de connexion sécurisées (https) que le GAR peut utiliser.",
		EN: "Declare secure (https) login addresses the GAR can use.",
	},
	SAML005: {
		FR: "Renouveler le certificat qui signe les connexions de l'ENT (robuste et en cours de validité) et l'annoncer au GAR avant son expiration.",
		EN: "Renew the certificate that signs the ENT's logins (strong and valid) and announce it to the GAR before it expires.",
	},
	SAML006: {
		FR: "Signer de nouveau les métadonnées, en entier, avec un algorithme actuel.",
		EN: "Sign the metadata again, as a whole, with a current algorithm.",
	},
	SAML007: {
		FR: "Signer les métadonnées publiées.",
		EN: "Sign the published metadata.",
	},
	SAML008: {
		FR: "Indiquer dans les métadonnées jusqu'à quand elles sont valables (moins d'un an) et les republier avant cette date.",
		EN: "State in the metadata until when it is valid (under a year) and republish it before that date.",
	},
	SAML009: {
		FR: "Offrir la déconnexion unique : se déconnecter de l'ENT déconnecte aussi des ressources.",
		EN: "Offer single logout: logging out of the ENT also logs out of the resources.",
	},
	SAML010: {
		FR: "Déclarer que l'ENT transmet au GAR un identifiant de connexion temporaire, différent à chaque connexion.",
		EN: "Declare that the ENT sends the GAR a temporary login identifier, different at each login.",
	},
	SAML011: {
		FR: "Transmettre au GAR les deux informations qu'il attend : l'identifiant du projet ENT et celui de la personne.",
		EN: "Send the GAR the two items it expects: the ENT project's identifier and the person's.",
	},
	SAML012: {
		FR: "Ne transmettre au GAR que ces deux informations, aucune autre.",
		EN: "Send the GAR those two items only, nothing else.",
	},
	SAML013: {
		FR: "Corriger l'identifiant du projet ENT transmis au GAR : celui que le GAR a attribué.",
		EN: "Fix the ENT project identifier sent to the GAR: the one the GAR assigned.",
	},

	SEC001: {
		FR: "Demander à l'éditeur de n'accepter sur ses serveurs que les versions récentes du chiffrement des connexions (TLS 1.2 et 1.3) et d'abandonner les anciennes.",
		EN: "Ask the vendor to accept on its servers only the recent versions of connection encryption (TLS 1.2 and 1.3) and to drop the old ones.",
	},
	SEC002: {
		FR: "Demander à l'éditeur d'installer un certificat valide, à jour et complet, au nom exact du site de l'ENT.",
		EN: "Ask the vendor to install a valid, current and complete certificate, for the exact name of the ENT's site.",
	},
	SEC003: {
		FR: "Demander à l'éditeur d'imposer aux navigateurs les connexions chiffrées au site pendant au moins un an.",
		EN: "Ask the vendor to make browsers use only encrypted connections to the site for at least a year.",
	},
	SEC004: {
		FR: "Demander à l'éditeur de protéger les cookies de session : envoyés seulement en connexion chiffrée, inaccessibles aux scripts et refusés aux autres sites.",
		EN: "Ask the vendor to protect session cookies: sent only over encrypted connections, out of scripts' reach and refused to other sites.",
	},
	SEC005: {
		FR: "Demander à l'éditeur d'empêcher qu'un autre site affiche la page de connexion à l'intérieur de la sienne.",
		EN: "Ask the vendor to prevent another site from showing the login page inside its own.",
	},
	SEC006: {
		FR: "Demander à l'éditeur que le formulaire de connexion envoie le mot de passe, chiffré, uniquement au site de l'ENT ou à son service d'authentification.",
		EN: "Ask the vendor to make the login form send the password, encrypted, only to the ENT's site or its authentication service.",
	},
	SEC007: {
		FR: "Demander à l'éditeur d'interdire aux navigateurs de deviner le type des contenus des pages.",
		EN: "Ask the vendor to forbid browsers from guessing the type of the pages' contents.",
	},
	SEC008: {
		FR: "Demander à l'éditeur que les pages n'envoient pas leur adresse complète aux autres sites.",
		EN: "Ask the vendor to make the pages stop sending their full address to other sites.",
	},
	SEC009: {
		FR: "Demander à l'éditeur une politique de sécurité des contenus qui limite vraiment les scripts que les pages peuvent exécuter.",
		EN: "Ask the vendor for a content security policy that really restricts the scripts the pages may run.",
	},

	SSO001: {
		FR: "Faire signer les connexions envoyées au GAR avec la clé officielle de l'ENT, celle que publient ses métadonnées.",
		EN: "Have the logins sent to the GAR signed with the ENT's official key, the one its metadata publishes.",
	},
	SSO002: {
		FR: "Signer les connexions avec un algorithme actuel (SHA-256 ou plus fort).",
		EN: "Sign the logins with a current algorithm (SHA-256 or stronger).",
	},
	SSO003: {
		FR: "Faire produire les messages de connexion par un logiciel maintenu, sans les modifier après leur signature.",
		EN: "Have the login messages produced by maintained software, without changing them after signing.",
	},
	SSO004: {
		FR: "Faire porter aux messages de connexion le nom officiel de l'ENT, celui de ses métadonnées.",
		EN: "Make the login messages carry the ENT's official name, the one of its metadata.",
	},
	SSO005: {
		FR: "Adresser les messages de connexion à l'adresse de réception du GAR.",
		EN: "Send the login messages to the GAR's receiving address.",
	},
	SSO006: {
		FR: "Réserver les messages de connexion au GAR, et à lui seul.",
		EN: "Intend the login messages for the GAR, and for it alone.",
	},
	SSO007: {
		FR: "Émettre les messages de connexion avec la méthode de confirmation standard qu'attend le GAR.",
		EN: "Issue the login messages with the standard confirmation method the GAR expects.",
	},
	SSO008: {
		FR: "Limiter la validité des messages de connexion à quelques minutes et tenir l'horloge du serveur à l'heure.",
		EN: "Limit the login messages' validity to a few minutes and keep the server's clock on time.",
	},
	SSO009: {
		FR: "Désigner la personne auprès du GAR par un identifiant temporaire, jamais par son adresse électronique, son identifiant de connexion ou son nom.",
		EN: "Designate the person to the GAR by a temporary identifier, never by their e-mail address, login or name.",
	},
	SSO010: {
		FR: "Transmettre au GAR l'identifiant du projet ENT qu'il a attribué.",
		EN: "Send the GAR the ENT project identifier it assigned.",
	},
	SSO011: {
		FR: "Transmettre au GAR, pour chaque personne, l'identifiant technique de l'alimentation, jamais un identifiant lisible ou national.",
		EN: "Send the GAR, for each person, the technical identifier of the feed, never a readable or national identifier.",
	},
	SSO012: {
		FR: "Transmettre au GAR exactement l'identifiant de la personne que porte l'alimentation, et n'ouvrir l'accès qu'aux personnes qui y figurent.",
		EN: "Send the GAR exactly the person's identifier the feed carries, and open access only to the people in the feed.",
	},
	SSO013: {
		FR: "Ne plus transmettre au GAR, à la connexion, d'autre donnée personnelle que les deux identifiants attendus.",
		EN: "Stop sending the GAR, at login, any personal data other than the two expected identifiers.",
	},
}

func init() {
	for r, a := range actions {
		r.Action = a
	}
}
