package notice

// This file: where the page footer is (landmarks, footer names, cookie
// banners and dialogs that are not the footer).

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

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
	if landmarkRoles[strings.ToLower(strings.TrimSpace(htmltree.AttrOr(n, "role")))] {
		return true
	}
	switch n.DataAtom {
	case atom.Header, atom.Nav, atom.Main, atom.Aside, atom.Footer:
		return true
	case atom.Section, atom.Form:
		return htmltree.AttrOr(n, "aria-label") != "" || htmltree.AttrOr(n, "aria-labelledby") != ""
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
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if consentOrDialog(n, wrappers) || isModal(n) {
			return false // a cookie banner or a dialog is not the page's footer
		}
		if strings.EqualFold(strings.TrimSpace(htmltree.AttrOr(n, "role")), "contentinfo") {
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

// isBanner reports the page's header: <header> or role="banner", unless
// it wraps the page (wrapsPage).
func isBanner(n *html.Node) bool {
	return (n.DataAtom == atom.Header || strings.EqualFold(strings.TrimSpace(htmltree.AttrOr(n, "role")), "banner")) && !wrapsPage(n)
}

// wrapsPage reports an element that holds the page rather than frames
// it: the main content (<main>, role="main", <article>), the page's
// footer (<footer>, role="contentinfo") or another banner inside it. An
// unclosed <header> does so (the parser puts the rest of the page in it),
// as does a layout wrapper given a landmark's tag or role: it is no
// chrome to leave out, its content is the page's.
func wrapsPage(n *html.Node) bool {
	found := false
	for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
		htmltree.Walk(c, func(d *html.Node) bool {
			if found || d.Type != html.ElementNode {
				return !found
			}
			role := strings.ToLower(strings.TrimSpace(htmltree.AttrOr(d, "role")))
			switch {
			case d.DataAtom == atom.Main, d.DataAtom == atom.Article, d.DataAtom == atom.Footer, d.DataAtom == atom.Header,
				role == "main", role == "contentinfo", role == "banner":
				found = true
			}
			return !found
		})
	}
	return found
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
	switch strings.ToLower(strings.TrimSpace(htmltree.AttrOr(n, "role"))) {
	case "dialog", "alertdialog":
		return true
	}
	if n.DataAtom == atom.Dialog || strings.EqualFold(htmltree.AttrOr(n, "aria-modal"), "true") {
		return true
	}
	for _, c := range strings.Fields(htmltree.AttrOr(n, "class")) {
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
	if id := strings.TrimSpace(htmltree.AttrOr(n, "id")); id != "" && isFooter(id) {
		return `id="` + id + `"`
	}
	for _, c := range strings.Fields(htmltree.AttrOr(n, "class")) {
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
	switch strings.ToLower(strings.TrimSpace(htmltree.AttrOr(n, "role"))) {
	case "dialog", "alertdialog":
		return true
	}
	if n.DataAtom == atom.Dialog || strings.EqualFold(htmltree.AttrOr(n, "aria-modal"), "true") {
		return true
	}
	if n.DataAtom == atom.Html || n.DataAtom == atom.Body || n.DataAtom == atom.Main {
		return false
	}
	names := strings.ToLower(htmltree.AttrOr(n, "id") + " " + htmltree.AttrOr(n, "class") + " " + htmltree.AttrOr(n, "aria-label"))
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
	htmltree.Walk(doc, func(c *html.Node) bool {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Main || strings.EqualFold(htmltree.AttrOr(c, "role"), "main")) {
			for p := c.Parent; p != nil && !out[p]; p = p.Parent {
				out[p] = true
			}
		}
		return true
	})
	return out
}

func scoped(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && scopingAtoms[p.DataAtom] {
			return true
		}
	}
	return false
}
