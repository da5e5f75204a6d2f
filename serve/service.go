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
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
	"github.com/getkin/kin-openapi/routers"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
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
	// LiveClient fetches a spot check's URLs (tests: a local TLS server's
	// client); nil is the engine's own client.
	LiveClient *http.Client
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
	if c.Log == nil {
		c.Log = slog.New(slog.NewJSONHandler(io.Discard, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
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

	limiter  *limiter
	sessions *sessions
	doc      *openapi3.T
	router   routers.Router
	handler  http.Handler
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
	if err := os.MkdirAll(cfg.Data, 0o700); err != nil {
		return nil, input.Wrap(err, "create data directory %s", "création du répertoire de données %s impossible", cfg.Data)
	}
	if cfg.Work == "" {
		abs, _ := filepath.Abs(cfg.Data)
		h := sha256.Sum256([]byte(abs))
		cfg.Work = filepath.Join(os.TempDir(), "sdetcheck-serve-"+hex.EncodeToString(h[:6]))
	}
	if within(cfg.Data, cfg.Work) {
		return nil, input.Problemf("--work %s is inside --data: uploaded dossiers must never be written under --data", "--work %s est dans --data : les dossiers déposés ne doivent jamais être écrits sous --data", cfg.Work)
	}
	if err := os.MkdirAll(cfg.Work, 0o700); err != nil {
		return nil, input.Wrap(err, "create work directory %s", "création du répertoire de travail %s impossible", cfg.Work)
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
		limiter:  newLimiter(cfg.Rate, cfg.Burst, cfg.Now),
		sessions: newSessions(cfg.Now),
	}
	s.runCtx, s.cancelRuns = context.WithCancel(context.Background())
	if err := s.loadContract(); err != nil {
		st.Close()
		return nil, err
	}
	requeue, err := s.recover(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	s.handler = s.routes()
	for i := 0; i < cfg.Workers; i++ {
		s.wg.Add(1)
		go s.worker()
	}
	if len(requeue) > 0 {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for _, id := range requeue {
				select {
				case s.slots <- struct{}{}:
					s.queue <- id
				case <-s.stop:
					return
				}
			}
		}()
	}
	s.wg.Add(1)
	go s.janitor()
	return s, nil
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

const uploadName = "upload"

// recover makes the work root hold nothing but the uploads of queued
// audits: a running audit was cut by a crash (failed, its dossier
// deleted); a queued one whose upload is there is run again; every other
// entry is deleted. It returns the audits to requeue.
func (s *Service) recover(ctx context.Context) ([]string, error) {
	un, err := s.store.Unfinished(ctx)
	if err != nil {
		return nil, err
	}
	keep := map[string]bool{}
	var requeue []string
	for _, a := range un {
		_, uerr := os.Stat(filepath.Join(s.workDir(a.ID), uploadName))
		switch {
		case a.Status == StatusQueued && uerr == nil:
			keep[a.ID] = true
			requeue = append(requeue, a.ID)
		default:
			msg := "Audit interrompu par un arrêt inattendu du service ; le dossier déposé a été supprimé : déposez-le à nouveau."
			if err := s.store.Fail(ctx, a.ID, msg); err != nil {
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

// errQueueFull is refused with 429.
var errQueueFull = errors.New("queue full")

// errDraining is refused with 503.
var errDraining = errors.New("shutting down")

// reserve takes a slot for a new audit, or says why not.
func (s *Service) reserve() error {
	if s.draining.Load() {
		return errDraining
	}
	select {
	case s.slots <- struct{}{}:
		return nil
	default:
		return errQueueFull
	}
}

func (s *Service) release() { <-s.slots }

// submit stores the archive of p's dossier read from r (the slot
// reserved) and queues its audit.
func (s *Service) submit(ctx context.Context, p Principal, r io.Reader) (Audit, error) {
	id := newID()
	dir := s.workDir(id)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return Audit{}, err
	}
	fail := func(err error) (Audit, error) {
		os.RemoveAll(dir)
		return Audit{}, err
	}
	f, err := os.OpenFile(filepath.Join(dir, uploadName), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fail(err)
	}
	h := sha256.New()
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(f, h, &headWriter{b: &head, max: 4}), r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(err)
	}
	if n == 0 || archiveKind(head.Bytes()) == "" {
		return fail(errNotArchive)
	}
	now := s.cfg.Now().UTC()
	a := Audit{ID: id, Owner: p.Name, Departement: p.Departement, Status: StatusQueued, Created: now, Updated: now, InputSHA256: hex.EncodeToString(h.Sum(nil))}
	if err := s.store.Create(ctx, a); err != nil {
		return fail(err)
	}
	s.queue <- id // never blocks: the slot is held
	s.log.Info("audit queued", "audit", id, "owner", p.Name, "bytes", n)
	return a, nil
}

type headWriter struct {
	b   *bytes.Buffer
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if k := w.max - w.b.Len(); k > 0 {
		if k > len(p) {
			k = len(p)
		}
		w.b.Write(p[:k])
	}
	return len(p), nil
}

func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b[:])
}

func (s *Service) worker() {
	defer s.wg.Done()
	for {
		// stop first: a stopping service starts no new audit
		select {
		case <-s.stop:
			return
		default:
		}
		select {
		case <-s.stop:
			return
		case id := <-s.queue:
			s.run(id)
			s.release()
		}
	}
}

// run audits one queued dossier and removes its private directory, unless
// a shutdown cut it: it is then queued again with its archive.
func (s *Service) run(id string) {
	bg := context.Background()
	dir := s.workDir(id)
	if _, err := s.store.Get(bg, id); err != nil {
		os.RemoveAll(dir) // deleted while queued
		return
	}
	if err := s.store.SetStatus(bg, id, StatusRunning); err != nil {
		os.RemoveAll(dir)
		return
	}
	ctx, cancel := context.WithTimeout(s.runCtx, s.cfg.AuditTimeout)
	s.mu.Lock()
	s.running[id] = cancel
	s.mu.Unlock()
	start := time.Now()
	res, reports, err := s.audit(ctx, dir)
	cancel()
	s.mu.Lock()
	delete(s.running, id)
	s.mu.Unlock()
	switch {
	case err == nil:
		// the dossier is gone before the audit says done
		os.RemoveAll(dir)
		ent := ""
		if res.Subject != nil {
			ent = res.Subject.ENT
		}
		if ferr := s.store.Finish(bg, id, reports["json"], string(res.Verdict), ent, reports); ferr != nil && !errors.Is(ferr, ErrNotFound) {
			s.log.Error("store result", "audit", id, "err", ferr.Error())
		}
		s.log.Info("audit done", "audit", id, "verdict", string(res.Verdict), "ms", time.Since(start).Milliseconds())
	case s.runCtx.Err() != nil:
		// shutdown past its grace period: keep the archive, drop the
		// unpacked dossier, run it again at the next start
		os.RemoveAll(filepath.Join(dir, "dossier"))
		s.store.SetStatus(bg, id, StatusQueued)
		s.log.Info("audit requeued by shutdown", "audit", id)
	default:
		os.RemoveAll(dir)
		msg := failMessage(err, filepath.Join(dir, "dossier"))
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			msg = fmt.Sprintf("L'audit a dépassé le temps admis (%s) : dossier trop volumineux ou pièce qui ne répond pas.", s.cfg.AuditTimeout)
		}
		if ferr := s.store.Fail(bg, id, msg); ferr != nil && !errors.Is(ferr, ErrNotFound) {
			s.log.Error("store failure", "audit", id, "err", ferr.Error())
		}
		// the message may name the dossier's files: not logged
		s.log.Info("audit failed", "audit", id, "ms", time.Since(start).Milliseconds())
	}
}

// failMessage is err in French, the private directory's path removed.
func failMessage(err error, root string) string {
	msg := input.French(err)
	msg = strings.ReplaceAll(msg, root+string(filepath.Separator), "")
	msg = strings.ReplaceAll(msg, root, "dossier")
	return "Dossier refusé : " + msg
}

// noNetwork refuses every request: an uploaded dossier's ent.yaml may name
// https URLs, which the service must not fetch on a stranger's behalf
// (requests to the académie's internal network).
var noNetwork = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
	return nil, input.Problemf("the service does not fetch URLs named by an uploaded dossier: put the piece in the archive", "le service ne télécharge pas les adresses nommées par un dossier déposé : mettez la pièce dans l'archive")
})}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// reportFormats are the reports kept for each audit.
var reportFormats = []string{"json", "html", "pdf", "sarif"}

// audit unpacks dir's archive and runs the engine on it, as `sdetcheck
// audit DOSSIER` does, then renders the reports.
func (s *Service) audit(ctx context.Context, dir string) (*result.Result, map[string][]byte, error) {
	dst := filepath.Join(dir, "dossier")
	if err := os.Mkdir(dst, 0o700); err != nil {
		return nil, nil, err
	}
	cfg := audit.Config{Now: s.cfg.Now(), Client: noNetwork}
	root, live, err := liveDossier(filepath.Join(dir, uploadName), dst)
	switch {
	case err != nil:
		return nil, nil, err
	case live:
		// a spot check: its pieces are the URLs it names, fetched with the
		// CLI's guards (https only, no private network unless allowed)
		cfg.Client = s.cfg.LiveClient
		cfg.Opts.AllowPrivateNetwork = s.cfg.AllowPrivateNetwork
	default:
		if root, err = Unpack(filepath.Join(dir, uploadName), dst, s.cfg.Limits); err != nil {
			return nil, nil, err
		}
	}
	if s.cfg.hook != nil {
		s.cfg.hook(ctx)
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
	}
	now := cfg.Now
	res, err := audit.Audit(ctx, root, cfg)
	if err != nil {
		return nil, nil, err
	}
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	y, m, d := now.UTC().Date()
	ro := report.Options{Lang: "fr", Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	out := map[string][]byte{}
	for _, f := range reportFormats {
		w, err := report.New(f)
		if err != nil {
			return nil, nil, err
		}
		var b bytes.Buffer
		if err := w.Write(&b, res, ro); err != nil {
			return nil, nil, fmt.Errorf("%w: render %s: %v", audit.ErrInternal, f, err)
		}
		out[f] = b.Bytes()
	}
	if !json.Valid(out["json"]) {
		return nil, nil, fmt.Errorf("%w: result JSON invalid", audit.ErrInternal)
	}
	return res, out, nil
}

// cancelRun stops a running audit (its owner deleted it).
func (s *Service) cancelRun(id string) {
	s.mu.Lock()
	if c := s.running[id]; c != nil {
		c()
	}
	s.mu.Unlock()
}

// janitor deletes expired results every hour.
func (s *Service) janitor() {
	defer s.wg.Done()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		s.Expire(context.Background())
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
	}
}

// Expire deletes the results past the retention period.
func (s *Service) Expire(ctx context.Context) {
	if s.cfg.Retention <= 0 {
		return
	}
	ids, err := s.store.Expire(ctx, s.cfg.Now().Add(-s.cfg.Retention))
	if err != nil {
		s.log.Error("expire", "err", err.Error())
		return
	}
	if len(ids) > 0 {
		s.log.Info("results expired", "count", len(ids))
	}
}

// Shutdown stops taking audits, lets the running ones finish until ctx
// ends, then cancels them (they are queued again, with their archive, for
// the next start) and closes the store.
func (s *Service) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	s.stopOnce.Do(func() { close(s.stop) })
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.cancelRuns()
		<-done
	}
	s.cancelRuns()
	return s.store.Close()
}
