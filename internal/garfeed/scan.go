package garfeed

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"iter"
	"os"
	"slices"
	"strings"
	"sync"

	xsd "github.com/jacoelho/xsd"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

var (
	enginesOnce sync.Once
	engine2D    *xsd.Engine
	engine1D    *xsd.Engine
	enginesErr  error
)

// engines compiles each GAR XSD once per process.
func engines() (*xsd.Engine, *xsd.Engine, error) {
	enginesOnce.Do(func() {
		ctx := context.Background()
		engine2D, enginesErr = xsd.Compile(ctx, xsd.Bytes("GAR-ENT-2D-v1.7.xsd", xsd2D))
		if enginesErr != nil {
			enginesErr = input.Wrap(enginesErr, "compile GAR XSD 2D v1.7", "compilation du schéma XSD GAR 2D v1.7 impossible")
			return
		}
		engine1D, enginesErr = xsd.Compile(ctx, xsd.Bytes("GAR-ENT-1D-v1.4.xsd", xsd1D))
		if enginesErr != nil {
			enginesErr = input.Wrap(enginesErr, "compile GAR XSD 1D v1.4", "compilation du schéma XSD GAR 1D v1.4 impossible")
		}
	})
	return engine2D, engine1D, enginesErr
}

// Field is one leaf value of a record, named by its path below the record
// ("GARPersonNom", "GARPersonProfils/GARPersonProfil").
type Field struct {
	Path string
	Val  string
	Line int
}

// Record is one child of a file's root (GAREleve, GARGroupe, ...). A
// visitor gets it by pointer and may not keep it: the reader reuses its
// fields for the next record.
type Record struct {
	Name   string
	Line   int
	Fields []Field
}

// Get returns the first value at path (and its line; the record's line
// when absent).
func (r *Record) Get(path string) (string, int) {
	for _, f := range r.Fields {
		if f.Path == path {
			return f.Val, f.Line
		}
	}
	return "", r.Line
}

// Lookup is Get that also says whether the field is present.
func (r *Record) Lookup(path string) (string, int, bool) {
	for _, f := range r.Fields {
		if f.Path == path {
			return f.Val, f.Line, true
		}
	}
	return "", r.Line, false
}

// Each yields every field at path, in order (All, without a slice).
func (r *Record) Each(path string) iter.Seq[Field] {
	return func(yield func(Field) bool) {
		for _, f := range r.Fields {
			if f.Path == path && !yield(f) {
				return
			}
		}
	}
}

// All returns every field at path.
func (r *Record) All(path string) []Field { return slices.Collect(r.Each(path)) }

// Visit is called with each record of a file, in document order, on the
// goroutine that reads the file.
type Visit func(*File, *Record)

// File is what a file's pass learned about the file itself.
type File struct {
	Member     Member
	NS         string // the root's namespace (NS2D or NS1D)
	Root       string // local name of the root element
	Version    string // the root's Version attribute, trimmed
	HasVersion bool
	Records    int64
	Bytes      int64
	// SchemaErrors are the XSD violations (at most MaxSchemaErrors).
	SchemaErrors []SchemaViolation
	// SchemaTruncated is set when the validator stopped collecting errors.
	SchemaTruncated bool
	// WholeXSD: the single pass validated the file a second time, with
	// the XSD's keys (keys.go), because it found other errors.
	WholeXSD bool
}

// SchemaViolation is one XSD violation, its message stripped of instance
// values.
type SchemaViolation struct {
	Line, Col int
	Msg       string
}

// MaxSchemaErrors is how many XSD violations are kept per file (as
// libxml2 keeps them).
const MaxSchemaErrors = 100

// scanFile reads one member once: the bytes go through a SHA-256 hasher,
// to the XSD validator (through a pipe) and to the token decoder that feeds
// the visitor. It returns an *input.Error when the file is not
// well-formed XML or not a GAR feed file at all.
func scanFile(ctx context.Context, ld Loader, m Member, lim Limits, vs *Reader, visit Visit) (*File, error) {
	fh, err := os.Open(m.Path)
	if err != nil {
		return nil, &input.Error{Source: m.Source, Err: input.Wrap(err, "open", "ouverture impossible")}
	}
	defer fh.Close()
	fi := &File{Member: m}
	// The context is checked at each read of the file (256 KiB): libxml2
	// is never told to stop, it stops when its input does.
	hr := ld.NewHashingReader(io.LimitReader(input.ContextReader(ctx, fh), lim.MaxFileBytes+1), m.Source, "gar-feed")
	br := bufio.NewReaderSize(hr, 256<<10)
	head, _ := br.Peek(8 << 10)
	ns, _, err := sniffRoot(head)
	if cerr := ctx.Err(); cerr != nil {
		// Stopped (SIGTERM, Ctrl-C) before the head was read: the file
		// is not to blame.
		return nil, &input.Error{Source: m.Source, Err: Interrupted(cerr)}
	}
	if err != nil {
		return nil, &input.Error{Source: m.Source, Line: 1, Err: err}
	}
	if err := vs.prepare(ns, lim); err != nil {
		return nil, err
	}
	pw, wait, err := vs.start(ctx, ns)
	if err != nil {
		return nil, err
	}
	vw := &validatorInput{w: pw}
	tee := bufio.NewReaderSize(io.TeeReader(eolReader{br}, vw), 256<<10)
	derr := decodeFast(tee, fi, visit)
	if derr != nil {
		// The file is refused already: the validator stops here (libxml2
		// would spend minutes on a hostile 300 MB text node, for nothing).
		vw.Close()
	}
	// Drain what the decoder left so the hash (and, unless the file was
	// refused, the validator) sees it all.
	_, cerr := io.Copy(io.Discard, tee)
	vw.Close()
	verr := wait()
	if herr := hr.Done(); herr != nil && cerr == nil {
		cerr = herr
	}
	if err := ctx.Err(); err != nil {
		// Stopped (SIGTERM, Ctrl-C): what the engines or the scanner say
		// of a file cut short is beside the point.
		return nil, &input.Error{Source: m.Source, Err: Interrupted(err)}
	}
	fi.Bytes = hrSize(fh)
	if fi.Bytes > lim.MaxFileBytes {
		return nil, &input.Error{Source: m.Source, Err: input.ErrTooLarge.With("limit %d per file", "limite %s par fichier", input.Bytes(lim.MaxFileBytes))}
	}
	if derr != nil {
		var se *xml.SyntaxError
		if errors.As(derr, &se) {
			// The decoder's message quotes the offending token, which
			// may be a piece of a person's name.
			return nil, &input.Error{Source: m.Source, Line: se.Line, Err: mask.ParseError(xmlsafe.MalformedDetail(se.Msg, ""))}
		}
		return nil, located(m.Source, derr, "read XML", "lecture du XML impossible")
	}
	if cerr != nil {
		return nil, &input.Error{Source: m.Source, Err: input.Wrap(cerr, "read", "lecture impossible")}
	}
	fi.SchemaErrors, fi.SchemaTruncated = verr.viol, verr.trunc
	if err := verr.err; err != nil {
		return nil, located(m.Source, err, "", "")
	}
	return fi, nil
}

// located gives err the file it is about: an *input.Error (it may carry a
// line) gets source; any other error is said of source, wrapped as what
// failed (en, fr) unless en is empty.
func located(source string, err error, en, fr string) *input.Error {
	if ie, ok := input.AsError(err); ok {
		ie.Source = source
		return ie
	}
	if en != "" {
		err = input.Wrap(err, en, fr)
	}
	return &input.Error{Source: source, Err: err}
}

// eolReader turns each lone CR into LF. XML 1.0 §2.11 has a parser
// normalise CR LF and a lone CR to LF before anything else, so the
// document is unchanged; but libxml2, the pure-Go engine and the scanner
// count lines by LF only, and without this every finding of a file with
// CR-only line endings (old Mac exports) would name line 1. The hash is
// taken before, on the bytes as they are.
type eolReader struct{ r *bufio.Reader }

func (e eolReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	for i := 0; i < n; {
		j := bytes.IndexByte(p[i:n], '\r')
		if j < 0 {
			break
		}
		i += j
		var next byte
		if i+1 < n {
			next = p[i+1]
		} else if b, perr := e.r.Peek(1); perr == nil {
			next = b[0]
		}
		if next != '\n' {
			p[i] = '\n'
		}
		i++
	}
	return n, err
}

// errInterrupted says that the run was stopped while reading.
func Interrupted(err error) error {
	return input.Wrap(err, "stop reading", "lecture interrompue")
}

// validatorInput is the validator's end of the tee: once closed, what is
// still read goes to the hash only. Written and closed by one goroutine.
type validatorInput struct {
	w      io.WriteCloser
	closed bool
}

func (v *validatorInput) Write(p []byte) (int, error) {
	if v.closed {
		return len(p), nil
	}
	return v.w.Write(p)
}

// Close closes the validator's input once; later calls do nothing.
func (v *validatorInput) Close() error {
	if v.closed {
		return nil
	}
	v.closed = true
	return v.w.Close()
}

func hrSize(fh *os.File) int64 {
	st, err := fh.Stat()
	if err != nil {
		return 0
	}
	return st.Size()
}

// sniffRoot finds the root element's namespace in the first bytes of a
// file, so the right schema is chosen before the single pass starts.
func sniffRoot(head []byte) (string, string, error) {
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) {
		// XML 1.0 §4.3.3: the byte-order mark of UTF-16 (or of UTF-32
		// little-endian, which begins alike).
		return "", "", input.Problemf("UTF-16 file (byte-order mark): GAR feed files are read as UTF-8 only (convert the export to UTF-8)",
			"fichier en UTF-16 (marque d'ordre des octets) : les fichiers d'export GAR sont lus en UTF-8 seulement (convertir l'export en UTF-8)")
	}
	d := xml.NewDecoder(bytes.NewReader(head))
	var declared *input.Problem
	d.CharsetReader = func(label string, _ io.Reader) (io.Reader, error) {
		declared = input.Problemf("encoding %q declared: GAR feed files are read as UTF-8 only (convert the export to UTF-8)",
			"encodage « %s » déclaré : les fichiers d'export GAR sont lus en UTF-8 seulement (convertir l'export en UTF-8)", label)
		return nil, declared
	}
	for {
		tok, err := d.Token()
		if declared != nil {
			return "", "", declared
		}
		if err != nil {
			if len(head) == 0 {
				return "", "", input.Problemf("empty file", "fichier vide")
			}
			if errors.Is(err, io.EOF) || strings.Contains(err.Error(), "unexpected EOF") {
				return "", "", input.Problemf("no root element in the first 8 KiB (truncated file?)", "aucun élément racine dans les 8 premiers Kio (fichier tronqué ?)")
			}
			return "", "", mask.ParseError(xmlsafe.MalformedDetail(err.Error(), ""))
		}
		switch t := tok.(type) {
		case xml.Directive:
			return "", "", input.Problemf("DOCTYPE/DTD refused in a GAR feed file", "DOCTYPE/DTD refusée dans un fichier d'export GAR")
		case xml.StartElement:
			if t.Name.Space != NS2D && t.Name.Space != NS1D {
				return "", "", input.Problemf("root element {%s}%s is not in a GAR namespace (%s or %s)", "l'élément racine {%s}%s n'est pas dans un espace de noms du GAR (%s ou %s)", t.Name.Space, t.Name.Local, NS2D, NS1D)
			}
			if !strings.HasPrefix(t.Name.Local, "GAR-ENT-") {
				return "", "", input.Problemf("root element %s is not a GAR feed root (GAR-ENT-Eleve, -Enseignant, -Etab, -Groupe, -RespAff)", "l'élément racine %s n'est pas celui d'un fichier d'export GAR (GAR-ENT-Eleve, -Enseignant, -Etab, -Groupe, -RespAff)", t.Name.Local)
			}
			return t.Name.Space, t.Name.Local, nil
		}
	}
}

// RootOf reads the first bytes of a member to find its root element, so
// that files can be scheduled by kind (establishments, persons, groups)
// whatever their names.
func RootOf(m Member) string {
	fh, err := os.Open(m.Path)
	if err != nil {
		return ""
	}
	defer fh.Close()
	head := make([]byte, 8<<10)
	n, _ := io.ReadFull(fh, head)
	_, root, _ := sniffRoot(head[:n])
	return root
}
