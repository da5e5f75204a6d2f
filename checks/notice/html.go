package notice

// This file: the page as a tree (parsing with the charset a browser
// would pick, walking, attributes, text, lines).

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// parseHTML decodes data (charset from the HTTP header, a BOM or a <meta>,
// else UTF-8) and parses it. x/net/html never fails on malformed markup: it
// repairs it as browsers do.
func parseHTML(data []byte, contentType string) (*html.Node, error) {
	enc, _, _ := charset.DetermineEncoding(data, contentType)
	r := transform.NewReader(bytes.NewReader(data), enc.NewDecoder())
	return html.Parse(r)
}

// binaryContent reports NUL bytes in data, except in a UTF-16 document
// marked by its byte-order mark, which parseHTML decodes.
func binaryContent(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return false
	}
	return bytes.IndexByte(data, 0) >= 0
}

// badUTF8Line returns the line of the first invalid byte of a document
// that is decoded as UTF-8 (declared so, or undeclared and mostly UTF-8),
// 0 when it decodes cleanly.
func badUTF8Line(data []byte, contentType string) int {
	if utf8.Valid(data) {
		return 0
	}
	if _, name, _ := charset.DetermineEncoding(data, contentType); name != "utf-8" {
		return 0
	}
	line, _ := input.FirstInvalidUTF8(data)
	return line
}

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
