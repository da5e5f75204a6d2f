package notice

// This file: what the page loads or posts to, and its own address
// (resources, <base>, canonical URL, login form).

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

// loginAction returns the absolute action URL of the first form holding a
// password field ("" if none).
func loginAction(doc *html.Node) string {
	action := ""
	htmltree.Walk(doc, func(n *html.Node) bool {
		if action != "" {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Form && hasPassword(n) {
			if u, err := url.Parse(strings.TrimSpace(htmltree.AttrOr(n, "action"))); err == nil && u.Host != "" {
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
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Input && strings.EqualFold(htmltree.AttrOr(n, "type"), "password") {
			found = true
		}
		return !found
	})
	return found
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
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Script, atom.Img, atom.Iframe, atom.Frame, atom.Audio, atom.Video, atom.Source, atom.Embed, atom.Track, atom.Input:
			if n.DataAtom == atom.Script && !runs(n) {
				return true // not fetched
			}
			add(n.Data, htmltree.AttrOr(n, "src"))
			if n.DataAtom == atom.Img || n.DataAtom == atom.Source {
				for _, c := range strings.Split(htmltree.AttrOr(n, "srcset"), ",") {
					if f := strings.Fields(c); len(f) > 0 {
						add(n.Data+" srcset", f[0])
					}
				}
			}
		case atom.Link:
			rel := strings.ToLower(htmltree.AttrOr(n, "rel"))
			for _, r := range strings.Fields(rel) {
				switch r {
				case "stylesheet", "icon", "preload", "prefetch", "modulepreload", "preconnect", "dns-prefetch", "manifest", "apple-touch-icon":
					add("link rel="+rel, htmltree.AttrOr(n, "href"))
				}
			}
		case atom.Object:
			add("object", htmltree.AttrOr(n, "data"))
		case atom.Form:
			add("form action", htmltree.AttrOr(n, "action"))
		}
		return true
	})
	return out
}

// baseHref returns the href of the document's first <base> element ("" if
// none): relative links resolve against it.
func baseHref(doc *html.Node) string {
	href := ""
	htmltree.Walk(doc, func(n *html.Node) bool {
		if href != "" {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			if v, ok := htmltree.Attr(n, "href"); ok {
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
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Base:
			if base == "" {
				base = htmltree.AttrOr(n, "href")
			}
		case atom.Link:
			if canon == "" && strings.EqualFold(htmltree.AttrOr(n, "rel"), "canonical") {
				canon = htmltree.AttrOr(n, "href")
			}
		case atom.Meta:
			if og == "" && htmltree.AttrOr(n, "property") == "og:url" {
				og = htmltree.AttrOr(n, "content")
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
