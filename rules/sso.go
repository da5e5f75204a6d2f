package rules

import "github.com/sdetcheck/sdetcheck/internal/result"

// References of the SSO rules: the SAML 2.0 standard's core, profiles and
// metadata texts, and the GAR's practice where no official text is public.
var (
	samlCoreSpec = Reference{
		Basis:    BasisStandard,
		Document: "OASIS Assertions and Protocols for the SAML V2.0 (saml-core-2.0-os)",
		Version:  "OASIS Standard, 15 mars 2005",
		URL:      "https://docs.oasis-open.org/security/saml/v2.0/saml-core-2.0-os.pdf",
	}
	samlProfilesSpec = Reference{
		Basis:    BasisStandard,
		Document: "OASIS Profiles for the SAML V2.0 (saml-profiles-2.0-os)",
		Version:  "OASIS Standard, 15 mars 2005",
		URL:      "https://docs.oasis-open.org/security/saml/v2.0/saml-profiles-2.0-os.pdf",
	}
)

func coreRef(clause string) Reference {
	r := samlCoreSpec
	r.Clause = clause
	return r
}

func profilesRef(clause string) Reference {
	r := samlProfilesSpec
	r.Clause = clause
	return r
}

// Example captures of the sso area (fixtures/sso, written by
// fixtures/sso/gen with crewjam/saml's identity provider).
const (
	ssoGoodHAR    = "fixtures/sso/good-profils.har"
	ssoGoodTracer = "fixtures/sso/good-profils.saml-tracer.json"
	ssoGoodB64    = "fixtures/sso/good-eleve.b64"
	ssoGoodXML    = "fixtures/sso/good-enseignant.xml"
)

var ssoGood = []string{ssoGoodHAR, ssoGoodTracer, ssoGoodB64, ssoGoodXML, "fixtures/dossiers/conforme"}

func ssoRule(id string, sev result.Severity, ref Reference, titleFR, titleEN, ratFR, ratEN, remFR, remEN string, action Text, bad ...string) Rule {
	return Rule{
		ID: id, Area: AreaSSO, Severity: sev, Reference: ref,
		Title:       Text{FR: titleFR, EN: titleEN},
		Rationale:   Text{FR: ratFR, EN: ratEN},
		Remediation: Text{FR: remFR, EN: remEN},
		Action:      action,
		Since:       "2026.12.0", Lifecycle: Experimental,
		Examples: Examples{Good: ssoGood, Bad: bad},
	}
}

// ssoRules are the rules of the sso area: what the ENT really sends to the
// GAR in a captured SAML exchange. Their logic lives in checks/sso.
var (
	SSO001 = new(ssoRule("SSO-001", result.Bloquant,
		Reference{Basis: BasisStandard, Document: "saml-profiles-2.0-os §4.1.3.5 (assertions signées) ; saml-core-2.0-os §5 (SAML and XML Signature Syntax and Processing) ; saml-metadata-2.0-os §2.4.1.1 (KeyDescriptor)", URL: "https://docs.oasis-open.org/security/saml/v2.0/saml-profiles-2.0-os.pdf"},
		"La réponse ou l'assertion est signée par une clé publiée dans les métadonnées de l'IdP",
		"The response or the assertion is signed by a key published in the IdP's metadata",
		"Le GAR n'accepte une identité que si la signature de la réponse ou de l'assertion se vérifie avec une clé de signature que les métadonnées de l'ENT publient. Une réponse non signée, ou signée par une autre clé (certificat de recette, clé renouvelée sans mise à jour des métadonnées), est refusée : l'utilisateur n'accède pas aux ressources.",
		"The GAR accepts an identity only if the signature of the response or of the assertion verifies with a signing key the ENT's metadata publishes. An unsigned response, or one signed by another key (test certificate, key renewed without updating the metadata), is refused: the user cannot open the resources.",
		"Signer l'assertion (et de préférence la réponse) avec la clé dont le certificat figure dans un md:KeyDescriptor use=\"signing\" des métadonnées transmises au GAR ; après un renouvellement de clé, publier les nouvelles métadonnées avant de basculer.",
		"Sign the assertion (and preferably the response) with the key whose certificate is in an md:KeyDescriptor use=\"signing\" of the metadata sent to the GAR; after a key renewal, publish the new metadata before switching.",
		Text{FR: "Faire signer les connexions envoyées au GAR avec la clé officielle de l'ENT, celle que publient ses métadonnées.", EN: "Have the logins sent to the GAR signed with the ENT's official key, the one its metadata publishes."},
		"fixtures/sso/bad-non-signee.saml-tracer.json", "fixtures/sso/bad-cle-inconnue.har"))
	SSO002 = new(ssoRule("SSO-002", result.Majeur,
		Reference{Basis: BasisStandard, Document: "W3C XML Signature Syntax and Processing Version 1.1 §6.1 ; ANSSI RGS v2.0 annexe B1 (fonctions de hachage)", URL: "https://www.w3.org/TR/xmldsig-core1/"},
		"Les signatures utilisent SHA-256 ou plus fort (ni SHA-1 ni MD5)",
		"Signatures use SHA-256 or stronger (neither SHA-1 nor MD5)",
		"SHA-1 n'offre plus de résistance aux collisions ; XML Signature 1.1 le déconseille et l'ANSSI ne l'admet plus pour la signature. Une signature RSA-SHA1 ou une empreinte SHA-1 expose à la contrefaçon d'assertions.",
		"SHA-1 no longer resists collisions; XML Signature 1.1 discourages it and the ANSSI no longer admits it for signatures. An RSA-SHA1 signature or a SHA-1 digest exposes to forged assertions.",
		"Configurer l'IdP pour signer en http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 (ou plus fort) avec l'empreinte http://www.w3.org/2001/04/xmlenc#sha256.",
		"Configure the IdP to sign with http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 (or stronger) and the http://www.w3.org/2001/04/xmlenc#sha256 digest.",
		Text{FR: "Signer les connexions avec un algorithme actuel (SHA-256 ou plus fort).", EN: "Sign the logins with a current algorithm (SHA-256 or stronger)."},
		"fixtures/sso/bad-sha1.saml-tracer.json"))
	SSO003 = new(ssoRule("SSO-003", result.Bloquant,
		Reference{Basis: BasisStandard, Document: "saml-core-2.0-os §5.4.1-5.4.2 (Signing Formats, References) ; W3C XML Signature Best Practices §2.1.1 et §2.3", URL: "https://www.w3.org/TR/xmldsig-bestpractices/"},
		"L'élément signé est l'élément lu (pas d'emballage de signature)",
		"The signed element is the element read (no signature wrapping)",
		"L'emballage de signature (XSW) glisse une assertion forgée à côté de l'assertion signée : un fournisseur de service qui vérifie l'une et lit l'autre accepte une identité arbitraire. Une réponse porte une seule assertion, enfant direct de la réponse, chaque ID est unique et chaque signature référence l'élément qui la contient.",
		"Signature wrapping (XSW) slips a forged assertion next to the signed one: a service provider that verifies one and reads the other accepts any identity. A response carries a single assertion, a direct child of the response, every ID is unique and every signature references the element holding it.",
		"Produire les réponses avec une bibliothèque SAML maintenue, sans post-traitement du XML après signature ; une signature référence toujours « #ID » de son élément parent.",
		"Produce responses with a maintained SAML library, without post-processing the XML after signing; a signature always references \"#ID\" of its parent element.",
		Text{FR: "Faire produire les messages de connexion par un logiciel maintenu, sans les modifier après leur signature.", EN: "Have the login messages produced by maintained software, without changing them after signing."},
		"fixtures/sso/bad-emballage.har"))
	SSO004 = new(ssoRule("SSO-004", result.Majeur, coreRef("§2.2.5 (Issuer), §3.2.2 (StatusResponseType) ; saml-profiles-2.0-os §4.1.4.2"),
		"L'émetteur (Issuer) est l'entityID publié dans les métadonnées",
		"The Issuer is the entityID published in the metadata",
		"Le GAR retrouve les métadonnées, donc la clé de vérification, par l'Issuer de la réponse et de l'assertion ; un émetteur différent de l'entityID déclaré (IdP de recette, URL modifiée) fait rejeter la connexion.",
		"The GAR finds the metadata, hence the verification key, by the Issuer of the response and the assertion; an issuer other than the declared entityID (test IdP, changed URL) gets the login rejected.",
		"Configurer l'IdP pour émettre son entityID exact (celui des métadonnées transmises au GAR) dans saml:Issuer de la réponse et de l'assertion.",
		"Configure the IdP to issue its exact entityID (the one of the metadata sent to the GAR) in saml:Issuer of the response and of the assertion.",
		Text{FR: "Faire porter aux messages de connexion le nom officiel de l'ENT, celui de ses métadonnées.", EN: "Make the login messages carry the ENT's official name, the one of its metadata."},
		"fixtures/sso/bad-issuer.har"))
	SSO005 = new(ssoRule("SSO-005", result.Majeur, profilesRef("§4.1.4.2 (Destination, Recipient) ; saml-bindings-2.0-os §3.5.5.2"),
		"Destination et Recipient désignent l'adresse de consommation du GAR",
		"Destination and Recipient name the GAR's assertion consumer URL",
		"L'attribut Destination de la réponse et le Recipient de SubjectConfirmationData protègent contre la réutilisation d'une assertion auprès d'un autre service ; le GAR refuse une réponse destinée à une autre adresse. L'adresse du GAR n'est pas publique : le dossier la déclare (gar_sp.acs_url).",
		"The response's Destination attribute and the Recipient of SubjectConfirmationData protect against replaying an assertion at another service; the GAR refuses a response meant for another URL. The GAR's URL is not public: the dossier declares it (gar_sp.acs_url).",
		"Utiliser l'AssertionConsumerService des métadonnées du GAR (HTTP-POST) comme Destination et Recipient ; déclarer cette adresse dans ent.yaml (gar_sp.acs_url).",
		"Use the AssertionConsumerService of the GAR's metadata (HTTP-POST) as Destination and Recipient; declare that URL in ent.yaml (gar_sp.acs_url).",
		Text{FR: "Adresser les messages de connexion à l'adresse de réception du GAR.", EN: "Send the login messages to the GAR's receiving address."},
		"fixtures/sso/bad-destination.har"))
	SSO006 = new(ssoRule("SSO-006", result.Majeur, coreRef("§2.5.1.4 (AudienceRestriction)"),
		"L'audience de l'assertion est l'entityID du GAR",
		"The assertion's audience is the GAR's entityID",
		"AudienceRestriction limite l'assertion au fournisseur de service qui doit la consommer ; une audience absente ou différente de l'entityID du GAR permet de rejouer l'assertion ailleurs et fait rejeter la connexion par le GAR. L'entityID du GAR n'est pas public : le dossier le déclare (gar_sp.entity_id).",
		"AudienceRestriction limits the assertion to the service provider that must consume it; an audience missing or other than the GAR's entityID allows replaying the assertion elsewhere and gets the login rejected by the GAR. The GAR's entityID is not public: the dossier declares it (gar_sp.entity_id).",
		"Émettre une saml:AudienceRestriction dont l'unique saml:Audience est l'entityID du GAR ; déclarer cet entityID dans ent.yaml (gar_sp.entity_id).",
		"Issue a saml:AudienceRestriction whose only saml:Audience is the GAR's entityID; declare that entityID in ent.yaml (gar_sp.entity_id).",
		Text{FR: "Réserver les messages de connexion au GAR, et à lui seul.", EN: "Intend the login messages for the GAR, and for it alone."},
		"fixtures/sso/bad-audience.har"))
	SSO007 = new(ssoRule("SSO-007", result.Majeur, profilesRef("§4.1.4.2 (bearer SubjectConfirmation) ; saml-profiles-2.0-os §3.3 (Bearer)"),
		"Le sujet est confirmé par la méthode bearer",
		"The subject is confirmed with the bearer method",
		"Le profil Web Browser SSO exige au moins une saml:SubjectConfirmation de méthode urn:oasis:names:tc:SAML:2.0:cm:bearer, avec Recipient et NotOnOrAfter ; le GAR ne sait pas traiter une autre méthode.",
		"The Web Browser SSO profile requires at least one saml:SubjectConfirmation with method urn:oasis:names:tc:SAML:2.0:cm:bearer, with Recipient and NotOnOrAfter; the GAR cannot process another method.",
		"Confirmer le sujet par urn:oasis:names:tc:SAML:2.0:cm:bearer, avec un SubjectConfirmationData portant Recipient et NotOnOrAfter.",
		"Confirm the subject with urn:oasis:names:tc:SAML:2.0:cm:bearer, with a SubjectConfirmationData carrying Recipient and NotOnOrAfter.",
		Text{FR: "Émettre les messages de connexion avec la méthode de confirmation standard qu'attend le GAR.", EN: "Issue the login messages with the standard confirmation method the GAR expects."},
		"fixtures/sso/bad-bearer.har"))
	SSO008 = new(ssoRule("SSO-008", result.Majeur, Reference{Basis: BasisStandard, Document: "saml-core-2.0-os §2.5.1.2 (Conditions NotBefore, NotOnOrAfter), §2.4.1.2 (SubjectConfirmationData) ; saml-profiles-2.0-os §4.1.4.2 et §4.1.6", URL: "https://docs.oasis-open.org/security/saml/v2.0/saml-core-2.0-os.pdf"},
		"La fenêtre de validité est courte (quelques minutes) et la réponse était valide à son envoi",
		"The validity window is short (minutes) and the response was valid when posted",
		"Une assertion porteuse (bearer) vaut un mot de passe pendant sa durée de validité : elle doit expirer en quelques minutes (5 minutes pour Shibboleth et SimpleSAMLphp). Une fenêtre de plusieurs heures ou jours permet de la rejouer ; une réponse déjà expirée à son envoi (horloge de l'IdP décalée) est refusée par le GAR. La date d'envoi est celle de la capture (HAR) ou, à défaut, l'IssueInstant.",
		"A bearer assertion is worth a password while it is valid: it must expire within minutes (5 minutes for Shibboleth and SimpleSAMLphp). A window of hours or days allows replaying it; a response already expired when posted (skewed IdP clock) is refused by the GAR. The posting time is the capture's (HAR) or else the IssueInstant.",
		"Régler la durée de validité des assertions à quelques minutes (NotOnOrAfter ≤ 1 heure après l'émission) et synchroniser l'horloge de l'IdP (NTP).",
		"Set the assertions' lifetime to a few minutes (NotOnOrAfter ≤ 1 hour after issue) and synchronise the IdP's clock (NTP).",
		Text{FR: "Limiter la validité des messages de connexion à quelques minutes et tenir l'horloge du serveur à l'heure.", EN: "Limit the login messages' validity to a few minutes and keep the server's clock on time."},
		"fixtures/sso/bad-expiree.har", "fixtures/sso/bad-duree-jours.har"))
	SSO009 = new(ssoRule("SSO-009", result.Majeur, coreRef("§8.3.7 (persistent), §8.3.8 (transient) ; RGPD art. 5.1.c (minimisation)"),
		"Le NameID est transitoire ou un identifiant persistant opaque, jamais un courriel, un identifiant de connexion ou un nom",
		"The NameID is transient or an opaque persistent identifier, never an e-mail address, a login or a name",
		"Le GAR n'a besoin que d'un identifiant de session : le NameID transitoire (ou persistant opaque) ne révèle rien de l'utilisateur. Un courriel, un identifiant de connexion ou un nom en NameID transmet une donnée personnelle à chaque ressource et permet de suivre l'élève d'un service à l'autre.",
		"The GAR needs only a session identifier: a transient (or opaque persistent) NameID reveals nothing of the user. An e-mail address, a login or a name as NameID releases personal data to every resource and lets pupils be tracked from one service to the next.",
		"Émettre un NameID au format urn:oasis:names:tc:SAML:2.0:nameid-format:transient (valeur aléatoire à chaque connexion).",
		"Issue a NameID in the urn:oasis:names:tc:SAML:2.0:nameid-format:transient format (a random value at each login).",
		Text{FR: "Désigner la personne auprès du GAR par un identifiant temporaire, jamais par son adresse électronique, son identifiant de connexion ou son nom.", EN: "Designate the person to the GAR by a temporary identifier, never by their e-mail address, login or name."},
		"fixtures/sso/bad-nameid-courriel.har"))
	SSO010 = new(ssoRule("SSO-010", result.Majeur, garRef("attribut SAML idEnt (identifiant du projet ENT, préfixe des fichiers d'alimentation)"),
		"L'attribut idEnt est l'identifiant du projet ENT du dossier",
		"The idEnt attribute is the dossier's ENT project identifier",
		"Le GAR rattache l'utilisateur au projet ENT par l'attribut idEnt, qui doit valoir l'identifiant du projet (celui qui préfixe les fichiers d'alimentation) ; un autre idEnt fait chercher l'utilisateur dans un autre projet et la connexion échoue.",
		"The GAR links the user to the ENT project through the idEnt attribute, which must be the project identifier (the prefix of the feed files); another idEnt makes the GAR look for the user in another project and the login fails.",
		"Émettre l'attribut idEnt (NameFormat basic) avec l'identifiant attribué par le GAR au projet, tel que déclaré dans ent.yaml (ent.id_ent).",
		"Issue the idEnt attribute (basic NameFormat) with the identifier the GAR assigned to the project, as declared in ent.yaml (ent.id_ent).",
		Text{FR: "Transmettre au GAR l'identifiant du projet ENT qu'il a attribué.", EN: "Send the GAR the ENT project identifier it assigned."},
		"fixtures/sso/bad-ident.har"))
	SSO011 = new(ssoRule("SSO-011", result.Majeur, garRef("attribut SAML GARPersonIdentifiant ; GAR XSD 2D v1.7 (GARPersonIdentifiant)"),
		"L'attribut GARPersonIdentifiant est présent et opaque",
		"The GARPersonIdentifiant attribute is present and opaque",
		"GARPersonIdentifiant relie la connexion à la personne de l'alimentation ; il doit être opaque (ni INE, ni courriel, ni identifiant de connexion) car le GAR le transmet aux ressources qui en ont besoin.",
		"GARPersonIdentifiant links the login to the person of the feed; it must be opaque (neither INE, e-mail nor login) because the GAR passes it on to the resources that need it.",
		"Émettre GARPersonIdentifiant avec la valeur opaque de l'alimentation (identifiant technique, jamais l'INE ni un identifiant lisible).",
		"Issue GARPersonIdentifiant with the feed's opaque value (a technical identifier, never the INE nor a readable identifier).",
		Text{FR: "Transmettre au GAR, pour chaque personne, l'identifiant technique de l'alimentation, jamais un identifiant lisible ou national.", EN: "Send the GAR, for each person, the technical identifier of the feed, never a readable or national identifier."},
		"fixtures/sso/bad-identifiant-ine.har"))
	SSO012 = new(ssoRule("SSO-012", result.Majeur, garRef("cohérence alimentation / connexion : GARPersonIdentifiant et UAI de l'assertion présents dans l'alimentation"),
		"Le GARPersonIdentifiant de l'assertion figure dans l'alimentation GAR, dans un établissement cohérent",
		"The assertion's GARPersonIdentifiant is in the GAR feed, under a consistent establishment",
		"Le GAR ne reconnaît que les personnes de l'alimentation : un identifiant absent (parent, compte de test, personne non exportée) ou rattaché à un autre établissement que celui de l'assertion rend les ressources inaccessibles. Les parents ne figurent pas dans l'alimentation du GAR.",
		"The GAR only knows the people of the feed: an identifier missing from it (parent, test account, person not exported) or linked to another establishment than the assertion's makes the resources unavailable. Parents are not in the GAR feed.",
		"Émettre pour GARPersonIdentifiant exactement la valeur de l'alimentation ; ne pas ouvrir l'accès au GAR aux profils absents de l'alimentation ; vérifier l'UAI émis.",
		"Issue for GARPersonIdentifiant exactly the feed's value; do not open GAR access to profiles absent from the feed; check the UAI issued.",
		Text{FR: "Transmettre au GAR exactement l'identifiant de la personne que porte l'alimentation, et n'ouvrir l'accès qu'aux personnes qui y figurent.", EN: "Send the GAR exactly the person's identifier the feed carries, and open access only to the people in the feed."},
		"fixtures/sso/bad-identifiant-inconnu.har"))
	SSO013 = new(ssoRule("SSO-013", result.Majeur, Reference{Basis: BasisOfficial, Document: "RGPD art. 5.1.c (minimisation des données) ; GAR — pratique observée (attributs idEnt et GARPersonIdentifiant seulement)", URL: "https://eur-lex.europa.eu/eli/reg/2016/679/oj"},
		"Aucune autre donnée personnelle n'est transmise au GAR",
		"No other personal data is released to the GAR",
		"Le GAR reçoit l'identité des personnes par l'alimentation ; la connexion n'a besoin que d'idEnt et de GARPersonIdentifiant. Tout attribut personnel supplémentaire (nom, prénom, courriel, date de naissance, INE, classe) est une transmission sans nécessité, contraire au principe de minimisation.",
		"The GAR receives people's identity through the feed; the login needs only idEnt and GARPersonIdentifiant. Any extra personal attribute (name, first name, e-mail, birth date, INE, class) is a release without necessity, against the minimisation principle.",
		"Restreindre la politique de diffusion d'attributs de l'IdP envers le GAR à idEnt et GARPersonIdentifiant.",
		"Restrict the IdP's attribute release policy toward the GAR to idEnt and GARPersonIdentifiant.",
		Text{FR: "Ne plus transmettre au GAR, à la connexion, d'autre donnée personnelle que les deux identifiants attendus.", EN: "Stop sending the GAR, at login, any personal data other than the two expected identifiers."},
		"fixtures/sso/bad-attributs-en-trop.har"))
)

var ssoRules = []*Rule{SSO001, SSO002, SSO003, SSO004, SSO005, SSO006, SSO007, SSO008, SSO009, SSO010, SSO011, SSO012, SSO013}
