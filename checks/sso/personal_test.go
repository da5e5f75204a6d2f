package sso

import (
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestPersonalAttributeNames: personal data is recognised however the IdP
// names it: LDAP, eduPerson and SCHAC names and OIDs, Microsoft claim URIs
// (AD FS, Entra ID), vendor names (Okta, OneLogin, Google, Auth0), prefixed
// names (evilcorp.givenname) and the ENT's. Group, role, affiliation and
// technical attributes are not personal data by their name.
func TestPersonalAttributeNames(t *testing.T) {
	for name, want := range map[string]kind{
		"User.email":                        kindMail,
		"User.FirstName":                    kindGivenName,
		"User.LastName":                     kindName,
		"mail":                              kindMail,
		"Email":                             kindMail,
		"urn:oid:0.9.2342.19200300.100.1.3": kindMail,
		"0.9.2342.19200300.100.1.3":         kindMail,
		"urn:mace:dir:attribute-def:mail":   kindMail,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": kindMail,
		"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress":             kindMail,
		"userEmail":        kindMail,
		"primaryEmail":     kindMail,
		"givenName":        kindGivenName,
		"firstName":        kindGivenName,
		"given_name":       kindGivenName,
		"urn:oid:2.5.4.42": kindGivenName,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": kindGivenName,
		"evilcorp.givenname":  kindGivenName,
		"sn":                  kindName,
		"evilcorp.sn":         kindName,
		"family_name":         kindName,
		"urn:oid:2.5.4.4":     kindName,
		"ENTPersonNom":        kindName,
		"displayName":         kindFullName,
		"cn":                  kindFullName,
		"evil-corp.real.name": kindFullName,
		"http://schemas.microsoft.com/identity/claims/displayname":          kindFullName,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name":        kindFullName,
		"urn:oid:2.16.840.1.113730.3.1.241":                                 kindFullName,
		"urn:oid:1.3.6.1.4.1.25178.1.2.3":                                   kindBirth,
		"urn:oid:1.3.6.1.4.1.25178.1.0.2.3":                                 kindBirth,
		"schacDateOfBirth":                                                  kindBirth,
		"birthdate":                                                         kindBirth,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/dateofbirth": kindBirth,
		"ENTPersonDateNaissance":                                            kindBirth,
		"mobilePhone":                                                       kindPhone,
		"telephoneNumber":                                                   kindPhone,
		"phone_number":                                                      kindPhone,
		"urn:oid:0.9.2342.19200300.100.1.41":                                kindPhone,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/streetaddress": kindAddress,
		"uid":                    kindLogin,
		"login":                  kindLogin,
		"eduPersonPrincipalName": kindLogin,
		"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":                  kindLogin,
		"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname": kindLogin,
		"http://schemas.microsoft.com/identity/claims/objectidentifier":              kindPersonID,
		"PersonImmutableID":                 kindPersonID,
		"urn:oid:1.3.6.1.4.1.5923.1.1.1.10": kindPersonID,
		"http://schemas.auth0.com/picture":  kindPhoto,
		"http://schemas.auth0.com/nickname": kindNickname,
		"urn:oid:1.3.6.1.4.1.25178.1.2.2":   kindSex,
		"gender":                            kindSex,
		"ENTEleveINE":                       kindINE,
		"ENTEleveClasses":                   kindClass,
		"supannCivilite":                    kindTitle,
	} {
		if got, ok := nameKind(name); !ok || got != want {
			t.Errorf("%q: %v %v, want %v", name, got, ok, want)
		}
	}
	for _, name := range []string{
		"group", "groups", "memberOf", "role", "eduPersonAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
		"http://schemas.microsoft.com/identity/claims/tenantid", "http://schemas.microsoft.com/identity/claims/identityprovider",
		"http://schemas.auth0.com/email_verified", "http://schemas.auth0.com/clientID", "locale", "GARPersonProfils",
		"urn:oid:1.3.6.1.4.1.25178.1.2.9", "organizationName", "",
	} {
		if got, ok := nameKind(name); ok {
			t.Errorf("%q: recognised as %v, want nothing", name, got)
		}
	}
}

// TestPersonalValues: an attribute whose name says nothing is personal
// data when its value is an e-mail address, a phone number or a person's
// name; identifiers, dates, groups and flags are not.
func TestPersonalValues(t *testing.T) {
	for v, want := range map[string]kind{
		"jane.doe@example.com":           kindMail,
		" vincent.vega@evil-corp.com \n": kindMail,
		"+33 6 12 34 56 78":              kindPhone,
		"06 12 34 56 78":                 kindPhone,
		"0612345678":                     kindPhone,
		"(555) 555-5555":                 kindPhone,
		"+1-202-555-0173":                kindPhone,
		"Jean Dupont":                    kindFullName,
		"DUPONT Jean":                    kindFullName,
		"Jane Doe":                       kindFullName,
		"Marie-Claire LE GALL":           kindFullName,
	} {
		if got, ok := valueKind(v); !ok || got != want {
			t.Errorf("%q: %v %v, want %v", v, got, ok, want)
		}
	}
	for _, v := range []string{
		"Domain Users", "red,green,blue", "users", "admin", "true", "en", "2017-08-30", "2017-08-30T23:14:41Z",
		"117637692321743777825", "123456789012", "ENTFICTIF1", "0861001W", "e49cd7458cdff943", "google-oauth2",
		"National_elv", "Sales Team", "First", "Kinder", "",
	} {
		if got, ok := valueKind(v); ok {
			t.Errorf("%q: recognised as %v, want nothing", v, got)
		}
	}
}

// TestMinimisationVendorShapes: SSO-013 fails on personal data under
// vendor names and in values, never quotes a value, and ignores attributes
// that carry no value (Google Workspace sends phone, address and jobTitle
// empty).
func TestMinimisationVendorShapes(t *testing.T) {
	good := goodResponse(t)
	with := func(attrs string) map[string][]result.Finding {
		x := strings.Replace(good, "</saml:AttributeStatement>", attrs+"</saml:AttributeStatement>", 1)
		if x == good {
			t.Fatal("no AttributeStatement in the fixture")
		}
		return checkXML(t, x)
	}
	attr := func(name, value string) string {
		v := ""
		if value != "-" {
			v = `<saml:AttributeValue>` + value + `</saml:AttributeValue>`
		}
		return `<saml:Attribute Name="` + name + `">` + v + `</saml:Attribute>`
	}
	for _, c := range []struct {
		name, attrs string
		want        result.Status
		says        []string
		hidden      []string
	}{
		{"OneLogin", attr("User.email", "eleve.fictif@ent.fictif.example") + attr("User.FirstName", "Camille") + attr("memberOf", "-") + attr("PersonImmutableID", "-"),
			result.Fail, []string{"User.email (e-mail)", "User.FirstName (first name)"}, []string{"eleve.fictif", "Camille", "memberOf", "PersonImmutableID"}},
		{"Entra ID", attr("http://schemas.microsoft.com/identity/claims/objectidentifier", "6f1c2a0e-1b7a-4bd2-9e55-0c1f2a3b4c5d") + attr("http://schemas.microsoft.com/identity/claims/tenantid", "8a7b6c5d-0000-4000-8000-000000000000"),
			result.Fail, []string{"objectidentifier (personal identifier)"}, []string{"6f1c2a0e"}},
		{"AD FS", attr("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "Fictif"),
			result.Fail, []string{"claims/surname (name)"}, []string{"Fictif"}},
		{"value is an e-mail address", attr("evil-corp.egroupid", "prenom.nom@ent.fictif.example"),
			result.Fail, []string{"evil-corp.egroupid (its value is an e-mail address)"}, []string{"prenom.nom"}},
		{"value is a phone number", attr("contact", "+33 6 12 34 56 78"),
			result.Fail, []string{"contact (its value is a phone number)"}, []string{"12 34"}},
		{"value is a person's name", attr("label", "Camille DURAND"),
			result.Fail, []string{"label (its value is a person's name)"}, []string{"DURAND"}},
		{"empty personal attributes (Google Workspace)", attr("phone", "-") + attr("address", "-") + attr("jobTitle", ""),
			result.Pass, nil, nil},
		{"group only", attr("group", "red"),
			result.Warn, []string{"to be justified: group"}, []string{"red"}},
	} {
		fs := with(c.attrs)
		if status(fs, "SSO-013") != c.want {
			t.Errorf("%s: SSO-013 %v, want %s", c.name, fs["SSO-013"], c.want)
			continue
		}
		f := fs["SSO-013"][0]
		for _, s := range c.says {
			if !strings.Contains(f.MessageEN, s) {
				t.Errorf("%s: %q does not say %q", c.name, f.MessageEN, s)
			}
		}
		for _, s := range c.hidden {
			if strings.Contains(f.Message+f.MessageEN, s) {
				t.Errorf("%s: the finding shows %q: %q", c.name, s, f.Message)
			}
		}
	}
}
