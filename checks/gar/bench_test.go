package gar

import (
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/mask"

	"context"
	"os"
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

// TestScheduleKeepsReferencesResolved: on a feed split in many files, the
// scheduling (phases, kinds interleaved, name order within a kind) meets
// definitions before the links that name them, so that no reference waits
// for the end of the pass (what would otherwise be kept grows with the
// feed). The schedule is checked with one worker: with several, how many
// references wait depends on how the OS runs the workers (a loaded CI
// machine once left 6 files' worth), which a test cannot bound; memory
// stays bounded by maxPending whatever happens.
func TestScheduleKeepsReferencesResolved(t *testing.T) {
	dir := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 3000, Out: dir, PerFile: 300}); err != nil {
		t.Fatal(err)
	}
	env := newEnv()
	f, err := garfeed.Open(context.Background(), env.Loader, dir, garfeed.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Cleanup()
	if len(f.Members) < 20 {
		t.Fatalf("feed split in %d files only: the test needs many", len(f.Members))
	}
	s := newState(dir, mask.NewPseudonymizer([32]byte{}))
	vis := &visitor{s: s, now: env.Now}
	if _, err := scanWith(env.Context(), env.Loader, f.Members, garfeed.DefaultLimits, garfeed.Engine{Name: garfeed.EngineGo}, s, vis.visit, 1); err != nil {
		t.Fatal(err)
	}
	if len(s.pending) != 0 {
		t.Fatalf("%d references left pending for the end of the pass, want none in schedule order", len(s.pending))
	}
}
