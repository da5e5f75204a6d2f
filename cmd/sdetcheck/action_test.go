package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func loadYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func keys(t *testing.T, where string, m map[string]any, want ...string) {
	t.Helper()
	for _, k := range want {
		if _, ok := m[k]; !ok {
			t.Errorf("%s: missing key %q", where, k)
		}
	}
}

// TestAction checks the reusable action's shape: a composite action whose
// inputs are documented, that builds sdetcheck from the action's checkout,
// runs audit with --out-dir, uploads SARIF and the reports and returns the
// exit code.
func TestAction(t *testing.T) {
	a := loadYAML(t, filepath.Join(repoRoot, "action.yml"))
	keys(t, "action.yml", a, "name", "description", "inputs", "outputs", "runs")
	inputs := a["inputs"].(map[string]any)
	for _, in := range []string{"dossier", "fail-on", "waivers", "formats", "upload-sarif"} {
		i, ok := inputs[in].(map[string]any)
		if !ok {
			t.Errorf("input %q missing", in)
			continue
		}
		keys(t, "input "+in, i, "description", "default")
	}
	runs := a["runs"].(map[string]any)
	if runs["using"] != "composite" {
		t.Errorf("runs.using = %v", runs["using"])
	}
	var all []string
	for _, s := range runs["steps"].([]any) {
		step := s.(map[string]any)
		if _, ok := step["run"]; ok {
			keys(t, "run step", step, "shell")
			all = append(all, step["run"].(string))
		}
		if u, ok := step["uses"].(string); ok {
			all = append(all, "uses "+u)
		}
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{"go build", "./cmd/sdetcheck", "audit", "--out-dir", "uses github/codeql-action/upload-sarif@", "uses actions/upload-artifact@", `exit "$CODE"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("action steps lack %q", want)
		}
	}
	// Inputs reach shell scripts through env only (no ${{ }} injection).
	if regexp.MustCompile(`\$\{\{\s*inputs\.`).MatchString(strings.Join(filterRuns(all), "\n")) {
		t.Errorf("a run script interpolates an input directly; pass it through env")
	}
}

func filterRuns(steps []string) []string {
	var out []string
	for _, s := range steps {
		if !strings.HasPrefix(s, "uses ") {
			out = append(out, s)
		}
	}
	return out
}

func TestWorkflowsAndDocExamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoRoot, ".github/workflows/*.yml"))
	if len(files) == 0 {
		t.Fatal("no workflow")
	}
	for _, f := range files {
		w := loadYAML(t, f)
		keys(t, f, w, "name", "on", "jobs")
	}
	ci := loadYAML(t, filepath.Join(repoRoot, ".github/workflows/ci.yml"))
	text, _ := os.ReadFile(filepath.Join(repoRoot, ".github/workflows/ci.yml"))
	for _, want := range []string{"go test ./...", "go vet ./...", "gofmt -l", "poppler-utils", "uses: ./"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("ci.yml lacks %q", want)
		}
	}
	_ = ci
	// Every YAML example in docs/ci.md parses, and the vendor workflow uses
	// the action.
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs/ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("docs/ci.md has no yaml example")
	}
	usesAction := false
	for _, b := range blocks {
		var m map[string]any
		if err := yaml.Unmarshal(b[1], &m); err != nil {
			t.Errorf("docs/ci.md example does not parse: %v\n%s", err, b[1])
		}
		usesAction = usesAction || strings.Contains(string(b[1]), "uses: sdetcheck/sdetcheck@")
	}
	if !usesAction {
		t.Errorf("docs/ci.md has no example calling the action")
	}
}
