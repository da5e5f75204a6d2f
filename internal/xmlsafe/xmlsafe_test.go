package xmlsafe

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name, doc, want string
		line            int
	}{
		{"billion laughs", `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>`, "DTD or entity declaration refused", 2},
		{"external entity", `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`, "DTD", 1},
		{"truncated", "<a>\n<b>\n", "unexpected end", 0},
		{"mismatched", "<a>\n<b></c></a>", "malformed XML", 2},
		{"two roots", "<a/>\n<b/>", "more than one root", 2},
		{"empty", "", "no root element", 0},
		{"text outside", "<a/>junk", "text outside", 1},
		{"bad encoding", `<?xml version="1.0" encoding="x-klingon"?><a/>`, "unsupported encoding", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Parse("doc.xml", []byte(c.doc), DefaultLimits)
			if err == nil {
				t.Fatal("accepted")
			}
			e, ok := input.AsError(err)
			if !ok {
				t.Fatalf("not an *input.Error: %v", err)
			}
			if !strings.Contains(err.Error(), c.want) || e.Source != "doc.xml" {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if c.line > 0 && e.Line != c.line {
				t.Errorf("line %d, want %d (%v)", e.Line, c.line, err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)
	if _, _, err := Parse("d.xml", []byte(deep), DefaultLimits); err == nil || !strings.Contains(err.Error(), "nesting deeper") {
		t.Errorf("deep nesting: %v", err)
	}
	many := "<r>" + strings.Repeat("<x/>", 100) + "</r>"
	_, _, err := Parse("m.xml", []byte(many), Limits{MaxDepth: 10, MaxTokens: 50})
	if !errors.Is(err, input.ErrTooLarge) {
		t.Errorf("token limit: %v", err)
	}
}

func TestEncodings(t *testing.T) {
	latin := append([]byte(`<?xml version="1.0" encoding="ISO-8859-15"?><a>`), 0xE9, 0xA4)
	latin = append(latin, []byte(`</a>`)...)
	doc, _, err := Parse("l.xml", latin, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Root().Text(); got != "é€" {
		t.Errorf("ISO-8859-15: got %q", got)
	}
	// UTF-16 little endian with BOM.
	src := `<?xml version="1.0" encoding="UTF-16"?><a>é</a>`
	u16 := []byte{0xFF, 0xFE}
	for _, r := range src {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	doc, _, err = Parse("u.xml", u16, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Root().Text(); got != "é" {
		t.Errorf("UTF-16: got %q", got)
	}
	bom := append([]byte{0xEF, 0xBB, 0xBF}, []byte(`<a>ok</a>`)...)
	if _, _, err := Parse("b.xml", bom, DefaultLimits); err != nil {
		t.Errorf("UTF-8 BOM: %v", err)
	}
}

func TestLineOf(t *testing.T) {
	if got := LineOf([]byte("a\nb\nc"), "c"); got != 3 {
		t.Errorf("got %d", got)
	}
	if got := LineOf([]byte("a"), "z"); got != 0 {
		t.Errorf("got %d", got)
	}
}

// A parser message quoting binary garbage must stay printable UTF-8.
func TestErrorPrintable(t *testing.T) {
	for _, doc := range []string{"<a>&\xff\x01\xfe;</a>", "<a>&\x01\x1b[2J;</a>"} {
		_, _, err := Parse("x.xml", []byte(doc), DefaultLimits)
		if err == nil {
			t.Fatalf("%q: garbage entity accepted", doc)
		}
		msg := err.Error()
		if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\x01\x1b") {
			t.Errorf("message not printable: %q", msg)
		}
	}
}

// Latin-1 bytes in a document read as UTF-8 are reported where they are,
// not where the parser next looks at text.
func TestInvalidUTF8Located(t *testing.T) {
	doc := "<?xml version=\"1.0\"?>\n<!-- M\xe9tadonn\xe9es -->\n<a>\n" + strings.Repeat("<b>x</b>\n", 40) + "</a>\n"
	_, _, err := Parse("x.xml", []byte(doc), DefaultLimits)
	e, ok := input.AsError(err)
	if !ok || e.Line != 2 || e.Column != 7 || !strings.Contains(err.Error(), "ISO-8859-1") {
		t.Errorf("got %v", err)
	}
}

// TestParseAcceptsValidConstructs: valid XML that carries its text in
// pieces (comments, CDATA sections, an empty CDATA section, processing
// instructions inside a value) is accepted, and TextContent reads the
// value whole.
func TestParseAcceptsValidConstructs(t *testing.T) {
	for doc, want := range map[string]string{
		`<a><v>M.<![CDATA[]]></v></a>`:             "M.",
		`<a><v><![CDATA[]]></v></a>`:               "",
		`<a><v>Du<!-- coupé -->pont</v></a>`:       "Dupont",
		`<a><v>Du<![CDATA[po]]>nt</v></a>`:         "Dupont",
		`<a><v>Du<?pi x?>pont<![CDATA[]]></v></a>`: "Dupont",
	} {
		d, _, err := Parse("doc.xml", []byte(doc), DefaultLimits)
		if err != nil {
			t.Errorf("%s: refused: %v", doc, err)
			continue
		}
		if got := TextContent(d.Root().SelectElement("v")); got != want {
			t.Errorf("%s: text %q, want %q", doc, got, want)
		}
	}
}
