package report

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var ansiRe = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestColourKeepsColumns: with terminal colours on, the text report has
// the same columns as without: the status is padded on its visible width,
// the colour codes take none.
func TestColourKeepsColumns(t *testing.T) {
	r := fixture(t)
	for _, lang := range []string{"fr", "en"} {
		plain := opts(lang)
		coloured := opts(lang)
		coloured.Color = true
		off := string(render(t, "text", r, plain))
		on := string(render(t, "text", r, coloured))
		if !ansiRe.MatchString(on) {
			t.Fatalf("%s: colour on writes no colour code", lang)
		}
		if ansiRe.MatchString(off) {
			t.Fatalf("%s: colour off writes colour codes", lang)
		}
		if got := ansiRe.ReplaceAllString(on, ""); got != off {
			t.Errorf("%s: without its colour codes, the coloured report differs:\n%s\n--- plain:\n%s", lang, got, off)
		}
		// Each finding line's rule ID starts in the same column, coloured
		// or not (column 11 after a short status label).
		lines := 0
		for _, line := range strings.Split(ansiRe.ReplaceAllString(on, ""), "\n") {
			for _, id := range []string{"SAML-", "GAR-", "MAP-", "PAGE-", "NOTICE-", "DOSSIER-"} {
				i := strings.Index(line, " "+id)
				if i < 0 || strings.HasPrefix(line, " ") || strings.Contains(line[:i], ":") {
					continue
				}
				if label := strings.TrimSpace(line[:i]); utf8.RuneCountInString(label) < statusWidth {
					if col := utf8.RuneCountInString(line[:i]) + 1; col != statusWidth+1 {
						t.Errorf("%s: rule ID in column %d, want %d: %q", lang, col, statusWidth+1, line)
					}
					lines++
				}
				break
			}
		}
		if lines < 3 {
			t.Errorf("%s: only %d finding lines checked", lang, lines)
		}
	}
}

// TestLegendsNamed: every severity and verdict of the annex's legends is
// named, in both languages (the "info" severity once lost its term in
// English).
func TestLegendsNamed(t *testing.T) {
	r := fixture(t)
	for _, lang := range []string{"fr", "en"} {
		v := buildView(r, opts(lang))
		if len(v.SevLegend) != 4 || len(v.VerdLegend) != 5 {
			t.Fatalf("%s: legends %v %v", lang, v.SevLegend, v.VerdLegend)
		}
		for _, g := range append(v.SevLegend, v.VerdLegend...) {
			if g[0] == "" || g[1] == "" {
				t.Errorf("%s: legend line %q has no term or text", lang, g)
			}
		}
		if got := v.SevLegend[0][0]; got != pick(lang, "bloquant", "blocking") {
			t.Errorf("%s: first severity %q", lang, got)
		}
	}
}
