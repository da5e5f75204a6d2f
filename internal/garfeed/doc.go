// Package garfeed reads a GAR feed export (alimentation GAR): it opens the
// export (a directory of XML files, a directory holding one tar.gz, the
// tar.gz itself, under limits that stop hostile archives), validates each
// file against the embedded GAR XSDs (2D v1.7, 1D v1.4) with libxml2 or
// the pure-Go engine, and hands out its records as they are read.
//
// It is a foundation: the GAR area (checks/gar) audits what it reads, and
// the areas that compare a feed with other evidence (checks/mapping,
// checks/sso) read records through ScanRecords. It knows no rule.
//
// Each file is read once: with libxml2, the parse that validates also gives
// the records (onepass.go), the xs:key constraints being checked in Go
// (keys.go); with the pure-Go engine, the validator and a minimal scanner
// (fastscan.go) read the same bytes side by side (scan.go). See docs/gar.md
// for the design and its measures.
package garfeed
