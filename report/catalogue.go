package report

import (
	"encoding/json"
	"io"

	"github.com/sdetcheck/sdetcheck/rules"
)

// WriteCatalogue writes the rule catalogue as JSON (`sdetcheck rules --format json`).
func WriteCatalogue(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Version string        `json:"version"`
		Rules   []*rules.Rule `json:"rules"`
	}{rules.Version, rules.All()})
}
