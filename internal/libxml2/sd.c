//go:build cgo && (linux || darwin || freebsd)

// The C side of the binding; see sd.h.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stddef.h>

#include "sd.h"

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
	void *(*createPushParserCtxt)(void *, void *, const char *, int, const char *);
	int (*parseChunk)(void *, const char *, int, int);
	void (*freeParserCtxt)(void *);
	void *(*schemaSAXPlug)(void *, void **, void **);
	int (*schemaSAXUnplug)(void *);
	int (*schemaIsValid)(void *);
	void (*schemaSetLocator)(void *, int (*)(void *, const char **, unsigned long *), void *);
	int (*lineNumber)(void *);
	int (*columnNumber)(void *);
	long (*byteConsumed)(void *);
} sd;

#define SD_SYM(field, name) \
	if ((*(void **)&sd.field = dlsym(sd.lib, name)) == NULL) { \
		dlclose(sd.lib); \
		sd.lib = NULL; \
		return "missing symbol " name; \
	}

// sd_load opens libxml2 and resolves the entry points; it returns NULL or
// a static error message.
const char *sd_load(const char *path) {
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
	SD_SYM(createPushParserCtxt, "xmlCreatePushParserCtxt")
	SD_SYM(parseChunk, "xmlParseChunk")
	SD_SYM(freeParserCtxt, "xmlFreeParserCtxt")
	SD_SYM(schemaSAXPlug, "xmlSchemaSAXPlug")
	SD_SYM(schemaSAXUnplug, "xmlSchemaSAXUnplug")
	SD_SYM(schemaIsValid, "xmlSchemaIsValid")
	SD_SYM(schemaSetLocator, "xmlSchemaValidateSetLocator")
	SD_SYM(lineNumber, "xmlSAX2GetLineNumber")
	SD_SYM(columnNumber, "xmlSAX2GetColumnNumber")
	SD_SYM(byteConsumed, "xmlByteConsumed")
	sd.initParser();
	return NULL;
}

const char *sd_version(void) {
	const char *const *v = sd.parserVersion ? sd.parserVersion() : sd.versionVar;
	return (v && *v) ? *v : "";
}

static void sd_copy(sd_errors *c, sd_issue *is, sd_xmlError *e) {
	is->domain = e->domain;
	is->code = e->code;
	is->level = e->level;
	is->line = e->line;
	is->col = e->int2;
	if (e->domain == 17 && c->pctxt != NULL) {
		// A validation plugged into a push parser (sd_scan_push) does
		// not know the parser: its errors are placed where the parser
		// stands, as xmlSchemaValidateStream (libxml2 2.9) places every
		// one of them, identity-constraint errors included.
		is->line = sd.lineNumber(c->pctxt);
		is->col = sd.columnNumber(c->pctxt);
	}
	is->msg = e->message ? strdup(e->message) : NULL;
}

static void sd_on_error(void *ctx, sd_xmlError *e) {
	sd_errors *c = ctx;
	if (c == NULL || e == NULL || e->level < 2) return; // warnings are not violations
	c->total++;
	if (c->n < c->max) {
		sd_copy(c, &c->issues[c->n++], e);
		return;
	}
	if (e->domain != 17 && !c->has_parser) { // not XML_FROM_SCHEMASV
		sd_copy(c, &c->parser, e);
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

void *sd_parse_schema(const char *buf, int len, sd_errors *c) {
	sd_quiet_thread(c);
	void *pc = sd.schemaNewMemParserCtxt(buf, len);
	if (pc == NULL) { sd_quiet_thread(NULL); return NULL; }
	sd.schemaSetParserStructuredErrors(pc, (sd_serror_fn)sd_on_error, c);
	void *s = sd.schemaParse(pc);
	sd.schemaFreeParserCtxt(pc);
	sd_quiet_thread(NULL);
	return s;
}

void sd_free_schema(void *s) { sd.schemaFree(s); }

void *sd_new_valid(void *schema) { return sd.schemaNewValidCtxt(schema); }

void sd_free_valid(void *v) { sd.schemaFreeValidCtxt(v); }

// sd_pipe makes the pipe through which Go hands a document to libxml2;
// a larger pipe buffer means fewer wake-ups.
int sd_pipe(int *fds) {
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
void sd_drain(int fd) {
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
int sd_validate(void *v, int fd, sd_errors *c) {
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

sd_errors *sd_errors_new(int max) {
	sd_errors *c = calloc(1, sizeof(sd_errors));
	if (c == NULL) return NULL;
	c->issues = calloc(max > 0 ? max : 1, sizeof(sd_issue));
	if (c->issues == NULL) { free(c); return NULL; }
	c->max = max;
	return c;
}

sd_issue *sd_errors_at(sd_errors *c, int i) {
	return i < c->n ? &c->issues[i] : &c->parser;
}

void sd_errors_free(sd_errors *c) {
	if (c == NULL) return;
	if (c->has_parser) free(c->parser.msg);
	for (int i = 0; i < c->n; i++) free(c->issues[i].msg);
	free(c->issues);
	free(c);
}

// ---- The single pass ----
//
// The single pass plugs SAX handlers into libxml2's validation of a push
// parser, so that the parse that validates also yields the records (one
// parse per file). Go hands the document to sd_scan_push by chunks; the
// handlers append compact events to a buffer that Go reads when the call
// returns. C never calls Go: a goroutine called back from C is bound to
// its thread, and each of its waits (a lock, the garbage collector) then
// costs two thread hand-overs in the kernel (a fifth of the CPU time of a
// feed, measured).
//
// They also watch for what the Go scanner refuses (scanner bounds of
// fastscan.go): any sign of it stops the parse with a reason, and the
// caller reads the file again the two-pass way, which words the refusal.
// The signs are necessary conditions of the scanner's refusals, so a file
// the scanner refuses never passes here.

// The SAX handler, as declared by libxml2's stable ABI (parser.h).
typedef struct {
	void *internalSubset, *isStandalone, *hasInternalSubset, *hasExternalSubset;
	void *resolveEntity, *getEntity, *entityDecl, *notationDecl, *attributeDecl;
	void *elementDecl, *unparsedEntityDecl, *setDocumentLocator, *startDocument;
	void *endDocument, *startElement, *endElement, *reference;
	void (*characters)(void *, const unsigned char *, int);
	void (*ignorableWhitespace)(void *, const unsigned char *, int);
	void (*processingInstruction)(void *, const unsigned char *, const unsigned char *);
	void *comment, *warning, *error, *fatalError, *getParameterEntity;
	void (*cdataBlock)(void *, const unsigned char *, int);
	void *externalSubset;
	unsigned int initialized;
	void *_private;
	void (*startElementNs)(void *, const unsigned char *, const unsigned char *, const unsigned char *, int, const unsigned char **, int, int, const unsigned char **);
	void (*endElementNs)(void *, const unsigned char *, const unsigned char *, const unsigned char *);
	void *serror;
} sd_saxHandler;

#define SD_SAX2_MAGIC 0xDEEDBEAF
#define SD_MAX_DEPTH 64          // fastscan.go: depth limit
#define SD_MAX_ATTRS 256         // maxAttrs
#define SD_MAX_NAME 1024         // maxName
#define SD_MAX_NAMES 10000       // maxNames
#define SD_MAX_TAG (64 << 10)    // maxTag
#define SD_MAX_TEXT (1 << 20)    // maxText
#define SD_NAME_SLOTS 16384      // > SD_MAX_NAMES, a power of two
// The events of a chunk of input: the buffer starts at SD_BATCH and grows
// (a chunk may end a start tag libxml2 has been waiting for) up to
// SD_MAX_EVENTS, beyond which the parse stops (SD_R_MEMORY).
#define SD_BATCH (1 << 20)
#define SD_MAX_EVENTS (64 << 20)

struct sd_sax {
	void *pctxt, *plug;
	sd_errors *c;
	unsigned char *ev;
	size_t len, cap;
	int depth;
	int status;    // the last xmlParseChunk's return
	int ended;     // the last chunk was pushed, or the parse was stopped
	long last;     // byte offset of the previous event
	long total;    // bytes handed to libxml2
	long starts[SD_MAX_DEPTH + 2];
	int reason;    // SD_R_*: why the parse was stopped, 0 if it was not
	// Element names, by their dictionary pointers: libxml2 interns names,
	// so a (prefix, local name) pair of pointers is one name as written.
	const void *kp[SD_NAME_SLOTS], *kl[SD_NAME_SLOTS];
	int kid[SD_NAME_SLOTS];
	int nnames;
};

// sd_stop notes why the parse stops: the handlers ignore what follows,
// and sd_scan_push hands libxml2 no more input. It must not call
// xmlStopParser: from within a handler, that frees the input buffer while
// libxml2 still reads it (xmlHaltParser), and the validation plugged
// after the handler then read freed memory (a 30 MB text crashed it).
static void sd_stop(sd_sax *s, int reason) {
	if (s->reason) return;
	s->reason = reason;
}

// sd_room makes room for n more bytes of events; 0 when the parse stops.
// The events of one chunk stay in the buffer until sd_scan_push returns.
static int sd_room(sd_sax *s, size_t n) {
	if (s->len + n <= s->cap) return 1;
	size_t cap = s->cap;
	while (cap < s->len + n) cap *= 2;
	if (cap > SD_MAX_EVENTS) { sd_stop(s, SD_R_MEMORY); return 0; }
	unsigned char *p = realloc(s->ev, cap);
	if (p == NULL) { sd_stop(s, SD_R_MEMORY); return 0; }
	s->ev = p;
	s->cap = cap;
	return 1;
}

static void sd_put32(sd_sax *s, uint32_t v) {
	memcpy(s->ev + s->len, &v, 4);
	s->len += 4;
}

static void sd_putbytes(sd_sax *s, const void *p, size_t n) {
	sd_put32(s, (uint32_t)n);
	memcpy(s->ev + s->len, p, n);
	s->len += n;
}

// sd_at checks the distance from the previous event: no tag, text run,
// comment or processing instruction the scanner accepts is longer.
static long sd_at(sd_sax *s) {
	long pos = sd.byteConsumed(s->pctxt);
	if (pos - s->last > SD_MAX_TAG) sd_stop(s, SD_R_GAP);
	s->last = pos;
	return pos;
}

// sd_name returns the id of an element's name, sending it with its id the
// first time.
static int sd_name(sd_sax *s, const unsigned char *prefix, const unsigned char *local) {
	uintptr_t k = ((uintptr_t)prefix * 31u) ^ (uintptr_t)local;
	size_t i = (size_t)((k >> 4) ^ (k >> 17)) & (SD_NAME_SLOTS - 1);
	for (;;) {
		if (s->kl[i] == NULL) break;
		if (s->kl[i] == local && s->kp[i] == prefix) return s->kid[i];
		i = (i + 1) & (SD_NAME_SLOTS - 1);
	}
	size_t pl = prefix ? strlen((const char *)prefix) : 0;
	size_t ll = strlen((const char *)local);
	size_t raw = pl ? pl + 1 + ll : ll;
	if (raw > SD_MAX_NAME) { sd_stop(s, SD_R_NAME); return -1; }
	if (s->nnames >= SD_MAX_NAMES) { sd_stop(s, SD_R_NAMES); return -1; }
	if (!sd_room(s, 1 + 4 + 4 + raw)) return -1;
	int id = s->nnames++;
	s->kl[i] = local;
	s->kp[i] = prefix;
	s->kid[i] = id;
	s->ev[s->len++] = 'N';
	sd_put32(s, (uint32_t)id);
	sd_put32(s, (uint32_t)raw);
	if (pl) {
		memcpy(s->ev + s->len, prefix, pl);
		s->ev[s->len + pl] = ':';
		s->len += pl + 1;
	}
	memcpy(s->ev + s->len, local, ll);
	s->len += ll;
	return id;
}

static void sd_attr(sd_sax *s, const unsigned char *prefix, const char *sep, const unsigned char *local, const unsigned char *val, size_t vl) {
	size_t pl = prefix ? strlen((const char *)prefix) : 0;
	size_t sl = pl ? strlen(sep) : 0;
	size_t ll = local ? strlen((const char *)local) : 0;
	size_t raw = pl + sl + ll;
	if (raw > SD_MAX_NAME) { sd_stop(s, SD_R_NAME); return; }
	if (!sd_room(s, 1 + 4 + raw + 4 + vl)) return;
	s->ev[s->len++] = 'A';
	sd_put32(s, (uint32_t)raw);
	if (pl) { memcpy(s->ev + s->len, prefix, pl); s->len += pl; memcpy(s->ev + s->len, sep, sl); s->len += sl; }
	if (ll) { memcpy(s->ev + s->len, local, ll); s->len += ll; }
	sd_putbytes(s, val, vl);
}

static void sd_start(void *ctx, const unsigned char *local, const unsigned char *prefix, const unsigned char *uri,
		int nns, const unsigned char **ns, int nattrs, int ndef, const unsigned char **attrs) {
	sd_sax *s = ctx;
	if (s->reason) return;
	long pos = sd_at(s);
	if (++s->depth > SD_MAX_DEPTH) { sd_stop(s, SD_R_DEPTH); return; }
	if (nns + nattrs > SD_MAX_ATTRS) { sd_stop(s, SD_R_ATTRS); return; }
	s->starts[s->depth] = pos;
	int id = sd_name(s, prefix, local);
	if (id < 0 || !sd_room(s, 1 + 4 + 4)) return;
	s->ev[s->len++] = 'S';
	sd_put32(s, (uint32_t)id);
	sd_put32(s, (uint32_t)sd.lineNumber(s->pctxt));
	if (s->depth == 1) {
		size_t ul = uri ? strlen((const char *)uri) : 0;
		if (!sd_room(s, 1 + 4 + ul)) return;
		s->ev[s->len++] = 'R';
		sd_putbytes(s, uri ? (const char *)uri : "", ul);
	}
	for (int i = 0; i < nns && !s->reason; i++) {
		const unsigned char *p = ns[2 * i], *u = ns[2 * i + 1];
		size_t ul = u ? strlen((const char *)u) : 0;
		if (p) sd_attr(s, (const unsigned char *)"xmlns", ":", p, u, ul);
		else sd_attr(s, NULL, "", (const unsigned char *)"xmlns", u ? u : (const unsigned char *)"", ul);
	}
	for (int i = 0; i < nattrs && !s->reason; i++) {
		const unsigned char **a = attrs + 5 * i;
		sd_attr(s, a[1], ":", a[0], a[3], (size_t)(a[4] - a[3]));
	}
}

static void sd_end(void *ctx, const unsigned char *local, const unsigned char *prefix, const unsigned char *uri) {
	sd_sax *s = ctx;
	if (s->reason) return;
	long pos = sd_at(s);
	if (s->depth >= 3 && s->depth <= SD_MAX_DEPTH && pos - s->starts[s->depth] > SD_MAX_TEXT) {
		// A value's text lies within its element.
		sd_stop(s, SD_R_TEXT);
		return;
	}
	s->depth--;
	if (!sd_room(s, 1 + 4 + 4)) return;
	s->ev[s->len++] = 'E';
	sd_put32(s, (uint32_t)sd.lineNumber(s->pctxt));
	sd_put32(s, (uint32_t)sd.columnNumber(s->pctxt));
}

static void sd_text(void *ctx, const unsigned char *ch, int n) {
	sd_sax *s = ctx;
	if (s->reason) return;
	// libxml2 hands text by pieces of a few hundred bytes: a value is
	// bounded by its element's span so far, other text by the distance
	// from the last tag (so that a huge text node stops the parse at once).
	long pos = sd.byteConsumed(s->pctxt);
	if (s->depth >= 3 && s->depth <= SD_MAX_DEPTH) {
		if (pos - s->starts[s->depth] > SD_MAX_TEXT) { sd_stop(s, SD_R_TEXT); return; }
		s->last = pos;
	} else if (pos - s->last > SD_MAX_TAG) {
		sd_stop(s, SD_R_GAP);
		return;
	}
	if (s->depth < 3 || n <= 0) return;
	if (!sd_room(s, 1 + 4 + (size_t)n)) return;
	s->ev[s->len++] = 'T';
	sd_putbytes(s, ch, (size_t)n);
}

// sd_cdata: libxml2's push parser hands a CDATA section's bytes as they
// are, where its pull parser (and XML) turn CR LF into LF: a CR there stops
// the single pass, and the two passes read the file.
static void sd_cdata(void *ctx, const unsigned char *ch, int n) {
	sd_sax *s = ctx;
	if (s->reason) return;
	if (n > 0 && memchr(ch, '\r', (size_t)n) != NULL) {
		sd_stop(s, SD_R_CDATA_CR);
		return;
	}
	sd_text(ctx, ch, n);
}

static void sd_pi(void *ctx, const unsigned char *target, const unsigned char *data) {
	sd_sax *s = ctx;
	if (s->reason) return;
	sd_at(s);
	size_t tl = strlen((const char *)target);
	if (tl > SD_MAX_NAME) { sd_stop(s, SD_R_NAME); return; }
	if (!sd_room(s, 1 + 4 + tl)) return;
	s->ev[s->len++] = 'P';
	sd_putbytes(s, target, tl);
}

static void sd_dtd(void *ctx, const unsigned char *name, const unsigned char *eid, const unsigned char *sid) {
	sd_stop(ctx, SD_R_DTD);
}

// The head of xmlParserCtxt, as declared by libxml2's stable ABI
// (parser.h): the SAX handler and its user data, which xmlSchemaSAXPlug
// replaces, and whether the document is well-formed.
typedef struct {
	void *sax;
	void *userData;
	void *myDoc;
	int wellFormed;
} sd_parserHead;

// sd_locate is the validation's locator while a push parser runs.
// xmlSchemaValidateStream (sd_validate) leaves its own locator in the
// validation context, pointing at the parser it has freed: a plugged
// validation that kept it would read freed memory.
static int sd_locate(void *ctx, const char **file, unsigned long *line) {
	sd_sax *s = ctx;
	if (file != NULL) *file = NULL;
	if (line != NULL) *line = s->pctxt ? (unsigned long)sd.lineNumber(s->pctxt) : 0;
	return 0;
}

// sd_scan_begin readies a single pass with the validation context v; the
// document then goes to sd_scan_push by chunks, and sd_scan_end ends it.
//
// *cache keeps the buffers from one document to the next (one schema's
// validation context, one document at a time); sd_scan_free frees them.
sd_sax *sd_scan_begin(void *v, sd_errors *c, sd_sax **cache) {
	sd_sax *s = *cache;
	if (s == NULL) {
		s = calloc(1, sizeof(sd_sax));
		if (s == NULL) return NULL;
		s->ev = malloc(SD_BATCH);
		if (s->ev == NULL) { free(s); return NULL; }
		s->cap = SD_BATCH;
		*cache = s;
	} else {
		unsigned char *ev = s->ev;
		size_t cap = s->cap;
		if (cap > SD_BATCH) {
			// Grown for one huge chunk of events: not kept.
			unsigned char *p = realloc(ev, SD_BATCH);
			if (p != NULL) { ev = p; cap = SD_BATCH; }
		}
		memset(s, 0, sizeof *s);
		s->ev = ev;
		s->cap = cap;
	}
	s->c = c;
	sd.schemaSetValidStructuredErrors(v, (sd_serror_fn)sd_on_error, c);
	sd.schemaSetLocator(v, sd_locate, s);
	return s;
}

// sd_start_push makes the push parser, on the first bytes of the
// document (for its encoding), with the validation plugged into its SAX
// handlers in front of sd_start, sd_end, sd_text and sd_pi.
static int sd_start_push(sd_sax *s, void *v, const char *buf, int n) {
	sd_saxHandler h;
	memset(&h, 0, sizeof h);
	h.initialized = SD_SAX2_MAGIC;
	h.startElementNs = sd_start;
	h.endElementNs = sd_end;
	h.characters = sd_text;
	h.ignorableWhitespace = sd_text;
	h.cdataBlock = sd_cdata;
	h.processingInstruction = sd_pi;
	h.internalSubset = (void *)sd_dtd;
	s->pctxt = sd.createPushParserCtxt(&h, s, buf, n, NULL);
	if (s->pctxt == NULL) return 0;
	sd_parserHead *p = s->pctxt;
	s->plug = sd.schemaSAXPlug(v, &p->sax, &p->userData);
	if (s->plug == NULL) {
		sd.freeParserCtxt(s->pctxt);
		s->pctxt = NULL;
		return 0;
	}
	s->c->pctxt = s->pctxt;
	return 1;
}

// sd_scan_push hands n bytes of the document to the parser (terminate: they
// are its last) and returns the events they produced (*ev, *evlen: valid
// until the next call). It returns 0 when the parse has ended: the last
// chunk was pushed, or the parse was stopped (sd_scan_end says why).
//
// The parse runs on whatever thread the calling goroutine has; libxml2's
// per-thread error handlers are set for the call only.
int sd_scan_push(sd_sax *s, void *v, const char *buf, int n, int terminate, unsigned char **ev, size_t *evlen) {
	s->len = 0;
	*ev = s->ev;
	*evlen = 0;
	if (s->ended) return 0;
	sd_quiet_thread(s->c);
	int ok = 1;
	if (s->pctxt == NULL) {
		// The first 4 bytes make the parser (xmllint --push does so).
		int head = n < 4 ? n : 4;
		ok = sd_start_push(s, v, buf, head);
		buf += head;
		n -= head;
		s->total += head;
	}
	if (ok && !s->reason) {
		s->total += n;
		s->status = sd.parseChunk(s->pctxt, n > 0 ? buf : NULL, n, terminate);
	}
	sd_quiet_thread(NULL);
	if (!ok) {
		s->reason = SD_R_MEMORY;
		s->ended = 1;
	}
	if (terminate || s->reason) s->ended = 1;
	*ev = s->ev;
	*evlen = s->len;
	return !s->ended;
}

// sd_scan_stop stops the parse at the caller's request.
void sd_scan_stop(sd_sax *s) {
	s->reason = SD_R_CALLER;
	s->ended = 1;
}

// sd_scan_end ends the single pass: it returns what xmlSchemaValidateStream
// would (0 valid, > 0 invalid or not well-formed, -1 internal error) and
// sets *reason (0 when the parse was not stopped, else an SD_R_* code).
int sd_scan_end(sd_sax *s, void *v, int *reason) {
	int ret = -1;
	sd_quiet_thread(s->c);
	if (s->pctxt != NULL) {
		sd_parserHead *p = s->pctxt;
		if (!p->wellFormed) ret = s->status > 0 ? s->status : 1;
		else ret = sd.schemaIsValid(v) == 1 ? 0 : 1;
		sd.schemaSAXUnplug(s->plug);
		sd.freeParserCtxt(s->pctxt);
	}
	sd_quiet_thread(NULL);
	sd.schemaSetValidStructuredErrors(v, NULL, NULL);
	sd.schemaSetLocator(v, NULL, NULL);
	s->c->pctxt = NULL;
	s->pctxt = s->plug = NULL;
	s->c = NULL;
	// What follows the last event (a comment after the root).
	if (!s->reason && s->total - s->last > SD_MAX_TAG) s->reason = SD_R_GAP;
	*reason = s->reason;
	return ret;
}

void sd_scan_free(sd_sax *s) {
	if (s == NULL) return;
	free(s->ev);
	free(s);
}
