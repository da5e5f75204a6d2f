package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/serve"
)

// serve speaks plain HTTP: listening where other machines reach it,
// without a TLS proxy of this machine in front, it warns that browsers
// will not sign in there.
func TestPlainHTTPExposed(t *testing.T) {
	for _, c := range []struct {
		addr  string
		trust bool
		warn  bool
	}{
		{"127.0.0.1:8080", false, false},
		{"[::1]:8080", false, false},
		{"0.0.0.0:8080", false, true},
		{"[::]:8080", false, true},
		{"192.0.2.10:8080", false, true},
		{"0.0.0.0:8080", true, false},
	} {
		a, err := net.ResolveTCPAddr("tcp", c.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := plainHTTPExposed(a, c.trust); got != c.warn {
			t.Errorf("%s --trust-proxy=%v: warns %v", c.addr, c.trust, got)
		}
	}
}

// `sdetcheck serve --addr 0.0.0.0:0` logs the warning before it serves.
func TestServeWarnsPlainHTTPExposed(t *testing.T) {
	dir := t.TempDir()
	toks := filepath.Join(dir, "tokens.yaml")
	os.WriteFile(toks, []byte("tokens:\n  - {name: admin, role: admin, token_sha256: "+serve.HashToken(testServeToken)+"}\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "0.0.0.0:0", "--data", filepath.Join(dir, "data"), "--tokens", toks, "--work", filepath.Join(dir, "work")}, io.Discard, linesWriter{pw}, false)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var warned bool
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line not JSON: %s", sc.Text())
		}
		if m["level"] == "WARN" && m["message_fr"] != nil {
			warned = true
		}
		if m["msg"] == "serving" {
			break
		}
	}
	cancel()
	go io.Copy(io.Discard, pr)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !warned {
		t.Error("no warning that plain HTTP on 0.0.0.0 keeps browsers from signing in")
	}
}
