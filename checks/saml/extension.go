package saml

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strings"
)

// nsXSI is the XML Schema instance namespace (xsi:type).
const nsXSI = "http://www.w3.org/2001/XMLSchema-instance"

// extensionRoles finds the md:RoleDescriptor elements whose xsi:type names
// a type outside the SAML metadata namespace, such as ADFS's
// fed:SecurityTokenServiceType and fed:ApplicationServiceType
// (WS-Federation 1.2). saml-metadata-2.0-os §2.4.1 makes RoleDescriptor an
// abstract extension point for new roles; their schema is not the SAML
// one, so the embedded schema cannot judge them. It returns a copy of data
// with those elements blanked (spaces, newlines kept: lines and columns
// stay true) and the sorted, distinct types found. data is returned as is
// when there are none.
func extensionRoles(data []byte) ([]byte, []string) {
	type span struct{ start, end int }
	var spans []span
	seen := map[string]bool{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	var scopes []map[string]string // namespace declarations, innermost last
	lookup := func(prefix string) string {
		for i := len(scopes) - 1; i >= 0; i-- {
			if uri, ok := scopes[i][prefix]; ok {
				return uri
			}
		}
		return ""
	}
	depth, skipFrom, start := 0, -1, 0
	for {
		off := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err != nil { // io.EOF included: the document was checked before
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			scope := map[string]string{}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					scope[""] = a.Value
				case a.Name.Space == "xmlns":
					scope[a.Name.Local] = a.Value
				}
			}
			scopes = append(scopes, scope)
			depth++
			if skipFrom >= 0 || t.Name.Local != "RoleDescriptor" || lookup(t.Name.Space) != nsMD {
				continue
			}
			for _, a := range t.Attr {
				if a.Name.Local != "type" || a.Name.Space == "" || a.Name.Space == "xmlns" || lookup(a.Name.Space) != nsXSI {
					continue
				}
				prefix, _, found := strings.Cut(strings.TrimSpace(a.Value), ":")
				if !found {
					prefix = ""
				}
				if lookup(prefix) != nsMD {
					skipFrom = depth
					start = off + bytes.IndexByte(data[off:], '<')
					seen[strings.TrimSpace(a.Value)] = true
				}
			}
		case xml.EndElement:
			if depth == skipFrom {
				spans = append(spans, span{start, int(dec.InputOffset())})
				skipFrom = -1
			}
			depth--
			if len(scopes) > 0 {
				scopes = scopes[:len(scopes)-1]
			}
		}
	}
	if len(spans) == 0 {
		return data, nil
	}
	out := bytes.Clone(data)
	for _, s := range spans {
		for i := s.start; i < s.end; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	types := make([]string, 0, len(seen))
	for t := range seen {
		types = append(types, t)
	}
	sort.Strings(types)
	return out, types
}
