package sso

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/beevik/etree"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

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
		return clipName(a.name) + " « " + clip(a.friendly) + " »"
	}
	return clipName(a.name)
}

// clipName bounds an attribute name quoted in a message, keeping its end,
// which says what it is: "http://schemas.xmlsoap.org/…/claims/givenname".
func clipName(n string) string {
	r := []rune(n)
	if len(r) <= 60 {
		return n
	}
	if i := strings.Index(n, "://"); i > 0 {
		if j := strings.IndexByte(n[i+3:], '/'); j > 0 {
			head := n[:i+3+j]
			parts := strings.Split(n[i+3+j+1:], "/")
			if len(parts) > 2 {
				tail := strings.Join(parts[len(parts)-2:], "/")
				if s := head + "/…/" + tail; len([]rune(s)) <= 80 {
					return s
				}
			}
		}
	}
	return "…" + string(r[len(r)-57:])
}

// labelEN is label for an English message: the FriendlyName in double
// quotes.
func (a attribute) labelEN() string {
	if a.friendly != "" && a.friendly != a.name {
		return clipName(a.name) + ` "` + clip(a.friendly) + `"`
	}
	return clipName(a.name)
}

// personal says what personal data an attribute carries: by its Name or
// FriendlyName (personalNames, personalTokens), else by what one of its
// values looks like (an e-mail address, a phone number, a person's name);
// byValue tells which. ok is false when nothing personal is recognised.
func (a attribute) personal() (k kind, byValue, ok bool) {
	if k, ok := nameKind(a.name); ok {
		return k, false, true
	}
	if k, ok := nameKind(a.friendly); ok {
		return k, false, true
	}
	for _, v := range a.values {
		if k, ok := valueKind(v); ok {
			return k, true, true
		}
	}
	return kind{}, false, false
}

// empty says whether the attribute carries no value (no AttributeValue,
// or only empty or xsi:nil ones): it releases nothing.
func (a attribute) empty() bool {
	for _, v := range a.values {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
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
		if neutralNames[x.key] || uaiNames[x.key] || x.empty() {
			continue
		}
		if k, byValue, ok := x.personal(); ok {
			what, whatEN := k.fr, k.en
			if byValue {
				what, whatEN = valueFR[k], valueEN[k]
			}
			personal = append(personal, fmt.Sprintf("%s (%s)", x.label(), what))
			personalEN = append(personalEN, fmt.Sprintf("%s (%s)", x.labelEN(), whatEN))
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

// valueFR and valueEN say what a value recognised as personal data is
// (valueKind's kinds).
var (
	valueFR = map[kind]string{kindMail: "sa valeur est une adresse électronique", kindPhone: "sa valeur est un numéro de téléphone", kindFullName: "sa valeur est le nom d'une personne"}
	valueEN = map[kind]string{kindMail: "its value is an e-mail address", kindPhone: "its value is a phone number", kindFullName: "its value is a person's name"}
)
