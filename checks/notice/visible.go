package notice

// This file: what a reader sees of the tree (hidden elements, visible
// text).

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
