package garfeed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// needLibxml2 returns the libxml2 engine, or skips (fails when CI requires
// it).
func needLibxml2(t testing.TB) Engine {
	t.Helper()
	engs := testEngines(t)
	for _, e := range engs {
		if e.Name == EngineLibxml2 {
			return e
		}
	}
	t.Skip("libxml2 not on this machine")
	return Engine{}
}

// passOutcome is what one reading of a file gave: the records as the
// visitor saw them, the file's facts and its schema violations.
type passOutcome struct {
	Records []flatRecord
	Root    string
	NS      string
	Version string
	HasVer  bool
	Count   int64
	Bytes   int64
	Viol    []string
	Trunc   bool
	Err     string
}

func outcomeOf(fi *File, recs []flatRecord, err error) passOutcome {
	o := passOutcome{Records: recs}
	if err != nil {
		o.Err = err.Error()
		o.Records = nil
		return o
	}
	if fi == nil {
		return passOutcome{Err: "(stopped)"}
	}
	o.Root, o.NS, o.Version, o.HasVer, o.Count, o.Bytes, o.Trunc = fi.Root, fi.NS, fi.Version, fi.HasVersion, fi.Records, fi.Bytes, fi.SchemaTruncated
	for _, v := range fi.SchemaErrors {
		o.Viol = append(o.Viol, fmt.Sprintf("%d:%d %s", v.Line, v.Col, v.Msg))
	}
	return o
}

func flatVisit(out *[]flatRecord) func(*File, *Record) {
	return func(_ *File, r *Record) {
		fr := flatRecord{Name: r.Name, Line: r.Line}
		for _, f := range r.Fields {
			fr.Fields = append(fr.Fields, f.Path+"="+f.Val+"@"+strconvItoa(f.Line))
		}
		*out = append(*out, fr)
	}
}

// bothPasses reads the file at path with the single pass and with the two
// passes (libxml2 beside the Go scanner).
func bothPasses(t testing.TB, vs *Reader, path string) (once passOutcome, ok bool, two passOutcome) {
	t.Helper()
	m := Member{Name: filepath.Base(path), Source: path, Path: path}
	ld := &input.Loader{}
	var r1, r2 []flatRecord
	fi, ok, err := scanOnce(context.Background(), ld, m, DefaultLimits, vs, flatVisit(&r1))
	if err != nil {
		// Refused before the parse (sniffing): the same for both.
		ok = true
	}
	once = outcomeOf(fi, r1, err)
	fi2, err2 := scanFile(context.Background(), ld, m, DefaultLimits, vs, flatVisit(&r2))
	two = outcomeOf(fi2, r2, err2)
	return once, ok, two
}

// checkPasses: a file the two passes refuse never passes the single pass;
// a file the single pass reads to its end gives the same records, lines,
// facts and violations as the two passes.
// The validators are shared from file to file, as a worker's are.
func checkPasses(t *testing.T, vs *Reader, path string, mustRun bool) {
	t.Helper()
	once, ok, two := bothPasses(t, vs, path)
	switch {
	case !ok && mustRun && two.Err == "":
		t.Errorf("%s: the single pass stopped on a file the scanner accepts", path)
	case ok && two.Err != "" && once.Err == "":
		t.Errorf("%s: the single pass accepted a file the two passes refuse (%s)", path, two.Err)
	case ok:
		if diff := cmp.Diff(two, once); diff != "" {
			t.Errorf("%s: single pass and two passes disagree (-two +once):\n%s", path, diff)
		}
	}
}

// TestSinglePassMatchesTwoPasses runs both readings on every GAR fixture,
// on a generated feed, and on documents written to exercise what a
// parser reports differently from raw bytes (references, CR LF, CDATA,
// comments and processing instructions within values, prefixes, nested
// fields, empty elements) and what the scanner refuses.
func TestSinglePassMatchesTwoPasses(t *testing.T) {
	vs := &Reader{eng: needLibxml2(t)}
	files, _ := filepath.Glob("../../fixtures/gar/*/*.xml")
	more, _ := filepath.Glob("../../fixtures/dossiers/*/gar/*.xml")
	files = append(files, more...)
	gen := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 300, Out: gen, PerFile: 100}); err != nil {
		t.Fatal(err)
	}
	g, _ := filepath.Glob(filepath.Join(gen, "*.xml"))
	files = append(files, g...)
	gen1 := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 300, Out: gen1, PerFile: 100, Degree: "1D"}); err != nil {
		t.Fatal(err)
	}
	g, _ = filepath.Glob(filepath.Join(gen1, "*.xml"))
	files = append(files, g...)
	if len(files) < 30 {
		t.Fatalf("only %d files", len(files))
	}
	for _, f := range files {
		checkPasses(t, vs, f, !strings.Contains(f, "hostile"))
	}

	const head = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	root := func(body string) string {
		return head + `<men:GAR-ENT-Eleve xmlns:men="http://data.education.fr/ns/gar" Version=" 1.7` + "\t" + `">` + body + "</men:GAR-ENT-Eleve>\n"
	}
	dir := t.TempDir()
	for name, c := range map[string]struct {
		doc     string
		mustRun bool
	}{
		"refs":    {root("\n<men:GAREleve>\n<men:GARPersonNom>&#32;N&apos;Diaye&#x20;&amp;&lt;</men:GARPersonNom>\n</men:GAREleve>"), true},
		"crlf":    {strings.ReplaceAll(root("\n<men:GAREleve>\n<men:GARPersonNom>a\nb</men:GARPersonNom>\n</men:GAREleve>\n"), "\n", "\r\n"), true},
		"cr only": {strings.ReplaceAll(root("\n<men:GAREleve>\n<men:GARPersonNom>a\nb</men:GARPersonNom>\n</men:GAREleve>\n"), "\n", "\r"), true},
		"cdata":   {root("<men:GAREleve><men:GARPersonNom> <![CDATA[&amp; <x>\n]]> z</men:GARPersonNom></men:GAREleve>"), true},
		// libxml2's push parser keeps a CR in CDATA: the two passes read it.
		"cdata crlf": {root("<men:GAREleve><men:GARPersonNom> <![CDATA[&amp; <x>\r\n]]> z</men:GARPersonNom></men:GAREleve>"), false},
		"comment pi": {root("<men:GAREleve><men:GARPersonNom>a<!-- c -->b<?p d?>c</men:GARPersonNom></men:GAREleve><?q?>"), true},
		"nested": {root("<men:GAREleve>\n<men:GARPersonProfils>\n<men:GARPersonProfil>National_elv</men:GARPersonProfil>\n" +
			"<men:GARPersonProfil/>\n</men:GARPersonProfils><men:GARPersonNom/></men:GAREleve><men:GAREleve/>"), true},
		"amp in attr":  {head + `<men:GAR-ENT-Eleve xmlns:men="http://data.education.fr/ns/gar" Version="1.7&amp;&#38;&amp;#38;"><men:GAREleve/></men:GAR-ENT-Eleve>`, true},
		"default ns":   {head + `<GAR-ENT-Eleve xmlns="http://data.education.fr/ns/gar" Version="1.7"><GAREleve><GARPersonNom>x</GARPersonNom></GAREleve></GAR-ENT-Eleve>`, true},
		"truncated":    {root("<men:GAREleve><men:GARPersonNom>x")[:len(head)+120], false},
		"two roots":    {root("") + "<x/>", false},
		"text after":   {root("") + "x", false},
		"undeclared":   {root("<men:GAREleve><men:GARPersonNom>&e;</men:GARPersonNom></men:GAREleve>"), false},
		"deep":         {root(strings.Repeat("<men:a>", 70) + strings.Repeat("</men:a>", 70)), false},
		"long value":   {root("<men:GAREleve><men:GARPersonNom>" + strings.Repeat("&amp;", 250_000) + "</men:GARPersonNom></men:GAREleve>"), false},
		"long comment": {root("<men:GAREleve/>") + "<!--" + strings.Repeat("x", 2<<20) + "-->", false},
		// Beyond glibc's largest mmap threshold (32 MiB), so that a parse
		// reading its freed input buffer crashes (xmlStopParser within a
		// handler once did).
		"huge text":     {root(strings.Repeat("x", 33<<20)), false},
		"long tag":      {root(`<men:GAREleve a="` + strings.Repeat("x", 70<<10) + `"/>`), false},
		"spaces in tag": {root(`<men:GAREleve` + strings.Repeat(" ", 70<<10) + `/>`), false},
		"many attrs":    {root(`<men:GAREleve ` + manyAttrs(300) + `/>`), false},
		"long name":     {root(`<men:` + strings.Repeat("n", 1100) + `/>`), false},
		"many names":    {root(manyNames(10_050)), false},
		"many paths":    {root("<men:GAREleve>" + manyPaths(10_050) + "</men:GAREleve>"), false},
		"many fields":   {root("<men:GAREleve>" + strings.Repeat("<men:a/>", 100_001) + "</men:GAREleve>"), false},
		"doctype":       {head + `<!DOCTYPE men:GAR-ENT-Eleve>` + root("")[len(head):], false},
		"bad utf8":      {root("<men:GAREleve><men:GARPersonNom>\xff</men:GARPersonNom></men:GAREleve>"), false},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".xml")
		if err := os.WriteFile(p, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			checkPasses(t, vs, p, c.mustRun)
			if _, ok, two := bothPasses(t, vs, p); !c.mustRun && ok && two.Err == "" {
				t.Errorf("%s: expected a refusal, both passes accept it", name)
			}
		})
	}
}

func manyAttrs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, ` a%d="1"`, i)
	}
	return b.String()
}

func manyNames(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<men:n%d/>`, i)
	}
	return b.String()
}

// manyPaths nests few names in many combinations: few element names, many
// field paths.
func manyPaths(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		var digits []int
		for k := i; k > 0; k /= 7 {
			digits = append(digits, k%7)
		}
		b.WriteString("<men:a>")
		for _, d := range digits {
			fmt.Fprintf(&b, "<men:b%d>", d)
		}
		for j := len(digits) - 1; j >= 0; j-- {
			fmt.Fprintf(&b, "</men:b%d>", digits[j])
		}
		b.WriteString("</men:a>")
	}
	return b.String()
}

// FuzzSinglePassAgrees: on any document, the single pass either stops
// (and the two passes decide) or gives what the two passes give; it never
// accepts a document they refuse.
//
//	go test ./internal/garfeed -run '^$' -fuzz FuzzSinglePassAgrees -fuzztime 60s
func FuzzSinglePassAgrees(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/gar/*/*.xml")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	vs := &Reader{eng: needLibxml2(f)}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.xml")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkPasses(t, vs, p, false)
	})
}
