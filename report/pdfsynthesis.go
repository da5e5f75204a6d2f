package report

import "fmt"

// This file draws the PDF report's first page: the synthèse (verdict,
// counts, the CNIL's demands, the chart per area, the actions expected).

func (d pdfDoc) synthesis() {
	v := d.v
	d.Bookmark(pdfSafe(v.T("Synthèse", "Summary")), 0, -1)
	d.black()
	d.font("B", 17)
	d.mc(pdfWidth, 8.5, v.Heading+titleSuffix(v), "", "L", false)
	d.font("", 10)
	if v.Collectivite != "" {
		d.mc(pdfWidth, 5.5, v.T("Collectivité : ", "Local authority: ")+v.Collectivite, "", "L", false)
	}
	if v.Date != "" {
		d.mc(pdfWidth, 5.5, v.T("Audit du ", "Audit of ")+v.Date, "", "L", false)
	}
	d.Ln(2)
	c, ok := verdictColours[v.VerdictClass]
	if !ok {
		c = [2]rgb{{26, 26, 26}, {245, 245, 245}}
	}
	d.SetDrawColor(c[0][0], c[0][1], c[0][2])
	d.SetFillColor(c[1][0], c[1][1], c[1][2])
	d.SetLineWidth(0.8)
	d.colour(c[0])
	if v.VerdictNote == "" {
		d.font("B", 15)
		d.cell(pdfWidth, 12, "  "+v.T("Avis : ", "Verdict: ")+v.Verdict, "1", 1, "L", true)
	} else {
		// The box says, under the verdict, what the audit did not
		// examine: nobody signs a conforme without seeing it.
		d.font("", 9.5)
		lines := d.SplitText(v.VerdictNote, pdfWidth-9)
		x, y := d.GetX(), d.GetY()
		h := 10 + 4.8*float64(len(lines)) + 2.5
		d.Rect(x, y, pdfWidth, h, "DF")
		d.SetXY(x, y+0.5)
		d.font("B", 15)
		d.cell(pdfWidth, 10, "  "+v.T("Avis : ", "Verdict: ")+v.Verdict, "", 1, "L", false)
		d.font("", 9.5)
		for _, l := range lines {
			d.SetX(x + 4.5)
			d.cell(pdfWidth-9, 4.8, l, "", 1, "L", false)
		}
		d.SetXY(x, y+h)
	}
	d.SetLineWidth(0.2)
	d.SetDrawColor(120, 120, 120)
	d.black()
	d.Ln(1.5)
	d.font("", 9.5)
	d.mc(pdfWidth, 5, v.Why, "", "L", false)
	d.Ln(1.5)
	d.points()
	if v.Scope != "" {
		d.label(v.T("Périmètre : ", "Scope: "), v.Scope)
	}
	d.label(v.T("Couverture : ", "Coverage: "), v.Coverage)
	d.label(v.T("Règles non respectées : ", "Rules broken: "), v.FailedRules)
	d.label(v.T("Bilan par règle : ", "Per rule: "), v.RuleCounts)
	d.Ln(2)
	d.chart()
	d.Ln(2)
	if len(v.Derogations) > 0 {
		d.font("B", 10.5)
		d.mc(pdfWidth, 6, v.T("Dérogations en vigueur", "Waivers in force"), "", "L", false)
		for _, t := range v.Derogations {
			d.colour(classColours["waived"])
			d.font("", 9)
			d.mc(pdfWidth, 4.6, "• "+t, "", "L", false)
		}
		d.black()
		d.Ln(2)
	}
	d.actions()
	if len(v.Reviews) > 0 {
		if d.GetY() > 240 {
			d.AddPage()
		}
		d.font("B", 10.5)
		d.mc(pdfWidth, 6, v.T("Points à vérifier", "Points to check by hand"), "", "L", false)
		d.font("", 8.5)
		d.mc(pdfWidth, 4.4, v.T("Ces points demandent un jugement humain ; voici ce qu'il faut regarder :", "These points need a human judgement; here is what to look at:"), "", "L", false)
		for _, a := range v.Reviews {
			d.font("B", 8.5)
			d.colour(classColours["review"])
			d.mc(pdfWidth, 4.4, "• "+a.Rule+" — "+a.Title+" ("+a.Severity+")", "", "L", false)
			d.black()
			d.SetX(pdfMargin + 4)
			d.font("", 8.5)
			d.mc(pdfWidth-4, 4.2, a.Text, "", "L", false)
		}
	}
	if len(v.Notes) > 0 {
		d.Ln(1)
		d.font("B", 10.5)
		d.mc(pdfWidth, 6, v.T("Remarques", "Notes"), "", "L", false)
		for _, n := range v.Notes {
			d.font("", 8.5)
			d.mc(pdfWidth, 4.4, "• "+n, "", "L", false)
		}
	}
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

// chart draws one bar per area: rules respected, broken, to check, not
// evaluated, waived.
func (d pdfDoc) chart() {
	v := d.v
	type part struct {
		n     func(b barView) int
		col   rgb
		label string
	}
	parts := []part{
		{func(b barView) int { return b.Pass }, classColours["pass"], v.T("respectées", "respected")},
		{func(b barView) int { return b.Fail }, classColours["fail"], v.T("non respectées", "broken")},
		{func(b barView) int { return b.Check }, classColours["review"], v.T("à vérifier ou en alerte", "to check")},
		{func(b barView) int { return b.NotEval }, rgb{170, 170, 170}, v.T("non évaluées", "not evaluated")},
		{func(b barView) int { return b.Waived }, classColours["waived"], v.T("sous dérogation", "waived")},
	}
	maxTotal := 1
	for _, b := range v.Bars {
		if b.Total > maxTotal {
			maxTotal = b.Total
		}
	}
	labelW, barW, h := 24.0, pdfWidth-24-22, 4.6
	d.font("B", 10.5)
	d.mc(pdfWidth, 6, v.T("Règles par domaine", "Rules per area"), "", "L", false)
	for _, b := range v.Bars {
		y := d.GetY()
		d.font("", 8.5)
		d.cell(labelW, h, b.Title, "", 0, "L", false)
		x := pdfMargin + labelW
		for _, p := range parts {
			n := p.n(b)
			if n == 0 {
				continue
			}
			w := barW * float64(n) / float64(maxTotal)
			d.SetFillColor(p.col[0], p.col[1], p.col[2])
			d.Rect(x, y+0.6, w, h-1.2, "F")
			x += w
		}
		d.SetXY(pdfMargin+labelW+barW+2, y)
		d.cell(20, h, fmt.Sprintf("%d", b.Total), "", 1, "L", false)
		d.SetY(y + h + 0.6)
	}
	// Legend.
	d.Ln(0.5)
	x := pdfMargin + labelW
	y := d.GetY()
	d.font("", 7.5)
	for _, p := range parts {
		d.SetFillColor(p.col[0], p.col[1], p.col[2])
		d.Rect(x, y+1, 3, 3, "F")
		d.SetXY(x+4, y)
		w := d.GetStringWidth(pdfSafe(p.label)) + 2
		d.cell(w, 5, p.label, "", 0, "L", false)
		x += w + 6
	}
	d.Ln(6)
}

// actions draws the numbered action table.
func (d pdfDoc) actions() {
	v := d.v
	if d.GetY() > 235 {
		d.AddPage()
	}
	d.font("B", 10.5)
	d.mc(pdfWidth, 6, v.T("Actions attendues", "Actions expected"), "", "L", false)
	if len(v.Asks) == 0 {
		d.font("", 9.5)
		d.mc(pdfWidth, 5, v.T("Aucune : aucun écart à corriger.", "None: no gap to fix."), "", "L", false)
		return
	}
	ws := []float64{8, 92, 30, 18, 26}
	heads := []string{"N°", v.T("Action attendue et règle en cause", "Expected action and rule concerned"), v.T("Qui agit", "Who acts"), v.T("Sévérité", "Severity"), v.T("Délai suggéré", "Deadline")}
	head := func() {
		d.font("B", 8)
		d.SetFillColor(235, 235, 235)
		for i, hd := range heads {
			d.cell(ws[i], 6, hd, "1", 0, "L", true)
		}
		d.Ln(-1)
	}
	// The table shrinks until it fits on the first page; one too long
	// for it even small runs on at the first, readable size.
	type size struct{ font, line float64 }
	sizes := []size{{7.8, 3.7}, {7, 3.3}, {6.3, 2.9}, {5.6, 2.55}}
	// Each row says first what must be done, in plain words; then the
	// rule, and the technical detail for the vendor.
	texts := make([]string, len(v.Asks))
	for i, a := range v.Asks {
		texts[i] = a.Text + "\n" + v.T("Règle ", "Rule ") + a.Rule + " — " + a.Title
		if a.Detail != "" {
			texts[i] += "\n" + v.T("Détail technique : ", "Technical detail: ") + a.Detail
		}
	}
	rowH := func(sz size, t string) float64 {
		d.font("", sz.font)
		return float64(len(d.SplitText(pdfSafe(t), ws[1]-1.6)))*sz.line + 1.4
	}
	avail := 297 - 20 - d.GetY() - 6
	if len(v.Reviews) > 0 {
		avail -= 12 + 9*float64(len(v.Reviews))
	}
	fits := func(c size) bool {
		h := 0.0
		for _, t := range texts {
			h += rowH(c, t)
		}
		return h <= avail
	}
	sz, found := sizes[len(sizes)-1], false
	for _, c := range sizes {
		if fits(c) {
			sz, found = c, true
			break
		}
	}
	if !found {
		// Too long even small: the actions and their rules only, the
		// technical details are in section 3.
		for i, a := range v.Asks {
			texts[i] = a.Text + "\n" + v.T("Règle ", "Rule ") + a.Rule + " — " + a.Title
		}
		sz = sizes[0]
		avail -= 4 // the note below says where the details are
		for _, c := range sizes {
			if fits(c) {
				sz = c
				break
			}
		}
		d.font("", 8)
		d.mc(pdfWidth, 4, v.T("Le détail technique de chaque action est donné en section 3.", "The technical detail of each action is in section 3."), "", "L", false)
	}
	head()
	for i, a := range v.Asks {
		h := rowH(sz, texts[i])
		if d.GetY()+h > 297-20 {
			d.AddPage()
			head()
		}
		x, y := d.GetX(), d.GetY()
		for j, t := range []string{fmt.Sprint(i + 1), texts[i], a.Who, a.Severity, a.Deadline} {
			d.Rect(x, y, ws[j], h, "D")
			d.SetXY(x+0.8, y+0.7)
			d.font("", sz.font)
			d.mc(ws[j]-1.6, sz.line, t, "", "L", false)
			x += ws[j]
		}
		d.SetXY(pdfMargin, y+h)
	}
	d.Ln(2)
}
