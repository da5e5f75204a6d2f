package areas

import (
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/manifest"
	"github.com/sdetcheck/sdetcheck/rules"
)

// both fails t unless txt is written in both languages (or, when empty is
// allowed, in neither).
func both(t *testing.T, what string, txt rules.Text, emptyOK bool) {
	t.Helper()
	fr, en := strings.TrimSpace(txt.FR) != "", strings.TrimSpace(txt.EN) != ""
	if (!fr || !en) && !(emptyOK && !fr && !en) {
		t.Errorf("%s: French %q and English %q both needed", what, txt.FR, txt.EN)
	}
}

// TestDescriptors validates every area's descriptor against the catalogue,
// the manifest and each other.
func TestDescriptors(t *testing.T) {
	seen := map[rules.Area]bool{}
	for _, a := range All() {
		id := string(a.ID)
		if id == "" || seen[a.ID] {
			t.Errorf("area %q: empty or duplicate ID", id)
		}
		seen[a.ID] = true
		both(t, id+": title", a.Title, false)
		both(t, id+": short title", a.Short, false)
		both(t, id+": method", a.Method, false)
		if len(rules.InArea(a.ID)) == 0 {
			t.Errorf("%s: no rule in the catalogue", id)
		}
		items := false
		for _, r := range rules.InArea(a.ID) {
			items = items || r.Items != nil
		}
		// The report heads the checklist of a rule with items by the
		// area's Checklist.
		both(t, id+": checklist heading", a.Checklist, !items)
		if a.ID != rules.AreaDossier {
			// Every area but the engine's own can be run alone and is
			// run by an audit.
			if a.Check == nil || a.Check.Run == nil {
				t.Errorf("%s: not runnable by `sdetcheck check`", id)
			}
			if a.Audit == nil {
				t.Errorf("%s: not run by an audit", id)
			}
		}
		if c := a.Check; c != nil {
			both(t, id+": check piece", c.Piece, false)
			both(t, id+": check arguments", c.Args, false)
			both(t, id+": check about", c.About, true)
			if strings.Count(c.Args.FR, "\n") != strings.Count(c.Args.EN, "\n") {
				t.Errorf("%s: check arguments on a different number of lines in French and English", id)
			}
		}
	}
	for _, r := range rules.All() {
		if _, ok := Lookup(r.Area); !ok {
			t.Errorf("%s: area %q has no descriptor", r.ID, r.Area)
		}
	}
}

// TestAudits: every audit run of a descriptor is listed once in the
// audit's order, reads pieces the manifest knows, and no piece is required
// by two runs (DOSSIER-001 would name it twice): a piece two runs read is
// optional for all but one (checks.Piece.Optional) and has the same name
// in each.
func TestAudits(t *testing.T) {
	listed := map[*checks.Audit]int{}
	for _, run := range Audits() {
		listed[run]++
	}
	for run, n := range listed {
		if n > 1 {
			t.Errorf("audit run of %v listed %d times", ids(Of(run)), n)
		}
		if len(Of(run)) == 0 {
			t.Errorf("audit run reading %v: no area names it", run.Pieces)
		}
	}
	for _, a := range All() {
		if a.Audit != nil && listed[a.Audit] == 0 {
			t.Errorf("%s: its audit run is not in the registry's list of runs", a.ID)
		}
	}
	required := map[string]bool{}
	named := map[string]rules.Text{}
	for _, run := range Audits() {
		if run.Run == nil || len(run.Pieces) == 0 {
			t.Errorf("audit run of %v: no run or no piece", ids(Of(run)))
		}
		for _, p := range run.Pieces {
			if !p.Optional {
				if required[p.Key] {
					t.Errorf("piece %q required by two audit runs", p.Key)
				}
				required[p.Key] = true
			}
			if n, ok := named[p.Key]; ok && n != p.Name {
				t.Errorf("piece %q named %q and %q by two audit runs", p.Key, n.FR, p.Name.FR)
			}
			named[p.Key] = p.Name
			both(t, "piece "+p.Key, p.Name, false)
			if _, ok := (manifest.Evidence{}).Sources(p.Key); !ok {
				t.Errorf("piece %q: no such key under evidence: in ent.yaml (internal/manifest.Evidence)", p.Key)
			}
		}
	}
}

func ids(as []*checks.Area) []rules.Area {
	var out []rules.Area
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}
