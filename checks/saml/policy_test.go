package saml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmldsigpolicy"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestSignatureAlgorithmsFollowThePolicy: SAML-006 refuses the signature
// and digest algorithms that the shared policy (internal/xmldsigpolicy)
// refuses, and only those: the sso area follows the same table
// (checks/sso, TestSignatureAlgorithmsFollowThePolicy).
func TestSignatureAlgorithmsFollowThePolicy(t *testing.T) {
	data, err := os.ReadFile("../../fixtures/saml/good/idp-metadata.xml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, a := range xmldsigpolicy.Algorithms {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(data); err != nil {
			t.Fatal(err)
		}
		tag := "SignatureMethod"
		if a.Kind == xmldsigpolicy.Digest {
			tag = "DigestMethod"
		}
		els := doc.FindElements("//" + tag)
		if len(els) != 1 {
			t.Fatalf("%d %s in the fixture", len(els), tag)
		}
		els[0].CreateAttr("Algorithm", a.URI)
		p := filepath.Join(dir, "m"+strings.Repeat("x", i)+".xml")
		if err := doc.WriteToFile(p); err != nil {
			t.Fatal(err)
		}
		var f result.Finding
		for _, x := range Check(newEnv(checks.Options{IDEnt: "ENTFICTIF1"}), p) {
			if x.Rule == rules.SAML006.ID {
				f = x
			}
		}
		refused := strings.Contains(f.MessageEN, "algorithm") && strings.Contains(f.MessageEN, "refused")
		if refused == a.Accepted {
			t.Errorf("%s: SAML-006 %s %q; the policy says accepted=%v", a.URI, f.Status, f.MessageEN, a.Accepted)
		}
	}
}
