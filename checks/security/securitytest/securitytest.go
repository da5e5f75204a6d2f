// Package securitytest serves the security area's fixtures for the tests:
// each fixture of fixtures/security is a login page whose first HTML
// comment says how a local https server serves it (TLS versions,
// certificate, response headers, a redirect before the page). The server
// runs on the loopback interface only, with certificates of a test
// authority made once per test binary; --ca-file (or Env) makes the run
// trust it.
//
// Directives, one per line of the first comment:
//
//	serve-tls: 1.2 1.3              versions offered (a contiguous range)
//	serve-cert: valid               valid, expired, other-name, incomplete-chain, self-signed
//	serve-header: Name: value       a header of the page's response (repeatable)
//	serve-redirect-header: N: v     "/" answers 302 to "/connexion" with this header (repeatable)
//
// The file run as it is (`sdetcheck check security FILE`) is a saved copy.
package securitytest

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
)

// directive is the prefix of the fixture's server directives.
const directive = "serve-"

// Config is how a fixture is served.
type Config struct {
	MinVersion, MaxVersion uint16
	Cert                   string // valid, expired, other-name, incomplete-chain, self-signed
	Header                 http.Header
	// RedirectHeader, when set, makes "/" answer 302 to "/connexion"
	// with these headers; the page is then served at "/connexion".
	RedirectHeader http.Header
	Body           []byte
}

// Served reports whether the fixture at path (a file) holds server
// directives.
func Served(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	_, ok := directives(data)
	return ok
}

// directives returns the lines of the first HTML comment of data that
// start with the directive prefix.
func directives(data []byte) ([]string, bool) {
	start := bytes.Index(data, []byte("<!--"))
	if start < 0 {
		return nil, false
	}
	end := bytes.Index(data[start:], []byte("-->"))
	if end < 0 {
		return nil, false
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data[start+4 : start+end]))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, directive) {
			out = append(out, l)
		}
	}
	return out, len(out) > 0
}

var versions = map[string]uint16{"1.0": tls.VersionTLS10, "1.1": tls.VersionTLS11, "1.2": tls.VersionTLS12, "1.3": tls.VersionTLS13}

// Parse reads a fixture's directives.
func Parse(data []byte) (Config, error) {
	ds, ok := directives(data)
	if !ok {
		return Config{}, fmt.Errorf("no %s directive in the first comment", directive)
	}
	c := Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS13, Cert: "valid", Header: http.Header{}, Body: data}
	for _, d := range ds {
		key, val, _ := strings.Cut(strings.TrimPrefix(d, directive), ":")
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "tls":
			c.MinVersion, c.MaxVersion = 0, 0
			for _, f := range strings.Fields(val) {
				v, ok := versions[f]
				if !ok {
					return c, fmt.Errorf("serve-tls: unknown version %q", f)
				}
				if c.MinVersion == 0 || v < c.MinVersion {
					c.MinVersion = v
				}
				if v > c.MaxVersion {
					c.MaxVersion = v
				}
			}
		case "cert":
			c.Cert = val
		case "header", "redirect-header":
			name, value, ok := strings.Cut(val, ":")
			if !ok {
				return c, fmt.Errorf("%s: \"Name: value\" expected", d)
			}
			h := &c.Header
			if key == "redirect-header" {
				if c.RedirectHeader == nil {
					c.RedirectHeader = http.Header{}
				}
				h = &c.RedirectHeader
			}
			h.Add(strings.TrimSpace(name), strings.TrimSpace(value))
		default:
			return c, fmt.Errorf("unknown directive %q", d)
		}
	}
	return c, nil
}

// Serve starts a local https server for the fixture at path and returns
// the page's address and the file of the test authority to trust
// (--ca-file). The server stops with the test.
func Serve(t testing.TB, path string) (pageURL, caFile string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return Start(t, cfg)
}

// Start serves cfg on the loopback interface.
func Start(t testing.TB, cfg Config) (pageURL, caFile string) {
	t.Helper()
	a := Authority(t)
	cert, err := a.Certificate(cfg.Cert)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	pagePath := "/"
	if cfg.RedirectHeader != nil {
		pagePath = "/connexion"
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/" {
				http.NotFound(w, r)
				return
			}
			for k, vs := range cfg.RedirectHeader {
				for _, v := range vs {
					w.Header().Add(k, v)
				}
			}
			http.Redirect(w, r, "/connexion", http.StatusFound)
		})
	}
	mux.HandleFunc(pagePath, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != pagePath {
			http.NotFound(w, r)
			return
		}
		for k, vs := range cfg.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(cfg.Body)
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: cfg.MinVersion, MaxVersion: cfg.MaxVersion}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv.URL + "/", a.File(t)
}

// Env is a checks environment whose loader trusts the test authority and
// may reach the loopback interface, at the clock now.
func Env(t testing.TB, now time.Time) *checks.Env {
	t.Helper()
	c, err := Client(Authority(t).File(t))
	if err != nil {
		t.Fatal(err)
	}
	return &checks.Env{Ctx: t.Context(), Loader: &input.Loader{Client: c, AllowPrivateNetwork: true}, Now: now, Opts: checks.Options{AllowPrivateNetwork: true}}
}

// Client is the client a run with --allow-private-network --ca-file file
// uses.
func Client(caFile string) (*http.Client, error) {
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no certificate", caFile)
	}
	c := input.NewClientPolicy(30*time.Second, netguard.Policy{AllowPrivate: true})
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
	return c, nil
}

// CA is the test authority: a root, an intermediate, and the servers'
// certificates.
type CA struct {
	root, inter         *x509.Certificate
	rootKey, interKey   *ecdsa.PrivateKey
	rootPEM             []byte
	mu                  sync.Mutex
	certs               map[string]tls.Certificate
	notBefore, notAfter time.Time // a period holding both the real clock and the tests'
}

var (
	caOnce sync.Once
	ca     *CA
	caErr  error
)

// Clock is the tests' fixed clock (checkstest.Now): the certificates are
// valid then and now.
var Clock = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// Authority returns the test authority, made once per test binary.
func Authority(t testing.TB) *CA {
	t.Helper()
	caOnce.Do(func() { ca, caErr = newCA() })
	if caErr != nil {
		t.Fatal(caErr)
	}
	return ca
}

func newCA() (*CA, error) {
	now := time.Now().UTC()
	lo, hi := now, Clock
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	a := &CA{certs: map[string]tls.Certificate{}, notBefore: lo.AddDate(0, -1, 0), notAfter: hi.AddDate(1, 0, 0)}
	var err error
	if a.rootKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	if a.interKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	rootTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sdetcheck test root CA"},
		NotBefore: lo.AddDate(-10, 0, 0), NotAfter: hi.AddDate(10, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &a.rootKey.PublicKey, a.rootKey)
	if err != nil {
		return nil, err
	}
	if a.root, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	a.rootPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	interTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "sdetcheck test intermediate CA"},
		NotBefore: lo.AddDate(-5, 0, 0), NotAfter: hi.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err = x509.CreateCertificate(rand.Reader, interTmpl, a.root, &a.interKey.PublicKey, a.rootKey)
	if err != nil {
		return nil, err
	}
	if a.inter, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	return a, nil
}

// File writes the root's certificate (PEM) in a file of the test's
// temporary directory and returns its path.
func (a *CA) File(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ac-test.pem")
	if err := os.WriteFile(p, a.rootPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Certificate returns the server certificate of a kind, with the chain
// the server sends.
func (a *CA) Certificate(kind string) (tls.Certificate, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.certs[kind]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(100 + len(a.certs))),
		Subject:      pkix.Name{CommonName: "ent.test"},
		DNSNames:     []string{"localhost", "ent.test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    a.notBefore, NotAfter: a.notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	parent, parentKey, chain := a.inter, a.interKey, true
	switch kind {
	case "valid":
	case "expired":
		tmpl.NotBefore, tmpl.NotAfter = a.notBefore.AddDate(-2, 0, 0), a.notBefore.AddDate(0, 0, -1)
	case "other-name":
		tmpl.Subject.CommonName = "autre.example"
		tmpl.DNSNames, tmpl.IPAddresses = []string{"autre.example", "www.autre.example"}, nil
	case "incomplete-chain":
		chain = false
	case "self-signed":
		parent, parentKey, chain = tmpl, key, false
	default:
		return tls.Certificate{}, fmt.Errorf("serve-cert: unknown kind %q (valid, expired, other-name, incomplete-chain, self-signed)", kind)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return tls.Certificate{}, err
	}
	c := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	if chain {
		c.Certificate = append(c.Certificate, a.inter.Raw)
	}
	a.certs[kind] = c
	return c, nil
}
