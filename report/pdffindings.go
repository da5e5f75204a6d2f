package report

import "fmt"

// This file draws the PDF report's results by area (section 3): per area
// its rule table, its checklist, its parties and its findings.

func (d pdfDoc) areas() {
	v := d.v
	d.section(v.T("3. Résultats par domaine", "3. Results by area"), true)
	for _, a := range v.Areas {
		d.sub(a.Title)
		if a.Method != "" {
			d.font("", 8.5)
			d.colour(rgb{70, 70, 70})
			d.mc(pdfWidth, 4.3, v.T("Méthode : ", "Method: ")+a.Method, "", "L", false)
			d.black()
			d.Ln(1)
		}
		d.ruleTable(a.Rules)
		if len(a.Checklist) > 0 {
			d.checklist(a.ChecklistTitle, a.Checklist)
		}
		d.parties(a)
		for _, g := range a.Groups {
			d.group(g)
		}
	}
}

func (d pdfDoc) ruleTable(rows []ruleRow) {
	ws := []float64{27, 97, 20, 30}
	head := func() {
		d.font("B", 8)
		d.SetFillColor(235, 235, 235)
		for i, h := range []string{d.v.T("Règle", "Rule"), d.v.T("Exigence", "Requirement"), d.v.T("Sévérité", "Severity"), d.v.T("Résultat", "Result")} {
			d.cell(ws[i], 5.5, h, "1", 0, "L", true)
		}
		d.Ln(-1)
	}
	if d.GetY()+5.5+12 > 297-20 {
		d.AddPage() // the header stays with its first rows
	}
	head()
	for _, r := range rows {
		d.font("", 7.8)
		lines := len(d.SplitText(pdfSafe(r.Title), ws[1]-1.6))
		// the result may wrap too ("En ligne seulement" beside a
		// one-line requirement)
		d.font("B", 7.8)
		lines = max(lines, len(d.SplitText(pdfSafe(r.State), ws[3]-1.6)))
		h := float64(lines)*3.6 + 1.4
		if d.GetY()+h > 297-20 {
			d.AddPage()
			head()
		}
		x, y := d.GetX(), d.GetY()
		for j, t := range []string{r.Rule, r.Title, r.Severity, r.State} {
			d.Rect(x, y, ws[j], h, "D")
			d.SetXY(x+0.8, y+0.7)
			if j == 3 {
				d.font("B", 7.8)
				d.colour(classColours[r.Class])
			} else {
				d.font("", 7.8)
			}
			d.mc(ws[j]-1.6, 3.6, t, "", "L", false)
			d.black()
			x += ws[j]
		}
		d.SetXY(pdfMargin, y+h)
	}
	d.Ln(2)
}

// checklist draws an area's checklist (the notice's art. 13/14 items,
// the contract's clauses,
// the accessibility statement's items): each item, the sentence that gives it in grey
// below, and its state.
func (d pdfDoc) checklist(title string, rows []checkRow) {
	if d.GetY()+25 > 297-20 {
		// The heading stays with its first rows.
		d.AddPage()
	}
	d.font("B", 9.5)
	d.mc(pdfWidth, 5.5, title, "", "L", false)
	ws := []float64{140, 34}
	for _, r := range rows {
		quote := ""
		if r.Quote != "" {
			quote = "« " + r.Quote + " »"
			if d.v.Lang == "en" {
				quote = "\u201c" + r.Quote + "\u201d"
			}
		}
		d.font("", 7.8)
		lines := len(d.SplitText(pdfSafe(r.Item), ws[0]-1.6))
		d.font("", 7)
		qlines := 0
		if quote != "" {
			qlines = len(d.SplitText(pdfSafe(quote), ws[0]-1.6))
		}
		h := float64(lines)*3.6 + float64(qlines)*3.2 + 1.4
		if d.GetY()+h > 297-20 {
			d.AddPage()
		}
		x, y := d.GetX(), d.GetY()
		d.Rect(x, y, ws[0], h, "D")
		d.Rect(x+ws[0], y, ws[1], h, "D")
		d.SetXY(x+0.8, y+0.7)
		d.font("", 7.8)
		d.mc(ws[0]-1.6, 3.6, r.Item, "", "L", false)
		if quote != "" {
			d.SetX(x + 0.8)
			d.font("", 7)
			d.SetTextColor(70, 70, 70)
			d.mc(ws[0]-1.6, 3.2, quote, "", "L", false)
			d.black()
		}
		d.SetXY(x+ws[0]+0.8, y+0.7)
		d.font("B", 7.8)
		d.colour(classColours[r.Class])
		d.mc(ws[1]-1.6, 3.6, r.State, "", "L", false)
		d.black()
		d.SetXY(pdfMargin, y+h)
	}
	d.Ln(2)
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

// diffRowHeight is the height sideBySide draws for a row (and leaves the
// row's font set).
func (d pdfDoc) diffRowHeight(r diffRow) float64 {
	w := (pdfWidth - 4) / 2
	d.font("", 7.5)
	nl := len(d.SplitText(pdfSafe(r.Left), w-1.6))
	if nr := len(d.SplitText(pdfSafe(r.Right), w-1.6)); nr > nl {
		nl = nr
	}
	if nl == 0 {
		nl = 1
	}
	return float64(nl)*3.5 + 1.2
}

// sideBySide draws the notice comparison in two columns.
func (d pdfDoc) sideBySide(rows []diffRow) {
	w := (pdfWidth - 4) / 2
	x0 := pdfMargin + 4
	d.font("B", 7.8)
	d.SetFillColor(235, 235, 235)
	d.SetX(x0)
	d.cell(w, 5, d.v.T("Texte validé par la DSDEN", "Text validated by the DSDEN"), "1", 0, "L", true)
	d.cell(w, 5, d.v.T("Texte affiché par l'ENT", "Text displayed by the ENT"), "1", 1, "L", true)
	for _, r := range rows {
		h := d.diffRowHeight(r)
		if d.GetY()+h > 297-20 {
			d.AddPage()
		}
		y := d.GetY()
		for i, t := range []string{r.Left, r.Right} {
			x := x0 + float64(i)*w
			if r.Changed && t != "" {
				if i == 0 {
					d.SetFillColor(255, 235, 238)
				} else {
					d.SetFillColor(232, 245, 233)
				}
				d.Rect(x, y, w, h, "FD")
			} else {
				d.Rect(x, y, w, h, "D")
			}
			d.SetXY(x+0.8, y+0.6)
			d.mc(w-1.6, 3.5, t, "", "L", false)
		}
		d.SetXY(pdfMargin, y+h)
	}
	d.Ln(1)
}

func (d pdfDoc) group(g grouped) {
	body := d.groupBody(g)
	// A finding stays on one page when it fits on one: its reference is
	// not left alone at the top of the next.
	if h := d.groupHeight(g, body); d.GetY() > 255 || (h < 297-40 && d.GetY()+h > 297-20) {
		d.AddPage()
	}
	f := g.findingView
	d.font("B", 9)
	d.colour(classColours[f.Class])
	d.cell(d.GetStringWidth(pdfSafe(f.Status))+3, 5, f.Status, "", 0, "L", false)
	d.black()
	d.mc(0, 5, groupHead(f), "", "L", false)
	for _, p := range body {
		if p.diff != nil {
			d.sideBySide(p.diff)
			continue
		}
		d.SetX(pdfMargin + 4)
		d.font("", p.size)
		d.colour(p.colour)
		if p.fill {
			d.SetFillColor(242, 242, 242)
		}
		d.mc(pdfWidth-4, p.h, p.text, "", "L", p.fill)
		d.black()
	}
	d.Ln(2)
}

// groupHead is a finding's heading: rule, title, severity.
func groupHead(f findingView) string {
	head := fmt.Sprintf("%s — %s", f.Rule, f.Title)
	if f.Severity != "" {
		head += " (" + f.Severity + ")"
	}
	return head
}

// pdfPara is one paragraph of a finding under its heading (or, with
// diff, the notice comparison in two columns).
type pdfPara struct {
	text    string
	size, h float64
	colour  rgb
	fill    bool
	diff    []diffRow
}

// groupBody lists what group draws under the heading, in order; group
// draws it and groupHeight measures it, so the two cannot drift apart.
func (d pdfDoc) groupBody(g grouped) []pdfPara {
	f := g.findingView
	black, grey := rgb{26, 26, 26}, rgb{80, 80, 80}
	body := []pdfPara{{text: f.Message, size: 8.5, h: 4.3, colour: black}}
	if cl := countLabel(g.Count, d.v.Lang); cl != "" {
		body = append(body, pdfPara{text: cl + d.v.T(" ; premiers exemples :", "; first examples:"), size: 8, h: 4, colour: grey})
	}
	for i, e := range f.Evidence {
		if i == 3 {
			break
		}
		body = append(body, pdfPara{text: d.v.T("Pièce : ", "Piece: ") + e.Location, size: 7.8, h: 3.9, colour: grey})
		if g.Diff != nil && i == 0 {
			body = append(body, pdfPara{diff: g.Diff})
			continue
		}
		if e.Excerpt != "" {
			body = append(body, pdfPara{text: e.Excerpt, size: 7.5, h: 3.8, colour: grey, fill: true})
		}
	}
	if f.Waiver != "" {
		body = append(body, pdfPara{text: f.Waiver, size: 8.2, h: 4.2, colour: classColours["waived"]})
	}
	if f.Remediation != "" {
		body = append(body, pdfPara{text: d.v.T("À faire : ", "To do: ") + f.Remediation, size: 8.2, h: 4.2, colour: black})
	}
	if f.Detail != "" {
		body = append(body, pdfPara{text: d.v.T("Détail technique : ", "Technical detail: ") + f.Detail, size: 7.8, h: 4, colour: grey})
	}
	if f.Reference != "" {
		body = append(body, pdfPara{text: d.v.T("Référence : ", "Reference: ") + f.Reference, size: 7.8, h: 4, colour: rgb{90, 90, 90}})
	}
	return body
}

// groupHeight is the height group draws for g (a long notice comparison
// may break across pages anyway).
func (d pdfDoc) groupHeight(g grouped, body []pdfPara) float64 {
	f := g.findingView
	d.font("B", 9)
	h := 5 * float64(len(d.SplitText(pdfSafe(groupHead(f)), pdfWidth-d.GetStringWidth(pdfSafe(f.Status))-3)))
	for _, p := range body {
		if p.diff != nil {
			h += 5 + 1
			for _, r := range p.diff {
				h += d.diffRowHeight(r)
			}
			continue
		}
		d.font("", p.size)
		h += p.h * float64(len(d.SplitText(pdfSafe(p.text), pdfWidth-4)))
	}
	return h + 2
}
