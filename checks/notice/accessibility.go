package notice

// This file: the accessibility area. Its descriptor, and the legal
// mention "Accessibilité : totalement / partiellement / non conforme" in
// the footer of the home and login pages (ACC-001), judged on the page as
// the page audit parsed it. The statement the mention leads to is read in
// statement.go.

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// statementPiece is the accessibility statement a dossier may give; the
// footer's link leads to it otherwise. It is optional: DOSSIER-001 does
// not ask for it, and the statement's rules are not evaluated without it
// when the link cannot be followed.
var statementPiece = checks.Piece{Key: "accessibility_statement", Name: rules.Text{FR: "déclaration d'accessibilité", EN: "accessibility statement"}, Scoped: true, Optional: true}

// AccessibilityArea describes the accessibility area (see checks.Area). It
// shares the page audit: the mention is read on the pages as they are
// parsed for the notice's link.
var AccessibilityArea = &checks.Area{
	ID:    rules.AreaAccessibility,
	Title: rules.Text{FR: "Accessibilité (mention et déclaration)", EN: "Accessibility (mention and statement)"},
	Short: rules.Text{FR: "Accessibilité", EN: "Accessibility"},
	Method: rules.Text{
		FR: "Mention légale de l'état de conformité dans le pied de page des pages d'accueil et de connexion ; lecture de la déclaration d'accessibilité qu'elle relie (ou de la pièce du dossier) : éléments exigés par le RGAA, cohérence de l'état avec le taux et la mention, date de moins de trois ans.",
		EN: "Legal mention of the conformity state in the footer of the home and login pages; reading of the accessibility statement it links to (or the dossier's piece): items the RGAA requires, consistency of the state with the rate and the mention, date less than three years old.",
	},
	Checklist: rules.Text{FR: "Éléments exigés de la déclaration d'accessibilité (RGAA)", EN: "Items the accessibility statement must give (RGAA)"},
	Check: &checks.Check{
		Run:    CheckAccessibility,
		Piece:  rules.Text{FR: "déclaration d'accessibilité, ou page d'accueil", EN: "accessibility statement, or home page"},
		Args:   rules.Text{FR: "FICHIER|URL", EN: "FILE|URL"},
		About:  rules.Text{FR: "audite une déclaration d'accessibilité (ou une page et sa déclaration)", EN: "audit an accessibility statement (or a page and its statement)"},
		Scoped: true,
		Help: rules.Text{
			FR: "Audite une déclaration d'accessibilité (éléments exigés par le RGAA, cohérence de l'état avec le taux, date de moins de trois ans) ; sur une page d'accueil, lit aussi la mention de l'état de conformité en pied de page et suit son lien vers la déclaration.",
			EN: "Audit an accessibility statement (items the RGAA requires, consistency of the state with the rate, date less than three years old); on a home page, also read the footer's mention of the conformity state and follow its link to the statement.",
		},
		Options: []string{"allow-http", "allow-private-network", "render"},
	},
	Audit: dossierAudit,
}

// The three legal states, folded.
const (
	stateTotal   = "totalement"
	statePartial = "partiellement"
	stateNone    = "non"
)

// stateShown is a state as the mention writes it.
func stateShown(s string) string { return s + " conforme" }

var (
	// legalMentionRe is a legal mention on folded text: "accessibilite :
	// partiellement conforme" (the colon, a dash or nothing between).
	legalMentionRe = regexp.MustCompile(`\baccessibilite\s*[:–-]?\s*(totalement|partiellement|non)[ -]?conformes?\b`)
	// templateStatesRe is an unfilled template: several states offered
	// ("non/partiellement/totalement conforme").
	templateStatesRe = regexp.MustCompile(`\b(totalement|partiellement|non)\s*/\s*(totalement|partiellement|non)\b`)
	// claimRe is a claim of accessibility in other words ("conforme aux
	// normes", "site accessible", "conforme RGAA", a percentage).
	claimRe = regexp.MustCompile(`\bconform|\baccessibles?\b|\brgaa\b|\d\s?%|\bcertifi|\blabel`)
)

// mentionKind says what an accessibility mention of a page is.
type mentionKind int

const (
	mentionLegal    mentionKind = iota // one of the three legal wordings
	mentionTemplate                    // an unfilled template
	mentionInvented                    // another wording of a claim
	mentionPlain                       // a link "Accessibilité", "Déclaration d'accessibilité"
)

// mention is one place a page speaks of its accessibility.
type mention struct {
	node  *html.Node
	text  string // as shown (spacing collapsed)
	kind  mentionKind
	state string // the legal state, for mentionLegal
	href  string // the link to the statement ("" for none)
	dead  string // the mention's own address when it leads nowhere ("#")
	where string // the footer region's kind, or "en-tête", or ""
}

// maxMentionText bounds the text of a mention: a longer block is prose
// about accessibility, not a mention.
const maxMentionText = 160

// pageMention is what a page's footer says, for the statement's rules.
type pageMention struct {
	page   names
	src    string // the page
	state  string // the legal state shown ("" when none)
	target string // the statement the link leads to, as read ("" for none)
	// why is why the link cannot be followed from here ("" when it can
	// or when there is none).
	why names
}

// accessibility collects, during an audit, the pages' mentions.
type accessibility struct{ pages []pageMention }

// accessibilityMention implements ACC-001 on a parsed page: the footer
// shows one of the three legal wordings as a link to the statement. What
// it finds is recorded in o.acc for the statement's rules.
func accessibilityMention(p *page, o pageOpts) result.Finding {
	id := rules.ACC001
	where := pageName(o)
	regions := footerRegions(p.doc, p.hide)
	ms := mentions(p, regions)
	best := -1
	rank := func(m mention) int {
		r := int(m.kind) * 2
		if m.href == "" {
			r++
		}
		if m.where == "" || m.where == "en-tête" {
			r += 20
		}
		return r
	}
	for i := range ms {
		if best < 0 || rank(ms[i]) < rank(ms[best]) {
			best = i
		}
	}
	if best < 0 {
		emptyFooter := true
		for _, r := range regions {
			if strings.TrimSpace(visibleText(r.node, p.hide)) != "" {
				emptyFooter = false
			}
		}
		o.record(pageMention{page: where, src: p.src})
		if emptyFooter && p.rendered == nil && hasScripts(p.doc) {
			return checks.Review(id,
				where.fr+" : le HTML brut n'a pas de contenu de pied de page ; la page est sans doute construite par JavaScript. Relancer avec --render pour chercher la mention d'accessibilité dans la page rendue.",
				where.en+": the raw HTML has no footer content; the page is probably built by JavaScript. Run again with --render to look for the accessibility mention in the rendered page.",
				result.Evidence{Source: p.src})
		}
		return checks.Fail(id,
			where.fr+" : aucune mention « Accessibilité : totalement / partiellement / non conforme » ni lien vers une déclaration d'accessibilité.",
			where.en+": no \"Accessibilité : totalement / partiellement / non conforme\" mention nor link to an accessibility statement.",
			result.Evidence{Source: p.src})
	}
	m := ms[best]
	pm := pageMention{page: where, src: p.src, state: m.state}
	if m.kind != mentionLegal {
		pm.state = ""
	}
	if m.href != "" {
		pm.target, pm.why = p.statementTarget(m.href, o)
	}
	o.record(pm)
	ev := p.ev(m.text, m.text)
	if m.href != "" {
		ev = p.ev(m.href, fmt.Sprintf(`<a href="%s">%s</a>`, m.href, m.text))
	}
	inFooter := m.where != "" && m.where != "en-tête"
	switch {
	case !inFooter && m.kind == mentionLegal:
		place, placeEN := "ailleurs dans la page", "elsewhere in the page"
		if m.where == "en-tête" {
			place, placeEN = "dans l'en-tête seulement", "in the header only"
		}
		return checks.Fail(id,
			fmt.Sprintf("%s : la mention « %s » est %s, pas dans le pied de page.", where.fr, m.text, place),
			fmt.Sprintf("%s: the mention %q is %s, not in the footer.", where.en, m.text, placeEN), ev)
	case !inFooter:
		return checks.Fail(id,
			fmt.Sprintf("%s : pas de mention légale d'accessibilité dans le pied de page (seulement « %s », hors du pied de page).", where.fr, m.text),
			fmt.Sprintf("%s: no legal accessibility mention in the footer (only %q, outside the footer).", where.en, m.text), ev)
	case m.kind == mentionTemplate:
		return checks.Fail(id,
			fmt.Sprintf("%s : la mention du pied de page est un modèle non rempli (« %s ») : un seul état, celui de l'audit, est attendu.", where.fr, m.text),
			fmt.Sprintf("%s: the footer mention is an unfilled template (%q): one state only, the audit's, is expected.", where.en, m.text), ev)
	case m.kind == mentionInvented:
		return checks.Fail(id,
			fmt.Sprintf("%s : formulation non réglementaire dans le pied de page (« %s ») : « Accessibilité : totalement conforme », « partiellement conforme » ou « non conforme » est attendu.", where.fr, m.text),
			fmt.Sprintf("%s: wording that is not the legal one in the footer (%q): \"Accessibilité : totalement conforme\", \"partiellement conforme\" or \"non conforme\" is expected.", where.en, m.text), ev)
	case m.kind == mentionPlain:
		return checks.Fail(id,
			fmt.Sprintf("%s : le pied de page a un lien « %s » mais ne dit pas l'état de conformité (« Accessibilité : totalement, partiellement ou non conforme »).", where.fr, m.text),
			fmt.Sprintf("%s: the footer has a %q link but does not give the conformity state (\"Accessibilité : totalement, partiellement ou non conforme\").", where.en, m.text), ev)
	case m.href == "" && m.dead != "":
		return checks.Fail(id,
			fmt.Sprintf("%s : la mention « %s » du pied de page est un lien qui ne mène à aucune déclaration d'accessibilité (adresse « %s »).", where.fr, m.text, bound(m.dead, 80)),
			fmt.Sprintf("%s: the footer mention %q is a link that leads to no accessibility statement (address %q).", where.en, m.text, bound(m.dead, 80)), ev)
	case m.href == "":
		return checks.Fail(id,
			fmt.Sprintf("%s : la mention « %s » du pied de page n'est pas un lien vers la déclaration d'accessibilité, et aucun lien du même bloc n'y mène.", where.fr, m.text),
			fmt.Sprintf("%s: the footer mention %q is no link to the accessibility statement, and no link of the same block leads to it.", where.en, m.text), ev)
	}
	return checks.Pass(id,
		fmt.Sprintf("%s : mention « %s » dans le pied de page (%s), en lien vers la déclaration (%s).", where.fr, m.text, m.where, m.href),
		fmt.Sprintf("%s: mention %q in the footer (%s), linking to the statement (%s).", where.en, m.text, m.where, m.href), ev)
}

// record keeps a page's mention for the statement's rules (in an audit).
func (o pageOpts) record(pm pageMention) {
	if o.acc != nil {
		o.acc.pages = append(o.acc.pages, pm)
	}
}

// mentions finds where a page speaks of its accessibility: each visible
// link or short block whose text names accessibility, classified, with
// where it stands and the link to the statement it is or holds.
func mentions(p *page, regions []region) []mention {
	regionOf := map[*html.Node]string{}
	for _, r := range regions {
		regionOf[r.node] = r.kind
	}
	var out []mention
	seen := map[*html.Node]bool{}
	walk(p.doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head:
				return false
			}
			if p.hide.hiddenSelf(n) != "" || isModal(n) {
				return false
			}
			return true
		}
		if n.Type != html.TextNode || !strings.Contains(fold(n.Data), "accessib") {
			return true
		}
		el := mentionElement(n)
		if el == nil || seen[el] {
			return true
		}
		seen[el] = true
		text := strings.Join(strings.Fields(visibleText(el, p.hide)), " ")
		if text == "" || len(text) > maxMentionText {
			return true
		}
		m := mention{node: el, text: text}
		folded := fold(text)
		switch {
		case templateStatesRe.MatchString(folded):
			m.kind = mentionTemplate
		case legalMentionRe.MatchString(folded):
			m.kind = mentionLegal
			m.state = legalMentionRe.FindStringSubmatch(folded)[1]
		case claimRe.MatchString(folded):
			m.kind = mentionInvented
		default:
			m.kind = mentionPlain
		}
		m.href = statementHref(el)
		if el.DataAtom == atom.A && m.href == "" {
			m.dead = strings.TrimSpace(attrOr(el, "href"))
		}
		for a := el; a != nil; a = a.Parent {
			if k, ok := regionOf[a]; ok {
				m.where = k
				break
			}
			if a.Type == html.ElementNode && isBanner(a) {
				m.where = "en-tête"
				break
			}
		}
		out = append(out, m)
		return true
	})
	return out
}

// mentionElement is the element a mention's text belongs to: the link it
// is in, else its nearest block (a list item, a paragraph, a cell).
func mentionElement(t *html.Node) *html.Node {
	for a := t.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		if a.DataAtom == atom.A || a.DataAtom == atom.Button {
			return a
		}
	}
	for a := t.Parent; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && (blockAtoms[a.DataAtom] || a.DataAtom == atom.Footer || a.DataAtom == atom.Body) {
			return a
		}
	}
	return nil
}

// statementHref is the address of the statement a mention leads to: the
// mention's own link, else a link of its block that names accessibility
// ("Accessibilité", "Déclaration d'accessibilité", /accessibilite). A link
// to the page itself ("#") or a script leads nowhere.
func statementHref(el *html.Node) string {
	usable := func(a *html.Node) string {
		href, ok := attr(a, "href")
		href = strings.TrimSpace(href)
		if !ok || href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			return ""
		}
		return href
	}
	if el.DataAtom == atom.A {
		return usable(el)
	}
	found := ""
	walk(el, func(n *html.Node) bool {
		if found != "" {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			label, target := fold(textOf(n)), fold(h0(n))
			if h := usable(n); h != "" && (strings.Contains(label, "accessib") || strings.Contains(label, "declaration") || strings.Contains(target, "accessib")) {
				found = h
			}
			return false
		}
		return true
	})
	return found
}

// h0 is a link's address as written.
func h0(n *html.Node) string { return attrOr(n, "href") }

// statementTarget resolves the statement link of a page: a URL for a page
// read live, a file of the dossier (or of the page's directory) for a
// saved copy. why says why it cannot be followed from here.
func (p *page) statementTarget(href string, o pageOpts) (string, names) {
	ref, err := url.Parse(href)
	if err != nil {
		return "", names{"lien illisible (" + href + ")", "unreadable link (" + href + ")"}
	}
	if p.fetched != nil {
		base, _ := url.Parse(p.fetched.FinalURL)
		if b, err := url.Parse(baseHref(p.doc)); err == nil && base != nil {
			base = base.ResolveReference(b)
		}
		if base == nil {
			return "", names{"adresse de la page illisible", "unreadable page address"}
		}
		u := base.ResolveReference(ref)
		u.Fragment = ""
		return u.String(), names{}
	}
	switch {
	case ref.Scheme != "" || ref.Host != "":
		return "", names{"lien vers une adresse (" + href + "), non suivi depuis une copie enregistrée", "link to an address (" + href + "), not followed from a saved copy"}
	case strings.HasPrefix(ref.Path, "/"):
		return "", names{"lien relatif à la racine du site (" + ref.Path + "), non résoluble depuis une copie enregistrée", "link relative to the site's root (" + ref.Path + "), not resolvable from a saved copy"}
	case ref.Path == "":
		return "", names{"lien vers la page elle-même (" + href + ")", "link to the page itself (" + href + ")"}
	}
	rel := path.Clean(ref.Path)
	joined := path.Clean(path.Join(path.Dir(filepath.ToSlash(p.src)), rel))
	escapes := strings.HasPrefix(rel, "../") || rel == ".."
	if o.inDossier {
		escapes = joined == ".." || strings.HasPrefix(joined, "../") || path.IsAbs(joined)
	}
	if escapes {
		return "", names{"lien qui sort du dossier (" + href + ")", "link leaving the dossier (" + href + ")"}
	}
	return joined, names{}
}

// statementThere reports whether a saved copy's statement file is there
// (a dossier often holds the pages without the statement they link to).
func statementThere(env *checks.Env, src string) bool {
	if input.IsURL(src) {
		return true
	}
	_, err := input.StatFile(env.Loader.Path(src), false)
	return err == nil
}
