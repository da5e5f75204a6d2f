package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSilentWhenNotTerminal(t *testing.T) {
	var b syncBuf
	r := start(&b, false, "audit en cours…", 0, time.Millisecond)
	r.Area("saml")
	time.Sleep(20 * time.Millisecond)
	r.Stop()
	if b.String() != "" {
		t.Errorf("non-terminal writer got %q", b.String())
	}
}

func TestSilentWhenQuick(t *testing.T) {
	var b syncBuf
	r := Start(&b, true, "audit en cours…")
	r.Area("saml")
	r.Stop()
	if b.String() != "" {
		t.Errorf("a run under a second printed %q", b.String())
	}
}

func TestPrintsOnSlowTerminalRun(t *testing.T) {
	var b syncBuf
	r := start(&b, true, "audit en cours…", 5*time.Millisecond, time.Millisecond)
	r.Area("saml")
	r.Area("gar")
	// Wait for the first line rather than sleep a fixed time: on a loaded
	// machine the reporter's goroutine may run late.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(b.String(), "(SAML, GAR)") && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	r.Stop()
	out := b.String()
	if !strings.Contains(out, "audit en cours… (SAML, GAR)") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("got %q", out)
	}
}
