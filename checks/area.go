package checks

import (
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Area describes one area once: what the reports call it, what it reads
// and how it is run. Each area package declares its own (checks/saml's
// saml.Area…) in its area.go; the registry (checks/areas) lists them, and
// the engine, the reports and the help read them instead of keeping lists
// of areas of their own.
type Area struct {
	// ID is the area's stable identifier, as rules and JSON results name it.
	ID rules.Area
	// Title is the title of the area's section in the reports.
	Title rules.Text
	// Short names the area on the report's chart.
	Short rules.Text
	// Method says what the area examines and how (the report's method).
	Method rules.Text
	// Checklist heads the report's checklist of the area's rule that
	// checks items one by one (rules.Rule.Items); empty for an area
	// without one.
	Checklist rules.Text
	// Check runs the area on one piece (`sdetcheck check ID SRC`); nil when
	// the area cannot be run alone.
	Check *Check
	// Audit is how an audit of a dossier runs the area; nil for an area
	// the engine settles itself (dossier). Several areas may share one
	// Audit: it is run once and reports on all of them.
	Audit *Audit
}

// Check is how `sdetcheck check ID SRC` runs an area, and how the help
// presents it.
type Check struct {
	// Run audits the piece src (a file, a directory or a URL).
	Run func(env *Env, src string) []result.Finding
	// Piece names what one check reads, in the help of `check`
	// ("métadonnées SAML").
	Piece rules.Text
	// Args are the arguments after `sdetcheck check ID` in the usage; a
	// newline starts a continuation line.
	Args rules.Text
	// About says what the check does in the usage ("" says nothing).
	About rules.Text
	// Scoped: the piece may be a page on line or a saved copy; the result
	// says which (result.Scope).
	Scoped bool
}

// Audit is how an audit of a dossier runs one or more areas: the pieces
// of the dossier it reads, and the run itself. When a piece it requires
// (not Optional) is missing, the rules of its areas are not evaluated and
// DOSSIER-001 names the piece.
type Audit struct {
	Pieces []Piece
	// Run audits the dossier's pieces (every required one of Pieces is
	// supplied).
	Run func(env *Env, src Sources) []result.Finding
}

// Piece is one piece of evidence a dossier supplies.
type Piece struct {
	// Key is the piece's key under evidence: in ent.yaml (manifest).
	Key string
	// Name names the piece for a reader (DOSSIER-001, rules not
	// evaluated for lack of it).
	Name rules.Text
	// Scoped: the piece is a page whose address says whether the audit
	// was made on line or on saved copies (result.Scope).
	Scoped bool
	// Optional: the run goes on without the piece (it gets no source for
	// it and says itself what its rules become), and DOSSIER-001 does not
	// name it. A piece another run requires may be read by a run that
	// treats it as optional (the security area reads the pages the page
	// area requires): DOSSIER-001 names it once, for the run requiring it.
	Optional bool
}

// Sources are the paths or URLs a dossier gives for each piece, by key.
type Sources map[string][]string

// One is the piece's path or URL ("" when the dossier gives none).
func (s Sources) One(p Piece) string {
	if v := s[p.Key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Each is the Audit of an area that reads one piece: run is applied to
// each of the piece's paths or URLs (one for most pieces, several for a
// list such as sso_captures).
func Each(p Piece, run func(env *Env, src string) []result.Finding) *Audit {
	return &Audit{
		Pieces: []Piece{p},
		Run: func(env *Env, src Sources) []result.Finding {
			var out []result.Finding
			for _, s := range src[p.Key] {
				out = append(out, run(env, s)...)
			}
			return out
		},
	}
}
