package libxml2

import "testing"

func TestParserGloss(t *testing.T) {
	for code, want := range map[int]string{81: "encodage UTF-8 invalide", 77: "balise non fermée (fichier tronqué ?)", 1800: ""} {
		if got := ParserGloss(code); got != want {
			t.Errorf("ParserGloss(%d) = %q, want %q", code, got, want)
		}
	}
}
