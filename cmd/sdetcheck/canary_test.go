package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// canaries replaces each value read from evidence by a distinctive
// canary, the same value by the same canary in every file (so that
// references between records and the pairing of AAF and GAR persons still
// hold and the rules reading them run). Dates keep their shape (a date in
// 1931, the same day in its ISO and French forms) so that the rules
// reading dates run on them; every other value becomes a word
// "Kanari…": a name, as a shifted column would put in any field.
type canaries struct {
	by    map[string]string
	dates []time.Time
}

const canaryWord = "kanari" // every non-date canary holds it (any case)

var (
	isoDateRe = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(.*)$`)
	frDateRe  = regexp.MustCompile(`^(\d{2})/(\d{2})/(\d{4})$`)
)

func newCanaries() *canaries { return &canaries{by: map[string]string{}} }

func (c *canaries) of(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return v
	}
	key, iso, fr, rest := v, false, false, ""
	if m := isoDateRe.FindStringSubmatch(v); m != nil {
		key, iso, rest = m[1]+"-"+m[2]+"-"+m[3], true, m[4]
	} else if m := frDateRe.FindStringSubmatch(v); m != nil {
		key, fr = m[3]+"-"+m[2]+"-"+m[1], true
	}
	got, ok := c.by[key]
	if !ok {
		n := len(c.by)
		if iso || fr {
			d := time.Date(1931, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*n+3)
			c.dates = append(c.dates, d)
			got = d.Format("2006-01-02")
		} else {
			suffix := ""
			for i := n + 26*27; i > 0; i /= 26 {
				suffix = string(rune('a'+i%26)) + suffix
			}
			got = "Kanari" + suffix
		}
		c.by[key] = got
	}
	switch {
	case fr:
		t, _ := time.Parse("2006-01-02", got)
		return t.Format("02/01/2006")
	case iso:
		return got + rest
	}
	return got
}

// compound replaces each part of a compound AAF value (52000$6A).
func (c *canaries) compound(v string) string {
	parts := strings.Split(v, "$")
	for i, p := range parts {
		parts[i] = c.of(p)
	}
	return strings.Join(parts, "$")
}

var (
	feedValueRe = regexp.MustCompile(`>([^<>]*[^\s<>][^<>]*)</`)
	aafValueRe  = regexp.MustCompile(`<value>([^<]*)</value>`)
	aafIDRe     = regexp.MustCompile(`<id>([^<]*)</id>`)
)

// plantFeed copies the GAR feed directory src to dst, every element's
// value replaced by its canary.
func (c *canaries) plantFeed(t *testing.T, src, dst string) {
	t.Helper()
	c.plant(t, src, dst, func(s string) string {
		return feedValueRe.ReplaceAllStringFunc(s, func(m string) string {
			return ">" + c.of(m[1:len(m)-2]) + "</"
		})
	})
}

// plantBrokenFeed is plantFeed where every value gets a canary of its own
// (no reference between records holds: establishments, persons, groups,
// subjects and MEFs are all unknown where they are named) and the first
// record of each file is written twice (every rule on duplicates fires).
func (c *canaries) plantBrokenFeed(t *testing.T, src, dst string) {
	t.Helper()
	n := 0
	c.plant(t, src, dst, func(s string) string {
		s = feedValueRe.ReplaceAllStringFunc(s, func(m string) string {
			n++
			return ">" + c.of(m[1:len(m)-2]+fmt.Sprint("#", n)) + "</"
		})
		lines := strings.SplitAfter(s, "\n")
		for i, l := range lines {
			if i >= 2 && strings.HasPrefix(l, "<men:GAR") {
				lines = append(lines[:i+1], lines[i:]...)
				break
			}
		}
		return strings.Join(lines, "")
	})
}

// plantAAF copies the AAF samples directory src to dst, every attribute
// value and identifier replaced by its canary (the category of each entry,
// an operational attribute, is kept: it says what the entry is).
func (c *canaries) plantAAF(t *testing.T, src, dst string) {
	t.Helper()
	c.plant(t, src, dst, func(s string) string {
		var b strings.Builder
		for {
			i := strings.Index(s, "<attributes>")
			if i < 0 {
				b.WriteString(s)
				break
			}
			j := strings.Index(s[i:], "</attributes>")
			b.WriteString(aafIDRe.ReplaceAllStringFunc(s[:i], func(m string) string {
				return "<id>" + c.of(m[4:len(m)-5]) + "</id>"
			}))
			b.WriteString(aafValueRe.ReplaceAllStringFunc(s[i:i+j], func(m string) string {
				return "<value>" + c.compound(m[7:len(m)-8]) + "</value>"
			}))
			s = s[i+j:]
		}
		return b.String()
	})
}

func (c *canaries) plant(t *testing.T, src, dst string, f func(string) string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".xml") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), []byte(f(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// check fails for each canary found in an output: the canary word in any
// case, or a canary date written whole in any of its usual forms.
func (c *canaries) check(t *testing.T, what string, out map[string]string) {
	t.Helper()
	for name, text := range out {
		low := strings.ToLower(text)
		if i := strings.Index(low, canaryWord); i >= 0 {
			t.Errorf("%s: %s shows a canary: …%s…", what, name, text[max(i-80, 0):min(i+80, len(text))])
		}
		for _, d := range c.dates {
			for _, f := range []string{"2006-01-02", "02/01/2006", "20060102", "02.01.2006"} {
				if i := strings.Index(text, d.Format(f)); i >= 0 {
					t.Errorf("%s: %s shows the canary date %s: …%s…", what, name, d.Format(f), text[max(i-80, 0):min(i+80, len(text))])
				}
			}
		}
	}
}

// crossedMapping maps AAF attributes holding personal data to GAR
// elements of another kind: the values MAP-006 quotes come from the former.
const crossedMapping = `version: 1
degree: 2D
ent: "Néo Collège Fictif"
structures:
  aaf_jointure: ENTStructureJointure
  aaf_uai: ENTStructureUAI
mappings:
  - {gar: GAREleve/GARPersonIdentifiant, ent: ENTPersonUid, aaf: [ENTPersonJointure], transform: generated}
  - {gar: GAREleve/GARPersonNom, ent: sn, aaf: [sn], transform: copy}
  - {gar: GAREleve/GARPersonPrenom, ent: givenName, aaf: [givenName], transform: copy}
  - {gar: GAREleve/GARPersonCivilite, ent: sn, aaf: [sn], transform: copy}
  - {gar: GAREleve/GARPersonAutresPrenoms, ent: ENTPersonDateNaissance, aaf: [ENTPersonDateNaissance], transform: copy}
  - {gar: GAREleve/GARPersonEtab, ent: givenName, aaf: [givenName], transform: copy}
  - {gar: GAREleve/GARPersonProfils/GARPersonProfil, ent: ENTPersonJointure, aaf: [ENTPersonJointure], transform: copy}
  - {gar: GAREleve/GARPersonStructRattach, ent: ENTEleveClasses, aaf: [ENTEleveClasses], transform: copy}
  - {gar: GAREleve/GARPersonDateNaissance, ent: ENTPersonNomPatro, aaf: [ENTPersonNomPatro], transform: copy}
  - {gar: GAREnseignant/GARPersonIdentifiant, ent: ENTPersonUid, aaf: [ENTPersonJointure], transform: generated}
  - {gar: GAREnseignant/GARPersonNom, ent: sn, aaf: [sn], transform: copy}
  - {gar: GAREnseignant/GARPersonPrenom, ent: givenName, aaf: [givenName], transform: copy}
  - {gar: GAREnseignant/GARPersonCivilite, ent: ENTPersonDateNaissance, aaf: [ENTPersonDateNaissance], transform: copy}
  - {gar: GAREnseignant/GARPersonMail, ent: sn, aaf: [sn], transform: copy}
`

// Canary values planted in every field of a GAR feed and of the AAF
// samples a mapping is checked on never appear in any output format, in
// either language, nor on the standard error: not through the rules that
// judge the fields (GAR-011 to GAR-015, references, duplicates), not
// through MAP-006's comparisons (a birth date or a surname mapped to
// another element), not through a parse error quoting a token.
func TestNoCanaryInOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every format on planted feeds")
	}
	tmp := t.TempDir()
	c := newCanaries()
	feed, aaf, broken := filepath.Join(tmp, "gar"), filepath.Join(tmp, "aaf"), filepath.Join(tmp, "gar-dangling")
	c.plantFeed(t, filepath.Join(repoRoot, "fixtures/mapping/gar"), feed)
	c.plantBrokenFeed(t, filepath.Join(repoRoot, "fixtures/mapping/gar"), broken)
	c.plantAAF(t, filepath.Join(repoRoot, "fixtures/mapping/aaf"), aaf)
	if len(c.by) < 50 || len(c.dates) < 10 {
		t.Fatalf("only %d canaries (%d dates) planted: the planting is broken", len(c.by), len(c.dates))
	}
	crossed := filepath.Join(tmp, "crossed.yaml")
	if err := os.WriteFile(crossed, []byte(crossedMapping), 0o644); err != nil {
		t.Fatal(err)
	}
	// Parse errors: an entity reference in a person's name.
	brokenFeed, brokenAAF := filepath.Join(tmp, "gar-broken"), filepath.Join(tmp, "aaf-broken")
	copyTree(t, feed, brokenFeed)
	copyTree(t, aaf, brokenAAF)
	spoil := func(dir, pattern string, re *regexp.Regexp, repl string) {
		files, _ := filepath.Glob(filepath.Join(dir, pattern))
		if len(files) != 1 {
			t.Fatalf("%s/%s: %d files", dir, pattern, len(files))
		}
		data, _ := os.ReadFile(files[0])
		spoilt := re.ReplaceAllString(string(data), repl)
		if spoilt == string(data) {
			t.Fatalf("%s: nothing spoilt", files[0])
		}
		os.WriteFile(files[0], []byte(spoilt), 0o644)
	}
	spoil(brokenFeed, "*_Eleve_*.xml", regexp.MustCompile(`(GARPersonNom>)(Kanari)`), "${1}Nom&${2}ent;")
	spoil(brokenAAF, "*_Eleve_*.xml", regexp.MustCompile(`(name="sn"><value>)(Kanari)`), "${1}Nom&${2}ent;")

	mappings := []string{crossed, filepath.Join(repoRoot, "fixtures/mapping/mapping.yaml"), filepath.Join(repoRoot, "fixtures/mapping/bad-samples.yaml")}
	type run struct {
		name string
		args []string
		want []string // rules that must have been reported, so that the run proves something
	}
	runs := []run{
		{"gar libxml2", []string{"check", "gar", feed, "--degree", "2D", "--xsd-engine", "libxml2"}, []string{"GAR-011", "GAR-012", "GAR-013", "GAR-014"}},
		{"gar go", []string{"check", "gar", feed, "--degree", "2D", "--xsd-engine", "go"}, []string{"GAR-011", "GAR-012", "GAR-013", "GAR-014"}},
		{"gar dangling and duplicates", []string{"check", "gar", broken, "--degree", "2D", "--xsd-engine", "go"}, []string{"GAR-006", "GAR-007", "GAR-008", "GAR-009", "GAR-010", "GAR-011", "GAR-012", "GAR-013"}},
		{"gar parse error libxml2", []string{"check", "gar", brokenFeed, "--degree", "2D", "--xsd-engine", "libxml2"}, []string{"GAR-001"}},
		{"gar parse error go", []string{"check", "gar", brokenFeed, "--degree", "2D", "--xsd-engine", "go"}, []string{"GAR-001"}},
		{"mapping parse error", []string{"check", "mapping", mappings[1], "--degree", "2D", "--aaf", brokenAAF, "--gar", feed}, []string{"MAP-006"}},
	}
	for _, m := range mappings {
		runs = append(runs, run{"mapping " + filepath.Base(m), []string{"check", "mapping", m, "--degree", "2D", "--aaf", aaf, "--gar", feed}, []string{"MAP-006"}})
	}
	for _, r := range runs {
		for _, lang := range []string{"fr", "en"} {
			t.Run(r.name+" "+lang, func(t *testing.T) {
				if strings.Contains(r.name, "libxml2") && !haveLibxml2() {
					t.Skip("libxml2 not available")
				}
				out := outputs(t, append(r.args, "--lang", lang)...)
				var res result.Result
				if err := json.Unmarshal([]byte(out[filepathBase(t, out, ".json")]), &res); err != nil {
					t.Fatal(err)
				}
				for _, rule := range r.want {
					found := false
					for _, f := range res.Results {
						found = found || (f.Rule == rule && f.Status != result.Pass && f.Status != result.Skip)
					}
					if !found {
						t.Errorf("%s reports nothing here: the run proves nothing", rule)
					}
				}
				c.check(t, r.name, out)
			})
		}
	}
	// MAP-006 did compare values from the canaries (not only report
	// that nobody could be paired).
	out := outputs(t, "check", "mapping", crossed, "--degree", "2D", "--aaf", aaf, "--gar", feed)
	if js := out[filepathBase(t, out, ".json")]; !strings.Contains(js, "la correspondance déclarée") {
		t.Errorf("MAP-006 compared no value: %s", js)
	}
}

// haveLibxml2 says whether the libxml2 XSD engine can run here.
func haveLibxml2() bool {
	_, err := garfeed.ResolveEngine(garfeed.EngineLibxml2)
	return err == nil || os.Getenv("SDETCHECK_REQUIRE_LIBXML2") == "1"
}

// Messages are scrubbed as excerpts are, in every format (JSON included)
// and on stderr: an e-mail address or a dd/mm/yyyy date that a check let
// through is masked, whether the result is being written or re-rendered
// from a saved JSON by report or diff.
func TestMessagesScrubbedAsExcerpts(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "r.json")
	const leaked = `{"tool":{"name":"sdetcheck","version":"0"},"results":[
{"rule":"GAR-013","status":"fail","severity":"majeur","message":"valeur camille.exemple@ac-fictive.fr née le 14/03/2012","message_en":"value camille.exemple@ac-fictive.fr born 14/03/2012",
 "evidence":[{"source":"a.xml","line":2,"excerpt":"GARPersonCivilite camille.exemple@ac-fictive.fr 14/03/2012"}]},
{"rule":"GAR-001","status":"error","severity":"majeur","message":"Non évalué : camille.exemple@ac-fictive.fr, 14/03/2012","message_en":"Not evaluated: camille.exemple@ac-fictive.fr, 14/03/2012"}]}`
	if err := os.WriteFile(res, []byte(leaked), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		out := outputs(t, "report", res, "--lang", lang)
		for _, f := range []string{"json", "md", "text"} {
			stdout, stderr, _ := runCLI(t, "diff", res, res, "--format", f, "--lang", lang)
			out["diff "+f] = stdout + stderr
		}
		for name, text := range out {
			for _, secret := range []string{"camille.exemple", "14/03"} {
				if i := strings.Index(text, secret); i >= 0 {
					t.Errorf("%s (%s) shows %q: …%s…", name, lang, secret, text[max(i-80, 0):min(i+80, len(text))])
				}
			}
		}
		if !strings.Contains(out[filepathBase(t, out, ".json")], "***@ac-fictive.fr") {
			t.Errorf("the JSON lost the masked address: the test proves nothing")
		}
	}
}
