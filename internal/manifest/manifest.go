// Package manifest reads a dossier's ent.yaml: what ENT is audited, for
// which collectivité, degree and SDET version, and where each piece of
// evidence is (relative paths or https URLs).
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/yamlpos"
)

// FileName is the manifest's name inside a dossier directory.
const FileName = "ent.yaml"

// Manifest is ent.yaml. See README "Le manifeste ent.yaml".
type Manifest struct {
	ENT          ENT          `yaml:"ent"`
	Collectivite Collectivite `yaml:"collectivite"`
	// Degree is "1D" (écoles) or "2D" (collèges, lycées).
	Degree string `yaml:"degree"`
	// SDET is the version of the Schéma directeur des ENT aimed at.
	SDET     string   `yaml:"sdet"`
	Evidence Evidence `yaml:"evidence"`
	// Waivers is the path of a dérogations file (optional).
	Waivers string `yaml:"waivers,omitempty"`

	// Dir is the dossier directory (not in the file).
	Dir string `yaml:"-"`
	// Path is the manifest's path (not in the file).
	Path string `yaml:"-"`
}

// ENT names the audited solution.
type ENT struct {
	Name   string `yaml:"name"`
	Vendor string `yaml:"vendor"`
	// IDEnt is the ENT's project identifier at the GAR (prefix of the feed
	// files, value of the idEnt SAML attribute).
	IDEnt string `yaml:"id_ent"`
}

// Collectivite is the buyer.
type Collectivite struct {
	Name           string `yaml:"name"`
	Representative string `yaml:"representative,omitempty"`
}

// Evidence locates each piece. Every field is optional for parsing; a
// missing piece is reported by rule DOSSIER-001.
type Evidence struct {
	SAMLMetadata   string   `yaml:"saml_metadata,omitempty"`
	SAMLAttributes []string `yaml:"saml_attributes,omitempty"`
	GARFeed        string   `yaml:"gar_feed,omitempty"`
	Mapping        string   `yaml:"mapping,omitempty"`
	AAFSamples     string   `yaml:"aaf_samples,omitempty"`
	HomePage       string   `yaml:"home_page,omitempty"`
	LoginPage      string   `yaml:"login_page,omitempty"`
	Notice         string   `yaml:"notice,omitempty"`
	// NoticeReference is the notice as validated by the DSDEN.
	NoticeReference string `yaml:"notice_reference,omitempty"`
}

var idEntRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Load reads and validates dir/ent.yaml. Errors are *input.Error naming the
// file and line.
func Load(dir string) (*Manifest, error) {
	path := filepath.Join(dir, FileName)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &input.Error{Source: dir, Err: errors.New("dossier directory not found")}
	}
	if !st.IsDir() {
		return nil, &input.Error{Source: dir, Err: errors.New("not a directory: audit takes a dossier directory holding ent.yaml")}
	}
	// Stat first: a FIFO would block the read, a huge file exhaust memory.
	fst, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, &input.Error{Source: path, Err: errors.New("manifest not found: a dossier needs an ent.yaml (see README)")}
	case err != nil:
		return nil, &input.Error{Source: path, Err: err}
	case fst.IsDir():
		return nil, &input.Error{Source: path, Err: errors.New("is a directory, expected the manifest file")}
	case !fst.Mode().IsRegular():
		return nil, &input.Error{Source: path, Err: errors.New("not a regular file; refused")}
	case fst.Size() > maxManifestBytes:
		return nil, &input.Error{Source: path, Err: fmt.Errorf("%w: manifest over 1 MiB", input.ErrTooLarge)}
	}
	if err := input.Confine(dir, path); err != nil {
		return nil, &input.Error{Source: path, Err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &input.Error{Source: path, Err: err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return nil, &input.Error{Source: path, Err: fmt.Errorf("read manifest: %w", err)}
	}
	if len(data) > maxManifestBytes {
		return nil, &input.Error{Source: path, Err: fmt.Errorf("%w: manifest over 1 MiB", input.ErrTooLarge)}
	}
	return Parse(path, dir, data)
}

const maxManifestBytes = 1 << 20

var yamlLine = regexp.MustCompile(`^yaml: (?:unmarshal errors:\n\s*)?line (\d+): (.*)$`)

// Parse validates manifest bytes; dir is the dossier directory used to
// check that evidence files exist.
func Parse(path, dir string, data []byte) (*Manifest, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, err)
	}
	if len(root.Content) == 0 {
		return nil, &input.Error{Source: path, Err: errors.New("manifest is empty")}
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return nil, &input.Error{Source: path, Line: root.Content[0].Line, Err: errors.New("manifest must be a mapping (key: value)")}
	}
	var m Manifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, yamlError(path, err)
	}
	m.Dir, m.Path = dir, path
	doc := root.Content[0]
	fail := func(keys []string, format string, args ...any) error {
		return &input.Error{Source: path, Line: yamlpos.Line(doc, keys...), Err: fmt.Errorf(format, args...)}
	}
	if strings.TrimSpace(m.ENT.Name) == "" {
		return nil, fail([]string{"ent"}, "ent.name is required")
	}
	if strings.TrimSpace(m.Collectivite.Name) == "" {
		return nil, fail([]string{"collectivite"}, "collectivite.name is required")
	}
	switch strings.ToUpper(m.Degree) {
	case "1D", "2D":
		m.Degree = strings.ToUpper(m.Degree)
	case "":
		return nil, fail(nil, "degree is required: 1D (écoles) or 2D (collèges et lycées)")
	default:
		return nil, fail([]string{"degree"}, "degree %q: must be 1D or 2D", short(m.Degree))
	}
	if strings.TrimSpace(m.SDET) == "" {
		return nil, fail(nil, "sdet is required: the SDET version aimed at, e.g. \"7.0\"")
	}
	if m.ENT.IDEnt != "" && !idEntRe.MatchString(m.ENT.IDEnt) {
		return nil, fail([]string{"ent", "id_ent"}, "ent.id_ent %q: letters, digits, '-' and '_' only", short(m.ENT.IDEnt))
	}
	type ref struct {
		key, val string
		dirOK    bool
		fileOK   bool
	}
	refs := []ref{
		{"saml_metadata", m.Evidence.SAMLMetadata, false, true},
		{"gar_feed", m.Evidence.GARFeed, true, true},
		{"mapping", m.Evidence.Mapping, false, true},
		{"aaf_samples", m.Evidence.AAFSamples, true, false},
		{"home_page", m.Evidence.HomePage, false, true},
		{"login_page", m.Evidence.LoginPage, false, true},
		{"notice", m.Evidence.Notice, false, true},
		{"notice_reference", m.Evidence.NoticeReference, false, true},
	}
	for _, r := range refs {
		if r.val == "" {
			continue
		}
		keys := []string{"evidence", r.key}
		if input.IsURL(r.val) {
			if !strings.HasPrefix(r.val, "https://") && !strings.HasPrefix(r.val, "http://") {
				return nil, fail(keys, "evidence.%s: malformed URL %q", r.key, short(r.val))
			}
			continue
		}
		if err := checkLocal(dir, r.val, r.dirOK, r.fileOK); err != nil {
			return nil, fail(keys, "evidence.%s %q: %v", r.key, short(r.val), err)
		}
	}
	if m.Waivers != "" {
		if err := checkLocal(dir, m.Waivers, false, true); err != nil {
			return nil, fail([]string{"waivers"}, "waivers %q: %v", short(m.Waivers), err)
		}
	}
	return &m, nil
}

func checkLocal(dir, rel string, dirOK, fileOK bool) error {
	if filepath.IsAbs(rel) {
		return errors.New("must be relative to the dossier directory")
	}
	clean := filepath.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return errors.New("points outside the dossier directory")
	}
	p := filepath.Join(dir, clean)
	st, err := input.StatFile(p, true)
	if errors.Is(err, os.ErrNotExist) {
		return errors.New("file not found")
	}
	if err != nil {
		return err
	}
	if err := input.Confine(dir, p); err != nil {
		return err
	}
	switch {
	case st.IsDir() && !dirOK:
		return errors.New("is a directory, expected a file")
	case !st.IsDir() && !fileOK:
		return errors.New("is a file, expected a directory")
	}
	return nil
}

func yamlError(path string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		var line int
		fmt.Sscanf(m[1], "%d", &line)
		return &input.Error{Source: path, Line: line, Err: errors.New(strings.TrimSpace(m[2]))}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.Contains(msg, "unmarshal errors") {
		// Several errors: keep the first, which carries its line.
		lines := strings.Split(msg, "\n")
		if len(lines) > 1 {
			if m := regexp.MustCompile(`line (\d+): (.*)`).FindStringSubmatch(lines[1]); m != nil {
				var line int
				fmt.Sscanf(m[1], "%d", &line)
				return &input.Error{Source: path, Line: line, Err: errors.New(strings.TrimSpace(m[2]))}
			}
		}
	}
	return &input.Error{Source: path, Err: errors.New(msg)}
}

// short bounds a value quoted in an error message (a hostile file may hold
// megabytes in one field).
func short(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}
