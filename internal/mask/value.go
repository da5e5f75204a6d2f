package mask

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Value is a value read from evidence that may hold personal data (a GAR
// feed, an AAF export, the samples a mapping is checked on). It is the one
// way such a value reaches a message or an excerpt: it prints masked
// according to what it is — the GAR element or AAF attribute it was read
// from — with every fmt verb (%s, %v, %q…), and has no method that gives
// it back in clear. A field sdetcheck does not know is masked whole.
//
// A value read from one field and compared with another (a mapping puts
// an AAF attribute into a GAR element) is built from both: it is masked
// as the personal one says (a surname put into a civilité stays a
// surname), and shown in clear only when none of them is personal.
type Value struct {
	v     string
	kinds []kind
	p     *Pseudonymizer
}

// Of is v read from field (a GAR element or an AAF attribute, with or
// without its path: "GAREleve/GARPersonNom", "sn"), and from the other
// fields it was compared with.
func Of(v string, field string, more ...string) Value {
	ks := []kind{kindOf(field)}
	for _, f := range more {
		ks = append(ks, kindOf(f))
	}
	return Value{v: v, kinds: ks}
}

// Of is like the package's Of, identifiers being shown by their keyed
// pseudonym (p may be nil: they are then hidden).
func (p *Pseudonymizer) Of(v string, field string, more ...string) Value {
	x := Of(v, field, more...)
	x.p = p
	return x
}

// String is the masked value.
func (x Value) String() string { return x.masked() }

// Format prints the masked value whatever the verb (%#v included): %q
// quotes it.
func (x Value) Format(f fmt.State, verb rune) {
	s := x.masked()
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	io.WriteString(f, s)
}

// MarshalText is the masked value (a Value put in JSON or XML by mistake
// stays masked).
func (x Value) MarshalText() ([]byte, error) { return []byte(x.masked()), nil }

// Hidden is what a value masked whole prints.
const Hidden = "***"

func (x Value) masked() string {
	if x.v == "" {
		return ""
	}
	// A value is shown in clear when none of its fields may hold
	// personal data (UAI, codes), one of them shows it (a function split
	// into a profile is a profile), and it is not shaped like personal
	// data (e-mail, date, INE, phone).
	clear := !personalShape(x.v)
	shown := false
	for _, k := range x.kinds {
		switch k.class {
		case classUAI, classCode, classLabel:
			shown = shown || k.shows(x.v)
		default:
			clear = false
		}
	}
	if clear && shown {
		return x.v
	}
	// Masked as the first personal kind among the fields says (a birth
	// date keeps its year, a name its initials), else whole.
	for _, k := range x.kinds {
		switch k.class {
		case className:
			return Name(x.v)
		case classDate:
			return Date(x.v)
		case classEmail:
			return Email(x.v)
		case classPhone:
			return Phone(x.v)
		case classID:
			if x.p != nil {
				return x.p.ID(x.v)
			}
			return Hidden
		}
	}
	return Hidden
}

// class is what a field holds.
type class uint8

const (
	classUnknown class = iota // masked whole
	className
	classDate
	classEmail
	classPhone
	classID
	classUAI   // a school's UAI: shown when shaped like a code
	classCode  // a closed vocabulary (civilité, profile, status): shown when in it
	classLabel // a structural code (group, MEF, subject): shown when shaped like a code
)

type kind struct {
	class class
	vocab []string
	shape *regexp.Regexp
}

var (
	// A structural code (group, MEF, subject, a structure's jointure)
	// holds a digit: a name never does.
	codeShape = regexp.MustCompile(`^[A-Za-z0-9 _./$:#+-]{0,60}$`)
	hasDigit  = regexp.MustCompile(`[0-9]`)
	// Shapes of personal data whatever the field: an e-mail address, a
	// date, an INE, a phone number.
	emailShape = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[A-Za-z]{2,}`)
	dateShape  = regexp.MustCompile(`\b(?:[0-3]?[0-9][/.-][01]?[0-9][/.-](?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9])\b`)
	ineShape   = regexp.MustCompile(`^(?:[0-9]{10}[A-Z]|[0-9]{9}[A-Z]{2})$`)
	phoneShape = regexp.MustCompile(`^\s*(?:\+33\s?|0)[1-9](?:[\s.-]?[0-9]{2}){4}\s*$`)
)

func personalShape(v string) bool {
	return emailShape.MatchString(v) || dateShape.MatchString(v) || ineShape.MatchString(v) || phoneShape.MatchString(v)
}

// shows says whether v may be printed in clear as a value of k.
func (k kind) shows(v string) bool {
	switch k.class {
	case classUAI, classLabel:
		// A UAI, well formed or not (0861001X, 086100W), or a code
		// holds a digit: a name never does.
		return utf8.RuneCountInString(v) <= 60 && codeShape.MatchString(v) && hasDigit.MatchString(v)
	case classCode:
		for _, w := range k.vocab {
			if strings.EqualFold(v, w) {
				return true
			}
		}
		return k.shape != nil && k.shape.MatchString(v)
	}
	return false
}

var (
	civilites = []string{"M.", "Mme", "M", "Mme.", "Mlle", "Mlle.", "Melle", "Mr", "Mr.", "Monsieur", "Madame", "Mademoiselle"}
	// profiles: the GAR's, any National_xxx code, and the AAF's
	// categories.
	profiles    = []string{"National_elv", "National_ens", "National_doc", "National_dir", "National_evs", "National_eta", "National_col", "Eleve", "PersEducNat", "EtabEducNat"}
	profileLike = regexp.MustCompile(`^National_[A-Za-z]{2,5}$`)
	statuts     = []string{"DIVISION", "GROUPE"}
)

// fields classifies the GAR elements (XSD 2D v1.7, 1D v1.4) and the AAF
// attributes (annuaire fédérateur, ficAlimMENESR, as the public importers
// and the SDET LDAP schema name them) sdetcheck reads. Any other field
// (addresses, libellés, flags) is classUnknown: masked whole.
var fields = map[string]kind{
	// Names.
	"GARPersonNom": {class: className}, "GARPersonPrenom": {class: className}, "GARPersonAutresPrenoms": {class: className}, "GARPersonNomPatro": {class: className},
	"sn": {class: className}, "givenName": {class: className}, "cn": {class: className}, "displayName": {class: className},
	"ENTPersonNom": {class: className}, "nomUsage": {class: className}, "ENTPersonNomUsage": {class: className}, "ENTPersonPrenom": {class: className}, "ENTPersonAutresPrenoms": {class: className}, "ENTPersonNomPatro": {class: className},
	// Birth dates.
	"GARPersonDateNaissance": {class: classDate}, "ENTPersonDateNaissance": {class: classDate},
	// E-mail addresses.
	"GARPersonMail": {class: classEmail}, "mail": {class: classEmail}, "ENTPersonMail": {class: classEmail}, "ENTPersonMailPerso": {class: classEmail},
	// Phone numbers.
	"telephoneNumber": {class: classPhone}, "mobile": {class: classPhone}, "homePhone": {class: classPhone},
	"ENTPersonTelPerso": {class: classPhone}, "ENTPersonTelPro": {class: classPhone}, "ENTPersonTelPortable": {class: classPhone},
	// Identifiers.
	"GARPersonIdentifiant": {class: classID}, "ENTPersonJointure": {class: classID}, "ENTPersonLogin": {class: classID},
	"ENTEleveINE": {class: classID}, "uid": {class: classID}, "ENTPersonUid": {class: classID}, "ENTEleveParents": {class: classID},
	"ENTEleveAutoriteParentale": {class: classID}, "ENTElevePersRelEleve": {class: classID}, "ENTAuxPersRelEleveEleve": {class: classID},
	"ENTElevePersRelEleve1": {class: classID}, "ENTElevePersRelEleve2": {class: classID},
	// The NameID of a SAML assertion (SSO captures): an identifier.
	"NameID": {class: classID},
	// UAIs.
	"GARStructureUAI": {class: classUAI}, "GARPersonEtab": {class: classUAI}, "GARPersonStructRattach": {class: classUAI},
	"GARRespAffEtab": {class: classUAI}, "GAREtablissementStructRattachFctl": {class: classUAI}, "ENTStructureUAI": {class: classUAI},
	"UAI": {class: classUAI},
	// Closed vocabularies.
	"GARPersonCivilite": {class: classCode, vocab: civilites}, "personalTitle": {class: classCode, vocab: civilites}, "ENTPersonCivilite": {class: classCode, vocab: civilites},
	"GARPersonProfil": {class: classCode, vocab: profiles, shape: profileLike}, "ENTPersonProfils": {class: classCode, vocab: profiles, shape: profileLike},
	"GARGroupeStatut": {class: classCode, vocab: statuts},
	// Structural codes.
	"GARGroupeCode": {class: classLabel}, "GARGroupeDivAppartenance": {class: classLabel}, "GARMEFCode": {class: classLabel},
	"GARMEFSTAT4Code": {class: classLabel}, "GARMEFSTAT11": {class: classLabel}, "GARMatiereCode": {class: classLabel},
	"GAREnsDisciplinePosteCode": {class: classLabel}, "GAREnsSpecialitePosteCode": {class: classLabel},
	"ENTStructureJointure": {class: classLabel}, "ENTPersonStructRattach": {class: classLabel}, "ENTPersonFonctions": {class: classLabel},
	"ENTEleveClasses": {class: classLabel}, "ENTEleveGroupes": {class: classLabel}, "ENTAuxEnsClasses": {class: classLabel},
	"ENTAuxEnsGroupes": {class: classLabel}, "ENTEleveMEF": {class: classLabel}, "ENTAuxEnsMEF": {class: classLabel},
	"ENTEleveCodeEnseignements": {class: classLabel}, "ENTAuxEnsClassesMatieres": {class: classLabel}, "ENTAuxEnsGroupesMatieres": {class: classLabel},
	"ENTEleveStructRattachId": {class: classLabel}, "ENTPersonStructRattachId": {class: classLabel}, "ENTStructureClasses": {class: classLabel},
	"ENTStructureGroupes": {class: classLabel}, "ENTAuxEnsDisciplinesPoste": {class: classLabel}, "ENTEnsSpecialites": {class: classLabel},
	"ENTPersonClasses": {class: classLabel}, "ENTAuxEnsClassesPrincipal": {class: classLabel}, "ENTAuxEnsMatiereEnseignEtab": {class: classLabel},
	"ENTMEFSTAT11": {class: classLabel}, "ENTMEFRattach": {class: classLabel}, "ENTMatJointure": {class: classLabel}, "ENTMefJointure": {class: classLabel},
	"ENTEtablissementStructRattachFctl": {class: classLabel}, "ENTAuxEnsCategoDiscipline": {class: classLabel},
}

// kindOf classifies a field by its last path segment, without a
// namespace prefix.
func kindOf(field string) kind {
	if i := strings.LastIndexByte(field, '/'); i >= 0 {
		field = field[i+1:]
	}
	if i := strings.IndexByte(field, ':'); i >= 0 {
		field = field[i+1:]
	}
	return fields[field]
}
