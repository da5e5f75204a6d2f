package gar

import (
	"context"
	"os"
	"path/filepath"
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
