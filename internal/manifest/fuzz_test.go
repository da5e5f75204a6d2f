package manifest

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
)

// FuzzParse validates mutated manifests (ent.yaml): accepted, or refused
// with an error naming ent.yaml, never a panic. Seeds are the dossiers'
// manifests.
func FuzzParse(f *testing.F) {
	fuzzseed.Seeds(f, 64<<10, "../../fixtures/dossiers/*/ent.yaml")
	dir := "../../fixtures/dossiers/conforme"
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(FileName, dir, data)
		fuzzseed.InputError(t, FileName, err)
		if err == nil && m == nil {
			t.Fatal("no manifest and no error")
		}
	})
}
