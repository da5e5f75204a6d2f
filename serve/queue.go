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
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

// Refusals of a new audit: errQueueFull and errTokenShare with 429,
// errDraining with 503.
var (
	errQueueFull  = errors.New("queue full")
	errTokenShare = errors.New("token's share of the queue taken")
	errDraining   = errors.New("shutting down")
)

// admission counts what each token holds: the slots of its audits queued
// or running (s.slots bounds them all: Workers+Queue) and its uploads
// being received (they hold no slot: a slot is taken once the upload has
// arrived). A token holds at most PerToken of them together; all tokens
// together receive at most Workers+Queue uploads at once.
type admission struct {
	mu       sync.Mutex
	held     map[string]int    // slots, by token name
	inflight map[string]int    // uploads being received, by token name
	uploads  int               // uploads being received, in all
	owners   map[string]string // queued or running audit → token name
}

// ticket is an upload admitted (counted while it is received): take
// turns it into a slot, cancel gives it back.
type ticket struct {
	s     *Service
	owner string
	once  sync.Once
}

// admitUpload counts an upload of owner about to be received, or says
// why it is refused before its body is read: a stopping service, the
// token's share taken, the queue full right now, too many uploads.
func (s *Service) admitUpload(owner string) (*ticket, error) {
	a := &s.adm
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case s.draining.Load():
		return nil, errDraining
	case a.held[owner]+a.inflight[owner] >= s.cfg.PerToken:
		return nil, errTokenShare
	case len(s.slots) == cap(s.slots), a.uploads >= cap(s.slots):
		return nil, errQueueFull
	}
	a.inflight[owner]++
	a.uploads++
	return &ticket{s: s, owner: owner}, nil
}

// end stops counting the upload (once).
func (t *ticket) end() (first bool) {
	t.once.Do(func() {
		a := &t.s.adm
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.inflight[t.owner]--; a.inflight[t.owner] <= 0 {
			delete(a.inflight, t.owner)
		}
		a.uploads--
		first = true
	})
	return first
}

// cancel gives the upload back (no-op once taken).
func (t *ticket) cancel() { t.end() }

// take turns the arrived upload into a slot of the queue, or says why
// not (the queue filled up, or the service stops, while it arrived).
func (t *ticket) take() error {
	if !t.end() {
		return errors.New("ticket used twice")
	}
	return t.s.takeSlot(t.owner, false)
}

// takeSlot takes a slot for an audit of owner (a spot check, checkShare;
// an upload was checked when admitted).
func (s *Service) takeSlot(owner string, checkShare bool) error {
	a := &s.adm
	a.mu.Lock()
	defer a.mu.Unlock()
	if s.draining.Load() {
		return errDraining
	}
	if checkShare && a.held[owner]+a.inflight[owner] >= s.cfg.PerToken {
		return errTokenShare
	}
	select {
	case s.slots <- struct{}{}:
	default:
		return errQueueFull
	}
	a.held[owner]++
	return nil
}

// giveSlot gives back a slot taken for owner whose audit was not queued.
func (s *Service) giveSlot(owner string) {
	a := &s.adm
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.held[owner]--; a.held[owner] <= 0 {
		delete(a.held, owner)
	}
	<-s.slots
}

// enqueue hands the audit id of owner (its slot taken) to the workers.
func (s *Service) enqueue(id, owner string) {
	s.adm.mu.Lock()
	s.adm.owners[id] = owner
	s.adm.mu.Unlock()
	s.queue <- id // never blocks: the slot is held
}

// finished gives back the slot of the audit id (done, failed, deleted or
// requeued by a shutdown).
func (s *Service) finished(id string) {
	s.adm.mu.Lock()
	owner := s.adm.owners[id]
	delete(s.adm.owners, id)
	s.adm.mu.Unlock()
	s.giveSlot(owner)
}

// requeue queues again an audit found queued at start, waiting for a slot
// (the audits a restart finds were accepted: no share is checked).
func (s *Service) requeue(id, owner string) bool {
	select {
	case s.slots <- struct{}{}:
	case <-s.stop:
		return false
	}
	s.adm.mu.Lock()
	s.adm.held[owner]++
	s.adm.mu.Unlock()
	s.enqueue(id, owner)
	return true
}

// refuseAdmission answers a refused audit in the API.
func (s *Service) refuseAdmission(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errDraining):
		w.Header().Set("Retry-After", "60")
		writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "Le service s'arrête : déposez le dossier de nouveau dans un instant.", "")
	case errors.Is(err, errTokenShare):
		tooMany(w, queueRetry, "Trop d'audits pour ce jeton", fmt.Sprintf("Ce jeton a déjà des audits en cours, en attente ou en dépôt (au plus %d par jeton) : déposez le suivant quand l'un d'eux est terminé.", s.cfg.PerToken))
	default:
		tooMany(w, queueRetry, "File d'attente pleine", "Trop d'audits sont en cours ou en attente : déposez le dossier de nouveau après le délai indiqué par Retry-After.")
	}
}

// upload is an archive received under the work root, not yet queued.
type upload struct {
	id, dir string
	sha256  string
	size    int64
	head    []byte
}

// remove deletes the upload (refused, or its audit not created).
func (u *upload) remove() { os.RemoveAll(u.dir) }

// receive writes r, an uploaded archive, to a new private directory of
// the work root, streaming: its SHA-256 and first bytes are kept, never
// its content.
func (s *Service) receive(r io.Reader) (*upload, error) {
	u := &upload{id: newID()}
	u.dir = s.workDir(u.id)
	if err := os.Mkdir(u.dir, 0o700); err != nil {
		return nil, &storageError{err}
	}
	f, err := os.OpenFile(filepath.Join(u.dir, uploadName), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		u.remove()
		return nil, &storageError{err}
	}
	h := sha256.New()
	var head bytes.Buffer
	u.size, err = io.Copy(io.MultiWriter(diskWriter{f}, h, &headWriter{b: &head, max: 4}), r)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = &storageError{cerr}
	}
	if err != nil {
		u.remove()
		return nil, err
	}
	u.sha256, u.head = hex.EncodeToString(h.Sum(nil)), head.Bytes()
	return u, nil
}

// storageError is the service failing to keep an upload on its disk
// (full, unwritable): the service's fault, never the request's.
type storageError struct{ err error }

func (e *storageError) Error() string { return "work directory: " + e.err.Error() }
func (e *storageError) Unwrap() error { return e.err }

// diskWriter tells the upload's write errors from its body's read errors.
type diskWriter struct{ w io.Writer }

func (d diskWriter) Write(p []byte) (int, error) {
	n, err := d.w.Write(p)
	if err != nil {
		err = &storageError{err}
	}
	return n, err
}

// isArchive says whether the upload starts as a .zip or a .tar.gz does.
func (u *upload) isArchive() bool { return u.size > 0 && archiveKind(u.head) != "" }

// submit queues the audit of p's upload u (its slot taken), or removes u
// and gives the slot back.
func (s *Service) submit(ctx context.Context, p Principal, u *upload) (Audit, error) {
	now := s.cfg.Now().UTC()
	a := Audit{ID: u.id, Owner: p.Name, Departement: p.Departement, Status: StatusQueued, Created: now, Updated: now, InputSHA256: u.sha256}
	if err := s.store.Create(ctx, a); err != nil {
		u.remove()
		s.giveSlot(p.Name)
		return Audit{}, err
	}
	s.enqueue(u.id, p.Name)
	s.log.Info("audit queued", "audit", u.id, "owner", p.Name, "bytes", u.size)
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
			s.finished(id)
			if s.watch != nil {
				wake(s.watch.kick) // a slot is free: the watch's runs waiting for one
			}
		}
	}
}

// run audits one queued dossier and removes its private directory, unless
// a shutdown cut it: it is then queued again with its archive.
func (s *Service) run(id string) {
	bg := context.Background()
	dir := s.workDir(id)
	a, err := s.store.Get(bg, id)
	if err != nil {
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
	// a run of the watch: the spot check's client, that keeps the IdP
	// metadata it reads; settled once stored
	var client *http.Client
	var meta *metaCapture
	if s.watch != nil {
		client, meta = s.watch.runClient(bg, id)
		defer func() { s.watch.settle(bg, id, meta) }()
	}
	res, reports, err := s.audit(ctx, dir, a.Created, client)
	cancel()
	s.mu.Lock()
	delete(s.running, id)
	s.mu.Unlock()
	switch {
	case err == nil:
		// the dossier is gone before the audit says done
		os.RemoveAll(dir)
		ent, coll := "", ""
		if res.Subject != nil {
			ent, coll = res.Subject.ENT, res.Subject.Collectivite
		}
		if ferr := s.store.Finish(bg, id, reports["json"], string(res.Verdict), ent, coll, reports); ferr != nil && !errors.Is(ferr, ErrNotFound) {
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
		msg := failMessage(err, filepath.Join(dir, "dossier"), a.Kind)
		switch {
		case !errors.Is(ctx.Err(), context.DeadlineExceeded):
		case a.Kind == KindSpotCheck:
			msg = fmt.Sprintf("Le contrôle a dépassé le temps admis (%s) : une adresse de l'ENT répond trop lentement.", s.cfg.AuditTimeout)
		default:
			msg = fmt.Sprintf("L'audit a dépassé le temps admis (%s) : dossier trop volumineux ou pièce qui ne répond pas.", s.cfg.AuditTimeout)
		}
		if ferr := s.store.Fail(bg, id, msg); ferr != nil && !errors.Is(ferr, ErrNotFound) {
			s.log.Error("store failure", "audit", id, "err", ferr.Error())
		}
		// the message may name the dossier's files: not logged
		s.log.Info("audit failed", "audit", id, "ms", time.Since(start).Milliseconds())
	}
}

// failMessage is err in French, the private directory's path removed; a
// spot check (kind) speaks of no dossier.
func failMessage(err error, root, kind string) string {
	msg := input.French(err)
	msg = strings.ReplaceAll(msg, root+string(filepath.Separator), "")
	msg = strings.ReplaceAll(msg, root, "dossier")
	if kind == KindSpotCheck {
		return "Contrôle impossible : " + msg
	}
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
// audit DOSSIER` does, then renders the reports, dated the day the audit
// was created (in France; the web page's synthèse says the same). A spot
// check reads its addresses with client (nil: LiveClient).
func (s *Service) audit(ctx context.Context, dir string, created time.Time, client *http.Client) (*result.Result, map[string][]byte, error) {
	dst := filepath.Join(dir, "dossier")
	if err := os.Mkdir(dst, 0o700); err != nil {
		return nil, nil, err
	}
	cfg := audit.Config{Now: s.cfg.Now(), Client: noNetwork}
	cfg.Opts.GeoIP = s.cfg.GeoIP
	root, live, err := liveDossier(filepath.Join(dir, uploadName), dst)
	switch {
	case err != nil:
		return nil, nil, err
	case live:
		// a spot check: its pieces are the URLs it names, fetched with the
		// CLI's guards (https only, no private network unless allowed)
		cfg.Client = s.cfg.LiveClient
		if client != nil {
			cfg.Client = client
		}
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
	res, err := audit.Audit(ctx, root, cfg)
	if err != nil {
		return nil, nil, err
	}
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	ro := reportOptions(created)
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

// reportOptions are the options the reports of an audit created at
// created are rendered with: its date is the day it was deposited, in
// France. The web page's synthèse uses the same.
func reportOptions(created time.Time) report.Options {
	y, m, d := created.In(paris).Date()
	return report.Options{Lang: "fr", Date: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
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
	if s.watch != nil {
		// the watch's runs went with their audits; its resolved alerts
		// go after the same period
		if n, err := s.watch.st.ExpireAlerts(ctx, s.cfg.Now().Add(-s.cfg.Retention)); err != nil {
			s.log.Error("expire alerts", "err", err.Error())
		} else if n > 0 {
			s.log.Info("alerts expired", "count", n)
		}
	}
}
