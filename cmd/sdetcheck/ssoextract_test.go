package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// sso-extract writes a file that check sso reads with the capture's
// findings, says what it wrote, and check sso on it does not warn about
// credentials (the extract has none).
func TestSSOExtractCommand(t *testing.T) {
	capture := filepath.Join(repoRoot, "fixtures/sso/good-profils.har")
	out := filepath.Join(t.TempDir(), "connexions.har")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"sso-extract", capture, "--out", out}, &stdout, &stderr, false); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "3 réponses SAML") || !strings.Contains(stderr.String(), out) {
		t.Errorf("stderr does not say what was written: %q", stderr.String())
	}
	results := func(src string) ([]result.Finding, string) {
		var stdout, stderr bytes.Buffer
		args := append(ssoArgs(t, capture), "--format", "json")
		args[2] = src
		run(context.Background(), args, &stdout, &stderr, false)
		var res result.Result
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		return res.Results, stderr.String()
	}
	want, _ := results(capture)
	got, warn := results(out)
	if len(got) != len(want) {
		t.Fatalf("%d findings from the extract, %d from the capture", len(got), len(want))
	}
	for i := range want {
		if got[i].Rule != want[i].Rule || got[i].Status != want[i].Status || got[i].Message != want[i].Message {
			t.Errorf("finding %d: %s %s %q, want %s %s %q", i, got[i].Rule, got[i].Status, got[i].Message, want[i].Rule, want[i].Status, want[i].Message)
		}
	}
	if strings.Contains(warn, "secrets") {
		t.Errorf("check sso warns about the credentials of an extract: %q", warn)
	}
}

// Bad usage: no --out, a URL, the capture as its own output.
func TestSSOExtractUsage(t *testing.T) {
	capture := filepath.Join(repoRoot, "fixtures/sso/good-profils.har")
	for _, args := range [][]string{
		{"sso-extract", capture},
		{"sso-extract", "https://ent.fictif.example/capture.har", "--out", filepath.Join(t.TempDir(), "x.har")},
		{"sso-extract", capture, "--out", capture},
		{"sso-extract", filepath.Join(t.TempDir(), "absente.har"), "--out", filepath.Join(t.TempDir(), "x.har")},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr, false); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr.String())
		}
	}
	if data, err := os.ReadFile(capture); err != nil || !bytes.Contains(data, []byte("MotDePasseFictif")) {
		t.Fatal("the capture was overwritten")
	}
}

// The sample dossiers carry extracts: the README's first command audits
// one without a warning about credentials.
func TestSampleDossiersCarryExtracts(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoRoot, "fixtures/dossiers/*/sso/*"))
	if len(files) == 0 {
		t.Fatal("no capture in the sample dossiers")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(`"_sdetcheck"`)) || bytes.Contains(data, []byte("secret")) {
			t.Errorf("%s is not an extract (sdetcheck sso-extract)", f)
		}
	}
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"audit", filepath.Join(repoRoot, "fixtures/dossiers/conforme"), "--format", "text", "--now", testNow}, &stdout, &stderr, false)
	if stderr.Len() != 0 {
		t.Errorf("auditing the sample dossier prints on stderr: %q", stderr.String())
	}
}
