package xmlsafe

import (
	"errors"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// Every refusal of xmlsafe names the file and line in both languages; the
// French text holds no English of sdetcheck's own (encoding/xml's message
// may remain as the marked technical detail).
func TestParseErrorsInFrench(t *testing.T) {
	cases := []struct {
		name   string
		data   string
		lim    Limits
		en, fr string // expected prefixes
		kind   error
	}{
		{"dtd", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", DefaultLimits,
			"f.xml:2:", "f.xml, ligne 2, colonne 31 : déclaration DTD ou d'entité refusée", ErrDTD},
		{"truncated", "<a>\n<b>", DefaultLimits,
			"f.xml:2: malformed XML: unexpected end of document", "f.xml, ligne 2 : XML mal formé : fin de document inattendue : l'élément racine n'est pas fermé (fichier tronqué ?)", ErrMalformed},
		{"syntax", "<a>\n<b></c></a>", DefaultLimits,
			"f.xml:2:", "f.xml, ligne 2, colonne 8 : XML mal formé : l'élément <b> ouvert ligne 2, colonne 1 n'est pas fermé avant cette balise de fin (détail technique : element <b> closed by </c>)", ErrMalformed},
		{"element left open mid-file", "<a>\n<b>\n<c/>\n</a>\n", DefaultLimits,
			"f.xml:4:", "f.xml, ligne 4, colonne 5 : XML mal formé : l'élément <b> ouvert ligne 2, colonne 1 n'est pas fermé avant cette balise de fin", ErrMalformed},
		{"comment left open mid-file", "<a>\n<!-- note\n<b/>\n</a>\n", DefaultLimits,
			"f.xml:2:1: malformed XML: comment opened at line 2", "f.xml, ligne 2, colonne 1 : XML mal formé : commentaire <!-- ouvert ligne 2, colonne 1, jamais fermé avant la fin du document", ErrMalformed},
		{"cut in a tag", "<a>\n<b c=\"", DefaultLimits,
			"f.xml:2:", "f.xml, ligne 2, colonne 1 : XML mal formé : fin de document inattendue (fichier tronqué ?) (détail technique : unexpected EOF)", ErrMalformed},
		{"empty", "", DefaultLimits,
			"f.xml: malformed XML: no root element", "f.xml : XML mal formé : aucun élément racine (document vide ou tronqué)", ErrMalformed},
		{"two roots", "<a/>\n<b/>", DefaultLimits,
			"f.xml:2:", "f.xml, ligne 2, colonne 5 : XML mal formé : plus d'un élément racine", ErrMalformed},
		{"text outside", "<a/>\nzz", DefaultLimits,
			"f.xml:2:", "f.xml, ligne 2, colonne 3 : XML mal formé : texte hors de l'élément racine", ErrMalformed},
		{"deep", "<a><a><a></a></a></a>", Limits{MaxDepth: 2, MaxTokens: 100},
			"f.xml:1:", "f.xml, ligne 1, colonne 7 : imbrication XML de plus de 2 niveaux", nil},
		{"tokens", "<a><b/><b/><b/></a>", Limits{MaxDepth: 10, MaxTokens: 3},
			"f.xml:1:", "f.xml, ligne 1, colonne 12 : pièce trop volumineuse : plus de 3 éléments XML (jetons)", input.ErrTooLarge},
		{"invalid utf-8", "<a>\n\xe9t\xe9</a>", DefaultLimits,
			"f.xml:2:1: invalid UTF-8 byte", "f.xml, ligne 2, colonne 1 : octet invalide en UTF-8 (aucun encodage déclaré, donc UTF-8 ; fichier enregistré en ISO-8859-1 ou Windows-1252 ?)", nil},
		{"unsupported encoding", "<?xml version=\"1.0\" encoding=\"klingon\"?><a/>", DefaultLimits,
			"f.xml:1: unsupported encoding", "f.xml, ligne 1 : encodage \"klingon\" non pris en charge", nil},
		{"directive", "<!NOTATION x SYSTEM \"y\"><a/>", DefaultLimits,
			"f.xml:1:", "f.xml, ligne 1, colonne 25 : directive XML inattendue <!NOTATION>", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Parse("f.xml", []byte(c.data), c.lim)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), c.en) {
				t.Errorf("English %q, want prefix %q", err.Error(), c.en)
			}
			fr := input.French(err)
			if !strings.HasPrefix(fr, c.fr) {
				t.Errorf("French\n got %q\nwant %q…", fr, c.fr)
			}
			if c.kind != nil && !errors.Is(err, c.kind) {
				t.Errorf("errors.Is(%v) = false", c.kind)
			}
			if e, ok := input.AsError(err); !ok || e.Source != "f.xml" {
				t.Errorf("no *input.Error naming the file: %#v", err)
			}
		})
	}
}
