package mask

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Outside this package, a value is masked only through Of, which
// classifies it by the field it comes from: calling a masker directly
// (mask.Name, mask.Date, mask.Email, mask.Phone, a Pseudonymizer's ID)
// picks the masking by the caller's guess, which is how MAP-006 came to
// mask a birth date as the civilité it was compared with.
func TestMaskedOnlyThroughOf(t *testing.T) {
	direct := regexp.MustCompile(`\bmask\.(?:Name|Date|Email|Phone)\(|\.ID\(`)
	root := filepath.Join("..", "..")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "fixtures", "testdata", "mask":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(data), `"github.com/sdetcheck/sdetcheck/internal/mask"`) {
			return nil
		}
		for i, line := range strings.Split(string(data), "\n") {
			if direct.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d: masks directly, not through mask.Of (field-classified): %s", p, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
}
