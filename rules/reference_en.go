package rules

// The English rendering of the references: the connective text is
// translated, proper names of official texts and standards are kept (an
// official text with an English name of its own, the GDPR, takes it).
// Reference.In uses DocumentEN, VersionEN and ClauseEN; withEnglish fills
// them from referenceEN, keyed by the French text, when the catalogue is
// built. TestReferencesInEnglish keeps the table complete.
var referenceEN = map[string]string{
	// Documents.
	"Convention collectivité–DSDEN (modèle académique)":                                                                       "Local authority–DSDEN agreement (academic model)",
	"Convention collectivité–DSDEN (modèle académique de Poitiers ; pas de version publique en ligne)":                        "Local authority–DSDEN agreement (Poitiers academic model; no public version online)",
	"GAR — pratique observée (exportateurs et connecteurs ENT publics : OPEN-ENT-NG gar-connector, edificeio/entcore)":        "GAR — observed practice (public ENT exporters and connectors: OPEN-ENT-NG gar-connector, edificeio/entcore)",
	"GAR — pratique observée (exportateurs ENT publics) ; AAF — format d'export observé":                                      "GAR — observed practice (public ENT exporters); AAF — observed export format",
	"RGPD art. 5.1.c (minimisation) appliqué au flux GAR ; GAR XSD 1D v1.4 (pas de courriel enseignant)":                      "GDPR art. 5.1.c (data minimisation) applied to the GAR feed; GAR XSD 1D v1.4 (no teacher e-mail)",
	"Format sdetcheck de déclaration de correspondance AAF → ENT → GAR (docs/mapping.md, checks/mapping/mapping.schema.json)": "sdetcheck format for declaring the AAF → ENT → GAR mapping (docs/mapping.md, checks/mapping/mapping.schema.json)",
	"Schéma LDAP de type SDET (GIP-RECIA) et format d'export AAF (pratique observée)":                                         "SDET-type LDAP schema (GIP-RECIA) and AAF export format (observed practice)",
	"RGPD art. 5.1.c (minimisation) ; GAR XSD 2D v1.7 / 1D v1.4 (éléments définis)":                                           "GDPR art. 5.1.c (data minimisation); GAR XSD 2D v1.7 / 1D v1.4 (defined elements)",
	"Règlement (UE) 2016/679 (RGPD)":                                                                                                                                          "Regulation (EU) 2016/679 (GDPR)",
	"Arrêté du 30 novembre 2006 modifié relatif aux espaces numériques de travail":                                                                                            "Decree of 30 November 2006 on digital workspaces (ENT), as amended",
	"ANSSI, Recommandations de sécurité relatives à TLS":                                                                                                                      "ANSSI, Security recommendations for TLS",
	"Loi Informatique et Libertés, art. 82 ; CNIL, lignes directrices « cookies et autres traceurs »":                                                                         "Loi Informatique et Libertés, art. 82; CNIL guidelines on \"cookies and other trackers\"",
	"ANSSI — RGS v2.0, annexe B1 (mécanismes cryptographiques) ; saml-metadata-2.0-os §2.4.1.1 (KeyDescriptor)":                                                               "ANSSI — RGS v2.0, annex B1 (cryptographic mechanisms); saml-metadata-2.0-os §2.4.1.1 (KeyDescriptor)",
	"saml-metadata-2.0-os §3 (Signature Processing) ; W3C XML Signature Syntax and Processing ; ANSSI RGS v2.0 annexe B1":                                                     "saml-metadata-2.0-os §3 (Signature Processing); W3C XML Signature Syntax and Processing; ANSSI RGS v2.0 annex B1",
	"saml-profiles-2.0-os §4.1.3.5 (assertions signées) ; saml-core-2.0-os §5 (SAML and XML Signature Syntax and Processing) ; saml-metadata-2.0-os §2.4.1.1 (KeyDescriptor)": "saml-profiles-2.0-os §4.1.3.5 (signed assertions); saml-core-2.0-os §5 (SAML and XML Signature Syntax and Processing); saml-metadata-2.0-os §2.4.1.1 (KeyDescriptor)",
	"W3C XML Signature Syntax and Processing Version 1.1 §6.1 ; ANSSI RGS v2.0 annexe B1 (fonctions de hachage)":                                                              "W3C XML Signature Syntax and Processing Version 1.1 §6.1; ANSSI RGS v2.0 annex B1 (hash functions)",
	"saml-core-2.0-os §5.4.1-5.4.2 (Signing Formats, References) ; W3C XML Signature Best Practices §2.1.1 et §2.3":                                                           "saml-core-2.0-os §5.4.1-5.4.2 (Signing Formats, References); W3C XML Signature Best Practices §2.1.1 and §2.3",
	"saml-core-2.0-os §2.5.1.2 (Conditions NotBefore, NotOnOrAfter), §2.4.1.2 (SubjectConfirmationData) ; saml-profiles-2.0-os §4.1.4.2 et §4.1.6":                            "saml-core-2.0-os §2.5.1.2 (Conditions NotBefore, NotOnOrAfter), §2.4.1.2 (SubjectConfirmationData); saml-profiles-2.0-os §4.1.4.2 and §4.1.6",
	"RGPD art. 5.1.c (minimisation des données) ; GAR — pratique observée (attributs idEnt et GARPersonIdentifiant seulement)":                                                "GDPR art. 5.1.c (data minimisation); GAR — observed practice (attributes idEnt and GARPersonIdentifiant only)",

	// Versions.
	"OASIS Standard, 15 mars 2005": "OASIS Standard, 15 March 2005",
	"délibération n° 2020-091":     "deliberation no. 2020-091",

	// Clauses.
	"choix d'une solution respectant le SDET, raccordée au GAR, alimentée par l'AAF, avec mentions d'information validées":                                                                "choice of a solution that meets the SDET, is connected to the GAR, fed by the AAF, with a validated information notice",
	"suivi des réserves et des dérogations accordées":                                                                                                                                     "follow-up of reservations and waivers granted",
	"art. 13 et 14 (et 6.1.e pour la base légale, 26.2 pour les grandes lignes de l'accord de responsabilité conjointe) ; loi Informatique et Libertés, art. 85 (directives post-mortem)": "art. 13 and 14 (and 6.1.e for the legal basis, 26.2 for the essence of the joint-controllership arrangement); Loi Informatique et Libertés, art. 85 (post-mortem directives)",
	"mentions d'information validées par la DSDEN":                                                                                                                                        "information notice validated by the DSDEN",
	"durée de conservation : suppression des données au plus tard trois mois après la fin du droit d'accès à l'ENT (article non cité : règle établie d'après le résumé de référence de l'arrêté, reference/aaf/README.md)": "retention: data deleted at most three months after the right to use the ENT ends (article not cited: rule drawn from the reference summary of the decree, reference/aaf/README.md)",
	"mentions validées par la DSDEN placées en pied de page des écrans d'accueil et de connexion, visibles avant connexion":                                                                                                "notice validated by the DSDEN in the footer of the home and login screens, visible before login",
	"art. 8 (information accessible depuis la page d'accueil de l'ENT)":                                                                                                                                                    "art. 8 (information reachable from the ENT's home page)",
	"§2.4.3 (SingleSignOnService), §2.2.2 (EndpointType) ; saml-bindings-2.0-os §3.4 et §3.5":                                                                                                                              "§2.4.3 (SingleSignOnService), §2.2.2 (EndpointType); saml-bindings-2.0-os §3.4 and §3.5",
	"§2.3.2 (attributs validUntil, cacheDuration)":                                                                                                                                                                         "§2.3.2 (validUntil, cacheDuration attributes)",
	"déconnexion unique (single logout) avec le GAR":                                                                                                                                                                       "single logout with the GAR",
	"NameID transient dans les assertions envoyées au GAR":                                                                                                                                                                 "transient NameID in the assertions sent to the GAR",
	"attributs idEnt et GARPersonIdentifiant, NameFormat urn:oasis:names:tc:SAML:2.0:attrname-format:basic":                                                                                                                "attributes idEnt and GARPersonIdentifiant, NameFormat urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
	"article 5, paragraphe 1, c) (minimisation des données)":                                                                                                                                                               "article 5(1)(c) (data minimisation)",
	"idEnt = identifiant du projet ENT au GAR (préfixe des fichiers d'alimentation)":                                                                                                                                       "idEnt = the ENT project's identifier at the GAR (prefix of the feed files)",
	"§2.2.5 (Issuer), §3.2.2 (StatusResponseType) ; saml-profiles-2.0-os §4.1.4.2":                                                                                                                                         "§2.2.5 (Issuer), §3.2.2 (StatusResponseType); saml-profiles-2.0-os §4.1.4.2",
	"§4.1.4.2 (Destination, Recipient) ; saml-bindings-2.0-os §3.5.5.2":                                                                                                                                                    "§4.1.4.2 (Destination, Recipient); saml-bindings-2.0-os §3.5.5.2",
	"§4.1.4.2 (bearer SubjectConfirmation) ; saml-profiles-2.0-os §3.3 (Bearer)":                                                                                                                                           "§4.1.4.2 (bearer SubjectConfirmation); saml-profiles-2.0-os §3.3 (Bearer)",
	"§8.3.7 (persistent), §8.3.8 (transient) ; RGPD art. 5.1.c (minimisation)":                                                                                                                                             "§8.3.7 (persistent), §8.3.8 (transient); GDPR art. 5.1.c (data minimisation)",
	"attribut SAML idEnt (identifiant du projet ENT, préfixe des fichiers d'alimentation)":                                                                                                                                 "SAML attribute idEnt (the ENT project's identifier, prefix of the feed files)",
	"attribut SAML GARPersonIdentifiant ; GAR XSD 2D v1.7 (GARPersonIdentifiant)":                                                                                                                                          "SAML attribute GARPersonIdentifiant; GAR XSD 2D v1.7 (GARPersonIdentifiant)",
	"cohérence alimentation / connexion : GARPersonIdentifiant et UAI de l'assertion présents dans l'alimentation":                                                                                                         "feed / login consistency: the assertion's GARPersonIdentifiant and UAI present in the feed",
}

// withEnglish fills the English parts of a reference from referenceEN.
func withEnglish(r Reference) Reference {
	if r.DocumentEN == "" {
		r.DocumentEN = referenceEN[r.Document]
	}
	if r.VersionEN == "" {
		r.VersionEN = referenceEN[r.Version]
	}
	if r.ClauseEN == "" {
		r.ClauseEN = referenceEN[r.Clause]
	}
	return r
}
