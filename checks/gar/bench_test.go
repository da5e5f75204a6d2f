package gar

import (
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
