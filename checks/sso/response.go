package sso

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
	"github.com/russellhaering/goxmldsig/etreeutils"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
)

// Namespaces and identifiers (OASIS SAML 2.0, W3C XML Signature).
const (
	nsSAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
	nsSAML  = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsDS    = "http://www.w3.org/2000/09/xmldsig#"
	bearer  = "urn:oasis:names:tc:SAML:2.0:cm:bearer"
)

// responseLimits bound a decoded SAMLResponse: a login response is a few
// kilobytes.
var responseLimits = xmlsafe.Limits{MaxDepth: 64, MaxTokens: 100_000}

// maxResponseBytes bounds one decoded response.
const maxResponseBytes = 1 << 20

// response is one parsed SAML response and what the signature rules
// concluded about it.
type response struct {
	where, whereEN string
	// locator is the Posted's Locator (the evidence excerpt).
	locator      string
	at           time.Time // posted (capture), zero when unknown
	root         *etree.Element
	issueInstant time.Time

	// Structure (SSO-003).
	wrapping []problem
	// sigs are the ds:Signature elements of the document.
	sigs []*etree.Element

	// encrypted: the response carries an EncryptedAssertion.
	encrypted bool
	// assertion is the assertion read by the other rules: the verified
	// copy when a signature covering it verified, else the one of the
	// document (nil when there is none).
	assertion *etree.Element
	// verified says which signature verified: "response", "assertion",
	// "" when none did.
	verified string
	// verifiedBy is the metadata certificate whose key verified it (nil
	// when none did).
	verifiedBy *x509.Certificate
	// sigErr is why verification failed (nil when it succeeded or there
	// was nothing to verify).
	sigErr error
	// idp is the identity provider of the metadata that issued the
	// response (nil without metadata, or when none of an aggregate's is
	// its Issuer).
	idp *samlmeta.IdP
	// foreign is the key a failed signature names in its KeyInfo when no
	// metadata key is that key (nil otherwise).
	foreign *foreign
}

// problem is a finding's message in French and English.
type problem struct{ fr, en string }

// parseResponse decodes and parses one posted response. It returns
// (nil, nil) for a SAML message that is not a Response (a LogoutResponse
// posted as SAMLResponse).
func parseResponse(source string, p Posted) (*response, error) {
	if len(p.Encoded) > maxResponseBytes/3*4+4096 || len(p.XML) > maxResponseBytes {
		return nil, &input.Error{Source: source, Err: input.ErrTooLarge.With(p.WhereEN+": SAMLResponse over 1 MiB", p.Where+" : SAMLResponse de plus de 1 Mio")}
	}
	data, err := p.Decode()
	if err != nil {
		return nil, &input.Error{Source: source, Err: input.Wrap(err, p.WhereEN, p.Where)}
	}
	if len(data) > maxResponseBytes {
		return nil, &input.Error{Source: source, Err: input.ErrTooLarge.With(p.WhereEN+": decoded SAMLResponse over 1 MiB", p.Where+" : SAMLResponse décodée de plus de 1 Mio")}
	}
	label := source + " (" + p.WhereEN + ")"
	doc, _, err := xmlsafe.Parse(label, data, responseLimits)
	if err != nil {
		var ie *input.Error
		if errors.As(err, &ie) {
			return nil, &input.Error{Source: source, Err: input.Wrap(ie.Err, p.WhereEN+": decoded SAMLResponse", p.Where+" : SAMLResponse décodée")}
		}
		return nil, &input.Error{Source: source, Err: input.Wrap(err, p.WhereEN+": decoded SAMLResponse", p.Where+" : SAMLResponse décodée")}
	}
	root := doc.Root()
	if root == nil {
		return nil, &input.Error{Source: source, Err: input.Problemf(p.WhereEN+": empty SAMLResponse", p.Where+" : SAMLResponse vide")}
	}
	if !is(root, nsSAMLP, "Response") {
		return nil, nil
	}
	r := &response{where: p.Where, whereEN: p.WhereEN, locator: p.Locator, at: p.At, root: root}
	r.issueInstant, _ = parseTime(attrOf(root, "IssueInstant"))
	r.structure()
	return r, nil
}

// structure looks for signature wrapping: one assertion, direct child of
// the response; unique IDs; every signature a direct child of the element
// it references, that element being the response or its assertion.
//
// An assertion inside the saml:Advice of the response's assertion
// (saml-core-2.0-os §2.6.1: evidence the issuer relied on, such as the
// assertion of an upstream IdP that a proxy passes on) is not the
// response's assertion: it is neither counted nor read as the subject, and
// its own signature is not one of the response's. The whole Advice lies
// inside the response's assertion, so its signature covers it.
func (r *response) structure() {
	advice := adviceOf(r.root)
	outside := func(ns, local string) []*etree.Element {
		return descendantsOutside(r.root, ns, local, advice)
	}
	all := outside(nsSAML, "Assertion")
	direct := children(r.root, nsSAML, "Assertion")
	enc := outside(nsSAML, "EncryptedAssertion")
	r.encrypted = len(enc) > 0
	if n := len(all) + len(enc); n > 1 {
		r.wrapping = append(r.wrapping, problem{
			fmt.Sprintf("%d assertions dans la réponse : une seule est admise", n),
			fmt.Sprintf("%d assertions in the response: exactly one is allowed", n)})
	}
	if len(all) > 0 && len(direct) == 0 {
		r.wrapping = append(r.wrapping, problem{
			"l'assertion n'est pas un enfant direct de la réponse",
			"the assertion is not a direct child of the response"})
	}
	if len(direct) > 0 {
		r.assertion = direct[0]
	}
	if r.assertion != nil && child(r.root, nsDS, "Signature") == nil && child(r.assertion, nsDS, "Signature") == nil {
		// The attacker's move: the signed assertion hidden in the
		// Advice of an unsigned one, which is the one read.
		for adv := range advice {
			if len(descendants(adv, nsDS, "Signature")) > 0 {
				r.wrapping = append(r.wrapping, problem{
					"seule une assertion placée dans l'Advice de l'assertion est signée : l'assertion de la réponse, elle, n'est couverte par aucune signature",
					"only an assertion inside the assertion's Advice is signed: the response's assertion itself is covered by no signature"})
				break
			}
		}
	}
	ids := map[string]int{}
	var walk func(*etree.Element)
	walk = func(e *etree.Element) {
		for _, a := range e.Attr {
			if a.Key == "ID" || a.Key == "AssertionID" || (a.Key == "Id" && a.Space == "") {
				ids[a.Value]++
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(r.root)
	for id, n := range ids {
		if n > 1 {
			r.wrapping = append(r.wrapping, problem{
				fmt.Sprintf("l'ID « %s » est porté par %d éléments", clip(id), n),
				fmt.Sprintf("ID %q is held by %d elements", clip(id), n)})
		}
	}
	r.sigs = outside(nsDS, "Signature")
	for _, s := range r.sigs {
		parent := s.Parent()
		if parent != r.root && parent != r.assertion {
			r.wrapping = append(r.wrapping, problem{
				"une signature est placée ailleurs que sous la réponse ou son assertion",
				"a signature stands elsewhere than under the response or its assertion"})
			continue
		}
		refs := descendants(s, nsDS, "Reference")
		if len(refs) != 1 {
			r.wrapping = append(r.wrapping, problem{
				fmt.Sprintf("une signature porte %d références : une seule, vers l'élément signé, est admise", len(refs)),
				fmt.Sprintf("a signature has %d references: exactly one, to the signed element, is allowed", len(refs))})
			continue
		}
		uri := attrOf(refs[0], "URI")
		// An empty URI is the whole document (W3C XML Signature
		// §4.4.3.2): on the response's own signature it is the response
		// itself, as OpenSAML accepts for the document element
		// (saml.oktadev.com signs so).
		if id := attrOf(parent, "ID"); uri != "#"+id && !(uri == "" && parent == r.root) {
			r.wrapping = append(r.wrapping, problem{
				fmt.Sprintf("la signature de %s référence « %s » et non l'élément qui la porte (#%s)", parent.Tag, clip(uri), clip(id)),
				fmt.Sprintf("the signature of %s references %q, not the element holding it (#%s)", parent.Tag, clip(uri), clip(id))})
		}
	}
}

// verify checks the signatures of the response and of its assertion with
// keys (the metadata's signing keys) at the exchange's time, and sets the
// assertion the other rules read: the verified copy.
func (r *response) verify(keys []*x509.Certificate, now time.Time) {
	respSig := child(r.root, nsDS, "Signature")
	var asSig *etree.Element
	if r.assertion != nil {
		asSig = child(r.assertion, nsDS, "Signature")
	}
	if respSig == nil && asSig == nil {
		return
	}
	fail := func(sig *etree.Element, err error) {
		r.sigErr = err
		r.foreign = foreignKey(sig, keys)
	}
	if asSig != nil {
		if v, k, err := validate(r.assertion, keys, now); err == nil {
			r.assertion, r.verified, r.verifiedBy = v, "assertion", k
		} else {
			fail(asSig, err)
		}
	}
	if respSig != nil {
		if v, k, err := validate(r.root, keys, now); err == nil {
			if r.verified == "" {
				// The assertion read is the one inside the verified
				// response (a decrypted one is covered through its
				// ciphertext).
				if as := child(v, nsSAML, "Assertion"); as != nil {
					r.assertion = as
				}
				r.verified, r.verifiedBy = "response", k
			}
		} else if r.sigErr == nil || r.verified == "" {
			fail(respSig, err)
		}
	}
	if r.verified != "" && asSig != nil && respSig != nil && r.sigErr != nil {
		// One of two signatures failed: that is a failure too.
		r.verified, r.verifiedBy = "", nil
	}
}

// validate verifies el's enveloped signature with the metadata's signing
// keys, and with them only: the trust SAML service providers place in an
// IdP's metadata is in its keys (Shibboleth's and SimpleSAMLphp's explicit
// key trust, crewjam/saml). So:
//
//   - el is verified detached with the namespaces it inherits (an
//     assertion written with the saml: prefix its response declares, as
//     SimpleSAMLphp does), as crewjam/saml does (etreeutils.NSDetatch);
//   - the signature's KeyInfo is set aside: goxmldsig would otherwise
//     require an X509Certificate in it (PingFederate sends none by default,
//     some IdPs send a bare ds:RSAKeyValue) and trust that certificate only
//     if it is byte for byte a metadata certificate. KeyInfo lies outside
//     SignedInfo and the enveloped-signature transform removes the whole
//     signature before the digest, so setting it aside changes nothing the
//     signature covers; what the response itself carries is never trusted
//     (and the signature value, base64 where whitespace is allowed, is
//     read without its line breaks and indentation);
//   - each key is handed to goxmldsig without its certificate's dates:
//     goxmldsig checks them against its clock, and a certificate's dates
//     are not the signature's validity (key-based trust ignores them; the
//     saml area's SAML-005 reports an expired certificate).
//
// It returns the verified copy of el and the metadata certificate whose key
// verified it.
func validate(el *etree.Element, keys []*x509.Certificate, now time.Time) (*etree.Element, *x509.Certificate, error) {
	if len(keys) == 0 {
		return nil, nil, errNoSigningKey
	}
	ctx, err := etreeutils.NSBuildParentContext(el)
	if err != nil {
		return nil, nil, err
	}
	detached, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range children(detached, nsDS, "Signature") {
		for _, ki := range children(s, nsDS, "KeyInfo") {
			s.RemoveChild(ki)
		}
		// SignatureValue is base64Binary, where whitespace is allowed
		// (XML Schema 2 §3.2.16: line breaks, indentation, &#13;); goxmldsig
		// decodes it strictly. It lies outside SignedInfo.
		for _, sv := range children(s, nsDS, "SignatureValue") {
			sv.SetText(strings.Join(strings.Fields(textOf(sv)), ""))
		}
	}
	var first error
	for _, k := range keys {
		vc := dsig.NewDefaultValidationContext(&dsig.MemoryX509CertificateStore{Roots: []*x509.Certificate{keyOnly(k)}})
		vc.Clock = dsig.NewFakeClockAt(now)
		v, err := vc.Validate(detached)
		if err == nil {
			return v, k, nil
		}
		if first == nil {
			first = err
		}
	}
	return nil, nil, explainSignature(el, keys, first)
}

// keyOnly is the certificate c reduced to its public key, valid at any
// date, for goxmldsig's certificate store: the signature is verified with
// the key; the certificate's dates are SAML-005's business.
func keyOnly(c *x509.Certificate) *x509.Certificate { return samlmeta.KeyOnlyCert(c.PublicKey) }

// foreign is a key the response's signature names in its KeyInfo and that
// none of the metadata's keys is: a certificate or a bare RSA key that only
// the response carries.
type foreign struct {
	subject string // the certificate's subject, "" for a bare key
	sha256  string // the certificate's SHA-256 fingerprint, "" for a bare key
}

// certName names a certificate as the saml area does, by its common name
// ("CN=ent.fictif.example"), else its organisation; an e-mail address in it
// is masked (a certificate's subject may name a person).
func certName(c *x509.Certificate) string {
	label, name := "CN=", c.Subject.CommonName
	if name == "" && len(c.Subject.Organization) > 0 {
		label, name = "O=", c.Subject.Organization[0]
	}
	if strings.Contains(name, "@") {
		name = mask.Of(name, "mail").String()
	}
	return clip(label + name)
}

// foreignKey returns the key sig's KeyInfo names when it is none of keys
// (compared by public key: a metadata certificate re-issued for the same
// key is the same key), nil when KeyInfo names a metadata key, names
// nothing or cannot be read.
func foreignKey(sig *etree.Element, keys []*x509.Certificate) *foreign {
	ki := child(sig, nsDS, "KeyInfo")
	if ki == nil {
		return nil
	}
	var pub crypto.PublicKey
	var f foreign
	if xs := descendants(ki, nsDS, "X509Certificate"); len(xs) > 0 {
		c, err := samlmeta.ParseCertificate(textOf(xs[0]))
		if err != nil {
			return nil
		}
		pub = c.PublicKey
		sum := sha256.Sum256(c.Raw)
		f.subject, f.sha256 = certName(c), hex.EncodeToString(sum[:8])
	} else if kv := descendants(ki, nsDS, "RSAKeyValue"); len(kv) > 0 {
		k, err := samlmeta.ParseRSAKeyValue(kv[0])
		if err != nil {
			return nil
		}
		pub = k
	} else {
		return nil
	}
	for _, k := range keys {
		if eq, ok := k.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && eq.Equal(pub) {
			return nil
		}
	}
	return &f
}

// adviceOf returns the saml:Advice elements of the response's assertions
// (direct children of the response): what lies inside them is evidence,
// not the response's assertion.
func adviceOf(root *etree.Element) map[*etree.Element]bool {
	m := map[*etree.Element]bool{}
	for _, as := range children(root, nsSAML, "Assertion") {
		for _, adv := range children(as, nsSAML, "Advice") {
			m[adv] = true
		}
	}
	return m
}

// descendantsOutside returns the elements {ns}local below e, in document
// order, leaving out the subtrees of skip.
func descendantsOutside(e *etree.Element, ns, local string, skip map[*etree.Element]bool) []*etree.Element {
	var out []*etree.Element
	var walk func(*etree.Element)
	walk = func(x *etree.Element) {
		for _, c := range x.ChildElements() {
			if skip[c] {
				continue
			}
			if is(c, ns, local) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(e)
	return out
}

// etree helpers.

func is(e *etree.Element, ns, local string) bool {
	return e != nil && e.Tag == local && e.NamespaceURI() == ns
}

func children(e *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	if e == nil {
		return nil
	}
	for _, c := range e.ChildElements() {
		if is(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

func child(e *etree.Element, ns, local string) *etree.Element {
	if cs := children(e, ns, local); len(cs) > 0 {
		return cs[0]
	}
	return nil
}

func descendants(e *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	if e == nil {
		return nil
	}
	var walk func(*etree.Element)
	walk = func(x *etree.Element) {
		for _, c := range x.ChildElements() {
			if is(c, ns, local) {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(e)
	return out
}

// textOf is an element's character data, all of it: a comment inside a
// value ("ed10<!---->24…") splits it in etree but not in the canonical
// form the signature covers, so reading only the first chunk would read
// something else than what was signed.
func textOf(e *etree.Element) string {
	if e == nil {
		return ""
	}
	var b strings.Builder
	for _, t := range e.Child {
		if cd, ok := t.(*etree.CharData); ok {
			b.WriteString(cd.Data)
		}
	}
	return strings.TrimSpace(b.String())
}

func attrOf(e *etree.Element, key string) string {
	if e == nil {
		return ""
	}
	for _, a := range e.Attr {
		if a.Key == key && a.Space == "" {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// clip bounds a value quoted in a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 60 {
		return string(r[:57]) + "…"
	}
	return s
}
