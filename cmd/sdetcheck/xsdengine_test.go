package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/libxml2"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// outcome sums up a result for comparing XSD engines: verdict, exit code,
// and each finding's rule, status and evidence files (messages of GAR-005
// are the engines' own words and may differ).
func outcome(res *result.Result, code int) []string {
	out := []string{fmt.Sprintf("verdict %s exit %d", res.Verdict, code)}
	for _, f := range res.Results {
		var srcs []string
		for _, e := range f.Evidence {
			srcs = append(srcs, filepath.Base(e.Source))
		}
		out = append(out, fmt.Sprintf("%s %s %s", f.Rule, f.Status, strings.Join(srcs, ",")))
	}
	sort.Strings(out)
	return out
}

// TestXSDEnginesGiveSameFindings runs every GAR example and sample dossier
// with --xsd-engine go and --xsd-engine libxml2: same verdict, same exit
// code, same findings on the same files.
func TestXSDEnginesGiveSameFindings(t *testing.T) {
	if _, err := garfeed.ResolveEngine(garfeed.EngineLibxml2); err != nil {
		if os.Getenv("SDETCHECK_REQUIRE_LIBXML2") == "1" {
			t.Fatalf("libxml2 required: %v", err)
		}
		t.Skip(err)
	}
	dirs, _ := filepath.Glob(filepath.Join(repoRoot, "fixtures/gar/*"))
	dossiers, _ := filepath.Glob(filepath.Join(repoRoot, "fixtures/dossiers/*"))
	n := 0
	for _, d := range append(dirs, dossiers...) {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			continue
		}
		rel, _ := filepath.Rel(repoRoot, d)
		n++
		t.Run(rel, func(t *testing.T) {
			resGo, codeGo, _ := runExample(t, rules.AreaGAR, rel, "--xsd-engine", "go")
			resLx, codeLx, _ := runExample(t, rules.AreaGAR, rel, "--xsd-engine", "libxml2")
			if diff := cmp.Diff(outcome(resGo, codeGo), outcome(resLx, codeLx)); diff != "" {
				t.Errorf("go engine (-) and libxml2 (+) differ:\n%s", diff)
			}
		})
	}
	if n < 20 {
		t.Fatalf("only %d examples compared", n)
	}
}

func TestXSDEngineFlag(t *testing.T) {
	_, stderr, code := runCLI(t, "check", "gar", filepath.Join(repoRoot, "fixtures/gar/good"), "--xsd-engine", "saxon")
	if code != 2 || !strings.Contains(stderr, `--xsd-engine : moteur de validation XSD "saxon" inconnu`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCLI(t, "check", "gar", filepath.Join(repoRoot, "fixtures/gar/good"), "--xsd-engine", "saxon", "--lang", "en")
	if code != 2 || !strings.Contains(stderr, `--xsd-engine: unknown XSD engine "saxon"`) {
		t.Fatalf("--lang en: exit %d, stderr %q", code, stderr)
	}
	res, code, stderr := runExample(t, rules.AreaGAR, "fixtures/gar/good", "--xsd-engine", "go")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range res.Results {
		if f.Rule == "GAR-005" && !strings.Contains(f.Message, "jacoelho/xsd") {
			t.Errorf("GAR-005 does not name the engine that ran: %s", f.Message)
		}
	}
}

// Without libxml2 (a machine that lacks it: here its name points to a
// missing file), --xsd-engine auto falls back to the pure-Go engine and
// says so, and --xsd-engine libxml2 is a usage error.
func TestXSDEngineFallbackWithoutLibxml2(t *testing.T) {
	good := filepath.Join(repoRoot, "fixtures/gar/good")
	runMain := func(args ...string) (string, string, int) {
		cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestHelperMain$", "--"}, args...)...)
		cmd.Env = append(os.Environ(), "SDETCHECK_HELPER_MAIN=1", libxml2.EnvLibrary+"="+filepath.Join(t.TempDir(), "libxml2.so.2"))
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return stdout.String(), stderr.String(), code
	}
	out, stderr, code := runMain("check", "gar", good, "--format", "json", "--now", testNow)
	if code != 0 || !strings.Contains(out, "validateur : github.com/jacoelho/xsd") {
		t.Errorf("auto without libxml2: exit %d, GAR-005 should name the Go engine\nstderr: %s", code, stderr)
	}
	// SDETCHECK_LIBXML2 was set on purpose: the fallback is said, not silent.
	if !strings.Contains(stderr, "SDETCHECK_LIBXML2=") || !strings.Contains(stderr, "moteur Go pur") {
		t.Errorf("auto with an unloadable SDETCHECK_LIBXML2: the fallback is not said on stderr: %q", stderr)
	}
	_, stderr, code = runMain("check", "gar", good, "--xsd-engine", "libxml2")
	if code != 2 || !strings.Contains(stderr, "libxml2 unavailable") {
		t.Errorf("--xsd-engine libxml2 without libxml2: exit %d, stderr %q", code, stderr)
	}
}

// `sdetcheck version` says which XSD engine an audit would use, for
// support requests and CI logs.
func TestVersionNamesXSDEngine(t *testing.T) {
	eng, err := garfeed.ResolveEngine(garfeed.EngineAuto)
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "version")
	if code != 0 || !strings.Contains(out, "Validateur XSD du flux GAR : "+eng.Label) {
		t.Fatalf("exit %d, output %q", code, out)
	}
	out, _, code = runCLI(t, "version", "--lang", "en")
	if code != 0 || !strings.Contains(out, "XSD engine for the GAR feed: "+eng.Label) {
		t.Fatalf("--lang en: exit %d, output %q", code, out)
	}
}
