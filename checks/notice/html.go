package notice

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/doctext"
)

// parseHTML decodes and parses an HTML document (doctext.ParseHTML).
func parseHTML(data []byte, contentType string) (*html.Node, error) {
	return doctext.ParseHTML(data, contentType)
}

// binaryContent reports NUL bytes in data (doctext.Binary).
func binaryContent(data []byte) bool { return doctext.Binary(data) }

// badUTF8Line returns the line of the first invalid byte of a document
// decoded as UTF-8 (doctext.BadUTF8Line).
func badUTF8Line(data []byte, contentType string) int { return doctext.BadUTF8Line(data, contentType) }

// walk visits n and its descendants in document order without recursion
// (a hostile page may nest millions of elements). f returns false to skip
// a node's children.
func walk(n *html.Node, f func(*html.Node) bool) {
	if n == nil {
		return
	}
	stack := []*html.Node{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f(c) {
			continue
		}
		// push children in reverse so that the first child is visited first
		var kids []*html.Node
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			kids = append(kids, k)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// renderedHiddenAttr marks elements that the headless browser measured as
// not rendered (zero size, display:none, visibility:hidden, opacity 0).
const renderedHiddenAttr = "data-sdetcheck-hidden"

// hiding holds what the page's own inline <style> rules hide.
//
// Limits (raw HTML mode): only simple selectors ".class", "#id" and
// "tag.class" alone in a rule (possibly in a comma list) whose declarations
// say display:none or visibility:hidden are understood; external style
// sheets, rules inside @media and other at-rules (ignored), combinators, specificity and the cascade are not.
// Render mode (--render) measures the real boxes instead.
type hiding struct {
	classes, ids map[string]bool
	// shown: nothing counts as hidden (the text of a modal once opened)
	shown bool
}

var (
	cssRuleRe    = regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`)
	cssHideRe    = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)
	cssCommentRe = regexp.MustCompile(`(?s)/\*.*?\*/`)
	simpleSelRe  = regexp.MustCompile(`^[a-zA-Z0-9]*([.#])([A-Za-z0-9_-]+)$`)
	inlineHideRe = regexp.MustCompile(`(?i)(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)\s*(!important\s*)?(;|$)`)
)

// styleHiding reads the document's inline <style> elements.
func styleHiding(doc *html.Node) hiding {
	h := hiding{classes: map[string]bool{}, ids: map[string]bool{}}
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Style {
			css := withoutAtBlocks(cssCommentRe.ReplaceAllString(textOf(n), ""))
			for _, m := range cssRuleRe.FindAllStringSubmatch(css, -1) {
				if !cssHideRe.MatchString(m[2]) {
					continue
				}
				for _, sel := range strings.Split(m[1], ",") {
					if sm := simpleSelRe.FindStringSubmatch(strings.TrimSpace(sel)); sm != nil {
						if sm[1] == "." {
							h.classes[sm[2]] = true
						} else {
							h.ids[sm[2]] = true
						}
					}
				}
			}
			return false
		}
		return true
	})
	return h
}

// withoutAtBlocks removes the blocks of at-rules (@media, @supports,
// @container…) from css: their rules apply only on some screens or
// browsers (a menu hidden on phones and its copy hidden on desktops), so
// they do not hide anything for sure.
func withoutAtBlocks(css string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(css, '@')
		if i < 0 {
			b.WriteString(css)
			return b.String()
		}
		b.WriteString(css[:i])
		rest := css[i:]
		open := strings.IndexAny(rest, "{;")
		if open < 0 {
			return b.String()
		}
		if rest[open] == ';' { // @import, @charset: no block
			css = rest[open+1:]
			continue
		}
		depth, j := 0, open
		for ; j < len(rest); j++ {
			if rest[j] == '{' {
				depth++
			} else if rest[j] == '}' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(rest) {
			return b.String()
		}
		css = rest[j+1:]
	}
}

// hiddenSelf reports why element n itself is hidden ("" if it is not).
func (h hiding) hiddenSelf(n *html.Node) string {
	if n.Type != html.ElementNode || h.shown {
		return ""
	}
	if _, ok := attr(n, "hidden"); ok {
		return "attribut hidden"
	}
	if strings.EqualFold(strings.TrimSpace(attrOr(n, "aria-hidden")), "true") {
		return `aria-hidden="true"`
	}
	if _, ok := attr(n, renderedHiddenAttr); ok {
		return "taille nulle ou masqué au rendu"
	}
	if inlineHideRe.MatchString(attrOr(n, "style")) {
		return "style " + strings.TrimSpace(attrOr(n, "style"))
	}
	if n.DataAtom == atom.Input && strings.EqualFold(attrOr(n, "type"), "hidden") {
		return "input hidden"
	}
	for _, c := range strings.Fields(attrOr(n, "class")) {
		if h.classes[c] {
			return "classe ." + c + " masquée par une règle <style>"
		}
	}
	if id := attrOr(n, "id"); id != "" && h.ids[id] {
		return "#" + id + " masqué par une règle <style>"
	}
	return ""
}

// hiddenWhy reports why n or one of its ancestors is hidden.
func (h hiding) hiddenWhy(n *html.Node) string {
	for p := n; p != nil; p = p.Parent {
		if why := h.hiddenSelf(p); why != "" {
			return why
		}
	}
	return ""
}

// textOf concatenates the text below n (all of it, for <style>).
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// blockAtoms end a line in extracted text.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Br: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true,
	atom.Dt: true, atom.Dd: true, atom.Address: true, atom.Table: true, atom.Ul: true, atom.Ol: true,
}

// blockSep marks the start of a block (paragraph, cell, list item…) in
// extracted text: U+2029 PARAGRAPH SEPARATOR, white space for fold and
// strings.Fields (so the other rules read the text as before), by which
// NOTICE-003 reads a table's cells apart.
const blockSep = "\u2029"

// visibleText extracts the text a reader sees below n: no scripts, styles,
// templates or hidden elements; block elements end a line and, but for
// <br>, start a block (blockSep).
func visibleText(n *html.Node, h hiding) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head:
				return false
			}
			if h.hiddenSelf(c) != "" {
				return false
			}
			if c.DataAtom == atom.Img {
				b.WriteString(" " + attrOr(c, "alt") + " ")
			}
			if blockAtoms[c.DataAtom] {
				b.WriteString("\n")
				if c.DataAtom != atom.Br {
					b.WriteString(blockSep)
				}
			}
		}
		return true
	})
	return b.String()
}

// landmarkRoles are the ARIA landmark roles.
var landmarkRoles = map[string]bool{
	"banner": true, "navigation": true, "main": true, "complementary": true,
	"contentinfo": true, "region": true, "search": true, "form": true,
}

// scopingAtoms make a <footer> inside them a section footer, not the page's.
var scopingAtoms = map[atom.Atom]bool{atom.Article: true, atom.Aside: true, atom.Main: true, atom.Nav: true, atom.Section: true}

func isLandmark(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if landmarkRoles[strings.ToLower(strings.TrimSpace(attrOr(n, "role")))] {
		return true
	}
	switch n.DataAtom {
	case atom.Header, atom.Nav, atom.Main, atom.Aside, atom.Footer:
		return true
	case atom.Section, atom.Form:
		return attrOr(n, "aria-label") != "" || attrOr(n, "aria-labelledby") != ""
	}
	return false
}

// region is where the notice link must be.
type region struct {
	node *html.Node
	kind string // "footer", "role=contentinfo" or "dernière région <tag>"
}

// footerRegions returns the page's footers (a <footer> not scoped by an
// article, aside, main, nav or section, role="contentinfo", or an element
// whose id or class names the page footer, as in templates written before
// HTML5 landmarks: <div id="footer">); if there is none, the last
// top-level landmark region, but only where a footer would be: at the end
// of the page (nothing visible after it but dialogs and cookie banners),
// and never the page's banner (<header>, role="banner"): a top navigation
// bar followed by the content is no footer.
func footerRegions(doc *html.Node, h hiding) []region {
	var out []region
	var last *html.Node
	wrappers := mainWrappers(doc)
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if consentOrDialog(n, wrappers) || isModal(n) {
			return false // a cookie banner or a dialog is not the page's footer
		}
		if strings.EqualFold(strings.TrimSpace(attrOr(n, "role")), "contentinfo") {
			out = append(out, region{n, `role="contentinfo"`})
			return false
		}
		if n.DataAtom == atom.Footer && !scoped(n) {
			out = append(out, region{n, "footer"})
			return false
		}
		if kind := footerName(n); kind != "" && !scoped(n) && !wrappers[n] && !hasPassword(n) {
			// (a footer-named element that holds the main content or the
			// login form is a page or form wrapper, not the footer)
			out = append(out, region{n, kind})
			return false
		}
		if isLandmark(n) {
			last = n
			return true
		}
		return true
	})
	if len(out) == 0 && last != nil {
		// the last landmark in document order that is not inside another
		for p := last.Parent; p != nil; p = p.Parent {
			if isLandmark(p) {
				last = p
			}
		}
		if !isBanner(last) && !followedByContent(last, h) {
			out = append(out, region{last, "dernière région <" + last.Data + ">"})
		}
	}
	return out
}

// isBanner reports the page's header: <header> or role="banner".
func isBanner(n *html.Node) bool {
	return n.DataAtom == atom.Header || strings.EqualFold(strings.TrimSpace(attrOr(n, "role")), "banner")
}

// followedByContent reports visible text after n in document order, out
// of n (dialogs, modals and cookie banners, shown on demand, do not count).
func followedByContent(n *html.Node, h hiding) bool {
	for c := n; c != nil; c = c.Parent {
		for s := c.NextSibling; s != nil; s = s.NextSibling {
			if s.Type == html.ElementNode && (consentOrDialog(s, nil) || isModal(s)) {
				continue
			}
			if strings.TrimSpace(visibleText(s, h)) != "" {
				return true
			}
		}
	}
	return false
}

// isModal reports a modal window shown on demand: a dialog (see
// consentOrDialog) or an element classed as one (Bootstrap's "modal",
// the DSFR's "fr-modal").
func isModal(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(attrOr(n, "role"))) {
	case "dialog", "alertdialog":
		return true
	}
	if n.DataAtom == atom.Dialog || strings.EqualFold(attrOr(n, "aria-modal"), "true") {
		return true
	}
	for _, c := range strings.Fields(attrOr(n, "class")) {
		if c == "modal" || c == "fr-modal" {
			return true
		}
	}
	return false
}

// notPageFooter are words that make a "footer" class or id the footer
// of a component (card, modal, cookie banner…), not the page's.
var notPageFooter = []string{"modal", "card", "panel", "dialog", "popup", "popin", "cookie", "consent",
	"form", "table", "article", "post", "widget", "box", "tooltip", "tarteaucitron", "menu", "sidebar"}

// footerName says how element n names itself the page footer by its id or
// one of its classes ("footer", "site-footer", "kc-footer",
// "pied-de-page", "piedPage", "bas-de-page"…), as `id="footer"` or `class="kc-footer"`; "" if it does
// not, or names a component's footer ("card-footer", "modal-footer").
func footerName(n *html.Node) string {
	isFooter := func(tok string) bool {
		t := strings.ToLower(tok)
		flat := strings.NewReplacer("-", "", "_", "").Replace(t)
		if !strings.Contains(t, "footer") && t != "pied" && !strings.Contains(flat, "pieddepage") &&
			!strings.Contains(flat, "piedpage") && !strings.Contains(flat, "basdepage") {
			return false
		}
		for _, w := range notPageFooter {
			if strings.Contains(t, w) {
				return false
			}
		}
		return true
	}
	if id := strings.TrimSpace(attrOr(n, "id")); id != "" && isFooter(id) {
		return `id="` + id + `"`
	}
	for _, c := range strings.Fields(attrOr(n, "class")) {
		if isFooter(c) {
			return `class="` + c + `"`
		}
	}
	return ""
}

// consentWords name cookie banners and consent managers.
var consentWords = []string{"cookie", "consent", "tarteaucitron", "axeptio", "didomi", "onetrust", "cookiebot", "orejime"}

// consentOrDialog reports a dialog (role dialog or alertdialog, <dialog>,
// aria-modal) or a cookie banner (named so by its id, class or
// aria-label): a "données personnelles" link there is the consent
// manager's, shown until the user chooses, not the footer's.
func consentOrDialog(n *html.Node, wrappers map[*html.Node]bool) bool {
	switch strings.ToLower(strings.TrimSpace(attrOr(n, "role"))) {
	case "dialog", "alertdialog":
		return true
	}
	if n.DataAtom == atom.Dialog || strings.EqualFold(attrOr(n, "aria-modal"), "true") {
		return true
	}
	if n.DataAtom == atom.Html || n.DataAtom == atom.Body || n.DataAtom == atom.Main {
		return false
	}
	names := strings.ToLower(attrOr(n, "id") + " " + attrOr(n, "class") + " " + attrOr(n, "aria-label"))
	for _, w := range consentWords {
		if strings.Contains(names, w) {
			// a page wrapper ("has-cookie-consent" classes) is no banner
			return !wrappers[n]
		}
	}
	return false
}

// mainWrappers returns the ancestors of the page's main content (<main>,
// role="main"), found in one pass.
func mainWrappers(doc *html.Node) map[*html.Node]bool {
	out := map[*html.Node]bool{}
	walk(doc, func(c *html.Node) bool {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Main || strings.EqualFold(attrOr(c, "role"), "main")) {
			for p := c.Parent; p != nil && !out[p]; p = p.Parent {
				out[p] = true
			}
		}
		return true
	})
	return out
}

// closedDetails says whether n is folded in a closed <details> (all but
// its <summary> is shown only once the reader opens it).
func closedDetails(n *html.Node) string {
	for c := n; c != nil && c.Parent != nil; c = c.Parent {
		d := c.Parent
		if d.Type == html.ElementNode && d.DataAtom == atom.Details && c.DataAtom != atom.Summary {
			if _, open := attr(d, "open"); !open {
				return "replié dans un <details> fermé"
			}
		}
	}
	return ""
}

func scoped(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && scopingAtoms[p.DataAtom] {
			return true
		}
	}
	return false
}

var (
	noticeTextRe = regexp.MustCompile(`mentions? d'information|informations? (sur|relatives? (a|au|aux)) (la protection|le traitement|vos donnees|les donnees)|donnees personnelles|donnees a caractere personnel|protection des donnees|\brgpd\b|vie privee|confidentialite|\bprivacy\b|\bgdpr\b|informatique et libertes|traitements? (des|de vos) donnees`)
	noticeHrefRe = regexp.MustCompile(`mentions?[-_ ]?(d[-_' ]?)?informations?|rgpd|gdpr|donnees[-_ ]personnelles|protection[-_ ]des[-_ ]donnees|privacy|confidentialite|vie[-_ ]privee`)
)

// linkLabel is the accessible text of a link: its text, images' alt,
// aria-label and title.
func linkLabel(a *html.Node, h hiding) string {
	s := visibleText(a, h)
	for _, k := range []string{"aria-label", "title"} {
		if v := attrOr(a, k); v != "" {
			s += " " + v
		}
	}
	return strings.TrimSpace(fold(s))
}

// referenceSites publish the law and the regulator's guidance: a link to
// them (« Le RGPD », « Loi Informatique et Libertés ») is not the ENT's
// own notice.
var referenceSites = map[string]bool{
	"cnil.fr": true, "legifrance.gouv.fr": true, "europa.eu": true, "service-public.fr": true,
}

// isNoticeLink tells whether a link's text or target names the notice.
func isNoticeLink(label, href string) bool {
	if u, err := url.Parse(href); err == nil && u.Host != "" && referenceSites[registrable(u.Hostname())] {
		return false
	}
	if noticeTextRe.MatchString(label) {
		return true
	}
	if u, err := url.PathUnescape(href); err == nil {
		href = u
	}
	return noticeHrefRe.MatchString(fold(href))
}

// link is a candidate link to the notice: an <a href>, or a trigger (an
// <a> without address or with href="", a <button>, role="button" or
// "link") that opens the notice held in the page, a modal most often.
type link struct {
	node   *html.Node
	href   string
	label  string
	hidden string // why it is hidden, "" if visible
	region region
	// trigger: not an <a href> to a document; opens (by script) what
	// targets names
	trigger bool
	// targets are the ids of the elements the link opens (data-bs-target,
	// data-target, aria-controls, popovertarget, commandfor; href="#id")
	targets []string
	// legal: a "Mentions légales" link, judged by its target
	legal bool
}

// targetAttrs name the element a trigger opens: Bootstrap 5 and 4, ARIA
// (the DSFR's modals), the HTML popover and command attributes.
var targetAttrs = []string{"data-bs-target", "data-target", "aria-controls", "popovertarget", "commandfor"}

// linkTargets returns the ids n opens, in the order a browser script
// would read them (its own #fragment first).
func linkTargets(n *html.Node) []string {
	var out []string
	add := func(v string) {
		v = strings.TrimPrefix(strings.TrimSpace(v), "#")
		if v != "" && !strings.ContainsAny(v, " .[:>") {
			out = append(out, v)
		}
	}
	if href := strings.TrimSpace(attrOr(n, "href")); strings.HasPrefix(href, "#") {
		add(href)
	}
	for _, k := range targetAttrs {
		add(attrOr(n, k))
	}
	return out
}

// legalTextRe and legalHrefRe name the publisher's legal notice and the
// terms of use or charter of the ENT, which often hold the information
// notice as one of their sections.
var (
	legalTextRe = regexp.MustCompile(`\bmentions? legales?\b|\binformations? legales?\b|\bconditions? generales? d.utilisation\b|\bcgu\b|\bcharte d.(utilisation|usage)\b|\bcharte (de l.ent|informatique|numerique)\b|^charte$`)
	legalHrefRe = regexp.MustCompile(`mentions?[-_ ]?legales?|\bcgu\b|conditions[-_ ]generales|\bcharte\b`)
)

// isTrigger reports an element that opens something in the page rather
// than leading to a document: an <a> without address (or href=""), a
// <button> but a form's submit or reset button (inForm: n is in a form), an
// element whose role is button or link.
func isTrigger(n *html.Node, inForm bool) bool {
	switch n.DataAtom {
	case atom.A:
		href, ok := attr(n, "href")
		return !ok || strings.TrimSpace(href) == ""
	case atom.Button:
		t := strings.ToLower(strings.TrimSpace(attrOr(n, "type")))
		switch {
		case t == "reset":
			return false
		case t == "" || t == "submit":
			// a submit button (the default) of a form sends the form,
			// unless a script makes it open what it targets
			return (attrOr(n, "form") == "" && !inForm) || len(linkTargets(n)) > 0
		}
		return true
	}
	switch strings.ToLower(strings.TrimSpace(attrOr(n, "role"))) {
	case "button", "link":
		return true
	}
	return false
}

// opensConsentManager reports a link that opens the cookie consent
// manager ("Paramètres de confidentialité" calling tarteaucitron, Didomi,
// Axeptio…): by its script (onclick, javascript: address), the element it
// targets, or a consent library's data attribute. It is not the notice.
// (An address such as /donnees-personnelles-et-cookies is a document:
// not read here.)
func opensConsentManager(n *html.Node) bool {
	var s strings.Builder
	s.WriteString(attrOr(n, "onclick"))
	if href := strings.TrimSpace(attrOr(n, "href")); strings.HasPrefix(strings.ToLower(href), "javascript:") {
		s.WriteString(" " + href)
	}
	for _, k := range targetAttrs {
		s.WriteString(" " + attrOr(n, k))
	}
	for _, a := range n.Attr {
		if strings.HasPrefix(a.Key, "data-cc") || a.Key == "data-didomi" || strings.HasPrefix(a.Key, "data-axeptio") {
			return true
		}
	}
	text := strings.ToLower(s.String())
	for _, w := range consentWords {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// noticeLinks returns the candidate links to the notice in the regions:
// <a href>s and triggers whose text, address or target names the notice,
// and "Mentions légales", terms of use or charter links (legal). Modals held in a region are not
// searched: their links are not the footer's.
func noticeLinks(regions []region, h hiding) []link {
	var out []link
	for _, r := range regions {
		// the buttons of a form submit it (marked in one pass: no climb
		// to the ancestors per button)
		inForm := map[*html.Node]bool{}
		walk(r.node, func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.DataAtom == atom.Form {
				walk(n, func(c *html.Node) bool {
					if c.Type == html.ElementNode && c.DataAtom == atom.Button {
						inForm[c] = true
					}
					return true
				})
				return false
			}
			return true
		})
		if r.node.Parent != nil {
			for p := r.node.Parent; p != nil; p = p.Parent {
				if p.DataAtom == atom.Form {
					// the whole region is in a form (an ASP.NET page)
					walk(r.node, func(c *html.Node) bool {
						if c.Type == html.ElementNode && c.DataAtom == atom.Button {
							inForm[c] = true
						}
						return true
					})
					break
				}
			}
		}
		walk(r.node, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			if n != r.node && (isModal(n) || consentOrDialog(n, nil)) {
				return false
			}
			trigger := isTrigger(n, inForm[n])
			if n.DataAtom != atom.A && !trigger {
				return true
			}
			if opensConsentManager(n) {
				return false
			}
			href := strings.TrimSpace(attrOr(n, "href"))
			label := linkLabel(n, hiding{})
			l := link{node: n, href: href, label: label, region: r, trigger: trigger, targets: linkTargets(n)}
			switch {
			case isNoticeLink(label, href) || (trigger && targetNamesNotice(l.targets)):
			case legalTextRe.MatchString(label) || (href != "" && legalHrefRe.MatchString(fold(href))):
				l.legal = true
			default:
				return false
			}
			why := h.hiddenWhy(n)
			if why == "" {
				why = closedDetails(n)
			}
			if why == "" && linkLabel(n, h) == "" && !hasVisibleImage(n, h) {
				why = noTextWhy
			}
			l.hidden = why
			out = append(out, l)
			return false
		})
	}
	return out
}

// targetNamesNotice reports a trigger whose target id names the notice
// (data-bs-target="#modal-rgpd").
func targetNamesNotice(ids []string) bool {
	for _, id := range ids {
		if noticeHrefRe.MatchString(fold(strings.NewReplacer("_", "-").Replace(id))) {
			return true
		}
	}
	return false
}

// noTextWhy is why a link with neither text nor image does not count.
const noTextWhy = "lien sans texte visible"

func hasVisibleImage(n *html.Node, h hiding) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && h.hiddenSelf(c) != "" {
			return false
		}
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || c.DataAtom == atom.Svg) {
			found = true
		}
		return !found
	})
	return found
}

// templateMarkRe finds the placeholders of client-side templates that
// scripts fill in ({{ … }} of Angular, Vue or Mustache, [[ … ]] of
// OPEN ENT NG's i18n, ${ … }).
var templateMarkRe = regexp.MustCompile(`\{\{.*\}\}|\[\[.*\]\]|\$\{.*\}`)

// i18nAttrs are attributes by which scripts put translated text in an
// element (OPEN ENT NG translate/i18n, LemonLDAP::NG trspan, i18next).
var i18nAttrs = map[string]bool{"translate": true, "i18n": true, "data-i18n": true, "trspan": true, "trmsg": true}

// templated reports whether n holds markup that scripts fill in: template
// placeholders in its text or attributes, or framework directives
// (ng-include, ng-repeat, v-for, x-data, :href…).
func templated(n *html.Node) bool {
	found := false
	walk(n, func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			found = templateMarkRe.MatchString(c.Data)
		case html.ElementNode:
			for _, a := range c.Attr {
				k := strings.ToLower(a.Key)
				if i18nAttrs[k] || strings.HasPrefix(k, "ng-") || strings.HasPrefix(k, "data-ng-") || strings.HasPrefix(k, "v-") ||
					strings.HasPrefix(k, "x-") || strings.HasPrefix(k, ":") || strings.HasPrefix(k, "*ng") ||
					strings.HasPrefix(k, "[") || templateMarkRe.MatchString(a.Val) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// loginAction returns the absolute action URL of the first form holding a
// password field ("" if none).
func loginAction(doc *html.Node) string {
	action := ""
	walk(doc, func(n *html.Node) bool {
		if action != "" {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Form && hasPassword(n) {
			if u, err := url.Parse(strings.TrimSpace(attrOr(n, "action"))); err == nil && u.Host != "" {
				action = u.String()
			}
			return false
		}
		return true
	})
	return action
}

// hasPassword reports a password field (a login wall).
func hasPassword(doc *html.Node) bool {
	found := false
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Input && strings.EqualFold(attrOr(n, "type"), "password") {
			found = true
		}
		return !found
	})
	return found
}

// hasScripts reports whether the page runs scripts (it may build its
// footer in JavaScript).
func hasScripts(doc *html.Node) bool {
	found := false
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script && runs(n) {
			found = true
		}
		return !found
	})
	return found
}

// runs reports whether the browser runs (and, with src, fetches) a
// <script>: no type, a JavaScript MIME type or "module". Data blocks
// (application/ld+json), client templates (text/x-template) and scripts
// a consent manager holds back (text/plain, type="opt-in") are inert.
func runs(script *html.Node) bool {
	t := strings.ToLower(strings.TrimSpace(attrOr(script, "type")))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "", "module", "text/javascript", "application/javascript", "application/x-javascript",
		"text/ecmascript", "application/ecmascript", "text/jscript", "text/livescript", "text/x-javascript",
		"text/x-ecmascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
		"text/javascript1.3", "text/javascript1.4", "text/javascript1.5":
		return true
	}
	return false
}

// resource is something the browser loads (or posts to) from the page.
type resource struct {
	kind, url string
}

// resources lists the URLs the page loads: scripts, images, frames, style
// sheets and other <link>s that fetch, media, objects, and form actions.
func resources(doc *html.Node) []resource {
	var out []resource
	add := func(kind, u string) {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, resource{kind, u})
		}
	}
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Script, atom.Img, atom.Iframe, atom.Frame, atom.Audio, atom.Video, atom.Source, atom.Embed, atom.Track, atom.Input:
			if n.DataAtom == atom.Script && !runs(n) {
				return true // not fetched
			}
			add(n.Data, attrOr(n, "src"))
			if n.DataAtom == atom.Img || n.DataAtom == atom.Source {
				for _, c := range strings.Split(attrOr(n, "srcset"), ",") {
					if f := strings.Fields(c); len(f) > 0 {
						add(n.Data+" srcset", f[0])
					}
				}
			}
		case atom.Link:
			rel := strings.ToLower(attrOr(n, "rel"))
			for _, r := range strings.Fields(rel) {
				switch r {
				case "stylesheet", "icon", "preload", "prefetch", "modulepreload", "preconnect", "dns-prefetch", "manifest", "apple-touch-icon":
					add("link rel="+rel, attrOr(n, "href"))
				}
			}
		case atom.Object:
			add("object", attrOr(n, "data"))
		case atom.Form:
			add("form action", attrOr(n, "action"))
		}
		return true
	})
	return out
}

// baseHref returns the href of the document's first <base> element ("" if
// none): relative links resolve against it.
func baseHref(doc *html.Node) string {
	href := ""
	walk(doc, func(n *html.Node) bool {
		if href != "" {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			if v, ok := attr(n, "href"); ok {
				href = strings.TrimSpace(v)
			}
		}
		return true
	})
	return href
}

// pageBase returns the page's declared own URL for a local file: <base
// href>, <link rel=canonical> or <meta property=og:url>.
func pageBase(doc *html.Node) string {
	var base, canon, og string
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Base:
			if base == "" {
				base = attrOr(n, "href")
			}
		case atom.Link:
			if canon == "" && strings.EqualFold(attrOr(n, "rel"), "canonical") {
				canon = attrOr(n, "href")
			}
		case atom.Meta:
			if og == "" && attrOr(n, "property") == "og:url" {
				og = attrOr(n, "content")
			}
		}
		return true
	})
	for _, s := range []string{base, canon, og} {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" {
			return u.String()
		}
	}
	return ""
}

// inlineScripts returns the texts of the inline scripts the browser runs
// (trackers are often injected by a snippet), one per script.
func inlineScripts(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script {
			if _, ok := attr(n, "src"); !ok && runs(n) {
				out = append(out, textOf(n))
			}
			return false
		}
		return true
	})
	return out
}

// lineOf returns the 1-based line of the first occurrence of needle in
// data (0 if absent).
func lineOf(data []byte, needle string) int {
	if needle == "" {
		return 0
	}
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}
