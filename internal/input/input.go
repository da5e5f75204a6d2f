// Package input reads evidence (files and URLs) with bounds on size, time
// and redirects, and records every input read with the SHA-256 of the exact
// bytes read, so a result names what it covers.
package input

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/netguard"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// DefaultMaxBytes bounds a single document read into memory (SAML metadata,
// pages, notices). Streamed inputs (GAR feed files) are bounded separately.
const DefaultMaxBytes = 20 << 20

// Error is a problem with an input: unreadable, too large, malformed. It
// names the source and, when known, the line and column.
type Error struct {
	Source string
	Line   int
	Column int
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrTooLarge is the kind of every "input exceeds its size bound" error
// (errors.Is); build instances with ErrTooLarge.With.
var ErrTooLarge = &Problem{EN: "input too large", FR: "pièce trop volumineuse"}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Loader reads inputs and records them. It is safe for concurrent use.
type Loader struct {
	// MaxBytes bounds each document read whole; 0 means DefaultMaxBytes.
	MaxBytes int64
	// AllowHTTP permits plain http:// URLs (refused by default).
	AllowHTTP bool
	// AllowPrivateNetwork lets URLs reach loopback, private, link-local,
	// CGNAT, multicast and unspecified addresses (refused by default, see
	// internal/netguard); --allow-private-network.
	AllowPrivateNetwork bool
	// Client fetches URLs; nil means a client of NewClientPolicy(30s) with
	// the policy AllowPrivateNetwork says. A client given here is used as
	// it is: its transport decides which addresses it reaches.
	Client *http.Client
	// Base, when set, is the directory relative paths are resolved against
	// (the dossier directory). Sources are recorded as given, so results do
	// not depend on where the dossier sits on disk.
	Base string

	mu     sync.Mutex
	inputs map[string]result.Input
}

// NewClient returns an HTTP client that keeps no cookies, follows at most
// five redirects, never leaves https for http, connects to public
// addresses only (netguard) and gives up after timeout.
func NewClient(timeout time.Duration) *http.Client {
	return NewClientPolicy(timeout, netguard.Policy{})
}

// NewClientPolicy is NewClient with the addresses it may connect to said
// by policy.
func NewClientPolicy(timeout time.Duration, policy netguard.Policy) *http.Client {
	return &http.Client{
		Timeout:   timeout,
		Transport: policy.Transport(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return Problemf("too many redirects (more than 5)", "trop de redirections (plus de 5)")
			}
			if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
				return Problemf("redirect from https to %s refused", "redirection de https vers %s refusée", req.URL.Scheme)
			}
			return nil
		},
	}
}

func (l *Loader) maxBytes() int64 {
	if l.MaxBytes > 0 {
		return l.MaxBytes
	}
	return DefaultMaxBytes
}

// IsURL reports whether src is an http(s) URL.
func IsURL(src string) bool {
	return strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://")
}

// otherSchemeRe is a URL of any scheme: "ftp://", "file://".
var otherSchemeRe = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*)://`)

// OtherScheme returns the scheme of src when src is a URL that is not
// http(s) ("ftp", "file"), "" otherwise: such a source is refused, not
// looked for as a file.
func OtherScheme(src string) string {
	if IsURL(src) {
		return ""
	}
	if m := otherSchemeRe.FindStringSubmatch(src); m != nil {
		return m[1]
	}
	return ""
}

// Path resolves a file source against Base.
func (l *Loader) Path(src string) string {
	if l.Base == "" || IsURL(src) || strings.HasPrefix(src, "/") {
		return src
	}
	return l.Base + string(os.PathSeparator) + src
}

// Record notes an input read by other means (e.g. streamed).
func (l *Loader) Record(in result.Input) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inputs == nil {
		l.inputs = map[string]result.Input{}
	}
	l.inputs[in.Source] = in
}

// Inputs returns every recorded input, sorted by source.
func (l *Loader) Inputs() []result.Input {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]result.Input, 0, len(l.inputs))
	for _, in := range l.inputs {
		out = append(out, in)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Source < out[j].Source })
	return out
}

// Read reads a whole file or URL (at most MaxBytes) and records it.
func (l *Loader) Read(ctx context.Context, src, kind string) ([]byte, error) {
	if IsURL(src) {
		doc, err := l.Fetch(ctx, src, kind)
		if err != nil {
			return nil, err
		}
		if doc.Status != http.StatusOK {
			return nil, &Error{Source: src, Err: HTTPStatus(doc.Status)}
		}
		return doc.Body, nil
	}
	if s := OtherScheme(src); s != "" {
		return nil, &Error{Source: src, Err: Problemf("scheme %q refused: only https (use --allow-http for http)", "protocole %q refusé : https seulement (--allow-http pour http)", s)}
	}
	p := l.Path(src)
	// Relative sources come from the dossier (the manifest refuses
	// absolute paths) and must stay in it; an absolute source can only
	// come from the command line, the user's own choice.
	if l.Base != "" && !filepath.IsAbs(src) {
		if err := Confine(l.Base, p); err != nil {
			return nil, &Error{Source: src, Err: err}
		}
	}
	// Stat before opening: opening a FIFO blocks until a writer comes.
	if _, err := StatFile(p, false); err != nil {
		return nil, &Error{Source: src, Err: err}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, &Error{Source: src, Err: cleanOSError(err)}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, &Error{Source: src, Err: cleanOSError(err)}
	}
	if !st.Mode().IsRegular() {
		return nil, &Error{Source: src, Err: Problemf("not a regular file", "ce n'est pas un fichier ordinaire")}
	}
	if st.Size() > l.maxBytes() {
		return nil, &Error{Source: src, Err: ErrTooLarge.With("%d bytes, limit %d", "%s, limite %s", Bytes(st.Size()), Bytes(l.maxBytes()))}
	}
	data, err := readBounded(f, l.maxBytes())
	if err != nil {
		return nil, &Error{Source: src, Err: err}
	}
	l.Record(result.Input{Source: src, SHA256: Sum(data), Size: int64(len(data)), Kind: kind})
	return data, nil
}

// ErrOutside is returned by Confine for a path that leaves its directory.
var ErrOutside = &Problem{
	EN: "points outside the dossier directory (through a symbolic link or ..); refused",
	FR: "désigne un emplacement hors du dossier (par un lien symbolique ou « .. ») : refusé",
}

// Confine checks that p stays inside base once symbolic links are
// resolved, so that evidence cannot pull in files from elsewhere on the
// machine. Both must exist.
func Confine(base, p string) error {
	rb, err := filepath.EvalSymlinks(base)
	if err != nil {
		return Wrap(cleanOSError(err), "resolve dossier directory", "dossier illisible")
	}
	rp, err := filepath.EvalSymlinks(p)
	if err != nil {
		return cleanOSError(err)
	}
	if rb, err = filepath.Abs(rb); err != nil {
		return err
	}
	if rp, err = filepath.Abs(rp); err != nil {
		return err
	}
	rel, err := filepath.Rel(rb, rp)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return ErrOutside
	}
	return nil
}

// StatFile stats p (following symbolic links) without opening it and
// refuses anything but a regular file, or a directory when dirOK: opening
// a FIFO blocks until a writer comes, and a device may never end.
func StatFile(p string, dirOK bool) (os.FileInfo, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, cleanOSError(err)
	}
	switch {
	case st.IsDir() && dirOK, st.Mode().IsRegular():
		return st, nil
	case st.IsDir():
		return nil, Problemf("is a directory, expected a file", "c'est un répertoire, un fichier est attendu")
	}
	// Each text takes its own kind's name (Problemf gives both texts the
	// same arguments).
	en, fr := kindOf(st.Mode())
	return nil, &Problem{EN: "not a regular file (" + en + "); refused", FR: "ce n'est pas un fichier ordinaire (" + fr + ") : refusé"}
}

// kindOf names a special file in English and French.
func kindOf(m os.FileMode) (en, fr string) {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "named pipe", "tube nommé"
	case m&os.ModeSocket != 0:
		return "socket", "socket"
	case m&os.ModeDevice != 0:
		return "device", "périphérique"
	}
	return "special file", "fichier spécial"
}

// Doc is a fetched URL.
type Doc struct {
	URL      string // as asked
	FinalURL string // after redirects
	Status   int
	Header   http.Header
	Body     []byte
	// TLS is the negotiated TLS version (e.g. 0x0303 for TLS 1.2), 0 for http.
	TLSVersion uint16
	// Certificates is the chain the server presented (leaf first), nil for
	// http.
	Certificates []*x509.Certificate
	// Redirects are the redirect responses met on the way, in order (nil
	// without redirect): their headers (Set-Cookie,
	// Strict-Transport-Security) are part of what a browser receives.
	Redirects []Hop
}

// Hop is one redirect response met while fetching a URL.
type Hop struct {
	URL    string // the address that answered with the redirect
	Status int
	Header http.Header
}

// maxHops bounds the redirect responses a Doc keeps (a client given to
// the Loader may follow more than NewClient's five).
const maxHops = 20

// Fetch GETs a URL without credentials or cookies, bounded in time, size
// and redirects, and records it with its status. Non-https URLs are refused
// unless AllowHTTP.
func (l *Loader) Fetch(ctx context.Context, src, kind string) (*Doc, error) {
	u, err := url.Parse(src)
	if err != nil || u.Host == "" {
		return nil, &Error{Source: src, Err: Problemf("malformed URL", "adresse (URL) mal formée")}
	}
	if u.User != nil {
		return nil, &Error{Source: src, Err: Problemf("URL carries credentials; refused", "l'adresse (URL) contient des identifiants : refusée")}
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && l.AllowHTTP) {
		return nil, &Error{Source: src, Err: Problemf("scheme %q refused: only https (use --allow-http for http)", "protocole %q refusé : https seulement (--allow-http pour http)", u.Scheme)}
	}
	c := l.Client
	if c == nil {
		c = NewClientPolicy(30*time.Second, netguard.Policy{AllowPrivate: l.AllowPrivateNetwork})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, &Error{Source: src, Err: Wrap(err, "build request", "requête impossible")}
	}
	req.Header.Set("User-Agent", "sdetcheck (+conformity audit, no credentials)")
	// The redirect responses are kept (a copy of the client, whose
	// redirect policy is kept as it is, records them).
	var hops []Hop
	rc := *c
	check := c.CheckRedirect
	rc.CheckRedirect = func(next *http.Request, via []*http.Request) error {
		if r := next.Response; r != nil && len(hops) < maxHops {
			hops = append(hops, Hop{URL: via[len(via)-1].URL.String(), Status: r.StatusCode, Header: r.Header})
		}
		if check != nil {
			return check(next, via)
		}
		if len(via) >= 10 { // net/http's own policy without CheckRedirect
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	resp, err := rc.Do(req)
	if err != nil {
		return nil, &Error{Source: src, Err: fetchError(unwrapURLError(err), u.Scheme)}
	}
	defer resp.Body.Close()
	body, err := readBounded(resp.Body, l.maxBytes())
	if err != nil {
		return nil, &Error{Source: src, Err: err}
	}
	doc := &Doc{URL: src, FinalURL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header, Body: body, Redirects: hops}
	if resp.TLS != nil {
		doc.TLSVersion = resp.TLS.Version
		doc.Certificates = resp.TLS.PeerCertificates
	}
	l.Record(result.Input{Source: src, SHA256: Sum(body), Size: int64(len(body)), Kind: kind, HTTPStatus: resp.StatusCode})
	return doc, nil
}

// fetchError words what made a request fail: an address the guard
// refuses, an https request answered by a server that does not speak TLS
// (which crypto/tls reports as a bare EOF or a record header error).
func fetchError(err error, scheme string) error {
	var blocked *netguard.BlockedError
	if errors.As(err, &blocked) {
		return blocked // says it in both languages
	}
	var rh tls.RecordHeaderError
	if errors.Is(err, http.ErrSchemeMismatch) || errors.As(err, &rh) {
		return Problemf("the server does not speak TLS on this port (plain http server? try the http:// address with --allow-http)", "le serveur ne parle pas TLS sur ce port (serveur http non chiffré ? essayer l'adresse http:// avec --allow-http)")
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		// The resolver's address is this machine's network setup, not a
		// fact about the ENT: it never reaches a report.
		dns.Server = ""
	}
	switch {
	case errors.As(err, &dns) && dns.IsNotFound:
		return &Problem{EN: fmt.Sprintf("host name %q not found (DNS)", dns.Name), FR: fmt.Sprintf("nom d'hôte « %s » introuvable (DNS)", dns.Name), Cause: err}
	case errors.As(err, &dns):
		return &Problem{EN: fmt.Sprintf("host name %q could not be resolved (DNS)", dns.Name), FR: fmt.Sprintf("nom d'hôte « %s » non résolu (DNS)", dns.Name), Cause: err}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Problem{EN: "connection refused by the server (nothing listens on this port)", FR: "connexion refusée par le serveur (rien n'écoute sur ce port)", Cause: err}
	case errors.Is(err, syscall.ENETUNREACH) || errors.Is(err, syscall.EHOSTUNREACH):
		return &Problem{EN: "server unreachable from this network", FR: "serveur injoignable depuis ce réseau", Cause: err}
	}
	var timeout interface{ Timeout() bool }
	if errors.As(err, &timeout) && timeout.Timeout() {
		return &Problem{EN: "no answer in time (timeout)", FR: "pas de réponse dans le délai imparti", Cause: err}
	}
	if scheme == "https" && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)) {
		return Problemf("the server closed the connection before any answer (during the TLS handshake: plain http server on this port, or TLS refused?)", "le serveur a fermé la connexion avant toute réponse (pendant la négociation TLS : serveur http non chiffré sur ce port, ou TLS refusé ?)")
	}
	return Wrap(err, "fetch", "téléchargement impossible")
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func readBounded(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, Wrap(err, "read", "lecture impossible")
	}
	if int64(len(data)) > max {
		return nil, ErrTooLarge.With("more than %d bytes", "plus de %s", Bytes(max))
	}
	return data, nil
}

func cleanOSError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Sum is the lowercase hex SHA-256 of data.
func Sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// HashingReader hashes what passes through it; Done records the input.
type HashingReader struct {
	r      io.Reader
	h      hash.Hash
	n      int64
	src    string
	kind   string
	loader *Loader
}

// ContextReader reads r until ctx is done, then fails with ctx's error:
// a long read (a GAR file, an archive) stops at the next read after a
// SIGTERM or Ctrl-C.
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	return ctxReader{ctx, r}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// NewHashingReader wraps r so that the bytes read are hashed; call Done
// once the whole input has been read to record it.
func (l *Loader) NewHashingReader(r io.Reader, src, kind string) *HashingReader {
	return &HashingReader{r: r, h: sha256.New(), src: src, kind: kind, loader: l}
}

func (h *HashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.h.Write(p[:n])
		h.n += int64(n)
	}
	return n, err
}

// Done drains what is left (so the digest covers the whole input) and
// records it.
// Sum is the SHA-256 of what was read so far (all of it after Done).
func (h *HashingReader) Sum() []byte { return h.h.Sum(nil) }

func (h *HashingReader) Done() error {
	if _, err := io.Copy(io.Discard, h); err != nil {
		return err
	}
	h.loader.Record(result.Input{Source: h.src, SHA256: hex.EncodeToString(h.h.Sum(nil)), Size: h.n, Kind: h.kind})
	return nil
}
