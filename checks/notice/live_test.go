package notice_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

const fixtures = "../../fixtures"

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func read(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, p))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func statusesOf(res *result.Result, rule string) []result.Status {
	var out []result.Status
	for _, f := range res.Results {
		if f.Rule == rule {
			out = append(out, f.Status)
		}
	}
	return out
}

func messages(res *result.Result, rule string) string {
	var out []string
	for _, f := range res.Results {
		if f.Rule == rule {
			out = append(out, string(f.Status)+": "+f.MessageEN)
		}
	}
	return strings.Join(out, "\n")
}

const homeTpl = `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Accueil</title>%HEAD%</head>
<body><main><h1>Néo Collège Fictif</h1></main>
<footer><a href="%HREF%">Mentions d'information</a> <a href="/legal">Mentions légales</a></footer></body></html>`

func home(href, head string) string {
	return strings.NewReplacer("%HREF%", href, "%HEAD%", head).Replace(homeTpl)
}

// liveServer serves an ENT over https (httptest's certificate) and
// remembers whether any request carried a cookie or credentials.
type liveServer struct {
	*httptest.Server
	mu         sync.Mutex
	sawSecrets []string
}

func newLiveServer(t *testing.T, notice []byte) *liveServer {
	ls := &liveServer{}
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "fictif"})
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(body))
		}
	}
	mux.HandleFunc("/accueil", page(home("/rgpd/mentions#haut", "")))
	mux.HandleFunc("/connexion", page(home("rgpd/mentions", `<script async src="https://www.googletagmanager.com/gtag/js?id=G-FICTIF"></script><link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Fictive"><script src="/js/ent.js"></script>`)))
	mux.HandleFunc("/accueil-protege", page(home("/protege", "")))
	mux.HandleFunc("/accueil-404", page(home("/absent", "")))
	mux.HandleFunc("/rgpd/mentions", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(notice)
	})
	mux.HandleFunc("/protege", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/cas/login?service=mentions", http.StatusFound)
	})
	mux.HandleFunc("/cas/login", page(`<html><body><form><input type="password" name="p"></form></body></html>`))
	// real-world shapes (TestLiveRealShapes)
	mux.HandleFunc("/accueil-ressources", page(home("/mentions", "")))
	mux.HandleFunc("/mentions", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ressources/associations/mentions-information", http.StatusFound)
	})
	mux.HandleFunc("/ressources/associations/mentions-information", page(string(notice)))
	mux.HandleFunc("/app/accueil", page(home("mentions-information", `<base href="/portail/">`)))
	mux.HandleFunc("/portail/mentions-information", page(string(notice)))
	mux.HandleFunc("/cms/accueil", page(home("/cms/donnees-personnelles", "")))
	mux.HandleFunc("/cms/donnees-personnelles", page(strings.Replace(string(notice), "<main>",
		`<aside class="portlet-connexion"><h2>Se connecter</h2><form method="post" action="/cms/login"><input name="u"><input type="password" name="p"><button>OK</button></form></aside><main>`, 1)))
	mux.HandleFunc("/boucle", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/boucle", http.StatusFound)
	})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ls.mu.Lock()
		if r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" {
			ls.sawSecrets = append(ls.sawSecrets, r.URL.Path)
		}
		ls.mu.Unlock()
		mux.ServeHTTP(w, r)
	})
	ls.Server = httptest.NewTLSServer(h)
	t.Cleanup(ls.Close)
	return ls
}

// client is sdetcheck's own bounded client, trusting the test server;
// the server is on this machine: the client is allowed private addresses
// as --allow-private-network does.
func (ls *liveServer) client() *http.Client {
	return trusting(ls.Server, 10*time.Second)
}

// trusting is sdetcheck's client with --allow-private-network, trusting
// srv's certificate.
func trusting(srv *httptest.Server, timeout time.Duration) *http.Client {
	c := input.NewClientPolicy(timeout, netguard.Policy{AllowPrivate: true})
	c.Transport.(*http.Transport).TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	return c
}

func TestLivePage(t *testing.T) {
	notice := read(t, "notice/mentions-validees.html")
	ls := newLiveServer(t, notice)
	cfg := audit.Config{Now: testNow, Client: ls.client()}
	cfg.Opts.NoticeReference = filepath.Join(fixtures, "notice/mentions-validees.html")
	res, err := audit.Check(context.Background(), "page", ls.URL+"/accueil", cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Results {
		if f.Status != result.Pass && f.Rule != "PAGE-003" {
			t.Errorf("%s %s: %s", f.Rule, f.Status, f.MessageEN)
		}
	}
	if m := messages(res, "PAGE-004"); !strings.Contains(m, "TLS 1.3") {
		t.Errorf("PAGE-004: %s", m)
	}
	// every fetched URL is recorded with its status and SHA-256
	sum := sha256.Sum256(notice)
	var got []result.Input
	for _, in := range res.Inputs {
		if strings.HasPrefix(in.Source, "https://") {
			in.Size = 0
			if in.Source == ls.URL+"/accueil" {
				in.SHA256 = "page"
			}
			got = append(got, in)
		}
	}
	want := []result.Input{
		{Source: ls.URL + "/accueil", SHA256: "page", Kind: "page", HTTPStatus: 200},
		{Source: ls.URL + "/rgpd/mentions", SHA256: hex.EncodeToString(sum[:]), Kind: "notice", HTTPStatus: 200},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("inputs (-want +got):\n%s", d)
	}
	if len(ls.sawSecrets) > 0 {
		t.Errorf("requests carried cookies or credentials: %v", ls.sawSecrets)
	}
	// deterministic
	again, _ := audit.Check(context.Background(), "page", ls.URL+"/accueil", cfg)
	a, _ := json.Marshal(res)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Error("two runs differ")
	}
}

func TestLiveFindings(t *testing.T) {
	ls := newLiveServer(t, read(t, "notice/mentions-modifiees.html"))
	run := func(t *testing.T, path string, cfg audit.Config) *result.Result {
		t.Helper()
		if cfg.Client == nil {
			cfg.Client = ls.client()
		}
		if cfg.Now.IsZero() {
			cfg.Now = testNow
		}
		res, err := audit.Check(context.Background(), "page", ls.URL+path, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	t.Run("trackers named", func(t *testing.T) {
		res := run(t, "/connexion", audit.Config{})
		m := messages(res, "PAGE-005")
		for _, want := range []string{"fail: Tracker Google Tag Manager loaded before login: www.googletagmanager.com", "warn: Third-party resource loaded before login: fonts.googleapis.com"} {
			if !strings.Contains(m, want) {
				t.Errorf("PAGE-005 lacks %q:\n%s", want, m)
			}
		}
		if strings.Contains(m, "127.0.0.1") {
			t.Errorf("own host reported as third party:\n%s", m)
		}
	})
	t.Run("changed notice", func(t *testing.T) {
		cfg := audit.Config{}
		cfg.Opts.NoticeReference = filepath.Join(fixtures, "notice/mentions-validees.html")
		res := run(t, "/connexion", cfg)
		if got := statusesOf(res, "NOTICE-002"); !cmp.Equal(got, []result.Status{result.Fail}) {
			t.Errorf("NOTICE-002 = %v", got)
		}
	})
	t.Run("login wall", func(t *testing.T) {
		res := run(t, "/accueil-protege", audit.Config{})
		if m := messages(res, "PAGE-002"); !strings.HasPrefix(m, "fail:") || !strings.Contains(m, "login wall") {
			t.Errorf("PAGE-002: %s", m)
		}
	})
	t.Run("404", func(t *testing.T) {
		res := run(t, "/accueil-404", audit.Config{})
		if m := messages(res, "PAGE-002"); !strings.Contains(m, "fail: ") || !strings.Contains(m, "HTTP 404") {
			t.Errorf("PAGE-002: %s", m)
		}
	})
	t.Run("redirect loop bounded", func(t *testing.T) {
		res := run(t, "/boucle", audit.Config{})
		if m := messages(res, "PAGE-001"); !strings.Contains(m, "error: ") || !strings.Contains(m, "redirects") {
			t.Errorf("PAGE-001: %s", m)
		}
	})
	t.Run("untrusted certificate", func(t *testing.T) {
		res := run(t, "/accueil", audit.Config{Client: input.NewClientPolicy(5*time.Second, netguard.Policy{AllowPrivate: true})})
		if m := messages(res, "PAGE-004"); !strings.HasPrefix(m, "fail: TLS certificate rejected") {
			t.Errorf("PAGE-004: %s", m)
		}
		if got := statusesOf(res, "PAGE-001"); !cmp.Equal(got, []result.Status{result.Error}) {
			t.Errorf("PAGE-001 = %v, want error", got)
		}
	})
	t.Run("expired at the audit date", func(t *testing.T) {
		res := run(t, "/accueil", audit.Config{Now: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)})
		if m := messages(res, "PAGE-004"); !strings.Contains(m, "fail: Certificate outside its validity period") {
			t.Errorf("PAGE-004: %s", m)
		}
	})
	t.Run("http refused", func(t *testing.T) {
		res, err := audit.Check(context.Background(), "page", "http://127.0.0.1:1/accueil", audit.Config{Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		if m := messages(res, "PAGE-001"); !strings.Contains(m, "only https") {
			t.Errorf("PAGE-001: %s", m)
		}
		if audit.ExitCode(res, result.Majeur) != 2 {
			t.Errorf("exit code %d, want 2", audit.ExitCode(res, result.Majeur))
		}
	})
}

// TestLiveRealShapes follows notice links in shapes of real ENT sites: a
// redirect to a path that merely contains "sso" ("ressources",
// "associations"), a <base href> (Angular applications), a public CMS page
// whose sidebar holds a login box.
func TestLiveRealShapes(t *testing.T) {
	notice := read(t, "notice/mentions-validees.html")
	if !strings.Contains(string(notice), "<main>") {
		t.Fatal("the notice fixture has no <main>")
	}
	ls := newLiveServer(t, notice)
	for _, path := range []string{"/accueil-ressources", "/app/accueil", "/cms/accueil"} {
		t.Run(path, func(t *testing.T) {
			res, err := audit.Check(context.Background(), "page", ls.URL+path, audit.Config{Now: testNow, Client: ls.client()})
			if err != nil {
				t.Fatal(err)
			}
			if m := messages(res, "PAGE-002"); !strings.HasPrefix(m, "pass:") {
				t.Errorf("PAGE-002: %s", m)
			}
		})
	}
}

func TestLiveOldTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(home("/m", "")))
	}))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.StartTLS()
	defer srv.Close()
	c := trusting(srv, 5*time.Second)
	res, err := audit.Check(context.Background(), "page", srv.URL+"/", audit.Config{Now: testNow, Client: c})
	if err != nil {
		t.Fatal(err)
	}
	if m := messages(res, "PAGE-004"); !strings.HasPrefix(m, "fail: The server does not offer TLS 1.2") {
		t.Errorf("PAGE-004: %s", m)
	}
}

// TestLiveAudit audits a dossier whose manifest gives URLs.
func TestLiveAudit(t *testing.T) {
	ls := newLiveServer(t, read(t, "notice/mentions-validees.html"))
	dir := t.TempDir()
	manifest := `ent: {name: "Néo Collège Fictif"}
collectivite: {name: "Département Fictif de la Vienne-Haute"}
degree: 2D
sdet: "7.0"
evidence:
  home_page: ` + ls.URL + `/accueil
  login_page: ` + ls.URL + `/connexion
  notice: ` + ls.URL + `/rgpd/mentions
  notice_reference: validee.html
`
	os.WriteFile(filepath.Join(dir, "ent.yaml"), []byte(manifest), 0o644)
	os.WriteFile(filepath.Join(dir, "validee.html"), read(t, "notice/mentions-validees.html"), 0o644)
	res, err := audit.Audit(context.Background(), dir, audit.Config{Now: testNow, Client: ls.client()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]result.Status{
		"PAGE-001": {result.Pass, result.Pass},
		"PAGE-002": {result.Pass, result.Pass},
		"PAGE-003": {result.Pass},
		"PAGE-004": {result.Pass, result.Pass},
		"PAGE-005": {result.Fail, result.Warn},
	}
	for rule, st := range want {
		if got := statusesOf(res, rule); !cmp.Equal(st, got) {
			t.Errorf("%s = %v, want %v\n%s", rule, got, st, messages(res, rule))
		}
	}
	for _, s := range statusesOf(res, "NOTICE-001") {
		if s != result.Pass {
			t.Errorf("NOTICE-001: %s", messages(res, "NOTICE-001"))
			break
		}
	}
}
