package sso

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// goodResponse is the decoded XML of a good fixture (signed response and
// assertion, issued by crewjam/saml).
func goodResponse(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(fixtures + "/sso/good-eleve.b64")
	if err != nil {
		t.Fatal(err)
	}
	x, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return string(x)
}

func checkXML(t *testing.T, x string) map[string][]result.Finding {
	t.Helper()
	p := filepath.Join(t.TempDir(), "reponse.xml")
	if err := os.WriteFile(p, []byte(x), 0o600); err != nil {
		t.Fatal(err)
	}
	return byRule(Check(env(full()), p))
}

func status(fs map[string][]result.Finding, rule string) result.Status {
	if len(fs[rule]) != 1 {
		return "none"
	}
	return fs[rule][0].Status
}

// Signature wrapping and tampering: whatever is moved or forged, the
// signature rules fail and the identity read is never the forged one.
func TestWrappingAndTampering(t *testing.T) {
	good := goodResponse(t)
	if fs := checkXML(t, good); status(fs, "SSO-001") != result.Pass || status(fs, "SSO-003") != result.Pass {
		t.Fatalf("the good response does not pass: %v %v", fs["SSO-001"], fs["SSO-003"])
	}
	const real, forgedID = "e49cd7458cdff943", "ed1024a5fad64d71" // two pupils of the feed
	edit := func(f func(root, assertion *etree.Element)) string {
		doc := etree.NewDocument()
		if err := doc.ReadFromString(good); err != nil {
			t.Fatal(err)
		}
		root := doc.Root()
		f(root, root.SelectElement("Assertion"))
		s, err := doc.WriteToString()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	setGARID := func(as *etree.Element, v string) {
		for _, e := range as.FindElements("//Attribute[@Name='GARPersonIdentifiant']/AttributeValue") {
			e.SetText(v)
		}
	}
	forged := func(signed *etree.Element) *etree.Element {
		f := signed.Copy()
		for _, s := range f.SelectElements("Signature") {
			f.RemoveChild(s)
		}
		setGARID(f, forgedID)
		return f
	}
	cases := []struct {
		name         string
		xml          string
		wrapping     bool // SSO-003 must fail
		signatureBad bool // SSO-001 must fail
	}{
		{"attribute changed after signing", edit(func(_, as *etree.Element) { setGARID(as, forgedID) }), false, true},
		{"forged assertion with the same ID, signed one in Extensions", edit(func(root, as *etree.Element) {
			for _, s := range root.SelectElements("Signature") {
				root.RemoveChild(s)
			}
			f := forged(as)
			root.RemoveChild(as)
			ext := etree.NewElement("samlp:Extensions")
			ext.AddChild(as)
			root.InsertChildAt(2, ext)
			root.AddChild(f)
		}), true, true},
		{"forged assertion after the signed one", edit(func(root, as *etree.Element) {
			for _, s := range root.SelectElements("Signature") {
				root.RemoveChild(s)
			}
			f := forged(as)
			f.CreateAttr("ID", "_autre")
			root.AddChild(f)
		}), true, false},
		{"signed assertion nested in the forged one", edit(func(root, as *etree.Element) {
			for _, s := range root.SelectElements("Signature") {
				root.RemoveChild(s)
			}
			f := forged(as)
			f.CreateAttr("ID", "_autre")
			root.RemoveChild(as)
			f.AddChild(as)
			root.AddChild(f)
		}), true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := checkXML(t, c.xml)
			if c.wrapping && status(fs, "SSO-003") != result.Fail {
				t.Errorf("SSO-003 %s, want fail: %v", status(fs, "SSO-003"), fs["SSO-003"])
			}
			if c.signatureBad && status(fs, "SSO-001") != result.Fail {
				t.Errorf("SSO-001 %s, want fail: %v", status(fs, "SSO-001"), fs["SSO-001"])
			}
			for _, f := range fs["SSO-012"] {
				if f.Status == result.Pass && !c.wrapping && !c.signatureBad {
					t.Errorf("forged identity accepted")
				}
			}
		})
	}

	// A comment inside a signed value does not change the signature
	// (exclusive c14n drops comments): the whole value is read, not the
	// part before the comment.
	commented := strings.Replace(good, real+"</", real[:8]+"<!-- -->"+real[8:]+"</", 1)
	if commented == good {
		t.Fatal("GARPersonIdentifiant not found in the fixture")
	}
	fs := checkXML(t, commented)
	if status(fs, "SSO-001") != result.Pass || status(fs, "SSO-012") != result.Pass {
		t.Errorf("comment inside a value: SSO-001 %v, SSO-012 %v", fs["SSO-001"], fs["SSO-012"])
	}
}

// An assertion naming an establishment (UAI attribute): the person must be
// in the feed under it.
func TestFeedUAIConsistency(t *testing.T) {
	good := goodResponse(t)
	uai := func(v string) string {
		attr := `<saml:Attribute Name="UAI" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue>` + v + `</saml:AttributeValue></saml:Attribute>`
		x := strings.Replace(good, "</saml:AttributeStatement>", attr+"</saml:AttributeStatement>", 1)
		if x == good {
			t.Fatal("no AttributeStatement in the fixture")
		}
		return x
	}
	fs := checkXML(t, uai("0861001W"))
	if status(fs, "SSO-012") != result.Pass || status(fs, "SSO-013") != result.Pass {
		t.Errorf("consistent UAI: SSO-012 %v, SSO-013 %v", fs["SSO-012"], fs["SSO-013"])
	}
	fs = checkXML(t, uai("0999999Z"))
	if status(fs, "SSO-012") != result.Fail || !strings.Contains(fs["SSO-012"][0].Message, "0999999Z") {
		t.Errorf("foreign UAI: SSO-012 %v, want fail naming the UAI", fs["SSO-012"])
	}
}
