// Package waiver reads a dérogations file and applies it to findings.
//
// A dérogation (waiver) is granted by the DSDEN or the collectivité for a
// known gap: it names a rule, optionally a scope (the evidence it covers),
// a justification, who granted it and an expiry date. A waived finding is
// still reported, marked as waived, and no longer fails the run. An expired
// waiver does not apply and is reported (DOSSIER-002); a waiver that matches
// no failing finding is reported too (DOSSIER-003). See docs/reports.md.
package waiver

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/yamlpos"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Waiver is one entry of the file.
type Waiver struct {
	Rule          string `yaml:"rule"`
	Scope         string `yaml:"scope,omitempty"`
	Justification string `yaml:"justification"`
	GrantedBy     string `yaml:"granted_by"`
	Expires       string `yaml:"expires"`

	// Line is the entry's line in the file (not in the file).
	Line int `yaml:"-"`
	// expires is Expires parsed.
	expires time.Time
}

// File is the dérogations file: `derogations:` then a list.
type File struct {
	Derogations []Waiver `yaml:"derogations"`
}

// Set is a loaded file.
type Set struct {
	// Source is the file as named by the user (relative).
	Source  string
	Waivers []Waiver
}

// Parse validates a dérogations file. Errors are *input.Error naming the
// file and line: an entry without rule, justification, granted_by or a
// valid expires date is refused, as is an unknown rule or field.
func Parse(source string, data []byte) (*Set, error) {
	root, perr := yamlpos.Parse(source, data)
	if perr != nil {
		return nil, perr
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, &input.Error{Source: source, Line: 1, Err: input.Problemf("dérogations file must be a mapping with a `derogations:` list", "le fichier de dérogations doit être une suite de clés avec une liste `derogations:`")}
	}
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, yamlpos.Error(source, err)
	}
	items := listItems(root.Content[0])
	set := &Set{Source: source}
	for i, w := range f.Derogations {
		if i < len(items) {
			w.Line = items[i].Line
		}
		bad := func(en, fr string, args ...any) error {
			args = append([]any{i + 1}, args...)
			return &input.Error{Source: source, Line: w.Line, Err: input.Problemf("dérogation %d: "+en, "dérogation %d : "+fr, args...)}
		}
		w.Rule = strings.ToUpper(strings.TrimSpace(w.Rule))
		switch {
		case w.Rule == "":
			return nil, bad("rule is required", "rule est exigé")
		case strings.TrimSpace(w.Justification) == "":
			return nil, bad("justification is required: a dérogation without justification is refused", "justification est exigée : une dérogation sans justification est refusée")
		case strings.TrimSpace(w.GrantedBy) == "":
			return nil, bad("granted_by is required: who granted the dérogation", "granted_by est exigé : qui a accordé la dérogation")
		case strings.TrimSpace(w.Expires) == "":
			return nil, bad("expires is required (YYYY-MM-DD)", "expires est exigé (AAAA-MM-JJ)")
		}
		if _, ok := rules.Lookup(w.Rule); !ok {
			return nil, bad("unknown rule %q (see sdetcheck rules)", "règle inconnue %q (voir sdetcheck rules)", yamlpos.Short(w.Rule))
		}
		if w.Rule == rules.DOSSIER002.ID || w.Rule == rules.DOSSIER003.ID {
			return nil, bad("rule %s reports on dérogations and cannot itself be waived", "la règle %s porte sur les dérogations et ne peut pas faire elle-même l'objet d'une dérogation", w.Rule)
		}
		t, err := time.Parse("2006-01-02", strings.TrimSpace(w.Expires))
		if err != nil {
			return nil, bad("expires %q: expected a date YYYY-MM-DD", "expires %q : date AAAA-MM-JJ attendue", yamlpos.Short(w.Expires))
		}
		w.expires = t
		set.Waivers = append(set.Waivers, w)
	}
	return set, nil
}

// listItems returns the item nodes of the `derogations` list, for lines.
func listItems(doc *yaml.Node) []*yaml.Node {
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "derogations" && doc.Content[i+1].Kind == yaml.SequenceNode {
			return doc.Content[i+1].Content
		}
	}
	return nil
}

// Expired reports whether w no longer applies on day now: a dérogation is
// valid through its expiry date.
func (w Waiver) Expired(now time.Time) bool {
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return w.expires.Before(today)
}

// Matches reports whether w covers finding f: same rule, a fail or warn
// status, and (when w has a scope) an evidence source that matches the scope
// as a glob or contains it.
func (w Waiver) Matches(f result.Finding) bool {
	if !strings.EqualFold(f.Rule, w.Rule) || (f.Status != result.Fail && f.Status != result.Warn) {
		return false
	}
	if w.Scope == "" {
		return true
	}
	for _, e := range f.Evidence {
		if ok, _ := path.Match(w.Scope, e.Source); ok || strings.Contains(e.Source, w.Scope) {
			return true
		}
	}
	return false
}

func (w Waiver) record() *result.Waiver {
	return &result.Waiver{Rule: w.Rule, Scope: w.Scope, Justification: strings.TrimSpace(w.Justification), GrantedBy: strings.TrimSpace(w.GrantedBy), Expires: w.Expires}
}

// Apply marks the findings each valid waiver covers (setting Finding.Waiver)
// and returns the findings of DOSSIER-002 (expired) and DOSSIER-003
// (unmatched), a pass for each when nothing is wrong. A nil set gives skips.
func Apply(fs []result.Finding, set *Set, now time.Time) []result.Finding {
	if set == nil {
		const fr, en = "Aucun fichier de dérogations.", "No waivers file."
		return []result.Finding{
			{Rule: rules.DOSSIER002.ID, Status: result.Skip, Message: fr, MessageEN: en},
			{Rule: rules.DOSSIER003.ID, Status: result.Skip, Message: fr, MessageEN: en},
		}
	}
	var out []result.Finding
	expired, unmatched := 0, 0
	for _, w := range set.Waivers {
		ev := result.Evidence{Source: set.Source, Line: w.Line}
		if w.Expired(now) {
			expired++
			out = append(out, result.Finding{
				Rule: rules.DOSSIER002.ID, Status: result.Fail,
				Message:   fmt.Sprintf("La dérogation à %s accordée par %s a expiré le %s : elle ne s'applique plus.", w.Rule, w.GrantedBy, w.Expires),
				MessageEN: fmt.Sprintf("The waiver of %s granted by %s expired on %s: it no longer applies.", w.Rule, w.GrantedBy, w.Expires),
				Evidence:  []result.Evidence{ev},
			})
			continue
		}
		matched := false
		for i := range fs {
			if fs[i].Waiver == nil && w.Matches(fs[i]) {
				fs[i].Waiver = w.record()
				matched = true
			}
		}
		if !matched {
			unmatched++
			scope, scopeEN := "", ""
			if w.Scope != "" {
				scope, scopeEN = fmt.Sprintf(" (portée « %s »)", w.Scope), fmt.Sprintf(" (scope %q)", w.Scope)
			}
			out = append(out, result.Finding{
				Rule: rules.DOSSIER003.ID, Status: result.Warn,
				Message:   fmt.Sprintf("La dérogation à %s%s ne couvre aucun échec : la retirer du fichier ou corriger sa portée.", w.Rule, scope),
				MessageEN: fmt.Sprintf("The waiver of %s%s matches no failure: remove it or fix its scope.", w.Rule, scopeEN),
				Evidence:  []result.Evidence{ev},
			})
		}
	}
	src := []result.Evidence{{Source: set.Source}}
	if expired == 0 {
		out = append(out, result.Finding{Rule: rules.DOSSIER002.ID, Status: result.Pass,
			Message: "Aucune dérogation n'est expirée.", MessageEN: "No waiver has expired.", Evidence: src})
	}
	if unmatched == 0 {
		out = append(out, result.Finding{Rule: rules.DOSSIER003.ID, Status: result.Pass,
			Message: "Chaque dérogation couvre au moins un échec.", MessageEN: "Every waiver covers at least one failure.", Evidence: src})
	}
	return out
}
