package garfeed

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecodeFast feeds arbitrary bytes to the hand-written scanner: it must
// never panic, and whenever both it and the encoding/xml reference decoder
// accept a document, they must see the same records. The seeds run with
// every `go test`; `go test ./internal/garfeed -run '^$' -fuzz FuzzDecodeFast`
// explores further.
func FuzzDecodeFast(f *testing.F) {
	for _, s := range []string{
		`<men:GAR-ENT-Eleve xmlns:men="http://data.education.fr/ns/gar" Version="1.7"><men:GAREleve><men:GARPersonIdentifiant>a&amp;b</men:GARPersonIdentifiant></men:GAREleve></men:GAR-ENT-Eleve>`,
		`<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7"><GAREtab><GARStructureUAI>0750654D</GARStructureUAI></GAREtab></GAR-ENT-Etab>`,
		`<a><!-- x --><b attr='1"2'>t<![CDATA[<c>]]></b></a>`,
		`<a><b>`, `<?xml version="1.0"?><a/>`, `<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, `<a x="1" x="2"/>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, errFast := collect(t, decodeFast, data)
		want, _, errRef := collect(t, decode, data)
		if errFast == nil && errRef == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("scanner and encoding/xml disagree (-ref +fast):\n%s", diff)
			}
		}
	})
}
