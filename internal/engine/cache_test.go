package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks/gar"
)

// An audit reads the GAR feed in two areas (gar, and mapping's --gar
// verification): the archive is extracted once per run, and its temporary
// files are gone when the audit returns.
func TestAuditExtractsArchiveOnce(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	before := gar.ArchiveExtractions()
	res, err := Audit(context.Background(), "../../fixtures/dossiers/conforme", Config{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res == nil {
		t.Fatal("no result")
	}
	if n := gar.ArchiveExtractions() - before; n != 1 {
		t.Errorf("archive extracted %d times in one audit, want 1", n)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	for _, l := range left {
		if strings.HasPrefix(filepath.Base(l), "sdetcheck-gar-") {
			t.Errorf("temporary extraction left behind: %s", l)
		}
	}
}
