package saml

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// wantRe reads the inline expectations of a fixture.
var wantRe = regexp.MustCompile(`<!-- want (SAML-[0-9]{3}) (pass|fail|warn|skip|error) -->`)

// TestRealWorldShapes runs the fixtures reproducing the metadata shapes
// real IdP products publish (Shibboleth, Lemonldap::NG, ADFS, Keycloak,
// SimpleSAMLphp, CAS, key rollover, federation aggregate) and checks each
// inline expectation: "want SAML-004 pass" means the rule has that status
// and, for pass, no failure, warning or error beside it.
func TestRealWorldShapes(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/saml/realworld/*.xml")
	if len(files) == 0 {
		t.Fatal("no real-world fixture found")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][]result.Finding{}
			for _, fd := range Check(newEnv(checks.Options{}), f) {
				got[fd.Rule] = append(got[fd.Rule], fd)
			}
			ms := wantRe.FindAllSubmatch(data, -1)
			if len(ms) == 0 {
				t.Fatal("no inline expectation")
			}
			for _, m := range ms {
				rule, want := string(m[1]), result.Status(m[2])
				ok := false
				for _, fd := range got[rule] {
					if fd.Status == want {
						ok = true
					}
					if want == result.Pass && fd.Status != result.Pass {
						ok = false
						break
					}
				}
				if !ok {
					for _, fd := range got[rule] {
						t.Logf("%s %s: %s", rule, fd.Status, fd.Message)
					}
					t.Errorf("want %s %s", rule, want)
				}
			}
		})
	}
}
