package gar

import (
	"fmt"

	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

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
