// Package saml holds the checks of the saml area: one SAML 2.0 IdP
// metadata document, the ENT's identity provider toward the GAR.
//
// The document is read and parsed once (xmlsafe) into a *metadata; each
// rule is then a small function over it.
package saml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Namespaces and identifiers (OASIS SAML 2.0, W3C XML Signature).
const (
	nsMD        = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsSAML      = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsDS        = "http://www.w3.org/2000/09/xmldsig#"
	protocolV2  = "urn:oasis:names:tc:SAML:2.0:protocol"
	bindingRedi = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
	bindingPOST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
	nameIDTrans = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
	attrBasic   = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
)

// metadata is the parsed document every rule looks at.
type metadata struct {
	src  string
	raw  []byte // the document as UTF-8
	doc  *etree.Document
	root *etree.Element
	// entity is the ENT's EntityDescriptor (the root, or the first
	// EntityDescriptor holding an IDPSSODescriptor), nil when absent.
	entity *etree.Element
	// idps counts EntityDescriptors holding an IDPSSODescriptor.
	idps int
	// idp is the entity's IDPSSODescriptor, nil when absent.
	idp *etree.Element
	// lines maps each element to the line of its start tag.
	lines map[*etree.Element]int
}

// Check audits one SAML IdP metadata document (file or https URL).
func Check(env *checks.Env, src string) []result.Finding {
	l := load(env, src)
	if err := l.readErr; err != nil {
		if errors.Is(err, input.ErrTooLarge) {
			return refused(err)
		}
		return checks.Unreadable(rules.AreaSAML, err)
	}
	md, err := l.md, l.parseErr
	if err != nil {
		return refused(err)
	}
	out := []result.Finding{checks.Pass(rules.SAML001,
		"Document XML bien formé, sans DTD ni entité, stable à l'aller-retour.",
		"Well-formed XML without DTD or entities; round-trips unchanged.",
		md.at(md.root))}
	for _, rule := range ruleFuncs {
		out = append(out, rule(env, md)...)
	}
	return out
}

// loaded is a metadata document as read and parsed once per run (the saml
// and sso areas both read the dossier's metadata).
type loaded struct {
	md                *metadata
	readErr, parseErr error
}

func load(env *checks.Env, src string) loaded {
	v, _, _ := env.Cache.Get("saml-metadata:"+src, func() (any, func(), error) {
		data, err := env.Loader.Read(env.Context(), src, "saml-metadata")
		if err != nil {
			return loaded{readErr: err}, nil, nil
		}
		md, err := parse(src, data)
		return loaded{md: md, parseErr: err}, nil, nil
	})
	return v.(loaded)
}

// ruleFuncs are the rules that run over a parsed document, in ID order.
var ruleFuncs = []func(*checks.Env, *metadata) []result.Finding{
	checkSchema,
	checkEntity,
	checkSSO,
	checkCertificates,
	checkSignature,
	checkSigned,
	checkValidity,
	checkSLO,
	checkNameID,
	checkAttributes,
	checkMinimal,
	checkIDEnt,
}

// refused reports a document that was read but is unacceptable (too
// large, malformed, unsafe DTD, bad encoding): SAML-001 fails with
// file:line:problem and every other rule is not evaluated. A document that
// could not be read at all (missing file, network error, HTTP status)
// leaves every rule, SAML-001 included, not evaluated.
func refused(err error) []result.Finding {
	f := checks.Fail(rules.SAML001,
		"Document rejeté : "+input.French(err)+".",
		"Document refused: "+err.Error()+".")
	if e, ok := input.AsError(err); ok {
		f.Evidence = []result.Evidence{{Source: e.Source, Line: e.Line, Column: e.Column}}
	}
	return append([]result.Finding{f}, checks.Unreadable(rules.AreaSAML, err, rules.SAML001)...)
}

// parse checks and parses the document once and locates the ENT's entity.
func parse(src string, data []byte) (*metadata, error) {
	doc, utf8, err := xmlsafe.Parse(src, data, xmlsafe.MetadataLimits)
	if err != nil {
		return nil, err
	}
	md := &metadata{src: src, raw: utf8, doc: doc, root: doc.Root()}
	md.lines = elementLines(utf8, md.root)
	switch {
	case is(md.root, nsMD, "EntityDescriptor"):
		md.entity = md.root
		if idpOf(md.root) != nil {
			md.idps = 1
		}
	case is(md.root, nsMD, "EntitiesDescriptor"):
		for _, ed := range descendants(md.root, nsMD, "EntityDescriptor") {
			if idpOf(ed) != nil {
				md.idps++
				if md.entity == nil {
					md.entity = ed
				}
			}
		}
	}
	if md.entity != nil {
		md.idp = idpOf(md.entity)
	}
	return md, nil
}

// idpOf returns the entity's IDPSSODescriptor: the first supporting SAML
// 2.0 (an entity may describe its SAML 1.1 role in another one, placed
// first), else the first; nil when it has none.
func idpOf(ed *etree.Element) *etree.Element {
	idps := children(ed, nsMD, "IDPSSODescriptor")
	for _, idp := range idps {
		if pse, _ := attr(idp, "protocolSupportEnumeration"); containsField(pse, protocolV2) {
			return idp
		}
	}
	for _, idp := range idps {
		return idp
	}
	return nil
}

// elementLines maps every element of the tree to the line of its start
// tag. etree keeps no positions, so the document is scanned once more with
// encoding/xml; both visit elements in document order.
func elementLines(data []byte, root *etree.Element) map[*etree.Element]int {
	var order []*etree.Element
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		order = append(order, e)
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(root)
	lines := make(map[*etree.Element]int, len(order))
	dec := xml.NewDecoder(bytes.NewReader(data))
	line, last, i := 1, 0, 0
	for i < len(order) {
		off := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err != nil { // io.EOF included: the document was checked before

			break
		}
		if _, ok := tok.(xml.StartElement); ok {
			start := off
			if j := bytes.IndexByte(data[off:], '<'); j >= 0 {
				start = off + j
			}
			line += bytes.Count(data[last:start], []byte("\n"))
			last = start
			lines[order[i]] = line
			i++
		}
	}
	return lines
}

// at is the evidence pointing at an element.
func (md *metadata) at(e *etree.Element) result.Evidence {
	ev := result.Evidence{Source: md.src}
	if e != nil {
		ev.Line = md.lines[e]
	}
	return ev
}

// atExcerpt is the evidence pointing at an element, with an excerpt.
func (md *metadata) atExcerpt(e *etree.Element, excerpt string) result.Evidence {
	ev := md.at(e)
	ev.Excerpt = clip(excerpt, 160)
	return ev
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// is reports whether e is the element {ns}tag.
func is(e *etree.Element, ns, tag string) bool {
	return e != nil && e.Tag == tag && e.NamespaceURI() == ns
}

// child returns e's first child {ns}tag, or nil.
func child(e *etree.Element, ns, tag string) *etree.Element {
	for _, c := range children(e, ns, tag) {
		return c
	}
	return nil
}

// children returns e's children {ns}tag.
func children(e *etree.Element, ns, tag string) []*etree.Element {
	if e == nil {
		return nil
	}
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if is(c, ns, tag) {
			out = append(out, c)
		}
	}
	return out
}

// descendants returns every element {ns}tag below e, in document order.
func descendants(e *etree.Element, ns, tag string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if is(c, ns, tag) {
			out = append(out, c)
		}
		out = append(out, descendants(c, ns, tag)...)
	}
	return out
}

// attr returns the value of e's unqualified attribute name and whether it
// is present.
func attr(e *etree.Element, name string) (string, bool) {
	for _, a := range e.Attr {
		if a.Space == "" && a.Key == name {
			return a.Value, true
		}
	}
	return "", false
}

// noIDP is the finding of a rule that needs the IDPSSODescriptor when the
// document has none (SAML-003 reports it).
func noIDP(rule *rules.Rule) []result.Finding {
	return []result.Finding{checks.Skip(rule,
		"Pas de IDPSSODescriptor à examiner (voir "+rules.SAML003.ID+").",
		"No IDPSSODescriptor to examine (see "+rules.SAML003.ID+").")}
}
