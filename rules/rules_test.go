package rules

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var idRe = regexp.MustCompile(`^[A-Z]+(-[A-Z0-9]+)*-[0-9]{3}$`)

// TestCatalogue validates the whole catalogue.
func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	prefix := map[Area]string{AreaDossier: "DOSSIER-", AreaSAML: "SAML-", AreaGAR: "GAR-", AreaMapping: "MAP-", AreaPage: "PAGE-", AreaNotice: "NOTICE-", AreaSSO: "SSO-", AreaContract: "CONTRACT-", AreaSecurity: "SEC-", AreaAccessibility: "ACC-"}
	all := All()
	if len(all) == 0 {
		t.Fatal("empty catalogue")
	}
	for _, r := range all {
		if !idRe.MatchString(r.ID) {
			t.Errorf("%q: ID does not match %s", r.ID, idRe)
		}
		if seen[r.ID] {
			t.Errorf("%s: duplicate ID", r.ID)
		}
		seen[r.ID] = true
		if p, ok := prefix[r.Area]; !ok || !strings.HasPrefix(r.ID, p) {
			t.Errorf("%s: area %q expects prefix %q", r.ID, r.Area, p)
		}
		if r.Severity.Rank() == 0 {
			t.Errorf("%s: bad severity %q", r.ID, r.Severity)
		}
		for name, txt := range map[string]Text{"title": r.Title, "rationale": r.Rationale, "remediation": r.Remediation} {
			if strings.TrimSpace(txt.FR) == "" || strings.TrimSpace(txt.EN) == "" {
				t.Errorf("%s: %s needs French and English", r.ID, name)
			}
		}
		if r.Reference.Document == "" {
			t.Errorf("%s: reference document missing", r.ID)
		}
		switch r.Reference.Basis {
		case BasisOfficial, BasisStandard, BasisSchema, BasisObserved, BasisNotPublic:
		default:
			t.Errorf("%s: unknown basis %q", r.ID, r.Reference.Basis)
		}
		if r.Reference.URL != "" {
			if u, err := url.Parse(r.Reference.URL); err != nil || u.Scheme != "https" {
				t.Errorf("%s: reference URL %q must be https", r.ID, r.Reference.URL)
			}
		}
		if r.Since == "" {
			t.Errorf("%s: since missing", r.ID)
		}
		switch r.Lifecycle {
		case Stable, Experimental, Deprecated:
		default:
			t.Errorf("%s: unknown lifecycle %q", r.ID, r.Lifecycle)
		}
		if len(r.Examples.Good) == 0 || len(r.Examples.Bad) == 0 {
			t.Errorf("%s: needs good and bad examples", r.ID)
		}
		for _, p := range append(append([]string{}, r.Examples.Good...), r.Examples.Bad...) {
			if _, err := os.Stat(filepath.Join("..", p)); err != nil {
				t.Errorf("%s: example %s: %v", r.ID, p, err)
			}
		}
		if _, ok := Lookup(strings.ToLower(r.ID)); !ok {
			t.Errorf("%s: Lookup is not case-insensitive", r.ID)
		}
	}
}

// TestDocsInSync keeps docs/rules.fr.md and docs/rules.en.md generated
// from the catalogue. Run `UPDATE_DOCS=1 go test ./rules` to regenerate.
func TestDocsInSync(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		path := filepath.Join("..", "docs", "rules."+lang+".md")
		want := Markdown(lang)
		if os.Getenv("UPDATE_DOCS") != "" {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != want {
			t.Errorf("%s is out of date: run UPDATE_DOCS=1 go test ./rules", path)
		}
	}
}
