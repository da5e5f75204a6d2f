package gar

import (
	"fmt"
	"sort"
	"sync"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

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
