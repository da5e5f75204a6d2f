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

// Label names a severity for a reader in lang ("fr" or "en"): the JSON
// values (bloquant, majeur, mineur, info) are the contract and stay as
// they are; English prose says blocking, major, minor, info.
func (s Severity) Label(lang string) string {
	if lang != "en" {
		return string(s)
	}
	switch s {
	case Bloquant:
		return "blocking"
	case Majeur:
		return "major"
	case Mineur:
		return "minor"
	}
	return string(s)
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
	Review bool `json:"review,omitempty"`
	// LiveOnly marks a not-evaluated finding about what only an audit en
	// ligne can judge (TLS of the site, what a browser loads): on saved
	// copies it is listed among the limits of the audit sur pièces and does
	// not count against the verdict (see VerdictOf).
	LiveOnly bool `json:"live_only,omitempty"`
	// Optional marks a not-evaluated finding about a check that a tool
	// option enables (a geolocation database, --geoip), not a piece the
	// collectivité must supply: like LiveOnly, it does not count against
	// the verdict, and the verdict box lists it among what was not
	// examined.
	Optional bool       `json:"optional,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
	Waiver   *Waiver    `json:"waiver,omitempty"`
	// Parties are the third parties the finding is about (a contract's
	// sub-processors, the hosts the ENT uses, where their servers are):
	// the report's tables read them.
	Parties []Party `json:"parties,omitempty"`
	// ValidUntil is the last day (YYYY-MM-DD) on which what the finding
	// judged stays valid, where the rule judges a validity period (the
	// accessibility statement's three years): the watch of ENTs announces
	// it ahead.
	ValidUntil string `json:"valid_until,omitempty"`
}

// Party is a third party a finding is about: a sub-processor a contract
// lists, a host the ENT was seen to use, or where a host's server is.
type Party struct {
	// Name is the sub-processor's name, or the host when it is no
	// sub-processor the contract lists.
	Name string `json:"name"`
	// Role and Country are what the party does and where it processes
	// the data, as the contract says.
	Role    string `json:"role,omitempty"`
	Country string `json:"country,omitempty"`
	// Declared: the contract lists the party.
	Declared bool `json:"declared,omitempty"`
	// Hosts are the hosts the ENT was seen to use that belong to it.
	Hosts []string `json:"hosts,omitempty"`
	// Address is a host's IP address, Located the country a geolocation
	// database puts it in (ISO 3166-1 alpha-2) and Network the network
	// of the database that holds it.
	Address string `json:"address,omitempty"`
	Located string `json:"located,omitempty"`
	Network string `json:"network,omitempty"`
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
	// URL is the ENT's public address, Convention the reference of the
	// collectivité's convention with the DSDEN, Auditor who ran the audit
	// (all declared by the dossier).
	URL        string `json:"url,omitempty"`
	Convention string `json:"convention,omitempty"`
	Auditor    string `json:"auditor,omitempty"`
}

// Summary counts findings per status. Waived failures count in Waived, not
// in Fail.
type Summary struct {
	Pass         int `json:"pass"`
	Fail         int `json:"fail"`
	Warn         int `json:"warn"`
	Skip         int `json:"skip"`
	Error        int `json:"error"`
	NotEvaluated int `json:"not_evaluated"`
	Waived       int `json:"waived"`
	// FailBySeverity counts unwaived failures per severity.
	FailBySeverity map[Severity]int `json:"fail_by_severity"`
	// Rules counts the rules of the run, each once under its worst status
	// (RuleState): the counts a reader wants ("1 règle bloquante non
	// respectée" when one rule has two failing findings).
	Rules map[RuleState]int `json:"rules"`
	// RulesFailBySeverity counts the rules in state fail per severity.
	RulesFailBySeverity map[Severity]int `json:"rules_fail_by_severity"`
}

// Verdict is the overall conclusion for the DSDEN.
type Verdict string

const (
	Conforme             Verdict = "conforme"
	ConformeAvecReserves Verdict = "conforme-avec-reserves"
	NonConforme          Verdict = "non-conforme"
	Incomplet            Verdict = "incomplet"
	// ConformeSousDerogation: conforme once the failures covered by a
	// dérogation in force are set aside.
	ConformeSousDerogation Verdict = "conforme-sous-derogation"
)

// Scope of an audit.
const (
	// ScopeSurPieces: every page was a saved copy.
	ScopeSurPieces = "sur-pieces"
	// ScopeEnLigne: every page was fetched live.
	ScopeEnLigne = "en-ligne"
	// ScopeMixte: some pages live, some saved copies.
	ScopeMixte = "mixte"
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
	// Scope says whether the pages were audited sur pièces (saved copies)
	// or en ligne (live URLs); empty when the run examined no page.
	Scope   string    `json:"scope,omitempty"`
	Results []Finding `json:"results"`
	// Notes are run-level remarks (e.g. "the raw HTML has no footer: use --render").
	Notes []string `json:"notes,omitempty"`
}

// Finalize sorts findings and inputs deterministically and computes the
// summary and verdict.
func (r *Result) Finalize(t Traits) {
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
		if a.Item != b.Item {
			return a.Item < b.Item
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
	r.Verdict = VerdictOf(r.Results, t)
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
	case NotEvaluated:
		return 2
	case Warn:
		return 3
	case Pass:
		return 4
	}
	return 5
}

// Summarize counts findings, and rules under their worst state.
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
			s.NotEvaluated++
		}
	}
	s.Rules = map[RuleState]int{}
	for _, st := range RuleStateOrder {
		s.Rules[st] = 0
	}
	s.RulesFailBySeverity = map[Severity]int{Bloquant: 0, Majeur: 0, Mineur: 0, Info: 0}
	for _, rs := range RuleStates(fs, nil) {
		s.Rules[rs.State]++
		if rs.State == RuleFail {
			s.RulesFailBySeverity[rs.Severity]++
		}
	}
	return s
}

// RuleState is the outcome of one rule over all its findings.
type RuleState string

const (
	RuleFail         RuleState = "fail"          // an unwaived failure
	RuleError        RuleState = "error"         // a piece it needs could not be read
	RuleNotEvaluated RuleState = "not-evaluated" // a piece it needs was not supplied
	RuleReview       RuleState = "review"        // a point is left to a human judgement (à vérifier)
	RuleWaived       RuleState = "waived"        // its failures are all covered by dérogations in force
	RuleWarn         RuleState = "warn"          // a weakness, no failure
	RulePass         RuleState = "pass"          // examined and respected
	RuleSkip         RuleState = "skip"          // does not apply (sans objet)
)

// RuleStateOrder lists the states worst first: a rule is in the first
// state any of its findings gives it.
var RuleStateOrder = []RuleState{RuleFail, RuleError, RuleNotEvaluated, RuleReview, RuleWaived, RuleWarn, RulePass, RuleSkip}

func stateRank(s RuleState) int {
	for i, x := range RuleStateOrder {
		if x == s {
			return 2 * (len(RuleStateOrder) - i)
		}
	}
	return 0
}

// findingRank ranks the state a finding gives its rule. What only an audit
// en ligne can judge ranks just above a pass: a failure, a warning or a
// review found on the saved copy stays the rule's state.
func findingRank(f Finding, st RuleState) int {
	if st == RuleNotEvaluated && (f.LiveOnly || f.Optional) {
		return stateRank(RulePass) + 1
	}
	return stateRank(st)
}

// stateOf is the state one finding gives its rule. A review stays a review
// under a dérogation: a dérogation covers a failure that was found, never
// a judgement that was not made. A live-only finding of an audit sur
// pièces is not-evaluated like any other (the verdict sets it aside).
func stateOf(f Finding) RuleState {
	switch {
	case f.Status == Warn && f.Review:
		return RuleReview
	case f.Waived() && (f.Status == Fail || f.Status == Warn):
		return RuleWaived
	}
	switch f.Status {
	case Fail:
		return RuleFail
	case Error:
		return RuleError
	case NotEvaluated:
		return RuleNotEvaluated
	case Warn:
		return RuleWarn
	case Pass:
		return RulePass
	}
	return RuleSkip
}

// RuleOutcome is one rule of a run with its worst state.
type RuleOutcome struct {
	Rule     string
	Area     string
	Severity Severity
	State    RuleState
	// Findings counts the rule's findings.
	Findings int
	// LiveOnly: the rule's not-evaluated state comes only from findings an
	// audit sur pièces cannot judge (Finding.LiveOnly).
	LiveOnly bool
	// Optional: the rule's not-evaluated state comes only from findings
	// about a check a tool option enables (Finding.Optional).
	Optional bool
	// Pieces: the rule reports the pieces a dossier lacks (Traits).
	Pieces bool
	// Waived: some failure of the rule is covered by a dérogation (the
	// rule may still be in a worse state).
	Waived bool
}

// RuleStates returns each rule of fs once, in rule order, under its worst
// state.
func RuleStates(fs []Finding, t Traits) []RuleOutcome {
	idx := map[string]int{}
	var out []RuleOutcome
	var rank []int
	liveOnlyNE := map[string]bool{} // a live-only not-evaluated finding
	optionalNE := map[string]bool{} // a not-evaluated finding a tool option would settle
	otherNE := map[string]bool{}    // a not-evaluated finding of another kind
	for _, f := range fs {
		i, ok := idx[f.Rule]
		if !ok {
			i = len(out)
			idx[f.Rule] = i
			out = append(out, RuleOutcome{Rule: f.Rule, Area: f.Area, Severity: f.Severity, State: RuleSkip})
			rank = append(rank, stateRank(RuleSkip))
		}
		o := &out[i]
		o.Findings++
		st := stateOf(f)
		if st == RuleNotEvaluated {
			switch {
			case f.LiveOnly:
				liveOnlyNE[f.Rule] = true
			case f.Optional:
				optionalNE[f.Rule] = true
			default:
				otherNE[f.Rule] = true
			}
		}
		if f.Waived() {
			o.Waived = true
		}
		if r := findingRank(f, st); r > rank[i] {
			o.State, rank[i] = st, r
		}
	}
	for i := range out {
		o := &out[i]
		o.LiveOnly = o.State == RuleNotEvaluated && liveOnlyNE[o.Rule] && !otherNE[o.Rule] && !optionalNE[o.Rule]
		o.Optional = o.State == RuleNotEvaluated && optionalNE[o.Rule] && !otherNE[o.Rule]
		o.Pieces = t != nil && t.MissingPieces(o.Rule)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// Traits is what the verdict must know of a rule beyond its severity. The
// catalogue answers (rules.Traits): this package knows no rule by name.
type Traits interface {
	// MissingPieces reports whether rule is the one that reports the
	// pieces a dossier lacks. Its failure makes the dossier incomplet,
	// never non-conforme (nothing was found wrong, something was not
	// examined), and a dérogation on it is a délai to supply the pieces: it
	// does not make the dossier complete.
	MissingPieces(rule string) bool
}

// Blocking reports whether a rule of this severity decides the verdict
// (bloquant and majeur rules do; mineur and info ones give reserves).
func (s Severity) Blocking() bool { return s.Rank() >= Majeur.Rank() }

// Unexamined reports whether a rule outcome leaves the audit incomplete
// for a rule of its severity: not evaluated (except what only an audit en
// ligne can judge, outside the scope of an audit sur pièces), in error,
// only à vérifier, or the pieces rule failing, dérogation or not.
func (o RuleOutcome) Unexamined() bool {
	switch o.State {
	case RuleError, RuleReview:
		return true
	case RuleNotEvaluated:
		return !o.LiveOnly && !o.Optional
	}
	return o.Pieces && (o.State == RuleFail || o.State == RuleWaived)
}

// NonConformity reports whether a rule outcome is an uncovered failure of
// the ENT (the pieces rule's failure is an incompleteness).
func (o RuleOutcome) NonConformity() bool {
	return o.State == RuleFail && !o.Pieces
}

// VerdictOf derives the verdict from the rules' worst states:
//
//   - non-conforme: a bloquant or majeur rule has an uncovered failure,
//     whatever else could not be examined;
//   - incomplet: otherwise, a bloquant or majeur rule was not examined (its
//     piece missing or unreadable, or only à vérifier), or the dossier lacks
//     a piece (DOSSIER-001), dérogation or not;
//   - conforme-sous-derogation: otherwise, a failure is covered by a
//     dérogation in force;
//   - conforme-avec-reserves: otherwise, a mineur or info rule fails, warns,
//     is à vérifier or was not examined, or a rule warns;
//   - conforme: every rule in scope was examined and holds.
//
// Rules only an audit en ligne can judge (Finding.LiveOnly) are outside the
// scope of an audit sur pièces: they are listed among its limits and do
// not count against its verdict.
func VerdictOf(fs []Finding, t Traits) Verdict {
	var nonConf, incomplete, waived, reserves bool
	for _, o := range RuleStates(fs, t) {
		blocking := o.Severity.Blocking()
		switch {
		case o.NonConformity() && blocking:
			nonConf = true
		case o.Unexamined() && (blocking || o.Pieces):
			incomplete = true
		case o.State == RuleWaived:
			waived = true
		case o.State == RuleFail || o.State == RuleWarn || o.Unexamined():
			reserves = true
		}
		if o.Waived {
			waived = true
		}
	}
	switch {
	case nonConf:
		return NonConforme
	case incomplete:
		return Incomplet
	case waived:
		return ConformeSousDerogation
	case reserves:
		return ConformeAvecReserves
	}
	return Conforme
}
