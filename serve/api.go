package serve

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// apiOperations are the handlers of the contract's operations, by
// operationId.
func (s *Service) apiOperations() map[string]operation {
	report := func(format string) func(w http.ResponseWriter, r *http.Request, c *call) {
		return func(w http.ResponseWriter, r *http.Request, c *call) { s.getReport(w, r, c.p, c.params["id"], format) }
	}
	ops := map[string]operation{
		"health":  {serve: s.health},
		"openapi": {serve: s.openapi},
		"createAudit": {
			// refused before the archive is read: too large, the
			// service stopping, the token's share or the queue full
			admit: func(w http.ResponseWriter, r *http.Request, c *call) bool {
				if r.ContentLength > s.cfg.MaxUpload {
					tooLargeProblem(w, s.cfg.MaxUpload)
					return false
				}
				t, err := s.admitUpload(c.p.Name)
				if err != nil {
					s.refuseAdmission(w, err)
					return false
				}
				c.ticket = t
				r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
				return true
			},
			stream: true,
			serve:  s.createAudit,
		},
		"createSpotCheck": {
			admit: func(w http.ResponseWriter, r *http.Request, _ *call) bool {
				r.Body = http.MaxBytesReader(w, r.Body, maxSpotCheck)
				return true
			},
			serve: s.createSpotCheck,
		},
		"listAudits":     {serve: func(w http.ResponseWriter, r *http.Request, c *call) { s.listAudits(w, r, c.p) }},
		"getAudit":       {serve: func(w http.ResponseWriter, r *http.Request, c *call) { s.getAudit(w, r, c.p, c.params["id"]) }},
		"deleteAudit":    {serve: func(w http.ResponseWriter, r *http.Request, c *call) { s.deleteAudit(w, r, c.p, c.params["id"]) }},
		"getReportPDF":   {serve: report("pdf")},
		"getReportHTML":  {serve: report("html")},
		"getReportJSON":  {serve: report("json")},
		"getReportSARIF": {serve: report("sarif")},
	}
	for id, op := range s.watchOperations() {
		ops[id] = op
	}
	return ops
}

func (s *Service) health(w http.ResponseWriter, _ *http.Request, _ *call) {
	if s.draining.Load() {
		w.Header().Set("Retry-After", "30")
		writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "", "")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Service) openapi(w http.ResponseWriter, _ *http.Request, _ *call) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
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

// createAudit receives the archive of the request's "dossier" part to
// disk while the form is validated against the contract (streamForm):
// nothing of it is held in memory. Once it has arrived, it takes a slot
// of the queue (the ticket admitted it), or is deleted and refused.
func (s *Service) createAudit(w http.ResponseWriter, r *http.Request, c *call) {
	var up *upload
	err := streamForm(r, c.route, func(_ string, part io.Reader) error {
		var err error
		up, err = s.receive(part)
		return err
	})
	if err != nil {
		if up != nil {
			up.remove()
		}
		s.badRequest(w, err)
		return
	}
	if !up.isArchive() {
		up.remove()
		writeProblem(w, http.StatusBadRequest, "Requête invalide", "« dossier » : "+input.French(errNotArchive), "dossier")
		return
	}
	if err := c.ticket.take(); err != nil {
		up.remove()
		s.refuseAdmission(w, err)
		return
	}
	a, err := s.submit(r.Context(), c.p, up)
	if err != nil {
		s.log.Error("submit", "err", err.Error())
		writeProblem(w, http.StatusInternalServerError, "Erreur interne", "", "")
		return
	}
	w.Header().Set("Location", "/api/v1/audits/"+a.ID)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": a.ID, "status": a.Status})
}

// maxSpotCheck bounds a spot check's body (a few addresses).
const maxSpotCheck = 64 << 10

// createSpotCheck queues the spot check of the request's body (validated
// against the contract: openapi3filter has put the body back).
func (s *Service) createSpotCheck(w http.ResponseWriter, r *http.Request, call *call) {
	p := call.p
	var c LiveCheck
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		writeProblem(w, http.StatusBadRequest, "Requête invalide", "corps JSON illisible", "body")
		return
	}
	if err := c.check(); err != nil {
		writeProblem(w, http.StatusBadRequest, "Requête invalide", err.msg, err.field)
		return
	}
	if err := s.takeSlot(p.Name, true); err != nil {
		s.refuseAdmission(w, err)
		return
	}
	a, err := s.submitLive(r.Context(), p, c)
	if err != nil {
		s.log.Error("spot check", "err", err.Error())
		writeProblem(w, http.StatusInternalServerError, "Erreur interne", "", "")
		return
	}
	w.Header().Set("Location", "/api/v1/audits/"+a.ID)
	writeJSON(w, http.StatusAccepted, map[string]string{"id": a.ID, "status": a.Status})
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
	w.Header().Set("Content-Disposition", contentDisposition(a, format))
	w.Write(body)
}
