// Package xmldsigpolicy is sdetcheck's one policy on XML Signature
// algorithms: which SignatureMethod and DigestMethod a signature may use,
// whether it signs IdP metadata (the saml area, SAML-006) or a login
// response (the sso area, SSO-002).
//
// The policy is an allowlist: RSA (PKCS#1 v1.5 or PSS) and ECDSA with
// SHA-256, SHA-384 or SHA-512, and those digests. Everything else is
// refused, SHA-1 and MD5 first: ANSSI's RGS B1 (RègleHash-2) asks for
// hash functions of at least 256 bits, which SHA-1 (160), MD5 (128),
// RIPEMD-160 and SHA-224 are not. RSA-PSS is accepted as RSA PKCS#1 v1.5
// is, with SHA-256 or more: it is the stronger of the two RSA schemes.
// Algorithms lists every URI the policy names and why.
//
// goxmldsig verifies RSA PKCS#1 v1.5 and ECDSA only: an RSA-PSS signature
// passes the policy, and then does not verify: goxmldsig names it an
// unknown signature method, which the finding quotes.
//
// The check reads the Algorithm attributes of the document itself (with
// etree): goxmldsig, which verifies the signatures, accepts SHA-1 without
// a word, so what it verified says nothing of the algorithms.
package xmldsigpolicy

import "github.com/beevik/etree"

// Kind says what an algorithm URI identifies.
type Kind int

// Kinds of algorithm.
const (
	Signature Kind = iota // a ds:SignatureMethod
	Digest                // a ds:DigestMethod
)

// Algorithm is what the policy says of one algorithm URI.
type Algorithm struct {
	URI      string
	Kind     Kind
	Accepted bool
	// Why gives the reason, with its source.
	Why string
}

// Namespaces and identifiers (W3C XML Signature 1.1, RFC 9231).
const (
	nsDSig     = "http://www.w3.org/2000/09/xmldsig#"
	nsMore2001 = "http://www.w3.org/2001/04/xmldsig-more#"
	nsMore2007 = "http://www.w3.org/2007/05/xmldsig-more#"
	nsEnc2001  = "http://www.w3.org/2001/04/xmlenc#"

	// RSAPSS is RSASSA-PSS with explicit parameters (RFC 9231 §2.3.9):
	// the digest is named by ds:DigestMethod in its RSAPSSParams, SHA-256
	// when it names none.
	RSAPSS = nsMore2007 + "rsa-pss"
	// DigestSHA256 is the digest RSAPSS uses when its parameters name none.
	DigestSHA256 = nsEnc2001 + "sha256"
)

const (
	whyRSA    = "RSA PKCS#1 v1.5 with SHA-2 of 256 bits or more (W3C xmldsig-core1 §6.4.2; RFC 9231 §2.3.2); RGS B1: hash of 256 bits or more"
	whyECDSA  = "ECDSA with SHA-2 of 256 bits or more (W3C xmldsig-core1 §6.4.3; RFC 9231 §2.3.6)"
	whyPSS    = "RSASSA-PSS without parameters, SHA-2 of 256 bits or more (RFC 9231 §2.3.10): the signature scheme RGS B1 (annexe B) names recommended"
	whySHA2   = "SHA-2 of 256 bits or more (W3C xmldsig-core1 §6.2; RFC 9231 §2.1); RGS B1: hash of 256 bits or more"
	whySHA1   = "SHA-1: 160 bits, collisions computed (SHAttered, 2017); RGS B1 asks for 256 bits or more; xmldsig-core1 discourages it (§6.2.1, §6.4.2)"
	whyMD5    = "MD5: 128 bits, collisions found in seconds (RFC 6151; RFC 9231 §2.1.1, §2.3.1); refused by RGS B1"
	whySHA224 = "SHA-224: 224 bits, under RGS B1's 256 (RFC 9231 §2.1.2, §2.3.11)"
	whyRIPEMD = "RIPEMD-160: 160 bits, under RGS B1's 256 (RFC 9231 §2.3.5)"
	whyHMAC   = "HMAC: a secret shared with the verifier, not a signature the GAR can check with a published key (RFC 9231 §2.2)"
	whyDSA    = "DSA with SHA-1 (xmldsig-core1 §6.4.1): SHA-1"
)

// Algorithms is the policy: every algorithm URI it names, in the order of
// its tables. A URI it does not name is refused.
var Algorithms = []Algorithm{
	{nsMore2001 + "rsa-sha256", Signature, true, whyRSA},
	{nsMore2001 + "rsa-sha384", Signature, true, whyRSA},
	{nsMore2001 + "rsa-sha512", Signature, true, whyRSA},
	{nsMore2001 + "ecdsa-sha256", Signature, true, whyECDSA},
	{nsMore2001 + "ecdsa-sha384", Signature, true, whyECDSA},
	{nsMore2001 + "ecdsa-sha512", Signature, true, whyECDSA},
	{nsMore2007 + "sha256-rsa-MGF1", Signature, true, whyPSS},
	{nsMore2007 + "sha384-rsa-MGF1", Signature, true, whyPSS},
	{nsMore2007 + "sha512-rsa-MGF1", Signature, true, whyPSS},
	{RSAPSS, Signature, true, "RSASSA-PSS with parameters (RFC 9231 §2.3.9): accepted when every digest its parameters name is accepted (SHA-256 when they name none)"},
	{nsDSig + "rsa-sha1", Signature, false, whySHA1},
	{nsMore2001 + "ecdsa-sha1", Signature, false, whySHA1},
	{nsMore2007 + "sha1-rsa-MGF1", Signature, false, whySHA1},
	{nsDSig + "dsa-sha1", Signature, false, whyDSA},
	{nsDSig + "hmac-sha1", Signature, false, whyHMAC + "; " + whySHA1},
	{nsMore2001 + "hmac-sha256", Signature, false, whyHMAC},
	{nsMore2001 + "rsa-md5", Signature, false, whyMD5},
	{nsMore2007 + "md5-rsa-MGF1", Signature, false, whyMD5},
	{nsMore2001 + "rsa-sha224", Signature, false, whySHA224},
	{nsMore2001 + "ecdsa-sha224", Signature, false, whySHA224},
	{nsMore2007 + "sha224-rsa-MGF1", Signature, false, whySHA224},
	{nsMore2001 + "rsa-ripemd160", Signature, false, whyRIPEMD},

	{DigestSHA256, Digest, true, whySHA2},
	{nsMore2001 + "sha384", Digest, true, whySHA2},
	{nsEnc2001 + "sha512", Digest, true, whySHA2},
	{nsDSig + "sha1", Digest, false, whySHA1},
	{nsMore2001 + "md5", Digest, false, whyMD5},
	{nsMore2001 + "sha224", Digest, false, whySHA224},
	{nsEnc2001 + "ripemd160", Digest, false, whyRIPEMD},
}

var accepted = func() [2]map[string]bool {
	m := [2]map[string]bool{{}, {}}
	for _, a := range Algorithms {
		if a.Accepted {
			m[a.Kind][a.URI] = true
		}
	}
	return m
}()

// Lookup returns what the policy says of uri as an algorithm of kind k
// (false when it names no such algorithm: refused).
func Lookup(k Kind, uri string) (Algorithm, bool) {
	for _, a := range Algorithms {
		if a.Kind == k && a.URI == uri {
			return a, true
		}
	}
	return Algorithm{}, false
}

// SignatureURI says whether a SignatureMethod Algorithm URI is accepted,
// as written (XML Signature compares URIs as strings). RSAPSS is judged
// with its parameters (SignatureMethod).
func SignatureURI(uri string) bool { return accepted[Signature][uri] }

// DigestURI says whether a DigestMethod Algorithm URI is accepted, as
// written.
func DigestURI(uri string) bool { return accepted[Digest][uri] }

// AlgorithmOf is the Algorithm attribute of a ds:SignatureMethod or
// ds:DigestMethod element, exactly as written ("" when absent).
func AlgorithmOf(el *etree.Element) string {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == "Algorithm" {
			return a.Value
		}
	}
	return ""
}

// SignatureMethod says whether a ds:SignatureMethod element is accepted:
// its Algorithm, and for RSASSA-PSS with parameters every ds:DigestMethod
// the parameters hold (RSAPSSParams and its MaskGenerationFunction).
func SignatureMethod(sm *etree.Element) bool {
	if !SignatureURI(AlgorithmOf(sm)) {
		return false
	}
	if AlgorithmOf(sm) != RSAPSS {
		return true
	}
	ok := true
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			if c.Tag == "DigestMethod" && c.NamespaceURI() == nsDSig && !DigestURI(AlgorithmOf(c)) {
				ok = false
			}
			walk(c)
		}
	}
	walk(sm)
	return ok
}

// DigestMethod says whether a ds:DigestMethod element is accepted.
func DigestMethod(dm *etree.Element) bool { return DigestURI(AlgorithmOf(dm)) }
