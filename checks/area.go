package checks

import (
	"slices"

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
	// Checklist is the title of the report's checklist of the items its
	// rules check one by one (rules.Rule.Items); empty when it has none.
	Checklist rules.Text
	// Check runs the area on one piece (`sdetcheck check ID SRC`); nil when
	// the area cannot be run alone.
	Check *Check
	// Audit is how an audit of a dossier runs the area; nil for an area
	// the engine settles itself (dossier). Several areas may share one
	// Audit: it is run once and reports on all of them.
	Audit *Audit
	// Cross, when set, is a step of an audit that runs once every area's
	// audit has run, on the pieces of the area's Audit, and reads what
	// the other areas saw (Env.Seen): the findings no single area can
	// make. It runs when its Audit ran (its pieces supplied), or always
	// (Cross.Always).
	Cross *Cross
}

// Cross is an area's cross-area step (see Area.Cross).
type Cross struct {
	// Run gets the sources of the area's Audit pieces (those supplied);
	// env.Seen holds the hosts every area saw.
	Run func(env *Env, src Sources) []result.Finding
	// Always: some of its rules read none of the area's pieces (only
	// what the other areas saw), so it runs even when the area's Audit
	// was not made; the rules that read a missing piece are not
	// evaluated by the engine, and Run must not judge them.
	Always bool
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
	// Help is the paragraph of `sdetcheck check ID --help`.
	Help rules.Text
	// Options are the command-line options the check reads (their names
	// without dashes), besides those of every check.
	Options []string
	// Scoped: the piece may be a page on line or a saved copy; the result
	// says which (result.Scope).
	Scoped bool
}

// Audit is how an audit of a dossier runs one or more areas: the pieces
// of the dossier it reads, which rules read each, and the run itself.
//
// A piece missing must not hide what the others let examine: it makes
// exactly the rules that read it not evaluated, and DOSSIER-001 names it
// (unless the piece is Optional); the run is made on the pieces present.
// Only a Required piece stops the whole run.
type Audit struct {
	// Reads are the pieces the run reads, in the order DOSSIER-001 names
	// them when they are missing.
	Reads []Read
	// Run audits the dossier's pieces: src holds those of Reads that the
	// dossier supplies, and every Required one. It reports on a rule only
	// what the pieces present show (PAGE-001 on the login page when the
	// home page is missing); it may report a rule not evaluated for lack
	// of a piece itself, in its own words (which page, which response).
	// For every rule that reads a missing piece and that the run does not
	// report not evaluated, the engine adds a not-evaluated finding naming
	// the piece: such a rule is never shown passing on what it could not
	// read.
	Run func(env *Env, src Sources) []result.Finding
}

// Read is one piece an audit reads, and the rules that read it.
type Read struct {
	Piece Piece
	// Rules are the rules that read the piece. None: every rule of the
	// run's areas reads it, and the run is not made without it (Required).
	Rules []*rules.Rule
}

// Required is a piece every rule of a run reads: without it, the run is
// not made and all of its areas' rules are not evaluated.
func Required(p Piece) Read { return Read{Piece: p} }

// ReadBy is a piece only rs read: without it, they are not evaluated and
// the run is made on the other pieces.
func ReadBy(p Piece, rs ...*rules.Rule) Read { return Read{Piece: p, Rules: rs} }

// Required reports whether the run cannot be made without the piece.
func (r Read) Required() bool { return len(r.Rules) == 0 }

// Reads reports whether rule reads the piece.
func (r Read) Reads(rule *rules.Rule) bool {
	return r.Required() || slices.Contains(r.Rules, rule)
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
	// Optional: the dossier need not supply the piece (the AAF samples):
	// DOSSIER-001 does not ask for it, and without it the rules that read
	// it say themselves what its absence means (MAP-006: the mapping is
	// not verified on samples, sans objet).
	Optional bool
}

// The pieces several areas read. A piece is declared once, by the area
// that owns it or here when several areas read it, so that every run
// names it alike.
var (
	// GARFeedPiece is the GAR feed export: the gar area reads it whole,
	// the mapping and sso areas compare with it.
	GARFeedPiece = Piece{Key: "gar_feed", Name: rules.Text{FR: "export d'alimentation du GAR", EN: "GAR feed export"}}
	// SAMLMetadataPiece is the IdP metadata of the GAR connector: the saml
	// area reads it whole, the sso area checks the captures against it.
	SAMLMetadataPiece = Piece{Key: "saml_metadata", Name: rules.Text{FR: "métadonnées SAML du connecteur GAR", EN: "SAML metadata of the GAR connector"}}
)

// Sources are the paths or URLs a dossier gives for each piece, by key.
type Sources map[string][]string

// One is the piece's path or URL ("" when the dossier gives none).
func (s Sources) One(p Piece) string {
	if v := s[p.Key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether the dossier gives the piece.
func (s Sources) Has(p Piece) bool { return len(s[p.Key]) > 0 }

// Each is the Audit of an area that reads one piece: run is applied to
// each of the piece's paths or URLs (one for most pieces, several for a
// list such as sso_captures).
func Each(p Piece, run func(env *Env, src string) []result.Finding) *Audit {
	return &Audit{
		Reads: []Read{Required(p)},
		Run: func(env *Env, src Sources) []result.Finding {
			var out []result.Finding
			for _, s := range src[p.Key] {
				out = append(out, run(env, s)...)
			}
			return out
		},
	}
}
