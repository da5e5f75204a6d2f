package report

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks/areas"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// This file builds the document model shared by the human-readable reports
// (HTML, Markdown, PDF): the first page (verdict, counts, subject, what to
// ask the vendor, what to check by hand), one section per area, inputs.

// AreaTitle names an area in lang (its descriptor's title; an area
// unknown to this version of sdetcheck by its ID).
func AreaTitle(a rules.Area, lang string) string {
	d, ok := areas.Lookup(a)
	if !ok {
		return string(a)
	}
	return d.Title.In(lang)
}

var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})`)
	// dmyRe is a French-style date (dd/mm/yyyy), the usual form of a birth
	// date in school directories.
	dmyRe = regexp.MustCompile(`\b([0-3]?[0-9])[/.]([01]?[0-9])[/.]((?:19|20)[0-9]{2})\b`)
)

// Scrub is the writers' last-resort guard on evidence excerpts: checks mask
// personal data already, but an e-mail address or a dd/mm/yyyy date that
// slipped through is masked here (local part and day/month hidden).
func Scrub(s string) string {
	s = StripControls(s)
	s = emailRe.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "***@") {
			return m
		}
		return "***@" + emailRe.FindStringSubmatch(m)[1]
	})
	return dmyRe.ReplaceAllString(s, "**/**/$3")
}

// StripControls replaces control characters other than newline and tab
// (ANSI escape sequences from a hostile page could drive the reader's
// terminal) by U+FFFD.
func StripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// evidenceView is one piece of evidence, ready to print.
type evidenceView struct {
	Location string // source[:line[:column]]
	Source   string
	Line     int
	Excerpt  string // scrubbed
}

// findingView is one finding, ready to print in the chosen language.
type findingView struct {
	Rule        string
	Status      string // label: OK, ÉCHEC, À VÉRIFIER, DÉROGATION…
	Class       string // pass, fail, warn, review, skip, error, waived
	Severity    string
	Title       string
	Message     string
	Reference   string
	Remediation string // only when something is to be done: in plain words
	Detail      string // the technical detail of Remediation, for the vendor
	Evidence    []evidenceView
	Waiver      string
	LiveOnly    bool
}

// askView is one line of "what to ask the vendor" or "what to check".
type askView struct {
	Rule     string
	Severity string
	Title    string
	Text     string // what must be done, in plain words
	Detail   string // the technical detail, for the vendor ("" when none)
	Who      string
	Deadline string
}

type areaView struct {
	Title    string
	Anchor   string
	Method   string
	Rules    []ruleRow
	Groups   []grouped
	Findings []findingView
	// Checklist is the checklist of the items the area's rules check one
	// by one (the notice's art. 13/14 items, the contract's clauses, the
	// accessibility statement's items),
	// under ChecklistTitle.
	Checklist      []checkRow
	ChecklistTitle string
	// Parties are the sub-processors the area's findings name (declared
	// in the contract, used by the ENT), Hosting where the ENT's servers
	// are.
	Parties []partyRow
	Hosting []hostRow
}

type countView struct {
	Label string
	N     int
}

// docView is the whole report.
type docView struct {
	Lang         string
	Heading      string
	Verdict      string
	VerdictClass string
	VerdictNote  string // the rules a conformant audit sur pièces did not examine

	Subject        [][2]string // label, value
	Date           string
	Severities     []countView
	Statuses       []countView
	Asks           []askView
	Reviews        []askView
	Areas          []areaView
	Inputs         []result.Input
	Notes          []string
	Representative string
	Collectivite   string
	ENT            string
	Vendor         string

	Why string
	// Points are what the first page names first: the CNIL's demands
	// and their state (rules.Rule.Points).
	Points      []pointView
	Scope       string
	Coverage    string
	RuleCounts  string
	FailedRules string
	Derogations []string
	Bars        []barView
	Limits      []string
	Fingerprint string
	Glossary    [][2]string
	SevLegend   [][2]string
	VerdLegend  [][2]string
	Ident       [][2]string
}

var monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// reportDate returns the report's date: generated_at when the result has
// one, else o.Date; empty when neither is known.
func reportDate(r *result.Result, o Options) (time.Time, bool) {
	if r.GeneratedAt != "" {
		if t, err := time.Parse(time.RFC3339, r.GeneratedAt); err == nil {
			return t.UTC(), true
		}
	}
	if !o.Date.IsZero() {
		return o.Date.UTC(), true
	}
	return time.Time{}, false
}

func formatDate(t time.Time, lang string) string {
	if lang == "en" {
		return t.Format("2 January 2006")
	}
	d := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		d = "1er"
	}
	return fmt.Sprintf("%s %s %d", d, monthsFR[t.Month()-1], t.Year())
}

func statusClass(f result.Finding) string {
	switch {
	case f.Waived():
		return "waived"
	case f.Review && f.Status == result.Warn:
		return "review"
	}
	return string(f.Status)
}

func location(e result.Evidence) string {
	loc := e.Source
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, e.Line)
		if e.Column > 0 {
			loc = fmt.Sprintf("%s:%d", loc, e.Column)
		}
	}
	return loc
}

// WaiverText describes a waiver in lang.
func WaiverText(w *result.Waiver, lang string) string {
	if w == nil {
		return ""
	}
	until := w.Expires
	if t, err := time.Parse("2006-01-02", w.Expires); err == nil {
		until = formatDate(t, lang)
	}
	if lang == "en" {
		return fmt.Sprintf("Waived by %s until %s: %s", w.GrantedBy, until, w.Justification)
	}
	return fmt.Sprintf("Dérogation accordée par %s jusqu'au %s : %s", w.GrantedBy, until, w.Justification)
}

func viewFinding(f result.Finding, lang string, lookup func(string) (*rules.Rule, bool)) findingView {
	v := findingView{
		Rule: f.Rule, Status: StatusLabel(f, lang), Class: statusClass(f),
		Severity: SeverityLabel(f.Severity, lang), Title: Title(f, lang), Message: readerMessage(f, lang),
		Waiver: WaiverText(f.Waiver, lang), LiveOnly: f.LiveOnly,
	}
	if r, ok := lookup(f.Rule); ok {
		v.Reference = referenceText(r, lang)
		if v.Title == "" {
			v.Title = r.Title.In(lang)
		}
		if f.Status == result.Fail || f.Status == result.Warn || f.Status == result.Error {
			v.Remediation, v.Detail = plainAction(r, lang)
		}
	}
	for _, e := range f.Evidence {
		excerpt := Scrub(e.Excerpt)
		if locatorRe.MatchString(excerpt) {
			// The response's place in a capture (log.entries[1]): the
			// message says it in words ("entrée 2 du HAR").
			excerpt = ""
		}
		v.Evidence = append(v.Evidence, evidenceView{Location: StripControls(location(e)), Source: StripControls(e.Source), Line: e.Line, Excerpt: excerpt})
	}
	return v
}

// locatorRe is an SSO finding's evidence excerpt: the place of a response
// in a capture, in the capture's own terms.
var locatorRe = regexp.MustCompile(`^(log\.entries|requests)\[[0-9]+\]$`)

// plainAction is what a rule asks when it fails, in plain words, and its
// technical detail (the remediation): a rule without a plain text gives
// its remediation alone.
func plainAction(r *rules.Rule, lang string) (text, detail string) {
	text, detail = r.Action.In(lang), r.Remediation.In(lang)
	if text == "" {
		return detail, ""
	}
	return text, detail
}

// readerMessage is a finding's message for the document formats: the
// English messages name the manifest keys of missing pieces
// ("login page (evidence.login_page)"), which a reader does not need; in
// French, the technical detail a message quotes from a library or a
// validator is said to be in English, so that the French sentence before
// it stands on its own.
func readerMessage(f result.Finding, lang string) string {
	m := Message(f, lang)
	if lang == "en" {
		return manifestKeyRe.ReplaceAllString(m, "")
	}
	return technicalFR.Replace(m)
}

// technicalFR marks as English the technical details French messages
// quote (input.French, the XSD validators' messages).
var technicalFR = strings.NewReplacer(
	"(détail technique : ", "(détail technique en anglais : ",
	"(détail technique du validateur : ", "(détail technique du validateur, en anglais : ",
)

// needsAction reports whether a finding goes into "what to ask the vendor".
// A failure under a dérogation still asks for its fix, by the end of the
// dérogation (for DOSSIER-001, a délai: the pieces are still due).
func needsAction(f result.Finding) bool {
	if f.Review {
		return false
	}
	return f.Status == result.Fail || f.Status == result.Warn || f.Status == result.Error
}

// notesIn keeps a bilingual note's half in lang: checks write run notes as
// "French. / English.".
func notesIn(notes []string, lang string) []string {
	var out []string
	for _, n := range notes {
		if fr, en, ok := strings.Cut(n, ". / "); ok {
			n = pick(lang, fr+".", en)
		}
		out = append(out, n)
	}
	return out
}

// buildView assembles the report model.
func buildView(r *result.Result, o Options) docView {
	lang := o.Lang
	if lang != "en" {
		lang = "fr"
	}
	lookup := o.lookup()
	v := docView{
		Lang:         lang,
		Heading:      pick(lang, "Rapport de conformité de l'ENT", "ENT conformity report"),
		Verdict:      VerdictLabel(r.Verdict, lang),
		VerdictClass: string(r.Verdict),
		VerdictNote:  LiveOnlyNote(r, lang),
		Notes:        notesIn(r.Notes, lang),
		Inputs:       r.Inputs,
	}
	if t, ok := reportDate(r, o); ok {
		v.Date = formatDate(t, lang)
	}
	v.Why = WhyText(r, lang)
	v.Points = points(r.Results, lang)
	v.Scope = ScopeText(r.Scope, lang)
	if d := piecesDate(r, lang); d != "" && v.Scope != "" {
		v.Scope += pick(lang, " ; pièces : ", "; pieces: ") + d
	}
	v.Coverage = CoverageText(r, lang)
	v.RuleCounts = RuleCountsText(r, lang)
	v.FailedRules = FailedRulesLine(r, lang)
	for _, d := range derogations(r, lang) {
		v.Derogations = append(v.Derogations, d.Text(lang))
	}
	v.Bars = bars(r, lang)
	v.Limits = limitsText(r, lang)
	v.Fingerprint = fingerprintSentence(lang)
	for _, g := range glossary {
		fr, en, found := strings.Cut(g[0], "|")
		if !found {
			en = fr
		}
		v.Glossary = append(v.Glossary, [2]string{pick(lang, fr, en), pick(lang, g[1], g[2])})
	}
	for _, g := range severityLegend {
		fr, en, found := strings.Cut(g[0], "|")
		if !found {
			en = fr // "info" in both languages
		}
		v.SevLegend = append(v.SevLegend, [2]string{pick(lang, fr, en), pick(lang, g[1], g[2])})
	}
	for _, g := range verdictLegend {
		v.VerdLegend = append(v.VerdLegend, [2]string{VerdictLabel(verdictByLabel[g[0]], lang), pick(lang, g[1], g[2])})
	}
	add := func(fr, en, val string) {
		if val != "" {
			v.Subject = append(v.Subject, [2]string{pick(lang, fr, en), val})
		}
	}
	if s := r.Subject; s != nil {
		add("ENT", "ENT", s.ENT)
		add("Éditeur", "Vendor", s.Vendor)
		add("Collectivité", "Local authority", s.Collectivite)
		add("Degré", "Degree", degreeText(s.Degree, lang))
		add("Version du SDET", "SDET version", s.SDET)
		v.Representative, v.Collectivite = s.Representative, s.Collectivite
		v.ENT, v.Vendor = s.ENT, s.Vendor
	}
	identAdd := func(fr, en, val string) {
		if val != "" {
			v.Ident = append(v.Ident, [2]string{pick(lang, fr, en), val})
		}
	}
	if s := r.Subject; s != nil {
		identAdd("ENT", "ENT", s.ENT)
		identAdd("Adresse de l'ENT", "ENT address", s.URL)
		identAdd("Éditeur", "Vendor", s.Vendor)
		identAdd("Collectivité", "Local authority", s.Collectivite)
		identAdd("Représentant de la collectivité", "Representative", s.Representative)
		identAdd("Convention avec la DSDEN", "Convention with the DSDEN", s.Convention)
		identAdd("Degré", "Degree", degreeText(s.Degree, lang))
		identAdd("Version du SDET déclarée par le dossier", "SDET version declared by the dossier", s.SDET)
	}
	identAdd("Périmètre de l'audit", "Audit scope", v.Scope)
	identAdd("Catalogue de règles", "Rule catalogue", r.Catalogue.Version)
	identAdd("Outil", "Tool", strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version))
	identAdd("Date de l'audit", "Audit date", v.Date)
	if s := r.Subject; s != nil {
		identAdd("Audit réalisé par", "Audit run by", s.Auditor)
	}
	add("Catalogue de règles", "Rule catalogue", r.Catalogue.Version)
	add("Outil", "Tool", strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version))
	add("Date", "Date", v.Date)
	s := r.Summary
	for _, sev := range []result.Severity{result.Bloquant, result.Majeur, result.Mineur, result.Info} {
		v.Severities = append(v.Severities, countView{SeverityLabel(sev, lang), s.FailBySeverity[sev]})
	}
	v.Statuses = []countView{
		{pick(lang, "conformes", "passed"), s.Pass},
		{pick(lang, "non conformes", "failed"), s.Fail},
		{pick(lang, "alertes et à vérifier", "warnings and reviews"), s.Warn},
		{pick(lang, "sous dérogation", "waived"), s.Waived},
		{pick(lang, "non évaluées (erreur)", "not evaluated (error)"), s.Error},
		{pick(lang, "sans objet", "not applicable"), s.Skip},
	}
	// What to ask the vendor: one line per rule, most severe first.
	// An unreadable piece of evidence leaves every rule of its area "not
	// evaluated" with the same error: ask once for it, naming the rules.
	asked := map[string]int{} // key → index in acts
	errRules := map[string][]string{}
	var acts []result.Finding
	for _, f := range r.Results {
		if !needsAction(f) {
			continue
		}
		key := f.Rule
		if f.Status == result.Error {
			key = "error\x00" + f.MessageEN
			errRules[key] = append(errRules[key], f.Rule)
		}
		i, ok := asked[key]
		switch {
		case !ok:
			asked[key] = len(acts)
			acts = append(acts, f)
		case f.Severity.Rank() > acts[i].Severity.Rank():
			// The group ranks as its most severe rule.
			acts[i].Severity = f.Severity
		}
	}
	sort.SliceStable(acts, func(i, j int) bool {
		a, b := acts[i], acts[j]
		if ra, rb := actionRank(a), actionRank(b); ra != rb {
			return ra > rb
		}
		return a.Rule < b.Rule
	})
	for _, f := range acts {
		a := askView{Rule: f.Rule, Severity: SeverityLabel(f.Severity, lang), Title: Title(f, lang), Who: whoActs(f, lang), Deadline: o.deadline(f.Severity, lang)}
		if f.Waiver != nil {
			until := f.Waiver.Expires
			if t, err := time.Parse("2006-01-02", until); err == nil {
				until = formatDate(t, lang)
			}
			a.Deadline = pick(lang, "fin de la dérogation, le ", "end of the waiver, ") + until
		}
		if rl, ok := lookup(f.Rule); ok {
			a.Text, a.Detail = plainAction(rl, lang)
			if a.Title == "" {
				a.Title = rl.Title.In(lang)
			}
		}
		switch {
		case f.Status == result.Error:
			msg := strings.TrimPrefix(strings.TrimPrefix(readerMessage(f, lang), "Non évalué : "), "Not evaluated: ")
			a.Text, a.Detail = pick(lang, "Fournir une pièce lisible : ", "Provide readable evidence: ")+msg, ""
			if rs := errRules["error\x00"+f.MessageEN]; len(rs) > 1 {
				a.Rule = rs[0] + "…" + rs[len(rs)-1]
				a.Title = fmt.Sprintf(pick(lang, "%d règles non évaluées", "%d rules not evaluated"), len(rs))
			}
		case a.Text == "":
			// A rule missing from the catalogue: say what is wrong at least.
			a.Text = readerMessage(f, lang)
		}
		switch {
		case f.Waiver == nil && rules.Traits.MissingPieces(f.Rule) && f.Status == result.Fail:
			p := missingPieces(r, lang)
			a.Text = pick(lang, "Fournir la pièce manquante (la demander à l'éditeur au besoin) : ", "Supply the missing piece (ask the vendor if need be): ") + p + "."
			if strings.Contains(p, ", ") {
				a.Text = pick(lang, "Fournir les pièces manquantes (les demander à l'éditeur au besoin) : ", "Supply the missing pieces (ask the vendor if need be): ") + p + "."
			}
			a.Detail = piecesDetail(r, lang)
		case f.Waiver != nil && rules.Traits.MissingPieces(f.Rule):
			a.Text = pick(lang, "Fournir les pièces manquantes avant la fin du délai accordé : ", "Supply the missing pieces before the extension ends: ") + missingPieces(r, lang) + "."
			a.Detail = piecesDetail(r, lang)
		case f.Waiver != nil:
			a.Text = pick(lang, "Sous dérogation ; corriger avant sa fin : ", "Under a waiver; fix it before it ends: ") + lowerFirst(a.Text)
		}
		v.Asks = append(v.Asks, a)
	}
	// A bloquant or majeur point à vérifier keeps the dossier incomplet:
	// someone must settle it.
	for _, f := range r.Results {
		if f.Review && f.Severity.Blocking() && (f.Status == result.Warn || f.Status == result.Fail) {
			v.Asks = append(v.Asks, askView{Rule: f.Rule, Severity: SeverityLabel(f.Severity, lang), Title: Title(f, lang),
				Text: pick(lang, "Trancher le point à vérifier (voir « Points à vérifier ») : ", "Settle the point to review: ") + readerMessage(f, lang),
				Who:  pick(lang, "collectivité avec l'éditeur", "local authority with the vendor"), Deadline: o.deadline(f.Severity, lang)})
		}
	}
	for _, f := range r.Results {
		if f.Review && !f.Waived() && (f.Status == result.Warn || f.Status == result.Fail) {
			text := readerMessage(f, lang)
			if len(f.Evidence) > 0 {
				text += " (" + location(f.Evidence[0]) + ")"
			}
			v.Reviews = append(v.Reviews, askView{Rule: f.Rule, Severity: SeverityLabel(f.Severity, lang), Title: Title(f, lang), Text: text})
		}
	}
	// One section per area, in catalogue order, then any unknown area.
	byArea := map[string][]findingView{}
	for _, f := range r.Results {
		byArea[f.Area] = append(byArea[f.Area], viewFinding(f, lang, lookup))
	}
	rowsByArea := map[string][]ruleRow{}
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		title := ""
		if rl, ok := lookup(o.Rule); ok {
			title = rl.Title.In(lang)
		}
		rowsByArea[o.Area] = append(rowsByArea[o.Area], ruleRow{Rule: o.Rule, Title: title, Severity: SeverityLabel(o.Severity, lang),
			State: ruleStateLabel(o, lang), Class: ruleClass(o), Findings: o.Findings})
	}
	for _, d := range areas.All() {
		a := d.ID
		if fs := byArea[string(a)]; len(fs) > 0 {
			av := areaView{Title: d.Title.In(lang), Anchor: "domaine-" + string(a), Method: methodOf(d, r, lang),
				Rules: rowsByArea[string(a)], Groups: groupFindings(fs, lang), Findings: fs}
			if hasItems(a) {
				av.Checklist = checklist(r.Results, a, lang)
				av.ChecklistTitle = d.Checklist.In(lang)
			}
			var inArea []result.Finding
			for _, f := range r.Results {
				if f.Area == string(a) {
					inArea = append(inArea, f)
				}
			}
			av.Parties, av.Hosting = partyTables(inArea, lang)
			v.Areas = append(v.Areas, av)
			delete(byArea, string(a))
		}
	}
	var rest []string
	for a := range byArea {
		rest = append(rest, a)
	}
	sort.Strings(rest)
	for _, a := range rest {
		v.Areas = append(v.Areas, areaView{Title: AreaTitle(rules.Area(a), lang), Anchor: "domaine-" + a, Rules: rowsByArea[a], Groups: groupFindings(byArea[a], lang), Findings: byArea[a]})
	}
	return v
}

// actionRank orders the asks: failures by severity, then warnings, then
// evaluation errors.
func actionRank(f result.Finding) int {
	switch f.Status {
	case result.Fail:
		return 10 + f.Severity.Rank()
	case result.Error:
		return 5
	}
	return f.Severity.Rank()
}

func degreeText(d, lang string) string {
	switch d {
	case "1D":
		return pick(lang, "1er degré (écoles)", "primary (1D)")
	case "2D":
		return pick(lang, "2nd degré (collèges, lycées)", "secondary (2D)")
	}
	return d
}

// Strings shared by the document formats.
func (v docView) T(fr, en string) string { return pick(v.Lang, fr, en) }

// colon is what goes before a label's value: " :" in French (a space
// before the colon), ":" in English.
func (v docView) colon() string { return colon(v.Lang) }

// C is colon for the templates.
func (v docView) C() string { return colon(v.Lang) }

func colon(lang string) string { return pick(lang, " :", ":") }
