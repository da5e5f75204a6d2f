package serve

import (
	"embed"
	"html/template"
	"net/http"
	"sort"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

//go:embed templates/pages.html
var templateFS embed.FS

var pages = template.Must(template.ParseFS(templateFS, "templates/pages.html"))

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
