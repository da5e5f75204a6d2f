package security

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

func TestParseHSTS(t *testing.T) {
	for _, c := range []struct {
		v     string
		age   int64
		sub   bool
		valid bool
	}{
		{"max-age=31536000; includeSubDomains", 31536000, true, true},
		{`max-age="63072000";preload`, 63072000, false, true},
		{"MAX-AGE=600", 600, false, true},
		{"max-age=0", 0, false, true},
		{"includeSubDomains", 0, true, false},
		{"max-age=1; max-age=2", 0, false, false},
		{"max-age=abc", 0, false, false},
	} {
		age, sub, _, ok := parseHSTS(c.v)
		if ok != c.valid || (ok && (age != c.age || sub != c.sub)) {
			t.Errorf("%q: %d %v %v", c.v, age, sub, ok)
		}
	}
}

// fakePage is a live page answering with h and body.
func fakePage(h http.Header, body string) *page {
	return &page{target: target{src: "https://ent.exemple.fr/login", role: roleLogin},
		doc: &input.Doc{URL: "https://ent.exemple.fr/login", FinalURL: "https://ent.exemple.fr/login", Status: 200, Header: h, Body: []byte(body)}}
}

func header(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestHeaderClasses(t *testing.T) {
	for _, c := range []struct {
		name string
		h    http.Header
		body string
		f    func(*page, meta) result.Finding
		want result.Status
	}{
		{"hsts first header counts", header("Strict-Transport-Security", "max-age=600", "Strict-Transport-Security", "max-age=31536000"), "", func(p *page, _ meta) result.Finding { return hstsFinding(p) }, result.Fail},
		{"hsts zero", header("Strict-Transport-Security", "max-age=0"), "", func(p *page, _ meta) result.Finding { return hstsFinding(p) }, result.Fail},
		{"xfo conflicting values block", header("X-Frame-Options", "DENY, SAMEORIGIN"), "", framingFinding, result.Pass},
		{"xfo allow-from", header("X-Frame-Options", "ALLOW-FROM https://portail.exemple.fr"), "", framingFinding, result.Fail},
		{"xfo invalid", header("X-Frame-Options", "ALLOWALL"), "", framingFinding, result.Fail},
		{"frame-ancestors wins over xfo", header("Content-Security-Policy", "frame-ancestors https:", "X-Frame-Options", "DENY"), "", framingFinding, result.Fail},
		{"frame-ancestors own subdomain", header("Content-Security-Policy", "frame-ancestors https://portail.exemple.fr"), "", framingFinding, result.Pass},
		{"frame-ancestors other site", header("Content-Security-Policy", "frame-ancestors 'self' https://autre-site.example"), "", framingFinding, result.Warn},
		{"frame-ancestors in meta has no effect", header(), `<meta http-equiv="Content-Security-Policy" content="frame-ancestors 'none'">`, framingFinding, result.Fail},
		{"frame-ancestors empty is none", header("Content-Security-Policy", "default-src 'self'; frame-ancestors"), "", framingFinding, result.Pass},
		{"two policies: the strictest frames", header("Content-Security-Policy", "frame-ancestors *", "Content-Security-Policy", "frame-ancestors 'none'"), "", framingFinding, result.Pass},
		{"nosniff case", header("X-Content-Type-Options", "NoSniff"), "", func(p *page, _ meta) result.Finding { return nosniffFinding(p) }, result.Pass},
		{"referrer last known token", header("Referrer-Policy", "no-referrer, unsafe-url"), "", referrerFinding, result.Fail},
		{"referrer fallback list", header("Referrer-Policy", "unsafe-url, strict-origin-when-cross-origin, bogus"), "", referrerFinding, result.Pass},
		{"referrer meta overrides header", header("Referrer-Policy", "unsafe-url"), `<meta name="referrer" content="no-referrer">`, referrerFinding, result.Pass},
		{"referrer meta legacy always", header(), `<meta name="referrer" content="always">`, referrerFinding, result.Fail},
		{"csp meta counts", header(), `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; base-uri 'none'">`, cspFinding, result.Pass},
		{"csp report-only only", header("Content-Security-Policy-Report-Only", "default-src 'self'"), "", cspFinding, result.Fail},
		{"csp without script restriction", header("Content-Security-Policy", "img-src 'self'; object-src 'none'; base-uri 'none'"), "", cspFinding, result.Warn},
		{"csp hash makes unsafe-inline inert", header("Content-Security-Policy", "script-src 'sha256-abc' 'unsafe-inline'; object-src 'none'; base-uri 'self'"), "", cspFinding, result.Pass},
		{"csp weakness must be in every policy", header("Content-Security-Policy", "script-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'", "Content-Security-Policy", "script-src 'self'; object-src 'none'; base-uri 'none'"), "", cspFinding, result.Pass},
	} {
		p := fakePage(c.h, c.body)
		f := c.f(p, readMeta(p.doc.Body, ""))
		if f.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, f.Status, f.MessageEN, c.want)
		}
	}
}

func TestCookieClasses(t *testing.T) {
	for _, c := range []struct {
		set     string
		session bool
		missing string
	}{
		{"JSESSIONID=1; Path=/; Secure; HttpOnly; SameSite=Lax", true, ""},
		{"PHPSESSID=1; secure; httponly; samesite=strict", true, ""},
		{"CASTGC=1; Secure; HttpOnly", true, "SameSite"},
		{"TGC=1; Secure; HttpOnly; SameSite=Bogus", true, "SameSite"},
		{"KEYCLOAK_SESSION=1; Secure; SameSite=None", true, "HttpOnly"},
		{"AUTH_SESSION_ID_LEGACY=1", true, "Secure HttpOnly SameSite"},
		{"__Host-ent_sid=1; Secure; Path=/", true, "HttpOnly SameSite"},
		{"XSRF-TOKEN=1; Secure", false, ""},
		{"tarteaucitron=!x; Secure", false, ""},
		{"lang=fr", false, ""},
		{"BIGipServerpool_ent=1", false, ""},
	} {
		ck, ok := parseSetCookie(c.set)
		if !ok {
			t.Fatalf("%q: not parsed", c.set)
		}
		if isSession(ck.name) != c.session {
			t.Errorf("%s: session %v, want %v", ck.name, isSession(ck.name), c.session)
		}
		if c.session && strings.Join(ck.missing(), " ") != c.missing {
			t.Errorf("%s: missing %v, want %q", ck.name, ck.missing(), c.missing)
		}
	}
	if _, ok := parseSetCookie("=value; Secure"); ok {
		t.Error("a cookie without a name is read")
	}
}

func TestJudgeForm(t *testing.T) {
	base, _ := url.Parse("https://www.ent-exemple.fr/accueil")
	own := map[string]bool{"ent-exemple.fr": true}
	idp := map[string]bool{"idp.vendeur.example": true}
	n := roleLogin.names()
	for _, c := range []struct {
		action, method string
		scripts        bool
		want           result.Status
	}{
		{"/cas/login", "post", false, result.Pass},
		{"https://cas.ent-exemple.fr/login", "POST", false, result.Pass},
		{"//cas.ent-exemple.fr/login", "post", false, result.Pass},
		{"https://idp.vendeur.example/sso", "post", false, result.Pass},
		{"https://collecte.tiers.example/", "post", false, result.Fail},
		{"http://cas.ent-exemple.fr/login", "post", false, result.Fail},
		{"/cas/login", "get", false, result.Fail},
		{"/cas/login", "", false, result.Fail},
		{"/cas/login", "", true, result.Warn},
		{"javascript:void(0)", "post", false, result.Warn},
		{"mailto:x@ent-exemple.fr", "post", false, result.Fail},
		{"", "post", false, result.Pass},
	} {
		f := judgeForm(n, target{src: base.String(), role: roleLogin}, formTarget{action: c.action, method: strings.ToLower(c.method)}, base, own, idp, c.scripts)
		if f.Status != c.want {
			t.Errorf("action %q method %q: %s (%s), want %s", c.action, c.method, f.Status, f.MessageEN, c.want)
		}
	}
}

func TestLoginForms(t *testing.T) {
	doc := parseHTML([]byte(`<form id="f" action="/a" method="post"><input type="password"><button formaction="http://x.example/b">Go</button></form>
<input type="PASSWORD" form="f">`), "")
	ts, none, orphan := loginForms(doc)
	if none || orphan || len(ts) != 2 || ts[1].action != "http://x.example/b" || ts[1].method != "post" {
		t.Errorf("%+v none %v orphan %v", ts, none, orphan)
	}
	_, none, orphan = loginForms(parseHTML([]byte(`<div><input type="password"></div>`), ""))
	if none || !orphan {
		t.Errorf("a password outside any form: none %v orphan %v", none, orphan)
	}
}
