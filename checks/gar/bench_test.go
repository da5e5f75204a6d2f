package gar

import (
	"github.com/sdetcheck/sdetcheck/internal/mask"

	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// BenchmarkValidate50k validates a generated feed of 50,000 pupils (about
// 90 MB, 35 files): XSD validation, hashing and every cross-file check, as
// `sdetcheck check gar` does. It runs in well under a minute:
//
//	SDETCHECK_BENCH=1 go test ./checks/gar -run '^$' -bench Validate50k -benchtime 3x
//
// SDETCHECK_BENCH_DIR=DIR validates an existing feed instead of generating
// one (handy with -cpuprofile, so the generator stays out of the profile).
func BenchmarkValidate50k(b *testing.B) {
	dir := benchFeed(b)
	b.ResetTimer()
	var st Stats
	for i := 0; i < b.N; i++ {
		var fs []result.Finding
		fs, st = Run(newEnv(), dir, DefaultLimits)
		for _, f := range fs {
			if f.Status == result.Fail || f.Status == result.Error {
				b.Fatalf("%s: %s", f.Rule, f.MessageEN)
			}
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(st.Records)/sec, "records/s")
	b.ReportMetric(float64(st.Bytes)/sec/1e6, "MB/s")
	b.ReportMetric(0, "ns/op")
}

// benchFeed returns the 50,000-pupil feed of the benchmarks.
func benchFeed(b *testing.B) string {
	if os.Getenv("SDETCHECK_BENCH") == "" {
		b.Skip("set SDETCHECK_BENCH=1 (generates about 90 MB of XML)")
	}
	dir := os.Getenv("SDETCHECK_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
		if _, err := gargen.Generate(gargen.Options{Pupils: 50000, Out: dir}); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkXSDOnly50k measures the XSD engine alone on the same feed, one
// file after the other on one goroutine (one core), with the options and
// session reuse of Run: the floor under Run's cost per core, to compare
// with `xmllint --stream --noout --schema` (one process, one core).
//
//	SDETCHECK_BENCH=1 go test ./checks/gar -run '^$' -bench XSDOnly50k -benchtime 2x
func BenchmarkXSDOnly50k(b *testing.B) {
	dir := benchFeed(b)
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	var vs validators
	var bytes int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bytes = 0
		for _, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				b.Fatal(err)
			}
			sess, err := vs.session(NS2D, DefaultLimits)
			if err != nil {
				b.Fatal(err)
			}
			if err := sess.Validate(context.Background(), fh); err != nil {
				b.Fatal(err)
			}
			if st, err := fh.Stat(); err == nil {
				bytes += st.Size()
			}
			fh.Close()
		}
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(bytes)/sec/1e6, "MB/s")
	b.ReportMetric(0, "ns/op")
}

// TestReusedSessionsForgetEarlierFiles: a worker's validation session,
// reused from file to file, gives each file the verdict a fresh engine
// gives it, whatever the previous file was (schema errors up to the cap,
// truncated XML, nesting beyond the limit).
func TestReusedSessionsForgetEarlierFiles(t *testing.T) {
	good := `<?xml version="1.0" encoding="UTF-8"?>
<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7">
<GAREtab><GARStructureUAI>0750654D</GARStructureUAI><GARStructureNomCourant>X</GARStructureNomCourant></GAREtab>
</GAR-ENT-Etab>
`
	var many strings.Builder
	many.WriteString(`<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7">`)
	for i := 0; i < 150; i++ {
		many.WriteString(`<GAREtab><GARStructureUAI>0750654D</GARStructureUAI><Inconnu/></GAREtab>`)
	}
	many.WriteString(`</GAR-ENT-Etab>`)
	deep := `<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7">` + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + `</GAR-ENT-Etab>`
	docs := []string{good, many.String(), good, good[:len(good)-30], good, deep, good, many.String()}
	e2, _, err := engines()
	if err != nil {
		t.Fatal(err)
	}
	var vs validators
	for i, d := range docs {
		sess, err := vs.session(NS2D, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		got := sess.Validate(context.Background(), strings.NewReader(d))
		want := e2.ValidateWithOptions(context.Background(), strings.NewReader(d), validateOptions(DefaultLimits))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("document %d: reused session says %v, fresh engine %v", i, got, want)
		}
		if (d == good) != (got == nil) {
			t.Fatalf("document %d: verdict %v", i, got)
		}
	}
}

// TestScheduleKeepsReferencesResolved: on a feed split in many files, the
// scheduling (phases, kinds interleaved, name order within a kind) meets
// definitions before the links that name them, so that no reference waits
// for the end of the pass (what would otherwise be kept grows with the
// feed).
func TestScheduleKeepsReferencesResolved(t *testing.T) {
	dir := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 3000, Out: dir, PerFile: 300}); err != nil {
		t.Fatal(err)
	}
	env := newEnv()
	f, err := openFeed(env.Loader, dir, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer f.cleanup()
	s := newState(dir, mask.NewPseudonymizer([32]byte{}))
	vis := &visitor{s: s, now: env.Now}
	if _, err := scanAll(env.Context(), env.Loader, f.members, DefaultLimits, s, vis.visit); err != nil {
		t.Fatal(err)
	}
	// Workers may still race on a file boundary (a links file started while
	// the file defining its persons is being read): allow a few files' worth,
	// not a number growing with the feed (largest-first ordering left
	// 35,000 pending references on a 50,000-pupil feed).
	if len(s.pending) > 4*300 {
		t.Fatalf("%d references left pending for the end of the pass", len(s.pending))
	}
}
