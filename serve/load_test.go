package serve

import (
	"context"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/serve/loadtest"
)

// inProcess is the service under load in this process, on a fixed
// loopback address that a restart keeps.
type inProcess struct {
	cfg  Config
	addr string

	mu  sync.Mutex
	svc *Service
	srv *http.Server
}

func (p *inProcess) start() error {
	svc, err := New(context.Background(), p.cfg)
	if err != nil {
		return err
	}
	p.mu.Lock()
	addr := p.addr
	p.mu.Unlock()
	var ln net.Listener
	for i := 0; ; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil || i == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond) // the old listener's port
	}
	if err != nil {
		svc.Shutdown(context.Background())
		return err
	}
	srv := &http.Server{Handler: svc.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	p.mu.Lock()
	p.svc, p.srv, p.addr = svc, srv, ln.Addr().String()
	p.mu.Unlock()
	return nil
}

// stop is `sdetcheck serve`'s stop on SIGTERM, with a short grace: the
// audits still running are requeued.
func (p *inProcess) stop() {
	p.mu.Lock()
	svc, srv := p.svc, p.srv
	p.mu.Unlock()
	svc.Drain()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	svc.Idle(ctx)
	srv.Shutdown(context.Background())
	svc.Shutdown(ctx)
}

func (p *inProcess) URL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return "http://" + p.addr
}

func (p *inProcess) Restart(context.Context) error {
	p.stop()
	return p.start()
}

func (p *inProcess) RSS() int64 { return loadtest.ProcRSS(os.Getpid()) }

// The load test's short form (scripts/loadtest runs the full one against
// the binary): three collectivités deposit every sample dossier, and
// spot checks of a local test site, for a few seconds with a restart in
// the middle; every accepted audit ends done, or failed with a reason.
func TestLoadShort(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	yaml, tokens, admin := loadtest.NewTokens(3)
	toks, err := ParseTokens("tokens.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	dossiers, err := loadtest.PackDossiers("../fixtures/dossiers")
	if err != nil {
		t.Fatal(err)
	}
	site := liveENT(t)
	p := &inProcess{addr: "127.0.0.1:0", cfg: Config{
		Data: t.TempDir(), Work: t.TempDir(), Tokens: toks, Workers: 2, Queue: 4,
		AllowPrivateNetwork: true, LiveClient: site.Client(),
	}}
	if err := p.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.stop)
	var progress strings.Builder
	rep, err := loadtest.Run(context.Background(), loadtest.Options{
		Server: p, Tokens: tokens, Admin: admin, Dossiers: dossiers,
		Site: site.URL, SpotEvery: 4,
		Duration: 4 * time.Second, RestartAt: 2 * time.Second, Poll: 100 * time.Millisecond, Settle: 2 * time.Minute,
		Progress: &progress,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s%s", progress.String(), rep)
	if !rep.OK() || !rep.Restarted || rep.Done == 0 {
		t.Errorf("load test: lost %v, failed without a reason %v, restarted %v, done %d", rep.Lost, rep.FailedNoReason, rep.Restarted, rep.Done)
	}
}
