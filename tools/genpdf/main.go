// Command genpdf builds the PDF notice fixture from the HTML notice, so
// that both carry the same text: it reads the headings and paragraphs of
// the HTML's <main> and lays them out with codeberg.org/go-pdf/fpdf. The
// output is deterministic (fixed dates, sorted catalogue).
//
//	go run ./tools/genpdf -in fixtures/notice/mentions-validees.html -out fixtures/notice/mentions-completes.pdf
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type block struct {
	heading bool
	text    string
}

func main() {
	in := flag.String("in", "fixtures/notice/mentions-validees.html", "HTML notice to read")
	out := flag.String("out", "fixtures/notice/mentions-completes.pdf", "PDF to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genpdf:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("open html: %w", err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		return fmt.Errorf("parse html: %w", err)
	}
	blocks := collect(doc)
	if len(blocks) == 0 {
		return fmt.Errorf("read %s: no <main> content", in)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	stamp := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("sdetcheck tools/genpdf", true)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252: French accents
	pdf.AddPage()
	for _, b := range blocks {
		if b.heading {
			pdf.SetFont("Helvetica", "B", 12)
			pdf.Ln(2)
			pdf.MultiCell(0, 6, tr(b.text), "", "L", false)
			continue
		}
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 5, tr(b.text), "", "J", false)
		pdf.Ln(1)
	}
	return pdf.OutputFileAndClose(out)
}

// collect returns the headings and paragraphs below <main>.
func collect(doc *html.Node) []block {
	var out []block
	var visit func(n *html.Node, inMain bool)
	visit = func(n *html.Node, inMain bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Main:
				inMain = true
			case atom.H1, atom.H2, atom.H3, atom.P, atom.Li:
				if inMain {
					out = append(out, block{heading: n.DataAtom != atom.P && n.DataAtom != atom.Li, text: text(n)})
					return
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inMain)
		}
	}
	visit(doc, false)
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	return strings.Join(strings.Fields(b.String()), " ")
}
