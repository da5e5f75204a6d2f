package mapping

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

const root = "../../"

func env() *checks.Env {
	return &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
}

func byRule(fs []result.Finding) map[string][]result.Status {
	m := map[string][]result.Status{}
	for _, f := range fs {
		m[f.Rule] = append(m[f.Rule], f.Status)
	}
	return m
}

func TestGoodMappingWithSamples(t *testing.T) {
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = root+"fixtures/mapping/aaf", root+"fixtures/mapping/gar"
	fs := Check(e, root+"fixtures/mapping/mapping.yaml")
	if miss := checks.Missing(rules.AreaMapping, fs); len(miss) > 0 {
		t.Fatalf("rules without a finding: %v", miss)
	}
	want := map[string][]result.Status{}
	for _, r := range rules.InArea(rules.AreaMapping) {
		want[r.ID] = []result.Status{result.Pass}
	}
	if diff := cmp.Diff(want, byRule(fs)); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}
}

func TestWithoutSamplesSkipsVerification(t *testing.T) {
	fs := Check(env(), root+"fixtures/mapping/mapping.yaml")
	if got := byRule(fs)["MAP-006"]; !cmp.Equal(got, []result.Status{result.Skip}) {
		t.Fatalf("MAP-006 = %v, want skip", got)
	}
}

func TestMissingSamplesIsAnError(t *testing.T) {
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = "/nonexistent-aaf", root+"fixtures/mapping/gar"
	fs := Check(e, root+"fixtures/mapping/mapping.yaml")
	if got := byRule(fs)["MAP-006"]; !cmp.Equal(got, []result.Status{result.Error}) {
		t.Fatalf("MAP-006 = %v, want error", got)
	}
}

func TestHostileMappingFiles(t *testing.T) {
	cases := map[string]string{
		"syntax":  "version: 1\nmappings: [\n",
		"empty":   "",
		"anchors": "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: &c [*b, *b, *b, *b]\nmappings: *c\n",
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "m.yaml")
			os.WriteFile(p, []byte(doc), 0o644)
			fs := Check(env(), p)
			if miss := checks.Missing(rules.AreaMapping, fs); len(miss) > 0 {
				t.Fatalf("rules without a finding: %v", miss)
			}
			for _, f := range fs {
				if f.Status == result.Pass {
					t.Fatalf("%s passed on hostile input %q", f.Rule, name)
				}
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "m.yaml")
		os.WriteFile(p, []byte("# "+strings.Repeat("x", 30<<20)), 0o644)
		for _, f := range Check(env(), p) {
			if f.Status != result.Error || !strings.Contains(f.MessageEN, "too large") {
				t.Fatalf("%s: %s %s", f.Rule, f.Status, f.MessageEN)
			}
		}
	})
}

func TestSchemaDerivedFromXSD(t *testing.T) {
	s := schemaFor("2D")
	got := s.mandatoryOf("GARGroupe")
	want := []string{"GARGroupe/GARGroupeCode", "GARGroupe/GARGroupeLibelle", "GARGroupe/GARGroupeStatut", "GARGroupe/GARStructureUAI"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	if _, ok := schemaFor("1D").Elements["GAREnseignant/GARPersonMail"]; ok {
		t.Fatal("1D v1.4 has no teacher e-mail")
	}
	if _, ok := s.Elements["GAREnseignant/GARPersonMail"]; !ok {
		t.Fatal("2D v1.7 has a teacher e-mail")
	}
}

func TestSampleMismatchesAreFound(t *testing.T) {
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = root+"fixtures/mapping/aaf", root+"fixtures/mapping/gar-bad"
	var got []string
	for _, f := range Check(e, root+"fixtures/mapping/bad-samples.yaml") {
		if f.Rule == "MAP-006" {
			if f.Status != result.Fail {
				t.Fatalf("MAP-006 %s: %s", f.Status, f.MessageEN)
			}
			msg := f.MessageEN
			got = append(got, msg[strings.Index(msg, "(")+1:strings.Index(msg, ")")])
		}
	}
	want := []string{
		"GAREleve/GARPersonDateNaissance ← ENTPersonDateNaissance, date",
		"GAREleve/GARPersonStructRattach ← ENTPersonStructRattach, uai",
		"GARPersonGroupe/GARGroupeCode ← ENTEleveClasses, split",
	}
	sort.Strings(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("mismatches (-want +got):\n%s", diff)
	}
	for _, f := range Check(e, root+"fixtures/mapping/bad-samples.yaml") {
		for _, ev := range f.Evidence {
			if strings.Contains(ev.Excerpt, "Exemple") || strings.Contains(f.MessageEN, "-0") {
				t.Fatalf("personal data in clear: %q / %q", ev.Excerpt, f.MessageEN)
			}
		}
	}
}

// TestOneDegreeDossierMapping runs the 1D sample dossier's mapping with its
// samples (every rule passes), then with the 2D-only or mis-transformed
// entries a vendor copying a collège mapping would leave: the GAR XSD 1D
// v1.4 has no GARPersonMEF and no teacher e-mail (MAP-004), and the 1D
// AAF's ENTPersonCivilite needs the civilite transformation like
// personalTitle (MAP-005, naming the 1D attribute).
func TestOneDegreeDossierMapping(t *testing.T) {
	d := root + "fixtures/dossiers/conforme-1d/"
	e := env()
	e.Opts.Degree = "1D"
	e.Opts.AAFDir, e.Opts.GARDir = d+"aaf", d+"gar"
	want := map[string][]result.Status{}
	for _, r := range rules.InArea(rules.AreaMapping) {
		want[r.ID] = []result.Status{result.Pass}
	}
	if diff := cmp.Diff(want, byRule(Check(e, d+"mapping/mapping.yaml"))); diff != "" {
		t.Fatalf("1D sample mapping (-want +got):\n%s", diff)
	}

	data, err := os.ReadFile(d + "mapping/mapping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(data), "aaf: [ENTPersonCivilite], transform: civilite}", "aaf: [ENTPersonCivilite], transform: copy}", 1) +
		"  - {gar: GARPersonMEF/GARMEFCode, ent: ENTEleveMEF, aaf: [ENTEleveMEF], transform: copy}\n" +
		"  - {gar: GAREnseignant/GARPersonMail, ent: ENTPersonMail, aaf: [ENTPersonMail], transform: copy}\n"
	p := filepath.Join(t.TempDir(), "mapping.yaml")
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	e.Opts.AAFDir, e.Opts.GARDir = "", ""
	var map4, map5 []string
	for _, f := range Check(e, p) {
		if f.Status != result.Fail {
			continue
		}
		switch f.Rule {
		case "MAP-004":
			map4 = append(map4, f.Evidence[0].Excerpt)
		case "MAP-005":
			map5 = append(map5, f.MessageEN)
		}
	}
	sort.Strings(map4)
	if diff := cmp.Diff([]string{"GAREnseignant/GARPersonMail", "GARPersonMEF/GARMEFCode"}, map4); diff != "" {
		t.Errorf("MAP-004 failures (-want +got):\n%s", diff)
	}
	if len(map5) != 1 || !strings.Contains(map5[0], "ENTPersonCivilite may be") {
		t.Errorf("MAP-005 failures = %q, want one naming ENTPersonCivilite", map5)
	}
}

// TestNamesakesPairedByBirthDate: two pupils with the same name are told
// apart by their birth date, so the mapping is verified on both and a
// mismatch on one of them is found (namesakes used to be left out).
func TestNamesakesPairedByBirthDate(t *testing.T) {
	same := func(_, text string) string { return text }
	aaf, garDir := copySamples(t, same, func(name, text string) string {
		if !strings.Contains(name, "_2D_Eleve_") {
			return text
		}
		// One of the two "Sacha Brouillon" is sent with the wrong civilité.
		rec := "<men:GARPersonNom>Brouillon</men:GARPersonNom><men:GARPersonPrenom>Sacha</men:GARPersonPrenom><men:GARPersonAutresPrenoms>Sacha</men:GARPersonAutresPrenoms><men:GARPersonCivilite>Mme</men:GARPersonCivilite>"
		i, j := strings.LastIndex(text, rec), strings.Index(text, rec)
		if i < 0 || i == j {
			t.Fatal("fixture changed: two pupils named Sacha Brouillon expected")
		}
		return text[:i] + strings.Replace(rec, ">Mme<", ">M.<", 1) + text[i+len(rec):]
	})
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = aaf, garDir
	var fails []string
	for _, f := range Check(e, root+"fixtures/mapping/mapping.yaml") {
		if f.Rule == "MAP-006" {
			if f.Status != result.Fail {
				t.Fatalf("MAP-006 %s: %s", f.Status, f.MessageEN)
			}
			fails = append(fails, f.MessageEN)
		}
	}
	if len(fails) != 1 || !strings.Contains(fails[0], "GAREleve/GARPersonCivilite") {
		t.Fatalf("MAP-006 failures %q, want one on the civilité of one namesake", fails)
	}
	if strings.Contains(fails[0], "Brouillon") || strings.Contains(fails[0], "Sacha") {
		t.Fatalf("name in clear: %s", fails[0])
	}
}

// TestHalfSamplesSaysWhatIsMissing: with only one of --aaf and --gar,
// MAP-006 says which one is missing. The AAF samples are what asks for the
// verification: given without the feed, the verification was asked for
// and could not be made (not evaluated); the feed alone (a dossier's
// gar_feed, always there) or nothing asks for none (not applicable).
func TestHalfSamplesSaysWhatIsMissing(t *testing.T) {
	for _, c := range []struct {
		aaf, gar, want string
		status         result.Status
	}{
		{root + "fixtures/mapping/aaf", "", "(--gar", result.NotEvaluated},
		{"", root + "fixtures/mapping/gar", "(--aaf", result.Skip},
		{"", "", "not requested", result.Skip},
	} {
		e := env()
		e.Opts.AAFDir, e.Opts.GARDir = c.aaf, c.gar
		for _, f := range Check(e, root+"fixtures/mapping/mapping.yaml") {
			if f.Rule == "MAP-006" && (f.Status != c.status || !strings.Contains(f.MessageEN, c.want)) {
				t.Errorf("aaf %q gar %q: MAP-006 %s %q, want %s naming %q", c.aaf, c.gar, f.Status, f.MessageEN, c.status, c.want)
			}
		}
	}
}

// copySamples copies the good AAF samples and GAR feed to temporary
// directories, applying edit to each AAF file's text and editGAR (when not
// nil) to each GAR file's.
func copySamples(t *testing.T, edit, editGAR func(name, text string) string) (aaf, garDir string) {
	t.Helper()
	aaf, garDir = t.TempDir(), t.TempDir()
	for _, d := range []struct{ from, to string }{{"fixtures/mapping/aaf", aaf}, {"fixtures/mapping/gar", garDir}} {
		ents, err := os.ReadDir(root + d.from)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			data, err := os.ReadFile(filepath.Join(root+d.from, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case d.to == aaf:
				data = []byte(edit(e.Name(), string(data)))
			case editGAR != nil:
				data = []byte(editGAR(e.Name(), string(data)))
			}
			if err := os.WriteFile(filepath.Join(d.to, e.Name()), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return aaf, garDir
}

// TestStructuresOutsideTheFeedNotExpected: the AAF describes every school
// of the territory, the GAR feed only those subscribed to the GAR (OPEN-ENT-NG
// gar-connector exports the structures flagged for the GAR, AC-Rennes
// alambic its "involved structures"). A teacher who also works in a school
// outside the feed, and a pupil also in a class there, are exported for the
// feed's school only: MAP-006 must not expect the other school's UAI,
// profile or class.
func TestStructuresOutsideTheFeedNotExpected(t *testing.T) {
	aaf, garDir := copySamples(t, func(name, s string) string {
		switch {
		case strings.Contains(name, "EtabEducNat"):
			return strings.Replace(s, "</ficAlimMENESR>", `  <addRequest>
    <operationalAttributes><attr name="categorieStructure"><value>EtabEducNat</value></attr></operationalAttributes>
    <identifier><id>52009</id></identifier>
    <attributes>
      <attr name="ENTStructureJointure"><value>52009</value></attr>
      <attr name="ENTStructureUAI"><value>0750654D</value></attr>
      <attr name="ENTStructureNomCourant"><value>LYCEE HORS GAR</value></attr>
    </attributes>
  </addRequest>
</ficAlimMENESR>`, 1)
		case strings.Contains(name, "PersEducNat"):
			return strings.Replace(s, `<value>52000$ENS$ENSEIGNEMENT$L1300$DISCIPLINE</value>`, `<value>52000$ENS$ENSEIGNEMENT$L1300$DISCIPLINE</value><value>52009$DIR$DIRECTION$-$-</value>`, 1)
		case strings.Contains(name, "_Eleve_"):
			return strings.Replace(s, `<value>52000$6A</value>`, `<value>52000$6A</value><value>52009$2NDE3</value>`, 1)
		}
		return s
	}, nil)
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = aaf, garDir
	for _, f := range Check(e, root+"fixtures/mapping/mapping.yaml") {
		if f.Rule == "MAP-006" && f.Status != result.Pass {
			t.Errorf("MAP-006 %s: %s", f.Status, f.MessageEN)
		}
	}
}

// TestBirthDatesWithTimezone: a feed written by JAXB (AC-Rennes alambic)
// carries birth dates with the JVM's offset, 2012-10-21+02:00: the same
// day as the AAF's 21/10/2012, for MAP-006 and for telling namesakes
// apart; another day is still a mismatch.
func TestBirthDatesWithTimezone(t *testing.T) {
	tz := regexp.MustCompile(`(<men:GARPersonDateNaissance>)(\d{4}-\d\d-\d\d)(</men:GARPersonDateNaissance>)`)
	same := func(_, s string) string { return s }
	withTZ := func(_, s string) string { return tz.ReplaceAllString(s, "${1}${2}+02:00${3}") }
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = copySamples(t, same, withTZ)
	for _, f := range Check(e, root+"fixtures/mapping/mapping.yaml") {
		if f.Rule != "MAP-006" {
			continue
		}
		if f.Status != result.Pass {
			t.Errorf("MAP-006 %s: %s", f.Status, f.MessageEN)
		} else if !strings.HasPrefix(f.MessageEN, "33 persons") {
			t.Errorf("MAP-006: %s, want the 33 persons of the good samples compared (namesakes included)", f.MessageEN)
		}
	}
	// The first pupil born a day earlier, with an offset: found.
	e = env()
	e.Opts.AAFDir, e.Opts.GARDir = copySamples(t, same, func(name, s string) string {
		if strings.Contains(name, "_Eleve_") {
			m := tz.FindStringSubmatchIndex(s)
			d, err := time.Parse("2006-01-02", s[m[4]:m[5]])
			if err != nil {
				t.Fatal(err)
			}
			s = s[:m[4]] + d.AddDate(0, 0, -1).Format("2006-01-02") + s[m[5]:]
		}
		return withTZ(name, s)
	})
	var fails []string
	for _, f := range Check(e, root+"fixtures/mapping/mapping.yaml") {
		if f.Rule == "MAP-006" && f.Status == result.Fail {
			fails = append(fails, f.MessageEN)
		}
	}
	if len(fails) != 1 || !strings.Contains(fails[0], "GAREleve/GARPersonDateNaissance") {
		t.Errorf("MAP-006 failures %q, want one on a pupil's birth date", fails)
	}
}

// TestAAFValuesReadWhole: an AAF value split by a comment or a CDATA
// section (<value>Du<!-- -->pont</value>) is read whole, as an LDAP
// loader reads it, not up to its first text node: the good mapping still
// passes against such samples.
func TestAAFValuesReadWhole(t *testing.T) {
	dir := t.TempDir()
	src := root + "fixtures/mapping/aaf"
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	split := regexp.MustCompile(`<value>([^<]{2})([^<]*)</value>`)
	n := 0
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out := split.ReplaceAllStringFunc(string(data), func(m string) string {
			n++
			p := split.FindStringSubmatch(m)
			if n%2 == 0 {
				return "<value>" + p[1] + "<![CDATA[" + p[2] + "]]></value>"
			}
			return "<value>" + p[1] + "<!-- coupé -->" + p[2] + "</value>"
		})
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n < 50 {
		t.Fatalf("only %d values split", n)
	}
	e := env()
	e.Opts.AAFDir, e.Opts.GARDir = dir, root+"fixtures/mapping/gar"
	fs := Check(e, root+"fixtures/mapping/mapping.yaml")
	if got := byRule(fs)["MAP-006"]; !cmp.Equal(got, []result.Status{result.Pass}) {
		for _, f := range fs {
			if f.Rule == "MAP-006" {
				t.Log(f.MessageEN)
			}
		}
		t.Fatalf("MAP-006 = %v on values split by comments and CDATA, want pass", got)
	}
}
