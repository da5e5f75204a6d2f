// Command sdetcheck audits an ENT's conformity evidence (SAML/GAR
// connector, GAR feed, annuaire mapping, information notices) and writes the
// conformity report for the DSDEN.
//
// Usage: see `sdetcheck help` and the README.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/checks/areas"
	"github.com/sdetcheck/sdetcheck/checks/gar"
	"github.com/sdetcheck/sdetcheck/checks/sso"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/progress"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/suggest"
	"github.com/sdetcheck/sdetcheck/report"
	"github.com/sdetcheck/sdetcheck/rules"
)

func main() {
	// SIGTERM too (CI timeouts, service managers): the context is cancelled
	// so that temporary copies of the evidence (the GAR archive is extracted
	// to a private directory: pupils' data) are removed before exiting.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, isTerminal(os.Stdout))
	stop()
	os.Exit(code)
}

// usageHead and usageTail are the usage in French, around the lines of
// `check`, one per area (checkUsage).
const usageHead = `sdetcheck — conformité SDET / GAR / mentions d'information d'un ENT

Usage :
  sdetcheck audit DOSSIER [options]          audite un dossier (ent.yaml)
`

const usageTail = `  sdetcheck sso-extract CAPTURE --out FICHIER
                                             garde d'une capture ses seuls messages SAML (à versionner)
  sdetcheck sso-probe --listen 127.0.0.1:PORT --metadata IDP.xml
                                             fournisseur de service de test : audite les réponses reçues
  sdetcheck report RESULTAT.json --format html|pdf|md|sarif|junit [--out FICHIER] [--lang en]
                                             met en forme un résultat JSON (rapport pour la DSDEN)
  sdetcheck diff ANCIEN.json NOUVEAU.json [--format text|md|json]
                                             corrigé, régressé, nouveau, toujours en échec
  sdetcheck rules [--lang en] [--format text|json|md]
  sdetcheck rules explain ID [--lang en]
  sdetcheck serve --data DIR --tokens FICHIER [--addr ADRESSE]
                                             l'audit en service web (API et page)
  sdetcheck version                          version de l'outil et du catalogue

`

// usageHeadEN and usageTailEN are the usage in English (--lang en).
const usageHeadEN = `sdetcheck — SDET / GAR / information notice conformity of an ENT

Usage:
  sdetcheck audit DOSSIER [options]          audit a dossier directory (ent.yaml)
`

const usageTailEN = `  sdetcheck sso-extract CAPTURE --out FILE
                                             keep only the SAML messages of a capture (to commit)
  sdetcheck sso-probe --listen 127.0.0.1:PORT --metadata IDP.xml
                                             test service provider: audits the responses it receives
  sdetcheck report RESULT.json --format html|pdf|md|sarif|junit [--out FILE] [--lang en]
                                             render a JSON result (report for the DSDEN)
  sdetcheck diff OLD.json NEW.json [--format text|md|json]
                                             fixed, regressed, new, still failing
  sdetcheck rules [--lang en] [--format text|json|md]
  sdetcheck rules explain ID [--lang en]
  sdetcheck serve --data DIR --tokens FILE [--addr ADDRESS]
                                             the audit as a web service (API and page)
  sdetcheck version                          tool and catalogue version

`

// usageIn is the usage in lang.
func usageIn(lang string) string {
	return pick(lang, usageHead, usageHeadEN) + checkUsage(lang) + pick(lang, usageTail, usageTailEN) + pick(lang, "Options :\n", "Options:\n") + optionLines(optionDocs, lang) +
		pick(lang, "\nAide d'une commande : sdetcheck COMMANDE --help\n", "\nHelp of a command: sdetcheck COMMAND --help\n") +
		pick(lang, exitCodesFR, exitCodesEN)
}

// opts are the flags shared by the commands.
type opts struct {
	formats   string
	out       string
	outDir    string
	failOn    string
	lang      string
	now       string
	timestamp bool
	waivers   string
	reference string
	aaf       string
	gar       string
	degree    string
	idEnt     string
	allowHTTP bool
	// allowPrivate lets URLs reach private and local addresses.
	allowPrivate bool
	// caFile adds a certificate authority to the run's client.
	caFile      string
	render      bool
	color       bool
	xsdEngine   string
	guard       *outGuard // the run\'s inputs, kept from being overwritten (outputs.go)
	metadata    string
	garSPID     string
	garSPACS    string
	listen      string
	securityDoc string
	geoip       string
}

func newFlagSet(name string, o *opts, stderr io.Writer, lang string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// The flag package's own error line is discarded: run prints it in
	// the language of --lang, after the usage in that language (lang, the
	// language asked for by the arguments).
	fs.SetOutput(io.Discard)
	fs.Usage = func() {} // run prints the help asked for, or the error
	fs.StringVar(&o.formats, "format", "", "output formats, comma-separated")
	fs.StringVar(&o.out, "out", "", "output file")
	fs.StringVar(&o.outDir, "out-dir", "", "output directory, one file per format")
	fs.StringVar(&o.failOn, "fail-on", "majeur", "lowest severity that fails the run")
	fs.StringVar(&o.lang, "lang", "fr", "language: fr or en")
	fs.StringVar(&o.now, "now", "", "reference clock (RFC 3339 or YYYY-MM-DD)")
	fs.BoolVar(&o.timestamp, "timestamp", false, "add generated_at to the result")
	fs.StringVar(&o.waivers, "waivers", "", "dérogations file")
	fs.StringVar(&o.reference, "reference", "", "notice validated by the DSDEN")
	fs.StringVar(&o.aaf, "aaf", "", "AAF sample directory (check mapping)")
	fs.StringVar(&o.gar, "gar", "", "GAR feed directory (check mapping)")
	fs.StringVar(&o.degree, "degree", "", "1D or 2D")
	fs.StringVar(&o.idEnt, "id-ent", "", "the ENT's project identifier at the GAR")
	fs.BoolVar(&o.allowHTTP, "allow-http", false, "allow plain http URLs")
	fs.BoolVar(&o.allowPrivate, "allow-private-network", false, "let URLs reach loopback, private, link-local, CGNAT and multicast addresses")
	fs.BoolVar(&o.render, "render", false, "render pages in a headless browser")
	fs.StringVar(&o.caFile, "ca-file", "", "certificate authority (PEM) trusted besides the system's")
	fs.StringVar(&o.metadata, "metadata", "", "IdP metadata the SSO captures are checked against (check sso)")
	fs.StringVar(&o.garSPID, "gar-sp-entity-id", "", "the GAR's SAML service provider entityID (check sso)")
	fs.StringVar(&o.garSPACS, "gar-sp-acs", "", "the GAR's assertion consumer URL (check sso)")
	fs.StringVar(&o.listen, "listen", "", "local address of the test service provider (sso-probe)")
	fs.StringVar(&o.securityDoc, "security-doc", "", "the vendor's security documentation (check contract)")
	fs.StringVar(&o.geoip, "geoip", "", "offline IP-to-country database (MMDB) to locate the ENT's hosts")
	fs.StringVar(&o.xsdEngine, "xsd-engine", gar.EngineAuto, "GAR feed XSD validator: auto, libxml2 or go")
	return fs
}

// langOf finds --lang in args that could not be parsed, for the language
// of the error: "en" if the last --lang asks for it (the last one counts,
// as for a parsed run), else French.
func langOf(args []string) string {
	lang := "fr"
	for i, a := range args {
		if a == "--" {
			break
		}
		switch {
		case strings.HasPrefix(a, "--lang=") || strings.HasPrefix(a, "-lang="):
			lang = a[strings.Index(a, "=")+1:]
		case (a == "--lang" || a == "-lang") && i+1 < len(args):
			lang = args[i+1]
		}
	}
	if lang == "en" {
		return "en"
	}
	return "fr"
}

// parse parses flags wherever they stand among the positional arguments.
// On an error, the positional arguments met so far are returned with it
// (`check sso --help` asks for the help of check sso).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return pos, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError is bad usage: exit 2 with a hint, in English (Error) and in
// French (French, what input.French prints).
type usageError struct{ en, fr string }

func (e usageError) Error() string  { return e.en }
func (e usageError) French() string { return e.fr }

// usagef builds a usageError; en and fr take the same arguments.
func usagef(en, fr string, args ...any) error {
	return usageError{fmt.Sprintf(en, args...), fmt.Sprintf(fr, args...)}
}

// usageOf makes err (an option's refusal from another package) a usage
// error, keeping its texts.
func usageOf(err error) error {
	return usageError{err.Error(), input.French(err)}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, tty bool) (code int) {
	lang := "fr"
	defer func() {
		if p := recover(); p != nil {
			msg := pick(lang, internalFR, "internal error: %v")
			fmt.Fprintf(stderr, "sdetcheck: "+msg+"\n%s", p, debug.Stack())
			code = audit.ExitInternal
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usageIn("fr"))
		return audit.ExitBadInput
	}
	if args[0] == "serve" {
		return cmdServe(ctx, args[1:], stdout, stderr)
	}
	var o opts
	argLang := langOf(args) // the language of an error met before --lang is parsed
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "--version", "-version", "-V":
		cmd = "version"
	case "--help", "-help", "-h":
		cmd = "help"
	}
	if strings.HasPrefix(cmd, "-") {
		// Options before the command (sdetcheck --lang en audit D), or
		// options alone (sdetcheck --lang en: the usage in English).
		cmd, rest = "", args
	}
	fs := newFlagSet(cmd, &o, stderr, argLang)
	pos, err := parse(fs, rest)
	if errors.Is(err, flag.ErrHelp) {
		// Asked for: the help of the command, on stdout; of a kind of
		// piece for `check KIND --help`.
		if cmd == "check" && len(pos) > 0 {
			h, err := checkHelp(pos[0], argLang)
			if err != nil {
				return fail(stderr, argLang, err)
			}
			fmt.Fprint(stdout, h)
			return 0
		}
		fmt.Fprint(stdout, commandHelp(cmd, argLang))
		return 0
	}
	if err != nil {
		// The error first, as typed, with the nearest known option and
		// where the help is; not the whole help.
		return fail(stderr, argLang, optionError(err, cmd, args))
	}
	if cmd == "" {
		if len(pos) == 0 {
			fmt.Fprint(stderr, usageIn(argLang))
			return audit.ExitBadInput
		}
		cmd, pos = pos[0], pos[1:]
	}
	o.color = tty && os.Getenv("NO_COLOR") == ""
	if o.lang != "fr" && o.lang != "en" {
		return fail(stderr, lang, usagef("--lang %q: expected fr or en", "--lang %q : fr ou en attendu", o.lang))
	}
	lang = o.lang
	switch cmd {
	case "check", "audit", "report", "diff":
		// An empty path is most often a CI variable left unset.
		for _, p := range pos {
			if p == "" {
				return fail(stderr, lang, usagef("empty argument: a file or directory is expected (unset variable?)", "argument vide : un fichier ou un répertoire est attendu (variable non définie ?)"))
			}
		}
	}
	switch cmd {
	case "help":
		if len(pos) == 2 && pos[0] == "check" {
			h, err := checkHelp(pos[1], lang)
			if err != nil {
				return fail(stderr, lang, err)
			}
			fmt.Fprint(stdout, h)
			return 0
		}
		if len(pos) == 1 {
			if _, ok := lookupCommand(pos[0]); ok {
				fmt.Fprint(stdout, commandHelp(pos[0], lang))
				return 0
			}
		}
		fmt.Fprint(stdout, usageIn(lang))
		return 0
	case "version":
		fmt.Fprintf(stdout, "sdetcheck %s (catalogue %s)\n", audit.ToolVersion, rules.Version)
		if eng, err := gar.ResolveEngine(gar.EngineAuto); err == nil {
			fmt.Fprintf(stdout, pick(lang, "Validateur XSD du flux GAR : %s\n", "XSD engine for the GAR feed: %s\n"), eng.Label)
		}
		return 0
	case "rules":
		return fail(stderr, lang, cmdRules(stdout, pos, o))
	case "check", "audit":
		return cmdRun(ctx, cmd, pos, o, stdout, stderr, tty)
	case "report":
		return fail(stderr, lang, cmdReport(pos, o, stdout, tty))
	case "diff":
		return cmdDiff(pos, o, stdout, stderr)
	case "sso-probe":
		return fail(stderr, lang, cmdProbe(ctx, pos, o, stdout, stderr))
	case "sso-extract":
		return fail(stderr, lang, cmdSSOExtract(ctx, pos, o, stdout, stderr))
	}
	if near := suggest.Nearest(cmd, commandNames()); near != "" {
		return fail(stderr, lang, usagef("unknown command %q (did you mean %s?); see sdetcheck help", "commande inconnue %q (vouliez-vous dire %s ?) ; voir sdetcheck help", cmd, near))
	}
	return fail(stderr, lang, usagef("unknown command %q (see sdetcheck help)", "commande inconnue %q (voir sdetcheck help)", cmd))
}

// fail prints err (if any) in lang and returns its exit code.
func fail(stderr io.Writer, lang string, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "sdetcheck: %s\n", say(lang, err))
	var ue usageError
	if errors.As(err, &ue) {
		return audit.ExitBadInput
	}
	var ie internalError
	if errors.As(err, &ie) {
		return audit.ExitInternal
	}
	return audit.ExitBadInput
}

// say is err in lang: its English text, or input.French's (sdetcheck's
// own problems in French, a third-party message kept as the technical
// detail).
func say(lang string, err error) string {
	if lang == "en" {
		return err.Error()
	}
	return input.French(err)
}

type internalError struct{ error }

// French says the defect in French, its English text kept as the
// technical detail (for the bug report).
func (e internalError) French() string { return fmt.Sprintf(internalFR, e.Error()) }

// internalFR says a defect of sdetcheck in French, its English text (%v)
// kept for the bug report.
const internalFR = "erreur interne de sdetcheck, à signaler (détail technique : %v)"

func cmdRules(stdout io.Writer, pos []string, o opts) error {
	if len(pos) >= 1 && pos[0] == "explain" {
		if len(pos) != 2 {
			return usagef("usage: sdetcheck rules explain ID", "usage : sdetcheck rules explain ID")
		}
		r, ok := rules.Lookup(pos[1])
		if !ok {
			return usagef("unknown rule %q (see sdetcheck rules)", "règle inconnue %q (voir sdetcheck rules)", pos[1])
		}
		_, err := io.WriteString(stdout, rules.Explain(r, o.lang))
		return err
	}
	if len(pos) > 0 {
		return usagef("usage: sdetcheck rules [explain ID]", "usage : sdetcheck rules [explain ID]")
	}
	switch o.formats {
	case "", "text":
		_, err := io.WriteString(stdout, rules.List(o.lang, areas.IDs()))
		return err
	case "md":
		_, err := io.WriteString(stdout, rules.Markdown(o.lang))
		return err
	case "json":
		return report.WriteCatalogue(stdout)
	}
	return usagef("rules --format %q: expected text, json or md", "rules --format %q : text, json ou md attendu", o.formats)
}

func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--now %q: expected RFC 3339 or YYYY-MM-DD", "--now %q : date RFC 3339 ou AAAA-MM-JJ attendue", s)
}

// parseFailOn reads --fail-on: a severity's value (bloquant, majeur,
// mineur, info) or its English name (blocking, major, minor).
func parseFailOn(s string) (result.Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "blocking":
		return result.Bloquant, true
	case "major":
		return result.Majeur, true
	case "minor":
		return result.Mineur, true
	}
	return result.ParseSeverity(s)
}

func cmdRun(ctx context.Context, cmd string, pos []string, o opts, stdout, stderr io.Writer, tty bool) int {
	failOn, ok := parseFailOn(o.failOn)
	if !ok {
		return fail(stderr, o.lang, usagef("--fail-on %q: expected blocking, major, minor or info (or \"bloquant\", \"majeur\", \"mineur\")", "--fail-on %q : bloquant, majeur, mineur ou info attendu", o.failOn))
	}
	now, err := parseNow(o.now)
	if err != nil {
		return fail(stderr, o.lang, err)
	}
	formats, err := chooseFormats(o, tty)
	if err != nil {
		return fail(stderr, o.lang, err)
	}
	if err := guardOutputs(&o, cmd, pos, formats); err != nil {
		return fail(stderr, o.lang, err)
	}
	cfg := audit.Config{Now: now, Timestamp: o.timestamp, Waivers: o.waivers}
	cfg.Opts.AllowHTTP, cfg.Opts.Render = o.allowHTTP, o.render
	cfg.Opts.AllowPrivateNetwork = o.allowPrivate
	if o.caFile != "" {
		c, err := caClient(o.caFile, o.allowPrivate)
		if err != nil {
			return fail(stderr, o.lang, err)
		}
		cfg.Client = c
	}
	cfg.Opts.NoticeReference, cfg.Opts.AAFDir, cfg.Opts.GARDir = o.reference, o.aaf, o.gar
	cfg.Opts.IDEnt = o.idEnt
	cfg.Opts.SSOMetadata, cfg.Opts.GARSPEntityID, cfg.Opts.GARSPACS = o.metadata, o.garSPID, o.garSPACS
	cfg.Opts.SecurityDoc, cfg.Opts.GeoIP = o.securityDoc, o.geoip
	if _, err := gar.ResolveEngine(o.xsdEngine); err != nil {
		return fail(stderr, o.lang, usageError{"--xsd-engine: " + err.Error(), "--xsd-engine : " + input.French(err)})
	}
	cfg.Opts.XSDEngine = o.xsdEngine
	if cmd == "audit" || len(pos) > 0 && rules.Area(pos[0]) == rules.AreaGAR {
		warnLibxml2Env(stderr, o.xsdEngine, o.lang)
	}
	if o.degree != "" {
		d := strings.ToUpper(o.degree)
		if d != "1D" && d != "2D" {
			return fail(stderr, o.lang, usagef("--degree %q: expected 1D or 2D", "--degree %q : 1D ou 2D attendu", o.degree))
		}
		cfg.Opts.Degree = d
	}
	var res *result.Result
	errTTY := false
	if f, ok := stderr.(*os.File); ok {
		errTTY = isTerminal(f)
	}
	prog := progress.Start(stderr, errTTY, cmd+pick(o.lang, " en cours…", " running…"))
	cfg.Progress = prog.Area
	defer prog.Stop()
	ro := report.Options{Lang: o.lang, Date: reportDay(now)}
	switch cmd {
	case "audit":
		if len(pos) != 1 {
			return fail(stderr, o.lang, usagef("usage: sdetcheck audit DOSSIER", "usage : sdetcheck audit DOSSIER"))
		}
		sarifRoots(&ro, cmd, pos)
		res, err = audit.Audit(ctx, pos[0], cfg)
	case "check":
		if len(pos) != 2 {
			return fail(stderr, o.lang, usagef("usage: sdetcheck check %s FILE|URL", "usage : sdetcheck check %s FICHIER|URL", strings.Join(areas.CheckIDs(), "|")))
		}
		if _, ok := lookupKind(pos[0]); !ok {
			return fail(stderr, o.lang, unknownKind(pos[0]))
		}
		prog.Area(pos[0])
		sarifRoots(&ro, cmd, pos)
		res, err = audit.Check(ctx, pos[0], pos[1], cfg)
	}
	prog.Stop()
	if err != nil {
		if errors.Is(err, audit.ErrInternal) {
			return fail(stderr, o.lang, internalError{err})
		}
		if errors.Is(err, audit.ErrUnknownArea) {
			return fail(stderr, o.lang, usageOf(err))
		}
		return fail(stderr, o.lang, err)
	}
	if err := writeOutputs(res, formats, o, ro, stdout); err != nil {
		return fail(stderr, o.lang, err)
	}
	for _, e := range audit.Errors(res, o.lang) {
		fmt.Fprintf(stderr, "sdetcheck: %s\n", e)
	}
	warnCaptures(stderr, res, o.lang)
	code := audit.ExitCode(res, failOn)
	sayWritten(stderr, o, res, code)
	return code
}

// warnCaptures reminds, on stderr, that SSO captures hold credentials
// (session cookies, tokens, often the test account's password): sdetcheck
// read their SAML messages only, the files are to be deleted.
func warnCaptures(stderr io.Writer, res *result.Result, lang string) {
	for _, in := range res.Inputs {
		if in.Kind == sso.CaptureKind {
			fmt.Fprintf(stderr, pick(lang,
				"sdetcheck: attention : la capture %s contient des secrets (cookies de session, jetons, souvent le mot de passe du compte de test) ; seuls ses messages SAML ont été lus. Supprimez-la une fois l'audit terminé et changez le mot de passe du compte de test.\n",
				"sdetcheck: warning: capture %s holds credentials (session cookies, tokens, often the test account's password); only its SAML messages were read. Delete it once the audit is done and change the test account's password.\n"), in.Source)
		}
	}
}

func chooseFormats(o opts, tty bool) ([]string, error) {
	var formats []string
	for _, f := range strings.Split(o.formats, ",") {
		if f = strings.TrimSpace(f); f != "" {
			formats = append(formats, f)
		}
	}
	if len(formats) == 0 {
		switch {
		case o.out != "":
			f, ok := report.FormatForPath(o.out)
			if !ok {
				return nil, usagef("--out %q: cannot tell the format from the extension; add --format", "--out %q : l'extension ne dit pas le format ; ajoutez --format", o.out)
			}
			formats = []string{f}
		case tty && o.outDir == "":
			formats = []string{"text"}
		default:
			formats = []string{"json"}
		}
	}
	for _, f := range formats {
		if _, err := report.New(f); err != nil {
			return nil, usageOf(err)
		}
	}
	if len(formats) > 1 && o.outDir == "" {
		return nil, usagef("several formats need --out-dir DIR", "plusieurs formats demandent --out-dir DIR")
	}
	if o.out != "" && o.outDir != "" {
		return nil, usagef("--out and --out-dir exclude each other", "--out et --out-dir s'excluent")
	}
	for _, f := range formats {
		if f == "pdf" && tty && o.out == "" && o.outDir == "" {
			return nil, usagef("--format pdf writes a binary file: add --out rapport.pdf", "--format pdf écrit un fichier binaire : ajoutez --out rapport.pdf")
		}
	}
	return formats, nil
}

// osCause is the system's error under a file operation's error, without
// the paths it names: the message
// names the user's path itself.
func osCause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
