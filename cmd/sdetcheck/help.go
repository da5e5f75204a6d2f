package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/checks/areas"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/suggest"
	"github.com/sdetcheck/sdetcheck/report"
)

// The help of each command, in French and English, built from one table of
// options so that every option the flag set accepts is documented, and each
// command lists the options it takes (TestEveryOptionDocumented).

// optionDoc documents one option.
type optionDoc struct {
	name       string
	argFR      string // the value's placeholder, "" for a boolean option
	argEN      string
	descFR     string
	descEN     string
	commandsIn []string // commands that take it
}

var (
	outputCmds = []string{"audit", "check", "report", "diff"}
	runCmds    = []string{"audit", "check"}
)

var optionDocs = []optionDoc{
	{"format", "F[,F…]", "F[,F…]", "formats de sortie : text, json, html, pdf, md, sarif, junit (text sur un terminal, sinon json)", "output formats: text, json, html, pdf, md, sarif, junit (text on a terminal, json otherwise)", append(outputCmds, "rules")},
	{"out", "FICHIER", "FILE", "écrit la sortie dans FICHIER (format deviné de l'extension)", "write the output to FILE (format guessed from the extension)", append(outputCmds, "sso-extract")},
	{"out-dir", "DIR", "DIR", "écrit un fichier par format dans DIR", "write one file per format in DIR", runCmds},
	{"fail-on", "SEV", "SEV", "sévérité à partir de laquelle un échec rend non conforme : bloquant, majeur (défaut), mineur, info", "lowest severity of a failure that makes the run not conformant: blocking, major (default), minor, info (or the JSON values \"bloquant\", \"majeur\", \"mineur\")", runCmds},
	{"lang", "fr|en", "fr|en", "langue des rapports et des messages (défaut fr)", "language of reports and messages (default fr)", nil},
	{"now", "DATE", "DATE", "horloge de référence (RFC 3339 ou AAAA-MM-JJ) pour les dates d'expiration, pour rejouer un audit", "reference clock (RFC 3339 or YYYY-MM-DD) for expiry dates, to replay an audit", runCmds},
	{"timestamp", "", "", "ajoute la date de génération au résultat JSON", "add the generation date to the JSON result", runCmds},
	{"waivers", "FICHIER", "FILE", "fichier de dérogations (sinon celui que nomme ent.yaml)", "waivers file (else the one ent.yaml names)", runCmds},
	{"reference", "FICHIER", "FILE", "mentions validées par la DSDEN, à comparer (check notice)", "notice validated by the DSDEN, to compare with (check notice)", []string{"check"}},
	{"aaf", "DIR", "DIR", "échantillons AAF pour vérifier la correspondance (check mapping)", "AAF samples to verify the mapping against (check mapping)", []string{"check"}},
	{"gar", "DIR", "DIR", "export GAR pour vérifier la correspondance (check mapping) ou les identifiants d'une capture (check sso, sso-probe)", "GAR feed to verify the mapping (check mapping) or a capture's identifiers (check sso, sso-probe) against", []string{"check", "sso-probe"}},
	{"degree", "1D|2D", "1D|2D", "degré attendu de l'export (check gar)", "expected degree of the feed (check gar)", []string{"check"}},
	{"id-ent", "ID", "ID", "identifiant du projet ENT au GAR (check gar, check saml, check sso, sso-probe)", "the ENT project's identifier at the GAR (check gar, check saml, check sso, sso-probe)", []string{"check", "sso-probe"}},
	{"metadata", "FICHIER", "FILE", "métadonnées de l'IdP dont les réponses d'une capture doivent porter la clé et l'entityID (check sso) ; pour check security, l'IdP auquel le formulaire de connexion peut envoyer le mot de passe", "IdP metadata whose key and entityID a capture's responses must carry (check sso, sso-probe); for check security, the IdP the login form may send the password to", []string{"check", "sso-probe"}},
	{"listen", "HÔTE:PORT", "HOST:PORT", "adresse locale d'écoute du fournisseur de service de test (sso-probe ; 127.0.0.1 ou ::1 seulement)", "local address the test service provider listens on (sso-probe; 127.0.0.1 or ::1 only)", []string{"sso-probe"}},
	{"gar-sp-entity-id", "ID", "ID", "entityID du fournisseur de service du GAR, non public (check sso)", "entityID of the GAR's service provider, not public (check sso)", []string{"check"}},
	{"gar-sp-acs", "URL", "URL", "adresse de consommation des assertions du GAR, non publique (check sso)", "the GAR's assertion consumer URL, not public (check sso)", []string{"check"}},
	{"security-doc", "FICHIER", "FILE", "documentation de sécurité de l'éditeur, à lire avec le contrat (check contract)", "the vendor's security documentation, read with the contract (check contract)", []string{"check"}},
	{"geoip", "FICHIER", "FILE", "base de géolocalisation hors ligne (MMDB) qui situe les serveurs de l'ENT (voir docs/contract.md)", "offline geolocation database (MMDB) that locates the ENT's servers (see docs/contract.md)", runCmds},
	{"allow-http", "", "", "accepte des URL http (sans TLS) pour un audit en ligne", "accept plain http URLs for a live audit", runCmds},
	{"allow-private-network", "", "", "laisse les URL mener à cette machine ou à un réseau privé (site de pré-production, test) ; refusé par défaut, noté dans le résultat", "let URLs lead to this machine or to a private network (pre-production site, test); refused by default, noted in the result", runCmds},
	{"ca-file", "FICHIER", "FILE", "ajoute l'autorité de certification du FICHIER (PEM) à celles du système pour les URL : site de pré-production à autorité privée, test (sans effet sur le rendu des pages dans Chromium)", "add the certificate authority of FILE (PEM) to the system's for URLs: pre-production site with a private authority, test (no effect on rendering pages in Chromium)", runCmds},
	{"render", "", "", "affiche les pages dans Chromium sans interface avant de les juger (pieds de page construits en JavaScript)", "render pages in headless Chromium before judging them (footers built by JavaScript)", runCmds},
	{"xsd-engine", "E", "E", "validateur XSD du flux GAR : auto (libxml2 s'il est présent, sinon Go pur ; défaut), libxml2 ou go", "XSD validator of the GAR feed: auto (libxml2 when present, pure Go otherwise; default), libxml2 or go", runCmds},
}

// commandDoc documents one command.
type commandDoc struct {
	name                   string
	synopsisFR, synopsisEN string
	aboutFR, aboutEN       string
}

var commandDocs = []commandDoc{
	{"audit", "sdetcheck audit DOSSIER [options]", "sdetcheck audit DOSSIER [options]",
		"Audite un dossier complet décrit par DOSSIER/ent.yaml et produit le verdict et le rapport pour la DSDEN.",
		"Audit a whole dossier described by DOSSIER/ent.yaml and produce the verdict and the report for the DSDEN."},
	checkCommand(),
	{"sso-probe", "sdetcheck sso-probe --listen 127.0.0.1:PORT --metadata IDP.xml [--id-ent X] [--gar FLUX]", "sdetcheck sso-probe --listen 127.0.0.1:PORT --metadata IDP.xml [--id-ent X] [--gar FEED]",
		"Lance un fournisseur de service SAML de test (crewjam/saml samlsp) pour un IdP de préproduction : affiche ses métadonnées, audite chaque réponse reçue avec les règles SSO, affiche les constats et ne conserve rien. Arrêt par Ctrl-C.",
		"Run a test SAML service provider (crewjam/saml samlsp) for a pre-production IdP: print its metadata, audit each response received with the SSO rules, print the findings and keep nothing. Stop with Ctrl-C."},
	{"sso-extract", "sdetcheck sso-extract CAPTURE --out FICHIER", "sdetcheck sso-extract CAPTURE --out FILE",
		"Écrit dans FICHIER les seules réponses SAML (SAMLResponse) d'une capture (HAR, export SAML-tracer, SAMLResponse) : ni cookie, ni en-tête, ni adresse, ni mot de passe, ni autre champ de formulaire. check sso et audit le lisent avec les mêmes constats que la capture : c'est ce fichier qu'un éditeur versionne pour sa CI (voir docs/sso.md).",
		"Write to FILE the SAML responses (SAMLResponse) of a capture (HAR, SAML-tracer export, SAMLResponse) and nothing else: no cookie, header, URL, password or other form field. check sso and audit read it with the same findings as the capture: it is the file a vendor commits for its CI (see docs/sso.md)."},
	{"report", "sdetcheck report RESULTAT.json --format html|pdf|md|sarif|junit [--out FICHIER]", "sdetcheck report RESULT.json --format html|pdf|md|sarif|junit [--out FILE]",
		"Met en forme un résultat JSON : le rapport pour la DSDEN (pdf, html), ou un format machine.",
		"Render a JSON result: the report for the DSDEN (pdf, html), or a machine format."},
	{"diff", "sdetcheck diff ANCIEN.json NOUVEAU.json [--format text|md|json]", "sdetcheck diff OLD.json NEW.json [--format text|md|json]",
		"Compare deux résultats : ce qui a été corrigé, ce qui a régressé, ce qui est nouveau (code 1 en cas de régression ou de nouvel échec, ou d'une pièce devenue illisible).",
		"Compare two results: what was fixed, what regressed, what is new (exit 1 on a regression, a new failure or a piece now unreadable)."},
	{"rules", "sdetcheck rules [explain ID] [--format text|json|md]", "sdetcheck rules [explain ID] [--format text|json|md]",
		"Le catalogue des règles, ou l'explication d'une règle.",
		"The rule catalogue, or one rule explained."},
	{"serve", serveSynopsisFR, serveSynopsisEN,
		"Sert l'audit en service web : API et page en français (voir docs/serve.md).",
		"Serve the audit as a web service: API and French web page (see docs/serve.md)."},
	{"version", "sdetcheck version", "sdetcheck version",
		"Version de l'outil, du catalogue et du validateur XSD.",
		"Version of the tool, the catalogue and the XSD validator."},
}

// checkCommand documents `check`: the areas it runs and the piece each
// reads (checks.Check).
func checkCommand() commandDoc {
	var ids []string
	var fr, en []string
	for _, a := range areas.Checkable() {
		id := string(a.ID)
		ids = append(ids, id)
		fr = append(fr, a.Check.Piece.FR+" ("+id+")")
		en = append(en, a.Check.Piece.EN+" ("+id+")")
	}
	list := strings.Join(ids, "|")
	return commandDoc{"check",
		"sdetcheck check " + list + " FICHIER|URL [options]", "sdetcheck check " + list + " FILE|URL [options]",
		"Audite une seule pièce : " + strings.Join(fr, ", ") + ".",
		"Audit one piece: " + strings.Join(en, ", ") + "."}
}

// checkUsage is the usage's lines of `check`, one area each: its
// arguments (a newline continues them on the next line), then what it
// does in the second column.
func checkUsage(lang string) string {
	var b strings.Builder
	for _, a := range areas.Checkable() {
		lines := strings.Split(a.Check.Args.In(lang), "\n")
		lines[0] = "sdetcheck check " + string(a.ID) + " " + lines[0]
		for i := 1; i < len(lines); i++ {
			lines[i] = strings.Repeat(" ", len("sdetcheck check ")) + lines[i]
		}
		if about := a.Check.About.In(lang); about != "" {
			last := &lines[len(lines)-1]
			if utf8.RuneCountInString(*last) < usageColumn {
				*last = fmt.Sprintf("%-*s%s", usageColumn, *last, about)
			} else {
				lines = append(lines, strings.Repeat(" ", usageColumn)+about)
			}
		}
		for _, l := range lines {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	}
	return b.String()
}

// usageColumn is where the usage's second column starts, after the
// two-space indent.
const usageColumn = 43

func lookupCommand(name string) (commandDoc, bool) {
	for _, c := range commandDocs {
		if c.name == name {
			return c, true
		}
	}
	return commandDoc{}, false
}

func optionsOf(cmd string) []optionDoc {
	var out []optionDoc
	for _, o := range optionDocs {
		if o.commandsIn == nil || contains(o.commandsIn, cmd) {
			if x, ok := optionOverrides[cmd][o.name]; ok {
				o.argFR, o.argEN, o.descFR, o.descEN = x.argFR, x.argEN, x.descFR, x.descEN
			}
			out = append(out, o)
		}
	}
	return out
}

// optionOverrides says an option as one command takes it: diff and rules
// write one format of their own, sso-extract writes one file.
var optionOverrides = map[string]map[string]optionDoc{
	"diff": {"format": {argFR: "F", argEN: "F",
		descFR: "format de sortie : text (défaut), md ou json", descEN: "output format: text (default), md or json"}},
	"rules": {"format": {argFR: "F", argEN: "F",
		descFR: "format de sortie : text (défaut), json ou md", descEN: "output format: text (default), json or md"}},
	"sso-extract": {"out": {argFR: "FICHIER", argEN: "FILE",
		descFR: "écrit l'extrait dans FICHIER (- : la sortie standard)", descEN: "write the extract to FILE (-: standard output)"}},
}

// checkKind documents one kind of piece `check` audits, and the options
// it takes besides those of every check (checkCommon).
type checkKind struct {
	name                   string
	synopsisFR, synopsisEN string
	aboutFR, aboutEN       string
	options                []string
}

// checkCommon are the options of every check.
var checkCommon = []string{"format", "out", "out-dir", "fail-on", "lang", "now", "timestamp", "waivers"}

// checkKinds are the kinds of piece `check` audits, from the areas'
// descriptors (checks.Check: arguments, help, options).
func checkKinds() []checkKind {
	var out []checkKind
	for _, a := range areas.Checkable() {
		c := a.Check
		synopsis := func(args string) string {
			s := "sdetcheck check " + string(a.ID) + " " + strings.Join(strings.Fields(args), " ")
			if !strings.Contains(s, "[options]") {
				s += " [options]"
			}
			return s
		}
		out = append(out, checkKind{
			name:       string(a.ID),
			synopsisFR: synopsis(c.Args.FR), synopsisEN: synopsis(c.Args.EN),
			aboutFR: c.Help.FR, aboutEN: c.Help.EN,
			options: c.Options,
		})
	}
	return out
}

func lookupKind(name string) (checkKind, bool) {
	for _, k := range checkKinds() {
		if k.name == name {
			return k, true
		}
	}
	return checkKind{}, false
}

func kindNames() []string {
	var out []string
	for _, k := range checkKinds() {
		out = append(out, k.name)
	}
	return out
}

// unknownKind is the error of a check of a kind sdetcheck does not know,
// with the nearest known kind.
func unknownKind(kind string) error {
	list := strings.Join(kindNames(), ", ")
	if near := suggest.Nearest(kind, kindNames()); near != "" {
		return usagef("unknown kind of piece %q (did you mean %s?); expected one of %s", "type de pièce inconnu %q (vouliez-vous dire %s ?) ; attendu l'un de %s", kind, near, list)
	}
	return usagef("unknown kind of piece %q; expected one of %s", "type de pièce inconnu %q ; attendu l'un de %s", kind, list)
}

// checkHelp is the help of `check KIND`: its synopsis and the options it
// takes, no other.
func checkHelp(kind, lang string) (string, error) {
	k, ok := lookupKind(kind)
	if !ok {
		return "", unknownKind(kind)
	}
	var opts []optionDoc
	for _, o := range optionDocs {
		if contains(checkCommon, o.name) || contains(k.options, o.name) {
			opts = append(opts, o)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n\n%s", pick(lang, "Usage : "+k.synopsisFR, "Usage: "+k.synopsisEN), pick(lang, k.aboutFR, k.aboutEN), pick(lang, "Options :\n", "Options:\n"))
	b.WriteString(optionLines(opts, lang))
	b.WriteString(pick(lang, exitCodesFR, exitCodesEN))
	return b.String(), nil
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// optionLines formats options as the help's two columns.
func optionLines(opts []optionDoc, lang string) string {
	var b strings.Builder
	for _, o := range opts {
		left := "--" + o.name
		if arg := pick(lang, o.argFR, o.argEN); arg != "" {
			left += " " + arg
		}
		desc := pick(lang, o.descFR, o.descEN)
		if len(left) >= 19 {
			fmt.Fprintf(&b, "  %s\n  %-19s %s\n", left, "", desc)
			continue
		}
		fmt.Fprintf(&b, "  %-19s %s\n", left, desc)
	}
	return b.String()
}

// commandHelp is the help of one command, listing every option it takes.
func commandHelp(name, lang string) string {
	c, ok := lookupCommand(name)
	if !ok {
		return usageIn(lang)
	}
	if name == "serve" {
		return serveHelp(lang) // its own options (serve.go)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n%s\n\n", pick(lang, "Usage : "+c.synopsisFR, "Usage: "+c.synopsisEN), pick(lang, c.aboutFR, c.aboutEN))
	if opts := optionsOf(name); len(opts) > 0 {
		b.WriteString(pick(lang, "Options :\n", "Options:\n"))
		b.WriteString(optionLines(opts, lang))
	}
	if name == "check" {
		fmt.Fprintf(&b, pick(lang, "\nAide d'un type de pièce, avec ses seules options : sdetcheck check %s --help\n", "\nHelp of one kind of piece, with its options only: sdetcheck check %s --help\n"), strings.Join(kindNames(), "|"))
	}
	if name == "audit" || name == "check" {
		b.WriteString(pick(lang, exitCodesFR, exitCodesEN))
	}
	return b.String()
}

// unknownOptionError words the flag package's refusal of an option in the
// user's terms: the option as typed, the nearest known one, and where the
// help is. The flag package's own text is kept only in its English form.
func optionError(err error, cmd string, args []string) error {
	msg := err.Error()
	helpFR, helpEN := "voir sdetcheck --help", "see sdetcheck --help"
	if _, ok := lookupCommand(cmd); ok {
		helpFR, helpEN = "voir sdetcheck "+cmd+" --help", "see sdetcheck "+cmd+" --help"
	}
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: -"):
		name := strings.TrimPrefix(msg, "flag provided but not defined: -")
		typed := asTyped(name, args)
		if s := nearestOption(name); s != "" {
			return usageError{fmt.Sprintf("unknown option %s (did you mean --%s?); %s", typed, s, helpEN), fmt.Sprintf("option inconnue %s (vouliez-vous dire --%s ?) ; %s", typed, s, helpFR)}
		}
		return usageError{fmt.Sprintf("unknown option %s; %s", typed, helpEN), fmt.Sprintf("option inconnue %s ; %s", typed, helpFR)}
	case strings.HasPrefix(msg, "flag needs an argument: -"):
		name := strings.TrimPrefix(msg, "flag needs an argument: -")
		typed := asTyped(name, args)
		return usageError{fmt.Sprintf("option %s needs a value; %s", typed, helpEN), fmt.Sprintf("l'option %s demande une valeur ; %s", typed, helpFR)}
	case strings.HasPrefix(msg, "invalid boolean value"), strings.HasPrefix(msg, "invalid value"):
		return usageError{fmt.Sprintf("%s; %s", msg, helpEN), fmt.Sprintf("valeur invalide (%s) ; %s", msg, helpFR)}
	}
	return usageError{fmt.Sprintf("%s; %s", msg, helpEN), fmt.Sprintf("option invalide (détail technique : %s) ; %s", msg, helpFR)}
}

// asTyped finds how the user wrote option name (one or two dashes, with a
// value after "=").
func asTyped(name string, args []string) string {
	for _, a := range args {
		if a == "--" {
			break
		}
		for _, p := range []string{"--", "-"} {
			if a == p+name || strings.HasPrefix(a, p+name+"=") {
				return p + name
			}
		}
	}
	return "--" + name
}

// nearestOption is the known option closest to name (two edits at most,
// or name a prefix of it of three letters or more), "" when none is close.
func nearestOption(name string) string {
	var names []string
	for _, o := range optionDocs {
		if strings.HasPrefix(o.name, name) && len(name) >= 3 {
			return o.name
		}
		names = append(names, o.name)
	}
	return suggest.Nearest(name, names)
}

// commandNames are the commands sdetcheck knows.
func commandNames() []string {
	names := []string{"help"}
	for _, c := range commandDocs {
		names = append(names, c.name)
	}
	return names
}

// flagNames lists the options a flag set defines (for the test that every
// one is documented).
func flagNames(fs *flag.FlagSet) []string {
	var out []string
	fs.VisitAll(func(f *flag.Flag) { out = append(out, f.Name) })
	return out
}

const exitCodesFR = `
Codes de sortie : 0 conforme (aussi sous dérogation ou avec réserves), 1 non conforme, 2 usage incorrect ou pièce illisible, 3 erreur interne, 4 incomplet (pièce manquante ou point à vérifier).
`

const exitCodesEN = `
Exit codes: 0 conformant (also under a waiver or with reservations), 1 not conformant, 2 bad usage or unreadable piece, 3 internal error, 4 incomplete (missing piece or point to review).
`

// sayWritten tells on stderr, when the report went to a file, where it is
// and what it says: otherwise a run that writes a file prints nothing, and
// under `go run` a non-conformant result shows only "exit status 1".
func sayWritten(stderr io.Writer, o opts, res *result.Result, code int) {
	where := o.out
	if o.outDir != "" {
		where = o.outDir
	}
	if where == "" {
		return
	}
	fmt.Fprintf(stderr, pick(o.lang, "sdetcheck: rapport écrit dans %s — verdict : %s (code de sortie %d)\n", "sdetcheck: report written to %s — verdict: %s (exit code %d)\n"),
		where, report.VerdictLabel(res.Verdict, o.lang), code)
}
