package garfeed

import (
	"strings"
	"testing"
)

// TestSafeEntryName: the archive member names refused, and why. A name
// that would be written outside the extraction directory (absolute, a
// Windows drive or separator, a ".." element, even one that stays inside
// as "a/../b": GNU tar refuses those too) is refused; "./a.xml" (tar -C
// dir .) and names merely holding dots are not.
func TestSafeEntryName(t *testing.T) {
	for name, want := range map[string]string{
		"a.xml":                  "",
		"./a.xml":                "",
		"dir/a.xml":              "",
		"dir/":                   "",
		"./dir/./a.xml":          "",
		"a..b.xml":               "",
		"..a.xml":                "",
		"a/..b/c.xml":            "",
		"a/b../c.xml":            "",
		"...":                    "",
		"":                       "absolute path",
		"/etc/passwd":            "absolute path",
		"//server/share/a.xml":   "absolute path",
		`\a.xml`:                 "absolute path",
		`a\b.xml`:                "absolute path",
		`a\..\..\b.xml`:          "absolute path",
		"C:a.xml":                "absolute path",
		"C:/a.xml":               "absolute path",
		"..":                     "path traversal",
		"../a.xml":               "path traversal",
		"a/../../b":              "path traversal",
		"a/../b.xml":             "path traversal",
		"a/..":                   "path traversal",
		"./../a.xml":             "path traversal",
		"a/./../../b.xml":        "path traversal",
		"dir/../":                "path traversal",
		"a\x00.xml":              "NUL byte",
		"../a\x00.xml":           "path traversal",
		"/a\x00.xml":             "absolute path",
		strings.Repeat("a/", 50): "",
	} {
		err := safeEntryName(name)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", name, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want %q", name, err, want)
		}
	}
}
