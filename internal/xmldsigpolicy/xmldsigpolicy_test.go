package xmldsigpolicy

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// TestPolicy lists what the policy accepts and refuses, and why: the
// algorithms of W3C XML Signature 1.1 (xmldsig-core1) and RFC 9231 with
// SHA-2 of 256 bits or more, RSA-PSS included; SHA-1, MD5, SHA-224 and
// RIPEMD-160 refused as ANSSI's RGS B1 asks (hash of 256 bits or more).
func TestPolicy(t *testing.T) {
	for _, c := range []struct {
		kind     Kind
		uri      string
		accepted bool
		why      string // a word the reason must hold
	}{
		// RSA PKCS#1 v1.5 (xmldsig-core1 §6.4.2; RFC 9231 §2.3.2-4).
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", true, "PKCS#1 v1.5"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", true, "PKCS#1 v1.5"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", true, "PKCS#1 v1.5"},
		// ECDSA (xmldsig-core1 §6.4.3; RFC 9231 §2.3.6).
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", true, "ECDSA"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", true, "ECDSA"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", true, "ECDSA"},
		// RSASSA-PSS without parameters (RFC 9231 §2.3.10): the
		// metadata area refused them, the sso area accepted SHA-256's.
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", true, "RSASSA-PSS"},
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1", true, "RSASSA-PSS"},
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1", true, "RSASSA-PSS"},
		// RSASSA-PSS with parameters (RFC 9231 §2.3.9): judged with them.
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#rsa-pss", true, "parameters"},
		// SHA-1 and MD5: refused.
		{Signature, "http://www.w3.org/2000/09/xmldsig#rsa-sha1", false, "SHA-1"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", false, "SHA-1"},
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#sha1-rsa-MGF1", false, "SHA-1"},
		{Signature, "http://www.w3.org/2000/09/xmldsig#dsa-sha1", false, "SHA-1"},
		{Signature, "http://www.w3.org/2000/09/xmldsig#hmac-sha1", false, "HMAC"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", false, "HMAC"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#rsa-md5", false, "MD5"},
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#md5-rsa-MGF1", false, "MD5"},
		// Under 256 bits.
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224", false, "224"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224", false, "224"},
		{Signature, "http://www.w3.org/2007/05/xmldsig-more#sha224-rsa-MGF1", false, "224"},
		{Signature, "http://www.w3.org/2001/04/xmldsig-more#rsa-ripemd160", false, "RIPEMD"},
		// Digests (xmldsig-core1 §6.2; RFC 9231 §2.1).
		{Digest, "http://www.w3.org/2001/04/xmlenc#sha256", true, "SHA-2"},
		{Digest, "http://www.w3.org/2001/04/xmldsig-more#sha384", true, "SHA-2"},
		{Digest, "http://www.w3.org/2001/04/xmlenc#sha512", true, "SHA-2"},
		{Digest, "http://www.w3.org/2000/09/xmldsig#sha1", false, "SHA-1"},
		{Digest, "http://www.w3.org/2001/04/xmldsig-more#md5", false, "MD5"},
		{Digest, "http://www.w3.org/2001/04/xmldsig-more#sha224", false, "224"},
		{Digest, "http://www.w3.org/2001/04/xmlenc#ripemd160", false, "RIPEMD"},
	} {
		a, ok := Lookup(c.kind, c.uri)
		if !ok {
			t.Errorf("%s: not named by the policy", c.uri)
			continue
		}
		if a.Accepted != c.accepted || !strings.Contains(a.Why, c.why) {
			t.Errorf("%s: accepted %v (%s), want %v (%s)", c.uri, a.Accepted, a.Why, c.accepted, c.why)
		}
		if !strings.Contains(a.Why, "RFC") && !strings.Contains(a.Why, "xmldsig-core1") && !strings.Contains(a.Why, "RGS B1") {
			t.Errorf("%s: reason %q cites no source", c.uri, a.Why)
		}
		got := SignatureURI(c.uri)
		if c.kind == Digest {
			got = DigestURI(c.uri)
		}
		if got != c.accepted {
			t.Errorf("%s: accepted %v, want %v", c.uri, got, c.accepted)
		}
	}
	// What the policy does not name is refused, and a URI is compared
	// as written (goxmldsig does not trim it either).
	for _, uri := range []string{"", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256 ", "HTTP://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
		"http://www.w3.org/2007/05/xmldsig-more#sha3-256-rsa-MGF1", "http://www.w3.org/2001/04/xmlenc#sha256"} {
		if SignatureURI(uri) {
			t.Errorf("signature %q accepted", uri)
		}
	}
	if DigestURI("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256") || DigestURI("http://www.w3.org/2007/05/xmldsig-more#sha3-256") {
		t.Error("a URI the policy does not name as a digest is accepted")
	}
	// Each URI is named once.
	seen := map[string]bool{}
	for _, a := range Algorithms {
		if seen[a.URI] {
			t.Errorf("%s named twice", a.URI)
		}
		seen[a.URI] = true
	}
}

// TestSignatureMethodElement: the element's Algorithm attribute as
// written, and for RSASSA-PSS with parameters the digests they name
// (SHA-256 when none, RFC 9231 §2.3.9).
func TestSignatureMethodElement(t *testing.T) {
	const ds = `xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:pss="http://www.w3.org/2007/05/xmldsig-more#"`
	for doc, want := range map[string]bool{
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>`: true,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"/>`:        false,
		`<ds:SignatureMethod ` + ds + `/>`: false,
		`<ds:SignatureMethod ` + ds + ` Algorithm=" http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>`:                                    false,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"/>`:                                true,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2007/05/xmldsig-more#rsa-pss"/>`:                                        true,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2007/05/xmldsig-more#rsa-pss"><pss:RSAPSSParams/></ds:SignatureMethod>`: true,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2007/05/xmldsig-more#rsa-pss"><pss:RSAPSSParams>` +
			`<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha512"/>` +
			`<pss:MaskGenerationFunction Algorithm="http://www.w3.org/2007/05/xmldsig-more#MGF1"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha512"/></pss:MaskGenerationFunction>` +
			`<pss:SaltLength>64</pss:SaltLength></pss:RSAPSSParams></ds:SignatureMethod>`: true,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2007/05/xmldsig-more#rsa-pss"><pss:RSAPSSParams>` +
			`<ds:DigestMethod Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/></pss:RSAPSSParams></ds:SignatureMethod>`: false,
		`<ds:SignatureMethod ` + ds + ` Algorithm="http://www.w3.org/2007/05/xmldsig-more#rsa-pss"><pss:RSAPSSParams>` +
			`<pss:MaskGenerationFunction Algorithm="http://www.w3.org/2007/05/xmldsig-more#MGF1"><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#md5"/></pss:MaskGenerationFunction>` +
			`</pss:RSAPSSParams></ds:SignatureMethod>`: false,
	} {
		d := etree.NewDocument()
		if err := d.ReadFromString(doc); err != nil {
			t.Fatal(err)
		}
		if got := SignatureMethod(d.Root()); got != want {
			t.Errorf("%s: %v, want %v", doc, got, want)
		}
	}
	d := etree.NewDocument()
	if err := d.ReadFromString(`<ds:DigestMethod xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"/>`); err != nil {
		t.Fatal(err)
	}
	if DigestMethod(d.Root()) {
		t.Error("SHA-1 digest accepted")
	}
}
