package garfeed

import (
	"context"
	"os"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
)

// FlatRecord is one record of a feed as ScanRecords hands it out: its
// fields gathered by path.
type FlatRecord struct {
	Source string // evidence source of the file
	Name   string // GAREleve, GAREnseignant, ...
	Line   int
	// Fields maps a path below the record ("GARPersonNom",
	// "GARPersonProfils/GARPersonProfil") to its values.
	Fields map[string][]string
	// Degree is "1D" or "2D" from the file's namespace.
	Degree string
}

// ScanRecords streams the records of a feed (directory, tar.gz or file)
// without schema validation, for checks that compare a feed with other
// evidence (the mapping's sample verification). Files are read one at a
// time; visit may keep what it needs.
func ScanRecords(ctx context.Context, ld *input.Loader, c Cache, src string, visit func(FlatRecord)) error {
	return eachMember(ctx, ld, c, src, func(m Member) error {
		fh, err := os.Open(m.Path)
		if err != nil {
			return &input.Error{Source: m.Source, Err: input.Wrap(err, "open", "ouverture impossible")}
		}
		hr := ld.NewHashingReader(fh, m.Source, "gar-feed")
		fi := &File{Member: m}
		derr := decodeFast(hr, fi, func(fi *File, r *Record) {
			rec := FlatRecord{Source: m.Source, Name: r.Name, Line: r.Line, Fields: map[string][]string{}, Degree: "2D"}
			if fi.NS == NS1D {
				rec.Degree = "1D"
			}
			for _, fl := range r.Fields {
				rec.Fields[fl.Path] = append(rec.Fields[fl.Path], fl.Val)
			}
			visit(rec)
		})
		if derr == nil {
			derr = hr.Done()
		}
		fh.Close()
		if derr != nil {
			return located(m.Source, derr, "read XML", "lecture du XML impossible")
		}
		return nil
	})
}

// PseudonymKey keys the identifier pseudonyms with the export itself: the
// first mask.KeyPrefix bytes of each file, in name order (bounded reads,
// beside the parallel scan). The report shows only whole-file SHA-256
// digests, from which the key cannot be computed.
func PseudonymKey(members []Member) ([32]byte, error) {
	d := mask.NewKeyDeriver()
	for _, m := range members {
		if err := addMember(d, m); err != nil {
			return [32]byte{}, err
		}
	}
	return d.Key(), nil
}

// addMember feeds d with the start of member m.
func addMember(d *mask.KeyDeriver, m Member) error {
	fh, err := os.Open(m.Path)
	if err != nil {
		return &input.Error{Source: m.Source, Err: input.Wrap(err, "open file", "ouverture impossible")}
	}
	defer fh.Close()
	if err := d.Add(fh); err != nil {
		return &input.Error{Source: m.Source, Err: input.Wrap(err, "read", "lecture impossible")}
	}
	return nil
}

// AddKeyMaterial feeds the pseudonym key derivation with the first
// mask.KeyPrefix bytes of each file of the feed src, in name order.
func AddKeyMaterial(ctx context.Context, ld *input.Loader, c Cache, src string, d *mask.KeyDeriver) error {
	return eachMember(ctx, ld, c, src, func(m Member) error { return addMember(d, m) })
}

// eachMember opens the feed src once (through the run's cache) and calls
// fn on each of its files in name order, stopping at the first error or
// when ctx is done.
func eachMember(ctx context.Context, ld *input.Loader, c Cache, src string, fn func(Member) error) error {
	f, err := OpenCached(ctx, c, ld, src, DefaultLimits)
	if err != nil {
		return err
	}
	defer f.Cleanup()
	for _, m := range f.Members {
		if err := ctx.Err(); err != nil {
			// Stopped (SIGTERM, Ctrl-C): say which file was not read.
			return &input.Error{Source: m.Source, Err: Interrupted(err)}
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}
