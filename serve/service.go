// Package serve is `sdetcheck serve`: the audit of a dossier as a web
// service (an API on the OpenAPI contract of openapi.json, validated by
// kin-openapi, and a French web page), for collectivités, DSDEN officers
// and vendors' CI.
//
// The audit itself is audit's Audit and the report/ writers,
// exactly as `sdetcheck audit` runs them. An uploaded dossier is unpacked
// into a private directory under the work root (never under --data),
// deleted when its audit ends or fails and when the service restarts after
// a crash; the store keeps only the SHA-256 of the archive, the result
// (already masked by the checks) and the rendered reports.
package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// Config is what `sdetcheck serve` passes to New.
type Config struct {
	// Data is where everything kept lives (the SQLite file).
	Data string
	// Work is the root of the uploaded dossiers' private directories;
	// default: a directory of the system's temporary directory named
	// after Data. Never under Data.
	Work   string
	Tokens *Tokens
	// Store, when nil, is the SQLite store under Data.
	Store Store
	// Workers audits run at once; Queue more may wait (429 past that).
	Workers, Queue int
	// MaxUpload bounds a request's body (the archive).
	MaxUpload int64
	// Limits bound what an archive unpacks to.
	Limits Limits
	// AuditTimeout bounds one audit.
	AuditTimeout time.Duration
	// Retention: results older than this are deleted (0: kept).
	Retention time.Duration
	// Rate and Burst: each token's request budget (requests per second,
	// and how many at once).
	Rate  float64
	Burst int
	// Log receives the JSON logs (never personal data nor tokens).
	Log *slog.Logger
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
	// hook, in tests, runs once a dossier is unpacked, before the engine.
	hook func(ctx context.Context)
	// AllowPrivateNetwork lets a spot check's URLs reach this machine or
	// a private network (a pre-production ENT); refused by default.
	AllowPrivateNetwork bool
	// GeoIP is the offline IP-to-country database (MMDB) an audit
	// locates the ENT's servers with (CONTRACT-007); "" leaves them
	// unlocated (not evaluated, outside the verdict).
	GeoIP string
	// LiveClient fetches a spot check's URLs (tests: a local TLS server's
	// client); nil is the engine's own client.
	LiveClient *http.Client
	// MinUploadRate (bytes per second) and UploadGrace: a request body
	// that arrives slower, once the grace period is over, is cut (408).
	MinUploadRate float64
	UploadGrace   time.Duration
	// PerToken bounds the audits one token has queued, running or being
	// uploaded (default: a quarter of Workers+Queue, at least 1).
	PerToken int
	// TrustProxy: the service is behind a reverse proxy on this machine;
	// a request from a loopback address is from the last address of its
	// X-Forwarded-For (throttling of failed authentications).
	TrustProxy bool
	// logTo, in tests, receives the logs (a *syncBuffer).
	logTo interface {
		Write([]byte) (int, error)
		String() string
	}
	// checkResponse, in tests, receives every API response that breaks
	// the contract (the responses are then validated before being sent).
	checkResponse func(error)
	// Watch is the watch of registered ENTs (watch.go).
	Watch WatchConfig
}

func (c *Config) defaults() {
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.Queue < 0 {
		c.Queue = 0
	}
	if c.MaxUpload <= 0 {
		c.MaxUpload = 64 << 20
	}
	if c.Limits == (Limits{}) {
		c.Limits = DefaultLimits
	}
	if c.AuditTimeout <= 0 {
		c.AuditTimeout = 5 * time.Minute
	}
	if c.Rate <= 0 {
		c.Rate = 20
	}
	if c.Burst <= 0 {
		c.Burst = 60
	}
	if c.PerToken <= 0 {
		c.PerToken = max(1, (c.Workers+c.Queue)/4)
	}
	if c.MinUploadRate <= 0 {
		c.MinUploadRate = 32 << 10
	}
	if c.UploadGrace <= 0 {
		c.UploadGrace = 10 * time.Second
	}
	if c.Log == nil {
		c.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Watch.defaults()
}

// Service is the running service: its store, worker pool and handlers.
type Service struct {
	cfg   Config
	store Store
	log   *slog.Logger

	// slots bound the audits queued or running (Workers+Queue); queue
	// carries their ids to the workers.
	slots chan struct{}
	queue chan string
	stop  chan struct{}
	// runCtx is cancelled when a shutdown's grace period ends: running
	// audits are then requeued.
	runCtx     context.Context
	cancelRuns context.CancelFunc
	wg         sync.WaitGroup
	draining   atomic.Bool
	stopOnce   sync.Once

	mu      sync.Mutex
	running map[string]context.CancelFunc

	adm      admission
	limiter  *limiter
	failures *limiter // failed authentications, by client address
	sessions *sessions
	doc      *openapi3.T
	// patterns are the ServeMux patterns of the contract's operations.
	patterns map[string]bool
	// mux routes the requests (routes): the methods a path allows are
	// read from it.
	mux     *http.ServeMux
	handler http.Handler
	// watch schedules the runs of the registered ENTs (nil when the
	// store cannot keep them).
	watch *watcher
}

// New opens the store, cleans what a crash left, requeues what a clean
// stop left queued and starts the workers.
func New(ctx context.Context, cfg Config) (*Service, error) {
	cfg.defaults()
	if cfg.Tokens == nil {
		return nil, errors.New("serve: no tokens")
	}
	if cfg.Data == "" {
		return nil, errors.New("serve: no data directory")
	}
	if err := privateDir(cfg.Data); err != nil {
		return nil, err
	}
	if cfg.Work == "" {
		abs, _ := filepath.Abs(cfg.Data)
		h := sha256.Sum256([]byte(abs))
		cfg.Work = filepath.Join(os.TempDir(), "sdetcheck-serve-"+hex.EncodeToString(h[:6]))
	}
	if within(cfg.Data, cfg.Work) {
		return nil, input.Problemf("--work %s is inside --data: uploaded dossiers must never be written under --data", "--work %s est dans --data : les dossiers déposés ne doivent jamais être écrits sous --data", cfg.Work)
	}
	if err := privateDir(cfg.Work); err != nil {
		return nil, err
	}
	st := cfg.Store
	if st == nil {
		var err error
		if st, err = NewSQLite(ctx, cfg.Data); err != nil {
			return nil, input.Wrap(err, "open store", "ouverture de la base impossible")
		}
	}
	s := &Service{
		cfg: cfg, store: st, log: cfg.Log,
		slots:    make(chan struct{}, cfg.Workers+cfg.Queue),
		queue:    make(chan string, cfg.Workers+cfg.Queue),
		stop:     make(chan struct{}),
		running:  map[string]context.CancelFunc{},
		adm:      admission{held: map[string]int{}, inflight: map[string]int{}, owners: map[string]string{}},
		limiter:  newLimiter(cfg.Rate, cfg.Burst, cfg.Now),
		failures: newLimiter(1/authFailEvery.Seconds(), authFailBurst, cfg.Now),
		sessions: newSessions(cfg.Now),
	}
	s.runCtx, s.cancelRuns = context.WithCancel(context.Background())
	if ws, ok := st.(WatchStore); ok {
		s.watch = newWatcher(s, ws)
	}
	var err error
	if s.handler, err = s.routes(); err != nil {
		st.Close()
		return nil, err
	}
	requeue, err := s.recover(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	for i := 0; i < cfg.Workers; i++ {
		s.wg.Add(1)
		go s.worker()
	}
	if len(requeue) > 0 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for _, a := range requeue {
				if !s.requeue(a.ID, a.Owner) {
					return
				}
			}
		}()
	}
	s.wg.Add(1)
	go s.janitor()
	if s.watch != nil {
		s.watch.start()
	}
	return s, nil
}

// privateDir makes dir if needed, readable by its owner only (0700): an
// existing directory open to others is tightened, or refused when it
// cannot be.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return input.Wrap(err, "create directory %s", "création du répertoire %s impossible", dir)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return input.Wrap(err, "read directory %s", "répertoire %s illisible", dir)
	}
	if !st.IsDir() {
		return input.Problemf("%s is not a directory", "%s n'est pas un répertoire", dir)
	}
	if m := st.Mode().Perm(); m&0o077 != 0 {
		if err := chmod(dir, m&0o700|0o700); err != nil {
			return input.Wrap(err, "%s is readable by other users (mode %04o) and cannot be restricted to its owner (0700): change its permissions or owner", "%s est lisible par d'autres utilisateurs (mode %04o) et ne peut pas être réservé à son propriétaire (0700) : changez ses droits ou son propriétaire", dir, m)
		}
	}
	return nil
}

// within says whether p is dir or inside it.
func within(dir, p string) bool {
	ad, err1 := filepath.Abs(dir)
	ap, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(ad, ap)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// Handler serves the API and the web page.
func (s *Service) Handler() http.Handler { return s.handler }

// Store is the service's store (tests).
func (s *Service) Store() Store { return s.store }

// WorkDir is the root of the uploaded dossiers' private directories.
func (s *Service) WorkDir() string { return s.cfg.Work }

func (s *Service) workDir(id string) string { return filepath.Join(s.cfg.Work, id) }

// removeWork deletes the private directory of the audit id.
func (s *Service) removeWork(id string) { os.RemoveAll(s.workDir(id)) }

const uploadName = "upload"

// crashMessage is the error of an audit cut by a crash.
const crashMessage = "Audit interrompu par un arrêt inattendu du service ; le dossier déposé a été supprimé : déposez-le à nouveau."

// recover makes the work root hold nothing but the uploads of queued
// audits: a running audit was cut by a crash (failed, its dossier
// deleted); a queued one whose upload is there is run again; every other
// entry is deleted. It returns the audits to requeue.
func (s *Service) recover(ctx context.Context) ([]Audit, error) {
	un, err := s.store.Unfinished(ctx)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	var requeue []Audit
	for _, a := range un {
		_, uerr := os.Stat(filepath.Join(s.workDir(a.ID), uploadName))
		switch {
		case a.Status == StatusQueued && uerr == nil:
			keep[a.ID] = true
			requeue = append(requeue, a)
		default:
			if err := s.store.Fail(ctx, a.ID, crashMessage); err != nil {
				return nil, err
			}
			s.log.Warn("audit interrupted by a crash", "audit", a.ID)
		}
	}
	ents, err := os.ReadDir(s.cfg.Work)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		p := filepath.Join(s.cfg.Work, e.Name())
		if !keep[e.Name()] {
			os.RemoveAll(p)
			continue
		}
		// a queued audit keeps its archive, never an unpacked dossier
		sub, _ := os.ReadDir(p)
		for _, x := range sub {
			if x.Name() != uploadName {
				os.RemoveAll(filepath.Join(p, x.Name()))
			}
		}
	}
	if len(requeue) > 0 {
		s.log.Info("requeued audits", "count", len(requeue))
	}
	return requeue, nil
}

// Drain stops taking audits: /healthz and deposits answer 503, the
// workers start no new audit (the queued ones wait for the next start);
// results are still read.
func (s *Service) Drain() {
	s.draining.Store(true)
	s.stopOnce.Do(func() { close(s.stop) })
}

// Idle waits until the running audits are over (true), or ctx ends.
func (s *Service) Idle(ctx context.Context) bool {
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// Shutdown stops taking audits, lets the running ones finish until ctx
// ends, then cancels them (they are queued again, with their archive, for
// the next start) and closes the store.
func (s *Service) Shutdown(ctx context.Context) error {
	s.Drain()
	if !s.Idle(ctx) {
		s.cancelRuns()
		s.wg.Wait()
	}
	s.cancelRuns()
	return s.store.Close()
}
