//go:build cgo && (linux || darwin || freebsd)

package libxml2

/*
#include <stdlib.h>
#include "sd.h"
*/
import "C"

import (
	"errors"
	"io"
	"runtime"
	"runtime/cgo"
	"strings"
	"unsafe"
)

// scanBuffers holds the C buffers of Scan, kept from one file to the next.
type scanBuffers struct{ p *C.sd_sax }

// scanState is what the C handlers reach through a cgo.Handle.
type scanState struct {
	r      io.Reader
	events func([]byte) bool
	rerr   error
}

//export sdGoRead
func sdGoRead(h C.uintptr_t, buf *C.char, n C.int, ev *C.char, evlen C.int) C.int {
	st := cgo.Handle(h).Value().(*scanState)
	if evlen > 0 && !st.events(unsafe.Slice((*byte)(unsafe.Pointer(ev)), int(evlen))) {
		return -2
	}
	if st.rerr != nil {
		return -1
	}
	p := unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))
	for {
		k, err := st.r.Read(p)
		if k > 0 {
			return C.int(k)
		}
		if err == io.EOF {
			return 0
		}
		if err != nil {
			st.rerr = err
			return -1
		}
	}
}

//export sdGoEvents
func sdGoEvents(h C.uintptr_t, buf *C.char, n C.int) C.int {
	st := cgo.Handle(h).Value().(*scanState)
	if !st.events(unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(n))) {
		return 1
	}
	return 0
}

// Scan validates the document read from r as Validate does, in the
// calling goroutine, and hands the parse's events (see NextEvent) to
// events, a batch at a time, while libxml2 parses: the records come from
// the parse that validates. events returns false to stop the parse.
//
// stop is 0 when the parse ran to its end (or to a fatal error of the
// document), else why it was stopped (StopCaller, or a Stop* sign that the
// document exceeds a bound of the GAR scanner: the caller then reads it
// again the two-pass way). err is r's error, which stopped the reading.
func (s *Schema) Scan(r io.Reader, maxIssues int, events func([]byte) bool) (rep Report, stop int, err error) {
	if maxIssues < 1 {
		maxIssues = 1
	}
	errs := C.sd_errors_new(C.int(maxIssues))
	if errs == nil {
		return Report{Status: -1}, 0, errors.New("validate: out of memory")
	}
	defer C.sd_errors_free(errs)
	st := &scanState{r: r, events: events}
	h := cgo.NewHandle(st)
	defer h.Delete()
	var reason C.int
	if s.scan == nil {
		s.scan = new(scanBuffers)
		runtime.AddCleanup(s, func(b *scanBuffers) { C.sd_scan_free(b.p) }, s.scan)
	}
	rep.Status = int(C.sd_scan(s.valid, C.uintptr_t(h), errs, &reason, &s.scan.p))
	runtime.KeepAlive(s)
	rep.Total = int(errs.total)
	n := int(errs.n)
	if errs.has_parser != 0 {
		n++
	}
	for i := 0; i < n; i++ {
		is := C.sd_errors_at(errs, C.int(i))
		rep.Issues = append(rep.Issues, Issue{
			Domain: int(is.domain), Code: int(is.code), Level: int(is.level),
			Line: int(is.line), Column: int(is.col),
			Message: strings.TrimSpace(C.GoString(is.msg)),
		})
	}
	return rep, int(reason), st.rerr
}
