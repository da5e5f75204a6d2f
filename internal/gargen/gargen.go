// Package gargen writes realistic synthetic GAR feeds (2D, XSD v1.7, or
// 1D, XSD v1.4) with
// fake names, and AAF samples consistent with them. It feeds the fixtures
// and the benchmark; every value is invented.
//
// Proportions: collèges of about 600 pupils, divisions of 28 pupils, one
// group (GROUPE) per two divisions, one teacher per 12 pupils, 4 MEF and 12
// matières per school, one MEF and two enseignements per pupil, each teacher
// in three divisions and one group. Files are split at 10,000 items, as the
// GAR's exporters do.
//
// In 1D the feed describes écoles élémentaires instead: pupils aged 6 to
// 10, classes named after their level (CP-A, CE1-A…), a directeur
// (National_dir) as first teacher and responsable d'affectation, teachers'
// spécialités instead of disciplines, MEFSTAT4 codes, and AAF samples with
// the 1D attribute names (ENTPersonNom, ENTPersonPrenom, ENTPersonCivilite,
// ENTPersonClasses, ENTEleveNiveau, ENTEnsSpecialites, ENTEcoleCommune).
package gargen

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Options drive Generate.
type Options struct {
	Pupils int
	IDEnt  string // file prefix, e.g. ENTFICTIF1
	Stamp  string // "yyyyMMdd_HHmmss"
	Out    string // output directory
	// Tar packs the files in {prefix}_GAR-ENT_Complet_{stamp}.tar.gz with
	// its .md5 instead of loose files.
	Tar bool
	// AAFDir, when set, receives AAF samples (EtabEducNat, Eleve,
	// PersEducNat) for the same persons.
	AAFDir string
	// PerFile is the split size (default 10,000).
	PerFile int
	// Degree is "2D" (default) or "1D" (XSD 1D v1.4: no GARMEF, GARMatiere
	// or teachers' subjects; MEFSTAT4 codes; teachers' spécialités).
	Degree string
}

// Counts reports what was written.
type Counts struct {
	Schools, Pupils, Teachers, Divisions, Groups, Records int
	Files                                                 []string
}

var (
	lastNames   = []string{"Exemple", "Fictif", "Modèle", "Témoin", "Essai", "Maquette", "Prototype", "Brouillon", "Ébauche", "Esquisse", "Patron", "Gabarit"}
	firstNames  = []string{"Camille", "Lou", "Sacha", "Alix", "Charlie", "Eden", "Noa", "Maël", "Andréa", "Dominique", "Claude", "Louison"}
	matieres    = [][2]string{{"020700", "FRANCAIS"}, {"061300", "MATHEMATIQUES"}, {"030201", "ANGLAIS LV1"}, {"030602", "ESPAGNOL LV2"}, {"040600", "HISTOIRE-GEOGRAPHIE"}, {"062400", "PHYSIQUE-CHIMIE"}, {"062900", "SCIENCES VIE ET TERRE"}, {"070800", "TECHNOLOGIE"}, {"080100", "ARTS PLASTIQUES"}, {"081000", "EDUCATION MUSICALE"}, {"100100", "EDUCATION PHYSIQUE ET SPORT"}, {"022300", "LATIN"}}
	mefs        = [][2]string{{"10010012110", "6EME"}, {"10110001110", "5EME"}, {"10210001110", "4EME"}, {"10310019110", "3EME"}}
	disciplines = []string{"L0202", "L1300", "L0422", "L1000", "L1500", "L1600", "L1400", "L1700"}
)

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// ID is the opaque identifier of person n of a kind.
func ID(kind byte, n int) string {
	return fmt.Sprintf("%c%015x", kind, mix(uint64(n)<<8|uint64(kind))>>4)
}

// UAI returns school i's UAI (valid check letter).
func UAI(i int) string {
	n := 861000 + i + 1
	return fmt.Sprintf("%07d%c", n, "ABCDEFGHJKLMNPRSTUVWXYZ"[n%23])
}

// writer splits records of one kind over files of PerFile items.
type writer struct {
	o      Options
	kind   string
	n      int
	part   int
	f      *os.File
	bw     *bufio.Writer
	files  *[]string
	err    error
	counts *Counts
}

func (w *writer) open() {
	name := fmt.Sprintf("%s_GAR-ENT_Complet_%s_%s_%s_%04d.xml", w.o.IDEnt, w.o.Stamp, w.o.Degree, w.kind, w.part)
	w.part++
	f, err := os.Create(filepath.Join(w.o.Out, name))
	if err != nil {
		w.err = err
		return
	}
	w.f, w.bw = f, bufio.NewWriterSize(f, 256<<10)
	*w.files = append(*w.files, name)
	ns, version := "http://data.education.fr/ns/gar", "1.7"
	if w.o.Degree == "1D" {
		ns, version = "http://data.education.fr/ns/gar/1d", "1.4"
	}
	fmt.Fprintf(w.bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<men:GAR-ENT-%s xmlns:men=%q Version=%q>\n", w.kind, ns, version)
}

func (w *writer) close() {
	if w.f == nil {
		return
	}
	fmt.Fprintf(w.bw, "</men:GAR-ENT-%s>\n", w.kind)
	if err := w.bw.Flush(); err != nil && w.err == nil {
		w.err = err
	}
	if err := w.f.Close(); err != nil && w.err == nil {
		w.err = err
	}
	w.f = nil
}

// item writes one record (already formatted).
func (w *writer) item(s string) {
	if w.err != nil {
		return
	}
	if w.f == nil || w.n == w.o.PerFile {
		w.close()
		w.open()
		w.n = 0
	}
	w.n++
	w.counts.Records++
	w.bw.WriteString(s)
}

func el(b *strings.Builder, name, val string) {
	b.WriteString("<men:")
	b.WriteString(name)
	b.WriteByte('>')
	xmlEscape(b, val)
	b.WriteString("</men:")
	b.WriteString(name)
	b.WriteString(">")
}

func xmlEscape(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
}

type school struct {
	uai, jointure    string
	pupils, teachers int
	firstPupil       int
	firstTeacher     int
	divisions        int
	groups           int
}

// Person is a generated person (exported for AAF samples and tests).
type Person struct {
	ID, Nom, Prenom, Civilite, Birth string
	School                           int
	Division                         int
}

func pupil(i, sc, div int, oneD bool) Person {
	h := mix(uint64(i) * 7)
	civ := "M."
	if h&1 == 1 {
		civ = "Mme"
	}
	year := 2011 + int(h>>8%4)
	if oneD {
		// Born in 2020 for a CP class in 2026-2027, 2019 for CE1, …
		year = 2020 - div%4
	}
	return Person{ID: ID('e', i), Nom: lastNames[h>>16%uint64(len(lastNames))], Prenom: firstNames[h>>24%uint64(len(firstNames))], Civilite: civ,
		Birth: fmt.Sprintf("%04d-%02d-%02d", year, 1+h>>32%12, 1+h>>40%28), School: sc, Division: div}
}

func teacher(i, sc int) Person {
	h := mix(uint64(i)*7 + 3)
	civ := "M."
	if h&1 == 1 {
		civ = "Mme"
	}
	return Person{ID: ID('t', i), Nom: lastNames[h>>16%uint64(len(lastNames))], Prenom: firstNames[h>>24%uint64(len(firstNames))], Civilite: civ,
		Birth: fmt.Sprintf("%04d-%02d-%02d", 1962+int(h>>8%38), 1+h>>32%12, 1+h>>40%28), School: sc}
}

// divCode names division d: 6A, 5A, 4A, 3A, 6B, ... (a number is added
// past 26 letters).
func divCode(d int) string {
	s := fmt.Sprintf("%d%c", 6-d%4, 'A'+rune(d/4%26))
	if d >= 104 {
		s += fmt.Sprint(d / 104)
	}
	return s
}
func grpCode(g int) string { return fmt.Sprintf("GR-LV2-%03d", g) }

// levels1D are the élémentaire levels of 1D classes, in the order of the
// mefstat4 codes.
var levels1D = []string{"CP", "CE1", "CE2", "CM1"}

// classCode names 1D class d: CP-A, CE1-A, CE2-A, CM1-A, CP-B, ...
func classCode(d int) string {
	s := fmt.Sprintf("%s-%c", levels1D[d%4], 'A'+rune(d/4%26))
	if d >= 104 {
		s += fmt.Sprint(d / 104)
	}
	return s
}

// naming gives the degree's structure, division and group names.
type naming struct {
	oneD bool
}

func (n naming) school(i int) string {
	if n.oneD {
		return fmt.Sprintf("ECOLE ELEMENTAIRE FICTIVE %d", i+1)
	}
	return fmt.Sprintf("COLLEGE FICTIF %d", i+1)
}

func (n naming) div(d int) string {
	if n.oneD {
		return classCode(d)
	}
	return divCode(d)
}

func (n naming) grp(g int) string {
	if n.oneD {
		return fmt.Sprintf("GR-DECL-%03d", g)
	}
	return grpCode(g)
}

func (n naming) grpLabel(g int) string {
	if n.oneD {
		return "Groupe décloisonné " + fmt.Sprint(g+1)
	}
	return "Groupe LV2 " + fmt.Sprint(g+1)
}

// teacherProfile is the GAR profile and AAF function of a school's k-th
// teacher: the first one is the documentaliste (2D) or the directeur
// d'école (1D).
func (n naming) teacherProfile(k int) (profil, code, lib string) {
	switch {
	case k != 0:
		return "National_ens", "ENS", "ENSEIGNEMENT"
	case n.oneD:
		return "National_dir", "DIR", "DIRECTION"
	}
	return "National_doc", "DOC", "DOCUMENTATION"
}

func (n naming) respAffMail(uai string) string {
	if n.oneD {
		return fmt.Sprintf("ce.%s@ac-fictif.fr", strings.ToLower(uai))
	}
	return fmt.Sprintf("documentation.%s@ac-fictif.fr", strings.ToLower(uai))
}

// Generate writes the feed (and AAF samples when asked).
func Generate(o Options) (*Counts, error) {
	if o.PerFile <= 0 {
		o.PerFile = 10000
	}
	if o.IDEnt == "" {
		o.IDEnt = "ENTFICTIF1"
	}
	if o.Stamp == "" {
		o.Stamp = "20261122_223000"
	}
	if o.Degree == "" {
		o.Degree = "2D"
	}
	if o.Degree != "1D" && o.Degree != "2D" {
		return nil, fmt.Errorf("generate feed: degree %q, expected 1D or 2D", o.Degree)
	}
	oneD := o.Degree == "1D"
	nm := naming{oneD: oneD}
	if o.Pupils < 1 {
		return nil, fmt.Errorf("generate feed: at least one pupil needed")
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("create output directory: %w", err)
	}
	c := &Counts{}
	nSchools := (o.Pupils + 599) / 600
	schools := make([]school, nSchools)
	p, t := 0, 0
	for i := range schools {
		n := o.Pupils / nSchools
		if i < o.Pupils%nSchools {
			n++
		}
		nt := (n + 11) / 12
		if nt < 3 {
			nt = 3
		}
		nd := (n + 27) / 28
		schools[i] = school{uai: UAI(i), jointure: fmt.Sprintf("%d", 52000+i), pupils: n, teachers: nt, firstPupil: p, firstTeacher: t, divisions: nd, groups: (nd + 1) / 2}
		p += n
		t += nt
		c.Divisions += nd
		c.Groups += (nd + 1) / 2
	}
	c.Schools, c.Pupils, c.Teachers = nSchools, p, t
	var files []string
	mk := func(kind string) *writer { return &writer{o: o, kind: kind, files: &files, counts: c} }
	var b strings.Builder

	// Etab.
	w := mk("Etab")
	for i, s := range schools {
		b.Reset()
		b.WriteString("<men:GAREtab>")
		el(&b, "GARStructureUAI", s.uai)
		el(&b, "GARStructureNomCourant", nm.school(i))
		el(&b, "GARStructureContrat", "PU")
		b.WriteString("</men:GAREtab>\n")
		w.item(b.String())
	}
	if !oneD { // the 1D v1.4 schema has no GARMEF nor GARMatiere
		for _, s := range schools {
			for _, m := range mefs {
				b.Reset()
				b.WriteString("<men:GARMEF>")
				el(&b, "GARStructureUAI", s.uai)
				el(&b, "GARMEFCode", m[0])
				el(&b, "GARMEFLibelle", m[1])
				b.WriteString("</men:GARMEF>\n")
				w.item(b.String())
			}
		}
		for _, s := range schools {
			for _, m := range matieres {
				b.Reset()
				b.WriteString("<men:GARMatiere>")
				el(&b, "GARStructureUAI", s.uai)
				el(&b, "GARMatiereCode", m[0])
				el(&b, "GARMatiereLibelle", m[1])
				b.WriteString("</men:GARMatiere>\n")
				w.item(b.String())
			}
		}
	}
	w.close()
	if w.err != nil {
		return nil, w.err
	}

	// Eleve.
	w = mk("Eleve")
	forPupils := func(f func(s school, n, div int)) {
		for si, s := range schools {
			_ = si
			for k := 0; k < s.pupils; k++ {
				f(s, s.firstPupil+k, k/28)
			}
		}
	}
	forPupils(func(s school, n, div int) {
		pp := pupil(n, 0, div, oneD)
		b.Reset()
		b.WriteString("<men:GAREleve>")
		el(&b, "GARPersonIdentifiant", pp.ID)
		b.WriteString("<men:GARPersonProfils>")
		el(&b, "GARStructureUAI", s.uai)
		el(&b, "GARPersonProfil", "National_elv")
		b.WriteString("</men:GARPersonProfils>")
		el(&b, "GARPersonNom", pp.Nom)
		el(&b, "GARPersonPrenom", pp.Prenom)
		el(&b, "GARPersonAutresPrenoms", pp.Prenom)
		el(&b, "GARPersonCivilite", pp.Civilite)
		el(&b, "GARPersonStructRattach", s.uai)
		el(&b, "GARPersonEtab", s.uai)
		el(&b, "GARPersonDateNaissance", pp.Birth)
		b.WriteString("</men:GAREleve>\n")
		w.item(b.String())
	})
	forPupils(func(s school, n, div int) {
		b.Reset()
		personMEF(&b, oneD, s.uai, ID('e', n), div%4)
		w.item(b.String())
	})
	forPupils(func(s school, n, div int) {
		if oneD {
			return
		}
		for _, m := range []string{matieres[2][0], matieres[3+int(n%2)*8][0]} {
			b.Reset()
			b.WriteString("<men:GAREleveEnseignement>")
			el(&b, "GARStructureUAI", s.uai)
			el(&b, "GARPersonIdentifiant", ID('e', n))
			el(&b, "GARMatiereCode", m)
			b.WriteString("</men:GAREleveEnseignement>\n")
			w.item(b.String())
		}
	})
	w.close()
	if w.err != nil {
		return nil, w.err
	}

	// Enseignant.
	w = mk("Enseignant")
	for _, s := range schools {
		for k := 0; k < s.teachers; k++ {
			tp := teacher(s.firstTeacher+k, 0)
			profil, _, _ := nm.teacherProfile(k)
			b.Reset()
			b.WriteString("<men:GAREnseignant>")
			el(&b, "GARPersonIdentifiant", tp.ID)
			b.WriteString("<men:GARPersonProfils>")
			el(&b, "GARStructureUAI", s.uai)
			el(&b, "GARPersonProfil", profil)
			b.WriteString("</men:GARPersonProfils>")
			el(&b, "GARPersonNom", tp.Nom)
			el(&b, "GARPersonPrenom", tp.Prenom)
			el(&b, "GARPersonAutresPrenoms", tp.Prenom)
			el(&b, "GARPersonCivilite", tp.Civilite)
			el(&b, "GARPersonStructRattach", s.uai)
			el(&b, "GARPersonEtab", s.uai)
			el(&b, "GARPersonDateNaissance", tp.Birth)
			if oneD {
				b.WriteString("<men:GAREnsSpecialitesPostes>")
				el(&b, "GARStructureUAI", s.uai)
				el(&b, "GAREnsSpecialitePosteCode", "G0010")
				b.WriteString("</men:GAREnsSpecialitesPostes>")
			} else {
				b.WriteString("<men:GAREnsDisciplinesPostes>")
				el(&b, "GARStructureUAI", s.uai)
				el(&b, "GAREnsDisciplinePosteCode", disciplines[k%len(disciplines)])
				b.WriteString("</men:GAREnsDisciplinesPostes>")
			}
			b.WriteString("</men:GAREnseignant>\n")
			w.item(b.String())
		}
	}
	for _, s := range schools {
		for k := 0; k < s.teachers; k++ {
			b.Reset()
			personMEF(&b, oneD, s.uai, ID('t', s.firstTeacher+k), k%4)
			w.item(b.String())
		}
	}
	w.close()
	if w.err != nil {
		return nil, w.err
	}

	// RespAff.
	w = mk("RespAff")
	for i, s := range schools {
		b.Reset()
		b.WriteString("<men:GARRespAff>")
		el(&b, "GARPersonIdentifiant", ID('t', s.firstTeacher))
		el(&b, "GARPersonNom", lastNames[i%len(lastNames)])
		el(&b, "GARPersonPrenom", firstNames[i%len(firstNames)])
		el(&b, "GARPersonCivilite", "Mme")
		el(&b, "GARPersonMail", nm.respAffMail(s.uai))
		el(&b, "GARRespAffEtab", s.uai)
		b.WriteString("</men:GARRespAff>\n")
		w.item(b.String())
	}
	w.close()
	if w.err != nil {
		return nil, w.err
	}

	// Groupe.
	w = mk("Groupe")
	for _, s := range schools {
		for d := 0; d < s.divisions; d++ {
			b.Reset()
			b.WriteString("<men:GARGroupe>")
			el(&b, "GARGroupeCode", nm.div(d))
			el(&b, "GARStructureUAI", s.uai)
			el(&b, "GARGroupeLibelle", "Division "+nm.div(d))
			el(&b, "GARGroupeStatut", "DIVISION")
			b.WriteString("</men:GARGroupe>\n")
			w.item(b.String())
		}
		for g := 0; g < s.groups; g++ {
			b.Reset()
			b.WriteString("<men:GARGroupe>")
			el(&b, "GARGroupeCode", nm.grp(g))
			el(&b, "GARStructureUAI", s.uai)
			el(&b, "GARGroupeLibelle", nm.grpLabel(g))
			el(&b, "GARGroupeStatut", "GROUPE")
			el(&b, "GARGroupeDivAppartenance", nm.div(2*g))
			if 2*g+1 < s.divisions {
				el(&b, "GARGroupeDivAppartenance", nm.div(2*g+1))
			}
			b.WriteString("</men:GARGroupe>\n")
			w.item(b.String())
		}
	}
	link := func(uai, id, code string) {
		b.Reset()
		b.WriteString("<men:GARPersonGroupe>")
		el(&b, "GARStructureUAI", uai)
		el(&b, "GARPersonIdentifiant", id)
		el(&b, "GARGroupeCode", code)
		b.WriteString("</men:GARPersonGroupe>\n")
		w.item(b.String())
	}
	forPupils(func(s school, n, div int) {
		link(s.uai, ID('e', n), nm.div(div))
		if n%2 == 1 {
			link(s.uai, ID('e', n), nm.grp(div/2))
		}
	})
	for _, s := range schools {
		for k := 0; k < s.teachers; k++ {
			id := ID('t', s.firstTeacher+k)
			for j := 0; j < 3 && j < s.divisions; j++ {
				link(s.uai, id, nm.div((k*3+j)%s.divisions))
			}
			link(s.uai, id, nm.grp(k%s.groups))
		}
	}
	if !oneD { // no teacher–subject links in the 1D v1.4 schema
		for _, s := range schools {
			for k := 0; k < s.teachers; k++ {
				b.Reset()
				b.WriteString("<men:GAREnsGroupeMatiere>")
				el(&b, "GARStructureUAI", s.uai)
				el(&b, "GARPersonIdentifiant", ID('t', s.firstTeacher+k))
				el(&b, "GARGroupeCode", grpCode(k%s.groups))
				el(&b, "GARMatiereCode", matieres[3][0])
				b.WriteString("</men:GAREnsGroupeMatiere>\n")
				w.item(b.String())
			}
		}
		for _, s := range schools {
			for k := 0; k < s.teachers; k++ {
				for j := 0; j < 3 && j < s.divisions; j++ {
					b.Reset()
					b.WriteString("<men:GAREnsClasseMatiere>")
					el(&b, "GARStructureUAI", s.uai)
					el(&b, "GARPersonIdentifiant", ID('t', s.firstTeacher+k))
					el(&b, "GARGroupeCode", divCode((k*3+j)%s.divisions))
					el(&b, "GARMatiereCode", matieres[k%len(matieres)][0])
					b.WriteString("</men:GAREnsClasseMatiere>\n")
					w.item(b.String())
				}
			}
		}
	}
	w.close()
	if w.err != nil {
		return nil, w.err
	}
	c.Files = files
	if o.AAFDir != "" {
		if err := writeAAF(o, schools); err != nil {
			return nil, err
		}
	}
	if o.Tar {
		if err := pack(o, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// pack moves the files into a tar.gz and writes its .md5.
func pack(o Options, c *Counts) error {
	name := fmt.Sprintf("%s_GAR-ENT_Complet_%s.tar.gz", o.IDEnt, o.Stamp)
	f, err := os.Create(filepath.Join(o.Out, name))
	if err != nil {
		return fmt.Errorf("create archive: %w", err)
	}
	h := md5.New()
	gz := gzip.NewWriter(io.MultiWriter(f, h))
	tw := tar.NewWriter(gz)
	for _, fn := range c.Files {
		p := filepath.Join(o.Out, fn)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: fn, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg, ModTime: fixedTime}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
		os.Remove(p)
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(o.Out, strings.TrimSuffix(name, ".tar.gz")+".md5"), []byte(hex.EncodeToString(h.Sum(nil))+"\n"), 0o644)
}

// mefstat4 are 1D level codes (4 characters), standing for CP to CM2.
var mefstat4 = []string{"2111", "2112", "2211", "2212"}

// personMEF writes a person's MEF link (GARPersonMEF in 2D,
// GARPersonMEFSTAT4 in 1D).
func personMEF(b *strings.Builder, oneD bool, uai, id string, level int) {
	if oneD {
		b.WriteString("<men:GARPersonMEFSTAT4>")
		el(b, "GARStructureUAI", uai)
		el(b, "GARPersonIdentifiant", id)
		el(b, "GARMEFSTAT4Code", mefstat4[level])
		b.WriteString("</men:GARPersonMEFSTAT4>\n")
		return
	}
	b.WriteString("<men:GARPersonMEF>")
	el(b, "GARStructureUAI", uai)
	el(b, "GARPersonIdentifiant", id)
	el(b, "GARMEFCode", mefs[level][0])
	b.WriteString("</men:GARPersonMEF>\n")
}
