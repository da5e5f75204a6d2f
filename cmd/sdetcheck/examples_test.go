package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/checks/security/securitytest"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// testNow is the clock of every fixture run, so expiry rules are stable:
// the clock of the area tests (checkstest.Now).
const testNow = checkstest.NowRFC3339

// repoRoot is where fixture paths in the catalogue are relative to.
const repoRoot = "../.."

// runExample runs one catalogue example end to end through the CLI, as a
// user would: a directory holding ent.yaml is audited; anything else is
// given to `check <area>`. Extra flags come from a sidecar file named
// after the example with ".args" appended.
func runExample(t *testing.T, area rules.Area, path string, extra ...string) (*result.Result, int, string) {
	t.Helper()
	_, args, _ := exampleArgs(area, path)
	if full := filepath.Join(repoRoot, path); area == rules.AreaSecurity && securitytest.Served(full) {
		// A login page of the security area is served by a local https
		// server, as its first comment says; the file alone is a saved
		// copy (the golden runs read it so).
		u, ca := securitytest.Serve(t, full)
		args = []string{"check", string(area), u, "--allow-private-network", "--ca-file", ca}
	}
	args = append(args, extra...)
	args = append(args, "--format", "json", "--now", testNow)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, false)
	if code == 3 {
		t.Fatalf("%v: internal error: %s", args, stderr.String())
	}
	var res result.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("%v: exit %d, output is not JSON: %v\nstderr: %s", args, code, err, stderr.String())
	}
	return &res, code, stderr.String()
}

func statuses(res *result.Result, rule string) []result.Status {
	var out []result.Status
	for _, f := range res.Results {
		if f.Rule == rule {
			out = append(out, f.Status)
		}
	}
	return out
}

func has(ss []result.Status, want ...result.Status) bool {
	for _, s := range ss {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}

// TestExamples runs every rule's good and bad fixtures end to end: a good
// example passes the rule (and nothing of it fails), a bad one makes it
// fail or warn, and every inline "want" expectation in a fixture holds.
func TestExamples(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			if len(r.Examples.Good) == 0 || len(r.Examples.Bad) == 0 {
				t.Fatalf("%s needs at least one good and one bad example", r.ID)
			}
			for _, g := range r.Examples.Good {
				res, _, stderr := runExample(t, r.Area, g)
				st := statuses(res, r.ID)
				if !has(st, result.Pass) || has(st, result.Fail, result.Warn, result.Error) {
					t.Errorf("good example %s: %s gave %v, want pass only\nstderr: %s", g, r.ID, st, stderr)
				}
				checkWants(t, res, g)
			}
			for _, b := range r.Examples.Bad {
				res, _, stderr := runExample(t, r.Area, b)
				st := statuses(res, r.ID)
				if !has(st, result.Fail, result.Warn) {
					t.Errorf("bad example %s: %s gave %v, want fail or warn\nstderr: %s", b, r.ID, st, stderr)
				}
				checkWants(t, res, b)
			}
		})
	}
}

// checkWants checks the inline expectations of an example (the shared
// reading of checkstest, which the area tests use on the same fixtures).
func checkWants(t *testing.T, res *result.Result, path string) {
	t.Helper()
	for _, w := range checkstest.Wants(t, path) {
		if st := statuses(res, w.Rule); !has(st, w.Status) {
			t.Errorf("%s: got %v", w, st)
		}
	}
}

// TestEveryRuleReports audits the sample dossier and checks that every
// rule of the catalogue reports an outcome (pass, fail, warn, skip with its
// reason, or error): no rule is silently left out.
func TestEveryRuleReports(t *testing.T) {
	res, _, stderr := runExample(t, rules.AreaDossier, "fixtures/dossiers/conforme")
	for _, r := range rules.All() {
		if len(statuses(res, r.ID)) == 0 {
			t.Errorf("%s: no finding on the sample dossier (stderr: %s)", r.ID, stderr)
		}
	}
	for _, f := range res.Results {
		if f.Message == "" {
			t.Errorf("%s: empty message", f.Rule)
		}
	}
}

// TestSampleDossiers audits the bundled dossiers as the README does and
// checks the verdict and exit code fixtures/dossiers/verdicts.yaml gives
// each, and the inline expectations of each.
func TestSampleDossiers(t *testing.T) {
	for _, c := range checkstest.DossierVerdicts(t) {
		res, code, stderr := runExample(t, rules.AreaDossier, c.Path())
		if res.Verdict != c.Verdict || code != c.Exit {
			t.Errorf("%s: verdict %s exit %d, want %s exit %d\nstderr: %s", c.Path(), res.Verdict, code, c.Verdict, c.Exit, stderr)
		}
		checkWants(t, res, c.Path())
	}
}
