package serve

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
	_ "modernc.org/sqlite" // pure-Go SQLite driver "sqlite"
)

// Audit is one submitted dossier's audit as the store keeps it: never the
// dossier itself, only the SHA-256 of the archive, the (masked) result and
// the rendered reports.
type Audit struct {
	ID          string
	Owner       string // the submitting token's name
	Departement string // the owner's département (what a DSDEN sees)
	Status      string // queued, running, done, failed
	Created     time.Time
	Updated     time.Time
	Verdict     string
	ENT         string // the ENT's name from ent.yaml (not personal data)
	// Collectivite is the collectivité's name from ent.yaml (a spot
	// check's from its request, known from the start; an archive's once
	// its audit is done).
	Collectivite string
	// Kind is KindDossier (an uploaded archive) or KindSpotCheck.
	Kind        string
	Error       string // why it failed, in French
	InputSHA256 string
	Result      []byte // the result JSON (Get only)
}

// Audit statuses.
const (
	StatusQueued  = "queued"
	StatusRunning = "running"
	StatusDone    = "done"
	StatusFailed  = "failed"
)

// What an audit audits: an uploaded dossier's archive, or a live ENT's
// addresses (a spot check).
const (
	KindDossier   = "dossier"
	KindSpotCheck = "spotcheck"
)

// Filter narrows List; empty fields match everything.
type Filter struct {
	Owner       string
	Departement string
}

// ErrNotFound is the error of a store given an unknown audit id.
var ErrNotFound = errors.New("audit not found")

// Store keeps audits. SQLite implements it (NewSQLite); a national
// deployment can put PostgreSQL behind the same interface (docs/serve.md).
type Store interface {
	Create(ctx context.Context, a Audit) error
	Get(ctx context.Context, id string) (Audit, error)
	// List returns the audits f matches, newest first, without results
	// (the runs of the watch are not listed: their ENT lists them).
	List(ctx context.Context, f Filter) ([]Audit, error)
	// SetStatus moves an audit to queued or running.
	SetStatus(ctx context.Context, id, status string) error
	// Finish stores a done audit's result, verdict, ENT and collectivité
	// names and reports.
	Finish(ctx context.Context, id string, result []byte, verdict, ent, collectivite string, reports map[string][]byte) error
	// Fail marks an audit failed with a message.
	Fail(ctx context.Context, id, msg string) error
	// Report returns a done audit's report in format.
	Report(ctx context.Context, id, format string) ([]byte, error)
	Delete(ctx context.Context, id string) error
	// Expire deletes the audits created before t and returns their ids.
	Expire(ctx context.Context, before time.Time) ([]string, error)
	// Unfinished returns the queued and running audits, oldest first.
	Unfinished(ctx context.Context) ([]Audit, error)
	Close() error
}

// migrations are the store's schema versions, applied in order; the
// database's PRAGMA user_version is the number applied. Never edit one
// that has shipped: append.
var migrations = []string{
	// 1: audits and their rendered reports
	`CREATE TABLE audits (
		id           TEXT PRIMARY KEY,
		owner        TEXT NOT NULL,
		departement  TEXT NOT NULL,
		status       TEXT NOT NULL CHECK (status IN ('queued','running','done','failed')),
		created      INTEGER NOT NULL,
		updated      INTEGER NOT NULL,
		verdict      TEXT NOT NULL DEFAULT '',
		ent          TEXT NOT NULL DEFAULT '',
		error        TEXT NOT NULL DEFAULT '',
		input_sha256 TEXT NOT NULL,
		result       BLOB
	);
	CREATE TABLE reports (
		audit_id TEXT NOT NULL REFERENCES audits(id) ON DELETE CASCADE,
		format   TEXT NOT NULL,
		body     BLOB NOT NULL,
		PRIMARY KEY (audit_id, format)
	);`,
	// 2: what List and Expire filter on
	`CREATE INDEX audits_owner ON audits(owner, created);
	CREATE INDEX audits_departement ON audits(departement, created);
	CREATE INDEX audits_created ON audits(created);
	CREATE INDEX audits_status ON audits(status);`,
	// 3: the collectivité's name (the list names it, not the token) and
	// what was audited (a spot check's page speaks of no archive); the
	// names of the audits already done are read from their results
	`ALTER TABLE audits ADD COLUMN collectivite TEXT NOT NULL DEFAULT '';
	ALTER TABLE audits ADD COLUMN kind TEXT NOT NULL DEFAULT 'dossier' CHECK (kind IN ('dossier','spotcheck'));
	UPDATE audits SET collectivite = COALESCE(json_extract(CAST(result AS TEXT), '$.subject.collectivite'), '')
		WHERE result IS NOT NULL AND json_valid(CAST(result AS TEXT));
	UPDATE audits SET kind = 'spotcheck'
		WHERE result IS NOT NULL AND json_valid(CAST(result AS TEXT)) AND json_extract(CAST(result AS TEXT), '$.scope') = 'en-ligne';`,
	// 4: the watch of registered ENTs (watch_store.go)
	watchSchema,
}

// SQLite is the Store in one SQLite file (WAL mode).
type SQLite struct {
	db *sql.DB
	// pending: a deletion's WAL is yet to be truncated.
	pending atomic.Bool
}

// DBFile is the store's file name under --data.
const DBFile = "sdetcheck.db"

// NewSQLite opens (creating it if needed) the store under dir and applies
// the migrations it lacks.
//
// The database and its WAL and shared-memory files are readable by their
// owner only (0600): SQLite gives the WAL and shared-memory files the
// mode of the database, made here before SQLite opens it. Deleted rows
// are overwritten (secure_delete), and a deletion checkpoints the WAL and
// truncates it, so that nothing of an erased audit stays readable.
func NewSQLite(ctx context.Context, dir string) (*SQLite, error) {
	path := filepath.Join(dir, DBFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, input.Wrap(err, "make %s readable by its owner only", "impossible de rendre %s lisible par son seul propriétaire", p)
		}
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	s := &SQLite{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func (s *SQLite) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this sdetcheck's (%d)", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Version is the schema version applied (tests).
func (s *SQLite) Version(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// JournalMode is the database's journal mode (tests).
func (s *SQLite) JournalMode(ctx context.Context) (string, error) {
	var m string
	err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&m)
	return m, err
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func (s *SQLite) Create(ctx context.Context, a Audit) error {
	return insertAudit(ctx, s.db, a)
}

// insertAudit adds a's row (in the store or in a transaction of it).
func insertAudit(ctx context.Context, db interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, a Audit) error {
	kind := a.Kind
	if kind == "" {
		kind = KindDossier
	}
	_, err := db.ExecContext(ctx, `INSERT INTO audits (id, owner, departement, status, created, updated, input_sha256, collectivite, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, a.Owner, a.Departement, a.Status, ms(a.Created), ms(a.Created), a.InputSHA256, a.Collectivite, kind)
	return err
}

const columns = `id, owner, departement, status, created, updated, verdict, ent, error, input_sha256, collectivite, kind`

func scan(row interface{ Scan(...any) error }, extra ...any) (Audit, error) {
	var a Audit
	var c, u int64
	err := row.Scan(append([]any{&a.ID, &a.Owner, &a.Departement, &a.Status, &c, &u, &a.Verdict, &a.ENT, &a.Error, &a.InputSHA256, &a.Collectivite, &a.Kind}, extra...)...)
	a.Created, a.Updated = fromMS(c), fromMS(u)
	return a, err
}

func (s *SQLite) Get(ctx context.Context, id string) (Audit, error) {
	var res []byte
	a, err := scan(s.db.QueryRowContext(ctx, `SELECT `+columns+`, result FROM audits WHERE id = ?`, id), &res)
	if errors.Is(err, sql.ErrNoRows) {
		return Audit{}, ErrNotFound
	}
	a.Result = res
	return a, err
}

func (s *SQLite) List(ctx context.Context, f Filter) ([]Audit, error) {
	// the runs of the watch are listed with their ENT, not here
	q := `SELECT ` + columns + ` FROM audits WHERE (? = '' OR owner = ?) AND (? = '' OR departement = ?)
		AND NOT EXISTS (SELECT 1 FROM watch_runs w WHERE w.audit_id = audits.id) ORDER BY created DESC, id LIMIT 1000`
	rows, err := s.db.QueryContext(ctx, q, f.Owner, f.Owner, f.Departement, f.Departement)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Audit{}
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *SQLite) exec1(ctx context.Context, q string, args ...any) error {
	r, err := s.db.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *SQLite) SetStatus(ctx context.Context, id, status string) error {
	return s.exec1(ctx, `UPDATE audits SET status = ?, updated = ? WHERE id = ?`, status, ms(time.Now()), id)
}

func (s *SQLite) Finish(ctx context.Context, id string, result []byte, verdict, ent, collectivite string, reports map[string][]byte) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `UPDATE audits SET status = 'done', updated = ?, result = ?, verdict = ?, ent = ?, collectivite = ?, error = '' WHERE id = ?`, ms(time.Now()), result, verdict, ent, collectivite, id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrNotFound // deleted while it ran
	}
	for f, body := range reports {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO reports (audit_id, format, body) VALUES (?, ?, ?)`, id, f, body); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (s *SQLite) Fail(ctx context.Context, id, msg string) error {
	return s.exec1(ctx, `UPDATE audits SET status = 'failed', updated = ?, error = ? WHERE id = ?`, ms(time.Now()), msg, id)
}

func (s *SQLite) Report(ctx context.Context, id, format string) ([]byte, error) {
	var body []byte
	err := s.db.QueryRowContext(ctx, `SELECT body FROM reports WHERE audit_id = ? AND format = ?`, id, format).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return body, err
}

func (s *SQLite) Delete(ctx context.Context, id string) error {
	if err := s.exec1(ctx, `DELETE FROM audits WHERE id = ?`, id); err != nil {
		return err
	}
	return s.truncateWAL(ctx)
}

// truncateWAL copies the WAL into the database and empties it: the
// pages of a deleted audit, overwritten in the database by secure_delete,
// would otherwise stay readable in the WAL's older frames.
// A reader that keeps the WAL past the busy timeout leaves it for the
// next deletion or the hourly expiry (pending).
func (s *SQLite) truncateWAL(ctx context.Context) error {
	var busy, logFrames, done int
	if err := s.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return err
	}
	s.pending.Store(busy != 0)
	return nil
}

func (s *SQLite) Expire(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `DELETE FROM audits WHERE created < ? AND status IN ('done','failed') RETURNING id`, ms(before))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return ids, err
	}
	rows.Close()
	if len(ids) == 0 && !s.pending.Load() {
		return ids, nil
	}
	return ids, s.truncateWAL(ctx)
}

func (s *SQLite) Unfinished(ctx context.Context) ([]Audit, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+columns+` FROM audits WHERE status IN ('queued','running') ORDER BY created, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Audit
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (s *SQLite) Close() error { return s.db.Close() }

// chmod is os.Chmod (tests make it fail).
var chmod = os.Chmod
