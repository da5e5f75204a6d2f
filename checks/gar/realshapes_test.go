package gar

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Shapes produced by public ENT exporters that the generator does not
// produce. Each must pass every rule it does not break: a false fail on a
// conformant export would make a collectivité reject a good vendor.

// teacherRattach is a teacher of 0861001W whose administrative attachment
// (GARPersonStructRattach) is a school outside the ENT project: OPEN-ENT-NG
// gar-connector (DataServiceTeacherImpl) exports the administrative
// attachment of any structure, "ADMINISTRATIVE ATTACHMENT can reference non
// GAR exported structure" (a TZR, a teacher shared with a school of another
// ENT).
func teacherRattach(rattach string) string {
	return `<GAREnseignant><GARPersonIdentifiant>t00000000camille</GARPersonIdentifiant><GARPersonProfils><GARStructureUAI>0861001W</GARStructureUAI><GARPersonProfil>National_ens</GARPersonProfil></GARPersonProfils><GARPersonNomPatro>Essai</GARPersonNomPatro><GARPersonNom>Essai</GARPersonNom><GARPersonPrenom>Camille</GARPersonPrenom><GARPersonAutresPrenoms>Camille</GARPersonAutresPrenoms><GARPersonStructRattach>` + rattach + `</GARPersonStructRattach><GARPersonEtab>0861001W</GARPersonEtab><GARPersonDateNaissance>1981-01-25</GARPersonDateNaissance><GARPersonMail>camille.essai@ac-fictif.fr</GARPersonMail></GAREnseignant>
`
}

// validPupil and validRespAff are XSD-valid records (the conflict feed's
// lack required elements, irrelevant there).
const (
	validPupil = `<GAREleve><GARPersonIdentifiant>e0000000000alix</GARPersonIdentifiant><GARPersonProfils><GARStructureUAI>0861001W</GARStructureUAI><GARPersonProfil>National_elv</GARPersonProfil></GARPersonProfils><GARPersonNom>Exemple</GARPersonNom><GARPersonPrenom>Alix</GARPersonPrenom><GARPersonAutresPrenoms>Alix</GARPersonAutresPrenoms><GARPersonCivilite>Mme</GARPersonCivilite><GARPersonStructRattach>0861001W</GARPersonStructRattach><GARPersonEtab>0861001W</GARPersonEtab><GARPersonDateNaissance>2012-10-21</GARPersonDateNaissance></GAREleve>
`
	validRespAff = `<GARRespAff><GARPersonIdentifiant>t00000000camille</GARPersonIdentifiant><GARPersonNom>Essai</GARPersonNom><GARPersonPrenom>Camille</GARPersonPrenom><GARPersonCivilite>Mme</GARPersonCivilite><GARPersonMail>camille.essai@ac-fictif.fr</GARPersonMail><GARRespAffEtab>0861001W</GARRespAffEtab></GARRespAff>
`
)

// shapeFeed is a small complete 2D export around one teacher record.
func shapeFeed(teacher string) map[string]string {
	return map[string]string{
		"Etab_0000":       etab + matiere,
		"Eleve_0000":      validPupil,
		"Enseignant_0000": teacher,
		"Groupe_0000":     groupe("3A", "DIVISION"),
		"RespAff_0000":    validRespAff,
	}
}

// checkShape runs the feed through each XSD engine and returns, per
// engine, the findings of each rule.
func checkShape(t *testing.T, feed map[string]string) map[string]map[string][]result.Finding {
	t.Helper()
	dir := writeFeed(t, feed)
	out := map[string]map[string][]result.Finding{}
	for _, eng := range testEngines(t) {
		env := newEnv()
		env.Opts.XSDEngine = eng.Name
		byRule := map[string][]result.Finding{}
		for _, f := range Check(env, dir) {
			byRule[f.Rule] = append(byRule[f.Rule], f)
		}
		out[eng.Name] = byRule
	}
	return out
}

// onlyPass reports the findings of rule that are not passes.
func onlyPass(t *testing.T, eng, rule string, fs []result.Finding) {
	t.Helper()
	if len(fs) == 0 {
		t.Errorf("%s: no %s finding", eng, rule)
	}
	for _, f := range fs {
		if f.Status != result.Pass {
			t.Errorf("%s: %s %s: %s %v", eng, rule, f.Status, f.MessageEN, f.Evidence)
		}
	}
}

// TestStructRattachOutsideProject: an administrative attachment to a
// school the export does not describe is not a reference the GAR resolves
// (GAR-006 passes), but its UAI must still be well formed (GAR-011).
func TestStructRattachOutsideProject(t *testing.T) {
	// AC-Rennes alambic (GAREleveBuilder) blanks the attachment when it is
	// outside the export: an empty value is valid (no length minimum).
	for _, rattach := range []string{"0750654D", ""} {
		for eng, byRule := range checkShape(t, shapeFeed(teacherRattach(rattach))) {
			for _, rule := range []string{"GAR-005", "GAR-006", "GAR-011"} {
				onlyPass(t, eng, rule, byRule[rule])
			}
		}
	}
	for eng, byRule := range checkShape(t, shapeFeed(teacherRattach("0750654A"))) {
		var msgs []string
		for _, f := range byRule["GAR-011"] {
			if f.Status == result.Fail {
				msgs = append(msgs, f.MessageEN)
			}
		}
		if len(msgs) != 1 || !strings.Contains(msgs[0], "GARPersonStructRattach") {
			t.Errorf("%s: GAR-011 fails %q, want one on GARPersonStructRattach", eng, msgs)
		}
	}
}

// pupilBorn is validPupil born on date (an xs:date lexical value).
func pupilBorn(date string) string {
	return strings.Replace(validPupil, "<GARPersonDateNaissance>2012-10-21<", "<GARPersonDateNaissance>"+date+"<", 1)
}

// TestBirthDateWithTimezone: AC-Rennes alambic marshals birth dates with
// JAXB from a java.util.GregorianCalendar, which writes the JVM's offset
// (2012-10-21+02:00), a valid xs:date. Its plausibility is judged like any
// other date (an implausible one used to pass unchecked).
func TestBirthDateWithTimezone(t *testing.T) {
	for _, c := range []struct {
		date string
		want result.Status
	}{
		{"2012-10-21+02:00", result.Pass},
		{"2012-10-21Z", result.Pass},
		{"2012-10-21-05:00", result.Pass},
		{"1911-10-21+01:00", result.Fail},
		{"1911-10-21Z", result.Fail},
	} {
		feed := shapeFeed(teacherRattach("0861001W"))
		feed["Eleve_0000"] = pupilBorn(c.date)
		for eng, byRule := range checkShape(t, feed) {
			onlyPass(t, eng+" "+c.date, "GAR-005", byRule["GAR-005"])
			var got []result.Status
			for _, f := range byRule["GAR-014"] {
				got = append(got, f.Status)
				if strings.Contains(f.Message, "10-21") {
					t.Errorf("%s %s: birth date in clear: %s", eng, c.date, f.Message)
				}
			}
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("%s %s: GAR-014 %v, want %s", eng, c.date, got, c.want)
			}
		}
	}
}

// openENTRoot is the root start tag OPEN-ENT-NG gar-connector writes
// (XmlExportHelperImpl, a non-namespace-aware DOM): prefix men, unused
// xalan and xslFormatting namespaces, a schema location and Version="1.0".
const openENTRoot = ` xmlns:men="http://data.education.fr/ns/gar" xmlns:xalan="http://xml.apache.org/xalan" xmlns:xslFormatting="urn:xslFormatting" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Version="1.0" xsi:schemaLocation="http://data.education.fr/ns/gar GAR-ENT.xsd"`

// indentRecords puts each element of a one-record-per-line file on its
// own line, indented by two spaces per level (Java's Transformer with
// INDENT=yes, indent-amount 2); text-only elements stay on one line.
func indentRecords(s string) string {
	var b strings.Builder
	depth := 0
	for s != "" {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '>') + i
		tag := s[i : j+1]
		s = s[j+1:]
		switch {
		case strings.HasPrefix(tag, "<?"):
			b.WriteString(tag + "\n")
		case strings.HasPrefix(tag, "</"):
			depth--
			b.WriteString(strings.Repeat("  ", depth) + tag + "\n")
		case strings.HasSuffix(tag, "/>"):
			b.WriteString(strings.Repeat("  ", depth) + tag + "\n")
		default:
			if k := strings.IndexByte(s, '<'); k >= 0 && strings.HasPrefix(s[k:], "</") && !strings.Contains(s[:k], "\n") {
				e := strings.IndexByte(s[k:], '>') + k
				b.WriteString(strings.Repeat("  ", depth) + tag + s[:e+1] + "\n")
				s = s[e+1:]
				continue
			}
			b.WriteString(strings.Repeat("  ", depth) + tag + "\n")
			depth++
		}
	}
	return b.String()
}

// TestOpenENTShapedExport: the good example rewritten as OPEN-ENT-NG
// gar-connector writes its files (declaration with standalone="no", root
// above, indentation, GARPersonNomPatro, teachers' GARPersonMail in 2D, an
// empty last file when a split falls on the last record), loose and as its
// archive: ...{idENT}_GAR-ENT_Complet_{stamp}_2D.tar.gz (the first file's
// name less its last two fields) with a .md5 of the bare digest, no newline
// (DefaultTarService). Every rule passes with each engine.
func TestOpenENTShapedExport(t *testing.T) {
	const dir = "../../fixtures/gar/good"
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(data), `<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0" encoding="UTF-8" standalone="no"?>`, 1)
		s = strings.Replace(s, ` xmlns:men="http://data.education.fr/ns/gar" Version="1.7"`, openENTRoot, 1)
		if strings.Contains(e.Name(), "_Enseignant_") {
			s = strings.ReplaceAll(s, "<men:GARPersonNom>", "<men:GARPersonNomPatro>Essai</men:GARPersonNomPatro><men:GARPersonNom>")
			s = strings.ReplaceAll(s, "</men:GAREnsDisciplinesPostes></men:GAREnseignant>", "</men:GAREnsDisciplinesPostes><men:GARPersonMail>prof.essai@ac-fictif.fr</men:GARPersonMail></men:GAREnseignant>")
		}
		files[e.Name()] = indentRecords(s)
	}
	files["ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0001.xml"] = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<men:GAR-ENT-Eleve` + openENTRoot + `/>
`
	// The rewriting took place.
	for name, body := range files {
		if strings.Contains(name, "_Enseignant_") && (!strings.Contains(body, "\n    <men:GARPersonNomPatro>Essai</men:GARPersonNomPatro>\n") || !strings.Contains(body, "xmlns:xalan") || !strings.Contains(body, "<men:GARPersonMail>")) {
			t.Fatalf("%s not rewritten:\n%.600s", name, body)
		}
	}
	loose := t.TempDir()
	var names []string
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(loose, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range names {
		if err := tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(files[name])), Mode: 0o644, Format: tar.FormatGNU}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(files[name]))
	}
	tw.Close()
	gz.Close()
	arch := t.TempDir()
	base := filepath.Join(arch, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D")
	sum := md5.Sum(buf.Bytes())
	if err := os.WriteFile(base+".tar.gz", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(base+".md5", []byte(hex.EncodeToString(sum[:])), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{loose, base + ".tar.gz"} {
		for _, eng := range testEngines(t) {
			env := newEnv()
			env.Opts.XSDEngine, env.Opts.Degree, env.Opts.IDEnt = eng.Name, "2D", "ENTFICTIF1"
			fs := Check(env, src)
			if miss := checks.Missing(rules.AreaGAR, fs); len(miss) > 0 {
				t.Fatalf("rules without a finding: %v", miss)
			}
			for _, f := range fs {
				if f.Status != result.Pass && !(src == loose && f.Rule == "GAR-003" && f.Status == result.Skip) {
					t.Errorf("%s %s: %s %s: %s %v", eng.Name, filepath.Base(src), f.Rule, f.Status, f.MessageEN, f.Evidence)
				}
			}
		}
	}
}

// TestMD5BesideTgz: an archive named .tgz is read like a .tar.gz, and so
// is its .md5: NAME.md5 beside NAME.tgz (or NAME.tgz.md5), given the
// archive or its directory. The .md5 used to be looked for as NAME.tgz.md5
// only: "delivered without its .md5" (GAR-003) and the .md5 reported unread
// (GAR-001).
func TestMD5BesideTgz(t *testing.T) {
	tgz := writeTar(t, []entry{{name: "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_RespAff_0000.xml", typ: tar.TypeReg,
		body: `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<GAR-ENT-RespAff xmlns="http://data.education.fr/ns/gar" Version="1.7">` + validRespAff + "</GAR-ENT-RespAff>\n"}})
	data, err := os.ReadFile(tgz)
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(data)
	for _, md5Name := range []string{"ENTFICTIF1_GAR-ENT_Complet_20261122_223000.md5", "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tgz.md5"} {
		dir := t.TempDir()
		arch := filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tgz")
		if err := os.WriteFile(arch, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, md5Name), []byte(hex.EncodeToString(sum[:])+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, src := range []string{arch, dir} {
			env := newEnv()
			env.Opts.XSDEngine = garfeed.EngineGo
			for _, f := range Check(env, src) {
				if (f.Rule == "GAR-003" && f.Status != result.Pass) || (f.Rule == "GAR-001" && f.Status != result.Pass) {
					t.Errorf("%s given %s: %s %s: %s", md5Name, filepath.Base(src), f.Rule, f.Status, f.MessageEN)
				}
			}
		}
	}
}

// TestStaffAgeBounds: GAREnseignant holds every staff member, apprentices
// included (from 16): a 17-year-old apprentice in vie scolaire is
// plausible, a 15-year-old is not (at the test clock, 2026-11-23).
func TestStaffAgeBounds(t *testing.T) {
	for _, c := range []struct {
		date string
		want result.Status
	}{
		{"2009-06-01", result.Pass}, // 17
		{"2010-11-23", result.Pass}, // 16 today
		{"2011-06-01", result.Fail}, // 15
		{"1940-06-01", result.Fail}, // 86
	} {
		teacher := strings.Replace(teacherRattach("0861001W"), "<GARPersonDateNaissance>1981-01-25<", "<GARPersonDateNaissance>"+c.date+"<", 1)
		for eng, byRule := range checkShape(t, shapeFeed(teacher)) {
			var got []result.Status
			for _, f := range byRule["GAR-014"] {
				got = append(got, f.Status)
			}
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("%s %s: GAR-014 %v, want %s", eng, c.date, got, c.want)
			}
		}
	}
}
