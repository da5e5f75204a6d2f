package notice

import (
	"context"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
)

// renderWidth × renderHeight is the browser window: the most common
// desktop screen size.
const renderWidth, renderHeight = 1366, 768

// renderTimeout bounds a whole render: browser start, load, scripts.
const renderTimeout = 45 * time.Second

// browserCandidates are where Debian and others put a headless Chromium.
// SDETCHECK_BROWSER overrides them.
var browserCandidates = []string{
	"/usr/bin/chromium-headless-shell",
	"/usr/lib/chromium/chromium-headless-shell",
	"/usr/lib/chromium/headless_shell",
	"/usr/bin/chromium",
	"/usr/bin/chromium-browser",
	"/usr/bin/google-chrome",
	"headless_shell",
	"chromium-headless-shell",
	"chromium",
}

// ErrNoBrowser says that no headless browser was found.
var ErrNoBrowser = input.Problemf("no headless browser found: install Debian's chromium-headless-shell (apt-get install chromium-headless-shell) or set SDETCHECK_BROWSER",
	"aucun navigateur sans interface trouvé : installer chromium-headless-shell de Debian (apt-get install chromium-headless-shell) ou définir SDETCHECK_BROWSER")

// BrowserPath finds the headless browser binary.
func BrowserPath() (string, error) {
	if p := os.Getenv("SDETCHECK_BROWSER"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", input.Wrap(err, "find browser: SDETCHECK_BROWSER=%s", "navigateur SDETCHECK_BROWSER=%s introuvable", p)
		}
		return p, nil
	}
	for _, c := range browserCandidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// rendered is what the browser saw.
type rendered struct {
	HTML      string   `json:"html"`
	Resources []string `json:"resources"`
}

// waitFooterJS waits (at most 3 s) for scripts to build a footer.
const waitFooterJS = `new Promise(done => {
  let n = 0;
  const tick = () => {
    if (document.querySelector('footer, [role=contentinfo]') || n++ >= 30) { done(true); return; }
    setTimeout(tick, 100);
  };
  tick();
})`

// waitSettleJS waits until the page's text stops changing (unchanged and
// not empty for 300 ms), at most 3 s.
const waitSettleJS = `new Promise(done => {
  let n = 0, last = -1, same = 0;
  const tick = () => {
    const len = (document.body && document.body.innerText || '').trim().length;
    same = (len === last && len > 0) ? same + 1 : 0;
    last = len;
    if (same >= 3 || n++ >= 30) { done(true); return; }
    setTimeout(tick, 100);
  };
  tick();
})`

// markJS marks every element the browser does not really show with
// data-sdetcheck-hidden: display:none, visibility:hidden or opacity 0 (on
// any element: it hides the descendants too); no box at all, for links
// (nothing inside has a box either) and for containers that clip their
// content (overflow hidden or clip). A zero-height container whose
// children overflow visibly (floats) is not marked. Then it returns the
// DOM and every resource the page loaded.
const markJS = `(() => {
  const empty = (el) => { const r = el.getBoundingClientRect(); return r.width === 0 || r.height === 0; };
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    let hide = s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0';
    if (!hide && s.display !== 'contents' && empty(el)) {
      if (el.tagName === 'A') {
        hide = ![...el.querySelectorAll('*')].some(c => !empty(c));
      } else if (/hidden|clip/.test(s.overflowX + s.overflowY)) {
        hide = true;
      }
    }
    if (hide) el.setAttribute('` + renderedHiddenAttr + `', '1');
  }
  return {
    html: '<!DOCTYPE html>' + document.documentElement.outerHTML,
    resources: performance.getEntriesByType('resource').map(e => e.name),
  };
})()`

// render loads target in a fresh headless browser (new empty profile: no
// cookies, no credentials) and returns the rendered DOM. With waitFooter
// it first gives scripts up to 3 s to build a footer (pages); notices are
// read once loaded.
func render(ctx context.Context, target string, waitFooter bool) (*rendered, error) {
	bin, err := BrowserPath()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sdetcheck-browser-")
	if err != nil {
		return nil, input.Wrap(err, "create browser profile", "création du profil du navigateur impossible")
	}
	defer os.RemoveAll(dir)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(dir),
		// a desktop screen: headless Chromium defaults to 800×600, where
		// footers hide the links they show from 992 px on (Bootstrap d-lg-*)
		chromedp.WindowSize(renderWidth, renderHeight),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("no-default-browser-check", true),
		// Containers (Docker's default /dev/shm is 64 MB) make Chromium
		// crash on large pages when it keeps shared memory there.
		chromedp.Flag("disable-dev-shm-usage", true),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	// Every request of the browser goes through a local proxy that
	// connects only where the run's network policy allows (no loopback,
	// private or link-local address without --allow-private-network):
	// Chromium's own connections are not checked otherwise. Loopback is
	// not exempted from the proxy (Chromium exempts it by default), and
	// WebRTC may not send UDP around it.
	px, err := netguard.FromContext(ctx).StartProxy()
	if err != nil {
		return nil, input.Wrap(err, "start the browser's proxy", "démarrage du mandataire (proxy) du navigateur impossible")
	}
	defer px.Close()
	opts = append(opts,
		chromedp.ProxyServer("http://"+px.Addr),
		chromedp.Flag("proxy-bypass-list", "<-loopback>"),
		chromedp.Flag("force-webrtc-ip-handling-policy", "disable_non_proxied_udp"),
	)
	ctx, cancel := context.WithTimeout(ctx, renderTimeout)
	defer cancel()
	actx, cancelA := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx, chromedp.Navigate(target)); err != nil {
		return nil, input.Wrap(err, "render %s", "affichage de %s par le navigateur impossible", target)
	}
	wait := waitFooterJS
	if !waitFooter {
		wait = waitSettleJS
	}
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](wait, chromedp.EvalAwaitPromise)); err != nil {
		return nil, input.Wrap(err, "render %s", "affichage de %s par le navigateur impossible", target)
	}
	out, err := chromedp.Run(bctx, chromedp.Evaluate[rendered](markJS))
	if err != nil {
		return nil, input.Wrap(err, "render %s", "affichage de %s par le navigateur impossible", target)
	}
	return &out, nil
}
