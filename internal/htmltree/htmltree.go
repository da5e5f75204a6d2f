// Package htmltree walks a parsed HTML page (golang.org/x/net/html) and
// reads its attributes, for the areas that read pages (notice, security).
package htmltree

import "golang.org/x/net/html"

// Walk visits n and its descendants in document order without recursion
// (a hostile page may nest millions of elements). f returns false to skip
// a node's children.
func Walk(n *html.Node, f func(*html.Node) bool) {
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

// Attr returns the value of n's attribute key (without namespace) and
// whether n has it.
func Attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// AttrOr returns the value of n's attribute key, "" when n has none.
func AttrOr(n *html.Node, key string) string {
	v, _ := Attr(n, key)
	return v
}
