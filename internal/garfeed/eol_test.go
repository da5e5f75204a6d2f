package garfeed

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestEOLReader: lone CRs become LF, CR LF is kept, whatever the chunking
// (a CR at the end of one read, its LF at the start of the next).
func TestEOLReader(t *testing.T) {
	for in, want := range map[string]string{
		"a\rb\r\nc\n\r\r\nd\r": "a\nb\r\nc\n\n\r\nd\n",
		"\r":                   "\n",
		"\r\n":                 "\r\n",
		"no line end":          "no line end",
		"":                     "",
	} {
		for _, size := range []int{16, 1} {
			var src io.Reader = strings.NewReader(in)
			if size == 1 {
				src = iotest.OneByteReader(src)
			}
			got, err := io.ReadAll(iotest.OneByteReader(eolReader{bufio.NewReaderSize(src, size)}))
			if err != nil || string(got) != want {
				t.Errorf("%q (buffer %d): got %q, %v; want %q", in, size, got, err, want)
			}
		}
	}
}
