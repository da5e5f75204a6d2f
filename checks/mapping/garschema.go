package mapping

import (
	"sort"
	"strings"
	"sync"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
)

// garElement is one element a mapping may target: "Record/Child" or
// "Record/Child/Leaf".
type garElement struct {
	Path      string
	Mandatory bool   // minOccurs ≥ 1 all the way down from the record
	Type      string // XSD type (local name): "date", "GARStructureUAIType", ...
}

// garSchema lists, per record (GAREleve, GARGroupe, ...), the elements the
// XSD defines, computed from the embedded GAR XSD of a degree.
type garSchema struct {
	Degree   string
	Records  map[string]bool
	Elements map[string]garElement
}

var (
	schemaMu    sync.Mutex
	schemaCache = map[string]*garSchema{}
)

// schemaFor walks the GAR XSD of degree: for each root's record elements,
// their children (with xs:extension bases resolved) and one level of
// nested complex types.
func schemaFor(degree string) *garSchema {
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := schemaCache[degree]; ok {
		return s
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(garfeed.XSD(degree)); err != nil {
		panic("mapping: embedded GAR XSD unreadable: " + err.Error())
	}
	types := map[string]*etree.Element{}
	for _, ct := range doc.Root().SelectElements("complexType") {
		types[ct.SelectAttrValue("name", "")] = ct
	}
	s := &garSchema{Degree: degree, Records: map[string]bool{}, Elements: map[string]garElement{}}
	for _, root := range doc.Root().SelectElements("element") {
		rt := types[local(root.SelectAttrValue("type", ""))]
		if rt == nil {
			continue
		}
		for _, rec := range children(rt, types) {
			name := rec.SelectAttrValue("name", "")
			s.Records[name] = true
			walk(s, name, types[local(rec.SelectAttrValue("type", ""))], types, true, 0)
		}
	}
	schemaCache[degree] = s
	return s
}

func walk(s *garSchema, prefix string, ct *etree.Element, types map[string]*etree.Element, mandatory bool, depth int) {
	if ct == nil || depth > 3 {
		return
	}
	for _, e := range children(ct, types) {
		name := e.SelectAttrValue("name", "")
		typ := local(e.SelectAttrValue("type", ""))
		m := mandatory && e.SelectAttrValue("minOccurs", "1") != "0"
		path := prefix + "/" + name
		if sub, ok := types[typ]; ok {
			walk(s, path, sub, types, m, depth+1)
			continue
		}
		s.Elements[path] = garElement{Path: path, Mandatory: m, Type: typ}
	}
}

// children returns the sequence elements of a complex type, base first.
func children(ct *etree.Element, types map[string]*etree.Element) []*etree.Element {
	var out []*etree.Element
	if ext := ct.FindElement("./complexContent/extension"); ext != nil {
		if base := types[local(ext.SelectAttrValue("base", ""))]; base != nil {
			out = append(out, children(base, types)...)
		}
		if seq := ext.SelectElement("sequence"); seq != nil {
			out = append(out, seq.SelectElements("element")...)
		}
		return out
	}
	if seq := ct.SelectElement("sequence"); seq != nil {
		out = append(out, seq.SelectElements("element")...)
	}
	return out
}

func local(qn string) string {
	if i := strings.IndexByte(qn, ':'); i >= 0 {
		return qn[i+1:]
	}
	return qn
}

// mandatoryOf lists the mandatory elements of a record, sorted.
func (s *garSchema) mandatoryOf(record string) []string {
	var out []string
	for p, e := range s.Elements {
		if e.Mandatory && strings.HasPrefix(p, record+"/") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
