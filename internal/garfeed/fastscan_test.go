package garfeed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// The reference decoder below (encoding/xml) checks the fast scanner.

// decode walks the tokens of one file, building one record at a time.
func decode(r io.Reader, fi *File, visit Visit) error {
	d := xml.NewDecoder(r)
	d.Strict = true
	depth := 0
	var rec Record
	var path []string
	var text []byte
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 {
				line, _ := d.InputPos()
				return &input.Error{Line: line, Err: errors.New("unexpected end of file: truncated XML")}
			}
			if fi.Root == "" {
				return &input.Error{Err: errors.New("no root element")}
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			line, _ := d.InputPos()
			return &input.Error{Line: line, Err: errors.New("DOCTYPE/DTD refused in a GAR feed file")}
		case xml.StartElement:
			depth++
			switch {
			case depth == 1:
				if fi.Root != "" {
					line, _ := d.InputPos()
					return &input.Error{Line: line, Err: errors.New("more than one root element")}
				}
				fi.Root = t.Name.Local
				fi.NS = rootNamespace(t)
				for _, a := range t.Attr {
					if a.Name.Space == "" && a.Name.Local == "Version" {
						fi.Version, fi.HasVersion = strings.TrimSpace(a.Value), true
					}
				}
			case depth == 2:
				line, _ := d.InputPos()
				rec = Record{Name: t.Name.Local, Line: line, Fields: rec.Fields[:0]}
				path = path[:0]
			default:
				path = append(path, t.Name.Local)
				text = text[:0]
			}
			if depth > 64 {
				line, _ := d.InputPos()
				return &input.Error{Line: line, Err: errors.New("elements nested more than 64 deep; refused")}
			}
		case xml.CharData:
			if depth >= 3 {
				if len(text)+len(t) > 1<<20 {
					line, _ := d.InputPos()
					return &input.Error{Line: line, Err: errors.New("text value longer than 1 MiB; refused")}
				}
				text = append(text, t...)
			}
		case xml.EndElement:
			switch {
			case depth == 2:
				fi.Records++
				visit(fi, &rec)
			case depth >= 3:
				line, _ := d.InputPos()
				p := path[0]
				if len(path) > 1 {
					p = strings.Join(path, "/")
				}
				rec.Fields = append(rec.Fields, Field{Path: p, Val: string(bytes.TrimSpace(text)), Line: line})
				text = text[:0]
				path = path[:len(path)-1]
			}
			depth--
		}
	}
}

// rootNamespace resolves the root element's namespace from its own
// declarations (RawToken does not translate prefixes).
func rootNamespace(t xml.StartElement) string {
	for _, a := range t.Attr {
		if t.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns" {
			return a.Value
		}
		if t.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == t.Name.Space {
			return a.Value
		}
	}
	return ""
}

type flatRecord struct {
	Name   string
	Line   int
	Fields []string
}

func collect(t *testing.T, dec func(io.Reader, *File, Visit) error, data []byte) ([]flatRecord, File, error) {
	var out []flatRecord
	fi := File{}
	err := dec(bytes.NewReader(data), &fi, func(_ *File, r *Record) {
		fr := flatRecord{Name: r.Name, Line: r.Line}
		for _, f := range r.Fields {
			{
				fr.Fields = append(fr.Fields, f.Path+"="+f.Val+"@"+strconvItoa(f.Line))
			}
		}
		out = append(out, fr)
	})
	return out, fi, err
}

func strconvItoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}

func TestFastScannerMatchesEncodingXML(t *testing.T) {
	dir := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 300, Out: dir}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	more, _ := filepath.Glob("../../fixtures/gar/bad-*/*.xml")
	files = append(files, more...)
	extra := []string{
		"<?xml version='1.0'?>\n<!-- c -->\n<p:GAR-ENT-Groupe xmlns:p='http://data.education.fr/ns/gar' Version='1.7'>\n<p:GARGroupe>\n  <p:GARGroupeCode><![CDATA[3<A>]]></p:GARGroupeCode>\n  <p:GARGroupeLibelle>A &amp; B &#233;&#x20AC; &lt;x&gt;</p:GARGroupeLibelle><!-- x --><p:GARGroupeStatut/>\n</p:GARGroupe>\n</p:GAR-ENT-Groupe>\n",
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		extra = append(extra, string(data))
	}
	for i, doc := range extra {
		want, wfi, werr := collect(t, decode, []byte(doc))
		got, gfi, gerr := collect(t, decodeFast, []byte(doc))
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("doc %d: errors differ: %v / %v", i, werr, gerr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("doc %d: records differ (-encoding/xml +fast):\n%s", i, diff)
		}
		if wfi.Root != gfi.Root || wfi.NS != gfi.NS || wfi.Version != gfi.Version || wfi.HasVersion != gfi.HasVersion || wfi.Records != gfi.Records {
			t.Fatalf("doc %d: file info differs: %+v / %+v", i, wfi, gfi)
		}
	}
}

func TestFastScannerMalformed(t *testing.T) {
	base := `<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7"><GAREtab><GARStructureUAI>0750654D</GARStructureUAI></GAREtab></GAR-ENT-Etab>`
	for i := 0; i < len(base); i++ {
		fi := File{}
		err := decodeFast(strings.NewReader(base[:i]), &fi, func(*File, *Record) {})
		if err == nil {
			t.Fatalf("prefix %d accepted: %q", i, base[:i])
		}
	}
	for _, doc := range []string{"<!DOCTYPE x>" + base, base + "<x/>", base + "text", "<a " + strings.Repeat("b", 100<<10) + ">"} {
		fi := File{}
		if err := decodeFast(strings.NewReader(doc), &fi, func(*File, *Record) {}); err == nil {
			t.Fatalf("accepted %.60q", doc)
		}
	}
	_ = errors.New
	_ = xml.Name{}
	_ = input.Error{}
}
