package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// runSAML runs `check saml` through the CLI and decodes the JSON result.
func runSAML(t *testing.T, src string, extra ...string) (*result.Result, int, string) {
	t.Helper()
	// stderr in English (--lang en): tests check its file:line: problem.
	args := append([]string{"check", "saml", src, "--format", "json", "--now", testNow, "--lang", "en"}, extra...)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, false)
	var res result.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("%v: exit %d, output is not JSON: %v\nstderr: %s", args, code, err, stderr.String())
	}
	return &res, code, stderr.String()
}

// firstOf returns the first finding of rule.
func firstOf(t *testing.T, res *result.Result, rule string) result.Finding {
	t.Helper()
	for _, f := range res.Results {
		if f.Rule == rule {
			return f
		}
	}
	t.Fatalf("no finding for %s", rule)
	return result.Finding{}
}

// TestSAMLHostileInputs: unreadable or unsafe documents are refused with
// file, line and problem; SAML-001 fails, the other rules are not
// evaluated, and the run exits 2.
func TestSAMLHostileInputs(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.xml")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	// 200 MB, sparse: refused by the size bound before any read.
	if err := f.Truncate(200 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	cases := []struct {
		name, src string
		wantMsg   string
		wantLine  int // -1: any line (it depends on generated content)
	}{
		{"truncated", repoRoot + "/fixtures/saml/bad/truncated.xml", "unexpected EOF", -1},
		{"billion laughs", repoRoot + "/fixtures/saml/bad/dtd-entities.xml", "DTD or entity declaration refused", 10},
		{"200 MB", huge, "input too large", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			res, code, stderr := runSAML(t, c.src)
			elapsed := time.Since(start)
			runtime.ReadMemStats(&after)
			if code != audit.ExitBadInput {
				t.Errorf("exit %d, want %d", code, audit.ExitBadInput)
			}
			if !strings.Contains(stderr, c.src) || !strings.Contains(stderr, c.wantMsg) {
				t.Errorf("stderr %q should name %s and %q", stderr, c.src, c.wantMsg)
			}
			f := firstOf(t, res, "SAML-001")
			if f.Status != result.Fail || len(f.Evidence) == 0 || (c.wantLine >= 0 && f.Evidence[0].Line != c.wantLine) || (c.wantLine < 0 && f.Evidence[0].Line <= 0) {
				t.Errorf("SAML-001 = %s %+v, want fail at line %d", f.Status, f.Evidence, c.wantLine)
			}
			got := map[string]result.Status{}
			for _, f := range res.Results {
				if f.Rule != "SAML-001" {
					got[f.Rule] = f.Status
				}
			}
			want := map[string]result.Status{}
			for _, id := range []string{"SAML-002", "SAML-003", "SAML-004", "SAML-005", "SAML-006", "SAML-007", "SAML-008", "SAML-009", "SAML-010", "SAML-011", "SAML-012", "SAML-013"} {
				want[id] = result.Error
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("other rules (-want +got):\n%s", d)
			}
			if elapsed > 5*time.Second {
				t.Errorf("took %v: hostile input must be refused fast", elapsed)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("allocated %d MiB: memory must stay bounded", grew>>20)
			}
		})
	}
}

// TestSAMLUnparsableCertificate: a well-formed metadata document whose
// signing certificate does not parse is readable: SAML-005 fails, naming
// the KeyDescriptor and the line, the other rules run, and the run ends as
// non-conforme (exit 1), never as unreadable input (exit 2). The shapes
// are a real IdP's metadata (Okta, fixtures/realworld/saml/okta.xml) with
// its certificate truncated (a copy cut short) or its base64 broken (a
// character mistyped), and the generated fixture whose DER is malformed.
func TestSAMLUnparsableCertificate(t *testing.T) {
	real, err := os.ReadFile(repoRoot + "/fixtures/realworld/saml/okta.xml")
	if err != nil {
		t.Fatal(err)
	}
	certRe := regexp.MustCompile(`(<ds:X509Certificate>)([^<]+)(</ds:X509Certificate>)`)
	m := certRe.FindSubmatchIndex(real)
	if m == nil {
		t.Fatal("no certificate in okta.xml")
	}
	b64 := string(real[m[4]:m[5]])
	edit := func(cert string) string {
		return string(real[:m[4]]) + cert + string(real[m[5]:])
	}
	dir := t.TempDir()
	cases := []struct {
		name, src, want string
		line            int
	}{
		{"generated malformed DER", repoRoot + "/fixtures/saml/bad/cert-unparsable.xml", "malformed certificate", 10},
		{"real metadata, certificate truncated", writeTemp(t, dir, "okta-truncated.xml", []byte(edit(b64[:len(b64)/2]))), "malformed certificate", 6},
		{"real metadata, base64 broken", writeTemp(t, dir, "okta-base64.xml", []byte(edit(b64[:40]+"!!"+b64[40:]))), "illegal base64", 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, code, stderr := runSAML(t, c.src)
			if code != audit.ExitNonConforme {
				t.Errorf("exit %d, want %d (stderr %q)", code, audit.ExitNonConforme, stderr)
			}
			f := firstOf(t, res, "SAML-005")
			if f.Status != result.Fail || len(f.Evidence) == 0 || f.Evidence[0].Line != c.line ||
				!strings.Contains(f.MessageEN, "KeyDescriptor #1") || !strings.Contains(f.MessageEN, c.want) {
				t.Errorf("SAML-005 = %s %q %+v, want a failure naming KeyDescriptor #1 at line %d (%s)", f.Status, f.MessageEN, f.Evidence, c.line, c.want)
			}
			for _, g := range res.Results {
				if g.Status == result.Error {
					t.Errorf("%s: %s %s: a certificate's defect leaves every rule evaluated", g.Rule, g.Status, g.MessageEN)
				}
			}
			if st := firstOf(t, res, "SAML-004").Status; st != result.Pass {
				t.Errorf("SAML-004 = %s: the other rules still judge the document", st)
			}
		})
	}
}

// TestSAMLSignatureWrapping: a signature that does not cover the root is
// refused, whether its reference points at a nested element or an extra
// unsigned EntityDescriptor is put before a signed one.
func TestSAMLSignatureWrapping(t *testing.T) {
	for _, name := range []string{"signature-wrapping-reference.xml", "signature-wrapping-entities.xml"} {
		t.Run(name, func(t *testing.T) {
			res, code, _ := runSAML(t, repoRoot+"/fixtures/saml/bad/"+name)
			if code != audit.ExitNonConforme {
				t.Errorf("exit %d, want %d", code, audit.ExitNonConforme)
			}
			f := firstOf(t, res, "SAML-006")
			if f.Status != result.Fail || !strings.Contains(f.MessageEN, "wrapping") {
				t.Errorf("SAML-006 = %s %q, want a wrapping failure", f.Status, f.MessageEN)
			}
		})
	}
}

// TestSAMLFromHTTPS fetches the good metadata from a TLS server: URL mode
// gives the same findings as the file and records the URL with its digest.
func TestSAMLFromHTTPS(t *testing.T) {
	good, err := os.ReadFile(repoRoot + "/fixtures/saml/good/idp-metadata.xml")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/huge" {
			// An endless document: the reader must stop at its bound.
			chunk := bytes.Repeat([]byte("<a>"), 1<<16)
			for i := 0; i < 200<<20/len(chunk); i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			return
		}
		if r.URL.Path != "/idp/metadata" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/samlmetadata+xml")
		w.Write(good)
	}))
	defer srv.Close()
	now, _ := time.Parse(time.RFC3339, testNow)
	// sdetcheck's own client, trusting the test server on this machine
	// (as --allow-private-network lets it).
	client := input.NewClientPolicy(10*time.Second, netguard.Policy{AllowPrivate: true})
	client.Transport.(*http.Transport).TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	cfg := audit.Config{Now: now, Client: client}
	cfg.Opts.IDEnt = "ENTFICTIF1"

	res, err := audit.Check(context.Background(), "saml", srv.URL+"/idp/metadata", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if code := audit.ExitCode(res, result.Majeur); code != audit.ExitConforme {
		t.Errorf("exit %d, want 0: %+v", code, res.Summary)
	}
	if res.Summary.Pass != 13 {
		t.Errorf("summary %+v, want 13 passes", res.Summary)
	}
	wantInputs := []result.Input{{Source: srv.URL + "/idp/metadata", SHA256: input.Sum(good), Size: int64(len(good)), Kind: "saml-metadata", HTTPStatus: 200}}
	if d := cmp.Diff(wantInputs, res.Inputs); d != "" {
		t.Errorf("inputs (-want +got):\n%s", d)
	}

	// A missing document is not evaluated at all (exit 2).
	res, err = audit.Check(context.Background(), "saml", srv.URL+"/absent", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if code := audit.ExitCode(res, result.Majeur); code != audit.ExitBadInput {
		t.Errorf("404: exit %d, want 2", code)
	}
	// An oversized body is cut at the size bound and refused (SAML-001).
	res, err = audit.Check(context.Background(), "saml", srv.URL+"/huge", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if f := firstOf(t, res, "SAML-001"); f.Status != result.Fail || !strings.Contains(f.MessageEN, "input too large") {
		t.Errorf("huge URL: SAML-001 %s %q, want a size refusal", f.Status, f.MessageEN)
	}
	if code := audit.ExitCode(res, result.Majeur); code != audit.ExitBadInput {
		t.Errorf("huge URL: exit %d, want 2", code)
	}
	// Plain http is refused unless --allow-http.
	_, code, stderr := runSAML(t, strings.Replace(srv.URL, "https://", "http://", 1)+"/idp/metadata")
	if code != audit.ExitBadInput || !strings.Contains(stderr, "only https") {
		t.Errorf("http URL: exit %d, stderr %q; want 2 and a refusal", code, stderr)
	}
}

// TestSAMLDeterministic: the same document gives byte-identical JSON.
func TestSAMLDeterministic(t *testing.T) {
	var outs [2]string
	for i := range outs {
		var stdout, stderr bytes.Buffer
		run(context.Background(), []string{"check", "saml", repoRoot + "/fixtures/saml/bad/sso-http.xml", "--format", "json", "--now", testNow}, &stdout, &stderr, false)
		outs[i] = stdout.String()
	}
	if outs[0] != outs[1] {
		t.Error("two runs gave different JSON")
	}
}

// TestSAMLAuditManifestAttributes audits a dossier whose manifest lists
// the released attributes: an extra one (mail) breaks minimisation, with
// ent.yaml as evidence.
func TestSAMLAuditManifestAttributes(t *testing.T) {
	dir := t.TempDir()
	md, err := os.ReadFile(repoRoot + "/fixtures/saml/bad/no-slo.xml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "saml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "saml", "idp.xml"), md, 0o644); err != nil {
		t.Fatal(err)
	}
	manifest := `ent: {name: "ENT Fictif", vendor: "Éditeur Fictif", id_ent: "ENTFICTIF1"}
collectivite: {name: "Commune Fictive"}
degree: 2D
sdet: "7.0"
evidence:
  saml_metadata: saml/idp.xml
  saml_attributes: [idEnt, GARPersonIdentifiant, mail]
`
	if err := os.WriteFile(filepath.Join(dir, "ent.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"audit", dir, "--format", "json", "--now", testNow}, &stdout, &stderr, false)
	var res result.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stderr.String())
	}
	got := map[string]result.Status{}
	for _, f := range res.Results {
		if strings.HasPrefix(f.Rule, "SAML-") && f.Status != result.Pass {
			got[f.Rule] = f.Status
		}
	}
	want := map[string]result.Status{"SAML-009": result.Warn, "SAML-012": result.Fail}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("non-passing SAML findings (-want +got):\n%s", d)
	}
	f := firstOf(t, &res, "SAML-012")
	if len(f.Evidence) == 0 || f.Evidence[0].Source != "ent.yaml" || f.Evidence[0].Excerpt != "Name=mail" {
		t.Errorf("SAML-012 evidence %+v, want ent.yaml Name=mail", f.Evidence)
	}
	if src := firstOf(t, &res, "SAML-001").Evidence[0].Source; src != "saml/idp.xml" {
		t.Errorf("evidence source %q, want the path as given in ent.yaml", src)
	}
}
