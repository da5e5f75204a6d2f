// Package mapping audits the vendor's declared mapping AAF → ENT directory
// → GAR (a YAML file, format in docs/mapping.md, JSON Schema in
// mapping.schema.json): format, completeness against the GAR XSD, real
// attribute names, minimisation, declared transformations, and — given AAF
// samples (--aaf) and a GAR feed (--gar) — that the feed really follows it.
package mapping

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/yamlpos"
	"github.com/sdetcheck/sdetcheck/rules"
)

//go:embed mapping.schema.json
var schemaJSON []byte

// File is a mapping declaration.
type File struct {
	Version    int               `yaml:"version"`
	Degree     string            `yaml:"degree"`
	ENT        string            `yaml:"ent"`
	Structures *Structures       `yaml:"structures"`
	Profiles   map[string]string `yaml:"profiles"`
	Mappings   []Mapping         `yaml:"mappings"`
}

// Structures says how AAF structure jointures become UAIs.
type Structures struct {
	AAFJointure string `yaml:"aaf_jointure"`
	AAFUAI      string `yaml:"aaf_uai"`
}

// Mapping is one GAR element's source.
type Mapping struct {
	GAR       string   `yaml:"gar"`
	ENT       string   `yaml:"ent"`
	AAF       []string `yaml:"aaf"`
	Transform string   `yaml:"transform"`
	Field     int      `yaml:"field"`
	Value     string   `yaml:"value"`
	Note      string   `yaml:"note"`

	line int
}

// Record returns the GAR record of the mapping ("GAREleve").
func (m Mapping) Record() string {
	r, _, _ := strings.Cut(m.GAR, "/")
	return r
}

// Leaf returns the last element name ("GARPersonNom").
func (m Mapping) Leaf() string {
	return m.GAR[strings.LastIndexByte(m.GAR, '/')+1:]
}

// schemaURL names the embedded schema (never a local path).
const schemaURL = "https://sdetcheck.example/schemas/mapping-v1.json"

// compiled is the schema, compiled on first use (not at start-up: most
// runs of the tool never read a mapping).
var compiled = sync.OnceValue(func() *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		panic("mapping: embedded JSON Schema unreadable: " + err.Error())
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		panic(err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		panic(err)
	}
	return s
})

// Check audits a mapping declaration.
func Check(env *checks.Env, src string) []result.Finding {
	data, err := env.Loader.Read(env.Context(), src, "mapping")
	if err != nil {
		return checks.Unreadable(rules.AreaMapping, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return checks.Unreadable(rules.AreaMapping, yamlpos.Error(src, err))
	}
	if len(root.Content) == 0 {
		return checks.Unreadable(rules.AreaMapping, &input.Error{Source: src, Err: input.Problemf("empty mapping file", "fichier de correspondance vide")})
	}
	// yaml.v3 bounds the number of alias expansions, not their size: a
	// few aliases of a 15 MB scalar expand to gigabytes once converted to
	// JSON for the schema. Bound the expanded size before decoding.
	if limit := 4*int64(len(data)) + 1<<20; expandedSize(&root, limit, map[*yaml.Node]int64{}) > limit {
		return checks.Unreadable(rules.AreaMapping, &input.Error{Source: src, Err: input.ErrTooLarge.With("YAML aliases expand the document beyond %d bytes (alias bomb?)", "les alias YAML font dépasser %s au document (bombe d'alias ?)", input.Bytes(limit))})
	}
	var f File
	decErr := root.Decode(&f)
	lines := mappingLines(&root)
	for i := range f.Mappings {
		if i < len(lines) {
			f.Mappings[i].line = lines[i]
		}
	}
	var out []result.Finding
	if errs := validateFormat(&root, decErr); len(errs) > 0 {
		for _, e := range errs {
			out = append(out, checks.Fail(rules.MAP001, "Format de correspondance invalide (détail technique : "+e.msg+")", "Invalid mapping format: "+e.msg, result.Evidence{Source: src, Line: e.line}))
		}
		for _, r := range rules.InArea(rules.AreaMapping) {
			if r.ID != rules.MAP001.ID {
				out = append(out, checks.NotEvaluated(r, "Non évalué : le fichier ne suit pas le format ("+rules.MAP001.ID+").", "Not evaluated: the file does not follow the format ("+rules.MAP001.ID+")."))
			}
		}
		return out
	}
	out = append(out, checks.Pass(rules.MAP001, fmt.Sprintf("Format v1 valide (%d correspondances, degré %s).", len(f.Mappings), f.Degree),
		fmt.Sprintf("Valid v1 format (%d mappings, degree %s).", len(f.Mappings), f.Degree), result.Evidence{Source: src}))
	if d := strings.ToUpper(env.Opts.Degree); d != "" && d != f.Degree {
		out = append(out, checks.Fail(rules.MAP001, fmt.Sprintf("La correspondance décrit un flux %s, le dossier déclare le degré %s.", f.Degree, d),
			fmt.Sprintf("The mapping describes a %s feed, the dossier declares degree %s.", f.Degree, d), result.Evidence{Source: src, Line: 1}))
	}
	sch := schemaFor(f.Degree)
	out = append(out, checkCompleteness(src, &f, sch)...)
	out = append(out, checkNames(src, &f)...)
	out = append(out, checkMinimisation(src, &f, sch)...)
	out = append(out, checkTransforms(src, &f, sch)...)
	out = append(out, verify(env, src, &f)...)
	return out
}

type formatErr struct {
	line int
	msg  string
}

// validateFormat checks the document against the JSON Schema (and the
// typed decoding), pointing at YAML lines.
func validateFormat(root *yaml.Node, decErr error) []formatErr {
	var generic any
	if err := root.Decode(&generic); err != nil {
		e := yamlpos.Error("", err)
		return []formatErr{{line: e.Line, msg: e.Err.Error()}}
	}
	js, err := json.Marshal(normalize(generic))
	if err != nil {
		return []formatErr{{msg: "non-JSON value: " + err.Error()}}
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return []formatErr{{msg: err.Error()}}
	}
	var out []formatErr
	if err := compiled().Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			leaves(ve, func(c *jsonschema.ValidationError) {
				loc := "/" + strings.Join(c.InstanceLocation, "/")
				out = append(out, formatErr{line: nodeLine(root, loc), msg: loc + ": " + c.ErrorKind.LocalizedString(printer)})
			})
		}
		if len(out) == 0 {
			out = append(out, formatErr{msg: "invalid against the mapping schema"})
		}
	}
	if len(out) == 0 && decErr != nil {
		// Said by the kinds of YAML values, not the decoder's Go types.
		e := yamlpos.Error("", decErr)
		out = append(out, formatErr{line: e.Line, msg: e.Err.Error()})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].line < out[j].line })
	return out
}

var printer = message.NewPrinter(language.English)

// leaves calls f on the innermost causes of a validation error.
func leaves(ve *jsonschema.ValidationError, f func(*jsonschema.ValidationError)) {
	if len(ve.Causes) == 0 {
		f(ve)
		return
	}
	for _, c := range ve.Causes {
		leaves(c, f)
	}
}

// normalize turns YAML maps into JSON-compatible ones.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = normalize(x)
		}
		return t
	case map[any]any:
		m := map[string]any{}
		for k, x := range t {
			m[fmt.Sprint(k)] = normalize(x)
		}
		return m
	case []any:
		for i, x := range t {
			t[i] = normalize(x)
		}
	}
	return v
}

// nodeLine finds the line of a JSON pointer in the YAML tree.
func nodeLine(root *yaml.Node, ptr string) int {
	return yamlpos.Line(root, strings.Split(strings.Trim(ptr, "/"), "/")...)
}

// mappingLines returns the line of each item of "mappings".
func mappingLines(root *yaml.Node) []int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "mappings" && n.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, it := range n.Content[i+1].Content {
				out = append(out, it.Line)
			}
			return out
		}
	}
	return nil
}

// coreRecords must be covered by every mapping of a degree.
var coreRecords = map[string][]string{
	"2D": {"GAREleve", "GAREnseignant", "GAREtab", "GARGroupe", "GARPersonGroupe"},
	"1D": {"GAREleve", "GAREnseignant", "GAREtab", "GARGroupe", "GARPersonGroupe"},
}

// checkCompleteness: MAP-002.
func checkCompleteness(src string, f *File, sch *garSchema) []result.Finding {
	have := map[string]bool{}
	records := map[string]bool{}
	for _, r := range coreRecords[f.Degree] {
		records[r] = true
	}
	for _, m := range f.Mappings {
		have[m.GAR] = true
		if sch.Records[m.Record()] {
			records[m.Record()] = true
		}
	}
	var recs []string
	for r := range records {
		recs = append(recs, r)
	}
	sort.Strings(recs)
	var out []result.Finding
	n := 0
	for _, r := range recs {
		for _, p := range sch.mandatoryOf(r) {
			n++
			if !have[p] {
				out = append(out, checks.Fail(rules.MAP002,
					fmt.Sprintf("Élément GAR obligatoire sans source déclarée : %s.", p),
					fmt.Sprintf("Mandatory GAR element with no declared source: %s.", p), result.Evidence{Source: src, Excerpt: p}))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.MAP002, fmt.Sprintf("Les %d éléments obligatoires de %s ont une source.", n, strings.Join(recs, ", ")),
			fmt.Sprintf("The %d mandatory elements of %s have a source.", n, strings.Join(recs, ", ")), result.Evidence{Source: src}))
	}
	return out
}

// checkNames: MAP-003.
func checkNames(src string, f *File) []result.Finding {
	var out []result.Finding
	for _, m := range f.Mappings {
		e := result.Evidence{Source: src, Line: m.line, Excerpt: m.GAR}
		if m.ENT != "" && !entAttributes[m.ENT] {
			out = append(out, checks.Fail(rules.MAP003, fmt.Sprintf("%s : %q n'est pas un attribut de l'annuaire ENT (SDET).", m.GAR, m.ENT),
				fmt.Sprintf("%s: %q is not an ENT directory (SDET) attribute.", m.GAR, m.ENT), e))
		}
		for _, a := range m.AAF {
			if !aafAttributes[a] {
				out = append(out, checks.Fail(rules.MAP003, fmt.Sprintf("%s : %q n'est pas un attribut de l'AAF.", m.GAR, a),
					fmt.Sprintf("%s: %q is not an AAF attribute.", m.GAR, a), e))
			}
		}
	}
	if s := f.Structures; s != nil {
		for _, a := range []string{s.AAFJointure, s.AAFUAI} {
			if !aafAttributes[a] {
				out = append(out, checks.Fail(rules.MAP003, fmt.Sprintf("structures : %q n'est pas un attribut de l'AAF.", a), fmt.Sprintf("structures: %q is not an AAF attribute.", a), result.Evidence{Source: src}))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.MAP003, "Toutes les sources citées sont des attributs AAF / SDET connus.", "Every source cited is a known AAF / SDET attribute.", result.Evidence{Source: src}))
	}
	return out
}

// contactAttrs are personal contact data the GAR never needs from pupils.
var contactAttrs = set("mail", "homePhone", "telephoneNumber", "mobile", "ENTPersonMail", "ENTPersonAutresMails", "ENTPersonMobileSMS",
	"ENTPersonAutresMobiles", "ENTPersonAdresse", "ENTPersonCodePostal", "ENTPersonVille", "ENTPersonPays", "ENTPersonMailDiffusion", "ENTPersonAdresseDiffusion")

// feeds lists, per GAR leaf, the AAF attributes that may feed it.
var feeds = map[string]map[string]bool{
	"GARPersonNom":           set("sn", "ENTPersonNom", "ENTPersonNomPatro"),
	"GARPersonNomPatro":      set("ENTPersonNomPatro"),
	"GARPersonPrenom":        set("givenName", "ENTPersonPrenom"),
	"GARPersonAutresPrenoms": set("ENTPersonAutresPrenoms", "givenName", "ENTPersonPrenom"),
	"GARPersonDateNaissance": set("ENTPersonDateNaissance"),
	"GARPersonCivilite":      set("personalTitle", "ENTPersonCivilite"),
	"GARPersonMail":          set("mail", "ENTPersonMail"),
	"GARPersonIdentifiant":   set("ENTPersonJointure"),
	"GARStructureNomCourant": set("ENTStructureNomCourant"),
}

// checkMinimisation: MAP-004.
func checkMinimisation(src string, f *File, sch *garSchema) []result.Finding {
	var out []result.Finding
	for _, m := range f.Mappings {
		e := result.Evidence{Source: src, Line: m.line, Excerpt: m.GAR}
		if _, ok := sch.Elements[m.GAR]; !ok {
			out = append(out, checks.Fail(rules.MAP004,
				fmt.Sprintf("%s n'est pas un élément du schéma GAR %s : cette donnée ne doit pas être envoyée.", m.GAR, f.Degree),
				fmt.Sprintf("%s is not an element of the GAR %s schema: this data must not be sent.", m.GAR, f.Degree), e))
			continue
		}
		for _, a := range m.AAF {
			if m.Record() == "GAREleve" && contactAttrs[a] {
				out = append(out, checks.Fail(rules.MAP004, fmt.Sprintf("%s alimenté par %s : donnée de contact d'élève inutile au GAR.", m.GAR, a),
					fmt.Sprintf("%s fed from %s: pupil contact data the GAR does not need.", m.GAR, a), e))
				continue
			}
			if a == "ENTEleveINE" {
				out = append(out, checks.Fail(rules.MAP004, m.GAR+" alimenté par l'INE : l'identifiant national de l'élève n'est pas transmis au GAR.",
					m.GAR+" fed from the INE: the pupil's national identifier is not sent to the GAR.", e))
				continue
			}
			if ok, known := feeds[m.Leaf()]; known && !ok[a] && m.Transform != "generated" {
				out = append(out, checks.Fail(rules.MAP004, fmt.Sprintf("%s alimenté par %s, qui n'est pas la donnée attendue (%s).", m.GAR, a, strings.Join(keys(ok), ", ")),
					fmt.Sprintf("%s fed from %s, which is not the expected data (%s).", m.GAR, a, strings.Join(keys(ok), ", ")), e))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.MAP004, "Seuls des éléments du schéma GAR sont alimentés, par les attributs AAF qui leur correspondent.",
			"Only GAR schema elements are fed, from the AAF attributes that correspond to them.", result.Evidence{Source: src}))
	}
	return out
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// structAttrs hold AAF structure jointure ids (alone or as the first $
// field), never UAIs.
var structAttrs = set("ENTPersonStructRattach", "ENTEleveStructRattachId", "ENTEleveClasses", "ENTEleveGroupes", "ENTAuxEnsClasses",
	"ENTAuxEnsGroupes", "ENTAuxEnsClassesMatieres", "ENTAuxEnsGroupesMatieres", "ENTPersonFonctions", "ENTAuxEnsMEF", "ENTStructureJointure", "ENTAuxEnsClassesPrincipal")

// compoundAttrs hold $-separated values.
var compoundAttrs = set("ENTEleveClasses", "ENTEleveGroupes", "ENTAuxEnsClasses", "ENTAuxEnsGroupes", "ENTAuxEnsClassesMatieres",
	"ENTAuxEnsGroupesMatieres", "ENTPersonFonctions", "ENTAuxEnsMEF", "ENTAuxEnsDisciplinesPoste", "ENTElevePersRelEleve", "ENTAuxEnsClassesPrincipal")

func validProfile(p string) bool {
	for _, q := range garfeed.Profiles {
		if p == q {
			return true
		}
	}
	return false
}

// checkTransforms: MAP-005.
func checkTransforms(src string, f *File, sch *garSchema) []result.Finding {
	var out []result.Finding
	fail := func(m Mapping, fr, en string) {
		out = append(out, checks.Fail(rules.MAP005, m.GAR+" : "+fr, m.GAR+": "+en, result.Evidence{Source: src, Line: m.line, Excerpt: m.GAR + " ← " + strings.Join(m.AAF, ",") + " (" + m.Transform + ")"}))
	}
	for _, m := range f.Mappings {
		el, ok := sch.Elements[m.GAR]
		if !ok {
			continue
		}
		hasAAF := len(m.AAF) > 0
		if el.Type == "date" && hasAAF && m.Transform != "date" {
			fail(m, "date AAF jj/mm/aaaa vers xs:date sans transformation « date » déclarée.", "AAF dd/MM/yyyy date to xs:date without a declared \"date\" transformation.")
		}
		if el.Type == "GARStructureUAIType" && hasAAF && structAttrs[m.AAF[0]] {
			if m.Transform != "uai" && !(m.Transform == "split" && m.Field == 1) && m.Transform != "constant" {
				fail(m, "la source porte un identifiant de jointure de structure, pas un UAI : transformation « uai » (ou « split » champ 1) requise.",
					"the source holds a structure jointure id, not a UAI: an \"uai\" transformation (or \"split\" field 1) is required.")
			} else if f.Structures == nil {
				fail(m, "traduction jointure → UAI déclarée sans section « structures ».", "jointure → UAI translation declared without a \"structures\" section.")
			}
		}
		if hasAAF && compoundAttrs[m.AAF[0]] && (m.Transform == "copy" || m.Transform == "date") {
			fail(m, fmt.Sprintf("%s est une valeur composée (champs séparés par $) : transformation « split » ou « profile » requise.", m.AAF[0]),
				fmt.Sprintf("%s is a compound value ($-separated fields): a \"split\" or \"profile\" transformation is required.", m.AAF[0]))
		}
		if m.Leaf() == "GARPersonProfil" {
			switch m.Transform {
			case "constant":
				if !validProfile(m.Value) {
					fail(m, fmt.Sprintf("profil constant %q inconnu.", m.Value), fmt.Sprintf("unknown constant profile %q.", m.Value))
				}
			case "profile":
				if len(f.Profiles) == 0 {
					fail(m, "transformation « profile » sans table « profiles » (code fonction → profil).", "\"profile\" transformation without a \"profiles\" table (function code → profile).")
				}
				for _, code := range sortedKeys(f.Profiles) {
					if !validProfile(f.Profiles[code]) {
						fail(m, fmt.Sprintf("table profiles : %s → %q n'est pas un profil GAR.", code, f.Profiles[code]), fmt.Sprintf("profiles table: %s → %q is not a GAR profile.", code, f.Profiles[code]))
					}
				}
			default:
				fail(m, "le profil GAR doit être une constante ou dérivé des codes fonction (transformation « profile »).", "the GAR profile must be a constant or derived from function codes (\"profile\" transformation).")
			}
		}
		if m.Leaf() == "GARPersonCivilite" && hasAAF && m.Transform != "civilite" {
			// The source is named: personalTitle in 2D, ENTPersonCivilite
			// in the 1D AAF.
			fail(m, fmt.Sprintf("%s peut valoir « Mlle » : transformation « civilite » (vers « M. » / « Mme ») requise.", m.AAF[0]),
				fmt.Sprintf("%s may be \"Mlle\": a \"civilite\" transformation (to \"M.\" / \"Mme\") is required.", m.AAF[0]))
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.MAP005, "Les transformations nécessaires (dates, jointure → UAI, valeurs composées, profils, civilité) sont déclarées.",
			"The required transformations (dates, jointure → UAI, compound values, profiles, title) are declared.", result.Evidence{Source: src}))
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expandedSize is the size of the document once every alias is replaced
// by what it points at, counted until it passes limit.
func expandedSize(n *yaml.Node, limit int64, memo map[*yaml.Node]int64) int64 {
	if v, ok := memo[n]; ok {
		return v
	}
	size := int64(len(n.Value)) + 1
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		size = expandedSize(n.Alias, limit, memo)
	}
	for _, c := range n.Content {
		if size > limit {
			break
		}
		size += expandedSize(c, limit, memo)
	}
	memo[n] = size
	return size
}
