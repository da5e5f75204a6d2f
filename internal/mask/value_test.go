package mask

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// A Value prints masked by what its field holds, with every verb; a
// field that is not known is masked whole; a value compared across fields
// shows only what each of them would.
func TestValue(t *testing.T) {
	p := NewPseudonymizer([32]byte{7})
	cases := []struct {
		x    Value
		want string
	}{
		{Of("Dupont", "GARPersonNom"), "D***"},
		{Of("Dupont", "GAREleve/men:GARPersonNom"), "D***"},
		{Of("2012-10-21", "GARPersonDateNaissance"), "2012"},
		{Of("marie@ac-fictif.fr", "mail"), "***@ac-fictif.fr"},
		{Of("abc123", "GARPersonIdentifiant"), Hidden},
		{p.Of("abc123", "GARPersonIdentifiant"), p.ID("abc123")},
		{Of("0861001W", "GARPersonEtab"), "0861001W"},
		{Of("Dupont", "GARPersonEtab"), Hidden},
		{Of("Mme", "GARPersonCivilite"), "Mme"},
		{Of("Mlle", "GARPersonCivilite"), "Mlle"},
		{Of("Dupont", "GARPersonCivilite"), Hidden},
		{Of("National_ELV", "GARPersonProfil"), "National_ELV"},
		{Of("Dupont", "GARPersonProfil"), Hidden},
		{Of("3EME-A", "GARGroupeCode"), "3EME-A"},
		{Of("Dupont", "GARGroupeCode"), Hidden},
		{Of("1234567890A", "GARGroupeCode"), Hidden}, // an INE
		{Of("21/10/2012", "GARGroupeCode"), Hidden},  // a date
		{Of("Dupont", "GARGroupeLibelle"), Hidden},   // not classified
		{Of("anything", "unknownField"), Hidden},
		{Of("", "GARPersonNom"), ""},
		// Compared across fields: a birth date mapped to a civilité
		// stays a birth date; a surname mapped to a first name a name.
		{Of("2012-10-21", "GARPersonCivilite", "ENTPersonDateNaissance"), "2012"},
		{Of("Dupont", "GARPersonPrenom", "sn"), "D***"},
		{Of("Dupont", "GARPersonProfil", "sn"), "D***"},
		{Of("Mme", "GARPersonCivilite", "personalTitle"), "Mme"},
		{Of("0861001W", "GARPersonEtab", "ENTPersonStructRattach"), "0861001W"},
		{Of("National_ens", "GARPersonProfil", "ENTPersonFonctions"), "National_ens"},
		{Of("Dupont", "GARPersonEtab", "ENTPersonStructRattach"), Hidden},
		{Of("0861001W", "GARPersonEtab", "sn"), "0***"},
		{Of("0861001W", "GARPersonEtab", "ENTStructureNomCourant"), Hidden},
	}
	for i, c := range cases {
		for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%d"} {
			got := fmt.Sprintf(verb, c.x)
			want := c.want
			if verb == "%q" {
				want = fmt.Sprintf("%q", c.want)
			}
			if got != want {
				t.Errorf("case %d: Sprintf(%s) = %q, want %q", i, verb, got, want)
			}
		}
		if c.x.String() != c.want {
			t.Errorf("case %d: String() = %q, want %q", i, c.x.String(), c.want)
		}
		js, _ := json.Marshal(struct{ V Value }{c.x})
		if strings.Contains(string(js), c.x.v) && c.x.v != c.want {
			t.Errorf("case %d: JSON %s shows the value", i, js)
		}
	}
}
