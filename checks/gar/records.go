package gar

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// visitor applies the per-record rules and feeds the cross-file state.
type visitor struct {
	s   *state
	now time.Time
}

// ev locates a record's field: its excerpt is the field's name and its
// value, which reaches it masked only (a mask.Value).
func ev(fi *fileInfo, line int, field string, val mask.Value) result.Evidence {
	return result.Evidence{Source: fi.Member.Source, Line: line, Excerpt: field + " " + val.String()}
}

// visit dispatches one record.
func (v *visitor) visit(fi *fileInfo, r *garfeed.Record) {
	oneD := fi.NS == garfeed.NS1D
	switch r.Name {
	case "GAREtab":
		v.etab(fi, r)
	case "GARMEF":
		v.code(fi, r, "GARMEFCode", v.s.mefs, v.s.mefDups)
	case "GARMatiere":
		v.code(fi, r, "GARMatiereCode", v.s.mats, v.s.matDups)
	case "GAREleve":
		v.person(fi, r, kindPupil, oneD)
	case "GAREnseignant":
		v.person(fi, r, kindTeacher, oneD)
	case "GARRespAff":
		v.respAff(fi, r)
	case "GARPersonMEF", "GARPersonMEFSTAT4":
		v.personLink(fi, r, kindPupil|kindTeacher, rules.GAR010)
		if r.Name == "GARPersonMEF" {
			u, _ := r.Get("GARStructureUAI")
			c, line := r.Get("GARMEFCode")
			v.s.check(ref{kind: refMEF, uai: u, key: c, rule: rules.GAR010, what: r.Name, src: fi.Member.Source, line: line, exLabel: "GARMEFCode", exVal: c})
		}
	case "GAREleveEnseignement":
		v.personLink(fi, r, kindPupil, rules.GAR010)
		u, _ := r.Get("GARStructureUAI")
		c, line := r.Get("GARMatiereCode")
		v.s.check(ref{kind: refMatiere, uai: u, key: c, rule: rules.GAR010, what: r.Name, src: fi.Member.Source, line: line, exLabel: "GARMatiereCode", exVal: c})
	case "GARGroupe":
		v.groupe(fi, r)
	case "GARPersonGroupe":
		v.personLink(fi, r, kindPupil|kindTeacher, rules.GAR008)
		v.groupRef(fi, r, statusAny, rules.GAR008)
	case "GAREnsClasseMatiere", "GAREnsGroupeMatiere":
		v.personLink(fi, r, kindTeacher, rules.GAR008)
		want := statusDivision
		if r.Name == "GAREnsGroupeMatiere" {
			want = statusGroupe
		}
		v.groupRef(fi, r, want, rules.GAR009)
		u, _ := r.Get("GARStructureUAI")
		for f := range r.Each("GARMatiereCode") {
			v.s.check(ref{kind: refMatiere, uai: u, key: f.Val, rule: rules.GAR010, what: r.Name, src: fi.Member.Source, line: f.Line, exLabel: "GARMatiereCode", exVal: f.Val})
		}
	}
}

// etab records a GAREtab and checks its UAI.
func (v *visitor) etab(fi *fileInfo, r *garfeed.Record) {
	u, line := r.Get("GARStructureUAI")
	if u == "" {
		return
	}
	v.checkUAIFormat(fi, u, line, "GAREtab")
	at := loc{fi.File, line}
	v.s.mu.Lock()
	i := v.s.uaiLocked(u)
	old, dup := v.s.etab[i]
	if dup {
		noteDup(v.s.etabDups, i, old, at, 0, 0)
	}
	if !dup || at.before(old) {
		v.s.etab[i] = at
	}
	v.s.mu.Unlock()
	if f, fl := r.Get("GAREtablissementStructRattachFctl"); f != "" {
		v.checkUAIFormat(fi, f, fl, "GAREtablissementStructRattachFctl")
		v.s.check(ref{kind: refEtab, uai: f, rule: rules.GAR006, what: "GAREtablissementStructRattachFctl", src: fi.Member.Source, line: fl, exLabel: "UAI", exVal: f})
	}
}

// code records a matière or MEF of a UAI (duplicates are reported by
// finishDups, GAR-010).
func (v *visitor) code(fi *fileInfo, r *garfeed.Record, elem string, set map[codeKey]loc, dups map[codeKey]*dupInfo) {
	u, ul := r.Get("GARStructureUAI")
	c, line := r.Get(elem)
	v.s.check(ref{kind: refEtab, uai: u, rule: rules.GAR006, what: r.Name, src: fi.Member.Source, line: ul, exLabel: "UAI", exVal: u})
	at := loc{fi.File, line}
	v.s.mu.Lock()
	k := codeKey{v.s.uaiLocked(u), c}
	old, dup := set[k]
	if dup {
		noteDup(dups, k, old, at, 0, 0)
	}
	if !dup || at.before(old) {
		set[k] = at
	}
	v.s.mu.Unlock()
}

// person records a pupil or a teacher and checks its values.
func (v *visitor) person(fi *fileInfo, r *garfeed.Record, kind uint8, oneD bool) {
	id, idLine := r.Get("GARPersonIdentifiant")
	var etabs []uint32
	for f := range r.Each("GARPersonEtab") {
		v.s.check(ref{kind: refEtab, uai: f.Val, rule: rules.GAR006, what: r.Name, whatSub: "GARPersonEtab", src: fi.Member.Source, line: f.Line, exLabel: "UAI", exVal: f.Val})
		etabs = append(etabs, v.s.uai(f.Val))
	}
	// The administrative attachment (GARPersonStructRattach) is a fact of
	// the AAF, not a link the GAR resolves: it may name a school outside
	// the ENT project (a teacher shared with another ENT's school; OPEN-ENT-NG
	// gar-connector exports it so). Only its format is checked.
	if f, fl := r.Get("GARPersonStructRattach"); f != "" {
		v.checkUAIFormat(fi, f, fl, r.Name+"/GARPersonStructRattach")
	}
	for _, path := range []string{"GARPersonProfils/GARStructureUAI", "GAREnsDisciplinesPostes/GARStructureUAI", "GAREnsSpecialitesPostes/GARStructureUAI"} {
		for f := range r.Each(path) {
			v.s.check(ref{kind: refEtab, uai: f.Val, rule: rules.GAR006, what: r.Name, whatSub: path, src: fi.Member.Source, line: f.Line, exLabel: "UAI", exVal: f.Val})
		}
	}
	if id != "" {
		// Kept with the file and added to the state by batches: a lock
		// for each person had the workers wait on each other.
		fi.persons = append(fi.persons, idPerson{id, person{kind: kind, kinds: kind, etabs: etabs, fi: fi.File, line: idLine}})
		if len(fi.persons) >= personBatch {
			v.s.addPersons(fi)
		}
	}
	v.profiles(fi, r, kind)
	v.civilite(fi, r)
	v.birthDate(fi, r, kind)
	v.minimisation(fi, r, kind, oneD)
}

// before orders person records by file (members are sorted by name) then
// line.
func (p person) before(q person) bool {
	if p.fi.Member.Name != q.fi.Member.Name {
		return p.fi.Member.Name < q.fi.Member.Name
	}
	return p.line < q.line
}

func personRecord(kind uint8) string {
	if kind == kindPupil {
		return "GAREleve"
	}
	return "GAREnseignant"
}

// respAff records a responsable d'affectation.
func (v *visitor) respAff(fi *fileInfo, r *garfeed.Record) {
	id, line := r.Get("GARPersonIdentifiant")
	for f := range r.Each("GARRespAffEtab") {
		v.s.check(ref{kind: refEtab, uai: f.Val, rule: rules.GAR006, what: "GARRespAff/GARRespAffEtab", src: fi.Member.Source, line: f.Line, exLabel: "UAI", exVal: f.Val})
	}
	at := loc{fi.File, line}
	v.s.mu.Lock()
	old, dup := v.s.resp[id]
	if dup && id != "" {
		noteDup(v.s.respDups, id, old, at, 0, 0)
	}
	if !dup || at.before(old) {
		v.s.resp[id] = at
	}
	v.s.mu.Unlock()
	v.civilite(fi, r)
}

// personLink checks a link record's UAI and person.
func (v *visitor) personLink(fi *fileInfo, r *garfeed.Record, want uint8, rule *rules.Rule) {
	// The persons this file has read so far are in the state first (a
	// file's links follow its persons).
	v.s.addPersons(fi)
	u, ul := r.Get("GARStructureUAI")
	id, line := r.Get("GARPersonIdentifiant")
	v.s.check(ref{kind: refEtab, uai: u, rule: rules.GAR006, what: r.Name, src: fi.Member.Source, line: ul, exLabel: "UAI", exVal: u})
	v.s.check(ref{kind: refPerson, uai: u, key: id, want: want, rule: rule, what: r.Name, src: fi.Member.Source, line: line, exLabel: r.Name, exVal: id, exMask: true})
}

// groupRef checks that a link names an existing group of the right status.
func (v *visitor) groupRef(fi *fileInfo, r *garfeed.Record, want uint8, rule *rules.Rule) {
	u, _ := r.Get("GARStructureUAI")
	c, line := r.Get("GARGroupeCode")
	if want != statusAny {
		// Existence is GAR-008's; the status is this rule's.
		v.s.check(ref{kind: refGroup, uai: u, key: c, rule: rules.GAR008, what: r.Name, src: fi.Member.Source, line: line, exLabel: "GARGroupeCode", exVal: c})
	}
	v.s.check(ref{kind: refGroup, uai: u, key: c, want: want, rule: rule, what: r.Name, src: fi.Member.Source, line: line, exLabel: "GARGroupeCode", exVal: c})
}

// groupe records a GARGroupe and checks its status and division links.
func (v *visitor) groupe(fi *fileInfo, r *garfeed.Record) {
	c, line := r.Get("GARGroupeCode")
	u, ul := r.Get("GARStructureUAI")
	st, sl := r.Get("GARGroupeStatut")
	v.s.check(ref{kind: refEtab, uai: u, rule: rules.GAR006, what: "GARGroupe", src: fi.Member.Source, line: ul, exLabel: "UAI", exVal: u})
	status := statusOther
	switch st {
	case "DIVISION":
		status = statusDivision
	case "GROUPE":
		status = statusGroupe
	default:
		v.s.viol.add(rules.GAR009, result.Fail,
			fmt.Sprintf("GARGroupe %q : statut %q, attendu DIVISION ou GROUPE.", mask.Of(c, "GARGroupeCode"), mask.Of(st, "GARGroupeStatut")),
			fmt.Sprintf("GARGroupe %q: status %q, expected DIVISION or GROUPE.", mask.Of(c, "GARGroupeCode"), mask.Of(st, "GARGroupeStatut")), ev(fi, sl, "GARGroupeStatut", mask.Of(st, "GARGroupeStatut")))
	}
	divs := r.All("GARGroupeDivAppartenance")
	// Duplicates are reported once every file is read (finishGroups),
	// from what addGroup keeps whatever order copies arrive in.
	gc := groupCopy{at: loc{fi.File, line}, status: status, divs: joinDivs(divs)}
	v.s.mu.Lock()
	v.s.addGroup(codeKey{v.s.uaiLocked(u), c}, gc)
	v.s.mu.Unlock()
	if status == statusDivision && len(divs) > 0 {
		v.s.viol.add(rules.GAR009, result.Fail,
			fmt.Sprintf("La division %q (UAI %s) porte un GARGroupeDivAppartenance : une division n'appartient à aucune division.", mask.Of(c, "GARGroupeCode"), mask.Of(u, "UAI")),
			fmt.Sprintf("Division %q (UAI %s) has a GARGroupeDivAppartenance: a division belongs to no division.", mask.Of(c, "GARGroupeCode"), mask.Of(u, "UAI")), ev(fi, divs[0].Line, "GARGroupeDivAppartenance", mask.Of(divs[0].Val, "GARGroupeDivAppartenance")))
	}
	if status == statusGroupe {
		for _, d := range divs {
			v.s.check(ref{kind: refGroup, uai: u, key: d.Val, want: statusDivision, rule: rules.GAR009, what: fmt.Sprintf("GARGroupe %q/GARGroupeDivAppartenance", mask.Of(c, "GARGroupeCode")), src: fi.Member.Source, line: d.Line, exLabel: "GARGroupeDivAppartenance", exVal: d.Val})
		}
	}
}

// joinDivs returns the parent divisions of a group, sorted and joined by
// divSep ("" when none, without allocating).
func joinDivs(divs []garfeed.Field) string {
	switch len(divs) {
	case 0:
		return ""
	case 1:
		return divs[0].Val
	}
	vs := make([]string, len(divs))
	for i, d := range divs {
		vs[i] = d.Val
	}
	sort.Strings(vs)
	return strings.Join(vs, divSep)
}

// uaiLetters is the check-letter alphabet of UAI numbers (no I, O, Q).
const uaiLetters = "ABCDEFGHJKLMNPRSTUVWXYZ"

// UAIValid reports whether u is 7 digits and the right check letter
// (number mod 23 in ABCDEFGHJKLMNPRSTUVWXYZ).
func UAIValid(u string) (bool, string) {
	if len(u) != 8 {
		return false, "8 caractères attendus / 8 characters expected"
	}
	n := 0
	for i := 0; i < 7; i++ {
		if u[i] < '0' || u[i] > '9' {
			return false, "7 chiffres attendus / 7 digits expected"
		}
		n = n*10 + int(u[i]-'0')
	}
	want := uaiLetters[n%23]
	if u[7] != want {
		return false, fmt.Sprintf("lettre clé %c attendue / check letter %c expected", want, want)
	}
	return true, ""
}

// UAICheckLetter returns the check letter of a 7-digit UAI number.
func UAICheckLetter(n int) byte { return uaiLetters[n%23] }

func (v *visitor) checkUAIFormat(fi *fileInfo, u string, line int, what string) {
	if ok, why := UAIValid(u); !ok {
		// why is "français / English".
		whyFR, whyEN, found := strings.Cut(why, " / ")
		if !found {
			whyEN = why
		}
		v.s.viol.add(rules.GAR011, result.Fail,
			fmt.Sprintf("%s : UAI %q mal formé (%s).", what, mask.Of(u, "UAI"), whyFR),
			fmt.Sprintf("%s: malformed UAI %q (%s).", what, mask.Of(u, "UAI"), whyEN), ev(fi, line, "UAI", mask.Of(u, "UAI")))
	}
}

func (v *visitor) profiles(fi *fileInfo, r *garfeed.Record, kind uint8) {
	for f := range r.Each("GARPersonProfils/GARPersonProfil") {
		val := mask.Of(f.Val, "GARPersonProfil")
		exact, fold := false, ""
		for _, p := range garfeed.Profiles {
			if f.Val == p {
				exact = true
			} else if strings.EqualFold(f.Val, p) {
				fold = p
			}
		}
		switch {
		case exact:
			if kind == kindPupil && f.Val != "National_elv" {
				v.s.viol.add(rules.GAR012, result.Fail,
					fmt.Sprintf("Élève avec le profil %s (National_elv attendu).", val),
					fmt.Sprintf("Pupil with profile %s (National_elv expected).", val), ev(fi, f.Line, "GARPersonProfil", val))
			}
			if kind == kindTeacher && f.Val == "National_elv" {
				v.s.viol.add(rules.GAR012, result.Fail, "Enseignant avec le profil National_elv.", "Teacher with profile National_elv.", ev(fi, f.Line, "GARPersonProfil", val))
			}
		case fold != "":
			v.s.viol.add(rules.GAR012, result.Warn,
				fmt.Sprintf("Profil %q : casse différente de %s (les implémentations varient ; à aligner).", val, fold),
				fmt.Sprintf("Profile %q: case differs from %s (implementations vary; align it).", val, fold), ev(fi, f.Line, "GARPersonProfil", val))
		default:
			v.s.viol.add(rules.GAR012, result.Fail,
				fmt.Sprintf("Profil %q inconnu (attendu : %s).", val, strings.Join(garfeed.Profiles, ", ")),
				fmt.Sprintf("Unknown profile %q (expected: %s).", val, strings.Join(garfeed.Profiles, ", ")), ev(fi, f.Line, "GARPersonProfil", val))
		}
	}
}

func (v *visitor) civilite(fi *fileInfo, r *garfeed.Record) {
	c, line, ok := r.Lookup("GARPersonCivilite")
	if !ok || c == "M." || c == "Mme" {
		return
	}
	v.s.viol.add(rules.GAR013, result.Fail,
		fmt.Sprintf("GARPersonCivilite %q : « M. » ou « Mme » attendu.", mask.Of(c, "GARPersonCivilite")),
		fmt.Sprintf("GARPersonCivilite %q: \"M.\" or \"Mme\" expected.", mask.Of(c, "GARPersonCivilite")), ev(fi, line, "GARPersonCivilite", mask.Of(c, "GARPersonCivilite")))
}

// Age bounds of plausible birth dates per profile, in years at the run's
// date.
// GAREnseignant holds every staff member (documentalistes, vie scolaire,
// agents…), apprentices included: from 16.
var ageBounds = map[uint8][2]int{kindPupil: {2, 30}, kindTeacher: {16, 80}}

func (v *visitor) birthDate(fi *fileInfo, r *garfeed.Record, kind uint8) {
	d, line, ok := r.Lookup("GARPersonDateNaissance")
	if !ok || d == "" {
		return
	}
	t, err := garfeed.ParseXSDate(d)
	if err != nil {
		return // the XSD reports malformed xs:date values (GAR-005)
	}
	age := v.now.Year() - t.Year()
	if v.now.YearDay() < t.YearDay() {
		age--
	}
	b := ageBounds[kind]
	if age < b[0] || age > b[1] {
		v.s.viol.add(rules.GAR014, result.Fail,
			fmt.Sprintf("%s %s : date de naissance (%s) invraisemblable pour un(e) %s (%d à %d ans attendus).", r.Name, v.s.pseudo.Of(mustGet(r, "GARPersonIdentifiant"), "GARPersonIdentifiant"), mask.Of(d, "GARPersonDateNaissance"), kindName(kind), b[0], b[1]),
			fmt.Sprintf("%s %s: birth date (%s) implausible for a %s (%d to %d years expected).", r.Name, v.s.pseudo.Of(mustGet(r, "GARPersonIdentifiant"), "GARPersonIdentifiant"), mask.Of(d, "GARPersonDateNaissance"), kindNameEN(kind), b[0], b[1]),
			ev(fi, line, "GARPersonDateNaissance", mask.Of(d, "GARPersonDateNaissance")))
	}
}

func kindNameEN(k uint8) string {
	if k == kindPupil {
		return "pupil"
	}
	return "teacher"
}

func mustGet(r *garfeed.Record, p string) string { v, _ := r.Get(p); return v }

var (
	emailRe = regexp.MustCompile(`[^\s@]+@[^\s@]+\.[A-Za-z]{2,}`)
	phoneRe = regexp.MustCompile(`^\s*(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}\s*$`)
	ineRe   = regexp.MustCompile(`^(?:\d{10}[A-Z]|\d{9}[A-Z]{2})$`)
)

// The regular expressions above run only on values that pass these cheap
// pre-filters, each a necessary condition of its expression matching.

// mayBeEmail: emailRe needs an '@'.
func mayBeEmail(v string) bool { return strings.IndexByte(v, '@') >= 0 }

// mayBePhone: phoneRe needs only blanks, digits, '+', '.' and '-', the
// first non-blank being '0' or '+'.
func mayBePhone(v string) bool {
	first := byte(0)
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r':
		case c >= '0' && c <= '9', c == '+', c == '.', c == '-':
			if first == 0 {
				first = c
			}
		default:
			return false
		}
	}
	return first == '0' || first == '+'
}

// mayBeINE: ineRe needs 11 bytes starting with a digit.
func mayBeINE(v string) bool { return len(v) == 11 && v[0] >= '0' && v[0] <= '9' }

// contactLike reports a pupil value that is an e-mail address or a phone
// number.
func contactLike(v string) bool {
	return (mayBeEmail(v) && emailRe.MatchString(v)) || (mayBePhone(v) && phoneRe.MatchString(v))
}

// meaningfulID reports an identifier that is an INE or an e-mail address.
func meaningfulID(v string) bool {
	return (mayBeINE(v) && ineRe.MatchString(v)) || (mayBeEmail(v) && emailRe.MatchString(v))
}

// minimisation flags personal data the GAR does not need.
func (v *visitor) minimisation(fi *fileInfo, r *garfeed.Record, kind uint8, oneD bool) {
	for _, f := range r.Fields {
		name := f.Path
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		switch {
		case kind == kindTeacher && name == "GARPersonMail" && oneD:
			v.s.viol.add(rules.GAR015, result.Fail,
				"Adresse électronique d'enseignant envoyée dans un flux 1D v1.4 (le schéma 1D v1.4 ne la prévoit pas).",
				"Teacher e-mail sent in a 1D v1.4 feed (the 1D v1.4 schema has no such field).", ev(fi, f.Line, "GARPersonMail", mask.Of(f.Val, "GARPersonMail")))
		case kind == kindPupil && (strings.Contains(name, "Mail") || strings.Contains(name, "Telephone") || strings.Contains(name, "Phone") || strings.Contains(name, "Adresse")):
			v.s.viol.add(rules.GAR015, result.Fail,
				fmt.Sprintf("Donnée de contact d'élève envoyée au GAR (%s) : le GAR n'en a pas besoin.", name),
				fmt.Sprintf("Pupil contact data sent to the GAR (%s): the GAR does not need it.", name), ev(fi, f.Line, name, mask.Of(f.Val, "")))
		case kind == kindPupil && contactLike(f.Val):
			v.s.viol.add(rules.GAR015, result.Fail,
				fmt.Sprintf("Adresse électronique ou numéro de téléphone d'élève dans %s.", name),
				fmt.Sprintf("Pupil e-mail address or phone number in %s.", name), ev(fi, f.Line, name, mask.Of(f.Val, "")))
		case name == "GARPersonIdentifiant" && meaningfulID(f.Val):
			v.s.viol.add(rules.GAR015, result.Fail,
				"GARPersonIdentifiant reprend un identifiant signifiant (INE ou adresse électronique) : il doit être un identifiant interne opaque.",
				"GARPersonIdentifiant reuses a meaningful identifier (INE or e-mail address): it must be an opaque internal identifier.", ev(fi, f.Line, "GARPersonIdentifiant", v.s.pseudo.Of(f.Val, "GARPersonIdentifiant")))
		}
	}
}
