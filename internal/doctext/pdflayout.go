package doctext

import (
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// A PDF draws its text in runs, each placed by its own text operators.
// Text processors cut a line into many runs, anywhere, even inside a
// word ("res" "ponsable"), and the library's plain text puts a line break
// between every two: sentences and words come out cut. The notice is read
// instead from the glyphs' positions (glyphsOf), joined into lines and
// words by layoutText. Composite fonts (Type0, Identity-H: most fonts of
// documents saved by word processors) are measured with their /W widths,
// which the library leaves out.

// glyph is one character drawn on a page: its position and size in
// points, its advance width, and its text.
type glyph struct {
	x, y, w, size float64
	s             string
}

// mat is a PDF transformation matrix [a b c d e f] as rows {a b 0} {c d 0}
// {e f 1} (row vectors, PDF 32000-1 §8.3.3).
type mat [3][3]float64

var identity = mat{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (x mat) mul(y mat) mat {
	var z mat
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				z[i][j] += x[i][k] * y[k][j]
			}
		}
	}
	return z
}

func translate(tx, ty float64) mat { return mat{{1, 0, 0}, {0, 1, 0}, {tx, ty, 1}} }

// pdfFont is a font as the layout needs it: how to cut a string into
// character codes, their text and their widths.
type pdfFont struct {
	enc       pdf.TextEncoding
	composite bool              // two-byte codes (Type0)
	widths    map[int]float64   // in thousandths of the text size
	dw        float64           // default width of a composite font
	simple    func(int) float64 // width of a simple font's code
}

// maxPageGlyphs bounds the glyphs read on one page (a page of text holds
// a few thousand; the notice's items are read in 512 KiB of text): a
// hostile content stream cannot make the reader hold millions.
const maxPageGlyphs = 256 << 10

// estimatedWidth is the advance of a glyph whose width the font does not
// give, in thousandths of the text size.
const estimatedWidth = 500

// maxWidthEntries bounds the /W array read for one composite font.
const maxWidthEntries = 65536

func loadFont(f pdf.Font) *pdfFont {
	pf := &pdfFont{enc: f.Encoder(), dw: 1000}
	if pf.enc == nil {
		pf.enc = noDecode{}
	}
	if f.V.Key("Subtype").Name() != "Type0" {
		// the widths are read once: each lookup in the document reads the
		// file again
		first, ws := int(f.V.Key("FirstChar").Int64()), f.V.Key("Widths")
		table := make([]float64, 0, 256)
		for i := 0; i < ws.Len() && i < 65536; i++ {
			table = append(table, ws.Index(i).Float64())
		}
		pf.simple = func(c int) float64 {
			if c-first >= 0 && c-first < len(table) && table[c-first] > 0 {
				return table[c-first]
			}
			// a standard font without widths, or a code outside them:
			// half an em, the width of an average letter
			return estimatedWidth
		}
		return pf
	}
	pf.composite = true
	pf.widths = map[int]float64{}
	desc := f.V.Key("DescendantFonts").Index(0)
	if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		pf.dw = dw.Float64()
	}
	// /W [c [w1 w2 …] cfirst clast w …] (PDF 32000-1 §9.7.4.3)
	w := desc.Key("W")
	n := 0
	for i := 0; i < w.Len() && n < maxWidthEntries; {
		c := int(w.Index(i).Int64())
		if i+1 < w.Len() && w.Index(i+1).Kind() == pdf.Array {
			arr := w.Index(i + 1)
			for j := 0; j < arr.Len() && n < maxWidthEntries; j++ {
				pf.widths[c+j] = arr.Index(j).Float64()
				n++
			}
			i += 2
			continue
		}
		if i+2 < w.Len() {
			last := int(w.Index(i + 1).Int64())
			v := w.Index(i + 2).Float64()
			for k := c; k <= last && n < maxWidthEntries; k++ {
				pf.widths[k] = v
				n++
			}
		}
		i += 3
	}
	return pf
}

// noDecode keeps the codes as they are (a font without an encoding).
type noDecode struct{}

func (noDecode) Decode(raw string) string { return raw }

// codes cuts a string into the font's character codes.
func (pf *pdfFont) codes(raw string) []string {
	step := 1
	if pf.composite {
		step = 2
	}
	var out []string
	for i := 0; i < len(raw); i += step {
		j := i + step
		if j > len(raw) {
			j = len(raw)
		}
		out = append(out, raw[i:j])
	}
	return out
}

// width is a code's advance in thousandths of the text size.
func (pf *pdfFont) width(code string) float64 {
	c := 0
	for i := 0; i < len(code); i++ {
		c = c<<8 | int(code[i])
	}
	if pf.composite {
		if w, ok := pf.widths[c]; ok && w > 0 {
			return w
		}
		if pf.dw > 0 {
			return pf.dw
		}
		return estimatedWidth
	}
	return pf.simple(c)
}

// glyphsOf reads the glyphs a page draws, in drawing order, with their
// positions: the text state (PDF 32000-1 §9.3, §9.4) and the current
// transformation matrix are followed; forms and annotations are not read.
// It panics on malformed content as the library does (the caller
// recovers).
func glyphsOf(p pdf.Page) []glyph {
	strm := p.V.Key("Contents")
	if p.V.IsNull() || strm.Kind() == pdf.Null {
		return nil
	}
	type state struct {
		ctm                        mat
		font                       *pdfFont
		size, tc, tw, th, tl, rise float64
	}
	g := state{ctm: identity, th: 1}
	var stack []state
	tm, tlm := identity, identity
	fonts := map[string]*pdfFont{}
	var out []glyph
	show := func(raw string) {
		if g.font == nil {
			g.font = &pdfFont{enc: noDecode{}, simple: func(int) float64 { return estimatedWidth }}
		}
		for _, code := range g.font.codes(raw) {
			if len(out) >= maxPageGlyphs {
				return
			}
			w := g.font.width(code)
			trm := mat{{g.size * g.th, 0, 0}, {0, g.size, 0}, {0, g.rise, 1}}.mul(tm).mul(g.ctm)
			text := g.font.enc.Decode(code)
			size := math.Hypot(trm[1][0], trm[1][1])
			out = append(out, glyph{x: trm[2][0], y: trm[2][1], w: w / 1000 * trm[0][0], size: size, s: text})
			tx := w/1000*g.size + g.tc
			if code == " " {
				tx += g.tw
			}
			tm = translate(tx*g.th, 0).mul(tm)
		}
	}
	args := func(stk *pdf.Stack) []pdf.Value {
		n := stk.Len()
		a := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			a[i] = stk.Pop()
		}
		return a
	}
	num := func(a []pdf.Value, i int) float64 {
		if i < len(a) {
			return a[i].Float64()
		}
		return 0
	}
	nextLine := func() {
		tlm = translate(0, -g.tl).mul(tlm)
		tm = tlm
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		a := args(stk)
		switch op {
		case "q":
			stack = append(stack, g)
		case "Q":
			if n := len(stack); n > 0 {
				g, stack = stack[n-1], stack[:n-1]
			}
		case "cm":
			if len(a) == 6 {
				g.ctm = mat{{num(a, 0), num(a, 1), 0}, {num(a, 2), num(a, 3), 0}, {num(a, 4), num(a, 5), 1}}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tf":
			if len(a) == 2 {
				name := a[0].Name()
				if fonts[name] == nil {
					fonts[name] = loadFont(p.Font(name))
				}
				g.font, g.size = fonts[name], num(a, 1)
			}
		case "Tc":
			g.tc = num(a, 0)
		case "Tw":
			g.tw = num(a, 0)
		case "Tz":
			g.th = num(a, 0) / 100
		case "TL":
			g.tl = num(a, 0)
		case "Ts":
			g.rise = num(a, 0)
		case "TD":
			g.tl = -num(a, 1)
			tlm = translate(num(a, 0), num(a, 1)).mul(tlm)
			tm = tlm
		case "Td":
			tlm = translate(num(a, 0), num(a, 1)).mul(tlm)
			tm = tlm
		case "Tm":
			if len(a) == 6 {
				tlm = mat{{num(a, 0), num(a, 1), 0}, {num(a, 2), num(a, 3), 0}, {num(a, 4), num(a, 5), 1}}
				tm = tlm
			}
		case "T*":
			nextLine()
		case "Tj":
			if len(a) == 1 {
				show(a[0].RawString())
			}
		case "'":
			if len(a) == 1 {
				nextLine()
				show(a[0].RawString())
			}
		case "\"":
			if len(a) == 3 {
				g.tw, g.tc = num(a, 0), num(a, 1)
				nextLine()
				show(a[2].RawString())
			}
		case "TJ":
			if len(a) != 1 {
				return
			}
			v := a[0]
			for i := 0; i < v.Len(); i++ {
				x := v.Index(i)
				if x.Kind() == pdf.String {
					show(x.RawString())
				} else {
					tm = translate(-x.Float64()/1000*g.size*g.th, 0).mul(tm)
				}
			}
		}
	})
	return out
}

// layoutText rebuilds a page's text from its glyphs, in the order the page
// draws them: a glyph lower or higher than the last by half a line starts
// a new line (by almost two lines: a new paragraph, an empty line), and
// one further right than the end of the last, or back to the left, on the
// same line starts a new word. A glyph the font's map does not name (text
// processors draw marks of their own between runs) is left out.
func layoutText(glyphs []glyph) string {
	var b strings.Builder
	have, space := false, true
	var lastX, lastY, lastEnd, lastSize float64
	for _, g := range glyphs {
		if g.s == "" || g.s == "\n" || g.s == "\r" || g.s == "\ufffd" || strings.ContainsRune(g.s, 0) {
			continue
		}
		size := g.size
		if size < 1 || math.IsNaN(size) || math.IsInf(size, 0) {
			size = 10
		}
		blank := strings.TrimSpace(g.s) == ""
		if have {
			ref := math.Max(size, lastSize)
			dy := math.Abs(g.y - lastY)
			switch {
			case dy > ref*1.8:
				b.WriteString("\n\n")
				space = true
			case dy > ref*0.5:
				b.WriteByte('\n')
				space = true
			case (g.x > lastEnd+ref*0.15 || g.x < lastX-ref*0.5) && !space && !blank:
				b.WriteByte(' ')
				space = true
			}
		}
		if blank {
			if !space {
				b.WriteByte(' ')
			}
			space = true
		} else {
			b.WriteString(g.s)
			space = false
		}
		w := g.w
		if math.IsNaN(w) || math.IsInf(w, 0) {
			w = 0
		}
		lastX, lastY, lastEnd, lastSize, have = g.x, g.y, g.x+w, size, true
	}
	return b.String()
}
