package serve

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"

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

// validate runs openapi3filter on the request; a refusal is answered
// with 400 (413 for a body past the bound) naming the field.
func (s *Service) validate(w http.ResponseWriter, r *http.Request, route *routers.Route, params map[string]string) bool {
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	err := openapi3filter.ValidateRequest(r.Context(), in)
	if err == nil {
		return true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		tooLargeProblem(w, mbe.Limit)
		return false
	}
	field, detail := describe(err)
	writeProblem(w, http.StatusBadRequest, "Requête invalide", detail, field)
	return false
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
