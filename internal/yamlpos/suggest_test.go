package yamlpos

import (
	"bytes"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// An unknown key is said with the known key of its mapping it most likely
// stands for, at its line; a key far from any gets no suggestion.
func TestUnknownKeySuggests(t *testing.T) {
	type inner struct {
		SAMLMetadata string `yaml:"saml_metadata"`
		Notice       string `yaml:"notice"`
	}
	type doc struct {
		Name     string `yaml:"name"`
		Evidence inner  `yaml:"evidence"`
	}
	for src, want := range map[string]string{
		"name: x\nevidance:\n  notice: a\n":           `ligne 2 : clé inconnue "evidance" (vouliez-vous dire "evidence" ?)`,
		"name: x\nevidence:\n  saml_metdata: a\n":     `ligne 3 : clé inconnue "saml_metdata" (vouliez-vous dire "saml_metadata" ?)`,
		"name: x\nevidence:\n  tout_autre_chose: a\n": `ligne 3 : clé inconnue "tout_autre_chose"`,
	} {
		var d doc
		dec := yaml.NewDecoder(bytes.NewReader([]byte(src)))
		dec.KnownFields(true)
		err := dec.Decode(&d)
		if err == nil {
			t.Fatalf("%q decodes", src)
		}
		got := ErrorIn("ent.yaml", err, &d).French()
		if !strings.HasSuffix(got, want) {
			t.Errorf("%q: %q, want it to end with %q", src, got, want)
		}
	}
}
