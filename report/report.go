// Package report writes a result in each output format, one file per
// format. New is the explicit factory.
package report

import (
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Options tune rendering.
type Options struct {
	// Lang is "fr" (default) or "en".
	Lang string
	// Color enables ANSI colours in text output.
	Color bool
	// Date is the report's date when the result has no generated_at (the
	// run date); zero leaves the date out.
	Date time.Time
	// SourceRoot is prefixed to evidence file sources in SARIF locations so
	// that they are relative to the repository's root (the audited
	// dossier's directory relative to the root of its git repository, or
	// as given on the command line outside one).
	SourceRoot string
	// RepoRoot is the repository's root directory (an absolute path): an
	// absolute evidence source inside it is named relative to it in SARIF
	// locations. Empty outside a repository.
	RepoRoot string
	// Lookup finds a rule's catalogue entry (reference, remediation);
	// nil means rules.Lookup. Tests pass a fixed catalogue.
	Lookup func(id string) (*rules.Rule, bool)
	// Deadlines overrides the suggested deadline per severity of the
	// action table (see Deadlines).
	Deadlines map[result.Severity]string
}

func (o Options) lookup() func(string) (*rules.Rule, bool) {
	if o.Lookup != nil {
		return o.Lookup
	}
	return rules.Lookup
}

// Writer renders a result.
type Writer interface {
	Write(w io.Writer, r *result.Result, o Options) error
}

// Formats lists the known formats with the file extension each writes.
var Formats = map[string]string{
	"json":  ".json",
	"text":  ".txt",
	"html":  ".html",
	"pdf":   ".pdf",
	"md":    ".md",
	"sarif": ".sarif",
	"junit": ".junit.xml",
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
	case "html":
		return HTML{}, nil
	case "pdf":
		return PDF{}, nil
	case "md":
		return Markdown{}, nil
	case "sarif":
		return SARIF{}, nil
	case "junit":
		return JUnit{}, nil
	}
	return nil, input.Problemf("unknown format %q: expected one of %s", "format inconnu %q : attendu l'un de %s", format, strings.Join(FormatNames(), ", "))
}

// FormatForPath guesses a format from an output file's extension.
func FormatForPath(path string) (string, bool) {
	name := strings.ToLower(filepath.Base(path))
	best, found := "", ""
	for f, e := range Formats {
		// The longest matching extension wins: .junit.xml over a bare .xml.
		if strings.HasSuffix(name, e) && len(e) > len(found) {
			best, found = f, e
		}
	}
	if found == "" {
		switch filepath.Ext(name) {
		case ".xml":
			return "junit", true
		case ".markdown":
			return "md", true
		case ".htm":
			return "html", true
		}
	}
	return best, found != ""
}
