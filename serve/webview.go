package serve

import (
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/report"
)

//go:embed templates/pages.html templates/page.js
var templateFS embed.FS

var pages = template.Must(template.New("pages").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).ParseFS(templateFS, "templates/pages.html"))

// pageScript is the page's one script (templates/page.js): a running
// audit's status followed without reloading the page, the confirmation
// of a deletion. Everything works without it.
var pageScript = func() []byte {
	b, err := templateFS.ReadFile("templates/page.js")
	if err != nil {
		panic(err)
	}
	return b
}()

// page is what every template gets.
type page struct {
	Title string
	// Refresh: without script, the page reloads itself after so many
	// seconds (a running audit); with the script, it does not.
	Refresh int
	// Script: the page loads the page's script.
	Script    bool
	User      *Principal
	RoleLabel string
	CSRF      string
	Error     string
	// HTTPS: the page is read over plain http on a host that is not this
	// machine, where the browser keeps no Secure cookie: what to do.
	HTTPS string

	CanUpload bool
	MaxUpload string
	Audits    []auditView
	Done      []auditView

	Audit   auditView
	Pending bool
	Failed  bool
	// Synthesis is the first page of the PDF report (report.Summarize).
	Synthesis *report.Synthesis
	Findings  []findingView
	CanDelete bool
	// Confirm: the page asks to confirm the deletion of Audit.
	Confirm bool

	Old, New auditView
	Sections []diffSection
}

type auditView struct {
	Audit
	When         string
	StatusLabel  string
	VerdictLabel string
	// Progress says where a queued or running audit is, in a sentence.
	Progress string
}

// SpotCheck says whether the audit is a spot check of a live ENT.
func (v auditView) SpotCheck() bool { return v.Kind == KindSpotCheck }

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
	v.Progress = progressText(a)
	return v
}

// progressText says where a queued or running audit is (announced on
// its page when it changes).
func progressText(a Audit) string {
	what := "L'audit du dossier"
	if a.Kind == KindSpotCheck {
		what = "Le contrôle en ligne"
	}
	switch a.Status {
	case StatusQueued:
		return "En attente : " + strings.ToLower(what[:1]) + what[1:] + " commencera dès qu'une place se libère."
	case StatusRunning:
		if a.Kind == KindSpotCheck {
			return "En cours : le contrôle lit les pages, les mentions et les métadonnées de l'ENT."
		}
		return "En cours : l'audit examine les pièces du dossier."
	case StatusDone:
		return "Terminé : affichage du résultat."
	case StatusFailed:
		return "Échoué : affichage de la raison."
	}
	return ""
}

// reportFileName is the name a report of a is downloaded under, one a
// person can file: sdetcheck-<ENT>-<AAAA-MM-JJ>-<verdict>.<format>. The
// first is ASCII (accents dropped), for the filename parameter; the
// second keeps the ENT's letters, for filename* (RFC 6266).
func reportFileName(a Audit, format string) (ascii, utf string) {
	date := a.Created.In(paris).Format("2006-01-02")
	parts := func(ent string) string {
		var p []string
		for _, x := range []string{"sdetcheck", ent, date, slug(a.Verdict, true)} {
			if x != "" {
				p = append(p, x)
			}
		}
		return strings.Join(p, "-") + "." + format
	}
	return parts(slug(a.ENT, true)), parts(slug(a.ENT, false))
}

// slug is s in lower case, its words joined by hyphens, at most 60
// letters (whole words when it can); ascii drops accents (é is e) and any
// other letter.
func slug(s string, ascii bool) string {
	if ascii {
		s = norm.NFD.String(s)
	}
	var out []rune
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		case !ascii && (unicode.IsLetter(r) || unicode.IsDigit(r)):
		case unicode.Is(unicode.Mn, r):
			continue // an accent, decomposed
		default:
			dash = len(out) > 0
			continue
		}
		if dash {
			out = append(out, '-')
			dash = false
		}
		out = append(out, r)
	}
	const most = 60
	if len(out) > most {
		cut := most
		for i := most; i > 0; i-- {
			if out[i] == '-' {
				cut = i
				break
			}
		}
		out = out[:cut]
	}
	return string(out)
}

// contentDisposition is the Content-Disposition of a report of a: an
// attachment (inline for HTML, a page to read) named by reportFileName,
// with filename* when the name has letters beyond ASCII (RFC 6266, RFC
// 8187).
func contentDisposition(a Audit, format string) string {
	kind := "attachment"
	if format == "html" {
		kind = "inline"
	}
	ascii, utf := reportFileName(a, format)
	v := kind + `; filename="` + ascii + `"`
	if utf != ascii {
		v += "; filename*=UTF-8''" + url.PathEscape(utf)
	}
	return v
}

// scriptCSP is the Content-Security-Policy of a page that loads the
// page's script: the site's (routes), with the script from this site and
// its requests to this site.
const scriptCSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (s *Service) render(w http.ResponseWriter, status int, name string, p page) {
	s.execute(w, status, pages, name, p, p.Script)
}

// execute writes the page name of set with p; script: the page loads the
// page's script (its CSP lets it).
func (s *Service) execute(w http.ResponseWriter, status int, set *template.Template, name string, p any, script bool) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if script {
		w.Header().Set("Content-Security-Policy", scriptCSP)
	}
	w.WriteHeader(status)
	if err := set.ExecuteTemplate(w, name, p); err != nil {
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
