package garfeed

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzEnginesAgree feeds both XSD engines the same mutated GAR documents:
// they must agree on valid, invalid or unreadable. Seeds are the GAR
// fixtures.
//
//	go test ./internal/garfeed -run '^$' -fuzz FuzzEnginesAgree -fuzztime 60s
func FuzzEnginesAgree(f *testing.F) {
	files, _ := filepath.Glob("../../fixtures/gar/*/*.xml")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	engs := testEngines(f)
	if len(engs) < 2 {
		f.Skip("only one engine on this machine")
	}
	vss := make([]Reader, len(engs))
	for i, e := range engs {
		vss[i].eng = e
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ns, _, err := sniffRoot(data)
		if err != nil {
			return // refused before any engine runs
		}
		var got []string
		var outs []schemaOutcome
		for i := range vss {
			if err := vss[i].prepare(ns, DefaultLimits); err != nil {
				t.Fatal(err)
			}
			o := vss[i].validate(context.Background(), ns, strings.NewReader(string(data)))
			outs = append(outs, o)
			got = append(got, verdictOf(o))
		}
		if got[0] != got[1] {
			t.Errorf("%s says %s, %s says %s\n%v\n%v", engs[0].Name, got[0], engs[1].Name, got[1], outs[0], outs[1])
		}
	})
}
