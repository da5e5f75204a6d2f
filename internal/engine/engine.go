// Package engine drives a run: it builds the checks' environment, runs the
// areas a command asks for, fills each finding from the catalogue, applies
// dérogations and produces the deterministic result.
package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/gar"
	"github.com/sdetcheck/sdetcheck/checks/mapping"
	"github.com/sdetcheck/sdetcheck/checks/notice"
	"github.com/sdetcheck/sdetcheck/checks/saml"
	"github.com/sdetcheck/sdetcheck/checks/sso"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/manifest"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/waiver"
	"github.com/sdetcheck/sdetcheck/rules"
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

// Areas a single `check` can run.
var CheckAreas = []string{"saml", "gar", "mapping", "page", "notice", "sso"}

func (c Config) env(ctx context.Context, base string) *checks.Env {
	now := c.Now
	if now.IsZero() {
		now = time.Now()
	}
	return &checks.Env{
		Ctx:    ctx,
		Loader: &input.Loader{MaxBytes: c.MaxBytes, AllowHTTP: c.Opts.AllowHTTP, Client: c.Client, Base: base},
		Now:    now.UTC(),
		Opts:   c.Opts,
	}
}

// Check runs one area on one piece of evidence.
func Check(ctx context.Context, area, src string, cfg Config) (*result.Result, error) {
	env := cfg.env(ctx, "")
	env.Cache = cfg.cache()
	defer env.Cache.Close()
	var fs []result.Finding
	switch area {
	case "saml":
		fs = saml.Check(env, src)
	case "gar":
		fs = gar.Check(env, src)
	case "mapping":
		fs = mapping.Check(env, src)
	case "page":
		fs = notice.CheckPage(env, src)
	case "notice":
		fs = notice.CheckNotice(env, src)
	case "sso":
		fs = sso.Check(env, src)
	default:
		return nil, ErrUnknownArea.With("%q: expected one of %s", "%q : attendu l'un de %s", area, strings.Join(CheckAreas, ", "))
	}
	set, err := loadWaivers(ctx, env, cfg.Waivers, false)
	if err != nil {
		return nil, err
	}
	return finish(env, "check "+area, nil, fs, set, cfg)
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
	if cfg.Opts.AAFDir == "" && m.Evidence.AAFSamples != "" {
		cfg.Opts.AAFDir = m.Evidence.AAFSamples
	}
	if cfg.Opts.GARDir == "" && m.Evidence.GARFeed != "" {
		cfg.Opts.GARDir = m.Evidence.GARFeed
	}
	if cfg.Opts.NoticeReference == "" {
		cfg.Opts.NoticeReference = m.Evidence.NoticeReference
	}
	if cfg.Opts.SSOMetadata == "" {
		cfg.Opts.SSOMetadata = m.Evidence.SAMLMetadata
	}
	if sp := m.GARSP; sp != nil && cfg.Opts.GARSPEntityID == "" && cfg.Opts.GARSPACS == "" {
		cfg.Opts.GARSPEntityID, cfg.Opts.GARSPACS = sp.EntityID, sp.ACSURL
	}
	waiversInDossier := false
	if cfg.Waivers == "" && m.Waivers != "" {
		cfg.Waivers, waiversInDossier = m.Waivers, true
	}
	env := cfg.env(ctx, dir)
	// The GAR feed is read by two areas: unpack it once.
	env.Cache = cfg.cache()
	defer env.Cache.Close()
	// Record the manifest itself among the inputs.
	if _, err := env.Loader.Read(ctx, manifest.FileName, "manifest"); err != nil {
		return nil, err
	}
	set, err := loadWaivers(ctx, env, cfg.Waivers, waiversInDossier)
	if err != nil {
		return nil, err
	}
	ev := m.Evidence
	var fs []result.Finding
	var missing []string
	run := func(area rules.Area, what, src string, f func() []result.Finding) {
		if src == "" {
			missing = append(missing, what)
			fs = append(fs, checks.NotProvided(area, what)...)
			return
		}
		cfg.progress(string(area))
		fs = append(fs, f()...)
	}
	run(rules.AreaSAML, "métadonnées SAML (evidence.saml_metadata)", ev.SAMLMetadata, func() []result.Finding { return saml.Check(env, ev.SAMLMetadata) })
	run(rules.AreaGAR, "export d'alimentation GAR (evidence.gar_feed)", ev.GARFeed, func() []result.Finding { return gar.Check(env, ev.GARFeed) })
	run(rules.AreaMapping, "correspondance AAF → ENT → GAR (evidence.mapping)", ev.Mapping, func() []result.Finding { return mapping.Check(env, ev.Mapping) })
	fs = append(fs, auditSSO(env, ev.SSOCaptures, cfg)...)
	pages := ev.HomePage != "" && ev.LoginPage != "" && ev.Notice != "" && ev.NoticeReference != ""
	for _, p := range []struct{ what, key, val string }{
		{"page d'accueil de l'ENT", "home_page", ev.HomePage},
		{"page de connexion", "login_page", ev.LoginPage},
		{"mentions d'information affichées", "notice", ev.Notice},
		{"mentions validées par la DSDEN", "notice_reference", ev.NoticeReference},
	} {
		if p.val == "" {
			missing = append(missing, p.what+" (evidence."+p.key+")")
		}
	}
	if pages {
		cfg.progress("page, notice")
		fs = append(fs, notice.Audit(env, notice.Dossier{HomePage: ev.HomePage, LoginPage: ev.LoginPage, Notice: ev.Notice, Reference: ev.NoticeReference})...)
	} else {
		fs = append(fs, checks.NotProvided(rules.AreaPage, "pages d'accueil et de connexion, mentions et version validée")...)
		fs = append(fs, checks.NotProvided(rules.AreaNotice, "pages d'accueil et de connexion, mentions et version validée")...)
	}
	fs = append(fs, dossierCompleteness(missing))
	subject := &result.Subject{
		ENT: m.ENT.Name, Vendor: m.ENT.Vendor, IDEnt: m.ENT.IDEnt,
		Collectivite: m.Collectivite.Name, Degree: m.Degree, SDET: m.SDET,
		Representative: m.Collectivite.Representative,
	}
	if set == nil {
		// An audit always reports on the dossier rules about waivers.
		fs = append(fs, waiver.Apply(nil, nil, env.Now)...)
	}
	return finish(env, "audit", subject, fs, set, cfg)
}

// auditSSO audits the dossier's SSO captures (optional evidence: without
// any, the SSO rules are not evaluated, and say so).
func auditSSO(env *checks.Env, captures []string, cfg Config) []result.Finding {
	if len(captures) == 0 {
		var out []result.Finding
		for _, r := range rules.InArea(rules.AreaSSO) {
			out = append(out, result.Finding{Rule: r.ID, Status: result.NotEvaluated,
				Message:   "Non évalué : aucune capture d'échange SSO vers le GAR (evidence.sso_captures).",
				MessageEN: "Not evaluated: no captured SSO exchange toward the GAR (evidence.sso_captures)."})
		}
		return out
	}
	cfg.progress(string(rules.AreaSSO))
	var out []result.Finding
	for _, c := range captures {
		out = append(out, sso.Check(env, c)...)
	}
	return out
}

func dossierCompleteness(missing []string) result.Finding {
	if len(missing) == 0 {
		return checks.Pass("DOSSIER-001", "Toutes les pièces exigées sont déclarées dans ent.yaml.", "Every required piece of evidence is declared in ent.yaml.")
	}
	list := strings.Join(missing, " ; ")
	return checks.Fail("DOSSIER-001",
		"Pièces manquantes : "+list+".",
		"Missing evidence: "+list+".",
		result.Evidence{Source: manifest.FileName})
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
	if cfg.Timestamp {
		res.GeneratedAt = env.Now.Format(time.RFC3339)
	}
	res.Finalize()
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
