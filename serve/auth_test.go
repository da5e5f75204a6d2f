package serve

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Failed authentications are throttled per client address: past ten
// unknown tokens (API or sign-in form), every authentication from that
// address is refused with 429 and Retry-After, even with a good token,
// until the budget refills (one attempt every few seconds).
func TestFailedAuthThrottled(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	h := newHarness(t, Config{Now: clock.Now})
	good := testTokens["poitiers"]
	for i := 0; i < 5; i++ {
		if r := h.do("GET", "/api/v1/audits", "mauvais-jeton-0123456789abcdef0123456789", nil, ""); r.status != http.StatusUnauthorized {
			t.Fatalf("unknown token %d: %d", i+1, r.status)
		}
	}
	// the sign-in form counts with the API
	c := webClient(t)
	for i := 0; i < 5; i++ {
		_, body, _ := get(t, c, h.srv.URL+"/")
		pre := csrfField.FindStringSubmatch(body)[1]
		if code, _, _ := post(t, c, h.srv.URL+"/connexion", url.Values{"csrf": {pre}, "jeton": {"mauvais-jeton"}}); code != http.StatusUnauthorized {
			t.Fatalf("wrong token on the form %d: %d", i+1, code)
		}
	}
	r := h.do("GET", "/api/v1/audits", "mauvais-jeton-0123456789abcdef0123456789", nil, "")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("11th unknown token: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	if r := h.do("GET", "/api/v1/audits", good, nil, ""); r.status != http.StatusTooManyRequests {
		t.Errorf("good token from a throttled address: %d, want 429", r.status)
	}
	_, body, _ := get(t, c, h.srv.URL+"/")
	pre := csrfField.FindStringSubmatch(body)[1]
	if code, body, _ := post(t, c, h.srv.URL+"/connexion", url.Values{"csrf": {pre}, "jeton": {good}}); code != http.StatusTooManyRequests || !strings.Contains(body, "Trop de tentatives") {
		t.Errorf("sign-in from a throttled address: %d", code)
	}
	// requests without a token are no attempt; health stays open
	if r := h.do("GET", "/healthz", "", nil, ""); r.status != 200 {
		t.Errorf("healthz from a throttled address: %d", r.status)
	}
	clock.Add(time.Minute)
	if r := h.do("GET", "/api/v1/audits", good, nil, ""); r.status != 200 {
		t.Errorf("good token a minute later: %d", r.status)
	}
}

// A token of tokens.yaml shorter than MinTokenLength (tokens.yaml holds
// only its SHA-256: its length shows when it is presented) is refused,
// and the service's log names the file and the line of its entry.
func TestShortTokenRefused(t *testing.T) {
	yaml := tokensYAML() + "  - {name: courte, role: collectivite, departement: \"86\", token_sha256: " + HashToken("court-2026") + "}\n"
	toks, err := ParseTokens("/etc/sdetcheck/tokens.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	h := newHarness(t, Config{Tokens: toks, logTo: logs})
	r := h.do("GET", "/api/v1/audits", "court-2026", nil, "")
	if r.status != http.StatusUnauthorized || !strings.Contains(jsonField(r.body, "detail"), "moins de 32 caractères") {
		t.Errorf("short token: %d %s", r.status, r.body)
	}
	c := webClient(t)
	_, body, _ := get(t, c, h.srv.URL+"/")
	pre := csrfField.FindStringSubmatch(body)[1]
	if code, body, _ := post(t, c, h.srv.URL+"/connexion", url.Values{"csrf": {pre}, "jeton": {"court-2026"}}); code != http.StatusUnauthorized || !strings.Contains(body, "trop court") {
		t.Errorf("short token on the form: %d", code)
	}
	if l := logs.String(); !strings.Contains(l, `"file":"/etc/sdetcheck/tokens.yaml"`) || !strings.Contains(l, `"line":7`) || strings.Contains(l, "court-2026") {
		t.Errorf("log of the short token:\n%s", l)
	}
}

// NewToken makes tokens long enough, that tokens.yaml lists by the hash
// it gives.
func TestNewToken(t *testing.T) {
	tok, sum := NewToken()
	if len(tok) < MinTokenLength || sum != HashToken(tok) {
		t.Errorf("token %q (%d characters), hash %s", tok, len(tok), sum)
	}
	if other, _ := NewToken(); other == tok {
		t.Error("the same token twice")
	}
}
