package gar

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

func newEnv() *checks.Env {
	return &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
}

// testEngines returns the XSD engines this machine can run: the pure-Go
// one always, libxml2 when the system has it (CI sets
// SDETCHECK_REQUIRE_LIBXML2=1 so that a missing libxml2 fails instead).
func testEngines(t testing.TB) []garfeed.Engine {
	t.Helper()
	goEng, err := garfeed.ResolveEngine(garfeed.EngineGo)
	if err != nil {
		t.Fatal(err)
	}
	engs := []garfeed.Engine{goEng}
	lx, err := garfeed.ResolveEngine(garfeed.EngineLibxml2)
	switch {
	case err == nil:
		engs = append(engs, lx)
	case os.Getenv("SDETCHECK_REQUIRE_LIBXML2") == "1":
		t.Fatalf("libxml2 required: %v", err)
	default:
		t.Logf("libxml2 not tested: %v", err)
	}
	return engs
}

func genFeed(t testing.TB, pupils int) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: pupils, Out: dir}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func statusesOf(fs []result.Finding) map[string][]result.Status {
	m := map[string][]result.Status{}
	for _, f := range fs {
		m[f.Rule] = append(m[f.Rule], f.Status)
	}
	return m
}

func TestGeneratedFeedPassesEveryRule(t *testing.T) {
	dir := genFeed(t, 700) // two schools, several files per kind with a small split
	env := newEnv()
	env.Opts.Degree, env.Opts.IDEnt = "2D", "ENTFICTIF1"
	fs := Check(env, dir)
	if miss := checks.Missing(rules.AreaGAR, fs); len(miss) > 0 {
		t.Fatalf("rules without a finding: %v", miss)
	}
	for _, f := range fs {
		if f.Status != result.Pass && !(f.Rule == "GAR-003" && f.Status == result.Skip) {
			t.Errorf("%s: %s %s %v", f.Rule, f.Status, f.MessageEN, f.Evidence)
		}
		if f.Rule == "GAR-010" && !strings.Contains(f.Message, "Matières et MEF") {
			t.Errorf("GAR-010 on a 2D feed: %q, want the 2D wording", f.Message)
		}
	}
}

// TestGenerated1DFeedPasses runs a generated 1D feed through each XSD
// engine: valid, then invalid once audited as 2D or given a teacher e-mail.
func TestGenerated1DFeedPasses(t *testing.T) {
	for _, eng := range testEngines(t) {
		t.Run(eng.Name, func(t *testing.T) { generated1DFeed(t, eng.Name) })
	}
}

func generated1DFeed(t *testing.T, engine string) {
	dir := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 200, Out: dir, Degree: "1D"}); err != nil {
		t.Fatal(err)
	}
	env := newEnv()
	env.Opts.Degree = "1D"
	env.Opts.XSDEngine = engine
	for _, f := range Check(env, dir) {
		if f.Status != result.Pass && !(f.Rule == "GAR-003" && f.Status == result.Skip) {
			t.Errorf("%s: %s %s %v", f.Rule, f.Status, f.MessageEN, f.Evidence)
		}
		// The 1D v1.4 schema has no matières nor MEF: a pass must not
		// claim they were checked.
		if (f.Rule == "GAR-009" || f.Rule == "GAR-010") && !strings.Contains(f.Message, "1D v1.4") {
			t.Errorf("%s on a 1D feed: %q, want the 1D v1.4 wording", f.Rule, f.Message)
		}
	}
	// A 1D feed audited as 2D fails GAR-002; a teacher e-mail in 1D v1.4
	// fails the schema and minimisation.
	env.Opts.Degree = "2D"
	if st := statusesOf(Check(env, dir))["GAR-002"]; !slicesHas(st, result.Fail) {
		t.Errorf("GAR-002 = %v, want fail", st)
	}
	p := filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_1D_Enseignant_0000.xml")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.Replace(string(data), "</men:GAREnsSpecialitesPostes>", "</men:GAREnsSpecialitesPostes><men:GARPersonMail>lou.fictif@ac-fictif.fr</men:GARPersonMail>", 1)), 0o644)
	env = newEnv()
	env.Opts.XSDEngine = engine
	st := statusesOf(Check(env, dir))
	if !slicesHas(st["GAR-005"], result.Fail) || !slicesHas(st["GAR-015"], result.Fail) {
		t.Errorf("teacher e-mail in 1D: GAR-005 %v, GAR-015 %v", st["GAR-005"], st["GAR-015"])
	}
}

func slicesHas(ss []result.Status, s result.Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestSplitFeedAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 900, Out: dir, PerFile: 150}); err != nil {
		t.Fatal(err)
	}
	fs, st := Run(newEnv(), dir, garfeed.DefaultLimits)
	if st.Files < 10 {
		t.Fatalf("expected many files, got %d", st.Files)
	}
	for _, f := range fs {
		if f.Status == result.Fail || f.Status == result.Error {
			t.Errorf("%s: %s %s", f.Rule, f.Status, f.MessageEN)
		}
	}
}

func TestDeterministic(t *testing.T) {
	dir := genFeed(t, 100)
	// Break a few things so that there are violations to order.
	p := filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Groupe_0000.xml")
	data, _ := os.ReadFile(p)
	os.WriteFile(p, []byte(strings.ReplaceAll(string(data), "<men:GARGroupeCode>6A</men:GARGroupeCode></men:GARPersonGroupe>", "<men:GARGroupeCode>6Z</men:GARGroupeCode></men:GARPersonGroupe>")), 0o644)
	a, _ := json.Marshal(Check(newEnv(), dir))
	for i := 0; i < 3; i++ {
		b, _ := json.Marshal(Check(newEnv(), dir))
		if diff := cmp.Diff(string(a), string(b)); diff != "" {
			t.Fatalf("non-deterministic output:\n%s", diff)
		}
	}
	if !strings.Contains(string(a), `"GAR-008","status":"fail"`) {
		t.Fatalf("expected GAR-008 failures in %s", a)
	}
}

// allErrors asserts that every rule of the area is an evaluation error
// naming want.
func allErrors(t *testing.T, fs []result.Finding, want string) {
	t.Helper()
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		if f.Status != result.Error {
			t.Fatalf("%s: status %s, want error (%s)", f.Rule, f.Status, f.MessageEN)
		}
		if !strings.Contains(f.MessageEN, want) {
			t.Fatalf("%s: message %q does not mention %q", f.Rule, f.MessageEN, want)
		}
	}
	if miss := checks.Missing(rules.AreaGAR, fs); len(miss) > 0 {
		t.Fatalf("rules without a finding: %v", miss)
	}
}

const goodName = "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Etab_0000.xml"

func writeFile(t *testing.T, content string) string {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, goodName), []byte(content), 0o644)
	return dir
}

func TestHostileFiles(t *testing.T) {
	etab := `<?xml version="1.0" encoding="UTF-8"?>
<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7">
<GAREtab><GARStructureUAI>0750654D</GARStructureUAI><GARStructureNomCourant>X</GARStructureNomCourant></GAREtab>
</GAR-ENT-Etab>
`
	cases := []struct{ name, doc, want string }{
		{"truncated", etab[:len(etab)-40], "truncated"},
		{"wrong namespace", strings.Replace(etab, "ns/gar", "ns/autre", 1), "not in a GAR namespace"},
		{"dtd", strings.Replace(etab, "<GAR-ENT-Etab", `<!DOCTYPE GAR-ENT-Etab [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>`+"\n<GAR-ENT-Etab", 1), "DTD"},
		{"latin1", strings.Replace(etab, "UTF-8", "ISO-8859-1", 1), "ISO-8859-1"},
		{"empty", "", "empty file"},
		{"garbage", "\x00\x01binary", "malformed XML"},
		{"two roots", etab + "<GAR-ENT-Etab/>", "more than one root"},
		{"mismatched tags", strings.Replace(etab, "</GARStructureNomCourant>", "</GARStructureNomCourrant>", 1), "malformed XML"},
		{"undeclared entity", strings.Replace(etab, ">X<", ">&bomb;<", 1), "entity"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFile(t, c.doc)
			allErrors(t, Check(newEnv(), dir), goodName)
			allErrors(t, Check(newEnv(), dir), c.want)
		})
	}
}

func TestSymlinkRefused(t *testing.T) {
	dir := t.TempDir()
	os.Symlink("/etc/passwd", filepath.Join(dir, goodName))
	allErrors(t, Check(newEnv(), dir), "symlink")
}

func TestFileSizeCap(t *testing.T) {
	dir := genFeed(t, 50)
	lim := garfeed.DefaultLimits
	lim.MaxFileBytes = 4096 // stands for a 2 GB file against the 1 GiB default
	fs, _ := Run(newEnv(), dir, lim)
	allErrors(t, fs, "input too large")
}

type entry struct {
	name string
	typ  byte
	body string
	link string
}

func writeTar(t *testing.T, ents []entry) string {
	dir := t.TempDir()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range ents {
		tw.WriteHeader(&tar.Header{Name: e.name, Typeflag: e.typ, Size: int64(len(e.body)), Mode: 0o644, Linkname: e.link})
		tw.Write([]byte(e.body))
	}
	tw.Close()
	gz.Close()
	p := filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tar.gz")
	os.WriteFile(p, buf.Bytes(), 0o644)
	return p
}

func TestHostileArchives(t *testing.T) {
	xml := `<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7"/>`
	cases := []struct {
		name string
		ents []entry
		lim  func(*garfeed.Limits)
		want string
	}{
		{"traversal", []entry{{name: "../../etc/" + goodName, typ: tar.TypeReg, body: xml}}, nil, "path traversal"},
		{"absolute", []entry{{name: "/tmp/" + goodName, typ: tar.TypeReg, body: xml}}, nil, "absolute path"},
		{"symlink", []entry{{name: goodName, typ: tar.TypeSymlink, link: "/etc/passwd"}}, nil, "only regular files"},
		{"bomb", []entry{{name: goodName, typ: tar.TypeReg, body: xml + strings.Repeat(" ", 1<<20)}}, func(l *garfeed.Limits) { l.MaxArchiveBytes = 1 << 19 }, "archive bomb"},
		{"entries", []entry{{name: "a.xml", typ: tar.TypeReg, body: xml}, {name: "b.xml", typ: tar.TypeReg, body: xml}, {name: "c.xml", typ: tar.TypeReg, body: xml}}, func(l *garfeed.Limits) { l.MaxEntries = 2 }, "more than 2 entries"},
		{"empty", nil, nil, "no .xml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTar(t, c.ents)
			lim := garfeed.DefaultLimits
			if c.lim != nil {
				c.lim(&lim)
			}
			fs, _ := Run(newEnv(), p, lim)
			allErrors(t, fs, c.want)
		})
	}
	t.Run("ratio bomb", func(t *testing.T) {
		// 80 MiB of spaces compress to about 80 KiB (1000:1).
		p := writeTar(t, []entry{{name: goodName, typ: tar.TypeReg, body: xml + strings.Repeat(" ", 80<<20)}})
		allErrors(t, Check(newEnv(), p), "archive bomb")
	})
	t.Run("truncated gzip", func(t *testing.T) {
		p := writeTar(t, []entry{{name: goodName, typ: tar.TypeReg, body: xml + strings.Repeat("<!-- -->", 5000)}})
		data, _ := os.ReadFile(p)
		os.WriteFile(p, data[:len(data)/2], 0o644)
		allErrors(t, Check(newEnv(), p), "truncated or corrupt")
	})
}

func TestUAI(t *testing.T) {
	for u, want := range map[string]bool{"0750654D": true, "0750654E": false, "075065D": false, "A750654D": false, gargen.UAI(0): true, gargen.UAI(41): true} {
		if ok, _ := UAIValid(u); ok != want {
			t.Errorf("UAIValid(%s) = %v, want %v", u, ok, want)
		}
	}
}

// BenchmarkValidate500k validates a generated feed of 500,000 pupils.
// Run with: SDETCHECK_BENCH=1 go test ./checks/gar -run '^$' -bench Validate500k -benchtime 1x
func BenchmarkValidate500k(b *testing.B) {
	if os.Getenv("SDETCHECK_BENCH") == "" {
		b.Skip("set SDETCHECK_BENCH=1 (heavy: generates about 1 GB of XML)")
	}
	pupils := 500000
	if n, err := strconv.Atoi(os.Getenv("SDETCHECK_BENCH_PUPILS")); err == nil && n > 0 {
		pupils = n
	}
	dir := b.TempDir()
	c, err := gargen.Generate(gargen.Options{Pupils: pupils, Out: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var st Stats
	for i := 0; i < b.N; i++ {
		var fs []result.Finding
		fs, st = Run(newEnv(), dir, garfeed.DefaultLimits)
		for _, f := range fs {
			if f.Status == result.Fail || f.Status == result.Error {
				b.Fatalf("%s: %s", f.Rule, f.MessageEN)
			}
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(st.Records)/sec, "records/s")
	b.ReportMetric(float64(st.Bytes)/sec/1e6, "MB/s")
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB") // includes the generator's
	}
	b.Logf("%d files, %d records (%d generated), %.1f MB", st.Files, st.Records, c.Records, float64(st.Bytes)/1e6)
}

// TestManyDanglingLinksStayBounded: a file of 200,000 links to unknown
// persons and groups gives counted violations, not 200,000 findings, and
// keeps no per-record state.
func TestManyDanglingLinksStayBounded(t *testing.T) {
	dir := genFeed(t, 30)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<GAR-ENT-Groupe xmlns="http://data.education.fr/ns/gar" Version="1.7">` + "\n")
	for i := 0; i < 200000; i++ {
		fmt.Fprintf(&b, "<GARPersonGroupe><GARStructureUAI>%s</GARStructureUAI><GARPersonIdentifiant>x%07d</GARPersonIdentifiant><GARGroupeCode>6A</GARGroupeCode></GARPersonGroupe>\n", gargen.UAI(0), i)
	}
	b.WriteString("</GAR-ENT-Groupe>\n")
	os.WriteFile(filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Groupe_0001.xml"), []byte(b.String()), 0o644)
	fs := Check(newEnv(), dir)
	n := 0
	summary := ""
	for _, f := range fs {
		if f.Rule == "GAR-008" {
			n++
			if strings.Contains(f.MessageEN, "in total") {
				summary = f.MessageEN
			}
		}
	}
	if n > maxShown+1 || !strings.Contains(summary, "200000 violations") {
		t.Fatalf("GAR-008: %d findings, summary %q", n, summary)
	}
}

// A tar made on a Mac holds "._X.xml" AppleDouble companions: listed as
// not read, never taken for feed files.
func TestArchiveAppleDoubleNotRead(t *testing.T) {
	var ents []entry
	good, _ := filepath.Glob("../../fixtures/gar/good/*.xml")
	for _, g := range good {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		ents = append(ents, entry{name: filepath.Base(g), typ: tar.TypeReg, body: string(data)})
		ents = append(ents, entry{name: "._" + filepath.Base(g), typ: tar.TypeReg, body: "\x00\x05\x16\x07Mac OS X"})
	}
	src := writeTar(t, ents)
	st := statusesOf(Check(newEnv(), src))
	for rule, ss := range st {
		if rule == "GAR-003" { // writeTar writes no .md5
			continue
		}
		if slicesHas(ss, result.Error) || slicesHas(ss, result.Fail) {
			t.Errorf("%s: %v", rule, ss)
		}
	}
	if !slicesHas(st["GAR-001"], result.Warn) {
		t.Errorf("GAR-001 = %v, want a warning naming the members not read", st["GAR-001"])
	}
}

// A duplicate identifier is reported at its second record and names where
// the first one is, in the message and as a second evidence, so that both
// can be found.
func TestDuplicatePersonNamesBothRecords(t *testing.T) {
	src := "../../fixtures/gar/bad-dup-person"
	n := 0
	for _, f := range Check(newEnv(), src) {
		if f.Rule != "GAR-007" || f.Status != result.Fail {
			continue
		}
		n++
		if len(f.Evidence) != 2 {
			t.Fatalf("GAR-007 evidence %v, want the second record then the first", f.Evidence)
		}
		m := regexp.MustCompile(`first seen at (\S+):(\d+), then`).FindStringSubmatch(f.MessageEN)
		if m == nil {
			t.Fatalf("GAR-007 does not say where the first record is: %s", f.MessageEN)
		}
		first := m[1] + ":" + m[2]
		second := fmt.Sprintf("%s:%d", f.Evidence[0].Source, f.Evidence[0].Line)
		if first == second || !strings.HasPrefix(m[1], src+"/") {
			t.Errorf("first record %s, second %s", first, second)
		}
		if got := fmt.Sprintf("%s:%d", f.Evidence[1].Source, f.Evidence[1].Line); got != first {
			t.Errorf("second evidence %s, want the first record %s", got, first)
		}
		if !strings.Contains(f.Message, "déjà vu en "+first) || !strings.Contains(f.Message, second) {
			t.Errorf("French message lacks a record: %s", f.Message)
		}
	}
	if n == 0 {
		t.Fatal("no GAR-007 failure")
	}
}
