package garfeed

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// scanner is a minimal XML tokenizer for GAR feed files. It only extracts
// what the cross-file checks need (element names, leaf text, the root's
// attributes) and relies on the XSD engine, which reads the same bytes at
// the same time, for the full well-formedness and validity verdict. It is
// several times cheaper than encoding/xml, whose cost would otherwise add
// to the validator's. On malformed input it stops with an error; it never
// loops or grows beyond its bounds.
type scanner struct {
	r    *bufio.Reader
	line int
	buf  []byte
	// names interns element names and field paths (a feed uses a few
	// dozen); bounded so that hostile input cannot grow it.
	names   map[string]string
	scratch []byte
}

// maxNames bounds the distinct names of one file: elements' (as written,
// with their prefix) and attributes', processing instructions' targets,
// namespace names, and field paths. libxml2 keeps names in a dictionary
// whose cost grows faster than their number (0.8 million distinct names:
// 8 s, 1.5 million: 32 s, on 16 MB); a GAR file uses a few dozen.
const maxNames = 10_000

var errTooManyNames = input.Problemf("more than 10,000 distinct names (elements, attributes); refused", "plus de 10 000 noms distincts (éléments, attributs) : refusé")

// intern returns b as a string, shared with earlier identical names.
// Past maxNames names it still answers, and tooMany tells.
func (s *scanner) intern(b []byte) string {
	if v, ok := s.names[string(b)]; ok {
		return v
	}
	v := string(b)
	s.names[v] = v
	return v
}

// tooMany says whether the file has more than maxNames names.
func (s *scanner) tooMany() bool { return len(s.names) > maxNames }

// maxAttrs bounds the attributes of one element: libxml2's cost grows
// with their square (9,300 attributes on each of 1,000 elements, 80 MB:
// 17 s, against 2 s for the same bytes in plain records); a GAR root has
// four at most, a record none.
const maxAttrs = 256

var errTooManyAttrs = input.Problemf("element with more than 256 attributes; refused", "élément de plus de 256 attributs : refusé")

// noteAttrs records the names of a start tag's attributes, with the
// namespaces they declare (GAR records carry no attributes: this is for
// the root and for hostile files).
func (s *scanner) noteAttrs(attrs []byte) error {
	if bytes.IndexByte(attrs, '=') < 0 {
		return nil
	}
	as := parseAttrs(attrs)
	if len(as) > maxAttrs {
		return errTooManyAttrs
	}
	for _, a := range as {
		s.intern([]byte(a[0]))
		switch {
		case strings.HasPrefix(a[0], "xmlns"):
			s.intern([]byte(a[1]))
		case a[0] == "schemaLocation" || strings.HasSuffix(a[0], ":schemaLocation"):
			// xsi:schemaLocation hints (whatever the prefix): neither
			// engine follows them, but the pure-Go engine keeps their
			// namespace names, within limits set from these bounds.
			for i, ns := range strings.Fields(a[1]) {
				if i%2 != 0 {
					continue
				}
				if len(ns) > maxName {
					return errNameTooLong
				}
				s.intern([]byte(ns))
			}
		}
		if s.tooMany() {
			return errTooManyNames
		}
	}
	return nil
}

// joinPath returns the field path "a/b/c" of path, interned.
func (s *scanner) joinPath(path []string) string {
	if len(path) == 1 {
		return path[0]
	}
	s.scratch = s.scratch[:0]
	for i, p := range path {
		if i > 0 {
			s.scratch = append(s.scratch, '/')
		}
		s.scratch = append(s.scratch, p...)
	}
	return s.intern(s.scratch)
}

// maxText bounds one text value.
const maxText = 1 << 20

var errTooLong = input.Problemf("text value longer than 1 MiB; refused", "valeur textuelle de plus de 1 Mio : refusée")

// text reads character data up to the next '<' (consumed).
func (s *scanner) text() ([]byte, error) {
	s.buf = s.buf[:0]
	start := s.line
	for {
		chunk, err := s.r.ReadSlice('<')
		s.line += bytes.Count(chunk, []byte{'\n'})
		if err == bufio.ErrBufferFull {
			if len(s.buf)+len(chunk) > maxText {
				// Named by the line where the text starts.
				return nil, &input.Error{Line: start, Err: errTooLong}
			}
			s.buf = append(s.buf, chunk...)
			continue
		}
		if err != nil {
			s.buf = append(s.buf, chunk...)
			return s.buf, err
		}
		if len(s.buf) == 0 {
			return chunk[:len(chunk)-1], nil
		}
		if len(s.buf)+len(chunk)-1 > maxText {
			// Whether the text came in one slice of the buffer or several.
			return nil, &input.Error{Line: start, Err: errTooLong}
		}
		s.buf = append(s.buf, chunk[:len(chunk)-1]...)
		return s.buf, nil
	}
}

// errTooFar says that until met no terminator within maxText bytes.
var errTooFar = errors.New("terminator too far")

// until skips up to and including the terminator, at most maxText bytes
// (libxml2 refuses comments and processing instructions over 10 MB, the
// pure-Go engine does not: bounded here, both engines see the same).
func (s *scanner) until(term string) error {
	last := term[len(term)-1]
	var tail []byte
	n := 0
	for {
		chunk, err := s.r.ReadSlice(last)
		s.line += bytes.Count(chunk, []byte{'\n'})
		if n += len(chunk); n > maxText+len(term) {
			return errTooFar
		}
		if err == bufio.ErrBufferFull {
			tail = append(tail[:0], chunk[max(0, len(chunk)-len(term)):]...)
			continue
		}
		if err != nil {
			return err
		}
		joined := append(tail, chunk...)
		if bytes.HasSuffix(joined, []byte(term)) {
			return nil
		}
		tail = append(tail[:0], joined[max(0, len(joined)-len(term)):]...)
	}
}

// maxFields bounds the values of one record (its leaf elements), which
// are held until the record ends: a GAR record has a few dozen, a teacher
// in many establishments a few hundred. Without it, one record of 25
// million empty elements (100 MB) took 4 GB.
const maxFields = 100_000

var errTooManyFields = input.Problemf("record with more than 100,000 values; refused", "enregistrement de plus de 100 000 valeurs : refusé")

// maxName bounds a name (an element's, an attribute's, a processing
// instruction's target): libxml2 refuses names over 50,000 bytes
// (XML_MAX_NAME_LENGTH), the pure-Go engine does not; GAR names have a few
// dozen.
const maxName = 1 << 10

var errNameTooLong = input.Problemf("name longer than 1 KiB; refused", "nom de plus de 1 Kio : refusé")

// longName says whether a start tag's content holds a name (the element's
// or an attribute's, that is any run outside quoted values) longer than
// maxName.
func longName(t []byte) bool {
	if len(t) <= maxName {
		return false
	}
	var q byte
	run := 0
	for _, c := range t {
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q, run = c, 0
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '=' || c == '/':
			run = 0
		default:
			if run++; run > maxName {
				return true
			}
		}
	}
	return false
}

// maxTag bounds one tag, '<' and '>' excluded (the pure-Go engine's limit
// of attributes per element is set above what such a tag can hold, so
// that both engines see the same tags).
const maxTag = 64 << 10

var errTagTooLong = input.Problemf("tag longer than 64 KiB; refused", "balise de plus de 64 Kio : refusée")

// tag reads a tag's content after '<' up to the closing '>' (consumed),
// honouring quoted attribute values.
func (s *scanner) tag() ([]byte, error) {
	s.buf = s.buf[:0]
	start := s.line // a refused tag is named by the line where it starts
	for {
		chunk, err := s.r.ReadSlice('>')
		s.line += bytes.Count(chunk, []byte{'\n'})
		if err == bufio.ErrBufferFull || (err == nil && !balancedQuotes(s.buf, chunk)) {
			if len(s.buf)+len(chunk) > maxTag {
				return nil, &input.Error{Line: start, Err: errTagTooLong}
			}
			s.buf = append(s.buf, chunk...)
			continue
		}
		if err != nil {
			return nil, err
		}
		if len(s.buf)+len(chunk) > maxTag {
			// Whether the tag came in one slice of the buffer or several.
			return nil, &input.Error{Line: start, Err: errTagTooLong}
		}
		s.buf = append(s.buf, chunk[:len(chunk)-1]...)
		return s.buf, nil
	}
}

func balancedQuotes(a, b []byte) bool {
	if len(a) == 0 && bytes.IndexByte(b, '"') < 0 && bytes.IndexByte(b, '\'') < 0 {
		return true // most tags carry no attribute
	}
	var q byte
	for _, part := range [][]byte{a, b} {
		for _, c := range part {
			switch {
			case q == 0 && (c == '"' || c == '\''):
				q = c
			case c == q:
				q = 0
			}
		}
	}
	return q == 0
}

// splitName returns a tag's name and the rest.
func splitName(t []byte) ([]byte, []byte) {
	for i, c := range t {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' {
			return t[:i], t[i:]
		}
	}
	return t, nil
}

// decodeFast walks one file, building one record at a time, like decode.
func decodeFast(r io.Reader, fi *File, visit Visit) (err error) {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 256<<10)
	}
	s := &scanner{r: br, line: 1, names: make(map[string]string, 64)}
	defer func() {
		// The scanner's own refusals (value or tag too long) get the line
		// where the reading stopped.
		var p *input.Problem
		if _, located := input.AsError(err); !located && errors.As(err, &p) {
			err = &input.Error{Line: s.line, Err: err}
		}
	}()
	depth := 0
	var rec Record
	var path []string
	var text []byte // the value's character data, references resolved
	textRaw := 0    // its length as written (the bound is on that)
	valueLine := 0  // where the current value's element starts
	fail := func(en, fr string, args ...any) error {
		return &input.Error{Line: s.line, Err: input.Problemf(en, fr, args...)}
	}
	// Leading bytes up to the first '<'.
	if _, err := s.text(); err != nil {
		if err == io.EOF {
			return fail("no root element", "aucun élément racine")
		}
		return err
	}
	for {
		c, err := br.ReadByte()
		if err != nil {
			return fail("unexpected end of file: truncated XML", "fin de fichier inattendue : XML tronqué")
		}
		switch c {
		case '?':
			head, _ := br.Peek(maxName + 1)
			end := bytes.IndexAny(head, " \t\r\n?")
			if end < 0 && len(head) > maxName {
				return errNameTooLong // the target's
			}
			if end >= 0 {
				if s.intern(head[:end]); s.tooMany() {
					return errTooManyNames
				}
			}
			start := s.line
			if err := s.until("?>"); err == errTooFar {
				return &input.Error{Line: start, Err: input.Problemf("processing instruction longer than 1 MiB; refused", "instruction de traitement de plus de 1 Mio : refusée")}
			} else if err != nil {
				return fail("unexpected end of file in a processing instruction: truncated XML", "fin de fichier inattendue dans une instruction de traitement : XML tronqué")
			}
		case '!':
			head, _ := br.Peek(7)
			switch {
			case bytes.HasPrefix(head, []byte("--")):
				br.Discard(2)
				start := s.line
				if err := s.until("-->"); err == errTooFar {
					return &input.Error{Line: start, Err: input.Problemf("comment longer than 1 MiB; refused", "commentaire de plus de 1 Mio : refusé")}
				} else if err != nil {
					return fail("unexpected end of file in a comment: truncated XML", "fin de fichier inattendue dans un commentaire : XML tronqué")
				}
			case bytes.HasPrefix(head, []byte("[CDATA[")):
				br.Discard(7)
				start := s.line
				var cd []byte
				for {
					chunk, err := br.ReadSlice('>')
					s.line += bytes.Count(chunk, []byte{'\n'})
					if err != nil && err != bufio.ErrBufferFull {
						return &input.Error{Line: start, Err: input.Problemf("unexpected end of file in CDATA: truncated XML", "fin de fichier inattendue dans une section CDATA : XML tronqué")}
					}
					cd = append(cd, chunk...)
					if len(cd) > maxText {
						return &input.Error{Line: start, Err: errTooLong}
					}
					if bytes.HasSuffix(cd, []byte("]]>")) {
						break
					}
				}
				if depth >= 3 {
					text = appendCharData(text, cd[:len(cd)-3], false)
				}
			default:
				return fail("DOCTYPE/DTD refused in a GAR feed file", "DOCTYPE/DTD refusée dans un fichier d'export GAR")
			}
		case '/':
			t, err := s.tag()
			if errors.Is(err, errTagTooLong) {
				return err
			}
			if err != nil {
				return fail("unexpected end of file in an end tag: truncated XML", "fin de fichier inattendue dans une balise fermante : XML tronqué")
			}
			name, _ := splitName(t)
			if depth == 0 {
				return fail("unexpected end tag %s", "balise fermante %s inattendue", name)
			}
			switch {
			case depth == 2:
				fi.Records++
				visit(fi, &rec)
			case depth >= 3:
				if len(rec.Fields) >= maxFields {
					return errTooManyFields
				}
				rec.Fields = append(rec.Fields, Field{Path: s.joinPath(path), Val: string(bytes.TrimSpace(text)), Line: s.line})
				text, textRaw = text[:0], 0
				path = path[:len(path)-1]
			}
			depth--
		default:
			br.UnreadByte()
			t, err := s.tag()
			if errors.Is(err, errTagTooLong) {
				return err
			}
			if err != nil {
				return fail("unexpected end of file in a start tag: truncated XML", "fin de fichier inattendue dans une balise ouvrante : XML tronqué")
			}
			if longName(t) {
				return errNameTooLong
			}
			selfClosing := len(t) > 0 && t[len(t)-1] == '/'
			if selfClosing {
				t = t[:len(t)-1]
			}
			rawName, attrs := splitName(t)
			name := s.intern(rawName)
			if i := prefixEnd(name); i > 0 {
				name = name[i+1:] // the local name, sharing the interned string
			}
			if s.tooMany() {
				return errTooManyNames
			}
			if err := s.noteAttrs(attrs); err != nil {
				return err
			}
			depth++
			if depth > 64 {
				return fail("elements nested more than 64 deep; refused", "éléments imbriqués sur plus de 64 niveaux : refusé")
			}
			switch {
			case depth == 1:
				if fi.Root != "" {
					return fail("more than one root element", "plus d'un élément racine")
				}
				fi.Root = name
				prefix := ""
				if i := prefixEnd(string(rawName)); i > 0 {
					prefix = string(rawName[:i])
				}
				for _, a := range parseAttrs(attrs) {
					switch {
					case a[0] == "Version":
						fi.Version, fi.HasVersion = strings.TrimSpace(a[1]), true
					case prefix == "" && a[0] == "xmlns", prefix != "" && a[0] == "xmlns:"+prefix:
						fi.NS = a[1]
					}
				}
			case depth == 2:
				rec = Record{Name: name, Line: s.line, Fields: rec.Fields[:0]}
				path = path[:0]
			default:
				path = append(path, name)
				text, textRaw = text[:0], 0
				valueLine = s.line
			}
			if selfClosing {
				switch {
				case depth == 2:
					fi.Records++
					visit(fi, &rec)
				case depth >= 3:
					if len(rec.Fields) >= maxFields {
						return errTooManyFields
					}
					rec.Fields = append(rec.Fields, Field{Path: s.joinPath(path), Line: s.line})
					path = path[:len(path)-1]
				}
				depth--
			}
		}
		if depth == 0 && fi.Root != "" {
			// After the root: only whitespace, comments and PIs may follow.
			rest, err := s.text()
			if err == io.EOF {
				if len(bytes.TrimSpace(rest)) > 0 {
					return fail("text after the root element", "texte après l'élément racine")
				}
				return nil
			}
			if err != nil {
				return err
			}
			if len(bytes.TrimSpace(rest)) > 0 {
				return fail("text after the root element", "texte après l'élément racine")
			}
			continue
		}
		chunk, err := s.text()
		if err != nil {
			if err == io.EOF {
				return fail("unexpected end of file: truncated XML", "fin de fichier inattendue : XML tronqué")
			}
			return err
		}
		if depth >= 3 {
			if textRaw+len(chunk) > maxText {
				return &input.Error{Line: valueLine, Err: errTooLong}
			}
			textRaw += len(chunk)
			text = appendCharData(text, chunk, true)
		}
	}
}

// parseAttrs splits name="value" pairs.
func parseAttrs(b []byte) [][2]string {
	var out [][2]string
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		eq := bytes.IndexByte(b, '=')
		if eq < 0 {
			return out
		}
		name := string(bytes.TrimSpace(b[:eq]))
		b = bytes.TrimLeft(b[eq+1:], " \t\r\n")
		if len(b) == 0 || (b[0] != '"' && b[0] != '\'') {
			return out
		}
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return out
		}
		out = append(out, [2]string{name, string(appendAttValue(nil, b[1:1+end]))})
		b = b[end+2:]
	}
}

// appendCharData appends character data as an XML parser reports it
// (libxml2's SAX handlers, encoding/xml): the CR of each CR LF dropped
// (eolReader has already made every lone CR a LF, so that any CR left is
// one) and, for text (not CDATA), the predefined and numeric character
// references resolved. Values are trimmed after that, so that a
// reference to a space is trimmed as libxml2 trims it.
func appendCharData(dst, b []byte, refs bool) []byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			i = len(b)
		}
		if refs {
			dst = appendUnescaped(dst, b[:i])
		} else {
			dst = append(dst, b[:i]...)
		}
		b = b[min(i+1, len(b)):]
	}
	return dst
}

// appendAttValue appends an attribute value normalised as XML 1.0 §3.3.3
// says (and libxml2 does): each literal tab, LF or CR (a CR LF counting
// as one) becomes a space, then references are resolved.
func appendAttValue(dst, b []byte) []byte {
	if !bytes.ContainsAny(b, "\t\r\n") {
		return appendUnescaped(dst, b)
	}
	nb := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				continue
			}
			nb = append(nb, ' ')
		case '\t', '\n':
			nb = append(nb, ' ')
		default:
			nb = append(nb, c)
		}
	}
	return appendUnescaped(dst, nb)
}

// appendUnescaped appends b with the predefined and numeric character
// references resolved (any other stays as written).
func appendUnescaped(dst, b []byte) []byte {
	if bytes.IndexByte(b, '&') < 0 {
		return append(dst, b...)
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			dst = append(dst, b...)
			break
		}
		dst = append(dst, b[:i]...)
		b = b[i:]
		j := bytes.IndexByte(b, ';')
		if j < 0 {
			dst = append(dst, b...)
			break
		}
		ent := string(b[1:j])
		switch ent {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				err = errors.New("unknown entity")
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				dst = append(dst, b[:j+1]...)
			} else {
				dst = utf8.AppendRune(dst, rune(n))
			}
		}
		b = b[j+1:]
	}
	return dst
}

// prefixEnd is the index of the colon that ends name's namespace prefix,
// or -1 when name has none. As encoding/xml reads names, a colon first or
// last (":", ":a", "a:") makes no prefix: the whole name is local.
func prefixEnd(name string) int {
	i := strings.IndexByte(name, ':')
	if i <= 0 || i == len(name)-1 {
		return -1
	}
	return i
}
