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
	string(result.Conforme):             {{27, 94, 32}, {232, 245, 233}},
	string(result.ConformeAvecReserves): {{122, 79, 0}, {255, 248, 225}},
	string(result.NonConforme):          {{139, 0, 0}, {255, 235, 238}},
	string(result.Incomplet):            {{74, 20, 140}, {243, 229, 245}},
}

type pdfDoc struct {
	*fpdf.Fpdf
	v docView
}

func (d pdfDoc) font(style string, size float64) { d.SetFont(pdfFont, style, size) }

func (d pdfDoc) colour(c rgb) { d.SetTextColor(c[0], c[1], c[2]) }

func (d pdfDoc) black() { d.SetTextColor(26, 26, 26) }

// para writes a wrapped paragraph.
func (d pdfDoc) para(text string, size, lineH float64) {
	d.font("", size)
	d.MultiCell(pdfWidth, lineH, text, "", "L", false)
}

func (d pdfDoc) heading(text string) {
	d.Ln(3)
	if d.GetY() > 250 {
		d.AddPage()
	}
	d.font("B", 13)
	d.black()
	d.MultiCell(pdfWidth, 7, text, "B", "L", false)
	d.Ln(2)
}

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
	v.Heading, v.Verdict, v.Date = f(v.Heading), f(v.Verdict), f(v.Date)
	v.Representative, v.Collectivite = f(v.Representative), f(v.Collectivite)
	subject := make([][2]string, len(v.Subject))
	for i, s := range v.Subject {
		subject[i] = [2]string{f(s[0]), f(s[1])}
	}
	v.Subject = subject
	asks := func(in []askView) []askView {
		out := make([]askView, len(in))
		for i, a := range in {
			out[i] = askView{Rule: f(a.Rule), Severity: f(a.Severity), Title: f(a.Title), Text: f(a.Text)}
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
			x.Reference, x.Remediation, x.Waiver = f(x.Reference), f(x.Remediation), f(x.Waiver)
			ev := make([]evidenceView, len(x.Evidence))
			for k, e := range x.Evidence {
				ev[k] = evidenceView{Location: f(e.Location), Source: f(e.Source), Line: e.Line, Excerpt: f(e.Excerpt)}
			}
			x.Evidence = ev
			fs[j] = x
		}
		areas[i] = areaView{Title: f(a.Title), Findings: fs}
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
		left := v.Heading
		for _, s := range v.Subject {
			if s[0] == "ENT" {
				left += " — " + s[1]
			}
		}
		f.CellFormat(pdfWidth*0.8, 5, left, "", 0, "L", false, 0, "")
		f.CellFormat(pdfWidth*0.2, 5, fmt.Sprintf("%d / {nb}", f.PageNo()), "", 0, "R", false, 0, "")
	})
	f.AddPage()
	d.firstPage()
	d.areas()
	d.inputs()
	d.signature()
	if err := f.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

func (d pdfDoc) firstPage() {
	v := d.v
	d.black()
	d.font("B", 18)
	d.MultiCell(pdfWidth, 9, v.Heading, "", "L", false)
	d.Ln(3)
	// Verdict box.
	c := verdictColours[v.VerdictClass]
	d.SetDrawColor(c[0][0], c[0][1], c[0][2])
	d.SetFillColor(c[1][0], c[1][1], c[1][2])
	d.SetLineWidth(0.8)
	d.colour(c[0])
	d.font("B", 16)
	d.CellFormat(pdfWidth, 13, "  "+v.T("Verdict", "Verdict")+" : "+v.Verdict, "1", 1, "L", true, 0, "")
	d.SetLineWidth(0.2)
	d.SetDrawColor(120, 120, 120)
	d.black()
	d.Ln(3)
	// Counts per severity.
	labels := []string{v.T("Bloquants", "Blocking"), v.T("Majeurs", "Major"), v.T("Mineurs", "Minor"), "Info"}
	d.font("", 9)
	d.MultiCell(pdfWidth, 5, v.T("Règles non respectées, par sévérité :", "Rules broken, by severity:"), "", "L", false)
	d.font("B", 9)
	d.SetFillColor(238, 238, 238)
	for _, l := range labels {
		d.CellFormat(pdfWidth/4, 6, l, "1", 0, "C", true, 0, "")
	}
	d.Ln(-1)
	d.font("B", 12)
	for i, s := range v.Severities {
		if s.N > 0 && i < 2 {
			d.colour(classColours["fail"])
		}
		d.CellFormat(pdfWidth/4, 8, fmt.Sprint(s.N), "1", 0, "C", false, 0, "")
		d.black()
	}
	d.Ln(-1)
	d.Ln(1)
	var counts []string
	for _, c := range v.Statuses {
		counts = append(counts, fmt.Sprintf("%d %s", c.N, c.Label))
	}
	d.para(strings.Join(counts, " · "), 8.5, 4.5)
	d.Ln(3)
	// Subject.
	for _, s := range v.Subject {
		d.font("B", 9)
		d.CellFormat(45, 5.5, s[0], "", 0, "L", false, 0, "")
		d.font("", 9)
		d.MultiCell(pdfWidth-45, 5.5, s[1], "", "L", false)
	}
	// What to ask.
	d.heading(v.T("Ce qu'il faut demander à l'éditeur", "What to ask the vendor"))
	if len(v.Asks) == 0 {
		d.para(v.T("Rien : aucun écart à corriger.", "Nothing: no gap to fix."), 10, 5)
	}
	// Shrink the list until the asks and the reviews fit on the first page
	// (for a long list, the smallest size is used and the list runs on).
	sz := d.fitFirstPage()
	for i, a := range v.Asks {
		d.font("B", sz.title)
		d.black()
		d.MultiCell(pdfWidth, sz.line, fmt.Sprintf("%d. %s (%s) — %s", i+1, a.Rule, a.Severity, a.Title), "", "L", false)
		d.SetX(pdfMargin + 5)
		d.font("", sz.text)
		d.MultiCell(pdfWidth-5, sz.line*0.92, a.Text, "", "L", false)
		d.Ln(sz.gap)
	}
	if len(v.Reviews) > 0 {
		d.heading(v.T("À vérifier", "To check by hand"))
		d.para(v.T("Ces points demandent un jugement humain ; voici ce qu'il faut regarder :", "These points need a human judgement; here is what to look at:"), sz.text, sz.line*0.92)
		d.Ln(sz.gap)
		for _, a := range v.Reviews {
			d.font("B", sz.title)
			d.colour(classColours["review"])
			d.MultiCell(pdfWidth, sz.line, "• "+a.Rule+" — "+a.Title, "", "L", false)
			d.black()
			d.SetX(pdfMargin + 5)
			d.font("", sz.text)
			d.MultiCell(pdfWidth-5, sz.line*0.92, a.Text, "", "L", false)
			d.Ln(sz.gap)
		}
	}
	if len(v.Notes) > 0 {
		d.heading(v.T("Remarques", "Notes"))
		for _, n := range v.Notes {
			d.para("• "+n, 9, 4.6)
		}
	}
}

// listSize is a font size set for the first page's lists.
type listSize struct{ title, text, line, gap float64 }

var listSizes = []listSize{{9.5, 9, 5, 1}, {8.5, 8, 4.4, 0.6}, {7.5, 7, 3.8, 0.3}, {6.5, 6.5, 3.3, 0.2}}

// fitFirstPage picks the largest list size whose asks and reviews fit
// above the bottom margin of the first page.
func (d pdfDoc) fitFirstPage() listSize {
	lines := func(s string, style string, size, w float64) float64 {
		d.font(style, size)
		return float64(len(d.SplitText(s, w)))
	}
	avail := 297 - 18 - d.GetY()
	for _, sz := range listSizes {
		h := 0.0
		for i, a := range d.v.Asks {
			h += lines(fmt.Sprintf("%d. %s (%s) — %s", i+1, a.Rule, a.Severity, a.Title), "B", sz.title, pdfWidth)*sz.line +
				lines(a.Text, "", sz.text, pdfWidth-5)*sz.line*0.92 + sz.gap
		}
		if len(d.v.Reviews) > 0 {
			h += 12 + 2*sz.line + sz.gap
			for _, a := range d.v.Reviews {
				h += lines("• "+a.Rule+" — "+a.Title, "B", sz.title, pdfWidth)*sz.line +
					lines(a.Text, "", sz.text, pdfWidth-5)*sz.line*0.92 + sz.gap
			}
		}
		if h <= avail {
			return sz
		}
	}
	return listSizes[len(listSizes)-1]
}

func (d pdfDoc) areas() {
	d.AddPage()
	for _, a := range d.v.Areas {
		d.heading(a.Title)
		for _, f := range a.Findings {
			d.finding(f)
		}
	}
}

func (d pdfDoc) finding(f findingView) {
	if d.GetY() > 255 {
		d.AddPage()
	}
	c := classColours[f.Class]
	d.font("B", 9.5)
	d.colour(c)
	label := f.Status
	d.CellFormat(d.GetStringWidth(label)+3, 5.5, label, "", 0, "L", false, 0, "")
	d.black()
	d.MultiCell(0, 5.5, fmt.Sprintf("%s — %s (%s)", f.Rule, f.Title, f.Severity), "", "L", false)
	indent := pdfMargin + 4
	text := func(s string, style string, size, h float64) {
		d.SetX(indent)
		d.font(style, size)
		d.MultiCell(pdfWidth-4, h, s, "", "L", false)
	}
	text(f.Message, "", 9, 4.6)
	for _, e := range f.Evidence {
		d.colour(rgb{80, 80, 80})
		text(d.v.T("Preuve : ", "Evidence: ")+e.Location, "", 8, 4.2)
		if e.Excerpt != "" {
			d.SetFillColor(242, 242, 242)
			d.SetX(indent)
			d.font("", 8)
			d.MultiCell(pdfWidth-4, 4.2, e.Excerpt, "", "L", true)
		}
		d.black()
	}
	if f.Waiver != "" {
		d.colour(classColours["waived"])
		text(f.Waiver, "", 8.5, 4.4)
		d.black()
	}
	if f.Remediation != "" {
		text(d.v.T("À faire : ", "To do: ")+f.Remediation, "", 8.5, 4.4)
	}
	if f.Reference != "" {
		d.colour(rgb{90, 90, 90})
		text(d.v.T("Référence : ", "Reference: ")+f.Reference, "", 8, 4.2)
		d.black()
	}
	d.Ln(2.5)
}

func (d pdfDoc) inputs() {
	d.Ln(4)
	d.heading(d.v.T("Pièces examinées", "Inputs examined"))
	d.para(d.v.T("Empreinte SHA-256 des octets lus : elle permet de vérifier que le rapport porte sur ces pièces-là.",
		"SHA-256 of the bytes read: it shows the report is about these very inputs."), 8.5, 4.4)
	d.Ln(2)
	for _, in := range d.v.Inputs {
		if d.GetY() > 262 {
			d.AddPage()
		}
		d.font("B", 8.5)
		d.MultiCell(pdfWidth, 4.4, fmt.Sprintf("%s (%d %s)", in.Source, in.Size, d.v.T("octets", "bytes")), "", "L", false)
		d.font("", 7.5)
		d.colour(rgb{80, 80, 80})
		d.MultiCell(pdfWidth, 4, "SHA-256 "+in.SHA256, "", "L", false)
		d.black()
		d.Ln(1)
	}
}

func (d pdfDoc) signature() {
	if d.GetY() > 215 {
		d.AddPage()
	}
	d.Ln(4)
	d.heading(d.v.T("Visa de la collectivité", "Collectivité's signature"))
	d.para(d.v.T("Collectivité : ", "Collectivité: ")+d.v.Collectivite, 9.5, 5.5)
	rep := d.v.Representative
	if rep == "" {
		rep = "________________________________"
	}
	d.para(d.v.T("Représentant : ", "Representative: ")+rep, 9.5, 5.5)
	d.Ln(2)
	d.para(d.v.T("Fait à ________________________, le ____________", "Signed at ________________________, on ____________"), 9.5, 5.5)
	d.Ln(2)
	d.font("", 8.5)
	d.SetDrawColor(60, 60, 60)
	d.CellFormat(pdfWidth/2, 30, d.v.T("Signature et cachet", "Signature and stamp"), "1", 1, "LT", false, 0, "")
}
