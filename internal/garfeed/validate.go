package garfeed

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	xsd "github.com/jacoelho/xsd"
	"github.com/jacoelho/xsd/xsderrors"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/libxml2"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// XSD engines. Both validate against the same embedded GAR XSDs and give
// the same verdicts (TestEnginesAgree); with libxml2 a check takes about
// half the CPU time (docs/gar.md, Performances).
const (
	// EngineAuto uses libxml2 when the system has it, else EngineGo.
	EngineAuto = "auto"
	// EngineLibxml2 is the system's libxml2 (the validator of `xmllint
	// --schema`), loaded at run time.
	EngineLibxml2 = "libxml2"
	// EngineGo is github.com/jacoelho/xsd, in pure Go.
	EngineGo = "go"
)

// goEngineLabel names the pure-Go validator and its pinned version.
const goEngineLabel = "github.com/jacoelho/xsd v0.3.0"

// Engine is a resolved XSD engine.
type Engine struct {
	// Name is EngineLibxml2 or EngineGo.
	Name string
	// Label names the implementation and its version, for reports.
	Label string
	// TwoPass makes libxml2 validate while the Go scanner reads the
	// same bytes for the records (scanFile), instead of the single pass
	// (scanFileOnce).
	TwoPass bool
}

// ResolveEngine turns the engine a user asked for ("" means auto) into
// the one that will run. Asking for libxml2 where it cannot be loaded is
// an error; auto then falls back to the pure-Go engine.
func ResolveEngine(name string) (Engine, error) {
	switch name {
	case "", EngineAuto:
		if v, err := libxml2.Load(); err == nil {
			return Engine{Name: EngineLibxml2, Label: "libxml2 " + v}, nil
		}
		return Engine{Name: EngineGo, Label: goEngineLabel}, nil
	case EngineLibxml2:
		v, err := libxml2.Load()
		if err != nil {
			return Engine{}, input.Wrap(err, "use XSD engine libxml2", "moteur de validation XSD libxml2 indisponible")
		}
		return Engine{Name: EngineLibxml2, Label: "libxml2 " + v}, nil
	case EngineGo:
		return Engine{Name: EngineGo, Label: goEngineLabel}, nil
	}
	return Engine{}, input.Problemf("unknown XSD engine %q (auto, libxml2 or go)", "moteur de validation XSD %q inconnu (auto, libxml2 ou go)", name)
}

// Reader reads the files of a feed for one worker: it holds the worker's
// validators, one per schema, created on first use and reused for every
// file the worker reads. A worker reads one file at a time, so a Reader is
// never used concurrently.
type Reader struct {
	eng      Engine
	lim      Limits
	g2D, g1D *xsd.Session
	x2D, x1D *libxml2.Schema
	// k2D, k1D: libxml2 with the XSD without its keys, for the single
	// pass (keys.go); keyless says whether they were made.
	k2D, k1D *libxml2.Schema
	keyless  [2]bool
	keySeen  map[[2]uint64]struct{} // the keys met in the file being read
	br       *bufio.Reader          // the single pass's reader
}

// NewReader returns a Reader validating with eng.
func NewReader(eng Engine) *Reader { return &Reader{eng: eng} }

// ReadFile reads one member once: it hashes its bytes (recorded as an
// input of the run), validates them against the GAR XSD of the file's
// namespace and hands each record to visit, on the calling goroutine.
// With libxml2 it takes the single pass (one parse validates and gives
// the records), unless the engine is TwoPass. It returns an *input.Error
// when the file is not well-formed XML or not a GAR feed file at all, and
// ErrRescan when the single pass stopped on a file the two passes then
// accepted: records of that file may have been visited already, so the
// caller reads the whole feed again with a TwoPass engine.
func (vs *Reader) ReadFile(ctx context.Context, ld Loader, m Member, lim Limits, visit Visit) (*File, error) {
	if vs.eng.Name == EngineLibxml2 && !vs.eng.TwoPass {
		return scanFileOnce(ctx, ld, m, lim, vs, visit)
	}
	return scanFile(ctx, ld, m, lim, vs, visit)
}

// single returns the libxml2 schema of the single pass for namespace ns:
// the XSD without its keys, with the keys the caller then checks
// (keys.go), or, when the XSD could not be split, the whole XSD and no
// keys. The whole XSD is compiled only when needed (prepare).
func (vs *Reader) single(ns string, lim Limits) (*libxml2.Schema, *keySchema, error) {
	i, slot := 0, &vs.k2D
	if ns == NS1D {
		i, slot = 1, &vs.k1D
	}
	ks, err := keySchemaOf(ns)
	if err == nil && !vs.keyless[i] {
		vs.keyless[i] = true
		// A failure leaves the whole XSD to the single pass.
		*slot, _ = libxml2.ParseSchema("keyless", ks.keyless)
	}
	if err == nil && *slot != nil {
		return *slot, ks, nil
	}
	if err := vs.prepare(ns, lim); err != nil {
		return nil, nil, err
	}
	return vs.whole(ns), nil, nil
}

// whole is libxml2 with the whole XSD of namespace ns (once prepare has
// compiled it).
func (vs *Reader) whole(ns string) *libxml2.Schema {
	if ns == NS1D {
		return vs.x1D
	}
	return vs.x2D
}

// schemaOutcome is what validating one file gave.
type schemaOutcome struct {
	viol  []SchemaViolation
	trunc bool
	// err is an *input.Error when the file could not be validated
	// (malformed, limit), another error when the engine failed.
	err error
}

// prepare makes sure the validator for namespace ns exists, so that a
// broken engine is reported before any byte is read.
func (vs *Reader) prepare(ns string, lim Limits) error {
	if vs.lim != lim {
		vs.g2D, vs.g1D = nil, nil
		vs.lim = lim
	}
	if vs.eng.Name == "" {
		vs.eng = Engine{Name: EngineGo, Label: goEngineLabel}
	}
	if vs.eng.Name == EngineLibxml2 {
		slot, data, name := &vs.x2D, xsd2D, "GAR-ENT-2D-v1.7.xsd"
		if ns == NS1D {
			slot, data, name = &vs.x1D, xsd1D, "GAR-ENT-1D-v1.4.xsd"
		}
		if *slot != nil {
			return nil
		}
		s, err := libxml2.ParseSchema(name, data)
		if err != nil {
			return input.Wrap(err, "compile GAR XSD with libxml2", "compilation du schéma XSD du GAR par libxml2 impossible")
		}
		*slot = s
		return nil
	}
	slot := &vs.g2D
	if ns == NS1D {
		slot = &vs.g1D
	}
	if *slot != nil {
		return nil
	}
	e2, e1, err := engines()
	if err != nil {
		return err
	}
	eng := e2
	if ns == NS1D {
		eng = e1
	}
	sess, err := eng.NewSession(validateOptions(lim))
	if err != nil {
		return input.Wrap(err, "create validation session", "ouverture d'une session de validation impossible")
	}
	*slot = sess
	return nil
}

// start begins the validation of a file against the schema of namespace
// ns (prepare must have been called): the file's bytes are written to w,
// which the caller closes at the end; wait then gives the outcome.
func (vs *Reader) start(ctx context.Context, ns string) (w io.WriteCloser, wait func() schemaOutcome, err error) {
	if vs.eng.Name == EngineLibxml2 {
		w, lwait, err := vs.whole(ns).Start(MaxSchemaErrors)
		if err != nil {
			return nil, nil, input.Wrap(err, errValidate.EN, errValidate.FR)
		}
		return w, func() schemaOutcome { return fromLibxml2(lwait()) }, nil
	}
	s := vs.g2D
	if ns == NS1D {
		s = vs.g1D
	}
	pr, pw := io.Pipe()
	done := make(chan schemaOutcome, 1)
	go func() {
		// The engine buffers its input itself (64 KiB reads).
		out := fromGo(s.Validate(ctx, pr))
		io.Copy(io.Discard, pr) // the writer never waits on a stopped engine
		done <- out
	}()
	return pw, func() schemaOutcome { return <-done }, nil
}

// validate validates the whole of r (tests and benchmarks).
func (vs *Reader) validate(ctx context.Context, ns string, r io.Reader) schemaOutcome {
	w, wait, err := vs.start(ctx, ns)
	if err != nil {
		return schemaOutcome{err: err}
	}
	_, cerr := io.Copy(w, r)
	w.Close()
	out := wait()
	if cerr != nil && out.err == nil {
		out.err = &input.Error{Err: input.Wrap(cerr, "read", "lecture impossible")}
	}
	return out
}

// errValidate says that the validator itself failed (not the file).
var errValidate = &input.Problem{EN: "validate against the GAR XSD", FR: "validation par le schéma XSD du GAR impossible"}

// fromLibxml2 classifies libxml2's report.
func fromLibxml2(rep libxml2.Report, err error) schemaOutcome {
	if err != nil {
		return schemaOutcome{err: &input.Error{Err: input.Wrap(err, errValidate.EN, errValidate.FR)}}
	}
	var out schemaOutcome
	for _, is := range rep.Issues {
		if is.Domain != libxml2.DomainSchemasV {
			// The parser's own errors: the file is not well-formed XML
			// (or not namespace-well-formed, or its encoding is wrong).
			return schemaOutcome{err: &input.Error{Line: is.Line, Column: is.Column, Err: xmlsafe.MalformedDetail(parserMessage(is.Message), libxml2.ParserGloss(is.Code))}}
		}
		out.viol = append(out.viol, SchemaViolation{Line: is.Line, Col: is.Column, Msg: maskValues(is.Message)})
	}
	if rep.Status != 0 && rep.Total == 0 {
		return schemaOutcome{err: errValidate.With("libxml2 gave status %d without a message", "libxml2 a rendu le statut %d sans message", rep.Status)}
	}
	if rep.Status == 0 && rep.Total > 0 {
		return schemaOutcome{err: errValidate.With("libxml2 reported %d errors but a valid document", "libxml2 a signalé %d erreurs mais un document valide", rep.Total)}
	}
	out.trunc = rep.Total > len(out.viol) || len(out.viol) >= MaxSchemaErrors
	return out
}

// quotedRe finds quoted values in the pure-Go engine's messages.
var quotedRe = regexp.MustCompile(`'[^']*'|"[^"]*"`)

// fromGo classifies the pure-Go engine's errors: recoverable violations are
// kept; anything else (limits, encoding) means the file could not be
// validated.
func fromGo(verr error) schemaOutcome {
	var out schemaOutcome
	if verr == nil {
		return out
	}
	var list []error
	var xs xsderrors.Errors
	if errors.As(verr, &xs) {
		list = xs
	} else {
		list = []error{verr}
	}
	for _, e := range list {
		var xe *xsderrors.Error
		if !errors.As(e, &xe) {
			return schemaOutcome{err: input.Wrap(e, errValidate.EN, errValidate.FR)}
		}
		switch {
		case xe.Code == xsderrors.CodeValidationXML,
			// Text before or after the root element is a well-formedness
			// error in XML 1.0 (document ::= prolog element Misc*), which
			// this engine files among validation errors; libxml2 does not.
			xe.Code == xsderrors.CodeValidationText && xe.Message == "text outside root element":
			// Not well-formed: the file cannot be read as XML at all.
			msg := xe.Message
			if msg == "" && xe.Err != nil {
				msg = xe.Err.Error() // e.g. invalid UTF-8 leaves Message empty
			}
			if msg == "" {
				msg = "not well-formed"
			}
			return schemaOutcome{err: &input.Error{Line: xe.Line, Column: xe.Column, Err: xmlsafe.MalformedDetail(msg, "")}}
		case xe.Code == xsderrors.CodeUnsupportedExternal:
			// DTDs are refused before validation, so an entity other than
			// the five predefined ones is undeclared: the file is not
			// well-formed (XML 1.0 §4.1, WFC: Entity Declared), as libxml2
			// says; this engine files it as unsupported.
			return schemaOutcome{err: &input.Error{Line: xe.Line, Column: xe.Column, Err: xmlsafe.MalformedDetail("undeclared entity reference ("+xe.Message+")", "entité non déclarée")}}
		case xe.Code == xsderrors.CodeValidationLimit:
			msg := xe.Message
			if msg == "" && xe.Err != nil {
				msg = xe.Err.Error() // the reader's limits leave Message empty
			}
			return schemaOutcome{err: &input.Error{Line: xe.Line, Column: xe.Column, Err: input.Wrap(errors.New(msg), "limit exceeded", "limite de validation dépassée")}}
		case xe.Category != xsderrors.CategoryValidation || xe.Code == xsderrors.CodeValidationOption || xe.Code == xsderrors.CodeValidationSession || xe.Code == xsderrors.CodeValidationCanceled:
			return schemaOutcome{err: &input.Error{Line: xe.Line, Column: xe.Column, Err: input.Wrap(fmt.Errorf("%s: %s", xe.Code, xe.Message), errValidate.EN, errValidate.FR)}}
		}
		// Never echo instance values (they may be personal data).
		msg := quotedRe.ReplaceAllString(xe.Message, "«…»")
		if xe.Path != "" {
			msg = xe.Path + ": " + msg
		}
		out.viol = append(out.viol, SchemaViolation{Line: xe.Line, Col: xe.Column, Msg: string(xe.Code) + " " + msg})
	}
	out.trunc = len(out.viol) >= MaxSchemaErrors
	return out
}

// parserMessage rewrites a libxml2 parser error for a report: its first
// line only (the second quotes the offending bytes, which may be part of a
// name).
func parserMessage(msg string) string {
	msg, _, _ = strings.Cut(msg, "\n")
	msg = maskValues(strings.TrimSpace(msg))
	if strings.Contains(msg, "not proper UTF-8") {
		return "invalid UTF-8 (" + msg + ")"
	}
	return msg
}

// schemaWords precede a quoted name that comes from the schema (an
// element, a type, a facet, a constraint), which is kept; every other
// quoted part may be an instance value (a name, a birth date, an
// identifier) and is masked.
var schemaWords = []string{"Element", "element", "attribute", "Attribute", "facet", "type", "identity-constraint", "keyref", "pattern"}

// schemaName is what a kept quoted name may hold: an XML name, possibly
// prefixed or with its {namespace}, never a space or an apostrophe.
var schemaName = regexp.MustCompile(`^[\p{L}\p{N}_.:{}/#-]+$`)

// valueLinks are the words libxml2 puts between two quoted values of one
// message (xmlschemas.c: facets, enumerations, key sequences). Anything
// else between two quotes that are not a schema name means that a value
// held an apostrophe (N'Diaye, D'Almeida), so that the quotes cannot be
// paired: the whole stretch is masked then.
var valueLinks = map[string]bool{
	", ":                true,
	" has a length of ": true,
	"; this differs from the allowed length of ":      true,
	"; this exceeds the allowed maximum length of ":   true,
	"; this underruns the allowed minimum length of ": true,
	" is not an element of the set {":                 true,
	" is less than the minimum value allowed (":       true,
	" is greater than the maximum value allowed (":    true,
	" must be greater than ":                          true,
	" must be less than ":                             true,
	" has more digits than are allowed (":             true,
	" has more fractional digits than are allowed (":  true,
}

// maskValues rewrites a libxml2 message for a report: namespaces dropped
// from element names, and instance values replaced by «…». libxml2 quotes
// values between apostrophes without escaping those they hold, so quotes
// are not simply paired: the quoted schema names are found first, and the
// remaining quotes are paired only when what lies between the pairs is
// libxml2's own wording; otherwise everything from the first to the last
// remaining quote is masked as one.
func maskValues(msg string) string {
	msg = strings.ReplaceAll(msg, "{"+NS1D+"}", "")
	msg = strings.ReplaceAll(msg, "{"+NS2D+"}", "")
	var quotes []int
	for i := 0; i < len(msg); i++ {
		if msg[i] == '\'' {
			quotes = append(quotes, i)
		}
	}
	// kept[i] marks quotes[i] as the opening quote of a kept name, whose
	// closing quote is quotes[i+1].
	kept := make([]bool, len(quotes))
	var vals []int // the other quotes, in order
	for i := 0; i < len(quotes); i++ {
		if i+1 < len(quotes) && keepQuoted(msg, quotes[i], quotes[i+1]) {
			kept[i] = true
			i++
			continue
		}
		vals = append(vals, quotes[i])
	}
	if len(vals) == 0 {
		return msg
	}
	paired := len(vals)%2 == 0
	for i := 1; paired && i+1 < len(vals); i += 2 {
		link := msg[vals[i]+1 : vals[i+1]]
		paired = valueLinks[link]
	}
	var b strings.Builder
	if !paired {
		end := vals[len(vals)-1] + 1
		if len(vals) == 1 {
			end = len(msg) // a lone quote: the value runs to the end
		}
		b.WriteString(msg[:vals[0]])
		b.WriteString("«…»")
		b.WriteString(msg[end:])
		return b.String()
	}
	last := 0
	for i := 0; i < len(vals); i += 2 {
		b.WriteString(msg[last:vals[i]])
		b.WriteString("«…»")
		last = vals[i+1] + 1
	}
	b.WriteString(msg[last:])
	return b.String()
}

// keepQuoted says whether msg[open:close+1], a quoted part, is kept: a
// schema name after one of schemaWords, or a quoted punctuation mark of a
// parser message ('<', '=').
func keepQuoted(msg string, open, close int) bool {
	inner := msg[open+1 : close]
	if len(inner) == 1 && strings.ContainsRune("<>=&;/\"?!", rune(inner[0])) || inner == "]]>" {
		return true
	}
	if !schemaName.MatchString(inner) {
		return false
	}
	before := strings.TrimRight(msg[:open], " ")
	for _, w := range schemaWords {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

// validateOptions bounds what one file may cost the pure-Go validator
// (libxml2 has its own bounds: depth 256, 10 MB per text node).
func validateOptions(lim Limits) xsd.ValidateOptions {
	return xsd.ValidateOptions{
		MaxErrors:          MaxSchemaErrors,
		MaxInstanceBytes:   lim.MaxFileBytes + 1,
		MaxIdentityEntries: 50_000_000,
		MaxInstanceDepth:   64,
		// The scanner refuses tags over maxTag bytes; an attribute takes
		// at least 5 of them (` a=""`), so this limit is never what stops
		// a file (its default, 4,096, made the two engines disagree on an
		// element with 5,000 attributes).
		MaxInstanceAttributes: maxTag/5 + 1,
		// Likewise the namespace names of xsi:schemaLocation hints, which
		// the scanner counts among the file's names (at most maxNames, of
		// at most maxName bytes); the defaults (256, 64 KiB) made this
		// engine refuse files libxml2 passed.
		MaxSchemaLocationNamespaces:     maxNames + 1,
		MaxSchemaLocationNamespaceBytes: (maxNames + 1) * maxName,
	}
}
