package gar

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
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

type person struct {
	kind  uint8
	etabs []uint32
	// fi and line locate the record, so that of two records with the
	// same identifier the first in file order wins whatever the order
	// files were scanned in (they are scanned in parallel).
	fi   *fileInfo
	line int
}

// loc locates a record: of two records with the same key, the first in
// file order (file name, then line) wins whatever the order the files were
// scanned in, and the duplicate is reported at the later one.
type loc struct {
	fi   *fileInfo
	line int
}

// before orders records by file (members are sorted by name) then line.
func (l loc) before(m loc) bool {
	if l.fi.m.name != m.fi.m.name {
		return l.fi.m.name < m.fi.m.name
	}
	return l.line < m.line
}

// firstLater returns the earlier and the later of two locations.
func firstLater(a, b loc) (loc, loc) {
	if b.before(a) {
		return b, a
	}
	return a, b
}

// group is a GARGroupe: its status and where it is first declared.
type group struct {
	status uint8
	at     loc
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

	// phase is the scheduling phase being read (0 establishments,
	// 1 persons, 2 groups).
	phase atomic.Int32

	pmu      sync.Mutex
	pending  []ref
	overflow map[string]int

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
	}
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
	rule string
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
	v := r.exVal
	if r.exMask {
		v = p.ID(v)
	}
	return result.Evidence{Source: r.src, Line: r.line, Excerpt: r.exLabel + " " + v}
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
		if r.want != 0 && p.kind&r.want == 0 {
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
		if r.want != statusAny && g.status != r.want {
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
	switch why {
	case refNoEtab:
		return fmt.Sprintf("%s : l'UAI %s n'est décrit par aucun GAREtab de l'export.", r.what, r.uai),
			fmt.Sprintf("%s: UAI %s is not described by any GAREtab of the export.", r.what, r.uai)
	case refNoPerson:
		return fmt.Sprintf("%s : la personne %s n'existe pas dans l'export.", r.what, p.ID(r.key)),
			fmt.Sprintf("%s: person %s does not exist in the export.", r.what, p.ID(r.key))
	case refWrongKind:
		return fmt.Sprintf("%s : la personne %s n'a pas le bon type (%s attendu).", r.what, p.ID(r.key), kindName(r.want)),
			fmt.Sprintf("%s: person %s is of the wrong kind (%s expected).", r.what, p.ID(r.key), kindName(r.want))
	case refNotInEtab:
		return fmt.Sprintf("%s : la personne %s n'est pas rattachée à l'UAI %s (GARPersonEtab).", r.what, p.ID(r.key), r.uai),
			fmt.Sprintf("%s: person %s does not belong to UAI %s (GARPersonEtab).", r.what, p.ID(r.key), r.uai)
	case refNoGroup:
		return fmt.Sprintf("%s : le groupe %q n'existe pas pour l'UAI %s.", r.what, r.key, r.uai),
			fmt.Sprintf("%s: group %q does not exist for UAI %s.", r.what, r.key, r.uai)
	case refWrongStatus:
		return fmt.Sprintf("%s : %q (UAI %s) doit être de statut %s.", r.what, r.key, r.uai, statusName(r.want)),
			fmt.Sprintf("%s: %q (UAI %s) must have status %s.", r.what, r.key, r.uai, statusName(r.want))
	case refNoCode:
		name := "matière"
		if r.kind == refMEF {
			name = "MEF"
		}
		return fmt.Sprintf("%s : %s %q non déclaré(e) pour l'UAI %s.", r.what, name, r.key, r.uai),
			fmt.Sprintf("%s: %s %q is not declared for UAI %s.", r.what, name, r.key, r.uai)
	}
	return "référence inconnue", "unknown reference"
}

// fail reports a failed reference.
func (s *state) fail(r *ref, why refFailure) {
	fr, en := r.messages(why, s.pseudo)
	s.viol.add(r.rule, result.Fail, fr, en, r.evidence(s.pseudo))
}

// maxPending bounds the references kept for the end of the pass.
const maxPending = 1_000_000

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
			s.overflow = map[string]int{}
		}
		s.overflow[r.rule]++
	}
	s.pmu.Unlock()
}

// finishRefs resolves the references left after every file was read.
func (s *state) finishRefs() {
	for i := range s.pending {
		r := &s.pending[i]
		if why := s.resolve(r); why != refOK {
			s.fail(r, why)
		}
	}
	s.pending = nil
	for rule, n := range s.overflow {
		s.viol.add(rule, result.Warn,
			fmt.Sprintf("%d références en avant non vérifiées (plus de %d références en attente : export très incohérent).", n, maxPending),
			fmt.Sprintf("%d forward references not verified (more than %d pending references: very inconsistent export).", n, maxPending),
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
	byRule map[string]*bucket
}

type bucket struct {
	n     int
	items []violation
}

type violation struct {
	status result.Status
	fr, en string
	ev     result.Evidence
}

// maxShown is how many violations of one rule a report lists.
const maxShown = 20

func newCollector() *collector { return &collector{byRule: map[string]*bucket{}} }

func (c *collector) add(rule string, st result.Status, fr, en string, ev result.Evidence) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.byRule[rule]
	if b == nil {
		b = &bucket{}
		c.byRule[rule] = b
	}
	b.n++
	b.items = append(b.items, violation{st, fr, en, ev})
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
func (c *collector) count(rule string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if b := c.byRule[rule]; b != nil {
		return b.n
	}
	return 0
}

// findings turns a rule's violations into findings: the first maxShown,
// then one summary line.
func (c *collector) findings(rule string) []result.Finding {
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
		out = append(out, result.Finding{Rule: rule, Status: v.status, Message: v.fr, MessageEN: v.en, Evidence: []result.Evidence{v.ev}})
		if v.status == result.Fail {
			worst = result.Fail
		}
	}
	if b.n > len(b.items) {
		out = append(out, result.Finding{Rule: rule, Status: worst,
			Message:   fmt.Sprintf("%d écarts au total pour cette règle (les %d premiers sont listés).", b.n, len(b.items)),
			MessageEN: fmt.Sprintf("%d violations of this rule in total (the first %d are listed).", b.n, len(b.items))})
	}
	return out
}
