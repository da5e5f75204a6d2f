package libxml2

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestZZScratch(t *testing.T) {
	dir := os.Getenv("IDC_DIR")
	if dir == "" {
		t.Skip()
	}
	xsd, _ := os.ReadFile("../../checks/gar/schema/GAR-ENT-2D-v1.7.xsd")
	full, err := ParseSchema("f", xsd)
	if err != nil {
		t.Fatal(err)
	}
	nokey := regexp.MustCompile(`(?s)<key .*?</key>`).ReplaceAll(xsd, nil)
	nk, err := ParseSchema("n", nokey)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	for _, f := range files {
		for i, s := range []*Schema{full, nk} {
			fh, _ := os.Open(f)
			rep, err := s.Validate(context.Background(), fh, 100)
			fh.Close()
			var b strings.Builder
			fmt.Fprintf(&b, "== %s [%s] status=%d total=%d err=%v\n", filepath.Base(f), []string{"full", "nokey"}[i], rep.Status, rep.Total, err)
			for _, is := range rep.Issues {
				fmt.Fprintf(&b, "   %d:%d d%d c%d %s\n", is.Line, is.Column, is.Domain, is.Code, is.Message)
			}
			fmt.Print(b.String())
		}
	}
}
