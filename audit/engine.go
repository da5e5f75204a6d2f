// Package audit drives a run: it builds the checks' environment, runs the
// areas a command asks for, fills each finding from the catalogue, applies
// dérogations and produces the deterministic result.
package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/areas"
	"github.com/sdetcheck/sdetcheck/checks/notice"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/manifest"
	"github.com/sdetcheck/sdetcheck/internal/netguard"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
	"github.com/sdetcheck/sdetcheck/waiver"
)

// ToolVersion is sdetcheck's version.
var ToolVersion = "0.1.0"

// Config is what the command line passes to a run.
type Config struct {
	// Now is the clock; zero means time.Now().
	Now time.Time
	// Timestamp adds generated_at to the result (off by default so that the
	// same inputs give byte-identical JSON).
	Timestamp bool
	Opts      checks.Options
	// Waivers is a dérogations file given on the command line.
	Waivers  string
	MaxBytes int64
	Client   *http.Client
	// Progress, when set, is called with each area's name as it starts.
	Progress func(area string)
	// Resolver resolves host names (nil: the system's resolver).
	Resolver checks.Resolver
	// noCache makes every check open its inputs itself (tests compare it
	// with the shared cache of a normal run).
	noCache bool
}

// cache returns the run's shared cache (nil when disabled: opened
// every time).
func (c Config) cache() *checks.Cache {
	if c.noCache {
		return nil
	}
	return checks.NewCache()
}

func (c Config) progress(area string) {
	if c.Progress != nil {
		c.Progress(area)
	}
}

func (c Config) env(ctx context.Context, base string) *checks.Env {
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	// The headless browser of --render gets the network policy through
	// the context.
	ctx = netguard.WithPolicy(ctx, netguard.Policy{AllowPrivate: c.Opts.AllowPrivateNetwork})
	return &checks.Env{
		Ctx:      ctx,
		Loader:   &input.Loader{MaxBytes: c.MaxBytes, AllowHTTP: c.Opts.AllowHTTP, AllowPrivateNetwork: c.Opts.AllowPrivateNetwork, Client: c.Client, Base: base},
		Now:      now.UTC(),
		Opts:     c.Opts,
		Resolver: c.Resolver,
	}
}

// Check runs one area on one piece of evidence.
func Check(ctx context.Context, area, src string, cfg Config) (*result.Result, error) {
	a, ok := areas.Lookup(rules.Area(area))
	if !ok || a.Check == nil {
		return nil, ErrUnknownArea.With("%q: expected one of %s", "%q : attendu l'un de %s", area, strings.Join(areas.CheckIDs(), ", "))
	}
	env := cfg.env(ctx, "")
	env.Cache = cfg.cache()
	defer env.Cache.Close()
	fs := a.Check.Run(env, src)
	set, err := loadWaivers(ctx, env, cfg.Waivers, false)
	if err != nil {
		return nil, err
	}
	fs = liveOnly(fs)
	res, err := finish(env, "check "+area, nil, fs, set, cfg)
	if res != nil && a.Check.Scoped {
		res.Scope = scopeOf(src)
	}
	return res, err
}

// Audit runs every area a dossier's manifest names.
func Audit(ctx context.Context, dir string, cfg Config) (*result.Result, error) {
	m, err := manifest.Load(dir)
	if err != nil {
		return nil, err
	}
	if cfg.Opts.Degree == "" {
		cfg.Opts.Degree = m.Degree
	}
	if cfg.Opts.IDEnt == "" {
		cfg.Opts.IDEnt = m.ENT.IDEnt
	}
	if len(cfg.Opts.ReleasedAttributes) == 0 {
		cfg.Opts.ReleasedAttributes = m.Evidence.SAMLAttributes
	}
	if sp := m.GARSP; sp != nil && cfg.Opts.GARSPEntityID == "" && cfg.Opts.GARSPACS == "" {
		cfg.Opts.GARSPEntityID, cfg.Opts.GARSPACS = sp.EntityID, sp.ACSURL
	}
	if cfg.Opts.ENTURL == "" {
		cfg.Opts.ENTURL = m.ENT.URL
	}
	waiversInDossier := false
	if cfg.Waivers == "" && m.Waivers != "" {
		cfg.Waivers, waiversInDossier = m.Waivers, true
	}
	env := cfg.env(ctx, dir)
	// The GAR feed is read by two areas: unpack it once.
	env.Cache = cfg.cache()
	defer env.Cache.Close()
	// What the areas see, for the cross-area steps.
	env.Seen = &checks.Seen{}
	// Record the manifest itself among the inputs.
	if _, err := env.Loader.Read(ctx, manifest.FileName, "manifest"); err != nil {
		return nil, err
	}
	set, err := loadWaivers(ctx, env, cfg.Waivers, waiversInDossier)
	if err != nil {
		return nil, err
	}
	var fs []result.Finding
	var missing []checks.Piece
	var scoped, scopedKeys []string
	ran := map[*checks.Audit]checks.Sources{}
	present := map[*checks.Audit]checks.Sources{} // the pieces of the runs not made
	for _, run := range areas.Audits() {
		src := checks.Sources{}
		var lack []checks.Read
		made := true
		for _, rd := range run.Reads {
			v, _ := m.Evidence.Sources(rd.Piece.Key)
			if len(v) == 0 {
				lack = append(lack, rd)
				made = made && !rd.Required()
				if !rd.Piece.Optional && !slices.ContainsFunc(missing, func(p checks.Piece) bool { return p.Key == rd.Piece.Key }) {
					missing = append(missing, rd.Piece)
				}
				continue
			}
			src[rd.Piece.Key] = v
			if rd.Piece.Scoped && !slices.Contains(scopedKeys, rd.Piece.Key) {
				scopedKeys = append(scopedKeys, rd.Piece.Key)
				scoped = append(scoped, v...)
			}
		}
		// A run is made on the pieces present, unless a piece it cannot
		// do without is missing, or none is given.
		var out []result.Finding
		if made && len(src) > 0 {
			var ids []string
			for _, a := range areas.Of(run) {
				ids = append(ids, string(a.ID))
			}
			cfg.progress(strings.Join(ids, ", "))
			out = run.Run(env, src)
		}
		fs = append(fs, out...)
		fs = append(fs, notEvaluated(run, lack, out, made && len(src) > 0)...)
		if made && len(src) > 0 {
			ran[run] = src
		} else {
			present[run] = src
		}
	}
	// The cross-area steps, once every area has run.
	for _, a := range areas.All() {
		if a.Cross == nil {
			continue
		}
		if src, ok := ran[a.Audit]; ok {
			fs = append(fs, a.Cross.Run(env, src)...)
		} else if a.Cross.Always {
			fs = append(fs, a.Cross.Run(env, present[a.Audit])...)
		}
	}
	fs = append(fs, dossierCompleteness(missing))
	fs = liveOnly(fs)
	subject := &result.Subject{
		ENT: m.ENT.Name, Vendor: m.ENT.Vendor, IDEnt: m.ENT.IDEnt,
		Collectivite: m.Collectivite.Name, Degree: m.Degree, SDET: m.SDET,
		Representative: m.Collectivite.Representative,
		URL:            m.ENT.URL, Convention: m.Collectivite.Convention, Auditor: m.Auditor,
	}
	if set == nil {
		// An audit always reports on the dossier rules about waivers.
		fs = append(fs, waiver.Apply(nil, nil, env.Now)...)
	}
	res, err := finish(env, "audit", subject, fs, set, cfg)
	if res != nil {
		res.Scope = scopeOf(scoped...)
		if res.Scope == "" {
			// No page supplied: what was examined are the dossier's files.
			res.Scope = result.ScopeSurPieces
		}
	}
	return res, err
}

// pieceEN names a piece in English with its key in ent.yaml (the French
// name alone).
func pieceEN(p checks.Piece) string {
	return p.Name.EN + " (evidence." + p.Key + ")"
}

// notEvaluated reports the rules of run that read a piece in lack not
// evaluated: they apply, but the dossier does not supply what they read
// (DOSSIER-001 reports the gap). Never a pass, never a failure. A rule the
// run already reports not evaluated (in its own words: which page, which
// response) gets no other finding. An optional piece (the AAF samples)
// is left to the run, which says what its absence means, when the run is
// made (ran); when it is not, the rules reading it are not evaluated too.
func notEvaluated(run *checks.Audit, lack []checks.Read, out []result.Finding, ran bool) []result.Finding {
	said := map[string]bool{}
	for _, f := range out {
		if f.Status == result.NotEvaluated {
			said[f.Rule] = true
		}
	}
	var fs []result.Finding
	for _, a := range areas.Of(run) {
		for _, r := range rules.InArea(a.ID) {
			if said[r.ID] {
				continue
			}
			var fr, en []string
			for _, rd := range lack {
				if rd.Reads(r) && (!rd.Piece.Optional || !ran) {
					fr = append(fr, rd.Piece.Name.FR)
					en = append(en, pieceEN(rd.Piece))
				}
			}
			if len(fr) == 0 {
				continue
			}
			fs = append(fs, result.Finding{
				Rule: r.ID, Status: result.NotEvaluated,
				Message:   fmt.Sprintf("Non évaluée : pièce non fournie (%s).", strings.Join(fr, ", ")),
				MessageEN: fmt.Sprintf("Not evaluated: evidence not provided (%s).", strings.Join(en, ", ")),
			})
		}
	}
	return fs
}

func dossierCompleteness(missing []checks.Piece) result.Finding {
	if len(missing) == 0 {
		return checks.Pass(rules.DOSSIER001, "Toutes les pièces exigées sont fournies.", "Every required piece of evidence is declared in ent.yaml.")
	}
	var fr, en []string
	for _, p := range missing {
		fr = append(fr, p.Name.FR)
		en = append(en, pieceEN(p))
	}
	lead := "Pièce manquante : "
	if len(missing) > 1 {
		lead = "Pièces manquantes : "
	}
	return checks.Fail(rules.DOSSIER001,
		lead+strings.Join(fr, " ; ")+". Les règles qui en dépendent ne sont pas évaluées : dossier incomplet.",
		"Missing evidence: "+strings.Join(en, "; ")+". The rules that need it are not evaluated: incomplete dossier.",
		result.Evidence{Source: manifest.FileName})
}

// liveOnly adds, for each rule only a live audit can settle that was run
// on saved copies and found nothing wrong there, a not-evaluated finding
// marked LiveOnly: the rule is never shown "OK" on a saved copy. What the
// copy shows wrong (a resource in plain http, a tracker in the HTML) stays
// a failure. The finding is listed among the limits of an audit sur
// pièces and does not count against its verdict (result.VerdictOf).
func liveOnly(fs []result.Finding) []result.Finding {
	type acc struct {
		local   []result.Evidence
		live    bool
		problem bool
	}
	seen := map[string]*acc{}
	var order []string
	for _, f := range fs {
		r, ok := rules.Lookup(f.Rule)
		if !ok || r.LiveOnly == (rules.Text{}) || f.Status == result.Skip || f.Status == result.NotEvaluated {
			continue
		}
		a := seen[f.Rule]
		if a == nil {
			a = &acc{}
			seen[f.Rule] = a
			order = append(order, f.Rule)
		}
		if f.Status == result.Fail || f.Status == result.Error {
			a.problem = true
		}
		for _, e := range f.Evidence {
			if input.IsURL(e.Source) {
				a.live = true
			} else if e.Source != "" && !hasSource(a.local, e.Source) {
				a.local = append(a.local, result.Evidence{Source: e.Source})
			}
		}
	}
	for _, id := range order {
		a := seen[id]
		if a.live || a.problem || len(a.local) == 0 {
			continue
		}
		why := rules.MustLookup(id).LiveOnly
		fs = append(fs, result.Finding{
			Rule: id, Item: "en-ligne", Status: result.NotEvaluated, LiveOnly: true,
			Message: why.FR, MessageEN: why.EN, Evidence: a.local,
		})
	}
	return fs
}

func hasSource(es []result.Evidence, src string) bool {
	for _, e := range es {
		if e.Source == src {
			return true
		}
	}
	return false
}

// scopeOf says whether pages were audited sur pièces, en ligne or both.
func scopeOf(srcs ...string) string {
	var live, local bool
	for _, s := range srcs {
		switch {
		case s == "":
		case input.IsURL(s):
			live = true
		default:
			local = true
		}
	}
	switch {
	case live && local:
		return result.ScopeMixte
	case live:
		return result.ScopeEnLigne
	case local:
		return result.ScopeSurPieces
	}
	return ""
}

// loadWaivers reads the dérogations file, if any, and records it among the
// inputs. inDossier says the path comes from the manifest and is relative
// to the dossier; a path from the command line is relative to the current
// directory. A malformed file is an error (exit 2): the run is refused.
func loadWaivers(ctx context.Context, env *checks.Env, src string, inDossier bool) (*waiver.Set, error) {
	if src == "" {
		return nil, nil
	}
	l := env.Loader
	if !inDossier {
		l = &input.Loader{MaxBytes: 1 << 20}
	}
	data, err := l.Read(ctx, src, "waivers")
	if err != nil {
		return nil, err
	}
	if !inDossier {
		env.Loader.Record(l.Inputs()[0])
	}
	return waiver.Parse(src, data)
}

// PrivateNetworkNote is the result note of a run with
// --allow-private-network.
const PrivateNetworkNote = "Exécution avec --allow-private-network : les adresses (URL) pouvaient mener à cette machine ou à un réseau privé (site de pré-production, test). / Run with --allow-private-network: URLs could lead to this machine or to a private network (pre-production site, test)."

// Findings makes a result of findings produced outside a run (the SSO
// probe audits responses as they arrive): catalogue fields, order,
// summary and verdict as for any run.
func Findings(command string, fs []result.Finding, now time.Time) (*result.Result, error) {
	cfg := Config{Now: now}
	return finish(cfg.env(context.Background(), ""), command, nil, fs, nil, cfg)
}

// ErrUnknownArea is the kind of the error of Check given an area it does
// not know (a usage error).
var ErrUnknownArea = &input.Problem{EN: "unknown area", FR: "domaine inconnu"}

// ErrInternal is the kind of the errors that are sdetcheck's own defects.
var ErrInternal = errors.New("internal")

// finish fills findings from the catalogue, applies waivers and sorts.
func finish(env *checks.Env, command string, subject *result.Subject, fs []result.Finding, set *waiver.Set, cfg Config) (*result.Result, error) {
	if set != nil {
		fs = append(fs, waiver.Apply(fs, set, env.Now)...)
	}
	for i := range fs {
		r, ok := rules.Lookup(fs[i].Rule)
		if !ok {
			return nil, fmt.Errorf("%w: check returned unknown rule %q", ErrInternal, fs[i].Rule)
		}
		fs[i].Severity = r.Severity
		fs[i].Area = string(r.Area)
		fs[i].Title = r.Title.FR
		fs[i].TitleEN = r.Title.EN
	}
	res := &result.Result{
		Tool:      result.Tool{Name: "sdetcheck", Version: ToolVersion},
		Catalogue: result.Catalogue{Version: rules.Version},
		Command:   command,
		Subject:   subject,
		Results:   fs,
	}
	res.Inputs = env.Loader.Inputs()
	res.Notes = append(res.Notes, notice.Notes(fs)...)
	if cfg.Opts.AllowPrivateNetwork {
		res.Notes = append(res.Notes, PrivateNetworkNote)
	}
	if cfg.Timestamp {
		res.GeneratedAt = env.Now.Format(time.RFC3339)
	}
	res.Finalize(rules.Traits)
	return res, nil
}

// Errors lists the evaluation errors of a result in lang, one line each,
// for stderr.
func Errors(r *result.Result, lang string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range r.Results {
		if f.Status != result.Error {
			continue
		}
		msg := strings.TrimPrefix(f.MessageEN, "Not evaluated: ")
		if lang != "en" {
			msg = strings.TrimPrefix(f.Message, "Non évalué : ")
		}
		if !seen[msg] {
			seen[msg] = true
			out = append(out, msg)
		}
	}
	sort.Strings(out)
	return out
}
