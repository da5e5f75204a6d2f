package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// The real-world corpus: public artifacts that nobody here wrote, each with
// the outcome a DSDEN data-protection officer and a SAML engineer expect of
// the rules that matter, written before running the tool. See
// docs/realworld.md for the format and the agreement table this test keeps.

const (
	corpusRoot = "../../fixtures/realworld"
	corpusDoc  = "../../docs/realworld.md"
	// corpusNow is the clock of every corpus run: expiry rules are judged
	// on that date, whatever the day the test runs.
	corpusNow = "2026-12-01T12:00:00Z"
)

var updateCorpusDoc = flag.Bool("update-corpus", false, "rewrite docs/realworld.md from the corpus run")

// expectFile is the sidecar X.expect.yaml of an artifact X.
type expectFile struct {
	Source  string            `yaml:"source"`
	Licence string            `yaml:"licence"`
	Product string            `yaml:"product"`
	Edits   string            `yaml:"edits"`
	Args    []string          `yaml:"args"`
	Expect  map[string]string `yaml:"expect"`
	Why     map[string]string `yaml:"why"`
	Known   map[string]string `yaml:"known"`
}

// corpusAreas maps a folder of the corpus to the `check` area that reads
// its artifacts.
var corpusAreas = map[string]string{"accessibility": "accessibility", "contract": "contract", "saml": "saml", "page": "page", "notice": "notice", "gar": "gar", "mapping": "mapping", "sso": "sso"}

var expectKey = regexp.MustCompile(`^([A-Z]+(?:-[A-Z0-9]+)*-[0-9]{3})(?:\[([^\]]+)\])?$`)

var corpusStatuses = map[string]bool{"pass": true, "fail": true, "warn": true, "skip": true, "error": true, "not-evaluated": true, "absent": true}

// worstFirst orders statuses as summary.rules does: fail > error >
// not-evaluated > warn > pass > skip; "absent" (no finding) ranks last.
func worstRank(s string) int {
	switch s {
	case "fail":
		return 6
	case "error":
		return 5
	case "not-evaluated":
		return 4
	case "warn":
		return 3
	case "pass":
		return 2
	case "skip":
		return 1
	}
	return 0
}

// severityOf places a status on the scale a reader judges by: how bad the
// tool says things are. A false fail is the tool harsher than the
// expectation, a false pass more lenient; error and not-evaluated are no
// judgement and count as "other" when they disagree.
func judgement(s string) (int, bool) {
	switch s {
	case "pass", "skip", "absent":
		return 0, true
	case "warn":
		return 1, true
	case "fail":
		return 2, true
	}
	return 0, false
}

// corpusOutcome is the status a key gets in a result: the worst status of
// the rule's findings, or of those whose item matches. As in
// the verdict of an audit sur pièces, a finding only an audit en ligne
// could judge (live_only: the TLS of a saved copy) is set aside when the
// copy itself was judged; it ranks just below a pass: the corpus is saved
// copies, and what the copy shows is the expectation.
func corpusOutcome(res *result.Result, rule, item string) string {
	got, gotRank := "absent", 0
	for _, f := range res.Results {
		if f.Rule != rule || (item != "" && f.Item != item) {
			continue
		}
		r := 2 * worstRank(string(f.Status))
		if f.Status == result.NotEvaluated && f.LiveOnly {
			r = 2*worstRank("pass") - 1
		}
		if r > gotRank {
			got, gotRank = string(f.Status), r
		}
	}
	return got
}

type corpusRow struct{ artifacts, agree, falseFail, falsePass, other int }

type corpusArtifact struct {
	area, path string // path relative to corpusRoot
	exp        expectFile
}

func loadCorpus(t *testing.T) []corpusArtifact {
	t.Helper()
	var out []corpusArtifact
	err := filepath.WalkDir(corpusRoot, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".expect.yaml") {
			return nil
		}
		rel, _ := filepath.Rel(corpusRoot, p)
		area := strings.Split(filepath.ToSlash(rel), "/")[0]
		if _, ok := corpusAreas[area]; !ok {
			t.Errorf("%s: not under one of the corpus areas %v", rel, sortedKeys(corpusAreas))
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var e expectFile
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&e); err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		art := strings.TrimSuffix(rel, ".expect.yaml")
		if _, err := os.Stat(filepath.Join(corpusRoot, art)); err != nil {
			t.Errorf("%s: the artifact %s is missing", rel, art)
			return nil
		}
		if strings.TrimSpace(e.Source) == "" || strings.TrimSpace(e.Licence) == "" || strings.TrimSpace(e.Edits) == "" {
			t.Errorf("%s: source, licence and edits are required (say \"none\" when nothing was edited)", rel)
		}
		if len(e.Expect) == 0 {
			t.Errorf("%s: no expectation", rel)
		}
		for k, v := range e.Expect {
			if !expectKey.MatchString(k) {
				t.Errorf("%s: %q is not RULE-ID or RULE-ID[item]", rel, k)
			}
			if !corpusStatuses[v] {
				t.Errorf("%s: %s: unknown status %q", rel, k, v)
			}
		}
		for k := range e.Known {
			if _, ok := e.Expect[k]; !ok {
				t.Errorf("%s: known disagreement %s has no expectation", rel, k)
			}
		}
		out = append(out, corpusArtifact{area: area, path: art, exp: e})
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// corpusArgs builds the command line of an artifact: its extra arguments
// that name a file beside it are made relative to the test's directory.
func corpusArgs(a corpusArtifact) []string {
	dir := filepath.Join(corpusRoot, filepath.Dir(a.path))
	args := []string{"check", corpusAreas[a.area], filepath.Join(corpusRoot, a.path)}
	for _, x := range a.exp.Args {
		if !strings.HasPrefix(x, "-") && !strings.Contains(x, "://") {
			if _, err := os.Stat(filepath.Join(dir, x)); err == nil {
				x = filepath.Join(dir, x)
			}
		}
		args = append(args, x)
	}
	return append(args, "--format", "json", "--now", corpusNow, "--lang", "en")
}

// TestRealWorldCorpus runs every artifact of fixtures/realworld and compares
// each expectation with what the tool says. A disagreement fails the test
// unless the expectation file lists it under "known" with a reason; a known
// disagreement that now agrees fails too, so the list stays true. The
// per-rule agreement table is docs/realworld.md (-update-corpus rewrites it).
func TestRealWorldCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped in -short mode")
	}
	corpus := loadCorpus(t)
	rows := map[string]*corpusRow{}
	perArea := map[string]int{}
	var disagreements []string
	for _, a := range corpus {
		perArea[a.area]++
		args := corpusArgs(a)
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, &stdout, &stderr, false)
		if code == 3 {
			t.Errorf("%s: internal error: %s", a.path, stderr.String())
			continue
		}
		var res result.Result
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			t.Errorf("%s: exit %d, output is not JSON: %v\nstderr: %s", a.path, code, err, stderr.String())
			continue
		}
		for _, k := range sortedKeys(a.exp.Expect) {
			want := a.exp.Expect[k]
			m := expectKey.FindStringSubmatch(k)
			got := corpusOutcome(&res, m[1], m[2])
			row := rows[m[1]]
			if row == nil {
				row = &corpusRow{}
				rows[m[1]] = row
			}
			row.artifacts++
			reason, known := a.exp.Known[k]
			if got == want {
				row.agree++
				if known {
					t.Errorf("%s: %s now agrees (%s): remove it from known", a.path, k, got)
				}
				continue
			}
			gj, gok := judgement(got)
			wj, wok := judgement(want)
			switch {
			case gok && wok && gj > wj:
				row.falseFail++
			case gok && wok && gj < wj:
				row.falsePass++
			default:
				row.other++
			}
			line := fmt.Sprintf("%s: %s: tool says %s, expected %s", a.path, k, got, want)
			if w := a.exp.Why[k]; w != "" {
				line += " (" + w + ")"
			}
			if known {
				disagreements = append(disagreements, line+" [known: "+reason+"]")
				continue
			}
			t.Errorf("%s\nfindings of %s:\n%s", line, m[1], findingsOf(&res, m[1]))
		}
	}
	doc := corpusTable(corpus, perArea, rows, disagreements)
	if *updateCorpusDoc {
		if err := os.WriteFile(corpusDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	cur, err := os.ReadFile(corpusDoc)
	if err != nil || string(cur) != doc {
		t.Errorf("docs/realworld.md is not current: run go test ./cmd/sdetcheck -run TestRealWorldCorpus -update-corpus")
	}
}

func findingsOf(res *result.Result, rule string) string {
	var b strings.Builder
	for _, f := range res.Results {
		if f.Rule == rule {
			msg := f.MessageEN
			if msg == "" {
				msg = f.Message
			}
			fmt.Fprintf(&b, "  %s [%s] %s\n", f.Status, f.Item, msg)
		}
	}
	return b.String()
}

func corpusTable(corpus []corpusArtifact, perArea map[string]int, rows map[string]*corpusRow, known []string) string {
	var b strings.Builder
	b.WriteString(`# Real-world corpus: per-rule agreement

Generated by ` + "`go test ./cmd/sdetcheck -run TestRealWorldCorpus -update-corpus`" + `; do not edit by hand.

The corpus (` + "`fixtures/realworld/`" + `) holds public artifacts nobody on this project wrote: IdP
metadata of SAML products, login and home pages of ENTs and public services, French information notices and
ENT charters, GAR feeds in the exact shape of public connectors (fake people), SAML responses of identity
providers from the test suites of SAML libraries with their IdP metadata. Beside each artifact ` + "`X`" + `,
` + "`X.expect.yaml`" + ` gives its source, licence and edits, and the outcome a DSDEN data-protection officer and a
SAML engineer expect of each rule that matters, written by reading the artifact before running the tool:

` + "```yaml" + `
source: "github.com/owner/repo@<commit>:path"   # or an https URL with the date retrieved
licence: "Apache-2.0"
product: "Keycloak 24"
edits: "none"                                   # or exactly what was changed
args: ["--reference", "validee.html"]           # optional, paths relative to the artifact
expect:
  SAML-010: warn                                # worst status over the rule's findings
  NOTICE-001[dpo]: pass                         # the findings whose "item" is dpo
why:
  SAML-010: "no NameIDFormat advertised: nothing to conclude"
known:                                          # disagreements not fixed yet, with the reason
` + "```" + `

Each artifact is run as ` + "`sdetcheck check AREA X [args] --format json --now " + corpusNow + "`" + `.
A *false fail* is the tool harsher than expected (fail where pass or warn was expected, warn where pass was);
a *false pass* is the tool more lenient; *other* is an error or not-evaluated where a judgement was expected,
or the reverse. The test fails on any disagreement not listed under ` + "`known`" + `. Before calling a rule
change done, run the corpus and read what changed.

`)
	fmt.Fprintf(&b, "## Artifacts\n\n| area | artifacts |\n|---|---|\n")
	for _, a := range sortedKeys(perArea) {
		fmt.Fprintf(&b, "| %s | %d |\n", a, perArea[a])
	}
	b.WriteString("\n| artifact | product | source | licence |\n|---|---|---|---|\n")
	for _, a := range corpus {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", a.path, cell(a.exp.Product), cell(a.exp.Source), cell(a.exp.Licence))
	}
	b.WriteString("\n## Agreement per rule\n\n| rule | expectations | agree | false fail | false pass | other |\n|---|---|---|---|---|---|\n")
	var tot corpusRow
	for _, r := range sortedKeys(rows) {
		row := rows[r]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", r, row.artifacts, row.agree, row.falseFail, row.falsePass, row.other)
		tot.artifacts += row.artifacts
		tot.agree += row.agree
		tot.falseFail += row.falseFail
		tot.falsePass += row.falsePass
		tot.other += row.other
	}
	fmt.Fprintf(&b, "| **all** | %d | %d | %d | %d | %d |\n", tot.artifacts, tot.agree, tot.falseFail, tot.falsePass, tot.other)
	b.WriteString("\n## Known disagreements\n\n")
	if len(known) == 0 {
		b.WriteString("None.\n")
	}
	for _, k := range known {
		fmt.Fprintf(&b, "- %s\n", k)
	}
	return b.String()
}

func cell(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\n", " ")
	return strings.ReplaceAll(s, "|", "\\|")
}
