package serve

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// liveENT serves the sample dossier's pages, notice and IdP metadata over
// TLS on loopback, as a live ENT would.
func liveENT(t *testing.T) *httptest.Server {
	t.Helper()
	fs := http.FileServer(http.Dir(conforme))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secureHeaders(w.Header())
		fs.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// secureHeaders sets the security headers a well-kept ENT sends (the
// security area's baseline).
func secureHeaders(h http.Header) {
	h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
}

func spotCheckBody(t *testing.T, base string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{
		"ent": "Néo Collège Fictif", "collectivite": "Département Fictif de la Vienne-Haute", "degree": "2D",
		"home_page":        base + "/pages/accueil.html",
		"login_page":       base + "/pages/connexion.html",
		"notice":           base + "/pages/mentions-information.html",
		"notice_reference": base + "/dsden/mentions-validees.html",
		"saml_metadata":    base + "/saml/idp-metadata.xml",
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSpotCheckLive: a spot check of a live ENT (URLs only) is audited en
// ligne with the engine: its pages, notice and metadata are judged, the
// pieces it does not name are not evaluated (verdict incomplet, never
// conforme), and the result reads like an audit's.
func TestSpotCheckLive(t *testing.T) {
	ent := liveENT(t)
	h := newHarness(t, Config{AllowPrivateNetwork: true, LiveClient: ent.Client()})
	r := h.do("POST", "/api/v1/spotchecks", testTokens["poitiers"], strings.NewReader(spotCheckBody(t, ent.URL)), "application/json")
	if r.status != http.StatusAccepted {
		t.Fatalf("POST spotchecks: %d %s", r.status, r.body)
	}
	id := jsonField(r.body, "id")
	a := h.waitDone(testTokens["poitiers"], id)
	if a["status"] != "done" {
		t.Fatalf("spot check %v", a)
	}
	res := a["result"].(map[string]any)
	if res["verdict"] != "incomplet" {
		t.Errorf("verdict %v, want incomplet (no GAR feed, mapping or SSO capture)", res["verdict"])
	}
	if res["scope"] != "en-ligne" {
		t.Errorf("scope %v, want en-ligne", res["scope"])
	}
	states := map[string]string{}
	for _, x := range res["results"].([]any) {
		f := x.(map[string]any)
		rule, st := f["rule"].(string), f["status"].(string)
		if old, ok := states[rule]; !ok || old == "pass" {
			states[rule] = st
		}
	}
	for rule, want := range map[string]string{"PAGE-001": "pass", "NOTICE-002": "pass", "SAML-001": "pass", "GAR-001": "not-evaluated", "DOSSIER-001": "fail",
		// without --geoip: not evaluated, outside the verdict
		"CONTRACT-007": "not-evaluated"} {
		if states[rule] != want {
			t.Errorf("%s: %s, want %s", rule, states[rule], want)
		}
	}
	// another collectivité does not see it
	if r := h.do("GET", "/api/v1/audits/"+id, testTokens["larochelle"], nil, ""); r.status != http.StatusNotFound {
		t.Errorf("another collectivité's token: %d, want 404", r.status)
	}
	// nothing is left in the work directory once done
	if left, _ := filepath.Glob(filepath.Join(h.cfg.Work, "*")); len(left) != 0 {
		t.Errorf("work directory keeps %v", left)
	}
}

// With --geoip, a spot check locates the ENT's servers (CONTRACT-007):
// the test ENT answers on loopback, which no database places.
func TestSpotCheckGeoIP(t *testing.T) {
	ent := liveENT(t)
	h := newHarness(t, Config{AllowPrivateNetwork: true, LiveClient: ent.Client(), GeoIP: "../fixtures/contract/geoip-test.mmdb"})
	r := h.do("POST", "/api/v1/spotchecks", testTokens["poitiers"], strings.NewReader(spotCheckBody(t, ent.URL)), "application/json")
	if r.status != http.StatusAccepted {
		t.Fatalf("POST spotchecks: %d %s", r.status, r.body)
	}
	a := h.waitDone(testTokens["poitiers"], jsonField(r.body, "id"))
	res, _ := a["result"].(map[string]any)
	if res == nil {
		t.Fatalf("spot check %v", a)
	}
	var msgs []string
	for _, x := range res["results"].([]any) {
		f := x.(map[string]any)
		if f["rule"] != "CONTRACT-007" {
			continue
		}
		msgs = append(msgs, f["status"].(string)+": "+f["message"].(string))
		if f["status"] == "not-evaluated" {
			t.Errorf("CONTRACT-007 not evaluated with a database: %s", f["message"])
		}
	}
	if len(msgs) == 0 || !strings.Contains(strings.Join(msgs, "\n"), "127.0.0.1") {
		t.Errorf("CONTRACT-007 findings %q, want the loopback address named", msgs)
	}
}

// TestSpotCheckRefusals: an http:// address, no address at all, or a
// field the contract does not know is a 400 naming the field; without
// --allow-private-network a loopback address is refused by the audit
// (an error finding that says why), never fetched.
func TestSpotCheckRefusals(t *testing.T) {
	h := newHarness(t, Config{})
	tok := testTokens["poitiers"]
	for _, c := range []struct{ body, field string }{
		{`{"ent":"X","collectivite":"Y","degree":"2D","home_page":"http://ent.example/"}`, "home_page"},
		{`{"ent":"X","collectivite":"Y","degree":"2D"}`, "home_page"},
		{`{"ent":"X","collectivite":"Y","degree":"3D","home_page":"https://ent.example/"}`, "degree"},
		{`{"ent":"X","collectivite":"Y","degree":"2D","home_page":"https://ent.example/","gar_feed":"https://x/"}`, ""},
	} {
		r := h.do("POST", "/api/v1/spotchecks", tok, strings.NewReader(c.body), "application/json")
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", c.body, r.status)
			continue
		}
		if f := jsonField(r.body, "field"); c.field != "" && f != c.field {
			t.Errorf("%s: field %q, want %q (%s)", c.body, f, c.field, r.body)
		}
	}
	if r := h.do("POST", "/api/v1/spotchecks", "", strings.NewReader(`{}`), "application/json"); r.status != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", r.status)
	}

	ent := liveENT(t)
	r := h.do("POST", "/api/v1/spotchecks", tok, strings.NewReader(spotCheckBody(t, ent.URL)), "application/json")
	if r.status != http.StatusAccepted {
		t.Fatalf("POST spotchecks: %d %s", r.status, r.body)
	}
	a := h.waitDone(tok, jsonField(r.body, "id"))
	res, _ := a["result"].(map[string]any)
	if res == nil {
		t.Fatalf("spot check of a loopback address: %v", a)
	}
	found := false
	for _, x := range res["results"].([]any) {
		f := x.(map[string]any)
		if f["rule"] == "PAGE-001" && f["status"] == "error" && strings.Contains(f["message"].(string), "bouclage") {
			found = true
		}
	}
	if !found || res["verdict"] == "conforme" {
		t.Errorf("loopback address not refused by the audit (verdict %v)", res["verdict"])
	}
}
