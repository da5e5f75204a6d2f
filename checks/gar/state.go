package gar

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Person kinds.
const (
	kindPupil uint8 = 1 << iota
	kindTeacher
	kindRespAff
)

// Group statuses.
const (
	statusAny      uint8 = 0
	statusDivision uint8 = 1
	statusGroupe   uint8 = 2
	statusOther    uint8 = 3
)

// person is what the export says of a GARPersonIdentifiant. Described
// more than once (GAR-007), it holds the kinds and establishments of every
// copy: a link holds when some copy suits it. This only grows as files are
// read, so a link that holds when met still holds at the end, and one that
// does not is kept and judged at the end (or once every person is read),
// whatever the order the parallel workers met the copies in.
type person struct {
	kind  uint8 // kind of the first copy in file order
	kinds uint8 // kinds of every copy
	etabs []uint32
	// fi and line locate the first copy in file order, whatever the order
	// files were scanned in (they are scanned in parallel).
	fi   *garfeed.File
	line int
}

// merge returns what p and q, two copies of one person, say together: the
// first copy's kind and location, every kind and establishment.
func (p person) merge(q person) person {
	first := p
	if q.before(p) {
		first = q
	}
	first.kinds = p.kinds | q.kinds
	first.etabs = append([]uint32(nil), p.etabs...)
	for _, e := range q.etabs {
		if !slices.Contains(first.etabs, e) {
			first.etabs = append(first.etabs, e)
		}
	}
	return first
}

// loc locates a record: of two records with the same key, the first in
// file order (file name, then line) wins whatever the order the files were
// scanned in, and the duplicate is reported at the later one.
type loc struct {
	fi   *garfeed.File
	line int
}

// before orders records by file (members are sorted by name) then line.
func (l loc) before(m loc) bool {
	if l.fi.Member.Name != m.fi.Member.Name {
		return l.fi.Member.Name < m.fi.Member.Name
	}
	return l.line < m.line
}

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

type codeKey struct {
	uai  uint32
	code string
}

// state is the cross-file knowledge of an export: compact sets of
// identifiers, filled by the per-file passes (in parallel) and checked once
// every file has been read. Its size grows with the number of identifiers,
// never with the size of the files.
type state struct {
	mu      sync.RWMutex
	uaiIdx  map[string]uint32
	uais    []string
	etab    map[uint32]loc // UAI index → first record (file order) defining it
	persons map[string]person
	resp    map[string]loc
	groups  map[codeKey]group
	mats    map[codeKey]loc
	mefs    map[codeKey]loc

	// What is described more than once, by key of the maps above
	// (reported by finish).
	etabDups   map[uint32]*dupInfo
	personDups map[string]*dupInfo
	respDups   map[string]*dupInfo
	groupDups  map[codeKey]*groupDup
	matDups    map[codeKey]*dupInfo
	mefDups    map[codeKey]*dupInfo

	// phase is the scheduling phase being read (0 establishments,
	// 1 persons, 2 groups).
	phase atomic.Int32

	pmu      sync.Mutex
	pending  []ref
	overflow map[*rules.Rule]int // rule → references not kept

	viol   *collector
	pseudo *mask.Pseudonymizer // masks identifiers (keyed by the export)
	src    string              // the feed, for summary evidence
}

func newState(src string, pseudo *mask.Pseudonymizer) *state {
	return &state{
		src:     src,
		pseudo:  pseudo,
		uaiIdx:  map[string]uint32{},
		etab:    map[uint32]loc{},
		persons: map[string]person{},
		resp:    map[string]loc{},
		groups:  map[codeKey]group{},
		mats:    map[codeKey]loc{},
		mefs:    map[codeKey]loc{},
		viol:    newCollector(),

		etabDups:   map[uint32]*dupInfo{},
		personDups: map[string]*dupInfo{},
		respDups:   map[string]*dupInfo{},
		groupDups:  map[codeKey]*groupDup{},
		matDups:    map[codeKey]*dupInfo{},
		mefDups:    map[codeKey]*dupInfo{},
	}
}

// bytesPerPerson under-estimates what a person costs in the persons'
// files (a pupil and their links: 850 to 1,300 bytes in generated feeds).
const bytesPerPerson = 2048

// sizePersons sizes the persons' table from the size of the persons'
// files (phase 1), before any is read: growing it from nothing rehashed
// every person several times. The estimate stays under the count, so
// that the table never holds more room than the persons need.
func (s *state) sizePersons(ms []garfeed.Member, phases []int) {
	var n int64
	for i, m := range ms {
		if phases[i] == 1 {
			n += m.Size
		}
	}
	n /= bytesPerPerson
	if n < 1024 || len(s.persons) > 0 {
		return
	}
	s.persons = make(map[string]person, min(n, 1<<24))
}

// fileInfo is a file being read, as the visitor sees it: what the reader
// tells of the file, and the persons read from it and not yet added to the
// state (addPersons).
type fileInfo struct {
	*garfeed.File
	persons []idPerson
}

// idPerson is a person read and not yet added to the state.
type idPerson struct {
	id string
	p  person
}

// personBatch is how many persons a file keeps before adding them.
const personBatch = 256

// addPersons adds the persons fi keeps to the state, under one lock. The
// order persons arrive in does not matter: of two with the same
// identifier, the first in file order is kept (merge, noteDup). References
// to persons wait for the end of the persons' phase (final), by which time
// every file has added its own (scanWith).
func (s *state) addPersons(fi *fileInfo) {
	if len(fi.persons) == 0 {
		return
	}
	s.mu.Lock()
	for _, ip := range fi.persons {
		p := ip.p
		if old, dup := s.persons[ip.id]; dup {
			noteDup(s.personDups, ip.id, loc{old.fi, old.line}, loc{p.fi, p.line}, old.kind, p.kind)
			p = old.merge(p)
		}
		s.persons[ip.id] = p
	}
	s.mu.Unlock()
	clear(fi.persons)
	fi.persons = fi.persons[:0]
}

// uai interns a UAI (caller holds mu for writing).
func (s *state) uaiLocked(u string) uint32 {
	if i, ok := s.uaiIdx[u]; ok {
		return i
	}
	i := uint32(len(s.uais))
	s.uais = append(s.uais, u)
	s.uaiIdx[u] = i
	return i
}

func (s *state) uai(u string) uint32 {
	s.mu.RLock()
	i, ok := s.uaiIdx[u]
	s.mu.RUnlock()
	if ok {
		return i
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.uaiLocked(u)
}

// refKind says what a reference points at.
type refKind uint8

const (
	refEtab refKind = iota
	refPerson
	refGroup
	refMatiere
	refMEF
)

// ref is a reference from a record to something that may be defined in
// another file. References that cannot be resolved when met are kept and
// resolved after every file has been read. Its evidence and messages are
// only built when it fails (most references hold).
type ref struct {
	kind refKind
	uai  string
	key  string // person id, group or code
	// want: person kinds accepted, or group status wanted.
	want uint8
	rule *rules.Rule
	what string // record name, for messages
	// whatSub, when set, is appended to what ("GAREleve/GARPersonEtab").
	whatSub string
	// Evidence: source and line, and an excerpt "exLabel exVal" whose
	// value is masked (keyed pseudonym) when exMask is set.
	src     string
	line    int
	exLabel string
	exVal   string
	exMask  bool
}

// evidence builds r's evidence (only for a failed reference).
func (r *ref) evidence(p *mask.Pseudonymizer) result.Evidence {
	field := r.exLabel
	if r.exMask {
		field = "GARPersonIdentifiant"
	}
	return result.Evidence{Source: r.src, Line: r.line, Excerpt: r.exLabel + " " + p.Of(r.exVal, field).String()}
}

// keyValue is r's key, masked as what it names.
func (r *ref) keyValue(p *mask.Pseudonymizer) mask.Value {
	switch r.kind {
	case refPerson:
		return p.Of(r.key, "GARPersonIdentifiant")
	case refGroup:
		return mask.Of(r.key, "GARGroupeCode")
	case refMatiere:
		return mask.Of(r.key, "GARMatiereCode")
	case refMEF:
		return mask.Of(r.key, "GARMEFCode")
	}
	return mask.Of(r.key, "")
}

// refFailure says why a reference does not hold (refOK when it does).
type refFailure uint8

const (
	refOK refFailure = iota
	refNoEtab
	refNoPerson
	refWrongKind
	refNotInEtab
	refNoGroup
	refWrongStatus
	refNoCode
	refUnknown
)

// resolve says whether r holds, and if not, why.
func (s *state) resolve(r *ref) refFailure {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ui, known := s.uaiIdx[r.uai]
	switch r.kind {
	case refEtab:
		if known {
			if _, ok := s.etab[ui]; ok {
				return refOK
			}
		}
		return refNoEtab
	case refPerson:
		p, ok := s.persons[r.key]
		if !ok {
			return refNoPerson
		}
		if r.want != 0 && p.kinds&r.want == 0 {
			return refWrongKind
		}
		if known {
			for _, e := range p.etabs {
				if e == ui {
					return refOK
				}
			}
		}
		return refNotInEtab
	case refGroup:
		g, ok := s.groups[codeKey{ui, r.key}]
		if !known || !ok {
			return refNoGroup
		}
		if r.want != statusAny && g.statuses&(1<<r.want) == 0 {
			return refWrongStatus
		}
		return refOK
	case refMatiere, refMEF:
		set := s.mats
		if r.kind == refMEF {
			set = s.mefs
		}
		if known {
			if _, ok := set[codeKey{ui, r.key}]; ok {
				return refOK
			}
		}
		return refNoCode
	}
	return refUnknown
}

// messages explains a failed reference (FR, EN).
func (r *ref) messages(why refFailure, p *mask.Pseudonymizer) (string, string) {
	if r.whatSub != "" {
		c := *r
		c.what, c.whatSub = r.what+"/"+r.whatSub, ""
		return c.messages(why, p)
	}
	uai, key := mask.Of(r.uai, "UAI"), r.keyValue(p)
	switch why {
	case refNoEtab:
		return fmt.Sprintf("%s : l'UAI %s n'est décrit par aucun GAREtab de l'export.", r.what, uai),
			fmt.Sprintf("%s: UAI %s is not described by any GAREtab of the export.", r.what, uai)
	case refNoPerson:
		return fmt.Sprintf("%s : la personne %s n'existe pas dans l'export.", r.what, key),
			fmt.Sprintf("%s: person %s does not exist in the export.", r.what, key)
	case refWrongKind:
		return fmt.Sprintf("%s : la personne %s n'a pas le bon type (%s attendu).", r.what, key, kindName(r.want)),
			fmt.Sprintf("%s: person %s is of the wrong kind (%s expected).", r.what, key, kindName(r.want))
	case refNotInEtab:
		return fmt.Sprintf("%s : la personne %s n'est pas rattachée à l'UAI %s (GARPersonEtab).", r.what, key, uai),
			fmt.Sprintf("%s: person %s does not belong to UAI %s (GARPersonEtab).", r.what, key, uai)
	case refNoGroup:
		return fmt.Sprintf("%s : le groupe %q n'existe pas pour l'UAI %s.", r.what, key, uai),
			fmt.Sprintf("%s: group %q does not exist for UAI %s.", r.what, key, uai)
	case refWrongStatus:
		return fmt.Sprintf("%s : %q (UAI %s) doit être de statut %s.", r.what, key, uai, statusName(r.want)),
			fmt.Sprintf("%s: %q (UAI %s) must have status %s.", r.what, key, uai, statusName(r.want))
	case refNoCode:
		name, nameEN := "matière", "subject"
		if r.kind == refMEF {
			name, nameEN = "MEF", "MEF"
		}
		return fmt.Sprintf("%s : %s %q non déclaré(e) pour l'UAI %s.", r.what, name, key, uai),
			fmt.Sprintf("%s: %s %q is not declared for UAI %s.", r.what, nameEN, key, uai)
	}
	return "référence inconnue", "unknown reference"
}

// fail reports a failed reference.
func (s *state) fail(r *ref, why refFailure) {
	fr, en := r.messages(why, s.pseudo)
	s.viol.add(r.rule, result.Fail, fr, en, r.evidence(s.pseudo))
}

// maxPending bounds the references kept for the end of the pass (a
// variable for tests).
var maxPending = 1_000_000

// final says whether a failed reference of kind k can no longer be
// satisfied: its target is defined by an earlier, finished phase.
func (s *state) final(k refKind) bool {
	ph := s.phase.Load()
	switch k {
	case refEtab, refMatiere, refMEF:
		return ph >= 1
	case refPerson:
		return ph >= 2
	}
	return false
}

// check resolves r now, reports it at once when its target can no longer
// appear, or keeps it for the end of the pass (bounded: beyond maxPending,
// references are counted as not verified).
func (s *state) check(r ref) {
	why := s.resolve(&r)
	if why == refOK {
		return
	}
	if s.final(r.kind) {
		s.fail(&r, why)
		return
	}
	s.pmu.Lock()
	if len(s.pending) < maxPending {
		s.pending = append(s.pending, r)
	} else {
		if s.overflow == nil {
			s.overflow = map[*rules.Rule]int{}
		}
		s.overflow[r.rule]++
	}
	s.pmu.Unlock()
}

// finishRefs resolves the references left after every file was read. A
// rule whose references overflowed maxPending is not evaluated: which of
// its references were kept depends on the order the workers read the
// files in, so none of them is judged (the findings stay the same for the
// same export), and an export that inconsistent is never called
// conformant on that rule.
func (s *state) finishRefs() {
	for i := range s.pending {
		r := &s.pending[i]
		if s.overflow[r.rule] > 0 {
			continue
		}
		if why := s.resolve(r); why != refOK {
			s.fail(r, why)
		}
	}
	s.pending = nil
	for rule := range s.overflow {
		s.viol.add(rule, result.Error,
			fmt.Sprintf("Non évalué : plus de %d références attendaient encore leur cible pendant la lecture (export très incohérent) ; les rattachements de cette règle qui n'étaient pas résolus à leur lecture n'ont pas été vérifiés.", maxPending),
			fmt.Sprintf("Not evaluated: more than %d references were still waiting for their target during the read (very inconsistent export); the links of this rule not resolved when read were not checked.", maxPending),
			result.Evidence{Source: s.src})
	}
}

func kindName(k uint8) string {
	switch k {
	case kindPupil:
		return "élève"
	case kindTeacher:
		return "enseignant"
	case kindPupil | kindTeacher:
		return "élève ou enseignant"
	}
	return "personne"
}

func statusName(s uint8) string {
	if s == statusDivision {
		return "DIVISION"
	}
	return "GROUPE"
}

// collector keeps, per rule, the count of violations and the first ones in
// (source, line) order, whatever order the parallel passes found them in.
type collector struct {
	mu     sync.Mutex
	byRule map[*rules.Rule]*bucket
}

type bucket struct {
	n     int
	items []violation
}

type violation struct {
	status result.Status
	fr, en string
	ev     result.Evidence
	more   []result.Evidence // further evidence (the other copy of a duplicate)
}

// maxShown is how many violations of one rule a report lists.
const maxShown = 20

func newCollector() *collector { return &collector{byRule: map[*rules.Rule]*bucket{}} }

// add records a violation of rule located by ev (and more, when it takes
// several places to show it).
func (c *collector) add(rule *rules.Rule, st result.Status, fr, en string, ev result.Evidence, more ...result.Evidence) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.byRule[rule]
	if b == nil {
		b = &bucket{}
		c.byRule[rule] = b
	}
	b.n++
	b.items = append(b.items, violation{st, fr, en, ev, more})
	if len(b.items) > 10*maxShown {
		b.trim()
	}
}

func (b *bucket) trim() {
	sort.SliceStable(b.items, func(i, j int) bool { return lessViolation(b.items[i], b.items[j]) })
	if len(b.items) > maxShown {
		b.items = b.items[:maxShown]
	}
}

func lessViolation(a, b violation) bool {
	if a.ev.Source != b.ev.Source {
		return a.ev.Source < b.ev.Source
	}
	if a.ev.Line != b.ev.Line {
		return a.ev.Line < b.ev.Line
	}
	if a.ev.Column != b.ev.Column {
		return a.ev.Column < b.ev.Column
	}
	if a.status != b.status {
		return a.status < b.status
	}
	return a.en < b.en
}

// count returns how many violations of rule were seen.
func (c *collector) count(rule *rules.Rule) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b := c.byRule[rule]; b != nil {
		return b.n
	}
	return 0
}

// findings turns a rule's violations into findings: the first maxShown,
// then one summary line.
func (c *collector) findings(rule *rules.Rule) []result.Finding {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.byRule[rule]
	if b == nil {
		return nil
	}
	b.trim()
	var out []result.Finding
	worst := result.Warn
	for _, v := range b.items {
		out = append(out, result.Finding{Rule: rule.ID, Status: v.status, Message: v.fr, MessageEN: v.en, Evidence: append([]result.Evidence{v.ev}, v.more...)})
		if v.status == result.Fail {
			worst = result.Fail
		}
	}
	if b.n > len(b.items) {
		out = append(out, result.Finding{Rule: rule.ID, Status: worst,
			Message:   fmt.Sprintf("%d écarts au total pour cette règle (les %d premiers sont listés).", b.n, len(b.items)),
			MessageEN: fmt.Sprintf("%d violations of this rule in total (the first %d are listed).", b.n, len(b.items))})
	}
	return out
}

// finish settles what could only be judged once every file was read:
// references left pending, records described more than once.
func (s *state) finish() {
	s.finishRefs()
	s.finishDups()
	s.finishGroups()
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
