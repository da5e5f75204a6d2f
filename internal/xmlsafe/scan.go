package xmlsafe

import (
	"bytes"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// scanCounts is the streaming pre-pass of Check: one pass over the bytes,
// without allocation, that counts elements, attributes and namespace
// declarations and stops at the first count over its limit, naming its
// line and column. It only lexes what it needs (tags, quoted values,
// comments, CDATA sections, processing instructions, declarations) and
// leaves every syntax error to the parser: on input it cannot lex it
// stops, returning nil.
func scanCounts(source string, data []byte, lim Limits) error {
	s := scanner{data: data, line: 1}
	elements, attrs, nsDecls, depth := 0, 0, 0, 0
	over := func(at, max int, en, fr string) error {
		line, col := s.pos(at)
		return &input.Error{Source: source, Line: line, Column: col,
			Err: input.ErrTooLarge.With(en, fr, max)}
	}
	for {
		i := bytes.IndexByte(s.data[s.off:], '<')
		if i < 0 {
			return nil
		}
		s.advance(s.off + i)
		rest := s.data[s.off:]
		var end []byte
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end = []byte("-->")
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end = []byte("]]>")
		case bytes.HasPrefix(rest, []byte("<?")):
			end = []byte("?>")
		case bytes.HasPrefix(rest, []byte("<!")):
			end = []byte(">")
		case bytes.HasPrefix(rest, []byte("</")):
			end = []byte(">")
			depth--
		}
		if end != nil {
			j := bytes.Index(rest[2:], end)
			if j < 0 {
				return nil
			}
			s.advance(s.off + 2 + j + len(end))
			continue
		}
		// A start tag: its attributes, up to > or />.
		start := s.off
		elements++
		if lim.MaxElements > 0 && elements > lim.MaxElements {
			return over(start, lim.MaxElements, "more than %d XML elements", "plus de %d éléments XML")
		}
		k := s.off + 1
		for k < len(data) && !isSpace(data[k]) && data[k] != '>' && data[k] != '/' {
			k++
		}
		perElement := 0
		for {
			for k < len(data) && isSpace(data[k]) {
				k++
			}
			if k >= len(data) {
				return nil
			}
			if data[k] == '>' || data[k] == '/' {
				break
			}
			nameStart := k
			for k < len(data) && data[k] != '=' && !isSpace(data[k]) && data[k] != '>' {
				k++
			}
			name := data[nameStart:k]
			for k < len(data) && isSpace(data[k]) {
				k++
			}
			if k >= len(data) || data[k] != '=' {
				return nil // malformed: the parser says where
			}
			k++
			for k < len(data) && isSpace(data[k]) {
				k++
			}
			if k >= len(data) || (data[k] != '"' && data[k] != '\'') {
				return nil
			}
			q := bytes.IndexByte(data[k+1:], data[k])
			if q < 0 {
				return nil
			}
			k += q + 2
			perElement++
			if bytes.Equal(name, []byte("xmlns")) || bytes.HasPrefix(name, []byte("xmlns:")) {
				nsDecls++
				if lim.MaxNamespaceDecls > 0 && nsDecls > lim.MaxNamespaceDecls {
					return over(nameStart, lim.MaxNamespaceDecls,
						"more than %d XML namespace declarations", "plus de %d déclarations d'espace de noms XML")
				}
			} else {
				attrs++
				if lim.MaxAttributes > 0 && attrs > lim.MaxAttributes {
					return over(nameStart, lim.MaxAttributes, "more than %d XML attributes", "plus de %d attributs XML")
				}
			}
			if lim.MaxAttrsPerElement > 0 && perElement > lim.MaxAttrsPerElement {
				return over(nameStart, lim.MaxAttrsPerElement,
					"more than %d attributes on one XML element", "plus de %d attributs sur un même élément XML")
			}
		}
		if data[k] == '>' {
			// Not self-closing: one level deeper, as the parser will
			// refuse it (same message, here before it allocates).
			depth++
			if lim.MaxDepth > 0 && depth > lim.MaxDepth {
				line, col := s.pos(start)
				return &input.Error{Source: source, Line: line, Column: col,
					Err: input.Problemf("XML nesting deeper than %d", "imbrication XML de plus de %d niveaux", lim.MaxDepth)}
			}
		}
		s.advance(k)
	}
}

// scanner walks data keeping the line of its offset.
type scanner struct {
	data     []byte
	off      int
	line     int
	lineFrom int // offset of the current line's first byte
}

// advance moves to offset to, counting the lines passed.
func (s *scanner) advance(to int) {
	for {
		j := bytes.IndexByte(s.data[s.off:to], '\n')
		if j < 0 {
			break
		}
		s.line++
		s.off += j + 1
		s.lineFrom = s.off
	}
	s.off = to
}

// pos is the line and 1-based column of offset at, which is at or after
// the scanner's offset.
func (s *scanner) pos(at int) (int, int) {
	s.advance(at)
	return s.line, at - s.lineFrom + 1
}

func isSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}
