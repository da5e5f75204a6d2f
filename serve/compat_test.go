package serve

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateResponses = flag.Bool("update-responses", false, "rewrite testdata/api-responses.tsv")

// formBody is a multipart body of parts: "f:NAME" a file part, NAME a
// plain field.
func formBody(parts ...[2]string) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary("sdetcheck-test-boundary")
	for _, p := range parts {
		if name, ok := strings.CutPrefix(p[0], "f:"); ok {
			w, _ := mw.CreateFormFile(name, "x.bin")
			w.Write([]byte(p[1]))
		} else {
			mw.WriteField(p[0], p[1])
		}
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// The API answers every request as recorded: status, headers and body,
// byte for byte, of requests good and bad (unknown paths: 404; a known
// path with a method its operations do not take: 405 with Allow; trailing
// slashes, bad parameters, tokens, content types and bodies), kept in
// testdata/api-responses.tsv (-update-responses rewrites it: review the
// diff).
func TestAPIResponsesUnchanged(t *testing.T) {
	h := newHarness(t, Config{Workers: 1, Queue: 1})
	const id = "0123456789abcdef0123456789abcdef"
	tok := testTokens["poitiers"]
	otherPart, otherType := formBody([2]string{"f:autre", "PK\x03\x04"})
	notArchive, naType := formBody([2]string{"f:dossier", "bonjour"})
	thenOther, toType := formBody([2]string{"f:dossier", "PK\x03\x04zz"}, [2]string{"autre", "x"})
	otherFirst, ofType := formBody([2]string{"autre", "x"}, [2]string{"f:dossier", "PK\x03\x04zz"})
	empty, emptyType := formBody()
	textField, tfType := formBody([2]string{"dossier", "texte"})
	reqs := []struct {
		method, path, auth, ctype string
		body                      []byte
	}{
		{"GET", "/healthz", "", "", nil},
		{"POST", "/healthz", "", "", nil},
		{"HEAD", "/healthz", "", "", nil},
		{"GET", "/api", "", "", nil},
		{"GET", "/api/", "", "", nil},
		{"GET", "/api/v1/nope", "", "", nil},
		{"GET", "/api/v1/audits/", tok, "", nil},
		{"PUT", "/api/v1/audits", tok, "", nil},
		{"PATCH", "/api/v1/audits/" + id, "", "", nil},
		{"GET", "/api/v1/audits/xyz", tok, "", nil},
		{"GET", "/api/v1/audits/xyz", "", "", nil},
		{"GET", "/api/v1/audits/" + id, tok, "", nil},
		{"DELETE", "/api/v1/audits/" + id, tok, "", nil},
		{"GET", "/api/v1/audits/" + id + "/report.pdf", tok, "", nil},
		{"GET", "/api/v1/audits/" + id + "/report.xml", tok, "", nil},
		{"GET", "/api/v1/audits", "Basic abc", "", nil},
		{"POST", "/api/v1/audits", "", "", nil},
		{"POST", "/api/v1/audits", tok, "application/json", []byte(`{"dossier":"x"}`)},
		{"POST", "/api/v1/audits", tok, "multipart/form-data; boundary=xx", nil},
		{"POST", "/api/v1/audits", tok, "multipart/form-data; boundary=xx", []byte("garbage")},
		{"POST", "/api/v1/audits", tok, "multipart/form-data", []byte("garbage")},
		{"POST", "/api/v1/audits", tok, otherType, otherPart},
		{"POST", "/api/v1/audits", tok, naType, notArchive},
		{"POST", "/api/v1/audits", tok, toType, thenOther},
		{"POST", "/api/v1/audits", tok, ofType, otherFirst},
		{"POST", "/api/v1/audits", tok, emptyType, empty},
		{"POST", "/api/v1/audits", tok, tfType, textField},
		{"POST", "/api/v1/spotchecks", tok, "application/json", []byte(`{"ent":`)},
		{"POST", "/api/v1/spotchecks", tok, "application/json", []byte(`{"ent":"X","collectivite":"Y","degree":"2D","zz":1}`)},
		{"POST", "/api/v1/spotchecks", tok, "application/json", []byte(`{"ent":"X","collectivite":"Y","degree":"2D"}`)},
		{"POST", "/api/v1/spotchecks", tok, "text/plain", []byte(`x`)},
		{"POST", "/api/v1/spotchecks", tok, "application/json", nil},
		{"GET", "/api/v1/audits?x=1", tok, "", nil},
		{"GET", "/openapi.json/", "", "", nil},
		{"GET", "/healthz/", "", "", nil},
		{"GET", "/api/v1/audits//", tok, "", nil},
		{"GET", "/api/v1/audits/" + id + "/", tok, "", nil},
		{"GET", "/api/v1/audits/" + id + "/report.pdf/", tok, "", nil},
		{"GET", "/API/v1/audits", tok, "", nil},
		{"GET", "/api/v1/audits/%7A", tok, "", nil},
		{"GET", "/api/v1/audits/a%2Fb", tok, "", nil},
		{"OPTIONS", "/api/v1/audits", tok, "", nil},
		{"HEAD", "/openapi.json", "", "", nil},
		{"GET", "/api/v1/../healthz", "", "", nil},
		{"GET", "/api/v1/spotchecks", tok, "", nil},
		{"POST", "/", "", "", nil},
		{"GET", "/nope", "", "", nil},
		{"POST", "/api/v1/audits", "tok-inconnu", "", nil},
	}
	var out strings.Builder
	for _, q := range reqs {
		var body io.Reader
		if q.body != nil {
			body = bytes.NewReader(q.body)
		}
		req, err := http.NewRequest(q.method, h.srv.URL+q.path, body)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(q.auth, "Basic "):
			req.Header.Set("Authorization", q.auth)
		case q.auth != "":
			req.Header.Set("Authorization", "Bearer "+q.auth)
		}
		if q.ctype != "" {
			req.Header.Set("Content-Type", q.ctype)
		}
		resp, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var hd []string
		for _, k := range []string{"Content-Type", "Retry-After", "WWW-Authenticate", "Allow", "Location", "Cache-Control", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy", "X-Frame-Options"} {
			if v := resp.Header.Get(k); v != "" {
				hd = append(hd, k+"="+v)
			}
		}
		fmt.Fprintf(&out, "%d\t%q\t%q\n", resp.StatusCode, strings.Join(hd, "|"), strings.TrimSpace(string(b)))
	}
	const golden = "testdata/api-responses.tsv"
	if *updateResponses {
		os.WriteFile(golden, []byte(out.String()), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(out.String(), "\n")
	for i, w := range strings.Split(string(want), "\n") {
		if i < len(got) && got[i] != w && i < len(reqs) {
			t.Errorf("%s %s:\n%s", reqs[i].method, reqs[i].path, cmp.Diff(w, got[i]))
		}
	}
}

// The ServeMux's API patterns are the contract's operations, one for one.
func TestRoutesAreTheContract(t *testing.T) {
	h := newHarness(t, Config{})
	doc, _, err := Contract()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for p, item := range doc.Paths.Map() {
		for m := range item.Operations() {
			want[m+" "+p] = true
		}
	}
	if d := cmp.Diff(want, h.svc.patterns); d != "" {
		t.Errorf("routes (-contract +mux):\n%s", d)
	}
}
