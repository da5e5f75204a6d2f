package gar

import (
	"fmt"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// groupCopy is one declaration of a group: where it is, its status and
// its parent divisions (GARGroupeDivAppartenance, sorted, joined by
// divSep). Two declarations of a group have the same content when both
// agree.
type groupCopy struct {
	at     loc
	status uint8
	divs   string
}

// divSep joins the parent divisions of a groupCopy.
const divSep = "\x00"

// sameContent says whether c and d declare the same status and parent
// divisions.
func (c *groupCopy) sameContent(d *groupCopy) bool {
	return c.status == d.status && c.divs == d.divs
}

// group is a GARGroupe: its first declaration in file order and the
// statuses of all its declarations (bit 1<<status each). A link wanting a
// status holds when some declaration has it: this only grows as files are
// read, so a link that holds when met still holds at the end, and one that
// does not is kept and judged at the end (groups are never final), which
// makes the outcome independent of the order files are read in. A group
// declared with different contents is reported itself (GAR-009).
type group struct {
	first    groupCopy
	statuses uint8
}

// dupInfo follows a record described more than once (bounded: a fixed
// size per identifier, whatever the number of copies): how many copies
// beyond the first, and the second copy in file order, kept whatever order
// the copies arrive in (the second smallest location). The first copy is
// the one the identifier's map keeps. Duplicates are reported once every
// file is read (finishDups), naming the first and second copies, so that
// the report does not depend on which copies the parallel workers met
// first.
type dupInfo struct {
	n      int
	second loc
	kind   uint8 // the second copy's person kind (persons only)
}

// add counts copy at (of person kind kind) given first, the first copy
// known before at (of kind firstKind).
func (d *dupInfo) add(first, at loc, firstKind, kind uint8) {
	d.n++
	switch {
	case at.before(first):
		d.second, d.kind = first, firstKind
	case d.n == 1 || at.before(d.second):
		d.second, d.kind = at, kind
	}
}

// noteDup counts one more copy at of the record with key k in m (caller
// holds mu for writing).
func noteDup[K comparable](m map[K]*dupInfo, k K, first, at loc, firstKind, kind uint8) {
	d := m[k]
	if d == nil {
		d = &dupInfo{}
		m[k] = d
	}
	d.add(first, at, firstKind, kind)
}

// times says how many times a record is described, n copies beyond the
// first (FR, EN).
func times(n int) (string, string) {
	if n == 1 {
		return "deux fois", "twice"
	}
	return fmt.Sprintf("%d fois", n+1), fmt.Sprintf("%d times", n+1)
}

// groupDup follows a group declared more than once: dupInfo, and other,
// the first declaration whose content differs from the group's first one
// (nil when all agree), kept whatever order the copies arrive in as the
// smaller of the two smallest per-content first locations.
type groupDup struct {
	dupInfo
	other *groupCopy
}

// finishDups reports each establishment (GAR-006), person and
// responsable d'affectation (GAR-007), matière and MEF (GAR-010) described
// more than once, at its second copy in file order, naming the first.
func (s *state) finishDups() {
	for _, c := range []struct {
		name, elem string
		set        map[codeKey]loc
		dups       map[codeKey]*dupInfo
	}{{"GARMatiere", "GARMatiereCode", s.mats, s.matDups}, {"GARMEF", "GARMEFCode", s.mefs, s.mefDups}} {
		for k, d := range c.dups {
			u, first, code := mask.Of(s.uais[k.uai], "UAI"), c.set[k], mask.Of(k.code, c.elem)
			fr, en := times(d.n)
			s.viol.add(rules.GAR010, result.Fail,
				fmt.Sprintf("%s %q déclaré %s pour l'UAI %s (première déclaration en %s:%d, puis en %s:%d).", c.name, code, fr, u, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
				fmt.Sprintf("%s %q declared %s for UAI %s (first at %s:%d, then at %s:%d).", c.name, code, en, u, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
				d.second.evidence(c.elem+" "+code.String()), first.evidence(c.elem+" "+code.String()))
		}
	}
	for ui, d := range s.etabDups {
		u, first := mask.Of(s.uais[ui], "UAI"), s.etab[ui]
		fr, en := times(d.n)
		s.viol.add(rules.GAR006, result.Fail,
			fmt.Sprintf("GAREtab %s décrit %s dans l'export (première description en %s:%d, puis en %s:%d).", u, fr, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
			fmt.Sprintf("GAREtab %s described %s in the export (first at %s:%d, then at %s:%d).", u, en, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
			d.second.evidence("GARStructureUAI "+u.String()), first.evidence("GARStructureUAI "+u.String()))
	}
	for id, d := range s.personDups {
		p := s.persons[id]
		first, pid := loc{p.fi, p.line}, s.pseudo.Of(id, "GARPersonIdentifiant").String()
		fr, en := times(d.n)
		s.viol.add(rules.GAR007, result.Fail,
			fmt.Sprintf("GARPersonIdentifiant %s présent %s dans l'export (%s, déjà vu en %s:%d, puis %s en %s:%d).", pid, fr, kindName(p.kind), first.fi.Member.Source, first.line, kindName(d.kind), d.second.fi.Member.Source, d.second.line),
			fmt.Sprintf("GARPersonIdentifiant %s appears %s in the export (%s, first seen at %s:%d, then %s at %s:%d).", pid, en, kindNameEN(p.kind), first.fi.Member.Source, first.line, kindNameEN(d.kind), d.second.fi.Member.Source, d.second.line),
			d.second.evidence(personRecord(d.kind)+" "+pid), first.evidence(personRecord(p.kind)+" "+pid))
	}
	for id, d := range s.respDups {
		first, pid := s.resp[id], s.pseudo.Of(id, "GARPersonIdentifiant").String()
		fr, en := times(d.n)
		s.viol.add(rules.GAR007, result.Fail,
			fmt.Sprintf("GARRespAff %s présent %s dans l'export (déjà vu en %s:%d, puis en %s:%d).", pid, fr, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
			fmt.Sprintf("GARRespAff %s appears %s in the export (first seen at %s:%d, then at %s:%d).", pid, en, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
			d.second.evidence("GARRespAff "+pid), first.evidence("GARRespAff "+pid))
	}
}

// addGroup records a declaration c of group k (caller holds mu for
// writing).
func (s *state) addGroup(k codeKey, c groupCopy) {
	g, dup := s.groups[k]
	if !dup {
		s.groups[k] = group{first: c, statuses: 1 << c.status}
		return
	}
	g.statuses |= 1 << c.status
	d := s.groupDups[k]
	if d == nil {
		d = &groupDup{}
		s.groupDups[k] = d
	}
	d.add(g.first.at, c.at, 0, 0)
	// first and other: the two smallest per-content first locations.
	switch {
	case c.sameContent(&g.first):
		if c.at.before(g.first.at) {
			g.first.at = c.at
		}
	case d.other != nil && c.sameContent(d.other):
		if c.at.before(d.other.at) {
			d.other.at = c.at
		}
	case d.other == nil || c.at.before(d.other.at):
		o := c
		d.other = &o
	}
	if d.other != nil && d.other.at.before(g.first.at) {
		g.first, *d.other = *d.other, g.first
	}
	s.groups[k] = g
}

// finishGroups reports each group declared more than once (GAR-008) and
// each declared with different contents (GAR-009), naming the first
// declaration in file order and the second one (or the first that
// differs).
func (s *state) finishGroups() {
	for k, d := range s.groupDups {
		g := s.groups[k]
		u, c := mask.Of(s.uais[k.uai], "UAI"), mask.Of(k.code, "GARGroupeCode")
		first := g.first.at
		fr, en := times(d.n)
		s.viol.add(rules.GAR008, result.Fail,
			fmt.Sprintf("Groupe %q de l'UAI %s déclaré %s (première déclaration en %s:%d, puis en %s:%d).", c, u, fr, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
			fmt.Sprintf("Group %q of UAI %s declared %s (first at %s:%d, then at %s:%d).", c, u, en, first.fi.Member.Source, first.line, d.second.fi.Member.Source, d.second.line),
			d.second.evidence("GARGroupeCode "+c.String()), first.evidence("GARGroupeCode "+c.String()))
		if o := d.other; o != nil {
			a, b := &g.first, o
			s.viol.add(rules.GAR009, result.Fail,
				fmt.Sprintf("Groupe %q de l'UAI %s déclaré avec des contenus différents : en %s:%d, %s ; en %s:%d, %s (les rattachements à ce groupe sont admis s'ils conviennent à l'une des déclarations).",
					c, u, a.at.fi.Member.Source, a.at.line, a.describe(false), b.at.fi.Member.Source, b.at.line, b.describe(false)),
				fmt.Sprintf("Group %q of UAI %s declared with different contents: at %s:%d, %s; at %s:%d, %s (links to this group are accepted when they suit either declaration).",
					c, u, a.at.fi.Member.Source, a.at.line, a.describe(true), b.at.fi.Member.Source, b.at.line, b.describe(true)),
				b.at.evidence(b.excerpt(c)), a.at.evidence(a.excerpt(c)))
		}
	}
}

// evidence locates l with an excerpt.
func (l loc) evidence(excerpt string) result.Evidence {
	return result.Evidence{Source: l.fi.Member.Source, Line: l.line, Excerpt: excerpt}
}

// divList returns c's parent divisions, comma-separated, each masked as
// a group code.
func (c *groupCopy) divList() string {
	ds := strings.Split(c.divs, divSep)
	for i, d := range ds {
		ds[i] = mask.Of(d, "GARGroupeDivAppartenance").String()
	}
	return strings.Join(ds, ", ")
}

// describe says what c declares, in French or (en) in English.
func (c *groupCopy) describe(en bool) string {
	pick := func(fr, e string) string {
		if en {
			return e
		}
		return fr
	}
	st := pick("statut invalide", "invalid status")
	if c.status != statusOther {
		st = pick("statut ", "status ") + statusName(c.status)
	}
	if c.divs == "" {
		return st + pick(", sans division d'appartenance", ", no parent division")
	}
	if strings.Contains(c.divs, divSep) {
		return st + pick(", divisions d'appartenance ", ", parent divisions ") + c.divList()
	}
	return st + pick(", division d'appartenance ", ", parent division ") + c.divList()
}

// excerpt is the evidence excerpt of c, a declaration of group code.
func (c *groupCopy) excerpt(code mask.Value) string {
	st := "?"
	if c.status != statusOther {
		st = statusName(c.status)
	}
	e := "GARGroupeCode " + code.String() + ", GARGroupeStatut " + st
	if c.divs != "" {
		e += ", GARGroupeDivAppartenance " + c.divList()
	}
	return e
}
