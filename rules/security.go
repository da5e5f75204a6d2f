package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// The references of the security area: the ANSSI's guides first, the
// CNIL's security guide, and the OWASP's ASVS where the French texts give
// no threshold (the length of an HSTS policy, the directives a content
// security policy needs).
const (
	anssiTLSDoc   = "ANSSI, Recommandations de sécurité relatives à TLS"
	anssiTLSDocEN = "ANSSI, Security recommendations for TLS"
	anssiTLSVer   = "v1.2 du 26 mars 2020 (SDE-NT-35)"
	anssiTLSVerEN = "v1.2 of 26 March 2020 (SDE-NT-35)"
	anssiTLSURL   = "https://www.ssi.gouv.fr/administration/guide/recommandations-de-securite-relatives-a-tls/"
	anssiWebDoc   = "ANSSI, Recommandations pour la mise en œuvre d'un site web : maîtriser les standards de sécurité côté navigateur"
	anssiWebDocEN = "ANSSI, Recommendations for implementing a website: mastering browser-side security standards"
	anssiWebVer   = "v2.0 du 28 avril 2021 (ANSSI-PA-009)"
	anssiWebVerEN = "v2.0 of 28 April 2021 (ANSSI-PA-009)"
	anssiWebURL   = "https://www.ssi.gouv.fr/entreprise/guide/recommandations-pour-la-securisation-des-sites-web/"
)

// liveOnlySecurity says why a saved copy of a page cannot settle a rule
// that reads what the server sends besides the HTML.
func liveOnlySecurity(whatFR, whatEN string) Text {
	return Text{
		FR: "Non évaluée sur pièces : une copie enregistrée de la page ne garde pas " + whatFR + " ; seul un audit en ligne de l'adresse https de la page peut en juger.",
		EN: "Not evaluated on saved copies: a saved copy of the page does not keep " + whatEN + "; only a live audit of the page's https address can judge it.",
	}
}

// securityRules are the rules of the security area. Their logic lives in
// checks/security.
var (
	SEC001 = &Rule{
		ID:       "SEC-001",
		Area:     AreaSecurity,
		Severity: result.Majeur,
		LiveOnly: liveOnlySecurity("les versions de TLS que propose le serveur", "the TLS versions the server offers"),
		Title: Text{
			FR: "Le serveur de la page ne propose que TLS 1.2 et TLS 1.3",
			EN: "The page's server offers TLS 1.2 and TLS 1.3 only",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiTLSDoc, DocumentEN: anssiTLSDocEN,
			Version: anssiTLSVer, VersionEN: anssiTLSVerEN,
			Clause: "§ 2.1 (versions de protocole : TLS 1.3 à privilégier, TLS 1.2 accepté, versions antérieures à proscrire)", ClauseEN: "§ 2.1 (protocol versions: TLS 1.3 preferred, TLS 1.2 accepted, earlier versions ruled out)",
			URL: anssiTLSURL,
		},
		Rationale: Text{
			FR: "TLS 1.0 et TLS 1.1 ont des faiblesses connues (suites de chiffrement obsolètes, attaques par repli) : un serveur qui les propose encore expose la connexion des élèves, parents et personnels à un repli. Chaque version (TLS 1.0, 1.1, 1.2, 1.3) est essayée par une négociation séparée, version minimale et maximale fixées, sur chaque serveur des pages auditées (redirections comprises) ; le constat nomme les versions acceptées. Un serveur qui ne propose que TLS 1.0 ou 1.1 échoue (il n'est pas « illisible » : la règle dit pourquoi un navigateur récent refuse la page). SSL 3.0 n'est pas essayé (la bibliothèque TLS de Go ne le parle pas).",
			EN: "TLS 1.0 and TLS 1.1 have known weaknesses (obsolete cipher suites, downgrade attacks): a server still offering them exposes the connection of pupils, parents and staff to a downgrade. Each version (TLS 1.0, 1.1, 1.2, 1.3) is tried by a separate handshake, minimum and maximum version pinned, on each server of the audited pages (redirects included); the finding names the versions accepted. A server offering only TLS 1.0 or 1.1 fails (it is not \"unreadable\": the rule says why a recent browser refuses the page). SSL 3.0 is not tried (Go's TLS library does not speak it).",
		},
		Remediation: Text{
			FR: "Désactiver TLS 1.0 et TLS 1.1 sur le serveur (ou le répartiteur de charge) et proposer TLS 1.2 et TLS 1.3 (par exemple ssl_protocols TLSv1.2 TLSv1.3 pour nginx, SSLProtocol -all +TLSv1.2 +TLSv1.3 pour Apache).",
			EN: "Disable TLS 1.0 and TLS 1.1 on the server (or the load balancer) and offer TLS 1.2 and TLS 1.3 (for instance ssl_protocols TLSv1.2 TLSv1.3 for nginx, SSLProtocol -all +TLSv1.2 +TLSv1.3 for Apache).",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/tls-ancien.html", "fixtures/security/tls-ancien-seul.html"},
		},
	}
	SEC002 = &Rule{
		ID:       "SEC-002",
		Area:     AreaSecurity,
		Severity: result.Majeur,
		LiveOnly: liveOnlySecurity("le certificat du serveur", "the server's certificate"),
		Title: Text{
			FR: "Le certificat du serveur est valide pour son nom, en cours de validité, avec sa chaîne complète",
			EN: "The server's certificate is valid for its name, within its validity period, with its complete chain",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiTLSDoc, DocumentEN: anssiTLSDocEN,
			Version: anssiTLSVer, VersionEN: anssiTLSVerEN,
			Clause: "§ 3 (mise en place de l'IGC : attributs des certificats X.509, contrôle de validité)", ClauseEN: "§ 3 (PKI set-up: X.509 certificate attributes, validity checking)",
			URL: anssiTLSURL,
		},
		Rationale: Text{
			FR: "Un certificat expiré, émis pour un autre nom ou dont le serveur n'envoie pas les certificats intermédiaires habitue les usagers à passer outre les alertes du navigateur, ou les bloque. La chaîne présentée par le serveur est vérifiée telle quelle, à la date de l'audit (--now), pour le nom de la page, sans aller chercher les intermédiaires manquants (pas de téléchargement AIA : certains navigateurs le font, d'autres non) ; les autorités reconnues sont celles du système, plus celle de --ca-file (site de pré-production à autorité privée). Le constat dit le sujet, l'émetteur et la date de fin du certificat. Une clé RSA de moins de 2048 bits échoue aussi.",
			EN: "An expired certificate, one issued for another name, or one whose server does not send the intermediate certificates trains users to click through browser warnings, or locks them out. The chain the server presents is verified as it is, at the audit date (--now), for the page's name, without fetching missing intermediates (no AIA fetching: some browsers do it, others do not); the trusted authorities are the system's, plus --ca-file's (a pre-production site with a private authority). The finding gives the certificate's subject, issuer and end date. An RSA key shorter than 2048 bits fails too.",
		},
		Remediation: Text{
			FR: "Installer un certificat émis pour le nom du site, le renouveler avant son expiration (renouvellement automatique) et configurer le serveur pour qu'il envoie la chaîne complète (certificat puis intermédiaires, par exemple le fichier fullchain.pem).",
			EN: "Install a certificate issued for the site's name, renew it before it expires (automatic renewal) and configure the server to send the complete chain (certificate then intermediates, for instance the fullchain.pem file).",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/certificat-expire.html", "fixtures/security/certificat-autre-nom.html", "fixtures/security/chaine-incomplete.html"},
		},
	}
	SEC003 = &Rule{
		ID:       "SEC-003",
		Area:     AreaSecurity,
		Severity: result.Majeur,
		LiveOnly: liveOnlySecurity("l'en-tête HTTP Strict-Transport-Security", "the Strict-Transport-Security HTTP header"),
		Title: Text{
			FR: "Les réponses https portent HSTS (Strict-Transport-Security) d'une durée d'au moins un an",
			EN: "The https responses carry HSTS (Strict-Transport-Security) lasting at least one year",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiWebDoc, DocumentEN: anssiWebDocEN,
			Version: anssiWebVer, VersionEN: anssiWebVerEN,
			Clause: "HSTS ; durée (max-age) d'au moins un an : OWASP ASVS 5.0.0, exigence V3.4.1", ClauseEN: "HSTS; lifetime (max-age) of at least one year: OWASP ASVS 5.0.0, requirement V3.4.1",
			URL: anssiWebURL,
		},
		Rationale: Text{
			FR: "Sans HSTS, un usager qui tape l'adresse de l'ENT ou suit un lien en http peut être intercepté avant la redirection vers https (réseau wifi public, box) et se voir présenter une fausse page de connexion. L'en-tête Strict-Transport-Security de la réponse finale de chaque page est lu (le premier s'il y en a plusieurs, comme le fait un navigateur) : absent, sans max-age valide, ou d'une durée inférieure à un an (31 536 000 secondes), il échoue ; le constat donne la valeur observée. includeSubDomains et preload sont signalés s'ils sont présents, non exigés.",
			EN: "Without HSTS, a user who types the ENT's address or follows an http link can be intercepted before the redirect to https (public wifi, home router) and shown a fake login page. The Strict-Transport-Security header of each page's final response is read (the first one if there are several, as a browser does): absent, without a valid max-age, or lasting less than one year (31,536,000 seconds), it fails; the finding gives the observed value. includeSubDomains and preload are noted when present, not required.",
		},
		Remediation: Text{
			FR: "Envoyer sur toutes les réponses https l'en-tête Strict-Transport-Security avec « max-age=31536000 » et « includeSubDomains » (une fois le site entièrement servi en https).",
			EN: "Send on every https response the header \"Strict-Transport-Security: max-age=31536000; includeSubDomains\" (once the whole site is served over https).",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/hsts-court.html", "fixtures/security/en-tetes-absents.html"},
		},
	}
	SEC004 = &Rule{
		ID:       "SEC-004",
		Area:     AreaSecurity,
		Severity: result.Majeur,
		LiveOnly: liveOnlySecurity("les cookies que dépose le serveur (en-têtes Set-Cookie)", "the cookies the server sets (Set-Cookie headers)"),
		Title: Text{
			FR: "Les cookies de session et d'authentification déposés avant la connexion portent Secure, HttpOnly et SameSite",
			EN: "The session and authentication cookies set before login carry Secure, HttpOnly and SameSite",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiWebDoc, DocumentEN: anssiWebDocEN,
			Version: anssiWebVer, VersionEN: anssiWebVerEN,
			Clause: "attributs des cookies ; OWASP ASVS 5.0.0, exigences V3.3.1 (Secure), V3.3.2 (SameSite) et V3.3.4 (HttpOnly)", ClauseEN: "cookie attributes; OWASP ASVS 5.0.0, requirements V3.3.1 (Secure), V3.3.2 (SameSite) and V3.3.4 (HttpOnly)",
			URL: anssiWebURL,
		},
		Rationale: Text{
			FR: "Le cookie de session de l'écran de connexion devient, une fois l'usager connecté, la clé de son compte : sans Secure il peut partir en clair, sans HttpOnly un script injecté le lit, sans SameSite il accompagne les requêtes forgées depuis un autre site. Chaque en-tête Set-Cookie des réponses reçues en chargeant les pages (redirections comprises) est lu. Un cookie de session ou d'authentification (reconnu à son nom : JSESSIONID, PHPSESSID, SESSION, CASTGC, TGC, KEYCLOAK_…, AUTH_SESSION_ID, lemonldap, _shibsession…, ou tout nom où figure session, sess, sid, auth, token, login) doit porter les trois attributs ; SameSite=None est signalé (le cookie part avec les requêtes d'autres sites). Un autre cookie (langue, consentement, jeton anti-CSRF lu par la page) doit porter Secure (avertissement sinon). Le constat nomme chaque cookie et ses attributs, jamais sa valeur. Les cookies posés par la connexion elle-même (après l'envoi du mot de passe) ne sont pas observés : sdetcheck ne se connecte pas.",
			EN: "The login screen's session cookie becomes, once the user is logged in, the key to their account: without Secure it may travel in clear, without HttpOnly an injected script reads it, without SameSite it goes along with requests forged from another site. Every Set-Cookie header of the responses received while loading the pages (redirects included) is read. A session or authentication cookie (recognised by its name: JSESSIONID, PHPSESSID, SESSION, CASTGC, TGC, KEYCLOAK_…, AUTH_SESSION_ID, lemonldap, _shibsession…, or any name holding session, sess, sid, auth, token, login) must carry all three attributes; SameSite=None is flagged (the cookie goes along with other sites' requests). Another cookie (language, consent, an anti-CSRF token the page reads) must carry Secure (a warning otherwise). The finding names each cookie and its attributes, never its value. The cookies the login itself sets (once the password is sent) are not observed: sdetcheck does not log in.",
		},
		Remediation: Text{
			FR: "Configurer le serveur d'applications ou le serveur CAS/SSO pour que ses cookies de session portent les attributs Secure, HttpOnly et SameSite=Lax (ou Strict), et les autres cookies au moins Secure.",
			EN: "Configure the application server or the CAS/SSO server so that its session cookies carry \"Secure; HttpOnly; SameSite=Lax\" (or Strict), and the other cookies Secure at least.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/cookie-session-faible.html", "fixtures/security/cookie-redirection.html"},
		},
	}
	SEC005 = &Rule{
		ID:       "SEC-005",
		Area:     AreaSecurity,
		Severity: result.Majeur,
		LiveOnly: liveOnlySecurity("ce que disent les en-têtes Content-Security-Policy (frame-ancestors) et X-Frame-Options", "what the Content-Security-Policy (frame-ancestors) and X-Frame-Options headers say"),
		Title: Text{
			FR: "La page de connexion ne peut pas être affichée dans un cadre par un autre site",
			EN: "The login page cannot be framed by another site",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiWebDoc, DocumentEN: anssiWebDocEN,
			Version: anssiWebVer, VersionEN: anssiWebVerEN,
			Clause: "protection contre le détournement de clic (frame-ancestors, X-Frame-Options) ; OWASP ASVS 5.0.0, exigence V3.4.6", ClauseEN: "protection against clickjacking (frame-ancestors, X-Frame-Options); OWASP ASVS 5.0.0, requirement V3.4.6",
			URL: anssiWebURL,
		},
		Rationale: Text{
			FR: "Un site malveillant qui affiche l'écran de connexion dans un cadre invisible peut faire saisir ou cliquer l'usager à son insu (détournement de clic). La directive frame-ancestors de l'en-tête Content-Security-Policy ('none', 'self' ou les seules adresses du site) ou, à défaut, X-Frame-Options (DENY ou SAMEORIGIN) l'empêche ; frame-ancestors l'emporte quand les deux sont présents, comme dans les navigateurs. Absents, ALLOW-FROM (ignoré des navigateurs), un joker (*, https:) : échec ; une liste qui nomme un autre site : avertissement, à justifier. frame-ancestors dans une balise <meta> est sans effet et ne compte pas. La règle porte sur la page de connexion, et sur la page d'accueil quand elle a un formulaire de mot de passe.",
			EN: "A malicious site that shows the login screen in an invisible frame can make the user type or click unknowingly (clickjacking). The frame-ancestors directive of the Content-Security-Policy header ('none', 'self' or the site's own addresses only) or, failing it, X-Frame-Options (DENY or SAMEORIGIN) prevents it; frame-ancestors prevails when both are present, as in browsers. Absent, ALLOW-FROM (ignored by browsers), a wildcard (*, https:): failure; a list naming another site: warning, to justify. frame-ancestors in a <meta> tag has no effect and does not count. The rule applies to the login page, and to the home page when it has a password form.",
		},
		Remediation: Text{
			FR: "Envoyer l'en-tête Content-Security-Policy avec « frame-ancestors 'self' » (ou 'none') et, pour les anciens navigateurs, l'en-tête X-Frame-Options à SAMEORIGIN.",
			EN: "Send \"Content-Security-Policy: frame-ancestors 'self'\" (or 'none') and, for old browsers, \"X-Frame-Options: SAMEORIGIN\".",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html", "fixtures/security/cadre-x-frame-options.html"},
			Bad:  []string{"fixtures/security/en-tetes-absents.html", "fixtures/security/cadre-joker.html"},
		},
	}
	SEC006 = &Rule{
		ID:       "SEC-006",
		Area:     AreaSecurity,
		Severity: result.Bloquant,
		LiveOnly: liveOnlySecurity("l'adresse ni le protocole de la page, auxquels se rapporte l'adresse du formulaire", "the page's address and protocol, which the form's address is relative to"),
		Title: Text{
			FR: "Le formulaire de connexion envoie le mot de passe en https au domaine de l'ENT ou à son IdP",
			EN: "The login form sends the password over https to the ENT's domain or its IdP",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: "CNIL, Guide de la sécurité des données personnelles", DocumentEN: "CNIL, Personal data security guide",
			Version: "édition 2024", VersionEN: "2024 edition",
			Clause: "sécurisation des sites web : TLS obligatoire pour les pages d'authentification et les formulaires ; RGPD art. 32", ClauseEN: "securing websites: TLS mandatory for authentication pages and forms; GDPR art. 32",
		},
		Rationale: Text{
			FR: "Le formulaire de connexion reçoit le mot de passe de chaque élève : l'envoyer en http le livre en clair sur le réseau, l'envoyer à un autre site le confie à un tiers. Le formulaire qui porte un champ de mot de passe est lu dans le HTML reçu ; son adresse (action, ou formaction du bouton) est résolue comme le fait un navigateur (<base href>, adresse finale de la page après redirections). Échoue : une adresse en http, un envoi par la méthode GET (le mot de passe dans l'adresse), un domaine enregistrable différent de celui des pages auditées et de l'IdP déclaré par les métadonnées SAML du dossier (ou --metadata). Une adresse en javascript est « à vérifier ». Sur une copie enregistrée, ce que montre le HTML (http, GET, tiers quand l'adresse propre de la page est connue par <base> ou <link rel=\"canonical\">) est jugé ; le reste ne l'est qu'en ligne. Sans formulaire de mot de passe dans le HTML (formulaire construit par JavaScript, redirection vers l'IdP), la règle est sans objet pour la page d'accueil et « à vérifier » pour la page de connexion.",
			EN: "The login form receives every pupil's password: sending it over http gives it away in clear on the network, sending it to another site hands it to a third party. The form holding a password field is read in the HTML received; its address (action, or the button's formaction) is resolved as a browser does (<base href>, the page's final address after redirects). Fails: an http address, sending by the GET method (the password in the address), a registrable domain other than the audited pages' and the IdP's declared by the dossier's SAML metadata (or --metadata). A javascript: address is \"to review\". On a saved copy, what the HTML shows (http, GET, a third party when the page's own address is known from <base> or <link rel=\"canonical\">) is judged; the rest only live. Without a password form in the HTML (a form built by JavaScript, a redirect to the IdP), the rule does not apply to the home page and is \"to review\" for the login page.",
		},
		Remediation: Text{
			FR: "Faire envoyer le formulaire en POST à une adresse https du domaine de l'ENT ou de son fournisseur d'identité (par exemple une action relative : action=\"/cas/login\").",
			EN: "Have the form sent by POST to an https address of the ENT's domain or of its identity provider (for instance a relative action: action=\"/cas/login\").",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/formulaire-http.html", "fixtures/security/formulaire-tiers.html", "fixtures/security/formulaire-get.html"},
		},
	}
	SEC007 = &Rule{
		ID:       "SEC-007",
		Area:     AreaSecurity,
		Severity: result.Mineur,
		LiveOnly: liveOnlySecurity("l'en-tête X-Content-Type-Options", "the X-Content-Type-Options header"),
		Title: Text{
			FR: "Les pages interdisent au navigateur de deviner le type des contenus (en-tête X-Content-Type-Options à nosniff)",
			EN: "The pages forbid the browser to guess content types (X-Content-Type-Options: nosniff)",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiWebDoc, DocumentEN: anssiWebDocEN,
			Version: anssiWebVer, VersionEN: anssiWebVerEN,
			Clause: "en-tête X-Content-Type-Options ; OWASP ASVS 5.0.0, exigence V3.4.4", ClauseEN: "X-Content-Type-Options header; OWASP ASVS 5.0.0, requirement V3.4.4",
			URL: anssiWebURL,
		},
		Rationale: Text{
			FR: "Sans « nosniff », un navigateur peut exécuter comme script ou feuille de style un fichier servi sous un autre type (un document déposé par un usager, par exemple). L'en-tête de la réponse finale de chaque page doit valoir exactement nosniff ; le constat donne la valeur observée.",
			EN: "Without \"nosniff\", a browser may run as a script or style sheet a file served under another type (a document a user uploaded, for instance). The header of each page's final response must be exactly nosniff; the finding gives the observed value.",
		},
		Remediation: Text{
			FR: "Envoyer l'en-tête X-Content-Type-Options à nosniff sur toutes les réponses.",
			EN: "Send \"X-Content-Type-Options: nosniff\" on every response.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/en-tetes-absents.html"},
		},
	}
	SEC008 = &Rule{
		ID:       "SEC-008",
		Area:     AreaSecurity,
		Severity: result.Mineur,
		LiveOnly: liveOnlySecurity("l'en-tête Referrer-Policy", "the Referrer-Policy header"),
		Title: Text{
			FR: "La politique de référent n'envoie pas l'adresse complète des pages aux autres sites",
			EN: "The referrer policy does not send the pages' full address to other sites",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiWebDoc, DocumentEN: anssiWebDocEN,
			Version: anssiWebVer, VersionEN: anssiWebVerEN,
			Clause: "en-tête Referrer-Policy ; OWASP ASVS 5.0.0, exigence V3.4.5", ClauseEN: "Referrer-Policy header; OWASP ASVS 5.0.0, requirement V3.4.5",
			URL: anssiWebURL,
		},
		Rationale: Text{
			FR: "L'adresse d'une page de l'ENT peut porter un identifiant, un ticket de service CAS ou le nom d'un établissement : envoyée à un autre site dans l'en-tête Referer, elle le renseigne sur l'usager. La politique est lue dans l'en-tête Referrer-Policy (la dernière valeur reconnue d'une liste, comme le fait un navigateur), à défaut dans la balise <meta name=\"referrer\">. no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin, origin et origin-when-cross-origin réussissent ; unsafe-url et no-referrer-when-downgrade échouent (adresse complète envoyée aux autres sites) ; sans politique, les navigateurs récents appliquent strict-origin-when-cross-origin, mais pas tous : avertissement.",
			EN: "An ENT page's address may carry an identifier, a CAS service ticket or a school's name: sent to another site in the Referer header, it tells that site about the user. The policy is read from the Referrer-Policy header (the last recognised value of a list, as a browser does), failing it from the <meta name=\"referrer\"> tag. no-referrer, same-origin, strict-origin, strict-origin-when-cross-origin, origin and origin-when-cross-origin pass; unsafe-url and no-referrer-when-downgrade fail (full address sent to other sites); without a policy, recent browsers apply strict-origin-when-cross-origin, not all do: warning.",
		},
		Remediation: Text{
			FR: "Envoyer l'en-tête Referrer-Policy à strict-origin-when-cross-origin (ou same-origin, no-referrer).",
			EN: "Send \"Referrer-Policy: strict-origin-when-cross-origin\" (or same-origin, no-referrer).",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/referent-complet.html", "fixtures/security/en-tetes-absents.html"},
		},
	}
	SEC009 = &Rule{
		ID:       "SEC-009",
		Area:     AreaSecurity,
		Severity: result.Mineur,
		LiveOnly: liveOnlySecurity("l'en-tête Content-Security-Policy", "the Content-Security-Policy header"),
		Title: Text{
			FR: "Les pages ont une politique de sécurité des contenus (CSP) qui restreint vraiment les scripts",
			EN: "The pages have a content security policy (CSP) that really restricts scripts",
		},
		Reference: Reference{
			Basis: BasisStandard, Document: anssiWebDoc, DocumentEN: anssiWebDocEN,
			Version: anssiWebVer, VersionEN: anssiWebVerEN,
			Clause: "Content Security Policy ; OWASP ASVS 5.0.0, exigence V3.4.3 (object-src 'none', base-uri 'none', liste de sources ou nonces et empreintes)", ClauseEN: "Content Security Policy; OWASP ASVS 5.0.0, requirement V3.4.3 (object-src 'none', base-uri 'none', source list or nonces and hashes)",
			URL: anssiWebURL,
		},
		Rationale: Text{
			FR: "Une politique de sécurité des contenus limite ce qu'un script injecté dans l'écran de connexion peut faire (lire le mot de passe saisi, l'envoyer ailleurs). Les politiques appliquées sont lues dans les en-têtes Content-Security-Policy et les balises <meta http-equiv> (Content-Security-Policy-Report-Only n'applique rien et ne compte pas) ; leur force est dite, pas seulement leur présence : les scripts (script-src, à défaut default-src) ne doivent admettre ni 'unsafe-inline' sans nonce ni empreinte, ni 'unsafe-eval', ni joker (*, https:, http:, data:), et object-src (ou default-src) doit valoir 'none', base-uri être restreint. Sans politique : échec (sévérité mineure) ; une politique faible : avertissement qui nomme chaque faiblesse et la note (faible, moyenne, forte).",
			EN: "A content security policy limits what a script injected into the login screen can do (read the typed password, send it elsewhere). The enforced policies are read from the Content-Security-Policy headers and <meta http-equiv> tags (Content-Security-Policy-Report-Only enforces nothing and does not count); their strength is given, not only their presence: scripts (script-src, failing it default-src) must allow neither 'unsafe-inline' without a nonce or hash, nor 'unsafe-eval', nor a wildcard (*, https:, http:, data:), and object-src (or default-src) must be 'none', base-uri restricted. No policy: failure (minor severity); a weak policy: a warning naming each weakness and the grade (weak, medium, strong).",
		},
		Remediation: Text{
			FR: "Envoyer un en-tête Content-Security-Policy tel que « default-src 'self'; script-src 'self' 'nonce-…'; object-src 'none'; base-uri 'none'; frame-ancestors 'self' », et retirer 'unsafe-inline' et 'unsafe-eval' des scripts.",
			EN: "Send a policy such as \"Content-Security-Policy: default-src 'self'; script-src 'self' 'nonce-…'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'\", and remove 'unsafe-inline' and 'unsafe-eval' from scripts.",
		},
		Since:     "2026.12.1",
		Lifecycle: Stable,
		Examples: Examples{
			Good: []string{"fixtures/security/connexion-ok.html"},
			Bad:  []string{"fixtures/security/csp-faible.html", "fixtures/security/en-tetes-absents.html"},
		},
	}
)

var securityRules = []*Rule{SEC001, SEC002, SEC003, SEC004, SEC005, SEC006, SEC007, SEC008, SEC009}
