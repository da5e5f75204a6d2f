package doctext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold normalises French text for matching (the notice and contract
// readers match their patterns on it): combining marks removed,
// ligatures expanded, typographic apostrophes, quotes and dashes unified,
// lower case, white space collapsed.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		// byte-order mark, zero-width spaces and joiners, soft hyphen:
		// invisible
		case r == '\ufeff' || r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\u2060' || r == '\u00ad':
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
		case '–', '—', '‐', '‑', '−':
			r = '-'
		case '«', '»', '“', '”', '„':
			r = '"'
		case 'œ', 'Œ':
			b.WriteString("oe")
			continue
		case 'ﬁ':
			b.WriteString("fi")
			continue
		case 'ﬂ':
			b.WriteString("fl")
			continue
		case 'ﬀ':
			b.WriteString("ff")
			continue
		case 'æ', 'Æ':
			b.WriteString("ae")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), " ")
}
