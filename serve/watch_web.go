package serve

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

//go:embed templates/watch.html
var watchFS embed.FS

// watchPages are the watch's pages, on the site's layout ("head", "foot").
var watchPages = template.Must(template.Must(pages.Clone()).ParseFS(watchFS, "templates/watch.html"))

// watchWebRoutes puts the watch's pages on mux, their forms behind the
// same cross-origin protection as the other pages'.
func (s *Service) watchWebRoutes(mux *http.ServeMux) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.webCrossOrigin))
	mux.HandleFunc("GET /veille", s.webWatchList)
	mux.Handle("POST /veille", cop.Handler(http.HandlerFunc(s.webWatchRegister)))
	mux.HandleFunc("GET /veille/etat", s.webWatchListStatus)
	mux.HandleFunc("GET /veille/{id}", s.webWatchENT)
	mux.HandleFunc("GET /veille/{id}/etat", s.webWatchStatus)
	mux.Handle("POST /veille/{id}/controler", cop.Handler(http.HandlerFunc(s.webWatchRun)))
	mux.Handle("POST /veille/{id}/supprimer", cop.Handler(http.HandlerFunc(s.webWatchDelete)))
}

// watchPage is what the watch's templates get.
type watchPage struct {
	page
	IsAdmin  bool
	Interval string
	Form     watchForm
	ENTs     []watchedRow

	ENT       watchedRow
	Runs      []runView // oldest first
	Selected  *runView
	Previous  *runView
	Changes   []diffSection
	Alerts    []alertView
	Expiries  []expiryView
	Addresses []addressView
}

// watchForm is the registration form's values (kept when refused).
type watchForm struct {
	ENT, Collectivite, Degree, Departement                     string
	HomePage, LoginPage, Notice, NoticeReference, SAMLMetadata string
	AccessibilityStatement, IntervalHours, Emails              string
}

type watchedRow struct {
	Watched
	Verdict      string // CSS class and value, "" before a first good run
	VerdictLabel string
	Checked      string
	LastOutcome  string
	LastDetail   string
	Next         string
	Every        string
	OpenAlerts   int
	Running      bool
}

type runView struct {
	ID, When, Day, Class, Label, Outcome, Detail string
	Regressed, Fixed, New                        int
	Selected                                     bool
}

type alertView struct {
	Kind, Summary, Opened, Resolved, Run, RunWhen string
	Open                                          bool
}

type expiryView struct {
	Subject, When string
	Days          int
	Soon, Past    bool
}

type addressView struct{ Label, URL string }

var alertKinds = map[string]string{AlertRegression: "Régression", AlertCertificate: "Certificat", AlertMetadata: "Métadonnées", AlertStatement: "Déclaration d'accessibilité"}

func frWhen(t time.Time) string { return t.In(paris).Format("02/01/2006 à 15:04") }

// every says an interval in words.
func every(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		if n := int(d / (24 * time.Hour)); n > 1 {
			return fmt.Sprintf("tous les %d jours", n)
		}
		return "chaque jour"
	}
	if h := int(d.Hours()); h > 1 {
		return fmt.Sprintf("toutes les %d heures", h)
	}
	return "toutes les heures"
}

func (s *Service) renderWatch(w http.ResponseWriter, status int, name string, p watchPage) {
	s.execute(w, status, watchPages, name, p, p.Script)
}

// webWatchSession is the session of a watch page: signed in, a DSDEN or
// an administrator.
func (s *Service) webWatchSession(w http.ResponseWriter, r *http.Request) (*session, bool) {
	ss, ok := s.webSession(w, r)
	if !ok {
		return nil, false
	}
	if s.watch == nil || !ss.p.canWatch() {
		p := watchPage{page: basePage("Veille des ENT", ss)}
		p.Error = "La veille des ENT est réservée aux agents des DSDEN et à l'administrateur du service."
		s.renderWatch(w, http.StatusForbidden, "veille-refus", p)
		return nil, false
	}
	return ss, true
}

func (s *Service) rowOf(e Watched, st watchState) watchedRow {
	v := s.watchedJSONOf(e, st)
	row := watchedRow{Watched: e, Verdict: v.Verdict, LastOutcome: v.LastOutcome, LastDetail: v.LastDetail,
		Next: frWhen(e.NextRun), Every: every(s.watch.interval(e)), OpenAlerts: st.open, Running: e.RunID != ""}
	if v.Verdict != "" {
		row.VerdictLabel = report.VerdictLabel(result.Verdict(v.Verdict), "fr")
		row.Checked = frWhen(st.lastOK.Created)
	}
	return row
}

// webWatchList is the list of the ENTs the session sees, and the
// registration form.
func (s *Service) webWatchList(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webWatchSession(w, r)
	if !ok {
		return
	}
	s.watchList(w, r, ss, http.StatusOK, "", watchForm{Degree: "2D"})
}

func (s *Service) watchList(w http.ResponseWriter, r *http.Request, ss *session, status int, msg string, form watchForm) {
	es, err := s.watch.st.ListWatched(r.Context(), ss.p.watchScope())
	if err != nil {
		s.webError(w, err)
		return
	}
	p := watchPage{page: basePage("Veille des ENT", ss), IsAdmin: ss.p.Role == RoleAdmin, Form: form, Interval: every(s.watch.cfg.Interval)}
	p.Error = msg
	for _, e := range es {
		st, err := s.watchStateOf(r.Context(), e, 1)
		if err != nil {
			s.webError(w, err)
			return
		}
		row := s.rowOf(e, st)
		p.ENTs = append(p.ENTs, row)
		if row.Running {
			p.Pending, p.Refresh, p.Script = true, pendingRefresh, true
		}
	}
	s.renderWatch(w, status, "veille", p)
}

// webWatchRegister registers the ENT of the form.
func (s *Service) webWatchRegister(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webWatchSession(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSpotCheck)
	if err := r.ParseForm(); err != nil {
		s.watchList(w, r, ss, http.StatusBadRequest, "Formulaire illisible : rechargez la page.", watchForm{Degree: "2D"})
		return
	}
	f := r.PostForm
	form := watchForm{ENT: f.Get("ent"), Collectivite: f.Get("collectivite"), Degree: f.Get("degree"), Departement: f.Get("departement"),
		HomePage: f.Get("home_page"), LoginPage: f.Get("login_page"), Notice: f.Get("notice"), NoticeReference: f.Get("notice_reference"),
		SAMLMetadata: f.Get("saml_metadata"), AccessibilityStatement: f.Get("accessibility_statement"),
		IntervalHours: strings.TrimSpace(f.Get("interval_hours")), Emails: f.Get("emails")}
	if !csrfOK(ss, f.Get("csrf")) {
		s.watchList(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page et enregistrez de nouveau l'ENT.", form)
		return
	}
	if s.draining.Load() {
		w.Header().Set("Retry-After", "60")
		s.watchList(w, r, ss, http.StatusServiceUnavailable, "Le service s'arrête : enregistrez l'ENT de nouveau dans un instant.", form)
		return
	}
	in := watchedInput{
		LiveCheck: LiveCheck{ENT: form.ENT, Collectivite: form.Collectivite, Degree: form.Degree, HomePage: form.HomePage, LoginPage: form.LoginPage,
			Notice: form.Notice, NoticeReference: form.NoticeReference, SAMLMetadata: form.SAMLMetadata},
		Departement: form.Departement, AccessibilityStatement: form.AccessibilityStatement,
		Emails: strings.FieldsFunc(form.Emails, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' }),
	}
	if form.IntervalHours != "" {
		n, err := strconv.Atoi(form.IntervalHours)
		if err != nil || n < 1 {
			s.watchList(w, r, ss, http.StatusBadRequest, "Enregistrement impossible : intervalle : un nombre d'heures entre 1 et 744 est attendu.", form)
			return
		}
		in.IntervalHours = n
	}
	e, ferr := in.watched(ss.p, s.cfg.Now().UTC())
	if ferr != nil {
		s.watchList(w, r, ss, http.StatusBadRequest, "Enregistrement impossible : "+watchFieldLabels[ferr.field]+" : "+ferr.msg+".", form)
		return
	}
	if err := s.register(r.Context(), e); err != nil {
		s.webError(w, err)
		return
	}
	http.Redirect(w, r, "/veille/"+e.ID, http.StatusSeeOther)
}

// watchFieldLabels name the registration's fields as the form does.
var watchFieldLabels = func() map[string]string {
	m := map[string]string{"departement": "département",
		"interval_hours": "intervalle", "emails": "adresses des alertes"}
	for k, v := range fieldLabels {
		m[k] = v
	}
	return m
}()

// webWatchENT is an ENT's page: its current verdict, its history as a
// timeline, what changed at a run (the latest by default), its alerts and
// expiries.
func (s *Service) webWatchENT(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.webWatchSession(w, r)
	if !ok {
		return
	}
	e, ok := s.webWatched(w, r, ss)
	if !ok {
		return
	}
	st, err := s.watchStateOf(r.Context(), e, historyLength)
	if err != nil {
		s.webError(w, err)
		return
	}
	alerts, err := s.watch.st.Alerts(r.Context(), e.ID, false, 20)
	if err != nil {
		s.webError(w, err)
		return
	}
	p := watchPage{page: basePage(e.Name+" — veille", ss), ENT: s.rowOf(e, st)}
	if p.ENT.Running || !e.NextRun.After(s.cfg.Now()) {
		// under way, or due (about to be claimed): the page follows it
		p.ENT.Running, p.Pending, p.Refresh, p.Script = true, true, pendingRefresh, true
	}
	// the run shown: asked for, else the latest good one
	want := r.URL.Query().Get("controle")
	var sel *WatchRun
	byID := map[string]*runView{}
	for i := len(st.runs) - 1; i >= 0; i-- {
		run := st.runs[i]
		v := runViewOf(run)
		p.Runs = append(p.Runs, v)
		if (want != "" && run.AuditID == want) || (want == "" && st.lastOK != nil && run.AuditID == st.lastOK.AuditID) {
			sel = &st.runs[i]
		}
	}
	for i := range p.Runs {
		byID[p.Runs[i].ID] = &p.Runs[i]
	}
	if sel != nil {
		v := byID[sel.AuditID]
		v.Selected = true
		p.Selected = v
		p.Previous = byID[sel.Previous]
		if d, ok := sel.diff(); ok {
			p.Changes = diffSections(d)
		}
		now := s.cfg.Now()
		for _, x := range expiriesOf(*sel) {
			left := x.NotAfter.Sub(now)
			p.Expiries = append(p.Expiries, expiryView{Subject: x.Subject, When: x.NotAfter.In(paris).Format("02/01/2006"),
				Days: int(left.Hours() / 24), Soon: left <= s.watch.cfg.Notice, Past: left <= 0})
		}
	}
	for _, a := range alerts {
		v := alertView{Kind: alertKinds[a.Kind], Summary: a.Summary, Opened: frWhen(a.Opened), Run: a.RunID, Open: a.Resolved.IsZero()}
		if !a.Resolved.IsZero() {
			v.Resolved = frWhen(a.Resolved)
		}
		p.Alerts = append(p.Alerts, v)
	}
	lc := e.liveCheck()
	for _, u := range lc.urls() {
		if *u.val != "" {
			p.Addresses = append(p.Addresses, addressView{fieldLabels[u.name], *u.val})
		}
	}
	if e.AccessibilityStatement != "" {
		p.Addresses = append(p.Addresses, addressView{"déclaration d'accessibilité", e.AccessibilityStatement})
	}
	s.renderWatch(w, http.StatusOK, "veille-ent", p)
}

var outcomeLabels = map[string]string{OutcomeNetwork: "ENT injoignable", OutcomeError: "contrôle échoué", "": "en cours"}

func runViewOf(r WatchRun) runView {
	v := runView{ID: r.AuditID, When: frWhen(r.Created), Day: r.Created.In(paris).Format("02/01"), Outcome: r.Outcome, Detail: r.Detail}
	switch r.Outcome {
	case OutcomeOK:
		v.Class, v.Label = "v-"+r.Verdict, report.VerdictLabel(result.Verdict(r.Verdict), "fr")
	case "":
		v.Class, v.Label = "pending", outcomeLabels[""]
	default:
		v.Class, v.Label = "unjudged", outcomeLabels[r.Outcome]
	}
	if d, ok := r.diff(); ok {
		v.Regressed, v.Fixed, v.New = len(d.Regressed), len(d.Fixed), len(d.New)
	}
	return v
}

// diffSections are a comparison's sections in the words of `sdetcheck
// diff` (« échec → conforme »), as the comparison page says them.
func diffSections(d report.Diff) []diffSection {
	var out []diffSection
	for _, sec := range []struct {
		title string
		items []report.DiffItem
	}{{"Régressé", d.Regressed}, {"Nouveau", d.New}, {"Corrigé", d.Fixed}, {"Toujours en échec", d.StillFailing}} {
		ds := diffSection{Title: sec.title}
		for _, it := range sec.items {
			before := "—"
			if it.Old != "" || it.OldWaived {
				before = report.DiffState(it.Old, it.OldWaived, "fr")
			}
			ds.Items = append(ds.Items, diffView{Rule: it.Rule, Old: before, New: report.DiffState(it.New, it.NewWaived, "fr"), Message: it.Message, Source: it.Source})
		}
		out = append(out, ds)
	}
	return out
}

// webWatched finds the page's ENT if the session sees it.
func (s *Service) webWatched(w http.ResponseWriter, r *http.Request, ss *session) (Watched, bool) {
	e, err := s.watchedVisible(r.Context(), ss.p, r.PathValue("id"))
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			s.webError(w, err)
			return Watched{}, false
		}
		s.watchList(w, r, ss, http.StatusNotFound, "ENT suivi introuvable.", watchForm{Degree: "2D"})
		return Watched{}, false
	}
	return e, true
}

// webWatchPost is the session and the ENT of a form posted on an ENT's
// page (its CSRF token checked); ok is false once answered.
func (s *Service) webWatchPost(w http.ResponseWriter, r *http.Request) (*session, Watched, bool) {
	ss, ok := s.webWatchSession(w, r)
	if !ok {
		return nil, Watched{}, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if !csrfOK(ss, r.PostFormValue("csrf")) {
		s.watchList(w, r, ss, http.StatusForbidden, "Le formulaire a expiré : rechargez la page.", watchForm{Degree: "2D"})
		return nil, Watched{}, false
	}
	e, ok := s.webWatched(w, r, ss)
	return ss, e, ok
}

func (s *Service) webWatchRun(w http.ResponseWriter, r *http.Request) {
	ss, e, ok := s.webWatchPost(w, r)
	if !ok {
		return
	}
	switch _, err := s.runNow(r.Context(), e); {
	case err == nil, errors.Is(err, errRunPending):
		// pending: the page shows the run under way
	case errors.Is(err, errDraining):
		w.Header().Set("Retry-After", "60")
		s.watchList(w, r, ss, http.StatusServiceUnavailable, "Le service s'arrête : lancez le contrôle de nouveau dans un instant.", watchForm{Degree: "2D"})
		return
	default:
		s.webError(w, err)
		return
	}
	http.Redirect(w, r, "/veille/"+e.ID, http.StatusSeeOther)
}

func (s *Service) webWatchDelete(w http.ResponseWriter, r *http.Request) {
	ss, e, ok := s.webWatchPost(w, r)
	if !ok {
		return
	}
	if err := s.unregister(r.Context(), e); err != nil && !errors.Is(err, ErrNotFound) {
		s.webError(w, err)
		return
	}
	s.log.Info("ENT watch deleted", "watched", e.ID, "by", ss.p.Name)
	http.Redirect(w, r, "/veille", http.StatusSeeOther)
}

// watchPending is whether e has a run under way, or is due (about to be
// claimed).
func (s *Service) watchPending(e Watched) bool {
	return e.RunID != "" || !e.NextRun.After(s.cfg.Now())
}

// webWatchStatus is a watched ENT's status for the page's script, as
// webStatus is an audit's: "running" while a run is under way or due,
// then "done" (the script then reloads the page).
func (s *Service) webWatchStatus(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.watchStatusSession(w, r)
	if !ok {
		return
	}
	e, err := s.watchedVisible(r.Context(), ss.p, r.PathValue("id"))
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			s.log.Error("web watch status", "err", err.Error())
			writeJSON(w, http.StatusInternalServerError, map[string]string{"status": "", "message": ""})
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "", "message": "ENT suivi introuvable."})
		return
	}
	writeJSON(w, http.StatusOK, watchStatusOf(s.watchPending(e)))
}

// webWatchListStatus is "running" while one of the ENTs the session sees
// has a run under way or due, then "done".
func (s *Service) webWatchListStatus(w http.ResponseWriter, r *http.Request) {
	ss, ok := s.watchStatusSession(w, r)
	if !ok {
		return
	}
	es, err := s.watch.st.ListWatched(r.Context(), ss.p.watchScope())
	if err != nil {
		s.log.Error("web watch status", "err", err.Error())
		writeJSON(w, http.StatusInternalServerError, map[string]string{"status": "", "message": ""})
		return
	}
	pending := false
	for _, e := range es {
		pending = pending || s.watchPending(e)
	}
	writeJSON(w, http.StatusOK, watchStatusOf(pending))
}

func watchStatusOf(pending bool) map[string]string {
	if pending {
		return map[string]string{"status": "running", "message": "Contrôle en cours."}
	}
	return map[string]string{"status": "done", "message": "Contrôle terminé : la page se met à jour."}
}

// watchStatusSession is the session of a status request of the watch's
// pages (JSON answers: the script reloads the page on 401 and 404).
func (s *Service) watchStatusSession(w http.ResponseWriter, r *http.Request) (*session, bool) {
	ss, ok := s.signedIn(r)
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"status": "", "message": "Session expirée : rechargez la page."})
		return nil, false
	}
	if s.watch == nil || !ss.p.canWatch() {
		writeJSON(w, http.StatusNotFound, map[string]string{"status": "", "message": ""})
		return nil, false
	}
	if ok, _ := s.limiter.allow(ss.p.Name); !ok {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"status": "", "message": ""})
		return nil, false
	}
	return ss, true
}
