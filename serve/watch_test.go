package serve

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/report"
)

// testClock is the service's clock in the watch's tests: real time from
// base, moved forward by Advance (a day passes without sleeping).
type testClock struct {
	mu    sync.Mutex
	base  time.Time
	start time.Time
	off   time.Duration
}

func newTestClock(base time.Time) *testClock {
	return &testClock{base: base, start: time.Now()}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start) + c.off)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// fixedClock is a clock that stands still until Add, safe for the
// service's goroutines (the watch reads the clock at every tick).
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// watchEpoch is the tests' date: the sample dossier's certificate and
// validUntil are far from it.
var watchEpoch = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

// testENT is a live ENT on loopback over TLS: the sample dossier's pages,
// notice and metadata, whose login page and metadata a test changes, and
// that can stop answering (503).
type testENT struct {
	srv   *httptest.Server
	mu    sync.Mutex
	login []byte
	meta  []byte
	// statement, when set, is served as the accessibility statement
	statement []byte
	down      bool
}

func newTestENT(t *testing.T) *testENT {
	t.Helper()
	e := &testENT{}
	login, err := os.ReadFile(conforme + "/pages/connexion.html")
	if err != nil {
		t.Fatal(err)
	}
	e.login = login
	fs := http.FileServer(http.Dir(conforme))
	e.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		down, login, meta, statement := e.down, e.login, e.meta, e.statement
		e.mu.Unlock()
		secureHeaders(w.Header())
		switch {
		case down:
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		case r.URL.Path == "/pages/connexion.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(login)
		case r.URL.Path == "/pages/accessibilite.html" && statement != nil:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(statement)
		case r.URL.Path == "/saml/idp-metadata.xml" && meta != nil:
			w.Header().Set("Content-Type", "application/samlmetadata+xml")
			w.Write(meta)
		default:
			fs.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// set changes the ENT.
func (e *testENT) set(f func(e *testENT)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f(e)
}

// noticeLink is the login footer's link to the notice (removed by a
// theme update in the tests) and tracker a script a test adds.
const (
	noticeLink = `<li><a href="mentions-information.html">Mentions d'information (données personnelles)</a></li>`
	tracker    = `<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST12345"></script>`
)

// degrade removes the notice link from the login page's footer and adds
// a tracker.
func (e *testENT) degrade(t *testing.T) {
	t.Helper()
	e.set(func(e *testENT) {
		s := string(e.login)
		if !strings.Contains(s, noticeLink) || !strings.Contains(s, "</head>") {
			t.Fatal("the sample login page changed: update the test")
		}
		s = strings.Replace(s, noticeLink, "", 1)
		s = strings.Replace(s, "</head>", tracker+"\n</head>", 1)
		e.login = []byte(s)
	})
}

// restore puts the sample login page back.
func (e *testENT) restore(t *testing.T) {
	login, err := os.ReadFile(conforme + "/pages/connexion.html")
	if err != nil {
		t.Fatal(err)
	}
	e.set(func(e *testENT) { e.login, e.down = login, false })
}

// registration is the JSON registration of the test ENT.
func (e *testENT) registration(extra string) string {
	base := e.srv.URL
	return `{"ent":"Néo Collège Fictif","collectivite":"Département Fictif de la Vienne-Haute","degree":"2D",` +
		`"home_page":"` + base + `/pages/accueil.html","login_page":"` + base + `/pages/connexion.html",` +
		`"notice":"` + base + `/pages/mentions-information.html","notice_reference":"` + base + `/dsden/mentions-validees.html",` +
		`"saml_metadata":"` + base + `/saml/idp-metadata.xml"` + extra + `}`
}

// watchHarness is a service whose clock the test moves, that reads the
// test ENT, its watch ticked by the test.
func watchHarness(t *testing.T, clock *testClock, ent *testENT, cfg Config) *harness {
	t.Helper()
	cfg.Now = clock.Now
	cfg.AllowPrivateNetwork = true
	cfg.LiveClient = ent.srv.Client()
	cfg.Watch.manual = true
	if cfg.Burst == 0 {
		// the clock is frozen: the per-token budget never refills
		cfg.Burst = 1 << 20
	}
	if cfg.Workers == 0 {
		cfg.Workers, cfg.Queue = 2, 8
	}
	return newHarness(t, cfg)
}

// settled waits until the ENT id has n settled runs (the audits run on
// the real clock) and returns its runs, newest first.
func (h *harness) settled(id string, n int) []WatchRun {
	h.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		runs, err := h.svc.watch.st.Runs(context.Background(), id, 1000)
		if err != nil {
			h.t.Fatal(err)
		}
		k := 0
		for _, r := range runs {
			if r.Settled {
				k++
			}
		}
		if k >= n {
			return runs
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("ENT %s: %d runs not settled in time", id, n)
	return nil
}

// watched reads the ENT id from the store.
func (h *harness) watched(id string) Watched {
	h.t.Helper()
	e, err := h.svc.watch.st.GetWatched(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return e
}

// The watch's API: a DSDEN registers the ENTs of its département (the
// département is its own), an administrator names it; a collectivité may
// not; a DSDEN sees only its département's; a run can be asked for now
// (409 while one is pending); deleting the ENT deletes its runs. Every
// response is checked against the contract.
func TestWatchedAPI(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	var block atomic.Bool
	gate := make(chan struct{})
	h := watchHarness(t, clock, ent, Config{hook: func(ctx context.Context) {
		if block.Load() {
			select {
			case <-gate:
			case <-ctx.Done():
			}
		}
	}})
	dsden, admin := testTokens["dsden86"], testTokens["admin"]

	// refusals
	for _, c := range []struct {
		tok, body, field string
		status           int
	}{
		{testTokens["poitiers"], ent.registration(""), "", http.StatusForbidden},
		{admin, ent.registration(""), "departement", http.StatusBadRequest},
		{dsden, ent.registration(`,"departement":"17"`), "departement", http.StatusBadRequest},
		{dsden, ent.registration(`,"interval_hours":0`), "interval_hours", http.StatusBadRequest},
		{dsden, ent.registration(`,"emails":["pas-une-adresse"]`), "emails.0", http.StatusBadRequest},
		{dsden, ent.registration(`,"accessibility_statement":"http://x.example/"`), "accessibility_statement", http.StatusBadRequest},
		{dsden, `{"ent":"X","collectivite":"Y","degree":"2D"}`, "home_page", http.StatusBadRequest},
		{dsden, ent.registration(`,"gar_feed":"https://x.example/"`), "", http.StatusBadRequest},
	} {
		r := h.do("POST", "/api/v1/watched", c.tok, strings.NewReader(c.body), "application/json")
		if r.status != c.status || (c.field != "" && jsonField(r.body, "field") != c.field) {
			t.Errorf("%s: %d %s, want %d field %q", c.body, r.status, r.body, c.status, c.field)
		}
	}
	if r := h.do("GET", "/api/v1/watched", testTokens["poitiers"], nil, ""); r.status != http.StatusForbidden {
		t.Errorf("collectivité lists: %d, want 403", r.status)
	}

	// a DSDEN registers: its département, first run due now
	r := h.do("POST", "/api/v1/watched", dsden, strings.NewReader(ent.registration(`,"interval_hours":12,"emails":["dsden86-numerique@ac-fictive.example"],"accessibility_statement":"`+ent.srv.URL+`/pages/accessibilite.html"`)), "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	var w watchedJSON
	r.json(t, &w)
	if w.Departement != "86" || w.Owner != "dsden86" || w.IntervalHours != 12 || r.header.Get("Location") != "/api/v1/watched/"+w.ID {
		t.Errorf("registered: %+v, Location %q", w, r.header.Get("Location"))
	}
	// an administrator registers one in the Charente-Maritime
	r = h.do("POST", "/api/v1/watched", admin, strings.NewReader(ent.registration(`,"departement":"17"`)), "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("admin registers: %d %s", r.status, r.body)
	}
	other := jsonField(r.body, "id")

	// the first runs happen at once (registration wakes the scheduler)
	runs := h.settled(w.ID, 1)
	if runs[0].Outcome != OutcomeOK || runs[0].Verdict != "incomplet" {
		t.Errorf("first run: %s %s %s", runs[0].Outcome, runs[0].Verdict, runs[0].Detail)
	}
	h.settled(other, 1)
	e := h.watched(w.ID)
	if now := clock.Now(); !e.NextRun.After(now) || e.NextRun.After(now.Add(12*time.Hour)) || e.RunID != "" {
		t.Errorf("next run %v (now %v), run %q", e.NextRun, now, e.RunID)
	}

	// scopes: the DSDEN sees its own only; the administrator both
	var list struct{ Watched []watchedJSON }
	h.do("GET", "/api/v1/watched", dsden, nil, "").json(t, &list)
	if len(list.Watched) != 1 || list.Watched[0].ID != w.ID || list.Watched[0].Verdict != "incomplet" {
		t.Errorf("DSDEN's list: %+v", list.Watched)
	}
	h.do("GET", "/api/v1/watched", admin, nil, "").json(t, &list)
	if len(list.Watched) != 2 {
		t.Errorf("administrator's list: %d ENTs, want 2", len(list.Watched))
	}
	if r := h.do("GET", "/api/v1/watched/"+other, dsden, nil, ""); r.status != http.StatusNotFound {
		t.Errorf("another département's ENT: %d, want 404", r.status)
	}
	// the runs are not in the audits list, but the DSDEN reads them
	var audits struct{ Audits []map[string]any }
	h.do("GET", "/api/v1/audits", dsden, nil, "").json(t, &audits)
	if len(audits.Audits) != 0 {
		t.Errorf("the watch's runs are listed with the audits: %v", audits.Audits)
	}
	if r := h.do("GET", "/api/v1/audits/"+runs[0].AuditID, dsden, nil, ""); r.status != http.StatusOK {
		t.Errorf("the run's audit: %d", r.status)
	}
	r = h.do("GET", "/api/v1/watched/"+w.ID, dsden, nil, "")
	var detail struct {
		watchedJSON
		Runs   []runJSON
		Alerts []alertJSON
	}
	r.json(t, &detail)
	if r.status != http.StatusOK || len(detail.Runs) != 1 || detail.Runs[0].Outcome != OutcomeOK || detail.Runs[0].Audit != "/api/v1/audits/"+runs[0].AuditID {
		t.Errorf("detail: %d %s", r.status, clipBody(r.body))
	}
	if r := h.do("GET", "/api/v1/watched/"+w.ID+"/runs/"+runs[0].AuditID, dsden, nil, ""); r.status != http.StatusOK {
		t.Errorf("run: %d %s", r.status, r.body)
	}
	if r := h.do("GET", "/api/v1/watched/"+w.ID+"/runs/"+newID(), dsden, nil, ""); r.status != http.StatusNotFound {
		t.Errorf("unknown run: %d", r.status)
	}

	// run now: accepted, then 409 while it is pending (held before the
	// engine by the hook)
	block.Store(true)
	if r := h.do("POST", "/api/v1/watched/"+w.ID+"/run", dsden, nil, ""); r.status != http.StatusAccepted {
		t.Errorf("run now: %d %s", r.status, r.body)
	}
	for h.watched(w.ID).RunID == "" {
		time.Sleep(20 * time.Millisecond)
	}
	if r := h.do("POST", "/api/v1/watched/"+w.ID+"/run", dsden, nil, ""); r.status != http.StatusConflict {
		t.Errorf("run now while pending: %d, want 409", r.status)
	}
	block.Store(false)
	close(gate)
	h.settled(w.ID, 2)

	// deletion: the ENT, its runs and their audits are gone
	if r := h.do("DELETE", "/api/v1/watched/"+w.ID, testTokens["poitiers"], nil, ""); r.status != http.StatusForbidden {
		t.Errorf("collectivité deletes: %d, want 403", r.status)
	}
	if r := h.do("DELETE", "/api/v1/watched/"+w.ID, dsden, nil, ""); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := h.do("GET", "/api/v1/watched/"+w.ID, dsden, nil, ""); r.status != http.StatusNotFound {
		t.Errorf("deleted ENT: %d", r.status)
	}
	if r := h.do("GET", "/api/v1/audits/"+runs[0].AuditID, admin, nil, ""); r.status != http.StatusNotFound {
		t.Errorf("deleted ENT's run: %d, want 404", r.status)
	}
}

// webhookReceiver is the académie's endpoint of the alerts' webhook, over
// TLS on loopback: it checks each signature and keeps what it received.
type webhookReceiver struct {
	srv    *httptest.Server
	secret []byte
	mu     sync.Mutex
	got    []alertMessage
	bad    []string
}

func newWebhookReceiver(t *testing.T) *webhookReceiver {
	t.Helper()
	rc := &webhookReceiver{secret: []byte("secret-partage-de-la-dsden-0123456789")}
	rc.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		ts := r.Header.Get(HeaderTimestamp)
		// what a receiver does: recompute the HMAC and compare in
		// constant time
		if !hmac.Equal([]byte(r.Header.Get(HeaderSignature)), []byte(Sign(rc.secret, ts, body))) || r.Header.Get("Content-Type") != "application/json" {
			rc.bad = append(rc.bad, string(body))
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var m alertMessage
		if err := json.Unmarshal(body, &m); err != nil || m.Delivery != r.Header.Get(HeaderDelivery) || m.Event != r.Header.Get(HeaderEvent) {
			rc.bad = append(rc.bad, string(body))
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		rc.got = append(rc.got, m)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *webhookReceiver) received() []alertMessage {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bad) > 0 {
		panic("webhook: bad deliveries: " + strings.Join(rc.bad, "\n"))
	}
	return append([]alertMessage(nil), rc.got...)
}

func (rc *webhookReceiver) config() *Webhook {
	return &Webhook{URL: rc.srv.URL + "/alertes", Secret: rc.secret, Client: rc.srv.Client()}
}

// rules of a list of diff items.
func rulesOf(items []report.DiffItem) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		out[it.Rule] = true
	}
	return out
}

// The scenario: an ENT registered by its DSDEN, served over TLS,
// checked on schedule; between two scheduled runs a theme update removes
// the notice link from the login page's footer and adds a tracker. The
// second run shows the regression (PAGE-001 and PAGE-005, verdict
// worse) in the API, on the page and in the webhook, which receives a
// single alert; the next run, still broken, raises none; a week later a
// reminder; once fixed, the alert is resolved and said so.
func TestWatchRegression(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	hook := newWebhookReceiver(t)
	h := watchHarness(t, clock, ent, Config{Watch: WatchConfig{Webhook: hook.config(), Reminder: 7 * 24 * time.Hour, PublicURL: "https://sdetcheck.ac-fictive.example"}})
	dsden := testTokens["dsden86"]
	ctx := context.Background()

	r := h.do("POST", "/api/v1/watched", dsden, strings.NewReader(ent.registration("")), "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	id := jsonField(r.body, "id")
	first := h.settled(id, 1)[0]
	if first.Outcome != OutcomeOK || first.Previous != "" || len(first.Diff) != 0 {
		t.Fatalf("first run: %+v", first)
	}
	// the next run is the ENT's slot of the next day: after now, within
	// the day, and the same slot the day after (deterministic jitter)
	e := h.watched(id)
	now := clock.Now()
	if !e.NextRun.After(now) || e.NextRun.Sub(now) > 24*time.Hour {
		t.Fatalf("next run %v, now %v", e.NextRun, now)
	}
	if got := slotAfter(e.NextRun, 24*time.Hour, id); !got.Equal(e.NextRun.Add(24 * time.Hour)) {
		t.Errorf("slot after the next: %v, want a day later", got)
	}
	// nothing is due before the slot
	h.svc.watch.tick(ctx)
	if runs, _ := h.svc.watch.st.Runs(ctx, id, 10); len(runs) != 1 {
		t.Fatalf("a run before its slot: %d runs", len(runs))
	}
	h.svc.watch.sendDue(ctx)
	if got := hook.received(); len(got) != 0 {
		t.Fatalf("alerts after the first run: %+v", got)
	}

	// the theme update, then the scheduled run
	ent.degrade(t)
	clock.Advance(e.NextRun.Sub(clock.Now()) + time.Minute)
	h.svc.watch.tick(ctx)
	runs := h.settled(id, 2)
	second := runs[0]
	if second.Outcome != OutcomeOK || second.Previous != first.AuditID {
		t.Fatalf("second run: %s %s, previous %s", second.Outcome, second.Detail, second.Previous)
	}
	d, _ := second.diff()
	reg := rulesOf(d.Regressed)
	if !reg["PAGE-001"] || !reg["PAGE-005"] {
		t.Errorf("regressed: %v, want PAGE-001 (notice link) and PAGE-005 (tracker)", reg)
	}
	if d.OldVerdict != "incomplet" || d.NewVerdict != "non-conforme" {
		t.Errorf("verdict %s → %s", d.OldVerdict, d.NewVerdict)
	}

	// the API: the current verdict, the history, what changed, the alert
	var detail struct {
		watchedJSON
		Runs    []runJSON
		Changes *changesJSON
		Alerts  []alertJSON
	}
	h.do("GET", "/api/v1/watched/"+id, dsden, nil, "").json(t, &detail)
	if detail.Verdict != "non-conforme" || len(detail.Runs) != 2 || detail.Runs[0].Regressed < 2 || detail.OpenAlerts != 1 {
		t.Errorf("API: verdict %s, %d runs, %+v, %d open alerts", detail.Verdict, len(detail.Runs), detail.Runs, detail.OpenAlerts)
	}
	if detail.Changes == nil || detail.Changes.Run != second.AuditID || !rulesOf(detail.Changes.Regressed)["PAGE-001"] {
		t.Errorf("API changes: %+v", detail.Changes)
	}
	if len(detail.Alerts) != 1 || detail.Alerts[0].Kind != AlertRegression || !detail.Alerts[0].Open || detail.Alerts[0].Run != second.AuditID ||
		!strings.Contains(detail.Alerts[0].Summary, "PAGE-001") {
		t.Errorf("API alerts: %+v", detail.Alerts)
	}
	var run struct {
		runJSON
		Changes *changesJSON
	}
	h.do("GET", "/api/v1/watched/"+id+"/runs/"+second.AuditID, dsden, nil, "").json(t, &run)
	if run.Changes == nil || !rulesOf(run.Changes.Regressed)["PAGE-005"] || run.Previous != first.AuditID {
		t.Errorf("API run: %+v", run)
	}

	// the webhook: one alert, signed, that says which ENT, what changed
	// and links to the run
	h.svc.watch.sendDue(ctx)
	h.svc.watch.sendDue(ctx)
	got := hook.received()
	if len(got) != 1 {
		t.Fatalf("webhook: %d deliveries, want 1: %+v", len(got), got)
	}
	m := got[0]
	if m.Event != EventAlert || m.Alert.Kind != AlertRegression || m.ENT.ID != id || m.ENT.Name != "Néo Collège Fictif" ||
		m.Run.ID != second.AuditID || m.Run.URL != "https://sdetcheck.ac-fictive.example/audits/"+second.AuditID ||
		m.Run.Verdict != "non-conforme" || m.Run.PreviousVerdict != "incomplet" || m.Changes == nil || !rulesOf(m.Changes.Regressed)["PAGE-001"] {
		t.Errorf("webhook alert: %+v", m)
	}

	// the page
	c := webClient(t)
	signIn(t, h, c, dsden)
	code, page, _ := get(t, c, h.srv.URL+"/veille/"+id)
	for _, want := range []string{"Verdict actuel : NON CONFORME", "PAGE-001", "PAGE-005", "Régressé (", `href="/audits/` + second.AuditID + `"`,
		`href="/audits/` + first.AuditID + `"`, `?controle=` + first.AuditID, `aria-current="true"`, "<strong>ouverte</strong>"} {
		if code != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("ENT page (%d) lacks %q", code, want)
		}
	}

	// the next run, still broken: no new alert
	e = h.watched(id)
	clock.Advance(e.NextRun.Sub(clock.Now()) + time.Minute)
	h.svc.watch.tick(ctx)
	h.settled(id, 3)
	h.svc.watch.sendDue(ctx)
	if got := hook.received(); len(got) != 1 {
		t.Fatalf("webhook after a run without change: %d deliveries, want still 1", len(got))
	}

	// a week later: one catch-up run (not seven), and a reminder
	clock.Advance(7 * 24 * time.Hour)
	h.svc.watch.tick(ctx)
	h.settled(id, 4)
	h.svc.watch.tick(ctx)
	if runs, _ := h.svc.watch.st.Runs(ctx, id, 100); len(runs) != 4 {
		t.Errorf("%d runs after a week, want 4 (one catch-up run)", len(runs))
	}
	h.svc.watch.sendDue(ctx)
	h.svc.watch.sendDue(ctx)
	got = hook.received()
	if len(got) != 2 || got[1].Event != EventReminder || got[1].Alert.ID != m.Alert.ID {
		t.Fatalf("webhook after a week: %+v, want the alert then its reminder", got)
	}

	// fixed: the alert is resolved, once
	ent.restore(t)
	if r := h.do("POST", "/api/v1/watched/"+id+"/run", dsden, nil, ""); r.status != http.StatusAccepted {
		t.Fatalf("run now: %d", r.status)
	}
	runs = h.settled(id, 5)
	if d, _ := runs[0].diff(); !rulesOf(d.Fixed)["PAGE-001"] {
		t.Errorf("fixed: %v", rulesOf(d.Fixed))
	}
	h.svc.watch.sendDue(ctx)
	h.svc.watch.sendDue(ctx)
	got = hook.received()
	if len(got) != 3 || got[2].Event != EventResolved || got[2].Alert.Resolved == "" || !strings.HasSuffix(got[2].Alert.ResolvedRun, runs[0].AuditID) {
		t.Fatalf("webhook once fixed: %+v", got)
	}
	if as, _ := h.svc.watch.st.Alerts(ctx, id, true, 10); len(as) != 0 {
		t.Errorf("open alerts once fixed: %+v", as)
	}
}

// A run that fails for a network reason (503, refused connection) says
// so, is retried after 10, 30 then 90 minutes, then waits for the next
// scheduled run; it is never compared, so that the ENT's next good run is
// compared with the last good one and nothing is reported as a
// regression.
func TestWatchNetworkFailure(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	hook := newWebhookReceiver(t)
	h := watchHarness(t, clock, ent, Config{Watch: WatchConfig{Webhook: hook.config()}})
	ctx := context.Background()
	dsden := testTokens["dsden86"]

	r := h.do("POST", "/api/v1/watched", dsden, strings.NewReader(ent.registration("")), "application/json")
	id := jsonField(r.body, "id")
	first := h.settled(id, 1)[0]

	// the ENT answers 503 at its next run, and at the first retry
	ent.set(func(e *testENT) { e.down = true })
	e := h.watched(id)
	slot := e.NextRun
	clock.Advance(slot.Sub(clock.Now()) + time.Minute)
	h.svc.watch.tick(ctx)
	run := h.settled(id, 2)[0]
	if run.Outcome != OutcomeNetwork || !strings.Contains(run.Detail, "503") || run.Previous != "" || len(run.Diff) != 0 {
		t.Errorf("run while the ENT answers 503: %s %q, previous %q", run.Outcome, run.Detail, run.Previous)
	}
	e = h.watched(id)
	if e.Attempt != 1 || e.NextRun.Sub(clock.Now()) > 10*time.Minute || e.NextRun.Sub(clock.Now()) < 9*time.Minute {
		t.Errorf("retry: attempt %d at %v (now %v), want 1 in 10 minutes", e.Attempt, e.NextRun, clock.Now())
	}
	clock.Advance(11 * time.Minute)
	h.svc.watch.tick(ctx)
	h.settled(id, 3)
	if e = h.watched(id); e.Attempt != 2 || e.NextRun.Sub(clock.Now()) < 29*time.Minute {
		t.Errorf("second retry: attempt %d at %v", e.Attempt, e.NextRun)
	}
	// back: the run is compared with the last good one, nothing changed
	ent.set(func(e *testENT) { e.down = false })
	clock.Advance(31 * time.Minute)
	h.svc.watch.tick(ctx)
	run = h.settled(id, 4)[0]
	d, _ := run.diff()
	if run.Outcome != OutcomeOK || run.Previous != first.AuditID || len(d.Regressed)+len(d.New)+len(d.Fixed) != 0 {
		t.Errorf("run once back: %s, previous %s (want %s), diff %+v", run.Outcome, run.Previous, first.AuditID, d)
	}
	if e = h.watched(id); e.Attempt != 0 || !e.NextRun.Equal(slotAfter(clock.Now(), 24*time.Hour, id)) {
		t.Errorf("after the retries: attempt %d, next %v", e.Attempt, e.NextRun)
	}

	// an ENT whose login page's server refuses connections: retried
	// three times, then the next scheduled run
	r = h.do("POST", "/api/v1/watched", dsden, strings.NewReader(strings.Replace(ent.registration(""), ent.srv.URL+"/pages/connexion.html", "https://127.0.0.1:1/connexion", 1)), "application/json")
	down := jsonField(r.body, "id")
	// (a retry that would fall after the ENT's next scheduled run is that
	// run)
	for i, wait := range []time.Duration{10 * time.Minute, 30 * time.Minute, 90 * time.Minute, 0} {
		run := h.settled(down, i+1)[0]
		if run.Outcome != OutcomeNetwork || !strings.Contains(run.Detail, "connexion refusée") {
			t.Errorf("unreachable ENT, run %d: %s %q", i+1, run.Outcome, run.Detail)
		}
		e := h.watched(down)
		now := clock.Now()
		slot := slotAfter(now, 24*time.Hour, down)
		if wait == 0 || !now.Add(wait).Before(slot) {
			if e.Attempt != 0 || !e.NextRun.Equal(slot) {
				t.Errorf("after %d retries: attempt %d, next %v, want the next scheduled run %v", i, e.Attempt, e.NextRun, slot)
			}
			break
		}
		if e.Attempt != i+1 || e.NextRun.Sub(now) > wait || e.NextRun.Sub(now) < wait-time.Minute {
			t.Errorf("retry %d: attempt %d in %v, want in %v", i+1, e.Attempt, e.NextRun.Sub(now), wait)
		}
		clock.Advance(wait + time.Minute)
		h.svc.watch.tick(ctx)
	}
	h.svc.watch.sendDue(ctx)
	if got := hook.received(); len(got) != 0 {
		t.Errorf("alerts for network failures: %+v", got)
	}
	if as, _ := h.svc.watch.st.Alerts(ctx, id, false, 10); len(as) != 0 {
		t.Errorf("alerts: %+v", as)
	}
}

// Concurrent ticks claim a due run once: the claim is a compare-and-set
// in SQLite on the ENT's next run and pending run.
func TestWatchClaimOnce(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	var block atomic.Bool
	gate := make(chan struct{})
	h := watchHarness(t, clock, ent, Config{hook: func(ctx context.Context) {
		if block.Load() {
			select {
			case <-gate:
			case <-ctx.Done():
			}
		}
	}})
	ctx := context.Background()
	block.Store(true)
	e := Watched{ID: newID(), Departement: "86", Owner: "dsden86", Name: "ENT", Collectivite: "C", Degree: "2D",
		HomePage: ent.srv.URL + "/pages/accueil.html", Created: clock.Now(), NextRun: clock.Now()}
	if err := h.svc.watch.st.CreateWatched(ctx, e); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); h.svc.watch.tick(ctx) }()
	}
	wg.Wait()
	// and a claim of the same slot by another path
	a := Audit{ID: newID(), Owner: watchOwner, Departement: "86", Status: StatusQueued, Created: clock.Now(), InputSHA256: strings.Repeat("0", 64)}
	if ok, err := h.svc.watch.st.ClaimRun(ctx, e.ID, e.NextRun, a, WatchRun{Scheduled: e.NextRun}); ok || err != nil {
		t.Errorf("second claim of the same run: %v %v", ok, err)
	}
	if runs, _ := h.svc.watch.st.Runs(ctx, e.ID, 10); len(runs) != 1 {
		t.Errorf("%d runs claimed, want 1", len(runs))
	}
	close(gate)
	h.settled(e.ID, 1)
}

// A restart neither loses nor doubles a run: a run cut by a shutdown is
// queued again with its spot check and run once by the next process; a
// run cut by a crash is failed by the restart (it says so) and run again
// at once.
func TestWatchRestart(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	data, work := t.TempDir(), t.TempDir()
	ctx := context.Background()
	started := make(chan struct{}, 1)
	h1 := watchHarness(t, clock, ent, Config{Data: data, Work: work, hook: func(ctx context.Context) {
		started <- struct{}{}
		<-ctx.Done() // held until the shutdown cuts it
	}})
	r := h1.do("POST", "/api/v1/watched", testTokens["dsden86"], strings.NewReader(ent.registration("")), "application/json")
	id := jsonField(r.body, "id")
	<-started
	sctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	h1.svc.Shutdown(sctx)
	cancel()
	h1.srv.Close()

	h2 := watchHarness(t, clock, ent, Config{Data: data, Work: work})
	h2.settled(id, 1)
	h2.svc.watch.tick(ctx) // nothing is due: no second run
	runs, _ := h2.svc.watch.st.Runs(ctx, id, 10)
	if len(runs) != 1 || runs[0].Outcome != OutcomeOK {
		t.Fatalf("after a restart: %d runs (%+v), want the one run, ok", len(runs), runs)
	}
	h2.svc.Shutdown(ctx)
	h2.srv.Close()

	// a crash while a run ran: the store says it runs, its spot check is
	// gone with the process's work directory
	st, err := NewSQLite(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := st.GetWatched(ctx, id)
	cut := Audit{ID: newID(), Owner: watchOwner, Departement: "86", Status: StatusQueued, Created: clock.Now(), InputSHA256: strings.Repeat("0", 64)}
	st.SetNextRun(ctx, id, e.NextRun)
	if ok, err := st.ClaimRun(ctx, id, e.NextRun, cut, WatchRun{Scheduled: e.NextRun}); !ok || err != nil {
		t.Fatal(ok, err)
	}
	st.SetStatus(ctx, cut.ID, StatusRunning)
	st.Close()
	h3 := watchHarness(t, clock, ent, Config{Data: data, Work: work})
	runs = h3.settled(id, 3)
	if len(runs) != 3 || runs[1].AuditID != cut.ID || runs[1].Outcome != OutcomeError || !strings.Contains(runs[1].Detail, "arrêt inattendu") || runs[0].Outcome != OutcomeOK || runs[0].Previous != runs[2].AuditID {
		for _, r := range runs {
			t.Logf("%s %s %q previous %s", r.AuditID, r.Outcome, r.Detail, r.Previous)
		}
		t.Errorf("after a crash: want the cut run failed, then one run again at once, compared with the first")
	}
}

// selfSigned is a signing certificate (DER) valid until notAfter.
func selfSigned(t *testing.T, cn string, notAfter time.Time) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Organization: []string{"Éditeur Fictif SAS"}},
		NotBefore: watchEpoch.AddDate(0, -1, 0), NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature, SignatureAlgorithm: x509.SHA256WithRSA}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

var x509CertRe = regexp.MustCompile(`(?s)(<ds:X509Certificate>)[^<]*(</ds:X509Certificate>)`)

// metadataWith is the sample IdP metadata publishing cert instead of its
// own.
func metadataWith(t *testing.T, cert []byte) []byte {
	t.Helper()
	md, err := os.ReadFile(conforme + "/saml/idp-metadata.xml")
	if err != nil {
		t.Fatal(err)
	}
	out := x509CertRe.ReplaceAll(md, []byte("${1}"+base64.StdEncoding.EncodeToString(cert)+"${2}"))
	if bytes.Equal(out, md) {
		t.Fatal("no certificate in the sample metadata")
	}
	return out
}

// The IdP's signing certificate expires within the notice period: an
// expiry alert, said once (the next run raises no other), its webhook
// naming the date; a new certificate resolves it.
func TestWatchExpiry(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	expires := watchEpoch.Add(20 * 24 * time.Hour).Truncate(time.Second)
	ent.set(func(e *testENT) { e.meta = metadataWith(t, selfSigned(t, "idp.ent.fictif.example", expires)) })
	hook := newWebhookReceiver(t)
	h := watchHarness(t, clock, ent, Config{Watch: WatchConfig{Webhook: hook.config(), Notice: 30 * 24 * time.Hour}})
	ctx := context.Background()
	dsden := testTokens["dsden86"]

	r := h.do("POST", "/api/v1/watched", dsden, strings.NewReader(ent.registration("")), "application/json")
	id := jsonField(r.body, "id")
	run := h.settled(id, 1)[0]
	xs := expiriesOf(run)
	var cert *expiry
	for i := range xs {
		if xs[i].Kind == AlertCertificate {
			cert = &xs[i]
		}
	}
	if cert == nil || !cert.NotAfter.Equal(expires) {
		t.Fatalf("expiries read: %+v", xs)
	}
	h.svc.watch.sendDue(ctx)
	got := hook.received()
	if len(got) != 1 || got[0].Alert.Kind != AlertCertificate || got[0].Expiry == nil || !got[0].Expiry.NotAfter.Equal(expires) ||
		got[0].Expiry.DaysLeft < 19 || got[0].Expiry.DaysLeft > 20 || !strings.Contains(got[0].Alert.Summary, "idp.ent.fictif.example") ||
		!strings.Contains(got[0].Alert.Summary, expires.In(paris).Format("02/01/2006")) {
		t.Fatalf("webhook: %+v", got)
	}
	var detail struct {
		watchedJSON
		Alerts   []alertJSON
		Expiries []expiry
	}
	h.do("GET", "/api/v1/watched/"+id, dsden, nil, "").json(t, &detail)
	if len(detail.Alerts) != 1 || detail.Alerts[0].Kind != AlertCertificate || len(detail.Expiries) == 0 {
		t.Errorf("API: %+v", detail)
	}

	// the next day: still expiring, no second alert
	clock.Advance(h.watched(id).NextRun.Sub(clock.Now()) + time.Minute)
	h.svc.watch.tick(ctx)
	h.settled(id, 2)
	h.svc.watch.sendDue(ctx)
	if got := hook.received(); len(got) != 1 {
		t.Fatalf("webhook the next day: %d deliveries, want still 1", len(got))
	}

	// a certificate far from expiry (and a far validUntil): resolved
	ent.set(func(e *testENT) {
		e.meta = metadataWith(t, selfSigned(t, "idp.ent.fictif.example", watchEpoch.AddDate(2, 0, 0)))
	})
	h.do("POST", "/api/v1/watched/"+id+"/run", dsden, nil, "")
	h.settled(id, 3)
	h.svc.watch.sendDue(ctx)
	got = hook.received()
	if len(got) != 2 || got[1].Event != EventResolved || got[1].Alert.Kind != AlertCertificate {
		t.Fatalf("webhook once renewed: %+v", got)
	}

	// outside the notice period, nothing: another ENT whose certificate
	// expires in 40 days
	ent.set(func(e *testENT) {
		e.meta = metadataWith(t, selfSigned(t, "idp2.ent.fictif.example", watchEpoch.Add(40*24*time.Hour)))
	})
	r = h.do("POST", "/api/v1/watched", dsden, strings.NewReader(ent.registration("")), "application/json")
	h.settled(jsonField(r.body, "id"), 1)
	h.svc.watch.sendDue(ctx)
	if got := hook.received(); len(got) != 2 {
		t.Errorf("alert for a certificate outside the notice period: %+v", got[2:])
	}
}

// The accessibility statement given at registration is read by each run
// (ACC-004): its three years running out within the notice period raise
// one alert, naming the date; an updated statement resolves it.
func TestWatchStatementExpiry(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	sample, err := os.ReadFile(conforme + "/pages/accessibilite.html")
	if err != nil {
		t.Fatal(err)
	}
	const current = "Elle a été mise à jour le 2 mars 2026."
	if !bytes.Contains(sample, []byte(current)) {
		t.Fatal("the sample statement changed: update the test")
	}
	// last updated on 10 December 2023: valid until 10 December 2026
	old := bytes.Replace(bytes.Replace(sample, []byte(current), []byte("Elle a été mise à jour le 10 décembre 2023."), 1),
		[]byte("établie le 15 septembre 2025"), []byte("établie le 15 septembre 2023"), 1)
	old = bytes.Replace(old, []byte("réalisé le 3 septembre 2025"), []byte("réalisé le 3 septembre 2023"), 1)
	ent.set(func(e *testENT) { e.statement = old })
	hook := newWebhookReceiver(t)
	h := watchHarness(t, clock, ent, Config{Watch: WatchConfig{Webhook: hook.config(), Notice: 30 * 24 * time.Hour}})
	ctx := context.Background()
	dsden := testTokens["dsden86"]

	r := h.do("POST", "/api/v1/watched", dsden, strings.NewReader(ent.registration(`,"accessibility_statement":"`+ent.srv.URL+`/pages/accessibilite.html"`)), "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("register: %d %s", r.status, r.body)
	}
	id := jsonField(r.body, "id")
	run := h.settled(id, 1)[0]
	var stmt *expiry
	for _, x := range expiriesOf(run) {
		if x.Kind == AlertStatement {
			stmt = &x
		}
	}
	if want := time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC); stmt == nil || !stmt.NotAfter.Equal(want) {
		t.Fatalf("statement expiry read: %+v, want the end of 10 December 2026", expiriesOf(run))
	}
	h.svc.watch.sendDue(ctx)
	got := hook.received()
	if len(got) != 1 || got[0].Alert.Kind != AlertStatement || got[0].Expiry == nil ||
		!strings.Contains(got[0].Alert.Summary, "déclaration d'accessibilité") || !strings.Contains(got[0].Alert.Summary, "11/12/2026") {
		t.Fatalf("webhook: %+v", got)
	}

	// the next run: the same statement, no second alert
	clock.Advance(h.watched(id).NextRun.Sub(clock.Now()) + time.Minute)
	h.svc.watch.tick(ctx)
	h.settled(id, 2)
	h.svc.watch.sendDue(ctx)
	if got := hook.received(); len(got) != 1 {
		t.Fatalf("the next run: %d deliveries, want still 1", len(got))
	}

	// the statement updated: the alert is resolved
	ent.set(func(e *testENT) { e.statement = nil })
	h.do("POST", "/api/v1/watched/"+id+"/run", dsden, nil, "")
	h.settled(id, 3)
	h.svc.watch.sendDue(ctx)
	got = hook.received()
	if len(got) != 2 || got[1].Event != EventResolved || got[1].Alert.Kind != AlertStatement {
		t.Fatalf("webhook once updated: %+v", got)
	}
}

// The watch is one more token in the queue's fair share: with a share of
// one slot per token, three ENTs due at once are run one after the other
// while a collectivité still deposits its dossier.
func TestWatchFairShare(t *testing.T) {
	clock := newTestClock(watchEpoch)
	ent := newTestENT(t)
	var block atomic.Bool
	gate := make(chan struct{})
	h := watchHarness(t, clock, ent, Config{Workers: 2, Queue: 2, PerToken: 1, hook: func(ctx context.Context) {
		if block.Load() {
			select {
			case <-gate:
			case <-ctx.Done():
			}
		}
	}})
	ctx := context.Background()
	block.Store(true)
	var ids []string
	for i := 0; i < 3; i++ {
		e := Watched{ID: newID(), Departement: "86", Owner: "dsden86", Name: fmt.Sprintf("ENT %d", i), Collectivite: "C", Degree: "2D",
			HomePage: ent.srv.URL + "/pages/accueil.html", Created: clock.Now(), NextRun: clock.Now()}
		if err := h.svc.watch.st.CreateWatched(ctx, e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	h.svc.watch.tick(ctx)
	pending, _ := h.svc.watch.st.Pending(ctx)
	if len(pending) != 1 {
		t.Fatalf("%d runs claimed at once, want the watch's share: 1", len(pending))
	}
	// a collectivité's deposit is not held up by the watch
	if r := h.upload(testTokens["poitiers"], tarGz(t, conforme, "")); r.status != http.StatusAccepted {
		t.Errorf("deposit while the watch runs: %d %s", r.status, r.body)
	}
	block.Store(false)
	close(gate)
	for n := 1; n < 3; n++ {
		for {
			if p, _ := h.svc.watch.st.Pending(ctx); len(p) == 0 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		h.svc.watch.tick(ctx)
	}
	for _, id := range ids {
		h.settled(id, 1)
	}
}
