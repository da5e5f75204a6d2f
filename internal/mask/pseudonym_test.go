package mask

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

func TestPseudonymizer(t *testing.T) {
	const ine = "123456789AB"
	key := func(material string) [32]byte {
		d := NewKeyDeriver()
		if err := d.Add(strings.NewReader(material)); err != nil {
			t.Fatal(err)
		}
		return d.Key()
	}
	a := NewPseudonymizer(key("export A")).ID(ine)
	h := sha256.Sum256([]byte(ine))
	if unkeyed := "#" + hex.EncodeToString(h[:])[:10]; a == unkeyed {
		t.Errorf("pseudonym %s equals the unkeyed hash", a)
	}
	if b := NewPseudonymizer(key("export A")).ID(ine); b != a {
		t.Errorf("same key: %s then %s", a, b)
	}
	if c := NewPseudonymizer(key("export B")).ID(ine); c == a {
		t.Errorf("other export, same pseudonym %s", c)
	}
	if len(a) != 11 || a[0] != '#' {
		t.Errorf("pseudonym %q: want # and 10 hex digits", a)
	}
	if NewPseudonymizer(key("x")).ID("") != "" {
		t.Error("empty identifier must stay empty")
	}
	// Only the first KeyPrefix bytes count.
	long := strings.Repeat("a", KeyPrefix)
	if key(long+"b") != key(long+"c") {
		t.Error("bytes beyond KeyPrefix changed the key")
	}
}
