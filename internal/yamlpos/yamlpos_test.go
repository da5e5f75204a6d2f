package yamlpos

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLine(t *testing.T) {
	src := "a:\n  b: 1\n  c:\n    - x\n    - y: 2\nd: 3\n"
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path []string
		want int
	}{
		{nil, 1},
		{[]string{"a", "b"}, 2},
		{[]string{"a", "c", "1"}, 5},
		{[]string{"a", "c", "1", "y"}, 5},
		{[]string{"d"}, 6},
		{[]string{"a", "missing"}, 1},
		{[]string{"a", "c", "9"}, 3},
		{[]string{"a", "c", "-1"}, 3},
		{[]string{"a", "b", "deeper"}, 2},
	}
	for _, c := range cases {
		if got := Line(&root, c.path...); got != c.want {
			t.Errorf("Line(%v) = %d, want %d", c.path, got, c.want)
		}
	}
}

// A value of the wrong kind is said by the kinds of YAML values (a list, a
// mapping, a text) in each language, at its line, never by the Go type the
// decoder names (manifest.Evidence, []waiver.Waiver, []string).
func TestErrorSaysKindsNotGoTypes(t *testing.T) {
	type inner struct {
		Name string `yaml:"name"`
	}
	type doc struct {
		Inner inner    `yaml:"inner"`
		List  []inner  `yaml:"list"`
		Tags  []string `yaml:"tags"`
		Name  string   `yaml:"name"`
	}
	cases := []struct {
		src          string
		line         int
		wantEN, want string
	}{
		{"inner: [a, b]\n", 1, "a list, where a mapping (key: value) is needed", "une liste, alors qu'il faut une suite de clés (clé: valeur)"},
		{"list: x\n", 1, `the text "x", where a list is needed`, `le texte "x", alors qu'il faut une liste`},
		{"list:\n  - x\n", 2, `the text "x", where a mapping (key: value) is needed`, `le texte "x", alors qu'il faut une suite de clés (clé: valeur)`},
		{"name: ok\ntags: idEnt\n", 2, `the text "idEnt", where a list is needed`, `le texte "idEnt", alors qu'il faut une liste`},
		{"name:\n  a: 1\n", 2, "a mapping (key: value), where a text is needed", "une suite de clés (clé: valeur), alors qu'il faut un texte"},
	}
	for _, c := range cases {
		dec := yaml.NewDecoder(strings.NewReader(c.src))
		dec.KnownFields(true)
		var d doc
		err := dec.Decode(&d)
		if err == nil {
			t.Errorf("%q: decoded", c.src)
			continue
		}
		e := Error("ent.yaml", err)
		if e.Line != c.line {
			t.Errorf("%q: line %d, want %d", c.src, e.Line, c.line)
		}
		en, fr := e.Error(), e.French()
		if !strings.HasSuffix(en, c.wantEN) || !strings.HasSuffix(fr, c.want) {
			t.Errorf("%q:\n got %q\n     %q\nwant …%q\n     …%q", c.src, en, fr, c.wantEN, c.want)
		}
		for _, leak := range []string{"yamlpos.", "[]", "!!", "unmarshal", "Go "} {
			if strings.Contains(en, leak) || strings.Contains(fr, leak) {
				t.Errorf("%q: message names %q: %q / %q", c.src, leak, en, fr)
			}
		}
	}
}

// A YAML file saved in ISO-8859-1 or Windows-1252 (an editor's default)
// is said so, at the line of the first byte that is not UTF-8, in each
// language; a UTF-8 or UTF-16 file with its byte order mark is fine.
func TestCheckUTF8(t *testing.T) {
	latin1 := []byte("ent:\n  name: \"Coll\xe8ge Fictif\"\n")
	e := CheckUTF8("ent.yaml", latin1)
	if e == nil {
		t.Fatal("ISO-8859-1 accepted")
	}
	if e.Line != 2 || !strings.Contains(e.Error(), "not UTF-8") || !strings.Contains(e.French(), "ligne 2 : le fichier n'est pas en UTF-8") {
		t.Errorf("line %d: %q / %q", e.Line, e.Error(), e.French())
	}
	for _, ok := range [][]byte{[]byte("a: é\n"), []byte("\xef\xbb\xbfa: é\n"), {0xff, 0xfe, 'a', 0, ':', 0, ' ', 0, 0xe9, 0}, {0xfe, 0xff, 0, 'a'}} {
		if e := CheckUTF8("x.yaml", ok); e != nil {
			t.Errorf("%q: %v", ok, e)
		}
	}
}
