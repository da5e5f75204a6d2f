package notice

// This file: the scripts of the page (which run, inline snippets,
// templates that scripts fill in).

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

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
	htmltree.Walk(n, func(c *html.Node) bool {
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

// hasScripts reports whether the page runs scripts (it may build its
// footer in JavaScript).
func hasScripts(doc *html.Node) bool {
	found := false
	htmltree.Walk(doc, func(n *html.Node) bool {
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
	t := strings.ToLower(strings.TrimSpace(htmltree.AttrOr(script, "type")))
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

// inlineScripts returns the texts of the inline scripts the browser runs
// (trackers are often injected by a snippet), one per script.
func inlineScripts(doc *html.Node) []string {
	var out []string
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode && n.DataAtom == atom.Script {
			if _, ok := htmltree.Attr(n, "src"); !ok && runs(n) {
				out = append(out, textOf(n))
			}
			return false
		}
		return true
	})
	return out
}
