package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// englishOfOurs are words of sdetcheck's own English error texts that a
// French report must not show outside the marked technical detail.
var englishOfOurs = []string{
	"malformed", "too large", "not a regular file", "refused", "expected", "invalid ", "not found",
	"truncated", "bytes", "limit ", "empty", "read ", "parse", "binary content", "declared ", "no root",
	"directory", "unexpected", "outside", "file", "Not evaluated",
}

// withoutTechnical removes the "(détail technique : …)" parts (third-party
// messages, kept in English on purpose) from a French message.
func withoutTechnical(s string) string {
	for {
		i := strings.Index(s, "(détail technique : ")
		if j := strings.Index(s, "(détail technique en anglais : "); i < 0 || (j >= 0 && j < i) {
			i = j
		}
		if i < 0 {
			return s
		}
		depth, j := 0, i
		for ; j < len(s); j++ {
			if s[j] == '(' {
				depth++
			} else if s[j] == ')' {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if j >= len(s) {
			return s[:i]
		}
		s = s[:i] + s[j+1:]
	}
}

// A collectivité's report says in French why a piece could not be read,
// naming the file and the line, and so does stderr; message_en and stderr
// with --lang en keep the English.
func TestUnreadablePiecesInFrench(t *testing.T) {
	wanted := map[string]bool{
		"saml truncated": true, "saml binary": true, "saml billion laughs": true, "saml huge": true,
		"saml iso-8859-1 undeclared": true, "gar truncated": true, "gar empty": true,
		"gar loose xml billion laughs": true, "gar loose xml iso-8859-1": true,
		"mapping empty": true, "mapping binary": true, "mapping alias bomb": true, "mapping huge": true,
		"aaf truncated": true, "aaf billion laughs": true, "aaf symlink outside": true,
		"page binary": true, "notice iso-8859-1 declared utf-8": true, "notice pdf truncated": true,
	}
	n := 0
	for _, c := range hostileCases() {
		if !wanted[c.name] {
			continue
		}
		n++
		// A spoiled GAR feed is read by both XSD engines.
		engines := []string{"auto"}
		if c.area == "gar" {
			engines = append(engines, "go")
		}
		for _, eng := range engines {
			t.Run(c.name+" "+eng, func(t *testing.T) { frenchErrors(t, c, eng) })
		}
	}
	if n != len(wanted) {
		t.Errorf("%d of %d cases found in hostileCases", n, len(wanted))
	}
}

// frenchErrors audits the conforme dossier spoiled by c and checks every
// error finding, and stderr in each language: French by default (the
// findings' French texts), English with --lang en (c.want).
func frenchErrors(t *testing.T, c hostileCase, eng string) {
	dir := filepath.Join(t.TempDir(), "dossier")
	copyTree(t, conformeDossier, dir)
	c.mutate(t, dir)
	_, stderrEN, code, _ := runBounded(t, "audit", dir, "--format", "json", "--now", testNow, "--xsd-engine", eng, "--lang", "en")
	if code != 2 {
		t.Fatalf("exit %d: %s", code, stderrEN)
	}
	for _, w := range c.want {
		if !strings.Contains(stderrEN, w) {
			t.Errorf("stderr (--lang en) lacks %q: %s", w, stderrEN)
		}
	}
	stdout, stderr, code, _ := runBounded(t, "audit", dir, "--format", "json", "--now", testNow, "--xsd-engine", eng)
	if code != 2 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res result.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("no JSON result: %v", err)
	}
	errs, seen := 0, map[string]bool{}
	for _, f := range res.Results {
		if f.Status != result.Error {
			continue
		}
		errs++
		if !seen[f.Message] {
			seen[f.Message] = true
			t.Log(f.Message)
			checkFrenchError(t, f)
			if line := "sdetcheck: " + strings.TrimPrefix(f.Message, "Non évalué : ") + "\n"; !strings.Contains(stderr, line) {
				t.Errorf("stderr lacks %q: %s", line, stderr)
			}
		}
	}
	if errs == 0 {
		t.Fatal("no error finding")
	}
}

// checkFrenchError checks one error finding: French message with the file
// (and line when known) and no English of ours; English message intact.
func checkFrenchError(t *testing.T, f result.Finding) {
	t.Helper()
	if !strings.HasPrefix(f.Message, "Non évalué : ") || !strings.HasPrefix(f.MessageEN, "Not evaluated: ") {
		t.Errorf("%s: messages %q / %q", f.Rule, f.Message, f.MessageEN)
		return
	}
	if len(f.Evidence) == 0 {
		t.Errorf("%s: no evidence: %q", f.Rule, f.Message)
		return
	}
	ev := f.Evidence[0]
	if !strings.Contains(f.Message, ev.Source) || !strings.Contains(f.MessageEN, ev.Source) {
		t.Errorf("%s: messages do not name %s: %q / %q", f.Rule, ev.Source, f.Message, f.MessageEN)
	}
	if ev.Line > 0 {
		if want := fmt.Sprintf("%s, ligne %d", ev.Source, ev.Line); !strings.Contains(f.Message, want) {
			t.Errorf("%s: French message lacks %q: %q", f.Rule, want, f.Message)
		}
		if want := fmt.Sprintf("%s:%d", ev.Source, ev.Line); !strings.Contains(f.MessageEN, want) {
			t.Errorf("%s: English message lacks %q: %q", f.Rule, want, f.MessageEN)
		}
	}
	// The source itself is a path: judge only what follows it.
	fr := withoutTechnical(strings.Replace(f.Message, ev.Source, "", 1))
	for _, en := range englishOfOurs {
		if strings.Contains(strings.ToLower(fr), strings.ToLower(en)) {
			t.Errorf("%s: French message says %q: %q", f.Rule, en, f.Message)
		}
	}
}

func TestWithoutTechnical(t *testing.T) {
	for in, want := range map[string]string{
		"a (détail technique : x (y) z) b":   "a  b",
		"a (détail technique : x) b (c)":     "a  b (c)",
		"a (détail technique : unterminated": "a ",
		"sans détail":                        "sans détail",
	} {
		if got := withoutTechnical(in); got != want {
			t.Errorf("withoutTechnical(%q) = %q, want %q", in, got, want)
		}
	}
}
