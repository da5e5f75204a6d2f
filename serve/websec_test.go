package serve

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// webClient is a browser without script: cookies, no redirects followed.
func webClient(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// signIn signs c in with token and returns the session's CSRF token.
func signIn(t *testing.T, h *harness, c *http.Client, token string) string {
	t.Helper()
	_, body, _ := get(t, c, h.srv.URL+"/")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field on the sign-in page:\n%s", body)
	}
	code, _, hdr := post(t, c, h.srv.URL+"/connexion", url.Values{"csrf": {m[1]}, "jeton": {token}})
	if code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", code)
	}
	cookie := strings.Join(hdr.Values("Set-Cookie"), "\n")
	for _, attr := range []string{sessionCookie + "=", "HttpOnly", "Secure", "SameSite=Strict"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie lacks %s: %s", attr, cookie)
		}
	}
	_, body, _ = get(t, c, h.srv.URL+"/")
	m = csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field once signed in:\n%s", body)
	}
	return m[1]
}

// The web page's forms need their CSRF token; a session sees only its
// scope; signing out ends the session.
func TestWebSecurity(t *testing.T) {
	h := newHarness(t, Config{Workers: 1, Queue: 2})
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", tarGz(t, conforme, ""))
	var acc struct{ ID string }
	r.json(t, &acc)
	h.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID)

	// sign-in without the form's token, or with another's, is refused
	c := webClient(t)
	get(t, c, h.srv.URL+"/")
	if code, _, _ := post(t, c, h.srv.URL+"/connexion", url.Values{"jeton": {"tok-poitiers-0123456789abcdef0123456789"}}); code != http.StatusForbidden {
		t.Errorf("sign-in without CSRF: %d", code)
	}
	if code, _, _ := post(t, webClient(t), h.srv.URL+"/connexion", url.Values{"csrf": {"x"}, "jeton": {"tok-poitiers-0123456789abcdef0123456789"}}); code != http.StatusForbidden {
		t.Errorf("sign-in with a forged CSRF: %d", code)
	}
	// pages need a session
	if code, _, _ := get(t, webClient(t), h.srv.URL+"/audits/"+acc.ID); code != http.StatusUnauthorized {
		t.Errorf("audit page without session: %d", code)
	}

	owner := webClient(t)
	csrf := signIn(t, h, owner, "tok-poitiers-0123456789abcdef0123456789")
	code, body, hdr := get(t, owner, h.srv.URL+"/audits/"+acc.ID)
	if code != 200 || !strings.Contains(body, `id="verdict"`) || !strings.Contains(body, `lang="fr"`) {
		t.Errorf("owner's audit page: %d", code)
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if code, body, _ := get(t, owner, h.srv.URL+"/audits/"+acc.ID+"/rapport.pdf"); code != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("owner's PDF: %d", code)
	}

	// another collectivité's session: 404 on the page and the reports
	other := webClient(t)
	otherCSRF := signIn(t, h, other, "tok-chatellerault-0123456789abcdef0123456789")
	for _, p := range []string{"", "/rapport.pdf", "/rapport.json", "/etat", "/supprimer"} {
		if code, _, _ := get(t, other, h.srv.URL+"/audits/"+acc.ID+p); code != http.StatusNotFound {
			t.Errorf("other collectivité GET %s: %d", p, code)
		}
	}
	if code, _, _ := post(t, other, h.srv.URL+"/audits/"+acc.ID+"/supprimer", url.Values{"csrf": {otherCSRF}}); code != http.StatusNotFound {
		t.Errorf("other collectivité delete: %d", code)
	}
	// the DSDEN sees it and compares it with itself
	dsden := webClient(t)
	signIn(t, h, dsden, "tok-dsden86-0123456789abcdef0123456789")
	if code, body, _ := get(t, dsden, h.srv.URL+"/comparer?ancien="+acc.ID+"&nouveau="+acc.ID); code != 200 || !strings.Contains(body, "Toujours en échec") {
		t.Errorf("diff: %d", code)
	}

	// deletion needs the session's CSRF token
	if code, _, _ := post(t, owner, h.srv.URL+"/audits/"+acc.ID+"/supprimer", url.Values{"csrf": {otherCSRF}}); code != http.StatusForbidden {
		t.Errorf("delete with another session's CSRF: %d", code)
	}
	// a deletion not yet confirmed asks (the page's form, without
	// script), then deletes once confirmed
	if code, body, _ := post(t, owner, h.srv.URL+"/audits/"+acc.ID+"/supprimer", url.Values{"csrf": {csrf}}); code != http.StatusOK || !strings.Contains(body, `name="confirme" value="oui"`) {
		t.Errorf("delete without confirmation: %d, want the confirmation page", code)
	}
	if code, _, _ := get(t, owner, h.srv.URL+"/audits/"+acc.ID); code != http.StatusOK {
		t.Errorf("audit gone before the deletion was confirmed: %d", code)
	}
	if code, _, _ := post(t, owner, h.srv.URL+"/audits/"+acc.ID+"/supprimer", url.Values{"csrf": {csrf}, "confirme": {"oui"}}); code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if code, _, _ := get(t, owner, h.srv.URL+"/audits/"+acc.ID); code != http.StatusNotFound {
		t.Errorf("deleted audit page: %d", code)
	}
	// sign out: the session is over
	post(t, owner, h.srv.URL+"/deconnexion", url.Values{"csrf": {csrf}})
	if code, _, _ := get(t, owner, h.srv.URL+"/audits/"+acc.ID); code != http.StatusUnauthorized {
		t.Errorf("after sign-out: %d", code)
	}
}

// postFrom posts form to u as a browser would from another site (or the
// same one) with the Sec-Fetch-Site and Origin headers given.
func postFrom(t *testing.T, c *http.Client, u string, form url.Values, site, origin string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// The web page's forms are refused (403) when another site's page makes
// the browser post them (Sec-Fetch-Site, or Origin against Host), even
// with the right CSRF token; from the page itself they work.
func TestWebCrossOrigin(t *testing.T) {
	h := newHarness(t, Config{Workers: 1, Queue: 2})
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", tarGz(t, conforme, ""))
	id := jsonField(r.body, "id")
	h.waitDone("tok-poitiers-0123456789abcdef0123456789", id)

	// sign-in from another site: refused, no session
	c := webClient(t)
	_, body, _ := get(t, c, h.srv.URL+"/")
	pre := csrfField.FindStringSubmatch(body)[1]
	if code := postFrom(t, c, h.srv.URL+"/connexion", url.Values{"csrf": {pre}, "jeton": {"tok-poitiers-0123456789abcdef0123456789"}}, "cross-site", ""); code != http.StatusForbidden {
		t.Errorf("sign-in posted from another site: %d, want 403", code)
	}
	if code, _, _ := get(t, c, h.srv.URL+"/audits/"+id); code != http.StatusUnauthorized {
		t.Errorf("signed in by a cross-site post: %d", code)
	}

	owner := webClient(t)
	csrf := signIn(t, h, owner, "tok-poitiers-0123456789abcdef0123456789")
	del := h.srv.URL + "/audits/" + id + "/supprimer"
	for _, c := range []struct{ site, origin string }{
		{"cross-site", ""}, {"same-site", ""}, {"", "https://ent-malveillant.example"},
	} {
		if code := postFrom(t, owner, del, url.Values{"csrf": {csrf}, "confirme": {"oui"}}, c.site, c.origin); code != http.StatusForbidden {
			t.Errorf("delete posted with Sec-Fetch-Site %q Origin %q: %d, want 403", c.site, c.origin, code)
		}
	}
	if code, _, _ := get(t, owner, h.srv.URL+"/audits/"+id); code != http.StatusOK {
		t.Fatalf("audit gone after refused cross-site deletions: %d", code)
	}
	if code := postFrom(t, owner, del, url.Values{"csrf": {csrf}, "confirme": {"oui"}}, "same-origin", h.srv.URL); code != http.StatusSeeOther {
		t.Errorf("delete posted from the page itself: %d, want 303", code)
	}
}
