package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// A DOCX is a ZIP archive (Office Open XML, ISO/IEC 29500) whose text is
// in word/document.xml. The archive is hostile until read: its members
// are counted, the parts read are bounded in size whatever their headers
// declare (a "zip bomb" declares a small size and inflates to gigabytes),
// and the XML is read as a token stream, its depth and tokens bounded.
const (
	maxDOCXMembers = 10_000
	// maxDOCXPart bounds the inflated size of a part read (the document
	// or its properties).
	maxDOCXPart = 64 << 20
	// maxXMLDepth and maxXMLTokens bound the reading of a part.
	maxXMLDepth  = 256
	maxXMLTokens = 20_000_000
)

// readDOCX reads a DOCX document's body as blocks: paragraphs (a heading
// style or an outline level makes a heading, a numbering a list item) and
// table rows. Deleted text (tracked changes), field codes, hidden runs
// (w:vanish) and the fallback copy of alternate content are not read.
func readDOCX(data []byte) (*Doc, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, input.Wrap(err, "read docx: not a readable ZIP archive", "lecture du DOCX : archive ZIP illisible")
	}
	if len(zr.File) > maxDOCXMembers {
		return nil, ErrFormat.With("docx archive of %d members, limit %d", "archive DOCX de %d fichiers, limite %d", len(zr.File), maxDOCXMembers)
	}
	var main, core *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			main = f
		case "docProps/core.xml":
			core = f
		case "EncryptedPackage", "EncryptionInfo":
			return nil, ErrFormat.With("encrypted Office document: ask for a copy without password", "document Office chiffré : demander une copie sans mot de passe")
		}
	}
	if main == nil {
		if hasMember(zr, "content.xml") {
			return nil, ErrFormat.With("OpenDocument text (ODT), not a DOCX: ask for a PDF or a DOCX", "texte OpenDocument (ODT), pas un DOCX : demander un PDF ou un DOCX")
		}
		return nil, ErrFormat.With("ZIP archive that is not a DOCX (no word/document.xml)", "archive ZIP qui n'est pas un DOCX (pas de word/document.xml)")
	}
	body, err := readPart(main)
	if err != nil {
		return nil, err
	}
	var b builder
	if err := docxBlocks(&b, body); err != nil {
		return nil, err
	}
	if core != nil {
		if c, err := readPart(core); err == nil {
			b.doc.Date = coreDate(c)
		}
	}
	return b.finish("docx")
}

func hasMember(zr *zip.Reader, name string) bool {
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

// errBomb is the error of a part that inflates past its bound.
var errBomb = ErrFormat.With("docx part inflates past %d MiB (zip bomb?); refused", "partie du DOCX de plus de %d Mio une fois décompressée (bombe de décompression ?) : refusée", maxDOCXPart>>20)

// readPart inflates one member of the archive within maxDOCXPart,
// whatever size its header declares.
func readPart(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxDOCXPart {
		return nil, errBomb
	}
	rc, err := f.Open()
	if err != nil {
		return nil, input.Wrap(err, "read docx member %s", "lecture du fichier %s du DOCX impossible", f.Name)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxDOCXPart+1))
	if err != nil {
		return nil, input.Wrap(err, "read docx member %s", "lecture du fichier %s du DOCX impossible", f.Name)
	}
	if len(data) > maxDOCXPart {
		return nil, errBomb
	}
	return data, nil
}

var (
	headingStyleRe = regexp.MustCompile(`(?i)^(heading|titre|title|berschrift|titolo|t[ií]tulo)\s*(\d)?$`)
	listStyleRe    = regexp.MustCompile(`(?i)^(list|liste|paragraphedeliste|listparagraph)`)
)

// docxPara is the paragraph being read.
type docxPara struct {
	text    strings.Builder
	style   string
	outline int // w:outlineLvl + 1, 0 when none
	list    bool
}

func (p *docxPara) block() Block {
	bl := Block{Kind: Para, Text: p.text.String()}
	switch m := headingStyleRe.FindStringSubmatch(p.style); {
	case m != nil:
		bl.Kind = Heading
		bl.Level, _ = strconv.Atoi(m[2])
		if bl.Level == 0 {
			bl.Level = 1
		}
	case p.outline > 0 && p.outline < 10:
		bl.Kind, bl.Level = Heading, p.outline
	case p.list || listStyleRe.MatchString(p.style):
		bl.Kind = Item
	}
	return bl
}

// docxRow is a table row being read (top-level table only: a table
// nested in a cell is read as the cell's text).
type docxRow struct {
	cells  []string
	cell   *strings.Builder
	header bool
}

// docxBlocks reads word/document.xml.
func docxBlocks(b *builder, data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var (
		stack      []xml.Name
		para       *docxPara
		row        *docxRow
		tableDepth int
		firstRow   bool
		inText     bool // inside w:t
		hiddenRun  bool
		skipDepth  int // > 0 inside an element whose text is not read
		tokens     int
	)
	attr := func(se xml.StartElement, local string) string {
		for _, a := range se.Attr {
			if a.Name.Local == local {
				return a.Value
			}
		}
		return ""
	}
	write := func(s string) {
		switch {
		case row != nil && row.cell != nil:
			row.cell.WriteString(s)
		case para != nil:
			para.text.WriteString(s)
		}
	}
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			if len(stack) > 0 {
				return ErrFormat.With("read docx: malformed word/document.xml (element %s not closed)", "lecture du DOCX : word/document.xml mal formé (élément %s non fermé)", stack[len(stack)-1].Local)
			}
			break
		}
		if err != nil {
			return input.Wrap(err, "read docx: malformed word/document.xml", "lecture du DOCX : word/document.xml mal formé")
		}
		if tokens++; tokens > maxXMLTokens {
			return ErrFormat.With("docx document of more than %d XML tokens", "document DOCX de plus de %d éléments XML", maxXMLTokens)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name)
			if len(stack) > maxXMLDepth {
				return ErrFormat.With("docx document nested more than %d levels deep", "document DOCX imbriqué sur plus de %d niveaux", maxXMLDepth)
			}
			if skipDepth > 0 {
				skipDepth++
				continue
			}
			switch t.Name.Local {
			case "delText", "instrText", "del", "Fallback", "footnoteReference", "endnoteReference", "commentReference":
				skipDepth = 1
			case "tbl":
				tableDepth++
				if tableDepth == 1 {
					firstRow = true
				}
			case "tr":
				if tableDepth == 1 {
					row = &docxRow{}
				}
			case "tblHeader":
				if row != nil && tableDepth == 1 && attr(t, "val") != "0" && attr(t, "val") != "false" {
					row.header = true
				}
			case "tc":
				if tableDepth == 1 && row != nil {
					row.cell = &strings.Builder{}
				}
			case "p":
				if tableDepth == 0 {
					para = &docxPara{}
				} else if row != nil && row.cell != nil && row.cell.Len() > 0 {
					row.cell.WriteString("\n")
				}
			case "pStyle":
				if para != nil {
					para.style = attr(t, "val")
				}
			case "outlineLvl":
				if para != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
						para.outline = n + 1
					}
				}
			case "numPr":
				if para != nil {
					para.list = true
				}
			case "r":
				hiddenRun = false
			case "vanish", "specVanish":
				if v := attr(t, "val"); v != "0" && v != "false" {
					hiddenRun = true
				}
			case "t":
				inText = !hiddenRun
			case "tab":
				if !hiddenRun && len(stack) > 1 && stack[len(stack)-2].Local == "r" {
					write(" ")
				}
			case "br", "cr":
				if !hiddenRun {
					write("\n")
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			if skipDepth > 0 {
				skipDepth--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if tableDepth == 0 && para != nil {
					if !b.add(para.block()) {
						return nil
					}
					para = nil
				}
			case "tc":
				if tableDepth == 1 && row != nil && row.cell != nil {
					row.cells = append(row.cells, row.cell.String())
					row.cell = nil
				}
			case "tr":
				if tableDepth == 1 && row != nil {
					if !b.add(Block{Kind: Row, Cells: row.cells, Header: row.header, First: firstRow}) {
						return nil
					}
					firstRow = false
					row = nil
				}
			case "tbl":
				if tableDepth > 0 {
					tableDepth--
				}
			}
		case xml.CharData:
			if inText && skipDepth == 0 {
				write(string(t))
			}
		case xml.Directive:
			return ErrFormat.With("docx document holds a DTD (<!DOCTYPE>): refused", "le document DOCX contient une DTD (<!DOCTYPE>) : refusé")
		}
	}
	return nil
}

// coreDateRe finds the modification, else creation, date of the
// document's properties.
var coreDateRe = regexp.MustCompile(`<dcterms:(modified|created)[^>]*>(\d{4})-(\d{2})-(\d{2})`)

func coreDate(data []byte) time.Time { return propertyDate(coreDateRe, data, 4, "modified") }
