package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/sdetcheck/sdetcheck/audit"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/safeout"
	"github.com/sdetcheck/sdetcheck/internal/yamlpos"
	"github.com/sdetcheck/sdetcheck/report"
	"github.com/sdetcheck/sdetcheck/rules"
)

// maxResultBytes bounds a result JSON read by `report` and `diff`.
var maxResultBytes = 64 << 20

func pick(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// reportDay is the date printed on a report whose result has no
// generated_at: the --now clock, else today, truncated to the day so that
// reports made the same day are identical.
func reportDay(now time.Time) time.Time {
	if now.IsZero() {
		now = time.Now()
	}
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// readResult reads a result JSON written by `--format json`. Errors name the
// file and, for malformed JSON, the line.
func readResult(path string) (*result.Result, error) {
	// Stat before opening: a FIFO would block, a huge file is refused
	// before any read.
	st, err := input.StatFile(path, false)
	if err != nil {
		return nil, &input.Error{Source: path, Err: err}
	}
	if st.Size() > int64(maxResultBytes) {
		return nil, &input.Error{Source: path, Err: input.ErrTooLarge.With("result over %d bytes", "résultat de plus de %d octets", maxResultBytes)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &input.Error{Source: path, Err: errors.Unwrap(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(maxResultBytes)+1))
	if err != nil {
		return nil, &input.Error{Source: path, Err: err}
	}
	if len(data) > maxResultBytes {
		return nil, &input.Error{Source: path, Err: input.ErrTooLarge.With("result over %d bytes", "résultat de plus de %d octets", maxResultBytes)}
	}
	data = fromBOM(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r result.Result
	if err := dec.Decode(&r); err != nil {
		line := 0
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			line = 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		case errors.As(err, &te):
			line = 1 + bytes.Count(data[:te.Offset], []byte("\n"))
			return nil, &input.Error{Source: path, Line: line, Err: input.Wrap(wrongType(te), "invalid result JSON", "résultat JSON invalide")}
		}
		return nil, &input.Error{Source: path, Line: line, Err: input.Wrap(err, "invalid result JSON", "résultat JSON invalide")}
	}
	// Anything after the result (a second run appended with >>, a
	// truncated copy) is refused: the file is not one result.
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		line := 1 + bytes.Count(data[:len(data)-len(rest)], []byte("\n"))
		return nil, &input.Error{Source: path, Line: line, Err: input.Problemf("unexpected data after the result (two results in one file?)", "données inattendues après le résultat (deux résultats dans un même fichier ?)")}
	}
	if r.Tool.Name == "" || r.Results == nil {
		return nil, &input.Error{Source: path, Err: input.Problemf("not an sdetcheck result: tool and results are required (write one with --format json)", "ce n'est pas un résultat sdetcheck : tool et results sont exigés (en écrire un avec --format json)")}
	}
	for i, f := range r.Results {
		if f.Rule == "" || f.Status == "" {
			return nil, &input.Error{Source: path, Err: input.Problemf("result %d: rule and status are required", "résultat %d : rule et status sont exigés", i+1)}
		}
		// An unknown status or severity would count nowhere and turn a
		// failing result into a "conforme" report.
		switch f.Status {
		case result.Pass, result.Fail, result.Warn, result.Skip, result.Error, result.NotEvaluated:
		default:
			return nil, &input.Error{Source: path, Err: input.Problemf("result %d (%s): unknown status %q", "résultat %d (%s) : statut inconnu %q", i+1, f.Rule, f.Status)}
		}
		if f.Severity.Rank() == 0 {
			return nil, &input.Error{Source: path, Err: input.Problemf("result %d (%s): unknown severity %q", "résultat %d (%s) : sévérité inconnue %q", i+1, f.Rule, f.Severity)}
		}
	}
	// Recompute the summary and verdict from the findings.
	r.Finalize(rules.Traits)
	// A result written by an older sdetcheck, or edited, is scrubbed as
	// a new one is (diff writes its messages).
	scrubResult(&r)
	return &r, nil
}

// fromBOM returns data as UTF-8 without a byte order mark: a result saved
// through Windows PowerShell's redirection is UTF-16 (little-endian, with
// its mark), one saved by some editors starts with a UTF-8 mark. Data
// without a mark is returned as it is.
func fromBOM(data []byte) []byte {
	if len(data) < 2 || (data[0] != 0xef && data[0] != 0xff && data[0] != 0xfe) {
		return data // no mark: no copy of a result of up to 64 MiB
	}
	out, _, err := transform.Bytes(unicode.BOMOverride(transform.Nop), data)
	if err != nil {
		return data
	}
	return out
}

// wrongType says a value of the wrong type by its field and the kinds of
// JSON values found and needed, in each language (the decoder's message
// names Go types: "Go struct field Finding.results.evidence of type
// []result.Evidence").
func wrongType(te *json.UnmarshalTypeError) *input.Problem {
	gotEN, gotFR := "a "+te.Value, "une valeur "+te.Value
	switch v := te.Value; {
	case v == "string":
		gotEN, gotFR = "a string", "une chaîne"
	case v == "array":
		gotEN, gotFR = "an array", "un tableau"
	case v == "object":
		gotEN, gotFR = "an object", "un objet"
	case v == "bool":
		gotEN, gotFR = "true or false", "true ou false"
	case strings.HasPrefix(v, "number"):
		gotEN, gotFR = "a number", "un nombre"
	}
	wantEN, wantFR := "an object", "un objet"
	switch te.Type.Kind() {
	case reflect.Slice, reflect.Array:
		wantEN, wantFR = "a list", "une liste"
	case reflect.String:
		wantEN, wantFR = "a text", "un texte"
	case reflect.Bool:
		wantEN, wantFR = "true or false", "true ou false"
	}
	if numericKind(te.Type.Kind()) {
		wantEN, wantFR = "a number", "un nombre"
	}
	p := input.Problemf(gotEN+", where "+wantEN+" is needed", gotFR+", alors qu'il faut "+wantFR)
	if num := strings.TrimPrefix(te.Value, "number "); num != te.Value && numericKind(te.Type.Kind()) {
		// A number where a number is needed: its value does not fit
		// (a line of 1e400, a size of 99999999999999999999, -1 for a
		// count) or it is not whole where a whole number is needed.
		whole := wholeNumber(num)
		if len(num) > 24 {
			num = num[:20] + "…" // a megabyte of digits is not repeated
		}
		p = input.Problemf("a number out of range (%s)", "un nombre hors limites (%s)", num)
		if !whole && te.Type.Kind() != reflect.Float32 && te.Type.Kind() != reflect.Float64 {
			p = input.Problemf("a number that is not whole (%s), where a whole number is needed", "un nombre non entier (%s), alors qu'il faut un nombre entier", num)
		}
	}
	if te.Field != "" {
		p = input.Problemf("field %q: "+p.EN, "champ %q : "+p.FR, yamlpos.Short(te.Field))
	}
	return p
}

// wholeNumber says whether a JSON number has no fractional part
// (12, 1.0, 1e3, 25e-1 is not), read from its text: its value may be
// beyond any Go type.
func wholeNumber(num string) bool {
	mant, exp := num, 0
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		mant = num[:i]
		e, err := strconv.Atoi(num[i+1:])
		if err != nil { // an exponent beyond int: its sign decides
			return !strings.HasPrefix(num[i+1:], "-")
		}
		exp = e
	}
	intPart, frac := mant, ""
	if j := strings.IndexByte(mant, '.'); j >= 0 {
		intPart, frac = mant[:j], mant[j+1:]
	}
	frac = strings.TrimRight(frac, "0")
	if exp >= 0 {
		return len(frac) <= exp
	}
	digits := strings.TrimLeft(intPart, "-+")
	trimmed := strings.TrimRight(digits, "0")
	return frac == "" && (trimmed == "" || len(digits)-len(trimmed) >= -exp)
}

// numericKind says whether k is a Go number type.
func numericKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// cmdReport renders a saved result in other formats.
func cmdReport(pos []string, o opts, stdout io.Writer, tty bool) error {
	if len(pos) != 1 {
		return usagef("usage: sdetcheck report RESULT.json --format html|pdf|md [--out FILE]", "usage : sdetcheck report RESULTAT.json --format html|pdf|md [--out FICHIER]")
	}
	now, err := parseNow(o.now)
	if err != nil {
		return err
	}
	formats, err := chooseFormats(o, tty)
	if err != nil {
		return err
	}
	if err := guardOutputs(&o, "report", pos, formats); err != nil {
		return err
	}
	res, err := readResult(pos[0])
	if err != nil {
		return err
	}
	ro := report.Options{Lang: o.lang, Date: reportDay(now)}
	return writeOutputs(res, formats, o, ro, stdout)
}

// cmdDiff compares two results; exit 1 when something regressed or a new
// finding fails.
func cmdDiff(pos []string, o opts, stdout, stderr io.Writer) int {
	if len(pos) != 2 {
		return fail(stderr, o.lang, usagef("usage: sdetcheck diff OLD.json NEW.json [--format text|md|json]", "usage : sdetcheck diff ANCIEN.json NOUVEAU.json [--format text|md|json]"))
	}
	format := o.formats
	if format == "" {
		format = "text"
	}
	if format != "text" && format != "md" && format != "json" {
		return fail(stderr, o.lang, usagef("diff --format %q: expected text, md or json", "diff --format %q : text, md ou json attendu", format))
	}
	if err := guardOutputs(&o, "diff", pos, nil); err != nil {
		return fail(stderr, o.lang, err)
	}
	old, err := readResult(pos[0])
	if err != nil {
		return fail(stderr, o.lang, err)
	}
	newer, err := readResult(pos[1])
	if err != nil {
		return fail(stderr, o.lang, err)
	}
	d := report.Compare(old, newer)
	w := stdout
	var buf bytes.Buffer
	if o.out != "" {
		w = &buf
	}
	if err := report.WriteDiff(w, d, format, o.lang); err != nil {
		return fail(stderr, o.lang, err)
	}
	if o.out != "" {
		if err := safeout.Write(o.out, stdout, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
			return fail(stderr, o.lang, err)
		}
	}
	if d.Failing() {
		return audit.ExitNonConforme
	}
	return audit.ExitConforme
}
