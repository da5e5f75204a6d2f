package doctext

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// line draws text cells on one baseline: each cell at its x, 10 pt
// glyphs 5 pt wide.
func line(y float64, cells ...any) []glyph {
	var gs []glyph
	for i := 0; i+1 < len(cells); i += 2 {
		x := float64(cells[i].(int))
		for _, r := range cells[i+1].(string) {
			gs = append(gs, glyph{x: x, y: y, w: 5, size: 10, s: string(r)})
			x += 5
		}
	}
	return gs
}

func TestLayoutTables(t *testing.T) {
	// a table of single-line rows between two paragraphs
	var gs []glyph
	gs = append(gs, line(800, 50, "Liste des sous-traitants :")...)
	gs = append(gs, line(780, 50, "Nom", 200, "Service", 350, "Pays")...)
	gs = append(gs, line(765, 50, "Hebergeur SAS", 200, "hebergement", 350, "France")...)
	gs = append(gs, line(750, 50, "Courriel SARL", 200, "courriels", 350, "Belgique")...)
	gs = append(gs, line(720, 50, "Toute modification de la liste est soumise à autorisation.")...)
	want := "Liste des sous-traitants :\n\n\n| Nom | Service | Pays |\n| Hebergeur SAS | hebergement | France |\n| Courriel SARL | courriels | Belgique |\n\n\n\nToute modification de la liste est soumise à autorisation."
	if got := layoutTables(gs); got != want {
		t.Errorf("table:\n%s", cmp.Diff(want, got))
	}
	// a list whose items are indented after their bullets is no table
	gs = nil
	gs = append(gs, line(780, 50, "•", 70, "à la propriété littéraire ;")...)
	gs = append(gs, line(765, 50, "•", 70, "aux fichiers et aux libertés ;")...)
	if got := layoutTables(gs); got != "" {
		t.Errorf("bullets read as a table: %q", got)
	}
	// nor is text in one column
	gs = nil
	gs = append(gs, line(780, 50, "Le titulaire s'engage.")...)
	gs = append(gs, line(765, 50, "Il notifie toute violation.")...)
	if got := layoutTables(gs); got != "" {
		t.Errorf("text read as a table: %q", got)
	}
}

// The notice area's text of a PDF (PDFText) keeps the drawing order: the
// table reading is the contract's (Read).
func TestPDFTableOnlyInRead(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/contract/tableau-sous-traitants.pdf")
	if err != nil {
		t.Fatal(err)
	}
	txt, err := PDFText(context.Background(), data)
	if err != nil || strings.Contains(txt, "|") {
		t.Errorf("PDFText: %v %q", err, txt)
	}
	d := read(t, "x.pdf", data)
	var rows []string
	for _, b := range d.Blocks {
		if b.Kind == Row {
			rows = append(rows, b.Text)
			if (len(rows) == 1) != b.Header {
				t.Errorf("row %q header %v", b.Text, b.Header)
			}
		}
	}
	want := []string{
		"Sous-traitant ultérieur | Prestation | Pays de traitement",
		"Hébergeur Fictif SAS | Hébergement des serveurs de production et des sauvegardes chiffrées de l'espace numérique de travail | France",
		"Messagerie Fictive SARL | Envoi des notifications par courriel | Belgique",
		"Analytique Fictive Inc. | Mesure d'audience des pages d'accueil | États-Unis",
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
