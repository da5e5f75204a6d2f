package serve

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/sdetcheck/sdetcheck/internal/input"
)

// routes is the service's one ServeMux: the contract's operations at their
// method patterns ("GET /api/v1/audits/{id}"), each behind the API's
// middleware (authentication, rate, validation against the contract), and
// the web page's routes behind cross-origin protection.
func (s *Service) routes() (http.Handler, error) {
	mux := http.NewServeMux()
	s.mux = mux
	ops, err := s.operations()
	if err != nil {
		return nil, err
	}
	for _, op := range ops {
		if op.stream {
			if err := checkStreamed(op.route); err != nil {
				return nil, err
			}
		}
		mux.Handle(op.route.Method+" "+op.route.Path, s.apiHandler(op))
	}
	// What the contract does not name under the API's paths is a 404 in
	// application/problem+json, whatever the method.
	for _, p := range []string{"/healthz", "/openapi.json", "/api", "/api/"} {
		mux.HandleFunc(p, s.apiFallback(mux))
	}
	s.webRoutes(mux)
	s.watchWebRoutes(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			defer s.pace(w, r)()
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		if !isAPIPath(r.URL.Path) {
			h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cache-Control", "no-store")
			mux.ServeHTTP(w, r)
			return
		}
		// The API's paths are never redirected: an unclean one ("..",
		// "//") is unknown.
		if p := strings.TrimRight(r.URL.Path, "/"); p != "" && path.Clean(p) != p {
			apiNotFound(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}), nil
}

// isAPIPath says whether p is one of the API's (the contract's paths and
// everything under /api).
func isAPIPath(p string) bool {
	return p == "/healthz" || p == "/openapi.json" || p == "/api" || strings.HasPrefix(p, "/api/")
}

// apiFallback answers a path of the API that no operation's pattern
// matched. Trailing slashes are not part of a path of the contract
// ("/api/v1/audits/" is "/api/v1/audits"): without them, the request goes
// to its operation; otherwise it is unknown (404).
func (s *Service) apiFallback(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if trimmed := strings.TrimRight(r.URL.Path, "/"); trimmed != r.URL.Path && trimmed != "" {
			r2 := r.Clone(r.Context())
			r2.URL.Path = trimmed
			r2.URL.RawPath = strings.TrimRight(r.URL.RawPath, "/")
			if _, pattern := mux.Handler(r2); s.isOperation(pattern) {
				mux.ServeHTTP(w, r2) // sets the path's values
				return
			}
		}
		if allow := s.allowed(mux, r); len(allow) > 0 {
			methodNotAllowed(w, r, allow)
			return
		}
		apiNotFound(w, r)
	}
}

// apiMethods are the methods the contract's operations may use.
var apiMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// allowed are the methods of the contract's operations at r's path
// (its trailing slashes aside), none when the path is unknown.
func (s *Service) allowed(mux *http.ServeMux, r *http.Request) []string {
	var out []string
	for _, m := range apiMethods {
		r2 := r.Clone(r.Context())
		r2.Method = m
		r2.URL.Path = strings.TrimRight(r.URL.Path, "/")
		r2.URL.RawPath = strings.TrimRight(r.URL.RawPath, "/")
		if _, pattern := mux.Handler(r2); s.isOperation(pattern) && strings.HasPrefix(pattern, m+" ") {
			out = append(out, m)
		}
	}
	return out
}

// methodNotAllowed answers a known path asked with a method its
// operations do not take (RFC 9110 §15.5.6: 405 with Allow).
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow []string) {
	w.Header().Set("Allow", strings.Join(allow, ", "))
	writeProblem(w, http.StatusMethodNotAllowed, "Méthode non permise",
		fmt.Sprintf("%s n'accepte pas la méthode %s ; méthodes acceptées : %s (voir /openapi.json).", r.URL.Path, r.Method, strings.Join(allow, ", ")), "")
}

func apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, http.StatusNotFound, "Adresse inconnue", r.URL.Path+" n'est pas une adresse de l'API (voir /openapi.json).", "")
}

// isOperation says whether a ServeMux pattern is one of the contract's
// operations.
func (s *Service) isOperation(pattern string) bool {
	_, ok := s.patterns[pattern]
	return ok
}

// apiHandler is op behind the API's middleware: the method exactly (a
// GET pattern also matches HEAD, which the contract does not name), the
// bearer token and its rate for a secured operation, then the request
// validated against the contract by openapi3filter (op.admit runs before
// the body is read; a streamed body is validated by its handler, part by
// part, with streamForm), and in tests the response too.
func (s *Service) apiHandler(op operation) http.Handler {
	secured := op.route.Operation.Security != nil && len(*op.route.Operation.Security) > 0
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != op.route.Method {
			// HEAD on a GET operation (the pattern matches both)
			methodNotAllowed(w, r, s.allowed(s.mux, r))
			return
		}
		c := &call{route: op.route, params: map[string]string{}}
		if secured {
			if throttled, wait := s.authThrottled(r); throttled {
				tooMany(w, wait, "Trop d'échecs d'authentification", "Trop de jetons inconnus ont été présentés depuis cette adresse : réessayez après le délai indiqué par Retry-After.")
				return
			}
			var res authResult
			switch c.p, res = s.authenticate(bearer(r)); res {
			case authNone:
				unauthorized(w)
				return
			case authUnknown:
				s.authFailed(r)
				unauthorized(w)
				return
			case authShort:
				s.authFailed(r)
				w.Header().Set("WWW-Authenticate", `Bearer realm="sdetcheck"`)
				writeProblem(w, http.StatusUnauthorized, "Jeton trop court", fmt.Sprintf("Ce jeton compte moins de %d caractères : trop facile à deviner, le service le refuse. Demandez-en un nouveau à l'administrateur du service (sdetcheck serve token).", MinTokenLength), "Authorization")
				return
			}
			if ok, wait := s.limiter.allow(c.p.Name); !ok {
				tooMany(w, wait, "Trop de requêtes", "Ce jeton a dépassé son débit de requêtes : réessayez après le délai indiqué par Retry-After.")
				return
			}
		}
		for _, prm := range op.route.PathItem.Parameters {
			if prm.Value != nil && prm.Value.In == "path" {
				c.params[prm.Value.Name] = r.PathValue(prm.Value.Name)
			}
		}
		if s.cfg.checkResponse != nil {
			rec := newResponseRecorder(w)
			defer rec.validate(r, op.route, c.params, s.cfg.checkResponse)
			w = rec
		}
		if op.admit != nil {
			if !op.admit(w, r, c) {
				return
			}
			if c.ticket != nil {
				defer c.ticket.cancel()
			}
		}
		if !s.validate(w, r, c, op.stream) {
			return
		}
		op.serve(w, r, c)
	})
}

// operation is one operation of the contract and its handler.
type operation struct {
	route *routers.Route
	// admit, when set, runs before the body is read; it answers the
	// request itself when it refuses it.
	admit func(w http.ResponseWriter, r *http.Request, c *call) bool
	// stream: the body is validated by serve while it streams
	// (streamForm), not read whole by openapi3filter.
	stream bool
	serve  func(w http.ResponseWriter, r *http.Request, c *call)
}

// call is what the middleware knows of a request of the API.
type call struct {
	route  *routers.Route
	p      Principal
	params map[string]string
	// ticket: an upload admitted (cancelled when the request ends,
	// unless its handler took a slot with it).
	ticket *ticket
}

// Problem is an application/problem+json body (RFC 9457).
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Field  string `json:"field,omitempty"`
}

func writeProblem(w http.ResponseWriter, status int, title, detail, field string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(Problem{Type: "about:blank", Title: title, Status: status, Detail: detail, Field: field})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="sdetcheck"`)
	writeProblem(w, http.StatusUnauthorized, "Jeton absent ou inconnu", "Envoyez l'en-tête Authorization: Bearer JETON avec un jeton remis par l'administrateur du service.", "Authorization")
}

func tooMany(w http.ResponseWriter, wait time.Duration, title, detail string) {
	secs := int(wait.Seconds() + 0.999)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeProblem(w, http.StatusTooManyRequests, title, detail, "")
}

// queueRetry is the Retry-After of a full queue.
const queueRetry = 30 * time.Second

func tooLargeProblem(w http.ResponseWriter, max int64) {
	writeProblem(w, http.StatusRequestEntityTooLarge, "Archive trop volumineuse", fmt.Sprintf("Le dépôt dépasse la limite de %s.", input.Bytes(max)), "dossier")
}
