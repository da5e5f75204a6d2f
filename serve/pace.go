package serve

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// errTooSlow: a request body arrived slower than the minimum rate (408).
var errTooSlow = errors.New("request body too slow")

// pacedBody cuts a request body that arrives slower than rate bytes per
// second once grace is over: before each read, the connection's read
// deadline is set to when the bytes read so far, and one chunk more,
// must have arrived. A steady body at the rate never meets it; a stalled
// one meets it within grace + chunk/rate. A slow upload therefore holds
// its connection and its ticket for a bounded time only.
type pacedBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	start    time.Time
	grace    time.Duration
	rate     float64
	n        int64
	deadline time.Time
}

// paceChunk is the bytes that a body is given 1/rate seconds each for.
const paceChunk = 16 << 10

func (b *pacedBody) Read(p []byte) (int, error) {
	d := b.start.Add(b.grace + time.Duration(float64(b.n+paceChunk)/b.rate*float64(time.Second)))
	if d.Sub(b.deadline) > 50*time.Millisecond {
		b.rc.SetReadDeadline(d)
		b.deadline = d
	}
	k, err := b.ReadCloser.Read(p)
	b.n += int64(k)
	if err != nil && err != io.EOF && !time.Now().Before(b.deadline) {
		err = errTooSlow
	}
	return k, err
}

// pace puts r's body under the minimum rate; the returned function,
// called when the handler ends, lifts the deadline (the connection may
// carry another request).
func (s *Service) pace(w http.ResponseWriter, r *http.Request) func() {
	rc := http.NewResponseController(w)
	r.Body = &pacedBody{ReadCloser: r.Body, rc: rc, start: time.Now(), grace: s.cfg.UploadGrace, rate: s.cfg.MinUploadRate}
	return func() { rc.SetReadDeadline(time.Time{}) }
}

// tooSlowProblem answers a body cut for its rate.
func (s *Service) tooSlowProblem(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	writeProblem(w, http.StatusRequestTimeout, "Dépôt trop lent", s.tooSlowDetail(), "")
}

func (s *Service) tooSlowDetail() string {
	return fmt.Sprintf("Le corps de la requête arrivait à moins de %s par seconde : la connexion est coupée. Déposez de nouveau depuis une connexion plus rapide.", input.Bytes(int64(s.cfg.MinUploadRate)))
}
