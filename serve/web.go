package serve

import (
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

//go:embed templates/pages.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/pages.html"))

// Cookie names: the session, and the sign-in form's CSRF token (before a
// session exists, double submit).
const (
	sessionCookie = "sdetcheck_session"
	preCSRFCookie = "sdetcheck_csrf"
)

func (s *Service) webRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.webHome)
	mux.HandleFunc("POST /connexion", s.webSignIn)
	mux.HandleFunc("POST /deconnexion", s.webSignOut)
	mux.HandleFunc("POST /audits", s.webUpload)
	mux.HandleFunc("POST /controles", s.webSpotCheck)
	mux.HandleFunc("GET /audits/{id}", s.webAudit)
	mux.HandleFunc("GET /audits/{id}/{file}", s.webReport)
	mux.HandleFunc("POST /audits/{id}/supprimer", s.webDelete)
	mux.HandleFunc("GET /comparer", s.webDiff)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		mux.ServeHTTP(w, r)
	})
}

// page is what every template gets.
type page struct {
	Title     string
	Refresh   int
	User      *Principal
	RoleLabel string
	CSRF      string
	Error     string

	CanUpload bool
	MaxUpload string
	Audits    []auditView
	Done      []auditView

	Audit        auditView
	Pending      bool
	Failed       bool
	Verdict      string
	VerdictLabel string
	Summary      result.Summary
	Findings     []findingView
	CanDelete    bool

	Old, New auditView
	Sections []diffSection
}

type auditView struct {
	Audit
	When         string
	StatusLabel  string
	VerdictLabel string
}

type findingView struct {
	Rule, Title, Status, Severity, Message, Source string
}

type diffSection struct {
	Title string
	Items []diffView
}

type diffView struct {
	Rule, Old, New, Message, Source string
}

var roleLabels = map[Role]string{RoleCollectivite: "collectivité", RoleDSDEN: "DSDEN", RoleAdmin: "administrateur"}

var statusLabels = map[string]string{
	StatusQueued: "En attente", StatusRunning: "En cours", StatusDone: "Terminé", StatusFailed: "Échoué",
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

func viewOf(a Audit) auditView {
	v := auditView{Audit: a, When: a.Created.In(paris).Format("02/01/2006 à 15:04"), StatusLabel: statusLabels[a.Status]}
	if a.Verdict != "" {
		v.VerdictLabel = report.VerdictLabel(result.Verdict(a.Verdict), "fr")
	}
	if v.VerdictLabel == "" {
		v.VerdictLabel = "—"
	}
	return v
}

func (s *Service) render(w http.ResponseWriter, status int, name string, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name, p); err != nil {
		s.log.Error("template", "page", name, "err", err.Error())
	}
}

// signedIn is the request's session, if any.
func (s *Service) signedIn(r *http.Request) (*session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return nil, false
	}
	return s.sessions.get(c.Value)
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// basePage is the page of a signed-in session.
func basePage(title string, ss *session) page {
	p := ss.p
	return page{Title: title, User: &p, RoleLabel: roleLabels[p.Role], CSRF: ss.csrf}
}

func (s *Service) signInPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	tok := randomToken()
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: tok, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	s.render(w, status, "signin", page{Title: "Connexion", CSRF: tok, Error: msg})
}

func (s *Service) webHome(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.signedIn(r)
	if !ok {
		s.signInPage(w, r, http.StatusOK, "")
		return
	}
	s.homePage(w, r, ss, http.StatusOK, "")
}

func (s *Service) homePage(w http.ResponseWriter, r *http.Request, ss *session, status int, msg string) {
	as, err := s.store.List(r.Context(), ss.p.Filter())
	if err != nil {
		s.webError(w, err)
		return
	}
	p := basePage("Audits", ss)
	p.Error = msg
	p.CanUpload = true
	p.MaxUpload = fmt.Sprintf("%s", input.Bytes(s.cfg.MaxUpload))
	for _, a := range as {
		v := viewOf(a)
		p.Audits = append(p.Audits, v)
		if a.Status == StatusDone {
			p.Done = append(p.Done, v)
		}
	}
	s.render(w, status, "home", p)
}

func (s *Service) webError(w http.ResponseWriter, err error) {
	s.log.Error("web", "err", err.Error())
	s.render(w, http.StatusInternalServerError, "signin", page{Title: "Erreur", Error: "Erreur interne du service : réessayez plus tard."})
}

func (s *Service) webSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.signInPage(w, r, http.StatusBadRequest, "Formulaire illisible.")
		return
	}
	c, err := r.Cookie(preCSRFCookie)
	if err != nil || !sameToken(c.Value, r.PostFormValue("csrf")) {
		s.signInPage(w, r, http.StatusForbidden, "Le formulaire a expiré : saisissez de nouveau votre jeton.")
		return
	}
	p, ok := s.cfg.Tokens.Lookup(strings.TrimSpace(r.PostFormValue("jeton")))
	if !ok {
		s.log.Info("web sign-in refused")
		s.signInPage(w, r, http.StatusUnauthorized, "Jeton inconnu : vérifiez-le auprès de l'administrateur du service.")
		return
	}
	id, _ := s.sessions.create(p)
	http.SetCookie(w, &http.Cookie{Name: preCSRFCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL.Seconds())})
	s.log.Info("web sign-in", "who", p.Name)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// csrfOK checks a signed-in form's CSRF token.
func csrfOK(ss *session, v string) bool { return sameToken(ss.csrf, v) }

func (s *Service) webSignOut(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.signedIn(r)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if ok && csrfOK(ss, r.PostFormValue("csrf")) {
		c, _ := r.Cookie(sessionCookie)
		s.sessions.remove(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// webSession is the session of a page that needs one; without, the
// sign-in page is answered.
func (s *Service) webSession(w http.ResponseWriter, r *http.Request) (*session, bool) {
	ss, ok := s.signedIn(r)
	if !ok {
		s.signInPage(w, r, http.StatusUnauthorized, "Connectez-vous pour continuer.")
		return nil, false
	}
	if ok, _ := s.limiter.allow(ss.p.Name); !ok {
		w.Header().Set("Retry-After", "5")
		s.homePageLite(w, ss, http.StatusTooManyRequests, "Trop de requêtes : patientez quelques secondes.")
		return nil, false
	}
	return ss, true
}

func (s *Service) homePageLite(w http.ResponseWriter, ss *session, status int, msg string) {
	p := basePage("Audits", ss)
	p.Error = msg
	s.render(w, status, "home", p)
}

func (s *Service) webUpload(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	if r.ContentLength > s.cfg.MaxUpload {
		s.homePage(w, r, ss, http.StatusRequestEntityTooLarge, "Archive trop volumineuse.")
		return
	}
	if err := s.reserve(); err != nil {
		w.Header().Set("Retry-After", "30")
		s.homePage(w, r, ss, http.StatusTooManyRequests, "Trop d'audits sont en cours : déposez le dossier de nouveau dans une minute.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		s.release()
		s.homePage(w, r, ss, http.StatusBadRequest, "Formulaire illisible : choisissez l'archive du dossier.")
		return
	}
	// the CSRF field comes first in the form: checked before the archive
	// is read
	csrfSeen := false
	for {
		part, err := mr.NextPart()
		if err != nil {
			s.release()
			msg := "Choisissez l'archive du dossier (.zip ou .tar.gz)."
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				msg = "Archive trop volumineuse."
			}
			s.homePage(w, r, ss, http.StatusBadRequest, msg)
			return
		}
		switch part.FormName() {
		case "csrf":
			v, _ := io.ReadAll(io.LimitReader(part, 256))
			if !csrfOK(ss, string(v)) {
				s.release()
				s.homePage(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page et déposez de nouveau le dossier.")
				return
			}
			csrfSeen = true
		case "dossier":
			if !csrfSeen {
				s.release()
				s.homePage(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page et déposez de nouveau le dossier.")
				return
			}
			a, err := s.submit(r.Context(), ss.p, part)
			if err != nil {
				s.release()
				msg := "Dépôt impossible : réessayez."
				var mbe *http.MaxBytesError
				switch {
				case errors.Is(err, errNotArchive):
					msg = "Ce fichier n'est ni une archive .zip ni une archive .tar.gz."
				case errors.As(err, &mbe):
					msg = "Archive trop volumineuse."
				default:
					s.log.Error("web submit", "err", err.Error())
				}
				s.homePage(w, r, ss, http.StatusBadRequest, msg)
				return
			}
			http.Redirect(w, r, "/audits/"+a.ID, http.StatusSeeOther)
			return
		}
	}
}

// webSpotCheck queues the spot check of the home page's second form.
func (s *Service) webSpotCheck(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSpotCheck)
	if err := r.ParseForm(); err != nil {
		s.homePage(w, r, ss, http.StatusBadRequest, "Formulaire illisible : rechargez la page.")
		return
	}
	if !csrfOK(ss, r.PostForm.Get("csrf")) {
		s.homePage(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page et lancez de nouveau le contrôle.")
		return
	}
	c := LiveCheck{
		ENT: r.PostForm.Get("ent"), Collectivite: r.PostForm.Get("collectivite"), Degree: r.PostForm.Get("degree"),
		HomePage: r.PostForm.Get("home_page"), LoginPage: r.PostForm.Get("login_page"), Notice: r.PostForm.Get("notice"),
		NoticeReference: r.PostForm.Get("notice_reference"), SAMLMetadata: r.PostForm.Get("saml_metadata"),
	}
	if err := c.check(); err != nil {
		s.homePage(w, r, ss, http.StatusBadRequest, "Contrôle impossible : "+fieldLabels[err.field]+" : "+err.msg+".")
		return
	}
	if err := s.reserve(); err != nil {
		w.Header().Set("Retry-After", "30")
		s.homePage(w, r, ss, http.StatusTooManyRequests, "Trop d'audits sont en cours : lancez de nouveau le contrôle dans une minute.")
		return
	}
	a, err := s.submitLive(r.Context(), ss.p, c)
	if err != nil {
		s.release()
		s.log.Error("web spot check", "err", err.Error())
		s.homePage(w, r, ss, http.StatusInternalServerError, "Contrôle impossible : réessayez.")
		return
	}
	http.Redirect(w, r, "/audits/"+a.ID, http.StatusSeeOther)
}

// fieldLabels name a spot check's fields as the form does.
var fieldLabels = map[string]string{
	"ent": "nom de l'ENT", "collectivite": "collectivité", "degree": "degré",
	"home_page": "page d'accueil", "login_page": "page de connexion", "notice": "mentions d'information",
	"notice_reference": "mentions validées", "saml_metadata": "métadonnées SAML",
}

// webVisible finds an audit the session may see (404 page otherwise).
func (s *Service) webVisible(w http.ResponseWriter, r *http.Request, ss *session, id string) (Audit, bool) {
	a, err := s.visible(r.Context(), ss.p, id)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			s.webError(w, err)
			return Audit{}, false
		}
		s.homePage(w, r, ss, http.StatusNotFound, "Audit introuvable.")
		return Audit{}, false
	}
	return a, true
}

func (s *Service) webAudit(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	a, ok := s.webVisible(w, r, ss, r.PathValue("id"))
	if !ok {
		return
	}
	p := basePage("Audit", ss)
	p.Audit = viewOf(a)
	p.CanDelete = ss.p.CanDelete(a)
	switch a.Status {
	case StatusQueued, StatusRunning:
		p.Pending, p.Refresh = true, 2
	case StatusFailed:
		p.Failed = true
	case StatusDone:
		var res result.Result
		if err := json.Unmarshal(a.Result, &res); err != nil {
			s.webError(w, err)
			return
		}
		p.Verdict = string(res.Verdict)
		p.VerdictLabel = report.VerdictLabel(res.Verdict, "fr")
		p.Summary = res.Summary
		p.Findings = findingViews(res.Results)
		p.Title = "Audit : " + p.VerdictLabel
	}
	s.render(w, http.StatusOK, "audit", p)
}

// statusFR names a finding's status in French.
func statusFR(f result.Finding) string {
	if l := report.StatusLabel(f, "fr"); l != "" {
		return l
	}
	if f.Status == result.NotEvaluated {
		return "NON ÉVALUÉ"
	}
	return string(f.Status)
}

// findingRank puts what needs action first: failures, errors, not
// evaluated, reviews and warnings, then passes and skips.
func findingRank(f result.Finding) int {
	switch {
	case f.Waived():
		return 5
	case f.Status == result.Fail:
		return 0
	case f.Status == result.Error:
		return 1
	case f.Status == result.NotEvaluated:
		return 2
	case f.Status == result.Warn:
		return 3
	case f.Status == result.Pass:
		return 6
	}
	return 7
}

func findingViews(fs []result.Finding) []findingView {
	fs = append([]result.Finding(nil), fs...)
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if findingRank(a) != findingRank(b) {
			return findingRank(a) < findingRank(b)
		}
		return a.Severity.Rank() > b.Severity.Rank()
	})
	out := make([]findingView, 0, len(fs))
	for _, f := range fs {
		v := findingView{Rule: f.Rule, Title: report.Title(f, "fr"), Status: statusFR(f), Severity: string(f.Severity), Message: report.Message(f, "fr")}
		if len(f.Evidence) > 0 {
			v.Source = f.Evidence[0].Source
		}
		out = append(out, v)
	}
	return out
}

func (s *Service) webReport(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	format, ok := strings.CutPrefix(r.PathValue("file"), "rapport.")
	if _, known := reportTypes[format]; !ok || !known {
		s.homePage(w, r, ss, http.StatusNotFound, "Rapport inconnu.")
		return
	}
	a, ok := s.webVisible(w, r, ss, r.PathValue("id"))
	if !ok {
		return
	}
	s.sendReport(w, r, a, format, func(status int, title, detail string) {
		s.homePage(w, r, ss, status, detail)
	})
}

func (s *Service) webDelete(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !csrfOK(ss, r.PostFormValue("csrf")) {
		s.homePage(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page.")
		return
	}
	a, ok := s.webVisible(w, r, ss, r.PathValue("id"))
	if !ok {
		return
	}
	if !ss.p.CanDelete(a) {
		s.homePage(w, r, ss, http.StatusForbidden, "Seule la collectivité qui a déposé le dossier peut supprimer cet audit.")
		return
	}
	if err := s.remove(r.Context(), a.ID); err != nil && !errors.Is(err, ErrNotFound) {
		s.webError(w, err)
		return
	}
	s.log.Info("audit deleted", "audit", a.ID, "by", ss.p.Name)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Service) webDiff(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	var rs [2]result.Result
	var vs [2]auditView
	for i, key := range []string{"ancien", "nouveau"} {
		a, ok := s.webVisible(w, r, ss, r.URL.Query().Get(key))
		if !ok {
			return
		}
		if a.Status != StatusDone {
			s.homePage(w, r, ss, http.StatusConflict, "Seuls deux audits terminés se comparent.")
			return
		}
		if err := json.Unmarshal(a.Result, &rs[i]); err != nil {
			s.webError(w, err)
			return
		}
		vs[i] = viewOf(a)
	}
	d := report.Compare(&rs[0], &rs[1])
	p := basePage("Comparaison", ss)
	p.Old, p.New = vs[0], vs[1]
	for _, sec := range []struct {
		title string
		items []report.DiffItem
	}{
		{"Corrigé", d.Fixed}, {"Régressé", d.Regressed}, {"Nouveau", d.New}, {"Toujours en échec", d.StillFailing}, {"Plus examiné", d.NotExamined},
	} {
		if len(sec.items) == 0 && sec.title == "Plus examiné" {
			continue
		}
		ds := diffSection{Title: sec.title}
		for _, it := range sec.items {
			// The words of `sdetcheck diff`: « échec → conforme ».
			before := "—"
			if it.Old != "" || it.OldWaived {
				before = report.DiffState(it.Old, it.OldWaived, "fr")
			}
			after := report.DiffState(it.New, it.NewWaived, "fr")
			if sec.title == "Plus examiné" {
				after = report.DiffState("", false, "fr")
			}
			ds.Items = append(ds.Items, diffView{Rule: it.Rule, Old: before, New: after, Message: it.Message, Source: it.Source})
		}
		p.Sections = append(p.Sections, ds)
	}
	s.render(w, http.StatusOK, "diff", p)
}
