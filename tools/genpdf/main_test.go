package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestFixtureUpToDate proves the committed PDF fixture is this program's
// output for the validated HTML notice (deterministic, not hand-made).
func TestFixtureUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "m.pdf")
	if err := run("../../fixtures/notice/mentions-validees.html", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../fixtures/notice/mentions-completes.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("fixtures/notice/mentions-completes.pdf is stale: run go run ./tools/genpdf")
	}
}
