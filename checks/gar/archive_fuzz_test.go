package gar

import (
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
	"github.com/sdetcheck/sdetcheck/rules"
)

// FuzzArchive runs the GAR checks on a mutated .tar.gz export: gzip and
// tar damage, odd members and trailing data must give findings or a clear
// error naming the archive, never a panic, and every GAR rule is
// reported. Seeds are the fixtures' archives.
func FuzzArchive(f *testing.F) {
	fuzzseed.Seeds(f, 1<<20, "../../fixtures/gar/*/*.tar.gz")
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tar.gz", data)
		fs := Check(newEnv(), filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tar.gz"))
		checkstest.Area(t, rules.AreaGAR, fs)
	})
}
