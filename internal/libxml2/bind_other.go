//go:build !(cgo && (linux || darwin || freebsd))

package libxml2

import (
	"context"
	"fmt"
	"io"
)

// Load reports that this build cannot use libxml2 (cgo disabled or an
// unsupported system).
func Load() (string, error) {
	return "", fmt.Errorf("%w: built without cgo", ErrUnavailable)
}

// Schema is never created in this build.
type Schema struct{}

// ParseSchema fails: libxml2 is unavailable in this build.
func ParseSchema(name string, xsd []byte) (*Schema, error) {
	_, err := Load()
	return nil, err
}

// Validate is never reached in this build.
func (s *Schema) Validate(ctx context.Context, r io.Reader, maxIssues int) (Report, error) {
	_, err := Load()
	return Report{}, err
}

// Start is never reached in this build.
func (s *Schema) Start(maxIssues int) (io.WriteCloser, func() (Report, error), error) {
	_, err := Load()
	return nil, nil, err
}
