package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Diff compares two results of the same dossier: what got fixed, what
// regressed, what is new, what still fails. Findings are matched by rule
// and first evidence source (lines move, sources don't).
type Diff struct {
	OldVerdict result.Verdict `json:"old_verdict"`
	NewVerdict result.Verdict `json:"new_verdict"`
	// Fixed were fail/warn/error and are now pass or absent.
	Fixed []DiffItem `json:"fixed"`
	// Regressed were pass and are now fail/warn/error.
	Regressed []DiffItem `json:"regressed"`
	// New are problems whose rule and source were not in the old result.
	New []DiffItem `json:"new"`
	// StillFailing are problems in both.
	StillFailing []DiffItem `json:"still_failing"`
}

// DiffItem is one finding in a diff (the newer one when both exist).
type DiffItem struct {
	Rule     string          `json:"rule"`
	Severity result.Severity `json:"severity"`
	Source   string          `json:"source,omitempty"`
	Line     int             `json:"line,omitempty"`
	Old      result.Status   `json:"old,omitempty"`
	New      result.Status   `json:"new,omitempty"`
	Message  string          `json:"message"`
	// MessageEN is the English message, for --lang en.
	MessageEN string `json:"message_en,omitempty"`
}

// diffClass puts a finding in a class: problem (unwaived fail, warn,
// error, or not evaluated for lack of a piece), ok (pass) or other (skip,
// waived, what only an audit en ligne can judge).
func diffClass(f result.Finding) string {
	switch {
	case f.Waived() || f.LiveOnly:
		return "other"
	case f.Status == result.Fail || f.Status == result.Warn || f.Status == result.Error || f.Status == result.NotEvaluated:
		return "problem"
	case f.Status == result.Pass:
		return "ok"
	}
	return "other"
}

func diffKey(f result.Finding) string { return f.Rule + "\x00" + firstSource(f) }

func diffItem(f result.Finding, old result.Status) DiffItem {
	it := DiffItem{Rule: f.Rule, Severity: f.Severity, Source: firstSource(f), Old: old, New: f.Status, Message: f.Message, MessageEN: f.MessageEN}
	if len(f.Evidence) > 0 {
		it.Line = f.Evidence[0].Line
	}
	return it
}

// Compare computes the diff from old to new.
func Compare(old, new *result.Result) Diff {
	d := Diff{OldVerdict: old.Verdict, NewVerdict: new.Verdict}
	type seen struct {
		problem, ok bool
		f           result.Finding
	}
	index := func(r *result.Result) map[string]*seen {
		m := map[string]*seen{}
		for _, f := range r.Results {
			k := diffKey(f)
			s := m[k]
			if s == nil {
				s = &seen{f: f}
				m[k] = s
			}
			switch diffClass(f) {
			case "problem":
				if !s.problem {
					s.f = f
				}
				s.problem = true
			case "ok":
				s.ok = true
			}
		}
		return m
	}
	om, nm := index(old), index(new)
	for k, o := range om {
		if !o.problem {
			continue
		}
		if n := nm[k]; n != nil && n.problem {
			d.StillFailing = append(d.StillFailing, diffItem(n.f, o.f.Status))
			continue
		}
		it := diffItem(o.f, o.f.Status)
		it.New = ""
		if n := nm[k]; n != nil && n.ok {
			it.New = result.Pass
		}
		d.Fixed = append(d.Fixed, it)
	}
	for k, n := range nm {
		if !n.problem {
			continue
		}
		o := om[k]
		switch {
		case o != nil && o.problem:
		case o != nil && o.ok:
			d.Regressed = append(d.Regressed, diffItem(n.f, result.Pass))
		default:
			d.New = append(d.New, diffItem(n.f, ""))
		}
	}
	for _, l := range []*[]DiffItem{&d.Fixed, &d.Regressed, &d.New, &d.StillFailing} {
		items := *l
		sort.Slice(items, func(i, j int) bool {
			if items[i].Rule != items[j].Rule {
				return items[i].Rule < items[j].Rule
			}
			return items[i].Source < items[j].Source
		})
		if items == nil {
			*l = []DiffItem{}
		}
	}
	return d
}

// Failing reports whether the diff should fail a pull request: something
// regressed, or a new finding fails or could not be evaluated.
func (d Diff) Failing() bool {
	if len(d.Regressed) > 0 {
		return true
	}
	for _, it := range d.New {
		if it.New == result.Fail || it.New == result.Error {
			return true
		}
	}
	return false
}

// WriteDiff renders a diff as text, md or json.
func WriteDiff(w io.Writer, d Diff, format, lang string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	}
	if format != "text" && format != "md" {
		return fmt.Errorf("diff --format %q: expected text, md or json", format)
	}
	md := format == "md"
	var b strings.Builder
	verdicts := fmt.Sprintf("%s → %s", VerdictLabel(d.OldVerdict, lang), VerdictLabel(d.NewVerdict, lang))
	if md {
		fmt.Fprintf(&b, "## %s\n\n**Verdict : %s**\n", pick(lang, "Évolution de la conformité", "Conformity changes"), verdicts)
	} else {
		fmt.Fprintf(&b, "Verdict : %s\n", verdicts)
	}
	section := func(fr, en string, items []DiffItem) {
		title := fmt.Sprintf("%s (%d)", pick(lang, fr, en), len(items))
		if md {
			fmt.Fprintf(&b, "\n### %s\n\n", title)
		} else {
			fmt.Fprintf(&b, "\n%s\n", title)
		}
		for _, it := range items {
			msg := it.Message
			if lang == "en" && it.MessageEN != "" {
				msg = it.MessageEN
			}
			loc := it.Source
			if it.Line > 0 {
				loc = fmt.Sprintf("%s:%d", loc, it.Line)
			}
			st := func(s result.Status) string { return statusWord(s, lang) }
			change := st(it.New)
			if it.Old != "" && it.New != "" {
				change = st(it.Old) + " → " + st(it.New)
			} else if it.New == "" {
				change = st(it.Old) + " → " + pick(lang, "absent", "absent")
			}
			if md {
				fmt.Fprintf(&b, "- **%s** (%s, %s) %s", it.Rule, it.Severity, change, mdEscape(Scrub(msg)))
				if loc != "" {
					fmt.Fprintf(&b, " — `%s`", strings.ReplaceAll(StripControls(loc), "`", "'"))
				}
				b.WriteString("\n")
			} else {
				fmt.Fprintf(&b, "  %s [%s] %s: %s", it.Rule, it.Severity, change, Scrub(msg))
				if loc != "" {
					fmt.Fprintf(&b, " (%s)", StripControls(loc))
				}
				b.WriteString("\n")
			}
		}
	}
	section("Régressions", "Regressed", d.Regressed)
	section("Nouveaux problèmes", "New problems", d.New)
	section("Corrigés", "Fixed", d.Fixed)
	section("Toujours en échec", "Still failing", d.StillFailing)
	_, err := io.WriteString(w, b.String())
	return err
}

// statusWord names a status in a diff line: French words for a French
// reader, the JSON status names in English.
func statusWord(s result.Status, lang string) string {
	if lang == "en" {
		return string(s)
	}
	switch s {
	case result.Pass:
		return "conforme"
	case result.Fail:
		return "échec"
	case result.Warn:
		return "alerte"
	case result.Skip:
		return "sans objet"
	case result.Error:
		return "erreur"
	case result.NotEvaluated:
		return "non évaluée"
	}
	return string(s)
}
