// Package xmlsafe parses untrusted XML documents: it refuses DTDs and entity
// declarations (billion laughs, external entities), bounds nesting depth and
// token count, normalises the encoding to UTF-8, and checks that the
// document round-trips through encoding/xml unchanged (a guard against the
// parser differentials that signature-wrapping attacks exploit).
package xmlsafe

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"
	xrv "github.com/mattermost/xml-roundtrip-validator"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// Limits bound what a document may contain. The counts are checked by a
// streaming pre-pass (scanCounts) before any parser allocates for them:
// under the size limit, hundreds of thousands of elements, attributes or
// namespace declarations otherwise cost tens of seconds and hundreds of
// megabytes in the tree, the round-trip check and canonicalisation. A zero
// count is not bounded.
type Limits struct {
	MaxDepth  int // element nesting
	MaxTokens int // total tokens
	// MaxElements bounds the elements of the document.
	MaxElements int
	// MaxAttributes bounds the attributes (namespace declarations apart).
	MaxAttributes int
	// MaxNamespaceDecls bounds the namespace declarations (xmlns,
	// xmlns:p), each of which every descendant inherits.
	MaxNamespaceDecls int
	// MaxAttrsPerElement bounds the attributes and namespace declarations
	// of one element.
	MaxAttrsPerElement int
}

// DefaultLimits suit documents read whole (AAF samples, pages): bounded
// generously.
var DefaultLimits = Limits{MaxDepth: 256, MaxTokens: 2_000_000,
	MaxElements: 1_000_000, MaxAttributes: 2_000_000, MaxNamespaceDecls: 100_000, MaxAttrsPerElement: 1024}

// MetadataLimits suit SAML metadata. An IdP's metadata holds a few hundred
// elements (AD FS, the largest, about 300 for 40 KB); a federation
// aggregate about 7,000 elements, 11,000 attributes and at most 3,000
// namespace declarations per megabyte. These bounds accept an aggregate of
// about 7 MB and keep any accepted document within a few seconds of CPU
// and about a hundred megabytes (checks/saml BenchmarkMetadataLimits).
var MetadataLimits = Limits{MaxDepth: 256, MaxTokens: 500_000,
	MaxElements: 50_000, MaxAttributes: 100_000, MaxNamespaceDecls: 10_000, MaxAttrsPerElement: 128}

// ErrDTD is wrapped when a document carries a DOCTYPE or entity declaration.
var ErrDTD = &input.Problem{
	EN: "DTD or entity declaration refused (entity expansion and external entities are unsafe)",
	FR: "déclaration DTD ou d'entité refusée (l'expansion d'entités et les entités externes sont dangereuses)",
}

// ErrMalformed is the kind of every "not well-formed XML" error; the
// parser's own message, when there is one, is its technical detail.
var ErrMalformed = &input.Problem{EN: "malformed XML", FR: "XML mal formé"}

// Malformed builds an ErrMalformed error that sdetcheck describes itself,
// in English and French.
func Malformed(en, fr string) *input.Problem {
	return ErrMalformed.With(en, fr)
}

// MalformedDetail builds an ErrMalformed error from a parser's message,
// kept verbatim as the technical detail; gloss, when not "", names the
// problem in French (from the parser's error code or the position of the
// error, never from its text).
func MalformedDetail(detail, gloss string) *input.Problem {
	p := &input.Problem{EN: ErrMalformed.EN, FR: ErrMalformed.FR, Kind: ErrMalformed, Cause: errors.New(detail)}
	if gloss != "" {
		p.FR += " : " + gloss
	}
	return p
}

// glossTruncated names a syntax error met at the very end of the data.
const glossTruncated = "fin de document inattendue (fichier tronqué ?)"

var encDecl = regexp.MustCompile(`^(<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9._-]+)(["'])`)

// ToUTF8 returns data as UTF-8 without a byte-order mark, rewriting the XML
// declaration's encoding. It understands UTF-8 and UTF-16 BOMs and the
// declared encodings that golang.org/x/net/html/charset knows (ISO-8859-1,
// ISO-8859-15, windows-1252…).
func ToUTF8(source string, data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, data)
		if err != nil {
			return nil, &input.Error{Source: source, Err: input.Wrap(err, "decode UTF-16", "décodage UTF-16 impossible")}
		}
		return rewriteDecl(out), nil
	}
	m := encDecl.FindSubmatch(data)
	name := "utf-8"
	if m != nil {
		name = strings.ToLower(string(m[2]))
	}
	if name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii" {
		// Name the first bad byte: the parser reports invalid UTF-8 only
		// where it next looks at text, often many lines later.
		if line, col := input.FirstInvalidUTF8(data); line > 0 {
			how, comment := "declared "+name, "encodage déclaré : "+name
			if m == nil {
				how, comment = "no encoding declared, so UTF-8", "aucun encodage déclaré, donc UTF-8"
			}
			return nil, &input.Error{Source: source, Line: line, Column: col, Err: &input.Problem{
				EN: "invalid UTF-8 byte (" + how + "; saved as ISO-8859-1 or Windows-1252?): declare the true encoding or re-save as UTF-8",
				FR: "octet invalide en UTF-8 (" + comment + " ; fichier enregistré en ISO-8859-1 ou Windows-1252 ?) : déclarer le véritable encodage ou réenregistrer le fichier en UTF-8",
			}}
		}
		return data, nil
	}
	if strings.HasPrefix(name, "utf-16") {
		// Declared UTF-16 without a BOM but read as ASCII: the declaration lies.
		return nil, &input.Error{Source: source, Line: 1, Err: input.Problemf("declared encoding %q does not match the bytes (no UTF-16 byte-order mark)", "l'encodage déclaré %q ne correspond pas au contenu (pas d'indicateur d'ordre des octets UTF-16)", m[2])}
	}
	enc, _ := charset.Lookup(name)
	if enc == nil {
		return nil, &input.Error{Source: source, Line: 1, Err: input.Problemf("unsupported encoding %q", "encodage %q non pris en charge", m[2])}
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return nil, &input.Error{Source: source, Line: 1, Err: input.Wrap(err, "decode %s", "décodage %s impossible", m[2])}
	}
	return rewriteDecl(out), nil
}

func rewriteDecl(data []byte) []byte {
	return encDecl.ReplaceAll(data, []byte("${1}UTF-8${3}"))
}

// Check verifies that data (UTF-8, see ToUTF8) is a single well-formed XML
// document within limits, without DTD, and that it round-trips. Errors are
// *input.Error with the line and column of the problem.
func Check(source string, data []byte, lim Limits) error {
	if err := scanCounts(source, data, lim); err != nil {
		return err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	depth, tokens, roots := 0, 0, 0
	for {
		startOff := int(dec.InputOffset())
		startLine, startCol := dec.InputPos()
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		line, col := dec.InputPos()
		if err != nil {
			if dec.InputOffset() >= int64(len(data)) {
				// The parser ran to the end of the data inside one
				// construct: say which, and where it opened.
				return unterminated(source, data, startOff, startLine, startCol, err)
			}
			return &input.Error{Source: source, Line: line, Column: col, Err: malformedOf(err, false)}
		}
		tokens++
		if tokens > lim.MaxTokens {
			return &input.Error{Source: source, Line: line, Column: col, Err: input.ErrTooLarge.With("more than %d XML tokens", "plus de %d éléments XML (jetons)", lim.MaxTokens)}
		}
		switch t := tok.(type) {
		case xml.Directive:
			d := strings.ToUpper(strings.TrimSpace(string(t)))
			if strings.HasPrefix(d, "DOCTYPE") || strings.HasPrefix(d, "ENTITY") {
				return &input.Error{Source: source, Line: line, Column: col, Err: ErrDTD}
			}
			return &input.Error{Source: source, Line: line, Column: col, Err: input.Problemf("unexpected XML directive <!%s>", "directive XML inattendue <!%s>", firstWord(d))}
		case xml.StartElement:
			if depth == 0 {
				roots++
				if roots > 1 {
					return &input.Error{Source: source, Line: line, Column: col, Err: Malformed("more than one root element", "plus d'un élément racine")}
				}
			}
			depth++
			if depth > lim.MaxDepth {
				return &input.Error{Source: source, Line: line, Column: col, Err: input.Problemf("XML nesting deeper than %d", "imbrication XML de plus de %d niveaux", lim.MaxDepth)}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return &input.Error{Source: source, Line: line, Column: col, Err: Malformed("text outside the root element", "texte hors de l'élément racine")}
			}
		}
	}
	if roots == 0 {
		return &input.Error{Source: source, Err: Malformed("no root element (empty or truncated document)", "aucun élément racine (document vide ou tronqué)")}
	}
	// Strict nesting is checked by a second, non-raw pass (RawToken does not
	// match end tags to start tags). It runs before judging unclosed
	// elements: an element closed by another's end tag in the middle of
	// the file is no truncation.
	if err := checkNesting(source, data); err != nil {
		return err
	}
	if depth != 0 {
		return &input.Error{Source: source, Line: lastLine(data), Err: Malformed("unexpected end of document: the root element is not closed (truncated?)", "fin de document inattendue : l'élément racine n'est pas fermé (fichier tronqué ?)")}
	}
	// An empty CDATA section (<![CDATA[]]>) is valid XML that carries no
	// character: encoding/xml gives it as an empty token, which the
	// round-trip validator reads as the end of the data. It is left out
	// of that check only (the same line and column for what follows on
	// other lines).
	rt := data
	if bytes.Contains(rt, emptyCDATA) {
		rt = bytes.ReplaceAll(rt, emptyCDATA, nil)
	}
	if err := xrv.Validate(bytes.NewReader(rt)); err != nil {
		e := &input.Error{Source: source, Err: input.Wrap(errors.New(fmt.Sprint(errors.Unwrap(err))),
			"XML does not round-trip (parser differential, possible signature-wrapping attempt)",
			"le XML n'est pas relu à l'identique (divergence entre analyseurs, tentative possible de contournement de la signature)")}
		var ve xrv.XMLValidationError
		if errors.As(err, &ve) {
			e.Line, e.Column = int(ve.Line), int(ve.Column)
		}
		return e
	}
	return nil
}

var emptyCDATA = []byte("<![CDATA[]]>")

// open is an element whose end tag has not been read yet.
type open struct {
	name      string
	line, col int
}

// checkNesting reads the document with encoding/xml's strict decoder,
// which matches end tags to start tags. An end tag that closes another
// element than the innermost open one is reported at its line, naming the
// line where that element opened.
func checkNesting(source string, data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []open
	for {
		line, col := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			eLine, eCol := dec.InputPos()
			var se *xml.SyntaxError
			if errors.As(err, &se) && strings.HasPrefix(se.Msg, "element <") && strings.Contains(se.Msg, "> closed by </") && len(stack) > 0 {
				top := stack[len(stack)-1]
				return &input.Error{Source: source, Line: eLine, Column: eCol, Err: MalformedDetail(printable(se.Msg),
					fmt.Sprintf("l'élément <%s> ouvert ligne %d, colonne %d n'est pas fermé avant cette balise de fin", printable(top.name), top.line, top.col))}
			}
			if dec.InputOffset() >= int64(len(data)) {
				if len(stack) > 0 {
					// Every end tag read matched: the end is missing.
					return &input.Error{Source: source, Line: lastLine(data), Err: Malformed("unexpected end of document: the root element is not closed (truncated?)",
						"fin de document inattendue : l'élément racine n'est pas fermé (fichier tronqué ?)")}
				}
			}
			return &input.Error{Source: source, Line: eLine, Column: eCol, Err: malformedOf(err, false)}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			stack = append(stack, open{name: name, line: line, col: col})
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
}

// unterminated reports a construct (tag, comment, CDATA section,
// processing instruction, declaration) the parser read up to the end of
// the data: at the line where it opened, as never closed; only when it
// opened on the document's last line is it a truncation.
func unterminated(source string, data []byte, off, line, col int, err error) error {
	// The construct starts at the first non-blank byte.
	for off < len(data) && (data[off] == ' ' || data[off] == '\t' || data[off] == '\r' || data[off] == '\n') {
		if data[off] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		off++
	}
	rest := data[off:]
	// en names the construct; fr and closed say it in French, agreed in
	// gender.
	en, fr, closed := "text", "texte commencé", "terminé"
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		en, fr, closed = "comment", "commentaire <!-- ouvert", "fermé"
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		en, fr, closed = "CDATA section", "section CDATA ouverte", "fermée"
	case bytes.HasPrefix(rest, []byte("<?")):
		en, fr, closed = "processing instruction", "instruction de traitement <? ouverte", "fermée"
	case bytes.HasPrefix(rest, []byte("<!")):
		en, fr, closed = "declaration", "déclaration <! ouverte", "fermée"
	case bytes.HasPrefix(rest, []byte("</")):
		en, fr, closed = "end tag", "balise de fin ouverte", "fermée"
	case bytes.HasPrefix(rest, []byte("<")):
		en, fr, closed = "tag", "balise ouverte", "fermée"
		if bytes.IndexByte(rest, '"') >= 0 || bytes.IndexByte(rest, '\'') >= 0 {
			en, closed = "tag (unclosed quote?)", "fermée (guillemet non fermé ?)"
		}
	}
	if !bytes.Contains(bytes.TrimRight(rest, " \t\r\n"), []byte("\n")) {
		// Opened on the last line and never closed: the file was cut.
		// The parser's message stays the technical detail.
		return &input.Error{Source: source, Line: line, Column: col, Err: malformedOf(err, true)}
	}
	return &input.Error{Source: source, Line: line, Column: col, Err: Malformed(
		fmt.Sprintf("%s opened at line %d, column %d, never closed", en, line, col),
		fmt.Sprintf("%s ligne %d, colonne %d, jamais %s avant la fin du document", fr, line, col, closed))}
}

// lastLine is the line of the document's last non-blank byte.
func lastLine(data []byte) int {
	return bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte("\n")) + 1
}

// malformedOf is the ErrMalformed error of an encoding/xml error, whose
// message is kept as the technical detail. atEnd says the decoder had
// consumed the whole document: the error is then a truncation.
func malformedOf(err error, atEnd bool) *input.Problem {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return Malformed("unexpected end of document (truncated?)", glossTruncated)
	}
	gloss := ""
	if atEnd {
		gloss = glossTruncated
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return MalformedDetail(printable(se.Msg), gloss)
	}
	return MalformedDetail(err.Error(), gloss)
}

// printable makes a parser message safe to print: encoding/xml quotes
// bytes of the document (e.g. a bad entity name), which in binary garbage
// are invalid UTF-8 or control characters. They become U+FFFD and the
// message is bounded.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
	if utf8.RuneCountInString(s) > 120 {
		s = string([]rune(s)[:120]) + "…"
	}
	return s
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, " \t\r\n"); i > 0 {
		return s[:i]
	}
	return s
}

// Parse normalises, checks and parses an untrusted document into an etree
// document. It is the one way sdetcheck reads a whole XML document.
func Parse(source string, data []byte, lim Limits) (*etree.Document, []byte, error) {
	utf8, err := ToUTF8(source, data)
	if err != nil {
		return nil, nil, err
	}
	if err := Check(source, utf8, lim); err != nil {
		return nil, nil, err
	}
	doc := etree.NewDocument()
	doc.ReadSettings.PreserveCData = true
	if err := doc.ReadFromBytes(utf8); err != nil {
		return nil, nil, &input.Error{Source: source, Err: input.Wrap(err, "parse XML", "lecture du XML impossible")}
	}
	return doc, utf8, nil
}

// LineOf returns the 1-based line of the first occurrence of needle in
// data, or 0 when absent. etree keeps no positions, so checks use this to
// point evidence at a line.
func LineOf(data []byte, needle string) int {
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// TextContent returns the text of e as a SAML consumer reads it (the DOM's
// textContent, which OpenSAML, xmlsec and Lasso use): every character data
// and CDATA section of e and of its descendants, in document order, with
// comments and processing instructions left out. etree's Text stops at the
// first child token, so "ENTFICTIF1<?pi x?>-EVIL" would read "ENTFICTIF1"
// where the consumer sees "ENTFICTIF1-EVIL".
func TextContent(e *etree.Element) string {
	var b strings.Builder
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, t := range e.Child {
			switch c := t.(type) {
			case *etree.CharData:
				b.WriteString(c.Data)
			case *etree.Element:
				walk(c)
			}
		}
	}
	if e != nil {
		walk(e)
	}
	return b.String()
}

// HasMarkupInText reports whether e's content mixes text with comments,
// processing instructions or child elements: a simple value written that
// way reads differently in parsers that stop at the first child token.
func HasMarkupInText(e *etree.Element) bool {
	if e == nil {
		return false
	}
	for _, t := range e.Child {
		switch t.(type) {
		case *etree.Comment, *etree.ProcInst, *etree.Element:
			return true
		}
	}
	return false
}
