package sso

import (
	"regexp"
	"strings"
)

// personalKinds names, by lower-cased attribute name (Name or
// FriendlyName), the personal data an attribute carries. The names are
// those of the AAF/ENT directory (ENTPerson…, ENTEleve…), of the GAR feed
// (GARPerson…), of LDAP/eduPerson (with their OIDs) and common spellings.
var personalKinds = func() map[string]string {
	m := map[string]string{}
	add := func(kind string, names ...string) {
		for _, n := range names {
			m[strings.ToLower(n)] = kind
		}
	}
	add("nom", "sn", "surname", "urn:oid:2.5.4.4", "ENTPersonNom", "ENTPersonNomPatro", "GARPersonNom", "GARPersonNomPatro", "nom", "lastName", "familyName", "family_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname")
	add("prénom", "givenName", "urn:oid:2.5.4.42", "ENTPersonPrenom", "ENTPersonAutresPrenoms", "GARPersonPrenom", "GARPersonAutresPrenoms", "prenom", "firstName", "given_name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname")
	add("nom complet", "cn", "commonName", "urn:oid:2.5.4.3", "displayName", "urn:oid:2.16.840.1.113730.3.1.241", "fullName", "name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name")
	add("courriel", "mail", "email", "emailAddress", "urn:oid:0.9.2342.19200300.100.1.3", "ENTPersonMail", "GARPersonMail", "courriel", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")
	add("date de naissance", "ENTPersonDateNaissance", "GARPersonDateNaissance", "dateNaissance", "birthDate", "dateOfBirth", "schacDateOfBirth", "urn:oid:1.3.6.1.4.1.25178.1.2.3")
	add("INE", "INE", "ENTEleveINE", "GAREleveINE", "ine_eleve")
	add("classe", "classe", "classes", "ENTEleveClasses", "ENTEleveGroupes", "ENTEleveMEF", "ENTEleveLibelleMEF", "GARPersonMEF", "GAREleveClasse", "GARPersonGroupe", "division")
	add("identifiant de connexion", "uid", "urn:oid:0.9.2342.19200300.100.1.1", "ENTPersonLogin", "login", "username", "eduPersonPrincipalName", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6", "samAccountName", "upn")
	add("civilité", "personalTitle", "ENTPersonCivilite", "GARPersonCivilite", "civilite")
	add("sexe", "ENTPersonSexe", "sexe", "gender")
	add("adresse", "postalAddress", "street", "ENTPersonAdresse", "ENTPersonCodePostal", "ENTPersonVille", "homePostalAddress")
	add("téléphone", "telephoneNumber", "mobile", "homePhone", "ENTPersonTelPerso", "ENTPersonTelPro")
	add("responsable légal", "ENTEleveParents", "ENTElevePersRelEleve", "ENTAuxPersRelEleveEleve", "ENTEleveAutoriteParentale")
	add("identifiant annuaire", "ENTPersonJointure", "ENTPersonUid", "ENTEleveStructRattachId")
	return m
}()

// Attributes the GAR login needs or that carry no personal data.
const (
	attrIDEnt = "ident"
	attrGARID = "garpersonidentifiant"
)

// uaiNames are attributes naming the user's establishment (UAI), which
// SSO-012 compares with the feed.
var uaiNames = map[string]bool{
	"uai": true, "garstructureuai": true, "entpersonstructrattach": true, "entpersonstructrattachuai": true,
	"garpersonetab": true, "garpersonstructrattach": true, "ent_uai": true,
}

// neutralNames are attributes carrying no personal data.
var neutralNames = map[string]bool{
	attrIDEnt: true, attrGARID: true, "garpersonprofil": true, "garpersonprofils": true, "entpersonprofils": true,
}

// attribute is one attribute of the assertion.
type attribute struct {
	name     string // as written (Name)
	key      string // lower-cased Name, or FriendlyName when it is known
	friendly string
	values   []string
}

// label names the attribute in messages: its Name, and its FriendlyName
// when it differs.
func (a attribute) label() string {
	if a.friendly != "" && a.friendly != a.name {
		return clip(a.name) + " « " + clip(a.friendly) + " »"
	}
	return clip(a.name)
}

// labelEN is label for an English message: the FriendlyName in double
// quotes.
func (a attribute) labelEN() string {
	if a.friendly != "" && a.friendly != a.name {
		return clip(a.name) + ` "` + clip(a.friendly) + `"`
	}
	return clip(a.name)
}

// personalKind returns what personal data an attribute carries ("" when
// none is known).
func (a attribute) personalKind(friendly string) string {
	if k, ok := personalKinds[strings.ToLower(a.name)]; ok {
		return k
	}
	if k, ok := personalKinds[strings.ToLower(friendly)]; ok {
		return k
	}
	return ""
}

var (
	emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$`)
	// ineRe is the INE (identifiant national élève): 10 digits and a
	// letter, or 9 digits and two letters (BEA, RNIE).
	ineRe = regexp.MustCompile(`^(?i:[0-9]{10}[A-Z]|[0-9]{9}[A-Z]{2})$`)
	// loginRe is a readable login or name: "prenom.nom", "p.nom2",
	// "jdupont", "Jean Dupont".
	loginRe = regexp.MustCompile(`^(?i:[a-zà-ÿ]+(?:[ ._-][a-zà-ÿ]+)+[0-9]{0,3}|[a-zà-ÿ]{2,20}[0-9]{0,3})$`)
)

// readable says why an identifier is not opaque ("" when it is): an
// e-mail address, an INE, a login or a name.
func readable(v string) (fr, en string) {
	v = strings.TrimSpace(v)
	switch {
	case emailRe.MatchString(v) || strings.Contains(v, "@"):
		return "une adresse électronique", "an e-mail address"
	case ineRe.MatchString(v):
		return "un INE", "an INE"
	case loginRe.MatchString(v):
		return "un identifiant de connexion ou un nom", "a login or a name"
	}
	return "", ""
}

// opaque says whether v looks like a technical identifier: long enough
// and mixing digits with letters, or a long random-looking string.
func opaque(v string) bool {
	if fr, _ := readable(v); fr != "" {
		return false
	}
	if len(v) < 8 || strings.ContainsAny(v, " \t\n") {
		return false
	}
	digits, letters := 0, 0
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		}
	}
	return digits > 0 && (letters > 0 || len(v) >= 12)
}
