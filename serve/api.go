package serve

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// apiOperations are the handlers of the contract's operations, by
// operationId.
func (s *Service) apiOperations() map[string]operation {
	report := func(format string) func(w http.ResponseWriter, r *http.Request, p Principal, params map[string]string) {
		return func(w http.ResponseWriter, r *http.Request, p Principal, params map[string]string) {
			s.getReport(w, r, p, params["id"], format)
		}
	}
	return map[string]operation{
		"health":  {serve: s.health},
		"openapi": {serve: s.openapi},
		"createAudit": {
			// refuse before reading the archive
			admit: func(w http.ResponseWriter, r *http.Request, _ Principal) (func(), bool) {
				if r.ContentLength > s.cfg.MaxUpload {
					tooLargeProblem(w, s.cfg.MaxUpload)
					return nil, false
				}
				if err := s.reserve(); err != nil {
					s.refuseReserve(w, err)
					return nil, false
				}
				r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
				return s.release, true
			},
			serve: func(w http.ResponseWriter, r *http.Request, p Principal, _ map[string]string) { s.createAudit(w, r, p) },
		},
		"createSpotCheck": {
			admit: func(w http.ResponseWriter, r *http.Request, _ Principal) (func(), bool) {
				r.Body = http.MaxBytesReader(w, r.Body, maxSpotCheck)
				return nil, true
			},
			serve: func(w http.ResponseWriter, r *http.Request, p Principal, _ map[string]string) {
				s.createSpotCheck(w, r, p)
			},
		},
		"listAudits": {serve: func(w http.ResponseWriter, r *http.Request, p Principal, _ map[string]string) { s.listAudits(w, r, p) }},
		"getAudit": {serve: func(w http.ResponseWriter, r *http.Request, p Principal, params map[string]string) {
			s.getAudit(w, r, p, params["id"])
		}},
		"deleteAudit": {serve: func(w http.ResponseWriter, r *http.Request, p Principal, params map[string]string) {
			s.deleteAudit(w, r, p, params["id"])
		}},
		"getReportPDF":   {serve: report("pdf")},
		"getReportHTML":  {serve: report("html")},
		"getReportJSON":  {serve: report("json")},
		"getReportSARIF": {serve: report("sarif")},
	}
}

func (s *Service) health(w http.ResponseWriter, _ *http.Request, _ Principal, _ map[string]string) {
	if s.draining.Load() {
		w.Header().Set("Retry-After", "30")
		writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "", "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Service) openapi(w http.ResponseWriter, _ *http.Request, _ Principal, _ map[string]string) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
}

func (s *Service) refuseReserve(w http.ResponseWriter, err error) {
	if errors.Is(err, errDraining) {
		w.Header().Set("Retry-After", "60")
		writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "Le service s'arrête : déposez le dossier de nouveau dans un instant.", "")
		return
	}
	tooMany(w, queueRetry, "File d'attente pleine", "Trop d'audits sont en cours ou en attente : déposez le dossier de nouveau après le délai indiqué par Retry-After.")
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
