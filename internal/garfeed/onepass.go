package garfeed

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/libxml2"
)

// ErrRescan says that the single pass stopped on a file that the two-pass
// reading then accepted: records of that file may have been visited
// already, so the whole feed is to be read again the two-pass way (an
// Engine with TwoPass set).
var ErrRescan = errors.New("gar: read the feed again in two passes")

// scanFileOnce is scanFile with libxml2 in one parse: the records come
// from the SAX events of the parse that validates (libxml2.Schema.Scan),
// and the SHA-256 is taken on the same reads. No Go scanner reads the
// bytes a second time.
//
// The single pass is for the files the Go scanner accepts, which are all
// that a GAR export holds: on anything else (a file libxml2 finds
// malformed, a read error, a sign that a bound of the scanner is
// exceeded) it stops and reads the file again with scanFile, so that a
// refused file is refused in the same words, at the same line, by either
// path. When scanFile then accepts the file (a sign that was not a
// refusal), the feed is read again in two passes (ErrRescan).
func scanFileOnce(ctx context.Context, ld Loader, m Member, lim Limits, vs *Reader, visit Visit) (*File, error) {
	fi, ok, err := scanOnce(ctx, ld, m, lim, vs, visit)
	if ok || err != nil {
		return fi, err
	}
	_, err = scanFile(ctx, ld, m, lim, vs, func(*File, *Record) {})
	if err != nil {
		return nil, err
	}
	return nil, ErrRescan
}

// scanOnce is the single pass; ok is false when the file must be read
// again (err is then nil).
func scanOnce(ctx context.Context, ld Loader, m Member, lim Limits, vs *Reader, visit Visit) (fi *File, ok bool, err error) {
	fh, err := os.Open(m.Path)
	if err != nil {
		return nil, false, &input.Error{Source: m.Source, Err: input.Wrap(err, "open", "ouverture impossible")}
	}
	defer fh.Close()
	fi = &File{Member: m}
	hr := ld.NewHashingReader(io.LimitReader(input.ContextReader(ctx, fh), lim.MaxFileBytes+1), m.Source, "gar-feed")
	if vs.br == nil {
		vs.br = bufio.NewReaderSize(hr, 256<<10)
	}
	br := vs.br // the worker's, for one file at a time
	br.Reset(hr)
	defer br.Reset(nil)
	head, _ := br.Peek(8 << 10)
	ns, _, err := sniffRoot(head)
	if cerr := ctx.Err(); cerr != nil {
		// Stopped (SIGTERM, Ctrl-C) before the head was read: the file
		// is not to blame.
		return nil, false, &input.Error{Source: m.Source, Err: Interrupted(cerr)}
	}
	if err != nil {
		return nil, false, &input.Error{Source: m.Source, Line: 1, Err: err}
	}
	s, ks, err := vs.single(ns, lim)
	if err != nil {
		return nil, false, err
	}
	d := newEventReader(fi, visit)
	if ks != nil {
		if vs.keySeen == nil {
			vs.keySeen = map[[2]uint64]struct{}{}
		}
		d.keys.ks, d.keys.seen = ks, vs.keySeen
	}
	rep, stop, rerr := s.Scan(eolReader{br}, MaxSchemaErrors, d.batch)
	if stop != 0 || rerr != nil || d.refused {
		return nil, false, nil
	}
	for _, is := range rep.Issues {
		if is.Domain != libxml2.DomainSchemasV {
			return nil, false, nil // not well-formed: scanFile words it
		}
	}
	if d.depth != 0 || fi.Root == "" {
		return nil, false, nil
	}
	if err := hr.Done(); err != nil {
		return nil, false, nil
	}
	if fi.Bytes = hrSize(fh); fi.Bytes > lim.MaxFileBytes {
		return nil, false, nil
	}
	if ks != nil {
		if rep.Total > 0 || d.keys.odd {
			// Errors besides the keys: libxml2 skips what it found
			// invalid, keys included, so the whole XSD decides, as in
			// two passes (a file of a sound export is valid, and read
			// once).
			if err := vs.prepare(ns, lim); err != nil {
				return nil, false, err
			}
			if rep, err = validateWhole(ctx, m, vs.whole(ns), lim, hr.Sum()); err != nil {
				return nil, false, nil
			}
			fi.WholeXSD = true
			for _, is := range rep.Issues {
				if is.Domain != libxml2.DomainSchemasV {
					return nil, false, nil
				}
			}
		} else if d.keys.total > 0 {
			rep = libxml2.Report{Status: codeIDC, Total: d.keys.total, Issues: d.keys.errs}
		}
	}
	out := fromLibxml2(rep, nil)
	if out.err != nil {
		return nil, false, nil
	}
	fi.SchemaErrors, fi.SchemaTruncated = out.viol, out.trunc
	return fi, true, nil
}

// validateWhole validates the file again with the whole XSD, on the bytes
// the single pass gave libxml2: their SHA-256 must be sum, the single
// pass's (a file changed in between is read again the two-pass way, whose
// one reading is hashed and validated at once).
func validateWhole(ctx context.Context, m Member, s *libxml2.Schema, lim Limits, sum []byte) (libxml2.Report, error) {
	fh, err := os.Open(m.Path)
	if err != nil {
		return libxml2.Report{}, err
	}
	defer fh.Close()
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(io.LimitReader(fh, lim.MaxFileBytes+1), h), 256<<10)
	rep, err := s.Validate(ctx, eolReader{br}, MaxSchemaErrors)
	if err != nil {
		return rep, err
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return rep, err
	}
	if !bytes.Equal(h.Sum(nil), sum) {
		return rep, errFileChanged
	}
	return rep, nil
}

// errFileChanged: a file's bytes changed between two readings.
var errFileChanged = errors.New("gar: the file changed while it was read")

// eventReader builds records from the events of libxml2.Schema.Scan as
// decodeFast builds them from the bytes: same records, same fields, same
// lines. It interns the same names as the scanner, to refuse what the
// scanner refuses (too many names, fields or a long namespace name).
type eventReader struct {
	fi    *File
	visit Visit
	// names holds what the scanner interns (element names as written,
	// attribute names, namespace names, targets, field paths).
	names map[string]string
	local []string // element local names, by the id of their name
	depth int
	rec   Record
	// paths[i] is the field path of the open element at depth i+3.
	paths   []string
	joined  map[pathKey]string
	text    []byte
	refused bool
	// keys checks the XSD's keys when libxml2 validates without them.
	keys keyTracker
}

type pathKey struct {
	parent string
	id     int
}

func newEventReader(fi *File, visit Visit) *eventReader {
	// The XML declaration is not an event; the scanner reads it as a
	// processing instruction and interns its target.
	return &eventReader{fi: fi, visit: visit, names: map[string]string{"xml": "xml"}, joined: map[pathKey]string{}}
}

func (d *eventReader) intern(b []byte) string {
	if v, ok := d.names[string(b)]; ok {
		return v
	}
	v := string(b)
	d.names[v] = v
	if len(d.names) > maxNames {
		d.refused = true
	}
	return v
}

var amp38 = []byte("&#38;")

// batch reads one batch of events; false stops the parse.
func (d *eventReader) batch(b []byte) bool {
	fi := d.fi
	var ev libxml2.Event
	for len(b) > 0 && !d.refused {
		b = libxml2.NextEvent(b, &ev)
		switch ev.Kind {
		case libxml2.EvName:
			raw := d.intern(ev.Name)
			name := raw
			if i := prefixEnd(raw); i > 0 {
				name = raw[i+1:]
			}
			for len(d.local) <= ev.ID {
				d.local = append(d.local, "")
			}
			d.local[ev.ID] = name
		case libxml2.EvStart:
			d.depth++
			name := d.local[ev.ID]
			switch {
			case d.depth == 1:
				fi.Root = name
				d.keys.root(name)
			case d.depth == 2:
				d.rec = Record{Name: name, Line: ev.Line, Fields: d.rec.Fields[:0]}
				d.paths = d.paths[:0]
				d.keys.start(name)
			default:
				p := name
				if n := len(d.paths); n > 0 {
					k := pathKey{d.paths[n-1], ev.ID}
					if j, ok := d.joined[k]; ok {
						p = j
					} else {
						p = d.intern([]byte(d.paths[n-1] + "/" + name))
						d.joined[k] = p
					}
				}
				d.paths = append(d.paths, p)
				d.text = d.text[:0]
			}
		case libxml2.EvRoot:
			fi.NS = string(ev.Value)
		case libxml2.EvAttr:
			val := ev.Value
			if bytes.Contains(val, amp38) {
				// libxml2 hands every '&' of an attribute value as
				// "&#38;" (entities not replaced): undone, as an
				// XML reader would have it.
				val = bytes.ReplaceAll(val, amp38, []byte("&"))
			}
			d.attr(ev.Name, val)
		case libxml2.EvText:
			d.text = append(d.text, ev.Value...)
		case libxml2.EvPI:
			d.intern(ev.Value)
		case libxml2.EvEnd:
			switch {
			case d.depth == 2:
				fi.Records++
				d.visit(fi, &d.rec)
				d.keys.end(ev.Line, ev.Column, d.rec.Name)
			case d.depth >= 3:
				if d.depth == 3 {
					d.keys.field(d.paths[len(d.paths)-1], d.text)
				}
				if len(d.rec.Fields) >= maxFields {
					d.refused = true
					break
				}
				d.rec.Fields = append(d.rec.Fields, Field{Path: d.paths[len(d.paths)-1], Val: string(bytes.TrimSpace(d.text)), Line: ev.Line})
				d.text = d.text[:0]
				d.paths = d.paths[:len(d.paths)-1]
			}
			d.depth--
		}
	}
	return !d.refused
}

// attr notes an attribute as the scanner does (noteAttrs), and the root's
// Version.
func (d *eventReader) attr(name, val []byte) {
	n := d.intern(name)
	switch {
	case strings.HasPrefix(n, "xmlns"):
		d.intern(val)
	case n == "schemaLocation" || strings.HasSuffix(n, ":schemaLocation"):
		for i, ns := range strings.Fields(string(val)) {
			if i%2 != 0 {
				continue
			}
			if len(ns) > maxName {
				d.refused = true
				return
			}
			d.intern([]byte(ns))
		}
	}
	if d.depth == 1 && n == "Version" {
		d.fi.Version, d.fi.HasVersion = strings.TrimSpace(string(val)), true
	}
}
