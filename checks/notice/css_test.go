package notice

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

// hiddenByID applies page's CSS and returns, for each element with an id,
// why it is hidden ("" if it is shown).
func hiddenByID(t *testing.T, page string) (map[string]string, *html.Node, hiding) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	h := styleHiding(doc)
	out := map[string]string{}
	htmltree.Walk(doc, func(n *html.Node) bool {
		if id := htmltree.AttrOr(n, "id"); n.Type == html.ElementNode && id != "" {
			out[id] = h.hiddenWhy(n)
		}
		return true
	})
	return out, doc, h
}

func TestCSSHiding(t *testing.T) {
	cases := []struct {
		name          string
		page          string
		hidden, shown []string
	}{
		{"descendant combinator",
			`<style>footer .rgpd { display: none }</style><footer><p><a id="a" class="rgpd">x</a></p></footer><div><a id="b" class="rgpd">y</a></div>`,
			[]string{"a"}, []string{"b"}},
		{"child combinator",
			`<style>ul > li > a { display: none }</style><ul><li><a id="a">x</a></li><li><p><a id="b">y</a></p></li></ul>`,
			[]string{"a"}, []string{"b"}},
		{"adjacent sibling",
			`<style>h2 + p { visibility: hidden }</style><h2>t</h2><p id="a">x</p><p id="b">y</p>`,
			[]string{"a"}, []string{"b"}},
		{"general sibling",
			`<style>.cut ~ p { display: none }</style><p id="a">x</p><hr class="cut"><p id="b">y</p><div><p id="c">z</p></div>`,
			[]string{"b"}, []string{"a", "c"}},
		{"attribute selectors and :not",
			`<style>a[href*="rgpd"]:not(.keep) { display: none } [data-x="1"] { display: none }</style>
<a id="a" href="/rgpd">x</a><a id="b" class="keep" href="/rgpd">y</a><a id="c" href="/m">z</a><span id="d" data-x="1">w</span>`,
			[]string{"a", "d"}, []string{"b", "c"}},
		{"structural pseudo-classes",
			`<style>li:first-child, li:nth-child(2n+4) { display: none }</style><ul><li id="a">1</li><li id="b">2</li><li id="c">3</li><li id="d">4</li></ul>`,
			[]string{"a", "d"}, []string{"b", "c"}},
		{"specificity: id beats class",
			`<style>#f a { display: none } .show { display: inline }</style><footer id="f"><a id="a" class="show">x</a></footer>`,
			[]string{"a"}, nil},
		{"specificity: more classes win",
			`<style>.a.b { display: inline } .a { display: none }</style><p id="x" class="a b">x</p><p id="y" class="a">y</p>`,
			[]string{"y"}, []string{"x"}},
		{"source order between equals",
			`<style>.a { display: none } .b { display: block }</style><p id="x" class="a b">x</p><style>.c { display: block } .c { display: none }</style><p id="y" class="c">y</p>`,
			[]string{"y"}, []string{"x"}},
		{"!important beats specificity",
			`<style>.x { display: none !important } #y { display: block }</style><p id="y" class="x">y</p>`,
			[]string{"y"}, nil},
		{"inline style beats the style sheet",
			`<style>#y { display: none } #z { display: block }</style><p id="y" style="display: block">y</p><p id="z" style="display:none">z</p>`,
			[]string{"z"}, []string{"y"}},
		{"!important in the style sheet beats inline style",
			`<style>.x { display: none !important }</style><p id="y" class="x" style="display: block">y</p>`,
			[]string{"y"}, nil},
		{"inline !important beats the style sheet's",
			`<style>.x { display: none !important }</style><p id="y" class="x" style="display: block !important">y</p>`,
			nil, []string{"y"}},
		{"last declaration of a block wins",
			`<style>.x { display: none; display: block } .y { display: block; display: none }</style><p id="a" class="x">a</p><p id="b" class="y">b</p>`,
			[]string{"b"}, []string{"a"}},
		{"invalid value is ignored",
			`<style>.x { display: none } .x { display: nonee } .y { visibility: hidden } .y { visibility: 12px }</style><p id="a" class="x">a</p><p id="b" class="y">b</p>`,
			[]string{"a", "b"}, nil},
		{"display:none on an ancestor",
			`<style>.menu { display: none } .menu a { display: inline !important }</style><nav class="menu"><a id="a">x</a></nav>`,
			[]string{"a"}, nil},
		{"visibility is inherited and may be undone below",
			`<style>.box { visibility: hidden } .box .back { visibility: visible }</style><div id="box" class="box">t<p id="a">x</p><p id="b" class="back">y</p></div>`,
			[]string{"a"}, []string{"b", "box"}},
		{"visible below display:none stays hidden",
			`<div style="visibility:hidden"><div style="display:none"><a id="a" style="visibility:visible">x</a></div><p id="p">p</p></div>`,
			[]string{"a", "p"}, nil},
		{"visibility inherit, initial, collapse",
			`<div style="visibility:hidden"><p id="a" style="visibility:inherit">a</p><p id="b" style="visibility:initial">b</p></div><p id="c" style="visibility:collapse">c</p>`,
			[]string{"a", "c"}, []string{"b"}},
		{"hidden attribute and aria-hidden as before",
			`<style>[hidden] { display: block }</style><p id="a" hidden>a</p><div aria-hidden="true"><p id="b">b</p></div>`,
			[]string{"a", "b"}, nil},
		{"@media screen and all apply, print does not",
			`<style>@media screen { .s { display: none } } @media all { .a { display: none } } @media print { .p { display: none } } @media not print { .n { display: none } } @media only screen { .o { display: none } } @media not screen { .ns { display: none } } @media tv { .tv { display: none } }</style>
<p id="s" class="s">s</p><p id="a" class="a">a</p><p id="p" class="p">p</p><p id="n" class="n">n</p><p id="o" class="o">o</p><p id="ns" class="ns">ns</p><p id="tv" class="tv">tv</p>`,
			[]string{"s", "a", "n", "o"}, []string{"p", "ns", "tv"}},
		{"a media feature never surely hides",
			`<style>@media (max-width: 767px) { .d { display: none } } @media screen and (min-width: 768px) { .m { display: none } }</style><p id="d" class="d">d</p><p id="m" class="m">m</p>`,
			nil, []string{"d", "m"}},
		{"a media feature may show",
			`<style>.x { display: none } @media (min-width: 992px) { .x { display: block } } .y { display: none } @media (min-width: 992px) { .z .y { display: block } }</style><p id="x" class="x">x</p><p id="y" class="y">y</p>`,
			[]string{"y"}, []string{"x"}},
		{"a conditional rule that would lose does not show",
			`<style>#x { display: none } @media (min-width: 992px) { .x { display: block } }</style><p id="x" class="x">x</p>`,
			[]string{"x"}, nil},
		{"style element for print only",
			`<style media="print">.x { display: none }</style><style media="screen">.y { display: none }</style><style type="text/less">.z { display: none }</style><p id="x" class="x">x</p><p id="y" class="y">y</p><p id="z" class="z">z</p>`,
			[]string{"y"}, []string{"x", "z"}},
		{"@supports and @container may show, never hide",
			`<style>@supports (display: grid) { .a { display: none } } .b { display: none } @container (min-width: 1px) { .b { display: block } }</style><p id="a" class="a">a</p><p id="b" class="b">b</p>`,
			nil, []string{"a", "b"}},
		{"nested @media",
			`<style>@media screen { @media print { .a { display: none } } @media all { .b { display: none } } }</style><p id="a" class="a">a</p><p id="b" class="b">b</p>`,
			[]string{"b"}, []string{"a"}},
		{"cascade layers",
			`<style>@layer base, theme; @layer theme { .a { display: block } } @layer base { .a { display: none } .b { display: none !important } } .b { display: block !important } .c { display: block } @layer base { .c { display: none } }</style><p id="a" class="a">a</p><p id="b" class="b">b</p><p id="c" class="c">c</p>`,
			[]string{"b"}, []string{"a", "c"}},
		{"CSS nesting",
			`<style>.f { .rgpd { display: none } &.x { display: none } > .c { display: none } @media screen { .s { display: none } } }</style>
<div class="f"><p><a id="a" class="rgpd">a</a><a id="c" class="c">c</a></p></div><div class="f x" id="f"></div><a id="b" class="rgpd">b</a><div class="f"><i id="d" class="c">d</i></div><i id="e" class="s">e</i>`,
			[]string{"a", "f", "d"}, []string{"b", "c", "e"}},
		{"pseudo-elements and interaction states do not hide the element",
			`<style>.a::before, .b:after { display: none } .c:hover, .d:focus-within .e { display: none } .f:hover { display: block } .f { display: none }</style><p id="a" class="a">a</p><p id="b" class="b">b</p><p id="c" class="c">c</p><div class="d"><p id="e" class="e">e</p></div><p id="f" class="f">f</p>`,
			[]string{"f"}, []string{"a", "b", "c", "e"}},
		{"an unreadable selector makes its list unsure",
			`<style>.a, :is(.b) { display: none } .c, .d::-moz-selection { display: none } .e { display: none } .e, .x:has(p) { display: block }</style><p id="a" class="a">a</p><p id="c" class="c">c</p><p id="e" class="e">e</p>`,
			nil, []string{"a", "c", "e"}},
		{"cascadia's extensions are not CSS",
			`<style>p:contains("x") { display: none } [id!="q"] { display: none } p:matches(x) { display: none }</style><p id="a">x</p>`,
			nil, []string{"a"}},
		{"comments, escapes and case",
			`<style>/* .a { display: none } */ .b /* c */ { DISPLAY : NONE /* d */ } .c\:d { display: none } .x/**/p { display: none }</style><p id="a" class="a">a</p><p id="b" class="b">b</p><p id="c" class="c:d">c</p><p id="xp" class="xp">xp</p>`,
			[]string{"b", "c"}, []string{"a", "xp"}},
		{"templates are inert",
			`<template><style>.a { display: none }</style></template><p id="a" class="a">a</p>`,
			nil, []string{"a"}},
		{"display of a custom property is unknown: not surely hidden",
			`<style>.a { display: none } .a { display: var(--d) } .b { visibility: var(--v, hidden) }</style><p id="a" class="a">a</p><p id="b" class="b">b</p>`,
			nil, []string{"a", "b"}},
		{"invalid CSS recovers as browsers do",
			`<style>.a { display: none; } } .b { display: none } @media screen { .c { color: red } garbage ; .d { display: none } } .e { display: none
</style><p id="a" class="a">a</p><p id="b" class="b">b</p><p id="d" class="d">d</p><p id="e" class="e">e</p>`,
			[]string{"a", "d", "e"}, []string{"b"}},
		{"a rule broken by an unclosed block hides nothing after it",
			`<style>.a { color: red; .b { display: none } </style><p id="b" class="b">b</p><p id="x">x</p>`,
			nil, []string{"b", "x"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, _ := hiddenByID(t, c.page)
			for _, id := range c.hidden {
				if _, ok := got[id]; !ok {
					t.Fatalf("no element #%s", id)
				}
				if got[id] == "" {
					t.Errorf("#%s shown, want hidden", id)
				}
			}
			for _, id := range c.shown {
				if _, ok := got[id]; !ok {
					t.Fatalf("no element #%s", id)
				}
				if got[id] != "" {
					t.Errorf("#%s hidden (%s), want shown", id, got[id])
				}
			}
		})
	}
}

// TestCSSHidingReasons: the reason names the simple class or id as before,
// the selector otherwise, the style attribute for inline style.
func TestCSSHidingReasons(t *testing.T) {
	got, _, _ := hiddenByID(t, `<style>.cache { display: none } li.x { display: none } #rgpd { visibility: hidden } footer .y a { display: none }</style>
<a id="a" class="z cache">a</a><ul><li class="x"><a id="b">b</a></li></ul><p id="rgpd"><a id="c">c</a></p><footer><p class="y"><a id="d">d</a></p></footer><a id="e" style=" display:none ">e</a>`)
	want := map[string]string{
		"a": "classe .cache masquée par une règle <style>",
		"b": "classe .x masquée par une règle <style>",
		"c": "#rgpd masqué par une règle <style>",
		"d": "« footer .y a » masqué par une règle <style>",
		"e": "style display:none",
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("#%s: %q, want %q", id, got[id], w)
		}
	}
}

// TestCSSVisibleText: a visible element inside a hidden one is read, the
// hidden one's own text is not.
func TestCSSVisibleText(t *testing.T) {
	_, doc, h := hiddenByID(t, `<style>.box { visibility: hidden } .box a { visibility: visible }</style><div class="box">Secret <a href="m.html">Données personnelles</a></div>`)
	got := strings.Join(strings.Fields(visibleText(doc, h)), " ")
	if got != "Données personnelles" {
		t.Errorf("visible text %q", got)
	}
	if got := strings.Join(strings.Fields(visibleText(doc, hiding{shown: true})), " "); got != "Secret Données personnelles" {
		t.Errorf("shown text %q", got)
	}
}

// TestCSSZeroHiding: without the page's CSS applied, each element's style
// attribute is read alone, as before.
func TestCSSZeroHiding(t *testing.T) {
	doc, _ := html.Parse(strings.NewReader(`<style>.c { display: none }</style><a id="a" style="color:red; display: none">a</a><a id="b" class="c">b</a><a id="c" style="display:none; display:block">c</a>`))
	why := map[string]string{}
	htmltree.Walk(doc, func(n *html.Node) bool {
		if id := htmltree.AttrOr(n, "id"); id != "" {
			why[id] = hiding{}.hiddenWhy(n)
		}
		return true
	})
	if why["a"] != "style color:red; display: none" || why["b"] != "" || why["c"] != "" {
		t.Errorf("%q", why)
	}
}

// TestCSSHostile: huge, deep or broken style sheets and pages end in
// bounded work, and never crash.
func TestCSSHostile(t *testing.T) {
	many := func(n int, rule func(i int) string) string {
		var b strings.Builder
		b.WriteString("<style>")
		for i := 0; i < n; i++ {
			b.WriteString(rule(i))
		}
		b.WriteString("</style>")
		return b.String()
	}
	// (x/net/html refuses a tree deeper than 512)
	deepDOM := strings.Repeat("<div>", 500) + `<a id="a" class="t">x</a>` + strings.Repeat("</div>", 500)
	cases := []struct {
		name    string
		page    string
		hidden  []string
		shown   []string
		dropped bool
	}{
		{"100k class rules",
			many(100_000, func(i int) string { return fmt.Sprintf(".c%d{display:none}", i) }) + `<p id="a" class="c99999">a</p><p id="b" class="d">b</p>`,
			[]string{"a"}, []string{"b"}, false},
		{"past the selector bound the sheets are not applied",
			many(maxCSSSelectors+1, func(i int) string { return fmt.Sprintf(".c%d{display:none}", i) }) + `<p id="a" class="c1">a</p><p id="b" style="display:none">b</p>`,
			[]string{"b"}, []string{"a"}, true},
		{"50k universal rules on many elements",
			many(50_000, func(i int) string { return fmt.Sprintf("div:nth-child(%dn) > p{display:none}", i+1) }) + strings.Repeat(`<div><p>x</p></div>`, 2000) + `<p id="a">a</p>`,
			nil, []string{"a"}, true},
		{"descendant chains on a deep tree stay linear",
			many(50, func(i int) string { return fmt.Sprintf(".x%d div div div div div div .t{display:none}", i) }) + deepDOM,
			nil, []string{"a"}, false},
		{"general siblings on a long list stay linear",
			many(20, func(i int) string { return fmt.Sprintf(".x%d ~ p ~ p ~ .t{display:none}", i) }) + strings.Repeat("<p>x</p>", 20000) + `<p id="a" class="t">a</p>`,
			nil, []string{"a"}, false},
		{"deeply nested at-rules and blocks",
			"<style>" + strings.Repeat("@media screen{", 100000) + ".a{display:none}" + strings.Repeat("}", 100000) + ".b{display:none}" + strings.Repeat(".n{", 50000) + "</style>" + `<p id="a" class="a">a</p><p id="b" class="b">b</p>`,
			[]string{"b"}, []string{"a"}, false},
		{"huge prelude and parentheses",
			"<style>" + strings.Repeat(".a ", 200000) + "{display:none} " + strings.Repeat("(", 100000) + "</style>" + `<p id="a" class="a">a</p>`,
			nil, []string{"a"}, false},
		{"nesting expansion is bounded",
			"<style>" + strings.Repeat(".a,.b,.c,.d{", 20) + "display:none" + strings.Repeat("}", 20) + "</style>" + `<p id="a" class="a">a</p>`,
			nil, []string{"a"}, false},
		{"NUL bytes and junk",
			"<style>\x00.a{display:none}\x00 @\x00 {{{ ]]] ))) .b{display:\x00none} \\</style>" + `<p id="a" class="a">a</p><p id="b" class="b">b</p>`,
			nil, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, h := hiddenByID(t, c.page)
			if h.css.work > maxCSSWork+maxCSSCompounds*maxStyledElements {
				t.Errorf("work %d past the bound", h.css.work)
			}
			if (h.css.dropped != "") != c.dropped {
				t.Errorf("dropped %q, want dropped=%v", h.css.dropped, c.dropped)
			}
			for _, id := range c.hidden {
				if got[id] == "" {
					t.Errorf("#%s shown, want hidden", id)
				}
			}
			for _, id := range c.shown {
				if got[id] != "" {
					t.Errorf("#%s hidden (%s), want shown", id, got[id])
				}
			}
		})
	}
}

// TestCSSWorkLinear: the work of a descendant selector grows with the
// page, not with the page times its depth.
func TestCSSWorkLinear(t *testing.T) {
	work := func(depth int) int {
		page := `<style>.none div .t { display: none }</style>` + strings.Repeat("<div>", depth) + `<a class="t">x</a>` + strings.Repeat("</div>", depth)
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		return computeStyles(doc).work
	}
	small, big := work(100), work(400)
	if big > 5*small {
		t.Errorf("work %d for depth 100, %d for depth 400: not linear", small, big)
	}
}

// FuzzCSS proves that no style sheet or style attribute makes the CSS
// reader panic or pass its bounds; the seeds run with every `go test`,
// `go test -fuzz=FuzzCSS` explores further.
func FuzzCSS(f *testing.F) {
	for _, s := range []string{
		`.a { display: none } footer > p + a ~ b.c[x="y"]:not(.d):nth-child(2n+1) { visibility: hidden !important }`,
		`@media screen and (min-width: 1px) { @layer a { .a { & .b { display: block } } } } @layer a, b; @supports (x) { .c { display: none } }`,
		`.a { display: var(--x, none) ; visibility: collapse } .b::before, .c:hover, .d:focus-within .e { display: none } } } {{`,
		`@media print { .x { display: none } } .y { color: red; .z { display: none } } /* unclosed`,
	} {
		f.Add(s, `display:none; visibility: visible !important`)
	}
	f.Fuzz(func(t *testing.T, sheet, style string) {
		page := "<style>" + sheet + "</style><footer class=a><p class=b id=x style='" + html.EscapeString(style) + "'><a class=c href=m>Données personnelles</a></p></footer>"
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			return
		}
		st := computeStyles(doc)
		if st.work > maxCSSWork+maxCSSCompounds*maxStyledElements {
			t.Fatalf("work %d", st.work)
		}
		h := hiding{css: st}
		htmltree.Walk(doc, func(n *html.Node) bool {
			h.hiddenWhy(n)
			return true
		})
		visibleText(doc, h)
	})
}

// TestCSSFooterLink: the footer link search sees what the cascade hides
// (what the regular expressions of before could not: combinators, media
// queries that show, an inline style that shows again).
func TestCSSFooterLink(t *testing.T) {
	cases := []struct {
		name, page, hidden string
	}{
		{"hidden by a descendant rule",
			`<style>footer .liens a.rgpd { display: none }</style><main>x</main><footer><p class="liens"><a class="rgpd" href="m.html">Données personnelles</a></p></footer>`,
			"« footer .liens a.rgpd » masqué par une règle <style>"},
		{"hidden on all screens",
			`<style>@media screen { .rgpd { visibility: hidden } }</style><main>x</main><footer><a class="rgpd" href="m.html">Données personnelles</a></footer>`,
			"classe .rgpd masquée par une règle <style>"},
		{"shown on large screens",
			`<style>.rgpd { display: none } @media (min-width: 992px) { .rgpd { display: inline } }</style><main>x</main><footer><a class="rgpd" href="m.html">Données personnelles</a></footer>`,
			""},
		{"shown again by its style attribute",
			`<style>.rgpd { display: none }</style><main>x</main><footer><a class="rgpd" style="display:inline" href="m.html">Données personnelles</a></footer>`,
			""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader(c.page))
			if err != nil {
				t.Fatal(err)
			}
			h := styleHiding(doc)
			links := noticeLinks(footerRegions(doc, h), h)
			if len(links) != 1 {
				t.Fatalf("%d links", len(links))
			}
			if links[0].hidden != c.hidden {
				t.Errorf("hidden %q, want %q", links[0].hidden, c.hidden)
			}
		})
	}
}
