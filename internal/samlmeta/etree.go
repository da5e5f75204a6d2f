package samlmeta

import "github.com/beevik/etree"

// Is reports whether e is the element {ns}tag.
func Is(e *etree.Element, ns, tag string) bool {
	return e != nil && e.Tag == tag && e.NamespaceURI() == ns
}

// Child returns e's first child {ns}tag, or nil.
func Child(e *etree.Element, ns, tag string) *etree.Element {
	for _, c := range Children(e, ns, tag) {
		return c
	}
	return nil
}

// Children returns e's children {ns}tag.
func Children(e *etree.Element, ns, tag string) []*etree.Element {
	if e == nil {
		return nil
	}
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if Is(c, ns, tag) {
			out = append(out, c)
		}
	}
	return out
}

// Descendants returns every element {ns}tag below e, in document order.
func Descendants(e *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if Is(c, ns, tag) {
			out = append(out, c)
		}
		out = append(out, Descendants(c, ns, tag)...)
	}
	return out
}

// Attr returns the value of e's unqualified attribute name and whether it
// is present.
func Attr(e *etree.Element, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Space == "" && a.Key == name {
			return a.Value, true
		}
	}
	return "", false
}
