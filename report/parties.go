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

// points draws the first page's points (the CNIL's demands) as a small
// table: the point, the rule, its state.
func (d pdfDoc) points() {
	v := d.v
	if len(v.Points) == 0 {
		return
	}
	d.font("B", 10.5)
	d.mc(pdfWidth, 6, v.T("Les trois demandes de la CNIL", "The CNIL's three demands"), "", "L", false)
	const stateW = 34
	for _, p := range v.Points {
		d.font("", 9.5)
		x, y := d.GetX(), d.GetY()
		d.mc(pdfWidth-stateW-2, 5.2, "• "+p.Title+" ("+p.Rule+")", "", "L", false)
		end := d.GetY()
		d.SetXY(x+pdfWidth-stateW, y)
		d.font("B", 9.5)
		d.colour(classColours[p.Class])
		d.mc(stateW, 5.2, p.State, "", "L", false)
		d.black()
		if d.GetY() < end {
			d.SetY(end)
		}
		d.SetX(x)
	}
	d.Ln(1.5)
}

// parties draws an area's sub-processors and hosting tables.
func (d pdfDoc) parties(a areaView) {
	v := d.v
	if len(a.Parties) > 0 {
		d.table(v.T("Sous-traitants ultérieurs : déclarés au contrat et utilisés par l'ENT", "Sub-processors: declared in the contract and used by the ENT"),
			[]string{v.T("Sous-traitant ou hôte", "Sub-processor or host"), v.T("Prestation", "Service"), v.T("Pays (contrat)", "Country (contract)"), v.T("Hôtes utilisés", "Hosts in use"), v.T("État", "State")},
			[]float64{42, 34, 31, 45, 22}, len(a.Parties), func(i int) ([]string, string) {
				p := a.Parties[i]
				return []string{p.Name, p.Role, p.Country, p.Hosts, p.State}, p.Class
			})
	}
	if len(a.Hosting) > 0 {
		d.table(v.T("Où sont les serveurs de l'ENT", "Where the ENT's servers are"),
			[]string{v.T("Hôte", "Host"), v.T("Adresse", "Address"), v.T("Pays", "Country"), v.T("Réseau", "Network"), v.T("État", "State")},
			[]float64{50, 38, 16, 42, 28}, len(a.Hosting), func(i int) ([]string, string) {
				h := a.Hosting[i]
				return []string{h.Host, h.Address, h.Country, h.Network, h.State}, h.Class
			})
	}
}

// table draws a titled table whose last column is a state in its class's
// colour; rows gives each row's cells and class.
func (d pdfDoc) table(title string, head []string, ws []float64, n int, rows func(int) ([]string, string)) {
	if d.GetY()+25 > 297-20 {
		d.AddPage()
	}
	d.font("B", 9.5)
	d.mc(pdfWidth, 5.5, title, "", "L", false)
	header := func() {
		d.font("B", 7.8)
		d.SetFillColor(235, 235, 235)
		for i, h := range head {
			d.cell(ws[i], 5.5, h, "1", 0, "L", true)
		}
		d.Ln(-1)
	}
	header()
	for i := 0; i < n; i++ {
		cells, class := rows(i)
		d.font("", 7.8)
		lines := 1
		for j, c := range cells {
			if l := len(d.SplitText(pdfSafe(c), ws[j]-1.6)); l > lines {
				lines = l
			}
		}
		h := float64(lines)*3.6 + 1.4
		if d.GetY()+h > 297-20 {
			d.AddPage()
			header()
		}
		x, y := d.GetX(), d.GetY()
		for j, c := range cells {
			d.Rect(x, y, ws[j], h, "D")
			d.SetXY(x+0.8, y+0.7)
			if j == len(cells)-1 {
				d.font("B", 7.8)
				d.colour(classColours[class])
			} else {
				d.font("", 7.8)
			}
			d.mc(ws[j]-1.6, 3.6, c, "", "L", false)
			d.black()
			x += ws[j]
		}
		d.SetXY(pdfMargin, y+h)
	}
	d.Ln(2)
}
