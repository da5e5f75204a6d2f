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
	short := filepath.Join(dir, "secret")
	os.WriteFile(short, []byte("court\n"), 0o600)
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
		{[]string{"serve", "--data", dir, "--tokens", bad, "--watch-interval", "10m"}, "--watch-interval 10m0s : au moins 1h"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--webhook", "http://alertes.ac-fictive.example/"}, "une adresse https:// est attendue"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--webhook", "https://alertes.ac-fictive.example/"}, "--webhook demande --webhook-secret-file"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--webhook", "https://alertes.ac-fictive.example/", "--webhook-secret-file", short}, "moins de 32 caractères"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--smtp", "smtp.ac-fictive.example:587"}, "--smtp-from \"\" : une adresse électronique est attendue"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--smtp-to", "dsden@ac-fictive.example"}, "demandent --smtp HÔTE:PORT"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--alert-reminder", "hebdo"}, "--alert-reminder \"hebdo\""},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--geoip", filepath.Join(dir, "absent.mmdb")}, "absent.mmdb"},
		{[]string{"serve", "--data", dir, "--tokens", bad, "--geoip", bad}, "MaxMind DB"},
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

// testServeToken is the token of the tests' tokens.yaml.
const testServeToken = "jeton-secret-0123456789abcdef0123456789"

// linesWriter passes stderr to a pipe the test reads.
type linesWriter struct{ w *io.PipeWriter }

func (l linesWriter) Write(p []byte) (int, error) { return l.w.Write(p) }

// `sdetcheck serve` serves until its context ends (SIGTERM), then stops
// cleanly (exit 0), its logs JSON without the token.
func TestServeRunsAndStops(t *testing.T) {
	dir := t.TempDir()
	toks := filepath.Join(dir, "tokens.yaml")
	os.WriteFile(toks, []byte("tokens:\n  - {name: admin, role: admin, token_sha256: "+serve.HashToken(testServeToken)+"}\n"), 0o600)
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
	req.Header.Set("Authorization", "Bearer "+testServeToken)
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
	if strings.Contains(strings.Join(logs, "\n"), testServeToken) {
		t.Error("the token is in the logs")
	}
}

// startServe runs `sdetcheck serve ARGS` on a fresh --data and returns
// its address, its context's cancel (SIGTERM) and its exit code's
// channel.
func startServe(t *testing.T, args ...string) (addr string, stop func(), done <-chan int) {
	t.Helper()
	dir := t.TempDir()
	toks := filepath.Join(dir, "tokens.yaml")
	os.WriteFile(toks, []byte("tokens:\n  - {name: admin, role: admin, token_sha256: "+serve.HashToken(testServeToken)+"}\n"), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	codes := make(chan int, 1)
	go func() {
		codes <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--tokens", toks, "--work", filepath.Join(dir, "work")}, args...), io.Discard, linesWriter{pw}, false)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for addr == "" && sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "serving" {
			addr, _ = m["addr"].(string)
		}
	}
	go io.Copy(io.Discard, pr)
	if addr == "" {
		t.Fatal("serve did not start")
	}
	return addr, cancel, codes
}

// On SIGTERM the service keeps answering during its grace period, with
// 503 on /healthz (so that a load balancer stops sending) and on
// deposits, as docs/serve.md says; then it stops.
func TestServeDrainAnswers503(t *testing.T) {
	addr, stop, done := startServe(t, "--shutdown-grace", "3s")
	if resp, err := http.Get("http://" + addr + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	stop()
	saw := map[string]int{}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && (saw["healthz"] == 0 || saw["upload"] == 0); time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatalf("healthz refused during the grace period (%v): no 503 was ever answered", err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "" {
			saw["healthz"]++
		}
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/audits", strings.NewReader("--x--\r\n"))
		req.Header.Set("Authorization", "Bearer "+testServeToken)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable {
				saw["upload"]++
			}
		}
	}
	if saw["healthz"] == 0 || saw["upload"] == 0 {
		t.Errorf("503 answers during the grace period: %v", saw)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// `sdetcheck serve token` prints a new token (43 characters, 256 bits)
// and its line for tokens.yaml, which the service accepts.
func TestServeToken(t *testing.T) {
	stdout, stderr, code := runCLI(t, "serve", "token", "--name", "ville-de-poitiers", "--role", "collectivite", "--departement", "86")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	tok := lines[0]
	if len(tok) < serve.MinTokenLength || !strings.Contains(lines[1], serve.HashToken(tok)) {
		t.Errorf("token %q, line %q", tok, lines[1])
	}
	toks, err := serve.ParseTokens("tokens.yaml", []byte("tokens:\n"+lines[1]+"\n"))
	if err != nil {
		t.Fatalf("the printed line is not a tokens.yaml entry: %v", err)
	}
	if p, ok := toks.Lookup(tok); !ok || p.Name != "ville-de-poitiers" || p.Departement != "86" {
		t.Errorf("lookup: %+v %v", p, ok)
	}
	if !strings.Contains(stderr, "tokens.yaml") {
		t.Errorf("no explanation on stderr: %q", stderr)
	}
	// without a name: the token_sha256 line alone
	stdout, _, code = runCLI(t, "serve", "token")
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); code != 0 || len(lines) != 2 || !strings.HasPrefix(strings.TrimSpace(lines[1]), "token_sha256: ") {
		t.Errorf("serve token: %d %q", code, stdout)
	}
	if _, stderr, code := runCLI(t, "serve", "token", "--role", "maire"); code != 2 || !strings.Contains(stderr, "maire") {
		t.Errorf("bad role: %d %q", code, stderr)
	}
}
