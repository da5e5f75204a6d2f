package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/rules"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr, false)
	return stdout.String(), stderr.String(), code
}

// TestUsageErrors: bad usage exits 2 with a message in the language of
// --lang (French by default, like the usage text).
func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args   []string
		fr, en string
	}{
		{[]string{"frobnicate"}, `commande inconnue "frobnicate"`, `unknown command "frobnicate"`},
		{[]string{"check"}, "usage : sdetcheck check", "usage: sdetcheck check"},
		{[]string{"check", "nope", "x"}, `type de pièce inconnu "nope" ; attendu l'un de contract, saml, gar`, `unknown kind of piece "nope"; expected one of contract, saml, gar`},
		{[]string{"audit"}, "usage : sdetcheck audit", "usage: sdetcheck audit"},
		{[]string{"audit", "../../fixtures/dossiers/incomplet", "--fail-on", "terrible"}, `--fail-on "terrible" : bloquant, majeur`, `--fail-on "terrible": expected`},
		{[]string{"audit", "../../fixtures/dossiers/incomplet", "--format", "docx"}, `format inconnu "docx"`, `unknown format "docx"`},
		{[]string{"audit", "../../fixtures/dossiers/incomplet", "--now", "yesterday"}, `--now "yesterday" : date`, `--now "yesterday": expected`},
		{[]string{"audit", "../../fixtures/dossiers/incomplet", "--out", "x.unknown"}, "l'extension ne dit pas le format", "cannot tell the format"},
		{[]string{"rules", "explain", "NOPE-999"}, `règle inconnue "NOPE-999"`, `unknown rule "NOPE-999"`},
		{[]string{"audit", "does/not/exist"}, "does/not/exist : répertoire du dossier introuvable", "does/not/exist: dossier directory not found"},
		{[]string{"audit", "x", "--bogus"}, "sdetcheck: option inconnue --bogus ; voir sdetcheck audit --help\n", "sdetcheck: unknown option --bogus; see sdetcheck audit --help\n"},
	}
	for _, c := range cases {
		for _, lang := range []string{"", "en"} {
			args, want := c.args, c.fr
			if lang != "" {
				args, want = append(append([]string{}, c.args...), "--lang", lang), c.en
			}
			_, stderr, code := runCLI(t, args...)
			if code != 2 {
				t.Errorf("%v: exit %d, want 2", args, code)
			}
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr %q does not contain %q", args, stderr, want)
			}
		}
	}
	// An unknown --lang is said in French, the default.
	if _, stderr, code := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--lang", "de"); code != 2 || !strings.Contains(stderr, `--lang "de" : fr ou en attendu`) {
		t.Errorf("--lang de: exit %d, stderr %q", code, stderr)
	}
}

func TestRulesCommand(t *testing.T) {
	out, _, code := runCLI(t, "rules")
	if code != 0 || !strings.Contains(out, "DOSSIER-001") || !strings.Contains(out, rules.Version) {
		t.Fatalf("rules: exit %d, output %q", code, out)
	}
	for _, r := range rules.All() {
		if !strings.Contains(out, r.ID) {
			t.Errorf("rules output lacks %s", r.ID)
		}
	}
	fr, _, _ := runCLI(t, "rules", "explain", "dossier-001")
	en, _, _ := runCLI(t, "rules", "explain", "DOSSIER-001", "--lang", "en")
	r := rules.MustLookup("DOSSIER-001")
	if !strings.Contains(fr, r.Title.FR) || !strings.Contains(fr, r.Remediation.FR) {
		t.Errorf("explain (fr) lacks title or remediation:\n%s", fr)
	}
	if !strings.Contains(en, r.Title.EN) || !strings.Contains(en, r.Remediation.EN) {
		t.Errorf("explain (en) lacks title or remediation:\n%s", en)
	}
	js, _, code := runCLI(t, "rules", "--format", "json")
	var cat struct {
		Version string
		Rules   []rules.Rule
	}
	if err := json.Unmarshal([]byte(js), &cat); err != nil || code != 0 || len(cat.Rules) != len(rules.All()) {
		t.Errorf("rules --format json: exit %d, err %v, %d rules", code, err, len(cat.Rules))
	}
}

// TestManifestErrors: a broken ent.yaml is refused (exit 2) with its line
// and the problem, in French by default and in English with --lang en.
func TestManifestErrors(t *testing.T) {
	cases := []struct {
		name, manifest, fr, en string
	}{
		{"unknown key", "ent:\n  name: X\n  colour: blue\ncollectivite: {name: Y}\ndegree: 2D\nsdet: \"7.0\"\n",
			`ent.yaml, ligne 3 : clé inconnue "colour"`, `ent.yaml:3: unknown key "colour"`},
		{"missing file", "ent: {name: X}\ncollectivite: {name: Y}\ndegree: 2D\nsdet: \"7.0\"\nevidence:\n  saml_metadata: nowhere.xml\n",
			`ent.yaml, ligne 6 : evidence.saml_metadata "nowhere.xml" : fichier introuvable`, `ent.yaml:6: evidence.saml_metadata "nowhere.xml": file not found`},
		{"bad degree", "ent: {name: X}\ncollectivite: {name: Y}\ndegree: 3D\nsdet: \"7.0\"\n",
			`ent.yaml, ligne 3 : degree "3D" : 1D ou 2D attendu`, `ent.yaml:3: degree "3D": must be 1D or 2D`},
		{"outside", "ent: {name: X}\ncollectivite: {name: Y}\ndegree: 1D\nsdet: \"7.0\"\nevidence:\n  notice: ../../etc/passwd\n",
			"le chemin sort du répertoire du dossier", "points outside the dossier"},
		{"syntax", "ent: [\n", "ent.yaml, ligne 1 : YAML invalide (détail technique : ", "ent.yaml:1: invalid YAML: "},
		{"no sdet", "ent: {name: X}\ncollectivite: {name: Y}\ndegree: 1D\n", "sdet est exigé", "sdet is required"},
		{"empty", "", "ent.yaml : le manifeste est vide", "ent.yaml: manifest is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "ent.yaml"), []byte(c.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"fr", "en"} {
				want := map[string]string{"fr": c.fr, "en": c.en}[lang]
				_, stderr, code := runCLI(t, "audit", dir, "--lang", lang)
				if code != 2 {
					t.Errorf("%s: exit %d, want 2", lang, code)
				}
				if !strings.Contains(stderr, want) {
					t.Errorf("%s: stderr %q does not contain %q", lang, stderr, want)
				}
			}
		})
	}
}

// TestResultSchemaAndDeterminism validates audit output against the JSON
// contract (shared/spec/result.schema.json, copied into internal/result)
// and checks that two runs give byte-identical JSON.
func TestResultSchemaAndDeterminism(t *testing.T) {
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../../internal/result/result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, dossier := range []string{"../../fixtures/dossiers/conforme", "../../fixtures/dossiers/incomplet"} {
		out1, stderr, code := runCLI(t, "audit", dossier, "--format", "json", "--now", testNow)
		if code == 3 {
			t.Fatalf("%s: internal error: %s", dossier, stderr)
		}
		out2, _, _ := runCLI(t, "audit", dossier, "--format", "json", "--now", testNow)
		if out1 != out2 {
			t.Errorf("%s: two runs differ", dossier)
		}
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(out1))
		if err != nil {
			t.Fatalf("%s: %v", dossier, err)
		}
		if err := sch.Validate(doc); err != nil {
			t.Errorf("%s: result does not validate: %v", dossier, err)
		}
		var res struct {
			Inputs []struct{ Source, SHA256 string }
		}
		json.Unmarshal([]byte(out1), &res)
		if len(res.Inputs) == 0 || res.Inputs[0].Source == "" {
			t.Errorf("%s: no inputs recorded", dossier)
		}
		if strings.Contains(out1, "generated_at") {
			t.Errorf("%s: timestamp present without --timestamp", dossier)
		}
	}
	out, _, _ := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "json", "--now", testNow, "--timestamp")
	if !strings.Contains(out, `"generated_at": "2026-11-23T12:00:00Z"`) {
		t.Errorf("--timestamp did not add generated_at")
	}
}

func TestExitCodesAndFailOn(t *testing.T) {
	// The incomplete dossier lacks every piece (DOSSIER-001, majeur): it
	// is incomplet (4), not non conforme.
	_, _, code := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "json")
	if code != 4 {
		t.Errorf("default --fail-on majeur: exit %d, want 4", code)
	}
	// Its bloquant rules (SAML-001…) are not evaluated either: still 4.
	_, _, code = runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "json", "--fail-on", "bloquant")
	if code != 4 {
		t.Errorf("--fail-on bloquant: exit %d, want 4", code)
	}
}

func TestOutFileAndOutDir(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	_, stderr, code := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--out", out)
	if code == 2 || code == 3 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !json.Valid(data) {
		t.Fatalf("--out did not write JSON: %v", err)
	}
	od := filepath.Join(dir, "o")
	_, stderr, code = runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "json,text", "--out-dir", od)
	if code == 2 || code == 3 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"sdetcheck.json", "sdetcheck.txt"} {
		if _, err := os.Stat(filepath.Join(od, f)); err != nil {
			t.Errorf("--out-dir: %v", err)
		}
	}
	text, _, _ := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "text")
	if !strings.Contains(text, "INCOMPLET") || !strings.Contains(text, "DOSSIER-001") {
		t.Errorf("text output lacks verdict or rule:\n%s", text)
	}
}

// --lang given twice: the last one counts, as for the run itself, even in
// the error of an option that could not be parsed.
func TestLangGivenTwice(t *testing.T) {
	const fr, en = "sdetcheck: option inconnue --bogus ; voir sdetcheck audit --help\n", "sdetcheck: unknown option --bogus; see sdetcheck audit --help\n"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "x", "--lang", "en", "--lang", "fr", "--bogus"}, fr},
		{[]string{"audit", "x", "--lang=en", "--lang=fr", "--bogus"}, fr},
		{[]string{"audit", "x", "-lang", "en", "--lang=fr", "--bogus"}, fr},
		{[]string{"audit", "x", "--lang", "fr", "--lang=en", "--bogus"}, en},
		{[]string{"audit", "x", "--lang=fr", "-lang", "en", "--bogus"}, en},
		{[]string{"audit", "x", "--bogus", "--lang", "en"}, en},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code != 2 || !strings.HasSuffix(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr ends %q, want %q", c.args, code, tail(stderr), c.want)
		}
	}
	// Without a parse error, the last --lang counts too.
	if _, stderr, code := runCLI(t, "audit", "x", "--lang", "en", "--lang", "fr"); code != 2 || !strings.Contains(stderr, "répertoire du dossier introuvable") {
		t.Errorf("exit %d: %q", code, stderr)
	}
}

func tail(s string) string {
	if i := strings.LastIndex(strings.TrimSuffix(s, "\n"), "\n"); i >= 0 {
		return s[i+1:]
	}
	return s
}

// The help asked for, and an invalid option's error, follow --lang like
// every other line: French by default, English with --lang en.
func TestUsageFollowsLang(t *testing.T) {
	for _, c := range []struct {
		args   []string
		stdout bool
		fr, en string
	}{
		{[]string{"audit", "x", "--bogus"}, false, "option inconnue --bogus", "unknown option --bogus"},
		{[]string{"audit", "x", "--lang"}, false, "l'option --lang demande une valeur", "option --lang needs a value"},
		{[]string{"audit", "-h"}, true, "Audite un dossier complet", "Audit a whole dossier"},
		{[]string{"help"}, true, "audite un dossier", "audit a dossier"},
	} {
		for _, lang := range []string{"fr", "en"} {
			args := append(append([]string{}, c.args...), "--lang="+lang)
			if c.args[len(c.args)-1] == "--lang" {
				args = append(append([]string{}, c.args[:len(c.args)-1]...), "--lang="+lang, "--lang")
			}
			stdout, stderr, _ := runCLI(t, args...)
			out := stderr
			if c.stdout {
				out = stdout
			}
			fr, en := strings.Contains(out, c.fr), strings.Contains(out, c.en)
			if lang == "fr" && (!fr || en) || lang == "en" && (!en || fr) {
				t.Errorf("%v: help not (only) in %s:\n%s", args, lang, out)
			}
		}
	}
}

// An internal error (sdetcheck's own defect) is said in French with the
// English text of the defect as the technical detail, and exits 3 in
// either language; so is a panic.
func TestInternalErrorInFrench(t *testing.T) {
	err := internalError{fmt.Errorf("%w: check returned unknown rule %q", audit.ErrInternal, "NOPE-1")}
	for _, c := range []struct{ lang, want string }{
		{"fr", "sdetcheck: erreur interne de sdetcheck, à signaler (détail technique : internal: check returned unknown rule \"NOPE-1\")\n"},
		{"en", "sdetcheck: internal: check returned unknown rule \"NOPE-1\"\n"},
	} {
		var b strings.Builder
		if code := fail(&b, c.lang, err); code != audit.ExitInternal || b.String() != c.want {
			t.Errorf("%s: exit %d, %q, want %q", c.lang, code, b.String(), c.want)
		}
	}
}

// An empty path (a CI variable left unset: sdetcheck audit "$DOSSIER") is
// a usage error that says so, in each language, not ": no such file".
func TestEmptyPathArgument(t *testing.T) {
	for _, args := range [][]string{{"audit", ""}, {"check", "page", ""}, {"check", "gar", ""}, {"report", "", "--format", "md"}, {"diff", "", ""}} {
		for _, c := range []struct{ lang, want string }{
			{"fr", "sdetcheck: argument vide : un fichier ou un répertoire est attendu (variable non définie ?)\n"},
			{"en", "sdetcheck: empty argument: a file or directory is expected (unset variable?)\n"},
		} {
			_, stderr, code := runCLI(t, append(append([]string{}, args...), "--lang", c.lang)...)
			if code != 2 || stderr != c.want {
				t.Errorf("%q --lang %s: exit %d, %q, want %q", args, c.lang, code, stderr, c.want)
			}
		}
	}
}
