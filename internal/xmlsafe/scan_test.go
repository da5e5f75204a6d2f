package xmlsafe

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// TestCountLimits: elements, attributes and namespace declarations over
// their bound are refused by the streaming pre-pass, with the line and
// column of the first one over, before any parser allocates for them; a
// document at the bounds is accepted.
func TestCountLimits(t *testing.T) {
	lim := Limits{MaxDepth: 16, MaxTokens: 1_000_000, MaxElements: 100, MaxAttributes: 200, MaxNamespaceDecls: 20, MaxAttrsPerElement: 8}
	attrs := func(n int, f string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, " "+f, i, i)
		}
		return b.String()
	}
	cases := []struct {
		name, doc string
		want      string // "" = accepted
		line, col int
	}{
		{"elements at the bound", "<r>\n" + strings.Repeat("<a/>", 99) + "\n</r>", "", 0, 0},
		{"elements over", "<r>\n" + strings.Repeat("<a/>", 100) + "\n</r>", "more than 100 XML elements", 2, 397},
		{"attributes at the bound", "<r>\n" + strings.Repeat("<a b='1' c=\"2\"/>", 99) + "\n</r>", "", 0, 0},
		{"attributes over", "<r x='1' y='2' z='3'>\n" + strings.Repeat("<a b='1' c=\"2\"/>", 99) + "\n</r>", "more than 200 XML attributes", 2, 16*98 + 10},
		{"one element's attributes", "<r>\n<a" + attrs(9, `a%d="%d"`) + "/></r>", "more than 8 attributes on one XML element", 2, 60},
		{"namespace declarations", "<r>\n" + strings.Repeat("<a xmlns:p='u'/>\n", 21) + "</r>", "more than 20 XML namespace declarations", 22, 4},
		{"default namespace declarations", "<r>\n" + strings.Repeat("<a xmlns='u'/>\n", 21) + "</r>", "more than 20 XML namespace declarations", 22, 4},
		{"markup in comments, CDATA and PIs is not counted", "<r><!--" + strings.Repeat("<a b='1'/>", 200) + "--><![CDATA[" + strings.Repeat("<a/>", 200) + "]]><?pi " + strings.Repeat("<a/>", 200) + "?>" + "<a b='>' c=\"/>\"/></r>", "", 0, 0},
		{"a > in an attribute value does not end the tag", "<r>\n<a b='>' " + attrs(8, `a%d="%d"`) + "/></r>", "more than 8 attributes on one XML element", 2, 60},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Check("c.xml", []byte(c.doc), lim)
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, input.ErrTooLarge) {
				t.Fatalf("error %v, want %q (too large)", err, c.want)
			}
			e, _ := input.AsError(err)
			if e.Source != "c.xml" || e.Line != c.line || e.Column != c.col {
				t.Errorf("at %s:%d:%d, want c.xml:%d:%d", e.Source, e.Line, e.Column, c.line, c.col)
			}
		})
	}
}

// TestCountLimitsBeforeParsing: a document under the size limit made of
// 1.2 million attributes on one element (or of namespace declarations) is
// refused by MetadataLimits while allocating far less than the document's
// parse would (it used to take 9–22 s and 500–920 MB): a generous bound
// on the bytes allocated, no timing.
func TestCountLimitsBeforeParsing(t *testing.T) {
	for _, f := range []string{`a%d="%d"`, `xmlns:p%d="u:%d"`} {
		var b strings.Builder
		b.WriteString("<r><e")
		for i := 0; b.Len() < 18<<20; i++ {
			fmt.Fprintf(&b, " "+f, i, i%10)
		}
		b.WriteString("/></r>")
		data := []byte(b.String())
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := Check("huge.xml", data, MetadataLimits)
		runtime.ReadMemStats(&after)
		if err == nil || !errors.Is(err, input.ErrTooLarge) {
			t.Fatalf("%s: %v, want too large", f, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
			t.Errorf("%s: %d MB allocated before refusing, want the pre-pass to refuse without parsing", f, alloc>>20)
		}
	}
}
