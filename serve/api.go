package serve

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// OpenAPI is the service's contract (GET /openapi.json).
//
//go:embed openapi.json
var OpenAPI []byte

// Contract parses and validates the embedded OpenAPI document and returns
// it with its router (tests validate responses with them).
func Contract() (*openapi3.T, routers.Router, error) {
	l := openapi3.NewLoader()
	doc, err := l.LoadFromData(OpenAPI)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("openapi.json: %w", err)
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("openapi.json: %w", err)
	}
	return doc, r, nil
}

func (s *Service) loadContract() error {
	doc, r, err := Contract()
	if err != nil {
		return err
	}
	s.doc, s.router = doc, r
	return nil
}

// routes: the API paths of the contract, everything else the web page.
func (s *Service) routes() http.Handler {
	web := s.webRoutes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.URL.Path == "/healthz" || r.URL.Path == "/openapi.json" || r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
			s.api(w, r)
			return
		}
		web.ServeHTTP(w, r)
	})
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

// bearer is the principal of the request's Bearer token.
func (s *Service) bearer(r *http.Request) (Principal, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return Principal{}, false
	}
	return s.cfg.Tokens.Lookup(strings.TrimSpace(h[len(prefix):]))
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

// api validates the request against the contract (openapi3filter) after
// authenticating it, then runs its operation.
func (s *Service) api(w http.ResponseWriter, r *http.Request) {
	route, params, err := s.router.FindRoute(r)
	if err != nil {
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			writeProblem(w, http.StatusMethodNotAllowed, "Méthode non permise", fmt.Sprintf("%s n'est pas permis sur %s.", r.Method, r.URL.Path), "")
			return
		}
		writeProblem(w, http.StatusNotFound, "Adresse inconnue", fmt.Sprintf("%s n'est pas une adresse de l'API (voir /openapi.json).", r.URL.Path), "")
		return
	}
	var p Principal
	if sec := route.Operation.Security; sec != nil && len(*sec) > 0 {
		var ok bool
		if p, ok = s.bearer(r); !ok {
			unauthorized(w)
			return
		}
		if ok, wait := s.limiter.allow(p.Name); !ok {
			tooMany(w, wait, "Trop de requêtes", "Ce jeton a dépassé son débit de requêtes : réessayez après le délai indiqué par Retry-After.")
			return
		}
	}
	if route.Operation.OperationID == "createAudit" {
		// refuse before reading the archive
		if r.ContentLength > s.cfg.MaxUpload {
			tooLargeProblem(w, s.cfg.MaxUpload)
			return
		}
		if err := s.reserve(); err != nil {
			s.refuseReserve(w, err)
			return
		}
		reserved := true
		defer func() {
			if reserved {
				s.release()
			}
		}()
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
		if !s.validate(w, r, route, params) {
			return
		}
		reserved = false
		s.createAudit(w, r, p)
		return
	}
	if route.Operation.OperationID == "createSpotCheck" {
		r.Body = http.MaxBytesReader(w, r.Body, maxSpotCheck)
		if !s.validate(w, r, route, params) {
			return
		}
		s.createSpotCheck(w, r, p)
		return
	}
	if !s.validate(w, r, route, params) {
		return
	}
	switch route.Operation.OperationID {
	case "health":
		if s.draining.Load() {
			w.Header().Set("Retry-After", "30")
			writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "", "")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case "openapi":
		w.Header().Set("Content-Type", "application/json")
		w.Write(OpenAPI)
	case "listAudits":
		s.listAudits(w, r, p)
	case "getAudit":
		s.getAudit(w, r, p, params["id"])
	case "deleteAudit":
		s.deleteAudit(w, r, p, params["id"])
	case "getReportPDF":
		s.getReport(w, r, p, params["id"], "pdf")
	case "getReportHTML":
		s.getReport(w, r, p, params["id"], "html")
	case "getReportJSON":
		s.getReport(w, r, p, params["id"], "json")
	case "getReportSARIF":
		s.getReport(w, r, p, params["id"], "sarif")
	default:
		writeProblem(w, http.StatusNotImplemented, "Opération non réalisée", route.Operation.OperationID, "")
	}
}

func (s *Service) refuseReserve(w http.ResponseWriter, err error) {
	if errors.Is(err, errDraining) {
		w.Header().Set("Retry-After", "60")
		writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "Le service s'arrête : déposez le dossier de nouveau dans un instant.", "")
		return
	}
	tooMany(w, queueRetry, "File d'attente pleine", "Trop d'audits sont en cours ou en attente : déposez le dossier de nouveau après le délai indiqué par Retry-After.")
}

func tooLargeProblem(w http.ResponseWriter, max int64) {
	writeProblem(w, http.StatusRequestEntityTooLarge, "Archive trop volumineuse", fmt.Sprintf("Le dépôt dépasse la limite de %s.", input.Bytes(max)), "dossier")
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

// summary is the JSON of an audit without its result.
type summary struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Owner       string `json:"owner"`
	Departement string `json:"departement"`
	Created     string `json:"created"`
	Updated     string `json:"updated"`
	Expires     string `json:"expires,omitempty"`
	Verdict     string `json:"verdict,omitempty"`
	ENT         string `json:"ent,omitempty"`
	Error       string `json:"error,omitempty"`
	InputSHA256 string `json:"input_sha256"`
}

type auditJSON struct {
	summary
	Result  json.RawMessage   `json:"result,omitempty"`
	Reports map[string]string `json:"reports,omitempty"`
}

func (s *Service) summaryOf(a Audit) summary {
	out := summary{ID: a.ID, Status: a.Status, Owner: a.Owner, Departement: a.Departement,
		Created: a.Created.UTC().Format(time.RFC3339), Updated: a.Updated.UTC().Format(time.RFC3339),
		Verdict: a.Verdict, ENT: a.ENT, Error: a.Error, InputSHA256: a.InputSHA256}
	if s.cfg.Retention > 0 {
		out.Expires = a.Created.Add(s.cfg.Retention).UTC().Format(time.RFC3339)
	}
	return out
}

func (s *Service) createAudit(w http.ResponseWriter, r *http.Request, p Principal) {
	a, err := s.submitFrom(r, p)
	if err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			tooLargeProblem(w, mbe.Limit)
		case errors.Is(err, errNoDossierPart):
			writeProblem(w, http.StatusBadRequest, "Requête invalide", "le champ « dossier » (fichier) est attendu", "dossier")
		case errors.Is(err, errNotArchive):
			writeProblem(w, http.StatusBadRequest, "Requête invalide", "« dossier » : "+input.French(errNotArchive), "dossier")
		default:
			s.log.Error("submit", "err", err.Error())
			writeProblem(w, http.StatusInternalServerError, "Erreur interne", "", "")
		}
		return
	}
	w.Header().Set("Location", "/api/v1/audits/"+a.ID)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": a.ID, "status": a.Status})
}

var errNoDossierPart = errors.New("no dossier part")

// maxSpotCheck bounds a spot check's body (a few addresses).
const maxSpotCheck = 64 << 10

// createSpotCheck queues the spot check of the request's body (validated
// against the contract: openapi3filter has put the body back).
func (s *Service) createSpotCheck(w http.ResponseWriter, r *http.Request, p Principal) {
	var c LiveCheck
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		writeProblem(w, http.StatusBadRequest, "Requête invalide", "corps JSON illisible", "body")
		return
	}
	if err := c.check(); err != nil {
		writeProblem(w, http.StatusBadRequest, "Requête invalide", err.msg, err.field)
		return
	}
	if err := s.reserve(); err != nil {
		s.refuseReserve(w, err)
		return
	}
	a, err := s.submitLive(r.Context(), p, c)
	if err != nil {
		s.release()
		s.log.Error("spot check", "err", err.Error())
		writeProblem(w, http.StatusInternalServerError, "Erreur interne", "", "")
		return
	}
	w.Header().Set("Location", "/api/v1/audits/"+a.ID)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": a.ID, "status": a.Status})
}

// submitFrom reads the multipart part "dossier" of r and submits it; the
// slot is released on error.
func (s *Service) submitFrom(r *http.Request, p Principal) (Audit, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		s.release()
		return Audit{}, errNoDossierPart
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			s.release()
			return Audit{}, errNoDossierPart
		}
		if err != nil {
			s.release()
			return Audit{}, err
		}
		if part.FormName() != "dossier" {
			part.Close()
			continue
		}
		a, err := s.submit(r.Context(), p, part)
		if err != nil {
			s.release()
		}
		return a, err
	}
}

// visible finds id and checks p may see it (ErrNotFound otherwise).
func (s *Service) visible(ctx context.Context, p Principal, id string) (Audit, error) {
	a, err := s.store.Get(ctx, id)
	if err != nil {
		return Audit{}, err
	}
	if !p.CanSee(a) {
		return Audit{}, ErrNotFound
	}
	return a, nil
}

func (s *Service) notFoundOrError(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNotFound) {
		writeProblem(w, http.StatusNotFound, "Audit inconnu", "Aucun audit de ce numéro n'est visible avec ce jeton.", "id")
		return
	}
	s.log.Error("store", "err", err.Error())
	writeProblem(w, http.StatusInternalServerError, "Erreur interne", "", "")
}

func (s *Service) listAudits(w http.ResponseWriter, r *http.Request, p Principal) {
	as, err := s.store.List(r.Context(), p.Filter())
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	out := struct {
		Audits []summary `json:"audits"`
	}{Audits: []summary{}}
	for _, a := range as {
		out.Audits = append(out.Audits, s.summaryOf(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Service) getAudit(w http.ResponseWriter, r *http.Request, p Principal, id string) {
	a, err := s.visible(r.Context(), p, id)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	out := auditJSON{summary: s.summaryOf(a)}
	if a.Status == StatusDone {
		out.Result = a.Result
		out.Reports = map[string]string{}
		for _, f := range reportFormats {
			out.Reports[f] = "/api/v1/audits/" + a.ID + "/report." + f
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Service) deleteAudit(w http.ResponseWriter, r *http.Request, p Principal, id string) {
	a, err := s.visible(r.Context(), p, id)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	if !p.CanDelete(a) {
		writeProblem(w, http.StatusForbidden, "Suppression réservée", "Seule la collectivité qui a déposé le dossier (ou l'administrateur) peut supprimer cet audit.", "")
		return
	}
	if err := s.remove(r.Context(), id); err != nil {
		s.notFoundOrError(w, err)
		return
	}
	s.log.Info("audit deleted", "audit", id, "by", p.Name)
	w.WriteHeader(http.StatusNoContent)
}

// remove deletes an audit, stopping it if it runs.
func (s *Service) remove(ctx context.Context, id string) error {
	if err := s.store.Delete(ctx, id); err != nil {
		return err
	}
	s.cancelRun(id)
	return nil
}

var reportTypes = map[string]string{
	"pdf":   "application/pdf",
	"html":  "text/html; charset=utf-8",
	"json":  "application/json",
	"sarif": "application/sarif+json",
}

func (s *Service) getReport(w http.ResponseWriter, r *http.Request, p Principal, id, format string) {
	a, err := s.visible(r.Context(), p, id)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	s.sendReport(w, r, a, format, func(status int, title, detail string) {
		writeProblem(w, status, title, detail, "")
	})
}

// sendReport writes a done audit's report, or says why there is none.
func (s *Service) sendReport(w http.ResponseWriter, r *http.Request, a Audit, format string, refuse func(status int, title, detail string)) {
	if a.Status != StatusDone {
		refuse(http.StatusConflict, "Pas de rapport", "L'audit n'est pas terminé, ou il a échoué : pas de rapport.")
		return
	}
	body, err := s.store.Report(r.Context(), a.ID, format)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	w.Header().Set("Content-Type", reportTypes[format])
	w.Header().Set("Cache-Control", "private, no-store")
	if format == "html" {
		// the report is a document, not part of the site
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": "sdetcheck-" + a.ID[:8] + "." + format}))
	if format == "pdf" || format == "sarif" || format == "json" {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "sdetcheck-" + a.ID[:8] + "." + format}))
	}
	w.Write(body)
}
