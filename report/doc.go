package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/areas"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// This file holds the parts of the administrative document (PDF and HTML
// alike): the per-area chart, the action table's who and deadline, one
// row per rule, method and limits, glossary and legends.

// Deadlines suggests a deadline per severity for the action table. A
// caller may pass its own in Options.Deadlines.
var Deadlines = map[result.Severity][2]string{
	result.Bloquant: {"1 mois", "1 month"},
	result.Majeur:   {"3 mois", "3 months"},
	result.Mineur:   {"6 mois", "6 months"},
	result.Info:     {"prochaine version", "next release"},
}

func (o Options) deadline(sev result.Severity, lang string) string {
	if d, ok := o.Deadlines[sev]; ok && d != "" {
		return d
	}
	return pick(lang, Deadlines[sev][0], Deadlines[sev][1])
}

// whoActs says who must act on a rule: the DSDEN renews a dérogation, the
// collectivité supplies the pieces and keeps its files, the éditeur fixes
// its ENT.
func whoActs(f result.Finding, lang string) string {
	var actor rules.Actor
	if r, ok := rules.Lookup(f.Rule); ok {
		actor = r.Actor
	}
	switch {
	case actor == rules.ActorDSDEN:
		return "DSDEN"
	case actor == rules.ActorCollectivite:
		return pick(lang, "collectivité", "local authority")
	case f.Status == result.Error:
		return pick(lang, "collectivité avec l'éditeur", "local authority with the vendor")
	}
	return pick(lang, "éditeur", "vendor")
}

// barView is one area's bar: its rules per outcome.
type barView struct {
	Title                                 string
	Pass, Fail, Check, NotEval, Waived    int
	Total                                 int
	PassW, FailW, CheckW, NotEvalW, WaivW float64 // SVG widths (percent)
}

func bars(r *result.Result, lang string) []barView {
	by := map[string]*barView{}
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		b := by[o.Area]
		if b == nil {
			b = &barView{}
			by[o.Area] = b
		}
		switch o.State {
		case result.RulePass:
			b.Pass++
		case result.RuleFail:
			b.Fail++
		case result.RuleWarn, result.RuleReview:
			b.Check++
		case result.RuleNotEvaluated, result.RuleError:
			b.NotEval++
		case result.RuleWaived:
			b.Waived++
		default:
			continue
		}
		b.Total++
	}
	var out []barView
	for _, a := range areas.All() {
		b := by[string(a.ID)]
		if b == nil {
			// An area without any rule in the run (a check of another
			// area, a result made before the area existed) has no bar.
			continue
		}
		b.Title = a.Short.In(lang)
		if b.Total > 0 {
			pc := func(n int) float64 { return 100 * float64(n) / float64(b.Total) }
			b.PassW, b.FailW, b.CheckW, b.NotEvalW, b.WaivW = pc(b.Pass), pc(b.Fail), pc(b.Check), pc(b.NotEval), pc(b.Waived)
		}
		out = append(out, *b)
	}
	return out
}

// ruleRow is one rule of an area's table.
type ruleRow struct {
	Rule, Title, Severity, State, Class string
	Findings                            int
}

var ruleStateLabels = map[result.RuleState][2]string{
	result.RuleFail:         {"Non respectée", "Broken"},
	result.RuleError:        {"Pièce illisible", "Unreadable"},
	result.RuleNotEvaluated: {"Non évaluée", "Not evaluated"},
	result.RuleReview:       {"À vérifier", "To review"},
	result.RuleWaived:       {"Sous dérogation", "Waived"},
	result.RuleWarn:         {"Alerte", "Warning"},
	result.RulePass:         {"Respectée", "Respected"},
	result.RuleSkip:         {"Sans objet", "Not applicable"},
}

func ruleStateLabel(o result.RuleOutcome, lang string) string {
	if o.LiveOnly {
		return pick(lang, "En ligne seulement", "Live only")
	}
	l := ruleStateLabels[o.State]
	return pick(lang, l[0], l[1])
}

func ruleClass(o result.RuleOutcome) string {
	switch o.State {
	case result.RuleNotEvaluated:
		return "notevaluated"
	case result.RuleWaived:
		return "waived"
	}
	return string(o.State)
}

// grouped is a finding and how many findings say the same (same rule,
// status and message): repeated findings are shown once with a count and
// their first pieces of evidence.
type grouped struct {
	findingView
	Count int
	// Diff is the notice comparison in two columns (NOTICE-002).
	Diff []diffRow
	// rules lists the other rules a grouped not-evaluated finding stands
	// for.
	rules []string
}

// groupFindings groups the non-pass findings of an area.
func groupFindings(fs []findingView, lang string) []grouped {
	idx := map[string]int{}
	var out []grouped
	for _, f := range fs {
		if f.Class == "pass" || f.Class == "skip" {
			continue
		}
		k := f.Rule + "\x00" + f.Class + "\x00" + f.Message
		if f.Class == "not-evaluated" && !f.LiveOnly {
			// Every rule of a missing piece says the same: once, naming
			// the rules.
			k = f.Class + "\x00" + f.Message
		}
		if i, ok := idx[k]; ok {
			if out[i].Rule != f.Rule {
				out[i].rules = append(out[i].rules, f.Rule)
				continue
			}
			out[i].Count++
			if len(out[i].Evidence) < 3 {
				out[i].Evidence = append(out[i].Evidence, f.Evidence...)
			}
			continue
		}
		idx[k] = len(out)
		g := grouped{findingView: f, Count: 1}
		if r, ok := rules.Lookup(f.Rule); ok && r.Compares {
			for _, e := range f.Evidence {
				if d := sideBySide(e.Excerpt); d != nil {
					g.Diff = d
					break
				}
			}
		}
		out = append(out, g)
	}
	for i := range out {
		if rs := out[i].rules; len(rs) > 0 {
			all := append([]string{out[i].Rule}, rs...)
			out[i].Rule = all[0] + " … " + all[len(all)-1]
			out[i].Title = fmt.Sprintf(pick(lang, "%d règles non évaluées", "%d rules not evaluated"), len(all))
			out[i].Severity = ""
			out[i].Remediation = ""
			out[i].Detail = ""
			out[i].Reference = ""
		}
	}
	return out
}

// referenceText is a rule's reference for a reader: a public source, and
// for a rule resting on observed practice the words that say so rather
// than a project's name.
func referenceText(r *rules.Rule, lang string) string {
	if r.Reference.Basis == rules.BasisObserved {
		return pick(lang, "Pratique observée des connecteurs publics (texte officiel non public)", "Observed practice of public connectors (official text not public)")
	}
	return r.Reference.In(lang)
}

// glossary for the annex: a term, its French and English definitions (a
// term said differently in English is "français|English").
var glossary = [][3]string{
	{"AAF", "Annuaire académique fédérateur : l'annuaire des élèves, responsables et personnels que l'académie transmet à l'ENT.", "The academic directory the ENT is fed from."},
	{"DSDEN", "Direction des services départementaux de l'Éducation nationale : elle valide les mentions et reçoit ce rapport.", "Departmental education services: validate the notice and receive this report."},
	{"ENT", "Espace numérique de travail : le service en ligne des écoles et établissements.", "The schools' digital workspace."},
	{"GAR", "Gestionnaire d'accès aux ressources : le service national qui donne accès aux ressources numériques.", "The national access manager for digital resources."},
	{"HAR", "Enregistrement des échanges d'un navigateur avec les sites (« HTTP Archive »), fait depuis ses outils de développement : il sert ici à examiner les connexions réellement envoyées au GAR.", "A recording of a browser's exchanges with websites (HTTP Archive), made from its developer tools: used here to examine the logins actually sent to the GAR."},
	{"IdP", "Fournisseur d'identité : le service de l'ENT qui authentifie l'utilisateur et atteste son identité auprès du GAR.", "Identity provider: the ENT's service that authenticates the user and vouches for them to the GAR."},
	{"Métadonnées|Metadata", "Fiche technique que l'ENT publie pour décrire sa connexion au GAR : adresses, clé de signature, informations transmises.", "The technical sheet the ENT publishes to describe its connection to the GAR: addresses, signing key, data released."},
	{"MEF", "Module élémentaire de formation : le code d'une formation suivie (par exemple une classe de 6e), tiré des nomenclatures de l'Éducation nationale.", "The code of a course followed (a year group, for instance), from the national nomenclatures."},
	{"NameID", "Identifiant de la personne dans un message de connexion SAML : il doit être temporaire ou opaque, jamais un nom ni une adresse.", "The person's identifier in a SAML login message: temporary or opaque, never a name or an address."},
	{"SAML", "Norme d'échange d'identité entre l'ENT et le GAR (connexion unique).", "Identity exchange standard between the ENT and the GAR."},
	{"SDET", "Schéma directeur des espaces numériques de travail : le référentiel national des ENT.", "The national ENT framework."},
	{"SHA-256", "Empreinte numérique d'un fichier : deux fichiers de même empreinte sont identiques à l'octet près.", "A file fingerprint."},
	{"SSO", "Connexion unique (« single sign-on ») : l'utilisateur connecté à l'ENT accède aux ressources du GAR sans se reconnecter.", "Single sign-on: a user logged into the ENT reaches the GAR's resources without logging in again."},
	{"TLS", "Protocole qui chiffre les échanges entre le navigateur et le site (adresses en https).", "The protocol that encrypts exchanges between the browser and the site (https addresses)."},
	{"UAI", "Unité administrative immatriculée : l'identifiant national d'une école ou d'un établissement.", "A school's national identifier."},
	{"XSD", "Schéma XML : la description officielle du format d'un fichier, contre laquelle l'export du GAR est validé.", "XML Schema: the official description of a file format, against which the GAR export is validated."},
}

// legends of the severities and verdicts for the annex.
var severityLegend = [][3]string{
	{"bloquant|blocking", "empêche le fonctionnement attendu ou viole une obligation légale ; décide du verdict.", "prevents the expected operation or breaks a legal obligation; decides the verdict."},
	{"majeur|major", "écart important à corriger ; décide du verdict.", "a significant gap; decides the verdict."},
	{"mineur|minor", "écart limité ; donne une réserve.", "a limited gap; gives a reservation."},
	{"info", "information utile, sans effet sur la conformité ; donne au plus une réserve.", "useful information; at most a reservation."},
}

// verdictByLabel finds the verdict a legend line names.
var verdictByLabel = func() map[string]result.Verdict {
	m := map[string]result.Verdict{}
	for v, t := range verdictText {
		m[t[0]] = v
	}
	return m
}()

var verdictLegend = [][3]string{
	{"CONFORME", "toutes les règles bloquantes et majeures du périmètre ont été examinées et sont respectées.", "every blocking and major rule in scope examined and respected."},
	{"CONFORME SOUS DÉROGATION", "conforme, des écarts étant couverts par une dérogation en vigueur.", "conformant, gaps covered by a waiver in force."},
	{"CONFORME AVEC RÉSERVES", "conforme, des écarts mineurs ou des alertes restant à traiter.", "conformant, minor gaps or warnings remain."},
	{"INCOMPLET", "une règle bloquante ou majeure n'a pas pu être examinée (pièce manquante ou illisible, point à vérifier) : la conformité ne peut être attestée.", "a blocking or major rule could not be examined."},
	{"NON CONFORME", "une règle bloquante ou majeure n'est pas respectée et aucune dérogation ne couvre l'écart.", "a blocking or major rule is broken and not covered."},
}

// limitsText lists what the audit could not see.
func limitsText(r *result.Result, lang string) []string {
	var out []string
	if r.Scope == result.ScopeSurPieces || r.Scope == result.ScopeMixte {
		out = append(out, pick(lang,
			"Audit sur pièces : les copies enregistrées des pages ne disent ni la version de TLS ni le certificat du site, ni ce que le navigateur charge réellement ; les règles concernées sont « en ligne seulement » et ne comptent pas dans le verdict d'un audit sur pièces. Un audit en ligne (adresses https dans le dossier) les évalue.",
			"Audit of saved copies: they show neither the site's TLS nor what a browser loads; those rules are live-only and do not count against the verdict."))
	}
	var live []string
	for _, o := range result.RuleStates(r.Results, rules.Traits) {
		if o.LiveOnly {
			live = append(live, o.Rule)
		}
	}
	if len(live) > 0 {
		out = append(out, pick(lang, "Règles en ligne seulement : ", "Live-only rules: ")+strings.Join(live, ", ")+".")
	}
	if p := missingPieces(r, lang); p != "" {
		out = append(out, pick(lang, "Pièces non fournies : ", "Pieces not supplied: ")+p+pick(lang, " ; les règles qui en dépendent ne sont pas évaluées.", "."))
	}
	out = append(out, pick(lang,
		"Données personnelles : aucune n'apparaît en clair dans ce rapport ; « *** » marque une donnée masquée, « #… » un pseudonyme calculé avec une clé, qui permet de suivre une même personne d'une pièce à l'autre sans la nommer.",
		"Personal data: none in clear; *** marks masked data, #… a keyed pseudonym."))
	return out
}

// methodOf is an area's method, with what its extent rule says (a rule
// marked Extent says how much the area examined: files validated, people
// compared).
func methodOf(a *checks.Area, r *result.Result, lang string) string {
	m := a.Method.In(lang)
	for _, f := range r.Results {
		// A pass says how much was examined; a failure says what is
		// wrong, in the results.
		if rule, ok := rules.Lookup(f.Rule); ok && rule.Area == a.ID && rule.Extent && f.Status == result.Pass {
			return m + pick(lang, " Étendue : ", " Extent: ") + lowerFirst(Message(f, lang))
		}
	}
	return m
}

// lowerFirst lowers a sentence's first letter to follow a colon ("Les 5
// fichiers" → "les 5 fichiers"), not an acronym's ("GAR").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// garDateRe is the date in a GAR export's file name
// (…_GAR-ENT_Complet_20261122_223000…).
var garDateRe = regexp.MustCompile(`GAR-ENT_[A-Za-z]+_(\d{8})_\d{6}`)

// piecesDate says the date of the pieces when the GAR export names it.
func piecesDate(r *result.Result, lang string) string {
	for _, in := range r.Inputs {
		if m := garDateRe.FindStringSubmatch(in.Source); m != nil {
			if t, err := time.Parse("20060102", m[1]); err == nil {
				return pick(lang, "export GAR du ", "GAR export of ") + formatDate(t, lang)
			}
		}
	}
	return ""
}

// fingerprintSentence says what a SHA-256 proves.
func fingerprintSentence(lang string) string {
	return pick(lang,
		"L'empreinte SHA-256 de chaque pièce prouve que ce rapport porte sur ces fichiers-là : une pièce modifiée, même d'un octet, a une autre empreinte. Elle ne dit rien de l'auteur ni de la date de la pièce.",
		"The SHA-256 of each piece proves the report is about these very files; it says nothing of their author or date.")
}

func countLabel(n int, lang string) string {
	if n <= 1 {
		return ""
	}
	return fmt.Sprintf(pick(lang, "%d constats identiques", "%d identical findings"), n)
}

// checkRow is one item of the art. 13/14 checklist: the information, its
// state, and the sentence of the notice that gives it (or leaves it to a
// human judgement).
type checkRow struct {
	Item, State, Class, Quote string
	order                     int
}

// hasItems says whether some rule of area a checks items one by one (the
// notice's GDPR items): its section gets the checklist.
func hasItems(a rules.Area) bool {
	for _, r := range rules.InArea(a) {
		if r.Items != nil {
			return true
		}
	}
	return false
}

// checklist lists the items of area a's rules in the catalogue's order
// (rule, then its Items: the notice's articles 13 and 14, the contract's
// article 28.3): present, absent or à vérifier, each present item with
// the sentence that satisfied it.
func checklist(fs []result.Finding, a rules.Area, lang string) []checkRow {
	var out []checkRow
	ruleOrder := map[string]int{}
	for i, r := range rules.InArea(a) {
		ruleOrder[r.ID] = i
	}
	for _, f := range fs {
		if rule, ok := rules.Lookup(f.Rule); !ok || rule.Area != a || rule.Items == nil || (f.Status != result.Pass && f.Status != result.Fail && f.Status != result.Warn) {
			continue
		}
		text := Message(f, lang)
		if i := strings.Index(text, " : "); i >= 0 && i < 40 {
			text = text[i+3:]
		} else if i := strings.Index(text, ": "); i >= 0 && i < 40 {
			text = text[i+2:]
		}
		text = strings.TrimSuffix(strings.TrimSpace(text), ".")
		items := rules.MustLookup(f.Rule).Items
		row := checkRow{Item: text, order: slices.Index(items, f.Item)}
		if row.order < 0 {
			row.order = len(items) // an item the catalogue does not list: last of its rule
		}
		row.order += 1000 * ruleOrder[f.Rule]
		// a failing item quotes the sentence that falls short of it, if
		// any (a clause that does not commit)
		for _, e := range f.Evidence {
			if e.Excerpt != "" {
				row.Quote = e.Excerpt
				break
			}
		}
		switch {
		case f.Status == result.Pass:
			row.State, row.Class = pick(lang, "présente", "present"), "pass"
		case f.Status == result.Fail && !f.Waived() && row.Quote != "":
			row.State, row.Class = pick(lang, "insuffisante", "insufficient"), "fail"
		case f.Status == result.Fail && !f.Waived():
			row.State, row.Class = pick(lang, "absente", "absent"), "fail"
		case f.Waived():
			row.State, row.Class = pick(lang, "absente, sous dérogation", "absent, waived"), "waived"
		default:
			row.State, row.Class = pick(lang, "à vérifier", "to review"), "review"
		}
		out = append(out, row)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].order < out[j].order })
	return out
}

// diffRow is one line of the notice comparison: the validated text on the
// left, the displayed text on the right.
type diffRow struct {
	Left, Right string
	Changed     bool
}

// sideBySide splits a line diff ("- " validated only, "+ " displayed
// only, "  " both) into two columns; nil when the excerpt is no such diff.
func sideBySide(excerpt string) []diffRow {
	var out []diffRow
	diffy := false
	var left, right []string
	flush := func() {
		n := len(left)
		if len(right) > n {
			n = len(right)
		}
		for i := 0; i < n; i++ {
			var r diffRow
			if i < len(left) {
				r.Left = left[i]
			}
			if i < len(right) {
				r.Right = right[i]
			}
			r.Changed = true
			out = append(out, r)
		}
		left, right = nil, nil
	}
	for _, l := range strings.Split(excerpt, "\n") {
		switch {
		case strings.HasPrefix(l, "- "):
			left = append(left, l[2:])
			diffy = true
		case strings.HasPrefix(l, "+ "):
			right = append(right, l[2:])
			diffy = true
		case strings.TrimSpace(l) == "":
		default:
			flush()
			t := strings.TrimPrefix(l, "  ")
			out = append(out, diffRow{Left: t, Right: t})
		}
	}
	flush()
	if !diffy {
		return nil
	}
	return out
}
