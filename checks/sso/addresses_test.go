package sso

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestAddressesQuotedWithoutQuery: the Issuer, Destination, Recipient and
// Audience a finding quotes never carry their query string (docs/sso.md:
// an address of the capture may hold a token), and when an address differs
// from the expected one only by what is not shown (here the query string)
// the finding says so instead of showing two addresses that look the same.
func TestAddressesQuotedWithoutQuery(t *testing.T) {
	o := full()
	doc := etree.NewDocument()
	if err := doc.ReadFromString(goodResponse(t)); err != nil {
		t.Fatal(err)
	}
	root := doc.Root()
	root.SelectElement("Issuer").SetText("https://ent.fictif.example/idp?jeton=SECRET-ISSUER")
	root.CreateAttr("Destination", o.GARSPACS+"?session=SECRET-DEST")
	as := root.SelectElement("Assertion")
	as.SelectElement("Issuer").SetText("https://ent.fictif.example/idp?jeton=SECRET-ISSUER")
	for _, scd := range as.FindElements(".//SubjectConfirmationData") {
		scd.CreateAttr("Recipient", o.GARSPACS+"?session=SECRET-RCPT")
	}
	for _, au := range as.FindElements(".//Audience") {
		au.SetText(o.GARSPEntityID + "?x=SECRET-AUD")
	}
	x, err := doc.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	fs := checkXML(t, x)
	for _, list := range fs {
		for _, f := range list {
			for _, m := range []string{f.Message, f.MessageEN} {
				if strings.Contains(m, "SECRET") {
					t.Errorf("%s quotes a query string: %s", f.Rule, m)
				}
			}
		}
	}
	for _, rule := range []string{"SSO-004", "SSO-005", "SSO-006"} {
		if len(fs[rule]) != 1 || fs[rule][0].Status != result.Fail {
			t.Fatalf("%s: %+v", rule, fs[rule])
		}
		f := fs[rule][0]
		if !strings.Contains(f.Message, "?…") || !strings.Contains(f.Message, "ne diffèrent que par la chaîne de requête (non reproduite)") ||
			!strings.Contains(f.MessageEN, "differ only in the query string (not shown)") {
			t.Errorf("%s does not say what differs:\n%s\n%s", rule, f.Message, f.MessageEN)
		}
	}
}

// An assertion without AudienceRestriction is valid for any service: SSO-006
// fails whatever the GAR's entityID, even when it is not declared (node-saml's
// test response has none).
func TestAudienceMissingWithoutGARSP(t *testing.T) {
	e := env(checks.Options{SSOMetadata: fixtures + "/realworld/sso/node-saml-idp.xml"})
	defer e.Cache.Close()
	fs := byRule(Check(e, fixtures+"/realworld/sso/node-saml-both-signed.xml"))
	if status(fs, "SSO-006") != result.Fail || !strings.Contains(fs["SSO-006"][0].MessageEN, "no AudienceRestriction") {
		t.Errorf("no AudienceRestriction, no gar_sp: SSO-006 %v, want fail", fs["SSO-006"])
	}
	fs = byRule(Check(e, fixtures+"/realworld/sso/pingfederate-response-signed.b64"))
	if status(fs, "SSO-006") != result.NotEvaluated {
		t.Errorf("an audience, no gar_sp: SSO-006 %v, want not evaluated", fs["SSO-006"])
	}
}
