package report

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Diff compares two results of the same dossier: what got fixed, what
// regressed, what is new, what still fails. It compares findings, not
// rules: two failures of one rule in one file are two entries. Findings are
// matched by identity (rule, item, source, location, message), then with
// looser keys (see Compare).
type Diff struct {
	OldVerdict result.Verdict `json:"old_verdict"`
	NewVerdict result.Verdict `json:"new_verdict"`
	// Fixed were problems (fail, warn, error, not evaluated) and are no
	// longer found while their rule was examined: new is pass (the rule
	// passes, or this problem is gone), skip, or fail under a dérogation
	// (new_waived).
	Fixed []DiffItem `json:"fixed"`
	// Regressed were pass and are now problems.
	Regressed []DiffItem `json:"regressed"`
	// New are problems that match nothing in the old result.
	New []DiffItem `json:"new"`
	// StillFailing are problems in both.
	StillFailing []DiffItem `json:"still_failing"`
	// NotExamined were problems whose rule the new result does not examine
	// (no finding at all, or only what an audit en ligne can judge):
	// neither fixed nor failing.
	NotExamined []DiffItem `json:"not_examined"`
}

// DiffItem is one finding in a diff: the newer one when both exist, the
// old one for what was fixed or is no longer examined.
type DiffItem struct {
	Rule      string          `json:"rule"`
	Item      string          `json:"item,omitempty"`
	Severity  result.Severity `json:"severity"`
	Source    string          `json:"source,omitempty"`
	Line      int             `json:"line,omitempty"`
	Old       result.Status   `json:"old,omitempty"`
	OldWaived bool            `json:"old_waived,omitempty"`
	New       result.Status   `json:"new,omitempty"`
	NewWaived bool            `json:"new_waived,omitempty"`
	Message   string          `json:"message"`
	// MessageEN is the English message, for --lang en.
	MessageEN string `json:"message_en,omitempty"`
}

// IsProblem is what Compare counts as a problem: an unwaived fail, warn,
// error, or not evaluated for lack of a piece (not what only an audit en
// ligne can judge, nor what an option of the tool would settle).
func IsProblem(f result.Finding) bool {
	if f.Waived() || f.LiveOnly || f.Optional {
		return false
	}
	switch f.Status {
	case result.Fail, result.Warn, result.Error, result.NotEvaluated:
		return true
	}
	return false
}

var digitsRe = regexp.MustCompile(`[0-9]+`)

// norm makes a message or source comparable across runs: case, runs of
// digits (counts, line numbers, the timestamp of a GAR export's file
// names) and spacing do not count.
func norm(s string) string {
	return strings.Join(strings.Fields(digitsRe.ReplaceAllString(strings.ToLower(s), "#")), " ")
}

func firstEvidence(f result.Finding) result.Evidence {
	if len(f.Evidence) > 0 {
		return f.Evidence[0]
	}
	return result.Evidence{}
}

// Identity keys, strictest first: the same rule, item, source, place and
// message; then the same message in a source whose digits changed (a GAR
// export's file names carry its timestamp) wherever the lines moved; then
// the same message wherever it is. Digits in messages (counts) do not
// count. Findings sharing a key are paired in order.
var identityKeys = []func(result.Finding) string{
	func(f result.Finding) string {
		e := firstEvidence(f)
		return fmt.Sprint(f.Rule, "\x00", f.Item, "\x00", e.Source, "\x00", e.Line, "\x00", e.Column, "\x00", norm(f.Message))
	},
	func(f result.Finding) string {
		return f.Rule + "\x00" + f.Item + "\x00" + norm(firstEvidence(f).Source) + "\x00" + norm(f.Message)
	},
	func(f result.Finding) string { return f.Rule + "\x00" + f.Item + "\x00" + norm(f.Message) },
}

// similarity of two messages: the words they share at the start and at the
// end, over the longer one's. "Traceur chargé : a.fr" and "Traceur chargé :
// a.fr, b.fr" are alike; "Courriel transmis" and "Téléphone transmis" are
// not (one word of two).
func similarity(a, b string) float64 {
	x, y := strings.Fields(norm(a)), strings.Fields(norm(b))
	n := max(len(x), len(y))
	if n == 0 {
		return 1
	}
	p := 0
	for p < len(x) && p < len(y) && x[p] == y[p] {
		p++
	}
	q := 0
	for q < len(x)-p && q < len(y)-p && x[len(x)-1-q] == y[len(y)-1-q] {
		q++
	}
	return float64(p+q) / float64(n)
}

// minSimilarity is how alike the messages of one rule's findings must be
// to be the same finding when nothing stricter paired them.
const minSimilarity = 0.6

// pairProblems pairs old and new problems; match[i] is the index in nw of
// old[i]'s partner, or -1.
func pairProblems(old, nw []result.Finding) (match []int, used []bool) {
	match = make([]int, len(old))
	for i := range match {
		match[i] = -1
	}
	used = make([]bool, len(nw))
	for _, key := range identityKeys {
		free := map[string][]int{}
		for j, f := range nw {
			if !used[j] {
				k := key(f)
				free[k] = append(free[k], j)
			}
		}
		for i, f := range old {
			if match[i] >= 0 {
				continue
			}
			k := key(f)
			if js := free[k]; len(js) > 0 {
				match[i], used[js[0]] = js[0], true
				free[k] = js[1:]
			}
		}
	}
	// Fallback: the same rule and item, alike messages (a list in the
	// message grew, a wording changed), the same source first; the most
	// alike pairs first.
	type cand struct {
		i, j    int
		sameSrc bool
		score   float64
	}
	var cs []cand
	for i, o := range old {
		if match[i] >= 0 {
			continue
		}
		for j, n := range nw {
			if used[j] || n.Rule != o.Rule || n.Item != o.Item {
				continue
			}
			if sc := similarity(o.Message, n.Message); sc >= minSimilarity {
				cs = append(cs, cand{i, j, norm(firstEvidence(o).Source) == norm(firstEvidence(n).Source), sc})
			}
		}
	}
	sort.SliceStable(cs, func(a, b int) bool {
		if cs[a].sameSrc != cs[b].sameSrc {
			return cs[a].sameSrc
		}
		return cs[a].score > cs[b].score
	})
	for _, c := range cs {
		if match[c.i] < 0 && !used[c.j] {
			match[c.i], used[c.j] = c.j, true
		}
	}
	return match, used
}

// counterpart is the finding of rs that stands for f's rule on the other
// side, when f has no partner among the problems: the closest non-problem
// finding of the same rule (same item and source, then same item, then
// any), else, when only problems of the rule are left, ok=false with
// examined=true.
func counterpart(f result.Finding, rs []result.Finding) (c result.Finding, ok, examined bool) {
	src := norm(firstEvidence(f).Source)
	best := -1
	for _, g := range rs {
		if g.Rule != f.Rule {
			continue
		}
		examined = true
		if IsProblem(g) {
			continue
		}
		rank := 2
		switch {
		case g.Item == f.Item && norm(firstEvidence(g).Source) == src:
			rank = 0
		case g.Item == f.Item:
			rank = 1
		}
		if best < 0 || rank < best {
			best, c, ok = rank, g, true
		}
	}
	return c, ok, examined
}

func diffItem(f result.Finding) DiffItem {
	e := firstEvidence(f)
	return DiffItem{Rule: f.Rule, Item: f.Item, Severity: f.Severity, Source: e.Source, Line: e.Line, Message: f.Message, MessageEN: f.MessageEN}
}

// Compare computes the diff from old to new.
func Compare(old, new *result.Result) Diff {
	d := Diff{OldVerdict: old.Verdict, NewVerdict: new.Verdict}
	problems := func(r *result.Result) []result.Finding {
		var out []result.Finding
		for _, f := range r.Results {
			if IsProblem(f) {
				out = append(out, f)
			}
		}
		return out
	}
	op, np := problems(old), problems(new)
	match, used := pairProblems(op, np)
	for i, o := range op {
		if j := match[i]; j >= 0 {
			it := diffItem(np[j])
			it.Old, it.New = o.Status, np[j].Status
			d.StillFailing = append(d.StillFailing, it)
			continue
		}
		it := diffItem(o)
		it.Old = o.Status
		c, ok, examined := counterpart(o, new.Results)
		switch {
		case !examined, ok && c.LiveOnly:
			// Nothing judges this rule now: not a fix.
			it.New = c.Status
			d.NotExamined = append(d.NotExamined, it)
			continue
		case !ok:
			// The rule was examined and still has other problems, but
			// not this one: this problem is fixed.
			it.New = result.Pass
		default:
			it.New, it.NewWaived = c.Status, c.Waived()
		}
		d.Fixed = append(d.Fixed, it)
	}
	for j, n := range np {
		if used[j] {
			continue
		}
		it := diffItem(n)
		it.New = n.Status
		c, ok, _ := counterpart(n, old.Results)
		if ok {
			it.Old, it.OldWaived = c.Status, c.Waived()
			if c.LiveOnly {
				it.Old = ""
			}
		}
		if it.Old == result.Pass {
			d.Regressed = append(d.Regressed, it)
		} else {
			d.New = append(d.New, it)
		}
	}
	for _, l := range []*[]DiffItem{&d.Fixed, &d.Regressed, &d.New, &d.StillFailing, &d.NotExamined} {
		items := *l
		sort.SliceStable(items, func(i, j int) bool {
			a, b := items[i], items[j]
			if a.Rule != b.Rule {
				return a.Rule < b.Rule
			}
			if a.Source != b.Source {
				return a.Source < b.Source
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			if a.Item != b.Item {
				return a.Item < b.Item
			}
			return a.Message < b.Message
		})
		if items == nil {
			*l = []DiffItem{}
		}
	}
	return d
}

// Failing reports whether the diff should fail a pull request: something
// regressed, or a new finding fails or could not be evaluated.
func (d Diff) Failing() bool {
	if len(d.Regressed) > 0 {
		return true
	}
	for _, it := range d.New {
		if it.New == result.Fail || it.New == result.Error {
			return true
		}
	}
	return false
}

// DiffState names one side of a diff entry in lang, the same words in
// every format: "conforme", "échec", "sous dérogation"…; an empty status is
// "non examinée" (no finding of the rule on that side).
func DiffState(s result.Status, waived bool, lang string) string {
	if waived {
		return pick(lang, "sous dérogation", "waived")
	}
	switch s {
	case "":
		return pick(lang, "non examinée", "not examined")
	case result.Pass:
		return pick(lang, "conforme", "pass")
	case result.Fail:
		return pick(lang, "échec", "fail")
	case result.Warn:
		return pick(lang, "alerte", "warning")
	case result.Skip:
		return pick(lang, "sans objet", "not applicable")
	case result.Error:
		return pick(lang, "erreur", "error")
	case result.NotEvaluated:
		return pick(lang, "non évaluée", "not evaluated")
	}
	return string(s)
}

// DiffChange is an entry's change, "échec → conforme", the same in text
// and Markdown (and the web page): a new problem with nothing before it is
// its status alone; what is no longer examined reads "→ non examinée".
func DiffChange(it DiffItem, notExamined bool, lang string) string {
	newer := DiffState(it.New, it.NewWaived, lang)
	if notExamined {
		newer = DiffState("", false, lang)
	}
	if it.Old == "" && !it.OldWaived {
		return newer
	}
	return DiffState(it.Old, it.OldWaived, lang) + " → " + newer
}

// WriteDiff renders a diff as text, md or json.
func WriteDiff(w io.Writer, d Diff, format, lang string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	}
	if format != "text" && format != "md" {
		return fmt.Errorf("diff --format %q: expected text, md or json", format)
	}
	md := format == "md"
	var b strings.Builder
	verdicts := fmt.Sprintf("%s → %s", VerdictLabel(d.OldVerdict, lang), VerdictLabel(d.NewVerdict, lang))
	if md {
		fmt.Fprintf(&b, "## %s\n\n**%s %s**\n", pick(lang, "Évolution de la conformité", "Conformity changes"), pick(lang, "Verdict :", "Verdict:"), verdicts)
	} else {
		fmt.Fprintf(&b, "%s %s\n", pick(lang, "Verdict :", "Verdict:"), verdicts)
	}
	section := func(fr, en string, items []DiffItem, notExamined bool) {
		title := fmt.Sprintf("%s (%d)", pick(lang, fr, en), len(items))
		if md {
			fmt.Fprintf(&b, "\n### %s\n\n", title)
		} else {
			fmt.Fprintf(&b, "\n%s\n", title)
		}
		for _, it := range items {
			msg := it.Message
			if lang == "en" && it.MessageEN != "" {
				msg = it.MessageEN
			}
			loc := it.Source
			if it.Line > 0 {
				loc = fmt.Sprintf("%s:%d", loc, it.Line)
			}
			change := DiffChange(it, notExamined, lang)
			sev := SeverityLabel(it.Severity, lang)
			if md {
				fmt.Fprintf(&b, "- **%s** (%s, %s) %s", it.Rule, sev, change, mdEscape(Scrub(msg)))
				if loc != "" {
					fmt.Fprintf(&b, " — `%s`", strings.ReplaceAll(StripControls(loc), "`", "'"))
				}
				b.WriteString("\n")
			} else {
				fmt.Fprintf(&b, "  %s [%s] %s%s %s", it.Rule, sev, change, pick(lang, " :", ":"), Scrub(msg))
				if loc != "" {
					fmt.Fprintf(&b, " (%s)", StripControls(loc))
				}
				b.WriteString("\n")
			}
		}
	}
	section("Régressions", "Regressed", d.Regressed, false)
	section("Nouveaux problèmes", "New problems", d.New, false)
	section("Corrigés", "Fixed", d.Fixed, false)
	section("Toujours en échec", "Still failing", d.StillFailing, false)
	if len(d.NotExamined) > 0 {
		section("Plus examinés (ni corrigés ni en échec)", "No longer examined (neither fixed nor failing)", d.NotExamined, true)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
