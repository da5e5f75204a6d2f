package checkstest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Now is the clock of every fixture run (certificate expiry, validUntil,
// assertion lifetimes), so that expiry rules are stable whatever the day
// the tests run. The command-line example tests pass it as --now.
var Now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// NowRFC3339 is Now as --now takes it.
const NowRFC3339 = "2026-11-23T12:00:00Z"

// WantRe finds the inline expectations of a fixture: "want RULE-ID
// status", in any comment syntax the fixture's format has (an XML or HTML
// comment, a YAML comment, a JSON "comment" string where they are
// separated by ";").
var WantRe = regexp.MustCompile(`\bwant ([A-Z]+(?:-[A-Z0-9]+)*-[0-9]{3}) (pass|fail|warn|skip|error|not-evaluated)(?:[\s;,"]|$|-->)`)

// Want is one inline expectation: the rule has a finding with that status.
type Want struct {
	Rule   string
	Status result.Status
	// File is where the expectation is written, relative to the
	// repository root.
	File string
}

func (w Want) String() string { return fmt.Sprintf("want %s %s (%s)", w.Rule, w.Status, w.File) }

// maxFixture bounds what Wants reads of one file: fixtures are small, and a
// large file (an archive) holds no expectation.
const maxFixture = 1 << 20

// Wants collects the inline expectations of a fixture: a file, or every
// file below a directory. path is relative to the repository root.
func Wants(t testing.TB, path string) []Want {
	t.Helper()
	root := Root(t)
	var out []Want
	err := filepath.WalkDir(filepath.Join(root, path), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err != nil || info.Size() > maxFixture {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		for _, m := range WantRe.FindAllSubmatch(data, -1) {
			out = append(out, Want{Rule: string(m[1]), Status: result.Status(m[2]), File: filepath.ToSlash(rel)})
		}
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// Root is the repository root (the directory holding go.mod), where the
// catalogue's fixture paths are relative to, as a path relative to the
// test's working directory ("../.." for a package two levels down), so
// that findings name fixtures as the command line run from there would.
func Root(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for dir := wd; ; {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				rootDir, rootErr = filepath.Rel(wd, dir)
				return
			}
			up := filepath.Dir(dir)
			if up == dir {
				rootErr = fmt.Errorf("no go.mod above the test's directory")
				return
			}
			dir = up
		}
	})
	if rootErr != nil {
		t.Fatal(rootErr)
	}
	return rootDir
}

// Args reads the sidecar of a fixture (its path with ".args" appended):
// the command-line options its example runs with, "$ROOT" standing for
// the repository root. A fixture without a sidecar has no options.
func Args(t testing.TB, path string) []string {
	t.Helper()
	root := Root(t)
	data, err := os.ReadFile(filepath.Join(root, strings.TrimSuffix(path, "/")+".args"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range strings.Fields(string(data)) {
		out = append(out, strings.ReplaceAll(a, "$ROOT", root))
	}
	return out
}

// Options maps command-line options, as a sidecar holds them, to what the
// command line gives the checks (cmd/sdetcheck's cmdRun does the same for
// a real run). An option the checks do not see (--format, --lang…) is an
// error: a sidecar holds what the example needs, nothing else.
func Options(args []string) (checks.Options, error) {
	var o checks.Options
	str := map[string]*string{
		"id-ent":           &o.IDEnt,
		"reference":        &o.NoticeReference,
		"aaf":              &o.AAFDir,
		"gar":              &o.GARDir,
		"metadata":         &o.SSOMetadata,
		"gar-sp-entity-id": &o.GARSPEntityID,
		"gar-sp-acs":       &o.GARSPACS,
		"xsd-engine":       &o.XSDEngine,
		"degree":           &o.Degree,
		"security-doc":     &o.SecurityDoc,
		"geoip":            &o.GeoIP,
	}
	flags := map[string]*bool{
		"allow-http":            &o.AllowHTTP,
		"allow-private-network": &o.AllowPrivateNetwork,
		"render":                &o.Render,
	}
	for i := 0; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") {
			return o, fmt.Errorf("%q: an option is expected, not an argument", args[i])
		}
		if p, ok := flags[name]; ok {
			*p = !hasValue || value == "true"
			continue
		}
		p, ok := str[name]
		if !ok {
			return o, fmt.Errorf("%s: not an option of the checks", args[i])
		}
		if !hasValue {
			if i+1 == len(args) {
				return o, fmt.Errorf("%s: value missing", args[i])
			}
			i++
			value = args[i]
		}
		*p = value
	}
	if o.Degree != "" {
		o.Degree = strings.ToUpper(o.Degree)
	}
	return o, nil
}

// Env is the environment a fixture runs in: the fixed clock Now, a loader
// of local files and the options of its sidecar.
func Env(t testing.TB, path string) *checks.Env {
	t.Helper()
	opts, err := Options(Args(t, path))
	if err != nil {
		t.Fatalf("%s.args: %v", path, err)
	}
	return &checks.Env{Ctx: t.Context(), Loader: &input.Loader{}, Now: Now, Opts: opts}
}

// CheckFunc is an area's check, as the audit engine calls it.
type CheckFunc func(env *checks.Env, src string) []result.Finding

// Expect is what a fixture must give beside its inline expectations.
type Expect struct {
	// Pass lists rules the fixture passes: a pass and no fail, warning or
	// error (a good example of the catalogue).
	Pass []*rules.Rule
	// Fail lists rules the fixture breaks: a fail or a warning (a bad
	// example of the catalogue).
	Fail []*rules.Rule
}

// Run runs check directly (no command line, no audit engine) on each
// fixture (a path relative to the repository root, with its optional
// ".args" sidecar), in parallel, and checks every inline expectation of
// the fixture: "want RULE-ID status" holds when the rule has a finding
// with that status (Holds).
func Run(t *testing.T, check CheckFunc, paths ...string) {
	t.Helper()
	fixtures := map[string]Expect{}
	for _, p := range paths {
		fixtures[p] = Expect{}
	}
	RunExpect(t, check, fixtures)
}

// RunExpect is Run with, for each fixture, expectations of its own beside
// the inline ones (see Expect). A fixture with neither is an error: it
// proves nothing.
func RunExpect(t *testing.T, check CheckFunc, fixtures map[string]Expect) {
	t.Helper()
	if len(fixtures) == 0 {
		t.Fatal("no fixture")
	}
	paths := make([]string, 0, len(fixtures))
	for p := range fixtures {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		exp := fixtures[path]
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			wants := Wants(t, path)
			if len(wants) == 0 && len(exp.Pass) == 0 && len(exp.Fail) == 0 {
				t.Fatal("no expectation: the fixture has no \"want RULE-ID status\" line")
			}
			fs := check(Env(t, path), filepath.Join(Root(t), path))
			Findings(t, fs)
			Compare(t, fs, wants, exp)
		})
	}
}

// Compare checks findings against inline expectations and exp. When one
// does not hold, it says what the rule got, and lists the failures and
// errors no expectation accounts for (the likely cause, or a rule the
// fixture breaks without saying so); when all hold, it logs them.
func Compare(t testing.TB, fs []result.Finding, wants []Want, exp Expect) {
	t.Helper()
	byRule := map[string][]result.Finding{}
	for _, f := range fs {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	expected := map[string]bool{}
	failed := false
	miss := func(format string, args ...any) {
		t.Helper()
		failed = true
		t.Errorf(format, args...)
	}
	for _, w := range wants {
		expected[w.Rule] = true
		if !Holds(byRule[w.Rule], w.Status) {
			miss("%s: got %s", w, describe(byRule[w.Rule]))
		}
	}
	for _, r := range exp.Pass {
		expected[r.ID] = true
		if !passesOnly(byRule[r.ID]) {
			miss("good example of %s: got %s, want pass only", r.ID, describe(byRule[r.ID]))
		}
	}
	for _, r := range exp.Fail {
		expected[r.ID] = true
		if !Holds(byRule[r.ID], result.Fail) && !Holds(byRule[r.ID], result.Warn) {
			miss("bad example of %s: got %s, want fail or warn", r.ID, describe(byRule[r.ID]))
		}
	}
	var extra []string
	for _, f := range fs {
		if !expected[f.Rule] && (f.Status == result.Fail || f.Status == result.Error) {
			extra = append(extra, fmt.Sprintf("  %s %s: %s", f.Rule, f.Status, f.MessageEN))
		}
	}
	switch {
	case len(extra) == 0:
	case failed:
		t.Errorf("failures and errors no expectation mentions:\n%s", strings.Join(extra, "\n"))
	default:
		// A fixture made to break one rule often breaks others on the
		// way (an unsigned document, an unreadable one): said, not an
		// error.
		t.Logf("failures and errors no expectation mentions (not an error):\n%s", strings.Join(extra, "\n"))
	}
}

// Holds says whether a rule's findings meet "want status": one of them
// has that status (a rule judged item by item can pass some and fail
// others: "want NOTICE-001 pass" and "want NOTICE-001 fail" both hold).
func Holds(fs []result.Finding, status result.Status) bool {
	for _, f := range fs {
		if f.Status == status {
			return true
		}
	}
	return false
}

// passesOnly says whether a rule passes and nothing of it fails, warns or
// errs: what a good example of the catalogue gives.
func passesOnly(fs []result.Finding) bool {
	for _, f := range fs {
		if f.Status == result.Fail || f.Status == result.Warn || f.Status == result.Error {
			return false
		}
	}
	return Holds(fs, result.Pass)
}

func describe(fs []result.Finding) string {
	if len(fs) == 0 {
		return "no finding"
	}
	var parts []string
	for _, f := range fs {
		s := string(f.Status)
		if f.Item != "" {
			s += " [" + f.Item + "]"
		}
		parts = append(parts, s+" ("+f.MessageEN+")")
	}
	return strings.Join(parts, "; ")
}

// Examples gathers the fixtures of an area: the catalogue's good and bad
// examples of its rules (each expected to pass or break its rule), and
// every other fixture below fixtures/<area>/ or fixtures/realworld/<area>/
// that holds an inline expectation. Dossiers (directories holding
// ent.yaml) are left out: the audit of a whole dossier is the command
// line's test.
func Examples(t testing.TB, area rules.Area) map[string]Expect {
	t.Helper()
	root := Root(t)
	out := map[string]Expect{}
	for _, r := range rules.InArea(area) {
		for _, p := range r.Examples.Good {
			if !isDossier(root, p) {
				e := out[p]
				e.Pass = append(e.Pass, r)
				out[p] = e
			}
		}
		for _, p := range r.Examples.Bad {
			if !isDossier(root, p) {
				e := out[p]
				e.Fail = append(e.Fail, r)
				out[p] = e
			}
		}
	}
	covered := func(rel string) bool {
		for p := range out {
			if rel == p || strings.HasPrefix(rel, strings.TrimSuffix(p, "/")+"/") {
				return true
			}
		}
		return false
	}
	for _, dir := range []string{"fixtures/" + string(area), "fixtures/realworld/" + string(area)} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if os.IsNotExist(err) {
				return nil
			}
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() {
				if isDossier(root, rel) || covered(rel) || d.Name() == "gen" {
					return filepath.SkipDir
				}
				return nil
			}
			if covered(rel) {
				return nil
			}
			if info, err := d.Info(); err != nil || info.Size() > maxFixture {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if WantRe.Match(data) {
				out[unit(area, rel)] = Expect{}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
	}
	return out
}

// unit is the fixture a file with inline expectations belongs to: the
// file itself, or for a GAR feed (split files in a directory) the
// directory holding it.
func unit(area rules.Area, rel string) string {
	if area == rules.AreaGAR {
		return filepath.ToSlash(filepath.Dir(rel))
	}
	return rel
}

func isDossier(root, path string) bool {
	_, err := os.Stat(filepath.Join(root, path, "ent.yaml"))
	return err == nil
}

// RunArea runs check on every fixture of area (see Examples).
func RunArea(t *testing.T, area rules.Area, check CheckFunc) {
	t.Helper()
	RunExpect(t, check, Examples(t, area))
}
