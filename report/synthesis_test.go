package report

import (
	"html"
	"strings"
	"testing"
)

// Summarize is the HTML report's first page: every text of the synthèse
// is in the document, in both languages.
func TestSummarizeIsPageOne(t *testing.T) {
	r := fixture(t)
	for _, lang := range []string{"fr", "en"} {
		o := opts(lang)
		s := Summarize(r, o)
		doc := html.UnescapeString(string(render(t, "html", r, o)))
		page1, _, _ := strings.Cut(doc, `id="identification"`)
		want := []string{s.Verdict, s.Why, s.Scope, s.Coverage, s.FailedRules, s.RuleCounts, s.Heading, s.ENT, s.Collectivite, s.Date}
		want = append(want, s.Derogations...)
		want = append(want, s.Notes...)
		for _, a := range append(s.Actions, s.Reviews...) {
			want = append(want, a.Rule, a.Title, a.Text, a.Who, a.Severity, a.Deadline)
		}
		for _, b := range s.Areas {
			want = append(want, b.Title)
		}
		if len(s.Actions) == 0 || len(s.Areas) == 0 || s.Why == "" || s.RuleCounts == "" {
			t.Fatalf("%s: synthesis of the fixture is thin: %+v", lang, s)
		}
		for _, w := range want {
			if w != "" && !strings.Contains(page1, w) {
				t.Errorf("%s: %q is not on the HTML report's first page", lang, w)
			}
		}
	}
}
