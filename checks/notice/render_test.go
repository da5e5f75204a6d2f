package notice_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/checks/notice"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// needBrowser skips the test, saying why, when no headless browser is
// installed (a newcomer's machine: `go test ./...` must pass there), and
// fails it when SDETCHECK_REQUIRE_BROWSER=1, as .ci/run sets, so that CI
// never skips the rendering tests silently.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := notice.BrowserPath(); err != nil {
		if os.Getenv("SDETCHECK_REQUIRE_BROWSER") == "1" {
			t.Fatal("SDETCHECK_REQUIRE_BROWSER=1 and no headless browser: ", err)
		}
		t.Skip("no headless browser found (apt-get install chromium-headless-shell, or set SDETCHECK_BROWSER): ", err)
	}
}

// jsServer serves the JavaScript-built login page fixture over plain http.
func jsServer(t *testing.T, thirdParty string) *httptest.Server {
	mux := http.NewServeMux()
	serve := func(path, ctype string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.Write(body)
		})
	}
	serve("/connexion", "text/html; charset=utf-8", read(t, "page/connexion-js.html"))
	serve("/app.js", "text/javascript", read(t, "page/app.js"))
	serve("/mentions-information.html", "text/html; charset=utf-8", read(t, "page/mentions-information.html"))
	// the only notice link has no box: hidden when rendered
	serve("/connexion-cachee", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><body><div id="app"></div>
<script>setTimeout(function(){var f=document.createElement('footer');
f.innerHTML='<a href="mentions-information.html" style="display:inline-block;width:0;height:0;overflow:hidden">Mentions d\'information</a> <a href="legal.html">Mentions légales</a>';
document.body.appendChild(f);},100);</script></body></html>`))
	// floated links in a zero-height list stay visible; a link in a clipped
	// zero-size box does not count
	serve("/connexion-flottants", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><body>
<footer><ul style="margin:0;padding:0;list-style:none"><li style="float:left"><a href="mentions-information.html">Mentions d'information</a></li></ul></footer></body></html>`))
	serve("/connexion-boite", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><body>
<footer><div style="height:0;overflow:hidden"><a href="mentions-information.html">Mentions d'information</a></div></footer></body></html>`))
	// the footer link shows on desktop screens only (Bootstrap's d-lg-*):
	// rendered at a desktop size
	serve("/connexion-bureau", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><head>
<style>@media (max-width: 991px) { .d-lg-only { display: none; } }</style></head><body><main><h1>Connexion</h1></main>
<footer><span class="d-lg-only"><a href="mentions-information.html">Mentions d'information</a></span></footer></body></html>`))
	// a notice written by a script
	serve("/mentions-js", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><main id="m"></main>
<script>fetch('/mentions-information.html').then(r => r.text()).then(t => {
  document.getElementById('m').innerHTML = new DOMParser().parseFromString(t, 'text/html').querySelector('main').innerHTML; });</script></body></html>`))
	// a script loads an image from another host after load
	serve("/connexion-tiers", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html><body>
<footer><a href="mentions-information.html">Mentions d'information</a></footer>
<script>var i=new Image();i.src='`+thirdParty+`/pixel.gif';document.body.appendChild(i);</script></body></html>`))
	// the DSFR's footer button opening the notice in a <dialog> (closed:
	// not rendered until opened)
	serve("/connexion-modale", "text/html; charset=utf-8", []byte(`<!DOCTYPE html><html lang="fr"><body><main><h1>Connexion</h1></main>
<footer class="fr-footer" role="contentinfo"><ul class="fr-footer__bottom-list"><li class="fr-footer__bottom-item">
<button class="fr-footer__bottom-link" aria-controls="fr-modal-donnees" data-fr-opened="false">Données personnelles</button></li></ul></footer>
<dialog id="fr-modal-donnees" class="fr-modal" role="dialog"><h1>Données personnelles</h1>
<p>Le Département Fictif et la DSDEN fictive sont responsables conjoints du traitement.</p>
<p>Finalités : fournir les services numériques de l'établissement.</p>
<p>Délégué à la protection des données : dpo@departement-fictif.example.</p>
<p>Vous disposez d'un droit d'accès et de rectification ; réclamation auprès de la CNIL.</p></dialog>
<script>document.querySelector('button').addEventListener('click', function(){ document.getElementById('fr-modal-donnees').showModal(); });</script></body></html>`))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestRender(t *testing.T) {
	needBrowser(t)
	pixel := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	}))
	defer pixel.Close()
	// the page is served on 127.0.0.1, the pixel on "localhost": another host
	other := strings.Replace(pixel.URL, "127.0.0.1", "localhost", 1)
	srv := jsServer(t, other)
	check := func(t *testing.T, path string, render bool) *result.Result {
		t.Helper()
		cfg := audit.Config{Now: testNow}
		cfg.Opts.AllowHTTP, cfg.Opts.Render = true, render
		cfg.Opts.AllowPrivateNetwork = true // the test server is on this machine
		res, err := audit.Check(context.Background(), "page", srv.URL+path, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	t.Run("raw html says to render", func(t *testing.T) {
		res := check(t, "/connexion", false)
		m := messages(res, "PAGE-001")
		if !strings.HasPrefix(m, "warn: ") || !strings.Contains(m, "raw HTML has no footer content") || !strings.Contains(m, "--render") {
			t.Errorf("PAGE-001: %s", m)
		}
	})
	t.Run("rendered footer passes", func(t *testing.T) {
		res := check(t, "/connexion", true)
		for _, rule := range []string{"PAGE-001", "PAGE-002", "PAGE-005"} {
			if got := statusesOf(res, rule); !cmp.Equal(got, []result.Status{result.Pass}) {
				t.Errorf("%s = %v\n%s", rule, got, messages(res, rule))
			}
		}
	})
	t.Run("zero-size link does not count", func(t *testing.T) {
		res := check(t, "/connexion-cachee", true)
		m := messages(res, "PAGE-001")
		if !strings.HasPrefix(m, "fail: ") || !strings.Contains(m, "hidden") {
			t.Errorf("PAGE-001: %s", m)
		}
	})
	t.Run("floats visible, clipped box hidden", func(t *testing.T) {
		if got := statusesOf(check(t, "/connexion-flottants", true), "PAGE-001"); !cmp.Equal(got, []result.Status{result.Pass}) {
			t.Errorf("floats: PAGE-001 = %v", got)
		}
		if got := statusesOf(check(t, "/connexion-boite", true), "PAGE-001"); !cmp.Equal(got, []result.Status{result.Fail}) {
			t.Errorf("clipped: PAGE-001 = %v", got)
		}
	})
	t.Run("desktop-only link rendered at a desktop size", func(t *testing.T) {
		if got := statusesOf(check(t, "/connexion-bureau", true), "PAGE-001"); !cmp.Equal(got, []result.Status{result.Pass}) {
			t.Errorf("PAGE-001 = %v", got)
		}
	})
	t.Run("notice built by script", func(t *testing.T) {
		for _, render := range []bool{false, true} {
			cfg := audit.Config{Now: testNow}
			cfg.Opts.AllowHTTP, cfg.Opts.Render = true, render
			cfg.Opts.AllowPrivateNetwork = true
			cfg.Opts.NoticeReference = "../../fixtures/notice/mentions-validees.html"
			res, err := audit.Check(context.Background(), "notice", srv.URL+"/mentions-js", cfg)
			if err != nil {
				t.Fatal(err)
			}
			want := result.Error
			if render {
				want = result.Pass
			}
			for _, rule := range []string{"NOTICE-001", "NOTICE-002"} {
				for _, st := range statusesOf(res, rule) {
					if st != want {
						t.Errorf("render=%v: %s %s, want %s\n%s", render, rule, st, want, messages(res, rule))
						break
					}
				}
			}
		}
	})
	t.Run("footer button opening a dialog, rendered", func(t *testing.T) {
		res := check(t, "/connexion-modale", true)
		for _, rule := range []string{"PAGE-001", "PAGE-002"} {
			if got := statusesOf(res, rule); !cmp.Equal(got, []result.Status{result.Pass}) {
				t.Errorf("%s = %v\n%s", rule, got, messages(res, rule))
			}
		}
	})
	t.Run("third party loaded by script", func(t *testing.T) {
		res := check(t, "/connexion-tiers", true)
		m := messages(res, "PAGE-005")
		if !strings.Contains(m, "warn: Third-party resource loaded before login: localhost") {
			t.Errorf("PAGE-005: %s", m)
		}
		// the raw HTML alone does not show it
		if got := statusesOf(check(t, "/connexion-tiers", false), "PAGE-005"); !cmp.Equal(got, []result.Status{result.Pass}) {
			t.Errorf("raw PAGE-005 = %v", got)
		}
	})
}
