package gar

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The files of a phase are read by several workers at once, so a later
// file can be visited before an earlier one: the findings must not depend
// on it. Here every establishment, person and responsable is once in a
// file and twice in the next one; the files are visited in name order,
// then in reverse order (what two workers may do).
func TestFindingsIndependentOfVisitOrder(t *testing.T) {
	for _, oneLine := range []bool{false, true} {
		name := "one record per line"
		if oneLine {
			// Every violation of the later file is then on line 1: their
			// order cannot come from the lines.
			name = "later file on one line"
		}
		t.Run(name, func(t *testing.T) { visitOrder(t, oneLine) })
	}
}

func visitOrder(t *testing.T, oneLine bool) {
	dir := t.TempDir()
	good := "../../fixtures/gar/good"
	ents, err := os.ReadDir(good)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(good, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(e.Name(), "_Groupe_") {
			continue
		}
		// The same records twice in one later file.
		lines := strings.SplitAfter(string(data), "\n")
		var i, j int
		for i = 0; i < len(lines) && !strings.Contains(lines[i], "<men:GAR-ENT-"); i++ {
		}
		for j = len(lines) - 1; j > i && !strings.Contains(lines[j], "</men:GAR-ENT-"); j-- {
		}
		if i >= j {
			t.Fatalf("%s: no root element found", e.Name())
		}
		body := strings.Join(lines[i+1:j], "")
		twice := strings.Join(lines[:i+1], "") + body + body + strings.Join(lines[j:], "")
		if oneLine {
			twice = strings.ReplaceAll(twice, "\n", "") + "\n"
		}
		name := strings.Replace(e.Name(), "_0000.xml", "_0001.xml", 1)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(twice), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inOrder := findingsBothOrders(t, dir)
	for _, r := range []string{"GAR-006", "GAR-007"} {
		if len(inOrder[r]) == 0 {
			t.Fatalf("no %s duplicate found: the test proves nothing", r)
		}
	}
}

// A link read in the same phase as the persons (GARPersonMEF in a pupils'
// file) or the groups (GAREnsGroupeMatiere) gets the same verdict
// whichever copy of a duplicated person or group a worker read first:
// here a later file redefines a pupil in another UAI and a division as a
// group, and links to them there.
func TestLinksToDuplicatesIndependentOfVisitOrder(t *testing.T) {
	dir := t.TempDir()
	good := "../../fixtures/gar/good"
	ents, err := os.ReadDir(good)
	if err != nil {
		t.Fatal(err)
	}
	firstLine := func(data, prefix string) string {
		for _, l := range strings.Split(data, "\n") {
			if strings.HasPrefix(l, prefix) {
				return l + "\n"
			}
		}
		t.Fatalf("no line starting with %s", prefix)
		return ""
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(good, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
		var body string
		switch {
		case strings.Contains(e.Name(), "_Eleve_"):
			body = strings.ReplaceAll(firstLine(string(data), "<men:GAREleve>")+firstLine(string(data), "<men:GARPersonMEF>"), "0861001W", "0861002X")
		case strings.Contains(e.Name(), "_Groupe_"):
			body = strings.Replace(firstLine(string(data), "<men:GARGroupe>"), ">DIVISION<", ">GROUPE<", 1)
			body += strings.Replace(firstLine(string(data), "<men:GAREnsGroupeMatiere>"), ">GR-LV2-000<", ">6A<", 1)
		default:
			continue
		}
		lines := strings.SplitAfter(string(data), "\n")
		doc := lines[0] + lines[1] + body + firstLine(string(data), "</men:GAR-ENT-")
		name := strings.Replace(e.Name(), "_0000.xml", "_0001.xml", 1)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	inOrder := findingsBothOrders(t, dir)
	if len(inOrder["GAR-007"]) == 0 {
		t.Fatal("no GAR-007 duplicate found: the feed is not the one meant")
	}
}

// findingsBothOrders visits the feed's files in name order, then in
// reverse order (with one worker, so that each order is the one given),
// fails the test if the findings differ and returns them.
func findingsBothOrders(t *testing.T, dir string) map[string][]result.Finding {
	t.Helper()
	env := newEnv()
	f, err := garfeed.Open(env.Context(), env.Loader, dir, garfeed.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Cleanup()
	key, err := garfeed.PseudonymKey(f.Members)
	if err != nil {
		t.Fatal(err)
	}
	pseudo := mask.NewPseudonymizer(key)
	visit := func(ms []garfeed.Member) map[string][]result.Finding {
		s := newState(dir, pseudo)
		vis := &visitor{s: s, now: env.Now}
		if _, err := scanWith(env.Context(), env.Loader, ms, garfeed.DefaultLimits, garfeed.Engine{Name: garfeed.EngineGo}, s, vis.visit, 1); err != nil {
			t.Fatal(err)
		}
		s.finish()
		out := map[string][]result.Finding{}
		for _, r := range []*rules.Rule{rules.GAR006, rules.GAR007, rules.GAR008, rules.GAR009, rules.GAR010, rules.GAR011, rules.GAR012, rules.GAR013, rules.GAR014, rules.GAR015} {
			out[r.ID] = s.viol.findings(r)
		}
		return out
	}
	inOrder := visit(f.Members)
	reversed := slices.Clone(f.Members)
	slices.Reverse(reversed)
	if diff := cmp.Diff(inOrder, visit(reversed)); diff != "" {
		t.Errorf("findings depend on the order files are visited (-name order +reverse):\n%s", diff)
	}
	return inOrder
}

// Every bad GAR example gives the same findings whatever the order its
// files are visited in.
func TestBadExamplesIndependentOfVisitOrder(t *testing.T) {
	dirs, _ := filepath.Glob("../../fixtures/gar/bad-*")
	dossiers, _ := filepath.Glob("../../fixtures/dossiers/*/gar")
	n := 0
	for _, d := range append(dirs, dossiers...) {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			continue
		}
		n++
		t.Run(strings.TrimPrefix(d, "../../fixtures/"), func(t *testing.T) { findingsBothOrders(t, d) })
	}
	if n < 10 {
		t.Fatalf("only %d feeds", n)
	}
}
