package sso

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/beevik/etree"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
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

// attributesOf reads the assertion's attributes.
func attributesOf(as *etree.Element) []attribute {
	var out []attribute
	for _, st := range children(as, nsSAML, "AttributeStatement") {
		for _, at := range children(st, nsSAML, "Attribute") {
			x := attribute{name: attrOf(at, "Name"), key: strings.ToLower(attrOf(at, "Name")), friendly: attrOf(at, "FriendlyName")}
			if f := attrOf(at, "FriendlyName"); f != "" && (neutralNames[strings.ToLower(f)] || uaiNames[strings.ToLower(f)]) {
				x.key = strings.ToLower(f)
			}
			for _, v := range children(at, nsSAML, "AttributeValue") {
				x.values = append(x.values, textOf(v))
			}
			out = append(out, x)
		}
	}
	return out
}

func find(attrs []attribute, key string) *attribute {
	for i := range attrs {
		if attrs[i].key == key {
			return &attrs[i]
		}
	}
	return nil
}

// SSO-010.
func (a *auditor) idEnt(r *response, attrs []attribute) result.Finding {
	at := find(attrs, attrIDEnt)
	if at == nil || len(at.values) == 0 {
		return a.mk(result.Fail, rules.SSO010, r, "l'attribut idEnt est absent : le GAR ne sait pas à quel projet ENT rattacher l'utilisateur.", "the idEnt attribute is missing: the GAR cannot tell which ENT project the user belongs to.")
	}
	want := a.env.Opts.IDEnt
	if want == "" {
		return a.mk(result.NotEvaluated, rules.SSO010, r,
			fmt.Sprintf("non évalué : idEnt vaut « %s » mais l'identifiant du projet n'est pas déclaré (ent.id_ent ou --id-ent).", clip(at.values[0])),
			fmt.Sprintf("not evaluated: idEnt is %q but the project identifier is not declared (ent.id_ent or --id-ent).", clip(at.values[0])))
	}
	if len(at.values) != 1 || at.values[0] != want {
		return a.mk(result.Fail, rules.SSO010, r,
			fmt.Sprintf("idEnt vaut « %s », l'identifiant du projet est « %s ».", clip(strings.Join(at.values, " », « ")), want),
			fmt.Sprintf("idEnt is %q, the project identifier is %q.", clip(strings.Join(at.values, ", ")), want))
	}
	return a.mk(result.Pass, rules.SSO010, r, fmt.Sprintf("idEnt vaut « %s », l'identifiant du projet.", want), fmt.Sprintf("idEnt is %q, the project identifier.", want))
}

// SSO-011 and SSO-012.
func (a *auditor) garID(r *response, attrs []attribute) []result.Finding {
	at := find(attrs, attrGARID)
	if at == nil || len(at.values) == 0 || at.values[0] == "" {
		return []result.Finding{
			a.mk(result.Fail, rules.SSO011, r, "l'attribut GARPersonIdentifiant est absent : le GAR ne peut pas reconnaître l'utilisateur.", "the GARPersonIdentifiant attribute is missing: the GAR cannot recognise the user."),
			a.mk(result.NotEvaluated, rules.SSO012, r, "non évalué : pas de GARPersonIdentifiant à chercher dans l'alimentation (voir "+rules.SSO011.ID+").", "not evaluated: no GARPersonIdentifiant to look up in the feed (see "+rules.SSO011.ID+")."),
		}
	}
	id := at.values[0]
	masked := a.maskID(id)
	var out []result.Finding
	switch fr, en := readable(id); {
	case len(at.values) > 1:
		out = append(out, a.mk(result.Fail, rules.SSO011, r, fmt.Sprintf("GARPersonIdentifiant porte %d valeurs : une seule est attendue.", len(at.values)), fmt.Sprintf("GARPersonIdentifiant has %d values: exactly one is expected.", len(at.values))))
	case fr != "":
		out = append(out, a.mk(result.Fail, rules.SSO011, r,
			fmt.Sprintf("GARPersonIdentifiant (%s) est %s, pas un identifiant opaque.", a.maskNameID(id), fr),
			fmt.Sprintf("GARPersonIdentifiant (%s) is %s, not an opaque identifier.", a.maskNameID(id), en)))
	case !opaque(id):
		out = append(out, a.mk(result.Warn, rules.SSO011, r,
			fmt.Sprintf("GARPersonIdentifiant (%s) est court ou peu aléatoire : vérifier qu'il est opaque.", masked),
			fmt.Sprintf("GARPersonIdentifiant (%s) is short or hardly random: check that it is opaque.", masked)))
		out[len(out)-1].Review = true
	default:
		out = append(out, a.mk(result.Pass, rules.SSO011, r, fmt.Sprintf("GARPersonIdentifiant présent et opaque (%s).", masked), fmt.Sprintf("GARPersonIdentifiant present and opaque (%s).", masked)))
	}
	return append(out, a.inFeed(r, attrs, id))
}

// SSO-013.
func (a *auditor) minimal(r *response, attrs []attribute) result.Finding {
	// The data are named in plain words first; the attributes' names
	// (an OID, a schema name) follow as the technical detail.
	var kinds, kindsEN, personal, unknown, personalEN, unknownEN []string
	for _, x := range attrs {
		if neutralNames[x.key] || uaiNames[x.key] {
			continue
		}
		if k := x.personalKind(x.friendly); k != "" {
			if !slices.Contains(kinds, k) {
				kinds, kindsEN = append(kinds, k), append(kindsEN, kindEN[k])
			}
			personal = append(personal, x.label())
			personalEN = append(personalEN, x.labelEN())
			continue
		}
		unknown = append(unknown, x.label())
		unknownEN = append(unknownEN, x.labelEN())
	}
	if len(personal) > 0 {
		return a.mk(result.Fail, rules.SSO013, r,
			"données personnelles transmises au GAR sans nécessité : "+strings.Join(kinds, ", ")+" (valeurs non reproduites ; détail technique, attributs : "+strings.Join(personal, ", ")+").",
			"personal data released to the GAR without necessity: "+strings.Join(kindsEN, ", ")+" (values not shown; technical detail, attributes: "+strings.Join(personalEN, ", ")+").")
	}
	if len(unknown) > 0 {
		f := a.mk(result.Warn, rules.SSO013, r,
			"attributs non prévus transmis au GAR, à justifier : "+strings.Join(unknown, ", ")+" (valeurs non reproduites).",
			"unexpected attributes released to the GAR, to be justified: "+strings.Join(unknownEN, ", ")+" (values not shown).")
		f.Review = true
		return f
	}
	return a.mk(result.Pass, rules.SSO013, r, "aucune autre donnée personnelle que idEnt et GARPersonIdentifiant.", "no personal data other than idEnt and GARPersonIdentifiant.")
}

var kindEN = map[string]string{
	"nom": "name", "prénom": "first name", "nom complet": "full name", "courriel": "e-mail",
	"date de naissance": "birth date", "INE": "INE", "classe": "class", "identifiant de connexion": "login",
	"civilité": "title", "sexe": "sex", "adresse": "address", "téléphone": "phone", "responsable légal": "legal guardian",
	"identifiant annuaire": "directory identifier",
}
