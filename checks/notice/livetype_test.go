package notice_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestLiveContentType: a live page must be served as HTML, a notice as
// HTML or PDF; any other type is an error naming it. A missing or generic
// type is judged by the content.
func TestLiveContentType(t *testing.T) {
	notice := read(t, "notice/mentions-validees.html")
	pdf := read(t, "notice/mentions-completes.pdf")
	serve := func(ctype string, body []byte) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if ctype != "" {
				w.Header().Set("Content-Type", ctype)
			} else {
				w.Header()["Content-Type"] = nil // no sniffing by net/http
			}
			w.Write(body)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/page-json", serve("application/json", []byte(home("/m-html", ""))))
	mux.HandleFunc("/page-png", serve("image/png", []byte(home("/m-html", ""))))
	mux.HandleFunc("/page-xhtml", serve("application/xhtml+xml; charset=utf-8", []byte(home("/m-html", ""))))
	mux.HandleFunc("/page-untyped", serve("", []byte(home("/m-html", ""))))
	for _, n := range []string{"m-html", "m-pdf", "m-pdf-octet", "m-docx", "m-text", "m-untyped-text"} {
		n := n
		mux.HandleFunc("/page-"+n, serve("text/html; charset=utf-8", []byte(home("/"+n, ""))))
	}
	mux.HandleFunc("/m-html", serve("text/html; charset=utf-8", notice))
	mux.HandleFunc("/m-pdf", serve("application/pdf", pdf))
	mux.HandleFunc("/m-pdf-octet", serve("application/octet-stream", pdf))
	mux.HandleFunc("/m-docx", serve("application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04 fake docx")))
	mux.HandleFunc("/m-text", serve("text/plain; charset=utf-8", []byte("Mentions d'information : responsable du traitement...")))
	mux.HandleFunc("/m-untyped-text", serve("", []byte("Mentions d'information : responsable du traitement...")))
	srv := httptest.NewTLSServer(mux)
	defer srv.Close()
	check := func(t *testing.T, area, path string) *result.Result {
		t.Helper()
		res, err := audit.Check(context.Background(), area, srv.URL+path, audit.Config{Now: testNow, Client: trusting(srv, 10e9)})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, c := range []struct {
		path, status, want string
	}{
		{"/page-json", "error", `served as "application/json": an HTML page is expected`},
		{"/page-png", "error", `served as "image/png"`},
		{"/page-xhtml", "pass", ""},
		{"/page-untyped", "pass", ""},
	} {
		t.Run("page"+c.path, func(t *testing.T) {
			res := check(t, "page", c.path)
			got := statusesOf(res, "PAGE-001")
			if len(got) == 0 || string(got[0]) != c.status || !strings.Contains(messages(res, "PAGE-001"), c.want) {
				t.Errorf("PAGE-001 %v: %s", got, messages(res, "PAGE-001"))
			}
		})
	}
	for _, c := range []struct {
		path, status, want string
	}{
		{"/page-m-html", "pass", ""},
		{"/page-m-pdf", "pass", ""},
		{"/page-m-pdf-octet", "pass", ""},
		{"/page-m-docx", "error", `served as "application/vnd.openxmlformats-officedocument.wordprocessingml.document": only HTML pages and PDF files are audited`},
		{"/page-m-text", "error", `served as "text/plain"`},
		{"/page-m-untyped-text", "error", `served as "text/plain"`},
	} {
		t.Run("notice"+c.path, func(t *testing.T) {
			res := check(t, "page", c.path)
			got := statusesOf(res, "PAGE-002")
			if len(got) == 0 || string(got[0]) != c.status || !strings.Contains(messages(res, "PAGE-002"), c.want) {
				t.Errorf("PAGE-002 %v: %s", got, messages(res, "PAGE-002"))
			}
		})
	}
	t.Run("check notice URL", func(t *testing.T) {
		res := check(t, "notice", "/m-docx")
		for _, f := range res.Results {
			if f.Status != result.Error || !strings.Contains(f.Message, "seuls les pages HTML et les fichiers PDF sont audités") {
				t.Errorf("%s %s: %s", f.Rule, f.Status, f.Message)
			}
		}
	})
}
