package gar

import (
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
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
