package mapping

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
)

// aafPerson is one addRequest of an AAF person file.
type aafPerson struct {
	record string // GAREleve or GAREnseignant
	attrs  map[string][]string
	source string
}

// aafSamples is what the AAF sample files hold.
type aafSamples struct {
	persons []*aafPerson
	uai     map[string]string // structure jointure → UAI
	// inFeed holds the UAIs the GAR feed describes (GAREtab), once read:
	// the feed holds only the schools subscribed to the GAR, the AAF every
	// school of the territory. Nil until the feed is read.
	inFeed map[string]bool
	// key gathers the pseudonym key material (samples, then the feed).
	key *mask.KeyDeriver
}

// loadAAF reads every .xml of dir as an AAF export (ficAlimMENESR).
func loadAAF(env *checks.Env, dir string, f *File) (*aafSamples, error) {
	ents, err := os.ReadDir(env.Loader.Path(dir))
	if err != nil {
		return nil, &input.Error{Source: dir, Err: input.Problemf("AAF sample directory not found", "répertoire des extraits AAF introuvable")}
	}
	joint, uaiAttr := "ENTStructureJointure", "ENTStructureUAI"
	if f.Structures != nil {
		joint, uaiAttr = f.Structures.AAFJointure, f.Structures.AAFUAI
	}
	s := &aafSamples{uai: map[string]string{}, key: mask.NewKeyDeriver()}
	n := 0
	for _, e := range ents {
		// Only directories are skipped: any other .xml entry goes through
		// the loader, which refuses FIFOs, devices and symbolic links
		// leading outside the dossier instead of silently ignoring them.
		if e.IsDir() || !strings.HasSuffix(strings.ToLower(e.Name()), ".xml") {
			continue
		}
		n++
		src := strings.TrimSuffix(dir, "/") + "/" + e.Name()
		data, err := env.Loader.Read(env.Context(), src, "aaf")
		if err != nil {
			return nil, err
		}
		if err := s.key.Add(bytes.NewReader(data)); err != nil {
			return nil, &input.Error{Source: src, Err: input.Wrap(err, "read", "lecture impossible")}
		}
		doc, _, err := xmlsafe.Parse(src, data, xmlsafe.DefaultLimits)
		if err != nil {
			// The parser quotes the offending token: a piece of a
			// person's name in <value>Nom&Xyz;</value>.
			return nil, mask.ParseError(err)
		}
		root := doc.Root()
		if root == nil || root.Tag != "ficAlimMENESR" {
			return nil, &input.Error{Source: src, Err: input.Problemf("not an AAF file (root ficAlimMENESR expected)", "ce n'est pas un fichier AAF (élément racine ficAlimMENESR attendu)")}
		}
		for _, req := range root.SelectElements("addRequest") {
			cat := ""
			if v := req.FindElement("./operationalAttributes/attr/value"); v != nil {
				cat = strings.TrimSpace(xmlsafe.TextContent(v))
			}
			attrs := map[string][]string{}
			for _, a := range req.FindElements("./attributes/attr") {
				name := a.SelectAttrValue("name", "")
				for _, v := range a.SelectElements("value") {
					attrs[name] = append(attrs[name], strings.TrimSpace(xmlsafe.TextContent(v)))
				}
			}
			switch cat {
			case "EtabEducNat":
				if j, u := first(attrs[joint]), first(attrs[uaiAttr]); j != "" && u != "" {
					s.uai[j] = u
				}
			case "Eleve":
				s.persons = append(s.persons, &aafPerson{record: "GAREleve", attrs: attrs, source: src})
			case "PersEducNat":
				s.persons = append(s.persons, &aafPerson{record: "GAREnseignant", attrs: attrs, source: src})
			}
		}
	}
	if n == 0 {
		return nil, &input.Error{Source: dir, Err: input.Problemf("no AAF .xml file found", "aucun fichier AAF .xml trouvé")}
	}
	return s, nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// nameSources returns the AAF attributes the mapping declares for a
// record's last and first names (used to pair AAF and GAR persons).
func nameSources(f *File, record string) (string, string) {
	nom, prenom := "sn", "givenName"
	for _, m := range f.Mappings {
		if m.Record() == record && len(m.AAF) > 0 && m.Transform == "copy" {
			switch m.Leaf() {
			case "GARPersonNom":
				nom = m.AAF[0]
			case "GARPersonPrenom":
				prenom = m.AAF[0]
			}
		}
	}
	return nom, prenom
}

func personKey(record, nom, prenom string) string {
	return record + "|" + strings.ToUpper(strings.TrimSpace(nom)) + "|" + strings.ToUpper(strings.TrimSpace(prenom))
}

// personIndex maps a pairing key to the AAF persons that have it.
type personIndex map[string][]*aafPerson

func newPersonIndex() personIndex { return personIndex{} }

func (x personIndex) add(k string, p *aafPerson) { x[k] = append(x[k], p) }

func (x personIndex) has(k string) bool { return len(x[k]) > 0 }

// unique returns the one person with key k, or nil (none, or namesakes).
func (x personIndex) unique(k string) *aafPerson {
	if ps := x[k]; len(ps) == 1 {
		return ps[0]
	}
	return nil
}

// birthDate is the birth date the GAR should hold for p, as the mapping
// declares it ("" when it declares none): the key that tells namesakes
// apart.
func birthDate(f *File, p *aafPerson, s *aafSamples) string {
	for _, m := range f.Mappings {
		if m.Record() == p.record && m.Leaf() == "GARPersonDateNaissance" {
			if v, ok := expected(m, p, s, f); ok {
				return v[0]
			}
		}
	}
	return ""
}

// expected computes what the GAR should hold for m, from an AAF person.
func expected(m Mapping, p *aafPerson, s *aafSamples, f *File) ([]string, bool) {
	var src []string
	if len(m.AAF) > 0 {
		src = p.attrs[m.AAF[0]]
	}
	var out []string
	switch m.Transform {
	case "generated":
		return nil, false
	case "constant":
		return []string{m.Value}, true
	case "copy":
		out = append(out, src...)
	case "date":
		for _, v := range src {
			if len(v) == 10 && v[2] == '/' && v[5] == '/' {
				out = append(out, v[6:10]+"-"+v[3:5]+"-"+v[0:2])
			}
		}
	case "uai":
		for _, v := range src {
			if u, ok := s.uai[v]; ok && s.exported(v) {
				out = append(out, u)
			}
		}
	case "split":
		for _, v := range src {
			parts := strings.Split(v, "$")
			if !s.exported(parts[0]) {
				continue
			}
			if m.Field <= len(parts) {
				x := parts[m.Field-1]
				if m.Field == 1 && uaiLeaf(m.Leaf()) {
					u, ok := s.uai[x]
					if !ok {
						continue
					}
					x = u
				}
				out = append(out, x)
			}
		}
	case "profile":
		for _, v := range src {
			parts := strings.Split(v, "$")
			if !s.exported(parts[0]) {
				continue
			}
			if m.Field <= len(parts) {
				if prof, ok := f.Profiles[parts[m.Field-1]]; ok {
					out = append(out, prof)
				}
			}
		}
	case "civilite":
		for _, v := range src {
			switch v {
			case "M.", "M":
				out = append(out, "M.")
			case "Mme", "Mlle":
				out = append(out, "Mme")
			}
		}
	}
	var clean []string
	for _, v := range out {
		if v != "" {
			clean = append(clean, v)
		}
	}
	return clean, len(clean) > 0
}

// exported says whether a value naming a structure by its AAF jointure
// (alone, or as the first field of a compound value such as
// ENTPersonFonctions or ENTEleveClasses) may be expected in the feed: not
// when the structure is a school of the samples whose UAI the feed does not
// describe. Exporters send the GAR only the schools subscribed to it
// (OPEN-ENT-NG gar-connector, AC-Rennes alambic); a value that names no
// known structure is kept.
func (s *aafSamples) exported(jointure string) bool {
	u, ok := s.uai[jointure]
	return !ok || s.inFeed == nil || s.inFeed[u]
}

// masked is a value of m (what its AAF attributes give, or what the
// feed holds in its GAR element), masked as what it is: the attributes it
// comes from as well as the element it lands in (a mapping of sn to
// GARPersonCivilite puts surnames there).
func masked(p *mask.Pseudonymizer, m Mapping, v string) mask.Value {
	return p.Of(v, m.Leaf(), m.AAF...)
}

// verify: MAP-006 (the feed follows the mapping on the samples).
func verify(env *checks.Env, src string, f *File) []result.Finding {
	switch {
	case env.Opts.AAFDir != "" && env.Opts.GARDir == "":
		return []result.Finding{checks.NotEvaluated(rules.MAP006, "Vérification sur échantillons impossible : les extraits AAF sont donnés, pas le flux GAR (--gar, ou gar_feed dans ent.yaml).",
			"Sample verification impossible: the AAF samples are given, not the GAR feed (--gar, or gar_feed in ent.yaml).")}
	case env.Opts.AAFDir == "" && env.Opts.GARDir != "":
		return []result.Finding{checks.Skip(rules.MAP006, "Vérification sur échantillons impossible : le flux GAR est donné, pas les extraits AAF (--aaf, ou aaf_samples dans ent.yaml).",
			"Sample verification impossible: the GAR feed is given, not the AAF samples (--aaf, or aaf_samples in ent.yaml).")}
	case env.Opts.AAFDir == "":
		return []result.Finding{checks.Skip(rules.MAP006, "Vérification sur échantillons non demandée (--aaf et --gar, ou aaf_samples et gar_feed dans ent.yaml).",
			"Sample verification not requested (--aaf and --gar, or aaf_samples and gar_feed in ent.yaml).")}
	}
	samples, err := loadAAF(env, env.Opts.AAFDir, f)
	if err != nil {
		return []result.Finding{checks.Errorf(rules.MAP006, err)}
	}
	// Identifiers are masked by a pseudonym keyed with the samples and
	// the feed, so that they cannot be recovered from the report.
	if err := garfeed.AddKeyMaterial(env.Context(), env.Loader, env.Cache, env.Opts.GARDir, samples.key); err != nil {
		return []result.Finding{checks.Errorf(rules.MAP006, err)}
	}
	p := mask.NewPseudonymizer(samples.key.Key())
	// Index AAF persons by name, and namesakes by name and birth date
	// (GAR identifiers are opaque: nothing else is common to both sides).
	// What stays ambiguous is left out.
	byName := newPersonIndex()
	byBirth := newPersonIndex()
	for _, p := range samples.persons {
		nom, prenom := nameSources(f, p.record)
		k := personKey(p.record, first(p.attrs[nom]), first(p.attrs[prenom]))
		byName.add(k, p)
		byBirth.add(k+"|"+birthDate(f, p, samples), p)
	}
	type pair struct {
		p   *aafPerson
		rec garfeed.FlatRecord
	}
	// GAR persons whose name is among the samples, with their keys: the
	// pairing is decided once every record has been counted.
	type candidate struct {
		rec         garfeed.FlatRecord
		name, birth string
	}
	var cands []candidate
	seenName, seenBirth := map[string]int{}, map[string]int{}
	err = garfeed.ScanRecords(env.Context(), env.Loader, env.Cache, env.Opts.GARDir, func(r garfeed.FlatRecord) {
		if r.Name == "GAREtab" {
			if samples.inFeed == nil {
				samples.inFeed = map[string]bool{}
			}
			for _, u := range r.Fields["GARStructureUAI"] {
				samples.inFeed[u] = true
			}
		}
		if r.Name != "GAREleve" && r.Name != "GAREnseignant" {
			return
		}
		k := personKey(r.Name, first(r.Fields["GARPersonNom"]), first(r.Fields["GARPersonPrenom"]))
		b := k + "|" + xsDate(first(r.Fields["GARPersonDateNaissance"]))
		seenName[k]++
		seenBirth[b]++
		if byName.has(k) {
			cands = append(cands, candidate{r, k, b})
		}
	})
	if err != nil {
		return []result.Finding{checks.Errorf(rules.MAP006, err)}
	}
	var pairs []pair
	for _, c := range cands {
		if p := byName.unique(c.name); p != nil && seenName[c.name] == 1 {
			pairs = append(pairs, pair{p, c.rec})
		} else if p := byBirth.unique(c.birth); p != nil && seenBirth[c.birth] == 1 {
			pairs = append(pairs, pair{p, c.rec})
		}
	}
	// Second pass: the link records (groups, MEF, subjects) of the paired
	// persons, to check the split of compound values such as
	// ENTEleveClasses = struct$code into {UAI, group code}.
	byID := map[string]int{}
	for i, pr := range pairs {
		byID[first(pr.rec.Fields["GARPersonIdentifiant"])] = i
	}
	links := make([]map[string][]string, len(pairs))
	err = garfeed.ScanRecords(env.Context(), env.Loader, env.Cache, env.Opts.GARDir, func(r garfeed.FlatRecord) {
		if r.Name == "GAREleve" || r.Name == "GAREnseignant" {
			return
		}
		i, ok := byID[first(r.Fields["GARPersonIdentifiant"])]
		if !ok {
			return
		}
		if links[i] == nil {
			links[i] = map[string][]string{}
		}
		for sub, vs := range r.Fields {
			links[i][r.Name+"/"+sub] = append(links[i][r.Name+"/"+sub], vs...)
		}
	})
	if err != nil {
		return []result.Finding{checks.Errorf(rules.MAP006, err)}
	}
	var out []result.Finding
	checked, bad := 0, 0
	matched := 0
	for i, pr := range pairs {
		matched++
		for _, m := range f.Mappings {
			var got []string
			switch {
			case m.Record() == pr.rec.Name:
				got = pr.rec.Fields[strings.TrimPrefix(m.GAR, m.Record()+"/")]
				if m.Leaf() == "GARPersonDateNaissance" {
					got = xsDates(got)
				}
			case linkRecords[m.Record()] && len(m.AAF) > 0 && !strings.HasSuffix(m.GAR, "/GARPersonIdentifiant"):
				got = links[i][m.GAR]
			default:
				continue
			}
			want, ok := expected(m, pr.p, samples, f)
			if !ok {
				continue
			}
			checked++
			for _, w := range want {
				if contains(got, w) {
					continue
				}
				bad++
				if bad > 20 {
					break
				}
				want := masked(p, m, w).String()
				g, gEN := "absent", "absent"
				if len(got) > 0 {
					g = masked(p, m, got[0]).String()
					gEN = g
					if g == want {
						g += " (valeur différente, masquée)"
						gEN += " (different value, masked)"
					}
				}
				id := p.Of(first(pr.rec.Fields["GARPersonIdentifiant"]), "GARPersonIdentifiant")
				out = append(out, checks.Fail(rules.MAP006,
					fmt.Sprintf("%s %s : la correspondance déclarée (%s ← %s, %s) donne %s, le flux contient %s.", pr.rec.Name, id, m.GAR, strings.Join(m.AAF, ","), m.Transform, want, g),
					fmt.Sprintf("%s %s: the declared mapping (%s ← %s, %s) gives %s, the feed holds %s.", pr.rec.Name, id, m.GAR, strings.Join(m.AAF, ","), m.Transform, want, gEN),
					result.Evidence{Source: pr.rec.Source, Line: pr.rec.Line, Excerpt: pr.rec.Name + " " + id.String()}))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Evidence[0], out[j].Evidence[0]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		return a.Line < b.Line
	})
	if bad > 20 {
		out = append(out, checks.Fail(rules.MAP006, fmt.Sprintf("%d écarts au total (20 premiers listés).", bad), fmt.Sprintf("%d mismatches in total (first 20 listed).", bad)))
	}
	if matched == 0 {
		return []result.Finding{checks.Warn(rules.MAP006, "Aucune personne commune aux échantillons AAF et au flux GAR (même nom et prénom, et même date de naissance pour des homonymes) : la correspondance n'a pas pu être vérifiée.",
			"No person common to the AAF samples and the GAR feed (same last and first name, and same birth date for namesakes): the mapping could not be verified.", result.Evidence{Source: env.Opts.AAFDir}, result.Evidence{Source: env.Opts.GARDir})}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.MAP006, fmt.Sprintf("%d personnes présentes dans l'AAF et le flux comparées : %d valeurs conformes à la correspondance déclarée.", matched, checked),
			fmt.Sprintf("%d persons present in the AAF and the feed compared: %d values follow the declared mapping.", matched, checked), result.Evidence{Source: src}))
	}
	return out
}

// xsDate gives the day of an xs:date value, yyyy-MM-dd, without the
// optional timezone that JAXB writes (2012-10-21+02:00, AC-Rennes alambic)
// nor white space (read by garfeed.ParseXSDate). Other values are returned as
// they are.
func xsDate(v string) string {
	if t, err := garfeed.ParseXSDate(v); err == nil {
		return t.Format("2006-01-02")
	}
	return v
}

func xsDates(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = xsDate(v)
	}
	return out
}

// linkRecords tie a person to groups, MEF or subjects.
var linkRecords = map[string]bool{"GARPersonGroupe": true, "GARPersonMEF": true, "GARPersonMEFSTAT4": true, "GAREleveEnseignement": true, "GAREnsClasseMatiere": true, "GAREnsGroupeMatiere": true}

// uaiLeaf says whether a GAR element holds a UAI.
func uaiLeaf(leaf string) bool {
	switch leaf {
	case "GARStructureUAI", "GARPersonEtab", "GARPersonStructRattach", "GARRespAffEtab", "GAREtablissementStructRattachFctl":
		return true
	}
	return false
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
