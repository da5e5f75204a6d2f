// Package gar audits a GAR feed export (alimentation GAR): file naming and
// packaging, validity against the GAR XSDs (2D v1.7, 1D v1.4), referential
// integrity across the files of the export, values the XSD does not
// enforce, and data minimisation.
//
// Files are streamed by the feed reader (internal/garfeed): each is read
// once (hashed, validated by the XSD engine and decoded at the same time),
// the files of an export are read in parallel, and what this package keeps
// across files is compact sets of identifiers.
package gar

import (
	"context"
	"errors"
	"fmt"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Stats sums up a run, for the benchmark.
type Stats struct {
	Files   int
	Records int64
	Bytes   int64
	// Engine names the XSD validator that ran.
	Engine string
}

// Check audits one GAR export: a directory of loose XML files, a directory
// holding the tar.gz (and its .md5), or the tar.gz itself.
func Check(env *checks.Env, src string) []result.Finding {
	fs, _ := Run(env, src, garfeed.DefaultLimits)
	return fs
}

// Run is Check with explicit limits; it also returns statistics.
func Run(env *checks.Env, src string, lim garfeed.Limits) ([]result.Finding, Stats) {
	var st Stats
	eng, err := garfeed.ResolveEngine(env.Opts.XSDEngine)
	if err != nil {
		return checks.Unreadable(rules.AreaGAR, err), st
	}
	st.Engine = eng.Label
	f, err := garfeed.OpenCached(env.Context(), env.Cache, env.Loader, src, lim)
	if err != nil {
		return checks.Unreadable(rules.AreaGAR, err), st
	}
	defer f.Cleanup()
	// The pseudonyms' key (the first MiB of every file) is derived while
	// the workers read the files.
	pseudo, keyErr := mask.DerivePseudonymizer(func() ([32]byte, error) { return garfeed.PseudonymKey(f.Members) })
	s := newState(src, pseudo)
	vis := &visitor{s: s, now: env.Now}
	infos, err := scanAll(env.Context(), env.Loader, f.Members, lim, eng, s, vis.visit)
	if errors.Is(err, garfeed.ErrRescan) {
		// A file stopped the single pass and was then accepted: read the
		// feed again in two passes, from a fresh state.
		eng.TwoPass = true
		s = newState(src, pseudo)
		vis = &visitor{s: s, now: env.Now}
		infos, err = scanAll(env.Context(), env.Loader, f.Members, lim, eng, s, vis.visit)
	}
	if kerr := keyErr(); kerr != nil {
		// As before any file is read: the key's reading failed first.
		return checks.Unreadable(rules.AreaGAR, kerr), st
	}
	if err != nil {
		return checks.Unreadable(rules.AreaGAR, err), st
	}
	s.finish()
	for _, fi := range infos {
		st.Files++
		st.Records += fi.Records
		st.Bytes += fi.Bytes
	}
	var out []result.Finding
	out = append(out, checkNaming(env, infos, f.Archive, f.NotRead)...)
	out = append(out, checkDegree(env, infos)...)
	out = append(out, checkArchive(f.Archive)...)
	out = append(out, checkVersion(infos)...)
	out = append(out, checkKinds(infos, src)...)
	out = append(out, checkSchema(infos, eng, s.extent())...)
	for _, r := range []struct {
		id     *rules.Rule
		fr, en string
	}{
		{rules.GAR006, "Chaque UAI utilisé est décrit par un GAREtab, une seule fois.", "Every UAI used is described by exactly one GAREtab."},
		{rules.GAR007, "Aucun GARPersonIdentifiant n'apparaît deux fois dans l'export.", "No GARPersonIdentifiant appears twice in the export."},
		{rules.GAR008, "Les rattachements aux groupes désignent des groupes existants et des personnes de l'UAI.", "Group links name existing groups and persons of the UAI."},
		{rules.GAR009, "Divisions et groupes sont cohérents (statut, division d'appartenance, matières par division/groupe).", "Divisions and groups are consistent (status, parent division, subjects per division/group)."},
		{rules.GAR010, "Matières et MEF utilisés sont déclarés pour leur UAI et les personnes y sont rattachées.", "Subjects and MEF used are declared for their UAI and the persons belong to it."},
		{rules.GAR011, "Les UAI ont 7 chiffres et la bonne lettre clé.", "UAIs have 7 digits and the right check letter."},
		{rules.GAR012, "Les profils sont parmi National_elv/ens/doc/dir/evs/eta/col.", "Profiles are among National_elv/ens/doc/dir/evs/eta/col."},
		{rules.GAR013, "Les civilités sont « M. » ou « Mme ».", "Titles are \"M.\" or \"Mme\"."},
		{rules.GAR014, "Les dates de naissance sont vraisemblables pour le profil.", "Birth dates are plausible for the profile."},
		{rules.GAR015, "Aucune donnée personnelle superflue n'est envoyée au GAR.", "No unneeded personal data is sent to the GAR."},
	} {
		if fs := s.viol.findings(r.id); len(fs) > 0 {
			out = append(out, fs...)
			continue
		}
		fr, en := r.fr, r.en
		if t, ok := passText1D[r.id]; ok && all1D(infos) {
			fr, en = t[0], t[1]
		}
		out = append(out, checks.Pass(r.id,
			fmt.Sprintf("%s (%d fichiers, %d enregistrements)", fr, st.Files, st.Records),
			fmt.Sprintf("%s (%d files, %d records)", en, st.Files, st.Records),
			result.Evidence{Source: src}))
	}
	return out, st
}

// passText1D words the passes of the rules whose 2D wording names records
// a 1D feed cannot hold: the GAR XSD 1D v1.4 defines no GARMatiere, GARMEF,
// GAREleveEnseignement nor teacher–subject links (GAREnsClasseMatiere,
// GAREnsGroupeMatiere); levels are national MEFSTAT4 codes
// (GARPersonMEFSTAT4), declared by no record of the feed. A pass on a 1D
// feed therefore says what was actually checked.
var passText1D = map[*rules.Rule][2]string{
	rules.GAR009: {"Divisions et groupes sont cohérents (statut, division d'appartenance ; pas de matières dans le schéma 1D v1.4).",
		"Divisions and groups are consistent (status, parent division; no subjects in the 1D v1.4 schema)."},
	rules.GAR010: {"Flux 1D v1.4 sans matières ni MEF (niveaux en codes MEFSTAT4 nationaux) : chaque GARPersonMEFSTAT4 désigne une personne de son UAI.",
		"1D v1.4 feed with no subjects nor MEF (levels as national MEFSTAT4 codes): every GARPersonMEFSTAT4 names a person of its UAI."},
}

// all1D says whether every file of the export is a 1D one.
func all1D(infos []*garfeed.File) bool {
	for _, fi := range infos {
		if fi.NS != garfeed.NS1D {
			return false
		}
	}
	return len(infos) > 0
}

// phaseOf sets the phases by root element: establishments first, then
// persons, then groups, so that a reference to an earlier phase's
// definitions is settled as soon as it is met.
func phaseOf(root string) int {
	switch root {
	case "GAR-ENT-Etab":
		return 0
	case "GAR-ENT-Groupe":
		return 2
	}
	return 1
}

// scanAll reads the members in parallel (bounded pool of GOMAXPROCS
// workers, each with its own reusable validation sessions), phase by
// phase. Within a phase, files of different kinds (root elements) are
// interleaved, each kind in name order: a big teachers' file then starts
// early instead of ending the phase alone on one core, and the files of a
// kind keep their natural order (definitions before the links that name
// them), which keeps the pending references few.
func scanAll(ctx context.Context, ld garfeed.Loader, ms []garfeed.Member, lim garfeed.Limits, eng garfeed.Engine, s *state, visit func(*fileInfo, *garfeed.Record)) ([]*garfeed.File, error) {
	return scanWith(ctx, ld, ms, lim, eng, s, visit, defaultWorkers())
}

// defaultWorkers is the size of the pool: GOMAXPROCS, between 2 and 8.
func defaultWorkers() int {
	return min(max(runtime.GOMAXPROCS(0), 2), 8)
}

// scanWith is scanAll with a given number of workers (tests use one to
// check the schedule without racing workers).
func scanWith(ctx context.Context, ld garfeed.Loader, ms []garfeed.Member, lim garfeed.Limits, eng garfeed.Engine, s *state, visit func(*fileInfo, *garfeed.Record), workers int) ([]*garfeed.File, error) {
	infos := make([]*garfeed.File, len(ms))
	errs := make([]error, len(ms))
	phases := make([]int, len(ms))
	roots := make([]string, len(ms))
	for i, m := range ms {
		roots[i] = garfeed.RootOf(m)
		phases[i] = phaseOf(roots[i])
	}
	// One reader per worker, its validation sessions reused across files
	// and phases (a session is used by one file at a time).
	pool := make([]*garfeed.Reader, workers)
	for w := range pool {
		pool[w] = garfeed.NewReader(eng)
	}
	s.sizePersons(ms, phases)
	for ph := 0; ph < 3; ph++ {
		s.phase.Store(int32(ph))
		idx := interleaveKinds(ms, roots, phases, ph)
		jobs := make(chan int)
		var wg sync.WaitGroup
		for w := 0; w < workers && w < len(idx); w++ {
			wg.Add(1)
			go func(vs *garfeed.Reader) {
				defer wg.Done()
				for i := range jobs {
					if err := ctx.Err(); err != nil {
						errs[i] = &input.Error{Source: ms[i].Source, Err: garfeed.Interrupted(err)}
						continue
					}
					// The file's persons are kept with it and added to
					// the state by batches (addPersons).
					fi := &fileInfo{}
					infos[i], errs[i] = vs.ReadFile(ctx, ld, ms[i], lim, func(f *garfeed.File, r *garfeed.Record) {
						fi.File = f
						visit(fi, r)
					})
					if infos[i] != nil {
						s.addPersons(fi)
					}
				}
			}(pool[w])
		}
		for _, i := range idx {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
		for _, i := range idx {
			if errs[i] != nil {
				return nil, errs[i]
			}
		}
	}
	return infos, nil
}

// interleaveKinds returns the members of phase ph (ms is in name order)
// round-robin across root elements, each root's files in name order.
func interleaveKinds(ms []garfeed.Member, roots []string, phases []int, ph int) []int {
	byRoot := map[string][]int{}
	var kinds []string
	for i := range ms {
		if phases[i] != ph {
			continue
		}
		if _, ok := byRoot[roots[i]]; !ok {
			kinds = append(kinds, roots[i])
		}
		byRoot[roots[i]] = append(byRoot[roots[i]], i)
	}
	sort.Strings(kinds)
	var idx []int
	for left := true; left; {
		left = false
		for _, k := range kinds {
			if q := byRoot[k]; len(q) > 0 {
				idx = append(idx, q[0])
				byRoot[k] = q[1:]
				left = true
			}
		}
	}
	return idx
}

// NameRe is the observed naming of complete export files.
var NameRe = regexp.MustCompile(`^([A-Za-z0-9-]+(?:_[A-Za-z0-9-]+)*)_GAR-ENT_Complet_(\d{8})_(\d{6})_(1D|2D)_(Eleve|Enseignant|Etab|Groupe|RespAff)_(\d{4})\.xml$`)

// checkNaming: GAR-001.
func checkNaming(env *checks.Env, infos []*garfeed.File, a *garfeed.Archive, notRead []garfeed.DirEntry) []result.Finding {
	var out []result.Finding
	stamps := map[string]string{}
	prefixes := map[string]string{}
	seq := map[string]string{}
	for _, fi := range infos {
		m := NameRe.FindStringSubmatch(fi.Member.Name)
		e := result.Evidence{Source: fi.Member.Source, Excerpt: fi.Member.Name}
		if m == nil {
			out = append(out, checks.Fail(rules.GAR001,
				fmt.Sprintf("Nom de fichier non conforme : %s (attendu {idENT}_GAR-ENT_Complet_{aaaammjj}_{hhmmss}_{1D|2D}_{Eleve|Enseignant|Etab|Groupe|RespAff}_{NNNN}.xml).", fi.Member.Name),
				fmt.Sprintf("File name does not follow the pattern: %s (expected {idENT}_GAR-ENT_Complet_{yyyyMMdd}_{HHmmss}_{1D|2D}_{Eleve|Enseignant|Etab|Groupe|RespAff}_{NNNN}.xml).", fi.Member.Name), e))
			continue
		}
		prefixes[m[1]] = fi.Member.Source
		stamps[m[2]+"_"+m[3]] = fi.Member.Source
		if want := "GAR-ENT-" + m[5]; fi.Root != want {
			out = append(out, checks.Fail(rules.GAR001,
				fmt.Sprintf("Le nom annonce %s mais l'élément racine est %s.", m[5], fi.Root),
				fmt.Sprintf("The name says %s but the root element is %s.", m[5], fi.Root), e))
		}
		k := m[5] + "_" + m[6]
		if prev, dup := seq[k]; dup {
			out = append(out, checks.Fail(rules.GAR001, "Numéro de fichier en double : "+k+" (aussi "+prev+").", "Duplicate file number: "+k+" (also "+prev+").", e))
		}
		seq[k] = fi.Member.Source
		if id := env.Opts.IDEnt; id != "" && m[1] != id {
			out = append(out, checks.Fail(rules.GAR001,
				fmt.Sprintf("Préfixe %q différent de l'identifiant ENT déclaré (%s).", m[1], id),
				fmt.Sprintf("Prefix %q differs from the declared ENT identifier (%s).", m[1], id), e))
		}
	}
	if len(prefixes) > 1 {
		out = append(out, checks.Fail(rules.GAR001, "Plusieurs préfixes idENT dans un même export : "+strings.Join(sortedKeys(prefixes), ", ")+".", "Several idENT prefixes in one export: "+strings.Join(sortedKeys(prefixes), ", ")+"."))
	}
	if len(stamps) > 1 {
		out = append(out, checks.Fail(rules.GAR001, "Plusieurs horodatages dans un même export complet : "+strings.Join(sortedKeys(stamps), ", ")+".", "Several timestamps in one complete export: "+strings.Join(sortedKeys(stamps), ", ")+"."))
	}
	if a != nil {
		for _, o := range a.Others {
			out = append(out, checks.Warn(rules.GAR001, "Fichier inattendu dans l'archive : "+o+".", "Unexpected file in the archive: "+o+".", result.Evidence{Source: a.Source + "!" + o}))
		}
	}
	for _, e := range notRead {
		name := path.Base(e.Source)
		fr, en := name, name
		if e.Dir {
			fr, en = name+"/ (sous-répertoire)", name+"/ (subdirectory)"
		}
		out = append(out, checks.Warn(rules.GAR001, "Entrée non lue dans le répertoire de l'export : "+fr+".", "Entry not read in the feed directory: "+en+".", result.Evidence{Source: e.Source}))
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.GAR001, fmt.Sprintf("Les %d fichiers suivent le nommage des exports complets.", len(infos)), fmt.Sprintf("The %d files follow the complete-export naming.", len(infos))))
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkDegree: GAR-002 (name level, namespace and declared degree agree).
func checkDegree(env *checks.Env, infos []*garfeed.File) []result.Finding {
	var out []result.Finding
	degree := strings.ToUpper(strings.TrimSpace(env.Opts.Degree))
	for _, fi := range infos {
		nsLevel := "2D"
		if fi.NS == garfeed.NS1D {
			nsLevel = "1D"
		}
		e := result.Evidence{Source: fi.Member.Source, Line: 1, Excerpt: "xmlns=" + fi.NS}
		if m := NameRe.FindStringSubmatch(fi.Member.Name); m != nil && m[4] != nsLevel {
			out = append(out, checks.Fail(rules.GAR002,
				fmt.Sprintf("Le nom annonce %s mais l'espace de noms est celui du %s.", m[4], nsLevel),
				fmt.Sprintf("The name says %s but the namespace is the %s one.", m[4], nsLevel), e))
		}
		if degree != "" && degree != nsLevel {
			out = append(out, checks.Fail(rules.GAR002,
				fmt.Sprintf("Fichier %s alors que le dossier déclare le degré %s.", nsLevel, degree),
				fmt.Sprintf("%s file while the dossier declares degree %s.", nsLevel, degree), e))
		}
	}
	if len(out) == 0 {
		msg := "Niveau (1D/2D) cohérent entre noms de fichiers et espace de noms"
		msgEN := "Level (1D/2D) consistent between file names and namespace"
		if degree != "" {
			msg += " et le degré déclaré (" + degree + ")"
			msgEN += " and the declared degree (" + degree + ")"
		}
		out = append(out, checks.Pass(rules.GAR002, msg+".", msgEN+"."))
	}
	return out
}

// checkArchive: GAR-003 (tar.gz and its .md5): the digest, then the
// integrity of the compressed stream (see checkTail).
func checkArchive(a *garfeed.Archive) []result.Finding {
	if a == nil {
		return []result.Finding{checks.Skip(rules.GAR003, "Fichiers fournis hors archive : pas de tar.gz ni de .md5 à contrôler.", "Loose files: no tar.gz or .md5 to check.")}
	}
	out := checkMD5(a)
	for _, d := range a.Damage {
		e := result.Evidence{Source: a.Source}
		at, atEN := "Archive : ", "Archive: "
		if d.Offset >= 0 {
			e.Excerpt = fmt.Sprintf("offset %d", d.Offset)
			at, atEN = fmt.Sprintf("Archive, à partir de l'octet %d : ", d.Offset), fmt.Sprintf("Archive, from byte %d: ", d.Offset)
		}
		build := checks.Fail
		if d.Zeros {
			build = checks.Warn
		}
		out = append(out, build(rules.GAR003,
			at+d.FR+".",
			atEN+d.EN+".", e))
	}
	return out
}

// checkMD5 compares the archive's digest with its .md5.
func checkMD5(a *garfeed.Archive) []result.Finding {
	e := result.Evidence{Source: a.Source, Excerpt: "md5 " + a.MD5}
	switch {
	case a.MD5Err != nil:
		return []result.Finding{checks.Errorf(rules.GAR003, &input.Error{Source: a.MD5File, Err: a.MD5Err})}
	case a.MD5File == "":
		return []result.Finding{checks.Fail(rules.GAR003, "Archive livrée sans fichier .md5.", "Archive delivered without its .md5 file.", e)}
	case a.MD5Declared == a.MD5:
		return []result.Finding{checks.Pass(rules.GAR003, "L'empreinte MD5 du .md5 correspond à l'archive.", "The .md5 digest matches the archive.", e, result.Evidence{Source: a.MD5File})}
	case strings.EqualFold(a.MD5Declared, a.MD5):
		return []result.Finding{checks.Warn(rules.GAR003, "Empreinte MD5 correcte mais en majuscules (minuscules attendues).", "MD5 digest correct but in upper case (lower case expected).", result.Evidence{Source: a.MD5File})}
	}
	return []result.Finding{checks.Fail(rules.GAR003,
		fmt.Sprintf("Le .md5 annonce %q, l'archive a pour empreinte %s.", a.MD5Declared, a.MD5),
		fmt.Sprintf("The .md5 says %q, the archive's digest is %s.", a.MD5Declared, a.MD5), e, result.Evidence{Source: a.MD5File})}
}

// feedKinds are the five kinds of files of a complete export, as file
// names write them (the root element is "GAR-ENT-" + kind).
var feedKinds = []string{"Eleve", "Enseignant", "Etab", "Groupe", "RespAff"}

// checkKinds: GAR-016, a complete export holds a file of each kind.
func checkKinds(infos []*garfeed.File, src string) []result.Finding {
	seen := map[string]bool{}
	for _, fi := range infos {
		seen[fi.Root] = true
	}
	var missing []string
	for _, k := range feedKinds {
		if !seen["GAR-ENT-"+k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return []result.Finding{checks.Fail(rules.GAR016,
			fmt.Sprintf("Export incomplet : aucun fichier de type %s.", strings.Join(missing, ", ")),
			fmt.Sprintf("Incomplete export: no file of kind %s.", strings.Join(missing, ", ")),
			result.Evidence{Source: src})}
	}
	return []result.Finding{checks.Pass(rules.GAR016,
		"Les cinq types de fichiers d'un export complet sont présents (Eleve, Enseignant, Etab, Groupe, RespAff).",
		"The five kinds of files of a complete export are present (Eleve, Enseignant, Etab, Groupe, RespAff).")}
}

// checkVersion: GAR-004.
func checkVersion(infos []*garfeed.File) []result.Finding {
	var out []result.Finding
	for _, fi := range infos {
		if !fi.HasVersion || fi.Version == "" {
			out = append(out, checks.Fail(rules.GAR004, "Attribut Version absent ou vide sur l'élément racine "+fi.Root+".", "Version attribute missing or empty on root element "+fi.Root+".", result.Evidence{Source: fi.Member.Source, Line: 1}))
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.GAR004, "Chaque fichier porte l'attribut Version.", "Every file carries the Version attribute."))
	}
	return out
}

// checkSchema: GAR-005.
func checkSchema(infos []*garfeed.File, eng garfeed.Engine, ext extent) []result.Finding {
	var out []result.Finding
	for _, fi := range infos {
		schema := "GAR XSD 2D v1.7"
		if fi.NS == garfeed.NS1D {
			schema = "GAR XSD 1D v1.4"
		}
		for i, v := range fi.SchemaErrors {
			if i == maxShown {
				break
			}
			out = append(out, checks.Fail(rules.GAR005,
				fmt.Sprintf("Non conforme au %s (détail technique du validateur : %s)", schema, v.Msg),
				fmt.Sprintf("Invalid against %s: %s", schema, v.Msg),
				result.Evidence{Source: fi.Member.Source, Line: v.Line, Column: v.Col}))
		}
		if len(fi.SchemaErrors) > maxShown || fi.SchemaTruncated {
			more := "au moins"
			moreEN := "at least"
			if !fi.SchemaTruncated {
				more, moreEN = "au total", "in total"
			}
			out = append(out, checks.Fail(rules.GAR005,
				fmt.Sprintf("%s %d erreurs de schéma dans ce fichier (le validateur s'arrête à %d).", more, len(fi.SchemaErrors), garfeed.MaxSchemaErrors),
				fmt.Sprintf("%s %d schema errors in this file (the validator stops at %d).", moreEN, len(fi.SchemaErrors), garfeed.MaxSchemaErrors),
				result.Evidence{Source: fi.Member.Source}))
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.GAR005, fmt.Sprintf("Les %d fichiers (%s) sont valides au regard des XSD du GAR (contraintes xs:key comprises ; validateur : %s).", len(infos), ext.fr(), eng.Label),
			fmt.Sprintf("The %d files (%s) are valid against the GAR XSDs (xs:key constraints included; validator: %s).", len(infos), ext.en(), eng.Label)))
	}
	return out
}

// extent is what an export describes: establishments (UAI) and persons
// by kind, for the report's scope (how many schools the audit covers).
type extent struct{ etabs, pupils, staff, resp int }

func (s *state) extent() extent {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := extent{etabs: len(s.etab), resp: len(s.resp)}
	for _, p := range s.persons {
		switch {
		case p.kind&kindPupil != 0:
			e.pupils++
		case p.kind&kindTeacher != 0:
			e.staff++
		}
	}
	return e
}

func (e extent) fr() string {
	return checks.Count(e.etabs, "établissement", "établissements") + ", " + checks.Count(e.pupils, "élève", "élèves") + ", " +
		checks.Count(e.staff, "personnel", "personnels") + ", " + checks.Count(e.resp, "responsable", "responsables")
}

func (e extent) en() string {
	return checks.Count(e.etabs, "establishment", "establishments") + ", " + checks.Count(e.pupils, "pupil", "pupils") + ", " +
		checks.Count(e.staff, "staff member", "staff members") + ", " + checks.Count(e.resp, "legal guardian", "legal guardians")
}
