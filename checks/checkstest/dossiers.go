package checkstest

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// VerdictsFile holds the expected verdict and exit code of every sample
// dossier, relative to the repository root.
const VerdictsFile = "fixtures/dossiers/verdicts.yaml"

// DossierVerdict is what auditing a sample dossier gives.
type DossierVerdict struct {
	// Name is the dossier's directory under fixtures/dossiers.
	Name    string         `yaml:"-"`
	Verdict result.Verdict `yaml:"verdict"`
	Exit    int            `yaml:"exit"`
}

// Path is the dossier's directory relative to the repository root.
func (d DossierVerdict) Path() string { return "fixtures/dossiers/" + d.Name }

// DossierVerdicts reads VerdictsFile, in the order of the dossiers'
// names. It fails t unless every directory of fixtures/dossiers has an
// entry, every entry a directory, and every verdict is known.
func DossierVerdicts(t testing.TB) []DossierVerdict {
	t.Helper()
	root := Root(t)
	data, err := os.ReadFile(filepath.Join(root, VerdictsFile))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]DossierVerdict
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: %v", VerdictsFile, err)
	}
	dirs, err := filepath.Glob(filepath.Join(root, "fixtures/dossiers/*/ent.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		name := filepath.Base(filepath.Dir(d))
		if _, ok := m[name]; !ok {
			t.Errorf("%s: no verdict for the dossier %s", VerdictsFile, name)
		}
	}
	var out []DossierVerdict
	for name, v := range m {
		v.Name = name
		if _, err := os.Stat(filepath.Join(root, v.Path(), "ent.yaml")); err != nil {
			t.Errorf("%s: %s is not a sample dossier: %v", VerdictsFile, name, err)
		}
		switch v.Verdict {
		case result.Conforme, result.ConformeAvecReserves, result.ConformeSousDerogation, result.NonConforme, result.Incomplet:
		default:
			t.Errorf("%s: %s: unknown verdict %q", VerdictsFile, name, v.Verdict)
		}
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
