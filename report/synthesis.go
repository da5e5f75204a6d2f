package report

import "github.com/sdetcheck/sdetcheck/internal/result"

// Synthesis is the first page of the PDF and HTML reports (the
// synthèse), for another page to show: the web page of `sdetcheck serve`
// shows an audit's result with it, so that the page and the PDF can never
// say different things. It is built by the same code as the documents
// (buildView); every text is in the language of the Options.
type Synthesis struct {
	Heading      string // "Rapport de conformité de l'ENT"
	ENT          string
	Collectivite string
	Date         string // "12 mars 2026"; empty when unknown
	// Verdict is the verdict's label (CONFORME, INCOMPLET…), VerdictClass
	// its value (conforme, incomplet…).
	Verdict, VerdictClass string
	// Why is the one sentence that says why the verdict is what it is.
	Why string
	// Scope, Coverage, FailedRules and RuleCounts are the lines of the
	// same names: "audit en ligne…", "12 règles évaluées sur 59
	// applicables", "1 majeure", "1 non respectée, 57 non évaluées…".
	Scope, Coverage, FailedRules, RuleCounts string
	// Areas are the chart's bars: one area's rules per outcome.
	Areas       []AreaCounts
	Derogations []string
	// Actions is the numbered table of the actions expected.
	Actions []Action
	// Reviews are the points to check by hand.
	Reviews []Action
	Notes   []string
}

// AreaCounts is one area's bar of the chart "Règles par domaine".
type AreaCounts struct {
	Title                                   string
	Pass, Fail, Check, NotEvaluated, Waived int
	Total                                   int
}

// Action is one line of the action table (or of the points to check):
// the problem and what is expected, who acts, the severity, the deadline
// suggested (empty for a point to check).
type Action struct {
	Rule, Title, Text, Who, Severity, Deadline string
}

// Summarize is r's synthèse as the PDF and HTML reports write it with o.
func Summarize(r *result.Result, o Options) Synthesis {
	v := buildView(r, o)
	s := Synthesis{
		Heading: v.Heading, ENT: v.ENT, Collectivite: v.Collectivite, Date: v.Date,
		Verdict: v.Verdict, VerdictClass: v.VerdictClass, Why: v.Why,
		Scope: v.Scope, Coverage: v.Coverage, FailedRules: v.FailedRules, RuleCounts: v.RuleCounts,
		Derogations: v.Derogations, Notes: v.Notes,
	}
	for _, b := range v.Bars {
		s.Areas = append(s.Areas, AreaCounts{Title: b.Title, Pass: b.Pass, Fail: b.Fail, Check: b.Check, NotEvaluated: b.NotEval, Waived: b.Waived, Total: b.Total})
	}
	actions := func(in []askView) []Action {
		var out []Action
		for _, a := range in {
			out = append(out, Action{Rule: a.Rule, Title: a.Title, Text: a.Text, Who: a.Who, Severity: a.Severity, Deadline: a.Deadline})
		}
		return out
	}
	s.Actions, s.Reviews = actions(v.Asks), actions(v.Reviews)
	return s
}
