// Package samlmeta reads a SAML 2.0 metadata document: the ENT's identity
// provider (its entity, its IDPSSODescriptor) and the signing keys it
// publishes. It is a foundation: the saml area (checks/saml) judges the
// document, the sso area (checks/sso) verifies captured responses with its
// keys; both read it through here, once per run, and neither imports the
// other. It knows no rule.
package samlmeta

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/url"
	"strings"

	"github.com/beevik/etree"
	"golang.org/x/net/publicsuffix"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// Namespaces and identifiers (OASIS SAML 2.0, W3C XML Signature).
const (
	NSMetadata    = "urn:oasis:names:tc:SAML:2.0:metadata"
	NSDSig        = "http://www.w3.org/2000/09/xmldsig#"
	ProtocolSAML2 = "urn:oasis:names:tc:SAML:2.0:protocol"
)

// Document is a metadata document as read and parsed once: the tree, the
// ENT's entity and its identity provider, and where each element is.
type Document struct {
	Src  string // the source as the user named it
	Raw  []byte // the document as UTF-8
	Doc  *etree.Document
	Root *etree.Element
	// Entity is the ENT's EntityDescriptor (the root, or the first
	// EntityDescriptor holding an IDPSSODescriptor), nil when absent.
	Entity *etree.Element
	// IDPs counts EntityDescriptors holding an IDPSSODescriptor.
	IDPs int
	// IdPEntities are those EntityDescriptors, in document order (a
	// federation's aggregate holds many).
	IdPEntities []*etree.Element
	// Chosen says how Entity was chosen among several identity providers
	// (Choose); ChoseFirst when nothing chose it.
	Chosen Choice
	// IDP is the entity's IDPSSODescriptor, nil when absent.
	IDP *etree.Element
	// Lines maps each element to the line of its start tag.
	Lines map[*etree.Element]int
}

// Cache shares what a run opens once (checks.Cache satisfies it).
type Cache interface {
	Get(key string, open func() (any, func(), error)) (v any, cleanup func(), err error)
}

// Loaded is a metadata document as read and parsed once per run (the saml
// and sso areas both read the dossier's metadata): the document, or why it
// could not be read (ReadErr: missing file, network, size) or was refused
// (ParseErr: malformed, DTD, encoding).
type Loaded struct {
	Doc               *Document
	ReadErr, ParseErr error
}

// Load reads and parses the metadata src once per run, through c (nil:
// every time).
func Load(ctx context.Context, ld *input.Loader, c Cache, src string) Loaded {
	open := func() (any, func(), error) {
		data, err := ld.Read(ctx, src, "saml-metadata")
		if err != nil {
			return Loaded{ReadErr: err}, nil, nil
		}
		md, err := Parse(src, data)
		return Loaded{Doc: md, ParseErr: err}, nil, nil
	}
	if c == nil {
		v, _, _ := open()
		return v.(Loaded)
	}
	v, _, _ := c.Get("saml-metadata:"+src, open)
	return v.(Loaded)
}

// Parse checks and parses the document once (xmlsafe, metadata limits:
// no DTD, no entity, bounded size and depth) and locates the ENT's entity.
func Parse(src string, data []byte) (*Document, error) {
	doc, utf8, err := xmlsafe.Parse(src, data, xmlsafe.MetadataLimits)
	if err != nil {
		return nil, err
	}
	md := &Document{Src: src, Raw: utf8, Doc: doc, Root: doc.Root()}
	md.Lines = elementLines(utf8, md.Root)
	switch {
	case Is(md.Root, NSMetadata, "EntityDescriptor"):
		md.Entity = md.Root
		if idpOf(md.Root) != nil {
			md.IDPs = 1
		}
	case Is(md.Root, NSMetadata, "EntitiesDescriptor"):
		for _, ed := range Descendants(md.Root, NSMetadata, "EntityDescriptor") {
			if idpOf(ed) != nil {
				md.IDPs++
				md.IdPEntities = append(md.IdPEntities, ed)
				if md.Entity == nil {
					md.Entity = ed
				}
			}
		}
	}
	if md.IDPs == 1 && md.IdPEntities == nil {
		md.IdPEntities = []*etree.Element{md.Root}
	}
	if md.Entity != nil {
		md.IDP = idpOf(md.Entity)
	}
	return md, nil
}

// Choice is how the audited identity provider was chosen in a document
// holding several.
type Choice int

const (
	// ChoseFirst: nothing named one, the first of the document is taken.
	ChoseFirst Choice = iota
	// ChoseEntityID: its entityID is the one asked for (a response's
	// Issuer).
	ChoseEntityID
	// ChoseDomain: the only one whose entityID is an address on the ENT's
	// own domain (the dossier's ent.url).
	ChoseDomain
)

// WithEntity returns a copy of md whose entity is ed (one of
// md.IdPEntities), chosen as how says; md itself, shared by the run's
// areas, is left as it is.
func (md *Document) WithEntity(ed *etree.Element, how Choice) *Document {
	c := *md
	c.Entity, c.IDP, c.Chosen = ed, idpOf(ed), how
	return &c
}

// EntityNamed returns the identity provider whose entityID is id, nil when
// none is.
func (md *Document) EntityNamed(id string) *etree.Element {
	for _, ed := range md.IdPEntities {
		if v, _ := Attr(ed, "entityID"); strings.TrimSpace(v) == id {
			return ed
		}
	}
	return nil
}

// ForENT returns md with, among several identity providers, the ENT's
// chosen: the only one whose entityID is an address on the registrable
// domain of entURL (the dossier's ent.url); else md as it is (the first,
// ChoseFirst). A document holding one identity provider is returned as it
// is.
func (md *Document) ForENT(entURL string) *Document {
	if md.IDPs < 2 {
		return md
	}
	want := registrable(entURL)
	if want == "" {
		return md
	}
	var found *etree.Element
	for _, ed := range md.IdPEntities {
		id, _ := Attr(ed, "entityID")
		if registrable(strings.TrimSpace(id)) != want {
			continue
		}
		if found != nil {
			return md // several: nothing to choose by
		}
		found = ed
	}
	if found == nil {
		return md
	}
	return md.WithEntity(found, ChoseDomain)
}

// registrable is the registrable domain (public suffix plus one label) of
// an http(s) address, "" when it has none.
func registrable(u string) string {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Hostname() == "" {
		return ""
	}
	h := strings.TrimSuffix(strings.ToLower(p.Hostname()), ".")
	if d, err := publicsuffix.EffectiveTLDPlusOne(h); err == nil {
		return d
	}
	return h
}

// idpOf returns the entity's IDPSSODescriptor: the first supporting SAML
// 2.0 (an entity may describe its SAML 1.1 role in another one, placed
// first), else the first; nil when it has none.
func idpOf(ed *etree.Element) *etree.Element {
	idps := Children(ed, NSMetadata, "IDPSSODescriptor")
	for _, idp := range idps {
		if pse, _ := Attr(idp, "protocolSupportEnumeration"); containsField(pse, ProtocolSAML2) {
			return idp
		}
	}
	for _, idp := range idps {
		return idp
	}
	return nil
}

// containsField reports whether the whitespace-separated list holds v.
func containsField(list, v string) bool {
	for _, f := range strings.Fields(list) {
		if f == v {
			return true
		}
	}
	return false
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
