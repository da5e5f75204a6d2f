package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An output that cannot be written is said in the language of --lang,
// naming the path the user gave (never the temporary file sdetcheck writes
// first) and, in French, what is wrong outside the technical detail.
func TestOutputPathErrors(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "fichier")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(tmp, "r.json")
	if _, stderr, code := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--out", res, "--now", testNow); code != 4 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dossier := "../../fixtures/dossiers/incomplet"
	cases := []struct {
		name   string
		args   []string
		names  string // the path the message must name
		fr, en string // what the message must say
	}{
		{"missing directory", []string{"audit", dossier, "--out", filepath.Join(tmp, "absent", "r.json")}, filepath.Join(tmp, "absent"), "introuvable", "no such file or directory"},
		{"out is a directory", []string{"audit", dossier, "--out", tmp, "--format", "json"}, tmp, "c'est un répertoire", "is a directory"},
		{"parent is a file", []string{"audit", dossier, "--out", filepath.Join(file, "r.json")}, file, "ce n'est pas un répertoire", "not a directory"},
		{"out-dir is a file", []string{"audit", dossier, "--out-dir", file, "--format", "json,md"}, file, "ce n'est pas un répertoire", "not a directory"},
		{"report missing directory", []string{"report", res, "--out", filepath.Join(tmp, "absent", "r.md")}, filepath.Join(tmp, "absent"), "introuvable", "no such file or directory"},
		{"diff out is a directory", []string{"diff", res, res, "--out", tmp}, tmp, "c'est un répertoire", "is a directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, fr, code := runCLI(t, c.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2: %s", code, fr)
			}
			_, en, codeEN := runCLI(t, append(append([]string{}, c.args...), "--lang", "en")...)
			if codeEN != code {
				t.Errorf("exit %d with --lang en, %d without", codeEN, code)
			}
			for _, s := range []string{fr, en} {
				if strings.Contains(s, ".sdetcheck-") {
					t.Errorf("message names the temporary file: %q", s)
				}
				if !strings.Contains(s, c.names) {
					t.Errorf("message does not name %s: %q", c.names, s)
				}
			}
			plain := withoutTechnical(strings.ReplaceAll(fr, tmp, ""))
			if !strings.Contains(plain, c.fr) {
				t.Errorf("French message does not say %q outside the technical detail: %q", c.fr, fr)
			}
			for _, w := range englishOfOurs {
				if strings.Contains(strings.ToLower(plain), strings.ToLower(w)) {
					t.Errorf("French message says %q: %q", w, fr)
				}
			}
			if !strings.Contains(en, c.en) {
				t.Errorf("English message does not say %q: %q", c.en, en)
			}
		})
	}
}
