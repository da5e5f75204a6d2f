package serve

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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
	down  bool
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
		down, login, meta := e.down, e.login, e.meta
		e.mu.Unlock()
		switch {
		case down:
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		case r.URL.Path == "/pages/connexion.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(login)
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
