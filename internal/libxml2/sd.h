// Declarations shared by bind_cgo.go, scan_cgo.go and sd.c (the C side
// of the binding: dlopen of libxml2, error collection, streaming input and
// the SAX handlers of the single pass).
#ifndef SD_H
#define SD_H
#include <stdint.h>
#include <stddef.h>

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
	// pctxt is the push parser of sd_scan_push, while it runs.
	void *pctxt;
} sd_errors;

const char *sd_load(const char *path);
const char *sd_version(void);
void *sd_parse_schema(const char *buf, int len, sd_errors *c);
void sd_free_schema(void *s);
void *sd_new_valid(void *schema);
void sd_free_valid(void *v);
int sd_pipe(int *fds);
void sd_drain(int fd);
int sd_validate(void *v, int fd, sd_errors *c);
sd_errors *sd_errors_new(int max);
sd_issue *sd_errors_at(sd_errors *c, int i);
void sd_errors_free(sd_errors *c);

// The single pass (scan_cgo.go; codes: events.go): sd_scan_push validates
// the document Go hands it by chunks and returns the parse events of each.
typedef struct sd_sax sd_sax;
enum {
	SD_R_CALLER = 1, // the Go caller asked to stop
	SD_R_GAP,        // more than 64 KiB between two events
	SD_R_DEPTH,      // elements nested more than 64 deep
	SD_R_ATTRS,      // an element with more than 256 attributes
	SD_R_NAME,       // a name longer than 1 KiB
	SD_R_NAMES,      // more than 10,000 element names
	SD_R_TEXT,       // a value's element longer than 1 MiB
	SD_R_DTD,        // a DOCTYPE
	SD_R_MEMORY,     // out of memory
	SD_R_CDATA_CR    // a CR in a CDATA section (push parsing keeps it)
};
sd_sax *sd_scan_begin(void *v, sd_errors *c, sd_sax **cache);
int sd_scan_push(sd_sax *s, void *v, const char *buf, int n, int terminate, unsigned char **ev, size_t *evlen);
void sd_scan_stop(sd_sax *s);
int sd_scan_end(sd_sax *s, void *v, int *reason);
void sd_scan_free(sd_sax *s);

#endif
