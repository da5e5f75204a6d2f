package notice_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestLiveLegalNoticeOnly checks, live, footers whose only candidate is
// « Mentions légales » (the shape of many collectivités' sites): the
// legal notice is fetched and judged; a legal notice behind a login wall
// cannot be read, so PAGE-001 is to review (PAGE-002 says why).
func TestLiveLegalNoticeOnly(t *testing.T) {
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	home := func(href string) string {
		return `<!DOCTYPE html><html lang="fr"><body><main><h1>ENT</h1></main><footer><ul><li><a href="` + href + `">Mentions légales</a></li><li><a href="/plan">Plan du site</a></li></ul></footer></body></html>`
	}
	const publisher = `<h2>Éditeur</h2><p>Département Fictif, 1 place de la Préfecture, 00000 Fictiville.</p><h2>Hébergeur</h2><p>Hébergeur Fictif SAS.</p>`
	const section = `<h2 id="donnees-personnelles">Données personnelles</h2>
<p>Le Département Fictif et la DSDEN fictive sont responsables conjoints du traitement des données de l'ENT.</p>
<p>Finalités : fournir les services numériques de l'établissement.</p>
<p>Délégué à la protection des données : dpo@departement-fictif.example.</p>
<p>Vous disposez d'un droit d'accès et de rectification ; réclamation auprès de la CNIL.</p>`
	mux := http.NewServeMux()
	mux.HandleFunc("/avec-section", page(home("/mentions-legales")))
	mux.HandleFunc("/mentions-legales", page(`<!DOCTYPE html><html><body><main><h1>Mentions légales</h1>`+publisher+section+`</main></body></html>`))
	mux.HandleFunc("/sans-section", page(home("/editeur")))
	mux.HandleFunc("/editeur", page(`<!DOCTYPE html><html><body><main><h1>Mentions légales</h1>`+publisher+`</main></body></html>`))
	mux.HandleFunc("/protegee", page(home("/legal-protege")))
	mux.HandleFunc("/legal-protege", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cas/login?service=legal", http.StatusFound)
	})
	mux.HandleFunc("/cas/login", page(`<html><body><form><input type="password" name="p"></form></body></html>`))
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	c := input.NewClient(10 * time.Second)
	c.Transport = srv.Client().Transport
	for _, tc := range []struct {
		path         string
		want1, want2 result.Status
	}{
		{"/avec-section", result.Pass, result.Pass},
		{"/sans-section", result.Fail, result.Skip},
		{"/protegee", result.Warn, result.Fail},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res, err := audit.Check(context.Background(), "page", srv.URL+tc.path, audit.Config{Now: testNow, Client: c})
			if err != nil {
				t.Fatal(err)
			}
			if got := statusesOf(res, "PAGE-001"); !cmp.Equal(got, []result.Status{tc.want1}) {
				t.Errorf("PAGE-001 = %v, want %s: %s", got, tc.want1, messages(res, "PAGE-001"))
			}
			if got := statusesOf(res, "PAGE-002"); !cmp.Equal(got, []result.Status{tc.want2}) {
				t.Errorf("PAGE-002 = %v, want %s: %s", got, tc.want2, messages(res, "PAGE-002"))
			}
		})
	}
}
