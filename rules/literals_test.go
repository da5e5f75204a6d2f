package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestRuleIDsOnlyInRules: a rule ID is written in rules/ only. Code
// elsewhere names a rule by its Go value (rules.PAGE001, rules.PAGE001.ID
// in a message), so that a renamed or removed rule fails to compile
// instead of leaving a message pointing nowhere. Every string literal of
// the non-test Go files outside rules/ and fixtures/ is checked (comments
// may name rules).
func TestRuleIDsOnlyInRules(t *testing.T) {
	idRe := ruleIDPattern()
	root := ".."
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == ".":
				return nil
			case rel == "rules", rel == "fixtures", d.Name() == "testdata", d.Name() == "vendor", strings.HasPrefix(d.Name(), "."):
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				s = lit.Value
			}
			if id := idRe.FindString(s); id != "" {
				p := fset.Position(lit.Pos())
				t.Errorf("%s:%d: string literal names %s: use rules.%s.ID", rel, p.Line, id, strings.ReplaceAll(id, "-", ""))
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ruleIDPattern matches a rule ID of any area of the catalogue
// (\b(DOSSIER|SAML|…)-[0-9]{3}\b).
func ruleIDPattern() *regexp.Regexp {
	seen := map[string]bool{}
	var prefixes []string
	for _, r := range All() {
		p := r.ID[:strings.LastIndex(r.ID, "-")]
		if !seen[p] {
			seen[p] = true
			prefixes = append(prefixes, regexp.QuoteMeta(p))
		}
	}
	sort.Strings(prefixes)
	return regexp.MustCompile(`\b(` + strings.Join(prefixes, "|") + `)-[0-9]{3}\b`)
}
