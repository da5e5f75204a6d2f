package urlshow

import (
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"https://sp.gar.fictif.example/saml/SAML2/POST": "https://sp.gar.fictif.example/saml/SAML2/POST",
		"urn:fictif:idp": "urn:fictif:idp",
		"":               "",
		"https://ent.fictif.example/idp?token=secret":         "https://ent.fictif.example/idp?…",
		"https://ent.fictif.example/idp?":                     "https://ent.fictif.example/idp?…",
		"https://ent.fictif.example/idp#frag":                 "https://ent.fictif.example/idp#…",
		"https://ent.fictif.example/idp?a=1#f":                "https://ent.fictif.example/idp?…#…",
		"https://ent.fictif.example/idp#f?notaquery":          "https://ent.fictif.example/idp#…",
		"https://user:motdepasse@ent.fictif.example/idp":      "https://…@ent.fictif.example/idp",
		"https://user:p@ss@ent.fictif.example:8443/idp?x":     "https://…@ent.fictif.example:8443/idp?…",
		"https://accounts.google.com/o/saml2?idpid=C02dfl1r1": "https://accounts.google.com/o/saml2?…",
		"urn:fictif:idp?=token":                               "urn:fictif:idp?…",
		"https://ENT.fictif.example/a b/é":                    "https://ENT.fictif.example/a b/é",
		"https://ent.fictif.example/acs/user@example.org?x":   "https://ent.fictif.example/acs/user@example.org?…",
		"mailto:someone@example.org":                          "mailto:someone@example.org",
		"https://ent.fictif.example?session=1":                "https://ent.fictif.example?…",
	} {
		got := Quote(in)
		if got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
		for _, secret := range []string{"secret", "motdepasse", "C02dfl1r1", "token", "session"} {
			if strings.Contains(got, secret) {
				t.Errorf("Quote(%q) = %q shows %q", in, got, secret)
			}
		}
	}
}

func TestDiff(t *testing.T) {
	const acs = "https://sp.gar.fictif.example/saml/SAML2/POST"
	for _, c := range []struct{ a, b, fr, en string }{
		{acs, acs, "", ""},
		{acs + "?x=1", acs, "les deux adresses ne diffèrent que par la chaîne de requête (non reproduite)", "the two addresses differ only in the query string (not shown)"},
		{acs + "?x=1", acs + "?x=2", "les deux adresses ne diffèrent que par la chaîne de requête (non reproduite)", "the two addresses differ only in the query string (not shown)"},
		{acs + "#f", acs, "les deux adresses ne diffèrent que par le fragment (non reproduit)", "the two addresses differ only in the fragment (not shown)"},
		{"https://SP.gar.fictif.example/saml/SAML2/POST", acs, "les deux adresses ne diffèrent que par la casse du nom d'hôte", "the two addresses differ only in the case of the host name"},
		{"HTTPS://sp.gar.fictif.example/saml/SAML2/POST", acs, "les deux adresses ne diffèrent que par la casse du schéma", "the two addresses differ only in the case of the scheme"},
		{acs + "/", acs, "les deux adresses ne diffèrent que par une barre oblique finale", "the two addresses differ only in a trailing slash"},
		{"https://u:p@sp.gar.fictif.example/saml/SAML2/POST", acs, "les deux adresses ne diffèrent que par les informations d'utilisateur (non reproduites)", "the two addresses differ only in the user information (not shown)"},
		{"https://SP.gar.fictif.example/saml/SAML2/POST/?t=1", acs,
			"les deux adresses ne diffèrent que par la casse du nom d'hôte, une barre oblique finale et la chaîne de requête (non reproduite)",
			"the two addresses differ only in the case of the host name, a trailing slash and the query string (not shown)"},
		{"urn:fictif:idp?=x", "urn:fictif:idp", "les deux adresses ne diffèrent que par la chaîne de requête (non reproduite)", "the two addresses differ only in the query string (not shown)"},
		// Differences the quoted addresses show: nothing to add.
		{"https://sp.gar.fictif.example/saml/ancienne-adresse", acs, "", ""},
		{"https://autre.fictif.example/saml/SAML2/POST?x", acs, "", ""},
		{"http://sp.gar.fictif.example/saml/SAML2/POST", acs, "", ""},
		{"urn:fictif:idp", "urn:fictif:IDP", "", ""},
	} {
		fr, en := Diff(c.a, c.b)
		if fr != c.fr || en != c.en {
			t.Errorf("Diff(%q, %q) = %q / %q, want %q / %q", c.a, c.b, fr, en, c.fr, c.en)
		}
		if fr2, _ := Diff(c.b, c.a); fr2 != fr {
			t.Errorf("Diff not symmetric on %q, %q: %q / %q", c.a, c.b, fr, fr2)
		}
	}
}
