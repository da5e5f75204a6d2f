package report

import (
	"fmt"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// This file holds the PDF report's layout primitives: colours, fonts,
// text cells, section headings, the page footer, definition rows and
// tables. The sections themselves are in pdfsynthesis.go (first page),
// pdffindings.go (results by area) and pdfsections.go (the others).

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

func init() {
	classColours["notevaluated"] = rgb{97, 97, 97}
	classColours["not-evaluated"] = rgb{97, 97, 97}
}

func (d pdfDoc) font(style string, size float64) { d.SetFont(pdfFont, style, size) }

func (d pdfDoc) colour(c rgb) { d.SetTextColor(c[0], c[1], c[2]) }

func (d pdfDoc) black() { d.SetTextColor(26, 26, 26) }

// footer writes the page footer: the report's title, the page number.
func (d pdfDoc) footer() {
	v := d.v
	d.SetY(-12)
	d.font("", 8)
	d.colour(rgb{100, 100, 100})
	left := v.Heading + titleSuffix(v)
	d.CellFormat(pdfWidth*0.8, 5, left, "", 0, "L", false, 0, "")
	d.CellFormat(pdfWidth*0.2, 5, fmt.Sprintf("%d / {nb}", d.PageNo()), "", 0, "R", false, 0, "")
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
	// The row stays on one page: a definition that ran over the page
	// break left its last line alone on a new page, and the next row
	// then started yet another one.
	d.font("B", 9)
	lines := len(d.SplitText(pdfSafe(term), w))
	d.font("", 9)
	lines = max(lines, len(d.SplitText(pdfSafe(def), pdfWidth-w)))
	if d.GetY()+float64(lines)*4.8 > 297-20 {
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

// breakTokens returns text with each word wider than w (a host name, a
// file path) cut into lines at its dots, slashes, underscores, hyphens or
// exclamation marks, each kept at the end of its line, so that it wraps
// as "www.googletagmanager." / "com" rather than mid-letter. w is the
// width given to MultiCell (its cell margins are taken off here, as
// SplitText does); widths are measured in the current font; a piece wider
// than the line alone is left for fpdf to cut.
func (d pdfDoc) breakTokens(text string, w float64) string {
	w -= 2 * d.GetCellMargin()
	words := strings.Split(text, " ")
	for i, word := range words {
		if d.GetStringWidth(pdfSafe(word)) <= w {
			continue
		}
		var lines []string
		line := ""
		for word != "" {
			k := strings.IndexAny(word, "./_-!")
			piece := word
			if k >= 0 {
				piece = word[:k+1]
			}
			word = word[len(piece):]
			if line != "" && d.GetStringWidth(pdfSafe(line+piece)) > w {
				lines = append(lines, line)
				line = ""
			}
			line += piece
		}
		words[i] = strings.Join(append(lines, line), "\n")
	}
	return strings.Join(words, " ")
}

func (d pdfDoc) label(l, text string) {
	d.font("B", 9.5)
	w := d.GetStringWidth(pdfSafe(l)) + 2
	d.cell(w, 5.2, l, "", 0, "L", false)
	d.font("", 9.5)
	d.mc(pdfWidth-w, 5.2, text, "", "L", false)
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
			c = d.breakTokens(c, ws[j]-1.6)
			cells[j] = c
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
