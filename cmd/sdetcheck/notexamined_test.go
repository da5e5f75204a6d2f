package main

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestRootRelativePageNeverConforme: the real ProConnect sign-in page of
// the corpus links its notice relative to the site root; from the saved
// page the notice is never read. Even given the validated version, the run
// cannot say conforme: the bloquant PAGE-002 is not evaluated, the verdict
// is incomplet and the exit code 4 (never 0, never 2).
func TestRootRelativePageNeverConforme(t *testing.T) {
	args := []string{"check", "page", repoRoot + "/fixtures/realworld/page/proconnect-connexion.html",
		"--reference", repoRoot + "/fixtures/notice/mentions-validees.html", "--format", "json", "--now", testNow}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, false)
	var res result.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("exit %d: %v\n%s", code, err, stderr.String())
	}
	if res.Verdict == result.Conforme || res.Verdict == result.ConformeAvecReserves {
		t.Errorf("verdict %s: a page whose notice was never read cannot be conforme", res.Verdict)
	}
	if code == audit.ExitConforme || code == audit.ExitBadInput {
		t.Errorf("exit %d, want 4 (incomplet) or 1", code)
	}
	for _, f := range res.Results {
		if f.Rule == "PAGE-002" && f.Status != result.NotEvaluated {
			t.Errorf("PAGE-002 %s, want not-evaluated", f.Status)
		}
		if f.Status == result.Skip && f.Rule != "PAGE-003" {
			t.Errorf("%s skip: %s", f.Rule, f.MessageEN)
		}
	}
}
