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
		{ID("abc"), ID("abc")},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if ID("abc") == ID("abd") || len(ID("abc")) != 11 || ID("abc") == "abc" {
		t.Errorf("ID must be a stable 10-hex hash, got %q", ID("abc"))
	}
}
