package serve

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The watch's pages are the DSDEN's and the administrator's: a
// collectivité is refused (and has no link to them); a registration the
// form refuses says why and keeps what was typed; a form without its
// CSRF token, or posted from another site, is refused.
func TestWatchWebScope(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	h := watchHarness(t, clock, ent, Config{})

	c := webClient(t)
	signIn(t, h, c, testTokens["poitiers"])
	if _, home, _ := get(t, c, h.srv.URL+"/"); strings.Contains(home, `href="/veille"`) {
		t.Error("a collectivité's page links to the watch")
	}
	if code, body, _ := get(t, c, h.srv.URL+"/veille"); code != http.StatusForbidden || !strings.Contains(body, "réservée aux agents des DSDEN") {
		t.Errorf("collectivité on /veille: %d", code)
	}

	c = webClient(t)
	csrf := signIn(t, h, c, testTokens["dsden86"])
	_, home, _ := get(t, c, h.srv.URL+"/")
	if !strings.Contains(home, `href="/veille"`) {
		t.Error("no link to the watch on a DSDEN's page")
	}
	form := url.Values{"csrf": {csrf}, "ent": {"Néo Collège Fictif"}, "collectivite": {"Département Fictif"}, "degree": {"2D"},
		"home_page": {"http://ent.fictif.example/"}, "emails": {"dsden86@ac-fictive.example"}}
	code, body, _ := post(t, c, h.srv.URL+"/veille", form)
	if code != http.StatusBadRequest || !strings.Contains(body, "Enregistrement impossible : page d&#39;accueil : une adresse https:// complète est attendue") ||
		!strings.Contains(body, `value="http://ent.fictif.example/"`) || !strings.Contains(body, "dsden86@ac-fictive.example</textarea>") {
		t.Errorf("refused registration: %d\n%s", code, body)
	}
	form.Set("home_page", ent.srv.URL+"/pages/accueil.html")
	form.Set("csrf", "faux")
	if code, _, _ := post(t, c, h.srv.URL+"/veille", form); code != http.StatusForbidden {
		t.Errorf("registration without its CSRF token: %d, want 403", code)
	}
	form.Set("csrf", csrf)
	req, _ := http.NewRequest("POST", h.srv.URL+"/veille", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if resp, err := c.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("registration from another site: %v %v", resp.StatusCode, err)
	}
	code, _, hdr := post(t, c, h.srv.URL+"/veille", form)
	if code != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/veille/") {
		t.Fatalf("registration: %d %v", code, hdr)
	}
	id := strings.TrimPrefix(hdr.Get("Location"), "/veille/")
	h.settled(id, 1)
	_, list, _ := get(t, c, h.srv.URL+"/veille")
	if !strings.Contains(list, `href="/veille/`+id+`"`) {
		t.Error("the registered ENT is not listed")
	}
	// another DSDEN's ENT is not found
	other := webClient(t)
	signIn(t, h, other, testTokens["admin"])
	if code, _, _ := get(t, other, h.srv.URL+"/veille/"+id); code != http.StatusOK {
		t.Errorf("administrator on the ENT's page: %d", code)
	}
	if code, body, _ := get(t, c, h.srv.URL+"/veille/"+newID()); code != http.StatusNotFound || !strings.Contains(body, "introuvable") {
		t.Errorf("unknown ENT: %d", code)
	}
	// stop watching it
	code, _, _ = post(t, c, h.srv.URL+"/veille/"+id+"/supprimer", url.Values{"csrf": {csrf}})
	if code != http.StatusSeeOther {
		t.Errorf("delete: %d", code)
	}
	if _, err := h.svc.watch.st.GetWatched(t.Context(), id); err == nil {
		t.Error("the ENT is still watched")
	}
}

// A DSDEN officer in headless Chromium, keyboard and forms only: signs
// in, follows the header's link to the watch, registers the ENT (served
// over TLS on loopback), waits for its first verdict (the page refreshes
// itself while the run is under way), then, the ENT's theme having
// dropped the notice link and added a tracker, asks for a run now and
// sees the timeline of two runs, the verdict worsened and what regressed.
// A screenshot is left in $SDETCHECK_WATCH_SCREENSHOT when set.
func TestWebWatch(t *testing.T) {
	bin := needBrowser(t)
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	logs := &syncBuffer{}
	h := watchHarness(t, clock, ent, Config{logTo: logs})
	bctx := browserContext(t, bin, t.TempDir())
	if err := chromedp.Do(bctx,
		chromedp.Navigate(h.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#jeton")),
		chromedp.SendKeys(chromedp.CSS("#jeton"), testTokens["dsden86"]+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`header a[href="/veille"]`)),
		chromedp.Click(chromedp.CSS(`header a[href="/veille"]`)),
		chromedp.WaitVisible(chromedp.CSS("#w-ent")),
	); err != nil {
		t.Fatal(err)
	}
	// every field of the form has its label
	if n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`[...document.querySelectorAll('form[action="/veille"] input:not([type=hidden]), form[action="/veille"] select, form[action="/veille"] textarea')].filter(e => !document.querySelector('label[for="'+e.id+'"]')).length`)); err != nil || n != 0 {
		t.Errorf("%d fields of the registration form without a label (%v)", n, err)
	}
	base := ent.srv.URL
	if err := chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS("#w-ent"), "Néo Collège Fictif"),
		chromedp.SendKeys(chromedp.CSS("#w-collectivite"), "Département Fictif de la Vienne-Haute"),
		chromedp.SendKeys(chromedp.CSS("#w-home"), base+"/pages/accueil.html"),
		chromedp.SendKeys(chromedp.CSS("#w-login"), base+"/pages/connexion.html"),
		chromedp.SendKeys(chromedp.CSS("#w-notice"), base+"/pages/mentions-information.html"),
		chromedp.SendKeys(chromedp.CSS("#w-reference"), base+"/dsden/mentions-validees.html"),
		chromedp.SendKeys(chromedp.CSS("#w-saml"), base+"/saml/idp-metadata.xml"),
		chromedp.SendKeys(chromedp.CSS("#w-emails"), "dsden86-numerique@ac-fictive.example"),
		chromedp.Click(chromedp.CSS(`form[action="/veille"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#verdict")),
	); err != nil {
		t.Fatal(err)
	}
	waitText := func(sel, want string) string {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			got, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
			if err == nil && strings.Contains(got, want) {
				return got
			}
			if time.Now().After(deadline) {
				html, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
				t.Fatalf("%s: %q (%v), want %q\n%s\nLOGS %s", sel, got, err, want, html, logs.String())
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	waitText("#verdict", "Verdict actuel : INCOMPLET")

	// the theme update, then a run now
	ent.degrade(t)
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS("#controler"))); err != nil {
		t.Fatal(err)
	}
	waitText("#verdict", "Verdict actuel : NON CONFORME")
	waitText("#changements", "NON CONFORME")
	items, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".frise li").length`))
	if err != nil || items != 2 {
		t.Errorf("timeline of %d runs (%v), want 2", items, err)
	}
	main, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Régressé (", "PAGE-001", "PAGE-005", "Traceur Google Tag Manager", "ouverte", "Échéances"} {
		if !strings.Contains(main, want) {
			t.Errorf("the ENT's page lacks %q", want)
		}
	}
	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("SDETCHECK_WATCH_SCREENSHOT"); p != "" {
		os.WriteFile(p, shot, 0o644)
	}
	// the list of the ENTs watched
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`header a[href="/veille"]`)), chromedp.WaitVisible(chromedp.CSS("#w-ent"))); err != nil {
		t.Fatal(err)
	}
	row, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("tbody tr")))
	if err != nil || !strings.Contains(row, "Néo Collège Fictif") || !strings.Contains(row, "NON CONFORME") {
		t.Errorf("list of the ENTs watched: %q %v", row, err)
	}
	if p := os.Getenv("SDETCHECK_WATCH_SCREENSHOT"); p != "" {
		if shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(strings.TrimSuffix(p, ".png")+"-liste.png", shot, 0o644)
		}
	}
}
