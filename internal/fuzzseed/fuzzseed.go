// Package fuzzseed holds what the fuzz targets of every parser entry point
// share: their seeds, a scratch file, and the invariant that errors name
// their source. It is imported by tests only.
package fuzzseed

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// InputError fails t unless err is nil or an *input.Error naming src (a
// clear error naming the file, never a bare Go error).
func InputError(t testing.TB, src string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	ie, ok := input.AsError(err)
	if !ok {
		t.Fatalf("error is not an *input.Error naming the file: %T %v", err, err)
	}
	if ie.Source == "" {
		t.Errorf("error names no source: %v", err)
	}
	if src != "" && ie.Source != src && !hasPrefix(ie.Source, src) {
		t.Errorf("error names %q, want %q: %v", ie.Source, src, err)
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// Seeds adds to f every file matching the glob patterns up to max bytes.
func Seeds(f *testing.F, max int, patterns ...string) {
	f.Helper()
	n := 0
	for _, pat := range patterns {
		files, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil || len(data) > max {
				continue
			}
			f.Add(data)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seed found under %v", patterns)
	}
}

// WriteFile writes data to name in a fresh temporary directory and
// returns the directory.
func WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}
