//go:build unix

package safeout

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// An input is known by identity: under its name, a hard link, a symbolic
// link, inside a directory given as input, or as a GAR archive's .md5.
func TestInputsCheck(t *testing.T) {
	dir := t.TempDir()
	feed := filepath.Join(dir, "gar")
	write(t, filepath.Join(feed, "sub", "a.xml"), "a")
	write(t, filepath.Join(dir, "x.tar.gz"), "gz")
	write(t, filepath.Join(dir, "x.md5"), "md5")
	write(t, filepath.Join(dir, "x.tar.gz.md5"), "md5")
	write(t, filepath.Join(dir, "other.txt"), "o")
	os.Link(filepath.Join(feed, "sub", "a.xml"), filepath.Join(dir, "hard.xml"))
	os.Symlink(filepath.Join(dir, "x.md5"), filepath.Join(dir, "soft"))
	var in Inputs
	in.Add(feed)
	in.Add(filepath.Join(dir, "x.tar.gz"))
	in.Add("https://example.org/x")
	in.Add(filepath.Join(dir, "absent"))
	for _, p := range []string{filepath.Join(feed, "sub", "a.xml"), filepath.Join(dir, "hard.xml"), filepath.Join(dir, "soft"), filepath.Join(dir, "x.md5"), filepath.Join(dir, "x.tar.gz.md5"), filepath.Join(dir, "x.tar.gz")} {
		if err := in.Check(p); !errors.Is(err, ErrInput) {
			t.Errorf("%s: %v, want ErrInput", p, err)
		}
	}
	for _, p := range []string{filepath.Join(dir, "other.txt"), filepath.Join(dir, "new.json")} {
		if err := in.Check(p); err != nil {
			t.Errorf("%s: %v, want nil", p, err)
		}
	}
}

// A new file gets 0666 less the umask, an existing one keeps its mode, a
// failed write leaves the old content and no temporary file.
func TestWriteModes(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	p := filepath.Join(dir, "r.md")
	fill := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	if err := Write(p, nil, fill); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644", st.Mode().Perm())
	}
	os.Chmod(p, 0o600)
	if err := Write(p, nil, fill); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("existing file mode %v, want 0600", st.Mode().Perm())
	}
	boom := errors.New("boom")
	if err := Write(p, nil, func(w io.Writer) error { io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Errorf("err %v, want boom", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "new" {
		t.Errorf("failed write changed the file: %q", data)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".sdetcheck-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}
