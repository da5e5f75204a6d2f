// Package fuzzcheck holds the invariants the fuzz targets of every parser
// entry point assert beyond "no panic": findings are well formed and
// errors name their source. It is imported by tests only.
package fuzzcheck

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Findings fails t unless fs is a non-empty list of findings whose rules
// are in the catalogue, whose statuses are known and whose messages are
// written in both languages.
func Findings(t testing.TB, fs []result.Finding) {
	t.Helper()
	if len(fs) == 0 {
		t.Fatal("no finding at all: a rule was silently dropped")
	}
	for _, f := range fs {
		if _, ok := rules.Lookup(f.Rule); !ok {
			t.Errorf("finding of unknown rule %q", f.Rule)
		}
		switch f.Status {
		case result.Pass, result.Fail, result.Warn, result.Skip, result.Error, result.NotEvaluated:
		default:
			t.Errorf("%s: unknown status %q", f.Rule, f.Status)
		}
		if f.Message == "" || f.MessageEN == "" {
			t.Errorf("%s (%s): empty message (fr %q, en %q)", f.Rule, f.Status, f.Message, f.MessageEN)
		}
	}
}

// Area is Findings, and fails t unless every rule of area got a finding.
func Area(t testing.TB, area rules.Area, fs []result.Finding) {
	t.Helper()
	Findings(t, fs)
	if m := checks.Missing(area, fs); len(m) > 0 {
		t.Errorf("rules without a finding: %v", m)
	}
}

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
