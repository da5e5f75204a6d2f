package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{
		{"audit", "audit", 0}, {"audti", "audit", 1}, {"adit", "audit", 1}, {"auditt", "audit", 1},
		{"evidance", "evidence", 1}, {"sml", "saml", 1}, {"rapport", "report", 2}, {"", "ab", 2},
		{"évidence", "evidence", 1},
	} {
		if got := Distance(c.a, c.b); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestNearest(t *testing.T) {
	cmds := []string{"audit", "check", "report", "diff", "rules", "serve", "version", "sso-extract", "sso-probe"}
	for word, want := range map[string]string{
		"audti": "audit", "AUDIT": "", "chekc": "check", "rapport": "report", "sso-extrat": "sso-extract",
		"verison": "version", "xyz": "", "audit": "", "df": "diff", "zz": "",
	} {
		if got := Nearest(word, cmds); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", word, got, want)
		}
	}
}
