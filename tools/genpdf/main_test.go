package main

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestFixtureUpToDate proves the committed PDF fixture is this program's
// output for the validated HTML notice (deterministic, not hand-made).
// The PDF's content stream is deflated by Go's compress/flate, whose exact
// bytes may change from one Go release to the next (the text does not):
// PDFs are compared with their streams inflated, their lengths and
// cross-reference offsets masked.
func TestFixtureUpToDate(t *testing.T) {
	got := genPDF(t, "../../fixtures/notice/mentions-validees.html")
	want, err := os.ReadFile("../../fixtures/notice/mentions-completes.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(canonicalPDF(t, got), canonicalPDF(t, want)) {
		t.Error("fixtures/notice/mentions-completes.pdf is stale: run go run ./tools/genpdf")
	}
}

// TestCanonicalPDF: the comparison ignores how the streams were deflated
// but not what they say.
func TestCanonicalPDF(t *testing.T) {
	pdf, err := os.ReadFile("../../fixtures/notice/mentions-completes.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// The same PDF with its streams deflated differently (as another Go
	// release might) compares equal.
	other := rewriteStreams(t, pdf, func(b []byte) []byte {
		var z bytes.Buffer
		w, _ := zlib.NewWriterLevel(&z, zlib.HuffmanOnly)
		w.Write(inflate(t, b))
		w.Close()
		return z.Bytes()
	})
	if bytes.Equal(other, pdf) {
		t.Fatal("recompressing did not change the bytes: the test proves nothing")
	}
	if !bytes.Equal(canonicalPDF(t, other), canonicalPDF(t, pdf)) {
		t.Error("recompressed streams compare different")
	}
	// Another notice does not.
	if bytes.Equal(canonicalPDF(t, genPDF(t, "../../fixtures/notice/mentions-modifiees.html")), canonicalPDF(t, pdf)) {
		t.Error("a PDF of another notice compares equal")
	}
}

func genPDF(t *testing.T, in string) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "m.pdf")
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var (
	streamRe = regexp.MustCompile(`/Length (\d+)>>\nstream\n`)
	xrefRe   = regexp.MustCompile(`(?m)^\d{10} \d{5} ([fn]) `)
	startRe  = regexp.MustCompile(`startxref\n\d+`)
)

// rewriteStreams replaces each stream's bytes (located by its /Length)
// with edit's result, adjusting /Length; offsets are left as they are.
func rewriteStreams(t *testing.T, pdf []byte, edit func([]byte) []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	for rest := pdf; ; {
		m := streamRe.FindSubmatchIndex(rest)
		if m == nil {
			out.Write(rest)
			return out.Bytes()
		}
		n, err := strconv.Atoi(string(rest[m[2]:m[3]]))
		if err != nil || m[1]+n > len(rest) {
			t.Fatalf("bad stream length %q", rest[m[2]:m[3]])
		}
		body := edit(rest[m[1] : m[1]+n])
		out.Write(rest[:m[0]])
		out.WriteString("/Length " + strconv.Itoa(len(body)) + ">>\nstream\n")
		out.Write(body)
		rest = rest[m[1]+n:]
	}
}

// canonicalPDF inflates the streams and masks what depends on their
// compressed size: /Length, the cross-reference offsets and startxref.
func canonicalPDF(t *testing.T, pdf []byte) []byte {
	t.Helper()
	c := rewriteStreams(t, pdf, func(b []byte) []byte { return inflate(t, b) })
	c = streamRe.ReplaceAll(c, []byte("/Length _>>\nstream\n"))
	c = xrefRe.ReplaceAll(c, []byte("__________ _____ $1 "))
	return startRe.ReplaceAll(c, []byte("startxref\n_"))
}

func inflate(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("inflate stream: %v", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("inflate stream: %v", err)
	}
	return data
}
