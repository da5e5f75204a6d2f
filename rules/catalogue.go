// Package rules is sdetcheck's rule catalogue: for every rule its stable ID,
// French and English titles, severity, the reference it rests on, rationale,
// remediation, lifecycle and the fixtures that show it passing and failing.
//
// The catalogue is data; the logic of each rule lives in checks/<area>. The
// `rules` command, the reports and the docs are generated from it.
package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Version is the catalogue version. Bump it whenever a rule is added,
// removed or changes meaning.
const Version = "2026.12.1"

// Area groups rules by the evidence they examine. Each area is described
// once, by its descriptor (checks.Area, listed by checks/areas): titles,
// pieces read, how it is run. The catalogue knows only its ID.
type Area string

const (
	AreaDossier Area = "dossier" // the manifest and the run itself
	AreaSAML    Area = "saml"    // the ENT's SAML IdP metadata toward the GAR
	AreaGAR     Area = "gar"     // the GAR feed export
	AreaMapping Area = "mapping" // the declared AAF → ENT → GAR mapping
	AreaPage    Area = "page"    // home and login pages (placement of the notice)
	AreaNotice  Area = "notice"  // the information notice's content
	AreaSSO     Area = "sso"     // captured SAML exchanges toward the GAR
	// AreaContract: the vendor's processing contract and what the other
	// pieces show of its commitments.
	AreaContract Area = "contract"
	// AreaSecurity: what a browser receives from the live login page
	// (TLS, security headers, cookies, where the login form posts).
	AreaSecurity Area = "security"
	// AreaAccessibility: the legal accessibility mention of the home and
	// login pages and the accessibility statement it leads to.
	AreaAccessibility Area = "accessibility"
)

// Basis says what a rule's reference is.
type Basis string

const (
	// BasisOfficial: a published legal or administrative text (RGPD, arrêté,
	// SDET, convention).
	BasisOfficial Basis = "texte-officiel"
	// BasisStandard: a public technical standard (OASIS SAML, W3C, RFC, ANSSI).
	BasisStandard Basis = "norme"
	// BasisSchema: an official machine-readable schema (GAR XSD).
	BasisSchema Basis = "schema-officiel"
	// BasisObserved: the official text is not public; the rule rests on the
	// practice observed in public ENT and GAR connector code.
	BasisObserved Basis = "pratique-observee"
	// BasisNotPublic: an official text that binds the parties but is not
	// published (the collectivité–DSDEN convention): the rule states the
	// clause as the parties know it, without citing its article.
	BasisNotPublic Basis = "texte-non-public"
)

// garObserved is the reference of rules resting on the GAR's practice as
// public ENT exporters and connectors implement it (no official GAR
// technical document is public). Shared by the saml and gar areas.
var garObserved = Reference{Basis: BasisObserved, Document: "GAR — pratique observée (exportateurs et connecteurs ENT publics : OPEN-ENT-NG gar-connector, edificeio/entcore)"}

// Lifecycle of a rule.
type Lifecycle string

const (
	Stable       Lifecycle = "stable"
	Experimental Lifecycle = "experimental"
	Deprecated   Lifecycle = "deprecated"
)

// Text is a French / English pair.
type Text struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// In returns the text in lang ("fr" or "en"), falling back to French.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// Reference is what a rule rests on. Document, Version and Clause are
// French; their English rendering (DocumentEN…) translates the connective
// text and keeps the proper names of official texts (see reference_en.go).
type Reference struct {
	Basis      Basis  `json:"basis"`
	Document   string `json:"document"`
	Version    string `json:"version,omitempty"`
	Clause     string `json:"clause,omitempty"`
	URL        string `json:"url,omitempty"`
	DocumentEN string `json:"document_en,omitempty"`
	VersionEN  string `json:"version_en,omitempty"`
	ClauseEN   string `json:"clause_en,omitempty"`
}

// String renders the reference on one line, in French.
func (r Reference) String() string { return r.In("fr") }

// In renders the reference on one line in lang ("fr" or "en"); a part
// without English is given as it is.
func (r Reference) In(lang string) string {
	en := lang == "en"
	part := func(fr, eng string) string {
		if en && eng != "" {
			return eng
		}
		return fr
	}
	parts := []string{part(r.Document, r.DocumentEN)}
	if r.Version != "" {
		parts = append(parts, part(r.Version, r.VersionEN))
	}
	if r.Clause != "" {
		parts = append(parts, part(r.Clause, r.ClauseEN))
	}
	s := strings.Join(parts, ", ")
	if r.Basis == BasisNotPublic {
		switch {
		case en && !strings.Contains(s, "not public"):
			s += " (text not public)"
		case !en && !strings.Contains(s, "non public") && !strings.Contains(s, "pas de version publique"):
			s += " (texte non public)"
		}
	}
	if r.Basis == BasisObserved {
		switch {
		case en && !strings.Contains(s, "observed practice"):
			s += " (observed practice)"
		case !en && !strings.Contains(s, "pratique observée"):
			s += " (pratique observée)"
		}
	}
	return s
}

// Examples are the fixtures, relative to the repository root, that show the
// rule passing (Good) and failing or warning (Bad). A directory holding an
// ent.yaml is run as a dossier audit; a file is run by `check <area>`.
type Examples struct {
	Good []string `json:"good"`
	Bad  []string `json:"bad"`
}

// Rule is one catalogue entry.
type Rule struct {
	ID          string          `json:"id"`
	Area        Area            `json:"area"`
	Title       Text            `json:"title"`
	Severity    result.Severity `json:"severity"`
	Reference   Reference       `json:"reference"`
	Rationale   Text            `json:"rationale"`
	Remediation Text            `json:"remediation"`
	// Action is what must be done when the rule fails, in plain words for
	// a reader who is not an engineer (actions.go); Remediation is the
	// technical detail.
	Action    Text      `json:"action"`
	Since     string    `json:"since"`
	Lifecycle Lifecycle `json:"lifecycle"`
	Examples  Examples  `json:"examples"`

	// What belongs to the rule beyond its documentation: the engine and the
	// report read these instead of naming rules.

	// Actor is who must act when the rule fails (the vendor when unset).
	Actor Actor `json:"-"`
	// MissingPieces: the rule reports the pieces a dossier lacks. Its
	// failure makes the dossier incomplet, never non-conforme, and a
	// dérogation on it is a délai (result.Traits).
	MissingPieces bool `json:"-"`
	// LiveOnly, when set, says why a saved copy of a page cannot settle the
	// rule: only an audit en ligne can. A run on saved copies that finds
	// nothing wrong adds a not-evaluated finding with this message.
	LiveOnly Text `json:"-"`
	// Extent: the rule's message says how much its area examined (files
	// validated, people compared); the report adds it to the area's method.
	Extent bool `json:"-"`
	// Items are the item keys (Finding.Item) the rule checks one by one, in
	// the order the report's checklist lists them.
	Items []string `json:"-"`
	// Compares: the rule's evidence holds side-by-side excerpts (the
	// validated version against the one displayed), shown as a diff.
	Compares bool `json:"-"`
	// Points are the points of the report's synthèse the rule settles
	// (the CNIL's three demands): the report names them first, each with
	// the state of its item.
	Points []Point `json:"-"`
}

// Point is a point the first page of the report names before anything
// else, settled by one item of a rule (every finding of the rule when
// Item is empty).
type Point struct {
	Item string
	// Rank orders the points on the page (1 first).
	Rank  int
	Title Text
}

// Actor is who acts on a failure.
type Actor string

const (
	ActorVendor       Actor = ""             // the éditeur fixes its ENT
	ActorCollectivite Actor = "collectivite" // the collectivité supplies pieces, keeps its files
	ActorDSDEN        Actor = "dsden"        // the DSDEN renews a dérogation
)

// Traits answers what the verdict must know of a rule (result.Traits).
var Traits result.Traits = traits{}

type traits struct{}

func (traits) MissingPieces(id string) bool {
	r, ok := byID[id]
	return ok && r.MissingPieces
}

// stableRule builds a stable rule introduced in the first catalogue
// version, for areas that declare their rules as a compact list.
func stableRule(area Area, good []string, id string, sev result.Severity, ref Reference, titleFR, titleEN, ratFR, ratEN, remFR, remEN string, bad ...string) Rule {
	return Rule{
		ID: id, Area: area, Severity: sev, Reference: ref,
		Title:       Text{FR: titleFR, EN: titleEN},
		Rationale:   Text{FR: ratFR, EN: ratEN},
		Remediation: Text{FR: remFR, EN: remEN},
		Since:       "2026.11.0", Lifecycle: Stable,
		Examples: Examples{Good: good, Bad: bad},
	}
}

// catalogue is every rule, sorted by ID. The list is explicit: each area
// file declares its rules as Go values (checks refer to them by name, so a
// typo fails at compile time) and its list is named here.
var catalogue = func() []*Rule {
	var all []*Rule
	for _, group := range [][]*Rule{dossierRules, samlRules, garRules, mappingRules, pageRules, noticeRules, ssoRules, contractRules, securityRules, accessibilityRules} {
		all = append(all, group...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	for _, r := range all {
		r.Reference = withEnglish(r.Reference)
	}
	return all
}()

// All returns the whole catalogue sorted by ID.
func All() []*Rule { return slices.Clone(catalogue) }

var byID = func() map[string]*Rule {
	m := map[string]*Rule{}
	for _, r := range catalogue {
		if m[r.ID] != nil {
			panic(fmt.Sprintf("rules: %s declared twice", r.ID))
		}
		m[r.ID] = r
	}
	return m
}()

// Lookup finds a rule by ID (case-insensitive).
func Lookup(id string) (*Rule, bool) {
	r, ok := byID[strings.ToUpper(strings.TrimSpace(id))]
	return r, ok
}

// InArea returns the rules of one area, sorted by ID.
func InArea(a Area) []*Rule {
	var out []*Rule
	for _, r := range catalogue {
		if r.Area == a {
			out = append(out, r)
		}
	}
	return out
}

// MustLookup is for code paths where an unknown ID is a programming error.
func MustLookup(id string) *Rule {
	r, ok := Lookup(id)
	if !ok {
		panic(fmt.Sprintf("rules: unknown rule %q", id))
	}
	return r
}
