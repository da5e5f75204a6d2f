// Package loadtest measures `sdetcheck serve` under load, on this machine
// only: N collectivités (one token each) deposit sample dossiers at once
// and poll their results, spot checks read a local test site, for a given
// duration, with a restart of the service in the middle. It reports the
// throughput (audits per minute), the latency of the status and report
// routes while audits run, the server's peak memory, and that nothing
// was lost: every accepted audit ends done, or failed with a reason.
//
// It talks to the service over HTTP only (the API of openapi.json), and
// only to loopback addresses: Run refuses any other.
package loadtest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Server is the service under load.
type Server interface {
	// URL is its base address (loopback only).
	URL() string
	// Restart stops it as SIGTERM does and starts it again on the same
	// data (clients meanwhile meet refused connections and retry).
	Restart(ctx context.Context) error
	// RSS is its resident memory now, in bytes (0 if unknown).
	RSS() int64
}

// Options of a run.
type Options struct {
	Server Server
	// Tokens: one per collectivité, each a client depositing in turn;
	// Admin: a token that sees every audit (the final count).
	Tokens []string
	Admin  string
	// Dossiers: name → archive (.tar.gz), deposited in turn.
	Dossiers map[string][]byte
	// Site: base URL of a local test site serving the sample dossier's
	// pages (fixtures/dossiers/conforme); SpotEvery: one spot check of it
	// every SpotEvery deposits of a client (0: none).
	Site      string
	SpotEvery int
	// Duration: how long clients deposit; RestartAt: when the service
	// restarts (0: never); Poll: how often a client reads its audit's
	// status; Settle: how long accepted audits are waited for once
	// Duration is over.
	Duration, RestartAt, Poll, Settle time.Duration
	// Client: the HTTP client (nil: a plain one).
	Client *http.Client
	// Progress, if set, receives a line now and then.
	Progress io.Writer
}

// Latency is a route's latency distribution.
type Latency struct {
	N             int
	P50, P95, P99 time.Duration
}

// Report is what a run measured.
type Report struct {
	Clients        int            `json:"clients"`
	Duration       time.Duration  `json:"duration_ns"`
	Restarted      bool           `json:"restarted"`
	Deposits       int            `json:"deposits"`
	SpotChecks     int            `json:"spot_checks"`
	Accepted       int            `json:"accepted"`
	Done           int            `json:"done"`
	Failed         int            `json:"failed"`
	EndedInRun     int            `json:"ended_during_run"`
	PerMinute      float64        `json:"audits_per_minute"`
	Refused429     int            `json:"refused_429"`
	Refused503     int            `json:"refused_503"`
	Retries        int            `json:"retries"`
	Status         Latency        `json:"status_latency"`
	Reports        Latency        `json:"report_latency"`
	PeakRSS        int64          `json:"peak_rss_bytes"`
	Lost           []string       `json:"lost"`
	FailedNoReason []string       `json:"failed_without_reason"`
	Reasons        map[string]int `json:"failure_reasons"`
}

// OK says whether nothing was lost.
func (r *Report) OK() bool {
	return r.Accepted > 0 && len(r.Lost) == 0 && len(r.FailedNoReason) == 0
}

// String is the report in French, as scripts/loadtest prints it.
func (r *Report) String() string {
	var b strings.Builder
	mib := func(n int64) string { return fmt.Sprintf("%.0f Mio", float64(n)/(1<<20)) }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(&b, "collectivités (jetons)        %d\n", r.Clients)
	fmt.Fprintf(&b, "durée des dépôts              %s (redémarrage au milieu : %v)\n", r.Duration.Round(time.Second), oui(r.Restarted))
	fmt.Fprintf(&b, "dépôts / contrôles ponctuels  %d / %d (acceptés : %d ; refusés 429 : %d, 503 : %d ; reprises après coupure : %d)\n", r.Deposits, r.SpotChecks, r.Accepted, r.Refused429, r.Refused503, r.Retries)
	fmt.Fprintf(&b, "audits terminés               %d (done %d, failed %d) ; pendant les dépôts : %d, soit %.1f audits/min\n", r.Done+r.Failed, r.Done, r.Failed, r.EndedInRun, r.PerMinute)
	fmt.Fprintf(&b, "GET /api/v1/audits/{id}       p50 %s  p95 %s  p99 %s  (%d requêtes)\n", ms(r.Status.P50), ms(r.Status.P95), ms(r.Status.P99), r.Status.N)
	fmt.Fprintf(&b, "GET …/report.json, .pdf       p50 %s  p95 %s  p99 %s  (%d requêtes)\n", ms(r.Reports.P50), ms(r.Reports.P95), ms(r.Reports.P99), r.Reports.N)
	fmt.Fprintf(&b, "mémoire résidente maximale    %s (processus du service)\n", mib(r.PeakRSS))
	reasons := make([]string, 0, len(r.Reasons))
	for k, v := range r.Reasons {
		reasons = append(reasons, fmt.Sprintf("%d × %s", v, k))
	}
	sort.Strings(reasons)
	if len(reasons) > 0 {
		fmt.Fprintf(&b, "raisons des échecs            %s\n", strings.Join(reasons, " ; "))
	}
	if r.OK() {
		fmt.Fprintf(&b, "perdus                        aucun : chaque audit accepté est done, ou failed avec sa raison\n")
	} else {
		fmt.Fprintf(&b, "PERDUS                        %d sans fin %v ; %d failed sans raison %v\n", len(r.Lost), r.Lost, len(r.FailedNoReason), r.FailedNoReason)
	}
	return b.String()
}

func oui(v bool) string {
	if v {
		return "oui"
	}
	return "non"
}

// Loopback says whether rawURL's host is a loopback address (or
// localhost).
func Loopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// NewTokens makes n collectivité tokens and an administrator's, and the
// tokens.yaml that lists them (by SHA-256).
func NewTokens(n int) (yaml string, tokens []string, admin string) {
	tok := func() string {
		var b [32]byte
		rand.Read(b[:])
		return base64.RawURLEncoding.EncodeToString(b[:])
	}
	sum := func(t string) string { h := sha256.Sum256([]byte(t)); return hex.EncodeToString(h[:]) }
	var b strings.Builder
	b.WriteString("tokens:\n")
	for i := 0; i < n; i++ {
		t := tok()
		tokens = append(tokens, t)
		fmt.Fprintf(&b, "  - {name: collectivite-%03d, role: collectivite, departement: \"86\", token_sha256: %s}\n", i+1, sum(t))
	}
	admin = tok()
	fmt.Fprintf(&b, "  - {name: charge-de-mesure, role: admin, token_sha256: %s}\n", sum(admin))
	return b.String(), tokens, admin
}

// PackDossiers packs every directory of root that holds an ent.yaml
// (fixtures/dossiers) as a .tar.gz.
func PackDossiers(root string) (map[string][]byte, error) {
	ents, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, e := range ents {
		dir := filepath.Join(root, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "ent.yaml")); !e.IsDir() || err != nil {
			continue
		}
		var b bytes.Buffer
		gz := gzip.NewWriter(&b)
		tw := tar.NewWriter(gz)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == dir {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			name := e.Name() + "/" + filepath.ToSlash(rel)
			if d.IsDir() {
				return tw.WriteHeader(&tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755})
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))}); err != nil {
				return err
			}
			_, err = tw.Write(data)
			return err
		})
		if err != nil {
			return nil, err
		}
		tw.Close()
		gz.Close()
		out[e.Name()] = b.Bytes()
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no dossier (a directory with ent.yaml)", root)
	}
	return out, nil
}

// run is one run's shared state.
type run struct {
	o     Options
	c     *http.Client
	start time.Time
	end   time.Time // deposits stop

	mu       sync.Mutex
	rep      Report
	accepted map[string]bool
	ended    map[string]time.Time
	status   []time.Duration
	reports  []time.Duration
	peak     int64
}

// Run loads the service as o says and reports what it measured; an
// error is a run that could not be made (a non-loopback address, a
// service that does not answer), not a loss: see Report.OK.
func Run(ctx context.Context, o Options) (*Report, error) {
	if !Loopback(o.Server.URL()) || (o.Site != "" && !Loopback(o.Site)) {
		return nil, errors.New("loadtest: only loopback addresses (127.0.0.0/8, ::1, localhost) are loaded")
	}
	if len(o.Tokens) == 0 || len(o.Dossiers) == 0 || o.Duration <= 0 {
		return nil, errors.New("loadtest: tokens, dossiers and a duration are needed")
	}
	if o.Poll <= 0 {
		o.Poll = 500 * time.Millisecond
	}
	if o.Settle <= 0 {
		o.Settle = 5 * time.Minute
	}
	r := &run{o: o, c: o.Client, accepted: map[string]bool{}, ended: map[string]time.Time{}}
	if r.c == nil {
		r.c = &http.Client{Timeout: 2 * time.Minute}
	}
	r.rep.Clients, r.rep.Duration, r.rep.Reasons = len(o.Tokens), o.Duration, map[string]int{}
	r.start = time.Now()
	r.end = r.start.Add(o.Duration)
	stopRSS := r.sampleRSS()
	var restartErr error
	var wg sync.WaitGroup
	if o.RestartAt > 0 && o.RestartAt < o.Duration {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(o.RestartAt):
			case <-ctx.Done():
				return
			}
			r.progress("redémarrage du service")
			restartErr = o.Server.Restart(ctx)
			r.mu.Lock()
			r.rep.Restarted = restartErr == nil
			r.mu.Unlock()
			r.progress("service redémarré")
		}()
	}
	names := make([]string, 0, len(o.Dossiers))
	for n := range o.Dossiers {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, tok := range o.Tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.client(ctx, i, tok, names)
		}()
	}
	wg.Wait()
	stopRSS()
	if restartErr != nil {
		return nil, fmt.Errorf("loadtest: restart: %w", restartErr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.final(ctx)
	return r.report(), nil
}

func (r *run) progress(format string, args ...any) {
	if r.o.Progress != nil {
		fmt.Fprintf(r.o.Progress, "[%5.1fs] %s\n", time.Since(r.start).Seconds(), fmt.Sprintf(format, args...))
	}
}

// sampleRSS records the server's resident memory every 100 ms.
func (r *run) sampleRSS() (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if v := r.o.Server.RSS(); v > 0 {
				r.mu.Lock()
				r.peak = max(r.peak, v)
				r.mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// client is one collectivité: it deposits a dossier (or, every
// SpotEvery, a spot check), polls it until it ends, reads its reports,
// and again, until the run's end; then it waits for its last audit.
func (r *run) client(ctx context.Context, i int, tok string, names []string) {
	for k := i; time.Now().Before(r.end) && ctx.Err() == nil; k++ {
		spot := r.o.Site != "" && r.o.SpotEvery > 0 && k%r.o.SpotEvery == r.o.SpotEvery-1
		id, ok := r.deposit(ctx, tok, names[k%len(names)], spot)
		if !ok {
			continue
		}
		r.follow(ctx, tok, id, r.end.Add(r.o.Settle))
	}
}

// do sends a request, retrying while the service is away (restart).
func (r *run) do(ctx context.Context, deadline time.Time, mk func() (*http.Request, error)) (*http.Response, []byte, time.Duration, error) {
	for {
		req, err := mk()
		if err != nil {
			return nil, nil, 0, err
		}
		req = req.WithContext(ctx)
		t0 := time.Now()
		resp, err := r.c.Do(req)
		if err == nil {
			b, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil {
				return resp, b, time.Since(t0), nil
			}
			err = rerr
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return nil, nil, 0, err
		}
		r.mu.Lock()
		r.rep.Retries++
		r.mu.Unlock()
		time.Sleep(200 * time.Millisecond)
	}
}

func (r *run) deposit(ctx context.Context, tok, name string, spot bool) (string, bool) {
	var body []byte
	var ctype string
	if spot {
		body, _ = json.Marshal(map[string]string{
			"ent": "ENT de mesure", "collectivite": "Collectivité de mesure", "degree": "2D",
			"home_page": r.o.Site + "/pages/accueil.html", "login_page": r.o.Site + "/pages/connexion.html",
			"notice": r.o.Site + "/pages/mentions-information.html", "notice_reference": r.o.Site + "/dsden/mentions-validees.html",
			"saml_metadata": r.o.Site + "/saml/idp-metadata.xml",
		})
		ctype = "application/json"
	} else {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("dossier", name+".tar.gz")
		fw.Write(r.o.Dossiers[name])
		mw.Close()
		body, ctype = b.Bytes(), mw.FormDataContentType()
	}
	path := "/api/v1/audits"
	if spot {
		path = "/api/v1/spotchecks"
	}
	resp, b, _, err := r.do(ctx, r.end, func() (*http.Request, error) {
		req, err := http.NewRequest("POST", r.o.Server.URL()+path, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", ctype)
		}
		return req, err
	})
	if err != nil {
		return "", false
	}
	r.mu.Lock()
	if spot {
		r.rep.SpotChecks++
	} else {
		r.rep.Deposits++
	}
	r.mu.Unlock()
	switch resp.StatusCode {
	case http.StatusAccepted:
		var acc struct{ ID string }
		json.Unmarshal(b, &acc)
		r.mu.Lock()
		r.rep.Accepted++
		r.accepted[acc.ID] = true
		r.mu.Unlock()
		return acc.ID, acc.ID != ""
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		r.mu.Lock()
		if resp.StatusCode == http.StatusTooManyRequests {
			r.rep.Refused429++
		} else {
			r.rep.Refused503++
		}
		r.mu.Unlock()
		wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		// a collectivité waits as told, at most a few seconds here
		time.Sleep(min(time.Duration(max(wait, 1))*time.Second, 3*time.Second, time.Until(r.end)+time.Millisecond))
	default:
		r.progress("dépôt refusé : %d %s", resp.StatusCode, firstLine(b))
		time.Sleep(time.Second)
	}
	return "", false
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// follow polls the audit id until it ends (latency of the status route
// kept while the run goes on), then reads its JSON and PDF reports.
func (r *run) follow(ctx context.Context, tok, id string, deadline time.Time) {
	get := func(path string) (*http.Response, []byte, time.Duration, error) {
		return r.do(ctx, deadline, func() (*http.Request, error) {
			req, err := http.NewRequest("GET", r.o.Server.URL()+path, nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			return req, err
		})
	}
	for time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(r.o.Poll)
		resp, b, d, err := get("/api/v1/audits/" + id)
		if err != nil {
			return
		}
		if resp.StatusCode != http.StatusOK {
			continue // 429 (rate), or gone: the final count says
		}
		r.mu.Lock()
		if time.Now().Before(r.end) {
			r.status = append(r.status, d)
		}
		r.mu.Unlock()
		var a struct{ Status string }
		json.Unmarshal(b, &a)
		if a.Status != "done" && a.Status != "failed" {
			continue
		}
		r.mu.Lock()
		if _, seen := r.ended[id]; !seen {
			r.ended[id] = time.Now()
		}
		r.mu.Unlock()
		if a.Status == "done" {
			for _, f := range []string{"json", "pdf"} {
				if resp, _, d, err := get("/api/v1/audits/" + id + "/report." + f); err == nil && resp.StatusCode == http.StatusOK {
					r.mu.Lock()
					if time.Now().Before(r.end) {
						r.reports = append(r.reports, d)
					}
					r.mu.Unlock()
				}
			}
		}
		return
	}
}

// final reads every accepted audit once more: done, or failed with a
// reason, else lost; and lists every audit the service has (admin
// token) to find one left unfinished.
func (r *run) final(ctx context.Context) {
	deadline := time.Now().Add(r.o.Settle)
	ids := make([]string, 0, len(r.accepted))
	for id := range r.accepted {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	tok := r.o.Admin
	for _, id := range ids {
		for {
			resp, b, _, err := r.do(ctx, deadline, func() (*http.Request, error) {
				req, err := http.NewRequest("GET", r.o.Server.URL()+"/api/v1/audits/"+id, nil)
				if err == nil {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				return req, err
			})
			var a struct{ Status, Error string }
			if err == nil && resp.StatusCode == http.StatusOK {
				json.Unmarshal(b, &a)
			}
			switch {
			case a.Status == "done":
				r.rep.Done++
			case a.Status == "failed" && a.Error != "":
				r.rep.Failed++
				reason, _, _ := strings.Cut(a.Error, " :")
				if len(reason) > 60 {
					reason = reason[:60] + "…"
				}
				r.rep.Reasons[reason]++
			case a.Status == "failed":
				r.rep.FailedNoReason = append(r.rep.FailedNoReason, id)
			case (a.Status == "queued" || a.Status == "running" || (err == nil && resp.StatusCode == http.StatusTooManyRequests)) && time.Now().Before(deadline):
				time.Sleep(r.o.Poll)
				continue
			default:
				r.rep.Lost = append(r.rep.Lost, id)
			}
			if _, ok := r.ended[id]; !ok && (a.Status == "done" || a.Status == "failed") {
				r.ended[id] = time.Now()
			}
			break
		}
	}
	// an audit the service accepted whose answer a restart cut (the
	// client deposited again) must end too
	for {
		resp, b, _, err := r.do(ctx, deadline, func() (*http.Request, error) {
			req, err := http.NewRequest("GET", r.o.Server.URL()+"/api/v1/audits", nil)
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			return req, err
		})
		var l struct{ Audits []struct{ ID, Status string } }
		if err == nil && resp.StatusCode == http.StatusOK {
			json.Unmarshal(b, &l)
		}
		var open []string
		for _, a := range l.Audits {
			if a.Status != "done" && a.Status != "failed" {
				open = append(open, a.ID)
			}
		}
		if (err == nil && resp.StatusCode == http.StatusOK && len(open) == 0) || time.Now().After(deadline) {
			for _, id := range open {
				if !r.accepted[id] {
					r.rep.Lost = append(r.rep.Lost, id)
				}
			}
			return
		}
		time.Sleep(r.o.Poll)
	}
}

func (r *run) report() *Report {
	rep := r.rep
	rep.PeakRSS = r.peak
	for _, t := range r.ended {
		if t.Before(r.end) {
			rep.EndedInRun++
		}
	}
	rep.PerMinute = float64(rep.EndedInRun) / r.o.Duration.Minutes()
	rep.Status, rep.Reports = latency(r.status), latency(r.reports)
	return &rep
}

func latency(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	return Latency{N: len(ds), P50: at(0.50), P95: at(0.95), P99: at(0.99)}
}

// ProcRSS is the resident memory of process pid (VmRSS), in bytes; 0 if
// unknown.
func ProcRSS(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
