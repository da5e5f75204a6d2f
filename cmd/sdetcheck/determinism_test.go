package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Same inputs must give byte-identical outputs in every format, whatever
// the current directory, where the dossier sits on disk, and the number of
// threads (the GAR area reads files in parallel). The only accepted
// difference is SARIF's URIs, which carry the dossier path as the user
// gave it on purpose; the test gives the same relative path each time.

// runFormats runs args from directory cwd with GOMAXPROCS procs and returns
// each output file's bytes.
func runFormats(t *testing.T, cwd string, procs int, args ...string) map[string][]byte {
	t.Helper()
	out := t.TempDir()
	t.Chdir(cwd)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	args = append(args, "--format", "json,text,md,html,sarif,junit,pdf", "--out-dir", out, "--now", testNow)
	_, stderr, code := runCLI(t, args...)
	if code > 2 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	files := map[string][]byte{}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = data
	}
	if len(files) != 7 {
		t.Fatalf("%v: %d outputs, want 7", args, len(files))
	}
	return files
}

func sameOutputs(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	for name, x := range a {
		y := b[name]
		if !bytes.Equal(x, y) {
			i := 0
			for i < len(x) && i < len(y) && x[i] == y[i] {
				i++
			}
			lo := max(i-80, 0)
			t.Errorf("%s: %s differs at byte %d:\n%q\nvs\n%q", what, name, i, x[lo:min(i+80, len(x))], y[lo:min(i+80, len(y))])
		}
	}
}

func TestDeterministicOutputs(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"non-conforme", "conforme", "non-conforme-1d"} {
		t.Run(d, func(t *testing.T) {
			// Two copies of the dossier in unrelated places, each audited
			// from its parent directory as "dossier".
			var parents [2]string
			for i := range parents {
				parents[i] = t.TempDir()
				copyTree(t, filepath.Join(root, "fixtures/dossiers", d), filepath.Join(parents[i], "dossier"))
			}
			a := runFormats(t, parents[0], 1, "audit", "dossier")
			b := runFormats(t, parents[1], 2, "audit", "dossier")
			c := runFormats(t, parents[0], 2, "audit", "dossier")
			sameOutputs(t, "GOMAXPROCS 1 vs 2, other directory", a, b)
			sameOutputs(t, "same run twice", b, c)
			// An absolute path gives the same outputs but SARIF's URIs.
			abs := runFormats(t, root, 2, "audit", filepath.Join(parents[1], "dossier"))
			delete(abs, "sdetcheck.sarif")
			sameOutputs(t, "absolute dossier path", abs, a)
		})
	}
	// A GAR feed in many files is scanned in parallel: finding order and
	// evidence must not depend on scheduling.
	for _, g := range []string{"fixtures/gar/bad-dup-person", "fixtures/gar/bad-group-link", "fixtures/gar/bad-group-conflict", "fixtures/gar/good-tar"} {
		t.Run(g, func(t *testing.T) {
			a := runFormats(t, root, 1, "check", "gar", g)
			b := runFormats(t, root, 2, "check", "gar", g)
			sameOutputs(t, "GOMAXPROCS 1 vs 2", a, b)
			// Races show only now and then: repeat the JSON run.
			t.Chdir(root)
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
			for i := 0; i < 15; i++ {
				out, _, _ := runCLI(t, "check", "gar", g, "--format", "json", "--now", testNow)
				if out != string(a["sdetcheck.json"]) {
					sameOutputs(t, fmt.Sprintf("GOMAXPROCS 4, run %d", i+1), map[string][]byte{"json": a["sdetcheck.json"]}, map[string][]byte{"json": []byte(out)})
					break
				}
			}
		})
	}
}

// Duplicate records split across files (every *_0000.xml of the
// non-conforme feed copied to *_0001.xml): which record "wins" and where
// the duplicate is reported must follow file then line order, not
// scheduling, and each duplicate is a finding.
func TestDeterministicCrossFileDuplicates(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "gar")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "fixtures/dossiers/non-conforme/gar")
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{e.Name(), strings.Replace(e.Name(), "_0000.xml", "_0001.xml", 1)} {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Chdir(filepath.Dir(dir))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	first, _, _ := runCLI(t, "check", "gar", "gar", "--format", "json", "--now", testNow)
	for _, want := range []string{"GAREtab ", "déclaré deux fois pour l'UAI", "Groupe ", "GARRespAff ", "GARPersonIdentifiant "} {
		if !strings.Contains(first, want) {
			t.Errorf("no cross-file duplicate finding mentioning %q", want)
		}
	}
	for i := 0; i < 10; i++ {
		out, _, _ := runCLI(t, "check", "gar", "gar", "--format", "json", "--now", testNow)
		if out != first {
			sameOutputs(t, fmt.Sprintf("GOMAXPROCS 4, run %d", i+1), map[string][]byte{"json": []byte(first)}, map[string][]byte{"json": []byte(out)})
			break
		}
	}
}
