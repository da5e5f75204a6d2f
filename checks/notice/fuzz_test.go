package notice

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are the notice fixtures and the real-world corpus.
func fuzzSeeds(f *testing.F, ext string) {
	for _, dir := range []string{"notice", "realworld/notice"} {
		paths, _ := filepath.Glob(filepath.Join(fixtures, dir, "*"+ext))
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
}

// FuzzNoticeText proves that no HTML or text notice makes the notice
// reader or the content rules panic, hang or report an item without a
// quote; the seeds run with every `go test`, `go test -fuzz=FuzzNoticeText`
// explores further.
func FuzzNoticeText(f *testing.F) {
	fuzzSeeds(f, ".html")
	f.Add([]byte("Responsable : <b>DSDEN</b>\u2029 et Département ; DPO : a@b.fr\n\n: : :"))
	f.Fuzz(func(t *testing.T, data []byte) {
		env := testEnv("")
		text, err := noticeText(env, "f.html", data, "")
		if err != nil {
			text = string(data)
		}
		for _, fd := range contentFindings(env, "f.html", text) {
			if fd.Item == "" {
				t.Fatalf("finding without item: %+v", fd)
			}
			if len(fd.Evidence) > 0 && (len(fd.Evidence[0].Excerpt) > maxQuote || !utf8.ValidString(fd.Evidence[0].Excerpt) && utf8.ValidString(text)) {
				t.Fatalf("bad quote %q", fd.Evidence[0].Excerpt)
			}
		}
		retentionFinding("f.html", text)
		if strings.Contains(text, blockSep) {
			parseNotice(strings.ReplaceAll(text, blockSep, "\n"))
		}
	})
}

// FuzzPDFText proves that no PDF makes the extraction or its repair panic
// or run past its limits; the seeds run with every `go test`.
func FuzzPDFText(f *testing.F) {
	fuzzSeeds(f, ".pdf")
	f.Add([]byte("%PDF-1.2    \r\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF"))
	f.Add([]byte("%PDF-"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !isPDF(data) {
			return
		}
		text, err := pdfText(testEnv("").Context(), data)
		if err == nil && strings.TrimSpace(text) == "" {
			t.Fatal("no error and no text")
		}
	})
}
