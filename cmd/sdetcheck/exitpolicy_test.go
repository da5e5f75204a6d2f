package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The exit-code policy holds end to end for every area: a waived failure
// never fails the run, --fail-on sets the threshold, an evaluation error
// exits 2 with verdict incomplet unless a bloquant or majeur failure makes
// the ENT non-conforme.
func TestExitPolicyPerArea(t *testing.T) {
	targets := map[string][]string{}
	for _, r := range rules.All() {
		area := string(r.Area)
		if _, done := targets[area]; done || len(r.Examples.Bad) == 0 || area == "dossier" {
			continue
		}
		_, res, _ := exampleArgs(r.Area, r.Examples.Bad[0])
		targets[area] = res
	}
	for _, d := range []string{"non-conforme", "incomplet", "derogation-valide", "derogation-expiree", "derogation-inutile"} {
		targets["dossier "+d] = []string{"audit", filepath.Join(repoRoot, "fixtures/dossiers", d)}
	}
	sevs := []result.Severity{result.Bloquant, result.Majeur, result.Mineur, result.Info}
	for name, args := range targets {
		t.Run(name, func(t *testing.T) {
			for _, sev := range sevs {
				a := append(append([]string(nil), args...), "--format", "json", "--now", testNow, "--fail-on", string(sev))
				out, stderr, code := runCLI(t, a...)
				var res result.Result
				if err := json.Unmarshal([]byte(out), &res); err != nil {
					t.Fatalf("%v: exit %d, no JSON: %v %s", a, code, err, stderr)
				}
				worst := 0
				for _, f := range res.Results {
					if f.Status == result.Fail && !f.Waived() && f.Rule != rules.DOSSIER001.ID && f.Severity.Rank() > worst {
						worst = f.Severity.Rank()
					}
				}
				unexamined := false
				for _, o := range result.RuleStates(res.Results, rules.Traits) {
					if o.Unexamined() && o.Severity.Rank() >= sev.Rank() && (o.Severity.Blocking() || o.Rule == rules.DOSSIER001.ID) {
						unexamined = true
					}
				}
				want := 0
				switch {
				case res.Summary.Error > 0:
					want = 2
				case worst >= sev.Rank():
					want = 1
				case unexamined:
					want = 4
				}
				if code != want {
					t.Errorf("--fail-on %s: exit %d, want %d (errors %d, worst unwaived failure rank %d)", sev, code, want, res.Summary.Error, worst)
				}
				blocking := false
				for _, o := range result.RuleStates(res.Results, rules.Traits) {
					if o.NonConformity() && o.Severity.Blocking() {
						blocking = true
					}
				}
				switch {
				case blocking && res.Verdict != result.NonConforme:
					t.Errorf("bloquant/majeur failure but verdict %s", res.Verdict)
				case !blocking && res.Summary.Error > 0 && res.Verdict != result.Incomplet:
					t.Errorf("evaluation error but verdict %s", res.Verdict)
				}
				if code == 2 && len(strings.TrimSpace(stderr)) == 0 {
					t.Errorf("exit 2 without a word on stderr")
				}
			}
			if strings.HasPrefix(name, "dossier derogation-valide") {
				out, _, _ := runCLI(t, append(append([]string(nil), args...), "--format", "json", "--now", testNow)...)
				var res result.Result
				json.Unmarshal([]byte(out), &res)
				if res.Summary.Waived == 0 {
					t.Errorf("derogation-valide: nothing waived")
				}
			}
		})
	}
}

// exampleArgs builds the command line TestExamples uses for an example.
func exampleArgs(area rules.Area, path string) (string, []string, error) {
	full := filepath.Join(repoRoot, path)
	args := []string{"check", string(area), full}
	if _, err := os.Stat(filepath.Join(full, "ent.yaml")); err == nil {
		args = []string{"audit", full}
	}
	if extra, err := os.ReadFile(strings.TrimSuffix(full, "/") + ".args"); err == nil {
		for _, a := range strings.Fields(string(extra)) {
			args = append(args, strings.ReplaceAll(a, "$ROOT", repoRoot))
		}
	}
	return full, args, nil
}
