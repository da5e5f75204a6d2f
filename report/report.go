// Package report writes a result in each output format, one file per
// format. New is the explicit factory.
package report

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Options tune rendering.
type Options struct {
	// Lang is "fr" (default) or "en".
	Lang string
	// Color enables ANSI colours in text output.
	Color bool
}

// Writer renders a result.
type Writer interface {
	Write(w io.Writer, r *result.Result, o Options) error
}

// Formats lists the known formats with the file extension each writes.
var Formats = map[string]string{
	"json": ".json",
	"text": ".txt",
}

// FormatNames returns the known formats, sorted.
func FormatNames() []string {
	var out []string
	for k := range Formats {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// New returns the writer for a format.
func New(format string) (Writer, error) {
	switch format {
	case "json":
		return JSON{}, nil
	case "text":
		return Text{}, nil
	}
	return nil, fmt.Errorf("unknown format %q: expected one of %s", format, strings.Join(FormatNames(), ", "))
}

// FormatForPath guesses a format from an output file's extension.
func FormatForPath(path string) (string, bool) {
	ext := strings.ToLower(filepath.Ext(path))
	for f, e := range Formats {
		if e == ext {
			return f, true
		}
	}
	return "", false
}
