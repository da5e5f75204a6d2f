package main

import (
	"io"
	"os"
	"path/filepath"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/manifest"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/safeout"
	"github.com/sdetcheck/sdetcheck/report"
)

// outGuard keeps a run's outputs off its inputs.
type outGuard struct {
	inputs safeout.Inputs
	// base is the dossier directory of an audit: the result names its
	// inputs relative to it.
	base string
}

// guardOutputs notes the files cmd reads (its arguments, the files the
// options name, an audit's manifest and every piece it names) in o, and
// refuses an output target that is one of them, before anything runs.
// writeOutputs checks again, with the inputs the result records.
func guardOutputs(o *opts, cmd string, pos []string, formats []string) error {
	g := &outGuard{}
	in := &g.inputs
	switch cmd {
	case "audit":
		if len(pos) == 1 {
			g.base = pos[0]
			addDossier(in, pos[0], o)
		}
	case "check":
		if len(pos) == 2 {
			in.Add(pos[1])
		}
	case "report", "diff":
		for _, p := range pos {
			in.Add(p)
		}
	}
	for _, p := range []string{o.reference, o.aaf, o.gar, o.waivers} {
		in.Add(p)
	}
	o.guard = g
	for _, t := range outTargets(formats, *o) {
		if err := in.Check(t); err != nil {
			return err
		}
	}
	return nil
}

// addDossier notes an audit's manifest and the pieces it names. Options
// that name files are read relative to the dossier in an audit: both
// readings are noted.
func addDossier(in *safeout.Inputs, dir string, o *opts) {
	in.Add(filepath.Join(dir, manifest.FileName))
	for _, p := range []string{o.reference, o.aaf, o.gar, o.waivers} {
		if p != "" && !filepath.IsAbs(p) {
			in.Add(filepath.Join(dir, p))
		}
	}
	m, err := manifest.Load(dir)
	if err != nil {
		return // the run says what is wrong; only ent.yaml was read
	}
	e := m.Evidence
	for _, p := range []string{e.SAMLMetadata, e.GARFeed, e.Mapping, e.AAFSamples, e.HomePage, e.LoginPage, e.Notice, e.NoticeReference, m.Waivers} {
		if p != "" && !input.IsURL(p) {
			in.Add(filepath.Join(dir, p))
		}
	}
}

// outTargets are the files the outputs go to ("" for none: stdout).
func outTargets(formats []string, o opts) []string {
	switch {
	case o.outDir != "":
		var ts []string
		for _, f := range formats {
			ts = append(ts, filepath.Join(o.outDir, "sdetcheck"+report.Formats[f]))
		}
		return ts
	case o.out != "":
		return []string{o.out}
	}
	return nil
}

// noteResultInputs adds the inputs res records (those read through
// the dossier, a GAR archive's .md5) to the guard.
func (g *outGuard) noteResultInputs(res *result.Result) {
	for _, in := range res.Inputs {
		p := in.Source
		if input.IsURL(p) {
			continue
		}
		if g.base != "" && !filepath.IsAbs(p) {
			p = filepath.Join(g.base, p)
		}
		g.inputs.Add(p)
	}
}

// scrubResult applies to every message what the writers apply to
// excerpts (report.Scrub: an e-mail address or a dd/mm/yyyy date that
// slipped through a check is masked, control characters replaced), in
// every format, JSON included, and in what stderr repeats. The checks
// mask what they quote (mask.Value); this is the last guard.
func scrubResult(res *result.Result) {
	for i := range res.Results {
		f := &res.Results[i]
		f.Message, f.MessageEN = report.Scrub(f.Message), report.Scrub(f.MessageEN)
		for j := range f.Evidence {
			f.Evidence[j].Excerpt = report.Scrub(f.Evidence[j].Excerpt)
		}
	}
}

// writeOutputs writes res in each format, to stdout, --out or --out-dir,
// its messages scrubbed first (scrubResult).
func writeOutputs(res *result.Result, formats []string, o opts, ro report.Options, stdout io.Writer) error {
	scrubResult(res)
	g := o.guard
	if g == nil {
		g = &outGuard{}
	}
	g.noteResultInputs(res)
	if o.outDir != "" {
		if err := os.MkdirAll(o.outDir, 0o777); err != nil {
			return input.Wrap(osCause(err), "create output directory %s", "création du répertoire de sortie %s impossible", o.outDir)
		}
	}
	for _, t := range outTargets(formats, o) {
		if err := g.inputs.Check(t); err != nil {
			return err
		}
	}
	for _, f := range formats {
		w, _ := report.New(f)
		target := o.out
		if o.outDir != "" {
			target = filepath.Join(o.outDir, "sdetcheck"+report.Formats[f])
		}
		if target == "" {
			ro.Color = o.color && f == "text"
			if err := w.Write(stdout, res, ro); err != nil {
				return input.Wrap(err, "write %s", "écriture %s impossible", f)
			}
			continue
		}
		ro.Color = false
		if err := safeout.Write(target, stdout, func(out io.Writer) error { return w.Write(out, res, ro) }); err != nil {
			return err
		}
	}
	return nil
}
