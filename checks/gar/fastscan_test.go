package gar

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
func decode(r io.Reader, fi *fileInfo, visit func(*fileInfo, *record)) error {
	d := xml.NewDecoder(r)
	d.Strict = true
	depth := 0
	var rec record
	var path []string
	var text []byte
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 {
				line, _ := d.InputPos()
				return &input.Error{Line: line, Err: errors.New("unexpected end of file: truncated XML")}
			}
			if fi.root == "" {
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
				if fi.root != "" {
					line, _ := d.InputPos()
					return &input.Error{Line: line, Err: errors.New("more than one root element")}
				}
				fi.root = t.Name.Local
				fi.ns = rootNamespace(t)
				for _, a := range t.Attr {
					if a.Name.Space == "" && a.Name.Local == "Version" {
						fi.version, fi.hasVer = strings.TrimSpace(a.Value), true
					}
				}
			case depth == 2:
				line, _ := d.InputPos()
				rec = record{name: t.Name.Local, line: line, fields: rec.fields[:0]}
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
				fi.records++
				visit(fi, &rec)
			case depth >= 3:
				line, _ := d.InputPos()
				p := path[0]
				if len(path) > 1 {
					p = strings.Join(path, "/")
				}
				rec.fields = append(rec.fields, field{path: p, val: string(bytes.TrimSpace(text)), line: line})
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

func collect(t *testing.T, dec func(io.Reader, *fileInfo, func(*fileInfo, *record)) error, data []byte) ([]flatRecord, fileInfo, error) {
	var out []flatRecord
	fi := fileInfo{}
	err := dec(bytes.NewReader(data), &fi, func(_ *fileInfo, r *record) {
		fr := flatRecord{Name: r.name, Line: r.line}
		for _, f := range r.fields {
			{
				fr.Fields = append(fr.Fields, f.path+"="+f.val+"@"+strconvItoa(f.line))
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
		if wfi.root != gfi.root || wfi.ns != gfi.ns || wfi.version != gfi.version || wfi.hasVer != gfi.hasVer || wfi.records != gfi.records {
			t.Fatalf("doc %d: file info differs: %+v / %+v", i, wfi, gfi)
		}
	}
}

func TestFastScannerMalformed(t *testing.T) {
	base := `<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7"><GAREtab><GARStructureUAI>0750654D</GARStructureUAI></GAREtab></GAR-ENT-Etab>`
	for i := 0; i < len(base); i++ {
		fi := fileInfo{}
		err := decodeFast(strings.NewReader(base[:i]), &fi, func(*fileInfo, *record) {})
		if err == nil {
			t.Fatalf("prefix %d accepted: %q", i, base[:i])
		}
	}
	for _, doc := range []string{"<!DOCTYPE x>" + base, base + "<x/>", base + "text", "<a " + strings.Repeat("b", 100<<10) + ">"} {
		fi := fileInfo{}
		if err := decodeFast(strings.NewReader(doc), &fi, func(*fileInfo, *record) {}); err == nil {
			t.Fatalf("accepted %.60q", doc)
		}
	}
	_ = errors.New
	_ = xml.Name{}
	_ = input.Error{}
}

// TestPrefiltersAreNecessary: the cheap pre-filters of the minimisation
// rule never hide a value its regular expressions would match.
func TestPrefiltersAreNecessary(t *testing.T) {
	vals := []string{"", " ", "0612345678", "06 12 34 56 78", " +33 6 12 34 56 78 ", "+33612345678", "06.12.34.56.78",
		"06-12-34-56-78", "\t0612345678\n", "2010-05-03", "0123456A", "1234567890A", "123456789AB", "a@b.fr",
		"camille.exemple@example.org", "x@y", "Lou", "Fictif", "+", "0", "National_elv", "12345678901", "1234567890a"}
	alphabet := []byte("0123456789+-. \t\n\r\fAZaz@_é")
	seed := uint32(1)
	for i := 0; i < 20000; i++ {
		n := int(seed % 16)
		b := make([]byte, 0, n)
		for j := 0; j < n; j++ {
			seed = seed*1664525 + 1013904223
			b = append(b, alphabet[int(seed>>16)%len(alphabet)])
		}
		seed = seed*1664525 + 1013904223
		vals = append(vals, string(b))
	}
	for _, v := range vals {
		if want := emailRe.MatchString(v) || phoneRe.MatchString(v); contactLike(v) != want {
			t.Errorf("contactLike(%q) = %v, regexps say %v", v, !want, want)
		}
		if want := ineRe.MatchString(v) || emailRe.MatchString(v); meaningfulID(v) != want {
			t.Errorf("meaningfulID(%q) = %v, regexps say %v", v, !want, want)
		}
	}
}
