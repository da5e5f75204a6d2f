package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestPrivateNetworkFlag: a URL on this machine is refused unless
// --allow-private-network is given, and a run with the flag says so in
// its notes.
func TestPrivateNetworkFlag(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><html lang="fr"><head><title>ENT</title></head><body><main>Accueil</main><footer><a href="/mentions">Mentions d'information</a></footer></body></html>`))
	}))
	defer srv.Close()
	args := []string{"check", "page", srv.URL + "/", "--allow-http", "--format", "json", "--now", "2026-12-01T12:00:00Z"}
	decode := func(out string) *result.Result {
		t.Helper()
		var r result.Result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return &r
	}
	out, _, code := runCLI(t, args...)
	r := decode(out)
	if code != 2 {
		t.Errorf("exit %d, want 2 (the page could not be read)", code)
	}
	found := false
	for _, f := range r.Results {
		if f.Rule == "PAGE-001" {
			found = true
			if f.Status != result.Error || !strings.Contains(f.Message, "127.0.0.1") || !strings.Contains(f.Message, "adresse de bouclage") || !strings.Contains(f.Message, "--allow-private-network") {
				t.Errorf("PAGE-001: %s %s", f.Status, f.Message)
			}
		}
	}
	if !found {
		t.Error("no PAGE-001 finding")
	}
	for _, n := range r.Notes {
		if n == audit.PrivateNetworkNote {
			t.Error("note of --allow-private-network without the flag")
		}
	}

	out, _, _ = runCLI(t, append(args, "--allow-private-network")...)
	r = decode(out)
	for _, f := range r.Results {
		if f.Rule == "PAGE-001" && f.Status == result.Error {
			t.Errorf("with the flag, PAGE-001 still unreadable: %s", f.Message)
		}
	}
	noted := false
	for _, n := range r.Notes {
		noted = noted || n == audit.PrivateNetworkNote
	}
	if !noted {
		t.Errorf("notes %q lack the --allow-private-network note", r.Notes)
	}
}
