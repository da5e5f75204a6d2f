package serve

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// workEntries lists what is left under the work root.
func workEntries(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// After a crash (the process killed while one audit ran and another
// waited), the restart deletes the unpacked dossier and fails the cut
// audit, runs the waiting one from its archive, removes anything else,
// and in the end nothing of any dossier is left; nothing was ever
// written under --data but the database.
func TestRestartAfterCrashLeavesNoDossier(t *testing.T) {
	data, work := t.TempDir(), t.TempDir()
	ctx := context.Background()
	st, err := NewSQLite(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	running, queued := newID(), newID()
	for _, a := range []Audit{
		{ID: running, Owner: "poitiers", Departement: "86", Status: StatusRunning, Created: now, InputSHA256: strings.Repeat("a", 64)},
		{ID: queued, Owner: "poitiers", Departement: "86", Status: StatusQueued, Created: now, InputSHA256: strings.Repeat("b", 64)},
	} {
		if err := st.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	// what the crash left: the running audit's archive and unpacked
	// dossier (pupils' data), the queued one's archive, a stray directory
	os.MkdirAll(filepath.Join(work, running, "dossier", "conforme", "aaf"), 0o700)
	os.WriteFile(filepath.Join(work, running, "dossier", "conforme", "aaf", "eleves.xml"), []byte("<eleves/>"), 0o600)
	os.WriteFile(filepath.Join(work, running, uploadName), []byte("x"), 0o600)
	os.MkdirAll(filepath.Join(work, queued, "dossier"), 0o700)
	os.WriteFile(filepath.Join(work, queued, uploadName), tarGz(t, conforme, "conforme/"), 0o600)
	os.MkdirAll(filepath.Join(work, "0123-reste"), 0o700)

	h := newHarness(t, Config{Data: data, Work: work, Workers: 1, Queue: 2})
	a := h.waitDone("tok-poitiers-0123456789abcdef0123456789", running)
	if a["status"] != StatusFailed || !strings.Contains(a["error"].(string), "arrêt inattendu") {
		t.Errorf("audit cut by the crash: %v", a)
	}
	if a := h.waitDone("tok-poitiers-0123456789abcdef0123456789", queued); a["status"] != StatusDone || a["verdict"] != "conforme" {
		t.Errorf("queued audit after the restart: %v %v %v", a["status"], a["verdict"], a["error"])
	}
	if left := workEntries(t, work); len(left) != 0 {
		t.Errorf("left in the work directory after the restart: %v", left)
	}
	assertOnlyDatabase(t, data)
}

// assertOnlyDatabase checks that --data holds the SQLite files only.
func assertOnlyDatabase(t *testing.T, data string) {
	t.Helper()
	ents, _ := os.ReadDir(data)
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), DBFile) {
			t.Errorf("--data holds %s: only the database is kept there", e.Name())
		}
	}
}

// A graceful shutdown lets a running audit finish within the grace
// period; past it the audit is cut, queued again with its archive (the
// unpacked dossier deleted) and run at the next start.
func TestShutdownRequeues(t *testing.T) {
	data, work := t.TempDir(), t.TempDir()
	started := make(chan struct{}, 1)
	h := newHarness(t, Config{Data: data, Work: work, Workers: 1, Queue: 1, hook: func(ctx context.Context) {
		started <- struct{}{}
		<-ctx.Done() // a slow audit: cut by the end of the grace period
	}})
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", tarGz(t, conforme, ""))
	var acc struct{ ID string }
	r.json(t, &acc)
	<-started
	h.srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := h.svc.Shutdown(sctx); err != nil {
		t.Fatal(err)
	}
	left := workEntries(t, work)
	if len(left) != 2 || left[0] != acc.ID || left[1] != filepath.Join(acc.ID, uploadName) {
		t.Errorf("after the shutdown the work directory holds %v, want the archive only", left)
	}
	h2 := newHarness(t, Config{Data: data, Work: work, Workers: 1, Queue: 1})
	if a := h2.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID); a["status"] != StatusDone {
		t.Errorf("requeued audit: %v %v", a["status"], a["error"])
	}
	if left := workEntries(t, work); len(left) != 0 {
		t.Errorf("left in the work directory: %v", left)
	}
}

// Limits: a full queue answers 429 with Retry-After (and the slot comes
// back when the audit ends), a body past --max-upload 413, a token past
// its rate 429, a stopping service 503.
func TestLimits(t *testing.T) {
	release := make(chan struct{})
	h := newHarness(t, Config{Workers: 1, Queue: 0, MaxUpload: 1 << 20, hook: func(ctx context.Context) {
		select {
		case <-release:
		case <-ctx.Done():
		}
	}})
	archive := tarGz(t, conforme, "")
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", archive)
	if r.status != http.StatusAccepted {
		t.Fatalf("first upload: %d %s", r.status, r.body)
	}
	var acc struct{ ID string }
	r.json(t, &acc)
	r = h.upload("tok-chatellerault-0123456789abcdef0123456789", archive)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("upload with the queue full: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	close(release)
	h.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID)
	if r := h.upload("tok-chatellerault-0123456789abcdef0123456789", archive); r.status != http.StatusAccepted {
		t.Errorf("upload once the queue has room: %d %s", r.status, r.body)
	}
	big := make([]byte, 2<<20)
	copy(big, archive)
	if r := h.upload("tok-poitiers-0123456789abcdef0123456789", big); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("upload past --max-upload: %d %s", r.status, r.body)
	}

	slow := newHarness(t, Config{Rate: 1, Burst: 3})
	codes := []int{}
	for i := 0; i < 5; i++ {
		codes = append(codes, slow.do("GET", "/api/v1/audits", "tok-admin-0123456789abcdef0123456789", nil, "").status)
	}
	if codes[0] != 200 || codes[4] != http.StatusTooManyRequests {
		t.Errorf("rate limit: %v", codes)
	}
	// another token has its own budget
	if r := slow.do("GET", "/api/v1/audits", "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 200 {
		t.Errorf("other token: %d", r.status)
	}
	slow.svc.draining.Store(true)
	if r := slow.do("GET", "/healthz", "", nil, ""); r.status != http.StatusServiceUnavailable {
		t.Errorf("healthz while stopping: %d", r.status)
	}
	if r := slow.upload("tok-larochelle-0123456789abcdef0123456789", archive); r.status != http.StatusServiceUnavailable {
		t.Errorf("upload while stopping: %d", r.status)
	}
}

// Results expire after the retention period; the store is one SQLite
// file in WAL mode at the last migration.
func TestStoreRetention(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	h := newHarness(t, Config{Retention: 48 * time.Hour, Now: clock.Now, Burst: 1 << 20})
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", tarGz(t, conforme, ""))
	var acc struct{ ID string }
	r.json(t, &acc)
	a := h.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID)
	if a["expires"] != "2026-12-03T12:00:00Z" {
		t.Errorf("expires %v", a["expires"])
	}
	clock.Add(47 * time.Hour)
	h.svc.Expire(context.Background())
	if r := h.do("GET", "/api/v1/audits/"+acc.ID, "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 200 {
		t.Errorf("before expiry: %d", r.status)
	}
	clock.Add(2 * time.Hour)
	h.svc.Expire(context.Background())
	if r := h.do("GET", "/api/v1/audits/"+acc.ID, "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 404 {
		t.Errorf("after expiry: %d", r.status)
	}
	sq := h.svc.Store().(*SQLite)
	if v, _ := sq.Version(context.Background()); v != len(migrations) {
		t.Errorf("schema version %d, want %d", v, len(migrations))
	}
	if m, _ := sq.JournalMode(context.Background()); m != "wal" {
		t.Errorf("journal mode %q, want wal", m)
	}
	assertOnlyDatabase(t, h.cfg.Data)
}
