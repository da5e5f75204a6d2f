package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Text writes a terminal summary: the verdict first, then one line per
// finding that is not a pass, then the counts.
type Text struct{}

var verdictText = map[result.Verdict][2]string{
	result.Conforme:               {"CONFORME", "CONFORMANT"},
	result.ConformeAvecReserves:   {"CONFORME AVEC RÉSERVES", "CONFORMANT WITH RESERVATIONS"},
	result.NonConforme:            {"NON CONFORME", "NOT CONFORMANT"},
	result.Incomplet:              {"INCOMPLET", "INCOMPLETE"},
	result.ConformeSousDerogation: {"CONFORME SOUS DÉROGATION", "CONFORMANT UNDER WAIVER"},
}

// VerdictLabel names a verdict in lang.
func VerdictLabel(v result.Verdict, lang string) string {
	if lang == "en" {
		return verdictText[v][1]
	}
	return verdictText[v][0]
}

var statusText = map[result.Status][2]string{
	result.Pass:         {"OK", "PASS"},
	result.Fail:         {"ÉCHEC", "FAIL"},
	result.Warn:         {"ALERTE", "WARN"},
	result.Skip:         {"SANS OBJET", "SKIP"},
	result.Error:        {"ERREUR", "ERROR"},
	result.NotEvaluated: {"NON ÉVALUÉE", "NOT EVALUATED"},
}

// SeverityLabel names a severity for a reader in lang: the JSON values
// (bloquant, majeur…) are the contract and stay French, prose in English
// says blocking, major, minor, info.
func SeverityLabel(s result.Severity, lang string) string { return s.Label(lang) }

// StatusLabel names a status in lang; reviews read "À VÉRIFIER".
func StatusLabel(f result.Finding, lang string) string {
	if f.Waived() {
		return pick(lang, "DÉROGATION", "WAIVED")
	}
	if f.Review {
		return pick(lang, "À VÉRIFIER", "REVIEW")
	}
	if f.LiveOnly {
		return pick(lang, "EN LIGNE SEULEMENT", "LIVE ONLY")
	}
	return pick(lang, statusText[f.Status][0], statusText[f.Status][1])
}

func pick(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// Message returns a finding's message in lang.
func Message(f result.Finding, lang string) string {
	if lang == "en" && f.MessageEN != "" {
		return f.MessageEN
	}
	return f.Message
}

// Title returns a finding's rule title in lang.
func Title(f result.Finding, lang string) string {
	if lang == "en" && f.TitleEN != "" {
		return f.TitleEN
	}
	return f.Title
}

func (Text) Write(w io.Writer, r *result.Result, o Options) error {
	var b strings.Builder
	lang := o.Lang
	fmt.Fprintf(&b, "%s %s\n", pick(lang, "Verdict :", "Verdict:"), VerdictLabel(r.Verdict, lang))
	if note := LiveOnlyNote(r, lang); note != "" {
		fmt.Fprintf(&b, "%s %s\n", pick(lang, "Attention :", "Note:"), note)
	}
	fmt.Fprintf(&b, "%s %s\n", pick(lang, "Pourquoi :", "Why:"), WhyText(r, lang))
	if ps := points(r.Results, lang); len(ps) > 0 {
		fmt.Fprintf(&b, "%s\n", pick(lang, "Demandes de la CNIL :", "The CNIL's demands:"))
		for _, p := range ps {
			fmt.Fprintf(&b, "  %s (%s)%s %s\n", p.Title, p.Rule, colon(lang), p.State)
		}
	}
	if sc := ScopeText(r.Scope, lang); sc != "" {
		fmt.Fprintf(&b, "%s %s — %s\n", pick(lang, "Périmètre :", "Scope:"), sc, CoverageText(r, lang))
	} else {
		fmt.Fprintf(&b, "%s %s\n", pick(lang, "Couverture :", "Coverage:"), CoverageText(r, lang))
	}
	fmt.Fprintf(&b, "%s %s\n", pick(lang, "Règles :", "Rules:"), RuleCountsText(r, lang))
	for _, d := range derogations(r, lang) {
		fmt.Fprintf(&b, "%s %s\n", pick(lang, "Dérogation :", "Waiver:"), StripControls(d.Text(lang)))
	}
	if s := r.Subject; s != nil {
		fmt.Fprintf(&b, "%s %s (%s) — %s — %s — SDET %s\n", pick(lang, "ENT :", "ENT:"), s.ENT, s.Vendor, s.Collectivite, s.Degree, s.SDET)
	}
	lookup := o.lookup()
	width := statusColumn(r.Results, lang)
	written := 0 // findings before this index are written
	for i, f := range r.Results {
		// One unreadable piece makes every rule that needs it an error
		// with the same message: said once, with the rules it leaves
		// unevaluated.
		if i >= written {
			if n := sameError(r.Results[i:], lang); n > 1 {
				writeErrorRun(&b, r.Results[i:i+n], o, width)
				written = i + n
			} else if f.Status != result.Pass && f.Status != result.Skip {
				writeFinding(&b, f, o, width)
			}
		}
		// After a rule's last finding, say what to do (the catalogue's
		// action in plain words, then its technical detail), once per
		// rule that fails or warns.
		if i+1 == len(r.Results) || r.Results[i+1].Rule != f.Rule {
			if rl, ok := lookup(f.Rule); ok && toDo(r.Results, f.Rule) {
				todo, detail := plainAction(rl, lang)
				indent := strings.Repeat(" ", width)
				if todo != "" {
					fmt.Fprintf(&b, "%s %s %s\n", indent, pick(lang, "À faire :", "To do:"), todo)
				}
				if detail != "" {
					fmt.Fprintf(&b, "%s %s %s\n", indent, pick(lang, "Détail technique :", "Technical detail:"), detail)
				}
			}
		}
	}
	for _, n := range notesIn(r.Notes, lang) {
		fmt.Fprintf(&b, "%s %s\n", pick(lang, "Remarque :", "Note:"), StripControls(n))
	}
	writeSummary(&b, r, lang)
	_, err := io.WriteString(w, b.String())
	return err
}

// sameError is how many findings from fs[0] on are errors with the same
// message and evidence (0 when fs[0] is not an error).
func sameError(fs []result.Finding, lang string) int {
	if len(fs) == 0 || fs[0].Status != result.Error || fs[0].Waived() {
		return 0
	}
	n := 1
	for n < len(fs) && fs[n].Status == result.Error && !fs[n].Waived() && Message(fs[n], lang) == Message(fs[0], lang) && sameEvidence(fs[n].Evidence, fs[0].Evidence) {
		n++
	}
	return n
}

func sameEvidence(a, b []result.Evidence) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// writeErrorRun writes once the error several rules share.
func writeErrorRun(b *strings.Builder, fs []result.Finding, o Options, width int) {
	first := fs[0]
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.Rule
	}
	first.Rule = strings.Join(ids, ", ")
	first.Severity = result.Severity(pick(o.Lang, fmt.Sprintf("%d règles non évaluées", len(fs)), fmt.Sprintf("%d rules not evaluated", len(fs))))
	writeFinding(b, first, o, width)
}

// statusWidth is the least visible width of the status column of the
// text report.
const statusWidth = 10

// statusColumn is the width of the status column of a text report: the
// longest status label it prints ("NON ÉVALUÉE", "EN LIGNE SEULEMENT"),
// so that the rule identifiers line up.
func statusColumn(fs []result.Finding, lang string) int {
	w := statusWidth
	for _, f := range fs {
		if f.Status == result.Pass || f.Status == result.Skip {
			continue
		}
		w = max(w, utf8.RuneCountInString(StatusLabel(f, lang)))
	}
	return w
}

// writeFinding writes a finding that is not a pass, with its evidence;
// width is the status column's.
func writeFinding(b *strings.Builder, f result.Finding, o Options, width int) {
	lang := o.Lang
	{
		// The status column is padded on the label's visible width, then
		// coloured: the colour codes take no column.
		label := StatusLabel(f, lang)
		width := max(width, statusWidth)
		indent := strings.Repeat(" ", width+1)
		pad := ""
		if n := width - utf8.RuneCountInString(label); n > 0 {
			pad = strings.Repeat(" ", n)
		}
		if o.Color {
			label = colour(f) + label + "\x1b[0m"
		}
		fmt.Fprintf(b, "%s%s %s [%s] %s\n", label, pad, f.Rule, SeverityLabel(f.Severity, lang), StripControls(textMessage(f, lang)))
		for _, e := range f.Evidence {
			loc := e.Source
			if e.Line > 0 {
				loc = fmt.Sprintf("%s:%d", loc, e.Line)
			}
			if e.Excerpt != "" {
				loc += "  " + Scrub(e.Excerpt)
			}
			if loc != "" {
				// Multi-line excerpts (e.g. a notice diff) stay indented.
				loc = strings.ReplaceAll(strings.TrimRight(StripControls(loc), "\n"), "\n", "\n"+indent+"  ")
				fmt.Fprintf(b, "%s↳ %s\n", indent, loc)
			}
		}
	}
}

// writeSummary writes the counts.
func writeSummary(b *strings.Builder, r *result.Result, lang string) {
	s := r.Summary
	if lang == "en" {
		fmt.Fprintf(b, "Summary (findings): %d ok, %d failed, %d warnings, %d n/a, %d errors, %d not evaluated", s.Pass, s.Fail, s.Warn, s.Skip, s.Error, s.NotEvaluated)
		if s.Waived > 0 {
			fmt.Fprintf(b, ", %d waived", s.Waived)
		}
		fmt.Fprintf(b, " — rules broken: %s\n", FailedRulesLine(r, lang))
		return
	}
	parts := []string{plural(s.Pass, "conforme", "conformes"), plural(s.Fail, "échec", "échecs"), plural(s.Warn, "alerte", "alertes"),
		fmt.Sprintf("%d sans objet", s.Skip), plural(s.Error, "erreur", "erreurs"), plural(s.NotEvaluated, "non évalué", "non évalués")}
	if s.Waived > 0 {
		parts = append(parts, fmt.Sprintf("%d sous dérogation", s.Waived))
	}
	fmt.Fprintf(b, "Bilan des constats : %s — règles non respectées : %s\n", strings.Join(parts, ", "), FailedRulesLine(r, lang))
}

// toDo reports whether rule has an unwaived fail or warning in fs.
func toDo(fs []result.Finding, rule string) bool {
	for _, f := range fs {
		if f.Rule == rule && !f.Waived() && (f.Status == result.Fail || f.Status == result.Warn) {
			return true
		}
	}
	return false
}

func colour(f result.Finding) string {
	switch {
	case f.Waived():
		return "\x1b[36m"
	case f.Status == result.Fail:
		return "\x1b[31m"
	case f.Status == result.Error:
		return "\x1b[35m"
	}
	return "\x1b[33m"
}

// textMessage is a finding's message in the text report: in French, the
// technical detail quoted from a library is said to be in English; the
// English message keeps the manifest keys it names (the text report is
// also the vendor's).
func textMessage(f result.Finding, lang string) string {
	if lang == "en" {
		return Message(f, lang)
	}
	return technicalFR.Replace(Message(f, lang))
}
