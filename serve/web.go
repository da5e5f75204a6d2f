package serve

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

// Cookie names: the session, and the sign-in form's CSRF token (before a
// session exists, double submit).
const (
	sessionCookie = "sdetcheck_session"
	preCSRFCookie = "sdetcheck_csrf"
)

// webRoutes puts the web page's routes on mux. Its forms' POSTs pass the
// standard library's cross-origin protection (Sec-Fetch-Site, Origin)
// before their own CSRF token is checked: a request another site's page
// makes the browser send is refused with 403 either way.
func (s *Service) webRoutes(mux *http.ServeMux) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.webCrossOrigin))
	post := func(pattern string, h http.HandlerFunc) { mux.Handle("POST "+pattern, cop.Handler(h)) }
	mux.HandleFunc("GET /{$}", s.webHome)
	post("/connexion", s.webSignIn)
	post("/deconnexion", s.webSignOut)
	post("/audits", s.webUpload)
	post("/controles", s.webSpotCheck)
	mux.HandleFunc("GET /audits/{id}", s.webAudit)
	mux.HandleFunc("GET /audits/{id}/{file}", s.webReport)
	mux.HandleFunc("GET /audits/{id}/etat", s.webStatus)
	mux.HandleFunc("GET /audits/{id}/supprimer", s.webDelete)
	post("/audits/{id}/supprimer", s.webDelete)
	mux.HandleFunc("GET /comparer", s.webDiff)
	mux.HandleFunc("GET /sdetcheck.js", s.webScript)
}

// webScript is the page's script.
func (s *Service) webScript(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Write(pageScript)
}

// webCrossOrigin answers a form posted from another site, or from this
// service's page over plain http on a host name: the browser then sends
// neither Sec-Fetch-Site nor its Origin (null, the page having no
// referrer), and HTTPS is what is needed.
func (s *Service) webCrossOrigin(w http.ResponseWriter, r *http.Request) {
	if host, insecure := s.plainHTTP(r); insecure {
		s.log.Info("web form over plain http refused", "host", host)
		s.signInPage(w, r, http.StatusForbidden, httpsNeeded(host))
		return
	}
	s.log.Info("web cross-origin request refused")
	if ss, ok := s.signedIn(r); ok {
		s.homePageLite(w, ss, http.StatusForbidden, "Requête refusée : elle vient d'un autre site.")
		return
	}
	s.signInPage(w, r, http.StatusForbidden, "Requête refusée : elle vient d'un autre site.")
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
	p := page{Title: "Connexion", CSRF: tok, Error: msg}
	if host, insecure := s.plainHTTP(r); insecure {
		p.HTTPS = httpsNeeded(host)
		if p.Error == p.HTTPS {
			p.Error = ""
		}
	}
	s.render(w, status, "signin", p)
}

// plainHTTP says whether the browser reads the page over plain http on
// a host name that is not this machine (host): it then keeps none of the
// page's cookies, all Secure, and signing in cannot work. The browser's
// Origin (sent with a form) says how it reached the page; without it, a
// request that came in the clear says so, unless a proxy of this machine
// (--trust-proxy) may have received it over TLS and says nothing
// (X-Forwarded-Proto).
func (s *Service) plainHTTP(r *http.Request) (host string, insecure bool) {
	scheme, host := "", r.Host
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		if u, err := url.Parse(o); err == nil && u.Host != "" {
			scheme, host = u.Scheme, u.Host
		}
	}
	if scheme == "" {
		switch {
		case r.TLS != nil:
			scheme = "https"
		case s.cfg.TrustProxy:
			scheme = strings.ToLower(r.Header.Get("X-Forwarded-Proto"))
		default:
			scheme = "http"
		}
	}
	return host, scheme == "http" && !loopbackHost(host)
}

// loopbackHost says whether a Host (name or address, with or without its
// port) is this machine's: browsers keep Secure cookies over plain http
// there (localhost, *.localhost, 127.0.0.0/8, ::1).
func loopbackHost(hostport string) bool {
	h := hostport
	if hh, _, err := net.SplitHostPort(hostport); err == nil {
		h = hh
	}
	h = strings.ToLower(strings.TrimSuffix(strings.Trim(h, "[]"), "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// httpsNeeded says, on the sign-in page, why signing in over plain http
// on host cannot work and what to do.
func httpsNeeded(host string) string {
	local := "localhost"
	if _, port, err := net.SplitHostPort(host); err == nil {
		local += ":" + port
	}
	return "Connexion impossible en http:// sur « " + host + " » : le navigateur ne garde la session que sur une connexion chiffrée (HTTPS). " +
		"Ouvrez le service en https:// : l'administrateur le place derrière un mandataire TLS (nginx, Apache, Caddy) et le lance avec --trust-proxy. " +
		"Pour un essai sur la machine du service, ouvrez http://" + local + "/."
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
		if host, insecure := s.plainHTTP(r); insecure && err != nil {
			// the browser dropped the form's Secure cookie: it would
			// expire again and again
			s.log.Info("web sign-in over plain http refused", "host", host)
			s.signInPage(w, r, http.StatusForbidden, httpsNeeded(host))
			return
		}
		s.signInPage(w, r, http.StatusForbidden, "Le formulaire a expiré : saisissez de nouveau votre jeton.")
		return
	}
	if throttled, wait := s.authThrottled(r); throttled {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
		s.signInPage(w, r, http.StatusTooManyRequests, fmt.Sprintf("Trop de tentatives de connexion depuis cette adresse : réessayez dans %d secondes.", int(wait.Seconds()+0.999)))
		return
	}
	p, res := s.authenticate(strings.TrimSpace(r.PostFormValue("jeton")))
	switch res {
	case authNone, authUnknown:
		if res == authUnknown {
			s.authFailed(r)
		}
		s.log.Info("web sign-in refused")
		s.signInPage(w, r, http.StatusUnauthorized, "Jeton inconnu : vérifiez-le auprès de l'administrateur du service.")
		return
	case authShort:
		s.authFailed(r)
		s.signInPage(w, r, http.StatusUnauthorized, fmt.Sprintf("Jeton trop court (moins de %d caractères) : trop facile à deviner, le service le refuse. Demandez-en un nouveau à l'administrateur du service.", MinTokenLength))
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
	t, err := s.admitUpload(ss.p.Name)
	if err != nil {
		s.webRefuse(w, r, ss, err, "déposez le dossier de nouveau")
		return
	}
	defer t.cancel()
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		s.homePage(w, r, ss, http.StatusBadRequest, "Formulaire illisible : choisissez l'archive du dossier.")
		return
	}
	expired := func() {
		s.homePage(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page et déposez de nouveau le dossier.")
	}
	// the CSRF field comes first in the form: checked before the archive
	// is read
	csrfSeen := false
	for {
		part, err := mr.NextPart()
		if err != nil {
			s.webBodyError(w, r, ss, err, "Choisissez l'archive du dossier (.zip ou .tar.gz).")
			return
		}
		switch part.FormName() {
		case "csrf":
			v, _ := io.ReadAll(io.LimitReader(part, 256))
			if !csrfOK(ss, string(v)) {
				expired()
				return
			}
			csrfSeen = true
		case "dossier":
			if !csrfSeen {
				expired()
				return
			}
			up, err := s.receive(part)
			if err != nil {
				s.webBodyError(w, r, ss, err, "Dépôt impossible : réessayez.")
				return
			}
			if !up.isArchive() {
				up.remove()
				s.homePage(w, r, ss, http.StatusBadRequest, "Ce fichier n'est ni une archive .zip ni une archive .tar.gz.")
				return
			}
			if err := t.take(); err != nil {
				up.remove()
				s.webRefuse(w, r, ss, err, "déposez le dossier de nouveau")
				return
			}
			a, err := s.submit(r.Context(), ss.p, up)
			if err != nil {
				s.log.Error("web submit", "err", err.Error())
				s.homePage(w, r, ss, http.StatusInternalServerError, "Dépôt impossible : réessayez.")
				return
			}
			http.Redirect(w, r, "/audits/"+a.ID, http.StatusSeeOther)
			return
		}
	}
}

// webBodyError answers an upload whose body could not be read: too
// large, too slow, or msg.
func (s *Service) webBodyError(w http.ResponseWriter, r *http.Request, ss *session, err error, msg string) {
	var mbe *http.MaxBytesError
	var se *storageError
	switch {
	case errors.As(err, &se):
		s.log.Error("upload not kept", "err", err.Error())
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
			w.Header().Set("Retry-After", "300")
			s.homePage(w, r, ss, http.StatusServiceUnavailable, "Le service n'a plus de place pour recevoir ce dossier : déposez-le de nouveau plus tard. L'administrateur du service en est averti.")
			return
		}
		s.homePage(w, r, ss, http.StatusInternalServerError, "Le service n'a pas pu enregistrer ce dossier (erreur du service, pas du dossier). L'administrateur du service en est averti.")
	case errors.As(err, &mbe):
		s.homePage(w, r, ss, http.StatusBadRequest, "Archive trop volumineuse.")
	case errors.Is(err, errTooSlow):
		w.Header().Set("Connection", "close")
		s.homePage(w, r, ss, http.StatusRequestTimeout, s.tooSlowDetail())
	default:
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.log.Info("web upload", "err", err.Error())
		}
		s.homePage(w, r, ss, http.StatusBadRequest, msg)
	}
}

// webRefuse answers an audit the queue refuses (again is what to do).
func (s *Service) webRefuse(w http.ResponseWriter, r *http.Request, ss *session, err error, again string) {
	switch {
	case errors.Is(err, errDraining):
		w.Header().Set("Retry-After", "60")
		s.homePage(w, r, ss, http.StatusServiceUnavailable, "Le service s'arrête : "+again+" dans un instant.")
	case errors.Is(err, errTokenShare):
		w.Header().Set("Retry-After", "30")
		s.homePage(w, r, ss, http.StatusTooManyRequests, fmt.Sprintf("Vous avez déjà %d audits en cours ou en attente : %s quand l'un d'eux est terminé.", s.cfg.PerToken, again))
	default:
		w.Header().Set("Retry-After", "30")
		s.homePage(w, r, ss, http.StatusTooManyRequests, "Trop d'audits sont en cours : "+again+" dans une minute.")
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
		AccessibilityStatement: r.PostForm.Get("accessibility_statement"),
	}
	if err := c.check(); err != nil {
		s.homePage(w, r, ss, http.StatusBadRequest, "Contrôle impossible : "+fieldLabels[err.field]+" : "+err.msg+".")
		return
	}
	if err := s.takeSlot(ss.p.Name, true); err != nil {
		s.webRefuse(w, r, ss, err, "lancez de nouveau le contrôle")
		return
	}
	a, err := s.submitLive(r.Context(), ss.p, c)
	if err != nil {
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
	"accessibility_statement": "déclaration d'accessibilité",
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
	p.Script = p.CanDelete
	switch a.Status {
	case StatusQueued, StatusRunning:
		// The script follows the status and says each change in a polite
		// live region; without script, the page reloads itself.
		p.Pending, p.Refresh, p.Script = true, pendingRefresh, true
	case StatusFailed:
		p.Failed = true
	case StatusDone:
		var res result.Result
		if err := json.Unmarshal(a.Result, &res); err != nil {
			s.webError(w, err)
			return
		}
		// page 1 of the PDF, by the same code and with the same options
		syn := report.Summarize(&res, reportOptions(a.Created))
		p.Synthesis = &syn
		p.Findings = findingViews(res.Results)
		p.Title = "Audit : " + syn.Verdict
	}
	s.render(w, http.StatusOK, "audit", p)
}

// pendingRefresh is how often, in seconds, the page of a running audit
// reloads itself when the browser runs no script.
const pendingRefresh = 5

// webStatus is a running audit's status for the page's script:
// {"status", "message"}; the message is said on the page when the status
// changes.
func (s *Service) webStatus(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.signedIn(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"status": "", "message": "Session expirée : rechargez la page."})
		return
	}
	if ok, _ := s.limiter.allow(ss.p.Name); !ok {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"status": "", "message": ""})
		return
	}
	a, err := s.visible(r.Context(), ss.p, r.PathValue("id"))
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			s.log.Error("web status", "err", err.Error())
			writeJSON(w, http.StatusInternalServerError, map[string]string{"status": "", "message": ""})
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "", "message": "Audit introuvable."})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": a.Status, "message": progressText(a)})
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

// webDelete deletes an audit once confirmed: a form without
// confirme=oui (the audit page's, when no script asked), or a GET, answers
// the confirmation page, whose form confirms.
func (s *Service) webDelete(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return
	}
	post := r.Method == http.MethodPost
	if post {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if !csrfOK(ss, r.PostFormValue("csrf")) {
			s.homePage(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page.")
			return
		}
	}
	a, ok := s.webVisible(w, r, ss, r.PathValue("id"))
	if !ok {
		return
	}
	if !ss.p.CanDelete(a) {
		s.homePage(w, r, ss, http.StatusForbidden, "Seule la collectivité qui a déposé le dossier peut supprimer cet audit.")
		return
	}
	if !post || r.PostFormValue("confirme") != "oui" {
		p := basePage("Supprimer l'audit ?", ss)
		p.Audit, p.Confirm = viewOf(a), true
		s.render(w, http.StatusOK, "confirm", p)
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
