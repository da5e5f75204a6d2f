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

// sentenceRe splits folded text into comparison units.
var sentenceRe = regexp.MustCompile(`[^.;:!?\n]+[.;:!?]*`)

// sentences cuts folded text into trimmed, non-empty units.
func sentences(folded string) []string {
	var out []string
	for _, s := range sentenceRe.FindAllString(folded, -1) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// maxDiffUnits bounds the diff computation: beyond it, the diff only
// reports the first differing unit (the LCS table is quadratic).
const maxDiffUnits = 2000

// diff returns a compact diff of two folded texts, sentence by sentence:
// lines "- …" for units of want missing from got and "+ …" for units of got
// absent from want. The output is bounded to max bytes.
func diff(want, got string, max int) string {
	a, b := sentences(want), sentences(got)
	var lines []string
	if len(a) > maxDiffUnits || len(b) > maxDiffUnits {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		if i < len(a) {
			lines = append(lines, "- "+a[i])
		}
		if i < len(b) {
			lines = append(lines, "+ "+b[i])
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
				if a[i] == b[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max32(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && a[i] == b[j]:
				i++
				j++
			case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
				lines = append(lines, "+ "+b[j])
				j++
			default:
				lines = append(lines, "- "+a[i])
				i++
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
