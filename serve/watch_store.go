package serve

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// Watched is an ENT registered for scheduled spot checks (the watch): the
// addresses a spot check reads, who registered it and for which
// département, and where its schedule stands.
type Watched struct {
	ID           string
	Departement  string // the département whose DSDEN sees it
	Owner        string // the registering token's name
	Name         string // the ENT's name
	Collectivite string
	Degree       string
	SDET         string
	// The https addresses a spot check reads (LiveCheck's).
	HomePage, LoginPage, Notice, NoticeReference, SAMLMetadata string
	// AccessibilityStatement is kept for the accessibility area: no
	// spot check reads it yet.
	AccessibilityStatement string
	// Emails receive this ENT's alerts, beside the service's recipients.
	Emails []string
	// Interval between two scheduled runs; 0: the service's.
	Interval time.Duration
	Created  time.Time
	Updated  time.Time
	// NextRun is when the next run is due; RunID the run claimed and not
	// yet settled ("" when none); Attempt the runs of the current period
	// that failed for a network reason.
	NextRun time.Time
	RunID   string
	Attempt int
}

// WatchRun is one run of a watched ENT: an audit (a spot check) and what
// the watch made of it once settled.
type WatchRun struct {
	AuditID   string
	WatchedID string
	Scheduled time.Time // the next_run it was claimed for
	Attempt   int       // 0, or the retry of a run that failed
	// Outcome: "" until settled, then ok, network (the ENT could not be
	// read: never compared) or error (the audit failed).
	Outcome  string
	Detail   string // why network or error, in French
	Verdict  string
	Previous string // the ok run it was compared with
	Diff     []byte // report.Diff JSON (ok runs with a previous one)
	Expiries []byte // JSON of the expiries read in the IdP metadata
	Settled  bool
	// From the audit.
	Status  string
	Created time.Time
	Updated time.Time
}

// Run outcomes.
const (
	OutcomeOK      = "ok"
	OutcomeNetwork = "network"
	OutcomeError   = "error"
)

// Alert is a regression or an expiry of a watched ENT, open until
// resolved; its notifications are deliveries.
type Alert struct {
	ID        string
	WatchedID string
	Kind      string // regression, certificate, metadata
	// Key says what it is about: one open alert per (ENT, kind, key).
	Key          string
	RunID        string // the run that raised it
	Opened       time.Time
	Resolved     time.Time // zero while open
	ResolvedRun  string
	LastNotified time.Time
	Summary      string // one line, in French
	Payload      []byte // the alert's message (alertMessage JSON)
}

// Alert kinds.
const (
	AlertRegression  = "regression"
	AlertCertificate = "certificate"
	AlertMetadata    = "metadata"
	// AlertStatement: the accessibility statement's three years run out.
	AlertStatement = "statement"
)

// Delivery is one notification of an alert on one channel.
type Delivery struct {
	ID       string
	AlertID  string
	Channel  string // webhook, mail
	Event    string // alerte, rappel, resolu
	Due      time.Time
	Attempts int
	// The alert's (DueDeliveries): its message, ENT, and when and by
	// which run it was resolved.
	Payload     []byte
	WatchedID   string
	Resolved    time.Time
	ResolvedRun string
}

// Notification events.
const (
	EventAlert    = "alerte"
	EventReminder = "rappel"
	EventResolved = "resolu"
)

// Settlement is what the watch makes of a finished run, stored at once:
// the run's outcome, the ENT's next run, the alerts it opens and
// resolves, and their notifications on channels.
type Settlement struct {
	Run      WatchRun
	NextRun  time.Time
	Attempt  int
	Open     []Alert
	Resolve  []string
	Channels []string
	Now      time.Time
}

// ErrSettled: the run was already settled (by another path).
var ErrSettled = errors.New("run already settled")

// WatchStore keeps the watch. SQLite implements it.
type WatchStore interface {
	CreateWatched(ctx context.Context, w Watched) error
	GetWatched(ctx context.Context, id string) (Watched, error)
	// ListWatched lists the ENTs of departement ("" for all), by name.
	ListWatched(ctx context.Context, departement string) ([]Watched, error)
	// DeleteWatched deletes the ENT, its runs (their audits), alerts
	// and notifications.
	DeleteWatched(ctx context.Context, id string) error
	// DueWatched lists the ENTs due at now with no run claimed.
	DueWatched(ctx context.Context, now time.Time) ([]Watched, error)
	// Pending lists the ENTs with a run claimed.
	Pending(ctx context.Context) ([]Watched, error)
	// ClaimRun claims the run of w (still due at next, no run claimed):
	// the ENT's run is a, created queued, and r; false when another
	// claim came first. One transaction.
	ClaimRun(ctx context.Context, watchedID string, next time.Time, a Audit, r WatchRun) (bool, error)
	// ReleaseRun forgets the ENT's claimed run runID (its audit is
	// gone) and sets its next run.
	ReleaseRun(ctx context.Context, watchedID, runID string, next time.Time) error
	// SetNextRun moves the ENT's next run (run now).
	SetNextRun(ctx context.Context, id string, next time.Time) error
	// RunOf is the run whose audit is auditID.
	RunOf(ctx context.Context, auditID string) (WatchRun, error)
	// Runs lists the ENT's runs, newest first (at most limit).
	Runs(ctx context.Context, watchedID string, limit int) ([]WatchRun, error)
	// LastOK is the ENT's latest ok run but exclude.
	LastOK(ctx context.Context, watchedID, exclude string) (WatchRun, error)
	// Settle stores a settlement (ErrSettled when the run already is).
	Settle(ctx context.Context, s Settlement) error
	// Alerts lists the ENT's alerts, open first then newest first.
	Alerts(ctx context.Context, watchedID string, openOnly bool, limit int) ([]Alert, error)
	// DueDeliveries lists the notifications due at now.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// Delivered marks a notification sent.
	Delivered(ctx context.Context, id string, now time.Time) error
	// DeliveryFailed counts a failed attempt; next is the next try
	// (zero: given up).
	DeliveryFailed(ctx context.Context, id, msg string, next time.Time) error
	// Remind queues a reminder on channels for every open alert last
	// notified at or before before and with nothing left to send; it
	// returns how many.
	Remind(ctx context.Context, before, now time.Time, channels []string) (int, error)
	// ExpireAlerts deletes the alerts resolved before t.
	ExpireAlerts(ctx context.Context, before time.Time) (int, error)
}

// watchSchema is migration 3: the watch's tables.
const watchSchema = `CREATE TABLE watched (
		id            TEXT PRIMARY KEY,
		departement   TEXT NOT NULL,
		owner         TEXT NOT NULL,
		name          TEXT NOT NULL,
		collectivite  TEXT NOT NULL,
		degree        TEXT NOT NULL,
		sdet          TEXT NOT NULL DEFAULT '',
		home_page     TEXT NOT NULL DEFAULT '',
		login_page    TEXT NOT NULL DEFAULT '',
		notice        TEXT NOT NULL DEFAULT '',
		notice_reference TEXT NOT NULL DEFAULT '',
		saml_metadata TEXT NOT NULL DEFAULT '',
		accessibility_statement TEXT NOT NULL DEFAULT '',
		emails        TEXT NOT NULL DEFAULT '',
		interval_s    INTEGER NOT NULL DEFAULT 0,
		created       INTEGER NOT NULL,
		updated       INTEGER NOT NULL,
		next_run      INTEGER NOT NULL,
		run_id        TEXT NOT NULL DEFAULT '',
		attempt       INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX watched_departement ON watched(departement, name);
	CREATE INDEX watched_due ON watched(next_run) WHERE run_id = '';
	CREATE TABLE watch_runs (
		audit_id   TEXT PRIMARY KEY REFERENCES audits(id) ON DELETE CASCADE,
		watched_id TEXT NOT NULL REFERENCES watched(id) ON DELETE CASCADE,
		scheduled  INTEGER NOT NULL,
		attempt    INTEGER NOT NULL DEFAULT 0,
		outcome    TEXT NOT NULL DEFAULT '',
		detail     TEXT NOT NULL DEFAULT '',
		verdict    TEXT NOT NULL DEFAULT '',
		previous   TEXT NOT NULL DEFAULT '',
		diff       BLOB,
		expiries   BLOB,
		settled    INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX watch_runs_watched ON watch_runs(watched_id);
	CREATE TABLE alerts (
		id            TEXT PRIMARY KEY,
		watched_id    TEXT NOT NULL REFERENCES watched(id) ON DELETE CASCADE,
		kind          TEXT NOT NULL,
		key           TEXT NOT NULL,
		run_id        TEXT NOT NULL,
		opened        INTEGER NOT NULL,
		resolved      INTEGER NOT NULL DEFAULT 0,
		resolved_run  TEXT NOT NULL DEFAULT '',
		last_notified INTEGER NOT NULL DEFAULT 0,
		summary       TEXT NOT NULL,
		payload       BLOB NOT NULL
	);
	CREATE UNIQUE INDEX alerts_open ON alerts(watched_id, kind, key) WHERE resolved = 0;
	CREATE TABLE deliveries (
		id       TEXT PRIMARY KEY,
		alert_id TEXT NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
		channel  TEXT NOT NULL,
		event    TEXT NOT NULL,
		created  INTEGER NOT NULL,
		due      INTEGER NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		sent     INTEGER NOT NULL DEFAULT 0,
		error    TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX deliveries_due ON deliveries(due) WHERE sent = 0;`

const watchedColumns = `id, departement, owner, name, collectivite, degree, sdet, home_page, login_page, notice, notice_reference, saml_metadata, accessibility_statement, emails, interval_s, created, updated, next_run, run_id, attempt`

func scanWatched(row interface{ Scan(...any) error }) (Watched, error) {
	var w Watched
	var emails string
	var iv, c, u, n int64
	err := row.Scan(&w.ID, &w.Departement, &w.Owner, &w.Name, &w.Collectivite, &w.Degree, &w.SDET,
		&w.HomePage, &w.LoginPage, &w.Notice, &w.NoticeReference, &w.SAMLMetadata, &w.AccessibilityStatement,
		&emails, &iv, &c, &u, &n, &w.RunID, &w.Attempt)
	if emails != "" {
		w.Emails = strings.Split(emails, ",")
	}
	w.Interval = time.Duration(iv) * time.Second
	w.Created, w.Updated, w.NextRun = fromMS(c), fromMS(u), fromMS(n)
	return w, err
}

func (s *SQLite) CreateWatched(ctx context.Context, w Watched) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO watched (`+watchedColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0)`,
		w.ID, w.Departement, w.Owner, w.Name, w.Collectivite, w.Degree, w.SDET,
		w.HomePage, w.LoginPage, w.Notice, w.NoticeReference, w.SAMLMetadata, w.AccessibilityStatement,
		strings.Join(w.Emails, ","), int64(w.Interval/time.Second), ms(w.Created), ms(w.Created), ms(w.NextRun))
	return err
}

func (s *SQLite) GetWatched(ctx context.Context, id string) (Watched, error) {
	w, err := scanWatched(s.db.QueryRowContext(ctx, `SELECT `+watchedColumns+` FROM watched WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Watched{}, ErrNotFound
	}
	return w, err
}

func (s *SQLite) listWatched(ctx context.Context, q string, args ...any) ([]Watched, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+watchedColumns+` FROM watched `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Watched{}
	for rows.Next() {
		w, err := scanWatched(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (s *SQLite) ListWatched(ctx context.Context, departement string) ([]Watched, error) {
	return s.listWatched(ctx, `WHERE ? = '' OR departement = ? ORDER BY name, collectivite, id LIMIT 5000`, departement, departement)
}

func (s *SQLite) DueWatched(ctx context.Context, now time.Time) ([]Watched, error) {
	return s.listWatched(ctx, `WHERE run_id = '' AND next_run <= ? ORDER BY next_run, id LIMIT 1000`, ms(now))
}

func (s *SQLite) Pending(ctx context.Context) ([]Watched, error) {
	return s.listWatched(ctx, `WHERE run_id != '' ORDER BY next_run, id`)
}

func (s *SQLite) DeleteWatched(ctx context.Context, id string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM audits WHERE id IN (SELECT audit_id FROM watch_runs WHERE watched_id = ?)`, id); err != nil {
		return err
	}
	r, err := tx.ExecContext(ctx, `DELETE FROM watched WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return s.truncateWAL(ctx)
}

func (s *SQLite) ClaimRun(ctx context.Context, watchedID string, next time.Time, a Audit, r WatchRun) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE watched SET run_id = ? WHERE id = ? AND run_id = '' AND next_run = ?`, a.ID, watchedID, ms(next))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := insertAudit(ctx, tx, a); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO watch_runs (audit_id, watched_id, scheduled, attempt) VALUES (?, ?, ?, ?)`,
		a.ID, watchedID, ms(r.Scheduled), r.Attempt); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

func (s *SQLite) ReleaseRun(ctx context.Context, watchedID, runID string, next time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE watched SET run_id = '', next_run = ? WHERE id = ? AND run_id = ?`, ms(next), watchedID, runID)
	return err
}

func (s *SQLite) SetNextRun(ctx context.Context, id string, next time.Time) error {
	return s.exec1(ctx, `UPDATE watched SET next_run = ? WHERE id = ?`, ms(next), id)
}

const runColumns = `r.audit_id, r.watched_id, r.scheduled, r.attempt, r.outcome, r.detail, r.verdict, r.previous, r.diff, r.expiries, r.settled, a.status, a.created, a.updated`

func scanRun(row interface{ Scan(...any) error }) (WatchRun, error) {
	var r WatchRun
	var sch, c, u int64
	err := row.Scan(&r.AuditID, &r.WatchedID, &sch, &r.Attempt, &r.Outcome, &r.Detail, &r.Verdict, &r.Previous,
		&r.Diff, &r.Expiries, &r.Settled, &r.Status, &c, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return WatchRun{}, ErrNotFound
	}
	r.Scheduled, r.Created, r.Updated = fromMS(sch), fromMS(c), fromMS(u)
	return r, err
}

func (s *SQLite) RunOf(ctx context.Context, auditID string) (WatchRun, error) {
	return scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM watch_runs r JOIN audits a ON a.id = r.audit_id WHERE r.audit_id = ?`, auditID))
}

func (s *SQLite) Runs(ctx context.Context, watchedID string, limit int) ([]WatchRun, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+runColumns+` FROM watch_runs r JOIN audits a ON a.id = r.audit_id WHERE r.watched_id = ? ORDER BY r.rowid DESC LIMIT ?`, watchedID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []WatchRun{}
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *SQLite) LastOK(ctx context.Context, watchedID, exclude string) (WatchRun, error) {
	return scanRun(s.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM watch_runs r JOIN audits a ON a.id = r.audit_id
		WHERE r.watched_id = ? AND r.outcome = 'ok' AND r.audit_id != ? AND a.status = 'done' ORDER BY r.rowid DESC LIMIT 1`, watchedID, exclude))
}

func (s *SQLite) Settle(ctx context.Context, st Settlement) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r := st.Run
	res, err := tx.ExecContext(ctx, `UPDATE watch_runs SET outcome = ?, detail = ?, verdict = ?, previous = ?, diff = ?, expiries = ?, settled = 1 WHERE audit_id = ? AND settled = 0`,
		r.Outcome, r.Detail, r.Verdict, r.Previous, r.Diff, r.Expiries, r.AuditID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrSettled
	}
	if _, err := tx.ExecContext(ctx, `UPDATE watched SET run_id = '', next_run = ?, attempt = ? WHERE id = ? AND run_id = ?`,
		ms(st.NextRun), st.Attempt, r.WatchedID, r.AuditID); err != nil {
		return err
	}
	deliver := func(alertID, event string) error {
		for _, ch := range st.Channels {
			if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (id, alert_id, channel, event, created, due) VALUES (?, ?, ?, ?, ?, ?)`,
				newID(), alertID, ch, event, ms(st.Now), ms(st.Now)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, al := range st.Open {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO alerts (id, watched_id, kind, key, run_id, opened, summary, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			al.ID, al.WatchedID, al.Kind, al.Key, al.RunID, ms(al.Opened), al.Summary, al.Payload)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // the same alert is open already
		}
		if err := deliver(al.ID, EventAlert); err != nil {
			return err
		}
	}
	for _, id := range st.Resolve {
		res, err := tx.ExecContext(ctx, `UPDATE alerts SET resolved = ?, resolved_run = ? WHERE id = ? AND resolved = 0`, ms(st.Now), r.AuditID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		// nothing left to send of what it was
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET sent = -1, error = 'résolue avant envoi' WHERE alert_id = ? AND sent = 0`, id); err != nil {
			return err
		}
		if err := deliver(id, EventResolved); err != nil {
			return err
		}
	}
	return tx.Commit()
}

const alertColumns = `id, watched_id, kind, key, run_id, opened, resolved, resolved_run, last_notified, summary, payload`

func scanAlert(row interface{ Scan(...any) error }) (Alert, error) {
	var a Alert
	var o, r, l int64
	err := row.Scan(&a.ID, &a.WatchedID, &a.Kind, &a.Key, &a.RunID, &o, &r, &a.ResolvedRun, &l, &a.Summary, &a.Payload)
	a.Opened = fromMS(o)
	if r > 0 {
		a.Resolved = fromMS(r)
	}
	if l > 0 {
		a.LastNotified = fromMS(l)
	}
	return a, err
}

func (s *SQLite) Alerts(ctx context.Context, watchedID string, openOnly bool, limit int) ([]Alert, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+alertColumns+` FROM alerts WHERE watched_id = ? AND (? = 0 OR resolved = 0)
		ORDER BY resolved != 0, opened DESC, rowid DESC LIMIT ?`, watchedID, openOnly, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Alert{}
	for rows.Next() {
		a, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *SQLite) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.alert_id, d.channel, d.event, d.due, d.attempts, a.payload, a.watched_id, a.resolved, a.resolved_run
		FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.sent = 0 AND d.due <= ? ORDER BY d.due, d.rowid LIMIT ?`, ms(now), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var due, res int64
		if err := rows.Scan(&d.ID, &d.AlertID, &d.Channel, &d.Event, &due, &d.Attempts, &d.Payload, &d.WatchedID, &res, &d.ResolvedRun); err != nil {
			return nil, err
		}
		d.Due = fromMS(due)
		if res > 0 {
			d.Resolved = fromMS(res)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *SQLite) Delivered(ctx context.Context, id string, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET sent = ?, attempts = attempts + 1, error = '' WHERE id = ?`, ms(now), id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE alerts SET last_notified = ? WHERE id = (SELECT alert_id FROM deliveries WHERE id = ?)`, ms(now), id); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *SQLite) DeliveryFailed(ctx context.Context, id, msg string, next time.Time) error {
	if next.IsZero() {
		_, err := s.db.ExecContext(ctx, `UPDATE deliveries SET sent = -1, attempts = attempts + 1, error = ? WHERE id = ?`, msg, id)
		return err
	}
	_, err := s.db.ExecContext(ctx, `UPDATE deliveries SET due = ?, attempts = attempts + 1, error = ? WHERE id = ?`, ms(next), msg, id)
	return err
}

func (s *SQLite) Remind(ctx context.Context, before, now time.Time, channels []string) (int, error) {
	if len(channels) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id FROM alerts WHERE resolved = 0 AND last_notified > 0 AND last_notified <= ?
		AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = alerts.id AND d.sent = 0)`, ms(before))
	if err != nil {
		return 0, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, id := range ids {
		for _, ch := range channels {
			if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (id, alert_id, channel, event, created, due) VALUES (?, ?, ?, ?, ?, ?)`,
				newID(), id, ch, EventReminder, ms(now), ms(now)); err != nil {
				return 0, err
			}
		}
	}
	return len(ids), tx.Commit()
}

func (s *SQLite) ExpireAlerts(ctx context.Context, before time.Time) (int, error) {
	r, err := s.db.ExecContext(ctx, `DELETE FROM alerts WHERE resolved > 0 AND resolved < ?`, ms(before))
	if err != nil {
		return 0, err
	}
	n, _ := r.RowsAffected()
	if n == 0 {
		return 0, nil
	}
	return int(n), s.truncateWAL(ctx)
}
