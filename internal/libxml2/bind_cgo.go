//go:build cgo && (linux || darwin || freebsd)

package libxml2

/*
#cgo linux LDFLAGS: -ldl
#include <stdlib.h>
#include <unistd.h>
#include "sd.h"
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

var (
	loadOnce sync.Once
	loadVer  string
	loadErr  error
)

// libraryNames are tried in order; the first that loads with every entry
// point is used.
var libraryNames = []string{"libxml2.so.2", "libxml2.2.dylib", "/usr/lib/libxml2.2.dylib"}

// Load opens libxml2 once per process and returns its version (for
// instance "2.9.14"). The error wraps ErrUnavailable.
func Load() (string, error) {
	loadOnce.Do(func() {
		var msgs []string
		names := libraryNames
		if p := os.Getenv(EnvLibrary); p != "" {
			names = []string{p}
		}
		for _, name := range names {
			cname := C.CString(name)
			msg := C.sd_load(cname)
			C.free(unsafe.Pointer(cname))
			if msg == nil {
				loadVer = dotted(C.GoString(C.sd_version()))
				return
			}
			msgs = append(msgs, C.GoString(msg))
		}
		loadErr = fmt.Errorf("%w: %s", ErrUnavailable, strings.Join(msgs, "; "))
	})
	return loadVer, loadErr
}

// Schema is a compiled XML Schema with one validation context: use it from
// one goroutine at a time.
type Schema struct {
	schema, valid unsafe.Pointer
	scan          *scanBuffers // Scan's buffers (scan_cgo.go)
}

// ParseSchema compiles an XSD held in memory. It must not import or
// include other files.
func ParseSchema(name string, xsd []byte) (*Schema, error) {
	if _, err := Load(); err != nil {
		return nil, err
	}
	if len(xsd) == 0 {
		return nil, fmt.Errorf("parse schema %s: empty", name)
	}
	errs := C.sd_errors_new(1)
	if errs == nil {
		return nil, errors.New("parse schema: out of memory")
	}
	defer C.sd_errors_free(errs)
	buf := C.CBytes(xsd)
	defer C.free(buf)
	// The C call runs on one OS thread from start to end; the per-thread
	// error handlers it sets are removed before it returns.
	s := C.sd_parse_schema((*C.char)(buf), C.int(len(xsd)), errs)
	if s == nil {
		msg := "invalid schema"
		if errs.n > 0 {
			is := C.sd_errors_at(errs, 0)
			msg = fmt.Sprintf("line %d: %s", int(is.line), strings.TrimSpace(C.GoString(is.msg)))
		}
		return nil, fmt.Errorf("parse schema %s: %s", name, msg)
	}
	v := C.sd_new_valid(s)
	if v == nil {
		C.sd_free_schema(s)
		return nil, fmt.Errorf("parse schema %s: cannot create a validation context", name)
	}
	sc := &Schema{schema: s, valid: v}
	runtime.AddCleanup(sc, func(p [2]unsafe.Pointer) {
		if p[1] != nil {
			C.sd_free_valid(p[1])
		}
		if p[0] != nil {
			C.sd_free_schema(p[0])
		}
	}, [2]unsafe.Pointer{s, v})
	return sc, nil
}

// Validate reads the whole document from r and validates it. It keeps
// the first maxIssues errors. The error return is for what stopped the
// reading (r's error, ctx); malformed XML is an Issue of the parser's
// domain, not an error.
func (s *Schema) Validate(ctx context.Context, r io.Reader, maxIssues int) (Report, error) {
	w, wait, err := s.Start(maxIssues)
	if err != nil {
		return Report{}, err
	}
	_, cerr := io.Copy(w, input.ContextReader(ctx, r))
	w.Close()
	rep, err := wait()
	if cerr != nil {
		return rep, cerr
	}
	return rep, err
}

// Start begins the validation of the document written to w: libxml2
// reads it, in its own goroutine, as it comes. Close w at the end of the
// document (or to give up), then call wait for the report. w never blocks
// for good: once libxml2 stops at a fatal error, the rest is discarded.
func (s *Schema) Start(maxIssues int) (w io.WriteCloser, wait func() (Report, error), err error) {
	if maxIssues < 1 {
		maxIssues = 1
	}
	var fds [2]C.int
	if C.sd_pipe(&fds[0]) != 0 {
		return nil, nil, errors.New("validate: cannot create a pipe")
	}
	// The write end is non-blocking, so Go's poller parks the writer
	// when the pipe is full; the read end stays blocking for libxml2.
	if err := syscall.SetNonblock(int(fds[1]), true); err != nil {
		C.close(fds[0])
		C.close(fds[1])
		return nil, nil, fmt.Errorf("validate: %w", err)
	}
	wf := os.NewFile(uintptr(fds[1]), "libxml2 input")
	done := make(chan Report, 1)
	go func() {
		errs := C.sd_errors_new(C.int(maxIssues))
		var rep Report
		if errs == nil {
			rep.Status = -1
			C.sd_drain(fds[0])
		} else {
			rep.Status = int(C.sd_validate(s.valid, fds[0], errs)) // returns at the pipe's end
			rep.Total = int(errs.total)
			n := int(errs.n)
			if errs.has_parser != 0 {
				n++ // the parser's error met once the list was full
			}
			for i := 0; i < n; i++ {
				is := C.sd_errors_at(errs, C.int(i))
				rep.Issues = append(rep.Issues, Issue{
					Domain: int(is.domain), Code: int(is.code), Level: int(is.level),
					Line: int(is.line), Column: int(is.col),
					Message: strings.TrimSpace(C.GoString(is.msg)),
				})
			}
			C.sd_errors_free(errs)
		}
		C.close(fds[0])
		runtime.KeepAlive(s)
		done <- rep
	}()
	wait = func() (Report, error) {
		rep := <-done
		if rep.Status < 0 && rep.Total == 0 {
			return rep, errors.New("validate: libxml2 could not start")
		}
		return rep, nil
	}
	return wf, wait, nil
}
