package audit

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
)

// An audit reads the GAR feed in two areas (gar, and mapping's --gar
// verification): the archive is extracted once per run, and its temporary
// files are gone when the audit returns.
func TestAuditExtractsArchiveOnce(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	before := garfeed.ArchiveExtractions()
	res, err := Audit(context.Background(), "../fixtures/dossiers/conforme", Config{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res == nil {
		t.Fatal("no result")
	}
	if n := garfeed.ArchiveExtractions() - before; n != 1 {
		t.Errorf("archive extracted %d times in one audit, want 1", n)
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	for _, l := range left {
		if strings.HasPrefix(filepath.Base(l), "sdetcheck-gar-") {
			t.Errorf("temporary extraction left behind: %s", l)
		}
	}
}

// The shared cache changes how often inputs are opened, never what is
// found: every sample dossier gives the same JSON with and without it.
func TestCacheDoesNotChangeResults(t *testing.T) {
	manifests, _ := filepath.Glob("../fixtures/dossiers/*/ent.yaml")
	var dossiers []string
	for _, m := range manifests {
		dossiers = append(dossiers, filepath.Dir(m))
	}
	if len(dossiers) < 3 {
		t.Fatalf("only %d sample dossiers", len(dossiers))
	}
	for _, d := range dossiers {
		t.Run(filepath.Base(d), func(t *testing.T) {
			var out [2][]byte
			var extractions [2]int64
			for i, noCache := range []bool{false, true} {
				cfg := Config{Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), noCache: noCache}
				before := garfeed.ArchiveExtractions()
				res, err := Audit(context.Background(), d, cfg)
				extractions[i] = garfeed.ArchiveExtractions() - before
				if err != nil {
					t.Fatal(err)
				}
				if out[i], err = json.MarshalIndent(res, "", "  "); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(string(out[0]), string(out[1])); diff != "" {
				t.Errorf("with cache (-) and without (+):\n%s", diff)
			}
			if filepath.Base(d) == "conforme" && (extractions[0] != 1 || extractions[1] < 2) {
				t.Errorf("archive extracted %d times with the cache, %d without; want 1 and more than 1", extractions[0], extractions[1])
			}
		})
	}
}
