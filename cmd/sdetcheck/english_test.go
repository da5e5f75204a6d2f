package main

import (
	"encoding/json"
	"encoding/xml"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
	"github.com/sdetcheck/sdetcheck/rules"
)

// properNames are the French words an English report may print: names of
// official texts and bodies, which have no English name of their own.
// Everything else French in an English output must come from the audited
// dossier itself (names, justifications, quoted evidence: see quoted).
var properNames = []string{
	"Loi Informatique et Libertés",
	"Commission nationale de l'informatique et des libertés",
}

// spacedMarkRe is French typography in English prose: a space before a
// colon, semicolon, question or exclamation mark ("who acts : vendor").
var spacedMarkRe = regexp.MustCompile(`\S\s[:;?!](\s|$)`)

// frenchRe finds French in prose: accented letters, guillemets, and words
// that are French and not English (the severities and statuses of the
// JSON contract included: they are for machines, not for English prose).
var frenchRe = regexp.MustCompile(`(?i)[àâçéèêëîïôûùüÿœæ«»]|\b(le|la|les|des|du|une|et|ou|pour|dans|avec|est|sont|pas|aucun|aucune|règles?|pièces?|bloquante?s?|majeure?s?|mineure?s?|dérogations?|collectivités?|conformes?|échecs?|sans objet|non évaluée?s?|(?-i:RGPD)|qui agit|délai)\b`)

// spaces collapses every run of white space, so that a quoted text wrapped
// by a report is still found.
func spaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// quoted lists what an English report may show in French because the
// dossier says it: its names, the dérogations' justifications and
// grantors, the evidence (file names and excerpts).
var waiverFieldRe = regexp.MustCompile(`(?m)(?:granted_by|justification):\s*(.+)$`)

func quoted(t *testing.T, dir string, res *result.Result) []string {
	t.Helper()
	q := append([]string{}, properNames...)
	if s := res.Subject; s != nil {
		q = append(q, s.ENT, s.Vendor, s.Collectivite, s.Representative, s.Convention, s.Auditor, s.URL)
	}
	for _, in := range res.Inputs {
		q = append(q, in.Source)
	}
	// The dérogations file's grantors and justifications (an expired one
	// is named by DOSSIER-002 without a waiver on any finding).
	if data, err := os.ReadFile(filepath.Join(dir, "derogations.yaml")); err == nil {
		for _, m := range waiverFieldRe.FindAllStringSubmatch(string(data), -1) {
			q = append(q, strings.Trim(m[1], `"' `))
		}
	}
	for _, f := range res.Results {
		if w := f.Waiver; w != nil {
			q = append(q, w.Justification, w.GrantedBy)
		}
		// A contract's parties (its sub-processors' names, services and
		// countries) are its own words.
		for _, p := range f.Parties {
			q = append(q, p.Name, p.Role, p.Country)
		}
		for _, e := range f.Evidence {
			q = append(q, e.Source, e.Excerpt, report.Scrub(e.Excerpt))
			// Multi-line excerpts (a notice's diff) are quoted line by line.
			for _, l := range strings.Split(report.Scrub(e.Excerpt), "\n") {
				q = append(q, l, strings.TrimLeft(l, "-+ "))
			}
		}
	}
	var out []string
	for _, s := range q {
		if s = spaces(s); s != "" {
			out = append(out, s)
		}
	}
	// Longest first: a long excerpt goes before a name inside it.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

var (
	// dquoteRe is a quotation in English prose: what a French page or
	// notice must say ("Mentions d'information"), quoted.
	dquoteRe = regexp.MustCompile(`"[^"\n]{0,200}"`)
	// pathRe is a file name or path (fixtures/dossiers/conforme).
	pathRe = regexp.MustCompile(`\S*/\S*`)
)

// unquoted is text on one line (a report wraps a long name or excerpt
// anywhere) with the quoted material q taken out.
func unquoted(text string, q []string) string {
	l := spaces(text)
	for _, s := range q {
		l = strings.ReplaceAll(l, s, "…")
	}
	return l
}

// frenchIn returns the French left in an English output once the quoted
// material is taken out, each with its context. The text is taken as one
// line: a report wraps a long name or excerpt anywhere.
func frenchIn(text string, q []string) []string {
	l := unquoted(text, q)
	// «…» is the GAR schema messages' mask of an instance value, like
	// ***: a marker, not French.
	l = strings.ReplaceAll(l, "«…»", "***")
	l = dquoteRe.ReplaceAllString(l, "“…”")
	l = pathRe.ReplaceAllString(l, "…")
	var bad []string
	ms := frenchRe.FindAllStringIndex(l, -1)
	ms = append(ms, spacedMarkRe.FindAllStringIndex(l, -1)...)
	for _, m := range ms {
		from, to := max(0, m[0]-70), min(len(l), m[1]+50)
		for from > 0 && !utf8.RuneStart(l[from]) {
			from--
		}
		for to < len(l) && !utf8.RuneStart(l[to]) {
			to++
		}
		bad = append(bad, l[m[0]:m[1]]+" ← "+l[from:to])
	}
	return bad
}

var tagRe = regexp.MustCompile(`(?s)<style.*?</style>|<[^>]*>`)

// visibleHTML is the text a reader sees in an HTML report (one line per
// element).
func visibleHTML(s string) string {
	return html.UnescapeString(tagRe.ReplaceAllString(s, "\n"))
}

// xmlText is the character data and attribute values of an XML document
// (JUnit), one per line.
func xmlText(t *testing.T, data []byte) string {
	t.Helper()
	var b strings.Builder
	d := xml.NewDecoder(strings.NewReader(string(data)))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.StartElement:
			for _, a := range x.Attr {
				b.WriteString(a.Value + "\n")
			}
		case xml.CharData:
			b.WriteString(string(x) + "\n")
		}
	}
	return b.String()
}

// sarifText is what a SARIF viewer shows: every "text" and "markdown"
// string of the log.
func sarifText(t *testing.T, data []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if s, ok := c.(string); ok && (k == "text" || k == "markdown") {
					b.WriteString(s + "\n")
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(v)
	return b.String()
}

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	if !havePoppler(t, "pdftotext") {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext %s: %v\n%s", path, err, out)
	}
	return string(out)
}

// readerOutputs audits every sample dossier in lang in every format, renders
// the JSON again with `report`, compares results with `diff`, prints the
// catalogue, and returns each output's reader text with what the dossier
// itself quotes.
func readerOutputs(t *testing.T, lang string) (map[string]string, map[string][]string) {
	t.Helper()
	manifests, err := filepath.Glob("../../fixtures/dossiers/*/ent.yaml")
	var dossiers []string
	for _, m := range manifests {
		dossiers = append(dossiers, filepath.Dir(m))
	}
	if err != nil || len(dossiers) < 5 {
		t.Fatalf("sample dossiers: %v %v", dossiers, err)
	}
	texts, quotes := map[string]string{}, map[string][]string{}
	tmp := t.TempDir()
	for _, d := range dossiers {
		name := filepath.Base(d)
		out := filepath.Join(tmp, name)
		_, stderr, code := runCLI(t, "audit", d, "--lang", lang, "--now", "2026-12-01T12:00:00Z", "--format", "text,json,html,pdf,md,sarif,junit", "--out-dir", out)
		if code == 2 || code == 3 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr)
		}
		read := func(f string) []byte {
			data, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
		var res result.Result
		if err := json.Unmarshal(read("sdetcheck.json"), &res); err != nil {
			t.Fatal(err)
		}
		q := quoted(t, d, &res)
		add := func(what, text string) { texts[name+" "+what], quotes[name+" "+what] = text, q }
		add("stderr", stderr)
		add("text", string(read("sdetcheck.txt")))
		add("md", string(read("sdetcheck.md")))
		add("html", visibleHTML(string(read("sdetcheck.html"))))
		add("junit", xmlText(t, read("sdetcheck.junit.xml")))
		add("sarif", sarifText(t, read("sdetcheck.sarif")))
		add("pdf", pdfToText(t, filepath.Join(out, "sdetcheck.pdf")))
		var msgs []string
		for _, f := range res.Results {
			if lang == "en" {
				msgs = append(msgs, f.MessageEN, f.TitleEN)
			} else {
				msgs = append(msgs, f.Message, f.Title)
			}
		}
		add("json messages", strings.Join(msgs, "\n"))
		// The report command renders the same result in English.
		stdout, stderr, code := runCLI(t, "report", filepath.Join(out, "sdetcheck.json"), "--format", "md", "--lang", lang)
		if code != 0 {
			t.Fatalf("%s: report exit %d: %s", name, code, stderr)
		}
		add("report md", stdout)
	}
	// diff, both ways between a non-conformant and a conformant dossier.
	for _, pair := range [][2]string{{"non-conforme", "conforme"}, {"conforme", "non-conforme"}, {"derogation-expiree", "sous-derogation"}} {
		a, b := filepath.Join(tmp, pair[0], "sdetcheck.json"), filepath.Join(tmp, pair[1], "sdetcheck.json")
		for _, format := range []string{"text", "md"} {
			stdout, stderr, code := runCLI(t, "diff", a, b, "--format", format, "--lang", lang)
			if code > 1 {
				t.Fatalf("diff %v: exit %d: %s", pair, code, stderr)
			}
			q := append(append([]string{}, quotes[pair[0]+" text"]...), quotes[pair[1]+" text"]...)
			sort.Slice(q, func(i, j int) bool { return len(q[i]) > len(q[j]) })
			texts["diff "+pair[0]+" "+pair[1]+" "+format], quotes["diff "+pair[0]+" "+pair[1]+" "+format] = stdout, q
		}
	}
	// The help, global and per command.
	for _, cmd := range [][]string{{"--help"}, {"audit", "--help"}, {"check", "--help"}, {"report", "--help"}, {"diff", "--help"}, {"rules", "--help"}, {"serve", "--help"}} {
		stdout, stderr, _ := runCLI(t, append(cmd, "--lang", lang)...)
		texts["help "+strings.Join(cmd, " ")], quotes["help "+strings.Join(cmd, " ")] = stdout+stderr, append(properNames, "ent.yaml")
	}
	// The catalogue.
	for _, args := range [][]string{{"rules", "--lang", lang}, {"rules", "--format", "md", "--lang", lang}} {
		stdout, _, _ := runCLI(t, args...)
		texts[strings.Join(args, " ")], quotes[strings.Join(args, " ")] = stdout, properNames
	}
	for _, r := range rules.All() {
		stdout, _, _ := runCLI(t, "rules", "explain", r.ID, "--lang", lang)
		texts["rules explain "+r.ID], quotes["rules explain "+r.ID] = stdout, properNames
	}
	return texts, quotes
}

// TestEnglishIsEnglish: with --lang en every output of every sample
// dossier (text, HTML, PDF, Markdown, SARIF, JUnit, message_en of the
// JSON, report, diff, rules, rules explain) is English, but for the
// dossier's own words (names, justifications, quoted evidence) and a few
// proper names of official texts.
func TestEnglishIsEnglish(t *testing.T) {
	// The detector itself finds French.
	for _, s := range []string{"Severity: majeur", "Reference: Convention collectivité–DSDEN", "No dérogations file.", "« mail »", "(RGPD art. 26.2)", "who acts : vendor"} {
		if len(frenchIn(s, properNames)) == 0 {
			t.Fatalf("French not found in %q", s)
		}
	}
	texts, quotes := readerOutputs(t, "en")
	var keys []string
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(strings.TrimSpace(texts[k])) == 0 && !strings.HasSuffix(k, "stderr") {
			t.Errorf("%s: empty output", k)
		}
		bad := frenchIn(texts[k], quotes[k])
		for i, b := range bad {
			if i == 5 {
				t.Errorf("%s: … %d more", k, len(bad)-5)
				break
			}
			t.Errorf("%s: French in English: %s", k, b)
		}
	}
}

// TestEnglishMessagesOfExamples: every finding of every catalogue example
// (good and bad, all areas) has an English message, and it is English:
// a finding built without message_en, or with French in it, is found here
// rather than by a reader. Its French message has French typography.
func TestEnglishMessagesOfExamples(t *testing.T) {
	seen := map[string]bool{}
	n := 0
	for _, r := range rules.All() {
		for _, path := range append(append([]string{}, r.Examples.Good...), r.Examples.Bad...) {
			if seen[path] {
				continue
			}
			seen[path] = true
			res, _, _ := runExample(t, r.Area, path)
			q := quoted(t, filepath.Join(repoRoot, path), res)
			for _, f := range res.Results {
				n++
				if f.MessageEN == "" {
					t.Errorf("%s: %s has no English message: %q", path, f.Rule, f.Message)
					continue
				}
				for _, b := range frenchIn(f.MessageEN, q) {
					t.Errorf("%s: %s: French in message_en: %s", path, f.Rule, b)
				}
				for _, b := range frenchColons(f.Message, q) {
					t.Errorf("%s: %s: no space before the mark in message: %s", path, f.Rule, b)
				}
				// Plurals are written, not hedged: "2 clés", never "clé(s)".
				for _, m := range []string{f.Message, f.MessageEN} {
					if strings.Contains(m, "(s)") {
						t.Errorf("%s: %s: \"(s)\" instead of a plural: %s", path, f.Rule, m)
					}
				}
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d findings examined", n)
	}
}

var (
	// colonRe is a French colon, semicolon, question or exclamation mark
	// glued to the word before it ("Sévérité:"): French puts a space
	// before them. What follows must be a space or the end, so that
	// urn:oid:…, xs:date, 12:00 and https:// are not taken.
	colonRe = regexp.MustCompile(`[\p{L}\p{N})»*_]+[:;?!](\s|$)`)
	// technicalRe is a technical detail quoted from a library, in English
	// by nature ("(détail technique : dial tcp: lookup …)").
	technicalRe = regexp.MustCompile(`(détail technique(?: en anglais| du validateur, en anglais)?|technical detail) : [^()]*(\([^()]*\)[^()]*)*\)`)
)

// TestFrenchTypography: in every French output of every sample dossier,
// a colon, semicolon, question or exclamation mark has a space before it
// ("Sévérité :", never "Sévérité:"), but in what the dossier quotes and in
// a library's technical detail.
func TestFrenchTypography(t *testing.T) {
	if got := frenchColons("Sévérité: majeur ; Référence : x", nil); len(got) != 1 {
		t.Fatalf("detector: %v", got)
	}
	texts, quotes := readerOutputs(t, "fr")
	var keys []string
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		bad := frenchColons(texts[k], quotes[k])
		for i, b := range bad {
			if i == 5 {
				t.Errorf("%s: … %d more", k, len(bad)-5)
				break
			}
			t.Errorf("%s: no space before the mark: %s", k, b)
		}
	}
}

// frenchColons returns the marks of a French text glued to their word,
// with context, once the quoted material is taken out.
func frenchColons(text string, q []string) []string {
	l := unquoted(text, q)
	// "sdetcheck: …" on stderr is the program's name, as Unix tools write
	// it, not French prose.
	l = strings.ReplaceAll(l, "sdetcheck: ", "")
	l = technicalRe.ReplaceAllString(l, "…")
	l = pathRe.ReplaceAllString(l, "…")
	var bad []string
	for _, m := range colonRe.FindAllStringIndex(l, -1) {
		from, to := max(0, m[0]-50), min(len(l), m[1]+40)
		for from > 0 && !utf8.RuneStart(l[from]) {
			from--
		}
		for to < len(l) && !utf8.RuneStart(l[to]) {
			to++
		}
		bad = append(bad, strings.TrimSpace(l[m[0]:m[1]])+" ← "+l[from:to])
	}
	return bad
}

// TestFailOnEnglishNames: --fail-on takes a severity's English name as
// its JSON value: the English help names them so.
func TestFailOnEnglishNames(t *testing.T) {
	d := filepath.Join(repoRoot, "fixtures/dossiers/non-conforme-1d")
	for en, fr := range map[string]string{"blocking": "bloquant", "major": "majeur", "minor": "mineur"} {
		_, _, a := runCLI(t, "audit", d, "--format", "json", "--now", testNow, "--fail-on", en)
		_, _, b := runCLI(t, "audit", d, "--format", "json", "--now", testNow, "--fail-on", fr)
		if a != b || a == 2 {
			t.Errorf("--fail-on %s: exit %d, --fail-on %s: exit %d", en, a, fr, b)
		}
	}
}
