package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Identifiers in reports are keyed pseudonyms: not the unkeyed SHA-256
// prefix (which could be brute-forced for an INE), stable for one export,
// different when the export's bytes change.
func TestPseudonymsKeyedByExport(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "gar")
	copyTree(t, filepath.Join(root, "fixtures/gar/bad-dup-person"), dir)
	t.Chdir(parent)
	run := func() string {
		out, _, _ := runCLI(t, "check", "gar", "gar", "--format", "json", "--now", testNow)
		return out
	}
	pseudo := regexp.MustCompile(`#[0-9a-f]{10}`)
	a := run()
	got := pseudo.FindAllString(a, -1)
	if len(got) == 0 {
		t.Fatal("no pseudonym in the report of a feed with a duplicate identifier")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	ids := regexp.MustCompile(`GARPersonIdentifiant>([^<]+)<`)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ids.FindAllStringSubmatch(string(data), -1) {
			n++
			h := sha256.Sum256([]byte(m[1]))
			if unkeyed := "#" + hex.EncodeToString(h[:])[:10]; strings.Contains(a, unkeyed) {
				t.Errorf("report shows the unkeyed hash %s of an identifier", unkeyed)
			}
			if strings.Contains(a, m[1]) {
				t.Errorf("report shows identifier %q in clear", m[1])
			}
		}
	}
	if n == 0 {
		t.Fatal("no identifier found in the fixture")
	}
	if b := run(); b != a {
		t.Error("same export, different report")
	}
	// Change the feed's bytes (a comment): the pseudonyms change.
	f := files[len(files)-1]
	data, _ := os.ReadFile(f)
	if err := os.WriteFile(f, append(data, []byte("<!-- autre export -->\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	c := run()
	for _, p := range pseudo.FindAllString(c, -1) {
		for _, q := range got {
			if p == q {
				t.Errorf("pseudonym %s unchanged after the export changed", p)
			}
		}
	}
}
