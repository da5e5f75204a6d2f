package sso

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmldsigpolicy"
)

// TestSignatureAlgorithmsFollowThePolicy: SSO-002 refuses the signature
// and digest algorithms that the shared policy (internal/xmldsigpolicy)
// refuses, and only those, as SAML-006 does for the metadata (checks/saml,
// TestSignatureAlgorithmsFollowThePolicy). RSA-PSS with SHA-256 was the
// one the two areas disagreed on.
func TestSignatureAlgorithmsFollowThePolicy(t *testing.T) {
	good := goodResponse(t)
	for _, a := range xmldsigpolicy.Algorithms {
		doc := etree.NewDocument()
		if err := doc.ReadFromString(good); err != nil {
			t.Fatal(err)
		}
		tag := "SignatureMethod"
		if a.Kind == xmldsigpolicy.Digest {
			tag = "DigestMethod"
		}
		els := doc.FindElements("//" + tag)
		if len(els) == 0 {
			t.Fatalf("no %s in the fixture", tag)
		}
		for _, el := range els {
			el.CreateAttr("Algorithm", a.URI)
		}
		x, err := doc.WriteToString()
		if err != nil {
			t.Fatal(err)
		}
		fs := checkXML(t, x)
		want := result.Fail
		if a.Accepted {
			want = result.Pass
		}
		if got := status(fs, "SSO-002"); got != want {
			t.Errorf("%s: SSO-002 %s %v, the policy says accepted=%v", a.URI, got, fs["SSO-002"], a.Accepted)
		}
	}
}
