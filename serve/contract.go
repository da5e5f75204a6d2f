package serve

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sort"
	"strings"
	"syscall"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// OpenAPI is the service's contract (GET /openapi.json).
//
//go:embed openapi.json
var OpenAPI []byte

// Contract parses and validates the embedded OpenAPI document and returns
// it with a router of its operations (tests find the operation of a
// request with it to validate the response).
func Contract() (*openapi3.T, routers.Router, error) {
	doc, err := loadContract()
	if err != nil {
		return nil, nil, err
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi.json: %w", err)
	}
	return doc, r, nil
}

func loadContract() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	return doc, nil
}

// operations pairs every operation of the contract with its handler, by
// operationId: an operation without a handler, or a handler without an
// operation, is an error (the routes are the contract's).
func (s *Service) operations() ([]operation, error) {
	doc, err := loadContract()
	if err != nil {
		return nil, err
	}
	handlers := s.apiOperations()
	var ops []operation
	s.patterns = map[string]bool{}
	for p, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			op, ok := handlers[o.OperationID]
			if !ok {
				return nil, fmt.Errorf("openapi.json: operation %q (%s %s) has no handler", o.OperationID, method, p)
			}
			delete(handlers, o.OperationID)
			op.route = &routers.Route{Spec: doc, Path: p, PathItem: item, Method: method, Operation: o}
			ops = append(ops, op)
			s.patterns[method+" "+p] = true
		}
	}
	for id := range handlers {
		return nil, fmt.Errorf("serve: handler %q is not an operation of openapi.json", id)
	}
	sort.Slice(ops, func(i, j int) bool {
		return ops[i].route.Path+ops[i].route.Method < ops[j].route.Path+ops[j].route.Method
	})
	s.doc = doc
	return ops, nil
}

// validate runs openapi3filter on the request (but for its body when
// the handler streams it); a refusal is answered by badRequest.
func (s *Service) validate(w http.ResponseWriter, r *http.Request, c *call, streamed bool) bool {
	if streamed {
		// openapi3filter reads the whole body to check the security
		// requirements (for an authentication function that would read
		// it), even when the body is excluded: it gets none
		r = r.Clone(r.Context())
		r.Body, r.ContentLength = http.NoBody, 0
	}
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: c.params, Route: c.route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: streamed},
	}
	err := openapi3filter.ValidateRequest(r.Context(), in)
	if err == nil {
		return true
	}
	s.badRequest(w, err)
	return false
}

// badRequest answers a request the contract refuses, or whose body could
// not be read: 413 past the size bound, 408 too slow, else 400 naming
// the field.
func (s *Service) badRequest(w http.ResponseWriter, err error) {
	var mbe *http.MaxBytesError
	var se *storageError
	switch {
	case errors.As(err, &se):
		s.log.Error("upload not kept", "err", err.Error())
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			// transient: the retention and the finished audits free space
			w.Header().Set("Retry-After", "300")
			writeProblem(w, http.StatusServiceUnavailable, "Service momentanément saturé", "Le service n'a plus de place pour recevoir ce dossier : réessayez plus tard (Retry-After). L'administrateur du service en est averti par son journal.", "")
			return
		}
		writeProblem(w, http.StatusInternalServerError, "Erreur interne", "Le service n'a pas pu enregistrer ce dossier ; l'administrateur du service en est averti par son journal.", "")
	case errors.As(err, &mbe):
		tooLargeProblem(w, mbe.Limit)
	case errors.Is(err, errTooSlow):
		s.tooSlowProblem(w)
	default:
		field, detail := describe(err)
		writeProblem(w, http.StatusBadRequest, "Requête invalide", detail, field)
	}
}

// describe names the field a validation error is about and says the
// problem in French (kin-openapi's reason kept as the technical detail,
// its first line only).
func describe(err error) (field, detail string) {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		var se *openapi3filter.SecurityRequirementsError
		if errors.As(err, &se) {
			return "Authorization", "jeton manquant"
		}
		return "", "requête refusée par le contrat (détail technique : " + firstLine(err.Error()) + ")"
	}
	reason := re.Reason
	if re.Err != nil {
		reason = re.Err.Error()
	}
	var se *openapi3.SchemaError
	hasSchema := errors.As(re.Err, &se)
	if hasSchema {
		reason = se.Reason
	}
	switch {
	case re.Parameter != nil:
		return re.Parameter.Name, fmt.Sprintf("paramètre %q invalide (détail technique : %s)", re.Parameter.Name, firstLine(reason))
	case strings.Contains(re.Reason, "header Content-Type"):
		return "Content-Type", "type de contenu non accepté : multipart/form-data attendu (détail technique : " + firstLine(re.Reason) + ")"
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return "body", "corps de requête manquant"
	}
	if hasSchema {
		if ptr := se.JSONPointer(); len(ptr) > 0 {
			field = strings.Join(ptr, ".")
		}
		if field == "" && se.SchemaField == "required" {
			if _, rest, ok := strings.Cut(se.Reason, `"`); ok {
				field, _, _ = strings.Cut(rest, `"`)
			}
		}
	}
	if field == "" && re.Err != nil {
		// multipart decoding: "part NAME: …"
		if _, rest, ok := strings.Cut(re.Err.Error(), "part "); ok {
			field, _, _ = strings.Cut(rest, ":")
		}
	}
	if field == "" {
		return "body", "corps de requête invalide (détail technique : " + firstLine(reason) + ")"
	}
	return field, fmt.Sprintf("champ %q invalide (détail technique : %s)", field, firstLine(reason))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(s)
}

// responseRecorder keeps a response to validate it against the contract
// before it is sent (tests: Config.checkResponse).
type responseRecorder struct {
	w      http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

func newResponseRecorder(w http.ResponseWriter) *responseRecorder {
	return &responseRecorder{w: w, header: http.Header{}}
}

func (rr *responseRecorder) Header() http.Header { return rr.header }

// Unwrap lets http.ResponseController reach the connection.
func (rr *responseRecorder) Unwrap() http.ResponseWriter { return rr.w }

func (rr *responseRecorder) WriteHeader(status int) {
	if rr.status == 0 {
		rr.status = status
	}
}

func (rr *responseRecorder) Write(p []byte) (int, error) {
	if rr.status == 0 {
		rr.status = http.StatusOK
	}
	return rr.body.Write(p)
}

// validate checks the recorded response against the operation of route,
// reports a breach to report, then sends the response.
func (rr *responseRecorder) validate(r *http.Request, route *routers.Route, params map[string]string, report func(error)) {
	if rr.status == 0 {
		rr.status = http.StatusOK
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 rr.status, Header: rr.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(rr.body.Bytes())
	if err := openapi3filter.ValidateResponse(r.Context(), in); err != nil {
		report(fmt.Errorf("%s %s → %d: response breaks the contract: %w", r.Method, r.URL.Path, rr.status, err))
	}
	for k, v := range rr.header {
		rr.w.Header()[k] = v
	}
	rr.w.WriteHeader(rr.status)
	rr.w.Write(rr.body.Bytes())
}

// formContentType is the only request body an operation whose body is
// streamed (operation.stream) may take.
const formContentType = "multipart/form-data"

// checkStreamed says whether the contract's request body of route can be
// validated while it streams: a multipart form whose fields are all
// files (binary strings), that go to disk without being held.
func checkStreamed(route *routers.Route) error {
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil || len(rb.Value.Content) != 1 || rb.Value.Content.Get(formContentType) == nil {
		return fmt.Errorf("openapi.json: %s: a streamed body is %s only", route.Operation.OperationID, formContentType)
	}
	sch := rb.Value.Content.Get(formContentType).Schema
	if sch == nil || sch.Value == nil || !sch.Value.Type.Is("object") || len(sch.Value.AllOf) > 0 || sch.Value.AdditionalProperties.Schema != nil {
		return fmt.Errorf("openapi.json: %s: a streamed form is an object of files", route.Operation.OperationID)
	}
	for name, p := range sch.Value.Properties {
		if p.Value == nil || !p.Value.Type.Is("string") || p.Value.Format != "binary" {
			return fmt.Errorf("openapi.json: %s: form field %q of a streamed body is not a file (string, binary)", route.Operation.OperationID, name)
		}
	}
	return nil
}

// streamForm validates r's multipart body against route's request body
// as openapi3filter.ValidateRequestBody does (same errors, that describe
// reads), but part by part, without holding it: each file part goes to
// file(name, part) as it is read, and only the first of a name, as
// openapi3filter keeps it. The body's schema is checked by checkStreamed.
func streamForm(r *http.Request, route *routers.Route, file func(name string, part io.Reader) error) error {
	rb := route.Operation.RequestBody.Value
	fail := func(reason string, err error) error {
		return &openapi3filter.RequestError{RequestBody: rb, Reason: reason, Err: err}
	}
	var first [1]byte
	n := 0
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		if n, err = io.ReadFull(r.Body, first[:]); err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return fail("reading failed", err)
		}
	}
	if n == 0 {
		if rb.Required {
			return fail("", openapi3filter.ErrInvalidRequired)
		}
		return nil
	}
	ct := r.Header.Get("Content-Type")
	mt := rb.Content.Get(ct)
	if mt == nil {
		return fail(fmt.Sprintf("header Content-Type has unexpected value %q", ct), nil)
	}
	const decode = "failed to decode request body"
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fail(decode, err)
	}
	schema := mt.Schema.Value
	mr := multipart.NewReader(io.MultiReader(bytes.NewReader(first[:n]), r.Body), params["boundary"])
	obj := map[string]any{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(decode, err)
		}
		name := part.FormName()
		if _, ok := schema.Properties[name]; !ok {
			if has := schema.AdditionalProperties.Has; has != nil && *has {
				io.Copy(io.Discard, part)
				continue
			}
			return fail(decode, &openapi3filter.ParseError{Kind: openapi3filter.KindOther, Cause: fmt.Errorf("part %s: undefined", name)})
		}
		if _, seen := obj[name]; seen {
			if _, err := io.Copy(io.Discard, part); err != nil {
				return fail(decode, fmt.Errorf("part %s: %w", name, err))
			}
			continue
		}
		if err := file(name, part); err != nil {
			return fail(decode, fmt.Errorf("part %s: %w", name, err))
		}
		obj[name] = "" // a file's content is not validated (format binary)
	}
	if err := schema.VisitJSON(obj, openapi3.VisitAsRequest()); err != nil {
		return fail("doesn't match schema", err)
	}
	return nil
}
