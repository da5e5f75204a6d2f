// Package progress shows that a long run is alive: on a terminal, once the
// run has taken more than a second, it rewrites one stderr line with the
// areas under way; otherwise (a pipe, a file, CI logs, a quick run) it
// writes nothing at all.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Reporter prints progress. The zero value and a nil *Reporter are silent.
type Reporter struct {
	w       io.Writer
	label   string
	delay   time.Duration
	every   time.Duration
	start   time.Time
	mu      sync.Mutex
	areas   []string
	printed bool
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// Start begins reporting on w when tty is true (w is a terminal); label
// names the run ("audit en cours…"). Stop must be called at the end.
func Start(w io.Writer, tty bool, label string) *Reporter {
	return start(w, tty, label, time.Second, 250*time.Millisecond)
}

func start(w io.Writer, tty bool, label string, delay, every time.Duration) *Reporter {
	if !tty || w == nil {
		return nil
	}
	r := &Reporter{w: w, label: label, delay: delay, every: every, start: time.Now(),
		stop: make(chan struct{}), done: make(chan struct{})}
	go r.loop()
	return r
}

func (r *Reporter) loop() {
	defer close(r.done)
	wait := time.NewTimer(r.delay)
	defer wait.Stop()
	select {
	case <-r.stop:
		return
	case <-wait.C:
	}
	tick := time.NewTicker(r.every)
	defer tick.Stop()
	for {
		r.print()
		select {
		case <-r.stop:
			return
		case <-tick.C:
		}
	}
}

func (r *Reporter) print() {
	r.mu.Lock()
	defer r.mu.Unlock()
	line := r.label
	if len(r.areas) > 0 {
		line += " (" + strings.Join(r.areas, ", ") + ")"
	}
	fmt.Fprintf(r.w, "\r\x1b[K%s %ds", line, int(time.Since(r.start).Seconds()))
	r.printed = true
}

// Area records that an area has started; safe to call from any goroutine.
func (r *Reporter) Area(name string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.areas = append(r.areas, strings.ToUpper(name))
}

// Stop ends reporting and clears the line if one was printed. It may be
// called more than once.
func (r *Reporter) Stop() {
	if r == nil {
		return
	}
	r.once.Do(func() {
		close(r.stop)
		<-r.done
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.printed {
			fmt.Fprint(r.w, "\r\x1b[K")
		}
	})
}
