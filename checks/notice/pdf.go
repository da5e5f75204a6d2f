package notice

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// PDF notices are read with github.com/ledongthuc/pdf (pure Go, BSD,
// maintained fork of rsc.io/pdf). It panics on some malformed files and
// trusts the page count the file declares, so extraction runs with a
// recover, a page cap and a time bound.
const (
	maxPDFPages = 200
	pdfTimeout  = 10 * time.Second
)

// isPDF tells a PDF by its magic number (leading white space allowed).
func isPDF(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\x00\xef\xbb\xbf"), []byte("%PDF-"))
}

// pdfText extracts the text of a PDF.
func pdfText(ctx context.Context, data []byte) (string, error) {
	type out struct {
		text string
		err  error
	}
	ch := make(chan out, 1)
	go func() {
		var o out
		defer func() {
			if r := recover(); r != nil {
				o = out{err: input.Wrap(fmt.Errorf("%v", r), "malformed pdf", "PDF mal formé")}
			}
			ch <- o
		}()
		o.text, o.err = extractPDF(data)
	}()
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	select {
	case o := <-ch:
		return o.text, o.err
	case <-ctx.Done():
		return "", input.Problemf("read pdf: text extraction took too long", "lecture du PDF : l'extraction du texte a pris trop de temps")
	}
}

func extractPDF(data []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", input.Wrap(err, "read pdf", "PDF illisible")
	}
	n := r.NumPage()
	if n <= 0 {
		return "", input.Problemf("read pdf: no pages", "lecture du PDF : aucune page")
	}
	if n > maxPDFPages {
		return "", input.Problemf("read pdf: %d pages, limit %d", "lecture du PDF : %d pages, limite %d", n, maxPDFPages)
	}
	var b strings.Builder
	fonts := map[string]*pdf.Font{}
	for i := 1; i <= n; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		t, err := p.GetPlainText(fonts)
		if err != nil {
			return "", input.Wrap(err, "read pdf page %d", "page %d du PDF illisible", i)
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", input.Problemf("read pdf: no text layer (scanned image?): the notice must be readable text", "lecture du PDF : aucune couche de texte (image numérisée ?) : la notice doit être un texte lisible")
	}
	return b.String(), nil
}
