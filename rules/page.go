package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// conventionRef is the convention's placement requirement. It has no
// public official URL: it rests on the convention text as quoted in the
// issue and in the reference digest.
var conventionRef = Reference{
	Basis:    BasisOfficial,
	Document: "Convention collectivité–DSDEN (modèle académique de Poitiers ; pas de version publique en ligne)",
	Clause:   "mentions validées par la DSDEN placées en pied de page des écrans d'accueil et de connexion, visibles avant connexion",
}

// pageRules are the rules of the page area. Their logic lives in
// checks/notice.
var (
	PAGE001 = &Rule{
		ID:       "PAGE-001",
		Area:     AreaPage,
		Severity: result.Bloquant,
		Title: Text{
			FR: "Le pied de page des écrans d'accueil et de connexion a un lien visible vers les mentions d'information",
			EN: "The footer of the home and login screens has a visible link to the information notice",
		},
		Reference: conventionRef,
		Rationale: Text{
			FR: "Les mentions doivent être consultables avant connexion, depuis le pied de page des deux écrans (ou, à défaut, la dernière région de repère, si elle est en fin de page : jamais l'en-tête ni une barre de navigation suivie du contenu). Compte comme lien un <a href>, mais aussi un <a href=\"\">, un <a> sans adresse ou un <button> qui ouvre une fenêtre de la page (data-bs-target, data-target, aria-controls, <dialog>) : PAGE-002 suit alors le lien jusqu'à cette fenêtre. Un lien masqué (hidden, aria-hidden, display:none, visibility:hidden, replié dans un <details> fermé, taille nulle au rendu) ou présent seulement dans un bandeau cookies ou une fenêtre modale ne compte pas. Un pied de page dont le seul candidat est « Mentions légales » (ou les conditions générales d'utilisation, la charte d'utilisation) est jugé sur la page visée, car les mentions d'information en sont souvent une section : il réussit si elle les présente (au moins trois des informations de NOTICE-001), échoue si elle a été lue sans les présenter, et est « à vérifier » si elle n'a pas pu être lue et que rien d'autre sur la page ne lie les mentions. Quand la page lie les mentions ailleurs (en-tête, menu, contenu, à côté du formulaire) et que le pied de page n'a que « Mentions légales » ou aucun lien, les mentions existent mais ne sont pas là où la convention les place : la règle échoue et dit où est le lien (sa place, son texte, son adresse), et PAGE-002 suit ce lien. Sans --render, seul le HTML brut est lu : s'il n'a pas de contenu de pied de page et exécute des scripts, le résultat est « à vérifier » et propose --render.",
			EN: "The notice must be reachable before login from the footer of both screens (or, failing that, the last landmark region if it ends the page: never the header, nor a navigation bar followed by the content). An <a href> counts as a link, and so do an <a href=\"\">, an <a> without address or a <button> that opens a window of the page (data-bs-target, data-target, aria-controls, <dialog>): PAGE-002 then follows the link into that window. A hidden link (hidden, aria-hidden, display:none, visibility:hidden, folded in a closed <details>, zero size when rendered) or one only in a cookie banner or a modal does not count. A footer whose only candidate is \"Mentions légales\" (or the terms of use, the charter) is judged by the page it leads to, since the information notice is often one of its sections: it passes when that page presents the notice (three items of NOTICE-001 at least), fails when it was read and does not, and is \"to review\" when it could not be read and nothing else on the page links the notice. When the page links the notice elsewhere (header, menu, content, next to the login form) and the footer only has \"Mentions légales\" or no link, the notice exists but is not where the convention puts it: the rule fails and says where the link is (its place, text and address), and PAGE-002 follows that link. Without --render only the raw HTML is read: if it has no footer content and runs scripts, the result is \"to review\" and suggests --render.",
		},
		Remediation: Text{
			FR: "Ajouter dans le pied de page des pages d'accueil et de connexion un lien visible « Mentions d'information » (ou « Données personnelles ») vers les mentions validées.",
			EN: "Add a visible \"Mentions d'information\" (or \"Données personnelles\") link to the validated notice in the footer of the home and login pages.",
		},
		Action: Text{
			FR: "Ajouter en bas des pages d'accueil et de connexion un lien visible vers les mentions d'information.",
			EN: "Add a visible link to the information notice at the bottom of the home and login pages.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/page/accueil-ok.html", "fixtures/page/forme-cas-div-footer.html", "fixtures/page/forme-llng-main-footer.html", "fixtures/page/forme-keycloak-footer.html", "fixtures/page/forme-bouton-modale.html"},
			Bad:  []string{"fixtures/page/pied-sans-lien.html", "fixtures/page/lien-masque.html", "fixtures/page/connexion-js.html"},
		},
	}
	PAGE002 = &Rule{
		ID:       "PAGE-002",
		Area:     AreaPage,
		Severity: result.Bloquant,
		Title: Text{
			FR: "Le lien vers les mentions aboutit sans connexion",
			EN: "The notice link resolves without login",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Arrêté du 30 novembre 2006 modifié relatif aux espaces numériques de travail",
			Clause:   "art. 8 (information accessible depuis la page d'accueil de l'ENT)",
		},
		Rationale: Text{
			FR: "Un lien cassé, une erreur HTTP ou une redirection vers l'écran d'authentification privent de l'information les usagers qui n'ont pas encore de compte ou ne peuvent pas se connecter. En ligne, le lien est suivi sans cookie ni identifiant ; pour une page locale, il est résolu par rapport au fichier de la page, sans sortir de son dossier. Un lien qui ouvre une partie de la page (ancre, fenêtre modale) est suivi jusqu'à elle : elle doit présenter les mentions ; un lien qu'un script ouvre sans cible lisible est « à vérifier ». Depuis une page enregistrée, un lien relatif à la racine du site (/mentions) ou vers une URL ne se suit pas, ni un lien qui sort du répertoire de la page : les mentions ne sont pas lues, la règle est « non évaluée », jamais « sans objet », et la page ne peut pas être conforme (un audit en ligne les suit). Sans aucun lien vers les mentions, la règle est sans objet (l'échec est celui de PAGE-001) ; quand PAGE-001 n'a pas pu trancher (pied de page construit par JavaScript), elle est non évaluée.",
			EN: "A broken link, an HTTP error or a redirect to the login screen deprives of the information users who have no account yet or cannot log in. Live, the link is followed without cookie or credential; for a local page it is resolved against the page file, never leaving its directory. A link that opens a part of the page (anchor, modal) is followed into it: it must present the notice; a link a script opens without a readable target is \"to review\". From a saved page, a link relative to the site root (/mentions) or to a URL cannot be followed, nor one that leaves the page's directory: the notice is not read, the rule is \"not evaluated\", never \"not applicable\", and the page cannot be found compliant (a live audit follows it). Without any notice link the rule is not applicable (the failure is PAGE-001's); when PAGE-001 could not decide (a footer built by JavaScript) it is not evaluated.",
		},
		Remediation: Text{
			FR: "Publier les mentions à une adresse publique (HTTP 200, sans authentification) et y pointer le lien du pied de page.",
			EN: "Publish the notice at a public address (HTTP 200, no authentication) and point the footer link to it.",
		},
		Action: Text{
			FR: "Rendre les mentions d'information consultables sans se connecter.",
			EN: "Make the information notice readable without logging in.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/page/accueil-ok.html", "fixtures/page/forme-cas-div-footer.html", "fixtures/page/forme-llng-main-footer.html", "fixtures/page/forme-keycloak-footer.html"},
			Bad:  []string{"fixtures/page/lien-casse.html", "fixtures/page/lien-mur-connexion.html"},
		},
	}
	PAGE003 = &Rule{
		ID:       "PAGE-003",
		Area:     AreaPage,
		Severity: result.Majeur,
		Title: Text{
			FR: "Les pages d'accueil et de connexion mènent aux mêmes mentions, celles du dossier",
			EN: "The home and login pages lead to the same notice, the dossier's",
		},
		Reference: conventionRef,
		Rationale: Text{
			FR: "Les deux écrans doivent présenter les mentions validées par la DSDEN : deux textes différents, ou un lien vers un autre document que les mentions déclarées au dossier, signifient qu'au moins un écran n'affiche pas la version validée. Comparaison par document (même fichier ou même URL finale) ou par texte normalisé.",
			EN: "Both screens must present the notice validated by the DSDEN: two different texts, or a link to another document than the notice declared in the dossier, mean at least one screen does not show the validated version. Compared by document (same file or final URL) or by normalised text.",
		},
		Remediation: Text{
			FR: "Faire pointer le pied de page des deux écrans vers le même document de mentions validées.",
			EN: "Point the footer of both screens to the same validated notice document.",
		},
		Action: Text{
			FR: "Faire mener les liens des pages d'accueil et de connexion vers les mêmes mentions, celles que la DSDEN a validées.",
			EN: "Make the links of the home and login pages lead to the same notice, the one the DSDEN validated.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/page/dossier-ok"},
			Bad:  []string{"fixtures/page/dossier-mentions-differentes"},
		},
	}
	PAGE004 = &Rule{
		ID: "PAGE-004",
		LiveOnly: Text{
			FR: "Non évaluée sur pièces : la version de TLS et le certificat du site ne se vérifient qu'en ligne (la copie enregistrée ne les contient pas).",
			EN: "Not evaluated on saved copies: the site's TLS version and certificate can only be checked live.",
		},
		Area:     AreaPage,
		Severity: result.Majeur,
		Title: Text{
			FR: "Les pages sont servies en TLS 1.2 ou plus avec un certificat valide, sans contenu en http",
			EN: "Pages are served over TLS 1.2 or later with a valid certificate, without http content",
		},
		Reference: Reference{
			Basis:    BasisStandard,
			Document: "ANSSI, Recommandations de sécurité relatives à TLS",
		},
		Rationale: Text{
			FR: "L'écran de connexion reçoit les identifiants des usagers, dont des mineurs : il doit être servi en TLS 1.2 au moins, avec un certificat vérifié et valide à la date de l'audit, sans ressource ni formulaire en http (contenu mixte). Pour une page locale seule l'absence de contenu en http est vérifiable ; la version TLS et le certificat le sont en ligne.",
			EN: "The login screen receives users' credentials, minors' among them: it must be served over TLS 1.2 or later, with a verified certificate valid at the audit date, with no resource or form over http (mixed content). For a local page only the absence of http content can be checked; TLS version and certificate are checked live.",
		},
		Remediation: Text{
			FR: "Désactiver TLS 1.0 et 1.1, renouveler le certificat, servir toutes les ressources et actions de formulaire en https.",
			EN: "Disable TLS 1.0 and 1.1, renew the certificate, serve every resource and form action over https.",
		},
		Action: Text{
			FR: "Sécuriser le site : chiffrement à jour, certificat valide, aucun contenu transmis sans chiffrement.",
			EN: "Secure the site: up-to-date encryption, a valid certificate, no content sent unencrypted.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/page/accueil-ok.html"},
			Bad:  []string{"fixtures/page/contenu-http.html"},
		},
	}
	PAGE005 = &Rule{
		ID: "PAGE-005",
		LiveOnly: Text{
			FR: "Non évaluée sur pièces : ce que le navigateur charge sur le site en ligne (scripts ajoutés au chargement, bandeaux, redirections) ne se constate qu'en ligne ; seule la copie enregistrée a été examinée.",
			EN: "Not evaluated on saved copies: what a browser loads from the live site can only be seen live; only the saved copy was examined.",
		},
		Area:     AreaPage,
		Severity: result.Majeur,
		Title: Text{
			FR: "La page de connexion ne charge ni traceur ni ressource tierce avant connexion",
			EN: "The login page loads no tracker or third-party resource before login",
		},
		Reference: Reference{
			Basis:    BasisOfficial,
			Document: "Loi Informatique et Libertés, art. 82 ; CNIL, lignes directrices « cookies et autres traceurs »",
			Version:  "délibération n° 2020-091",
		},
		Rationale: Text{
			FR: "Avant connexion, aucun consentement n'a pu être recueilli et l'usager ne peut pas s'identifier : un traceur (Google Analytics, Tag Manager, Facebook, Hotjar, Matomo Cloud, AT Internet…) ou une ressource chargée depuis un autre domaine transmet son adresse IP et la page consultée à un tiers. Les traceurs sont reconnus aussi à leur extrait de code en ligne (_paq et setTrackerUrl de Matomo/Piwik, gtag, GTM-, ga(), ATInternet/xtcore, _hjSettings, fbq) et aux pixels <noscript> (matomo.php, piwik.php, /collect) : un Matomo qui envoie la mesure à un autre domaine que celui de la page est un traceur, que son serveur soit auto-hébergé ou un service en ligne, et la constatation nomme ce serveur. Chaque hôte est nommé : un traceur connu est un échec, une autre ressource tierce est à justifier (avertissement). Comparaison par domaine enregistrable (liste des suffixes publics). Un traceur que seule la configuration du gestionnaire de consentement nomme est « à vérifier ». Avec --render, les ressources chargées par les scripts sont comptées aussi.",
			EN: "Before login no consent could be collected and the user cannot identify: a tracker (Google Analytics, Tag Manager, Facebook, Hotjar, Matomo Cloud, AT Internet…) or a resource loaded from another domain sends their IP address and the page viewed to a third party. Trackers are also recognised by their inline snippets (Matomo/Piwik's _paq and setTrackerUrl, gtag, GTM-, ga(), ATInternet/xtcore, _hjSettings, fbq) and <noscript> pixels (matomo.php, piwik.php, /collect): a Matomo that sends to another domain than the page's is a tracker, whether its server is self-hosted or a SaaS, and the finding names that server. Each host is named: a known tracker fails, another third-party resource must be justified (warning). Compared by registrable domain (public suffix list). A tracker only the consent manager's configuration names is \"to review\". With --render, resources loaded by scripts count too.",
		},
		Remediation: Text{
			FR: "Retirer les traceurs de la page de connexion ; héberger polices, scripts et images sur le domaine de l'ENT.",
			EN: "Remove trackers from the login page; host fonts, scripts and images on the ENT's domain.",
		},
		Action: Text{
			FR: "Retirer de la page de connexion les outils de mesure d'audience et tout ce qui est chargé depuis d'autres sites.",
			EN: "Remove audience-measurement tools and anything loaded from other sites from the login page.",
		},
		Since:     "2026.11.0",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/page/accueil-ok.html", "fixtures/page/forme-connexion-consentement.html"},
			Bad:  []string{"fixtures/page/traceurs.html", "fixtures/page/traceur-matomo-autre-domaine.html"},
		},
	}
)

var pageRules = []*Rule{PAGE001, PAGE002, PAGE003, PAGE004, PAGE005}
