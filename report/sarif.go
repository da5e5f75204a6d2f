package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// SARIF writes a SARIF 2.1.0 log for code-scanning tools (GitHub code
// scanning, GitLab, IDEs): one run whose driver lists the rules the result
// mentions, one result per fail or warn finding (passes and skips are not
// emitted), waived findings carried with an external suppression, and
// evaluation errors as tool execution notifications.
type SARIF struct{}

// FingerprintKey names sdetcheck's partial fingerprint.
const FingerprintKey = "sdetcheckFindingHash/v1"

// sarifLevel maps a finding to a SARIF level: failures by severity
// (bloquant and majeur are errors, mineur warnings, info notes); a warning
// is at most a SARIF warning.
func sarifLevel(f result.Finding) string {
	level := "note"
	switch f.Severity {
	case result.Bloquant, result.Majeur:
		level = "error"
	case result.Mineur:
		level = "warning"
	}
	if f.Status == result.Warn && level == "error" {
		level = "warning"
	}
	return level
}

// Fingerprint is a stable hash of a finding: rule, first evidence source
// and French message. It does not depend on the line, so a finding keeps
// its identity when the file around it moves.
func Fingerprint(f result.Finding) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", f.Rule, firstSource(f), f.Message)
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func firstSource(f result.Finding) string {
	if len(f.Evidence) == 0 {
		return ""
	}
	return f.Evidence[0].Source
}

// SRCROOT is the uriBaseId of the files a SARIF log names: the root of
// the repository (GitHub code scanning resolves it to the checkout).
const SRCROOT = "%SRCROOT%"

// securitySeverity maps a severity to GitHub code scanning's
// security-severity score (a rule property): over 9.0 is critical, 7.0 to
// 8.9 high, 4.0 to 6.9 medium, under 4.0 low. bloquant is critical, majeur
// high, mineur medium, info low.
var securitySeverity = map[result.Severity]string{
	result.Bloquant: "9.0",
	result.Majeur:   "7.0",
	result.Mineur:   "4.0",
	result.Info:     "1.0",
}

// sarifURI turns an evidence source into a location URI: URLs stay as they
// are, files are made relative to the repository's root: o.SourceRoot is
// prefixed to a relative source, an absolute one inside o.RepoRoot is
// made relative to it. rel reports a file relative to the root (its
// location takes the uriBaseId SRCROOT).
func sarifURI(src string, o Options) (uri string, rel bool) {
	if input.IsURL(src) {
		return src, false
	}
	prefix := o.SourceRoot
	if filepath.IsAbs(src) && o.RepoRoot != "" {
		if r, err := filepath.Rel(o.RepoRoot, src); err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			src, prefix = r, ""
		}
	}
	src = strings.ReplaceAll(src, "\\", "/")
	if prefix != "" && !path.IsAbs(src) {
		src = path.Join(strings.ReplaceAll(prefix, "\\", "/"), src)
	}
	if !path.IsAbs(src) {
		// Relative to the root: never above it.
		src = strings.TrimPrefix(path.Clean("/"+src), "/")
	}
	// A URI reference: spaces and non-ASCII letters are percent-encoded.
	return (&url.URL{Path: src}).EscapedPath(), !path.IsAbs(src)
}

// artifact is the location of an evidence source.
func artifact(src string, o Options) *sarif.ArtifactLocation {
	uri, rel := sarifURI(src, o)
	a := sarif.NewSimpleArtifactLocation(uri)
	if rel {
		a.WithUriBaseId(SRCROOT)
	}
	return a
}

func sarifLocations(f result.Finding, fallback string, o Options) []*sarif.Location {
	var out []*sarif.Location
	for _, e := range f.Evidence {
		if e.Source == "" {
			continue
		}
		pl := sarif.NewPhysicalLocation().WithArtifactLocation(artifact(e.Source, o))
		if e.Line > 0 {
			reg := sarif.NewRegion().WithStartLine(e.Line)
			if e.Column > 0 {
				reg.WithStartColumn(e.Column)
			}
			pl.WithRegion(reg)
		}
		out = append(out, sarif.NewLocationWithPhysicalLocation(pl))
	}
	if len(out) == 0 && fallback != "" {
		// Code scanning needs a location: point at the manifest.
		out = append(out, sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(artifact(fallback, o))))
	}
	return out
}

// guidOf derives a deterministic GUID (version-4 layout) from a hash.
func guidOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	x := hex.EncodeToString(b)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

func (SARIF) Write(w io.Writer, r *result.Result, o Options) error {
	lang := o.Lang
	lookup := o.lookup()
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		return fmt.Errorf("create sarif log: %w", err)
	}
	driver := sarif.NewVersionedDriver(r.Tool.Name, r.Tool.Version)
	driver.WithInformationURI("https://github.com/sdetcheck/sdetcheck")
	run := sarif.NewRun(*sarif.NewTool(driver))
	run.WithLanguage(pick(lang, "fr-FR", "en-US"))
	// The verdict and the audit's scope, as the other formats state them.
	props := sarif.NewPropertyBag()
	props.Add("verdict", string(r.Verdict))
	props.Add("verdictLabel", VerdictLabel(r.Verdict, lang))
	props.Add("why", WhyText(r, lang))
	if r.Scope != "" {
		props.Add("scope", r.Scope)
	}
	for _, st := range result.RuleStateOrder {
		props.Add("rules."+string(st), r.Summary.Rules[st])
	}
	run.Properties = props.Properties

	// Rules: each rule the result mentions, sorted by ID.
	ids := map[string]result.Finding{}
	for _, f := range r.Results {
		if _, ok := ids[f.Rule]; !ok {
			ids[f.Rule] = f
		}
	}
	var sorted []string
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	index := map[string]int{}
	for i, id := range sorted {
		f := ids[id]
		index[id] = i
		d := sarif.NewRule(id)
		name, short, full, help := Title(f, lang), Title(f, lang), "", ""
		props := sarif.NewPropertyBag()
		props.Add("severity", string(f.Severity))
		props.Add("area", f.Area)
		// GitHub code scanning shows a severity for rules tagged
		// "security" with a security-severity score.
		if score, ok := securitySeverity[f.Severity]; ok {
			props.Add("security-severity", score)
		}
		tags := []string{"security", "sdetcheck"}
		if f.Area != "" {
			tags = append(tags, f.Area)
		}
		if rl, ok := lookup(id); ok && (strings.Contains(rl.Reference.In("fr"), "RGPD") || rl.Area == rules.AreaNotice) {
			// Personal data: the rules that rest on the GDPR.
			tags = append(tags, "rgpd")
		}
		props.Add("tags", tags)
		if rl, ok := lookup(id); ok {
			name, short = rl.Title.In(lang), rl.Title.In(lang)
			full = rl.Rationale.In(lang)
			help = pick(lang, "À faire : ", "To do: ") + rl.Remediation.In(lang) + "\n" + pick(lang, "Référence : ", "Reference: ") + rl.Reference.In(lang)
			props.Add("basis", string(rl.Reference.Basis))
			props.Add("reference", rl.Reference.In(lang))
			if rl.Reference.URL != "" {
				d.WithHelpURI(rl.Reference.URL)
			}
		}
		if short == "" {
			short = id
		}
		d.WithName(sarifName(name, id)).WithDescription(short)
		if full != "" {
			d.WithFullDescription(sarif.NewMultiformatMessageString(full))
		}
		if help != "" {
			d.WithTextHelp(help)
		}
		d.WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(result.Finding{Status: result.Fail, Severity: f.Severity})))
		d.WithProperties(props.Properties)
		driver.AddRule(d)
	}

	fallback := ""
	for _, in := range r.Inputs {
		if fallback == "" || in.Source == "ent.yaml" {
			fallback = in.Source
		}
	}
	inv := run.AddInvocation(true)
	for _, f := range r.Results {
		switch f.Status {
		case result.Fail, result.Warn:
		case result.NotEvaluated:
			// Not a failure, not a pass: SARIF's "open" (the tool lacked
			// what it needed to decide), level none. What only an audit en
			// ligne can judge is left out of a run sur pièces.
			if f.LiveOnly {
				continue
			}
			run.AddResult(sarif.NewRuleResult(f.Rule).
				WithRuleIndex(index[f.Rule]).
				WithKind("open").
				WithLevel("none").
				WithMessage(sarif.NewTextMessage(Message(f, lang))).
				WithLocations(sarifLocations(f, fallback, o)).
				WithPartialFingerPrints(map[string]interface{}{FingerprintKey: Fingerprint(f)}))
			continue
		case result.Error:
			inv.ExecutionSuccessful = boolPtr(false)
			n := sarif.NewNotification().WithLevel("error").WithTextMessage(f.Rule + " — " + Message(f, lang))
			n.WithLocations(sarifLocations(f, "", o))
			n.WithAssociatedRule(sarif.NewReportingDescriptorReference().WithId(f.Rule).WithIndex(index[f.Rule]))
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
			continue
		default:
			continue
		}
		msg := Message(f, lang)
		if f.Review {
			msg = pick(lang, "À vérifier : ", "To review: ") + msg
		}
		var ex []string
		for _, e := range f.Evidence {
			if e.Excerpt != "" {
				ex = append(ex, Scrub(e.Excerpt))
			}
		}
		if len(ex) > 0 {
			msg += "\n" + strings.Join(ex, "\n")
		}
		res := sarif.NewRuleResult(f.Rule).
			WithRuleIndex(index[f.Rule]).
			WithKind("fail").
			WithLevel(sarifLevel(f)).
			WithMessage(sarif.NewTextMessage(msg)).
			WithLocations(sarifLocations(f, fallback, o)).
			WithPartialFingerPrints(map[string]interface{}{FingerprintKey: Fingerprint(f)})
		if f.Waived() {
			s := sarif.NewSuppression("external").
				WithStatus("accepted").
				WithGuid(guidOf("suppression\x00" + Fingerprint(f))).
				WithJustifcation(WaiverText(f.Waiver, lang))
			if locs := sarifLocations(f, fallback, o); len(locs) > 0 {
				s.WithLocation(locs[0])
			}
			res.AddSuppression(s)
		}
		run.AddResult(res)
	}
	if run.Results == nil {
		run.Results = []*sarif.Result{}
	}
	log.AddRun(run)
	return log.PrettyWrite(w)
}

func boolPtr(b bool) *bool { return &b }

// sarifName makes a PascalCase-ish identifier-free name from a title; the
// rule's name must not be its ID, so the ID is used only as a last resort.
func sarifName(title, id string) string {
	if title == "" {
		return id
	}
	return title
}
