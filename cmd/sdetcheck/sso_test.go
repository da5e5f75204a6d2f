package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// ssoArgs are the options the SSO fixtures are checked with.
func ssoArgs(t *testing.T, capture string) []string {
	t.Helper()
	extra, err := os.ReadFile(capture + ".args")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"check", "sso", capture}
	for _, a := range strings.Fields(string(extra)) {
		args = append(args, strings.ReplaceAll(a, "$ROOT", repoRoot))
	}
	return append(args, "--now", testNow)
}

// A capture holds credentials and personal data: no output format copies
// a header, cookie, other form field or URL query of it, nor an
// identifier or attribute value in clear; stderr asks to delete it; the
// inputs record it by SHA-256.
func TestSSOCaptureSecretsNeverCopied(t *testing.T) {
	forbidden := []string{
		// secrets of the capture (fictitious)
		"MotDePasseFictif", "cookie-secret-fictif", "jeton-secret-fictif", "utilisateur.test", "JSESSIONID", "GARSESSION", "ticket=",
		// identifiers and attribute values (fictitious people)
		"ed1024a5fad64d71", "t83bcc2094807eb7", "tdabe0bd2457bff7", "p5c1e0a7b3d9f2e8", "0123456789A",
		"noa.essai", "alix.maquette", "Maquette", "2012-10-21", "ark:/99999",
	}
	for _, f := range []string{"good-profils.har", "good-profils.saml-tracer.json", "bad-nameid-courriel.har", "bad-attributs-en-trop.har", "bad-identifiant-inconnu.har", "bad-identifiant-ine.har"} {
		capture := filepath.Join(repoRoot, "fixtures/sso", f)
		for _, format := range []string{"json", "text", "md", "html", "sarif", "junit"} {
			var stdout, stderr bytes.Buffer
			args := append(ssoArgs(t, capture), "--format", format)
			code := run(context.Background(), args, &stdout, &stderr, false)
			if code != 0 && code != 1 {
				t.Fatalf("%s %s: exit %d: %s", f, format, code, stderr.String())
			}
			out := stdout.String() + stderr.String()
			for _, s := range forbidden {
				if strings.Contains(out, s) {
					t.Errorf("%s --format %s: output copies %q", f, format, s)
				}
			}
			if !strings.Contains(stderr.String(), "contient des secrets") || !strings.Contains(stderr.String(), f) {
				t.Errorf("%s: stderr does not warn that the capture holds credentials: %q", f, stderr.String())
			}
			if format != "json" {
				continue
			}
			var res result.Result
			if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, in := range res.Inputs {
				if in.Kind == "sso-capture" {
					n++
					if len(in.SHA256) != 64 {
						t.Errorf("%s: capture recorded without its SHA-256: %+v", f, in)
					}
				}
			}
			if n != 1 {
				t.Errorf("%s: %d capture inputs, want 1", f, n)
			}
		}
	}
}

// Same capture, same bytes.
func TestSSODeterministic(t *testing.T) {
	capture := filepath.Join(repoRoot, "fixtures/sso/good-profils.har")
	var outs [2]string
	for i := range outs {
		var stdout, stderr bytes.Buffer
		run(context.Background(), append(ssoArgs(t, capture), "--format", "json"), &stdout, &stderr, false)
		outs[i] = stdout.String()
	}
	if outs[0] != outs[1] || outs[0] == "" {
		t.Error("two runs on the same capture differ")
	}
}

// A truncated SAMLResponse is bad input: exit 2, stderr names the file
// and the problem in French.
func TestSSOBadInputExit2(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(repoRoot, "fixtures/sso/good-eleve.b64"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "copie.b64")
	os.WriteFile(p, good[:len(good)/2], 0o600)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"check", "sso", p, "--format", "json"}, &stdout, &stderr, false)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if !strings.Contains(stderr.String(), "copie.b64") || !strings.Contains(stderr.String(), "tronqu") {
		t.Errorf("stderr %q should name the file and the problem", stderr.String())
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sso-probe listens on loopback only, prints its SP metadata, and stops
// cleanly when interrupted. (The full login is TestProbeLogin in
// checks/sso.)
func TestSSOProbeCommand(t *testing.T) {
	md := filepath.Join(repoRoot, "fixtures/dossiers/conforme/saml/idp-metadata.xml")
	for _, bad := range [][]string{
		{"sso-probe", "--listen", "0.0.0.0:8080", "--metadata", md},
		{"sso-probe", "--listen", "127.0.0.1:0"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), bad, &stdout, &stderr, false); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", bad, code, stderr.String())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"sso-probe", "--listen", "127.0.0.1:0", "--metadata", md}, &stdout, &stderr, false)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stdout.String(), "AssertionConsumerService") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "SPSSODescriptor") || !strings.Contains(stderr.String(), "Rien n'est conservé") {
		t.Errorf("stdout %q\nstderr %q", stdout.String(), stderr.String())
	}
}
