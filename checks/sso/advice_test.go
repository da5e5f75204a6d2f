package sso

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// signElement signs el (enveloped, exclusive c14n, RSA-SHA256) with kp, as
// an IdP signs its assertion, and returns the signed copy.
func signElement(t *testing.T, kp keyPair, el *etree.Element) *etree.Element {
	t.Helper()
	ctx, err := dsig.NewSigningContext(kp.key, [][]byte{kp.cert.Raw})
	if err != nil {
		t.Fatal(err)
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	if err := ctx.SetSignatureMethod(dsig.RSASHA256SignatureMethod); err != nil {
		t.Fatal(err)
	}
	signed, err := ctx.SignEnveloped(el)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestAdviceAssertion: an assertion inside the saml:Advice of the
// response's assertion (an IdP proxy passing on the upstream IdP's signed
// assertion, saml-core-2.0-os §2.6.1) is evidence, not the response's
// assertion: the response has exactly one assertion, the subject read is
// the outer one, the upstream signature is not one of the response's. An
// attacker who hides the signed assertion in the Advice of a forged one,
// or slips a forged one into the Advice of the signed one, is caught.
func TestAdviceAssertion(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	idp := newKeyPair(t, nil, "ent.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	upstream := newKeyPair(t, nil, "idp-amont.fictif.example", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	md := metadataWith(t, certInfo(idp.cert))
	const other = "ed1024a5fad64d71" // another pupil of the feed

	// base is the good response without any signature; its assertion
	// names the pupil real.
	base := func() (*etree.Document, *etree.Element, *etree.Element) {
		doc := etree.NewDocument()
		if err := doc.ReadFromString(goodResponse(t)); err != nil {
			t.Fatal(err)
		}
		root := doc.Root()
		as := root.SelectElement("Assertion")
		for _, e := range []*etree.Element{root, as} {
			for _, s := range e.SelectElements("Signature") {
				e.RemoveChild(s)
			}
		}
		return doc, root, as
	}
	setGARID := func(as *etree.Element, v string) {
		for _, e := range as.FindElements("./AttributeStatement/Attribute[@Name='GARPersonIdentifiant']/AttributeValue") {
			e.SetText(v)
		}
	}
	// withAdvice puts inner in outer's Advice, after its Conditions.
	withAdvice := func(outer, inner *etree.Element) {
		adv := etree.NewElement("saml:Advice")
		adv.AddChild(inner)
		i := outer.SelectElement("Conditions").Index()
		outer.InsertChildAt(i+1, adv)
	}
	// upstreamOf is the assertion an upstream IdP issued for the pupil
	// id, signed with its own key.
	upstreamOf := func(as *etree.Element, id string) *etree.Element {
		u := as.Copy()
		u.CreateAttr("ID", "_amont-3f9a61c2")
		u.SelectElement("Issuer").SetText("https://idp-amont.fictif.example/idp")
		setGARID(u, id)
		return signElement(t, upstream, u)
	}
	write := func(doc *etree.Document) string {
		s, err := doc.WriteToString()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), "reponse.xml")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(p string) map[string][]result.Finding {
		o := full()
		o.SSOMetadata = md
		e := env(o)
		defer e.Cache.Close()
		return byRule(Check(e, p))
	}

	// A proxy: its signed assertion carries the upstream IdP's in its
	// Advice (the upstream one names another pupil: the subject read must
	// be the proxy's).
	doc, root, as := base()
	withAdvice(as, upstreamOf(as, other))
	root.RemoveChild(as)
	root.AddChild(signElement(t, idp, as))
	fs := run(write(doc))
	for _, rule := range []string{"SSO-001", "SSO-002", "SSO-003", "SSO-012"} {
		if status(fs, rule) != result.Pass {
			t.Errorf("proxy with an Advice assertion: %s %v, want pass", rule, fs[rule])
		}
	}
	if f := fs["SSO-001"]; len(f) == 1 && !strings.Contains(f[0].MessageEN, "the assertion's signature verifies") {
		t.Errorf("proxy: SSO-001 %q", f[0].MessageEN)
	}
	if f := fs["SSO-003"]; len(f) == 1 && strings.Contains(f[0].MessageEN, "assertions in the response") {
		t.Errorf("proxy: the Advice assertion is counted: %q", f[0].MessageEN)
	}

	// The same, response signed as well.
	doc, root, as = base()
	withAdvice(as, upstreamOf(as, other))
	root.RemoveChild(as)
	root.AddChild(signElement(t, idp, as))
	doc.SetRoot(signElement(t, idp, root))
	fs = run(write(doc))
	for _, rule := range []string{"SSO-001", "SSO-003", "SSO-012"} {
		if status(fs, rule) != result.Pass {
			t.Errorf("signed response, proxy assertion with Advice: %s %v, want pass", rule, fs[rule])
		}
	}

	// Attack: the signed assertion is moved into the Advice of a forged,
	// unsigned one naming another pupil.
	doc, root, as = base()
	signed := signElement(t, idp, as)
	root.RemoveChild(as)
	forged := as.Copy()
	forged.CreateAttr("ID", "_forge-0c1d")
	setGARID(forged, other)
	withAdvice(forged, signed)
	root.AddChild(forged)
	fs = run(write(doc))
	if status(fs, "SSO-001") != result.Fail || status(fs, "SSO-003") != result.Fail {
		t.Errorf("signed assertion hidden in a forged one's Advice: SSO-001 %v, SSO-003 %v, want both fail", fs["SSO-001"], fs["SSO-003"])
	}
	if f := fs["SSO-003"]; len(f) == 1 && !strings.Contains(f[0].MessageEN, "only an assertion inside the assertion's Advice is signed") {
		t.Errorf("SSO-003 does not say why: %q", f[0].MessageEN)
	}

	// Attack: a forged assertion slipped into the Advice of the signed
	// one after signing: the signature breaks.
	doc, root, as = base()
	signed = signElement(t, idp, as)
	root.RemoveChild(as)
	f := as.Copy()
	f.CreateAttr("ID", "_forge-77aa")
	setGARID(f, other)
	withAdvice(signed, f)
	root.AddChild(signed)
	fs = run(write(doc))
	if status(fs, "SSO-001") != result.Fail {
		t.Errorf("forged assertion slipped into the signed one's Advice: SSO-001 %v, want fail", fs["SSO-001"])
	}
}
