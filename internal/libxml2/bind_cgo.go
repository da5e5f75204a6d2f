//go:build cgo && (linux || darwin || freebsd)

package libxml2

/*
#cgo linux LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

// The few libxml2 types used, as declared by its stable ABI (xmlerror.h).
typedef struct {
	int domain;
	int code;
	char *message;
	int level;
	char *file;
	int line;
	char *str1, *str2, *str3;
	int int1;
	int int2; // column
	void *ctxt;
	void *node;
} sd_xmlError;

typedef void (*sd_serror_fn)(void *ctx, sd_xmlError *err);
typedef void (*sd_generic_fn)(void *ctx, const char *msg, ...);
typedef int (*sd_read_fn)(void *ctx, char *buf, int len);
typedef int (*sd_close_fn)(void *ctx);

static struct {
	void *lib;
	void (*initParser)(void);
	const char *const *(*parserVersion)(void);
	const char *const *versionVar;
	void (*setStructuredErrorFunc)(void *, sd_serror_fn);
	void (*setGenericErrorFunc)(void *, sd_generic_fn);
	void *(*schemaNewMemParserCtxt)(const char *, int);
	void (*schemaSetParserStructuredErrors)(void *, sd_serror_fn, void *);
	void *(*schemaParse)(void *);
	void (*schemaFreeParserCtxt)(void *);
	void (*schemaFree)(void *);
	void *(*schemaNewValidCtxt)(void *);
	void (*schemaFreeValidCtxt)(void *);
	void (*schemaSetValidStructuredErrors)(void *, sd_serror_fn, void *);
	void *(*parserInputBufferCreateIO)(sd_read_fn, sd_close_fn, void *, int);
	int (*schemaValidateStream)(void *, void *, int, void *, void *);
} sd;

#define SD_SYM(field, name) \
	if ((*(void **)&sd.field = dlsym(sd.lib, name)) == NULL) { \
		dlclose(sd.lib); \
		sd.lib = NULL; \
		return "missing symbol " name; \
	}

// sd_load opens libxml2 and resolves the entry points; it returns NULL or
// a static error message.
static const char *sd_load(const char *path) {
	sd.lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (sd.lib == NULL) return dlerror();

	SD_SYM(initParser, "xmlInitParser")
	// The version is optional (newer releases may drop the accessor).
	*(void **)&sd.parserVersion = dlsym(sd.lib, "__xmlParserVersion");
	sd.versionVar = dlsym(sd.lib, "xmlParserVersion");
	SD_SYM(setStructuredErrorFunc, "xmlSetStructuredErrorFunc")
	SD_SYM(setGenericErrorFunc, "xmlSetGenericErrorFunc")
	SD_SYM(schemaNewMemParserCtxt, "xmlSchemaNewMemParserCtxt")
	SD_SYM(schemaSetParserStructuredErrors, "xmlSchemaSetParserStructuredErrors")
	SD_SYM(schemaParse, "xmlSchemaParse")
	SD_SYM(schemaFreeParserCtxt, "xmlSchemaFreeParserCtxt")
	SD_SYM(schemaFree, "xmlSchemaFree")
	SD_SYM(schemaNewValidCtxt, "xmlSchemaNewValidCtxt")
	SD_SYM(schemaFreeValidCtxt, "xmlSchemaFreeValidCtxt")
	SD_SYM(schemaSetValidStructuredErrors, "xmlSchemaSetValidStructuredErrors")
	SD_SYM(parserInputBufferCreateIO, "xmlParserInputBufferCreateIO")
	SD_SYM(schemaValidateStream, "xmlSchemaValidateStream")
	sd.initParser();
	return NULL;
}

static const char *sd_version(void) {
	const char *const *v = sd.parserVersion ? sd.parserVersion() : sd.versionVar;
	return (v && *v) ? *v : "";
}

// Errors are collected in C, so libxml2 never calls back into Go for
// them and never prints to stderr.
typedef struct {
	int domain, code, level, line, col;
	char *msg;
} sd_issue;

typedef struct {
	sd_issue *issues;
	int max, n, total;
	// parser is the parser's first error met once issues was full: it
	// makes the file malformed, however many schema errors came before.
	sd_issue parser;
	int has_parser;
} sd_errors;

static void sd_copy(sd_issue *is, sd_xmlError *e) {
	is->domain = e->domain;
	is->code = e->code;
	is->level = e->level;
	is->line = e->line;
	is->col = e->int2;
	is->msg = e->message ? strdup(e->message) : NULL;
}

static void sd_on_error(void *ctx, sd_xmlError *e) {
	sd_errors *c = ctx;
	if (c == NULL || e == NULL || e->level < 2) return; // warnings are not violations
	c->total++;
	if (c->n < c->max) {
		sd_copy(&c->issues[c->n++], e);
		return;
	}
	if (e->domain != 17 && !c->has_parser) { // not XML_FROM_SCHEMASV
		sd_copy(&c->parser, e);
		c->has_parser = 1;
	}
}

static void sd_silent(void *ctx, const char *msg, ...) {}

static void sd_quiet_thread(sd_errors *c) {
	// Per-thread handlers: the parser's own errors and libxml2's generic
	// messages go to c, never to stderr.
	sd.setStructuredErrorFunc(c, c ? (sd_serror_fn)sd_on_error : NULL);
	sd.setGenericErrorFunc(NULL, c ? (sd_generic_fn)sd_silent : NULL);
}

static void *sd_parse_schema(const char *buf, int len, sd_errors *c) {
	sd_quiet_thread(c);
	void *pc = sd.schemaNewMemParserCtxt(buf, len);
	if (pc == NULL) { sd_quiet_thread(NULL); return NULL; }
	sd.schemaSetParserStructuredErrors(pc, (sd_serror_fn)sd_on_error, c);
	void *s = sd.schemaParse(pc);
	sd.schemaFreeParserCtxt(pc);
	sd_quiet_thread(NULL);
	return s;
}

static void sd_free_schema(void *s) { sd.schemaFree(s); }

static void *sd_new_valid(void *schema) { return sd.schemaNewValidCtxt(schema); }

static void sd_free_valid(void *v) { sd.schemaFreeValidCtxt(v); }

// sd_pipe makes the pipe through which Go hands a document to libxml2;
// a larger pipe buffer means fewer wake-ups.
static int sd_pipe(int *fds) {
	if (pipe(fds) != 0) return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#ifdef F_SETPIPE_SZ
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
#endif
	return 0;
}

// libxml2 reads the pipe itself, in C: no call back into Go while it
// parses (a Go callback that waited for data would block its thread). It
// asks for 4,000 bytes at a time; reading the pipe by 256 KiB saves most
// of the system calls.
typedef struct {
	int fd;
	size_t off, len;
	char buf[256 << 10];
} sd_input;

static int sd_read(void *ctx, char *dst, int len) {
	sd_input *in = ctx;
	if (in->off == in->len) {
		for (;;) {
			ssize_t n = read(in->fd, in->buf, sizeof in->buf);
			if (n >= 0) {
				in->off = 0;
				in->len = (size_t)n;
				break;
			}
			if (errno != EINTR) return -1;
		}
		if (in->len == 0) return 0;
	}
	size_t k = in->len - in->off;
	if (k > (size_t)len) k = (size_t)len;
	memcpy(dst, in->buf + in->off, k);
	in->off += k;
	return (int)k;
}

static int sd_close(void *ctx) { return 0; }

// sd_drain reads fd to its end, so that the Go writer never waits on a
// pipe nobody reads once libxml2 has stopped at a fatal error.
static void sd_drain(int fd) {
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n > 0) continue;
		if (n < 0 && errno == EINTR) continue;
		return;
	}
}

// sd_validate streams the document arriving on fd through the schema
// validation context v (XML_CHAR_ENCODING_NONE: libxml2 detects it), then
// drains fd.
static int sd_validate(void *v, int fd, sd_errors *c) {
	sd_input *src = malloc(sizeof(sd_input));
	if (src == NULL) {
		sd_drain(fd);
		return -1;
	}
	src->fd = fd;
	src->off = src->len = 0;
	sd_quiet_thread(c);
	sd.schemaSetValidStructuredErrors(v, (sd_serror_fn)sd_on_error, c);
	void *in = sd.parserInputBufferCreateIO(sd_read, sd_close, src, 0);
	int ret = -1;
	if (in != NULL) ret = sd.schemaValidateStream(v, in, 0, NULL, NULL);
	sd.schemaSetValidStructuredErrors(v, NULL, NULL);
	sd_quiet_thread(NULL);
	sd_drain(fd);
	free(src);
	return ret;
}

static sd_errors *sd_errors_new(int max) {
	sd_errors *c = calloc(1, sizeof(sd_errors));
	if (c == NULL) return NULL;
	c->issues = calloc(max > 0 ? max : 1, sizeof(sd_issue));
	if (c->issues == NULL) { free(c); return NULL; }
	c->max = max;
	return c;
}

static sd_issue *sd_errors_at(sd_errors *c, int i) {
	return i < c->n ? &c->issues[i] : &c->parser;
}

static void sd_errors_free(sd_errors *c) {
	if (c == NULL) return;
	if (c->has_parser) free(c->parser.msg);
	for (int i = 0; i < c->n; i++) free(c->issues[i].msg);
	free(c->issues);
	free(c);
}
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
