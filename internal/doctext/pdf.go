package doctext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// PDF documents are read with github.com/ledongthuc/pdf (pure Go, BSD,
// maintained fork of rsc.io/pdf). It panics on some malformed files,
// trusts the page count the file declares, takes no context and follows
// /Prev chains without a cycle guard, so extraction runs with a recover,
// a page cap, and a reader that stops it (a panic the recover turns into
// an error) once the time limit is past or it has read far more than the
// file holds.
//
// The library is stricter than the readers people use: it wants the
// header "%PDF-1.x" followed at once by an end of line, "%%EOF" in the
// last 100 bytes and an exact cross-reference table. Old generators
// write "%PDF-1.2 " followed by spaces, files are saved with bytes after
// "%%EOF", and incremental updates or hand-edited files leave odd xref
// tables; poppler's pdftotext reads them all. So a file the library
// refuses is repaired, the way poppler reconstructs it: header and end
// normalised, then, if that is not enough, the cross-reference table
// rebuilt by scanning the file for its objects ("N G obj").
const (
	maxPDFPages = 200
	pdfTimeout  = 10 * time.Second
	// maxPDFReadFactor bounds what extraction reads, as a multiple of the
	// file's size: a /Prev or page-tree cycle reads the same bytes again
	// and again.
	maxPDFReadFactor = 64
)

// IsPDF tells a PDF by its magic number (leading white space allowed,
// and up to 1 KiB of junk before it, as readers allow, unless the file
// starts as markup).
func IsPDF(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\x00\xef\xbb\xbf")
	if bytes.HasPrefix(t, []byte("%PDF-")) {
		return true
	}
	if bytes.HasPrefix(t, []byte("<")) {
		return false // markup that mentions "%PDF-" is not a PDF
	}
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	return bytes.Contains(head, []byte("%PDF-"))
}

// errPDFStopped is the panic value that stops an extraction (an error,
// so that the library's own recover hands it back as its error).
type errPDFStopped struct{ why string }

func (e errPDFStopped) Error() string { return "pdf extraction stopped: " + e.why }

// stopReader is the file as the library reads it: each read checks the
// time limit and the read budget, and stops the extraction (panics with
// errPDFStopped) past either.
type stopReader struct {
	r      *bytes.Reader
	ctx    context.Context
	budget int64
}

func (s *stopReader) ReadAt(p []byte, off int64) (int, error) {
	if s.ctx.Err() != nil {
		panic(errPDFStopped{"time"})
	}
	s.budget -= int64(len(p))
	if s.budget < 0 {
		panic(errPDFStopped{"budget"})
	}
	return s.r.ReadAt(p, off)
}

// PDFText extracts the text of a PDF within pdfTimeout. The extraction
// stops when the time is up (no goroutine is left running).
func PDFText(ctx context.Context, data []byte) (string, error) {
	return pdfText(ctx, data, false)
}

// pdfText is PDFText; with tables, the tables a page draws are written
// as rows of cells ("| a | b | c |", pdftable.go).
func pdfText(ctx context.Context, data []byte, tables bool) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, pdfTimeout)
	defer cancel()
	type out struct {
		text string
		err  error
	}
	ch := make(chan out, 1)
	go func() {
		t, err := readPDF(ctx, data, tables)
		ch <- out{t, err}
	}()
	select {
	case o := <-ch:
		return o.text, o.err
	case <-ctx.Done():
		// The extraction stops at its next read of the file (stopReader);
		// the caller does not wait for it.
		return "", stopErr("time")
	}
}

// readPDF reads data as it is, then repaired if the library refuses it.
func readPDF(ctx context.Context, data []byte, tables bool) (string, error) {
	t, err := extractGuarded(ctx, data, tables)
	if err == nil || isStop(err) {
		return t, err
	}
	if encryptRe.Match(data) {
		// a repair would drop the encryption dictionary and read the
		// ciphered streams as text
		return "", ErrEncrypted
	}
	first := err
	for _, fix := range []func([]byte) []byte{normalisePDF, rebuildXref} {
		fixed := fix(data)
		if fixed == nil {
			continue
		}
		t2, err2 := extractGuarded(ctx, fixed, tables)
		if err2 == nil || isStop(err2) {
			return t2, err2
		}
		data, err = fixed, err2
	}
	if isHeaderError(first) {
		// the repaired file's error says what is really wrong ("no
		// pages"), not that the header was odd
		return "", err
	}
	return "", first
}

// isHeaderError tells the library's refusal of a header or an end of file
// it could repair.
func isHeaderError(err error) bool {
	return strings.Contains(err.Error(), "not a PDF file")
}

// pdfStop is the error of an extraction stopped by time or budget.
type pdfStop struct{ error }

func isStop(err error) bool {
	var s pdfStop
	return errors.As(err, &s)
}

// extractGuarded runs extractPDF with a recover.
func extractGuarded(ctx context.Context, data []byte, tables bool) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			if st, ok := r.(errPDFStopped); ok {
				text, err = "", stopErr(st.why)
				return
			}
			text, err = "", input.Wrap(fmt.Errorf("%v", r), "malformed pdf", "PDF mal formé")
		}
	}()
	return extractPDF(ctx, data, tables)
}

func stopErr(why string) error {
	if why == "time" {
		return pdfStop{input.Problemf("read pdf: text extraction took too long (limit %s)", "lecture du PDF : l'extraction du texte a pris trop de temps (limite %s)", pdfTimeout)}
	}
	return pdfStop{input.Problemf("read pdf: the file makes the reader loop (cross-reference or page cycle)", "lecture du PDF : le fichier fait boucler la lecture (références croisées ou pages en cycle)")}
}

func extractPDF(ctx context.Context, data []byte, tables bool) (string, error) {
	sr := &stopReader{r: bytes.NewReader(data), ctx: ctx, budget: int64(len(data))*maxPDFReadFactor + 1<<20}
	r, err := pdf.NewReader(sr, int64(len(data)))
	if err != nil {
		var st errPDFStopped
		if errors.As(err, &st) {
			return "", stopErr(st.why)
		}
		if ctx.Err() != nil {
			return "", stopErr("time")
		}
		return "", input.Wrap(err, "read pdf", "PDF illisible")
	}
	n := r.NumPage()
	if n <= 0 {
		return "", input.Problemf("read pdf: no pages", "lecture du PDF : aucune page")
	}
	if n > maxPDFPages {
		return "", input.Problemf("read pdf: %d pages, limit %d", "lecture du PDF : %d pages, limite %d", n, maxPDFPages)
	}
	var b strings.Builder
	fonts := map[string]*pdf.Font{}
	for i := 1; i <= n; i++ {
		if ctx.Err() != nil {
			return "", stopErr("time")
		}
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		for _, name := range p.Fonts() {
			if _, ok := fonts[name]; !ok {
				f := p.Font(name)
				fonts[name] = &f
			}
		}
		gs := pageGlyphs(p)
		t := ""
		if tables {
			t = layoutTables(gs)
		}
		if t == "" {
			t = layoutText(gs)
		}
		if strings.TrimSpace(t) == "" {
			// no positioned glyph (a page the layout reader cannot
			// follow): the text in content order
			var err error
			if t, err = p.GetPlainText(fonts); err != nil {
				return "", input.Wrap(err, "read pdf page %d", "page %d du PDF illisible", i)
			}
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	if strings.TrimSpace(b.String()) == "" {
		return "", ErrNoTextLayer.With("the document must be readable text", "le document doit être un texte lisible")
	}
	return b.String(), nil
}

// pageGlyphs returns the glyphs of a page with their positions, or nil
// when they cannot be read (a malformed content stream: the caller falls
// back to the text in content order). A stop of the extraction (time,
// read budget) is not caught here.
func pageGlyphs(p pdf.Page) (glyphs []glyph) {
	defer func() {
		if r := recover(); r != nil {
			if st, ok := r.(errPDFStopped); ok {
				panic(st)
			}
			glyphs = nil
		}
	}()
	return glyphsOf(p)
}

// encryptRe finds a PDF's encryption dictionary (in a trailer or a
// cross-reference stream).
var encryptRe = regexp.MustCompile(`/Encrypt\s*(\d+\s+\d+\s+R|<<)`)

// ErrEncrypted is the error of a PDF protected by a password (or by an
// encryption the library does not read).
var ErrEncrypted = &input.Problem{
	EN: "read pdf: encrypted (password-protected) PDF: ask for a copy without password",
	FR: "lecture du PDF : PDF chiffré (protégé par un mot de passe) : demander une copie sans mot de passe",
}

// ErrNoTextLayer is the kind of the error of a PDF without text (a
// scanned image): errors.Is tells it, so that a caller can say what the
// document should have been.
var ErrNoTextLayer = &input.Problem{EN: "read pdf: no text layer (scanned image?)", FR: "lecture du PDF : aucune couche de texte (image numérisée ?)"}

var pdfHeaderRe = regexp.MustCompile(`%PDF-(\d)\.(\d)`)

// normalisePDF rewrites what the library's strict opening checks refuse,
// without moving a byte (the cross-reference offsets stay right): a
// header whose version is not 1.0–1.7 or that is followed by spaces or
// other comment text instead of an end of line, and bytes after the last
// "%%EOF". Junk before the header is left (offsets count from the file's
// start); rebuildXref handles that case. It returns nil when there is
// nothing to change.
func normalisePDF(data []byte) []byte {
	i := bytes.Index(data, []byte("%PDF-"))
	if i != 0 || len(data) < 16 {
		return nil
	}
	out := append([]byte(nil), data...)
	changed := false
	if m := pdfHeaderRe.FindSubmatchIndex(out[:16]); m == nil || m[0] != 0 || out[5] != '1' || out[7] > '7' {
		copy(out[5:8], "1.7")
		changed = true
	}
	if out[8] != '\r' && out[8] != '\n' {
		out[8] = '\n'
		changed = true
	}
	if e := bytes.LastIndex(out, []byte("%%EOF")); e >= 0 {
		end := e + len("%%EOF")
		if rest := bytes.TrimRight(out[end:], "\r\n\t \x00"); len(rest) > 0 {
			out = append(out[:end], '\n')
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return out
}

var (
	objRe     = regexp.MustCompile(`(?m)(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b`)
	rootRe    = regexp.MustCompile(`/Root\s+(\d{1,10})\s+(\d{1,5})\s+R`)
	catalogRe = regexp.MustCompile(`/Type\s*/Catalog\b`)
)

// maxRebuiltObjects bounds the objects a rebuilt table lists.
const maxRebuiltObjects = 1 << 20

// rebuildXref appends to the file a fresh cross-reference table built by
// scanning it for "N G obj" (the last definition of an object wins, as in
// an incremental update) and a trailer naming the root found in the last
// trailer, or the catalog object. The header is normalised as by
// normalisePDF; junk before the header is kept and offsets are counted
// from the file's start. It returns nil when no root is found.
func rebuildXref(data []byte) []byte {
	start := bytes.Index(data, []byte("%PDF-"))
	if start < 0 {
		return nil
	}
	base := data[start:]
	if n := normalisePDF(base); n != nil {
		base = n
	}
	offs := map[int]int64{}
	gens := map[int]int{}
	maxObj := 0
	for _, m := range objRe.FindAllSubmatchIndex(base, maxRebuiltObjects) {
		num, err1 := strconv.Atoi(string(base[m[2]:m[3]]))
		gen, err2 := strconv.Atoi(string(base[m[4]:m[5]]))
		if err1 != nil || err2 != nil || num <= 0 || num >= maxRebuiltObjects {
			continue
		}
		offs[num] = int64(m[2])
		gens[num] = gen
		if num > maxObj {
			maxObj = num
		}
	}
	if len(offs) == 0 {
		return nil
	}
	root := ""
	if t := bytes.LastIndex(base, []byte("trailer")); t >= 0 {
		if m := rootRe.FindSubmatch(base[t:]); m != nil {
			if n, err := strconv.Atoi(string(m[1])); err == nil {
				if _, ok := offs[n]; ok {
					root = string(m[1]) + " " + string(m[2])
				}
			}
		}
	}
	if root == "" {
		// the catalog: the last object whose dictionary says /Type /Catalog
		best := int64(-1)
		for num, off := range offs {
			end := off + 4096
			if end > int64(len(base)) {
				end = int64(len(base))
			}
			chunk := base[off:end]
			if k := bytes.Index(chunk, []byte("endobj")); k >= 0 {
				chunk = chunk[:k]
			}
			if catalogRe.Match(chunk) && off > best {
				best = off
				root = strconv.Itoa(num) + " " + strconv.Itoa(gens[num])
			}
		}
	}
	if root == "" {
		return nil
	}
	var b bytes.Buffer
	b.Write(base)
	b.WriteString("\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n", maxObj+1)
	b.WriteString("0000000000 65535 f\r\n")
	for i := 1; i <= maxObj; i++ {
		if off, ok := offs[i]; ok {
			fmt.Fprintf(&b, "%010d %05d n\r\n", off, gens[i])
		} else {
			b.WriteString("0000000000 65535 f\r\n")
		}
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s R >>\nstartxref\n%d\n%%%%EOF\n", maxObj+1, root, xref)
	return b.Bytes()
}
