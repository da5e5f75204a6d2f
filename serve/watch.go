package serve

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

// WatchConfig is the watch of registered ENTs: scheduled spot checks,
// their history and the alerts they raise.
type WatchConfig struct {
	// Interval between two runs of an ENT that names none (default 24h,
	// at least an hour).
	Interval time.Duration
	// Notice is how long ahead an expiry is announced (IdP signing
	// certificate, metadata validUntil); default 60 days.
	Notice time.Duration
	// Reminder: an alert still open is notified again after this long
	// (0: never).
	Reminder time.Duration
	// PublicURL is the service's address as its users reach it
	// (https://sdetcheck.ac-exemple.fr), for the links of the alerts;
	// without it they are paths.
	PublicURL string
	// Webhook and Mail are the alerts' channels (nil: not used).
	Webhook *Webhook
	Mail    *Mail
	// manual, in tests: no periodic tick (the tests drive the clock and
	// the ticks; a registration still kicks one).
	manual bool
}

func (c *WatchConfig) defaults() {
	if c.Interval <= 0 {
		c.Interval = 24 * time.Hour
	}
	if c.Notice <= 0 {
		c.Notice = 60 * 24 * time.Hour
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
}

// MinWatchInterval is the shortest interval between two runs of an ENT.
const MinWatchInterval = time.Hour

// watchOwner is the watch in the queue's fair share (one more token: it
// holds at most PerToken slots) and the owner of its runs' audits. Its
// parentheses keep it apart from the tokens' names.
const watchOwner = "(veille)"

// Ticks of the watch's loops, and the retries of a run that failed for a
// network reason (then the next scheduled run).
const (
	watchTick  = time.Minute
	notifyTick = 30 * time.Second
)

var retryDelays = []time.Duration{10 * time.Minute, 30 * time.Minute, 90 * time.Minute}

// watcher schedules the runs of the registered ENTs, settles them (the
// comparison with the previous run, the alerts) and sends the alerts.
type watcher struct {
	s      *Service
	st     WatchStore
	cfg    WatchConfig
	mu     sync.Mutex // one tick at a time
	kick   chan struct{}
	notify chan struct{}
	nmu    sync.Mutex // one round of notifications at a time
}

func newWatcher(s *Service, st WatchStore) *watcher {
	return &watcher{s: s, st: st, cfg: s.cfg.Watch, kick: make(chan struct{}, 1), notify: make(chan struct{}, 1)}
}

// start runs the scheduling and notification loops until the service
// stops: first the runs a previous process left unsettled.
func (w *watcher) start() {
	w.s.wg.Add(2)
	go func() {
		defer w.s.wg.Done()
		w.recoverRuns(context.Background())
		w.loop(watchTick, w.kick, w.tick)
	}()
	go func() {
		defer w.s.wg.Done()
		w.loop(notifyTick, w.notify, w.sendDue)
	}()
}

func (w *watcher) loop(every time.Duration, kick chan struct{}, f func(context.Context)) {
	var tick <-chan time.Time
	if !w.cfg.manual {
		t := time.NewTicker(every)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-w.s.stop:
			return
		default:
		}
		f(context.Background())
		select {
		case <-w.s.stop:
			return
		case <-tick:
		case <-kick:
		}
	}
}

// wake asks the loop behind c for a round now.
func wake(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// interval is e's interval between two runs.
func (w *watcher) interval(e Watched) time.Duration {
	if e.Interval > 0 {
		return e.Interval
	}
	return w.cfg.Interval
}

// slotAfter is the first scheduled time of an ENT after t: its runs fall
// every interval, at a phase drawn from its id, so that the ENTs are
// spread over the period (deterministically: a restart keeps them).
func slotAfter(t time.Time, every time.Duration, id string) time.Time {
	per := every.Milliseconds()
	if per <= 0 {
		per = 1
	}
	h := sha256.Sum256([]byte(id))
	off := int64(binary.BigEndian.Uint64(h[:8]) % uint64(per))
	rel := t.UnixMilli() - off
	k := rel / per
	if rel < 0 && rel%per != 0 {
		k--
	}
	return time.UnixMilli((k+1)*per + off).UTC()
}

// liveCheck is the spot check of a registered ENT.
func (e Watched) liveCheck() LiveCheck {
	return LiveCheck{ENT: e.Name, Collectivite: e.Collectivite, Degree: e.Degree, SDET: e.SDET,
		HomePage: e.HomePage, LoginPage: e.LoginPage, Notice: e.Notice, NoticeReference: e.NoticeReference, SAMLMetadata: e.SAMLMetadata,
		AccessibilityStatement: e.AccessibilityStatement}
}

// tick claims the runs due and queues them, each taking a slot of the
// queue in the watch's share; when none is left, the others wait for the
// next tick.
func (w *watcher) tick(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.releaseVanished(ctx)
	due, err := w.st.DueWatched(ctx, w.s.cfg.Now())
	if err != nil {
		w.s.log.Error("watch: due", "err", err.Error())
		return
	}
	for _, e := range due {
		if err := w.s.takeSlot(watchOwner, true); err != nil {
			return // the queue is full, or the watch's share taken: next tick
		}
		if !w.claim(ctx, e) {
			w.s.giveSlot(watchOwner)
		}
	}
}

// claim writes e's spot check as a new audit's upload, then claims its
// run in the store (only while e is still due and has no run: another
// claim cannot double it) and queues it.
func (w *watcher) claim(ctx context.Context, e Watched) bool {
	id, sum, err := w.s.writeLive(e.liveCheck())
	if err != nil {
		w.s.log.Error("watch: write run", "err", err.Error())
		return false
	}
	now := w.s.cfg.Now().UTC()
	a := Audit{ID: id, Owner: watchOwner, Departement: e.Departement, Status: StatusQueued, Created: now, Updated: now, InputSHA256: sum,
		Collectivite: e.Collectivite, Kind: KindSpotCheck}
	ok, err := w.st.ClaimRun(ctx, e.ID, e.NextRun, a, WatchRun{Scheduled: e.NextRun, Attempt: e.Attempt})
	if err != nil || !ok {
		w.s.removeWork(id)
		if err != nil {
			w.s.log.Error("watch: claim", "watched", e.ID, "err", err.Error())
		}
		return false
	}
	w.s.enqueue(id, watchOwner)
	w.s.log.Info("watch run queued", "watched", e.ID, "audit", id, "attempt", e.Attempt)
	return true
}

// recoverRuns settles the runs a previous process claimed and that
// finished (or were cut by a crash: recover failed them) without being
// settled, and forgets those whose audit is gone. A run still queued was
// requeued by recover: it is settled when it ends.
func (w *watcher) recoverRuns(ctx context.Context) {
	pending, err := w.st.Pending(ctx)
	if err != nil {
		w.s.log.Error("watch: pending", "err", err.Error())
		return
	}
	for _, e := range pending {
		a, err := w.s.store.Get(ctx, e.RunID)
		switch {
		case errors.Is(err, ErrNotFound):
			w.st.ReleaseRun(ctx, e.ID, e.RunID, slotAfter(w.s.cfg.Now(), w.interval(e), e.ID))
		case err != nil:
			w.s.log.Error("watch: pending run", "audit", e.RunID, "err", err.Error())
		case a.Status == StatusDone || a.Status == StatusFailed:
			w.settle(ctx, e.RunID, nil)
		}
	}
}

// releaseVanished forgets the claimed runs whose audit is gone (deleted
// by an administrator while it waited): their ENT is scheduled again.
func (w *watcher) releaseVanished(ctx context.Context) {
	pending, err := w.st.Pending(ctx)
	if err != nil {
		return
	}
	for _, e := range pending {
		if _, err := w.s.store.Get(ctx, e.RunID); errors.Is(err, ErrNotFound) {
			w.st.ReleaseRun(ctx, e.ID, e.RunID, slotAfter(w.s.cfg.Now(), w.interval(e), e.ID))
		}
	}
}

// runClient is the client of the audit id when it is a run of the watch:
// the spot check's (same guards), with the IdP metadata's body kept for
// its expiries. nil for any other audit.
func (w *watcher) runClient(ctx context.Context, id string) (*http.Client, *metaCapture) {
	r, err := w.st.RunOf(ctx, id)
	if err != nil {
		return nil, nil
	}
	e, err := w.st.GetWatched(ctx, r.WatchedID)
	if err != nil || e.SAMLMetadata == "" {
		return nil, nil
	}
	base := w.s.cfg.LiveClient
	if base == nil {
		// what the audit's loader would make itself
		base = input.NewClientPolicy(30*time.Second, netguard.Policy{AllowPrivate: w.s.cfg.AllowPrivateNetwork})
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	target := e.SAMLMetadata
	if u, err := url.Parse(target); err == nil {
		target = u.String() // as the request's URL says it
	}
	cp := &metaCapture{url: target, base: rt}
	c := *base
	c.Transport = cp
	return &c, cp
}

// metaCapture keeps the body of the IdP metadata while the audit reads
// it (the same bytes: no second request).
type metaCapture struct {
	url  string
	base http.RoundTripper
	mu   sync.Mutex
	body []byte
	done bool
}

// maxCapture bounds the metadata kept (the audit bounds what it reads).
const maxCapture = 16 << 20

func (m *metaCapture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := m.base.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || originURL(r) != m.url {
		return resp, err
	}
	resp.Body = &captureBody{ReadCloser: resp.Body, m: m}
	return resp, nil
}

// originURL is the address r's chain of redirects started from.
func originURL(r *http.Request) string {
	for r.Response != nil && r.Response.Request != nil {
		r = r.Response.Request
	}
	return r.URL.String()
}

type captureBody struct {
	io.ReadCloser
	m   *metaCapture
	buf []byte
}

func (b *captureBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if len(b.buf)+n <= maxCapture {
		b.buf = append(b.buf, p[:n]...)
	}
	if err == io.EOF {
		b.m.mu.Lock()
		b.m.body, b.m.done = b.buf, true
		b.m.mu.Unlock()
	}
	return n, err
}

// metadata is the metadata's body, when it was read whole.
func (m *metaCapture) metadata() ([]byte, bool) {
	if m == nil {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.body, m.done
}

// unreachable says, in French, which of e's addresses the run could not
// read for a network reason (no answer, refused connection, TLS, DNS, a
// 5xx or 429 answer), "" when every one was read. Such a run is not
// compared: the ENT did not change, the path to it failed.
func unreachable(e Watched, res *result.Result) string {
	read := map[string]result.Input{}
	for _, in := range res.Inputs {
		read[in.Source] = in
	}
	var why []string
	lc := e.liveCheck()
	for _, f := range lc.urls() {
		u := *f.val
		if u == "" {
			continue
		}
		if in, ok := read[u]; ok {
			if in.HTTPStatus >= 500 || in.HTTPStatus == http.StatusTooManyRequests {
				why = append(why, fmt.Sprintf("%s : le serveur a répondu avec le code HTTP %d", u, in.HTTPStatus))
			}
			continue
		}
		// not read: unreachable if an attempt failed (a piece the audit
		// did not need is simply not read)
		for _, x := range res.Results {
			if x.Status == result.Error && len(x.Evidence) > 0 && x.Evidence[0].Source == u {
				why = append(why, strings.TrimPrefix(x.Message, "Non évalué : "))
				break
			}
		}
	}
	return strings.Join(why, " ; ")
}

// verdictRank orders verdicts from best to worst.
func verdictRank(v result.Verdict) int {
	switch v {
	case result.Conforme, result.ConformeSousDerogation:
		return 0
	case result.ConformeAvecReserves:
		return 1
	case result.Incomplet:
		return 2
	case result.NonConforme:
		return 3
	}
	return 2
}

// worsened lists what got worse from one run to the next: the findings
// that passed and now fail (regressed), the new failures, and says
// whether the verdict worsened.
func worsened(d report.Diff) (items []report.DiffItem, verdictWorse bool) {
	items = append(items, d.Regressed...)
	for _, it := range d.New {
		if it.New == result.Fail || it.New == result.Error {
			items = append(items, it)
		}
	}
	return items, verdictRank(d.NewVerdict) > verdictRank(d.OldVerdict)
}

// settle makes the watch's record of the finished audit id when it is a
// run: its outcome (ok, network, error), its comparison with the ENT's
// previous ok run (report.Compare, as `sdetcheck diff`), the alerts it
// opens and resolves, and the ENT's next run; all stored at once. A run
// that failed for a network reason is retried (bounded backoff) and never
// compared.
func (w *watcher) settle(ctx context.Context, id string, meta *metaCapture) {
	r, err := w.st.RunOf(ctx, id)
	if err != nil || r.Settled {
		return
	}
	a, err := w.s.store.Get(ctx, id)
	if err != nil || (a.Status != StatusDone && a.Status != StatusFailed) {
		return
	}
	e, err := w.st.GetWatched(ctx, r.WatchedID)
	if err != nil {
		return
	}
	now := w.s.cfg.Now().UTC()
	next := slotAfter(now, w.interval(e), e.ID)
	st := Settlement{Run: r, Now: now, NextRun: next, Channels: w.channels()}
	st.Run.Verdict = a.Verdict
	var res result.Result
	switch {
	case a.Status == StatusFailed:
		st.Run.Outcome, st.Run.Detail = OutcomeError, a.Error
	case json.Unmarshal(a.Result, &res) != nil:
		st.Run.Outcome, st.Run.Detail = OutcomeError, "résultat illisible"
	default:
		if why := unreachable(e, &res); why != "" {
			st.Run.Outcome, st.Run.Detail = OutcomeNetwork, "ENT injoignable : "+why
		} else {
			st.Run.Outcome = OutcomeOK
		}
	}
	if st.Run.Outcome != OutcomeOK {
		// retried after a delay, at most len(retryDelays) times in a
		// period; a run cut by a crash at once
		st.Attempt = e.Attempt + 1
		delay := time.Duration(0)
		if st.Attempt <= len(retryDelays) {
			delay = retryDelays[st.Attempt-1]
			if a.Error == crashMessage {
				delay = 0
			}
		}
		if retry := now.Add(delay); st.Attempt <= len(retryDelays) && retry.Before(next) {
			st.NextRun = retry
		} else {
			st.Attempt = 0
		}
	} else if err := w.judge(ctx, e, &st, a, &res, meta); err != nil {
		w.s.log.Error("watch: compare", "audit", id, "err", err.Error())
		return
	}
	if err := w.st.Settle(ctx, st); err != nil {
		if !errors.Is(err, ErrSettled) {
			w.s.log.Error("watch: settle", "audit", id, "err", err.Error())
		}
		return
	}
	w.s.log.Info("watch run settled", "watched", e.ID, "audit", id, "outcome", st.Run.Outcome, "verdict", a.Verdict, "alerts", len(st.Open), "resolved", len(st.Resolve))
	if len(st.Open)+len(st.Resolve) > 0 {
		wake(w.notify)
	}
}

// judge compares an ok run with the previous ok run and decides the
// alerts it opens and resolves.
func (w *watcher) judge(ctx context.Context, e Watched, st *Settlement, a Audit, res *result.Result, meta *metaCapture) error {
	msg := w.message(e, a)
	prev, err := w.st.LastOK(ctx, e.ID, a.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		// the first run: the reference of the next ones
	case err != nil:
		return err
	default:
		pa, err := w.s.store.Get(ctx, prev.AuditID)
		if err != nil {
			return err
		}
		var old result.Result
		if err := json.Unmarshal(pa.Result, &old); err != nil {
			return err
		}
		d := report.Compare(&old, res)
		if st.Run.Diff, err = json.Marshal(d); err != nil {
			return err
		}
		st.Run.Previous = prev.AuditID
		msg.Run.PreviousVerdict = string(d.OldVerdict)
		if items, worse := worsened(d); len(items) > 0 || worse {
			m := msg
			m.Alert.Kind = AlertRegression
			m.Changes = &alertChanges{Regressed: d.Regressed, New: d.New, Fixed: d.Fixed}
			m.Alert.Summary = regressionSummary(e, items, d, worse)
			st.Open = append(st.Open, w.alert(e, a, AlertRegression, a.ID, m, items))
		}
	}
	// the expiries of the metadata read by this run
	var exps []expiry
	body, read := meta.metadata()
	if read {
		exps = metadataExpiries(e.SAMLMetadata, body)
	}
	// and the accessibility statement's validity, as the run judged it
	stmt, stmtRead := statementExpiry(res)
	if stmtRead {
		exps = append(exps, stmt)
	}
	if read || stmtRead {
		if st.Run.Expiries, err = json.Marshal(exps); err != nil {
			return err
		}
	}
	soon := map[string]bool{}
	for _, x := range exps {
		if x.NotAfter.Sub(st.Now) > w.cfg.Notice {
			continue
		}
		soon[x.Key] = true
		m := msg
		m.Alert.Kind = x.Kind
		x.DaysLeft = int(x.NotAfter.Sub(st.Now).Hours() / 24)
		m.Expiry = &x
		m.Alert.Summary = expirySummary(e, x, st.Now)
		st.Open = append(st.Open, w.alert(e, a, x.Kind, x.Key, m, nil))
	}
	// what this run resolves: a regression whose findings are no longer
	// problems, an expiry no longer due within the notice period (the
	// certificate replaced, validUntil moved)
	open, err := w.st.Alerts(ctx, e.ID, true, 1000)
	if err != nil {
		return err
	}
	for _, al := range open {
		switch al.Kind {
		case AlertRegression:
			if !stillFailing(al, res) {
				st.Resolve = append(st.Resolve, al.ID)
			}
		case AlertCertificate, AlertMetadata:
			if read && !soon[al.Key] {
				st.Resolve = append(st.Resolve, al.ID)
			}
		case AlertStatement:
			if stmtRead && !soon[al.Key] {
				st.Resolve = append(st.Resolve, al.ID)
			}
		}
	}
	return nil
}

// stillFailing says whether a regression alert's findings (rule and item)
// are still problems in res.
func stillFailing(al Alert, res *result.Result) bool {
	var m alertMessage
	if json.Unmarshal(al.Payload, &m) != nil {
		return false
	}
	want := map[string]bool{}
	for _, it := range m.Items {
		want[it.Rule+"\x00"+it.Item] = true
	}
	for _, f := range res.Results {
		if report.IsProblem(f) && want[f.Rule+"\x00"+f.Item] {
			return true
		}
	}
	return false
}

// channels are the alerts' channels configured.
func (w *watcher) channels() []string {
	var out []string
	if w.cfg.Webhook != nil {
		out = append(out, "webhook")
	}
	if w.cfg.Mail != nil {
		out = append(out, "mail")
	}
	return out
}

// link is the address of path for the alerts' readers.
func (w *watcher) link(path string) string { return w.cfg.PublicURL + path }

// message is what every alert of run a of e says of them.
func (w *watcher) message(e Watched, a Audit) alertMessage {
	var m alertMessage
	m.ENT = alertENT{ID: e.ID, Name: e.Name, Collectivite: e.Collectivite, Departement: e.Departement,
		URL: w.link("/veille/" + e.ID), API: w.link("/api/v1/watched/" + e.ID)}
	m.Run = alertRun{ID: a.ID, Date: a.Created.UTC().Format(time.RFC3339), Verdict: a.Verdict,
		URL: w.link("/audits/" + a.ID), API: w.link("/api/v1/audits/" + a.ID), ReportPDF: w.link("/api/v1/audits/" + a.ID + "/report.pdf")}
	return m
}

func (w *watcher) alert(e Watched, a Audit, kind, key string, m alertMessage, items []report.DiffItem) Alert {
	m.Alert.ID = newID()
	m.Alert.Opened = a.Created.UTC().Format(time.RFC3339)
	for _, it := range items {
		m.Items = append(m.Items, alertItem{Rule: it.Rule, Item: it.Item})
	}
	body, _ := json.Marshal(m)
	return Alert{ID: m.Alert.ID, WatchedID: e.ID, Kind: kind, Key: key, RunID: a.ID, Opened: a.Created, Summary: m.Alert.Summary, Payload: body}
}

func verdictWords(v result.Verdict) string {
	if l := report.VerdictLabel(v, "fr"); l != "" {
		return strings.ToLower(l)
	}
	return string(v)
}

func regressionSummary(e Watched, items []report.DiffItem, d report.Diff, worse bool) string {
	var rules []string
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Rule] {
			seen[it.Rule] = true
			rules = append(rules, it.Rule)
		}
	}
	var parts []string
	if len(rules) > 0 {
		parts = append(parts, "régression ("+strings.Join(rules, ", ")+")")
	}
	if worse {
		parts = append(parts, "verdict "+verdictWords(d.OldVerdict)+" → "+verdictWords(d.NewVerdict))
	}
	return e.Name + " (" + e.Collectivite + ") : " + strings.Join(parts, " ; ")
}

func expirySummary(e Watched, x expiry, now time.Time) string {
	when := x.NotAfter.In(paris).Format("02/01/2006")
	var what string
	if !x.NotAfter.After(now) {
		what = x.Subject + " : échéance dépassée depuis le " + when
	} else {
		what = fmt.Sprintf("%s : échéance le %s (dans %d jours)", x.Subject, when, x.DaysLeft)
	}
	return e.Name + " (" + e.Collectivite + ") : " + what
}

// alertMessage is an alert as its notifications carry it (the webhook's
// JSON body; the e-mail says the same in words).
type alertMessage struct {
	// Event and Delivery are set when it is sent.
	Event    string `json:"event"`
	Delivery string `json:"delivery"`
	Alert    struct {
		ID          string `json:"id"`
		Kind        string `json:"kind"`
		Summary     string `json:"summary"`
		Opened      string `json:"opened"`
		Resolved    string `json:"resolved,omitempty"`
		ResolvedRun string `json:"resolved_run,omitempty"`
	} `json:"alert"`
	ENT     alertENT      `json:"ent"`
	Run     alertRun      `json:"run"`
	Changes *alertChanges `json:"changes,omitempty"`
	Expiry  *expiry       `json:"expiry,omitempty"`
	// Items are the findings a regression is about (rule and item), kept
	// to say when it is resolved.
	Items []alertItem `json:"items,omitempty"`
}

type alertENT struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Collectivite string `json:"collectivite"`
	Departement  string `json:"departement"`
	URL          string `json:"url"`
	API          string `json:"api"`
}

type alertRun struct {
	ID              string `json:"id"`
	Date            string `json:"date"`
	Verdict         string `json:"verdict,omitempty"`
	PreviousVerdict string `json:"previous_verdict,omitempty"`
	URL             string `json:"url"`
	API             string `json:"api"`
	ReportPDF       string `json:"report_pdf"`
}

type alertChanges struct {
	Regressed []report.DiffItem `json:"regressed"`
	New       []report.DiffItem `json:"new"`
	Fixed     []report.DiffItem `json:"fixed"`
}

type alertItem struct {
	Rule string `json:"rule"`
	Item string `json:"item,omitempty"`
}
