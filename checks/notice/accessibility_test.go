package notice_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/checks/notice"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestAccessibilityExamples runs `check accessibility` on every fixture of
// the accessibility area: the catalogue's examples and the inline
// expectations of fixtures/accessibility.
func TestAccessibilityExamples(t *testing.T) {
	checkstest.RunArea(t, rules.AreaAccessibility, notice.CheckAccessibility)
}

// TestAccessibilityLive: `check accessibility URL` of a home page follows
// the footer's link to the statement on the server; a statement that is
// not there fails ACC-002, and the mention of a page that links nowhere
// ("#") fails ACC-001.
func TestAccessibilityLive(t *testing.T) {
	root := checkstest.Root(t)
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(root, "fixtures/accessibility", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	serve := func(body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/accueil", serve(bytes.ReplaceAll(read("pied-mention-ok.html"), []byte(`href="declaration-complete.html"`), []byte(`href="/accessibilite"`))))
	mux.HandleFunc("/accessibilite", serve(read("declaration-complete.html")))
	mux.HandleFunc("/accueil-lien-casse", serve(bytes.ReplaceAll(read("pied-mention-ok.html"), []byte(`href="declaration-complete.html"`), []byte(`href="/absente"`))))
	mux.HandleFunc("/accueil-modele", serve(read("mention-modele.html")))
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	c := input.NewClient(10 * time.Second)
	c.Transport = srv.Client().Transport
	state := func(path string) map[string][]result.Status {
		res, err := audit.Check(context.Background(), "accessibility", srv.URL+path, audit.Config{Now: checkstest.Now, Client: c})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]result.Status{}
		for _, f := range res.Results {
			out[f.Rule] = append(out[f.Rule], f.Status)
		}
		return out
	}
	all := func(ss []result.Status, want result.Status) bool {
		for _, s := range ss {
			if s != want {
				return false
			}
		}
		return len(ss) > 0
	}
	got := state("/accueil")
	for _, id := range []string{"ACC-001", "ACC-002", "ACC-003", "ACC-004"} {
		if !all(got[id], result.Pass) {
			t.Errorf("/accueil: %s %v, want pass", id, got[id])
		}
	}
	got = state("/accueil-lien-casse")
	if !all(got["ACC-001"], result.Pass) || !all(got["ACC-002"], result.Fail) {
		t.Errorf("/accueil-lien-casse: ACC-001 %v (want pass), ACC-002 %v (want fail)", got["ACC-001"], got["ACC-002"])
	}
	got = state("/accueil-modele")
	if !all(got["ACC-001"], result.Fail) || !all(got["ACC-002"], result.NotEvaluated) {
		t.Errorf("/accueil-modele: ACC-001 %v (want fail), ACC-002 %v (want not-evaluated)", got["ACC-001"], got["ACC-002"])
	}
}

// A statement's aim is not its state, and assistive technologies named as
// a principle are no test environment (item by item, as a DSDEN reads it).
func TestStatementAimAndPrinciples(t *testing.T) {
	root := checkstest.Root(t)
	res, err := audit.Check(context.Background(), "accessibility", filepath.Join(root, "fixtures/accessibility/declaration-sans-audit-objectif.html"), audit.Config{Now: checkstest.Now})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]result.Status{}
	for _, f := range res.Results {
		if f.Rule == rules.ACC002.ID {
			got[f.Item] = f.Status
		}
	}
	for item, want := range map[string]result.Status{
		"etat-conformite": result.Fail, "environnement-test": result.Fail, "contact": result.Pass, "defenseur-droits": result.Pass,
	} {
		if got[item] != want {
			t.Errorf("ACC-002[%s]: %s, want %s", item, got[item], want)
		}
	}
}
