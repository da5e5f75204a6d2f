package serve

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/report"
)

// watchOperations are the handlers of the watch's operations.
func (s *Service) watchOperations() map[string]operation {
	h := func(f func(w http.ResponseWriter, r *http.Request, c *call)) operation {
		return operation{serve: func(w http.ResponseWriter, r *http.Request, c *call) {
			if !s.watchAllowed(w, c.p) {
				return
			}
			f(w, r, c)
		}}
	}
	create := h(s.createWatched)
	create.admit = func(w http.ResponseWriter, r *http.Request, _ *call) bool {
		r.Body = http.MaxBytesReader(w, r.Body, maxSpotCheck)
		return true
	}
	return map[string]operation{
		"listWatched":   h(s.listWatched),
		"createWatched": create,
		"getWatched":    h(s.getWatched),
		"deleteWatched": h(s.deleteWatched),
		"runWatched":    h(s.runWatched),
		"getWatchRun":   h(s.getWatchRun),
	}
}

// canWatch says whether p may use the watch: DSDEN and administrators.
func (p Principal) canWatch() bool { return p.Role == RoleDSDEN || p.Role == RoleAdmin }

// canSeeWatched says whether p sees e: its DSDEN, administrators.
func (p Principal) canSeeWatched(e Watched) bool {
	return p.Role == RoleAdmin || (p.Role == RoleDSDEN && e.Departement == p.Departement)
}

// watchScope is the département whose ENTs p lists ("" for all).
func (p Principal) watchScope() string {
	if p.Role == RoleAdmin {
		return ""
	}
	return p.Departement
}

func (s *Service) watchAllowed(w http.ResponseWriter, p Principal) bool {
	if s.watch == nil {
		writeProblem(w, http.StatusServiceUnavailable, "Veille indisponible", "Le stockage de ce service ne conserve pas la veille des ENT.", "")
		return false
	}
	if !p.canWatch() {
		writeProblem(w, http.StatusForbidden, "Veille réservée", "La veille des ENT est réservée aux jetons des DSDEN et de l'administrateur.", "")
		return false
	}
	return true
}

// watchedInput is a registration: the spot check of the ENT, and what
// the watch adds.
type watchedInput struct {
	LiveCheck
	Departement            string   `json:"departement,omitempty"`
	AccessibilityStatement string   `json:"accessibility_statement,omitempty"`
	IntervalHours          int      `json:"interval_hours,omitempty"`
	Emails                 []string `json:"emails,omitempty"`
}

// watched checks in (the API's contract checked its shape; the web form
// only here) and makes the ENT p registers, naming the field of a refusal.
func (in *watchedInput) watched(p Principal, now time.Time) (Watched, *fieldError) {
	if err := in.LiveCheck.check(); err != nil {
		return Watched{}, err
	}
	dep := strings.ToUpper(strings.TrimSpace(in.Departement))
	switch {
	case p.Role == RoleDSDEN && dep != "" && dep != p.Departement:
		return Watched{}, &fieldError{"departement", "une DSDEN suit les ENT de son département (" + p.Departement + ")"}
	case p.Role == RoleDSDEN:
		dep = p.Departement
	case !departement.MatchString(dep):
		return Watched{}, &fieldError{"departement", "le numéro du département de l'ENT est attendu (tel que « 86 » ou « 2A »)"}
	}
	as := strings.TrimSpace(in.AccessibilityStatement)
	if as != "" {
		u, err := url.Parse(as)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || len(as) > 2048 {
			return Watched{}, &fieldError{"accessibility_statement", "une adresse https:// complète est attendue"}
		}
	}
	if in.IntervalHours < 0 || in.IntervalHours > 744 {
		return Watched{}, &fieldError{"interval_hours", "un nombre d'heures entre 1 et 744 (31 jours) est attendu"}
	}
	var emails []string
	for _, e := range in.Emails {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		a, err := mail.ParseAddress(e)
		if err != nil || a.Address != e || strings.ContainsAny(e, ",") {
			return Watched{}, &fieldError{"emails", "adresse électronique invalide : " + e}
		}
		if !containsFold(emails, e) {
			emails = append(emails, e)
		}
	}
	if len(emails) > 10 {
		return Watched{}, &fieldError{"emails", "au plus 10 adresses"}
	}
	c := in.LiveCheck
	return Watched{
		ID: newID(), Departement: dep, Owner: p.Name, Name: c.ENT, Collectivite: c.Collectivite, Degree: c.Degree, SDET: c.SDET,
		HomePage: c.HomePage, LoginPage: c.LoginPage, Notice: c.Notice, NoticeReference: c.NoticeReference, SAMLMetadata: c.SAMLMetadata,
		AccessibilityStatement: as, Emails: emails, Interval: time.Duration(in.IntervalHours) * time.Hour,
		Created: now, Updated: now, NextRun: now,
	}, nil
}

// register stores e (its first run due now) and wakes the scheduler.
func (s *Service) register(ctx context.Context, e Watched) error {
	if err := s.watch.st.CreateWatched(ctx, e); err != nil {
		return err
	}
	s.log.Info("ENT registered for watch", "watched", e.ID, "by", e.Owner, "departement", e.Departement)
	wake(s.watch.kick)
	return nil
}

func (s *Service) createWatched(w http.ResponseWriter, r *http.Request, c *call) {
	var in watchedInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeProblem(w, http.StatusBadRequest, "Requête invalide", "corps JSON illisible", "body")
		return
	}
	if s.draining.Load() {
		w.Header().Set("Retry-After", "60")
		writeProblem(w, http.StatusServiceUnavailable, "Service en cours d'arrêt", "Le service s'arrête : enregistrez l'ENT de nouveau dans un instant.", "")
		return
	}
	e, ferr := in.watched(c.p, s.cfg.Now().UTC())
	if ferr != nil {
		writeProblem(w, http.StatusBadRequest, "Requête invalide", ferr.msg, ferr.field)
		return
	}
	if err := s.register(r.Context(), e); err != nil {
		s.notFoundOrError(w, err)
		return
	}
	v, err := s.watchedView(r.Context(), e)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	w.Header().Set("Location", "/api/v1/watched/"+e.ID)
	writeJSON(w, http.StatusCreated, v)
}

// watchedJSON is a watched ENT in the API.
type watchedJSON struct {
	ID                     string   `json:"id"`
	ENT                    string   `json:"ent"`
	Collectivite           string   `json:"collectivite"`
	Degree                 string   `json:"degree"`
	SDET                   string   `json:"sdet,omitempty"`
	Departement            string   `json:"departement"`
	Owner                  string   `json:"owner"`
	Created                string   `json:"created"`
	HomePage               string   `json:"home_page,omitempty"`
	LoginPage              string   `json:"login_page,omitempty"`
	Notice                 string   `json:"notice,omitempty"`
	NoticeReference        string   `json:"notice_reference,omitempty"`
	SAMLMetadata           string   `json:"saml_metadata,omitempty"`
	AccessibilityStatement string   `json:"accessibility_statement,omitempty"`
	Emails                 []string `json:"emails,omitempty"`
	IntervalHours          int      `json:"interval_hours"`
	NextRun                string   `json:"next_run"`
	Running                bool     `json:"running"`
	Verdict                string   `json:"verdict,omitempty"`
	Checked                string   `json:"checked,omitempty"`
	LastOutcome            string   `json:"last_outcome,omitempty"`
	LastDetail             string   `json:"last_detail,omitempty"`
	OpenAlerts             int      `json:"open_alerts"`
}

func rfc(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// watchState is what the history says of an ENT now: its latest run,
// its latest ok run (the current verdict) and its open alerts.
type watchState struct {
	runs   []WatchRun
	lastOK *WatchRun
	open   int
}

func (s *Service) watchStateOf(ctx context.Context, e Watched, runs int) (watchState, error) {
	var st watchState
	var err error
	if st.runs, err = s.watch.st.Runs(ctx, e.ID, runs); err != nil {
		return st, err
	}
	for i := range st.runs {
		if st.runs[i].Outcome == OutcomeOK {
			st.lastOK = &st.runs[i]
			break
		}
	}
	if st.lastOK == nil && runs < 1000 {
		if r, err := s.watch.st.LastOK(ctx, e.ID, ""); err == nil {
			st.lastOK = &r
		}
	}
	open, err := s.watch.st.Alerts(ctx, e.ID, true, 1000)
	st.open = len(open)
	return st, err
}

func (s *Service) watchedView(ctx context.Context, e Watched) (watchedJSON, error) {
	st, err := s.watchStateOf(ctx, e, 1)
	if err != nil {
		return watchedJSON{}, err
	}
	return s.watchedJSONOf(e, st), nil
}

func (s *Service) watchedJSONOf(e Watched, st watchState) watchedJSON {
	v := watchedJSON{
		ID: e.ID, ENT: e.Name, Collectivite: e.Collectivite, Degree: e.Degree, SDET: e.SDET, Departement: e.Departement, Owner: e.Owner,
		Created: rfc(e.Created), HomePage: e.HomePage, LoginPage: e.LoginPage, Notice: e.Notice, NoticeReference: e.NoticeReference,
		SAMLMetadata: e.SAMLMetadata, AccessibilityStatement: e.AccessibilityStatement, Emails: e.Emails,
		IntervalHours: max(1, int(s.watch.interval(e).Hours())), NextRun: rfc(e.NextRun), Running: e.RunID != "", OpenAlerts: st.open,
	}
	if st.lastOK != nil {
		v.Verdict, v.Checked = st.lastOK.Verdict, rfc(st.lastOK.Created)
	}
	if len(st.runs) > 0 {
		last := st.runs[0]
		if last.Outcome == "" && len(st.runs) > 1 {
			last = st.runs[1]
		}
		if last.Outcome != "" {
			v.LastOutcome = last.Outcome
			if last.Outcome != OutcomeOK {
				v.LastDetail = last.Detail
			}
		}
	}
	return v
}

func (s *Service) listWatched(w http.ResponseWriter, r *http.Request, c *call) {
	es, err := s.watch.st.ListWatched(r.Context(), c.p.watchScope())
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	out := struct {
		Watched []watchedJSON `json:"watched"`
	}{Watched: []watchedJSON{}}
	for _, e := range es {
		v, err := s.watchedView(r.Context(), e)
		if err != nil {
			s.notFoundOrError(w, err)
			return
		}
		out.Watched = append(out.Watched, v)
	}
	writeJSON(w, http.StatusOK, out)
}

// watchedVisible finds the ENT id if p sees it (ErrNotFound otherwise).
func (s *Service) watchedVisible(ctx context.Context, p Principal, id string) (Watched, error) {
	e, err := s.watch.st.GetWatched(ctx, id)
	if err != nil {
		return Watched{}, err
	}
	if !p.canSeeWatched(e) {
		return Watched{}, ErrNotFound
	}
	return e, nil
}

func (s *Service) watchedNotFound(w http.ResponseWriter, err error) {
	if errors.Is(err, ErrNotFound) {
		writeProblem(w, http.StatusNotFound, "ENT inconnu", "Aucun ENT suivi de ce numéro n'est visible avec ce jeton.", "id")
		return
	}
	s.notFoundOrError(w, err)
}

// runJSON is a run in the API.
type runJSON struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Created   string `json:"created"`
	Scheduled string `json:"scheduled,omitempty"`
	Outcome   string `json:"outcome"`
	Detail    string `json:"detail,omitempty"`
	Verdict   string `json:"verdict,omitempty"`
	Attempt   int    `json:"attempt"`
	Previous  string `json:"previous,omitempty"`
	Regressed int    `json:"regressed"`
	Fixed     int    `json:"fixed"`
	New       int    `json:"new"`
	Audit     string `json:"audit"`
}

func runJSONOf(r WatchRun) runJSON {
	v := runJSON{ID: r.AuditID, Status: r.Status, Created: rfc(r.Created), Scheduled: rfc(r.Scheduled), Outcome: r.Outcome,
		Detail: r.Detail, Attempt: r.Attempt, Previous: r.Previous, Audit: "/api/v1/audits/" + r.AuditID}
	if v.Outcome == "" {
		v.Outcome = "pending"
	}
	if r.Outcome == OutcomeOK {
		v.Verdict = r.Verdict
	}
	if d, ok := r.diff(); ok {
		v.Regressed, v.Fixed, v.New = len(d.Regressed), len(d.Fixed), len(d.New)
	}
	return v
}

// diff is the run's comparison with the previous ok run, if any.
func (r WatchRun) diff() (report.Diff, bool) {
	var d report.Diff
	if len(r.Diff) == 0 || json.Unmarshal(r.Diff, &d) != nil {
		return d, false
	}
	return d, true
}

// changesJSON is a run's comparison in the API (empty lists, never null).
type changesJSON struct {
	Run      string `json:"run"`
	Previous string `json:"previous"`
	report.Diff
}

func changesOf(r WatchRun) *changesJSON {
	d, ok := r.diff()
	if !ok {
		return nil
	}
	for _, l := range []*[]report.DiffItem{&d.Fixed, &d.Regressed, &d.New, &d.StillFailing, &d.NotExamined} {
		if *l == nil {
			*l = []report.DiffItem{}
		}
	}
	return &changesJSON{Run: r.AuditID, Previous: r.Previous, Diff: d}
}

func expiriesOf(r WatchRun) []expiry {
	var xs []expiry
	if len(r.Expiries) > 0 {
		json.Unmarshal(r.Expiries, &xs)
	}
	return xs
}

// alertJSON is an alert in the API.
type alertJSON struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Summary      string `json:"summary"`
	Opened       string `json:"opened"`
	Open         bool   `json:"open"`
	Resolved     string `json:"resolved,omitempty"`
	Run          string `json:"run"`
	ResolvedRun  string `json:"resolved_run,omitempty"`
	LastNotified string `json:"last_notified,omitempty"`
}

func alertJSONOf(a Alert) alertJSON {
	v := alertJSON{ID: a.ID, Kind: a.Kind, Summary: a.Summary, Opened: rfc(a.Opened), Open: a.Resolved.IsZero(), Run: a.RunID, ResolvedRun: a.ResolvedRun}
	if !a.Resolved.IsZero() {
		v.Resolved = rfc(a.Resolved)
	}
	if !a.LastNotified.IsZero() {
		v.LastNotified = rfc(a.LastNotified)
	}
	return v
}

// historyLength is how many runs an ENT's page and API show.
const historyLength = 100

func (s *Service) getWatched(w http.ResponseWriter, r *http.Request, c *call) {
	e, err := s.watchedVisible(r.Context(), c.p, c.params["id"])
	if err != nil {
		s.watchedNotFound(w, err)
		return
	}
	st, err := s.watchStateOf(r.Context(), e, historyLength)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	alerts, err := s.watch.st.Alerts(r.Context(), e.ID, false, 50)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	out := struct {
		watchedJSON
		Runs     []runJSON    `json:"runs"`
		Changes  *changesJSON `json:"changes,omitempty"`
		Alerts   []alertJSON  `json:"alerts"`
		Expiries []expiry     `json:"expiries,omitempty"`
	}{watchedJSON: s.watchedJSONOf(e, st), Runs: []runJSON{}, Alerts: []alertJSON{}}
	for _, run := range st.runs {
		out.Runs = append(out.Runs, runJSONOf(run))
	}
	if st.lastOK != nil {
		out.Changes = changesOf(*st.lastOK)
		out.Expiries = expiriesOf(*st.lastOK)
	}
	for _, a := range alerts {
		out.Alerts = append(out.Alerts, alertJSONOf(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Service) getWatchRun(w http.ResponseWriter, r *http.Request, c *call) {
	e, err := s.watchedVisible(r.Context(), c.p, c.params["id"])
	if err != nil {
		s.watchedNotFound(w, err)
		return
	}
	run, err := s.watch.st.RunOf(r.Context(), c.params["run"])
	if err != nil || run.WatchedID != e.ID {
		writeProblem(w, http.StatusNotFound, "Contrôle inconnu", "Cet ENT n'a pas de contrôle de ce numéro (ou il a expiré).", "run")
		return
	}
	out := struct {
		runJSON
		Changes  *changesJSON `json:"changes,omitempty"`
		Expiries []expiry     `json:"expiries,omitempty"`
	}{runJSON: runJSONOf(run), Changes: changesOf(run), Expiries: expiriesOf(run)}
	writeJSON(w, http.StatusOK, out)
}

func (s *Service) deleteWatched(w http.ResponseWriter, r *http.Request, c *call) {
	e, err := s.watchedVisible(r.Context(), c.p, c.params["id"])
	if err != nil {
		s.watchedNotFound(w, err)
		return
	}
	if err := s.unregister(r.Context(), e); err != nil {
		s.watchedNotFound(w, err)
		return
	}
	s.log.Info("ENT watch deleted", "watched", e.ID, "by", c.p.Name)
	w.WriteHeader(http.StatusNoContent)
}

// unregister deletes e and its history, stopping its run if one runs.
func (s *Service) unregister(ctx context.Context, e Watched) error {
	if err := s.watch.st.DeleteWatched(ctx, e.ID); err != nil {
		return err
	}
	if e.RunID != "" {
		s.cancelRun(e.RunID)
	}
	return nil
}

// errRunPending: the ENT's run is already queued or running.
var errRunPending = errors.New("run pending")

// runNow makes e due now and wakes the scheduler.
func (s *Service) runNow(ctx context.Context, e Watched) (Watched, error) {
	if e.RunID != "" {
		return e, errRunPending
	}
	if s.draining.Load() {
		return e, errDraining
	}
	e.NextRun = s.cfg.Now().UTC()
	if err := s.watch.st.SetNextRun(ctx, e.ID, e.NextRun); err != nil {
		return e, err
	}
	wake(s.watch.kick)
	return e, nil
}

func (s *Service) runWatched(w http.ResponseWriter, r *http.Request, c *call) {
	e, err := s.watchedVisible(r.Context(), c.p, c.params["id"])
	if err != nil {
		s.watchedNotFound(w, err)
		return
	}
	switch e, err = s.runNow(r.Context(), e); {
	case errors.Is(err, errRunPending):
		writeProblem(w, http.StatusConflict, "Contrôle déjà en cours", "Un contrôle de cet ENT est déjà en file ou en cours.", "")
		return
	case errors.Is(err, errDraining):
		s.refuseAdmission(w, err)
		return
	case err != nil:
		s.watchedNotFound(w, err)
		return
	}
	v, err := s.watchedView(r.Context(), e)
	if err != nil {
		s.notFoundOrError(w, err)
		return
	}
	writeJSON(w, http.StatusAccepted, v)
}
