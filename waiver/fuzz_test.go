package waiver

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
)

// FuzzParse validates mutated dérogations files: accepted, or refused with
// an error naming the file, never a panic. Seeds are the dossiers'
// dérogations.
func FuzzParse(f *testing.F) {
	fuzzseed.Seeds(f, 64<<10, "../fixtures/dossiers/*/derogations.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("derogations.yaml", data)
		fuzzseed.InputError(t, "derogations.yaml", err)
		if err == nil && s == nil {
			t.Fatal("no dérogations and no error")
		}
	})
}
