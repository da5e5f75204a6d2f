package notice

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold normalises French text for matching: Unicode NFD, combining marks
// removed (é → e), ligatures œ/æ expanded, typographic apostrophes and
// dashes unified, lowercased, runs of white space collapsed to one space.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading space
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f':
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		space = false
		switch r {
		case '’', '‘', 'ʼ', '`', '´':
			r = '\''
		case '–', '—', '‐', '‑':
			r = '-'
		case '«', '»', '“', '”':
			r = '"'
		case 'œ', 'Œ':
			b.WriteString("oe")
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}

// sentenceEndRe ends a comparison unit: a sentence mark followed by white
// space (so that "6.1.e", e-mail addresses and URLs stay whole).
var sentenceEndRe = regexp.MustCompile(`[.;!?]\s+`)

// unit is one sentence: as written (spacing collapsed) and folded.
type unit struct{ shown, key string }

// units cuts text into sentences.
func units(text string) []unit {
	text = strings.Join(strings.Fields(text), " ")
	var out []unit
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			if k := fold(s); k != "" {
				out = append(out, unit{s, k})
			}
		}
	}
	last := 0
	for _, m := range sentenceEndRe.FindAllStringIndex(text, -1) {
		add(text[last : m[0]+1])
		last = m[1]
	}
	add(text[last:])
	return out
}

// sentences returns the folded units of text.
func sentences(text string) []string {
	var out []string
	for _, u := range units(text) {
		out = append(out, u.key)
	}
	return out
}

// maxDiffUnits bounds the diff computation: beyond it, the diff only
// reports the first differing unit (the LCS table is quadratic).
const maxDiffUnits = 2000

// diff returns a compact diff of two texts, sentence by sentence, compared
// folded but shown as written: lines "- …" for sentences of want missing
// from got and "+ …" for sentences of got absent from want. The output is
// bounded to max bytes.
func diff(want, got string, max int) string {
	a, b := units(want), units(got)
	var lines []string
	if len(a) > maxDiffUnits || len(b) > maxDiffUnits {
		i := 0
		for i < len(a) && i < len(b) && a[i].key == b[i].key {
			i++
		}
		if i < len(a) {
			lines = append(lines, "- "+a[i].shown)
		}
		if i < len(b) {
			lines = append(lines, "+ "+b[i].shown)
		}
	} else {
		// Longest common subsequence, then walk it.
		n, m := len(a), len(b)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if a[i].key == b[j].key {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max32(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && a[i].key == b[j].key:
				i++
				j++
			case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
				lines = append(lines, "- "+a[i].shown)
				i++
			default:
				lines = append(lines, "+ "+b[j].shown)
				j++
			}
		}
	}
	return bound(strings.Join(lines, "\n"), max)
}

func max32(a, b int32) int32 {
	if a > b {
		return a
	}
	return b
}

// bound cuts s to at most max bytes on a rune boundary, marking the cut.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len(" […]")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " […]"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// pathClean cleans a slash-separated relative path.
func pathClean(p string) string { return path.Clean(filepath.ToSlash(p)) }
