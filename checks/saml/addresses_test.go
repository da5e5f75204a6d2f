package saml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
)

// TestAddressesQuotedWithoutQuery: the entityID and the endpoint
// Locations a finding quotes (message or excerpt) carry no query string,
// fragment nor user information, marked as left out ("?…"), as in the sso
// area: Google Workspace's entityID names its tenant in the query.
func TestAddressesQuotedWithoutQuery(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/realworld/saml/google-workspace.xml")
	if err != nil {
		t.Fatal(err)
	}
	// An http endpoint with a token in its query: SAML-004 quotes it.
	doc := strings.Replace(string(data), `Location="https://accounts.google.com/o/saml2/idp?idpid=C02dfl1r1"`, `Location="http://accounts.google.com/o/saml2/idp?idpid=C02dfl1r1&amp;jeton=SECRET"`, 1)
	if doc == string(data) {
		t.Fatal("fixture changed: no Location to edit")
	}
	p := filepath.Join(t.TempDir(), "google.xml")
	if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range Check(newEnv(checks.Options{}), p) {
		texts := []string{f.Message, f.MessageEN}
		for _, e := range f.Evidence {
			texts = append(texts, e.Excerpt)
		}
		for _, x := range texts {
			if strings.Contains(x, "idpid") || strings.Contains(x, "SECRET") {
				t.Errorf("%s quotes a query string: %s", f.Rule, x)
			}
			if strings.Contains(x, "accounts.google.com/o/saml2?…") || strings.Contains(x, "accounts.google.com/o/saml2/idp?…") {
				seen[f.Rule] = true
			}
		}
	}
	for _, rule := range []string{"SAML-003", "SAML-004"} {
		if !seen[rule] {
			t.Errorf("%s does not quote the address with its query marked", rule)
		}
	}
}
