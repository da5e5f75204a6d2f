package saml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestEndpointsOfBindingsTheGARDoesNotUse: a SingleSignOnService of a
// binding the GAR never uses (SAML 1, Shibboleth 1.0, SimpleSign) in plain
// http is to correct but not blocking (warning), and one pointed at the
// reserved ".invalid" name (RFC 6761) is a placeholder saying the profile
// is not spoken (SWITCHaai's Shibboleth IdPs), no endpoint at all. The
// SAML 2 browser bindings stay held to https.
func TestEndpointsOfBindingsTheGARDoesNotUse(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/realworld/saml/swamid-liu-shibboleth.xml")
	if err != nil {
		t.Fatal(err)
	}
	const (
		saml1 = `Location="https://login.liu.se/idp/profile/Shibboleth/SSO"`
		post  = `Location="https://login.liu.se/idp/profile/SAML2/POST/SSO"`
	)
	cases := []struct {
		name, old, new string
		want           result.Status
		quote          string
	}{
		{"saml1-http", saml1, `Location="http://login.liu.se/idp/profile/Shibboleth/SSO"`, result.Warn, "http://login.liu.se/idp/profile/Shibboleth/SSO"},
		{"saml1-placeholder", saml1, `Location="http://only.saml2.spoken.here.invalid"`, result.Pass, ""},
		{"saml2-post-http", post, `Location="http://login.liu.se/idp/profile/SAML2/POST/SSO"`, result.Fail, "http://login.liu.se/idp/profile/SAML2/POST/SSO"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(string(data), c.old, c.new, 1)
			if doc == string(data) {
				t.Fatal("fixture changed: no Location to edit")
			}
			p := filepath.Join(t.TempDir(), "idp.xml")
			if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			worst := result.Status("")
			var msgs []string
			for _, f := range Check(newEnv(checks.Options{}), p) {
				if f.Rule != rules.SAML004.ID {
					continue
				}
				msgs = append(msgs, f.Message)
				if worst == "" || f.Status == result.Fail || (f.Status == result.Warn && worst == result.Pass) {
					worst = f.Status
				}
			}
			if worst != c.want {
				t.Fatalf("SAML-004 %s, want %s: %q", worst, c.want, msgs)
			}
			if c.quote != "" && !strings.Contains(strings.Join(msgs, "\n"), c.quote) {
				t.Errorf("the finding does not name %s: %q", c.quote, msgs)
			}
		})
	}
}
