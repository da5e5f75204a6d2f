package notice

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/netguard"
)

// TestRenderGuarded: with --render, the browser's own requests go through
// the network policy: a page (allowed here as if public) whose script
// loads an image from a local address does not reach it, whether the
// address is written as 127.0.0.1 or as a name resolving to it.
func TestRenderGuarded(t *testing.T) {
	// Skipped without a browser unless SDETCHECK_REQUIRE_BROWSER=1 (CI),
	// as needBrowser does for the external tests.
	if _, err := BrowserPath(); err != nil {
		if os.Getenv("SDETCHECK_REQUIRE_BROWSER") == "1" {
			t.Fatal("SDETCHECK_REQUIRE_BROWSER=1 and no headless browser: ", err)
		}
		t.Skip("no headless browser found (apt-get install chromium-headless-shell, or set SDETCHECK_BROWSER): ", err)
	}
	var hits atomic.Int64
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "image/gif")
		w.Write([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	}))
	defer internal.Close()
	byName := strings.Replace(internal.URL, "127.0.0.1", "localhost", 1)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html><body><footer><a href="/m">Mentions d'information</a></footer>
<img src="` + internal.URL + `/a.gif"><script>var i=new Image();i.src='` + byName + `/b.gif';document.body.appendChild(i);
fetch('` + internal.URL + `/c').catch(()=>{});</script></body></html>`))
	}))
	defer page.Close()
	pol := netguard.Policy{Except: []netip.AddrPort{netip.MustParseAddrPort(page.Listener.Addr().String())}}
	r, err := render(netguard.WithPolicy(context.Background(), pol), page.URL+"/", true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.HTML, "Mentions d'information") {
		t.Errorf("page not rendered: %s", r.HTML)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the browser reached the local server %d time(s)", n)
	}
	// With --allow-private-network the same page reaches it.
	if _, err := render(netguard.WithPolicy(context.Background(), netguard.Policy{AllowPrivate: true}), page.URL+"/", true); err != nil {
		t.Fatal(err)
	}
	if hits.Load() == 0 {
		t.Error("with private addresses allowed, the local image was not loaded: the test proves nothing")
	}
}
