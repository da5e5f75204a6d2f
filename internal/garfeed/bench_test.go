package garfeed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
)

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

// BenchmarkXSDOnly50k measures each XSD engine alone on the feed of
// checks/gar's BenchmarkValidate50k, one file after the other on one
// goroutine (one core), with the reuse of a worker's Reader: the floor
// under check gar's cost per core, to compare with `xmllint --stream
// --noout --schema` (one process, one core).
//
//	SDETCHECK_BENCH=1 go test ./internal/garfeed -run '^$' -bench XSDOnly50k -benchtime 2x
func BenchmarkXSDOnly50k(b *testing.B) {
	dir := benchFeed(b)
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	for _, name := range []string{EngineLibxml2, EngineGo} {
		b.Run(name, func(b *testing.B) {
			eng, err := ResolveEngine(name)
			if err != nil {
				b.Skip(err)
			}
			vs := Reader{eng: eng}
			var bytes int64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bytes = 0
				for _, f := range files {
					fh, err := os.Open(f)
					if err != nil {
						b.Fatal(err)
					}
					if err := vs.prepare(NS2D, DefaultLimits); err != nil {
						b.Fatal(err)
					}
					if out := vs.validate(context.Background(), NS2D, fh); out.err != nil || len(out.viol) > 0 {
						b.Fatalf("%s: %+v", f, out)
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
		})
	}
}

// TestReusedValidatorsForgetEarlierFiles: a worker's validator, reused
// from file to file, gives each file the verdict a fresh one gives it,
// whatever the previous file was (schema errors beyond the cap, truncated
// XML, nesting beyond the limit), with either engine.
func TestReusedValidatorsForgetEarlierFiles(t *testing.T) {
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
	deep := `<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7">` + strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300) + `</GAR-ENT-Etab>`
	docs := []string{good, many.String(), good, good[:len(good)-30], good, deep, good, many.String()}
	for _, eng := range testEngines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			reused := Reader{eng: eng}
			for i, d := range docs {
				fresh := Reader{eng: eng}
				var outs [2]schemaOutcome
				for k, vs := range []*Reader{&reused, &fresh} {
					if err := vs.prepare(NS2D, DefaultLimits); err != nil {
						t.Fatal(err)
					}
					outs[k] = vs.validate(context.Background(), NS2D, strings.NewReader(d))
				}
				if fmt.Sprint(outs[0]) != fmt.Sprint(outs[1]) {
					t.Fatalf("document %d: reused validator says %+v, fresh one %+v", i, outs[0], outs[1])
				}
				valid := outs[0].err == nil && len(outs[0].viol) == 0
				if (d == good) != valid {
					t.Fatalf("document %d: %+v", i, outs[0])
				}
			}
		})
	}
}
