package notice

// This file: reading the page's own style sheets (<style> elements and
// style attributes) for what decides whether an element is shown:
// display and visibility. The tokens come from tdewolff/parse's CSS
// lexer (CSS Syntax Level 3); the rules are assembled here, as a browser
// does (CSS Syntax Level 3 "consume a list of rules" and "consume a
// block's contents", CSS Nesting), with bounds on everything a hostile
// page could inflate.

import (
	"bytes"
	"strings"

	"github.com/andybalholm/cascadia"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
)

// Bounds on what a page's style sheets may cost. Past maxCSSSelectors the
// page's style sheets are not applied at all (as if they were external):
// hiding is then only read from style attributes and hidden attributes.
const (
	// maxCSSSelectors bounds the selectors kept, over all the page's
	// <style> elements, of rules that say display or visibility.
	maxCSSSelectors = 100_000
	// maxCSSNesting bounds nested blocks (@media in @media, nested style
	// rules); deeper blocks are skipped.
	maxCSSNesting = 32
	// maxCSSPrelude bounds the tokens of one selector list or at-rule
	// prelude; a longer one is unreadable (its rule is skipped).
	maxCSSPrelude = 1024
	// maxCSSValue bounds the tokens kept of one declaration value
	// (display and visibility take one or two keywords).
	maxCSSValue = 16
	// maxCSSCompounds bounds the compound selectors of one selector
	// (".a > .b .c" has three).
	maxCSSCompounds = 16
	// maxCSSNested bounds the selectors one nested rule expands to
	// (each of the parent's selectors joined with each of its own).
	maxCSSNested = 32
)

// cond says whether a rule applies on a visitor's screen: surely (screen
// or all media, no condition), maybe (a media feature such as a width, a
// @supports or @container condition, a selector list holding a selector
// this reader cannot evaluate), or never (print, speech, an unknown media
// type).
type cond int

const (
	condNever cond = iota
	condMaybe
	condSure
)

func (c cond) and(d cond) cond {
	if d < c {
		return d
	}
	return c
}

// cssTok is one token. data points into the style sheet's text.
type cssTok struct {
	tt   css.TokenType
	data []byte
}

func (t cssTok) is(tt css.TokenType) bool { return t.tt == tt }

func (t cssTok) delim(c byte) bool {
	return t.tt == css.DelimToken && len(t.data) == 1 && t.data[0] == c
}

// ident reports whether t is the identifier name (ASCII case-insensitive).
func (t cssTok) ident(name string) bool {
	return (t.tt == css.IdentToken || t.tt == css.CustomPropertyNameToken) && strings.EqualFold(string(t.data), name)
}

// opener returns the token that closes a block t opens (0 if t opens none).
func (t cssTok) opener() byte {
	switch t.tt {
	case css.LeftParenthesisToken, css.FunctionToken:
		return ')'
	case css.LeftBracketToken:
		return ']'
	case css.LeftBraceToken:
		return '}'
	}
	return 0
}

// closer returns the character t closes with (0 if t closes nothing).
func (t cssTok) closer() byte {
	switch t.tt {
	case css.RightParenthesisToken:
		return ')'
	case css.RightBracketToken:
		return ']'
	case css.RightBraceToken:
		return '}'
	}
	return 0
}

// tokenStream reads tokens with one token of look-back.
type tokenStream struct {
	lx   *css.Lexer
	back []cssTok
	eof  bool
}

func newTokenStream(text string) *tokenStream {
	return &tokenStream{lx: css.NewLexer(parse.NewInputString(text))}
}

// next returns the next token; css.ErrorToken at the end, for ever.
func (s *tokenStream) next() cssTok {
	if n := len(s.back); n > 0 {
		t := s.back[n-1]
		s.back = s.back[:n-1]
		return t
	}
	if s.eof {
		return cssTok{tt: css.ErrorToken}
	}
	tt, data := s.lx.Next()
	if tt == css.ErrorToken {
		s.eof = true
	}
	return cssTok{tt, data}
}

func (s *tokenStream) unread(t cssTok) { s.back = append(s.back, t) }

// collect reads the tokens up to (not including) the first of stops met
// outside any (), [] or {} block, or, when nested in a block, up to the
// '}' that closes it (put back, so that the caller ends that block), or
// the end. At the top of a style sheet, a '}' is an ordinary token. It
// returns at most max tokens (over reports that there were more) and the
// token that stopped it (css.ErrorToken at the end). Blocks are matched
// as the CSS syntax does: a closing token that does not close the
// innermost open block is an ordinary token.
func (s *tokenStream) collect(nested bool, max int, stops ...css.TokenType) (toks []cssTok, over bool, stop cssTok) {
	var open []byte
	for {
		t := s.next()
		if t.is(css.ErrorToken) {
			return toks, over, t
		}
		if len(open) == 0 {
			for _, st := range stops {
				if t.tt == st {
					return toks, over, t
				}
			}
			if nested && t.is(css.RightBraceToken) {
				s.unread(t)
				return toks, over, t
			}
		}
		if c := t.closer(); c != 0 && len(open) > 0 && open[len(open)-1] == c {
			open = open[:len(open)-1]
		} else if o := t.opener(); o != 0 {
			open = append(open, o)
		}
		if len(toks) < max {
			toks = append(toks, t)
		} else {
			over = true
		}
	}
}

// skipBlock reads up to and including the '}' that closes the block
// whose '{' was just read.
func (s *tokenStream) skipBlock() {
	open := []byte{'}'}
	for len(open) > 0 {
		t := s.next()
		if t.is(css.ErrorToken) {
			return
		}
		if c := t.closer(); c != 0 && open[len(open)-1] == c {
			open = open[:len(open)-1]
		} else if o := t.opener(); o != 0 {
			open = append(open, o)
		}
	}
}

// cssDecl is a display or visibility declaration.
type cssDecl struct {
	prop string // "display" or "visibility"
	// val is the keyword, lowercased; "var" for a value that a custom
	// property gives, "other" for a valid display value of several
	// keywords ("block flow")
	val       string
	important bool
}

// hides reports whether the declaration hides the element.
func (d cssDecl) hides() bool {
	if d.prop == "display" {
		return d.val == "none"
	}
	return d.val == "hidden" || d.val == "collapse"
}

var (
	// cssWide are the keywords every property takes.
	cssWide = map[string]bool{"inherit": true, "initial": true, "unset": true, "revert": true, "revert-layer": true}
	// displayKeywords are the display values (CSS Display 3, with the
	// legacy and prefixed boxes that browsers still accept).
	displayKeywords = map[string]bool{
		"none": true, "contents": true, "block": true, "inline": true, "inline-block": true, "flow": true,
		"flow-root": true, "run-in": true, "list-item": true, "table": true, "inline-table": true,
		"table-row-group": true, "table-header-group": true, "table-footer-group": true, "table-row": true,
		"table-cell": true, "table-column-group": true, "table-column": true, "table-caption": true,
		"flex": true, "inline-flex": true, "grid": true, "inline-grid": true, "ruby": true, "ruby-base": true,
		"ruby-text": true, "ruby-base-container": true, "ruby-text-container": true, "math": true,
		"inline-list-item": true, "block flow": true, "-webkit-box": true, "-webkit-inline-box": true,
		"-moz-box": true, "-moz-inline-box": true, "-ms-flexbox": true, "-ms-inline-flexbox": true,
		"-ms-grid": true, "-ms-inline-grid": true, "-webkit-flex": true, "-webkit-inline-flex": true,
	}
	// displayMulti are the keywords of a display value of several
	// ("inline flow-root", "block list-item").
	displayMulti = map[string]bool{
		"block": true, "inline": true, "run-in": true, "flow": true, "flow-root": true, "table": true,
		"flex": true, "grid": true, "ruby": true, "list-item": true, "math": true,
	}
	visibilityKeywords = map[string]bool{"visible": true, "hidden": true, "collapse": true}
)

// declaration reads a display or visibility declaration from its tokens
// (name, colon, value, without the ';'); ok is false for another property
// or an invalid value, which a browser ignores.
func declaration(toks []cssTok, over bool) (d cssDecl, ok bool) {
	toks = trimSpace(toks)
	if len(toks) < 2 || toks[0].tt != css.IdentToken || bytes.IndexByte(toks[0].data, '\\') >= 0 {
		return d, false
	}
	switch {
	case toks[0].ident("display"):
		d.prop = "display"
	case toks[0].ident("visibility"):
		d.prop = "visibility"
	default:
		return d, false
	}
	if over {
		return d, false // no valid display or visibility is that long
	}
	rest := trimSpace(toks[1:])
	if len(rest) == 0 || !rest[0].is(css.ColonToken) {
		return d, false
	}
	var words []string
	for i := 1; i < len(rest); i++ {
		t := rest[i]
		switch {
		case t.is(css.WhitespaceToken) || t.is(css.CommentToken):
		case t.delim('!'):
			// !important ends the value
			tail := trimSpace(rest[i+1:])
			if len(tail) != 1 || !tail[0].ident("important") {
				return d, false
			}
			d.important = true
			i = len(rest)
		case t.tt == css.FunctionToken && strings.EqualFold(string(t.data), "var("):
			// the value comes from a custom property: unknown here
			words = append(words, "var")
			for depth := 1; depth > 0 && i+1 < len(rest); {
				i++
				if rest[i].opener() != 0 {
					depth++
				} else if rest[i].closer() != 0 {
					depth--
				}
			}
		case t.tt == css.IdentToken:
			words = append(words, strings.ToLower(string(t.data)))
		default:
			return d, false
		}
	}
	switch {
	case len(words) == 0:
		return d, false
	case contains(words, "var"):
		d.val = "var"
	case len(words) == 1 && cssWide[words[0]]:
		d.val = words[0]
	case d.prop == "visibility":
		if len(words) != 1 || !visibilityKeywords[words[0]] {
			return d, false
		}
		d.val = words[0]
	case len(words) == 1:
		if !displayKeywords[words[0]] {
			return d, false
		}
		d.val = words[0]
	default:
		// a display of several keywords: never none
		for _, w := range words {
			if !displayMulti[w] {
				return d, false
			}
		}
		d.val = "other"
	}
	return d, true
}

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

func trimSpace(toks []cssTok) []cssTok {
	for len(toks) > 0 && (toks[0].is(css.WhitespaceToken) || toks[0].is(css.CommentToken)) {
		toks = toks[1:]
	}
	for len(toks) > 0 && (toks[len(toks)-1].is(css.WhitespaceToken) || toks[len(toks)-1].is(css.CommentToken)) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// inlineDecls reads the display and visibility declarations of a style
// attribute, in order.
func inlineDecls(style string) []cssDecl {
	var out []cssDecl
	s := newTokenStream(style)
	for {
		toks, over, stop := s.collect(true, maxCSSValue+8, css.SemicolonToken)
		if d, ok := declaration(toks, over); ok {
			out = append(out, d)
		}
		if stop.is(css.ErrorToken) {
			return out
		}
		if stop.is(css.RightBraceToken) {
			s.next() // a stray '}' is a token of no declaration
		}
	}
}

// cssRule is a style rule of the page that says display or visibility.
type cssRule struct {
	sels  []*complexSel
	decls []cssDecl
	// maybe: the rule applies only under a condition (media feature,
	// @supports…) or its selector list holds a selector that cannot be
	// evaluated here: it may show an element, it never surely hides one
	maybe bool
	layer int // cascade layer, 0 = none
	order int // source order over all the page's style sheets
}

// sheetReader assembles the rules of the page's style sheets.
type sheetReader struct {
	s      *tokenStream
	rules  []*cssRule
	layers layerTree
	order  int
	nsels  int
	// over: a bound was passed; the style sheets are not applied
	over bool
}

// scope is where a block's contents are read.
type scope struct {
	cond  cond
	layer int
	depth int
	// inStyle: in a style rule's block, whose selectors are sels
	// (nested rules and nested at-rules apply to them)
	inStyle bool
	sels    [][]cssTok
	// unsure: the enclosing style rule's list held a selector that
	// cannot be evaluated
	unsure bool
}

// readSheet adds the rules of one style sheet (the text of a <style>
// element, whose media attribute gives c).
func (r *sheetReader) readSheet(text string, c cond) {
	if c == condNever || r.over {
		return
	}
	r.s = newTokenStream(text)
	r.ruleList(scope{cond: c}, false)
}

// ruleList reads rules up to the end, or up to the '}' that ends the
// enclosing block when nested.
func (r *sheetReader) ruleList(sc scope, nested bool) {
	for !r.over {
		t := r.s.next()
		switch {
		case t.is(css.ErrorToken):
			return
		case t.is(css.RightBraceToken) && nested:
			return
		case t.is(css.WhitespaceToken) || t.is(css.CommentToken):
		case !nested && (t.is(css.CDOToken) || t.is(css.CDCToken)):
		case nested && t.is(css.SemicolonToken):
		case t.is(css.AtKeywordToken):
			r.atRule(sc, t)
		default:
			// a qualified rule; in a block, up to a ';' it is a bad
			// declaration, dropped; at the top, a ';' or a stray '}'
			// belongs to the prelude (and spoils the selector)
			r.s.unread(t)
			stops := []css.TokenType{css.LeftBraceToken}
			if nested {
				stops = append(stops, css.SemicolonToken)
			}
			prelude, over, stop := r.s.collect(nested, maxCSSPrelude, stops...)
			if stop.is(css.LeftBraceToken) {
				r.styleRule(sc, prelude, over)
			}
		}
	}
}

// styleRule reads the block of a style rule whose prelude (the selector
// list) was read, with the '{'.
func (r *sheetReader) styleRule(sc scope, prelude []cssTok, over bool) {
	sels, unsure := nestSelectors(sc.inStyle, sc.sels, prelude, over)
	if sc.depth >= maxCSSNesting {
		r.s.skipBlock()
		return
	}
	child := sc
	child.depth++
	child.inStyle, child.sels, child.unsure = true, sels, unsure || sc.unsure
	r.styleBlock(child)
}

// styleBlock reads the contents of a style rule's block up to its '}':
// declarations, nested style rules and nested at-rules.
func (r *sheetReader) styleBlock(sc scope) {
	rule := &cssRule{maybe: sc.cond == condMaybe || sc.unsure, layer: sc.layer, order: r.nextOrder()}
	defer func() { r.addRule(rule, sc.sels) }()
	for !r.over {
		t := r.s.next()
		switch {
		case t.is(css.ErrorToken), t.is(css.RightBraceToken):
			return
		case t.is(css.WhitespaceToken) || t.is(css.CommentToken) || t.is(css.SemicolonToken):
		case t.is(css.AtKeywordToken):
			r.atRule(sc, t)
		default:
			r.s.unread(t)
			toks, over, stop := r.s.collect(true, maxCSSPrelude, css.SemicolonToken, css.LeftBraceToken)
			if stop.is(css.LeftBraceToken) {
				r.styleRule(sc, toks, over) // a nested style rule
				continue
			}
			if d, ok := declaration(toks, over); ok {
				rule.decls = append(rule.decls, d)
			}
		}
	}
}

func (r *sheetReader) nextOrder() int {
	r.order++
	return r.order
}

// addRule keeps a rule that says display or visibility, with its
// selectors compiled.
func (r *sheetReader) addRule(rule *cssRule, sels [][]cssTok) {
	if len(rule.decls) == 0 || len(sels) == 0 {
		return
	}
	for _, toks := range sels {
		s, ok := compileSelector(toks)
		switch {
		case !ok:
			rule.maybe = true // unreadable: the others may not apply either
		case s != nil:
			rule.sels = append(rule.sels, s)
		}
	}
	if len(rule.sels) == 0 {
		return
	}
	r.nsels += len(rule.sels)
	if r.nsels > maxCSSSelectors {
		r.over = true
		return
	}
	r.rules = append(r.rules, rule)
}

// atRule reads an at-rule whose keyword t was read.
func (r *sheetReader) atRule(sc scope, t cssTok) {
	name := strings.ToLower(string(t.data[1:]))
	prelude, over, stop := r.s.collect(sc.depth > 0, maxCSSPrelude, css.SemicolonToken, css.LeftBraceToken)
	if !stop.is(css.LeftBraceToken) {
		if name == "layer" && !over {
			for _, names := range splitCommas(prelude) {
				r.layers.named(sc.layer, names)
			}
		}
		return // a statement: @import, @charset, @namespace, @layer a, b;
	}
	if sc.depth >= maxCSSNesting || over {
		r.s.skipBlock()
		return
	}
	child := sc
	child.depth++
	switch name {
	case "media":
		child.cond = sc.cond.and(mediaMatch(prelude))
	case "supports", "container", "scope":
		// conditions on the browser, the container's size or the
		// scope's root: not evaluated here
		child.cond = sc.cond.and(condMaybe)
	case "layer":
		names := splitCommas(prelude)
		switch len(names) {
		case 0:
			child.layer = r.layers.anonymous(sc.layer)
		case 1:
			child.layer = r.layers.named(sc.layer, names[0])
		default:
			child.cond = condNever // a block for several layers is invalid
		}
	default:
		// @font-face, @keyframes, @page, @starting-style, @document…:
		// nothing there shows or hides an element of the page
		child.cond = condNever
	}
	if child.cond == condNever {
		r.s.skipBlock()
		return
	}
	if sc.inStyle {
		r.styleBlock(child) // a conditional group inside a style rule
	} else {
		r.ruleList(child, true)
	}
}

// splitCommas splits tokens at the commas outside blocks, each part
// trimmed of white space; empty parts are dropped.
func splitCommas(toks []cssTok) [][]cssTok {
	var out [][]cssTok
	depth, start := 0, 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) {
			t := toks[i]
			if t.opener() != 0 {
				depth++
			} else if t.closer() != 0 && depth > 0 {
				depth--
			}
			if !t.is(css.CommaToken) || depth > 0 {
				continue
			}
		}
		if part := trimSpace(toks[start:i]); len(part) > 0 {
			out = append(out, part)
		}
		start = i + 1
	}
	return out
}

// mediaTypes are the media types; only screen (and all) is a visitor's.
var mediaTypes = map[string]bool{"all": true, "screen": true, "print": true, "speech": true,
	"tty": true, "tv": true, "projection": true, "handheld": true, "braille": true, "embossed": true, "aural": true}

// mediaMatch evaluates a media query list for a visitor's screen of
// any size: "screen" or "all" alone surely match, print and the other
// media types never do, a media feature (width, orientation,
// prefers-color-scheme…) maybe does. An empty list matches.
func mediaMatch(toks []cssTok) cond {
	toks = trimSpace(toks)
	if len(toks) == 0 {
		return condSure
	}
	best := condNever
	for _, q := range splitCommas(toks) {
		if c := mediaQuery(q); c > best {
			best = c
		}
	}
	return best
}

// mediaQuery evaluates one media query.
func mediaQuery(toks []cssTok) cond {
	var words []cssTok // the query without white space
	for _, t := range toks {
		if !t.is(css.WhitespaceToken) && !t.is(css.CommentToken) {
			words = append(words, t)
		}
	}
	not := false
	if len(words) > 0 && words[0].ident("not") {
		not, words = true, words[1:]
	} else if len(words) > 0 && words[0].ident("only") {
		words = words[1:]
	}
	if len(words) == 0 {
		return condNever
	}
	if words[0].tt != css.IdentToken {
		// a media condition alone: "(max-width: 600px)", "not (…)"
		if words[0].is(css.LeftParenthesisToken) || words[0].is(css.FunctionToken) {
			return condMaybe
		}
		return condNever
	}
	typ := strings.ToLower(string(words[0].data))
	if !mediaTypes[typ] || typ == "and" {
		return condNever // an unknown media type matches nothing
	}
	screen := typ == "all" || typ == "screen"
	switch {
	case len(words) == 1:
		if screen != not {
			return condSure
		}
		return condNever
	case words[1].ident("and"):
		switch {
		case !screen && !not:
			return condNever // print and (…)
		case !screen && not:
			return condSure // not (print and …)
		}
		return condMaybe
	}
	return condNever // malformed: "not all"
}

// mediaAttr evaluates the media attribute of a <style>.
func mediaAttr(v string) cond {
	s := newTokenStream(v)
	var toks []cssTok
	for t := s.next(); !t.is(css.ErrorToken) && len(toks) < maxCSSPrelude; t = s.next() {
		toks = append(toks, t)
	}
	return mediaMatch(toks)
}

// layerTree orders the cascade layers (@layer): by first mention, a
// layer's sublayers before its own rules, rules outside any layer last.
type layerTree struct {
	parent   []int
	children [][]int
	names    []map[string]int
}

func (t *layerTree) init() {
	if len(t.parent) == 0 {
		t.parent, t.children, t.names = []int{-1}, [][]int{nil}, []map[string]int{{}}
	}
}

func (t *layerTree) add(parent int, name string) int {
	t.init()
	if id, ok := t.names[parent][name]; ok && name != "" {
		return id
	}
	id := len(t.parent)
	t.parent = append(t.parent, parent)
	t.children = append(t.children, nil)
	t.names = append(t.names, map[string]int{})
	t.children[parent] = append(t.children[parent], id)
	if name != "" {
		t.names[parent][name] = id
	}
	return id
}

// named returns the layer a dotted name ("a.b") gives in parent.
func (t *layerTree) named(parent int, toks []cssTok) int {
	id := parent
	for _, tk := range toks {
		switch {
		case tk.tt == css.IdentToken:
			id = t.add(id, string(tk.data))
		case tk.delim('.'):
		default:
			return t.anonymous(parent) // not a layer name: a layer of its own
		}
	}
	return id
}

func (t *layerTree) anonymous(parent int) int { return t.add(parent, "") }

// ranks returns each layer's rank in the cascade: higher wins among
// normal declarations. Layer 0 (no layer) ranks last of all.
func (t *layerTree) ranks() []int {
	t.init()
	rank := make([]int, len(t.parent))
	next := 0
	// post-order without recursion: a layer after its sublayers
	type frame struct{ id, child int }
	stack := []frame{{0, 0}}
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.child < len(t.children[f.id]) {
			c := t.children[f.id][f.child]
			f.child++
			stack = append(stack, frame{c, 0})
			continue
		}
		rank[f.id] = next
		next++
		stack = stack[:len(stack)-1]
	}
	return rank
}

// nestSelectors returns the selectors of a rule's prelude, each joined
// with its parent rule's selectors as CSS Nesting does ("&" stands for
// the parent; without "&", the parent is an ancestor; "> .x" is its
// child). unsure reports a selector lost to a bound.
func nestSelectors(nested bool, parents [][]cssTok, prelude []cssTok, over bool) (sels [][]cssTok, unsure bool) {
	if over {
		return nil, true
	}
	own := splitCommas(prelude)
	if !nested {
		return own, false
	}
	for _, s := range own {
		for _, p := range parents {
			if len(sels) >= maxCSSNested || len(p)+len(s) >= maxCSSPrelude {
				unsure = true
				continue
			}
			sels = append(sels, nestOne(p, s))
		}
	}
	return sels, unsure
}

// nestOne joins selector s, nested in a rule, with one selector p of the
// parent rule. "&" is replaced by p's tokens: exact when p is a compound
// selector, the usual case; for a parent with combinators, :is() would
// be exact and this reads "& .x" as p followed by " .x".
func nestOne(p, s []cssTok) []cssTok {
	var out []cssTok
	amp := false
	for _, t := range s {
		if t.delim('&') {
			amp = true
			out = append(out, p...)
			continue
		}
		out = append(out, t)
	}
	if amp {
		return out
	}
	joined := append([]cssTok{}, p...)
	joined = append(joined, cssTok{css.WhitespaceToken, []byte(" ")})
	return append(joined, s...)
}

// complexSel is a selector with its combinators: compound selectors
// (compiled by cascadia) joined by ' ', '>', '+' or '~'.
type complexSel struct {
	parts []compound
	combs []byte // combs[i] joins parts[i] and parts[i+1]
	spec  cascadia.Specificity
	text  string
	// key narrows the elements to try: an id ('#'), a class ('.') or a
	// tag name ('t') that the subject compound requires; 0 for none
	keyKind byte
	key     string
}

type compound struct {
	sel cascadia.Sel
	// pseudo: has pseudo-classes, whose test may look at the siblings,
	// children or ancestors (:nth-child, :empty, :disabled, :lang…)
	pseudo int
}

// pseudoClasses are the pseudo-classes that cascadia evaluates as a
// browser does (or, for the states of a visitor's interaction, never
// matches). Others (:is, :where, :has, :focus-within…) make the
// selector unreadable here; cascadia's own extensions (:contains…) are
// not CSS.
var pseudoClasses = map[string]bool{
	"first-child": true, "last-child": true, "only-child": true, "first-of-type": true,
	"last-of-type": true, "only-of-type": true, "empty": true, "root": true, "link": true,
	"enabled": true, "disabled": true, "checked": true, "visited": true, "hover": true,
	"active": true, "focus": true, "target": true,
	"not(": true, "nth-child(": true, "nth-last-child(": true, "nth-of-type(": true,
	"nth-last-of-type(": true, "lang(": true,
}

// pseudoElements target a part of an element, never the element.
var pseudoElements = map[string]bool{
	"before": true, "after": true, "first-line": true, "first-letter": true, "marker": true,
	"placeholder": true, "selection": true, "backdrop": true, "file-selector-button": true,
	"cue": true, "grammar-error": true, "spelling-error": true, "target-text": true,
}

// compileSelector compiles one selector. It returns nil and true for a
// selector that targets a pseudo-element (::before: never an element),
// false for a selector this reader cannot evaluate (invalid, unknown
// or unsupported pseudo-class, too long).
func compileSelector(toks []cssTok) (*complexSel, bool) {
	toks = trimSpace(toks)
	if len(toks) == 0 {
		return nil, false
	}
	var compounds [][]cssTok
	var combs []byte
	var cur []cssTok
	depth := 0
	space := false // white space since the last token of cur
	for i, t := range toks {
		if depth == 0 {
			switch {
			case t.is(css.WhitespaceToken):
				space = true
				continue
			case t.is(css.CommentToken):
				if i > 0 && i+1 < len(toks) && !toks[i-1].is(css.WhitespaceToken) && !toks[i+1].is(css.WhitespaceToken) {
					return nil, false // "a/**/b" is no selector
				}
				continue
			case t.delim('>') || t.delim('+') || t.delim('~'):
				if len(cur) == 0 {
					return nil, false
				}
				compounds, combs, cur, space = append(compounds, cur), append(combs, t.data[0]), nil, false
				continue
			case t.is(css.ColumnToken):
				return nil, false
			}
			if space && len(cur) > 0 {
				compounds, combs, cur = append(compounds, cur), append(combs, ' '), nil
			}
			space = false
		}
		if t.opener() != 0 {
			depth++
		} else if t.closer() != 0 && depth > 0 {
			depth--
		}
		cur = append(cur, t)
	}
	if len(cur) == 0 || len(compounds) >= maxCSSCompounds {
		return nil, false
	}
	compounds = append(compounds, cur)
	s := &complexSel{text: tokText(toks), combs: combs}
	for i, ct := range compounds {
		c, kind := compileCompound(ct)
		switch {
		case kind == compoundBad:
			return nil, false
		case kind == compoundNever:
			return nil, true
		case kind == compoundPseudoElement && i == len(compounds)-1:
			return nil, true // "a::before": never an element
		case kind == compoundPseudoElement:
			return nil, false // a pseudo-element before a combinator
		}
		s.parts = append(s.parts, c)
		s.spec = s.spec.Add(c.sel.Specificity())
	}
	s.keyKind, s.key = selectorKey(compounds[len(compounds)-1])
	return s, true
}

// What compileCompound found.
const (
	compoundOK = iota
	// compoundPseudoElement: a pseudo-element (valid last only)
	compoundPseudoElement
	// compoundNever: a state the visitor causes (:focus-within): no
	// element of the page as loaded has it
	compoundNever
	compoundBad
)

// compileCompound compiles a compound selector ("div.a[x]:first-child").
func compileCompound(toks []cssTok) (compound, int) {
	var c compound
	depth := 0 // inside the arguments of a functional pseudo-class
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.opener() != 0 {
			depth++
		} else if t.closer() != 0 && depth > 0 {
			depth--
		}
		if !t.is(css.ColonToken) {
			switch {
			case t.tt == css.FunctionToken && (i == 0 || !toks[i-1].is(css.ColonToken)):
				return c, compoundBad // a function outside a pseudo-class
			case t.delim('!') || t.delim('&') || t.delim('#') || t.delim('%') || t.delim('@') || t.delim('\\'):
				return c, compoundBad // not CSS ([a!=b] and [a#=(re)] are cascadia's)
			}
			continue
		}
		if i+1 >= len(toks) {
			return c, compoundBad
		}
		n := toks[i+1]
		if n.is(css.ColonToken) {
			if depth == 0 && i+2 < len(toks) && toks[i+2].tt == css.IdentToken && pseudoElements[strings.ToLower(string(toks[i+2].data))] {
				return c, compoundPseudoElement
			}
			return c, compoundBad // unknown or prefixed (::-webkit-…), or in :not()
		}
		name := strings.ToLower(string(n.data))
		switch {
		case n.tt == css.IdentToken && legacyPseudoElements[name]:
			if depth > 0 {
				return c, compoundBad
			}
			return c, compoundPseudoElement // ":before"
		case n.tt == css.IdentToken && interactionPseudo[name]:
			if depth > 0 {
				return c, compoundBad // :not(:focus-within): cascadia cannot say
			}
			return c, compoundNever
		case n.tt != css.IdentToken && n.tt != css.FunctionToken, !pseudoClasses[name]:
			return c, compoundBad
		case name == "not(" && !simpleArgs(toks[i+2:]):
			return c, compoundBad
		}
		c.pseudo++
	}
	sel, err := cascadia.Parse(tokText(toks))
	if err != nil || sel.PseudoElement() != "" {
		return c, compoundBad
	}
	c.sel = sel
	return c, compoundOK
}

// interactionPseudo are states that the visitor's interaction causes
// (and that cascadia does not know): on load, no element has them.
var interactionPseudo = map[string]bool{
	"focus-within": true, "focus-visible": true, "target-within": true, "user-invalid": true,
	"user-valid": true, "popover-open": true, "modal": true, "fullscreen": true, "autofill": true,
	"-webkit-autofill": true, "picture-in-picture": true, "playing": true, "paused": true,
}

// legacyPseudoElements may be written with one colon.
var legacyPseudoElements = map[string]bool{"before": true, "after": true, "first-line": true, "first-letter": true}

// simpleArgs reports whether the arguments of a :not( (tokens after the
// function token) are compound selectors: a combinator inside would make
// each test climb the tree.
func simpleArgs(toks []cssTok) bool {
	depth := 0
	for i, t := range toks {
		if t.opener() != 0 {
			depth++
		} else if t.closer() != 0 {
			if depth == 0 {
				return true
			}
			depth--
		}
		if depth > 0 {
			continue
		}
		if t.delim('>') || t.delim('+') || t.delim('~') {
			return false
		}
		if t.is(css.WhitespaceToken) && i > 0 && i+1 < len(toks) {
			prev, next := toks[i-1], toks[i+1]
			if !prev.is(css.CommaToken) && !next.is(css.CommaToken) && !next.is(css.RightParenthesisToken) && !prev.is(css.FunctionToken) {
				return false
			}
		}
	}
	return true
}

// selectorKey returns what the subject (last) compound requires: an id,
// a class or a tag name, from its tokens (escaped names are not used:
// every element is then tried).
func selectorKey(last []cssTok) (byte, string) {
	var class, tag string
	depth := 0
	for i, t := range last {
		if t.opener() != 0 {
			depth++
			continue
		} else if t.closer() != 0 && depth > 0 {
			depth--
			continue
		}
		if depth > 0 || bytes.IndexByte(t.data, '\\') >= 0 {
			continue
		}
		switch {
		case t.tt == css.HashToken:
			return '#', string(t.data[1:])
		case t.delim('.') && i+1 < len(last) && last[i+1].tt == css.IdentToken && class == "" &&
			bytes.IndexByte(last[i+1].data, '\\') < 0:
			class = string(last[i+1].data)
		case t.tt == css.IdentToken && i == 0:
			tag = strings.ToLower(string(t.data))
		}
	}
	switch {
	case class != "":
		return '.', class
	case tag != "":
		return 't', tag
	}
	return 0, ""
}

// tokText writes tokens back as text.
func tokText(toks []cssTok) string {
	var b strings.Builder
	for _, t := range toks {
		if t.is(css.CommentToken) {
			continue
		}
		if t.is(css.WhitespaceToken) {
			b.WriteByte(' ')
			continue
		}
		b.Write(t.data)
	}
	return b.String()
}
