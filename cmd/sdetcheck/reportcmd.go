package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"time"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/sdetcheck/sdetcheck/internal/engine"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/yamlpos"
	"github.com/sdetcheck/sdetcheck/report"
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
	r.Finalize()
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
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		wantEN, wantFR = "a number", "un nombre"
	}
	p := input.Problemf(gotEN+", where "+wantEN+" is needed", gotFR+", alors qu'il faut "+wantFR)
	if te.Field != "" {
		p = input.Problemf("field %q: "+p.EN, "champ %q : "+p.FR, yamlpos.Short(te.Field))
	}
	return p
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
		if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
			return fail(stderr, o.lang, input.Wrap(osCause(err), "write %s", "écriture de %s impossible", o.out))
		}
	}
	if d.Failing() {
		return engine.ExitNonConforme
	}
	return engine.ExitConforme
}
