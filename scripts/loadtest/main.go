// Command loadtest measures `sdetcheck serve` on this machine: it starts
// the service (the real binary) on a loopback address with a fresh --data,
// has N collectivités deposit the sample dossiers (fixtures/dossiers/*)
// at once and poll their results, with spot checks of a local test site
// (TLS, loopback), for a given duration, restarts the service (SIGTERM)
// in the middle, and reports throughput, latencies, peak memory of the
// service's process and that nothing was lost. Only loopback addresses
// are used. Exit status: 0 nothing lost, 1 audits lost, 2 the run could
// not be made.
//
//	go run ./scripts/loadtest -clients 8 -duration 10m
//
// The short form runs in `go test ./serve` (TestLoadShort).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sdetcheck/sdetcheck/serve/loadtest"
)

func main() {
	bin := flag.String("sdetcheck", "", "sdetcheck binary (default: built from ./cmd/sdetcheck)")
	clients := flag.Int("clients", 8, "collectivités depositing at once (one token each)")
	duration := flag.Duration("duration", 10*time.Minute, "how long they deposit")
	restart := flag.Bool("restart", true, "restart the service (SIGTERM) in the middle")
	workers := flag.Int("workers", 2, "the service's --workers")
	queue := flag.Int("queue", 16, "the service's --queue")
	grace := flag.Duration("grace", 10*time.Second, "the service's --shutdown-grace")
	poll := flag.Duration("poll", 500*time.Millisecond, "how often a collectivité reads its audit's status")
	spotEvery := flag.Int("spot-every", 5, "one spot check every N deposits of a collectivité (0: none)")
	fixtures := flag.String("fixtures", "fixtures/dossiers", "directory of sample dossiers")
	jsonOut := flag.String("json", "", "also write the report as JSON to this file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, *bin, *clients, *duration, *restart, *workers, *queue, *grace, *poll, *spotEvery, *fixtures, *jsonOut)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
	}
	os.Exit(code)
}

func run(ctx context.Context, bin string, clients int, duration time.Duration, restart bool, workers, queue int, grace, poll time.Duration, spotEvery int, fixtures, jsonOut string) (int, error) {
	tmp, err := os.MkdirTemp("", "sdetcheck-loadtest-")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(tmp)
	if bin == "" {
		bin = filepath.Join(tmp, "sdetcheck")
		fmt.Fprintln(os.Stderr, "construction de sdetcheck…")
		b := exec.Command("go", "build", "-o", bin, "./cmd/sdetcheck")
		b.Stdout, b.Stderr = os.Stderr, os.Stderr
		if err := b.Run(); err != nil {
			return 2, fmt.Errorf("go build: %w", err)
		}
	}
	dossiers, err := loadtest.PackDossiers(fixtures)
	if err != nil {
		return 2, err
	}
	// the local test site of the spot checks, its certificate trusted by
	// the service through SSL_CERT_FILE
	site := httptest.NewUnstartedServer(http.FileServer(http.Dir(filepath.Join(fixtures, "conforme"))))
	// the security area probes TLS 1.0 and 1.1 on purpose: the site's
	// refusals are expected, not worth a line each
	site.Config.ErrorLog = log.New(io.Discard, "", 0)
	site.StartTLS()
	defer site.Close()
	ca := filepath.Join(tmp, "site.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: site.Certificate().Raw}), 0o600); err != nil {
		return 2, err
	}
	yaml, tokens, admin := loadtest.NewTokens(clients)
	toks := filepath.Join(tmp, "tokens.yaml")
	if err := os.WriteFile(toks, []byte(yaml), 0o600); err != nil {
		return 2, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 2, err
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &child{bin: bin, addr: addr, env: append(os.Environ(), "SSL_CERT_FILE="+ca), logs: filepath.Join(tmp, "serve.log"), args: []string{
		"serve", "--addr", addr, "--data", filepath.Join(tmp, "data"), "--work", filepath.Join(tmp, "work"), "--tokens", toks,
		"--workers", strconv.Itoa(workers), "--queue", strconv.Itoa(queue), "--rate", "1000",
		"--shutdown-grace", grace.String(), "--allow-private-network",
	}}
	if err := p.start(); err != nil {
		return 2, err
	}
	defer p.stop()
	o := loadtest.Options{
		Server: p, Tokens: tokens, Admin: admin, Dossiers: dossiers,
		Site: site.URL, SpotEvery: spotEvery, Duration: duration, Poll: poll, Settle: 5 * time.Minute,
		Progress: os.Stderr,
	}
	if restart {
		o.RestartAt = duration / 2
	}
	fmt.Fprintf(os.Stderr, "%d collectivités, %d dossiers d'exemple, %s, service sur %s (--workers %d --queue %d)\n", clients, len(dossiers), duration, addr, workers, queue)
	rep, err := loadtest.Run(ctx, o)
	if err != nil {
		return 2, err
	}
	rep.PeakRSS = max(rep.PeakRSS, p.peakHWM())
	fmt.Print(rep)
	if jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(jsonOut, b, 0o644); err != nil {
			return 2, err
		}
	}
	if !rep.OK() {
		return 1, errors.New("audits lost")
	}
	return 0, nil
}

// child is the service: the sdetcheck binary run as `sdetcheck serve`.
type child struct {
	bin, addr, logs string
	args, env       []string

	mu  sync.Mutex
	cmd *exec.Cmd
	hwm int64 // peak resident memory of the processes stopped
}

func (c *child) start() error {
	logf, err := os.OpenFile(c.logs, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	cmd := exec.Command(c.bin, c.args...)
	cmd.Env = c.env
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	cmd.Stderr = pw
	if err := cmd.Start(); err != nil {
		return err
	}
	pw.Close()
	ready := make(chan bool, 1)
	go func() {
		defer logf.Close()
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			fmt.Fprintln(logf, sc.Text())
			var m map[string]any
			if !sent && json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == "serving" {
				ready <- true
				sent = true
			}
		}
		if !sent {
			ready <- false
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			return fmt.Errorf("sdetcheck serve did not start (see %s)", c.logs)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		return errors.New("sdetcheck serve did not start in 30 s")
	}
	c.mu.Lock()
	c.cmd = cmd
	c.mu.Unlock()
	return nil
}

// stop sends SIGTERM and waits for the exit.
func (c *child) stop() error {
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd == nil {
		return nil
	}
	c.hwm = max(c.hwm, hwm(cmd.Process.Pid))
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	c.mu.Lock()
	c.cmd = nil
	c.mu.Unlock()
	return err
}

func (c *child) URL() string { return "http://" + c.addr }

func (c *child) Restart(context.Context) error {
	if err := c.stop(); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	return c.start()
}

func (c *child) RSS() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return 0
	}
	return loadtest.ProcRSS(c.cmd.Process.Pid)
}

// peakHWM is the peak resident memory of the service's processes.
func (c *child) peakHWM() int64 {
	c.mu.Lock()
	cmd := c.cmd
	c.mu.Unlock()
	if cmd != nil {
		return max(c.hwm, hwm(cmd.Process.Pid))
	}
	return c.hwm
}

// hwm is the peak resident memory of pid (VmHWM), in bytes.
func hwm(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	var kb int64
	for _, l := range strings.Split(string(data), "\n") {
		if _, err := fmt.Sscanf(l, "VmHWM: %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return 0
}
