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
			items = items || len(r.Items) > 0
		}
		both(t, id+": checklist title", a.Checklist, !items)
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
// audit's order and reads pieces the manifest knows; a piece is declared
// alike wherever it is read and required by one run at most; the rules
// said to read a piece are rules of the run's areas, and every rule of
// them reads a piece (so that a missing piece always leaves its mark).
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
			t.Errorf("audit run reading %v: no area names it", run.Reads)
		}
	}
	for _, a := range All() {
		if a.Audit != nil && listed[a.Audit] == 0 {
			t.Errorf("%s: its audit run is not in the registry's list of runs", a.ID)
		}
	}
	pieces := map[string]checks.Piece{}
	required := map[string]bool{}
	for _, run := range Audits() {
		if run.Run == nil || len(run.Reads) == 0 {
			t.Errorf("audit run of %v: no run or no piece", ids(Of(run)))
		}
		inRun := map[*rules.Rule]bool{}
		for _, a := range Of(run) {
			for _, r := range rules.InArea(a.ID) {
				inRun[r] = true
			}
		}
		read := map[*rules.Rule]bool{}
		keys := map[string]bool{}
		for _, rd := range run.Reads {
			p := rd.Piece
			if keys[p.Key] {
				t.Errorf("audit run of %v: piece %q read twice", ids(Of(run)), p.Key)
			}
			keys[p.Key] = true
			if q, ok := pieces[p.Key]; ok && q != p {
				t.Errorf("piece %q declared differently by two runs: %+v and %+v", p.Key, q, p)
			}
			pieces[p.Key] = p
			both(t, "piece "+p.Key, p.Name, false)
			if _, ok := (manifest.Evidence{}).Sources(p.Key); !ok {
				t.Errorf("piece %q: no such key under evidence: in ent.yaml (internal/manifest.Evidence)", p.Key)
			}
			if rd.Required() {
				if required[p.Key] {
					t.Errorf("piece %q required by two audit runs", p.Key)
				}
				required[p.Key] = true
				if p.Optional {
					t.Errorf("piece %q: optional, but a run cannot be made without it", p.Key)
				}
			}
			for r := range inRun {
				if rd.Reads(r) {
					read[r] = true
				}
			}
			for _, r := range rd.Rules {
				if !inRun[r] {
					t.Errorf("piece %q: read by %s, not a rule of %v", p.Key, r.ID, ids(Of(run)))
				}
			}
		}
		// a rule that reads no piece is judged by an area's cross step
		// that runs without them (Cross.Always)
		always := false
		for _, a := range Of(run) {
			always = always || (a.Cross != nil && a.Cross.Always)
		}
		for r := range inRun {
			if !read[r] && !always {
				t.Errorf("%s: reads no piece of its audit run", r.ID)
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

// TestCheckHelp: every area `check` runs documents its help in both
// languages (the CLI's `check ID --help` reads it).
func TestCheckHelp(t *testing.T) {
	for _, a := range Checkable() {
		if a.Check.Help.FR == "" || a.Check.Help.EN == "" {
			t.Errorf("%s: Check.Help missing in French or English", a.ID)
		}
	}
}
