package samlmeta

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// memCache keeps every value for the run, as checks.Cache does (for one
// goroutine: an opener may use the cache itself).
type memCache struct {
	m     map[string]any
	opens int
}

func (c *memCache) Get(key string, open func() (any, func(), error)) (any, func(), error) {
	if v, ok := c.m[key]; ok {
		return v, func() {}, nil
	}
	c.opens++
	v, _, err := open()
	if err == nil {
		c.m[key] = v
	}
	return v, func() {}, err
}

// TestLoadIdP reads the entityID and the signing keys of real-world shapes:
// X.509 certificates, bare RSA keys (Lemonldap::NG), the ENT's entity in
// an aggregate, and a rollover's two keys; the encryption keys are left
// out.
func TestLoadIdP(t *testing.T) {
	for _, c := range []struct {
		file, entityID string
		keys           int
		bare           bool
	}{
		{"../../fixtures/saml/good/idp-metadata.xml", "https://ent.fictif.example/idp", 1, false},
		{"../../fixtures/saml/realworld/lemonldap-ng.xml", "https://auth.ent-fictif.example/saml/metadata", 1, true},
		{"../../fixtures/saml/realworld/aggregate.xml", "https://ent-fictif.example/idp", 1, false},
		{"../../fixtures/saml/realworld/rollover.xml", "https://ent-fictif.example/idp", 2, false},
	} {
		idp, err := LoadIdP(context.Background(), &input.Loader{}, nil, c.file)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if idp.EntityID != c.entityID || len(idp.Keys) != c.keys {
			t.Errorf("%s: entityID %q, %d keys; want %q, %d", c.file, idp.EntityID, len(idp.Keys), c.entityID, c.keys)
			continue
		}
		if bare := idp.Keys[0].Subject.CommonName == "" && idp.Keys[0].NotBefore.IsZero(); bare != c.bare {
			t.Errorf("%s: first key bare = %v, want %v", c.file, bare, c.bare)
		}
	}
}

// TestLoadOncePerRun: through a cache, the document is read and parsed
// once for every area that asks (the saml area's Load, the sso area's
// LoadIdP), and a document without an identity provider is an error that
// names it.
func TestLoadOncePerRun(t *testing.T) {
	c := &memCache{m: map[string]any{}}
	ld := &input.Loader{}
	const src = "../../fixtures/saml/good/idp-metadata.xml"
	l := Load(context.Background(), ld, c, src)
	if l.ReadErr != nil || l.ParseErr != nil || l.Doc.IDP == nil {
		t.Fatalf("%+v", l)
	}
	for i := 0; i < 2; i++ {
		if _, err := LoadIdP(context.Background(), ld, c, src); err != nil {
			t.Fatal(err)
		}
	}
	if c.opens != 2 { // the document, then its IdP
		t.Errorf("%d opens, want 2", c.opens)
	}
	if n := len(ld.Inputs()); n != 1 {
		t.Errorf("%d inputs recorded, want 1", n)
	}
	sp := filepath.Join(t.TempDir(), "sp.xml")
	if err := os.WriteFile(sp, []byte(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="urn:fictif:sp"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadIdP(context.Background(), &input.Loader{}, nil, sp); err == nil || !strings.Contains(err.Error(), "IDPSSODescriptor") || !strings.Contains(err.Error(), "sp.xml") {
		t.Errorf("metadata without IdP: %v", err)
	}
	if _, err := LoadIdP(context.Background(), &input.Loader{}, nil, "../../fixtures/saml/bad/truncated.xml"); err == nil || !strings.Contains(err.Error(), "truncated.xml") {
		t.Errorf("truncated metadata: %v", err)
	}
}
