package garfeed

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/internal/libxml2"
)

// The GAR XSDs declare identity constraints (xs:key) on their root
// elements: each person, establishment, group or link is unique in its
// file by one to three of its fields. libxml2 spends half its validation
// time on them (its identity-constraint machinery evaluates XPath
// matchers on every element), so the single pass validates with a copy of
// the XSD without them and checks the keys itself from the records it
// builds anyway (keyTracker), in libxml2's words and at libxml2's
// positions.
//
// It does so only where the result is certain to be libxml2's: when the
// copy without keys finds the file valid, every element was validated and
// every key field holds a valid string, and libxml2 would report nothing
// but the keys' own errors. A file with any other error (or anything
// unusual about its keys, see keyTracker.odd) is validated again with the
// whole XSD, whose report is then taken as it is (scanOnce).

// keyDef is one xs:key of a root element, as its XSD writes it: the
// selector names a child of the root, the fields children of that child.
type keyDef struct {
	index    int    // among its root's keys
	name     string // as libxml2 writes it: {namespace}name
	selector string // local name of the target element
	fields   []string
}

// keySchema is an XSD split in two: its text without the keys, and the
// keys by root element (local name).
type keySchema struct {
	ns      string
	keyless []byte
	keys    map[string][]keyDef
}

var (
	keySchemaOnce            sync.Once
	keySchema2D, keySchema1D keySchema
	keySchemaErr             error
)

// keySchemaOf returns the embedded XSD of namespace ns split (once per
// process for both).
func keySchemaOf(ns string) (*keySchema, error) {
	keySchemaOnce.Do(func() {
		keySchema2D, keySchemaErr = splitKeys(xsd2D)
		if keySchemaErr == nil {
			keySchema1D, keySchemaErr = splitKeys(xsd1D)
		}
	})
	if ns == NS1D {
		return &keySchema1D, keySchemaErr
	}
	return &keySchema2D, keySchemaErr
}

// splitKeys reads the xs:key declarations of the top-level elements of an
// XSD and returns it without them. Any key that is not of the GAR's
// shape (a child selector, child fields, all in the target namespace)
// is an error: the single pass then keeps the whole XSD.
func splitKeys(xsd []byte) (keySchema, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(xsd); err != nil {
		return keySchema{}, err
	}
	root := doc.Root()
	if root == nil || root.Tag != "schema" {
		return keySchema{}, fmt.Errorf("no schema element")
	}
	ks := keySchema{ns: root.SelectAttrValue("targetNamespace", ""), keys: map[string][]keyDef{}}
	// prefix → namespace, as declared on the schema element (the GAR
	// XSDs declare every prefix there).
	prefixes := map[string]string{}
	for _, a := range root.Attr {
		if a.Space == "xmlns" {
			prefixes[a.Key] = a.Value
		}
	}
	local := func(xpath string) (string, error) {
		p, l, ok := strings.Cut(xpath, ":")
		if !ok || prefixes[p] != ks.ns || l == "" || strings.ContainsAny(l, "/@*.:[( |") {
			return "", fmt.Errorf("xpath %q is not a child of the target namespace", xpath)
		}
		return l, nil
	}
	for _, el := range root.ChildElements() {
		if el.Tag != "element" {
			continue
		}
		name := el.SelectAttrValue("name", "")
		for _, k := range el.ChildElements() {
			switch k.Tag {
			case "key":
			case "unique", "keyref":
				return keySchema{}, fmt.Errorf("element %s: xs:%s is not handled", name, k.Tag)
			default:
				continue
			}
			def := keyDef{name: "{" + ks.ns + "}" + k.SelectAttrValue("name", "")}
			for _, c := range k.ChildElements() {
				xp := c.SelectAttrValue("xpath", "")
				switch c.Tag {
				case "selector":
					l, err := local(xp)
					if err != nil || def.selector != "" {
						return keySchema{}, fmt.Errorf("key %s: selector %q", def.name, xp)
					}
					def.selector = l
				case "field":
					l, err := local(xp)
					if err != nil {
						return keySchema{}, fmt.Errorf("key %s: %w", def.name, err)
					}
					def.fields = append(def.fields, l)
				}
			}
			if def.selector == "" || len(def.fields) == 0 {
				return keySchema{}, fmt.Errorf("key %s: no selector or no field", def.name)
			}
			for _, o := range ks.keys[name] {
				if o.selector == def.selector {
					// Two keys on one target: the order of their
					// errors would be libxml2's to decide.
					return keySchema{}, fmt.Errorf("keys %s and %s select %s", o.name, def.name, def.selector)
				}
			}
			def.index = len(ks.keys[name])
			ks.keys[name] = append(ks.keys[name], def)
			el.RemoveChild(k)
		}
	}
	if len(ks.keys) == 0 {
		return keySchema{}, fmt.Errorf("no xs:key")
	}
	out, err := doc.WriteToBytes()
	if err != nil {
		return keySchema{}, err
	}
	ks.keyless = out
	return ks, nil
}

// keyTracker checks the keys of one file from the single pass's events:
// the target elements (children of the root named by a selector) and the
// raw text of their fields.
type keyTracker struct {
	ks   *keySchema // nil: libxml2 has the whole XSD, nothing to track
	keys []keyDef   // the root's
	// The target being read: its key, and its fields' values (spans of
	// vals, in the key's order).
	cur   *keyDef
	vals  []byte
	spans [][2]int
	set   []bool
	// seen holds the key sequences met in the file, by a 128-bit keyed
	// hash of the key's index and its values (no allocation, nothing for
	// the garbage collector to scan; two different sequences collide
	// with a probability of about n²/2¹²⁹, 10⁻²⁷ for a million records).
	// It is the worker's, emptied for each file (root).
	seen  map[[2]uint64]struct{}
	buf   []byte
	errs  []libxml2.Issue // the first maxSchemaErrors, in document order
	total int
	odd   bool // something libxml2 might report otherwise: use the whole XSD
}

// root starts a file whose root element has the local name name.
func (k *keyTracker) root(name string) {
	if k.ks == nil {
		return
	}
	k.keys = k.ks.keys[name]
	clear(k.seen)
}

// start notes a child of the root.
func (k *keyTracker) start(name string) {
	k.cur = nil
	for i := range k.keys {
		if k.keys[i].selector == name {
			k.cur = &k.keys[i]
			break
		}
	}
	if k.cur == nil {
		return
	}
	n := len(k.cur.fields)
	k.vals = k.vals[:0]
	k.spans = append(k.spans[:0], make([][2]int, n)...)
	k.set = append(k.set[:0], make([]bool, n)...)
}

// field notes the raw value of a child of the target.
func (k *keyTracker) field(name string, raw []byte) {
	if k.cur == nil {
		return
	}
	for i, f := range k.cur.fields {
		if f == name {
			if k.set[i] {
				// Twice the same field: the content models forbid it,
				// so libxml2 has reported it, and the file is
				// validated again anyway; make sure of it.
				k.odd = true
			}
			if bytes.IndexByte(raw, 0) >= 0 || bytes.IndexByte(raw, '\'') >= 0 {
				// A quote in a value makes libxml2's message ambiguous
				// for the masking of values: leave it to libxml2.
				k.odd = true
			}
			k.spans[i] = [2]int{len(k.vals), len(k.vals) + len(raw)}
			k.vals = append(k.vals, raw...)
			k.set[i] = true
		}
	}
}

// end closes a child of the root, which ends at line:col.
func (k *keyTracker) end(line, col int, elem string) {
	if k.cur == nil {
		return
	}
	def := k.cur
	k.cur = nil
	for _, ok := range k.set {
		if !ok {
			k.fail(line, col, fmt.Sprintf("Element '{%s}%s': Not all fields of key identity-constraint '%s' evaluate to a node.", k.ks.ns, elem, def.name))
			return
		}
	}
	// The key's index, then each value's length and bytes.
	k.buf = append(k.buf[:0], byte(def.index))
	for _, sp := range k.spans {
		k.buf = binary.AppendUvarint(k.buf, uint64(sp[1]-sp[0]))
		k.buf = append(k.buf, k.vals[sp[0]:sp[1]]...)
	}
	h := [2]uint64{maphash.Bytes(keySeeds[0], k.buf), maphash.Bytes(keySeeds[1], k.buf)}
	if _, dup := k.seen[h]; !dup {
		k.seen[h] = struct{}{}
		return
	}
	vals := make([]string, len(k.spans))
	for i, sp := range k.spans {
		vals[i] = string(k.vals[sp[0]:sp[1]])
	}
	k.fail(line, col, fmt.Sprintf("Element '{%s}%s': Duplicate key-sequence ['%s'] in key identity-constraint '%s'.", k.ks.ns, elem, strings.Join(vals, "', '"), def.name))
}

func (k *keyTracker) fail(line, col int, msg string) {
	k.total++
	if len(k.errs) < MaxSchemaErrors {
		k.errs = append(k.errs, libxml2.Issue{Domain: libxml2.DomainSchemasV, Code: codeIDC, Level: 2, Line: line, Column: col, Message: msg})
	}
}

// keySeeds key the hashes of key sequences (one pair per process).
var keySeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

// codeIDC is libxml2's XML_SCHEMAV_CVC_IDC.
const codeIDC = 1877
