package report

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// PDF writes the conformity report the collectivité sends to the DSDEN.
// The first page holds the verdict, the counts, the subject and what to ask
// the vendor; then one section per area, the inputs with their SHA-256 and
// the signature block. The DejaVu Sans font is embedded in the binary so
// that accents render without depending on the system. The output is
// deterministic: fixed creation date (the report date, else the Unix
// epoch) and sorted catalogue.
type PDF struct{}

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

const (
	pdfMargin = 18.0
	pdfWidth  = 210.0 - 2*pdfMargin
	pdfFont   = "DejaVu"
)

type rgb [3]int

var classColours = map[string]rgb{
	"pass":   {46, 125, 50},
	"fail":   {198, 40, 40},
	"warn":   {239, 108, 0},
	"review": {21, 101, 192},
	"skip":   {117, 117, 117},
	"error":  {106, 27, 154},
	"waived": {0, 131, 143},
}

var verdictColours = map[string][2]rgb{
	string(result.Conforme):               {{27, 94, 32}, {232, 245, 233}},
	string(result.ConformeAvecReserves):   {{122, 79, 0}, {255, 248, 225}},
	string(result.NonConforme):            {{139, 0, 0}, {255, 235, 238}},
	string(result.Incomplet):              {{74, 20, 140}, {243, 229, 245}},
	string(result.ConformeSousDerogation): {{0, 96, 100}, {224, 247, 250}},
}

type pdfDoc struct {
	*fpdf.Fpdf
	v docView
}

func (d pdfDoc) font(style string, size float64) { d.SetFont(pdfFont, style, size) }

func (d pdfDoc) colour(c rgb) { d.SetTextColor(c[0], c[1], c[2]) }

func (d pdfDoc) black() { d.SetTextColor(26, 26, 26) }

// pdfSafe makes text printable by fpdf: invalid UTF-8 becomes U+FFFD,
// control characters (but newlines) become spaces, and characters outside
// the Basic Multilingual Plane (emoji…), which fpdf refuses, become U+FFFD.
func pdfSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029:
			return ' '
		case r > 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// safeView applies pdfSafe to every string of the view.
func safeView(v docView) docView {
	f := pdfSafe
	v.Heading, v.Verdict, v.Date, v.VerdictNote = f(v.Heading), f(v.Verdict), f(v.Date), f(v.VerdictNote)
	v.Representative, v.Collectivite = f(v.Representative), f(v.Collectivite)
	subject := make([][2]string, len(v.Subject))
	for i, s := range v.Subject {
		subject[i] = [2]string{f(s[0]), f(s[1])}
	}
	v.Subject = subject
	asks := func(in []askView) []askView {
		out := make([]askView, len(in))
		for i, a := range in {
			out[i] = askView{Rule: f(a.Rule), Severity: f(a.Severity), Title: f(a.Title), Text: f(a.Text), Detail: f(a.Detail), Who: f(a.Who), Deadline: f(a.Deadline)}
		}
		return out
	}
	v.Asks, v.Reviews = asks(v.Asks), asks(v.Reviews)
	notes := make([]string, len(v.Notes))
	for i, n := range v.Notes {
		notes[i] = f(n)
	}
	v.Notes = notes
	areas := make([]areaView, len(v.Areas))
	for i, a := range v.Areas {
		fs := make([]findingView, len(a.Findings))
		for j, x := range a.Findings {
			x.Rule, x.Status, x.Severity, x.Title, x.Message = f(x.Rule), f(x.Status), f(x.Severity), f(x.Title), f(x.Message)
			x.Reference, x.Remediation, x.Detail, x.Waiver = f(x.Reference), f(x.Remediation), f(x.Detail), f(x.Waiver)
			ev := make([]evidenceView, len(x.Evidence))
			for k, e := range x.Evidence {
				ev[k] = evidenceView{Location: f(e.Location), Source: f(e.Source), Line: e.Line, Excerpt: f(e.Excerpt)}
			}
			x.Evidence = ev
			fs[j] = x
		}
		a.Title, a.Findings = f(a.Title), fs
		areas[i] = a
	}
	v.Areas = areas
	inputs := make([]result.Input, len(v.Inputs))
	for i, in := range v.Inputs {
		in.Source = f(in.Source)
		inputs[i] = in
	}
	v.Inputs = inputs
	return v
}

func (PDF) Write(w io.Writer, r *result.Result, o Options) error {
	v := safeView(buildView(r, o))
	date, ok := reportDate(r, o)
	if !ok {
		date = time.Unix(0, 0).UTC()
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCompression(true)
	f.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	f.AddUTF8FontFromBytes(pdfFont, "B", fontBold)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, 18)
	f.SetTitle(v.Heading, true)
	f.SetCreator(r.Tool.Name+" "+r.Tool.Version, true)
	f.SetProducer(r.Tool.Name, true)
	if v.Lang == "fr" {
		f.SetLang("fr-FR")
	} else {
		f.SetLang("en-GB")
	}
	f.AliasNbPages("{nb}")
	d := pdfDoc{Fpdf: f, v: v}
	f.SetFooterFunc(func() {
		f.SetY(-12)
		d.font("", 8)
		d.colour(rgb{100, 100, 100})
		left := v.Heading + titleSuffix(v)
		f.CellFormat(pdfWidth*0.8, 5, left, "", 0, "L", false, 0, "")
		f.CellFormat(pdfWidth*0.2, 5, fmt.Sprintf("%d / {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	})
	subject := v.T("Conformité de l'ENT", "Conformity of the ENT")
	if v.ENT != "" {
		subject += " " + v.ENT
	}
	if v.Collectivite != "" {
		subject += " — " + v.Collectivite
	}
	f.SetSubject(pdfSafe(subject), true)
	f.SetTitle(pdfSafe(v.Heading+titleSuffix(v)), true)
	f.AddPage()
	d.synthesis()
	d.identification()
	d.method()
	d.areas()
	d.annexes()
	d.visas()
	if err := f.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

func init() {
	classColours["notevaluated"] = rgb{97, 97, 97}
	classColours["not-evaluated"] = rgb{97, 97, 97}
}

// titleSuffix is " — ENT" when the ENT is known.
func titleSuffix(v docView) string {
	if v.ENT == "" {
		return ""
	}
	return " — " + v.ENT
}

func (d pdfDoc) mc(w, h float64, text, border, align string, fill bool) {
	d.MultiCell(w, h, pdfSafe(text), border, align, fill)
}

func (d pdfDoc) cell(w, h float64, text, border string, ln int, align string, fill bool) {
	d.CellFormat(w, h, pdfSafe(text), border, ln, align, fill, 0, "")
}

// section starts a numbered section on a new page, with its bookmark.
func (d pdfDoc) section(title string, newPage bool) {
	// A section starts a page, unless the previous one spilled a few
	// lines onto this one: it follows them rather than leave a page
	// nearly blank.
	if newPage && d.GetY() > 60 || d.GetY() > 240 {
		d.AddPage()
	}
	d.Bookmark(pdfSafe(title), 0, -1)
	d.font("B", 14)
	d.black()
	d.mc(pdfWidth, 8, title, "B", "L", false)
	d.Ln(3)
}

func (d pdfDoc) sub(title string) {
	if d.GetY() > 245 {
		d.AddPage()
	}
	d.Ln(2)
	d.Bookmark(pdfSafe(title), 1, -1)
	d.font("B", 11.5)
	d.black()
	d.mc(pdfWidth, 6, title, "", "L", false)
	d.Ln(1)
}

// defRow writes a term in a column of width w and its definition beside.
func (d pdfDoc) defRow(w float64, term, def string) {
	if d.GetY() > 270 {
		d.AddPage()
	}
	y := d.GetY()
	d.font("B", 9)
	d.mc(w, 4.8, term, "", "L", false)
	yTerm := d.GetY()
	d.SetXY(pdfMargin+w, y)
	d.font("", 9)
	d.mc(pdfWidth-w, 4.8, def, "", "L", false)
	if d.GetY() < yTerm {
		d.SetY(yTerm)
	}
	d.Ln(0.8)
}

func (d pdfDoc) label(l, text string) {
	d.font("B", 9.5)
	w := d.GetStringWidth(pdfSafe(l)) + 2
	d.cell(w, 5.2, l, "", 0, "L", false)
	d.font("", 9.5)
	d.mc(pdfWidth-w, 5.2, text, "", "L", false)
}

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
	// The table shrinks until it fits on the first page (a long one uses
	// the smallest size and runs on).
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

func (d pdfDoc) identification() {
	v := d.v
	d.section(v.T("1. Identification", "1. Identification"), true)
	for _, s := range v.Ident {
		d.font("B", 9.5)
		d.cell(82, 6, s[0], "", 0, "L", false)
		d.font("", 9.5)
		d.mc(pdfWidth-82, 6, s[1], "", "L", false)
	}
}

func (d pdfDoc) method() {
	v := d.v
	d.Ln(4)
	d.section(v.T("2. Méthode et limites", "2. Method and limits"), false)
	for _, a := range v.Areas {
		if a.Method == "" {
			continue
		}
		d.font("B", 9.5)
		d.mc(pdfWidth, 5.2, a.Title, "", "L", false)
		d.SetX(pdfMargin + 4)
		d.font("", 9.5)
		d.mc(pdfWidth-4, 5, a.Method, "", "L", false)
		d.Ln(1)
	}
	d.Ln(2)
	d.font("B", 10.5)
	d.mc(pdfWidth, 6, v.T("Limites", "Limits"), "", "L", false)
	for _, l := range v.Limits {
		d.font("", 9.5)
		d.mc(pdfWidth, 5, "• "+l, "", "L", false)
	}
}

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
		d.font("", 7.5)
		nl := len(d.SplitText(pdfSafe(r.Left), w-1.6))
		if nr := len(d.SplitText(pdfSafe(r.Right), w-1.6)); nr > nl {
			nl = nr
		}
		if nl == 0 {
			nl = 1
		}
		h := float64(nl)*3.5 + 1.2
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

// groupHeight is the height group draws for g (the notice comparison
// counted roughly, a row a line: it may break across pages anyway).
func (d pdfDoc) groupHeight(g grouped, body []pdfPara) float64 {
	f := g.findingView
	d.font("B", 9)
	h := 5 * float64(len(d.SplitText(pdfSafe(groupHead(f)), pdfWidth-d.GetStringWidth(pdfSafe(f.Status))-3)))
	for _, p := range body {
		if p.diff != nil {
			h += 4 * float64(len(p.diff))
			continue
		}
		d.font("", p.size)
		h += p.h * float64(len(d.SplitText(pdfSafe(p.text), pdfWidth-4)))
	}
	return h + 2
}

func (d pdfDoc) annexes() {
	v := d.v
	d.section(v.T("4. Annexes", "4. Annexes"), true)
	d.sub(v.T("A. Pièces examinées", "A. Pieces examined"))
	d.font("", 8.5)
	d.mc(pdfWidth, 4.4, v.Fingerprint, "", "L", false)
	d.Ln(2)
	for _, in := range v.Inputs {
		if d.GetY() > 262 {
			d.AddPage()
		}
		d.font("B", 8.5)
		d.mc(pdfWidth, 4.4, fmt.Sprintf("%s (%s)", in.Source, plural(int(in.Size), v.T("octet", "byte"), v.T("octets", "bytes"))), "", "L", false)
		d.font("", 7.5)
		d.colour(rgb{80, 80, 80})
		d.mc(pdfWidth, 4, "SHA-256 "+in.SHA256, "", "L", false)
		d.black()
		d.Ln(1)
	}
	d.sub(v.T("B. Glossaire", "B. Glossary"))
	// The term column fits the longest term on one line.
	termW := 24.0
	d.font("B", 9)
	for _, g := range v.Glossary {
		termW = max(termW, d.GetStringWidth(pdfSafe(g[0]))+3)
	}
	for _, g := range v.Glossary {
		d.defRow(termW, g[0], g[1])
	}
	d.sub(v.T("C. Légende des sévérités", "C. Severities"))
	for _, g := range v.SevLegend {
		d.defRow(24, g[0], g[1])
	}
	d.sub(v.T("D. Légende des avis", "D. Verdicts"))
	for _, g := range v.VerdLegend {
		d.defRow(58, g[0], g[1])
	}
}

func (d pdfDoc) visas() {
	v := d.v
	d.section(v.T("5. Visas", "5. Signatures"), true)
	box := func(title string, lines []string) {
		if d.GetY() > 220 {
			d.AddPage()
		}
		d.font("B", 10.5)
		d.mc(pdfWidth, 6, title, "", "L", false)
		for _, l := range lines {
			d.font("", 9.5)
			d.mc(pdfWidth, 5.5, l, "", "L", false)
		}
		d.Ln(1)
		d.SetDrawColor(60, 60, 60)
		d.font("", 8.5)
		d.cell(pdfWidth/2, 24, v.T("Signature et cachet", "Signature and stamp"), "1", 1, "LT", false)
		d.Ln(4)
	}
	rep := v.Representative
	if rep == "" {
		rep = "________________________________"
	}
	box(v.T("Visa de la collectivité", "Local authority approval"), []string{
		v.T("Collectivité : ", "Local authority: ") + v.Collectivite,
		v.T("Représentant : ", "Representative: ") + rep,
		v.T("Fait à ________________________, le ____________", "Signed at ________________________, on ____________"),
	})
	box(v.T("Visa de l'éditeur", "Vendor approval"), []string{
		v.T("Éditeur : ", "Vendor: ") + v.Vendor,
		v.T("Pris connaissance du rapport ; s'engage à corriger les écarts au plus tard le ____________", "Has read the report; undertakes to fix the gaps by ____________"),
	})
	box(v.T("Visa de la DSDEN", "DSDEN approval"), []string{
		v.T("Avis : ☐ favorable   ☐ favorable avec réserves   ☐ défavorable", "Opinion: ☐ favourable   ☐ with reservations   ☐ unfavourable"),
		v.T("Date : ____________", "Date: ____________"),
	})
}
