package notice

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
)

// pdfShapes are a readable PDF in the shapes old generators and editors
// leave, which poppler's pdftotext reads: each must be read too.
func pdfShapes(t *testing.T) map[string][]byte {
	t.Helper()
	good, err := os.ReadFile(filepath.Join(fixtures, "notice/mentions-completes.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(good, []byte("%PDF-1.3\n")) {
		t.Fatalf("fixture header changed: %q", good[:9])
	}
	with := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	return map[string][]byte{
		"header followed by spaces": with(func(b []byte) []byte { b[8] = ' '; return b }),
		"header PDF-2.0":            with(func(b []byte) []byte { copy(b[5:8], "2.0"); return b }),
		"bytes after %%EOF":         with(func(b []byte) []byte { return append(b, bytes.Repeat([]byte("\x00garbage "), 40)...) }),
		"wrong startxref": with(func(b []byte) []byte {
			i := bytes.LastIndex(b, []byte("startxref\n"))
			return append(b[:i], []byte("startxref\n17\n%%EOF\n")...)
		}),
		"junk before the header": append([]byte("HTTP/1.1 200 OK\r\n\r\n"), good...),
		"incremental update with a broken xref": with(func(b []byte) []byte {
			// an appended update whose xref section is unreadable
			return append(b, []byte("\n9 0 obj\n<< /Producer (Fictif) >>\nendobj\nxref\n0 x\ntrailer\n<< /Size 10 /Root 8 0 R /Prev 2710 >>\nstartxref\n"+
				"99999\n%%EOF\n")...)
		}),
	}
}

// TestPDFShapesRead: every shape is read and its items found, as
// pdftotext reads them.
func TestPDFShapesRead(t *testing.T) {
	for name, data := range pdfShapes(t) {
		text, err := pdfText(context.Background(), data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := failedItems(contentFindings(testEnv(""), "m.pdf", text)); len(got) != 0 {
			t.Errorf("%s: items missing %v", name, got)
		}
	}
}

// TestPDFRealWorldOldHeader: the corpus' PDF, written "%PDF-1.2" followed
// by spaces and CRLF as old generators do, is read.
func TestPDFRealWorldOldHeader(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "realworld/notice/ac-amiens-reosup-mention.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdfText(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Région Académique des Hauts de France") {
		t.Errorf("text not read: %.200q", text)
	}
}

// TestPDFParsedOnce: an audit reads the notice from the dossier and from
// both pages' links; the PDF is parsed once per run.
func TestPDFParsedOnce(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "notice/mentions-completes.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv("")
	env.Cache = checks.NewCache()
	defer env.Cache.Close()
	before := pdfExtractions.Load()
	for i := 0; i < 3; i++ {
		if _, err := noticeText(env, "m.pdf", data, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := pdfExtractions.Load() - before; n != 1 {
		t.Errorf("PDF parsed %d times in one run, want 1", n)
	}
}

// TestPDFStopsAndLeavesNoGoroutine: a /Prev cycle makes the library loop;
// the extraction stops (read budget), and a cancelled run stops it at
// once: no goroutine is left running.
func TestPDFStopsAndLeavesNoGoroutine(t *testing.T) {
	cycle := []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
		"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
	x := len(cycle)
	cycle = append(cycle, []byte("xref\n0 3\n0000000000 65535 f\r\n0000000009 00000 n\r\n0000000058 00000 n\r\ntrailer\n<< /Size 3 /Root 1 0 R /Prev "+itoa(x)+" >>\nstartxref\n"+itoa(x)+"\n%%EOF\n")...)
	base := runtime.NumGoroutine()
	start := time.Now()
	if _, err := pdfText(context.Background(), cycle); err == nil {
		t.Error("a /Prev cycle was read without error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	good, _ := os.ReadFile(filepath.Join(fixtures, "notice/mentions-completes.pdf"))
	if _, err := pdfText(ctx, good); err == nil {
		t.Error("a cancelled run read the PDF")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	// Goroutines that are ending may take a moment to be gone: wait for
	// them rather than sleep a fixed time a loaded machine may exceed.
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); n > base && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if n > base {
		t.Errorf("%d goroutines left running", n-base)
	}
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

// TestPDFLinesJoined: a PDF's text comes as wrapped lines; a sentence cut
// after a comma or inside a hyphenated word is read whole, and a short
// title line gives its section to what follows.
func TestPDFLinesJoined(t *testing.T) {
	text := "Vos droits\n" +
		"Conformément au règlement général sur la protection des données, vous disposez d'un droit d'accès,\n" +
		"de rectification, de limitation et d'opposition, que vous exercez auprès du délégué à la protec-\n" +
		"tion des données : dpd@ac-fictive.example.\n" +
		"Durée de conservation\n" +
		"Un an après la dernière connexion, sauf demande contraire de l'usager avant cette échéance.\n"
	d := parseNotice(text)
	for _, key := range []string{"droit-limitation", "dpo", "conservation"} {
		for _, it := range noticeItems {
			if it.Key != key {
				continue
			}
			s, ok := it.find(d)
			if !ok {
				t.Errorf("%s not found in %q", key, text)
				continue
			}
			if key == "dpo" && !strings.Contains(s.shown, "protection des données") {
				t.Errorf("hyphenated word not rejoined: %q", s.shown)
			}
		}
	}
}

// TestIsPDF: a PDF is told by its magic number, after white space or a
// little junk (a saved HTTP header), but an HTML page that mentions
// "%PDF-" is HTML.
func TestIsPDF(t *testing.T) {
	for in, want := range map[string]bool{
		"%PDF-1.4\n":                        true,
		"\xef\xbb\xbf \r\n%PDF-1.2 ":        true,
		"HTTP/1.1 200 OK\r\n\r\n%PDF-1.4\n": true,
		"<html><p>Un fichier %PDF-1.4</p>":  false,
		"<!DOCTYPE html><html>%PDF-</html>": false,
		"texte sans en-tête":                false,
	} {
		if got := isPDF([]byte(in)); got != want {
			t.Errorf("isPDF(%q) = %v, want %v", in, got, want)
		}
	}
}
