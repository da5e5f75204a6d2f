package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func readRepo(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// goModVersion is the go directive of go.mod ("1.26.2").
func goModVersion(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^go ([0-9.]+)$`).FindStringSubmatch(readRepo(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return m[1]
}

// A tag publishes a release: binaries for Linux, macOS and Windows (amd64
// and arm64) built without cgo, their SHA-256 checksums, and the service's
// image built from the Containerfile.
func TestReleaseWorkflow(t *testing.T) {
	w := loadYAML(t, filepath.Join(repoRoot, ".github/workflows/release.yml"))
	on := w["on"].(map[string]any)
	push, _ := on["push"].(map[string]any)
	if push == nil || push["tags"] == nil || push["branches"] != nil {
		t.Errorf("release.yml must run on tags only: %v", on)
	}
	text := readRepo(t, ".github/workflows/release.yml")
	for _, want := range []string{
		"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64",
		"CGO_ENABLED=0", "sha256sum", "SHA256SUMS", "audit.ToolVersion=", "file: Containerfile",
		"platforms: linux/amd64,linux/arm64", "gh release create", "go test ./...",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("release.yml lacks %q", want)
		}
	}
}

// The container build and libxml2 agree: a binary built with cgo loads
// the libxml2 the runtime image installs (and the image fails to build if
// it does not); a binary built without cgo would use the pure-Go engine
// and needs no libxml2. The build stage's Go is at least go.mod's.
func TestContainerfileAndLibxml2Agree(t *testing.T) {
	c := readRepo(t, "Containerfile")
	stages := regexp.MustCompile(`(?m)^FROM `).Split(c, -1)[1:]
	if len(stages) != 2 {
		t.Fatalf("Containerfile: %d stages, want a build and a runtime stage", len(stages))
	}
	build, runtime := "FROM "+stages[0], stages[1]
	cgo := strings.Contains(build, "CGO_ENABLED=1")
	if !cgo && !strings.Contains(build, "CGO_ENABLED=0") {
		t.Fatal("the build stage does not say whether cgo is on")
	}
	installsLib := regexp.MustCompile(`apt-get install[^\n]*\blibxml2\b[^-]`).MatchString(runtime)
	switch {
	case cgo && !installsLib:
		t.Error("built with cgo, but the runtime image does not install libxml2: the pure-Go engine would be used silently")
	case cgo && !strings.Contains(runtime, "sdetcheck version | grep -q 'libxml2'"):
		t.Error("the image does not check that sdetcheck loads libxml2")
	case !cgo && strings.Contains(runtime, "libxml2"):
		t.Error("built without cgo, the binary cannot load the libxml2 the image installs")
	}
	m := regexp.MustCompile(`FROM --platform=\$BUILDPLATFORM golang:([0-9.]+)`).FindStringSubmatch(build)
	if m == nil {
		t.Fatal("no golang build image")
	}
	if want := goModVersion(t); !strings.HasPrefix(want, m[1]) {
		t.Errorf("build image golang:%s, go.mod asks for %s", m[1], want)
	}
	if strings.Contains(readRepo(t, "docs/serve.md"), "FROM golang") {
		t.Error("docs/serve.md carries its own container build: it must point at the Containerfile")
	}
}

// The README, followed from a fresh clone, works as written: its first
// commands audit the sample dossier and run the tests, it says how to get
// the sdetcheck command before using it, its Go version is go.mod's, and
// no install line names a version that is not published.
func TestReadmeGetsStarted(t *testing.T) {
	r := readRepo(t, "README.md")
	first := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(r)
	if first == nil {
		t.Fatal("README has no sh block")
	}
	lines := strings.Split(strings.TrimSpace(first[1]), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "go run ./cmd/sdetcheck audit fixtures/dossiers/conforme --format text") || !strings.HasPrefix(lines[1], "go test ./...") {
		t.Errorf("README's first commands changed: %q", lines)
	}
	install := strings.Index(r, "go install ./cmd/sdetcheck")
	bare := regexp.MustCompile("(?m)(^|`)sdetcheck (audit|check|report|rules|diff|serve|version|sso-)").FindStringIndex(r)
	if install < 0 || bare == nil || install > bare[0] {
		t.Errorf("README uses bare sdetcheck commands (at %v) before saying how to install it (at %d)", bare, install)
	}
	if v := goModVersion(t); !strings.Contains(r, "Go "+v) {
		t.Errorf("README does not give go.mod's Go version %s", v)
	}
	for _, f := range []string{"README.md", "docs/ci.md"} {
		if m := regexp.MustCompile(`sdetcheck(/cmd/sdetcheck)?@v[0-9]`).FindString(readRepo(t, f)); m != "" {
			t.Errorf("%s: %q names a version that is not published (use vX.Y.Z, and say what works today)", f, m)
		}
	}
}
