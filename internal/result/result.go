// Package result holds the types of an sdetcheck run's outcome: the JSON
// document described by shared/spec/result.schema.json, plus the verdict and
// summary derived from the findings.
package result

import (
	"sort"
	"strings"
)

// Status is the outcome of one rule on one piece of evidence.
type Status string

const (
	Pass  Status = "pass"  // the rule holds
	Fail  Status = "fail"  // the rule is broken
	Warn  Status = "warn"  // a weakness, or a point a human must look at (see Finding.Review)
	Skip  Status = "skip"  // not applicable to this dossier
	Error Status = "error" // could not be evaluated: the evidence was unreadable or missing
	// NotEvaluated: the rule applies but the piece it needs was not supplied
	// (or only a live audit can judge it). Never counts as a pass.
	NotEvaluated Status = "not-evaluated"
)

// Severity ranks how much a broken rule matters for the DSDEN.
type Severity string

const (
	Bloquant Severity = "bloquant"
	Majeur   Severity = "majeur"
	Mineur   Severity = "mineur"
	Info     Severity = "info"
)

// Rank orders severities: higher is more serious; unknown severities rank 0.
func (s Severity) Rank() int {
	switch s {
	case Bloquant:
		return 4
	case Majeur:
		return 3
	case Mineur:
		return 2
	case Info:
		return 1
	}
	return 0
}

// ParseSeverity accepts a severity name (case-insensitive).
func ParseSeverity(s string) (Severity, bool) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	return v, v.Rank() > 0
}

// Evidence points at where a finding was observed. Excerpts never hold
// personal data in clear: checks mask it (see internal/mask).
type Evidence struct {
	Source  string `json:"source"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Excerpt string `json:"excerpt,omitempty"`
}

// Waiver records the dérogation that covers a finding.
type Waiver struct {
	Rule          string `json:"rule"`
	Scope         string `json:"scope,omitempty"`
	Justification string `json:"justification"`
	GrantedBy     string `json:"granted_by"`
	Expires       string `json:"expires"`
}

// Finding is one rule's outcome. Checks fill Rule, Status, Message,
// MessageEN, Review and Evidence; the engine fills the rest from the
// catalogue.
type Finding struct {
	Rule string `json:"rule"`
	// Item names the part of a rule a finding is about when one rule yields
	// several findings of different kinds (a notice item such as "dpo"). It
	// is stable across versions, for tests and diffs.
	Item     string   `json:"item,omitempty"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity"`
	Area     string   `json:"area,omitempty"`
	Title    string   `json:"title,omitempty"`
	TitleEN  string   `json:"title_en,omitempty"`
	// Message is French, MessageEN its English version.
	Message   string `json:"message"`
	MessageEN string `json:"message_en,omitempty"`
	// Review marks a finding that needs a human judgement ("à vérifier").
	Review   bool       `json:"review,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Waiver   *Waiver    `json:"waiver,omitempty"`
}

// Waived reports whether a dérogation covers this finding.
func (f Finding) Waived() bool { return f.Waiver != nil }

// Input is one file or URL that was read, with the SHA-256 of the bytes read.
type Input struct {
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	Kind   string `json:"kind,omitempty"`
	// HTTPStatus is set for fetched URLs.
	HTTPStatus int `json:"http_status,omitempty"`
}

// Tool identifies the producer.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Catalogue identifies the rule catalogue version.
type Catalogue struct {
	Version string `json:"version"`
}

// Subject describes what was audited, from the dossier manifest.
type Subject struct {
	ENT          string `json:"ent,omitempty"`
	Vendor       string `json:"vendor,omitempty"`
	IDEnt        string `json:"id_ent,omitempty"`
	Collectivite string `json:"collectivite,omitempty"`
	Degree       string `json:"degree,omitempty"`
	SDET         string `json:"sdet,omitempty"`
	// Representative signs the report for the collectivité.
	Representative string `json:"representative,omitempty"`
}

// Summary counts findings per status. Waived failures count in Waived, not
// in Fail.
type Summary struct {
	Pass   int `json:"pass"`
	Fail   int `json:"fail"`
	Warn   int `json:"warn"`
	Skip   int `json:"skip"`
	Error  int `json:"error"`
	Waived int `json:"waived"`
	// FailBySeverity counts unwaived failures per severity.
	FailBySeverity map[Severity]int `json:"fail_by_severity"`
	// NotEvaluated counts the bloquant and majeur findings whose piece was
	// not supplied: the verdict cannot be conforme (schema: verdict).
	NotEvaluated int `json:"-"`
}

// Verdict is the overall conclusion for the DSDEN.
type Verdict string

const (
	Conforme             Verdict = "conforme"
	ConformeAvecReserves Verdict = "conforme-avec-reserves"
	NonConforme          Verdict = "non-conforme"
	Incomplet            Verdict = "incomplet"
)

// Result is the whole JSON document.
type Result struct {
	Tool        Tool      `json:"tool"`
	Catalogue   Catalogue `json:"catalogue"`
	Command     string    `json:"command,omitempty"`
	Subject     *Subject  `json:"subject,omitempty"`
	GeneratedAt string    `json:"generated_at,omitempty"`
	Inputs      []Input   `json:"inputs"`
	Verdict     Verdict   `json:"verdict"`
	Summary     Summary   `json:"summary"`
	Results     []Finding `json:"results"`
	// Notes are run-level remarks (e.g. "the raw HTML has no footer: use --render").
	Notes []string `json:"notes,omitempty"`
}

// Finalize sorts findings and inputs deterministically and computes the
// summary and verdict.
func (r *Result) Finalize() {
	sort.SliceStable(r.Results, func(i, j int) bool {
		a, b := r.Results[i], r.Results[j]
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Status != b.Status {
			return statusOrder(a.Status) < statusOrder(b.Status)
		}
		ea, eb := firstSource(a), firstSource(b)
		if ea != eb {
			return ea < eb
		}
		return a.Message < b.Message
	})
	sort.SliceStable(r.Inputs, func(i, j int) bool { return r.Inputs[i].Source < r.Inputs[j].Source })
	if r.Inputs == nil {
		r.Inputs = []Input{}
	}
	if r.Results == nil {
		r.Results = []Finding{}
	}
	r.Summary = Summarize(r.Results)
	r.Verdict = VerdictOf(r.Summary)
}

func firstSource(f Finding) string {
	if len(f.Evidence) == 0 {
		return ""
	}
	return f.Evidence[0].Source
}

func statusOrder(s Status) int {
	switch s {
	case Error:
		return 0
	case Fail:
		return 1
	case Warn:
		return 2
	case Pass:
		return 3
	}
	return 4
}

// Summarize counts findings.
func Summarize(fs []Finding) Summary {
	s := Summary{FailBySeverity: map[Severity]int{Bloquant: 0, Majeur: 0, Mineur: 0, Info: 0}}
	for _, f := range fs {
		switch f.Status {
		case Pass:
			s.Pass++
		case Fail:
			if f.Waived() {
				s.Waived++
				continue
			}
			s.Fail++
			s.FailBySeverity[f.Severity]++
		case Warn:
			if f.Waived() {
				s.Waived++
				continue
			}
			s.Warn++
		case Skip:
			s.Skip++
		case Error:
			s.Error++
		case NotEvaluated:
			if f.Severity.Rank() >= Majeur.Rank() {
				s.NotEvaluated++
			}
		}
	}
	return s
}

// VerdictOf derives the verdict: an unwaived bloquant or majeur failure
// makes the ENT non-conforme whatever else could not be read; otherwise any
// evaluation error makes the audit incomplete; a mineur or info failure or a
// warning gives "conforme avec réserves".
func VerdictOf(s Summary) Verdict {
	switch {
	case s.FailBySeverity[Bloquant]+s.FailBySeverity[Majeur] > 0:
		return NonConforme
	case s.Error > 0 || s.NotEvaluated > 0:
		return Incomplet
	case s.Fail > 0 || s.Warn > 0:
		return ConformeAvecReserves
	}
	return Conforme
}
