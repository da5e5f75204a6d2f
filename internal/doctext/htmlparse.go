package doctext

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// ParseHTML decodes data (charset from the HTTP header, a BOM or a <meta>,
// else UTF-8) and parses it. x/net/html never fails on malformed markup: it
// repairs it as browsers do.
func ParseHTML(data []byte, contentType string) (*html.Node, error) {
	enc, _, _ := charset.DetermineEncoding(data, contentType)
	r := transform.NewReader(bytes.NewReader(data), enc.NewDecoder())
	return html.Parse(r)
}

// Binary reports NUL bytes in data, except in a UTF-16 document
// marked by its byte-order mark, which ParseHTML decodes.
func Binary(data []byte) bool {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		return false
	}
	return bytes.IndexByte(data, 0) >= 0
}

// BadUTF8Line returns the line of the first invalid byte of a document
// that is decoded as UTF-8 (declared so, or undeclared and mostly UTF-8),
// 0 when it decodes cleanly.
func BadUTF8Line(data []byte, contentType string) int {
	if utf8.Valid(data) {
		return 0
	}
	if _, name, _ := charset.DetermineEncoding(data, contentType); name != "utf-8" {
		return 0
	}
	line, _ := input.FirstInvalidUTF8(data)
	return line
}
