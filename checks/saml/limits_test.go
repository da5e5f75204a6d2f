package saml

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
)

// countsDoc is IdP metadata whose Extensions hold n copies of item, its
// root declaring rootNS namespaces.
func countsDoc(rootNS, n int, item string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"`)
	for i := 0; i < rootNS; i++ {
		fmt.Fprintf(&b, ` xmlns:p%d="urn:fictif:%d"`, i, i)
	}
	b.WriteString(` entityID="https://idp.ent-fictif.example/idp">` + "\n" +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` + "\n<md:Extensions><e xmlns=\"urn:x\">\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, item, i)
	}
	b.WriteString("</e></md:Extensions>\n" + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.ent-fictif.example/sso"/>` +
		"\n</md:IDPSSODescriptor>\n</md:EntityDescriptor>\n")
	return b.String()
}

// TestHugeCountsRefused: metadata under the size limit but with hundreds
// of thousands of elements, attributes or namespace declarations is
// refused by SAML-001 naming the file and line, before a tree is built (it
// took 9–22 s and 500–920 MB), with every other rule not evaluated.
func TestHugeCountsRefused(t *testing.T) {
	cases := []struct {
		name, item string
		n          int
		want       string
	}{
		{"elements", "<a/>%.0d", 400_000, "plus de 50000 éléments XML"},
		{"attributes", "<a b=\"%d\" c=\"1\" d=\"2\"/>\n", 120_000, "plus de 100000 attributs XML"},
		{"namespace declarations", "<a xmlns:q=\"urn:q:%d\"/>\n", 40_000, "plus de 10000 déclarations d'espace de noms XML"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "md.xml")
			if err := os.WriteFile(p, []byte(countsDoc(0, c.n, c.item)), 0o644); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			fs := Check(newEnv(checks.Options{}), p)
			runtime.ReadMemStats(&after)
			var f result.Finding
			for _, x := range fs {
				if x.Rule == rules.SAML001.ID {
					f = x
				}
			}
			if f.Status != result.Fail || !strings.Contains(f.Message, c.want) || len(f.Evidence) == 0 || f.Evidence[0].Line < 4 {
				t.Fatalf("SAML-001 = %+v, want a failure %q with its line", f, c.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 128<<20 {
				t.Errorf("%d MB allocated to refuse it: the pre-pass should refuse it before parsing", alloc>>20)
			}
		})
	}
}

// BenchmarkMetadataLimits audits the costliest metadata MetadataLimits
// accepts: 120 namespaces declared on the root (inherited everywhere),
// about 50,000 elements with 2 attributes each. Measured in docs/saml.md;
// the refused documents of TestHugeCountsRefused took 9–22 s and
// 500–920 MB before the bounds.
func BenchmarkMetadataLimits(b *testing.B) {
	lim := xmlsafe.MetadataLimits
	doc := countsDoc(120, lim.MaxElements-100, "<a b=\"%d\" c=\"2\"/>\n")
	p := filepath.Join(b.TempDir(), "md.xml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, f := range Check(newEnv(checks.Options{}), p) {
			if f.Rule == rules.SAML001.ID && f.Status != result.Pass {
				b.Fatalf("refused: %s", f.Message)
			}
		}
	}
}

// TestMalformedLine: malformed metadata is refused at the line of the
// error, not at the end of the file, and a file that is not truncated is
// not called truncated.
func TestMalformedLine(t *testing.T) {
	good := shibV4("https://idp.ent-fictif.example/idp", "<NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</NameIDFormat>")
	cases := []struct {
		name, from, to string
		line           int
		want           string
	}{
		{"comment left open", "<NameIDFormat>", "<!-- ancien format\n<NameIDFormat>", 4, "commentaire <!-- ouvert ligne 4"},
		{"element left open", "<NameIDFormat>urn", "<Extensions><NameIDFormat>urn", 6, "l'élément <Extensions> ouvert ligne 4"},
		{"cut", "</EntityDescriptor>\n", "</Entity", 7, "fichier tronqué"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(good, c.from, c.to, 1)
			fs := findings(t, doc, checks.Options{})[rules.SAML001.ID]
			if len(fs) != 1 || fs[0].Status != result.Fail || !strings.Contains(fs[0].Message, c.want) {
				t.Fatalf("SAML-001 = %+v, want a failure saying %q", fs, c.want)
			}
			if c.want != "fichier tronqué" && strings.Contains(fs[0].Message, "tronqué") {
				t.Errorf("%q: a complete file called truncated", fs[0].Message)
			}
			if len(fs[0].Evidence) == 0 || fs[0].Evidence[0].Line != c.line {
				t.Errorf("evidence %+v, want line %d", fs[0].Evidence, c.line)
			}
		})
	}
}
