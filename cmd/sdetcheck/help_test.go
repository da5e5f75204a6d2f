package main

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every option the command line accepts is documented, in both languages,
// and listed by the help of each command that takes it.
func TestEveryOptionDocumented(t *testing.T) {
	var o opts
	fs := newFlagSet("audit", &o, io.Discard, "fr")
	documented := map[string]bool{}
	for _, d := range optionDocs {
		documented[d.name] = true
		if d.descFR == "" || d.descEN == "" {
			t.Errorf("--%s: description missing in one language", d.name)
		}
	}
	for _, name := range flagNames(fs) {
		if !documented[name] {
			t.Errorf("--%s is accepted but not documented in optionDocs", name)
		}
	}
	global := usageIn("fr")
	for _, d := range optionDocs {
		if !strings.Contains(global, "--"+d.name+" ") && !strings.Contains(global, "--"+d.name+"\n") {
			t.Errorf("sdetcheck --help omits --%s", d.name)
		}
		for _, c := range d.commandsIn {
			for _, lang := range []string{"fr", "en"} {
				if h := commandHelp(c, lang); !strings.Contains(h, "--"+d.name) {
					t.Errorf("sdetcheck %s --help (%s) omits --%s", c, lang, d.name)
				}
			}
		}
	}
}

// `sdetcheck CMD --help` prints that command's help on stdout and exits 0;
// --version and -V are the version; options alone give the usage in their
// language.
func TestCommandHelpAndVersion(t *testing.T) {
	for _, c := range commandDocs {
		for _, h := range []string{"--help", "-h"} {
			stdout, _, code := runCLI(t, c.name, h)
			if code != 0 || !strings.HasPrefix(stdout, "Usage : "+c.synopsisFR) {
				t.Errorf("%s %s: exit %d, %q", c.name, h, code, stdout)
			}
		}
		stdout, _, code := runCLI(t, "help", c.name, "--lang", "en")
		if code != 0 || !strings.HasPrefix(stdout, "Usage: "+c.synopsisEN) {
			t.Errorf("help %s --lang en: exit %d, %q", c.name, code, stdout)
		}
	}
	for _, v := range []string{"--version", "-V", "version"} {
		stdout, stderr, code := runCLI(t, v)
		if code != 0 || !strings.HasPrefix(stdout, "sdetcheck ") {
			t.Errorf("%s: exit %d, %q %q", v, code, stdout, stderr)
		}
	}
	_, stderr, code := runCLI(t, "--lang", "en")
	if code != 2 || !strings.Contains(stderr, "audit a dossier directory") || strings.Contains(stderr, "audite") {
		t.Errorf("--lang en alone: exit %d, not the English usage: %q", code, stderr)
	}
	// Options may come before the command.
	stdout, _, code := runCLI(t, "--lang", "en", "rules")
	if code != 0 || !strings.Contains(stdout, "DOSSIER-001") {
		t.Errorf("--lang en rules: exit %d, %q", code, stdout)
	}
}

// A mistyped option is said first, as typed, with the nearest known option
// and where the help is, not after the whole help.
func TestUnknownOptionSuggests(t *testing.T) {
	for _, c := range []struct {
		args   []string
		fr, en string
	}{
		{[]string{"audit", "D", "--formt", "text"}, "sdetcheck: option inconnue --formt (vouliez-vous dire --format ?) ; voir sdetcheck audit --help\n", "sdetcheck: unknown option --formt (did you mean --format?); see sdetcheck audit --help\n"},
		{[]string{"check", "page", "p.html", "-rendr"}, "sdetcheck: option inconnue -rendr (vouliez-vous dire --render ?) ; voir sdetcheck check --help\n", "sdetcheck: unknown option -rendr (did you mean --render?); see sdetcheck check --help\n"},
		{[]string{"audit", "D", "--fail-o=mineur"}, "sdetcheck: option inconnue --fail-o (vouliez-vous dire --fail-on ?) ; voir sdetcheck audit --help\n", "sdetcheck: unknown option --fail-o (did you mean --fail-on?); see sdetcheck audit --help\n"},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code != 2 || stderr != c.fr {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, stderr, c.fr)
		}
		_, stderr, code = runCLI(t, append(c.args, "--lang", "en")...)
		if code != 2 || stderr != c.en {
			t.Errorf("%v --lang en: exit %d, stderr %q, want %q", c.args, code, stderr, c.en)
		}
	}
}

// A report written to a file is announced on stderr with its verdict and
// exit code, so that a run under `go run` does not look like a crash.
func TestReportWrittenSaysWhere(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rapport.md")
	_, stderr, code := runCLI(t, "audit", "../../fixtures/dossiers/non-conforme", "--out", out, "--now", testNow)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := "sdetcheck: rapport écrit dans " + out + " — verdict : NON CONFORME (code de sortie 1)\n"
	if !strings.HasSuffix(stderr, want) {
		t.Errorf("stderr %q, want it to end with %q", stderr, want)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
	// Nothing is said when the output is stdout.
	_, stderr, _ = runCLI(t, "audit", "../../fixtures/dossiers/non-conforme", "--format", "json", "--now", testNow)
	if strings.Contains(stderr, "rapport écrit") {
		t.Errorf("stdout output announced: %q", stderr)
	}
}

// `check KIND --help` gives that kind's options and no other; `rules
// --help` the formats rules writes.
func TestCheckKindHelp(t *testing.T) {
	own := map[string][]string{}
	for _, k := range checkKinds() {
		own[k.name] = k.options
	}
	for _, k := range checkKinds() {
		for _, args := range [][]string{{"check", k.name, "--help"}, {"help", "check", k.name}} {
			stdout, _, code := runCLI(t, args...)
			if code != 0 || !strings.HasPrefix(stdout, "Usage : "+k.synopsisFR) {
				t.Errorf("%v: exit %d, %q", args, code, stdout)
				continue
			}
			for _, o := range append(append([]string{}, checkCommon...), k.options...) {
				if !strings.Contains(stdout, "--"+o+" ") && !strings.Contains(stdout, "--"+o+"\n") {
					t.Errorf("%v omits --%s", args, o)
				}
			}
			for other, opts := range own {
				for _, o := range opts {
					if !contains(k.options, o) && strings.Contains(stdout, "--"+o) {
						t.Errorf("%v lists --%s, an option of check %s", args, o, other)
					}
				}
			}
		}
	}
	// Every option a check kind takes is a check option.
	for _, k := range checkKinds() {
		for _, o := range k.options {
			found := false
			for _, d := range optionDocs {
				found = found || (d.name == o && contains(d.commandsIn, "check"))
			}
			if !found {
				t.Errorf("check %s: --%s is not a check option", k.name, o)
			}
		}
	}
	stdout, _, _ := runCLI(t, "rules", "--help")
	if !strings.Contains(stdout, "text (défaut), json ou md") || strings.Contains(stdout, "sarif") || strings.Contains(stdout, "pdf") {
		t.Errorf("rules --help lists formats rules does not write: %q", stdout)
	}
}

// A mistyped command or kind of piece gets the nearest known one.
func TestUnknownCommandSuggests(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"audti", "D"}, `commande inconnue "audti" (vouliez-vous dire audit ?)`},
		{[]string{"raport", "r.json"}, `commande inconnue "raport" (vouliez-vous dire report ?)`},
		{[]string{"sso-extrat", "c.har"}, `commande inconnue "sso-extrat" (vouliez-vous dire sso-extract ?)`},
		{[]string{"zzz"}, `commande inconnue "zzz" (voir sdetcheck help)`},
		{[]string{"check", "sml", "x.xml"}, `type de pièce inconnu "sml" (vouliez-vous dire saml ?)`},
		{[]string{"check", "notcie", "--help"}, `type de pièce inconnu "notcie" (vouliez-vous dire notice ?)`},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
}

// A mistyped key of ent.yaml gets the nearest known key, with the file
// and the line.
func TestManifestKeySuggests(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(repoRoot, "fixtures/dossiers/incomplet/ent.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "collectivite:", "colectivite:", 1)
	if text == string(data) {
		t.Fatal("no collectivite key")
	}
	os.WriteFile(filepath.Join(dir, "ent.yaml"), []byte(text), 0o644)
	line := strings.Count(text[:strings.Index(text, "colectivite:")], "\n") + 1
	_, stderr, code := runCLI(t, "audit", dir, "--format", "json")
	want := "ent.yaml, ligne " + strconv.Itoa(line) + ` : clé inconnue "colectivite" (vouliez-vous dire "collectivite" ?)`
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
	_, stderr, _ = runCLI(t, "audit", dir, "--format", "json", "--lang", "en")
	if want := "ent.yaml:" + strconv.Itoa(line) + `: unknown key "colectivite" (did you mean "collectivite"?)`; !strings.Contains(stderr, want) {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}
