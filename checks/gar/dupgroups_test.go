package gar

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// conflictFeed is a small hand-written 2D export (fake names) where group
// 3A is a DIVISION in Groupe_0000 and Groupe_0002 but a GROUPE in
// Groupe_0001, and group GR-LAT belongs to division 3A in Groupe_0000 but
// to 3B in Groupe_0001. Links name 3A as a division
// (GAREnsClasseMatiere, GARGroupeDivAppartenance of GR-ESP) and as a group
// (GAREnsGroupeMatiere). The establishment, a pupil (once in another
// school) and a responsable d'affectation are also described three times,
// in three files each, and a matière twice. The line of each record is
// fixed: the tests name them.
var conflictFeed = map[string]string{
	"Etab_0000":  etab + matiere + etab2,
	"Etab_0001":  etab + matiere,
	"Etab_0002":  etab,
	"Eleve_0000": pupil("e0000000000alix", "Exemple", "Alix", "Mme") + pupil("e0000000000loup", "Fictif", "Lou", "M."),
	// The pupil's second copy belongs to the second school; the link of
	// Eleve_0002:4 names it in that school.
	"Eleve_0001": pupilIn("0861002X", "e0000000000alix", "Exemple", "Alix", "Mme"),
	"Eleve_0002": pupil("e0000000000alix", "Exemple", "Alix", "Mme") +
		`<GARPersonMEF><GARStructureUAI>0861002X</GARStructureUAI><GARPersonIdentifiant>e0000000000alix</GARPersonIdentifiant><GARMEFCode>10310019110</GARMEFCode></GARPersonMEF>
`,
	"Enseignant_0000": `<GAREnseignant><GARPersonIdentifiant>t00000000camille</GARPersonIdentifiant><GARPersonProfils><GARStructureUAI>0861001W</GARStructureUAI><GARPersonProfil>National_ens</GARPersonProfil></GARPersonProfils><GARPersonNom>Essai</GARPersonNom><GARPersonPrenom>Camille</GARPersonPrenom><GARPersonCivilite>Mme</GARPersonCivilite><GARPersonStructRattach>0861001W</GARPersonStructRattach><GARPersonEtab>0861001W</GARPersonEtab><GARPersonDateNaissance>1981-01-25</GARPersonDateNaissance></GAREnseignant>
`,
	"RespAff_0000": respAff,
	"RespAff_0001": respAff,
	"RespAff_0002": respAff,
	// Line 3: 3A DIVISION; 4: GR-LAT in 3A; 5–6: links to 3A.
	"Groupe_0000": groupe("3A", "DIVISION") + groupe("GR-LAT", "GROUPE", "3A") +
		`<GARPersonGroupe><GARStructureUAI>0861001W</GARStructureUAI><GARPersonIdentifiant>e0000000000alix</GARPersonIdentifiant><GARGroupeCode>3A</GARGroupeCode></GARPersonGroupe>
<GAREnsClasseMatiere><GARStructureUAI>0861001W</GARStructureUAI><GARPersonIdentifiant>t00000000camille</GARPersonIdentifiant><GARGroupeCode>3A</GARGroupeCode><GARMatiereCode>030201</GARMatiereCode></GAREnsClasseMatiere>
`,
	// Line 3: 3B DIVISION; 4: 3A GROUPE in 3B; 5: GR-LAT in 3B; 6–7:
	// links to 3A; 8: GR-ESP in 3A.
	"Groupe_0001": groupe("3B", "DIVISION") + groupe("3A", "GROUPE", "3B") + groupe("GR-LAT", "GROUPE", "3B") +
		`<GARPersonGroupe><GARStructureUAI>0861001W</GARStructureUAI><GARPersonIdentifiant>e0000000000loup</GARPersonIdentifiant><GARGroupeCode>3A</GARGroupeCode></GARPersonGroupe>
<GAREnsGroupeMatiere><GARStructureUAI>0861001W</GARStructureUAI><GARPersonIdentifiant>t00000000camille</GARPersonIdentifiant><GARGroupeCode>3A</GARGroupeCode><GARMatiereCode>030201</GARMatiereCode></GAREnsGroupeMatiere>
` + groupe("GR-ESP", "GROUPE", "3A"),
	// Line 3: a third copy of 3A, identical to the first.
	"Groupe_0002": groupe("3A", "DIVISION"),
}

const (
	etab = `<GAREtab><GARStructureUAI>0861001W</GARStructureUAI><GARStructureNomCourant>COLLEGE FICTIF 1</GARStructureNomCourant><GARStructureContrat>PU</GARStructureContrat></GAREtab>
`
	// etab2 is a second school and one of its MEF (lines 5 and 6 of
	// Etab_0000).
	etab2 = `<GAREtab><GARStructureUAI>0861002X</GARStructureUAI><GARStructureNomCourant>COLLEGE FICTIF 2</GARStructureNomCourant><GARStructureContrat>PU</GARStructureContrat></GAREtab>
<GARMEF><GARStructureUAI>0861002X</GARStructureUAI><GARMEFCode>10310019110</GARMEFCode><GARMEFLibelle>3EME</GARMEFLibelle></GARMEF>
`
	matiere = `<GARMatiere><GARStructureUAI>0861001W</GARStructureUAI><GARMatiereCode>030201</GARMatiereCode><GARMatiereLibelle>ANGLAIS LV1</GARMatiereLibelle></GARMatiere>
`
	respAff = `<GARRespAff><GARPersonIdentifiant>t00000000camille</GARPersonIdentifiant><GARPersonNom>Essai</GARPersonNom><GARPersonPrenom>Camille</GARPersonPrenom><GARPersonCivilite>Mme</GARPersonCivilite><GARRespAffEtab>0861001W</GARRespAffEtab></GARRespAff>
`
)

func pupil(id, nom, prenom, civ string) string {
	return pupilIn("0861001W", id, nom, prenom, civ)
}

// pupilIn is a pupil of school uai.
func pupilIn(uai, id, nom, prenom, civ string) string {
	return `<GAREleve><GARPersonIdentifiant>` + id + `</GARPersonIdentifiant><GARPersonProfils><GARStructureUAI>` + uai + `</GARStructureUAI><GARPersonProfil>National_elv</GARPersonProfil></GARPersonProfils><GARPersonNom>` + nom + `</GARPersonNom><GARPersonPrenom>` + prenom + `</GARPersonPrenom><GARPersonCivilite>` + civ + `</GARPersonCivilite><GARPersonStructRattach>` + uai + `</GARPersonStructRattach><GARPersonEtab>` + uai + `</GARPersonEtab><GARPersonDateNaissance>2012-10-21</GARPersonDateNaissance></GAREleve>
`
}

func groupe(code, statut string, divs ...string) string {
	var b strings.Builder
	b.WriteString(`<GARGroupe><GARGroupeCode>` + code + `</GARGroupeCode><GARStructureUAI>0861001W</GARStructureUAI><GARGroupeLibelle>Groupe ` + code + `</GARGroupeLibelle><GARGroupeStatut>` + statut + `</GARGroupeStatut>`)
	for _, d := range divs {
		b.WriteString(`<GARGroupeDivAppartenance>` + d + `</GARGroupeDivAppartenance>`)
	}
	b.WriteString("</GARGroupe>\n")
	return b.String()
}

// writeConflictFeed writes conflictFeed in a temporary directory.
func writeConflictFeed(t *testing.T) string {
	t.Helper()
	return writeFeed(t, conflictFeed)
}

// writeFeed writes a 2D export in a temporary directory: one file per
// key ("Kind_NNNN"), its root element named after the kind around the
// body.
func writeFeed(t *testing.T, feed map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for k, body := range feed {
		root := "GAR-ENT-" + k[:strings.IndexByte(k, '_')]
		doc := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<` + root + ` xmlns="http://data.education.fr/ns/gar" Version="1.7">` + "\n" + body + `</` + root + ">\n"
		if err := os.WriteFile(filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_"+k+".xml"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// crossFileRules are the rules judged on the state shared by the files.
var crossFileRules = []*rules.Rule{rules.GAR006, rules.GAR007, rules.GAR008, rules.GAR009, rules.GAR010}

// scanInOrder reads the members of a feed with one worker in the order
// given (the order the parallel pool could have met them in) and returns
// the cross-file findings.
func scanInOrder(t *testing.T, ms []garfeed.Member) []result.Finding {
	t.Helper()
	env := newEnv()
	s := newState("feed", mask.NewPseudonymizer([32]byte{}))
	vis := &visitor{s: s, now: env.Now}
	if _, err := scanWith(context.Background(), env.Loader, ms, garfeed.DefaultLimits, garfeed.Engine{Name: garfeed.EngineGo}, s, vis.visit, 1); err != nil {
		t.Fatal(err)
	}
	s.finish()
	var out []result.Finding
	for _, r := range crossFileRules {
		out = append(out, s.viol.findings(r)...)
	}
	return out
}

// permutations returns every order of xs.
func permutations(xs []int) [][]int {
	if len(xs) <= 1 {
		return [][]int{append([]int(nil), xs...)}
	}
	var out [][]int
	for i := range xs {
		rest := append(append([]int(nil), xs[:i]...), xs[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]int{xs[i]}, p...))
		}
	}
	return out
}

// TestConflictingGroupCopiesAnyOrder: a group declared twice with
// different content (DIVISION in one file, GROUPE in another; or other
// parent divisions) gives the same findings whatever order the files are
// read in, and they name both copies; so do records described three times.
func TestConflictingGroupCopiesAnyOrder(t *testing.T) {
	dir := writeConflictFeed(t)
	f, err := garfeed.Open(context.Background(), newEnv().Loader, dir, garfeed.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Cleanup()
	byKind := map[string][]garfeed.Member{}
	for _, m := range f.Members {
		k := garfeed.RootOf(m)
		byKind[k] = append(byKind[k], m)
	}
	if len(byKind["GAR-ENT-Groupe"]) != 3 {
		t.Fatalf("%d Groupe files, want 3", len(byKind["GAR-ENT-Groupe"]))
	}
	var want []result.Finding
	for n, p := range permutations([]int{0, 1, 2}) {
		// Every kind of three files in order p (interleaveKinds takes the
		// files of a kind in the order given).
		var ms []garfeed.Member
		for _, k := range sortedKinds(byKind) {
			fs := byKind[k]
			if len(fs) != 3 {
				ms = append(ms, fs...)
				continue
			}
			for _, i := range p {
				ms = append(ms, fs[i])
			}
		}
		got := scanInOrder(t, ms)
		if n == 0 {
			want = got
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("files of each kind read in order %v: findings differ from name order (-name order +this):\n%s", p, diff)
		}
	}
	checkConflictFindings(t, want, dir)
}

func sortedKinds(m map[string][]garfeed.Member) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// checkConflictFindings says whether the findings on conflictFeed are the
// sensible ones: each duplicate and each conflict reported once with both
// copies, no link failing for the status of the copy met first.
func checkConflictFindings(t *testing.T, fs []result.Finding, dir string) {
	t.Helper()
	file := func(kind, n string) string {
		return filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_"+kind+"_"+n+".xml")
	}
	g := func(n string) string { return file("Groupe", n) }
	type seen struct {
		Rule     string
		Evidence string
	}
	var got []seen
	for _, f := range fs {
		if f.Status != result.Fail {
			t.Errorf("%s %s: %s", f.Rule, f.Status, f.MessageEN)
			continue
		}
		var locs []string
		for _, e := range f.Evidence {
			locs = append(locs, fmt.Sprintf("%s:%d", e.Source, e.Line))
		}
		got = append(got, seen{f.Rule, strings.Join(locs, " ")})
		for _, id := range []string{"e0000000000alix", "e0000000000loup", "t00000000camille", "Camille", "Alix", "Exemple", "Essai"} {
			if strings.Contains(fmt.Sprint(f), id) {
				t.Errorf("%s shows %q in clear: %+v", f.Rule, id, f)
			}
		}
		for _, l := range locs {
			if !strings.Contains(f.Message, strings.TrimPrefix(l, dir+"/")) && !strings.Contains(f.Message, l) {
				t.Errorf("%s: message does not name %s: %s", f.Rule, l, f.Message)
			}
		}
	}
	want := []seen{
		// Described three times: reported once, at the second copy,
		// naming the first.
		{"GAR-006", file("Etab", "0001") + ":3 " + file("Etab", "0000") + ":3"},
		{"GAR-007", file("Eleve", "0001") + ":3 " + file("Eleve", "0000") + ":3"},
		{"GAR-007", file("RespAff", "0001") + ":3 " + file("RespAff", "0000") + ":3"},
		// 3A: three copies, reported once at the second, naming the
		// first; GR-LAT: two copies.
		{"GAR-008", g("0001") + ":4 " + g("0000") + ":3"},
		{"GAR-008", g("0001") + ":5 " + g("0000") + ":4"},
		// 3A is a DIVISION in Groupe_0000:3 and a GROUPE in
		// Groupe_0001:4; GR-LAT belongs to 3A, then to 3B.
		{"GAR-009", g("0001") + ":4 " + g("0000") + ":3"},
		{"GAR-009", g("0001") + ":5 " + g("0000") + ":4"},
		// The matière is declared twice.
		{"GAR-010", file("Etab", "0001") + ":4 " + file("Etab", "0000") + ":4"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestConflictingGroupCopiesCheckStable runs the whole check (parallel
// workers) several times on the conflicting feed: byte-identical output.
func TestConflictingGroupCopiesCheckStable(t *testing.T) {
	dir := writeConflictFeed(t)
	first, _ := json.Marshal(Check(newEnv(), dir))
	for i := 0; i < 8; i++ {
		again, _ := json.Marshal(Check(newEnv(), dir))
		if diff := cmp.Diff(string(first), string(again)); diff != "" {
			t.Fatalf("run %d differs:\n%s", i+2, diff)
		}
	}
	if !strings.Contains(string(first), `Groupe_0000.xml:3`) {
		t.Errorf("no finding names the first copy of 3A: %s", first)
	}
}

// TestAddGroupAnyOrder: whatever order the copies of a group arrive in,
// addGroup keeps the first and second declarations in file order, the
// first one whose content differs from the first, and every status seen
// (compared with a brute-force answer over every order of up to 5 copies
// of 3 possible contents).
func TestAddGroupAnyOrder(t *testing.T) {
	files := []*garfeed.File{{Member: garfeed.Member{Name: "a.xml", Source: "a.xml"}}, {Member: garfeed.Member{Name: "b.xml", Source: "b.xml"}}}
	contents := []groupCopy{{status: statusDivision}, {status: statusGroupe, divs: "3A"}, {status: statusGroupe, divs: "3B"}}
	for n := 2; n <= 5; n++ {
		for seed := 0; seed < 9; seed++ {
			var copies []groupCopy
			for i := 0; i < n; i++ {
				c := contents[(seed+i*i+i*seed/3)%len(contents)]
				c.at = loc{files[(i+seed)%2], 10 + (i*7+seed)%5*3 + i}
				copies = append(copies, c)
			}
			// Brute force.
			sorted := append([]groupCopy(nil), copies...)
			sort.Slice(sorted, func(i, j int) bool { return sorted[i].at.before(sorted[j].at) })
			var wantOther *groupCopy
			var wantStatuses uint8
			for i := range sorted {
				wantStatuses |= 1 << sorted[i].status
				if wantOther == nil && !sorted[i].sameContent(&sorted[0]) {
					wantOther = &sorted[i]
				}
			}
			idx := make([]int, n)
			for i := range idx {
				idx[i] = i
			}
			for _, p := range permutations(idx) {
				s := newState("feed", mask.NewPseudonymizer([32]byte{}))
				k := codeKey{0, "3A"}
				for _, i := range p {
					s.addGroup(k, copies[i])
				}
				g, d := s.groups[k], s.groupDups[k]
				where := func(l loc) string { return fmt.Sprintf("%s:%d", l.fi.Member.Name, l.line) }
				if where(g.first.at) != where(sorted[0].at) || !g.first.sameContent(&sorted[0]) || g.statuses != wantStatuses {
					t.Fatalf("order %v: first %s %+v statuses %b, want %s %+v %b", p, where(g.first.at), g.first, g.statuses, where(sorted[0].at), sorted[0], wantStatuses)
				}
				if d == nil || d.n != n-1 || where(d.second) != where(sorted[1].at) {
					t.Fatalf("order %v: dup %+v, want %d more, second %s", p, d, n-1, where(sorted[1].at))
				}
				switch {
				case wantOther == nil && d.other != nil:
					t.Fatalf("order %v: other %+v, want none", p, *d.other)
				case wantOther != nil && (d.other == nil || where(d.other.at) != where(wantOther.at) || !d.other.sameContent(wantOther)):
					t.Fatalf("order %v: other %+v, want %+v", p, d.other, *wantOther)
				}
			}
		}
	}
}

// BenchmarkCrossFileState measures the cross-file state alone (the
// visitor on records decoded beforehand, no XSD, no I/O) on a generated
// feed of 5,000 pupils, phase by phase as scanAll reads them, then the end
// of the pass:
//
//	go test ./checks/gar -run '^$' -bench CrossFileState
func BenchmarkCrossFileState(b *testing.B) {
	dir := b.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 5000, Out: dir, PerFile: 2000}); err != nil {
		b.Fatal(err)
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	type visit struct {
		fi *fileInfo
		r  garfeed.Record
	}
	var phases [3][]visit
	eng, err := garfeed.ResolveEngine(garfeed.EngineGo)
	if err != nil {
		b.Fatal(err)
	}
	rd := garfeed.NewReader(eng)
	for _, p := range paths {
		m := garfeed.Member{Name: filepath.Base(p), Source: p, Path: p}
		fi := &fileInfo{}
		var recs []visit
		f, err := rd.ReadFile(context.Background(), &input.Loader{}, m, garfeed.DefaultLimits, func(f *garfeed.File, r *garfeed.Record) {
			fi.File = f
			recs = append(recs, visit{fi, garfeed.Record{Name: r.Name, Line: r.Line, Fields: append([]garfeed.Field(nil), r.Fields...)}})
		})
		if err != nil {
			b.Fatal(err)
		}
		ph := phaseOf(f.Root)
		phases[ph] = append(phases[ph], recs...)
	}
	n := len(phases[0]) + len(phases[1]) + len(phases[2])
	pseudo := mask.NewPseudonymizer([32]byte{})
	b.ResetTimer()
	for b.Loop() {
		s := newState(dir, pseudo)
		v := &visitor{s: s, now: newEnv().Now}
		for ph, recs := range phases {
			s.phase.Store(int32(ph))
			for i := range recs {
				v.visit(recs[i].fi, &recs[i].r)
			}
		}
		s.finish()
		if c := s.viol.count(rules.GAR008) + s.viol.count(rules.GAR009); c != 0 {
			b.Fatalf("%d GAR-008/009 violations on a generated feed", c)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// TestManyGroupCopiesOneFinding: a group declared thousands of times, with
// alternating statuses, keeps a fixed-size record and gives one GAR-008
// and one GAR-009 finding, whatever the number of copies.
func TestManyGroupCopiesOneFinding(t *testing.T) {
	dir := writeConflictFeed(t)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<GAR-ENT-Groupe xmlns="http://data.education.fr/ns/gar" Version="1.7">` + "\n")
	for i := 0; i < 5000; i++ {
		st := "GROUPE"
		if i%2 == 0 {
			st = "DIVISION"
		}
		b.WriteString(groupe("6Z", st))
	}
	b.WriteString("</GAR-ENT-Groupe>\n")
	if err := os.WriteFile(filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Groupe_0003.xml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var dup, conflict []result.Finding
	for _, f := range Check(newEnv(), dir) {
		if strings.Contains(f.Message, `"6Z"`) {
			switch f.Rule {
			case "GAR-008":
				dup = append(dup, f)
			case "GAR-009":
				conflict = append(conflict, f)
			}
		}
	}
	if len(dup) != 1 || !strings.Contains(dup[0].MessageEN, "declared 5000 times") || len(dup[0].Evidence) != 2 || dup[0].Evidence[0].Line != 4 || dup[0].Evidence[1].Line != 3 {
		t.Errorf("GAR-008 for 6Z: %+v", dup)
	}
	if len(conflict) != 1 || len(conflict[0].Evidence) != 2 || conflict[0].Evidence[0].Line != 4 || conflict[0].Evidence[1].Line != 3 {
		t.Errorf("GAR-009 for 6Z: %+v", conflict)
	}
}
