package main

import (
	"io"
	"os"
	"path/filepath"
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
