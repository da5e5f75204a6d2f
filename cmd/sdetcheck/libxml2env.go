package main

import (
	"fmt"
	"io"
	"os"

	"github.com/sdetcheck/sdetcheck/internal/garfeed"
	"github.com/sdetcheck/sdetcheck/internal/libxml2"
)

// warnLibxml2Env says on stderr that the libxml2 named by SDETCHECK_LIBXML2
// could not be loaded and that the GAR feed is validated by the pure-Go
// engine instead: the variable was set on purpose, so a silent fallback
// would hide a misconfiguration (the audit still runs, with the engine its
// findings name).
func warnLibxml2Env(stderr io.Writer, engine, lang string) {
	p := os.Getenv(libxml2.EnvLibrary)
	if p == "" || (engine != "" && engine != garfeed.EngineAuto) {
		return
	}
	if _, err := libxml2.Load(); err != nil {
		fmt.Fprintf(stderr, pick(lang,
			"sdetcheck: %s=%s : libxml2 n'a pas pu être chargé (détail technique : %v) ; le flux GAR est validé par le moteur Go pur\n",
			"sdetcheck: %s=%s: libxml2 could not be loaded (%v); the GAR feed is validated by the pure-Go engine\n"),
			libxml2.EnvLibrary, p, err)
	}
}
