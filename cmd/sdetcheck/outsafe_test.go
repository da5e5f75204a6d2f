//go:build unix

package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fileState is what a refused output must leave untouched.
type fileState struct {
	mode os.FileMode
	data []byte
	link string
}

func stateOf(t *testing.T, p string) fileState {
	t.Helper()
	st, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	s := fileState{mode: st.Mode()}
	if st.Mode()&os.ModeSymlink != 0 {
		s.link, _ = os.Readlink(p)
	} else if st.Mode().IsRegular() {
		s.data, _ = os.ReadFile(p)
	}
	return s
}

func sameState(a, b fileState) bool {
	return a.mode == b.mode && bytes.Equal(a.data, b.data) && a.link == b.link
}

// An output that is an input of the run is refused before anything is
// written, whatever name it is given (the same path, a hard link, a
// symbolic link): exit 2, a message in the language of --lang, and the
// input left as it was.
func TestOutputNeverOverwritesAnInput(t *testing.T) {
	tmp := t.TempDir()
	d := filepath.Join(tmp, "dossier")
	copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/conforme"), d)
	res := filepath.Join(tmp, "r.json")
	if _, stderr, code := runCLI(t, "audit", d, "--out", res, "--now", testNow); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := os.Link(filepath.Join(d, "ent.yaml"), filepath.Join(tmp, "hard.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(d, "pages", "mentions-information.html"), filepath.Join(tmp, "notice.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(res, filepath.Join(tmp, "alias.json")); err != nil {
		t.Fatal(err)
	}
	gar := filepath.Join(repoRoot, "fixtures/gar/good")
	garCopy := filepath.Join(tmp, "gar")
	copyTree(t, gar, garCopy)
	members, _ := filepath.Glob(filepath.Join(garCopy, "*Eleve*.xml"))
	if len(members) == 0 {
		t.Fatal("no GAR member in fixtures/gar/good")
	}
	archive := filepath.Join(d, "gar", "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tar.gz")
	md5 := filepath.Join(d, "gar", "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.md5")
	cases := []struct {
		name   string
		args   []string
		target string // the input that must stay as it was
	}{
		{"manifest", []string{"audit", d, "--out", filepath.Join(d, "ent.yaml"), "--format", "json"}, filepath.Join(d, "ent.yaml")},
		{"notice", []string{"audit", d, "--out", filepath.Join(d, "pages", "mentions-information.html")}, filepath.Join(d, "pages", "mentions-information.html")},
		{"manifest through a hard link", []string{"audit", d, "--out", filepath.Join(tmp, "hard.yaml"), "--format", "json"}, filepath.Join(d, "ent.yaml")},
		{"notice through a symbolic link", []string{"audit", d, "--out", filepath.Join(tmp, "notice.html")}, filepath.Join(d, "pages", "mentions-information.html")},
		{"result of report", []string{"report", res, "--out", res}, res},
		{"result of report through a symbolic link", []string{"report", res, "--out", filepath.Join(tmp, "alias.json")}, res},
		{"result of diff", []string{"diff", res, res, "--out", res}, res},
		{"GAR member of a directory", []string{"check", "gar", garCopy, "--out", members[0], "--format", "json"}, members[0]},
		{"GAR archive's .md5", []string{"check", "gar", archive, "--out", md5, "--format", "json"}, md5},
		{"GAR archive of an audit", []string{"audit", d, "--out", archive, "--format", "json"}, archive},
		{"AAF sample", []string{"check", "mapping", filepath.Join(d, "mapping", "mapping.yaml"), "--aaf", filepath.Join(d, "aaf"), "--gar", archive,
			"--out", filepath.Join(d, "aaf", "ENT_Complet_20261122_Eleve_0000.xml"), "--format", "json"}, filepath.Join(d, "aaf", "ENT_Complet_20261122_Eleve_0000.xml")},
		{"out-dir onto an input", []string{"report", filepath.Join(tmp, "sdetcheck.json"), "--out-dir", tmp, "--format", "json,md"}, filepath.Join(tmp, "sdetcheck.json")},
	}
	if err := os.Link(res, filepath.Join(tmp, "sdetcheck.json")); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := stateOf(t, c.target)
			_, fr, code := runCLI(t, c.args...)
			_, en, codeEN := runCLI(t, append(append([]string{}, c.args...), "--lang", "en")...)
			if code != 2 || codeEN != 2 {
				t.Errorf("exit %d (fr), %d (en), want 2: %s", code, codeEN, fr)
			}
			if !strings.Contains(fr, "pièce lue par cette exécution") {
				t.Errorf("French message does not say the output is an input: %q", fr)
			}
			if !strings.Contains(en, "is an input of this run") {
				t.Errorf("English message does not say the output is an input: %q", en)
			}
			if !sameState(before, stateOf(t, c.target)) {
				t.Errorf("%s was changed", c.target)
			}
			if ents, _ := filepath.Glob(filepath.Join(filepath.Dir(c.target), ".sdetcheck-*")); len(ents) > 0 {
				t.Errorf("temporary files left: %v", ents)
			}
		})
	}
}

// Targets that are not regular files: character devices are written
// through (and stay devices), /dev/stdout is the command's standard
// output, FIFOs, sockets and directories are refused and left as they
// are; a symbolic link is written through and stays a link.
func TestOutputSpecialTargets(t *testing.T) {
	tmp := t.TempDir()
	dossier := filepath.Join(repoRoot, "fixtures/dossiers/conforme")
	res := filepath.Join(tmp, "r.json")
	if _, stderr, code := runCLI(t, "audit", dossier, "--out", res, "--now", testNow); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The devices are private copies of /dev/null and /dev/full when the
	// test may create them (as root, where a regression would replace the
	// system's own), else the system's (which a user cannot replace).
	devNull, devFull := device(t, tmp, "null", 1, 3), device(t, tmp, "full", 1, 7)
	t.Run("dev null", func(t *testing.T) {
		before := stateOf(t, devNull)
		if _, stderr, code := runCLI(t, "report", res, "--out", devNull, "--format", "md"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if after := stateOf(t, devNull); after.mode != before.mode || after.mode&os.ModeCharDevice == 0 {
			t.Fatalf("%s is now %v (was %v)", devNull, after.mode, before.mode)
		}
	})
	t.Run("dev full", func(t *testing.T) {
		if _, err := os.Stat(devFull); err != nil {
			t.Skip("no /dev/full")
		}
		_, stderr, code := runCLI(t, "report", res, "--out", devFull, "--format", "md")
		if code != 2 || !strings.Contains(stderr, "plus de place sur le disque") {
			t.Fatalf("exit %d, want 2 and no space left: %s", code, stderr)
		}
		if st, _ := os.Lstat(devFull); st.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s is now %v", devFull, st.Mode())
		}
	})
	t.Run("dev stdout", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, "report", res, "--out", "/dev/stdout", "--format", "md")
		if code != 0 || !strings.Contains(stdout, "#") {
			t.Fatalf("exit %d, stdout %q: %s", code, stdout, stderr)
		}
		stdout, stderr, code = runCLI(t, "diff", res, res, "--out", "/dev/stdout", "--format", "json")
		if code != 0 || !strings.HasPrefix(strings.TrimSpace(stdout), "{") {
			t.Fatalf("diff: exit %d, stdout %q: %s", code, stdout, stderr)
		}
	})
	t.Run("fifo", func(t *testing.T) {
		p := filepath.Join(tmp, "fifo.md")
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skip(err)
		}
		_, fr, code := runCLI(t, "report", res, "--out", p)
		_, en, _ := runCLI(t, "report", res, "--out", p, "--lang", "en")
		if code != 2 || !strings.Contains(fr, "tube nommé") || !strings.Contains(en, "named pipe") {
			t.Errorf("exit %d: %s / %s", code, fr, en)
		}
		if st, _ := os.Lstat(p); st.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("FIFO replaced by %v", st.Mode())
		}
	})
	t.Run("socket", func(t *testing.T) {
		p := filepath.Join(tmp, "s.md")
		l, err := net.Listen("unix", p)
		if err != nil {
			t.Skip(err)
		}
		defer l.Close()
		if _, fr, code := runCLI(t, "report", res, "--out", p); code != 2 || !strings.Contains(fr, "socket") {
			t.Errorf("exit %d: %s", code, fr)
		}
		if st, _ := os.Lstat(p); st.Mode()&os.ModeSocket == 0 {
			t.Errorf("socket replaced by %v", st.Mode())
		}
	})
	t.Run("symbolic link", func(t *testing.T) {
		real := filepath.Join(tmp, "real.md")
		os.WriteFile(real, []byte("old"), 0o640)
		os.Chmod(real, 0o640)
		link := filepath.Join(tmp, "link.md")
		if err := os.Symlink(real, link); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runCLI(t, "report", res, "--out", link); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("link replaced by %v", st.Mode())
		}
		data, _ := os.ReadFile(real)
		if !strings.Contains(string(data), "#") {
			t.Errorf("link target not written: %q", data)
		}
		if st, _ := os.Stat(real); st.Mode().Perm() != 0o640 {
			t.Errorf("link target's mode %v, want 0640", st.Mode().Perm())
		}
	})
	t.Run("dangling symbolic link", func(t *testing.T) {
		link := filepath.Join(tmp, "dangling.md")
		if err := os.Symlink(filepath.Join(tmp, "nowhere", "x.md"), link); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runCLI(t, "report", res, "--out", link); code != 2 || !strings.Contains(stderr, "lien symbolique") {
			t.Errorf("exit %d: %s", code, stderr)
		}
		if st, _ := os.Lstat(link); st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("link replaced by %v", st.Mode())
		}
	})
}

// A new report gets 0666 less the umask (the same as any file the user
// creates), an existing one keeps its mode, with --out, --out-dir and
// diff --out.
func TestOutputModes(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	tmp := t.TempDir()
	res := filepath.Join(tmp, "r.json")
	if _, stderr, code := runCLI(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/conforme"), "--out", res, "--now", testNow); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	mode := func(p string) os.FileMode {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return st.Mode().Perm()
	}
	if m := mode(res); m != 0o640 {
		t.Errorf("new --out file: mode %v, want 0640 (0666 less umask 027)", m)
	}
	outDir := filepath.Join(tmp, "out")
	if _, stderr, code := runCLI(t, "report", res, "--out-dir", outDir, "--format", "md,html"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if m := mode(filepath.Join(outDir, "sdetcheck.md")); m != 0o640 {
		t.Errorf("new --out-dir file: mode %v, want 0640", m)
	}
	diff := filepath.Join(tmp, "d.md")
	if _, stderr, code := runCLI(t, "diff", res, res, "--out", diff, "--format", "md"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if m := mode(diff); m != 0o640 {
		t.Errorf("new diff --out file: mode %v, want 0640", m)
	}
	for _, p := range []string{filepath.Join(outDir, "sdetcheck.md"), diff} {
		os.Chmod(p, 0o604)
	}
	runCLI(t, "report", res, "--out-dir", outDir, "--format", "md,html")
	runCLI(t, "diff", res, res, "--out", diff, "--format", "md")
	for _, p := range []string{filepath.Join(outDir, "sdetcheck.md"), diff} {
		if m := mode(p); m != 0o604 {
			t.Errorf("%s rewritten with mode %v, want its own 0604", p, m)
		}
	}
}

// device makes a character device like /dev/NAME in dir when it can
// (root), else returns /dev/NAME.
func device(t *testing.T, dir, name string, major, minor uint32) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, int(major<<8|minor)); err != nil {
		return "/dev/" + name
	}
	// A file system mounted nodev refuses to open it.
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		os.Remove(p)
		return "/dev/" + name
	}
	f.Close()
	return p
}
