package mapping

import (
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
	"github.com/sdetcheck/sdetcheck/rules"
)

// FuzzCheck runs the mapping rules on a mutated mapping declaration: every
// rule is reported, no panic. Seeds are the mapping fixtures.
func FuzzCheck(f *testing.F) {
	fuzzseed.Seeds(f, 256<<10, "../../fixtures/mapping/*.yaml", "../../fixtures/dossiers/*/mapping/*.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "mapping.yaml", data)
		fs := Check(env(), filepath.Join(dir, "mapping.yaml"))
		checkstest.Area(t, rules.AreaMapping, fs)
	})
}

// FuzzAAF reads a mutated AAF export (ficAlimMENESR): it is read or
// refused with an error naming the file, never a panic. Seeds are the AAF
// samples of the fixtures.
func FuzzAAF(f *testing.F) {
	fuzzseed.Seeds(f, 256<<10, "../../fixtures/mapping/aaf/*.xml", "../../fixtures/dossiers/*/aaf/*.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "ENT_Complet_20261122_Eleve_0000.xml", data)
		s, err := loadAAF(env(), dir, &File{})
		fuzzseed.InputError(t, dir, err)
		if err == nil && s == nil {
			t.Fatal("no samples and no error")
		}
	})
}
