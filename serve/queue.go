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
	"time"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

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
