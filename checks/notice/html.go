package notice

// This file: the page as a tree (parsing with the charset a browser
// would pick, walking, attributes, text, lines).

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"

	"github.com/sdetcheck/sdetcheck/internal/doctext"
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

// walk visits n and its descendants in document order without recursion
// (a hostile page may nest millions of elements). f returns false to skip
// a node's children.
func walk(n *html.Node, f func(*html.Node) bool) {
	if n == nil {
		return
	}
	stack := []*html.Node{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f(c) {
			continue
		}
		// push children in reverse so that the first child is visited first
		var kids []*html.Node
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			kids = append(kids, k)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// textOf concatenates the text below n (all of it, for <style>).
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
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
