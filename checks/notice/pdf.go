package notice

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/doctext"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// A PDF notice's text is extracted by internal/doctext (bounded in time,
// pages and reads, repaired as poppler repairs it).

// errNoTextLayer: the PDF opens (its pages were read) but holds no text,
// only images (a scanned notice). It is a defect of the notice's content,
// not an unreadable piece: the notice rules report it (imageOnlyFindings).
var errNoTextLayer = doctext.ErrNoTextLayer

// isPDF tells a PDF by its magic number (doctext.IsPDF).
func isPDF(data []byte) bool { return doctext.IsPDF(data) }

// pdfResult is a PDF's text or why it could not be read, cached per run.
type pdfResult struct {
	text string
	err  error
}

// cachedPDFText extracts a PDF's text once per run: an audit reads the
// same notice from the dossier and through both pages' links.
func cachedPDFText(env *checks.Env, data []byte) (string, error) {
	v, done, err := env.Cache.Get("notice-pdf:"+input.Sum(data), func() (any, func(), error) {
		t, err := pdfText(env.Context(), data)
		return pdfResult{t, err}, nil, nil
	})
	if err != nil {
		return "", err
	}
	if done != nil {
		done()
	}
	r := v.(pdfResult)
	return r.text, r.err
}

// pdfExtractions counts the PDF extractions started (tests: a PDF is
// parsed once per run).
var pdfExtractions atomic.Int64

// pdfText extracts the text of a PDF notice (doctext.PDFText); a PDF
// without text is said to be no readable notice.
func pdfText(ctx context.Context, data []byte) (string, error) {
	pdfExtractions.Add(1)
	t, err := doctext.PDFText(ctx, data)
	if errors.Is(err, doctext.ErrNoTextLayer) {
		return "", doctext.ErrNoTextLayer.With("the notice must be readable text", "la notice doit être un texte lisible")
	}
	return t, err
}
