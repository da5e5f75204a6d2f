package garfeed

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// TestSplitKeys: the keys of both XSDs are read in full, and the XSD
// without them keeps everything else.
func TestSplitKeys(t *testing.T) {
	k2D, err := keySchemaOf(NS2D)
	if err != nil {
		t.Fatal(err)
	}
	k1D, err := keySchemaOf(NS1D)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ks             *keySchema
		xsd            []byte
		keys           int
		root, selector string
		fields         []string
	}{
		{k2D, xsd2D, 13, "GAR-ENT-Eleve", "GARPersonMEF", []string{"GARStructureUAI", "GARPersonIdentifiant", "GARMEFCode"}},
		{k1D, xsd1D, 8, "GAR-ENT-Groupe", "GARPersonGroupe", []string{"GARStructureUAI", "GARPersonIdentifiant", "GARGroupeCode"}},
	} {
		n := 0
		for _, defs := range c.ks.keys {
			n += len(defs)
		}
		if want := strings.Count(string(c.xsd), "<key "); n != want || (c.keys > 0 && n != c.keys) {
			t.Errorf("%s: %d keys read, the XSD has %d", c.ks.ns, n, want)
		}
		if strings.Contains(string(c.ks.keyless), "<key") || strings.Contains(string(c.ks.keyless), "<selector") {
			t.Errorf("%s: keys left in the XSD without keys", c.ks.ns)
		}
		if strings.Count(string(c.ks.keyless), "<element") != strings.Count(string(c.xsd), "<element") {
			t.Errorf("%s: elements lost", c.ks.ns)
		}
		found := false
		for _, d := range c.ks.keys[c.root] {
			if d.selector == c.selector {
				found = true
				if strings.Join(d.fields, ",") != strings.Join(c.fields, ",") {
					t.Errorf("%s %s: fields %v, want %v", c.root, c.selector, d.fields, c.fields)
				}
				if !strings.HasPrefix(d.name, "{"+c.ks.ns+"}GAR-ENT-Cle-Fonctionnelle-") {
					t.Errorf("key name %q", d.name)
				}
			}
		}
		if !found {
			t.Errorf("%s: no key on %s", c.root, c.selector)
		}
	}
	for _, bad := range []string{
		`<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:x" targetNamespace="urn:x"><element name="r"><key name="k"><selector xpath=".//m:a"/><field xpath="m:b"/></key></element></schema>`,
		`<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:x" targetNamespace="urn:x"><element name="r"><key name="k"><selector xpath="m:a"/><field xpath="@b"/></key></element></schema>`,
		`<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:x" targetNamespace="urn:x"><element name="r"><unique name="k"><selector xpath="m:a"/><field xpath="m:b"/></unique></element></schema>`,
		`<schema xmlns="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:x" targetNamespace="urn:x"><element name="r"><key name="k"><selector xpath="m:a"/><field xpath="m:b"/></key><key name="l"><selector xpath="m:a"/><field xpath="m:c"/></key></element></schema>`,
	} {
		if _, err := splitKeys([]byte(bad)); err == nil {
			t.Errorf("splitKeys accepted %s", bad)
		}
	}
}

// TestKeysAsLibxml2 writes files that break the XSD's keys in every way a
// valid file can (duplicates of one and three fields, values that differ
// by a space, empty values, references and CDATA, more duplicates than
// the validator keeps), and files that break them beside other errors.
// The single pass must report what libxml2 with the whole XSD reports,
// byte for byte, and check the keys itself when nothing else is wrong.
func TestKeysAsLibxml2(t *testing.T) {
	vs := &Reader{eng: needLibxml2(t)}
	gen := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 300, Out: gen, PerFile: 1000}); err != nil {
		t.Fatal(err)
	}
	if _, err := gargen.Generate(gargen.Options{Pupils: 300, Out: gen, PerFile: 1000, Degree: "1D"}); err != nil {
		t.Fatal(err)
	}
	read := func(kind string) (head string, recs []string, tail string) {
		deg := "2D"
		if k, ok := strings.CutSuffix(kind, " 1D"); ok {
			kind, deg = k, "1D"
		}
		files, _ := filepath.Glob(filepath.Join(gen, "*_"+deg+"_"+kind+"_0000.xml"))
		if len(files) != 1 {
			t.Fatalf("%s: %v", kind, files)
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		return strings.Join(lines[:2], "\n") + "\n", lines[2 : len(lines)-1], lines[len(lines)-1] + "\n"
	}
	eh, eleves, et := read("Eleve")
	gh, groupes, gt := read("Groupe")
	h1, eleves1, t1 := read("Eleve 1D")
	var links []string
	for _, r := range groupes {
		if strings.HasPrefix(r, "<men:GARPersonGroupe>") {
			links = append(links, r)
		}
	}
	if len(eleves) < 200 || len(links) < 20 {
		t.Fatalf("%d pupils, %d links", len(eleves), len(links))
	}
	id := func(r string) string {
		_, after, _ := strings.Cut(r, "<men:GARPersonIdentifiant>")
		v, _, _ := strings.Cut(after, "<")
		return v
	}
	withID := func(r, v string) string {
		return strings.Replace(r, ">"+id(r)+"<", ">"+v+"<", 1)
	}
	many := func(n int) []string {
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, eleves[i%3])
		}
		return out
	}
	doc := func(h string, recs []string, tl string) string { return h + strings.Join(recs, "\n") + "\n" + tl }
	// with returns recs with extra after the last record of extra's
	// element (the root's content model orders them).
	with := func(recs []string, extra ...string) []string {
		tag, _, _ := strings.Cut(extra[0], ">")
		at := 0
		for i, r := range recs {
			if strings.HasPrefix(r, tag+">") {
				at = i + 1
			}
		}
		out := append(append([]string{}, recs[:at]...), extra...)
		return append(out, recs[at:]...)
	}
	cases := []struct {
		name  string
		doc   string
		errs  int  // key errors libxml2 reports
		whole bool // the single pass needs the whole XSD
	}{
		{"valid", doc(eh, eleves, et), 0, false},
		{"dup pupil", doc(eh, with(eleves, eleves[5], eleves[7]), et), 2, false},
		{"dup spaced", doc(eh, with(eleves, withID(eleves[5], " "+id(eleves[5])), withID(eleves[6], "")), et), 0, false},
		{"dup empty", doc(eh, with(eleves, withID(eleves[5], ""), withID(eleves[6], "")), et), 1, false},
		{"dup refs", doc(eh, with(eleves, withID(eleves[5], "a&amp;b&#233;"), withID(eleves[6], "a&amp;b\u00e9"), withID(eleves[7], "<![CDATA[a&b]]>é")), et), 2, false},
		{"dup split", doc(eh, with(eleves, withID(eleves[5], "x<!-- c -->y"), withID(eleves[6], "xy")), et), 1, false},
		{"dup newline", doc(eh, with(eleves, withID(eleves[5], "x\r\ny"), withID(eleves[6], "x\ny")), et), 1, false},
		{"dup link", doc(gh, with(groupes, links[3], links[3]), gt), 2, false},
		{"dup pupil 1D", doc(h1, with(eleves1, eleves1[2], eleves1[9]), t1), 2, false},
		{"many dups", doc(eh, with(eleves, many(150)...), et), 150, false},
		{"quote", doc(eh, with(eleves, withID(eleves[5], "o'k"), withID(eleves[6], "o'k")), et), 1, true},
		{"dup and error", doc(eh, with(eleves, eleves[5], strings.Replace(eleves[6], "<men:GARPersonNom>", "<men:GARPersonNom>"+strings.Repeat("n", 600), 1)), et), 2, true},
		{"too long key", doc(eh, with(eleves, withID(eleves[5], strings.Repeat("k", 70)), withID(eleves[6], strings.Repeat("k", 70))), et), 4, true},
		{"missing key", doc(eh, with(eleves, strings.Replace(eleves[5], "<men:GARPersonIdentifiant>"+id(eleves[5])+"</men:GARPersonIdentifiant>", "", 1)), et), 1, true},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".xml")
			if err := os.WriteFile(p, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			checkPasses(t, vs, p, true)
			m := Member{Name: filepath.Base(p), Source: p, Path: p}
			fi, ok, err := scanOnce(context.Background(), &input.Loader{}, m, DefaultLimits, vs, func(*File, *Record) {})
			if err != nil || !ok {
				t.Fatalf("single pass: ok=%v err=%v", ok, err)
			}
			if fi.WholeXSD != c.whole {
				t.Errorf("validated again with the whole XSD: %v, want %v", fi.WholeXSD, c.whole)
			}
			// What libxml2 with the whole XSD says of the keys.
			fh, _ := os.Open(p)
			defer fh.Close()
			ns, whole := NS2D, &vs.x2D
			if strings.HasSuffix(c.name, "1D") {
				ns, whole = NS1D, &vs.x1D
			}
			if err := vs.prepare(ns, DefaultLimits); err != nil {
				t.Fatal(err)
			}
			rep, err := (*whole).Validate(context.Background(), fh, MaxSchemaErrors)
			if err != nil {
				t.Fatal(err)
			}
			keyErrs := 0
			for _, is := range rep.Issues {
				if is.Code == codeIDC {
					keyErrs++
				}
			}
			if c.errs <= MaxSchemaErrors && keyErrs != c.errs {
				t.Errorf("libxml2 reports %d key errors, the case expects %d: %v", keyErrs, c.errs, rep.Issues)
			}
			if c.errs > MaxSchemaErrors && (rep.Total != c.errs || !fi.SchemaTruncated || len(fi.SchemaErrors) != MaxSchemaErrors) {
				t.Errorf("libxml2: %d errors in all; single pass: %d kept, truncated %v", rep.Total, len(fi.SchemaErrors), fi.SchemaTruncated)
			}
			if !c.whole && len(fi.SchemaErrors) != min(c.errs, MaxSchemaErrors) {
				t.Errorf("single pass: %d violations, want %d", len(fi.SchemaErrors), c.errs)
			}
			for _, v := range fi.SchemaErrors {
				if strings.Contains(v.Msg, "key-sequence") && !strings.Contains(v.Msg, "«") {
					t.Errorf("values not masked: %s", v.Msg)
				}
			}
		})
	}
}

// TestValidateWholeSameBytes: the second validation with the whole XSD
// stands only on the bytes the single pass read; a file changed in
// between is refused (the caller then reads it the two-pass way).
func TestValidateWholeSameBytes(t *testing.T) {
	vs := &Reader{eng: needLibxml2(t)}
	if err := vs.prepare(NS2D, DefaultLimits); err != nil {
		t.Fatal(err)
	}
	doc := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<men:GAR-ENT-Eleve xmlns:men="http://data.education.fr/ns/gar" Version="1.7"><men:GAREleve/></men:GAR-ENT-Eleve>` + "\n")
	p := filepath.Join(t.TempDir(), "f.xml")
	if err := os.WriteFile(p, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	m := Member{Name: "f.xml", Source: p, Path: p}
	sum := sha256.Sum256(doc)
	rep, err := validateWhole(context.Background(), m, vs.x2D, DefaultLimits, sum[:])
	if err != nil || rep.Total == 0 {
		t.Fatalf("same bytes: %d errors, err %v (an empty GAREleve is invalid)", rep.Total, err)
	}
	other := sha256.Sum256(append(doc, ' '))
	if _, err := validateWhole(context.Background(), m, vs.x2D, DefaultLimits, other[:]); !errors.Is(err, errFileChanged) {
		t.Errorf("changed bytes: err %v, want errFileChanged", err)
	}
}
