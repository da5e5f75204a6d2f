package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// sarifURIs runs args in dir and returns the SARIF locations' URIs and
// base IDs.
func sarifURIs(t *testing.T, dir string, args ...string) map[string]string {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	run(context.Background(), append(args, "--format", "sarif", "--now", testNow), &stdout, &stderr, false)
	var log struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, stderr.String())
	}
	out := map[string]string{}
	for _, r := range log.Runs[0].Results {
		for _, l := range r.Locations {
			out[l.PhysicalLocation.ArtifactLocation.URI] = l.PhysicalLocation.ArtifactLocation.URIBaseID
		}
	}
	return out
}

// SARIF locations are relative to the root of the repository that holds
// the dossier, whatever the working directory (a vendor's CI may run
// from a subdirectory): code scanning finds the files.
func TestSARIFRelativeToRepositoryRoot(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	dossier := filepath.Join(repo, "conformite", "ent")
	if err := os.MkdirAll(filepath.Dir(dossier), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", filepath.Join(repoRoot, "fixtures/dossiers/non-conforme"), dossier).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	want := "conformite/ent/saml/idp-metadata.xml"
	for _, c := range []struct {
		dir  string
		args []string
	}{
		{repo, []string{"audit", "conformite/ent"}},
		{filepath.Join(repo, "conformite"), []string{"audit", "ent"}},
		{dossier, []string{"audit", "."}},
		{filepath.Join(dossier, "saml"), []string{"audit", ".."}},
		{t.TempDir(), []string{"audit", dossier}},
		{filepath.Join(dossier, "saml"), []string{"check", "saml", "idp-metadata.xml"}},
		{repo, []string{"check", "saml", filepath.Join(dossier, "saml", "idp-metadata.xml")}},
	} {
		uris := sarifURIs(t, c.dir, c.args...)
		base, ok := uris[want]
		if !ok || base != "%SRCROOT%" {
			t.Errorf("from %s, %v: locations %v, want %s relative to %%SRCROOT%%", c.dir, c.args, uris, want)
		}
	}
}
