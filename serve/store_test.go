package serve

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// withCanary is the sample dossier packed as a .tar.gz, its ENT named
// canary (the name is in the result, the reports and a column).
func withCanary(t *testing.T, canary string) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(conforme)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "ent.yaml")
	y, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	y = bytes.Replace(y, []byte(`name: "Néo Collège Fictif"`), []byte(`name: "`+canary+`"`), 1)
	if err := os.WriteFile(p, y, 0o600); err != nil {
		t.Fatal(err)
	}
	return tarGz(t, dir, "")
}

// filesHolding lists the files under dir whose bytes hold s.
func filesHolding(t *testing.T, dir, s string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(s)) {
			out = append(out, filepath.Base(p))
		}
		return nil
	})
	return out
}

// A deleted audit, and an expired one, leave nothing readable under
// --data: neither in sdetcheck.db (secure_delete overwrites the freed
// pages) nor in its WAL (checkpointed and truncated after the deletion).
func TestDeletedAuditLeavesNothing(t *testing.T) {
	clock := &fixedClock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	h := newHarness(t, Config{Workers: 1, Queue: 2, Retention: 48 * time.Hour, Now: clock.Now, Burst: 1 << 20})
	for _, c := range []struct {
		canary string
		erase  func(id string)
	}{
		{"CANARI-SUPPRESSION-7f3a9c2e", func(id string) {
			if r := h.do("DELETE", "/api/v1/audits/"+id, "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 204 {
				t.Fatalf("DELETE: %d %s", r.status, r.body)
			}
		}},
		{"CANARI-EXPIRATION-51b0d4aa", func(id string) {
			clock.Add(72 * time.Hour)
			h.svc.Expire(context.Background())
			if r := h.do("GET", "/api/v1/audits/"+id, "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 404 {
				t.Fatalf("expired audit still there: %d", r.status)
			}
		}},
	} {
		r := h.upload("tok-poitiers-0123456789abcdef0123456789", withCanary(t, c.canary))
		if r.status != 202 {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		id := jsonField(r.body, "id")
		if a := h.waitDone("tok-poitiers-0123456789abcdef0123456789", id); a["status"] != StatusDone || a["ent"] != c.canary {
			t.Fatalf("audit: %v %v %v", a["status"], a["ent"], a["error"])
		}
		if got := filesHolding(t, h.cfg.Data, c.canary); len(got) == 0 {
			t.Fatalf("the canary is in no file under --data before the deletion: the test proves nothing")
		}
		c.erase(id)
		if got := filesHolding(t, h.cfg.Data, c.canary); len(got) != 0 {
			t.Errorf("%s still readable in %v after the audit was erased", c.canary, got)
		}
	}
}

// modes are the permission bits of --data and of the files in it.
func modes(t *testing.T, dir string) map[string]fs.FileMode {
	t.Helper()
	out := map[string]fs.FileMode{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = st.Mode().Perm()
		return nil
	})
	return out
}

// The store is readable by its owner only: --data 0700 (tightened when it
// already exists, looser), sdetcheck.db and its WAL and shared-memory
// files 0600, whatever the umask; the work root too.
func TestStorePermissions(t *testing.T) {
	root := t.TempDir()
	data, work := filepath.Join(root, "data"), filepath.Join(root, "work")
	os.Mkdir(data, 0o755)
	os.Mkdir(work, 0o755)
	os.WriteFile(filepath.Join(data, DBFile), nil, 0o644)
	os.Chmod(data, 0o755) // whatever the umask
	os.Chmod(work, 0o755)
	os.Chmod(filepath.Join(data, DBFile), 0o644)
	h := newHarness(t, Config{Data: data, Work: work, Workers: 1, Queue: 1})
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", tarGz(t, conforme, ""))
	h.waitDone("tok-poitiers-0123456789abcdef0123456789", jsonField(r.body, "id"))
	got := modes(t, data)
	for _, f := range []string{DBFile, DBFile + "-wal", DBFile + "-shm"} {
		if _, ok := got[f]; !ok {
			t.Errorf("no %s under --data", f)
		}
	}
	for name, m := range got {
		want := fs.FileMode(0o600)
		if name == "." {
			want = 0o700
		}
		if m != want {
			t.Errorf("--data/%s: mode %v, want %v", name, m, want)
		}
	}
	if m := modes(t, work)["."]; m != 0o700 {
		t.Errorf("--work: mode %v, want 0700", m)
	}
}

// A --data whose permissions cannot be tightened is refused, saying so.
func TestStorePermissionsRefused(t *testing.T) {
	defer func(f func(string, fs.FileMode) error) { chmod = f }(chmod)
	chmod = func(string, fs.FileMode) error { return fs.ErrPermission }
	data := filepath.Join(t.TempDir(), "data")
	os.Mkdir(data, 0o755)
	os.Chmod(data, 0o755)
	toks, _ := ParseTokens("tokens.yaml", []byte(tokensYAML()))
	_, err := New(context.Background(), Config{Data: data, Work: t.TempDir(), Tokens: toks})
	if err == nil || !strings.Contains(frenchOf(err), "lisible par d'autres utilisateurs") || !strings.Contains(frenchOf(err), data) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("got %v", frenchOf(err))
	}
}

// Migration 3 names the collectivité of the audits already done, from
// their results, and tells the spot checks (audited en ligne) from the
// dossiers; new audits carry both.
func TestMigrationNamesTheCollectivite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:2] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	for _, row := range [][]any{
		{"a1", `{"subject":{"collectivite":"Commune de Ville-Fictive"},"scope":"sur-pieces"}`},
		{"a2", `{"subject":{"collectivite":"Département Fictif"},"scope":"en-ligne"}`},
		{"a3", nil},
		{"a4", `pas du JSON`},
	} {
		if _, err := db.Exec(`INSERT INTO audits (id, owner, departement, status, created, updated, input_sha256, result) VALUES (?, 'poitiers', '86', 'done', 1, 1, 'x', ?)`, row[0], row[1]); err != nil {
			t.Fatal(err)
		}
	}
	db.Exec("PRAGMA user_version = 2")
	db.Close()
	s, err := NewSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	as, err := s.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, a := range as {
		got[a.ID] = [2]string{a.Collectivite, a.Kind}
	}
	want := map[string][2]string{
		"a1": {"Commune de Ville-Fictive", KindDossier}, "a2": {"Département Fictif", KindSpotCheck},
		"a3": {"", KindDossier}, "a4": {"", KindDossier},
	}
	if !maps.Equal(got, want) {
		t.Errorf("after migration 3: %v, want %v", got, want)
	}
	// a new spot check is one from the start, with its collectivité
	if err := s.Create(ctx, Audit{ID: "b1", Owner: "poitiers", Departement: "86", Status: StatusQueued, InputSHA256: "y", Collectivite: "Commune", Kind: KindSpotCheck}); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Get(ctx, "b1"); err != nil || a.Collectivite != "Commune" || a.Kind != KindSpotCheck {
		t.Errorf("new spot check: %+v %v", a, err)
	}
	if err := s.Finish(ctx, "a3", []byte(`{}`), "incomplet", "ENT", "Commune Fictive", nil); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Get(ctx, "a3"); a.Collectivite != "Commune Fictive" || a.ENT != "ENT" {
		t.Errorf("finished audit: %+v", a)
	}
}
