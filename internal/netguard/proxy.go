package netguard

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

type ctxKey struct{}

// WithPolicy returns a context carrying p, for code that cannot be given
// it otherwise (the headless browser of --render).
func WithPolicy(ctx context.Context, p Policy) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the policy ctx carries, or the default policy
// (private addresses refused).
func FromContext(ctx context.Context) Policy {
	if p, ok := ctx.Value(ctxKey{}).(Policy); ok {
		return p
	}
	return Policy{}
}

// Proxy is a local HTTP proxy whose connections go through a policy: a
// headless browser told to use it (every request, loopback included)
// reaches only the addresses the policy allows, checked when connecting.
type Proxy struct {
	// Addr is host:port of the proxy (on 127.0.0.1).
	Addr string
	srv  *http.Server
	ln   net.Listener
	wg   sync.WaitGroup
}

// StartProxy starts a proxy for p on a free loopback port.
func (p Policy) StartProxy() (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	px := &Proxy{Addr: ln.Addr().String(), ln: ln}
	d := &net.Dialer{Timeout: 30 * time.Second, Control: p.Control}
	tr := p.Transport()
	px.srv = &http.Server{
		ReadHeaderTimeout: 30 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodConnect {
				px.tunnel(w, r, d)
				return
			}
			px.forward(w, r, tr)
		}),
	}
	px.wg.Add(1)
	go func() {
		defer px.wg.Done()
		px.srv.Serve(ln)
	}()
	return px, nil
}

// Close stops the proxy and its connections.
func (px *Proxy) Close() {
	px.srv.Close()
	px.wg.Wait()
}

func (px *Proxy) tunnel(w http.ResponseWriter, r *http.Request, d *net.Dialer) {
	up, err := d.DialContext(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		up.Close()
		http.Error(w, "no hijacking", http.StatusInternalServerError)
		return
	}
	down, buf, err := hj.Hijack()
	if err != nil {
		up.Close()
		return
	}
	down.Write([]byte("HTTP/1.1 200 Connection Established\r\n\r\n"))
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if buf.Reader.Buffered() > 0 {
			io.CopyN(up, buf, int64(buf.Reader.Buffered()))
		}
		io.Copy(up, down)
		up.(*net.TCPConn).CloseWrite()
	}()
	go func() {
		defer wg.Done()
		io.Copy(down, up)
		down.Close()
	}()
	wg.Wait()
	up.Close()
}

// hopHeaders are not forwarded by a proxy (RFC 9110, 7.6.1).
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func (px *Proxy) forward(w http.ResponseWriter, r *http.Request, tr *http.Transport) {
	if r.URL.Scheme != "http" || r.URL.Host == "" {
		http.Error(w, "absolute http URL expected", http.StatusBadRequest)
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	resp, err := tr.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	defer resp.Body.Close()
	for _, h := range hopHeaders {
		resp.Header.Del(h)
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}
