package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if code != 1 {
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
