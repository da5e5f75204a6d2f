package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/serve"
)

// `sdetcheck serve` refuses bad usage and a bad tokens file with exit 2
// and a message naming the file and line.
func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "tokens.yaml")
	os.WriteFile(bad, []byte("tokens:\n  - {name: a, role: maire, departement: \"86\", token_sha256: "+serve.HashToken("x")+"}\n"), 0o600)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "serve demande --data DIR et --tokens FICHIER"},
		{[]string{"serve", "--data", dir, "--tokens", bad}, "tokens.yaml, ligne 2 : tokens[0] : rôle \"maire\""},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--max-upload", "beaucoup"}, "--max-upload \"beaucoup\""},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--retention", "1an"}, "--retention \"1an\""},
		{[]string{"serve", "--data", dir, "--tokens", filepath.Join(dir, "absent.yaml")}, "absent.yaml"},
	}
	for _, c := range cases {
		_, stderr, code := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d\n%s\nwant %q", c.args, code, stderr, c.want)
		}
	}
	stdout, _, code := runCLI(t, "serve", "--help")
	if code != 0 || !strings.HasPrefix(stdout, "Usage : "+serveSynopsisFR) || !strings.Contains(stdout, "--retention") {
		t.Errorf("serve --help: %d %q", code, stdout)
	}
}

// linesWriter passes stderr to a pipe the test reads.
type linesWriter struct{ w *io.PipeWriter }

func (l linesWriter) Write(p []byte) (int, error) { return l.w.Write(p) }

// `sdetcheck serve` serves until its context ends (SIGTERM), then stops
// cleanly (exit 0), its logs JSON without the token.
func TestServeRunsAndStops(t *testing.T) {
	dir := t.TempDir()
	toks := filepath.Join(dir, "tokens.yaml")
	os.WriteFile(toks, []byte("tokens:\n  - {name: admin, role: admin, token_sha256: "+serve.HashToken("jeton-secret")+"}\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stdout syncBuffer
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--tokens", toks, "--work", filepath.Join(dir, "work")}, &stdout, linesWriter{pw}, false)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var logs []string
	addr := ""
	for addr == "" && sc.Scan() {
		logs = append(logs, sc.Text())
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("log line not JSON: %s", sc.Text())
		}
		if m["msg"] == "serving" {
			addr, _ = m["addr"].(string)
		}
	}
	// The address to open is said to a person on stdout.
	if want := "ouvrir http://" + addr + "/ dans un navigateur"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout %q does not say %q", stdout.String(), want)
	}
	rest := make(chan []string, 1)
	go func() {
		var more []string
		for sc.Scan() {
			more = append(more, sc.Text())
		}
		rest <- more
	}()
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/audits", nil)
	req.Header.Set("Authorization", "Bearer jeton-secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/v1/audits: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(filepath.Join(dir, "data", serve.DBFile)); err != nil {
		t.Errorf("no database under --data: %v", err)
	}
	logs = append(logs, <-rest...)
	if !strings.Contains(strings.Join(logs, "\n"), `"msg":"stopped"`) {
		t.Errorf("no stop logged: %v", logs)
	}
	if strings.Contains(strings.Join(logs, "\n"), "jeton-secret") {
		t.Error("the token is in the logs")
	}
}
