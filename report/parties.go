package report

import (
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// This file builds what the reports show of the vendor's commitments
// beyond the findings: the points the first page names before anything
// else (the CNIL's three demands, rules.Rule.Points), the table of the
// sub-processors (declared in the contract against used by the ENT) and
// where the ENT's servers are (result.Party).

// pointView is one point of the first page and its state.
type pointView struct {
	Title, State, Class, Rule string
}

// points returns the first page's points that the run examined, in their
// rank: the state of the rule's findings for the point's item.
func points(fs []result.Finding, lang string) []pointView {
	type ranked struct {
		p    pointView
		rank int
	}
	var out []ranked
	for _, r := range rules.All() {
		for _, pt := range r.Points {
			var mine []result.Finding
			for _, f := range fs {
				if f.Rule == r.ID && (pt.Item == "" || f.Item == pt.Item) {
					mine = append(mine, f)
				}
			}
			if len(mine) == 0 {
				continue
			}
			st := result.RuleStates(mine, rules.Traits)
			if len(st) == 0 {
				continue
			}
			o := st[0]
			out = append(out, ranked{pointView{Title: pt.Title.In(lang), State: pointState(o.State, lang), Class: ruleClass(o), Rule: r.ID}, pt.Rank})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].rank < out[j].rank })
	var ps []pointView
	for _, r := range out {
		ps = append(ps, r.p)
	}
	return ps
}

// pointState names a point's state for a reader.
func pointState(s result.RuleState, lang string) string {
	switch s {
	case result.RulePass:
		return pick(lang, "respecté", "met")
	case result.RuleFail:
		return pick(lang, "non respecté", "not met")
	case result.RuleReview, result.RuleWarn:
		return pick(lang, "à vérifier", "to check")
	case result.RuleWaived:
		return pick(lang, "sous dérogation", "waived")
	case result.RuleSkip:
		return pick(lang, "sans objet", "not applicable")
	}
	return pick(lang, "non évalué", "not evaluated")
}

// partyRow is one sub-processor: declared in the contract, used by the
// ENT (its hosts), or both.
type partyRow struct {
	Name, Role, Country, Hosts, State, Class string
}

// hostRow is where one address of a host is.
type hostRow struct {
	Host, Address, Country, Network, State, Class string
}

// partyTables builds the sub-processors table and the hosting table from
// the parties the findings of one area name.
func partyTables(fs []result.Finding, lang string) ([]partyRow, []hostRow) {
	type acc struct {
		row      partyRow
		declared bool
		hosts    []string
		fail     bool
		waived   bool
		order    int
	}
	by := map[string]*acc{}
	var hosting []hostRow
	n := 0
	for _, f := range fs {
		for _, p := range f.Parties {
			if p.Address != "" {
				h := hostRow{Host: p.Name, Address: p.Address, Country: p.Located, Network: p.Network}
				if h.Country == "" {
					h.Country = "?"
				}
				switch {
				case f.Status == result.Pass:
					h.State, h.Class = pick(lang, "dans l'Union", "in the Union"), "pass"
				case f.Status == result.Skip:
					h.State, h.Class = pick(lang, "non vérifiable", "cannot be checked"), "skip"
				case f.Review:
					h.State, h.Class = pick(lang, "à vérifier", "to check"), "review"
				default:
					h.State, h.Class = StatusLabel(f, lang), string(f.Status)
				}
				hosting = append(hosting, h)
				continue
			}
			a := by[p.Name]
			if a == nil {
				a = &acc{row: partyRow{Name: p.Name}, order: n}
				n++
				by[p.Name] = a
			}
			if a.row.Role == "" {
				a.row.Role = p.Role
			}
			if a.row.Country == "" {
				a.row.Country = p.Country
			}
			a.declared = a.declared || p.Declared
			for _, h := range p.Hosts {
				if !contains(a.hosts, h) {
					a.hosts = append(a.hosts, h)
				}
			}
			if f.Status == result.Fail {
				if f.Waived() {
					a.waived = true
				} else {
					a.fail = true
				}
			}
		}
	}
	var rows []*acc
	for _, a := range by {
		rows = append(rows, a)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].order < rows[j].order })
	var out []partyRow
	for _, a := range rows {
		r := a.row
		sort.Strings(a.hosts)
		r.Hosts = strings.Join(a.hosts, ", ")
		switch {
		case a.declared && len(a.hosts) > 0:
			r.State, r.Class = pick(lang, "déclaré, utilisé", "declared, in use"), "pass"
		case a.declared:
			r.State, r.Class = pick(lang, "déclaré", "declared"), "pass"
		case a.waived && !a.fail:
			r.State, r.Class = pick(lang, "non déclaré, sous dérogation", "not declared, waived"), "waived"
		default:
			r.State, r.Class = pick(lang, "non déclaré", "not declared"), "fail"
		}
		out = append(out, r)
	}
	return out, hosting
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
