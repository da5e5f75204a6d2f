package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, false)
	return code, stdout.String(), stderr.String()
}

func TestAuditOutDirAllFormats(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/sous-derogation"),
		"--format", "json,sarif,junit,md,html,pdf,text", "--out-dir", dir, "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d, want 0 (the only failure is waived): %s", code, stderr)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	want := []string{"sdetcheck.html", "sdetcheck.json", "sdetcheck.junit.xml", "sdetcheck.md", "sdetcheck.pdf", "sdetcheck.sarif", "sdetcheck.txt"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	// The waived failure is reported as waived in every format.
	checks := map[string]string{
		"sdetcheck.json":      `"waiver": {`,
		"sdetcheck.sarif":     `"kind": "external"`,
		"sdetcheck.junit.xml": `<skipped message="Dérogation accordée par`,
		"sdetcheck.md":        "| DÉROGATION | PAGE-005 |",
		"sdetcheck.html":      `class="finding waived"`,
		"sdetcheck.txt":       "DÉROGATION         PAGE-005", // the status column fits "EN LIGNE SEULEMENT"
	}
	for name, s := range checks {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), s) {
			t.Errorf("%s lacks %q", name, s)
		}
	}
	// SARIF locations are relative to the repository's root.
	sarif, _ := os.ReadFile(filepath.Join(dir, "sdetcheck.sarif"))
	if !strings.Contains(string(sarif), `"uri": "fixtures/dossiers/sous-derogation/pages/connexion.html",
                  "uriBaseId": "%SRCROOT%"`) {
		t.Errorf("SARIF location not relative to the repository's root:\n%s", sarif)
	}
	if havePoppler(t, "pdftotext") {
		out, err := exec.Command("pdftotext", filepath.Join(dir, "sdetcheck.pdf"), "-").CombinedOutput()
		if err != nil {
			t.Fatalf("pdftotext: %v %s", err, out)
		}
		if !strings.Contains(string(out), "CONFORME SOUS DÉROGATION") || !strings.Contains(string(out), "Mme Camille Exemple") {
			t.Errorf("PDF text lacks the verdict or the representative:\n%s", out)
		}
	}
}

func TestAuditPDFOneStep(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rapport.pdf")
	code, _, stderr := cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--out", out, "--now", testNow)
	if code != 4 {
		t.Fatalf("exit %d, want 4 (incomplet): %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("no PDF written: %v", err)
	}
}

func TestWaiversFromCommandLine(t *testing.T) {
	dir := t.TempDir()
	w := filepath.Join(dir, "derog.yaml")
	os.WriteFile(w, []byte("derogations:\n  - rule: DOSSIER-001\n    justification: \"délai\"\n    granted_by: \"DSDEN Fictive\"\n    expires: 2099-01-01\n"), 0o644)
	code, stdout, stderr := cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--waivers", w, "--format", "json", "--now", testNow)
	// A délai for the missing pieces does not make the dossier complete.
	if code != 4 {
		t.Fatalf("exit %d, want 4 (incomplet, the délai does not supply the pieces): %s", code, stderr)
	}
	var r result.Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Waived != 1 || r.Summary.Fail != 0 || r.Verdict != result.Incomplet {
		t.Errorf("summary %+v", r.Summary)
	}
	found := false
	for _, in := range r.Inputs {
		found = found || (in.Source == w && in.Kind == "waivers" && len(in.SHA256) == 64)
	}
	if !found {
		t.Errorf("waivers file not among inputs: %+v", r.Inputs)
	}
}

func TestWaiverWithoutJustificationRefused(t *testing.T) {
	w := filepath.Join(t.TempDir(), "derog.yaml")
	os.WriteFile(w, []byte("derogations:\n  - rule: DOSSIER-001\n    granted_by: \"DSDEN Fictive\"\n    expires: 2099-01-01\n"), 0o644)
	code, stdout, stderr := cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--waivers", w, "--format", "json")
	if code != 2 || stdout != "" {
		t.Fatalf("exit %d, want 2 and no output", code)
	}
	if !strings.Contains(stderr, w+", ligne 2 : dérogation 1 : justification est exigée") {
		t.Errorf("stderr: %s", stderr)
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "r.json")
	code, stdout, _ := cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--format", "json", "--now", testNow)
	if code != 4 {
		t.Fatalf("exit %d", code)
	}
	os.WriteFile(res, []byte(stdout), 0o644)
	code, md, stderr := cli(t, "report", res, "--format", "md", "--lang", "en", "--now", testNow)
	if code != 0 || !strings.Contains(md, "**Verdict: INCOMPLETE**") || !strings.Contains(md, "23 November 2026") {
		t.Fatalf("exit %d: %s\n%s", code, stderr, md)
	}
	html := filepath.Join(dir, "rapport.html")
	if code, _, stderr := cli(t, "report", res, "--out", html); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"tool\": {\"name\": \"sdetcheck\"},\n  \"results\": [\n    {\"rule\": \"X\",}\n  ]\n}\n"), 0o644)
	code, _, stderr = cli(t, "report", bad, "--format", "md")
	if code != 2 || !strings.Contains(stderr, bad+", ligne 4 : résultat JSON invalide") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = cli(t, "report", filepath.Join(dir, "absent.json"), "--format", "md")
	if code != 2 || !strings.Contains(stderr, "absent.json") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, dossier string) string {
		_, out, _ := cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers", dossier), "--format", "json", "--now", testNow)
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(out), 0o644)
		return p
	}
	valid := write("valid.json", "derogation-valide")
	expired := write("expired.json", "derogation-expiree")
	code, out, _ := cli(t, "diff", valid, expired)
	if code != 1 || !strings.Contains(out, "DOSSIER-002 [mineur] conforme → échec") || !strings.Contains(out, "DOSSIER-001 [majeur]") {
		t.Errorf("valid → expired: exit %d\n%s", code, out)
	}
	code, out, _ = cli(t, "diff", expired, valid, "--format", "json")
	var d struct{ Fixed []struct{ Rule string } }
	if err := json.Unmarshal([]byte(out), &d); err != nil || code != 0 || len(d.Fixed) != 2 {
		t.Errorf("expired → valid: exit %d, %v\n%s", code, err, out)
	}
}

func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	// A result JSON over the bound is refused without being read whole.
	defer func(n int) { maxResultBytes = n }(maxResultBytes)
	maxResultBytes = 1024
	big := filepath.Join(dir, "big.json")
	os.WriteFile(big, bytes.Repeat([]byte(" "), 4096), 0o644)
	code, _, stderr := cli(t, "report", big, "--format", "md")
	if code != 2 || !strings.Contains(stderr, "big.json") || !strings.Contains(stderr, "résultat de plus de 1024 octets") {
		t.Errorf("big result: exit %d, %q", code, stderr)
	}
	// A JSON document that is not a result.
	other := filepath.Join(dir, "other.json")
	os.WriteFile(other, []byte(`{"tool": {"name": "x"}}`), 0o644)
	if code, _, stderr := cli(t, "report", other, "--format", "md"); code != 2 || !strings.Contains(stderr, "ce n'est pas un résultat sdetcheck") {
		t.Errorf("other JSON: exit %d, %q", code, stderr)
	}
	// A waivers file over 1 MiB is refused.
	w := filepath.Join(dir, "derog.yaml")
	os.WriteFile(w, bytes.Repeat([]byte("# x\n"), 300000), 0o644)
	code, _, stderr = cli(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--waivers", w, "--format", "json")
	if code != 2 || !strings.Contains(stderr, w) {
		t.Errorf("big waivers: exit %d, %q", code, stderr)
	}
	// A waivers path in ent.yaml that leaves the dossier is refused.
	d := filepath.Join(dir, "dossier")
	os.Mkdir(d, 0o755)
	os.WriteFile(filepath.Join(d, "ent.yaml"), []byte("ent: {name: E, vendor: V}\ncollectivite: {name: C}\ndegree: 1D\nsdet: \"7.0\"\nwaivers: ../derog.yaml\n"), 0o644)
	code, _, stderr = cli(t, "audit", d, "--format", "json")
	if code != 2 || !strings.Contains(stderr, "le chemin sort du répertoire du dossier") {
		t.Errorf("traversal: exit %d, %q", code, stderr)
	}
}
