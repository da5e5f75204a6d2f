package sso

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// captures are every capture of fixtures/sso (those with an .args file)
// and of the sample dossiers.
func captures(t *testing.T) []string {
	t.Helper()
	args, err := filepath.Glob(fixtures + "/sso/*.args")
	if err != nil || len(args) == 0 {
		t.Fatal("no SSO fixture", err)
	}
	var out []string
	for _, a := range args {
		out = append(out, strings.TrimSuffix(a, ".args"))
	}
	dossiers, _ := filepath.Glob(fixtures + "/dossiers/*/sso/*")
	return append(out, dossiers...)
}

// The extract of a capture gives the capture's findings: same rules, same
// statuses, same messages in both languages (pseudonyms included), for
// every SSO fixture, whatever its format (HAR, SAML-tracer, bare
// SAMLResponse in base64 or XML).
func TestExtractSameFindings(t *testing.T) {
	dir := t.TempDir()
	for _, c := range captures(t) {
		data, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		x, n, err := Extract(c, data, "sdetcheck test")
		if err != nil {
			t.Errorf("%s: %v", c, err)
			continue
		}
		if n == 0 {
			t.Errorf("%s: no response extracted", c)
		}
		p := filepath.Join(dir, filepath.Base(c)+".extrait.har")
		if err := os.WriteFile(p, x, 0o600); err != nil {
			t.Fatal(err)
		}
		want := Check(env(full()), c)
		got := Check(env(full()), p)
		if len(got) != len(want) {
			t.Errorf("%s: %d findings from the extract, %d from the capture", c, len(got), len(want))
			continue
		}
		for i := range want {
			w, g := want[i], got[i]
			if g.Rule != w.Rule || g.Status != w.Status || g.Message != w.Message || g.MessageEN != w.MessageEN {
				t.Errorf("%s: finding %d differs:\ncapture: %s %s %s\nextract: %s %s %s", c, i, w.Rule, w.Status, w.Message, g.Rule, g.Status, g.Message)
			}
		}
		// An extract of an extract is the same file.
		again, _, err := Extract(p, x, "sdetcheck test")
		if err != nil || !bytes.Equal(again, x) {
			t.Errorf("%s: extracting the extract again changes it (%v)", c, err)
		}
	}
}

// An extract holds the SAML responses and nothing else of the capture: no
// secret of the fixtures' captures (password, cookies, tokens, the login
// form, RelayState, URLs and their query strings) survives.
func TestExtractKeepsNoSecret(t *testing.T) {
	forbidden := []string{
		"MotDePasseFictif", "cookie-secret-fictif", "jeton-secret-fictif", "utilisateur.test", "JSESSIONID", "GARSESSION",
		"ticket=", "Authorization", "Cookie", "RelayState", "ark:", "https://", `"url"`, `"headers"`, `"cookies"`, "login",
	}
	for _, c := range captures(t) {
		data, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		x, _, err := Extract(c, data, "sdetcheck test")
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		for _, s := range forbidden {
			if bytes.Contains(x, []byte(s)) {
				t.Errorf("%s: the extract holds %q", c, s)
			}
		}
	}
}

// The inputs of a result say an extract is one: its kind is not that of a
// capture, which holds credentials.
func TestExtractRecordedAsExtract(t *testing.T) {
	data, err := os.ReadFile(fixtures + "/sso/good-profils.har")
	if err != nil {
		t.Fatal(err)
	}
	x, _, err := Extract("good-profils.har", data, "sdetcheck test")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "extrait.har")
	os.WriteFile(p, x, 0o600)
	for src, kind := range map[string]string{fixtures + "/sso/good-profils.har": CaptureKind, p: ExtractKind} {
		e := env(full())
		Check(e, src)
		var kinds []string
		for _, in := range e.Loader.Inputs() {
			if in.Source == src {
				kinds = append(kinds, in.Kind)
			}
		}
		if len(kinds) != 1 || kinds[0] != kind {
			t.Errorf("%s recorded as %v, want %s", src, kinds, kind)
		}
	}
}

// A capture without SAMLResponse has no extract: the error is check
// sso's.
func TestExtractNoResponse(t *testing.T) {
	_, _, err := Extract("vide.har", []byte(`{"log":{"entries":[{"request":{"method":"GET"}}]}}`), "sdetcheck test")
	if err == nil || !strings.Contains(err.Error(), "no SAML response") {
		t.Errorf("got %v, want the no-response error", err)
	}
}

// TestTracerTime reads a SAML-tracer timestamp written either way.
func TestTracerTime(t *testing.T) {
	want := time.Date(2026, 11, 20, 9, 0, 2, 0, time.UTC)
	for _, raw := range []string{`"2026-11-20T09:00:02Z"`, `"2026-11-20T10:00:02+01:00"`, `1795165202000`} {
		if got := tracerTime(json.RawMessage(raw)); !got.Equal(want) {
			t.Errorf("%s: %v", raw, got)
		}
	}
	for _, raw := range []string{``, `null`, `"hier"`, `-5`, `{}`} {
		if got := tracerTime(json.RawMessage(raw)); !got.IsZero() {
			t.Errorf("%s: %v", raw, got)
		}
	}
}
