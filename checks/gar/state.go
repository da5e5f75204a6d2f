package gar

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/mask"
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

// finish settles what could only be judged once every file was read:
// references left pending, records described more than once.
func (s *state) finish() {
	s.finishRefs()
	s.finishDups()
	s.finishGroups()
}
