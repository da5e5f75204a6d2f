package sso

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// aggregateWith writes a federation's aggregate (EntitiesDescriptor, a
// service provider first, then identity providers, as Renater or a
// regional federation publishes it) whose identity providers are
// entityID → signing KeyInfo, in order; it returns its path.
func aggregateWith(t *testing.T, idps ...[2]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Name="urn:fictif:federation:education" validUntil="2027-01-10T00:00:00Z">
  <md:EntityDescriptor entityID="https://ressources.fictif.example/sp">
    <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://ressources.fictif.example/Shibboleth.sso/SAML2/POST" index="1"/>
    </md:SPSSODescriptor>
  </md:EntityDescriptor>
`)
	for _, idp := range idps {
		b.WriteString(`  <md:EntityDescriptor entityID="` + idp[0] + `">
    <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <md:KeyDescriptor use="signing"><ds:KeyInfo>` + idp[1] + `</ds:KeyInfo></md:KeyDescriptor>
      <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="` + idp[0] + `/sso"/>
    </md:IDPSSODescriptor>
  </md:EntityDescriptor>
`)
	}
	b.WriteString("</md:EntitiesDescriptor>\n")
	p := filepath.Join(t.TempDir(), "federation.xml")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAggregateMetadata: with a federation's aggregate as IdP metadata, a
// response is judged against the identity provider whose entityID is its
// Issuer (as a service provider looks it up), not the aggregate's first;
// when none is, SSO-004 fails naming them and SSO-001 is not evaluated
// (there is no key of the issuer to verify with), never verified with
// another member's key.
func TestAggregateMetadata(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ent := newKeyPair(t, nil, "ent.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	other := newKeyPair(t, nil, "idp.autre-ent.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	const entID, otherID = "https://ent.fictif.example/idp", "https://idp.autre-ent.fictif.example/idp"
	write := func(x string) string {
		p := filepath.Join(t.TempDir(), "reponse.xml")
		if err := os.WriteFile(p, []byte(x), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	byENT := write(signedBy(t, ent, ""))

	// The ENT's identity provider second in the aggregate.
	fs := checkWith(t, byENT, aggregateWith(t, [2]string{otherID, certInfo(other.cert)}, [2]string{entID, certInfo(ent.cert)}))
	if status(fs, "SSO-001") != result.Pass || status(fs, "SSO-004") != result.Pass {
		t.Fatalf("ENT second in the aggregate: SSO-001 %v, SSO-004 %v", fs["SSO-001"], fs["SSO-004"])
	}
	if m := fs["SSO-001"][0].MessageEN; !strings.Contains(m, "metadata with 2 identity providers") || !strings.Contains(m, entID) {
		t.Errorf("SSO-001 does not say which identity provider judged it: %q", m)
	}

	// The Issuer's identity provider publishes another key, the key that
	// signed is another member's: not verified (only the Issuer's keys
	// count, never any member's).
	fs = checkWith(t, byENT, aggregateWith(t, [2]string{entID, certInfo(other.cert)}, [2]string{otherID, certInfo(ent.cert)}))
	if status(fs, "SSO-001") != result.Fail {
		t.Errorf("the Issuer's identity provider publishes another key: SSO-001 %v, want fail (not verified with another member's key)", fs["SSO-001"])
	}

	// No identity provider of the aggregate is the Issuer.
	fs = checkWith(t, byENT, aggregateWith(t, [2]string{otherID, certInfo(ent.cert)}, [2]string{"https://idp.universite.fictif.example/idp", certInfo(other.cert)}))
	if status(fs, "SSO-004") != result.Fail || !strings.Contains(fs["SSO-004"][0].MessageEN, "none of the metadata's 2 identity providers") ||
		!strings.Contains(fs["SSO-004"][0].MessageEN, otherID) {
		t.Errorf("no member is the Issuer: SSO-004 %v", fs["SSO-004"])
	}
	if status(fs, "SSO-001") != result.NotEvaluated {
		t.Errorf("no member is the Issuer: SSO-001 %v, want not evaluated (never verified with a member's key)", fs["SSO-001"])
	}

	// One identity provider: judged against it whatever the Issuer
	// (unchanged behaviour).
	fs = checkWith(t, byENT, metadataWith(t, certInfo(ent.cert)))
	if status(fs, "SSO-001") != result.Pass || strings.Contains(fs["SSO-001"][0].MessageEN, "identity providers") {
		t.Errorf("one identity provider: SSO-001 %v", fs["SSO-001"])
	}
}
