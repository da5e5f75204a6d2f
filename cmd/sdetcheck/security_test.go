package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/security/securitytest"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// --ca-file: a file that holds no certificate, or none at all, is a usage
// error (exit 2) naming the file, in both languages.
func TestCAFileErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, fr, en string }{
		{junk, "aucun certificat PEM", "no PEM certificate"},
		{filepath.Join(dir, "missing.pem"), "--ca-file", "--ca-file"},
	} {
		_, stderr, code := runCLI(t, "check", "security", "https://ent.exemple.fr/", "--ca-file", c.file)
		if code != 2 || !strings.Contains(stderr, c.fr) || !strings.Contains(stderr, filepath.Base(c.file)) {
			t.Errorf("--ca-file %s: exit %d, stderr %q", c.file, code, stderr)
		}
		_, stderr, code = runCLI(t, "check", "security", "https://ent.exemple.fr/", "--ca-file", c.file, "--lang", "en")
		if code != 2 || !strings.Contains(stderr, c.en) {
			t.Errorf("--ca-file %s --lang en: exit %d, stderr %q", c.file, code, stderr)
		}
	}
}

// An online check of a local https server: with --ca-file its private
// authority is trusted (SEC-002 passes); without it the certificate is
// rejected and the headers are still judged.
func TestCheckSecurityCAFile(t *testing.T) {
	u, ca := securitytest.Serve(t, filepath.Join(repoRoot, "fixtures/security/connexion-ok.html"))
	state := func(args ...string) map[string]result.Status {
		out, stderr, code := runCLI(t, append([]string{"check", "security", u, "--allow-private-network", "--format", "json", "--now", testNow}, args...)...)
		var res result.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("exit %d, %v: %s", code, err, stderr)
		}
		if res.Scope != result.ScopeEnLigne {
			t.Errorf("scope %q, want en-ligne", res.Scope)
		}
		m := map[string]result.Status{}
		for _, f := range res.Results {
			m[f.Rule] = f.Status
		}
		return m
	}
	with := state("--ca-file", ca)
	for _, id := range []string{"SEC-001", "SEC-002", "SEC-003", "SEC-004", "SEC-005", "SEC-006", "SEC-007", "SEC-008", "SEC-009"} {
		if with[id] != result.Pass {
			t.Errorf("with --ca-file: %s %s, want pass", id, with[id])
		}
	}
	without := state()
	if without["SEC-002"] != result.Fail || without["SEC-003"] != result.Pass {
		t.Errorf("without --ca-file: SEC-002 %s (want fail), SEC-003 %s (want pass)", without["SEC-002"], without["SEC-003"])
	}
}
