package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
	"github.com/sdetcheck/sdetcheck/report"
)

// FuzzReadResult reads a mutated result JSON (what `sdetcheck report` and
// `diff` take): refused with an error naming the file, or accepted and then
// rendered in every text format without a panic. Seeds are results the
// tool writes for the dossier fixtures.
func FuzzReadResult(f *testing.F) {
	fuzzseed.Seeds(f, 512<<10, "../../report/testdata/*.json")
	f.Add([]byte(`{"tool":{"name":"sdetcheck","version":"0"},"catalogue":{"version":"1"},"command":"check saml","results":[{"rule":"SAML-001","status":"pass","severity":"haute","message":"m","message_en":"m"}]}`))
	f.Add([]byte("\xef\xbb\xbf{}"))
	f.Add([]byte("\xff\xfe{\x00}\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "r.json", data)
		p := filepath.Join(dir, "r.json")
		r, err := readResult(p)
		fuzzseed.InputError(t, p, err)
		if err != nil {
			return
		}
		for _, format := range []string{"json", "text", "md", "html", "sarif", "junit"} {
			w, err := report.New(format)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := w.Write(&out, r, report.Options{Lang: "fr"}); err != nil {
				t.Errorf("%s: %v", format, err)
			}
		}
	})
}
