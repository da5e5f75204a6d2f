// Package checks holds what every area's checks share: the environment they
// run in, helpers to build findings and the descriptor of an area (Area).
// Each area lives in its own package (checks/saml, checks/gar,
// checks/mapping, checks/notice, checks/sso) that declares its descriptor
// in its area.go; the registry checks/areas lists them. A check never
// prints and never knows which command runs it: it returns findings.
package checks

import (
	"context"
	"fmt"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Env is what checks get from the driver.
type Env struct {
	Ctx context.Context
	// Loader reads files and URLs and records them as inputs.
	Loader *input.Loader
	// Now is the clock (certificate expiry, validUntil, waivers). Drivers
	// set it once per run so that results are reproducible (--now).
	Now  time.Time
	Opts Options
	// Cache, when set, shares opened inputs between the checks of a run
	// (the driver closes it at the end of the run).
	Cache *Cache
	// Seen, when set (an audit), collects the hosts the areas see, for
	// the audit's cross-area steps (Area.Cross).
	Seen *Seen
	// Resolver resolves host names (nil: the system's resolver).
	Resolver Resolver
}

// Options carry what the manifest or the command line says about the
// dossier.
type Options struct {
	// Degree is "1D" or "2D" ("" when unknown).
	Degree string
	// IDEnt is the ENT's project identifier at the GAR ("" when unknown).
	IDEnt string
	// ReleasedAttributes lists the SAML attributes the manifest says the
	// ENT releases to the GAR (used when the metadata does not declare them).
	ReleasedAttributes []string
	// AAFDir and GARDir are AAF samples and a GAR feed used to verify a
	// mapping against real data.
	AAFDir, GARDir string
	// NoticeReference is the notice as validated by the DSDEN.
	NoticeReference string
	// Render asks for pages to be rendered in a headless browser.
	Render bool
	// AllowHTTP permits plain-http URLs.
	AllowHTTP bool
	// AllowPrivateNetwork lets URLs reach loopback, private, link-local,
	// CGNAT, multicast and unspecified addresses (--allow-private-network).
	AllowPrivateNetwork bool
	// SSOMetadata is the IdP metadata the SSO captures are checked
	// against (the dossier's saml_metadata, or check sso --metadata).
	SSOMetadata string
	// GARSPEntityID and GARSPACS are the GAR's service provider entityID
	// and assertion consumer URL (not public: declared by the dossier).
	GARSPEntityID, GARSPACS string
	// XSDEngine picks the GAR feed's XSD validator: "auto" or "" (libxml2
	// when the system has it, else pure Go), "libxml2" or "go".
	XSDEngine string
	// ENTURL is the ENT's public address the dossier declares ("" when
	// unknown): its domain is the ENT's own.
	ENTURL string
	// SecurityDoc is the vendor's security documentation given to `check
	// contract` (--security-doc).
	SecurityDoc string
	// GeoIP is the offline IP-to-country database (MMDB) hosts are
	// located with (--geoip); "" leaves their location unchecked.
	GeoIP string
}

// Context returns the run's context (never nil).
func (e *Env) Context() context.Context {
	if e.Ctx == nil {
		return context.Background()
	}
	return e.Ctx
}

// Finding builders. fr and en are the French and English messages.

// Pass builds a passing finding.
func Pass(rule *rules.Rule, fr, en string, ev ...result.Evidence) result.Finding {
	return result.Finding{Rule: rule.ID, Status: result.Pass, Message: fr, MessageEN: en, Evidence: ev}
}

// Fail builds a failing finding.
func Fail(rule *rules.Rule, fr, en string, ev ...result.Evidence) result.Finding {
	return result.Finding{Rule: rule.ID, Status: result.Fail, Message: fr, MessageEN: en, Evidence: ev}
}

// Warn builds a warning.
func Warn(rule *rules.Rule, fr, en string, ev ...result.Evidence) result.Finding {
	return result.Finding{Rule: rule.ID, Status: result.Warn, Message: fr, MessageEN: en, Evidence: ev}
}

// Review builds a warning that a human must judge ("à vérifier").
func Review(rule *rules.Rule, fr, en string, ev ...result.Evidence) result.Finding {
	f := Warn(rule, fr, en, ev...)
	f.Review = true
	return f
}

// Skip builds a not-applicable finding ("sans objet"): the rule does not
// apply, because what it judges does not exist (no link to follow, no
// signature to verify, no archive supplied). A rule that applies but
// could not be examined from the piece at hand is NotEvaluated, never a
// skip (docs/reports.md lists which is which).
func Skip(rule *rules.Rule, fr, en string) result.Finding {
	return result.Finding{Rule: rule.ID, Status: result.Skip, Message: fr, MessageEN: en}
}

// NotEvaluated builds a not-evaluated finding: the rule applies, but the
// piece at hand does not let it be examined (a saved page whose notice
// link is relative to the site root, a comparison with a piece that was
// not supplied). A bloquant or majeur rule not evaluated makes the
// verdict incomplet, never conforme.
func NotEvaluated(rule *rules.Rule, fr, en string, ev ...result.Evidence) result.Finding {
	return result.Finding{Rule: rule.ID, Status: result.NotEvaluated, Message: fr, MessageEN: en, Evidence: ev}
}

// Errorf builds an evaluation error (the rule could not be evaluated).
// The French message says err in French (input.French): file, line and
// problem, third-party messages kept as the technical detail.
func Errorf(rule *rules.Rule, err error) result.Finding {
	return result.Finding{
		Rule: rule.ID, Status: result.Error,
		Message:   "Non évalué : " + input.French(err),
		MessageEN: "Not evaluated: " + err.Error(),
		Evidence:  evidenceOf(err),
	}
}

func evidenceOf(err error) []result.Evidence {
	if e, ok := input.AsError(err); ok {
		return []result.Evidence{{Source: e.Source, Line: e.Line, Column: e.Column}}
	}
	return nil
}

// Unreadable marks every rule of an area, except those in handled, as not
// evaluated because its evidence could not be read.
func Unreadable(area rules.Area, err error, handled ...*rules.Rule) []result.Finding {
	skip := map[string]bool{}
	for _, h := range handled {
		skip[h.ID] = true
	}
	var out []result.Finding
	for _, r := range rules.InArea(area) {
		if !skip[r.ID] {
			out = append(out, Errorf(r, err))
		}
	}
	return out
}

// Missing lists the rules of area that have no finding in fs; tests use it
// to prove that an area reports on every one of its rules.
func Missing(area rules.Area, fs []result.Finding) []string {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Rule] = true
	}
	var out []string
	for _, r := range rules.InArea(area) {
		if !seen[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}

// Count is n followed by the singular or plural noun ("1 clé", "2 clés"):
// messages say "(s)" nowhere.
func Count(n int, one, many string) string {
	if n > 1 {
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%d %s", n, one)
}
