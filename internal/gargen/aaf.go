package gargen

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var fixedTime = time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC)

// aafDate turns an xs:date into the AAF's dd/MM/yyyy.
func aafDate(d string) string { return d[8:10] + "/" + d[5:7] + "/" + d[0:4] }

// AAFJointure is the AAF jointure of a generated person (the ENT keeps the
// link to its own identifier in its directory).
func AAFJointure(kind byte, n int) string { return fmt.Sprintf("%c%07d", kind-32, 1000000+n) }

type aafWriter struct {
	bw *bufio.Writer
	f  *os.File
}

func newAAF(dir, kind string) (*aafWriter, error) {
	f, err := os.Create(filepath.Join(dir, "ENT_Complet_20261122_"+kind+"_0000.xml"))
	if err != nil {
		return nil, fmt.Errorf("create AAF sample: %w", err)
	}
	w := &aafWriter{bw: bufio.NewWriter(f), f: f}
	w.bw.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- versionAF=\"AAF-VE1301\" (échantillon synthétique, noms fictifs) -->\n<ficAlimMENESR>\n")
	return w, nil
}

func (w *aafWriter) add(cat, catVal, id string, attrs [][2]string) {
	var b strings.Builder
	fmt.Fprintf(&b, "  <addRequest>\n    <operationalAttributes><attr name=%q><value>%s</value></attr></operationalAttributes>\n    <identifier><id>%s</id></identifier>\n    <attributes>\n", cat, catVal, id)
	for _, a := range attrs {
		b.WriteString("      <attr name=\"" + a[0] + "\">")
		for _, v := range strings.Split(a[1], "\n") {
			if v == "" {
				b.WriteString("<value/>")
				continue
			}
			b.WriteString("<value>")
			xmlEscape(&b, v)
			b.WriteString("</value>")
		}
		b.WriteString("</attr>\n")
	}
	b.WriteString("    </attributes>\n  </addRequest>\n")
	w.bw.WriteString(b.String())
}

func (w *aafWriter) close() error {
	w.bw.WriteString("</ficAlimMENESR>\n")
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Close()
}

// writeAAF writes EtabEducNat, Eleve and PersEducNat samples consistent
// with the feed (same names, birth dates, structures and classes), with
// the attribute names of the degree's AAF export.
func writeAAF(o Options, schools []school) error {
	oneD := o.Degree == "1D"
	nm := naming{oneD: oneD}
	if err := os.MkdirAll(o.AAFDir, 0o755); err != nil {
		return fmt.Errorf("create AAF directory: %w", err)
	}
	et, err := newAAF(o.AAFDir, "EtabEducNat")
	if err != nil {
		return err
	}
	for i, s := range schools {
		attrs := [][2]string{
			{"ENTStructureJointure", s.jointure}, {"ENTStructureUAI", s.uai},
			{"ENTStructureNomCourant", nm.school(i)}, {"ENTStructureSIREN", fmt.Sprintf("2086%05d00017", i)},
		}
		if oneD {
			attrs = append(attrs, [2]string{"ENTEcoleCommune", "VILLE-FICTIVE"})
		} else {
			attrs = append(attrs, [2]string{"ENTStructureTypeStruct", "CLG"})
		}
		et.add("categorieStructure", "EtabEducNat", s.jointure, attrs)
	}
	if err := et.close(); err != nil {
		return err
	}
	el, err := newAAF(o.AAFDir, "Eleve")
	if err != nil {
		return err
	}
	for _, s := range schools {
		for k := 0; k < s.pupils; k++ {
			n := s.firstPupil + k
			p := pupil(n, 0, k/28, oneD)
			j := AAFJointure('e', n)
			title := p.Civilite
			if oneD {
				el.add("categoriePersonne", "Eleve", j, [][2]string{
					{"ENTPersonJointure", j}, {"ENTPersonDateNaissance", aafDate(p.Birth)},
					{"ENTPersonNom", p.Nom}, {"ENTPersonPrenom", p.Prenom}, {"ENTPersonAutresPrenoms", p.Prenom}, {"ENTPersonCivilite", title},
					{"ENTPersonStructRattach", s.jointure}, {"ENTPersonClasses", classCode(k / 28)}, {"ENTEleveNiveau", levels1D[(k/28)%4]},
				})
				continue
			}
			el.add("categoriePersonne", "Eleve", j, [][2]string{
				{"ENTPersonJointure", j}, {"ENTPersonDateNaissance", aafDate(p.Birth)}, {"ENTPersonNomPatro", p.Nom},
				{"sn", p.Nom}, {"givenName", p.Prenom}, {"ENTPersonAutresPrenoms", p.Prenom}, {"personalTitle", title},
				{"ENTPersonStructRattach", s.jointure}, {"ENTEleveStructRattachId", s.jointure},
				{"ENTEleveClasses", s.jointure + "$" + divCode(k/28)}, {"ENTEleveMEF", mefs[(k/28)%4][0]},
			})
		}
	}
	if err := el.close(); err != nil {
		return err
	}
	pe, err := newAAF(o.AAFDir, "PersEducNat")
	if err != nil {
		return err
	}
	for _, s := range schools {
		for k := 0; k < s.teachers; k++ {
			n := s.firstTeacher + k
			t := teacher(n, 0)
			j := AAFJointure('t', n)
			_, code, lib := nm.teacherProfile(k)
			if oneD {
				pe.add("categoriePersonne", "PersEducNat", j, [][2]string{
					{"ENTPersonJointure", j}, {"ENTPersonDateNaissance", aafDate(t.Birth)},
					{"ENTPersonNom", t.Nom}, {"ENTPersonPrenom", t.Prenom}, {"ENTPersonAutresPrenoms", t.Prenom}, {"ENTPersonCivilite", t.Civilite},
					{"ENTPersonMail", fmt.Sprintf("enseignant.%d@ac-fictif.fr", n+1)},
					{"ENTPersonStructRattach", s.jointure},
					{"ENTPersonFonctions", s.jointure + "$" + code + "$" + lib + "$-$-"},
					{"ENTEnsSpecialites", "G0010"},
				})
				continue
			}
			pe.add("categoriePersonne", "PersEducNat", j, [][2]string{
				{"ENTPersonJointure", j}, {"ENTPersonDateNaissance", aafDate(t.Birth)}, {"ENTPersonNomPatro", t.Nom},
				{"sn", t.Nom}, {"givenName", t.Prenom}, {"ENTPersonAutresPrenoms", t.Prenom}, {"personalTitle", t.Civilite},
				{"ENTPersonStructRattach", s.jointure},
				{"ENTPersonFonctions", s.jointure + "$" + code + "$" + lib + "$" + disciplines[k%len(disciplines)] + "$DISCIPLINE"},
				{"ENTAuxEnsDisciplinesPoste", "DISCIPLINE$" + disciplines[k%len(disciplines)]},
			})
		}
	}
	return pe.close()
}
