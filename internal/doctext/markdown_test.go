package doctext

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// blocks renders a document's blocks as "kind level text" lines.
func blocks(d *Doc) []string {
	kinds := []string{"para", "heading", "item", "row"}
	var out []string
	for _, b := range d.Blocks {
		s := kinds[b.Kind]
		if b.Kind == Heading {
			s += string(rune('0' + b.Level))
		}
		if b.Header {
			s += "*"
		}
		out = append(out, s+" "+b.Text)
	}
	return out
}

// A data-processing agreement published in Markdown (as vendors do on
// GitHub) is read with its structure: headings and their level, list
// items, pipe tables with their header row, raw HTML lists and line
// breaks, bold run-in clause titles; no markup is left in the text.
func TestMarkdownStructure(t *testing.T) {
	md := "# Accord de traitement\n\n" +
		"## 8. Sous-traitance ultérieure\n\n" +
		"**8.1 Autorisation.** Le titulaire ne recrute aucun sous-traitant ultérieur sans autorisation écrite.\n\n" +
		"Sous-traitants ultérieurs autorisés :\n" +
		"- Hébergeur Fictif SAS — hébergement — France\n" +
		"1. Messagerie Fictive — courriels — Belgique\n\n" +
		"| Sous-traitant | Prestation | Pays |\n|---|---|---|\n| Hébergeur Fictif SAS | hébergement | France |\n\n" +
		"<ol type=\"a\">\n    <li>Le DPO peut être joint à l'adresse suivante : </br>\n    Fictif SAS</br>\n    1 rue de l'Exemple </br>\n    75001 Paris <br></li>\n</ol>\n"
	d := read(t, "dpa.md", []byte(md))
	if d.Format != "markdown" {
		t.Errorf("format %q", d.Format)
	}
	want := []string{
		"heading1 Accord de traitement",
		"heading2 8. Sous-traitance ultérieure",
		"heading0 8.1 Autorisation",
		"para Le titulaire ne recrute aucun sous-traitant ultérieur sans autorisation écrite.",
		"para Sous-traitants ultérieurs autorisés :",
		"item Hébergeur Fictif SAS — hébergement — France",
		"item Messagerie Fictive — courriels — Belgique",
		"row* Sous-traitant | Prestation | Pays",
		"row Hébergeur Fictif SAS | hébergement | France",
		"item Le DPO peut être joint à l'adresse suivante :\nFictif SAS\n1 rue de l'Exemple\n75001 Paris",
	}
	if diff := cmp.Diff(want, blocks(d)); diff != "" {
		t.Errorf("blocks (-want +got):\n%s", diff)
	}
	for _, b := range d.Blocks {
		if strings.ContainsAny(b.Text, "<>*#") {
			t.Errorf("markup left in %q", b.Text)
		}
	}
	// by its type too
	if d, err := Read(t.Context(), "https://example.test/dpa", "text/markdown; charset=utf-8", []byte("# Titre\n\nTexte.")); err != nil || d.Format != "markdown" {
		t.Errorf("text/markdown: %v %v", d, err)
	}
	// a .txt keeps the plain text reading
	if d := read(t, "dpa.txt", []byte("# Titre\n\nTexte.")); d.Format != "text" {
		t.Errorf(".txt read as %q", d.Format)
	}
}

// A hostile Markdown file nesting block quotes, lists or emphasis
// millions deep is read as plain text, quickly, without exhausting the
// stack.
func TestMarkdownNestingBounded(t *testing.T) {
	for name, md := range map[string]string{
		"quotes":   strings.Repeat("> ", 1<<20) + "texte",
		"lists":    strings.Repeat("- ", 1<<20) + "texte",
		"emphasis": strings.Repeat("*", 1<<20) + "texte" + strings.Repeat("*", 1<<20),
		"links":    strings.Repeat("[", 1<<20) + "texte",
		"nested":   strings.Repeat("*a ", 1<<19) + strings.Repeat("b* ", 1<<19),
		"tags":     strings.Repeat("<span>", 1<<10),
	} {
		md += "\n\nLe titulaire s'engage.\n"
		start := time.Now()
		d, err := Read(t.Context(), "x.md", "", []byte(md))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if d.Format != "text" {
			t.Errorf("%s: read as %q, want the plain text fallback", name, d.Format)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: %v", name, el)
		}
	}
}
