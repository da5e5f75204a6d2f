// Package doctext turns the documents a dossier holds (PDF, HTML, DOCX,
// plain text) into text a check can read: bounded, hostile input refused
// with a clear error. It knows nothing of what the text says: the areas
// (checks/notice, checks/contract) read it.
package doctext

import (
	"bytes"
	"context"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// Kind is what a block of a document is.
type Kind int

const (
	// Para is a paragraph.
	Para Kind = iota
	// Heading is a title (HTML h1–h6, a DOCX heading style, a short
	// title-like line of a PDF or a text file).
	Heading
	// Item is an item of a list.
	Item
	// Row is a row of a table; its cells are in Cells.
	Row
)

// Block is one block of a document, in reading order.
type Block struct {
	Kind Kind
	// Level is a heading's level (1 the highest) when the format says it,
	// 0 otherwise.
	Level int
	// Text is the block's text, white space collapsed; a row's cells
	// joined by " | ".
	Text string
	// Cells are a row's cells, white space collapsed; the lines of a
	// cell (a <br>, its paragraphs or list items) stay apart, one a line
	// (CellLine puts them on one).
	Cells []string
	// Header: the row is marked as a table's header (<th> cells, a
	// <thead>, a DOCX header row, the first row of a text table).
	Header bool
	// First: the row is the first of its table.
	First bool
}

// Doc is a document read as blocks.
type Doc struct {
	// Format is "pdf", "html", "docx", "markdown" or "text".
	Format string
	Blocks []Block
	// Date is the date the document's metadata gives (PDF /ModDate or
	// /CreationDate, DOCX docProps/core.xml), zero when it gives none.
	Date time.Time
}

// Text is the document's text, one block a line.
func (d *Doc) Text() string {
	var b strings.Builder
	for _, bl := range d.Blocks {
		b.WriteString(bl.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// Bounds of a document's reading: a contract or a security plan is some
// tens of pages; anything beyond is cut (MaxBlocks, MaxText) or refused.
const (
	// MaxBlocks bounds the blocks of a document.
	MaxBlocks = 20_000
	// MaxText bounds the text kept from a document.
	MaxText = 4 << 20
	// maxBlockText bounds one block (a cell, a paragraph).
	maxBlockText = 16 << 10
)

var (
	// ErrEmpty is the kind of the error of a document without text.
	ErrEmpty = &input.Problem{EN: "empty document: no text", FR: "document vide : aucun texte"}
	// ErrFormat is the kind of the error of a document of a format that
	// is not read.
	ErrFormat = &input.Problem{EN: "unreadable format", FR: "format illisible"}
)

// Read reads a document of any of the formats sdetcheck reads: PDF,
// DOCX, HTML, Markdown (by its name, .md, or its type) or plain text (UTF-8, UTF-16 with its byte-order mark, else
// Windows-1252/Latin-1). name is the file's name or URL (its extension
// says what the sender meant it to be); contentType is the HTTP
// Content-Type of a fetched document ("" for a file). Errors are
// *input.Problem; the caller names the source.
func Read(ctx context.Context, name, contentType string, data []byte) (*Doc, error) {
	ext := strings.ToLower(path.Ext(strings.SplitN(name, "?", 2)[0]))
	ct := strings.ToLower(contentType)
	trimmed := bytes.TrimLeft(data, " \t\r\n\x00")
	switch {
	case len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0:
		return nil, ErrEmpty
	case IsPDF(data):
		return readPDFDoc(ctx, data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return readDOCX(data)
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return nil, ErrFormat.With("Word 97-2003 document (.doc) or encrypted Office document: ask for a PDF, or a DOCX without password",
			"document Word 97-2003 (.doc) ou document Office chiffré : demander un PDF, ou un DOCX sans mot de passe")
	case ext == ".pdf" || strings.Contains(ct, "application/pdf"):
		return nil, ErrFormat.With("named or served as a PDF but not a PDF (no %PDF- header)", "présenté comme un PDF mais ce n'en est pas un (pas d'en-tête %PDF-)")
	case ext == ".docx" || strings.Contains(ct, "officedocument.wordprocessingml"):
		return nil, ErrFormat.With("named or served as a DOCX but not a ZIP archive", "présenté comme un DOCX mais ce n'est pas une archive ZIP")
	case ext == ".odt" || ext == ".rtf" || bytes.HasPrefix(trimmed, []byte("{\\rtf")):
		return nil, ErrFormat.With("OpenDocument or RTF document: ask for a PDF or a DOCX", "document OpenDocument ou RTF : demander un PDF ou un DOCX")
	case Binary(data):
		return nil, ErrFormat.With("binary content: expected a PDF, DOCX, HTML or text document", "contenu binaire : un document PDF, DOCX, HTML ou texte est attendu")
	case isMarkdown(ext, ct):
		return readMarkdownDoc(data)
	case looksHTML(data, ext, ct):
		return readHTMLDoc(data, contentType)
	}
	return readTextDoc(data)
}

// looksHTML: the document is markup (by its type, its extension or its
// first tag).
func looksHTML(data []byte, ext, ct string) bool {
	if strings.Contains(ct, "html") || ext == ".html" || ext == ".htm" || ext == ".xhtml" {
		return true
	}
	head := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"))
	if len(head) > 2048 {
		head = head[:2048]
	}
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<p>", "<p ", "<div", "<table", "<h1", "<h2", "<section", "<article"} {
		if bytes.Contains(head, []byte(tag)) {
			return bytes.HasPrefix(head, []byte("<"))
		}
	}
	return false
}

// builder collects a document's blocks within the bounds.
type builder struct {
	doc  Doc
	size int
}

// add appends a block (its text collapsed and bounded); it reports false
// once the document's bounds are reached.
func (b *builder) add(bl Block) bool {
	if len(b.doc.Blocks) >= MaxBlocks || b.size >= MaxText {
		return false
	}
	if bl.Kind == Row {
		cells := make([]string, 0, len(bl.Cells))
		empty := true
		for _, c := range bl.Cells {
			c = bound(collapseLines(c), maxBlockText/4)
			if c != "" {
				empty = false
			}
			cells = append(cells, c)
		}
		if empty {
			return true
		}
		bl.Cells = cells
		shown := make([]string, 0, len(cells))
		for _, c := range nonEmpty(cells) {
			shown = append(shown, CellLine(c))
		}
		bl.Text = strings.Join(shown, " | ")
	} else {
		bl.Text = bound(collapseLines(bl.Text), maxBlockText)
		if bl.Text == "" {
			return true
		}
	}
	b.size += len(bl.Text)
	b.doc.Blocks = append(b.doc.Blocks, bl)
	return true
}

// CellLine is a table cell's text on one line: its lines (kept apart
// in Block.Cells, one a line) joined by " ; ", or by a space after a
// line that ends with a punctuation mark of its own.
func CellLine(c string) string {
	lines := strings.Split(c, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			if strings.ContainsAny(lines[i-1][len(lines[i-1])-1:], ".;:,!?") {
				b.WriteString(" ")
			} else {
				b.WriteString(" ; ")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// finish returns the document, or ErrEmpty when it holds no letter.
func (b *builder) finish(format string) (*Doc, error) {
	b.doc.Format = format
	for _, bl := range b.doc.Blocks {
		if strings.IndexFunc(bl.Text, unicode.IsLetter) >= 0 {
			d := b.doc
			return &d, nil
		}
	}
	return nil, ErrEmpty
}

// invisible are characters a reader does not see (byte-order mark,
// zero-width spaces and joiners, soft hyphen), and the typographic
// ligatures PDF generators write for "fi", "ff"… (read as their letters).
var invisible = strings.NewReplacer("\ufeff", "", "\u200b", "", "\u200c", "", "\u200d", "", "\u2060", "", "\u00ad", "",
	"\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl", "\ufb05", "st", "\ufb06", "st")

// collapse collapses white space (no-break spaces included) to one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(invisible.Replace(strings.Map(func(r rune) rune {
		if r == '\u00a0' || r == '\u202f' || r == '\u2007' {
			return ' '
		}
		return r
	}, s))), " ")
}

// collapseLines collapses white space but keeps line breaks (a <br>, a
// DOCX w:br), which may end an address line or a list written with
// breaks; empty lines are dropped.
func collapseLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = collapse(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// bound cuts s to at most max bytes on a rune boundary.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

// Text documents and PDFs are lines: a paragraph ends at an empty line or
// a line that ends a sentence; a short line that reads like a title, a
// bullet or a table row (cells separated by "|" or tabs) stands alone.
var (
	bulletRe   = regexp.MustCompile(`^\s*([•◦▪‣∙·*–—-]|o\s|\d{1,2}[.)]\s|[a-z][.)]\s)\s*`)
	titleRe    = regexp.MustCompile(`^((article|art\.|annexe|chapitre|section|titre|partie|appendix|schedule|clause)\b[^\n]{0,120}|(\d+(\.\d+)*|[IVXLC]+)[.)]?\s+\p{Lu}[^\n]{0,140})$`)
	endRe      = regexp.MustCompile(`[.;!?:…]["»”)]?\s*$`)
	hyphenEnd  = regexp.MustCompile(`\p{Ll}-$`)
	mdSepRowRe = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$`)
)

// titleLine reports a line that is a title: "Article 5 – Sous-traitance",
// "3. Sécurité", "ANNEXE 2", a short line in capitals.
func titleLine(l string) bool {
	if l == "" || len(l) > 160 || endRe.MatchString(l) && !strings.HasSuffix(l, ":") {
		return false
	}
	if strings.Contains(l, "@") || strings.Contains(l, "://") {
		return false
	}
	if titleRe.MatchString(strings.ToLower(l)) || titleRe.MatchString(l) {
		return len(strings.Fields(l)) <= 20
	}
	letters, upper := 0, 0
	for _, r := range l {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 4 && upper*10 >= letters*8 && len(strings.Fields(l)) <= 14
}

// cellsOf splits a table row written as text ("a | b | c", or cells
// separated by tabs); nil when the line is no row.
func cellsOf(l string) []string {
	var cells []string
	switch {
	case strings.Count(l, "|") >= 2 || strings.HasPrefix(strings.TrimSpace(l), "|") && strings.Count(l, "|") >= 1:
		cells = strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
	case strings.Count(l, "\t") >= 1:
		for _, c := range strings.Split(l, "\t") {
			if strings.TrimSpace(c) != "" {
				cells = append(cells, c)
			}
		}
	}
	if len(cells) < 2 {
		return nil
	}
	return cells
}

// linesDoc reads text as lines into blocks (PDF text, plain text).
func linesDoc(b *builder, text string) {
	var cur []string
	kind := Para
	flush := func() {
		if len(cur) > 0 {
			b.add(Block{Kind: kind, Text: JoinWrapped(cur)})
			cur = nil
		}
		kind = Para
	}
	inTable := false
	for _, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		raw = strings.ReplaceAll(raw, "\r", "")
		if cells := cellsOf(raw); cells != nil {
			flush()
			if mdSepRowRe.MatchString(raw) {
				continue
			}
			b.add(Block{Kind: Row, Cells: cells, Header: !inTable, First: !inTable})
			inTable = true
			continue
		}
		if mdSepRowRe.MatchString(raw) && strings.Contains(raw, "|") {
			continue
		}
		inTable = false
		l := collapse(raw)
		switch {
		case l == "":
			flush()
			continue
		case titleLine(l):
			flush()
			b.add(Block{Kind: Heading, Text: l})
			continue
		case bulletRe.MatchString(l) && !titleRe.MatchString(l):
			flush()
			kind = Item
			l = strings.TrimSpace(bulletRe.ReplaceAllString(l, ""))
		}
		cur = append(cur, l)
		if endRe.MatchString(l) {
			flush()
		}
	}
	flush()
}

// JoinWrapped joins the wrapped lines of a paragraph, gluing a word cut
// by a hyphen at a line's end to its end on the next line.
func JoinWrapped(ls []string) string {
	var b strings.Builder
	glue := false
	for i, l := range ls {
		if i > 0 && !glue {
			b.WriteByte(' ')
		}
		glue = false
		if i+1 < len(ls) && hyphenEnd.MatchString(l) {
			if r, _ := utf8.DecodeRuneInString(ls[i+1]); unicode.IsLower(r) {
				l, glue = strings.TrimSuffix(l, "-"), true
			}
		}
		b.WriteString(l)
	}
	return b.String()
}
