package input

import "testing"

func TestFirstInvalidUTF8(t *testing.T) {
	for _, c := range []struct {
		data      string
		line, col int
	}{
		{"", 0, 0},
		{"héllo\nwörld\n", 0, 0},
		{"\xe9", 1, 1},
		{"ok\nà la ligne\nmis\xe9re\n", 3, 4},
		{"été\n\xff", 2, 1},
	} {
		if l, col := FirstInvalidUTF8([]byte(c.data)); l != c.line || col != c.col {
			t.Errorf("%q: %d:%d, want %d:%d", c.data, l, col, c.line, c.col)
		}
	}
}
