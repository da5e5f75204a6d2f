package doctext

import (
	"math"
	"regexp"
	"sort"
	"strings"
)

// A table in a PDF is text placed in columns: the glyphs of a row sit on
// one line, its cells separated by gaps wider than a word space, each
// cell starting at its column's left edge on every row; a cell too long
// for its column wraps on the next lines, at the same edge. Read in
// drawing order (layoutText), a table comes out cell after cell, its
// columns lost, so a list of sub-processors drawn as a table (name |
// service | country) loses who is where. layoutTables finds such tables
// from the glyphs' positions and writes each row as "| a | b | c |", the
// first as the table's header, which linesDoc reads as a table; a page
// without a table is left to layoutText.

// Bounds and tolerances of the table reading, in font sizes.
const (
	// colGap: a gap between two glyphs of a line wider than this starts
	// a new segment (a cell); word spaces are a quarter to a half.
	colGap = 0.9
	// alignTol: two segments start in the same column when their left
	// edges are this close.
	alignTol = 0.6
	// maxTableLines bounds the lines of a page examined.
	maxTableLines = 2000
)

// pline is one line of a page: its glyphs in x order, and its segments
// (runs of glyphs separated by column gaps).
type pline struct {
	y, size float64
	glyphs  []glyph
	segs    []segment
}

type segment struct {
	x0, x1 float64
	glyphs []glyph
}

func (s segment) text() string { return strings.TrimSpace(layoutText(s.glyphs)) }

// pageLines groups a page's glyphs into lines by their baseline, top to
// bottom, each in x order, and cuts them into segments.
func pageLines(glyphs []glyph) []pline {
	var gs []glyph
	for _, g := range glyphs {
		if g.s == "" || g.s == "\ufffd" || strings.ContainsRune(g.s, 0) || math.IsNaN(g.x) || math.IsNaN(g.y) || math.IsInf(g.x, 0) || math.IsInf(g.y, 0) {
			continue
		}
		if g.size < 1 || math.IsNaN(g.size) || math.IsInf(g.size, 0) {
			g.size = 10
		}
		if math.IsNaN(g.w) || math.IsInf(g.w, 0) || g.w < 0 {
			g.w = 0
		}
		gs = append(gs, g)
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y > gs[j].y })
	var lines []pline
	for _, g := range gs {
		if n := len(lines); n > 0 && math.Abs(lines[n-1].y-g.y) <= math.Max(lines[n-1].size, g.size)*0.3 {
			lines[n-1].glyphs = append(lines[n-1].glyphs, g)
			lines[n-1].size = math.Max(lines[n-1].size, g.size)
			continue
		}
		if len(lines) >= maxTableLines {
			return nil
		}
		lines = append(lines, pline{y: g.y, size: g.size, glyphs: []glyph{g}})
	}
	for i := range lines {
		l := &lines[i]
		sort.SliceStable(l.glyphs, func(a, b int) bool { return l.glyphs[a].x < l.glyphs[b].x })
		var cur *segment
		end := math.Inf(-1)
		for _, g := range l.glyphs {
			if strings.TrimSpace(g.s) == "" {
				if cur != nil {
					cur.glyphs = append(cur.glyphs, g)
				}
				continue
			}
			if cur == nil || g.x > end+l.size*colGap {
				l.segs = append(l.segs, segment{x0: g.x})
				cur = &l.segs[len(l.segs)-1]
			}
			cur.glyphs = append(cur.glyphs, g)
			end = math.Max(end, g.x+g.w)
			cur.x1 = end
		}
	}
	return lines
}

// column returns the index of the column whose left edge is at x, -1
// when none is.
func column(cols []float64, x, size float64) int {
	for i, c := range cols {
		if math.Abs(c-x) <= size*alignTol {
			return i
		}
	}
	return -1
}

// tableAt reads the table that starts at line i: a line of two segments
// or more (the header), then lines whose segments all start at its
// columns, two of them at least holding two cells. It returns the rows
// (cells by column) and the index after the table's last line, or nil.
func tableAt(lines []pline, i int) ([][]string, int) {
	head := lines[i]
	if len(head.segs) < 2 {
		return nil, i
	}
	cols := make([]float64, len(head.segs))
	for k, s := range head.segs {
		cols[k] = s.x0
	}
	// the lines of the table, and the vertical step before each
	end := i + 1
	multi := 1
	for ; end < len(lines); end++ {
		l := lines[end]
		dy := lines[end-1].y - l.y
		if dy > l.size*4 || len(l.segs) == 0 {
			break
		}
		ok := true
		for _, s := range l.segs {
			k := column(cols, s.x0, l.size)
			// a segment that runs over the next column's edge is text
			// across the page, not a cell
			if k < 0 || k+1 < len(cols) && s.x1 > cols[k+1] {
				ok = false
				break
			}
		}
		if !ok {
			break
		}
		if len(l.segs) >= 2 {
			multi++
		}
	}
	if multi < 2 {
		return nil, i
	}
	// rows: a line starts a row when the step before it is wider than
	// the step between the lines of a wrapped cell (when the table has
	// wrapped cells: steps of two sizes)
	minStep, maxStep := math.Inf(1), 0.0
	for k := i + 1; k < end; k++ {
		dy := lines[k-1].y - lines[k].y
		minStep, maxStep = math.Min(minStep, dy), math.Max(maxStep, dy)
	}
	wrapped := maxStep > minStep*1.25
	var rows [][]string
	for k := i; k < end; k++ {
		l := lines[k]
		if k == i || !wrapped || lines[k-1].y-l.y > minStep*1.25 {
			rows = append(rows, make([]string, len(cols)))
		}
		row := rows[len(rows)-1]
		for _, s := range l.segs {
			c := column(cols, s.x0, l.size)
			if row[c] != "" {
				row[c] += " "
			}
			row[c] += s.text()
		}
	}
	if len(rows) < 2 || markerColumn(rows) {
		return nil, i
	}
	return rows, end
}

// markerRe is a list's marker: a bullet, a dash, "1.", "a)".
var markerRe = regexp.MustCompile(`^(?:[^\p{L}\p{N}\s]{1,2}|\p{Co}|\d{1,2}[.)°]?|[a-zA-Z][.)]|[ivxIVX]{1,4}[.)])$`)

// markerColumn: a column holds only list markers: the lines are a list
// whose items are indented after their bullets, not a table.
func markerColumn(rows [][]string) bool {
	for c := range rows[0] {
		all, any := true, false
		for _, r := range rows {
			if r[c] == "" {
				continue
			}
			any = true
			if !markerRe.MatchString(r[c]) {
				all = false
				break
			}
		}
		if any && all {
			return true
		}
	}
	return false
}

// layoutTables rebuilds a page's text line by line from the glyphs'
// positions, its tables written as rows ("| a | b |", the first row
// the header), or returns "" when the page holds no table.
func layoutTables(glyphs []glyph) string {
	lines := pageLines(glyphs)
	var b strings.Builder
	found := false
	for i := 0; i < len(lines); {
		if i > 0 {
			if lines[i-1].y-lines[i].y > lines[i].size*1.8 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		if rows, next := tableAt(lines, i); rows != nil {
			found = true
			// a table stands apart from the text around it
			b.WriteByte('\n')
			for _, r := range rows {
				for c := range r {
					r[c] = strings.ReplaceAll(r[c], "|", "/")
				}
				b.WriteString("| " + strings.Join(r, " | ") + " |\n")
			}
			b.WriteByte('\n')
			i = next
			continue
		}
		b.WriteString(layoutText(lines[i].glyphs))
		i++
	}
	if !found {
		return ""
	}
	return b.String()
}
