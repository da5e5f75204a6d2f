// Package libxml2 validates XML documents against an XML Schema with the
// system's libxml2 (the library behind `xmllint --schema`), streaming, and
// no tree is built, so memory does not grow with the document's size.
// Validate hands the document to libxml2 through a pipe that libxml2 reads
// itself, in C; Scan pushes it by chunks to a push parser whose SAX events
// it returns with each chunk (Go calls C, C never calls Go).
//
// The library is loaded at run time (dlopen of libxml2.so.2), so building
// sdetcheck needs neither libxml2's headers nor libxml2 itself: where the
// library is missing, or cgo is disabled, Load reports it and callers fall
// back to the pure-Go validator. Only a handful of entry points of
// libxml2's stable ABI (2.9 and later) are used; they are declared in
// sd.c.
package libxml2

import (
	"errors"
	"fmt"
)

// EnvLibrary names the environment variable that gives the library to load
// instead of the usual names (a libxml2 in a non-standard place; tests set
// it to a missing file to exercise the fallback).
const EnvLibrary = "SDETCHECK_LIBXML2"

// ErrUnavailable is returned by Load when libxml2 cannot be used.
var ErrUnavailable = errors.New("libxml2 unavailable")

// Error domains and levels of libxml2's structured errors (xmlerror.h).
const (
	DomainParser    = 1
	DomainNamespace = 3
	DomainIO        = 8
	DomainSchemasV  = 17

	LevelWarning = 1
	LevelError   = 2
	LevelFatal   = 3
)

// Issue is one error reported by libxml2 while validating.
type Issue struct {
	Domain, Code, Level int
	Line, Column        int
	Message             string
}

// Report is the outcome of one validation.
type Report struct {
	// Issues are the first errors (at most the maximum asked for), and
	// the parser's first error when it came after them (the document is
	// then malformed, however many schema errors came before).
	Issues []Issue
	// Total counts every error libxml2 reported, kept or not.
	Total int
	// Status is xmlSchemaValidateStream's return value: 0 valid, > 0
	// invalid, -1 internal error.
	Status int
}

// dotted turns libxml2's "20914" into "2.9.14".
func dotted(v string) string {
	var n int
	if _, err := fmt.Sscanf(v, "%d", &n); err != nil || n < 10000 {
		return v
	}
	return fmt.Sprintf("%d.%d.%d", n/10000, n/100%100, n%100)
}
