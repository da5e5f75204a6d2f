package sso

import (
	"regexp"
	"strings"
	"unicode"
)

// kind is a kind of personal data an attribute carries, in French and
// English.
type kind struct{ fr, en string }

// Kinds of personal data (SSO-013).
var (
	kindName       = kind{"nom", "name"}
	kindGivenName  = kind{"prénom", "first name"}
	kindFullName   = kind{"nom complet", "full name"}
	kindNickname   = kind{"pseudonyme", "nickname"}
	kindMail       = kind{"courriel", "e-mail"}
	kindPhone      = kind{"téléphone", "phone"}
	kindAddress    = kind{"adresse", "address"}
	kindBirth      = kind{"date de naissance", "birth date"}
	kindBirthPlace = kind{"lieu de naissance", "birthplace"}
	kindSex        = kind{"sexe", "sex"}
	kindTitle      = kind{"civilité", "title"}
	kindJob        = kind{"fonction", "job title"}
	kindPhoto      = kind{"photo", "photo"}
	kindLogin      = kind{"identifiant de connexion", "login"}
	kindPersonID   = kind{"identifiant personnel", "personal identifier"}
	kindNationalID = kind{"numéro d'identification national", "national identification number"}
	kindNationalty = kind{"nationalité", "nationality"}
	kindLanguage   = kind{"langue maternelle", "mother tongue"}
	kindINE        = kind{"INE", "INE"}
	kindClass      = kind{"classe", "class"}
	kindGuardian   = kind{"responsable légal", "legal guardian"}
	kindDirectory  = kind{"identifiant annuaire", "directory identifier"}
)

// personalNames maps attribute names written in full (lower-cased: OIDs,
// claim URIs, directory names) to the personal data they carry. The
// vocabularies, with their sources:
//
//   - LDAP person schemas, by name and OID: RFC 4519 (cn 2.5.4.3, sn
//     2.5.4.4, givenName 2.5.4.42, initials 2.5.4.43, title 2.5.4.12,
//     street 2.5.4.9, postalAddress 2.5.4.16, postalCode 2.5.4.17,
//     telephoneNumber 2.5.4.20, facsimileTelephoneNumber 2.5.4.23), RFC
//     4524 COSINE (uid 0.9.2342.19200300.100.1.1, mail …1.3, homePhone
//     …1.20, homePostalAddress …1.39, personalTitle …1.40, mobile …1.41,
//     jpegPhoto …1.60), RFC 2798 inetOrgPerson (displayName
//     2.16.840.1.113730.3.1.241, employeeNumber 2.16.840.1.113730.3.1.3,
//     mailLocalAddress 2.16.840.1.113730.3.1.13 of the Netscape schema);
//   - eduPerson (REFEDS, OIDs 1.3.6.1.4.1.5923.1.1.1.x: 2 nickname, 6
//     principalName, 10 targetedID, 13 uniqueId, 16 orcid);
//   - SCHAC (GÉANT, OIDs 1.3.6.1.4.1.25178.1.2.x: 1 motherTongue, 2
//     gender, 3 dateOfBirth, 4 placeOfBirth, 5 countryOfCitizenship, 6
//     sn1, 7 sn2, 8 personalTitle, 15 personalUniqueID; schacYearOfBirth
//     1.3.6.1.4.1.25178.1.0.2.3); Nordic and Swedish national numbers
//     (norEduPersonNIN 1.3.6.1.4.1.2428.90.1.5, personalIdentityNumber
//     1.2.752.29.4.13);
//   - SUPANN 2021 (French higher education: supannAliasLogin,
//     supannEtuId, supannEmpId, supannCivilite, supannMailPerso,
//     supannAutreMail, supannAutreTelephone, supannCodeINE);
//   - Microsoft claim types (AD FS, Entra ID): the
//     http://schemas.xmlsoap.org/ws/2005/05/identity/claims/ and
//     http://schemas.microsoft.com/ws/2008/06/identity/claims/ sets and
//     Entra ID's http://schemas.microsoft.com/identity/claims/ (displayname,
//     objectidentifier) are read by their last segment (personalTokens);
//   - the AAF/ENT directory (ENTPerson…, ENTEleve…, ENTAuxPers…) and the
//     GAR feed (GARPerson…, GAREleve…) names.
var personalNames = func() map[string]kind {
	m := map[string]kind{}
	add := func(k kind, names ...string) {
		for _, n := range names {
			m[strings.ToLower(n)] = k
		}
	}
	add(kindName, "urn:oid:2.5.4.4", "urn:oid:1.3.6.1.4.1.25178.1.2.6", "urn:oid:1.3.6.1.4.1.25178.1.2.7",
		"ENTPersonNom", "ENTPersonNomPatro", "GARPersonNom", "GARPersonNomPatro")
	add(kindGivenName, "urn:oid:2.5.4.42", "urn:oid:2.5.4.43",
		"ENTPersonPrenom", "ENTPersonAutresPrenoms", "GARPersonPrenom", "GARPersonAutresPrenoms")
	add(kindFullName, "urn:oid:2.5.4.3", "urn:oid:2.16.840.1.113730.3.1.241")
	add(kindNickname, "urn:oid:1.3.6.1.4.1.5923.1.1.1.2")
	add(kindMail, "urn:oid:0.9.2342.19200300.100.1.3", "urn:oid:2.16.840.1.113730.3.1.13",
		"ENTPersonMail", "GARPersonMail", "supannMailPerso", "supannAutreMail")
	add(kindPhone, "urn:oid:2.5.4.20", "urn:oid:2.5.4.23", "urn:oid:0.9.2342.19200300.100.1.20", "urn:oid:0.9.2342.19200300.100.1.41",
		"ENTPersonTelPerso", "ENTPersonTelPro", "supannAutreTelephone")
	add(kindAddress, "urn:oid:2.5.4.9", "urn:oid:2.5.4.16", "urn:oid:2.5.4.17", "urn:oid:0.9.2342.19200300.100.1.39",
		"ENTPersonAdresse", "ENTPersonCodePostal", "ENTPersonVille")
	add(kindBirth, "urn:oid:1.3.6.1.4.1.25178.1.2.3", "urn:oid:1.3.6.1.4.1.25178.1.0.2.3",
		"ENTPersonDateNaissance", "GARPersonDateNaissance")
	add(kindBirthPlace, "urn:oid:1.3.6.1.4.1.25178.1.2.4")
	add(kindSex, "urn:oid:1.3.6.1.4.1.25178.1.2.2", "ENTPersonSexe")
	add(kindTitle, "urn:oid:0.9.2342.19200300.100.1.40", "urn:oid:1.3.6.1.4.1.25178.1.2.8",
		"ENTPersonCivilite", "GARPersonCivilite", "supannCivilite")
	add(kindJob, "urn:oid:2.5.4.12")
	add(kindPhoto, "urn:oid:0.9.2342.19200300.100.1.60")
	add(kindLogin, "urn:oid:0.9.2342.19200300.100.1.1", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
		"ENTPersonLogin", "supannAliasLogin")
	add(kindPersonID, "urn:oid:1.3.6.1.4.1.5923.1.1.1.10", "urn:oid:1.3.6.1.4.1.5923.1.1.1.13", "urn:oid:1.3.6.1.4.1.5923.1.1.1.16",
		"urn:oid:2.16.840.1.113730.3.1.3", "urn:oid:1.3.6.1.4.1.25178.1.2.15",
		"supannEtuId", "supannEmpId")
	add(kindNationalID, "urn:oid:1.3.6.1.4.1.2428.90.1.5", "urn:oid:1.2.752.29.4.13")
	add(kindNationalty, "urn:oid:1.3.6.1.4.1.25178.1.2.5")
	add(kindLanguage, "urn:oid:1.3.6.1.4.1.25178.1.2.1")
	add(kindINE, "ENTEleveINE", "GAREleveINE", "supannCodeINE")
	add(kindClass, "ENTEleveClasses", "ENTEleveGroupes", "ENTEleveMEF", "ENTEleveLibelleMEF", "GARPersonMEF", "GAREleveClasse", "GARPersonGroupe")
	add(kindGuardian, "ENTEleveParents", "ENTElevePersRelEleve", "ENTAuxPersRelEleveEleve", "ENTEleveAutoriteParentale")
	add(kindDirectory, "ENTPersonJointure", "ENTPersonUid", "ENTEleveStructRattachId")
	return m
}()

// personalTokens maps the last segment of an attribute name (after the
// last "/", "#", ":" or ".", lower-cased, without "_", "-" or spaces) to
// the personal data it carries: the short names of the LDAP, eduPerson and
// SCHAC schemas (mail, sn, givenName, schacDateOfBirth), the last segment
// of Microsoft's claim URIs (…/claims/emailaddress, …/givenname,
// …/surname, …/name, …/upn, …/dateofbirth, …/mobilephone, …/streetaddress,
// …/windowsaccountname, …/objectidentifier, …/displayname), and vendors'
// default names: Okta (firstName, lastName, email, login, mobilePhone),
// OneLogin (User.email, User.FirstName, User.LastName, PersonImmutableID),
// Google Workspace mappings (firstName, lastName, primaryEmail), Auth0
// (nickname, picture), Keycloak (username, email, firstName, lastName),
// OpenID Connect claims mapped to SAML (given_name, family_name,
// birthdate, phone_number), and their French spellings.
var personalTokens = func() map[string]kind {
	m := map[string]kind{}
	add := func(k kind, tokens ...string) {
		for _, t := range tokens {
			m[t] = k
		}
	}
	add(kindName, "sn", "surname", "lastname", "familyname", "nom", "nomfamille", "nomusage", "nompatronymique", "nomdenaissance", "schacsn1", "schacsn2")
	add(kindGivenName, "givenname", "firstname", "forename", "prenom", "prenoms", "autresprenoms", "initials")
	add(kindFullName, "cn", "commonname", "displayname", "fullname", "name", "realname", "nomcomplet")
	add(kindNickname, "nickname", "edupersonnickname", "pseudo", "pseudonyme")
	add(kindMail, "mail", "email", "emailaddress", "emails", "mailaddress", "primaryemail", "courriel", "adressemail", "mailpro")
	add(kindPhone, "telephonenumber", "phone", "phonenumber", "mobile", "mobilephone", "homephone", "otherphone", "telephone", "tel", "portable", "facsimiletelephonenumber", "pager")
	add(kindAddress, "address", "streetaddress", "postaladdress", "homepostaladdress", "street", "postalcode", "zip", "zipcode", "adresse", "codepostal")
	add(kindBirth, "birthdate", "dateofbirth", "birthday", "dob", "datenaissance", "datedenaissance", "schacdateofbirth", "schacyearofbirth")
	add(kindBirthPlace, "placeofbirth", "birthplace", "lieunaissance", "lieudenaissance", "schacplaceofbirth")
	add(kindSex, "gender", "sexe", "sex", "schacgender")
	add(kindTitle, "personaltitle", "civilite", "schacpersonaltitle")
	add(kindJob, "jobtitle", "fonction")
	add(kindPhoto, "jpegphoto", "photo", "picture", "thumbnailphoto", "avatar")
	add(kindLogin, "uid", "login", "username", "userprincipalname", "upn", "samaccountname", "windowsaccountname", "edupersonprincipalname", "principalname", "preferredusername")
	add(kindPersonID, "objectidentifier", "personimmutableid", "immutableid", "nameidentifier", "employeenumber", "employeeid", "edupersontargetedid", "edupersonuniqueid", "edupersonorcid", "privatepersonalidentifier", "schacpersonaluniqueid")
	add(kindNationalID, "noredupersonnin", "personalidentitynumber")
	add(kindNationalty, "schaccountryofcitizenship", "nationality", "nationalite")
	add(kindLanguage, "schacmothertongue")
	add(kindINE, "ine", "ineeleve", "codeine")
	add(kindClass, "classe", "classes", "division")
	return m
}()

// personalSuffixes are the endings that name personal data whatever
// prefixes a vendor adds (userEmail, user_first_name, contactPhone,
// homeAddress), tried on the token when personalTokens does not know it.
var personalSuffixes = []struct {
	suffix string
	k      kind
}{
	{"emailaddress", kindMail}, {"email", kindMail}, {"mail", kindMail},
	{"firstname", kindGivenName}, {"givenname", kindGivenName}, {"prenom", kindGivenName},
	{"lastname", kindName}, {"surname", kindName}, {"familyname", kindName},
	{"displayname", kindFullName}, {"fullname", kindFullName},
	{"birthdate", kindBirth}, {"dateofbirth", kindBirth}, {"datenaissance", kindBirth},
	{"phonenumber", kindPhone}, {"phone", kindPhone}, {"telephone", kindPhone},
	{"address", kindAddress}, {"adresse", kindAddress},
	{"username", kindLogin}, {"login", kindLogin},
}

var oidRe = regexp.MustCompile(`^(?:urn:oid:)?[0-9]+(?:\.[0-9]+)+$`)

// nameKind says what personal data an attribute name carries (false when
// none is known).
func nameKind(name string) (kind, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return kind{}, false
	}
	if k, ok := personalNames[n]; ok {
		return k, true
	}
	if k, ok := personalNames["urn:oid:"+n]; ok { // a bare OID
		return k, true
	}
	if oidRe.MatchString(n) {
		return kind{}, false
	}
	t := token(n)
	if k, ok := personalTokens[t]; ok {
		return k, true
	}
	for _, s := range personalSuffixes {
		if len(t) > len(s.suffix) && strings.HasSuffix(t, s.suffix) {
			return s.k, true
		}
	}
	return kind{}, false
}

// token is the last segment of a lower-cased attribute name, without
// separators: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
// gives "emailaddress", "User.FirstName" "firstname",
// "urn:mace:dir:attribute-def:givenName" "givenname", "family_name"
// "familyname".
func token(n string) string {
	if i := strings.LastIndexAny(n, "/#:"); i >= 0 {
		n = n[i+1:]
	}
	if i := strings.LastIndexByte(n, '.'); i >= 0 && i < len(n)-1 {
		n = n[i+1:]
	}
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, n)
}

var (
	// phoneRe is a phone number as written: an optional "+", then 9 to 15
	// digits (ITU-T E.164) in groups separated by spaces, dots, dashes or
	// parentheses.
	phoneRe = regexp.MustCompile(`^\+?\(?[0-9]{1,4}\)?(?:[ .\-]?\(?[0-9]{1,4}\)?){2,7}$`)
	// nameWordRe is one word of a person's name: capitalised ("Jean",
	// "Jean-Pierre", "O'Neil") or in capitals ("DUPONT").
	nameWordRe = regexp.MustCompile(`^(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)*|\p{Lu}{2,}(?:[-'’]\p{Lu}{2,})*)$`)
)

// valueKind says what personal data a value looks like, whatever the
// attribute's name: an e-mail address, a phone number, or a person's name
// ("Jean Dupont", "DUPONT Jean": two or three words, one of them a common
// first name). ok is false when it looks like none.
func valueKind(v string) (k kind, ok bool) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return kind{}, false
	case emailRe.MatchString(v):
		return kindMail, true
	case looksPhone(v):
		return kindPhone, true
	case looksPersonName(v):
		return kindFullName, true
	}
	return kind{}, false
}

func looksPhone(v string) bool {
	if !phoneRe.MatchString(v) {
		return false
	}
	digits := 0
	for _, r := range v {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	// A bare run of digits is an identifier as often as a number: a phone
	// number is written with "+", a leading 0 or separators.
	grouped := strings.ContainsAny(v, " .-()")
	return digits >= 9 && digits <= 15 && (strings.HasPrefix(v, "+") || (v[0] == '0' && digits == 10) || grouped)
}

func looksPersonName(v string) bool {
	words := strings.Fields(v)
	if len(words) < 2 || len(words) > 3 {
		return false
	}
	first := false
	for i, w := range words {
		if !nameWordRe.MatchString(w) {
			return false
		}
		lw := strings.ToLower(w)
		if (i == 0 || i == len(words)-1) && (firstNames[lw] || firstNames[strings.SplitN(lw, "-", 2)[0]]) {
			first = true
		}
	}
	return first
}

// firstNames are common first names in France (INSEE, fichier des
// prénoms: the most given since 1950) and in English-speaking test data
// (Jane and John Doe): enough to tell "Jean Dupont" from a group name
// ("Domain Users"), not a census.
var firstNames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`
		adam adrien agathe agnès alain albert alexandre alice alicia aline amandine ambre amélie anaïs andré andrée
		angélique anne annie antoine arnaud arthur aurélie axel baptiste benjamin benoît bernadette bernard bruno
		camille carole caroline catherine cécile céline charles charlotte chantal chloé christian christiane
		christine christophe claire claude claudine clément colette corinne daniel danielle david delphine denis
		denise didier dominique dylan éléonore élise élodie emma emmanuel emmanuelle enzo éric estelle éthan étienne
		eva évelyne fabien fabrice florence florian francis franck françois françoise frédéric gabriel gabrielle
		gaël geneviève georges gérard gilbert gilles ginette guillaume guy hélène henri hugo inès isabelle jacqueline
		jacques jade jeanne jean jérémy jérôme joël jonathan joseph josette julie julien juliette justine karine
		kevin laetitia laura laurence laurent léa léo léon léna liam lina lisa louis louise luc lucas lucie lucien
		madeleine maël manon marc marcel margaux marguerite maria marie marine marion martin martine mathéo mathilde
		mathieu matthieu maxime mélanie michel micheline michèle mickaël monique morgane muriel myriam nadine nathalie
		nathan nicolas nicole noah noé noémie océane olivier pascal pascale patrice patricia patrick paul paulette
		philippe pierre quentin raphaël raymond rémi renée robert roger romain rose sabrina samuel sandrine sarah
		sébastien serge simone sophie stéphane stéphanie suzanne sylvain sylvie thérèse thierry thomas timéo tom
		valentin valérie véronique victor vincent virginie xavier yann yannick yves yvette yvonne zoé
		alan amy andrew anna barbara betty brian carol charlie daniel david deborah donald dorothy edward elizabeth
		emily george harry helen jack james jane janet jennifer jessica john joseph karen kenneth linda lisa margaret
		mark mary matthew michael nancy olivia oliver patricia peter richard robert ronald sandra sarah steven susan
		thomas william`) {
		m[n] = true
	}
	return m
}()
