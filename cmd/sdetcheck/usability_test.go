package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// A collectivité reading the text report of a non-conforme dossier learns,
// in French and plain words, what to ask for each failing rule, and the
// vendor the technical detail.
func TestTextSaysWhatToDo(t *testing.T) {
	dir := filepath.Join(repoRoot, "fixtures/dossiers/non-conforme")
	js, _, _ := runCLI(t, "audit", dir, "--format", "json", "--now", testNow)
	var res result.Result
	if err := json.Unmarshal([]byte(js), &res); err != nil {
		t.Fatal(err)
	}
	text, _, _ := runCLI(t, "audit", dir, "--format", "text", "--now", testNow)
	seen := map[string]bool{}
	for _, f := range res.Results {
		if f.Status != result.Fail || seen[f.Rule] {
			continue
		}
		seen[f.Rule] = true
		// In plain words, then the technical detail.
		r := rules.MustLookup(f.Rule)
		todo, detail := strings.Index(text, "À faire : "+r.Action.FR), strings.Index(text, "Détail technique : "+r.Remediation.FR)
		if todo < 0 || detail < todo {
			t.Errorf("text report lacks what to do for %s, in plain words then in detail", f.Rule)
		}
	}
	if len(seen) == 0 {
		t.Fatal("non-conforme dossier has no failure")
	}
	for _, en := range []string{" n/a", "N/A"} {
		if strings.Contains(text, en) {
			t.Errorf("French text report says %q", en)
		}
	}
}

// DOSSIER-001 names every missing piece in words (in French without the
// manifest's vocabulary), with its manifest key in English.
func TestMissingPiecesInWords(t *testing.T) {
	text, _, code := runCLI(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--format", "text", "--now", testNow)
	if code != 4 {
		t.Fatalf("exit %d", code)
	}
	for _, w := range []string{"page d'accueil de l'ENT", "page de connexion",
		"mentions d'information affichées", "mentions validées par la DSDEN", "dossier incomplet"} {
		if !strings.Contains(text, w) {
			t.Errorf("DOSSIER-001 lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "evidence.") {
		t.Errorf("French text names manifest keys:\n%s", text)
	}
	en, _, _ := runCLI(t, "audit", filepath.Join(repoRoot, "fixtures/dossiers/incomplet"), "--format", "text", "--now", testNow, "--lang", "en")
	for _, w := range []string{"home page (evidence.home_page)", "(evidence.login_page)", "(evidence.notice)", "(evidence.notice_reference)"} {
		if !strings.Contains(en, w) {
			t.Errorf("English DOSSIER-001 lacks %q:\n%s", w, en)
		}
	}
}

// An unreadable piece of evidence is asked for once, not once per rule of
// its area, at the severity of its most severe rule.
func TestUnreadablePieceAskedOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dossier")
	copyTree(t, conformeDossier, dir)
	write(hMapping, nil)(t, dir)
	md, _, code := runCLI(t, "audit", dir, "--format", "md", "--now", testNow)
	if code != 2 {
		t.Fatalf("exit %d", code)
	}
	if n := strings.Count(md, "Fournir une pièce lisible"); n != 1 {
		t.Errorf("asked %d times for the mapping:\n%s", n, md)
	}
	if !strings.Contains(md, "Fournir une pièce lisible : "+hMapping+" : fichier de correspondance vide — **MAP-001…MAP-006** (bloquant) 6 règles non évaluées") {
		t.Errorf("ask line:\n%s", md)
	}
}
