// Package areas is the registry of areas: the one list of every area's
// descriptor (checks.Area) that the engine, the reports and the help read.
// Adding an area is adding its package, with its descriptor in its
// area.go, to the lists below.
package areas

import (
	"slices"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/contract"
	"github.com/sdetcheck/sdetcheck/checks/gar"
	"github.com/sdetcheck/sdetcheck/checks/mapping"
	"github.com/sdetcheck/sdetcheck/checks/notice"
	"github.com/sdetcheck/sdetcheck/checks/saml"
	"github.com/sdetcheck/sdetcheck/checks/security"
	"github.com/sdetcheck/sdetcheck/checks/sso"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Dossier describes the dossier area: the manifest and the run itself. The
// engine settles its rules (pieces missing, waivers): it has no check and
// no audit of its own.
var Dossier = &checks.Area{
	ID:    rules.AreaDossier,
	Title: rules.Text{FR: "Dossier et dérogations", EN: "Dossier and waivers"},
	Short: rules.Text{FR: "Dossier", EN: "Dossier"},
	Method: rules.Text{
		FR: "Présence de chaque pièce exigée par la convention ; validité et portée des dérogations déclarées.",
		EN: "Presence of each piece the convention requires; validity and scope of the waivers.",
	},
}

// all is every area in report order: the reports' sections and chart, the
// `rules` listing and the help follow it.
var all = []*checks.Area{Dossier, contract.Area, saml.Area, gar.Area, mapping.Area, notice.PageArea, notice.NoticeArea, notice.AccessibilityArea, security.Area, sso.Area}

// audits are the runs of an audit of a dossier, each once, in the order the
// audit makes them; DOSSIER-001 names the missing pieces in this order.
var audits = []*checks.Audit{saml.Area.Audit, gar.Area.Audit, mapping.Area.Audit, sso.Area.Audit, notice.PageArea.Audit, security.Area.Audit, contract.Area.Audit}

// All returns every area in report order.
func All() []*checks.Area { return slices.Clone(all) }

// IDs returns every area's ID in report order.
func IDs() []rules.Area {
	var out []rules.Area
	for _, a := range all {
		out = append(out, a.ID)
	}
	return out
}

// Lookup finds an area by ID.
func Lookup(id rules.Area) (*checks.Area, bool) {
	for _, a := range all {
		if a.ID == id {
			return a, true
		}
	}
	return nil, false
}

// Checkable returns the areas `sdetcheck check` runs, in report order.
func Checkable() []*checks.Area {
	var out []*checks.Area
	for _, a := range all {
		if a.Check != nil {
			out = append(out, a)
		}
	}
	return out
}

// CheckIDs returns the IDs of the areas `sdetcheck check` runs, in report
// order.
func CheckIDs() []string {
	var out []string
	for _, a := range Checkable() {
		out = append(out, string(a.ID))
	}
	return out
}

// Audits returns the runs of an audit of a dossier, each once, in the
// order the audit makes them.
func Audits() []*checks.Audit { return slices.Clone(audits) }

// Of returns the areas an audit run reports on, in report order.
func Of(run *checks.Audit) []*checks.Area {
	var out []*checks.Area
	for _, a := range all {
		if a.Audit == run {
			out = append(out, a)
		}
	}
	return out
}
