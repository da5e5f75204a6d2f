package garfeed

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
)

// TestSinglePassAgreesMutations is FuzzSinglePassAgrees without the fuzzing
// engine (under -fuzz that target runs about one input a second): the
// examples and a generated feed, mutated the ways real exports go wrong
// (a record duplicated, lost or moved, a character changed, a construct
// inserted), each read by the single pass and by the two passes, which
// must agree (checkPasses). The mutations are drawn from a fixed seed, so a
// failure is replayed by the same run; SDETCHECK_MUTATIONS=N reads N
// documents (default 300), SDETCHECK_MUTATION_SEED=S draws others.
func TestSinglePassAgreesMutations(t *testing.T) {
	vs := &Reader{eng: needLibxml2(t)}
	n := 300
	if v, err := strconv.Atoi(os.Getenv("SDETCHECK_MUTATIONS")); err == nil && v > 0 {
		n = v
	}
	var seeds [][]byte
	files, _ := filepath.Glob("../../fixtures/gar/*/*.xml")
	gen := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 60, Out: gen, PerFile: 40}); err != nil {
		t.Fatal(err)
	}
	if _, err := gargen.Generate(gargen.Options{Pupils: 60, Out: gen, PerFile: 40, Degree: "1D"}); err != nil {
		t.Fatal(err)
	}
	g, _ := filepath.Glob(filepath.Join(gen, "*.xml"))
	for _, p := range append(files, g...) {
		if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
			seeds = append(seeds, b)
		}
	}
	if len(seeds) < 20 {
		t.Fatalf("%d seeds", len(seeds))
	}
	snippets := [][]byte{
		[]byte("<![CDATA[a]]>"), []byte("<![CDATA[x\r\ny]]>"), []byte("<!-- c -->"), []byte("<?pi d?>"),
		[]byte("&amp;"), []byte("&#233;"), []byte("&#x20;"), []byte("'"), []byte("\r\n"), []byte("\r"),
		[]byte(" "), []byte("é"), []byte("<"), []byte("&"), []byte("]]>"), []byte("\x00"), []byte("\xff"),
		[]byte("<men:GARPersonIdentifiant>dup</men:GARPersonIdentifiant>"), []byte("</men:GAREleve>"),
		[]byte("<!DOCTYPE x>"), []byte("xmlns:m=\"urn:x\" "),
	}
	seed := uint64(2026)
	if v, err := strconv.ParseUint(os.Getenv("SDETCHECK_MUTATION_SEED"), 10, 64); err == nil {
		seed = v
	}
	rng := rand.New(rand.NewPCG(15, seed))
	dir := t.TempDir()
	p := filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml")
	for i := 0; i < n; i++ {
		doc := mutate(rng, seeds[rng.IntN(len(seeds))], snippets)
		if err := os.WriteFile(p, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		before := t.Failed()
		checkPasses(t, vs, p, false)
		if !before && t.Failed() {
			keep := filepath.Join(os.TempDir(), "sdetcheck-mutation-"+strconv.Itoa(i)+".xml")
			os.WriteFile(keep, doc, 0o600)
			t.Fatalf("mutation %d disagrees (kept in %s)", i, keep)
		}
	}
}

// mutate changes doc one to three times.
func mutate(rng *rand.Rand, doc []byte, snippets [][]byte) []byte {
	out := append([]byte(nil), doc...)
	for k := 1 + rng.IntN(3); k > 0; k-- {
		lines := bytes.SplitAfter(out, []byte("\n"))
		switch rng.IntN(6) {
		case 0, 1: // a record (line) duplicated next to itself or elsewhere
			if len(lines) > 3 {
				i := 2 + rng.IntN(len(lines)-3)
				j := i
				if rng.IntN(2) == 0 {
					j = 2 + rng.IntN(len(lines)-3)
				}
				lines = append(lines[:j+1], append([][]byte{lines[i]}, lines[j+1:]...)...)
			}
		case 2: // a line lost
			if len(lines) > 3 {
				i := 2 + rng.IntN(len(lines)-3)
				lines = append(lines[:i], lines[i+1:]...)
			}
		case 3: // a character changed
			if len(out) > 0 {
				i := rng.IntN(len(out))
				out[i] = "<>&'\"\r\n x9é]/"[rng.IntN(14)]
				continue
			}
		default: // a construct inserted
			i := rng.IntN(len(out) + 1)
			s := snippets[rng.IntN(len(snippets))]
			out = append(out[:i:i], append(append([]byte(nil), s...), out[i:]...)...)
			continue
		}
		out = bytes.Join(lines, nil)
	}
	return out
}
