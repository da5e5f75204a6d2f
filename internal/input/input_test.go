package input

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFileRecordsDigest(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello"), 0o644)
	l := &Loader{Base: dir}
	data, err := l.Read(context.Background(), "a.txt", "test")
	if err != nil || string(data) != "hello" {
		t.Fatalf("read: %q %v", data, err)
	}
	in := l.Inputs()
	if len(in) != 1 || in[0].Source != "a.txt" || in[0].SHA256 != "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" || in[0].Size != 5 {
		t.Errorf("inputs: %+v", in)
	}
}

func TestReadBounds(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "big"), make([]byte, 2048), 0o644)
	l := &Loader{Base: dir, MaxBytes: 1024}
	_, err := l.Read(context.Background(), "big", "test")
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "big: ") {
		t.Errorf("size bound: %v", err)
	}
	if _, err := l.Read(context.Background(), "missing", "test"); err == nil || !strings.Contains(err.Error(), "missing: no such file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := l.Read(context.Background(), ".", "test"); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
	if len(l.Inputs()) != 0 {
		t.Errorf("failed reads must not be recorded")
	}
}

func TestFetch(t *testing.T) {
	hops := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != "" {
			t.Errorf("credentials sent: %v", r.Header)
		}
		switch r.URL.Path {
		case "/ok":
			fmt.Fprint(w, "page")
		case "/loop":
			hops++
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/big":
			w.Write(make([]byte, 4096))
		case "/down":
			http.Redirect(w, r, "http://example.invalid/", http.StatusFound)
		}
	}))
	defer srv.Close()
	client := NewClient(0)
	client.Transport = srv.Client().Transport
	l := &Loader{Client: client, MaxBytes: 1024}
	ctx := context.Background()
	doc, err := l.Fetch(ctx, srv.URL+"/ok", "page")
	if err != nil || string(doc.Body) != "page" || doc.Status != 200 || doc.TLSVersion == 0 {
		t.Fatalf("fetch: %+v %v", doc, err)
	}
	if in := l.Inputs(); len(in) != 1 || in[0].HTTPStatus != 200 || in[0].Source != srv.URL+"/ok" {
		t.Errorf("inputs: %+v", in)
	}
	if _, err := l.Fetch(ctx, srv.URL+"/loop", "page"); err == nil || !strings.Contains(err.Error(), "too many redirects") || hops > 6 {
		t.Errorf("redirect loop: %v (%d hops)", err, hops)
	}
	if _, err := l.Fetch(ctx, srv.URL+"/big", "page"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("size: %v", err)
	}
	if _, err := l.Fetch(ctx, srv.URL+"/down", "page"); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Errorf("https→http redirect: %v", err)
	}
	if _, err := l.Fetch(ctx, "http://127.0.0.1:1/", "page"); err == nil || !strings.Contains(err.Error(), "only https") {
		t.Errorf("http refused: %v", err)
	}
	if _, err := l.Fetch(ctx, "https://user:pw@127.0.0.1/", "page"); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("credentials in URL: %v", err)
	}
}

func TestReadConfined(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "dossier")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(root, "outside.xml"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "in.xml"), []byte("x"), 0o644)
	os.Symlink(filepath.Join(root, "outside.xml"), filepath.Join(dir, "out.xml"))
	os.Symlink("sub/in.xml", filepath.Join(dir, "in.xml"))
	os.Symlink(root, filepath.Join(dir, "up"))
	l := &Loader{Base: dir}
	ctx := context.Background()
	for _, src := range []string{"out.xml", "up/outside.xml", "../outside.xml", "sub/../../outside.xml"} {
		if _, err := l.Read(ctx, src, "t"); !errors.Is(err, ErrOutside) {
			t.Errorf("%s: %v", src, err)
		}
	}
	for _, src := range []string{"in.xml", "sub/in.xml", filepath.Join(root, "outside.xml")} {
		if _, err := l.Read(ctx, src, "t"); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.xml"), 0o644); err == nil {
		done := make(chan error, 1)
		go func() { _, err := l.Read(ctx, "fifo.xml", "t"); done <- err }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("fifo: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("reading a FIFO blocks")
		}
	}
}
