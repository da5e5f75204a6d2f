package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/sdetcheck/sdetcheck/checks/notice"
)

// needBrowser skips the test when no headless browser is installed, and
// fails it when SDETCHECK_REQUIRE_BROWSER=1 (as .ci/run sets), as in
// checks/notice.
func needBrowser(t *testing.T) string {
	t.Helper()
	bin, err := notice.BrowserPath()
	if err != nil {
		if os.Getenv("SDETCHECK_REQUIRE_BROWSER") == "1" {
			t.Fatal("SDETCHECK_REQUIRE_BROWSER=1 and no headless browser: ", err)
		}
		t.Skip("no headless browser found (apt-get install chromium-headless-shell, or set SDETCHECK_BROWSER): ", err)
	}
	return bin
}

// browserContext starts headless Chromium with a fresh profile under dir
// and the extra options, stopped with the test (3 minutes at most).
func browserContext(t *testing.T, bin, dir string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.UserDataDir(filepath.Join(dir, "profil")), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	opts = append(opts, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA(); cancel() })
	return bctx
}

// The web page in headless Chromium, keyboard and form only (the page has
// no script): sign in with the token, upload the sample dossier through
// the form, wait for the verdict (the page refreshes itself), download
// the PDF; a screenshot is left in $SDETCHECK_SCREENSHOT when set.
func TestWebPage(t *testing.T) {
	bin := needBrowser(t)
	h := newHarness(t, Config{Workers: 1, Queue: 2})
	dir := t.TempDir()
	archive := filepath.Join(dir, "conforme.tar.gz")
	if err := os.WriteFile(archive, tarGz(t, conforme, "conforme/"), 0o600); err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(dir, "telechargements")
	os.Mkdir(downloads, 0o700)
	bctx := browserContext(t, bin, dir)

	progress := chromedp.Events(bctx, browser.DownloadProgress)
	err := chromedp.Do(bctx,
		chromedp.Navigate(h.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#jeton")),
	)
	if err != nil {
		t.Fatal(err)
	}
	lang, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang"))
	if err != nil {
		t.Fatal(err)
	}
	title, _ := chromedp.Run(bctx, chromedp.Title())
	if lang.Value != "fr" || !strings.Contains(title, "Connexion") {
		t.Errorf("sign-in page: lang %q title %q", lang.Value, title)
	}
	// the token field has its label
	if n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll('label[for="jeton"]').length`)); err != nil || n != 1 {
		t.Errorf("label of the token field: %d %v", n, err)
	}
	// a wrong token is refused on the page
	if err := chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS("#jeton"), "mauvais-jeton\n"),
		chromedp.WaitVisible(chromedp.CSS(`[role="alert"]`)),
	); err != nil {
		t.Fatal(err)
	}
	msg, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`[role="alert"]`)))
	if !strings.Contains(msg, "Jeton inconnu") {
		t.Errorf("wrong token: %q", msg)
	}
	// sign in with the keyboard (Enter submits), upload through the form,
	// wait for the verdict: the page refreshes itself, without script
	if err := chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS("#jeton"), "tok-poitiers-0123456789abcdef0123456789\n"),
		chromedp.WaitVisible(chromedp.CSS("#dossier")),
		chromedp.SetUploadFiles(chromedp.CSS("#dossier"), []string{archive}),
		chromedp.Click(chromedp.CSS(`form[action="/audits"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#verdict")),
	); err != nil {
		t.Fatal(err)
	}
	verdict, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#verdict")))
	if err != nil {
		t.Fatal(err)
	}
	if verdict != "Avis : CONFORME" {
		t.Errorf("verdict %q, want « Avis : CONFORME » for the sample dossier", verdict)
	}
	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("SDETCHECK_SCREENSHOT"); p != "" {
		os.WriteFile(p, shot, 0o644)
	}
	// download the PDF by following its link
	yes := true
	if err := chromedp.Do(bctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: &yes,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(`a[href$="/rapport.pdf"]`)),
	); err != nil {
		t.Fatal(err)
	}
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State != browser.DownloadProgressStateCompleted {
			continue
		}
		data, err := os.ReadFile(filepath.Join(downloads, ev.GUID))
		if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
			t.Errorf("downloaded PDF: %v %q", err, clipBody(data))
		}
		break
	}
	// the earlier audits are listed on the home page
	if err := chromedp.Do(bctx, chromedp.Navigate(h.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("table"))); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("tbody tr").length`))
	if err != nil || rows != 1 {
		t.Errorf("home page lists %d audits (%v), want 1", rows, err)
	}
}

// TestWebSpotCheck: the home page's second form runs a spot check of a
// live ENT in headless Chromium (keyboard and form only): its verdict
// page says INCOMPLET, the pieces it did not name being not evaluated.
func TestWebSpotCheck(t *testing.T) {
	bin := needBrowser(t)
	ent := liveENT(t)
	h := newHarness(t, Config{Workers: 1, Queue: 2, AllowPrivateNetwork: true, LiveClient: ent.Client()})
	dir := t.TempDir()
	bctx := browserContext(t, bin, dir)
	if err := chromedp.Do(bctx,
		chromedp.Navigate(h.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS("#jeton")),
		chromedp.SendKeys(chromedp.CSS("#jeton"), "tok-poitiers-0123456789abcdef0123456789\n"),
		chromedp.WaitVisible(chromedp.CSS("#sc-ent")),
	); err != nil {
		t.Fatal(err)
	}
	// every field of the form has its label
	if n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`[...document.querySelectorAll('form[action="/controles"] input:not([type=hidden]), form[action="/controles"] select')].filter(e => !document.querySelector('label[for="'+e.id+'"]')).length`)); err != nil || n != 0 {
		t.Errorf("%d fields of the spot check form without a label (%v)", n, err)
	}
	if err := chromedp.Do(bctx,
		chromedp.SendKeys(chromedp.CSS("#sc-ent"), "Néo Collège Fictif"),
		chromedp.SendKeys(chromedp.CSS("#sc-collectivite"), "Département Fictif de la Vienne-Haute"),
		chromedp.SendKeys(chromedp.CSS("#sc-home"), ent.URL+"/pages/accueil.html"),
		chromedp.SendKeys(chromedp.CSS("#sc-login"), ent.URL+"/pages/connexion.html"),
		chromedp.SendKeys(chromedp.CSS("#sc-notice"), ent.URL+"/pages/mentions-information.html"),
		chromedp.Click(chromedp.CSS(`form[action="/controles"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#verdict")),
	); err != nil {
		t.Fatal(err)
	}
	verdict, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#verdict")))
	if err != nil {
		t.Fatal(err)
	}
	if verdict != "Avis : INCOMPLET" {
		t.Errorf("verdict %q, want « Avis : INCOMPLET » for a spot check", verdict)
	}
}
