package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
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

// currentMajor is the current major version of each action sdetcheck's
// action, workflows and documentation use (checked December 2026): an
// older one runs on a deprecated Node.js or is itself deprecated (CodeQL
// Action v3 in December 2026).
var currentMajor = map[string]int{
	"actions/checkout":                  7,
	"actions/setup-go":                  7,
	"actions/upload-artifact":           7,
	"actions/download-artifact":         8,
	"github/codeql-action/upload-sarif": 4,
	"docker/setup-qemu-action":          4,
	"docker/setup-buildx-action":        4,
	"docker/build-push-action":          7,
}

var usesRe = regexp.MustCompile(`uses:\s*([A-Za-z0-9_.\-/]+)@v([0-9]+)`)

// Every action used by action.yml, the workflows, the README and
// docs/ci.md is at its current major version, and each is known.
func TestActionsCurrent(t *testing.T) {
	files := []string{"action.yml", "README.md", "docs/ci.md"}
	wf, _ := filepath.Glob(filepath.Join(repoRoot, ".github/workflows/*.yml"))
	for _, w := range wf {
		rel, _ := filepath.Rel(repoRoot, w)
		files = append(files, rel)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range usesRe.FindAllStringSubmatch(string(data), -1) {
			if m[1] == "sdetcheck/sdetcheck" {
				continue
			}
			n++
			want, ok := currentMajor[m[1]]
			got, _ := strconv.Atoi(m[2])
			switch {
			case !ok:
				t.Errorf("%s: %s@v%s: not in currentMajor (check its current version and add it)", f, m[1], m[2])
			case got < want:
				t.Errorf("%s: %s@v%d, current major is v%d", f, m[1], got, want)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d uses found", n)
	}
}

// The action's inputs and outputs say what a vendor meets: no input both
// required and defaulted (GitHub ignores the default of a required
// input), outputs naming every verdict and every exit code, the Go cache
// keyed on files inside the workspace (setup-go cannot read the action's
// own directory), the SARIF uploaded whatever the verdict.
func TestActionContract(t *testing.T) {
	a := loadYAML(t, filepath.Join(repoRoot, "action.yml"))
	for name, in := range a["inputs"].(map[string]any) {
		i := in.(map[string]any)
		if req, _ := i["required"].(bool); req {
			if _, ok := i["default"]; ok {
				t.Errorf("input %s is both required and defaulted", name)
			}
		}
	}
	outputs := a["outputs"].(map[string]any)
	exitDesc := outputs["exit-code"].(map[string]any)["description"].(string)
	for code := 0; code <= 4; code++ {
		if !strings.Contains(exitDesc, strconv.Itoa(code)+" ") {
			t.Errorf("output exit-code does not explain code %d: %q", code, exitDesc)
		}
	}
	verdictDesc := outputs["verdict"].(map[string]any)["description"].(string)
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs/ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []result.Verdict{result.Conforme, result.ConformeSousDerogation, result.ConformeAvecReserves, result.NonConforme, result.Incomplet} {
		if !regexp.MustCompile(`\b` + string(v) + `\b`).MatchString(verdictDesc) {
			t.Errorf("output verdict does not name %s: %q", v, verdictDesc)
		}
		if !strings.Contains(string(doc), "`"+string(v)+"`") {
			t.Errorf("docs/ci.md does not name the verdict %s", v)
		}
	}
	if !strings.Contains(string(doc), "4 incomplet") {
		t.Errorf("docs/ci.md does not explain exit code 4")
	}
	var setupGo, sarif map[string]any
	for _, s := range a["runs"].(map[string]any)["steps"].([]any) {
		step := s.(map[string]any)
		switch u, _ := step["uses"].(string); {
		case strings.HasPrefix(u, "actions/setup-go@"):
			setupGo = step
		case strings.HasPrefix(u, "github/codeql-action/upload-sarif@"):
			sarif = step
		}
	}
	with := setupGo["with"].(map[string]any)
	for _, k := range []string{"cache-dependency-path", "go-version-file"} {
		p, _ := with[k].(string)
		if p == "" || strings.Contains(p, "action_path") || filepath.IsAbs(p) || strings.HasPrefix(p, "..") {
			t.Errorf("setup-go %s = %q: a path inside the workspace is expected", k, p)
		}
	}
	cond, _ := sarif["if"].(string)
	for _, want := range []string{"always()", "inputs.upload-sarif == 'true'", "steps.audit.outputs.sarif == 'true'"} {
		if !strings.Contains(cond, want) {
			t.Errorf("the SARIF upload condition %q lacks %q", cond, want)
		}
	}
	// docs/ci.md says the same, and what private repositories need.
	for _, want := range []string{"que le verdict fasse échouer le job ou non", "GitHub Advanced\nSecurity", "security-events: write"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("docs/ci.md does not say %q", want)
		}
	}
}
