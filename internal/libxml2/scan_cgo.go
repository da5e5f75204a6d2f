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
	"strings"
	"unsafe"
)

// scanBuffers holds the buffers of Scan, kept from one file to the next:
// the C side's (events, names) and the chunk read from the document.
type scanBuffers struct {
	p     *C.sd_sax
	chunk []byte
}

// scanChunk is how much of the document each call into C hands to the
// parser: few calls, and a chunk's events stay under the C buffer's first
// size.
const scanChunk = 256 << 10

// Scan validates the document read from r as Validate does, in the
// calling goroutine, and hands the parse's events (see NextEvent) to
// events, a batch at a time: the records come from the parse that
// validates. events returns false to stop the parse.
//
// Go reads the document and pushes it to libxml2 by chunks; each call
// into C returns the events of its chunk. C never calls back into Go.
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
	if s.scan == nil {
		s.scan = &scanBuffers{chunk: make([]byte, scanChunk)}
		runtime.AddCleanup(s, func(b *scanBuffers) { C.sd_scan_free(b.p) }, s.scan)
	}
	p := C.sd_scan_begin(s.valid, errs, &s.scan.p)
	if p == nil {
		return Report{Status: -1}, 0, errors.New("validate: out of memory")
	}
	buf := s.scan.chunk
	for {
		n, rerr := io.ReadFull(r, buf)
		last := 0
		switch rerr {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			last = 1
		default:
			err = rerr
		}
		if err != nil {
			break
		}
		var ev *C.uchar
		var evlen C.size_t
		var ptr *C.char
		if n > 0 {
			ptr = (*C.char)(unsafe.Pointer(&buf[0]))
		}
		more := C.sd_scan_push(p, s.valid, ptr, C.int(n), C.int(last), &ev, &evlen)
		if evlen > 0 && !events(unsafe.Slice((*byte)(unsafe.Pointer(ev)), int(evlen))) {
			C.sd_scan_stop(p)
			break
		}
		if more == 0 {
			break
		}
	}
	var reason C.int
	rep.Status = int(C.sd_scan_end(p, s.valid, &reason))
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
	return rep, int(reason), err
}
