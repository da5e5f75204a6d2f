package notice

// This file: the cascade of the page's own CSS on its tree, for the two
// properties that hide an element (display, visibility). The selectors
// are matched by cascadia, compound by compound; the combinators are
// matched here, right to left with memoization, so that a page's work is
// linear in its elements per selector and bounded in all.

import (
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

const (
	// maxCSSWork bounds the work of matching the style sheets' selectors
	// against the page's elements: one unit per compound selector tried
	// on an element (more for long attributes and structural
	// pseudo-classes), per step up the tree or along siblings, per
	// selector. Past it, the page's style sheets are not applied (as if
	// they were external): the bound is the product of rules and elements
	// that a page may ask for.
	maxCSSWork = 10_000_000
	// maxStyledElements: a page with more elements is not matched
	// against its style sheets at all.
	maxStyledElements = 200_000
)

// styles is what the page's CSS (its <style> elements and style
// attributes) hides.
type styles struct {
	// hide holds the elements that CSS hides with all that they hold:
	// display:none, or visibility:hidden that nothing below undoes
	hide map[*html.Node]cssWhy
	// dim holds the elements whose visibility is hidden but which hold an
	// element made visible again (visibility:visible): their own text is
	// not shown, the visible element's is
	dim map[*html.Node]bool
	// work is the matching work done (see maxCSSWork)
	work int
	// dropped says why the style sheets were not applied ("" if they
	// were, or if there were none)
	dropped string
}

// cssWhy says why CSS hides an element.
type cssWhy struct {
	why string
	// inline: said by the element's style attribute (or an ancestor's)
	inline bool
}

// prec orders two declarations of a property in the cascade.
type prec struct {
	important bool
	inline    bool // style attribute
	layer     int  // cascade layer rank (negated for !important)
	spec      cascadia.Specificity
	order     int // of the rule
	pos       int // of the declaration in its block
}

func (a prec) less(b prec) bool {
	switch {
	case a.important != b.important:
		return !a.important
	case a.inline != b.inline:
		return !a.inline
	case a.layer != b.layer:
		return a.layer < b.layer
	case a.spec != b.spec:
		return a.spec.Less(b.spec)
	case a.order != b.order:
		return a.order < b.order
	}
	return a.pos < b.pos
}

// propState is the cascade of one property on one element.
type propState struct {
	sure bool // a declaration that surely applies was seen
	val  string
	prec prec
	from *complexSel // nil: the style attribute
	// maybe: a declaration that applies only under some condition
	// (maybePrec) would show the element
	maybe     bool
	maybePrec prec
}

func (ps *propState) add(d cssDecl, p prec, maybe bool, from *complexSel) {
	if maybe {
		// a conditional declaration never surely hides; it may show
		if !d.hides() && (!ps.maybe || ps.maybePrec.less(p)) {
			ps.maybe, ps.maybePrec = true, p
		}
		return
	}
	if !ps.sure || ps.prec.less(p) {
		ps.sure, ps.val, ps.prec, ps.from = true, d.val, p, from
	}
}

// value returns the property's value for a visitor's screen: "" when
// nothing surely applies, "visible"/"block" when a conditional
// declaration may show the element.
func (ps *propState) value(shown string) string {
	if ps.maybe && (!ps.sure || ps.prec.less(ps.maybePrec)) {
		return shown
	}
	if ps.sure {
		return ps.val
	}
	return ""
}

type elemStyle struct {
	display, visibility propState
}

func (st *elemStyle) add(d cssDecl, p prec, maybe bool, from *complexSel) {
	if d.prop == "display" {
		st.display.add(d, p, maybe, from)
	} else {
		st.visibility.add(d, p, maybe, from)
	}
}

// elemInfo sizes what a test of an element may read.
type elemInfo struct {
	depth, siblings, children, attrs int
}

// cssPage is the page being styled.
type cssPage struct {
	doc     *html.Node
	elems   []*html.Node
	depths  []int // of elems
	info    map[*html.Node]elemInfo
	byID    map[string][]*html.Node
	byClass map[string][]*html.Node
	byTag   map[string][]*html.Node
	styles  map[*html.Node]*elemStyle
	work    int
}

func (pg *cssPage) style(n *html.Node) *elemStyle {
	st := pg.styles[n]
	if st == nil {
		st = &elemStyle{}
		pg.styles[n] = st
	}
	return st
}

// computeStyles applies the page's CSS to its tree.
func computeStyles(doc *html.Node) *styles {
	out := &styles{hide: map[*html.Node]cssWhy{}, dim: map[*html.Node]bool{}}
	var r sheetReader
	pg := &cssPage{doc: doc, styles: map[*html.Node]*elemStyle{}}
	// the style sheets and the elements, in document order
	type item struct {
		n     *html.Node
		depth int
	}
	stack := []item{{doc, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		if n.Type == html.ElementNode {
			pg.elems, pg.depths = append(pg.elems, n), append(pg.depths, it.depth)
			if n.DataAtom == atom.Template {
				continue // inert: its styles apply to nothing
			}
			if n.DataAtom == atom.Style {
				if cssType(htmltree.AttrOr(n, "type")) {
					r.readSheet(textOf(n), mediaAttr(htmltree.AttrOr(n, "media")))
				}
				continue
			}
		}
		var kids []*html.Node
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			kids = append(kids, k)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			d := it.depth
			if n.Type == html.ElementNode {
				d++
			}
			stack = append(stack, item{kids[i], d})
		}
	}
	if len(r.rules) > 0 {
		switch {
		case r.over:
			out.dropped = "style sheets over the bounds"
		case len(pg.elems) > maxStyledElements:
			out.dropped = "too many elements"
		default:
			pg.index()
			pg.matchRules(r.rules, r.layers.ranks())
			out.work = pg.work
			if pg.work > maxCSSWork {
				out.dropped = "matching work over the bound"
				pg.styles = map[*html.Node]*elemStyle{}
			}
		}
	}
	// the style attributes
	for _, n := range pg.elems {
		style, ok := htmltree.Attr(n, "style")
		if !ok || !mentionsHiding(style) {
			continue
		}
		for i, d := range inlineDecls(style) {
			pg.style(n).add(d, prec{important: d.important, inline: true, pos: i}, false, nil)
		}
	}
	pg.resolve(out)
	return out
}

// cssType reports a <style> type that browsers apply: none or text/css.
func cssType(t string) bool {
	t = strings.TrimSpace(t)
	return t == "" || strings.EqualFold(t, "text/css")
}

// mentionsHiding reports a style attribute that may say display or
// visibility (the others are not read).
func mentionsHiding(style string) bool {
	s := strings.ToLower(style)
	return strings.Contains(s, "display") || strings.Contains(s, "visibility") || strings.Contains(s, `\`)
}

// index sizes every element and indexes them by id, class and tag.
func (pg *cssPage) index() {
	pg.info = make(map[*html.Node]elemInfo, len(pg.elems))
	pg.byID, pg.byClass, pg.byTag = map[string][]*html.Node{}, map[string][]*html.Node{}, map[string][]*html.Node{}
	for i, n := range pg.elems {
		in := elemInfo{depth: pg.depths[i]}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			in.children++
		}
		if n.Parent != nil {
			in.siblings = pg.info[n.Parent].children
		}
		for _, a := range n.Attr {
			in.attrs += len(a.Val)
			switch a.Key {
			case "id":
				pg.byID[a.Val] = append(pg.byID[a.Val], n)
			case "class":
				for _, c := range classes(a.Val) {
					pg.byClass[c] = append(pg.byClass[c], n)
				}
			}
		}
		pg.byTag[strings.ToLower(n.Data)] = append(pg.byTag[strings.ToLower(n.Data)], n)
		pg.info[n] = in
	}
}

// classes splits a class attribute as cascadia does.
func classes(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
	})
}

// matchRules matches every selector of the rules and records their
// declarations on the elements matched.
func (pg *cssPage) matchRules(rules []*cssRule, ranks []int) {
	for _, rule := range rules {
		for _, s := range rule.sels {
			pg.work++
			var cands []*html.Node
			switch s.keyKind {
			case '#':
				cands = pg.byID[s.key]
			case '.':
				cands = pg.byClass[s.key]
			case 't':
				cands = pg.byTag[s.key]
			default:
				cands = pg.elems
			}
			if len(cands) == 0 {
				continue
			}
			m := &selMatch{pg: pg, s: s, match: make([]map[*html.Node]bool, len(s.parts)), reach: make([]map[*html.Node]bool, len(s.parts))}
			for _, n := range cands {
				if pg.work > maxCSSWork {
					return
				}
				if !m.prefix(len(s.parts)-1, n) {
					continue
				}
				for i, d := range rule.decls {
					p := prec{important: d.important, layer: ranks[rule.layer], spec: s.spec, order: rule.order, pos: i}
					if d.important {
						p.layer = -p.layer
					}
					pg.style(n).add(d, p, rule.maybe, s)
				}
			}
		}
	}
}

// selMatch matches one selector, remembering what it found of its
// leading compounds on each element tried.
type selMatch struct {
	pg *cssPage
	s  *complexSel
	// match[i][n]: n matches parts[0..i] with their combinators
	match []map[*html.Node]bool
	// reach[i][n]: n or an element before it along combs[i] (ancestors
	// for ' ', previous siblings for '~') matches parts[0..i]
	reach []map[*html.Node]bool
}

// test tries compound c on n, counting its cost.
func (m *selMatch) test(c compound, n *html.Node) bool {
	in := m.pg.info[n]
	m.pg.work += 1 + in.attrs/64
	if c.pseudo > 0 {
		m.pg.work += c.pseudo * (in.depth + in.siblings + in.children)
	}
	if m.pg.work > maxCSSWork {
		return false
	}
	return c.sel.Match(n)
}

// prefix reports whether element n matches parts[0..i] of the selector,
// n being matched by parts[i].
func (m *selMatch) prefix(i int, n *html.Node) bool {
	last := i == len(m.s.parts)-1
	if !last {
		if m.match[i] == nil {
			m.match[i] = map[*html.Node]bool{}
		}
		if v, ok := m.match[i][n]; ok {
			return v
		}
	}
	ok := m.test(m.s.parts[i], n)
	if ok && i > 0 {
		switch comb := m.s.combs[i-1]; comb {
		case '>':
			p := parentElement(n)
			ok = p != nil && m.prefix(i-1, p)
		case '+':
			p := m.prevElement(n)
			ok = p != nil && m.prefix(i-1, p)
		default: // ' ', '~'
			step := parentElement
			if comb == '~' {
				step = m.prevElement
			}
			p := step(n)
			ok = p != nil && m.reaches(i-1, p, step)
		}
	}
	if !last {
		m.match[i][n] = ok
	}
	return ok
}

// reaches reports whether n or an element reached from it by step
// matches parts[0..i]. It goes from n outwards without recursion, stops
// at the first match, and remembers the answer for every element on the
// way.
func (m *selMatch) reaches(i int, n *html.Node, step func(*html.Node) *html.Node) bool {
	if m.reach[i] == nil {
		m.reach[i] = map[*html.Node]bool{}
	}
	memo := m.reach[i]
	var path []*html.Node
	found := false
	for c := n; c != nil && m.pg.work <= maxCSSWork; c = step(c) {
		if v, ok := memo[c]; ok {
			found = v
			break
		}
		path = append(path, c)
		m.pg.work++
		if m.prefix(i, c) {
			found = true
			break
		}
	}
	for _, c := range path {
		memo[c] = found
	}
	return found
}

func parentElement(n *html.Node) *html.Node {
	if p := n.Parent; p != nil && p.Type == html.ElementNode {
		return p
	}
	return nil
}

func (m *selMatch) prevElement(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		m.pg.work++
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// simpleSelRe is a class or id selector, possibly after a tag name
// (".cache", "li.cache", "#rgpd"): the hiding reason names the class or
// the id.
var simpleSelRe = regexp.MustCompile(`^[a-zA-Z0-9]*([.#])([A-Za-z0-9_-]+)$`)

// reason says in French why a declaration of ps hides n.
func (ps *propState) reason(n *html.Node) cssWhy {
	if ps.from == nil {
		return cssWhy{"style " + strings.TrimSpace(htmltree.AttrOr(n, "style")), true}
	}
	if m := simpleSelRe.FindStringSubmatch(ps.from.text); m != nil {
		if m[1] == "." {
			return cssWhy{why: "classe ." + m[2] + " masquée par une règle <style>"}
		}
		return cssWhy{why: "#" + m[2] + " masqué par une règle <style>"}
	}
	return cssWhy{why: "« " + bound(ps.from.text, 80) + " » masqué par une règle <style>"}
}

// resolve computes, from the cascade of every element, which ones CSS
// hides: display:none hides an element and all it holds; visibility is
// inherited, and an element made visible again inside a hidden one is
// shown (its hidden ancestors then only lose their own text).
func (pg *cssPage) resolve(out *styles) {
	type frame struct {
		n    *html.Node
		vis  cssWhy // why the parent's visibility is hidden ("" if visible)
		none bool   // under display:none or the hidden attribute
	}
	visHidden := map[*html.Node]cssWhy{}
	partial := map[*html.Node]bool{}
	stack := []frame{{n: pg.doc}}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n, vis, none := f.n, f.vis, f.none
		if n.Type == html.ElementNode {
			if st := pg.styles[n]; st != nil {
				if st.display.value("block") == "none" {
					out.hide[n] = st.display.reason(n)
					none = true
				}
				switch st.visibility.value("visible") {
				case "hidden", "collapse":
					vis = st.visibility.reason(n)
				case "visible", "initial", "var":
					vis = cssWhy{}
				}
			}
			if _, ok := htmltree.Attr(n, "hidden"); ok {
				none = true
			}
			if vis.why != "" {
				visHidden[n] = vis
			} else if f.vis.why != "" && !none {
				// shown again inside hidden ancestors
				for p := n.Parent; p != nil && !partial[p]; p = p.Parent {
					if _, ok := visHidden[p]; !ok {
						break
					}
					partial[p] = true
				}
			}
		}
		for k := n.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, frame{k, vis, none})
		}
	}
	for n, why := range visHidden {
		if partial[n] {
			out.dim[n] = true
		} else if _, ok := out.hide[n]; !ok {
			out.hide[n] = why
		}
	}
}

// inlineHidden reads the style attribute of n alone (no style sheet, no
// inheritance).
func inlineHidden(n *html.Node) cssWhy {
	style, ok := htmltree.Attr(n, "style")
	if !ok || !mentionsHiding(style) {
		return cssWhy{}
	}
	st := &elemStyle{}
	for i, d := range inlineDecls(style) {
		st.add(d, prec{important: d.important, inline: true, pos: i}, false, nil)
	}
	switch {
	case st.display.value("block") == "none":
		return st.display.reason(n)
	case st.visibility.value("visible") == "hidden" || st.visibility.value("visible") == "collapse":
		return st.visibility.reason(n)
	}
	return cssWhy{}
}
