package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// A result JSON with a value of the wrong type is said by the field and
// the kinds of JSON values found and needed, in each language, at its
// line; never by Go types (result.Evidence, Go struct field…).
func TestResultJSONWrongTypes(t *testing.T) {
	cases := []struct {
		json         string
		wantEN, want string
	}{
		{`{"tool":{"name":"x"},"results":[{"rule":"A","status":"pass","severity":"majeur","evidence":"x"}]}`,
			`bad.json:1: invalid result JSON: field "results.evidence": a string, where a list is needed`,
			`bad.json, ligne 1 : résultat JSON invalide : champ "results.evidence" : une chaîne, alors qu'il faut une liste`},
		{"[]", `bad.json:1: invalid result JSON: an array, where an object is needed`,
			`bad.json, ligne 1 : résultat JSON invalide : un tableau, alors qu'il faut un objet`},
		{"{\"tool\":{\"name\":\"x\"},\n\"results\":[{\"rule\":\"A\",\"status\":\"pass\",\"severity\":\"majeur\",\"waiver\":{\"rule\":1}}]}",
			`bad.json:2: invalid result JSON: field "results.waiver.rule": a number, where a text is needed`,
			`bad.json, ligne 2 : résultat JSON invalide : champ "results.waiver.rule" : un nombre, alors qu'il faut un texte`},
		// A number where a number is needed, but one that does not fit.
		{"{\"tool\":{\"name\":\"x\"},\n\"results\":[{\"rule\":\"A\",\"status\":\"pass\",\"severity\":\"majeur\",\n\"evidence\":[{\"source\":\"a\",\"line\":99999999999999999999}]}]}",
			`bad.json:3: invalid result JSON: field "results.evidence.line": a number out of range (99999999999999999999)`,
			`bad.json, ligne 3 : résultat JSON invalide : champ "results.evidence.line" : un nombre hors limites (99999999999999999999)`},
		{"{\"tool\":{\"name\":\"x\"},\"results\":[],\n\"inputs\":[{\"source\":\"a\",\"sha256\":\"\",\"kind\":\"x\",\"size\":-1e999}]}",
			`bad.json:2: invalid result JSON: field "inputs.size": a number out of range (-1e999)`,
			`bad.json, ligne 2 : résultat JSON invalide : champ "inputs.size" : un nombre hors limites (-1e999)`},
		{"{\"tool\":{\"name\":\"x\"},\"results\":[],\"inputs\":[{\"source\":\"a\",\"size\":1" + strings.Repeat("0", 100) + "}]}",
			`bad.json:1: invalid result JSON: field "inputs.size": a number out of range (10000000000000000000…)`,
			`bad.json, ligne 1 : résultat JSON invalide : champ "inputs.size" : un nombre hors limites (10000000000000000000…)`},
		{"{\"tool\":{\"name\":\"x\"},\"results\":[{\"rule\":\"A\",\"status\":\"pass\",\"severity\":\"majeur\",\"evidence\":[{\"source\":\"a\",\"line\":2.5}]}]}",
			`bad.json:1: invalid result JSON: field "results.evidence.line": a number that is not whole (2.5), where a whole number is needed`,
			`bad.json, ligne 1 : résultat JSON invalide : champ "results.evidence.line" : un nombre non entier (2.5), alors qu'il faut un nombre entier`},
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	for _, c := range cases {
		if err := os.WriteFile(bad, []byte(c.json), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{"fr", "en"} {
			for _, cmd := range [][]string{{"report", bad, "--format", "md"}, {"diff", bad, bad}} {
				_, stderr, code := runCLI(t, append(cmd, "--lang", lang)...)
				stderr = strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")
				want := "sdetcheck: " + c.want + "\n"
				if lang == "en" {
					want = "sdetcheck: " + c.wantEN + "\n"
				}
				if code != 2 || stderr != want {
					t.Errorf("%s %s --lang %s: exit %d\n got %q\nwant %q", cmd[0], c.json, lang, code, stderr, want)
				}
			}
		}
	}
}

// Two results in one file (a second run appended with >>) or anything
// after the result is refused, not read as the first result alone.
func TestResultJSONTrailingData(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "r.json")
	js, stderr, code := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "json", "--now", testNow)
	if code != 4 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for name, data := range map[string]string{"two results": js + js, "garbage": js + "{", "text": js + "fin\n"} {
		if err := os.WriteFile(res, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"report", res, "--format", "md"}, {"diff", res, res}} {
			_, fr, code := runCLI(t, cmd...)
			_, en, codeEN := runCLI(t, append(cmd, "--lang", "en")...)
			if code != 2 || codeEN != 2 {
				t.Errorf("%s, %s: exit %d / %d, want 2", name, cmd[0], code, codeEN)
				continue
			}
			line := strings.Count(js, "\n") + 1
			if want := fmt.Sprintf("r.json, ligne %d : ", line); !strings.Contains(fr, want) || !strings.Contains(fr, "après le résultat") {
				t.Errorf("%s, %s: %q", name, cmd[0], fr)
			}
			if want := fmt.Sprintf("r.json:%d: ", line); !strings.Contains(en, want) || !strings.Contains(en, "after the result") {
				t.Errorf("%s, %s --lang en: %q", name, cmd[0], en)
			}
		}
	}
}

// A result saved through Windows PowerShell's redirection (UTF-16 with a
// byte order mark) or by an editor adding a UTF-8 byte order mark is read
// as the same result.
func TestResultJSONByteOrderMarks(t *testing.T) {
	dir := t.TempDir()
	js, _, _ := runCLI(t, "audit", "../../fixtures/dossiers/incomplet", "--format", "json", "--now", testNow)
	want, _, code := runCLI(t, "report", writeTemp(t, dir, "plain.json", []byte(js)), "--format", "md", "--now", testNow)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	le := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(js)) {
		le = append(le, byte(u), byte(u>>8))
	}
	for name, data := range map[string][]byte{"utf-8 bom": append([]byte("\xef\xbb\xbf"), js...), "utf-16le bom": le} {
		got, stderr, code := runCLI(t, "report", writeTemp(t, dir, "r.json", data), "--format", "md", "--now", testNow)
		if code != 0 || got != want {
			t.Errorf("%s: exit %d, %s", name, code, stderr)
		}
	}
}

func writeTemp(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// wholeNumber reads a JSON number's text, whatever its size.
func TestWholeNumber(t *testing.T) {
	for num, want := range map[string]bool{
		"12": true, "-3": true, "1.0": true, "1e3": true, "1.5e1": true, "25e-1": false, "2500e-2": true,
		"1.5": false, "0.0e-5": true, "1e-99999999999999999999": false, "1e99999999999999999999": true,
		"-1e999": true, "100e-3": false, "1.25e1": false,
	} {
		if got := wholeNumber(num); got != want {
			t.Errorf("wholeNumber(%s) = %v, want %v", num, got, want)
		}
	}
}
