package serve

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

const conforme = "../fixtures/dossiers/conforme"

func init() {
	// reports in HTML are checked as text against the contract
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// testTokens: two collectivités of the Vienne (86), one of the
// Charente-Maritime (17), the DSDEN of the Vienne, an administrator.
var testTokens = map[string]string{
	"poitiers": "tok-poitiers-0123456789abcdef0123456789", "chatellerault": "tok-chatellerault-0123456789abcdef0123456789", "larochelle": "tok-larochelle-0123456789abcdef0123456789",
	"dsden86": "tok-dsden86-0123456789abcdef0123456789", "admin": "tok-admin-0123456789abcdef0123456789",
}

func tokensYAML() string {
	return fmt.Sprintf(`tokens:
  - {name: poitiers, role: collectivite, departement: "86", token_sha256: %s}
  - {name: chatellerault, role: collectivite, departement: "86", token_sha256: %s}
  - {name: larochelle, role: collectivite, departement: "17", token_sha256: %s}
  - {name: dsden86, role: dsden, departement: "86", token_sha256: %s}
  - {name: admin, role: admin, token_sha256: %s}
`, HashToken("tok-poitiers-0123456789abcdef0123456789"), HashToken("tok-chatellerault-0123456789abcdef0123456789"), HashToken("tok-larochelle-0123456789abcdef0123456789"), HashToken("tok-dsden86-0123456789abcdef0123456789"), HashToken("tok-admin-0123456789abcdef0123456789"))
}

type harness struct {
	t     testing.TB
	svc   *Service
	srv   *httptest.Server
	cfg   Config
	check *contractChecker
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newHarness starts a service on a fresh --data (or cfg.Data) behind an
// httptest server.
func newHarness(t testing.TB, cfg Config) *harness {
	t.Helper()
	if cfg.Tokens == nil {
		toks, err := ParseTokens("tokens.yaml", []byte(tokensYAML()))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Tokens = toks
	}
	if cfg.Data == "" {
		cfg.Data = t.TempDir()
	}
	if cfg.Work == "" {
		cfg.Work = t.TempDir()
	}
	logs := cfg.logTo
	if logs == nil {
		logs = &syncBuffer{}
	}
	cfg.Log = slog.New(slog.NewJSONHandler(logs, nil))
	// every API response is validated against the contract before it
	// is sent, whatever the test sends
	cfg.checkResponse = func(err error) { t.Error(err) }
	svc, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, svc: svc, cfg: cfg, check: newContractChecker(t)}
	h.srv = httptest.NewServer(svc.Handler())
	t.Cleanup(func() {
		h.srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		svc.Shutdown(ctx)
		if strings.Contains(logs.String(), "tok-") {
			t.Errorf("a token is in the logs:\n%s", logs.String())
		}
	})
	return h
}

// contractChecker validates responses against openapi.json.
type contractChecker struct {
	t      testing.TB
	router routers.Router
	result *jsonschema.Schema
}

func newContractChecker(t testing.TB) *contractChecker {
	_, r, err := Contract()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../internal/result/result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return &contractChecker{t: t, router: r, result: sch}
}

// validate checks resp (body already read) against the contract: status,
// headers and body of the operation the request matched.
func (c *contractChecker) validate(req *http.Request, status int, header http.Header, body []byte) {
	c.t.Helper()
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		c.t.Errorf("%s %s: no route in the contract: %v", req.Method, req.URL.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status, Header: header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		c.t.Errorf("%s %s → %d: response breaks the contract: %v\n%s", req.Method, req.URL.Path, status, err, clipBody(body))
	}
}

func clipBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%v\n%s", err, clipBody(r.body))
	}
}

// send sends a request with token (none if empty) and reads the
// response; err is the transport's.
func (h *harness) send(method, path, token string, body io.Reader, ctype string) (*http.Request, response, error) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		return req, response{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return req, response{resp.StatusCode, resp.Header, b}, nil
}

// raw sends a request with token (none if empty), unchecked.
func (h *harness) raw(method, path, token string, body io.Reader, ctype string) response {
	_, r, err := h.send(method, path, token, body, ctype)
	if err != nil {
		h.t.Error(err)
	}
	return r
}

// jsonField is a top-level string field of a JSON object.
func jsonField(body []byte, key string) string {
	var m map[string]any
	json.Unmarshal(body, &m)
	s, _ := m[key].(string)
	return s
}

// do sends a request with token (none if empty) and validates the
// response against the contract.
func (h *harness) do(method, path, token string, body io.Reader, ctype string) response {
	h.t.Helper()
	req, r, err := h.send(method, path, token, body, ctype)
	if err != nil {
		h.t.Fatal(err)
	}
	vr, _ := http.NewRequest(method, path, nil)
	vr.Header = req.Header
	h.check.validate(vr, r.status, r.header, r.body)
	return r
}

// upload posts archive as the multipart field "dossier".
func (h *harness) upload(token string, archive []byte) response {
	h.t.Helper()
	body, ctype := multipartBody(h.t, "dossier", "dossier.tar.gz", archive)
	return h.do("POST", "/api/v1/audits", token, body, ctype)
}

func multipartBody(t testing.TB, field, name string, data []byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return &b, mw.FormDataContentType()
}

// waitDone polls the audit until it is done or failed.
func (h *harness) waitDone(token, id string) map[string]any {
	h.t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		r := h.do("GET", "/api/v1/audits/"+id, token, nil, "")
		if r.status != 200 {
			h.t.Fatalf("GET audit: %d %s", r.status, r.body)
		}
		var a map[string]any
		r.json(h.t, &a)
		if a["status"] == StatusDone || a["status"] == StatusFailed {
			return a
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.t.Fatalf("audit %s not finished in time", id)
	return nil
}

// tarGz packs dir as a .tar.gz whose entries start with prefix.
func tarGz(t testing.TB, dir, prefix string) []byte {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		name := prefix + filepath.ToSlash(rel)
		if d.IsDir() {
			return tw.WriteHeader(&tar.Header{Name: name + "/", Typeflag: tar.TypeDir, Mode: 0o755})
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(data))}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tw.Close()
	gz.Close()
	return b.Bytes()
}

// zipOf packs dir as a .zip.
func zipOf(t testing.TB, dir string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return b.Bytes()
}

// The API end to end: upload the sample dossier (.tar.gz and .zip), wait
// for the verdict, read the result (valid against result.schema.json) and
// every report; every response is checked against openapi.json.
func TestAPIAudit(t *testing.T) {
	h := newHarness(t, Config{Workers: 2, Queue: 4})
	if r := h.do("GET", "/healthz", "", nil, ""); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	if r := h.do("GET", "/openapi.json", "", nil, ""); r.status != 200 || !bytes.Equal(r.body, OpenAPI) {
		t.Fatalf("openapi.json: %d", r.status)
	}
	for name, archive := range map[string][]byte{"tar.gz": tarGz(t, conforme, "conforme/"), "zip": zipOf(t, conforme)} {
		t.Run(name, func(t *testing.T) {
			r := h.upload("tok-poitiers-0123456789abcdef0123456789", archive)
			if r.status != http.StatusAccepted {
				t.Fatalf("upload: %d %s", r.status, r.body)
			}
			var acc struct{ ID, Status string }
			r.json(t, &acc)
			if acc.Status != StatusQueued || r.header.Get("Location") != "/api/v1/audits/"+acc.ID {
				t.Fatalf("upload: %+v, Location %q", acc, r.header.Get("Location"))
			}
			a := h.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID)
			if a["status"] != StatusDone {
				t.Fatalf("audit: %v", a)
			}
			if a["verdict"] != "conforme" {
				t.Errorf("verdict %v, want conforme (the sample dossier)", a["verdict"])
			}
			if err := h.check.result.Validate(a["result"]); err != nil {
				t.Errorf("result breaks result.schema.json: %v", err)
			}
			for f, want := range map[string]string{"pdf": "%PDF-", "html": "<!DOCTYPE html>", "json": "{", "sarif": "{"} {
				r := h.do("GET", "/api/v1/audits/"+acc.ID+"/report."+f, "tok-poitiers-0123456789abcdef0123456789", nil, "")
				if r.status != 200 || !strings.HasPrefix(string(r.body), want) {
					t.Errorf("report.%s: %d %q", f, r.status, clipBody(r.body))
				}
			}
			// the result JSON is the one `sdetcheck audit` writes
			r = h.do("GET", "/api/v1/audits/"+acc.ID+"/report.json", "tok-poitiers-0123456789abcdef0123456789", nil, "")
			var res map[string]any
			r.json(t, &res)
			if res["verdict"] != "conforme" || res["command"] != "audit" {
				t.Errorf("report.json: verdict %v command %v", res["verdict"], res["command"])
			}
		})
	}
	// nothing of the dossiers is left in the work directory
	if ents, _ := os.ReadDir(h.svc.WorkDir()); len(ents) != 0 {
		t.Errorf("work directory not empty after the audits: %v", ents)
	}
}

func frenchOf(err error) string {
	if err == nil {
		return "<nil>"
	}
	return input.French(err)
}
