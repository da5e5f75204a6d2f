package report

import (
	"encoding/json"
	"io"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// JSON writes the result document (shared/spec/result.schema.json). Field
// order is fixed by the Go types and findings are sorted, so the same
// inputs give byte-identical output.
type JSON struct{}

func (JSON) Write(w io.Writer, r *result.Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
