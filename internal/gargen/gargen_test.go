package gargen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestDegreeShapes checks that a 1D feed describes écoles (1D AAF
// attribute names, classes by level, young pupils, a directeur, no MEF nor
// matières) while the 2D feed keeps its collège shape.
func TestDegreeShapes(t *testing.T) {
	for _, c := range []struct {
		degree         string
		want, wantNot  []string // in the AAF samples
		feed, feedNot  []string // in the GAR files
		pupilBirthYear []string
	}{
		{"1D",
			[]string{`"ENTPersonNom"`, `"ENTPersonPrenom"`, `"ENTPersonCivilite"`, `"ENTPersonClasses"><value>CP-A<`, `"ENTEleveNiveau"`, `"ENTEnsSpecialites"`, `$DIR$`, "ECOLE ELEMENTAIRE FICTIVE 1"},
			[]string{`"sn"`, `"givenName"`, `"personalTitle"`, `"ENTEleveMEF"`, `"ENTEleveClasses"`, "COLLEGE"},
			[]string{"GARPersonMEFSTAT4", "National_dir", "<men:GARGroupeCode>CE1-A<", "GAREnsSpecialitesPostes", "ce.0861001w@"},
			[]string{"GARMEF>", "GARMatiere", "GAREnsClasseMatiere", "GARPersonMEF>", "National_doc", "COLLEGE"},
			[]string{"2017-", "2018-", "2019-", "2020-"}},
		{"2D",
			[]string{`"sn"`, `"givenName"`, `"ENTEleveClasses"><value>52000$6A<`, `"ENTEleveMEF"`, "COLLEGE FICTIF 1"},
			[]string{`"ENTPersonNom"`, `"ENTPersonClasses"`, "ECOLE"},
			[]string{"GARMEF>", "GARMatiere>", "National_doc", "<men:GARGroupeCode>6A<"},
			[]string{"GARPersonMEFSTAT4", "National_dir", "ECOLE"},
			[]string{"2011-", "2012-", "2013-", "2014-"}},
	} {
		t.Run(c.degree, func(t *testing.T) {
			dir := t.TempDir()
			cn, err := Generate(Options{Pupils: 60, Out: filepath.Join(dir, "gar"), AAFDir: filepath.Join(dir, "aaf"), Degree: c.degree})
			if err != nil {
				t.Fatal(err)
			}
			var aaf, feed strings.Builder
			for _, k := range []string{"EtabEducNat", "Eleve", "PersEducNat"} {
				aaf.WriteString(read(t, filepath.Join(dir, "aaf", "ENT_Complet_20261122_"+k+"_0000.xml")))
			}
			for _, f := range cn.Files {
				feed.WriteString(read(t, filepath.Join(dir, "gar", f)))
			}
			for _, w := range c.want {
				if !strings.Contains(aaf.String(), w) {
					t.Errorf("AAF samples lack %s", w)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(aaf.String(), w) {
					t.Errorf("AAF samples hold %s", w)
				}
			}
			for _, w := range c.feed {
				if !strings.Contains(feed.String(), w) {
					t.Errorf("feed lacks %s", w)
				}
			}
			for _, w := range c.feedNot {
				if strings.Contains(feed.String(), w) {
					t.Errorf("feed holds %s", w)
				}
			}
			pupils := read(t, filepath.Join(dir, "gar", cn.Files[1]))
			n := 0
			for _, line := range strings.Split(pupils, "\n") {
				i := strings.Index(line, "<men:GARPersonDateNaissance>")
				if i < 0 {
					continue
				}
				n++
				y := line[i+len("<men:GARPersonDateNaissance>"):][:5]
				ok := false
				for _, w := range c.pupilBirthYear {
					ok = ok || y == w
				}
				if !ok {
					t.Fatalf("pupil born in %s, want one of %v", y, c.pupilBirthYear)
				}
			}
			if n != 60 {
				t.Errorf("%d pupils' birth dates in %s, want 60", n, cn.Files[1])
			}
		})
	}
}
