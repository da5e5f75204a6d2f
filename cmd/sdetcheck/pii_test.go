package main

import (
	"archive/tar"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/testtool"
)

// Personal data must never appear in clear in any output. The values are
// extracted from the fixture XML (GAR feeds and AAF samples) rather than
// hard-coded, so the test follows the fixtures.

// piiElement matches a GAR person element holding personal data.
var piiElement = regexp.MustCompile(`<(?:\w+:)?GARPerson(?:Nom|Prenom|AutresPrenoms|NomPatro|DateNaissance|Mail|Identifiant|Telephone)>([^<]+)<`)

// piiAttr matches an AAF attribute holding personal data, with its values.
// The 1D AAF names persons with ENTPersonNom, ENTPersonPrenom and
// ENTPersonMail.
var piiAttr = regexp.MustCompile(`(?s)<attr name="(?:sn|givenName|ENTPersonNom|ENTPersonPrenom|ENTPersonMail|ENTPersonNomPatro|ENTPersonAutresPrenoms|ENTPersonDateNaissance|ENTPersonJointure|ENTPersonLogin|ENTEleveINE|mail|telephoneNumber|mobile|homePhone)">(.*?)</attr>`)

var piiValue = regexp.MustCompile(`<value>([^<]*)</value>`)

// Anything shaped like an e-mail or a phone number anywhere in the XML.
var (
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	phoneRe = regexp.MustCompile(`\+33 ?[1-9](?:[ .]?\d{2}){4}|\b0[1-9](?:[ .]?\d{2}){4}\b`)
)

// piiValues collects the personal data of every XML file below dirs.
func piiValues(t *testing.T, dirs ...string) []string {
	t.Helper()
	set := map[string]bool{}
	add := func(v string) {
		v = strings.TrimSpace(v)
		// Very short values (civilité, one-letter initials) cannot be
		// told from ordinary words.
		if len([]rune(v)) >= 3 {
			set[v] = true
		}
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			var s string
			switch {
			case strings.HasSuffix(p, ".xml"):
				data, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				s = string(data)
			case strings.HasSuffix(p, ".tar.gz"):
				s = tarText(t, p)
			default:
				return nil
			}
			for _, m := range piiElement.FindAllStringSubmatch(s, -1) {
				add(m[1])
			}
			for _, m := range piiAttr.FindAllStringSubmatch(s, -1) {
				for _, v := range piiValue.FindAllStringSubmatch(m[1], -1) {
					add(v[1])
				}
			}
			for _, m := range emailRe.FindAllString(s, -1) {
				add(m)
			}
			for _, m := range phoneRe.FindAllString(s, -1) {
				add(m)
			}
			return nil
		})
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// tarText concatenates the members of a tar.gz.
func tarText(t *testing.T, p string) string {
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return ""
	}
	var b strings.Builder
	tr := tar.NewReader(gz)
	for {
		if _, err := tr.Next(); err != nil {
			break
		}
		io.Copy(&b, io.LimitReader(tr, 64<<20))
	}
	return b.String()
}

// allFormats are the output formats checked for leaks.
var allFormats = []string{"json", "text", "md", "html", "sarif", "junit", "pdf"}

// outputs runs args with every format into a fresh directory and returns
// each output as text (the PDF through pdftotext).
func outputs(t *testing.T, args ...string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	args = append(args, "--format", strings.Join(allFormats, ","), "--out-dir", dir, "--now", testNow)
	_, stderr, code := runCLI(t, args...)
	if code > 2 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	out := map[string]string{"stderr": stderr}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		if strings.HasSuffix(p, ".pdf") {
			var txt []byte
			if testtool.Poppler(t, "pdftotext") {
				var err error
				if txt, err = exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output(); err != nil {
					t.Fatalf("pdftotext %s: %v", p, err)
				}
			} else {
				t.Logf("pdftotext not installed: PDF checked on its raw bytes only")
			}
			data, _ := os.ReadFile(p)
			out[e.Name()] = string(txt) + string(data)
			continue
		}
		data, _ := os.ReadFile(p)
		out[e.Name()] = string(data)
	}
	if len(out) < len(allFormats)+1 {
		t.Fatalf("%v: only %d outputs", args, len(out)-1)
	}
	return out
}

// leaks reports each personal value found in clear in an output. Values
// are matched as whole words so that a first name does not match inside
// an ordinary word.
func leaks(t *testing.T, what string, values []string, out map[string]string) {
	t.Helper()
	for _, v := range values {
		re := regexp.MustCompile(`(^|[^\p{L}\p{N}])` + regexp.QuoteMeta(v) + `($|[^\p{L}\p{N}])`)
		for name, text := range out {
			if loc := re.FindStringIndex(text); loc != nil {
				lo, hi := max(loc[0]-60, 0), min(loc[1]+60, len(text))
				t.Errorf("%s: %s shows %q in clear: …%s…", what, name, v, text[lo:hi])
			}
		}
	}
}

func TestNoPersonalDataInOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every format on every bad fixture")
	}
	type target struct {
		name string
		args []string
		data []string // directories whose XML holds the personal data
		// manifest is the dossier's ent.yaml, whose subject is no pupil.
		manifest string
	}
	nc := filepath.Join(repoRoot, "fixtures/dossiers/non-conforme")
	nc1 := filepath.Join(repoRoot, "fixtures/dossiers/non-conforme-1d")
	targets := []target{{"non-conforme", []string{"audit", nc}, []string{nc}, nc + "/ent.yaml"},
		{"non-conforme-1d", []string{"audit", nc1}, []string{nc1}, nc1 + "/ent.yaml"}}
	gars, _ := filepath.Glob(filepath.Join(repoRoot, "fixtures/gar/bad-*"))
	for _, g := range gars {
		if strings.HasSuffix(g, ".args") {
			continue
		}
		args := []string{"check", "gar", g}
		if extra, err := os.ReadFile(g + ".args"); err == nil {
			args = append(args, strings.Fields(strings.ReplaceAll(string(extra), "$ROOT", repoRoot))...)
		}
		targets = append(targets, target{"gar/" + filepath.Base(g), args, []string{g}, ""})
	}
	maps, _ := filepath.Glob(filepath.Join(repoRoot, "fixtures/mapping/bad-*.yaml"))
	mdir := filepath.Join(repoRoot, "fixtures/mapping")
	for _, m := range maps {
		// Every mapping is checked against the samples, so that the
		// verification rules run and report on real records.
		args := []string{"check", "mapping", m, "--degree", "2D", "--aaf", mdir + "/aaf", "--gar", mdir + "/gar-bad"}
		targets = append(targets, target{"mapping/" + filepath.Base(m), args, []string{mdir + "/aaf", mdir + "/gar-bad"}, ""})
	}
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			values := piiValues(t, tg.data...)
			if tg.manifest != "" {
				// The fake names of the audit's subject (ENT, collectivité,
				// its representative) are meant to be in the report.
				m, _ := os.ReadFile(tg.manifest)
				values = slices.DeleteFunc(values, func(v string) bool { return strings.Contains(string(m), v) })
			}
			if len(values) == 0 {
				t.Fatalf("no personal data found in %v: the extraction is broken", tg.data)
			}
			leaks(t, tg.name, values, outputs(t, tg.args...))
		})
	}
}

// French and Irish names carry apostrophes (N'Diaye, D'Almeida, O'Brien),
// and so may a vendor's identifiers. libxml2 quotes the values it rejects
// between apostrophes: a value holding one must still be masked whole in
// every output, with each XSD engine.
func TestNoPersonalDataInSchemaMessagesWithApostrophes(t *testing.T) {
	good := filepath.Join(repoRoot, "fixtures/gar/good")
	const eleve = "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml"
	cases := []struct {
		name    string
		spoil   func(string) string
		secrets []string // fragments of the values that must not show
	}{
		{"duplicate identifier", func(s string) string {
			// Two pupils share one identifier holding apostrophes: the
			// key constraint of the XSD quotes it.
			s = strings.Replace(s, "ed1024a5fad64d71", "ed10'24a5fad'64d71", 1)
			return strings.Replace(s, "e49cd7458cdff943", "ed10'24a5fad'64d71", 1)
		}, []string{"24a5fad", "64d71"}},
		{"birth date", func(s string) string {
			return strings.Replace(s, "2012-10-21", "21'octobre'2012", 1)
		}, []string{"octobre"}},
	}
	for _, c := range cases {
		for _, eng := range []string{"libxml2", "go"} {
			t.Run(c.name+" "+eng, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "gar")
				copyTree(t, good, dir)
				data, err := os.ReadFile(filepath.Join(dir, eleve))
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, eleve), []byte(c.spoil(string(data))), 0o644)
				out := outputs(t, "check", "gar", dir, "--xsd-engine", eng)
				if !strings.Contains(out["stderr"]+out[filepathBase(t, out, ".json")], "GAR-005") {
					t.Fatalf("GAR-005 not reported: the test proves nothing")
				}
				for _, s := range c.secrets {
					for name, text := range out {
						if i := strings.Index(text, s); i >= 0 {
							t.Errorf("%s shows %q: …%s…", name, s, text[max(i-80, 0):min(i+80, len(text))])
						}
					}
				}
			})
		}
	}
}

// filepathBase returns the name of the output whose name ends with ext.
func filepathBase(t *testing.T, out map[string]string, ext string) string {
	t.Helper()
	for name := range out {
		if strings.HasSuffix(name, ext) {
			return name
		}
	}
	t.Fatalf("no %s output", ext)
	return ""
}
