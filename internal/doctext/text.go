package doctext

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readTextDoc reads plain text: UTF-8 (with or without its byte-order
// mark), UTF-16 with its byte-order mark, else Windows-1252 (Latin-1 and
// the typographic quotes Windows adds).
func readTextDoc(data []byte) (*Doc, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	var b builder
	linesDoc(&b, text)
	return b.finish("text")
}

// decodeText decodes a text file to UTF-8.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", ErrFormat.With("UTF-16 text that does not decode", "texte UTF-16 qui ne se décode pas")
		}
		return string(out), nil
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", ErrFormat.With("text in an unknown encoding", "texte dans un encodage inconnu")
	}
	return string(out), nil
}

// readPDFDoc reads a PDF's text layer as lines, its tables as rows.
func readPDFDoc(ctx context.Context, data []byte) (*Doc, error) {
	text, err := pdfText(ctx, data, true)
	if err != nil {
		return nil, err
	}
	var b builder
	linesDoc(&b, text)
	b.doc.Date = pdfDate(data)
	d, err := b.finish("pdf")
	if errors.Is(err, ErrEmpty) {
		return nil, ErrNoTextLayer.With("the document must be readable text", "le document doit être un texte lisible")
	}
	return d, err
}

// pdfDateRe finds the dates of a PDF's information dictionary when it is
// stored in clear (most generators).
var pdfDateRe = regexp.MustCompile(`/(ModDate|CreationDate)\s*\(D:(\d{4})(\d{2})(\d{2})`)

// pdfDate is the PDF's modification date, else its creation date (zero
// when the file says none in clear).
func pdfDate(data []byte) time.Time { return propertyDate(pdfDateRe, data, 16, "ModDate") }

// propertyDate reads a document's dates with re (groups: the property's
// name, year, month, day) in its first max matches: the one named
// modified, else the other (creation), zero when none is plausible.
func propertyDate(re *regexp.Regexp, data []byte, max int, modifiedName string) time.Time {
	var created, modified time.Time
	for _, m := range re.FindAllSubmatch(data, max) {
		y, _ := strconv.Atoi(string(m[2]))
		mo, _ := strconv.Atoi(string(m[3]))
		d, _ := strconv.Atoi(string(m[4]))
		if y < 1990 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			continue
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if string(m[1]) == modifiedName {
			modified = t
		} else {
			created = t
		}
	}
	if !modified.IsZero() {
		return modified
	}
	return created
}
