package notice

// This file: the page as a tree (parsing with the charset a browser
// would pick, text, lines; walking and attributes are internal/htmltree's).

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"

	"github.com/sdetcheck/sdetcheck/internal/doctext"
	"github.com/sdetcheck/sdetcheck/internal/htmltree"
)

// parseHTML decodes and parses an HTML document (doctext.ParseHTML).
func parseHTML(data []byte, contentType string) (*html.Node, error) {
	return doctext.ParseHTML(data, contentType)
}

// binaryContent reports NUL bytes in data (doctext.Binary).
func binaryContent(data []byte) bool { return doctext.Binary(data) }

// badUTF8Line returns the line of the first invalid byte of a document
// decoded as UTF-8 (doctext.BadUTF8Line).
func badUTF8Line(data []byte, contentType string) int { return doctext.BadUTF8Line(data, contentType) }

// textOf concatenates the text below n (all of it, for <style>).
func textOf(n *html.Node) string {
	var b strings.Builder
	htmltree.Walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// lineOf returns the 1-based line of the first occurrence of needle in
// data (0 if absent).
func lineOf(data []byte, needle string) int {
	if needle == "" {
		return 0
	}
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}
