package serve

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// uploadBody is a multipart body whose "dossier" part is n bytes (a
// gzip's first two bytes, then zeros), written as it is read: the test's
// side holds none of it. pause, when set, is closed to let the part's
// bytes past the first KiB come.
func uploadBody(n int64, pause chan struct{}) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("dossier", "gros.tar.gz")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		buf := make([]byte, 64<<10)
		buf[0], buf[1] = 0x1f, 0x8b
		for written := int64(0); written < n; {
			k := int64(len(buf))
			if pause != nil && written == 0 {
				k = 1 << 10
			} else if pause != nil {
				<-pause
				pause = nil
			}
			k = min(k, n-written)
			if _, err := fw.Write(buf[:k]); err != nil {
				return
			}
			written += k
			buf[0], buf[1] = 0, 0
		}
		mw.Close()
		pw.Close()
	}()
	return pr, mw.FormDataContentType()
}

// blockedHarness is a service whose audits wait for release (closed at
// the end of the test).
func blockedHarness(t *testing.T, cfg Config) (*harness, chan struct{}) {
	release := make(chan struct{})
	cfg.hook = func(ctx context.Context) {
		select {
		case <-release:
		case <-ctx.Done():
		}
	}
	h := newHarness(t, cfg)
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
	})
	return h, release
}

// One upload costs a bounded amount of memory, whatever its size: the
// multipart body is validated against the contract part by part while
// the archive streams to disk once (docs/serve.md). Measured as the bytes
// the whole process allocates while a 48 MiB upload is received (the
// audit itself waits behind another one).
func TestUploadMemory(t *testing.T) {
	h, _ := blockedHarness(t, Config{Workers: 1, Queue: 1})
	if r := h.upload("tok-chatellerault-0123456789abcdef0123456789", tarGz(t, conforme, "")); r.status != 202 {
		t.Fatalf("first upload: %d %s", r.status, r.body)
	}
	const size = 48 << 20
	body, ctype := uploadBody(size, nil)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := h.raw("POST", "/api/v1/audits", "tok-poitiers-0123456789abcdef0123456789", body, ctype)
	runtime.ReadMemStats(&after)
	if r.status != 202 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MiB upload: %.1f MiB allocated", size>>20, float64(alloc)/(1<<20))
	if alloc > size/8 {
		t.Errorf("a %d MiB upload allocated %.1f MiB: the body is held in memory", size>>20, float64(alloc)/(1<<20))
	}
}

// waitUploads waits until the service receives n uploads.
func waitUploads(t *testing.T, s *Service, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		s.adm.mu.Lock()
		k := s.adm.uploads
		s.adm.mu.Unlock()
		if k == n {
			return
		}
	}
	t.Fatalf("the service never received %d uploads at once", n)
}

// A slot of the queue is taken only once the upload has arrived: a slow
// upload in progress keeps no one else out; when it ends with the queue
// full, it is the one refused (429).
func TestSlotTakenOnceUploaded(t *testing.T) {
	h, _ := blockedHarness(t, Config{Workers: 1, Queue: 1})
	pause := make(chan struct{})
	var once sync.Once
	unpause := func() { once.Do(func() { close(pause) }) }
	t.Cleanup(unpause)
	body, ctype := uploadBody(1<<20, pause)
	slow := make(chan response, 1)
	go func() {
		slow <- h.raw("POST", "/api/v1/audits", "tok-larochelle-0123456789abcdef0123456789", body, ctype)
	}()
	waitUploads(t, h.svc, 1)
	archive := tarGz(t, conforme, "")
	for _, tok := range []string{"tok-poitiers-0123456789abcdef0123456789", "tok-chatellerault-0123456789abcdef0123456789"} {
		if r := h.upload(tok, archive); r.status != 202 {
			t.Errorf("%s while another upload is received: %d %s", tok, r.status, r.body)
		}
	}
	unpause()
	if r := <-slow; r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Errorf("slow upload ending with the queue full: %d %s", r.status, r.body)
	}
	if left, _ := os.ReadDir(h.cfg.Work); len(left) != 2 {
		t.Errorf("the work directory holds %d entries, want the 2 accepted audits' (the refused upload deleted)", len(left))
	}
}

// No token holds more than its share of the slots (a quarter of
// --workers + --queue by default): past it, 429 for that token only.
func TestTokenFairShare(t *testing.T) {
	h, _ := blockedHarness(t, Config{Workers: 1, Queue: 7})
	archive := tarGz(t, conforme, "")
	for i := 0; i < 2; i++ {
		if r := h.upload("tok-poitiers-0123456789abcdef0123456789", archive); r.status != 202 {
			t.Fatalf("upload %d: %d %s", i+1, r.status, r.body)
		}
	}
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", archive)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" || !strings.Contains(jsonField(r.body, "detail"), "au plus 2 par jeton") {
		t.Errorf("third upload of one token: %d %s", r.status, r.body)
	}
	if r := h.do("POST", "/api/v1/spotchecks", "tok-poitiers-0123456789abcdef0123456789", strings.NewReader(spotCheckBody(t, "https://ent.example")), "application/json"); r.status != http.StatusTooManyRequests {
		t.Errorf("spot check past the token's share: %d %s", r.status, r.body)
	}
	if r := h.upload("tok-chatellerault-0123456789abcdef0123456789", archive); r.status != 202 {
		t.Errorf("another token: %d %s", r.status, r.body)
	}
}

// A body that arrives slower than the minimum rate is cut (408) once the
// grace period is over, and the upload holds nothing afterwards.
func TestSlowUploadCut(t *testing.T) {
	h := newHarness(t, Config{Workers: 1, Queue: 1, MinUploadRate: 64 << 10, UploadGrace: 300 * time.Millisecond})
	pause := make(chan struct{})
	defer close(pause)
	body, ctype := uploadBody(4<<20, pause)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", h.srv.URL+"/api/v1/audits", body)
	req.Header.Set("Authorization", "Bearer tok-poitiers-0123456789abcdef0123456789")
	req.Header.Set("Content-Type", ctype)
	start := time.Now()
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("stalled upload not cut by the server: %v after %v", err, time.Since(start))
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestTimeout {
		t.Errorf("stalled upload: %d %s", resp.StatusCode, b)
	}
	waitUploads(t, h.svc, 0)
	if r := h.upload("tok-poitiers-0123456789abcdef0123456789", tarGz(t, conforme, "")); r.status != 202 {
		t.Errorf("upload after the cut one: %d %s", r.status, r.body)
	}
}

// The service failing to keep an upload (its work directory gone or
// unwritable) is its own fault: 500 said as such and logged, never a 400
// blaming the request; nothing is queued.
func TestUploadStorageFailure(t *testing.T) {
	logs := &syncBuffer{}
	h := newHarness(t, Config{logTo: logs})
	// the work directory replaced by a file: no upload can be written
	if err := os.RemoveAll(h.cfg.Work); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.cfg.Work, []byte("pas un répertoire"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.upload(testTokens["poitiers"], tarGz(t, conforme, ""))
	if r.status != http.StatusInternalServerError || !strings.Contains(string(r.body), "n'a pas pu enregistrer") {
		t.Fatalf("upload on a broken disk: %d %s", r.status, r.body)
	}
	if !strings.Contains(logs.String(), "upload not kept") {
		t.Errorf("the failure is not logged:\n%s", logs)
	}
	var list struct{ Audits []any }
	h.do("GET", "/api/v1/audits", testTokens["poitiers"], nil, "").json(t, &list)
	if len(list.Audits) != 0 {
		t.Errorf("audits after a failed upload: %v", list.Audits)
	}
}
