package input

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/netguard"
)

// TestFetchPrivateRefused: a URL on this machine (by address or by a name
// resolving to it) is refused when connecting, unless the run allows
// private networks.
func TestFetchPrivateRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("internal")) }))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	ctx := context.Background()
	for _, u := range []string{srv.URL + "/", "http://localhost:" + port + "/"} {
		l := &Loader{AllowHTTP: true}
		_, err := l.Fetch(ctx, u, "page")
		var be *netguard.BlockedError
		if !errors.As(err, &be) {
			t.Errorf("%s: want a refused connection, got %v", u, err)
			continue
		}
		if !strings.Contains(err.Error(), "127.0.0.1") || !strings.Contains(err.Error(), "loopback") || !strings.Contains(French(err), "adresse de bouclage") {
			t.Errorf("%s: unclear error: %v / %s", u, err, French(err))
		}
		if len(l.Inputs()) != 0 {
			t.Errorf("%s: a refused URL is recorded as read: %+v", u, l.Inputs())
		}
	}
	l := &Loader{AllowHTTP: true, AllowPrivateNetwork: true}
	if doc, err := l.Fetch(ctx, srv.URL+"/", "page"); err != nil || string(doc.Body) != "internal" {
		t.Errorf("--allow-private-network: %v", err)
	}
}

// TestFetchRedirectToPrivate: a public page redirecting to a local
// address is refused at the redirect (here the first server stands for
// the public site: the policy lets it through, and nothing else).
func TestFetchRedirectToPrivate(t *testing.T) {
	inner := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer inner.Close()
	outer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/admin", http.StatusFound)
	}))
	defer outer.Close()
	pol := netguard.Policy{Except: []netip.AddrPort{netip.MustParseAddrPort(outer.Listener.Addr().String())}}
	l := &Loader{AllowHTTP: true, Client: NewClientPolicy(5*time.Second, pol)}
	_, err := l.Fetch(context.Background(), outer.URL+"/mentions", "notice")
	var be *netguard.BlockedError
	if !errors.As(err, &be) {
		t.Fatalf("redirect to %s followed: %v", inner.URL, err)
	}
}

// TestFetchHTTPSToPlainServer: an https URL answered by a server that
// does not speak TLS says so, in English and French, instead of "EOF".
func TestFetchHTTPSToPlainServer(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	// A server that reads the request and hangs up without a word.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 4096))
			c.(*net.TCPConn).CloseWrite()
			time.Sleep(100 * time.Millisecond)
			c.Close()
		}
	}()
	for _, addr := range []string{plain.Listener.Addr().String(), ln.Addr().String()} {
		l := &Loader{AllowPrivateNetwork: true}
		_, err := l.Fetch(context.Background(), "https://"+addr+"/", "page")
		if err == nil {
			t.Fatalf("%s: no error", addr)
		}
		if strings.HasSuffix(err.Error(), "EOF") || !strings.Contains(err.Error(), "plain http server") || !strings.Contains(French(err), "serveur http non chiffré") {
			t.Errorf("%s: unclear error: %v / %s", addr, err, French(err))
		}
	}
}

// TestFetchErrorWords: network failures are said in words, in both
// languages, not as Go's dial errors alone.
func TestFetchErrorWords(t *testing.T) {
	op := func(err error) error { return &net.OpError{Op: "dial", Net: "tcp", Err: err} }
	for _, c := range []struct {
		err    error
		en, fr string
	}{
		{op(&net.DNSError{Name: "ent.invalid", Err: "no such host", IsNotFound: true}), `host name "ent.invalid" not found (DNS)`, "nom d'hôte « ent.invalid » introuvable (DNS)"},
		{op(&net.DNSError{Name: "ent.example", Err: "server misbehaving", IsTemporary: true}), `host name "ent.example" could not be resolved`, "nom d'hôte « ent.example » non résolu"},
		{op(&os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}), "connection refused by the server", "connexion refusée par le serveur"},
		{op(&os.SyscallError{Syscall: "connect", Err: syscall.EHOSTUNREACH}), "server unreachable", "serveur injoignable"},
		{op(os.ErrDeadlineExceeded), "timeout", "pas de réponse dans le délai imparti"},
	} {
		err := &Error{Source: "https://ent.example/", Err: fetchError(c.err, "https")}
		if !strings.Contains(err.Error(), c.en) || !strings.Contains(French(err), c.fr) {
			t.Errorf("%v: %s / %s", c.err, err, French(err))
		}
	}
}

// TestFetchErrorHidesResolver: a DNS failure names the host, never the
// resolver of the machine that ran the audit (its address is no fact about
// the ENT and would end up in the report).
func TestFetchErrorHidesResolver(t *testing.T) {
	err := fetchError(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Name: "ent.invalid", Server: "10.255.255.53:53", Err: "no such host", IsNotFound: true}}, "https")
	for _, msg := range []string{err.Error(), French(err)} {
		if strings.Contains(msg, "10.255.255.53") {
			t.Errorf("resolver address in %q", msg)
		}
		if !strings.Contains(msg, "ent.invalid") {
			t.Errorf("host not named in %q", msg)
		}
	}
}
