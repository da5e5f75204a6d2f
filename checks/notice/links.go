package notice

// This file: the candidate links to the notice in the footer (labels,
// targets, triggers, legal notices).

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

var (
	noticeTextRe = regexp.MustCompile(`mentions? d'information|informations? (sur|relatives? (a|au|aux)) (la protection|le traitement|vos donnees|les donnees)|donnees personnelles|donnees a caractere personnel|protection des donnees|\brgpd\b|vie privee|confidentialite|\bprivacy\b|\bgdpr\b|informatique et libertes|traitements? (des|de vos) donnees`)
	noticeHrefRe = regexp.MustCompile(`mentions?[-_ ]?(d[-_' ]?)?informations?|rgpd|gdpr|donnees[-_ ]personnelles|protection[-_ ]des[-_ ]donnees|privacy|confidentialite|vie[-_ ]privee`)
)

// linkLabel is the accessible text of a link: its text, images' alt,
// aria-label and title.
func linkLabel(a *html.Node, h hiding) string {
	s := visibleText(a, h)
	for _, k := range []string{"aria-label", "title"} {
		if v := htmltree.AttrOr(a, k); v != "" {
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
	if href := strings.TrimSpace(htmltree.AttrOr(n, "href")); strings.HasPrefix(href, "#") {
		add(href)
	}
	for _, k := range targetAttrs {
		add(htmltree.AttrOr(n, k))
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
		href, ok := htmltree.Attr(n, "href")
		return !ok || strings.TrimSpace(href) == ""
	case atom.Button:
		t := strings.ToLower(strings.TrimSpace(htmltree.AttrOr(n, "type")))
		switch {
		case t == "reset":
			return false
		case t == "" || t == "submit":
			// a submit button (the default) of a form sends the form,
			// unless a script makes it open what it targets
			return (htmltree.AttrOr(n, "form") == "" && !inForm) || len(linkTargets(n)) > 0
		}
		return true
	}
	switch strings.ToLower(strings.TrimSpace(htmltree.AttrOr(n, "role"))) {
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
	s.WriteString(htmltree.AttrOr(n, "onclick"))
	if href := strings.TrimSpace(htmltree.AttrOr(n, "href")); strings.HasPrefix(strings.ToLower(href), "javascript:") {
		s.WriteString(" " + href)
	}
	for _, k := range targetAttrs {
		s.WriteString(" " + htmltree.AttrOr(n, k))
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
		htmltree.Walk(r.node, func(n *html.Node) bool {
			if n.Type == html.ElementNode && n.DataAtom == atom.Form {
				htmltree.Walk(n, func(c *html.Node) bool {
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
					htmltree.Walk(r.node, func(c *html.Node) bool {
						if c.Type == html.ElementNode && c.DataAtom == atom.Button {
							inForm[c] = true
						}
						return true
					})
					break
				}
			}
		}
		htmltree.Walk(r.node, func(n *html.Node) bool {
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
			href := strings.TrimSpace(htmltree.AttrOr(n, "href"))
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
	htmltree.Walk(n, func(c *html.Node) bool {
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
