// Package manifest reads a dossier's ent.yaml: what ENT is audited, for
// which collectivité, degree and SDET version, and where each piece of
// evidence is (relative paths or https URLs).
package manifest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

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
	// GARSP is the GAR's service provider as the dossier declares it (its
	// entityID and consumer URL are not public); the SSO rules that need
	// it are not evaluated without it.
	GARSP *GARSP `yaml:"gar_sp,omitempty"`
	// Auditor names who ran the audit (person and service), for the
	// report's identification (optional).
	Auditor string `yaml:"auditor,omitempty"`

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
	// URL is the ENT's public address (optional, for the report).
	URL string `yaml:"url,omitempty"`
}

// GARSP names the GAR's SAML service provider.
type GARSP struct {
	EntityID string `yaml:"entity_id"`
	ACSURL   string `yaml:"acs_url"`
}

// Collectivite is the buyer.
type Collectivite struct {
	Name           string `yaml:"name"`
	Representative string `yaml:"representative,omitempty"`
	// Convention is the reference of the convention signed with the DSDEN
	// (optional, for the report's identification).
	Convention string `yaml:"convention,omitempty"`
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
	// SSOCaptures are captured SSO exchanges toward the GAR (HAR files,
	// SAML-tracer exports or bare SAMLResponses); optional.
	SSOCaptures []string `yaml:"sso_captures,omitempty"`
	// Contract is the vendor's processing contract (or data processing
	// agreement, or the contract's data protection annex): PDF, DOCX,
	// HTML or text.
	Contract string `yaml:"contract,omitempty"`
	// SecurityDocumentation is the vendor's security documentation
	// (security assurance plan, certifications, last penetration test);
	// optional.
	SecurityDocumentation string `yaml:"security_documentation,omitempty"`
	// AccessibilityStatement is the accessibility statement (optional:
	// the pages' footer link leads to it otherwise).
	AccessibilityStatement string `yaml:"accessibility_statement,omitempty"`
}

// Sources returns what the manifest gives under evidence.KEY: the path or
// URL of a piece (none when the key is absent or empty), or each element
// of a list. ok is false when Evidence has no such key. The engine finds
// each area's pieces by key (checks.Piece.Key).
func (e Evidence) Sources(key string) (srcs []string, ok bool) {
	v := reflect.ValueOf(e)
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		if name != key {
			continue
		}
		switch f := v.Field(i).Interface().(type) {
		case string:
			if f != "" {
				srcs = []string{f}
			}
		case []string:
			srcs = slices.Clone(f)
		}
		return srcs, true
	}
	return nil, false
}

var idEntRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Load reads and validates dir/ent.yaml. Errors are *input.Error naming the
// file and line.
func Load(dir string) (*Manifest, error) {
	path := filepath.Join(dir, FileName)
	st, err := os.Stat(dir)
	if err != nil {
		return nil, &input.Error{Source: dir, Err: input.Problemf("dossier directory not found", "répertoire du dossier introuvable")}
	}
	if !st.IsDir() {
		return nil, &input.Error{Source: dir, Err: input.Problemf("not a directory: audit takes a dossier directory holding ent.yaml", "ce n'est pas un répertoire : audit prend le répertoire d'un dossier, qui contient ent.yaml")}
	}
	// Stat first: a FIFO would block the read, a huge file exhaust memory.
	fst, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, &input.Error{Source: path, Err: input.Problemf("manifest not found: a dossier needs an ent.yaml (see README)", "manifeste introuvable : un dossier a besoin d'un ent.yaml (voir le README)")}
	case err != nil:
		return nil, &input.Error{Source: path, Err: err}
	case fst.IsDir():
		return nil, &input.Error{Source: path, Err: input.Problemf("is a directory, expected the manifest file", "c'est un répertoire, le fichier manifeste est attendu")}
	case !fst.Mode().IsRegular():
		return nil, &input.Error{Source: path, Err: input.Problemf("not a regular file; refused", "ce n'est pas un fichier ordinaire : refusé")}
	case fst.Size() > maxManifestBytes:
		return nil, &input.Error{Source: path, Err: input.ErrTooLarge.With("manifest over 1 MiB", "manifeste de plus de 1 Mio")}
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
		return nil, &input.Error{Source: path, Err: input.Wrap(err, "read manifest", "lecture du manifeste impossible")}
	}
	if len(data) > maxManifestBytes {
		return nil, &input.Error{Source: path, Err: input.ErrTooLarge.With("manifest over 1 MiB", "manifeste de plus de 1 Mio")}
	}
	return Parse(path, dir, data)
}

const maxManifestBytes = 1 << 20

// Parse validates manifest bytes; dir is the dossier directory used to
// check that evidence files exist.
func Parse(path, dir string, data []byte) (*Manifest, error) {
	root, perr := yamlpos.Parse(path, data)
	if perr != nil {
		return nil, perr
	}
	if len(root.Content) == 0 {
		return nil, &input.Error{Source: path, Err: input.Problemf("manifest is empty", "le manifeste est vide")}
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return nil, &input.Error{Source: path, Line: root.Content[0].Line, Err: input.Problemf("manifest must be a mapping (key: value)", "le manifeste doit être une suite de clés (clé: valeur)")}
	}
	var m Manifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, yamlpos.ErrorIn(path, err, &m)
	}
	m.Dir, m.Path = dir, path
	doc := root.Content[0]
	fail := func(keys []string, en, fr string, args ...any) error {
		return &input.Error{Source: path, Line: yamlpos.Line(doc, keys...), Err: input.Problemf(en, fr, args...)}
	}
	if strings.TrimSpace(m.ENT.Name) == "" {
		return nil, fail([]string{"ent"}, "ent.name is required", "ent.name est exigé")
	}
	if strings.TrimSpace(m.Collectivite.Name) == "" {
		return nil, fail([]string{"collectivite"}, "collectivite.name is required", "collectivite.name est exigé")
	}
	switch strings.ToUpper(m.Degree) {
	case "1D", "2D":
		m.Degree = strings.ToUpper(m.Degree)
	case "":
		return nil, fail(nil, "degree is required: 1D (écoles) or 2D (collèges et lycées)", "degree est exigé : 1D (écoles) ou 2D (collèges et lycées)")
	default:
		return nil, fail([]string{"degree"}, "degree %q: must be 1D or 2D", "degree %q : 1D ou 2D attendu", yamlpos.Short(m.Degree))
	}
	if strings.TrimSpace(m.SDET) == "" {
		return nil, fail(nil, "sdet is required: the SDET version aimed at, e.g. \"7.0\"", "sdet est exigé : la version du SDET visée, par exemple \"7.0\"")
	}
	if m.ENT.IDEnt != "" && !idEntRe.MatchString(m.ENT.IDEnt) {
		return nil, fail([]string{"ent", "id_ent"}, "ent.id_ent %q: letters, digits, '-' and '_' only", "ent.id_ent %q : lettres, chiffres, « - » et « _ » seulement", yamlpos.Short(m.ENT.IDEnt))
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
		{"contract", m.Evidence.Contract, false, true},
		{"security_documentation", m.Evidence.SecurityDocumentation, false, true},
		{"accessibility_statement", m.Evidence.AccessibilityStatement, false, true},
	}
	for i, c := range m.Evidence.SSOCaptures {
		if strings.TrimSpace(c) == "" {
			return nil, fail([]string{"evidence", "sso_captures"}, "evidence.sso_captures[%d] is empty", "evidence.sso_captures[%d] est vide", i)
		}
		if input.IsURL(c) || input.OtherScheme(c) != "" {
			return nil, fail([]string{"evidence", "sso_captures"}, "evidence.sso_captures %q: a capture holds credentials, it is a file of the dossier, never a URL", "evidence.sso_captures %q : une capture contient des secrets, c'est un fichier du dossier, jamais une adresse", yamlpos.Short(c))
		}
		refs = append(refs, ref{"sso_captures", c, false, true})
	}
	if sp := m.GARSP; sp != nil {
		if sp.EntityID == "" || sp.ACSURL == "" {
			return nil, fail([]string{"gar_sp"}, "gar_sp needs entity_id and acs_url", "gar_sp demande entity_id et acs_url")
		}
		if !strings.HasPrefix(sp.EntityID, "https://") && !strings.HasPrefix(sp.EntityID, "urn:") {
			return nil, fail([]string{"gar_sp", "entity_id"}, "gar_sp.entity_id %q: an https URL or a URN is expected", "gar_sp.entity_id %q : une adresse https ou un URN est attendu", yamlpos.Short(sp.EntityID))
		}
		if !strings.HasPrefix(sp.ACSURL, "https://") {
			return nil, fail([]string{"gar_sp", "acs_url"}, "gar_sp.acs_url %q: an https URL is expected", "gar_sp.acs_url %q : une adresse https est attendue", yamlpos.Short(sp.ACSURL))
		}
	}
	for _, r := range refs {
		if r.val == "" {
			continue
		}
		keys := []string{"evidence", r.key}
		if input.IsURL(r.val) {
			continue
		}
		if s := input.OtherScheme(r.val); s != "" {
			return nil, fail(keys, "evidence.%s: scheme %q refused: https URLs or paths relative to the dossier only", "evidence.%s : protocole %q refusé : adresses https ou chemins relatifs au dossier seulement", r.key, yamlpos.Short(s))
		}
		if err := checkLocal(dir, r.val, r.dirOK, r.fileOK); err != nil {
			return nil, &input.Error{Source: path, Line: yamlpos.Line(doc, keys...), Err: input.Wrap(err, "evidence.%s %q", "evidence.%s %q", r.key, yamlpos.Short(r.val))}
		}
	}
	if m.Waivers != "" {
		if err := checkLocal(dir, m.Waivers, false, true); err != nil {
			return nil, &input.Error{Source: path, Line: yamlpos.Line(doc, "waivers"), Err: input.Wrap(err, "waivers %q", "waivers %q", yamlpos.Short(m.Waivers))}
		}
	}
	return &m, nil
}

func checkLocal(dir, rel string, dirOK, fileOK bool) error {
	if filepath.IsAbs(rel) {
		return input.Problemf("must be relative to the dossier directory", "le chemin doit être relatif au répertoire du dossier")
	}
	clean := filepath.Clean(rel)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return input.Problemf("points outside the dossier directory", "le chemin sort du répertoire du dossier")
	}
	p := filepath.Join(dir, clean)
	st, err := input.StatFile(p, true)
	if errors.Is(err, os.ErrNotExist) {
		return input.Problemf("file not found", "fichier introuvable")
	}
	if err != nil {
		return err
	}
	if err := input.Confine(dir, p); err != nil {
		return err
	}
	switch {
	case st.IsDir() && !dirOK:
		return input.Problemf("is a directory, expected a file", "c'est un répertoire, un fichier est attendu")
	case !st.IsDir() && !fileOK:
		return input.Problemf("is a file, expected a directory", "c'est un fichier, un répertoire est attendu")
	}
	return nil
}
