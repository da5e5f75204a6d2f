package gar

import "github.com/sdetcheck/sdetcheck/internal/garfeed"

// The XSD engines a GAR audit may run (--xsd-engine), as the feed reader
// (internal/garfeed) defines them; named here for the commands that drive
// the area.
const (
	EngineAuto    = garfeed.EngineAuto
	EngineLibxml2 = garfeed.EngineLibxml2
	EngineGo      = garfeed.EngineGo
)

// Engine is a resolved XSD engine.
type Engine = garfeed.Engine

// ResolveEngine turns the engine a user asked for ("" means auto) into
// the one that will run (garfeed.ResolveEngine).
func ResolveEngine(name string) (Engine, error) { return garfeed.ResolveEngine(name) }

// ArchiveExtractions says how many times a feed archive was extracted
// since the process started (for tests: one per run when shared).
func ArchiveExtractions() int64 { return garfeed.ArchiveExtractions() }
