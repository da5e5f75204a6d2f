package mask

import "testing"

func TestMask(t *testing.T) {
	cases := []struct{ got, want string }{
		{Name("Dupont Marie-Anne"), "D*** M***"},
		{Name("élodie  martin"), "É*** M***"},
		{Name(""), ""},
		{Date("2012-05-04"), "2012"},
		{Date("04/05/2012"), "2012"},
		{Date("garbage"), "****"},
		{Email("marie.dupont@ac-fictif.fr"), "***@ac-fictif.fr"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	p := NewPseudonymizer([32]byte{1})
	if p.ID("abc") == p.ID("abd") || len(p.ID("abc")) != 11 || p.ID("abc") == "abc" {
		t.Errorf("ID must be a stable 10-hex pseudonym, got %q", p.ID("abc"))
	}
}
