package doctext

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Vendors publish their data-processing agreements in Markdown on GitHub:
// headings (#), lists (-, 1.), pipe tables, and raw HTML in the middle
// (<br/> ending an address line, <ol><li> for the standard contractual
// clauses). Read as plain text, the markup spoils the sentences ("<li>The
// Parties:", "Street <br/> San Francisco"). A Markdown document is
// rendered to HTML by goldmark (CommonMark and GitHub's tables; the raw
// HTML kept, as GitHub shows it) and read as HTML: headings with their
// level, list items, tables with their header row, line breaks.

// isMarkdown: the document is Markdown by its name or its type.
func isMarkdown(ext, ct string) bool {
	switch ext {
	case ".md", ".markdown", ".mdown", ".mkd":
		return true
	}
	return strings.Contains(ct, "text/markdown") || strings.Contains(ct, "text/x-markdown")
}

// Bounds of a Markdown document's structure: the renderer walks its tree
// by recursion, so a hostile file nesting millions of block quotes or
// lists ("> > > …", "- - - …") or emphasis ("*****…") is read as plain
// text instead.
const (
	maxMDLinePrefix = 256
	maxMDRun        = 128
	// maxMDMarks bounds the emphasis, link, code and tag marks of a
	// document ("*a *a *a … a* a* a*" nests one level per mark); a
	// contract has some thousands.
	maxMDMarks = 50_000
)

// mdTooDeep reports a Markdown text whose nesting is beyond the bounds: a
// line whose container markers (block quotes, bullets, indentation) run
// longer than maxMDLinePrefix, a run of emphasis or bracket characters
// longer than maxMDRun, or more than maxMDMarks of them in all.
func mdTooDeep(text string) bool {
	run, prev, marks := 0, rune(0), 0
	for _, r := range text {
		switch r {
		case '*', '_', '[', ']', '~', '`', '<', '>', '(', ')', '!':
			if marks++; marks > maxMDMarks {
				return true
			}
			if r == prev {
				run++
			} else {
				run = 1
			}
			if run > maxMDRun {
				return true
			}
		default:
			run = 0
		}
		prev = r
	}
	for _, l := range strings.Split(text, "\n") {
		n := 0
		for _, r := range l {
			if !strings.ContainsRune(" \t>-*+.)0123456789", r) {
				break
			}
			n++
		}
		if n > maxMDLinePrefix {
			return true
		}
	}
	return false
}

// mdRenderer renders Markdown as GitHub shows it: CommonMark, pipe tables,
// strikethrough, raw HTML kept.
var mdRenderer = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// readMarkdownDoc reads a Markdown document (decoded as a text file) as
// its HTML rendering; a document nested beyond the bounds is read as
// plain text.
func readMarkdownDoc(data []byte) (*Doc, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	if mdTooDeep(text) {
		var b builder
		linesDoc(&b, text)
		return b.finish("text")
	}
	var out bytes.Buffer
	if err := mdRenderer.Convert([]byte(text), &out); err != nil {
		return nil, ErrFormat.With("Markdown that does not render: "+err.Error(), "Markdown illisible : "+err.Error())
	}
	d, err := readHTMLDoc(out.Bytes(), "text/html; charset=utf-8")
	if err != nil {
		// raw HTML the HTML parser refuses (nested too deep): the text
		var b builder
		linesDoc(&b, text)
		return b.finish("text")
	}
	d.Format = "markdown"
	return d, nil
}
