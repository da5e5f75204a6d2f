package notice

// This file: the accessibility statement (ACC-002 to ACC-004), read like
// the notice: sentence by sentence, with the heading of its section, a
// table cell with its column's header, in HTML or PDF.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/htmltree"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// statementRules are the rules judged on a statement.
var statementRules = []*rules.Rule{rules.ACC002, rules.ACC003, rules.ACC004}

// CheckAccessibility audits one document (`sdetcheck check accessibility
// SRC`): an accessibility statement (its rules), or a page whose footer
// mention is judged (ACC-001) and whose statement link is followed.
func CheckAccessibility(env *checks.Env, src string) []result.Finding {
	p, perr := loadPage(env, src)
	if perr != nil || looksLikeStatement(p) {
		text, err := readNotice(env, src)
		if err != nil {
			if perr != nil {
				err = perr
			}
			return englishFragments(checks.Unreadable(rules.AreaAccessibility, err))
		}
		fs := []result.Finding{checks.Skip(rules.ACC001,
			"Déclaration d'accessibilité lue seule : la mention du pied de page se vérifie sur les pages d'accueil et de connexion (sdetcheck check page, ou audit du dossier).",
			"Accessibility statement read alone: the footer mention is checked on the home and login pages (sdetcheck check page, or a dossier audit).")}
		return englishFragments(append(fs, statementFindings(env, src, text, nil)...))
	}
	acc := &accessibility{}
	fs := []result.Finding{accessibilityMention(p, pageOpts{acc: acc})}
	return englishFragments(append(fs, statementAudit(env, "", acc)...))
}

// statementMarkRe are the words of a statement's sections: two of them in
// a page's own content (its footer and header aside) make it a statement.
var statementMarkRe = regexp.MustCompile(`etat de conformite|defenseur des droits|environnement de test|technologies utilisees|contenus non accessibles|declaration d'accessibilite|criteres (du )?rgaa|voies de recours|retour d'information|resultats? des tests|schema pluriannuel`)

// looksLikeStatement reports whether a page is an accessibility statement
// rather than a page carrying the mention: two words of a statement's
// sections in its text, its footer, header and navigation aside.
func looksLikeStatement(p *page) bool {
	skip := map[*html.Node]bool{}
	for _, r := range footerRegions(p.doc, p.hide) {
		if !strings.HasPrefix(r.kind, "dernière région") { // a page's last region may be its content
			skip[r.node] = true
		}
	}
	var b strings.Builder
	htmltree.Walk(p.doc, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			b.WriteString(" ")
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head, atom.Nav:
				return false
			}
			if skip[n] || isBanner(n) || p.hide.hiddenSelf(n) != "" {
				return false
			}
		}
		return true
	})
	seen := map[string]bool{}
	for _, m := range statementMarkRe.FindAllString(fold(b.String()), -1) {
		seen[m] = true
	}
	return len(seen) >= 2
}

// statementAudit reads the statement of an audit (the dossier's piece, or
// where the pages' footer links lead) and judges it; without one, its
// rules are not evaluated and say why.
func statementAudit(env *checks.Env, piece string, acc *accessibility) []result.Finding {
	src := piece
	if src == "" {
		for _, pm := range acc.pages {
			if pm.target != "" {
				src = pm.target
				break
			}
		}
	}
	if src == "" {
		var why, whyEN []string
		for _, pm := range acc.pages {
			if pm.why.fr != "" {
				why = append(why, pm.page.fr+" : "+pm.why.fr)
				whyEN = append(whyEN, pm.page.en+": "+pm.why.en)
			}
		}
		fr := "aucun lien du pied de page vers la déclaration (voir " + rules.ACC001.ID + ")"
		en := "no footer link to the statement (see " + rules.ACC001.ID + ")"
		if len(why) > 0 {
			fr, en = strings.Join(why, " ; "), strings.Join(whyEN, "; ")
		}
		return notEvaluatedStatement(
			"Non évaluée : déclaration d'accessibilité non lue ("+fr+"). La fournir dans le dossier (evidence.accessibility_statement) ou auditer les pages en ligne.",
			"Not evaluated: accessibility statement not read ("+en+"). Give it in the dossier (evidence.accessibility_statement) or audit the pages live.", acc)
	}
	if piece == "" && !statementThere(env, src) {
		return notEvaluatedStatement(
			"Non évaluée : la déclaration liée par le pied de page ("+src+") n'est pas dans le dossier. La fournir (evidence.accessibility_statement) ou auditer les pages en ligne.",
			"Not evaluated: the statement the footer links to ("+src+") is not in the dossier. Give it (evidence.accessibility_statement) or audit the pages live.", acc)
	}
	text, err := readNotice(env, src)
	if err != nil {
		if piece != "" {
			var out []result.Finding
			for _, r := range statementRules {
				out = append(out, checks.Errorf(r, err))
			}
			return out
		}
		return []result.Finding{
			checks.Fail(rules.ACC002,
				"Le lien du pied de page ne mène à aucune déclaration d'accessibilité lisible : "+input.French(err)+".",
				"The footer link leads to no readable accessibility statement: "+err.Error()+".",
				result.Evidence{Source: src}),
			checks.Skip(rules.ACC003, "Déclaration illisible (voir "+rules.ACC002.ID+").", "Unreadable statement (see "+rules.ACC002.ID+")."),
			checks.Skip(rules.ACC004, "Déclaration illisible (voir "+rules.ACC002.ID+").", "Unreadable statement (see "+rules.ACC002.ID+")."),
		}
	}
	return statementFindings(env, src, text, acc.pages)
}

// notEvaluatedStatement marks the statement's rules as not evaluated.
func notEvaluatedStatement(fr, en string, acc *accessibility) []result.Finding {
	var ev []result.Evidence
	for _, pm := range acc.pages {
		ev = append(ev, result.Evidence{Source: pm.src})
	}
	var out []result.Finding
	for _, r := range statementRules {
		out = append(out, result.Finding{Rule: r.ID, Status: result.NotEvaluated, Message: fr, MessageEN: en, Evidence: ev})
	}
	return out
}

// stmtItem is one item of the statement (ACC-002).
type stmtItem struct {
	FR, EN string
	rules  []stmtRule
}

// stmtRule is one way of stating an item: sent matches the sentence (if
// set), ctx the heading it stands under (its section's, or its table row's
// or column's: the latest heading only, a statement's sections being
// short) or its lead-in, and not neither.
type stmtRule struct {
	sent, ctx, not *regexp.Regexp
}

// readAt is what a statement's sentence is read under: its latest
// heading and its lead-in.
func readAt(s *sentence) string {
	h := s.heading
	if i := strings.LastIndex(h, " | "); i >= 0 {
		h = h[i+3:]
	}
	return h + " | " + s.leadIn
}

func (r stmtRule) matches(s *sentence) bool {
	if r.not != nil && r.not.MatchString(s.key) {
		return false
	}
	if r.sent != nil && !r.sent.MatchString(s.key) {
		return false
	}
	return r.ctx == nil || r.ctx.MatchString(s.key) || r.ctx.MatchString(readAt(s))
}

var (
	contentsRe = re(`contenus? non accessibles?|\bn'(est|sont) pas (encore |totalement )?accessibles?\b|\binaccessibles?\b|\bnon[- ]conformites?\b|derogations? pour charge disproportionnee|contenus? non soumis|ne sont pas (encore )?(accessibles|conformes)|contenus? (inaccessibles|non conformes)`)
	techRe     = re(`technologies? (utilisees?|employees?|mises? en oeuvre|de (realisation|developpement))`)
	techListRe = re(`\b(html5?|css3?|javascript|wai-aria|svg)\b`)
	// testEnvRe: the test environment; assistive technologies named in
	// general ("un site compatible avec toutes les technologies
	// d'assistance") are no test environment: they count with a test,
	// a browser or a combination in the same sentence.
	testEnvRe     = re(`environnement de test|agents? utilisateurs?|\bnvda\b|\bjaws\b|voiceover|talkback|zoomtext|\bnarrateur\b|technologies? d'assistance.*\b(test|verifi|navigateur|combinaison|restitution)|\b(test|verifi|navigateur|combinaison|restitution)\w*\b.*technologies? d'assistance`)
	contactCtxRe  = re(`\bcontact|retour d'information|\bsignal|\becrire\b|\bjoindre\b|envoyer un message|\bdemander\b|alternative accessible`)
	contactWordRe = re(`\b(courriel|e-?mail|mel|adresse (electronique|mail|e-mail)|telephone|formulaire|par courrier|adresse postale)\b`)
	defenderRe    = re(`defenseur des droits|defenseurdesdroits`)
	// stateSentRe: the sentence of the conformity state ("est partiellement
	// conforme … en raison des non-conformités"), not the list of contents.
	stateSentRe = re(`\b(est|sont) (totalement |partiellement |non[ -]?|pas (encore )?)conformes?\b`)
)

// statementItems are ACC-002's items in the order of rules.AccessibilityItems
// (the state, the rate and the dates are read apart: parsedStatement).
var statementItems = map[string]stmtItem{
	"contenus-non-accessibles": {FR: "contenus non accessibles (non-conformités, dérogations, contenus non soumis)", EN: "non-accessible content (non-conformities, exemptions, content out of scope)",
		rules: []stmtRule{{sent: contentsRe, not: stateSentRe}, {ctx: contentsRe, not: stateSentRe}}},
	"technologies": {FR: "technologies utilisées", EN: "technologies used",
		rules: []stmtRule{{sent: techRe, not: re(`d'assistance`)}, {ctx: techRe}, {sent: techListRe, ctx: re(`technologies?`)}}},
	"environnement-test": {FR: "environnement de test (navigateurs, technologies d'assistance)", EN: "test environment (browsers, assistive technologies)",
		rules: []stmtRule{{sent: testEnvRe}, {ctx: re(`environnement de test|agents? utilisateurs?`)}}},
	"contact": {FR: "moyen de contact pour signaler un défaut (adresse électronique, formulaire)", EN: "means of contact to report a defect (e-mail address, form)",
		rules: []stmtRule{{sent: contactValueRe, ctx: contactCtxRe}, {sent: contactWordRe, ctx: contactCtxRe}}},
	"defenseur-droits": {FR: "voie de recours : saisine du Défenseur des droits", EN: "means of redress: referral to the Defender of Rights (\"Défenseur des droits\")",
		rules: []stmtRule{{sent: defenderRe}}},
}

// itemLabels name the items read apart.
var itemLabels = map[string]names{
	"etat-conformite":  {"état de conformité (totalement, partiellement ou non conforme)", "conformity state (\"totalement\", \"partiellement\" or \"non conforme\")"},
	"taux-conformite":  {"taux de critères du RGAA respectés", "rate of RGAA criteria met"},
	"date-declaration": {"date d'établissement ou de mise à jour de la déclaration", "date the statement was drawn up or updated"},
	"date-audit":       {"date de l'audit de conformité", "date of the conformity audit"},
}

func itemLabel(key string) names {
	if n, ok := itemLabels[key]; ok {
		return n
	}
	it := statementItems[key]
	return names{it.FR, it.EN}
}

// find is the first sentence that gives the item: a content sentence,
// else a title.
func (it stmtItem) find(d *noticeDoc) (sentence, bool) {
	for _, titles := range []bool{false, true} {
		for i := range d.sents {
			if d.sents[i].title != titles {
				continue
			}
			for _, r := range it.rules {
				if r.matches(&d.sents[i]) {
					return d.sents[i], true
				}
			}
		}
	}
	return sentence{}, false
}

// dated is a date read in a statement, with the sentence that gives it.
type dated struct {
	t     time.Time
	month bool // only the month was given (the date is the month's last day)
	year  bool // only the year
	s     sentence
}

// on says a date for a message, in French and English ("le 2024-03-12",
// "en 2024-03").
func (d dated) on() names {
	if d.month || d.year {
		return names{"en " + d.day(), "in " + d.day()}
	}
	return names{"le " + d.day(), "on " + d.day()}
}

// day says a date for a message.
func (d dated) day() string {
	switch {
	case d.year:
		return d.t.Format("2006")
	case d.month:
		return d.t.Format("2006-01")
	}
	return d.t.Format("2006-01-02")
}

// parsedStatement is what a statement says.
type parsedStatement struct {
	doc                *noticeDoc
	state              string
	stateSent          sentence
	template           *sentence
	rate               float64
	rateSent           *sentence
	mean               *sentence
	noAudit            *sentence
	declDates, audited []dated
}

var (
	// stateAimRe ends the words before a state that is an aim, not the
	// site's state: "dans l'attente d'une mise en conformité totale",
	// "vers une conformité totale", "objectif : totalement conforme".
	stateAimRe = re(`(\bmise en|\battente d'une|\bvers une|\bobjectif( d'une| de| :)?|\batteindre une|\ben vue d'une|\bdevenir|\bviser une|\bvise a etre|\brendre)\s*$`)
	// conformityStateRe finds a conformity state on folded text.
	conformityStateRe = re(`\b(totalement|partiellement|non|entierement|pleinement)[ -]?conformes?\b|\bconformite\s*:?\s*(totale|partielle)\b|\bnon[ -]conformite\b|\bpas (encore |du tout )?conformes?\b`)
	// cellStateRe is a state alone in a table cell or under the "État de
	// conformité" heading ("Partielle", "Totale", "Non conforme").
	cellStateRe = re(`^(conformite )?(totale|partielle)\b|^(non|pas) conformes?\b|^(totalement|partiellement) conformes?\b|^aucune\b`)
	// stateVerbRe: the state is said of the site ("est partiellement
	// conforme"), right before it.
	stateVerbRe = re(`\b(est|sont|reste|demeure|etre|n'est|ne sont|declare|declaree)\b[^.;]{0,40}$`)
	// contentsSubjectRe: a state said of contents, not of the site.
	contentsSubjectRe = re(`\b(contenus?|elements?|criteres?|documents?|fichiers?|fonctionnalites?|videos?|images?|composants?|pages? suivantes?)\b`)
	// stateCtxRe names the section or the standard of a state.
	stateCtxRe = re(`etat de conformite|\brgaa\b|referentiel|\bconformite\b|accessibilite`)
	percentRe  = re(`(\d{1,3}(?:[.,]\d{1,2})?)\s?(%|pour ?cent)`)
	rateCritRe = re(`\bcriteres?\b[^.;]{0,80}\b(respect|satisf|conform|valid)|(respect|satisf|conform|valid)\w*[^.;]{0,40}\bcriteres?\b`)
	rateCtxRe  = re(`taux (global )?de conformite|\btaux global\b|pourcentage de criteres|taux de criteres|criteres respectes|resultats? des tests`)
	meanRe     = re(`\btaux moyen\b`)
	// fractionRe is a rate written as a count: "48 critères respectés sur
	// 60", "48 / 60 critères conformes".
	fractionRe = re(`\b(\d{1,3})\s*(?:criteres?\s*(?:(?:sont\s*)?(?:respectes?|conformes?|valides?|satisfaits?))?\s*sur|/)\s*(\d{1,3})\b(?:\s*criteres?)?`)
	// dateSideRe, dateBeforeRe: a fraction that continues or ends a
	// numeric date ("05/09/2023", "2023/05/09").
	dateSideRe   = regexp.MustCompile(`^\s*/\s*\d`)
	dateBeforeRe = regexp.MustCompile(`\d\s*/\s*$`)
	noAuditRe    = re(`\baucun audit\b|\bpas (encore )?(fait|ete soumise?) (l'objet )?(d'un|a un) audit|\bn'a (pas|jamais) (encore )?(fait l'objet d'un|ete soumise? a un) audit|\bsans audit\b|\bpas d'audit\b|\baudit (n'a pas|n'a jamais|n'a pas encore) (encore )?(ete )?(realise|effectue|mene)|\baucune evaluation\b|\bpas (encore )?ete audite|\bnon audite`)
	declKwRe     = re(`\b(etablie?|mise? a jour|actualisee?|publiee?|redigee?|revue?|modifiee?|declaration|redaction|publication)\b`)
	declCtxRe    = re(`etablissement|date de (la )?(declaration|publication|mise a jour)|mise a jour`)
	auditKwRe    = re(`\b(audit\w*|evaluation|evalue\w*|tests?|verification|verifiee?|controle)\b`)
	// abbreviated months end with a dot that must not end a sentence.
	monthDotRe = regexp.MustCompile(`(?i)\b(janv|f[ée]vr|f[ée]v|avr|juil|sept|oct|nov|d[ée]c)\.(\s+\d)`)
)

const months = `janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|janv|fevr|fev|avr|juil|sept|oct|nov|dec`

var (
	fullDateRe = regexp.MustCompile(`\b(1er|[0-3]?\d)\s+(` + months + `)\.?\s+((?:19|20)\d{2})\b`)
	numDateRe  = regexp.MustCompile(`\b([0-3]?\d)[/.-]([01]?\d)[/.-]((?:19|20)\d{2}|\d{2})\b`)
	isoDateRe  = regexp.MustCompile(`\b((?:19|20)\d{2})-([01]\d)-([0-3]\d)\b`)
	monthRe    = regexp.MustCompile(`\b(` + months + `)\.?\s+((?:19|20)\d{2})\b`)
	yearRe     = regexp.MustCompile(`\b(?:en|de|d'|annee) ?((?:19|20)\d{2})\b`)
)

var monthNum = map[string]time.Month{
	"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6,
	"juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
	"decembre": 12, "dec": 12,
}

// dateAt is a date found in folded text, at pos.
type dateAt struct {
	pos int
	d   dated
}

// datesIn finds the dates of folded text s: "12 mars 2024", "1er mars
// 2024", "12/03/2024", "12-03-24", "2024-03-12", "mars 2024"; years alone
// ("en 2023") only when years is set.
func datesIn(s string, years bool) []dateAt {
	var out []dateAt
	taken := make([]bool, len(s)+1)
	mark := func(m []int) bool {
		for i := m[0]; i < m[1]; i++ {
			if taken[i] {
				return false
			}
		}
		for i := m[0]; i < m[1]; i++ {
			taken[i] = true
		}
		return true
	}
	add := func(pos, y int, mo time.Month, d int, month, year bool) {
		t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
		if t.Month() != mo || t.Day() != d {
			return // 31/02
		}
		out = append(out, dateAt{pos, dated{t: t, month: month, year: year}})
	}
	for _, m := range fullDateRe.FindAllStringSubmatchIndex(s, -1) {
		if !mark(m[:2]) {
			continue
		}
		day := 1
		if ds := s[m[2]:m[3]]; ds != "1er" {
			day, _ = strconv.Atoi(ds)
		}
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		add(m[0], y, monthNum[s[m[4]:m[5]]], day, false, false)
	}
	for _, m := range isoDateRe.FindAllStringSubmatchIndex(s, -1) {
		if !mark(m[:2]) {
			continue
		}
		y, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		d, _ := strconv.Atoi(s[m[6]:m[7]])
		add(m[0], y, time.Month(mo), d, false, false)
	}
	for _, m := range numDateRe.FindAllStringSubmatchIndex(s, -1) {
		if !mark(m[:2]) {
			continue
		}
		d, _ := strconv.Atoi(s[m[2]:m[3]])
		mo, _ := strconv.Atoi(s[m[4]:m[5]])
		y, _ := strconv.Atoi(s[m[6]:m[7]])
		if y < 100 {
			y += 2000
		}
		add(m[0], y, time.Month(mo), d, false, false)
	}
	for _, m := range monthRe.FindAllStringSubmatchIndex(s, -1) {
		if !mark(m[:2]) {
			continue
		}
		y, _ := strconv.Atoi(s[m[4]:m[5]])
		mo := monthNum[s[m[2]:m[3]]]
		last := time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC).Day()
		add(m[0], y, mo, last, true, false)
	}
	if years {
		for _, m := range yearRe.FindAllStringSubmatchIndex(s, -1) {
			if !mark(m[2:4]) {
				continue
			}
			y, _ := strconv.Atoi(s[m[2]:m[3]])
			add(m[2], y, 12, 31, false, true)
		}
	}
	return out
}

// lastIndex is the end of the last match of r in s (-1 for none).
func lastIndex(r *regexp.Regexp, s string) int {
	ms := r.FindAllStringIndex(s, -1)
	if len(ms) == 0 {
		return -1
	}
	return ms[len(ms)-1][1]
}

// parseStatement reads what a statement says.
func parseStatement(text string) *parsedStatement {
	text = monthDotRe.ReplaceAllString(text, "$1$2")
	st := &parsedStatement{doc: parseNotice(text)}
	var stateTier = 4
	var rateTier = 4
	for i := range st.doc.sents {
		s := &st.doc.sents[i]
		ctx := readAt(s)
		// the state
		if templateStatesRe.MatchString(s.key) && conformityStateRe.MatchString(s.key) && st.template == nil {
			c := *s
			st.template = &c
		} else if headingState(ctx) && cellStateRe.MatchString(s.key) && stateTier > 1 {
			stateTier, st.stateSent = 1, *s
			st.state = stateOf(cellStateRe.FindString(s.key))
		} else if m := conformityStateRe.FindStringSubmatchIndex(s.key); m != nil && !stateAimRe.MatchString(s.key[:m[0]]) {
			prefix := s.key[:m[0]]
			tier := 4
			switch {
			case strings.Contains(ctx, "etat de conformite") || strings.HasPrefix(s.key, "etat de conformite"):
				tier = 1
			case contentsSubjectRe.MatchString(prefix):
			case stateVerbRe.MatchString(prefix):
				tier = 2
			case stateCtxRe.MatchString(s.key):
				tier = 3
			}
			if tier < stateTier {
				stateTier, st.stateSent = tier, *s
				st.state = stateOf(s.key[m[0]:m[1]])
			}
		}
		// the audit
		if st.noAudit == nil && noAuditRe.MatchString(s.key) {
			c := *s
			st.noAudit = &c
		}
		// the rate
		if fm := rateFraction(s.key); fm != nil && rateTier > 1 && percentRe.FindStringSubmatch(s.key) == nil && (rateCritRe.MatchString(s.key) || rateCtxRe.MatchString(ctx)) && !meanRe.MatchString(s.key) {
			n, _ := strconv.Atoi(fm[1])
			d, _ := strconv.Atoi(fm[2])
			if d > 0 && n <= d {
				c := *s
				rateTier, st.rate, st.rateSent = 1, float64(n*10000/d)/100, &c
			}
		}
		if pm := percentRe.FindStringSubmatch(s.key); pm != nil {
			v, err := strconv.ParseFloat(strings.ReplaceAll(pm[1], ",", "."), 64)
			tier := 4
			switch {
			case err != nil || v > 100:
			case meanRe.MatchString(s.key) || (meanRe.MatchString(ctx) && !rateCritRe.MatchString(s.key) && !rateCtxRe.MatchString(s.key)):
				if st.mean == nil {
					c := *s
					st.mean = &c
				}
			case rateCritRe.MatchString(s.key):
				tier = 1
			case rateCtxRe.MatchString(s.key) || rateCtxRe.MatchString(ctx):
				tier = 2
			case strings.Contains(s.key, "conform"):
				tier = 3
			}
			if tier < rateTier {
				c := *s
				rateTier, st.rate, st.rateSent = tier, v, &c
			}
		}
		// the dates
		for _, da := range datesIn(s.key, true) {
			prefix := s.key[max(0, da.pos-80):da.pos]
			decl, aud := lastIndex(declKwRe, prefix), lastIndex(auditKwRe, prefix)
			d := da.d
			d.s = *s
			switch {
			case decl >= 0 || aud >= 0:
				if aud > decl {
					st.audited = append(st.audited, d)
				} else if !d.year {
					st.declDates = append(st.declDates, d)
				}
			case declCtxRe.MatchString(ctx) && !d.year:
				st.declDates = append(st.declDates, d)
			case auditKwRe.MatchString(ctx):
				st.audited = append(st.audited, d)
			}
		}
	}
	if stateTier == 4 {
		st.state = ""
	}
	return st
}

// headingState reports a sentence read under the "État de conformité"
// heading (or its table row).
func headingState(ctx string) bool {
	return strings.Contains(ctx, "etat de conformite") || strings.HasPrefix(ctx, "conformite |") || strings.Contains(ctx, "niveau de conformite")
}

// stateOf maps a state as written to one of the three legal states.
func stateOf(s string) string {
	switch {
	case strings.Contains(s, "non") || strings.Contains(s, "pas") || strings.Contains(s, "aucune"):
		return stateNone
	case strings.Contains(s, "partiel"):
		return statePartial
	case strings.Contains(s, "totalement") || strings.Contains(s, "totale") || strings.Contains(s, "entierement") || strings.Contains(s, "pleinement"):
		return stateTotal
	}
	return stateNone
}

// expectedState is the state a rate gives.
// rateFraction is the first count of fractionRe in key that is not part of
// a date: "le 05/09/2023" is no rate of 5 criteria met out of 9.
func rateFraction(key string) []string {
	for _, m := range fractionRe.FindAllStringSubmatchIndex(key, -1) {
		before, after := key[:m[0]], key[m[1]:]
		if dateSideRe.MatchString(after) || dateBeforeRe.MatchString(before) {
			continue
		}
		return []string{key[m[0]:m[1]], key[m[2]:m[3]], key[m[4]:m[5]]}
	}
	return nil
}

func expectedState(rate float64) string {
	switch {
	case rate >= 100:
		return stateTotal
	case rate >= 50:
		return statePartial
	}
	return stateNone
}

// latest is the most recent of ds.
func latest(ds []dated) (dated, bool) {
	var best dated
	ok := false
	for _, d := range ds {
		if !ok || d.t.After(best.t) {
			best, ok = d, true
		}
	}
	return best, ok
}

// statementFindings judges a statement's text: its items (ACC-002), the
// consistency of its state (ACC-003) with its rate and the pages' footers,
// and its date (ACC-004).
func statementFindings(env *checks.Env, src, text string, footers []pageMention) []result.Finding {
	st := parseStatement(text)
	var fs []result.Finding
	ev := func(s sentence) result.Evidence { return result.Evidence{Source: src, Excerpt: quote(s.shown)} }
	item := func(key string, f result.Finding) {
		f.Item = key
		fs = append(fs, f)
	}
	present := func(key, detailFR, detailEN string, s sentence) {
		l := itemLabel(key)
		item(key, checks.Pass(rules.ACC002, "Élément présent : "+l.fr+detailFR+".", "Item present: "+l.en+detailEN+".", ev(s)))
	}
	absent := func(key, whyFR, whyEN string) {
		l := itemLabel(key)
		item(key, checks.Fail(rules.ACC002, "Élément absent : "+l.fr+whyFR+".", "Missing item: "+l.en+whyEN+".", result.Evidence{Source: src}))
	}
	moot := func(key, whyFR, whyEN string) {
		l := itemLabel(key)
		item(key, checks.Skip(rules.ACC002, "Sans objet : "+l.fr+" ("+whyFR+").", "Not applicable: "+l.en+" ("+whyEN+")."))
	}
	noAudit := st.noAudit != nil && st.rateSent == nil
	for _, key := range rules.AccessibilityItems {
		switch key {
		case "etat-conformite":
			switch {
			case st.state != "":
				present(key, " (« "+stateShown(st.state)+" »)", " (\""+stateShown(st.state)+"\")", st.stateSent)
			case st.template != nil:
				l := itemLabel(key)
				item(key, checks.Fail(rules.ACC002,
					"Élément absent : "+l.fr+" ; le modèle n'est pas rempli (un seul état est attendu).",
					"Missing item: "+l.en+"; the template is not filled in (one state only is expected).", ev(*st.template)))
			default:
				absent(key, "", "")
			}
		case "taux-conformite":
			switch {
			case st.rateSent != nil:
				present(key, fmt.Sprintf(" (%s %%)", fmtRate(st.rate)), fmt.Sprintf(" (%s%%)", fmtRate(st.rate)), *st.rateSent)
			case noAudit:
				moot(key, "la déclaration dit qu'aucun audit n'a été fait", "the statement says no audit was made")
			case st.mean != nil:
				absent(key, " ; seul un taux moyen est donné, le pourcentage de critères respectés est attendu", "; only an average rate is given, the percentage of criteria met is expected")
			default:
				absent(key, "", "")
			}
		case "date-declaration":
			if d, ok := latest(st.declDates); ok {
				present(key, " ("+d.day()+")", " ("+d.day()+")", d.s)
			} else {
				absent(key, "", "")
			}
		case "date-audit":
			switch d, ok := latest(st.audited); {
			case ok:
				present(key, " ("+d.day()+")", " ("+d.day()+")", d.s)
			case noAudit:
				moot(key, "la déclaration dit qu'aucun audit n'a été fait", "the statement says no audit was made")
			default:
				absent(key, "", "")
			}
		case "contenus-non-accessibles":
			if s, ok := statementItems[key].find(st.doc); ok {
				present(key, "", "", s)
			} else if st.state == stateTotal {
				moot(key, "conformité totale déclarée", "total conformity declared")
			} else {
				absent(key, "", "")
			}
		default:
			if s, ok := statementItems[key].find(st.doc); ok {
				present(key, "", "", s)
			} else {
				absent(key, "", "")
			}
		}
	}
	fs = append(fs, consistency(src, st, footers)...)
	return append(fs, freshness(env, src, st))
}

// fmtRate writes a rate the French way (a decimal comma).
func fmtRate(v float64) string {
	return strings.ReplaceAll(strconv.FormatFloat(v, 'f', -1, 64), ".", ",")
}

// consistency implements ACC-003: the declared state agrees with the
// audit's rate, and with the mention of each page's footer.
func consistency(src string, st *parsedStatement, footers []pageMention) []result.Finding {
	id := rules.ACC003
	if st.state == "" {
		return []result.Finding{checks.Skip(id, "État de conformité non lu dans la déclaration (voir "+rules.ACC002.ID+").", "Conformity state not read in the statement (see "+rules.ACC002.ID+").")}
	}
	shown := stateShown(st.state)
	ev := result.Evidence{Source: src, Excerpt: quote(st.stateSent.shown)}
	var out []result.Finding
	switch {
	case st.rateSent != nil && expectedState(st.rate) != st.state:
		want := stateShown(expectedState(st.rate))
		out = append(out, checks.Fail(id,
			fmt.Sprintf("La déclaration se dit « %s » avec un taux de %s %% de critères respectés : l'état qui correspond est « %s » (100 %% : totalement, 50 %% au moins : partiellement, moins de 50 %% : non conforme).", shown, fmtRate(st.rate), want),
			fmt.Sprintf("The statement says \"%s\" with %s%% of criteria met: the matching state is \"%s\" (100%%: \"totalement\", at least 50%%: \"partiellement\", below 50%%: \"non conforme\").", shown, fmtRate(st.rate), want),
			ev, result.Evidence{Source: src, Excerpt: quote(st.rateSent.shown)}))
	case st.rateSent == nil && st.state != stateNone && st.noAudit != nil:
		out = append(out, checks.Fail(id,
			fmt.Sprintf("La déclaration se dit « %s » mais dit aussi qu'aucun audit n'a été fait : sans audit valide, l'état est « non conforme ».", shown),
			fmt.Sprintf("The statement says \"%s\" but also that no audit was made: without a valid audit the state is \"non conforme\".", shown),
			ev, result.Evidence{Source: src, Excerpt: quote(st.noAudit.shown)}))
	case st.rateSent == nil && st.state != stateNone:
		out = append(out, checks.Fail(id,
			fmt.Sprintf("La déclaration se dit « %s » sans donner le taux de critères respectés qui le justifie : un état totalement ou partiellement conforme suppose un audit qui le mesure.", shown),
			fmt.Sprintf("The statement says \"%s\" without the rate of criteria met that supports it: a total or partial state needs an audit measuring it.", shown), ev))
	}
	var same, sameEN []string
	for _, f := range footers {
		switch {
		case f.state == "":
		case f.state != st.state:
			out = append(out, checks.Fail(id,
				fmt.Sprintf("%s : le pied de page affiche « Accessibilité : %s », la déclaration dit « %s ».", f.page.fr, stateShown(f.state), shown),
				fmt.Sprintf("%s: the footer shows \"Accessibilité : %s\", the statement says \"%s\".", f.page.en, stateShown(f.state), shown),
				result.Evidence{Source: f.src, Excerpt: "Accessibilité : " + stateShown(f.state)}, ev))
		default:
			same, sameEN = append(same, strings.ToLower(f.page.fr)), append(sameEN, strings.ToLower(f.page.en))
		}
	}
	if len(out) > 0 {
		return out
	}
	detail, detailEN := "", ""
	if st.rateSent != nil {
		detail, detailEN = fmt.Sprintf(" cohérent avec le taux de %s %% de critères respectés", fmtRate(st.rate)), fmt.Sprintf(" consistent with the %s%% of criteria met", fmtRate(st.rate))
	} else {
		detail, detailEN = " cohérent avec l'absence d'audit", " consistent with the lack of an audit"
	}
	if len(same) > 0 {
		detail += " et avec la mention du pied de page (" + strings.Join(same, ", ") + ")"
		detailEN += " and with the footer mention (" + strings.Join(sameEN, ", ") + ")"
	}
	return []result.Finding{checks.Pass(id,
		fmt.Sprintf("État « %s »%s.", shown, detail),
		fmt.Sprintf("State \"%s\"%s.", shown, detailEN), ev)}
}

// validity is how long a statement stays valid.
const validityYears = 3

// freshness implements ACC-004: the statement (its latest drawing-up or
// update date, failing them its audit's) is less than three years old at
// the run's clock.
func freshness(env *checks.Env, src string, st *parsedStatement) result.Finding {
	id := rules.ACC004
	d, ok := latest(st.declDates)
	whatFR, whatEN := "établie ou mise à jour", "drawn up or updated"
	if !ok {
		d, ok = latest(st.audited)
		whatFR, whatEN = "sans date propre, d'après l'audit fait", "without a date of its own, after the audit made"
	}
	if !ok {
		// undated: nothing shows the statement is less than three years
		// old, and a statement must be dated to be kept up to date
		return checks.Fail(id, "Déclaration non datée (ni date d'établissement ou de mise à jour, ni date d'audit lisible) : rien ne montre qu'elle a moins de trois ans (voir aussi "+rules.ACC002.ID+").", "Undated statement (no readable drawing-up, update or audit date): nothing shows it is less than three years old (see also "+rules.ACC002.ID+").")
	}
	until := d.t.AddDate(validityYears, 0, 0)
	ev := result.Evidence{Source: src, Excerpt: quote(d.s.shown)}
	now := env.Now.Format("2006-01-02")
	on := d.on()
	var f result.Finding
	if env.Now.After(until) {
		f = checks.Fail(id,
			fmt.Sprintf("Déclaration périmée : %s %s, elle n'est valide que trois ans, jusqu'au %s (date de l'audit : %s).", whatFR, on.fr, until.Format("2006-01-02"), now),
			fmt.Sprintf("Out-of-date statement: %s %s, it is valid three years only, until %s (audit date: %s).", whatEN, on.en, until.Format("2006-01-02"), now), ev)
	} else {
		f = checks.Pass(id,
			fmt.Sprintf("Déclaration %s %s : valide jusqu'au %s (date de l'audit : %s).", whatFR, on.fr, until.Format("2006-01-02"), now),
			fmt.Sprintf("Statement %s %s: valid until %s (audit date: %s).", whatEN, on.en, until.Format("2006-01-02"), now), ev)
	}
	f.ValidUntil = until.Format("2006-01-02")
	return f
}
