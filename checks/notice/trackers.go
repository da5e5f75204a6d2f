package notice

import (
	"net/url"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

// snippet is a tracker that an inline script or a <noscript> pixel of the
// page loads before login (PAGE-005).
type snippet struct {
	host string // the analytics server
	name string // the tracker, as the finding names it
	kind string // how the page loads it ("script en ligne", "pixel <noscript>"…)
	raw  string // what the page says (for the evidence line)
}

// A tracker snippet is recognised by what its vendor's code always writes,
// not by its host: a Matomo snippet (_paq, setTrackerUrl, Matomo Tag
// Manager's _mtm) may send to a server of any name.
var (
	matomoSnippetRe  = regexp.MustCompile(`\b_paq\b|\bsetTrackerUrl\b|\b_mtm\b|\b(?:piwik|matomo)\.(?:js|php)\b`)
	gtagSnippetRe    = regexp.MustCompile(`\bgtag\s*\(|\bGTM-[A-Z0-9]{4,}\b|googletagmanager\.com`)
	gaSnippetRe      = regexp.MustCompile(`\bGoogleAnalyticsObject\b|\bga\s*\(\s*['"]create['"]|google-analytics\.com/(?:analytics|ga)\.js`)
	atSnippetRe      = regexp.MustCompile(`\bATInternet\b|\bxtcore\b|\bxtsite\b|\bxtsd\b|\bsmarttag\.js\b|\bpa\.setConfigurations\b`)
	hotjarSnippetRe  = regexp.MustCompile(`\b_hjSettings\b|static\.hotjar\.com`)
	metaPixelRe      = regexp.MustCompile(`\bfbq\s*\(|\bfbevents\.js\b`)
	quotedURLRe      = regexp.MustCompile("[\"'`]((?:https?:)?//([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)(?::[0-9]+)?[^\"'`\\s]*)")
	noscriptSrcRe    = regexp.MustCompile(`(?i)<(?:img|iframe)\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)`)
	matomoEndpointRe = regexp.MustCompile(`(?i)(?:^|/)(?:matomo|piwik)\.php$`)
)

// docHosts are the vendors' documentation sites that their snippets cite
// in comments: not servers the snippet sends to.
var docHosts = map[string]bool{"matomo.org": true, "piwik.org": true, "developers.google.com": true, "developers.facebook.com": true}

// snippetVendor is a tracker recognised by its snippet, with the server
// its code loads when the snippet names none.
type snippetVendor struct {
	re       *regexp.Regexp
	name     string
	fallback string
}

var snippetVendors = []snippetVendor{
	{gtagSnippetRe, "Google Tag Manager", "www.googletagmanager.com"},
	{gaSnippetRe, "Google Analytics", "www.google-analytics.com"},
	{atSnippetRe, "AT Internet (Xiti)", "xiti.com"},
	{hotjarSnippetRe, "Hotjar", "static.hotjar.com"},
	{metaPixelRe, "Meta Pixel (Facebook)", "connect.facebook.net"},
}

// selfHosted names a Matomo server that is neither a known SaaS nor on
// the page's own domain. When the page's domain is unknown (a local page
// that declares no URL), the server may be the ENT's own: it is then no
// named tracker but a third-party resource to justify (a warning), its
// kind saying what it is.
func selfHosted(ownKnown bool, kind string) (name, k string) {
	if ownKnown {
		return "Matomo (serveur auto-hébergé sur un autre domaine)", kind
	}
	return "", kind + " Matomo, domaine de la page inconnu"
}

// snippetTrackers returns the trackers the page's inline scripts and
// <noscript> pixels load: Matomo/Piwik snippets (their server, wherever
// it is: a SaaS such as Matomo Cloud or a self-hosted server), Google
// Analytics and Tag Manager, AT Internet/Xiti, Hotjar and Meta pixel
// snippets, and tracking pixels (matomo.php, piwik.php, /collect, the
// Meta pixel, Tag Manager's frame). The caller drops the servers of the
// page's own domain. A snippet in a consent manager's configuration
// (tarteaucitron) is of kind consentKind: loaded only once the user
// accepts.
func snippetTrackers(doc *html.Node, ownKnown bool) []snippet {
	var out []snippet
	for _, script := range inlineScripts(doc) {
		kind := "script en ligne"
		if consentScriptRe.MatchString(strings.ToLower(script)) {
			kind = consentKind
		}
		var hosts []string
		for _, m := range quotedURLRe.FindAllStringSubmatch(script, -1) {
			if h := strings.ToLower(m[2]); !docHosts[registrable(h)] {
				hosts = append(hosts, h)
			}
		}
		if matomoSnippetRe.MatchString(script) {
			for _, h := range hosts {
				name, k := trackerName(h), kind
				if name == "" {
					name, k = selfHosted(ownKnown, kind)
				}
				out = append(out, snippet{host: h, name: name, kind: k, raw: h})
			}
		}
		for _, v := range snippetVendors {
			if !v.re.MatchString(script) {
				continue
			}
			found := false
			for _, h := range hosts {
				if registrable(h) == registrable(v.fallback) || trackerName(h) != "" {
					name := trackerName(h)
					if name == "" {
						name = v.name
					}
					out = append(out, snippet{host: h, name: name, kind: kind, raw: h})
					found = true
				}
			}
			if !found {
				out = append(out, snippet{host: v.fallback, name: v.name, kind: kind, raw: v.re.FindString(script)})
			}
		}
	}
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Noscript:
			// with scripting on, the parser keeps <noscript>'s content as text
			for _, m := range noscriptSrcRe.FindAllStringSubmatch(textOf(n)+renderedNoscript(n), -1) {
				if s, ok := pixel(html.UnescapeString(m[1]), "pixel <noscript>", ownKnown); ok {
					out = append(out, s)
				}
			}
			return false
		case atom.Img:
			// Matomo's image tracker, a measurement protocol pixel
			if s, ok := pixel(htmltree.AttrOr(n, "src"), "img", ownKnown); ok {
				out = append(out, s)
			}
		}
		return true
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].host < out[j].host })
	return out
}

// renderedNoscript returns the markup of a <noscript> whose content was
// parsed as elements (a rendered DOM serialised with scripting off).
func renderedNoscript(n *html.Node) string {
	var b strings.Builder
	htmltree.Walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && (c.DataAtom == atom.Img || c.DataAtom == atom.Iframe) {
			b.WriteString(`<img src="` + htmltree.AttrOr(c, "src") + `">`)
		}
		return true
	})
	return b.String()
}

// pixel tells whether the address an image or frame loads is a tracking
// pixel, and names it (kind: how the page loads it).
func pixel(raw, kind string, ownKnown bool) (snippet, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Hostname() == "" || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return snippet{}, false // relative: the page's own server
	}
	h := strings.ToLower(u.Hostname())
	s := snippet{host: h, kind: kind, raw: raw}
	switch {
	case matomoEndpointRe.MatchString(u.Path):
		s.name = trackerName(h)
		if s.name == "" {
			s.name, s.kind = selfHosted(ownKnown, s.kind)
		}
	case trackerName(h) != "":
		s.name = trackerName(h)
	case strings.HasSuffix(u.Path, "/collect"):
		s.name = "pixel de mesure d'audience (/collect)"
	default:
		return snippet{}, false
	}
	return s, true
}
