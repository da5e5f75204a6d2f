package gar

import "testing"

// TestPrefiltersAreNecessary: the cheap pre-filters of the minimisation
// rule never hide a value its regular expressions would match.
func TestPrefiltersAreNecessary(t *testing.T) {
	vals := []string{"", " ", "0612345678", "06 12 34 56 78", " +33 6 12 34 56 78 ", "+33612345678", "06.12.34.56.78",
		"06-12-34-56-78", "\t0612345678\n", "2010-05-03", "0123456A", "1234567890A", "123456789AB", "a@b.fr",
		"camille.exemple@example.org", "x@y", "Lou", "Fictif", "+", "0", "National_elv", "12345678901", "1234567890a"}
	alphabet := []byte("0123456789+-. \t\n\r\fAZaz@_é")
	seed := uint32(1)
	for i := 0; i < 20000; i++ {
		n := int(seed % 16)
		b := make([]byte, 0, n)
		for j := 0; j < n; j++ {
			seed = seed*1664525 + 1013904223
			b = append(b, alphabet[int(seed>>16)%len(alphabet)])
		}
		seed = seed*1664525 + 1013904223
		vals = append(vals, string(b))
	}
	for _, v := range vals {
		if want := emailRe.MatchString(v) || phoneRe.MatchString(v); contactLike(v) != want {
			t.Errorf("contactLike(%q) = %v, regexps say %v", v, !want, want)
		}
		if want := ineRe.MatchString(v) || emailRe.MatchString(v); meaningfulID(v) != want {
			t.Errorf("meaningfulID(%q) = %v, regexps say %v", v, !want, want)
		}
	}
}
