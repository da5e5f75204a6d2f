package yamlpos

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

var (
	// yaml.v3 says "yaml: line N: problem", or "yaml: unmarshal
	// errors:\n  line N: problem\n  line M: …" for decoding errors.
	errLine    = regexp.MustCompile(`(?m)^\s*(?:yaml: )?line (\d+): (.*)$`)
	errUnknown = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// Error turns an error of the YAML decoder about source into an
// *input.Error naming its line (the first error's, when there are
// several). An unknown key is said by its name (the decoder's message
// names a Go type); any other problem is "invalid YAML", with the
// decoder's words as the technical detail.
func Error(source string, err error) *input.Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := errLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscanf(m[1], "%d", &line)
		msg = strings.TrimSpace(m[2])
	}
	if m := errUnknown.FindStringSubmatch(msg); m != nil {
		return &input.Error{Source: source, Line: line, Err: input.Problemf("unknown key %q", "clé inconnue %q", Short(m[1]))}
	}
	return &input.Error{Source: source, Line: line, Err: input.Wrap(plain(msg), "invalid YAML", "YAML invalide")}
}

// plain is a third-party message as an error.
type plain string

func (p plain) Error() string { return string(p) }

// Short bounds a value quoted in an error message (a hostile file may hold
// megabytes in one field).
func Short(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
