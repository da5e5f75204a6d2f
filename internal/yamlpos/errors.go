package yamlpos

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/suggest"
)

var (
	// yaml.v3 says "yaml: line N: problem", or "yaml: unmarshal
	// errors:\n  line N: problem\n  line M: …" for decoding errors.
	errLine    = regexp.MustCompile(`(?m)^\s*(?:yaml: )?line (\d+): (.*)$`)
	errUnknown = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	// errKind is a value of the wrong kind: "cannot unmarshal !!seq into
	// manifest.Evidence", "cannot unmarshal !!str `x` into []string".
	errKind = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
)

// Error turns an error of the YAML decoder about source into an
// *input.Error naming its line (the first error's, when there are
// several). An unknown key is said by its name, and a value of the wrong
// kind by the kinds of YAML values found and needed (the decoder's
// messages name Go types); any other problem is "invalid YAML", with the
// decoder's words as the technical detail.
func Error(source string, err error) *input.Error { return ErrorIn(source, err, nil) }

// ErrorIn is Error for a document decoded into v: an unknown key is said
// with the known key of its mapping it most likely stands for (a typing
// error: "clé inconnue « evidance » (vouliez-vous dire « evidence » ?)").
func ErrorIn(source string, err error, v any) *input.Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := errLine.FindStringSubmatch(msg); m != nil {
		fmt.Sscanf(m[1], "%d", &line)
		msg = strings.TrimSpace(m[2])
	}
	if m := errUnknown.FindStringSubmatch(msg); m != nil {
		if near := suggest.Nearest(m[1], keysOf(v)[m[2]]); near != "" {
			return &input.Error{Source: source, Line: line, Err: input.Problemf("unknown key %q (did you mean %q?)", "clé inconnue %q (vouliez-vous dire %q ?)", Short(m[1]), near)}
		}
		return &input.Error{Source: source, Line: line, Err: input.Problemf("unknown key %q", "clé inconnue %q", Short(m[1]))}
	}
	if m := errKind.FindStringSubmatch(msg); m != nil {
		gotEN, gotFR := found(m[1], m[2])
		wantEN, wantFR := needed(m[3])
		return &input.Error{Source: source, Line: line, Err: &input.Problem{EN: gotEN + ", where " + wantEN + " is needed", FR: gotFR + ", alors qu'il faut " + wantFR}}
	}
	return &input.Error{Source: source, Line: line, Err: input.Wrap(plain(msg), "invalid YAML", "YAML invalide")}
}

// keysOf lists, for each struct type reachable from v (by its name in the
// decoder's messages, "manifest.Evidence"), the YAML keys it accepts.
func keysOf(v any) map[string][]string {
	out := map[string][]string{}
	if v == nil {
		return out
	}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		if _, done := out[t.String()]; done {
			return
		}
		out[t.String()] = nil
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "-" {
				continue
			}
			if strings.Contains(opts, "inline") {
				walk(f.Type)
				out[t.String()] = append(out[t.String()], out[f.Type.String()]...)
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			out[t.String()] = append(out[t.String()], name)
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(v))
	return out
}

// found names a YAML value of tag tag (and text value, for a scalar), in
// English and French.
func found(tag, value string) (en, fr string) {
	switch tag {
	case "seq":
		return "a list", "une liste"
	case "map":
		return "a mapping (key: value)", "une suite de clés (clé: valeur)"
	case "null":
		return "an empty value", "une valeur vide"
	}
	if value == "" {
		return "a " + tag + " value", "une valeur " + tag
	}
	v := Short(value)
	if tag == "str" {
		return fmt.Sprintf("the text %q", v), fmt.Sprintf("le texte %q", v)
	}
	return fmt.Sprintf("the value %s", v), fmt.Sprintf("la valeur %s", v)
}

// needed names what a Go type of the decoder's message holds, in English
// and French, without naming the type (sdetcheck's internals).
func needed(goType string) (en, fr string) {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list", "une liste"
	case goType == "string":
		return "a text", "un texte"
	case goType == "bool":
		return "true or false", "true ou false"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number", "un nombre"
	}
	return "a mapping (key: value)", "une suite de clés (clé: valeur)"
}

// plain is a third-party message as an error.
type plain string

func (p plain) Error() string { return string(p) }

// Short bounds a value quoted in an error message (a hostile file may hold
// megabytes in one field).
func Short(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// Parse decodes a YAML document of source into a node tree, with the
// errors of CheckUTF8 and Error: how ent.yaml and dérogations files are
// read. (A mapping file is not checked for UTF-8 first: a binary one is
// said to be invalid YAML.)
func Parse(source string, data []byte) (*yaml.Node, *input.Error) {
	if err := CheckUTF8(source, data); err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Error(source, err)
	}
	return &root, nil
}

// CheckUTF8 refuses a YAML file that is neither UTF-8 nor UTF-16 with its
// byte order mark (what the decoder reads), naming the line of the first
// invalid byte: such a file was most often saved in ISO-8859-1 or
// Windows-1252 by an editor, which the decoder only calls an "invalid
// trailing UTF-8 octet", without a line.
func CheckUTF8(source string, data []byte) *input.Error {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return nil
	}
	if line, _ := input.FirstInvalidUTF8(data); line > 0 {
		return &input.Error{Source: source, Line: line, Err: input.Problemf(
			"not UTF-8 (saved as ISO-8859-1 or Windows-1252?): save it as UTF-8",
			"le fichier n'est pas en UTF-8 (enregistré en ISO-8859-1 ou Windows-1252 ?) : l'enregistrer en UTF-8")}
	}
	return nil
}
