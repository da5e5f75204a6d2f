package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
)

// TestHelperMain runs main() when the test binary is started as the CLI by
// TestTerminateCleansUp.
func TestHelperMain(t *testing.T) {
	if os.Getenv("SDETCHECK_HELPER_MAIN") != "1" {
		t.Skip("helper for TestTerminateCleansUp")
	}
	args := []string{"sdetcheck"}
	for i, a := range os.Args {
		if a == "--" {
			args = append(args, os.Args[i+1:]...)
			break
		}
	}
	os.Args = args
	main()
}

// A run stopped by SIGTERM (a CI timeout) must not leave the extracted GAR
// archive, which holds pupils' personal data, in the temporary directory.
func TestTerminateCleansUp(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a GAR export")
	}
	feed := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 30000, Out: feed, Tar: true}); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMain$", "--", "check", "gar", feed, "--format", "json")
	cmd.Env = append(os.Environ(), "SDETCHECK_HELPER_MAIN=1", "TMPDIR="+tmp)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the extraction directory, then terminate.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m, _ := filepath.Glob(filepath.Join(tmp, "sdetcheck-gar-*")); len(m) > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no extraction directory appeared")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no exit 15 s after SIGTERM")
	}
	if m, _ := filepath.Glob(filepath.Join(tmp, "sdetcheck-gar-*")); len(m) > 0 {
		t.Errorf("left behind after SIGTERM: %v", m)
	}
}
