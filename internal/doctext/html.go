package doctext

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// readHTMLDoc reads an HTML document as blocks: headings (h1–h6),
// paragraphs, list items and table rows, without what a reader does not
// see (scripts, styles, templates, elements hidden by the hidden
// attribute, aria-hidden or an inline display:none / visibility:hidden).
func readHTMLDoc(data []byte, contentType string) (*Doc, error) {
	if line := BadUTF8Line(data, contentType); line > 0 {
		return nil, input.Problemf("declared or assumed UTF-8 but invalid bytes at line %d (saved as ISO-8859-1 or Windows-1252?): ask for the file re-saved in UTF-8 or with its true charset declared",
			"encodage UTF-8 déclaré ou supposé, mais octets invalides ligne %d (fichier enregistré en ISO-8859-1 ou Windows-1252 ?) : demander le fichier réenregistré en UTF-8 ou avec son véritable encodage déclaré", line)
	}
	root, err := ParseHTML(data, contentType)
	if err != nil {
		return nil, input.Wrap(err, "parse html", "HTML illisible")
	}
	var b builder
	htmlBlocks(&b, root)
	return b.finish("html")
}

// Elements whose text is not read.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true, atom.Head: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Select: true, atom.Button: true,
}

// Block elements: their start and end end the current paragraph.
var paraAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true, atom.Body: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Blockquote: true,
	atom.Address: true, atom.Pre: true, atom.Figure: true, atom.Figcaption: true, atom.Form: true,
	atom.Fieldset: true, atom.Details: true, atom.Summary: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Caption: true, atom.Center: true, atom.Hr: true,
	atom.Legend: true, atom.Html: true,
}

var hiddenStyleRe = regexp.MustCompile(`(?i)(^|;)\s*(display\s*:\s*none|visibility\s*:\s*hidden)\b`)

// hiddenHTML reports an element a reader does not see by its own
// attributes.
func hiddenHTML(n *html.Node) bool {
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			if hiddenStyleRe.MatchString(a.Val) {
				return true
			}
		}
	}
	return false
}

// maxHTMLNodes bounds the nodes visited in one document.
const maxHTMLNodes = 2_000_000

// htmlBlocks walks the document without recursion (a hostile page may
// nest millions of elements).
func htmlBlocks(b *builder, root *html.Node) {
	var cur strings.Builder
	flush := func(kind Kind) {
		if strings.TrimSpace(cur.String()) != "" {
			b.add(Block{Kind: kind, Text: cur.String()})
		}
		cur.Reset()
	}
	type frame struct {
		n    *html.Node
		exit bool
	}
	stack := []frame{{n: root}}
	visited := 0
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.n
		if f.exit {
			flush(Para)
			continue
		}
		if visited++; visited > maxHTMLNodes {
			break
		}
		switch n.Type {
		case html.TextNode:
			cur.WriteString(n.Data)
			continue
		case html.ElementNode:
		default:
			for c := n.LastChild; c != nil; c = c.PrevSibling {
				stack = append(stack, frame{n: c})
			}
			continue
		}
		if skipAtoms[n.DataAtom] || hiddenHTML(n) {
			continue
		}
		switch n.DataAtom {
		case atom.Br:
			cur.WriteString("\n")
			continue
		case atom.Img:
			if alt := attrVal(n, "alt"); alt != "" {
				cur.WriteString(" " + alt + " ")
			}
			continue
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			flush(Para)
			lvl, _ := strconv.Atoi(n.Data[1:])
			b.add(Block{Kind: Heading, Level: lvl, Text: flatText(n)})
			continue
		case atom.Tr:
			flush(Para)
			var cells []string
			header := inTHead(n)
			allTH := true
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) || hiddenHTML(c) {
					continue
				}
				if c.DataAtom != atom.Th {
					allTH = false
				}
				cells = append(cells, cellText(c))
			}
			b.add(Block{Kind: Row, Cells: cells, Header: header || allTH && len(cells) > 0, First: firstRow(n)})
			continue
		case atom.Li:
			flush(Para)
			// the item's own text; a list nested in it is read after it
			b.add(Block{Kind: Item, Text: flatTextExcept(n, func(c *html.Node) bool { return c.DataAtom == atom.Ul || c.DataAtom == atom.Ol })})
			for c := n.LastChild; c != nil; c = c.PrevSibling {
				if c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol) {
					stack = append(stack, frame{n: c})
				}
			}
			continue
		}
		if paraAtoms[n.DataAtom] {
			flush(Para)
			stack = append(stack, frame{n: n, exit: true})
			if n.DataAtom == atom.P {
				if h := runInHeading(n); h != "" {
					b.add(Block{Kind: Heading, Text: h})
				}
			}
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{n: c})
		}
	}
	flush(Para)
}

// A paragraph that opens with a bold title ending with a full stop,
// "<p><strong>3.9 Cooperation and Data Subject Requests.</strong> Clever
// will …" (Markdown "**3.9 … Requests.** Clever will …"), carries its
// clause's heading run into its text, as contracts typeset numbered
// clauses. The title is read as a heading of unknown level, the rest as
// the paragraph.
const maxRunIn = 120

// runInHeading detaches the run-in title of a paragraph and returns it
// ("" when the paragraph has none): its first child, bold, a few words
// ending with a full stop (inside or right after the bold), followed by
// text.
func runInHeading(p *html.Node) string {
	c := p.FirstChild
	for c != nil && c.Type == html.TextNode && strings.TrimSpace(c.Data) == "" {
		c = c.NextSibling
	}
	if c == nil || c.Type != html.ElementNode || c.DataAtom != atom.Strong && c.DataAtom != atom.B {
		return ""
	}
	t := strings.TrimSpace(collapse(flatText(c)))
	next := c.NextSibling
	dotAfter := next != nil && next.Type == html.TextNode && strings.HasPrefix(strings.TrimLeft(next.Data, " \t\n"), ".")
	if t == "" || len(t) > maxRunIn || len(strings.Fields(t)) > 12 || !strings.HasSuffix(t, ".") && !dotAfter {
		return ""
	}
	// the rest must be text of its own
	rest := ""
	for r := next; r != nil; r = r.NextSibling {
		rest += flatText(r)
	}
	rest = strings.TrimPrefix(strings.TrimSpace(rest), ".")
	if strings.IndexFunc(rest, unicode.IsLetter) < 0 {
		return ""
	}
	if dotAfter {
		next.Data = strings.TrimPrefix(strings.TrimLeft(next.Data, " \t\n"), ".")
	}
	p.RemoveChild(c)
	return strings.TrimSuffix(t, ".")
}

func attrVal(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// inTHead: the row is in a table's <thead>.
func inTHead(tr *html.Node) bool {
	for p := tr.Parent; p != nil; p = p.Parent {
		switch p.DataAtom {
		case atom.Thead:
			return true
		case atom.Table, atom.Tbody, atom.Tfoot:
			return false
		}
	}
	return false
}

// firstRow: no row comes before tr in its table.
func firstRow(tr *html.Node) bool {
	var table *html.Node
	for p := tr.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Table {
			table = p
			break
		}
	}
	if table == nil {
		return true
	}
	first := true
	found := false
	for c := table.FirstChild; c != nil && !found; c = c.NextSibling {
		rows := []*html.Node{c}
		if c.DataAtom == atom.Thead || c.DataAtom == atom.Tbody || c.DataAtom == atom.Tfoot {
			rows = nil
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				rows = append(rows, r)
			}
		}
		for _, r := range rows {
			if r == tr {
				found = true
				break
			}
			if r.Type == html.ElementNode && r.DataAtom == atom.Tr {
				first = false
			}
		}
	}
	return first
}

// flatText is the visible text below n on one line (a block inside it, a
// <br>, a nested table's cell adds a space).
func flatText(n *html.Node) string { return flatTextExcept(n, nil) }

func flatTextExcept(n *html.Node, skip func(*html.Node) bool) string {
	return walkText(n, skip, " ")
}

// cellText is a table cell's visible text; its lines (a <br>, a
// paragraph, a list's item) stay apart, one a line, so that a list in a
// cell keeps its entries.
func cellText(n *html.Node) string { return walkText(n, nil, "\n") }

// walkText is the visible text below n; brk is written for a line's end
// (a <br>, a block, a list's item, a nested table's row).
func walkText(n *html.Node, skip func(*html.Node) bool, brk string) string {
	var b strings.Builder
	stack := []*html.Node{n}
	visited := 0
	for len(stack) > 0 && visited < maxHTMLNodes {
		visited++
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
			continue
		case html.ElementNode:
			if c != n && (skipAtoms[c.DataAtom] || hiddenHTML(c) || skip != nil && skip(c)) {
				continue
			}
			switch {
			case c.DataAtom == atom.Img:
				if alt := attrVal(c, "alt"); alt != "" {
					b.WriteString(" " + alt + " ")
				}
			case c.DataAtom == atom.Br || paraAtoms[c.DataAtom] || c.DataAtom == atom.Li || c.DataAtom == atom.Tr:
				b.WriteString(brk)
			case c.DataAtom == atom.Td || c.DataAtom == atom.Th:
				b.WriteString(" ")
			}
		}
		for k := c.LastChild; k != nil; k = k.PrevSibling {
			stack = append(stack, k)
		}
	}
	return b.String()
}
