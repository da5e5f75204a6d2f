package yamlpos

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func TestLine(t *testing.T) {
	src := "a:\n  b: 1\n  c:\n    - x\n    - y: 2\nd: 3\n"
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path []string
		want int
	}{
		{nil, 1},
		{[]string{"a", "b"}, 2},
		{[]string{"a", "c", "1"}, 5},
		{[]string{"a", "c", "1", "y"}, 5},
		{[]string{"d"}, 6},
		{[]string{"a", "missing"}, 1},
		{[]string{"a", "c", "9"}, 3},
		{[]string{"a", "c", "-1"}, 3},
		{[]string{"a", "b", "deeper"}, 2},
	}
	for _, c := range cases {
		if got := Line(&root, c.path...); got != c.want {
			t.Errorf("Line(%v) = %d, want %d", c.path, got, c.want)
		}
	}
}
