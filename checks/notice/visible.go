package notice

// This file: what a reader sees of the tree (hidden elements, visible
// text).

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

// renderedHiddenAttr marks elements that the headless browser measured as
// not rendered (zero size, display:none, visibility:hidden, opacity 0).
const renderedHiddenAttr = "data-sdetcheck-hidden"

// hiding says what the page hides from a reader: the hidden attribute,
// aria-hidden, the elements the headless browser measured as not rendered
// (render mode), and the page's own CSS, applied as a browser does (see
// computeStyles): its <style> elements and style attributes, with
// specificity, source order, !important, cascade layers, inline style over
// style sheets, inherited visibility, display:none on an ancestor; the
// rules of @media screen or all apply, print-only ones do not, and a rule
// that applies only on some screens or browsers (a width, @supports) never
// surely hides, but may show. External style sheets are not read: render
// mode (--render) measures the real boxes instead.
//
// The zero hiding reads the hidden attributes and each element's style
// attribute alone (no style sheet, no inheritance).
type hiding struct {
	css *styles
	// shown: nothing counts as hidden (the text of a modal once opened)
	shown bool
}

// styleHiding applies the document's CSS to it. The answers are tied to
// doc's nodes: a caller that removes nodes afterwards keeps them right.
func styleHiding(doc *html.Node) hiding {
	return hiding{css: computeStyles(doc)}
}

// cssHidden says why the page's CSS hides element n with all it holds.
func (h hiding) cssHidden(n *html.Node) cssWhy {
	if h.css == nil {
		return inlineHidden(n)
	}
	return h.css.hide[n]
}

// dimmed reports an element whose own text CSS hides while showing an
// element it holds (visibility:hidden, then visible below).
func (h hiding) dimmed(n *html.Node) bool {
	return !h.shown && h.css != nil && h.css.dim[n]
}

// hiddenSelf reports why element n itself is hidden ("" if it is not).
func (h hiding) hiddenSelf(n *html.Node) string {
	if n.Type != html.ElementNode || h.shown {
		return ""
	}
	if _, ok := htmltree.Attr(n, "hidden"); ok {
		return "attribut hidden"
	}
	if strings.EqualFold(strings.TrimSpace(htmltree.AttrOr(n, "aria-hidden")), "true") {
		return `aria-hidden="true"`
	}
	if _, ok := htmltree.Attr(n, renderedHiddenAttr); ok {
		return "taille nulle ou masqué au rendu"
	}
	css := h.cssHidden(n)
	if css.why != "" && css.inline {
		return css.why
	}
	if n.DataAtom == atom.Input && strings.EqualFold(htmltree.AttrOr(n, "type"), "hidden") {
		return "input hidden"
	}
	return css.why
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
	htmltree.Walk(n, func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			if !h.dimmed(c.Parent) {
				b.WriteString(c.Data)
			}
		case html.ElementNode:
			switch c.DataAtom {
			case atom.Script, atom.Style, atom.Template, atom.Noscript, atom.Head:
				return false
			}
			if h.hiddenSelf(c) != "" {
				return false
			}
			if c.DataAtom == atom.Img {
				b.WriteString(" " + htmltree.AttrOr(c, "alt") + " ")
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
			if _, open := htmltree.Attr(d, "open"); !open {
				return "replié dans un <details> fermé"
			}
		}
	}
	return ""
}
