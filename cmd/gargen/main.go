// Command gargen writes a realistic synthetic GAR feed (2D, XSD v1.7) of N
// pupils with fake names, and optionally AAF samples consistent with it.
//
//	go run ./cmd/gargen -pupils 500000 -out /tmp/feed
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
)

func main() {
	var o gargen.Options
	flag.IntVar(&o.Pupils, "pupils", 600, "number of pupils")
	flag.StringVar(&o.IDEnt, "id-ent", "ENTFICTIF1", "ENT project identifier (file prefix)")
	flag.StringVar(&o.Stamp, "stamp", "20261122_223000", "export timestamp yyyyMMdd_HHmmss")
	flag.StringVar(&o.Out, "out", "", "output directory (required)")
	flag.BoolVar(&o.Tar, "tar", false, "pack the files in a tar.gz with its .md5")
	flag.StringVar(&o.AAFDir, "aaf", "", "also write AAF samples to this directory")
	flag.IntVar(&o.PerFile, "per-file", 10000, "items per file")
	flag.StringVar(&o.Degree, "degree", "2D", "1D (XSD 1D v1.4) or 2D (XSD 2D v1.7)")
	flag.Parse()
	if o.Out == "" {
		fmt.Fprintln(os.Stderr, "gargen: -out is required")
		os.Exit(2)
	}
	c, err := gargen.Generate(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gargen:", err)
		os.Exit(1)
	}
	fmt.Printf("schools=%d pupils=%d teachers=%d divisions=%d groups=%d records=%d files=%d\n", c.Schools, c.Pupils, c.Teachers, c.Divisions, c.Groups, c.Records, len(c.Files))
}
