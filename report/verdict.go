package report

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// This file says the verdict in words, the same in every format: why (one
// sentence), the audit's scope and its coverage, counts per rule.

// plural picks the singular for 0 and 1, as French does.
func plural(n int, one, many string) string {
	if n <= 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// joinFR joins items as French does: "a, b et c".
func joinFR(items []string, lang string) string {
	and := pick(lang, " et ", " and ")
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + and + items[len(items)-1]
}

// ruleList names up to max rules, then "…".
func ruleList(ids []string, max int) string {
	if len(ids) > max {
		return strings.Join(ids[:max], ", ") + "…"
	}
	return strings.Join(ids, ", ")
}

// coverage counts the rules of a run: applicable (every rule not sans
// objet), evaluated (decided: pass, fail, warn, waived) and live-only
// (left to an audit en ligne).
type coverage struct {
	Applicable, Evaluated, LiveOnly int
}

func coverageOf(r *result.Result) coverage {
	var c coverage
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if o.State == result.RuleSkip {
			continue
		}
		c.Applicable++
		switch o.State {
		case result.RulePass, result.RuleFail, result.RuleWarn, result.RuleWaived:
			c.Evaluated++
		}
		if o.LiveOnly {
			c.LiveOnly++
		}
	}
	return c
}

// CoverageText says "N règles évaluées sur M".
func CoverageText(r *result.Result, lang string) string {
	c := coverageOf(r)
	s := pick(lang,
		fmt.Sprintf("%s sur %d applicables", plural(c.Evaluated, "règle évaluée", "règles évaluées"), c.Applicable),
		fmt.Sprintf("%d of %d applicable rules evaluated", c.Evaluated, c.Applicable))
	if c.LiveOnly > 0 {
		s += pick(lang,
			fmt.Sprintf(" (dont %s en ligne seulement)", plural(c.LiveOnly, "vérifiable", "vérifiables")),
			fmt.Sprintf(" (%d can only be checked live)", c.LiveOnly))
	}
	return s
}

// ScopeText names the audit's scope.
func ScopeText(scope, lang string) string {
	switch scope {
	case result.ScopeSurPieces:
		return pick(lang, "audit sur pièces (copies enregistrées)", "audit of saved copies")
	case result.ScopeEnLigne:
		return pick(lang, "audit en ligne (pages consultées sur le site)", "live audit (pages fetched from the site)")
	case result.ScopeMixte:
		return pick(lang, "audit en partie en ligne, en partie sur pièces", "partly live, partly on saved copies")
	}
	return ""
}

var sevWordsFR = map[result.Severity][2]string{
	result.Bloquant: {"bloquante", "bloquantes"},
	result.Majeur:   {"majeure", "majeures"},
	result.Mineur:   {"mineure", "mineures"},
	result.Info:     {"d'information", "d'information"},
}

// FailedRulesText says the rules broken per severity, counted per rule:
// "1 bloquante, 2 majeures" ("aucune" when none).
func FailedRulesText(s result.Summary, lang string) string {
	var parts []string
	for _, sev := range []result.Severity{result.Bloquant, result.Majeur, result.Mineur, result.Info} {
		n := s.RulesFailBySeverity[sev]
		if n == 0 {
			continue
		}
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev.Label(lang)))
		} else {
			parts = append(parts, plural(n, sevWordsFR[sev][0], sevWordsFR[sev][1]))
		}
	}
	if len(parts) == 0 {
		return pick(lang, "aucune", "none")
	}
	return strings.Join(parts, ", ")
}

// FailedRulesLine says the rules broken per severity, counted per rule,
// for a reader: the rules about the ENT ("1 bloquante, 2 majeures",
// "aucune sur l'ENT"), then the rule that finds pieces missing, said
// apart (it makes the dossier incomplet, it says nothing of the ENT), so
// that the line agrees with the verdict's sentence.
func FailedRulesLine(r *result.Result, lang string) string {
	var pieces []string
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if o.State == result.RuleFail && o.Pieces {
			pieces = append(pieces, o.Rule+", "+sevWord(o.Severity, lang))
		}
	}
	line := FailedRulesText(entFailures(r), lang)
	if len(pieces) == 0 {
		return line
	}
	if line == pick(lang, "aucune", "none") {
		line = pick(lang, "aucune sur l'ENT", "none about the ENT")
	}
	return line + pick(lang, " ; le dossier est incomplet (", "; the dossier is incomplete (") + strings.Join(pieces, " ; ") + ")"
}

// sevWord is a rule's severity as an adjective ("majeure", "major").
func sevWord(s result.Severity, lang string) string {
	if lang == "en" {
		return s.Label(lang)
	}
	return sevWordsFR[s][0]
}

// LiveOnlyNote is the sentence the verdict box of a conformant audit sur
// pièces carries: the rules it did not examine because only an audit en
// ligne can (the rules with a LiveOnly text), so that nobody signs
// without seeing it. It is empty for other verdicts and when every rule
// was examined.
func LiveOnlyNote(r *result.Result, lang string) string {
	switch r.Verdict {
	case result.Conforme, result.ConformeAvecReserves, result.ConformeSousDerogation:
	default:
		return ""
	}
	var live []string
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if !o.LiveOnly {
			continue
		}
		item := o.Rule
		if rl, ok := rules.Lookup(o.Rule); ok {
			item += " (" + lowerFirst(rl.Title.In(lang)) + ")"
		}
		live = append(live, item)
	}
	switch len(live) {
	case 0:
		return ""
	case 1:
		return pick(lang, "Règle non examinée, car seul un audit en ligne peut en juger : ", "Rule not examined, as only a live audit can judge it: ") + live[0] + "."
	}
	return pick(lang, "Règles non examinées, car seul un audit en ligne peut en juger : ", "Rules not examined, as only a live audit can judge them: ") + joinFR(live, lang) + "."
}

// ruleStateWords names a rule state for counts ("1 règle non évaluée").
var ruleStateWords = map[result.RuleState][3]string{
	result.RuleFail:         {"non respectée", "non respectées", "broken"},
	result.RuleError:        {"illisible", "illisibles", "unreadable"},
	result.RuleNotEvaluated: {"non évaluée", "non évaluées", "not evaluated"},
	result.RuleReview:       {"à vérifier", "à vérifier", "to review"},
	result.RuleWaived:       {"sous dérogation", "sous dérogation", "waived"},
	result.RuleWarn:         {"avec alerte", "avec alerte", "with a warning"},
	result.RulePass:         {"respectée", "respectées", "respected"},
	result.RuleSkip:         {"sans objet", "sans objet", "not applicable"},
}

// RuleCountsText lists the rules per state, worst first, those with a
// count; the rules only an audit en ligne can judge are said apart.
func RuleCountsText(r *result.Result, lang string) string {
	s := r.Summary
	live := coverageOf(r).LiveOnly
	var parts []string
	for _, st := range result.RuleStateOrder {
		n := s.Rules[st]
		if st == result.RuleNotEvaluated && live > 0 {
			n -= live
			if n > 0 {
				parts = append(parts, pick(lang, plural(n, "non évaluée", "non évaluées"), fmt.Sprintf("%d not evaluated", n)))
			}
			parts = append(parts, pick(lang, plural(live, "vérifiable en ligne seulement", "vérifiables en ligne seulement"), fmt.Sprintf("%d live only", live)))
			continue
		}
		if n <= 0 {
			continue
		}
		w := ruleStateWords[st]
		if lang == "en" {
			parts = append(parts, fmt.Sprintf("%d %s", n, w[2]))
		} else {
			parts = append(parts, plural(n, w[0], w[1]))
		}
	}
	return strings.Join(parts, ", ")
}

// WhyText is the one sentence that says why the verdict is what it is.
func WhyText(r *result.Result, lang string) string {
	var failed, missing, review, unread []string
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		blocking := o.Severity.Blocking()
		switch {
		case o.NonConformity() && blocking:
			failed = append(failed, o.Rule)
		case o.Pieces && (o.State == result.RuleFail || o.State == result.RuleWaived):
		case !blocking:
		case o.State == result.RuleNotEvaluated && !o.LiveOnly:
			missing = append(missing, o.Rule)
		case o.State == result.RuleReview:
			review = append(review, o.Rule)
		case o.State == result.RuleError:
			unread = append(unread, o.Rule)
		}
	}
	switch r.Verdict {
	case result.NonConforme:
		return pick(lang,
			fmt.Sprintf("Des règles bloquantes ou majeures ne sont pas respectées (%s : %s) et aucune dérogation en vigueur ne les couvre.", FailedRulesText(entFailures(r), lang), ruleList(failed, 8)),
			fmt.Sprintf("Blocking or major rules are broken (%s: %s) and no waiver in force covers them.", FailedRulesText(entFailures(r), lang), ruleList(failed, 8)))
	case result.Incomplet:
		var why, whyEN []string
		if pieces := missingPieces(r, "fr"); pieces != "" {
			if strings.Contains(pieces, ", ") {
				why = append(why, "des pièces manquent ("+pieces+")")
			} else {
				why = append(why, "une pièce manque ("+pieces+")")
			}
			// The English list names the manifest keys: the sentence keeps
			// the pieces' names only.
			en := missingPieces(r, "en")
			if strings.Contains(en, ", ") {
				whyEN = append(whyEN, "pieces are missing ("+en+")")
			} else {
				whyEN = append(whyEN, "a piece is missing ("+en+")")
			}
		}
		if len(missing) > 0 {
			why = append(why, plural(len(missing), "règle bloquante ou majeure n'a pas été évaluée", "règles bloquantes ou majeures n'ont pas été évaluées"))
			whyEN = append(whyEN, fmt.Sprintf("%d blocking or major rules were not evaluated", len(missing)))
		}
		if len(unread) > 0 {
			why = append(why, fmt.Sprintf("%s (%s)", plural(len(unread), "règle bloquante ou majeure n'a pas pu être évaluée, sa pièce étant illisible", "règles bloquantes ou majeures n'ont pas pu être évaluées, leur pièce étant illisible"), ruleList(unread, 4)))
			whyEN = append(whyEN, fmt.Sprintf("%d blocking or major rules could not be evaluated (unreadable piece)", len(unread)))
		}
		if len(review) > 0 {
			why = append(why, fmt.Sprintf("%s (%s)", plural(len(review), "règle bloquante ou majeure reste à vérifier", "règles bloquantes ou majeures restent à vérifier"), ruleList(review, 4)))
			whyEN = append(whyEN, fmt.Sprintf("%d blocking or major rules are left to a human check (%s)", len(review), ruleList(review, 4)))
		}
		return pick(lang,
			"Dossier incomplet : "+joinFR(why, lang)+" ; aucune règle bloquante ou majeure examinée sur l'ENT n'est en défaut, mais sa conformité ne peut pas être attestée.",
			"Incomplete dossier: "+joinFR(whyEN, lang)+"; no examined blocking or major rule about the ENT is broken, but its conformity cannot be attested.")
	case result.ConformeSousDerogation:
		return pick(lang,
			fmt.Sprintf("Toutes les règles bloquantes et majeures du périmètre ont été examinées ; les écarts constatés (%s) sont couverts par une dérogation en vigueur.", ruleList(waivedRules(r), 6)),
			fmt.Sprintf("Every blocking and major rule in scope was examined; the gaps found (%s) are covered by a waiver in force.", ruleList(waivedRules(r), 6)))
	case result.ConformeAvecReserves:
		return pick(lang,
			"Toutes les règles bloquantes et majeures du périmètre ont été examinées et sont respectées ; des points mineurs ou des alertes restent à traiter.",
			"Every blocking and major rule in scope was examined and holds; minor points or warnings remain.")
	}
	return pick(lang,
		"Toutes les règles bloquantes et majeures du périmètre ont été examinées et sont respectées.",
		"Every blocking and major rule in scope was examined and holds.")
}

// entFailures counts the broken rules about the ENT (the rule that finds
// pieces missing aside) per severity.
func entFailures(r *result.Result) result.Summary {
	s := result.Summary{RulesFailBySeverity: map[result.Severity]int{}}
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if o.State == result.RuleFail && !o.Pieces {
			s.RulesFailBySeverity[o.Severity]++
		}
	}
	return s
}

// manifestKeyRe is a manifest key in parentheses, " (evidence.notice)".
var manifestKeyRe = regexp.MustCompile(` \(evidence\.([a-z_]+)\)`)

// missingPieces lists the pieces DOSSIER-001 says are missing, in lang,
// from its message ("Pièces manquantes : a ; b. …", "Missing evidence: a
// (evidence.x); b (evidence.y). …").
func missingPieces(r *result.Result, lang string) string {
	for _, f := range r.Results {
		if !rules.Traits.MissingPieces(f.Rule) || f.Status != result.Fail {
			continue
		}
		m, sep := f.Message, " : "
		if lang == "en" && f.MessageEN != "" {
			m, sep = f.MessageEN, ": "
		}
		if i := strings.Index(m, sep); i >= 0 {
			m = m[i+len(sep):]
		}
		// The list ends at the first full stop that ends a sentence (the
		// English one names manifest keys such as evidence.notice).
		if i := strings.Index(m+" ", ". "); i >= 0 {
			m = m[:i]
		}
		m = manifestKeyRe.ReplaceAllString(m, "")
		return strings.ReplaceAll(strings.ReplaceAll(m, " ; ", ", "), "; ", ", ")
	}
	return ""
}

// piecesDetail is the technical detail of the missing pieces' action:
// where ent.yaml declares them (the manifest keys the English message of
// the pieces rule names).
func piecesDetail(r *result.Result, lang string) string {
	for _, f := range r.Results {
		if !rules.Traits.MissingPieces(f.Rule) || f.Status != result.Fail {
			continue
		}
		var keys []string
		for _, m := range manifestKeyRe.FindAllStringSubmatch(f.MessageEN, -1) {
			keys = append(keys, m[1])
		}
		if len(keys) == 0 {
			return ""
		}
		return pick(lang, "déclarer chaque pièce dans ent.yaml, section evidence : ", "declare each piece in ent.yaml, evidence section: ") + strings.Join(keys, ", ") + "."
	}
	return ""
}

func waivedRules(r *result.Result) []string {
	var out []string
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if o.Waived && !o.Pieces {
			out = append(out, o.Rule)
		}
	}
	return out
}

// dérogation in force, one per waiver, for page 1.
type derogationView struct {
	Rule, Scope, GrantedBy, Until, Justification string
	// Delai: a dérogation on the pieces rule, a délai to supply them.
	Delai bool
}

// derogations lists the dérogations in force that cover a finding.
func derogations(r *result.Result, lang string) []derogationView {
	seen := map[string]bool{}
	var out []derogationView
	for _, f := range r.Results {
		w := f.Waiver
		if w == nil {
			continue
		}
		k := w.Rule + "\x00" + w.Scope + "\x00" + w.Expires + "\x00" + w.GrantedBy
		if seen[k] {
			continue
		}
		seen[k] = true
		until := w.Expires
		if t, err := time.Parse("2006-01-02", w.Expires); err == nil {
			until = formatDate(t, lang)
		}
		out = append(out, derogationView{Rule: w.Rule, Scope: w.Scope, GrantedBy: w.GrantedBy, Until: until, Justification: w.Justification, Delai: rules.Traits.MissingPieces(w.Rule)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// DerogationText says one dérogation in a sentence; a dérogation on the
// missing pieces is a délai.
func (d derogationView) Text(lang string) string {
	if d.Delai {
		return pick(lang,
			fmt.Sprintf("Délai accordé par %s jusqu'au %s pour fournir les pièces manquantes : %s Ce délai ne rend pas le dossier complet.", d.GrantedBy, d.Until, endSentence(d.Justification)),
			fmt.Sprintf("Extension granted by %s until %s to supply the missing pieces: %s It does not make the dossier complete.", d.GrantedBy, d.Until, endSentence(d.Justification)))
	}
	return pick(lang,
		fmt.Sprintf("Dérogation à %s accordée par %s jusqu'au %s : %s", d.Rule, d.GrantedBy, d.Until, endSentence(d.Justification)),
		fmt.Sprintf("Waiver of %s granted by %s until %s: %s", d.Rule, d.GrantedBy, d.Until, endSentence(d.Justification)))
}

func endSentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}
