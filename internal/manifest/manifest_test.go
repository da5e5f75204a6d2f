package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

const base = `ent:
  name: "ENT Fictif"
  id_ent: "ENTFICTIF1"
collectivite:
  name: "Département Fictif"
degree: 2d
sdet: "7.0"
`

// dossier makes a dossier directory with a few evidence files.
func dossier(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "d")
	for _, p := range []string{"saml/md.xml", "gar/f.xml", "aaf/a.xml", "pages/p.html", "derogations.yaml"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644)
	}
	return dir
}

func TestParseValid(t *testing.T) {
	dir := dossier(t)
	m, err := Parse("ent.yaml", dir, []byte(base+`evidence:
  saml_metadata: saml/md.xml
  saml_attributes: [idEnt]
  gar_feed: gar
  aaf_samples: aaf
  home_page: https://ent.example/
  login_page: ./pages/p.html
waivers: derogations.yaml
`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Degree != "2D" || m.Evidence.GARFeed != "gar" || m.Evidence.HomePage != "https://ent.example/" || m.Waivers != "derogations.yaml" {
		t.Errorf("manifest: %+v", m)
	}
}

func TestParseErrors(t *testing.T) {
	dir := dossier(t)
	outside := filepath.Join(filepath.Dir(dir), "outside.xml")
	os.WriteFile(outside, []byte("x"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "saml/link.xml"))
	os.Symlink(filepath.Dir(dir), filepath.Join(dir, "up"))
	os.Symlink("md.xml", filepath.Join(dir, "saml/inside.xml"))
	cases := []struct {
		name, yaml string
		line       int
		want       string
	}{
		{"empty", "", 0, "manifest is empty"},
		{"comment only", "# rien\n", 0, "manifest is empty"},
		{"not a mapping", "- a\n- b\n", 1, "must be a mapping"},
		{"scalar", "bonjour\n", 1, "must be a mapping"},
		{"unknown key", base + "evidense: {}\n", 8, `unknown key "evidense"`},
		{"malformed", base + "evidence: [\n", 8, "did not find"},
		{"tab indentation", "ent:\n\tname: x\n", 2, ""},
		{"no ent name", strings.Replace(base, `name: "ENT Fictif"`, `name: " "`, 1), 1, "ent.name is required"},
		{"no collectivite", strings.Replace(base, `name: "Département Fictif"`, `name: ""`, 1), 4, "collectivite.name is required"},
		{"no degree", strings.Replace(base, "degree: 2d\n", "", 1), 1, "degree is required"},
		{"bad degree", strings.Replace(base, "degree: 2d", "degree: 3D", 1), 6, `degree "3D"`},
		{"no sdet", strings.Replace(base, `sdet: "7.0"`, "", 1), 1, "sdet is required"},
		{"bad id_ent", strings.Replace(base, `"ENTFICTIF1"`, `"ENT FICTIF/1"`, 1), 3, "ent.id_ent"},
		{"absolute path", base + "evidence:\n  saml_metadata: /etc/passwd\n", 9, "must be relative"},
		{"parent path", base + "evidence:\n  saml_metadata: ../outside.xml\n", 9, "outside the dossier"},
		{"parent path inside", base + "evidence:\n  saml_metadata: saml/../../outside.xml\n", 9, "outside the dossier"},
		{"symlink to a file outside", base + "evidence:\n  saml_metadata: saml/link.xml\n", 9, "outside the dossier"},
		{"through a directory symlink", base + "evidence:\n  saml_metadata: up/outside.xml\n", 9, "outside the dossier"},
		{"missing file", base + "evidence:\n  mapping: mapping.yaml\n", 9, "file not found"},
		{"directory for a file", base + "evidence:\n  saml_metadata: saml\n", 9, "is a directory"},
		{"file for a directory", base + "evidence:\n  aaf_samples: aaf/a.xml\n", 9, "expected a directory"},
		{"ftp URL", base + "evidence:\n  home_page: ftp://ent.example/\n", 9, `evidence.home_page: scheme "ftp" refused: https URLs or paths relative to the dossier`},
		{"file URL", base + "evidence:\n  notice: file:///etc/passwd\n", 9, `evidence.notice: scheme "file" refused`},
		{"missing waivers", base + "waivers: nope.yaml\n", 8, "waivers"},
	}
	for _, c := range cases {
		_, err := Parse("ent.yaml", dir, []byte(c.yaml))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		e, ok := input.AsError(err)
		if !ok {
			t.Errorf("%s: %v is not an *input.Error", c.name, err)
			continue
		}
		if e.Source != "ent.yaml" || (c.line != 0 && e.Line != c.line) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (line %d), want line %d and %q", c.name, err, e.Line, c.line, c.want)
		}
	}
	// A symbolic link that stays inside the dossier is fine.
	if _, err := Parse("ent.yaml", dir, []byte(base+"evidence:\n  saml_metadata: saml/inside.xml\n")); err != nil {
		t.Errorf("symlink inside the dossier: %v", err)
	}
}

func TestLoad(t *testing.T) {
	dir := dossier(t)
	if _, err := Load(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("missing directory: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "derogations.yaml")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file for a dossier: %v", err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "manifest not found") {
		t.Errorf("no ent.yaml: %v", err)
	}
	p := filepath.Join(dir, FileName)
	f, _ := os.Create(p)
	f.Truncate(3 << 30) // sparse: refused from its size, never read
	f.Close()
	if _, err := Load(dir); !errors.Is(err, input.ErrTooLarge) {
		t.Errorf("huge ent.yaml: %v", err)
	}
	os.WriteFile(p, []byte(base), 0o644)
	m, err := Load(dir)
	if err != nil || m.Path != p || m.Dir != dir {
		t.Errorf("load: %+v, %v", m, err)
	}
}

// A manifest saved in Windows-1252 is said so, with its line.
func TestParseNotUTF8(t *testing.T) {
	_, err := Parse("ent.yaml", dossier(t), []byte(strings.Replace(base, `"Département Fictif"`, "\"D\xe9partement Fictif\"", 1)))
	e, ok := input.AsError(err)
	if !ok || e.Line != 5 || !strings.Contains(err.Error(), "not UTF-8") {
		t.Errorf("error %v", err)
	}
}

// SSO captures are files of the dossier (never URLs: they hold secrets);
// gar_sp needs both its https (or URN) entityID and its https ACS.
func TestParseSSO(t *testing.T) {
	dir := dossier(t)
	os.MkdirAll(filepath.Join(dir, "sso"), 0o755)
	os.WriteFile(filepath.Join(dir, "sso/c.har"), []byte("{}"), 0o644)
	m, err := Parse("ent.yaml", dir, []byte(base+`evidence:
  sso_captures: [sso/c.har]
gar_sp:
  entity_id: "urn:fictif:gar"
  acs_url: "https://sp.gar.fictif.example/acs"
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Evidence.SSOCaptures) != 1 || m.GARSP == nil || m.GARSP.ACSURL != "https://sp.gar.fictif.example/acs" {
		t.Errorf("manifest: %+v %+v", m.Evidence, m.GARSP)
	}
	for _, c := range []struct{ name, yaml, want string }{
		{"url", "evidence:\n  sso_captures: [https://ent.example/c.har]\n", "jamais une adresse"},
		{"missing", "evidence:\n  sso_captures: [sso/absent.har]\n", "introuvable"},
		{"outside", "evidence:\n  sso_captures: [../c.har]\n", "sort du répertoire"},
		{"half sp", "gar_sp:\n  entity_id: urn:fictif:gar\n", "entity_id et acs_url"},
		{"http acs", "gar_sp:\n  entity_id: urn:fictif:gar\n  acs_url: http://sp.gar.fictif.example/acs\n", "adresse https"},
		{"unknown key", "gar_sp:\n  entity_id: urn:fictif:gar\n  acs_url: https://a.example/\n  acs: x\n", "acs"},
	} {
		_, err := Parse("ent.yaml", dir, []byte(base+c.yaml))
		var ie *input.Error
		if !errors.As(err, &ie) || ie.Line == 0 || !strings.Contains(input.French(err), c.want) {
			t.Errorf("%s: error %v (French: %q), want a line and %q", c.name, err, input.French(err), c.want)
		}
	}
}

// Sources finds a piece by its key under evidence:, a path or a list.
func TestEvidenceSources(t *testing.T) {
	e := Evidence{SAMLMetadata: "idp.xml", SSOCaptures: []string{"a.har", "b.har"}}
	for _, c := range []struct {
		key  string
		want []string
		ok   bool
	}{
		{"saml_metadata", []string{"idp.xml"}, true},
		{"sso_captures", []string{"a.har", "b.har"}, true},
		{"gar_feed", nil, true},
		{"no_such_key", nil, false},
	} {
		got, ok := e.Sources(c.key)
		if ok != c.ok || strings.Join(got, ",") != strings.Join(c.want, ",") || (got == nil) != (c.want == nil) {
			t.Errorf("Sources(%q) = %q, %v; want %q, %v", c.key, got, ok, c.want, c.ok)
		}
	}
}
