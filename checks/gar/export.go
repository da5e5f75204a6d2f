package gar

import (
	"context"
	"os"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
)

// XSD returns the embedded GAR schema of a degree ("1D" or "2D").
func XSD(degree string) []byte {
	if strings.EqualFold(degree, "1D") {
		return xsd1D
	}
	return xsd2D
}

// Record is one record of a feed as ScanRecords hands it out.
type Record struct {
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
func ScanRecords(ctx context.Context, ld *input.Loader, c *checks.Cache, src string, visit func(Record)) error {
	return eachMember(ctx, ld, c, src, func(m member) error {
		fh, err := os.Open(m.path)
		if err != nil {
			return &input.Error{Source: m.source, Err: input.Wrap(err, "open", "ouverture impossible")}
		}
		hr := ld.NewHashingReader(fh, m.source, "gar-feed")
		fi := &fileInfo{m: m}
		derr := decodeFast(hr, fi, func(fi *fileInfo, r *record) {
			rec := Record{Source: m.source, Name: r.name, Line: r.line, Fields: map[string][]string{}, Degree: "2D"}
			if fi.ns == NS1D {
				rec.Degree = "1D"
			}
			for _, fl := range r.fields {
				rec.Fields[fl.path] = append(rec.Fields[fl.path], fl.val)
			}
			visit(rec)
		})
		if derr == nil {
			derr = hr.Done()
		}
		fh.Close()
		if derr != nil {
			return located(m.source, derr, "read XML", "lecture du XML impossible")
		}
		return nil
	})
}

// AddKeyMaterial feeds the pseudonym key derivation with the first
// mask.KeyPrefix bytes of each file of the feed src, in name order.
func AddKeyMaterial(ctx context.Context, ld *input.Loader, c *checks.Cache, src string, d *mask.KeyDeriver) error {
	return eachMember(ctx, ld, c, src, func(m member) error { return addMember(d, m) })
}

// eachMember opens the feed src once (through the run's cache) and calls
// fn on each of its files in name order, stopping at the first error or
// when ctx is done.
func eachMember(ctx context.Context, ld *input.Loader, c *checks.Cache, src string, fn func(member) error) error {
	f, err := openFeedCached(ctx, c, ld, src, DefaultLimits)
	if err != nil {
		return err
	}
	defer f.cleanup()
	for _, m := range f.members {
		if err := ctx.Err(); err != nil {
			// Stopped (SIGTERM, Ctrl-C): say which file was not read.
			return &input.Error{Source: m.source, Err: errInterrupted(err)}
		}
		if err := fn(m); err != nil {
			return err
		}
	}
	return nil
}
