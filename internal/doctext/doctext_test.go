package doctext

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// docx builds a DOCX archive whose word/document.xml body is body, with
// extra members.
func docx(t testing.TB, body string, extra map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	if body != "" {
		add("word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>`+body+`</w:body></w:document>`)
	}
	for k, v := range extra {
		add(k, v)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func para(style, text string) string {
	ppr := ""
	if style != "" {
		ppr = `<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`
	}
	return `<w:p>` + ppr + `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func cell(text string) string { return `<w:tc><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>` }

func read(t *testing.T, name string, data []byte) *Doc {
	t.Helper()
	d, err := Read(context.Background(), name, "", data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

func kinds(d *Doc) string {
	var b strings.Builder
	for _, bl := range d.Blocks {
		b.WriteString([]string{"P", "H", "I", "R"}[bl.Kind])
	}
	return b.String()
}

func TestDOCX(t *testing.T) {
	body := para("Titre1", "Article 4 – Sous-traitance ultérieure") +
		para("", "Le titulaire ne recrute aucun sous-traitant sans l'autorisation écrite préalable de la collectivité.") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>premier point</w:t></w:r></w:p>` +
		`<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>texte masqué</w:t></w:r><w:r><w:t>visible</w:t></w:r><w:del><w:r><w:delText>supprimé</w:delText></w:r></w:del></w:p>` +
		`<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>` + cell("Sous-traitant") + cell("Prestation") + cell("Pays") + `</w:tr>` +
		`<w:tr>` + cell("Hébergeur Fictif SAS") + cell("Hébergement") + `<w:tc><w:p><w:r><w:t>France</w:t></w:r></w:p><w:tbl><w:tr>` + cell("Roubaix") + `</w:tr></w:tbl></w:tc></w:tr></w:tbl>` +
		`<w:p><mc:AlternateContent><mc:Choice><w:r><w:t>choix</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>repli</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`
	d := read(t, "c.docx", docx(t, body, map[string]string{"docProps/core.xml": `<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">2026-03-02T10:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-04-05T10:00:00Z</dcterms:modified></cp:coreProperties>`}))
	if d.Format != "docx" || kinds(d) != "HPIPRRP" {
		t.Fatalf("format %s, blocks %s: %#v", d.Format, kinds(d), d.Blocks)
	}
	if got := d.Blocks[3].Text; got != "visible" {
		t.Errorf("hidden or deleted text read: %q", got)
	}
	if r := d.Blocks[4]; !r.Header || !r.First || len(r.Cells) != 3 {
		t.Errorf("header row %#v", r)
	}
	if r := d.Blocks[5]; r.Header || r.First || r.Cells[2] != "France\nRoubaix" || r.Text != "Hébergeur Fictif SAS | Hébergement | France ; Roubaix" {
		t.Errorf("row %#v", r)
	}
	if got := d.Blocks[6].Text; got != "choix" {
		t.Errorf("alternate content read twice: %q", got)
	}
	if got := d.Date.Format("2006-01-02"); got != "2026-04-05" {
		t.Errorf("date %s", got)
	}
}

// TestBadInput: every unreadable document gets an error that says what
// is wrong, never a crash or an empty success.
func TestBadInput(t *testing.T) {
	enc := encryptedPDF()
	bomb := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/document.xml")
		zeros := make([]byte, 1<<20)
		for i := 0; i < (maxDOCXPart>>20)+2; i++ {
			w.Write(zeros)
		}
		zw.Close()
		return buf.Bytes()
	}()
	many := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i <= maxDOCXMembers; i++ {
			zw.Create(fmt.Sprintf("m%d", i))
		}
		zw.Close()
		return buf.Bytes()
	}()
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"vide.txt", []byte(" \n\t"), "document vide"},
		{"chiffre.pdf", enc, "PDF chiffré"},
		{"binaire.pdf", []byte("\x00\x01\x02binaire"), "présenté comme un PDF"},
		{"binaire.bin", []byte("\x00\x01\x02binaire"), "contenu binaire"},
		{"vide.docx", docx(t, para("", ""), nil), "document vide"},
		{"zip.docx", docx(t, "", map[string]string{"autre.txt": "x"}), "pas de word/document.xml"},
		{"odt.zip", docx(t, "", map[string]string{"content.xml": "<x/>"}), "OpenDocument"},
		{"chiffre.docx", docx(t, "", map[string]string{"EncryptedPackage": "x"}), "chiffré"},
		{"bombe.docx", bomb, "bombe de décompression"},
		{"nombreux.docx", many, "fichiers, limite"},
		{"ole.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 suite"), "Word 97-2003"},
		{"pasunzip.docx", []byte("juste du texte"), "pas une archive ZIP"},
		{"dtd.docx", docx(t, "", map[string]string{"word/document.xml": `<!DOCTYPE x [<!ENTITY a "b">]><w:document/>`}), "DTD"},
		{"malforme.docx", docx(t, "", map[string]string{"word/document.xml": `<w:document><w:body>`}), "mal formé"},
	} {
		_, err := Read(context.Background(), c.name, "", c.data)
		if err == nil {
			t.Errorf("%s: read without error", c.name)
			continue
		}
		if fr := input.French(err); !strings.Contains(fr, c.want) {
			t.Errorf("%s: %q, want %q", c.name, fr, c.want)
		}
	}
}

// encryptedPDF is a PDF whose /Encrypt dictionary does not open with the
// empty password.
func encryptedPDF() []byte {
	var pdf bytes.Buffer
	pdf.WriteString("%PDF-1.4\n")
	x := pdf.Len()
	pdf.WriteString("xref\n0 1\n0000000000 65535 f \n")
	fmt.Fprintf(&pdf, "trailer\n<< /Size 1 /ID [(%s)] /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /O (%s) /U (%s) /P 0 >> >>\n",
		strings.Repeat("I", 16), strings.Repeat("O", 32), strings.Repeat("U", 32))
	fmt.Fprintf(&pdf, "startxref\n%d\n%%%%EOF\n", x)
	return pdf.Bytes()
}

func TestHTML(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>
<h2>Annexe 3 — Sous-traitants ultérieurs</h2>
<p>Le titulaire fait appel aux sous-traitants suivants :<br>liste à jour.</p>
<ul><li>Premier <b>point</b><ul><li>sous-point</li></ul></li></ul>
<table><thead><tr><th>Nom</th><th>Rôle</th><th>Pays</th></tr></thead>
<tbody><tr><td>Hébergeur Fictif</td><td>hébergement</td><td>France</td></tr></tbody></table>
<table><tr><td>Nom</td><td>Pays</td></tr><tr><td>X</td><td>Y</td></tr></table>
<p hidden>caché</p><div style="display: none">caché</div><p aria-hidden="true">caché</p><script>caché()</script>
</body></html>`
	d := read(t, "c.html", []byte(page))
	if kinds(d) != "HPIIRRRR" {
		t.Fatalf("blocks %s: %#v", kinds(d), d.Blocks)
	}
	if d.Blocks[0].Level != 2 || d.Blocks[1].Text != "Le titulaire fait appel aux sous-traitants suivants :\nliste à jour." {
		t.Errorf("%#v", d.Blocks[:2])
	}
	if d.Blocks[2].Text != "Premier point" || d.Blocks[3].Text != "sous-point" {
		t.Errorf("items %#v", d.Blocks[2:4])
	}
	if r := d.Blocks[4]; !r.Header || !r.First {
		t.Errorf("thead row %#v", r)
	}
	if r := d.Blocks[5]; r.Header || r.First || r.Text != "Hébergeur Fictif | hébergement | France" {
		t.Errorf("row %#v", r)
	}
	if r := d.Blocks[6]; r.Header || !r.First {
		t.Errorf("first row of a table without thead %#v", r)
	}
	if strings.Contains(d.Text(), "caché") {
		t.Errorf("hidden text read: %q", d.Text())
	}
}

func TestText(t *testing.T) {
	latin1 := []byte("ARTICLE 7 - S\xc9CURIT\xc9\nLe titulaire met en \x9cuvre des mesures de s\xe9curit\xe9\nappropri\xe9es.\n\n- un point\n| Nom | Pays |\n|---|---|\n| A | France |\n")
	d := read(t, "c.txt", latin1)
	if kinds(d) != "HPIRR" {
		t.Fatalf("blocks %s: %#v", kinds(d), d.Blocks)
	}
	if d.Blocks[0].Text != "ARTICLE 7 - SÉCURITÉ" || d.Blocks[1].Text != "Le titulaire met en œuvre des mesures de sécurité appropriées." {
		t.Errorf("Latin-1 not decoded: %#v", d.Blocks[:2])
	}
	if !d.Blocks[3].First || d.Blocks[4].First || d.Blocks[4].Cells[1] != "France" {
		t.Errorf("rows %#v", d.Blocks[3:])
	}
	bom := append([]byte("\xef\xbb\xbf"), []byte("Texte en UTF-8 avec BOM : é.")...)
	if d := read(t, "b.txt", bom); d.Blocks[0].Text != "Texte en UTF-8 avec BOM : é." {
		t.Errorf("BOM: %#v", d.Blocks)
	}
	u16 := []byte{0xFF, 0xFE}
	for _, r := range "Texte UTF-16 : é." {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	if d := read(t, "u.txt", u16); d.Blocks[0].Text != "Texte UTF-16 : é." {
		t.Errorf("UTF-16: %#v", d.Blocks)
	}
}

func TestPDF(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/notice/mentions-completes.pdf")
	if err != nil {
		t.Fatal(err)
	}
	d := read(t, "m.pdf", data)
	if d.Format != "pdf" || len(d.Blocks) < 5 {
		t.Fatalf("%s %d blocks", d.Format, len(d.Blocks))
	}
	if _, err := PDFText(context.Background(), encryptedPDF()); !errors.Is(err, ErrEncrypted) {
		t.Errorf("encrypted PDF: %v", err)
	}
}

// TestBounds: a document of too many blocks is cut, not refused, and
// reading it stays fast.
func TestBounds(t *testing.T) {
	var b strings.Builder
	for i := 0; i < MaxBlocks+100; i++ {
		b.WriteString("Phrase.\n")
	}
	d := read(t, "long.txt", []byte(b.String()))
	if len(d.Blocks) != MaxBlocks {
		t.Errorf("%d blocks", len(d.Blocks))
	}
	deep := strings.Repeat("<div>", 400) + "texte" + strings.Repeat("</div>", 400)
	if d := read(t, "deep.html", []byte("<html><body>"+deep)); !strings.Contains(d.Text(), "texte") {
		t.Errorf("deep HTML: %q", d.Text())
	}
	// deeper than browsers nest: refused by the parser, with an error
	deeper := strings.Repeat("<div>", 100000)
	if _, err := Read(context.Background(), "deeper.html", "", []byte("<html><body>"+deeper)); err == nil || !strings.Contains(input.French(err), "HTML illisible") {
		t.Errorf("very deep HTML: %v", err)
	}
}

func FuzzRead(f *testing.F) {
	f.Add("c.docx", docx(f, para("Titre1", "Article")+`<w:tbl><w:tr>`+cell("a")+`</w:tr></w:tbl>`, nil))
	f.Add("c.html", []byte("<table><tr><td>a<table><tr><td>b</td></tr></table></td></tr></table><ul><li>x<ul><li>y"))
	f.Add("c.txt", []byte("TITRE\n| a | b |\n- point\n"))
	f.Add("c.pdf", encryptedPDF())
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		d, err := Read(context.Background(), name, "", data)
		if err != nil {
			if _, ok := err.(*input.Problem); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(d.Blocks) == 0 || len(d.Blocks) > MaxBlocks {
			t.Fatalf("%d blocks", len(d.Blocks))
		}
	})
}

// TestCellLines: the lines of a table cell (a <br>, a list, DOCX
// paragraphs) stay apart in Cells and are joined by " ; " in Text.
func TestCellLines(t *testing.T) {
	d := read(t, "c.html", []byte(`<table><tr><th>Nom</th><th>Pays</th></tr>
<tr><td>AWS<br>Mailjet</td><td><ul><li>Irlande</li><li>France</li></ul></td></tr>
<tr><td><p>Le titulaire chiffre les données.</p><p>Il les sauvegarde</p></td><td>X</td></tr></table>`))
	if len(d.Blocks) != 3 {
		t.Fatalf("blocks %#v", d.Blocks)
	}
	if r := d.Blocks[1]; r.Cells[0] != "AWS\nMailjet" || r.Cells[1] != "Irlande\nFrance" || r.Text != "AWS ; Mailjet | Irlande ; France" {
		t.Errorf("row %q %q", r.Cells, r.Text)
	}
	if r := d.Blocks[2]; r.Text != "Le titulaire chiffre les données. Il les sauvegarde | X" {
		t.Errorf("row %q", r.Text)
	}
	cell := func(ps ...string) string {
		var b strings.Builder
		for _, p := range ps {
			b.WriteString(`<w:p><w:r><w:t>` + p + `</w:t></w:r></w:p>`)
		}
		return `<w:tc>` + b.String() + `</w:tc>`
	}
	x, err := Read(context.Background(), "c.docx", "", docx(t, `<w:tbl><w:tr>`+cell("Nom")+cell("Pays")+`</w:tr><w:tr>`+cell("AWS", "Mailjet")+cell("Irlande", "France")+`</w:tr></w:tbl>`, nil))
	if err != nil {
		t.Fatal(err)
	}
	if r := x.Blocks[len(x.Blocks)-1]; r.Text != "AWS ; Mailjet | Irlande ; France" || r.Cells[0] != "AWS\nMailjet" {
		t.Errorf("docx row %q %q", r.Cells, r.Text)
	}
}
