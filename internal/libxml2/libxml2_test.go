package libxml2

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
)

const testXSD = `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" xmlns:t="urn:t" elementFormDefault="qualified">
  <xs:element name="root">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="item" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence><xs:element name="id" type="xs:string"/><xs:element name="n" type="xs:int"/></xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
    <xs:key name="itemKey"><xs:selector xpath="t:item"/><xs:field xpath="t:id"/></xs:key>
  </xs:element>
</xs:schema>`

// need returns a compiled test schema, or skips when the machine has no
// libxml2 (CI sets SDETCHECK_REQUIRE_LIBXML2=1 to make that a failure).
func need(t testing.TB) *Schema {
	t.Helper()
	if _, err := Load(); err != nil {
		if os.Getenv("SDETCHECK_REQUIRE_LIBXML2") == "1" {
			t.Fatalf("libxml2 required: %v", err)
		}
		t.Skip(err)
	}
	s, err := ParseSchema("test.xsd", []byte(testXSD))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValidate(t *testing.T) {
	s := need(t)
	cases := []struct {
		name, doc string
		status    int
		issues    []Issue // Domain, Line and a message fragment
		frag      []string
	}{
		{"valid", `<root xmlns="urn:t"><item><id>a</id><n>1</n></item><item><id>b</id><n>2</n></item></root>`, 0, nil, nil},
		{"type", "<root xmlns=\"urn:t\">\n<item><id>a</id>\n<n>x</n></item></root>", 1,
			[]Issue{{Domain: DomainSchemasV, Line: 3}}, []string{"'x' is not a valid value"}},
		{"key", "<root xmlns=\"urn:t\">\n<item><id>a</id><n>1</n></item>\n<item><id>a</id><n>2</n></item>\n</root>", 1,
			[]Issue{{Domain: DomainSchemasV, Line: 3}}, []string{"Duplicate key-sequence"}},
		{"malformed", "<root xmlns=\"urn:t\">\n<item>\n</root>", 1,
			[]Issue{{Domain: DomainParser, Line: 3}}, []string{"mismatch"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep, err := s.Validate(context.Background(), strings.NewReader(c.doc), 10)
			if err != nil {
				t.Fatal(err)
			}
			if (rep.Status == 0) != (c.status == 0) {
				t.Fatalf("status %d, want %d (%+v)", rep.Status, c.status, rep)
			}
			if len(rep.Issues) < len(c.issues) || rep.Total < len(rep.Issues) {
				t.Fatalf("issues %+v, want at least %d", rep.Issues, len(c.issues))
			}
			for i, w := range c.issues {
				got := rep.Issues[i]
				if got.Domain != w.Domain || got.Line != w.Line || !strings.Contains(got.Message, c.frag[i]) {
					t.Errorf("issue %d = %+v, want domain %d line %d containing %q", i, got, w.Domain, w.Line, c.frag[i])
				}
			}
		})
	}
}

func TestValidateKeepsFirstIssues(t *testing.T) {
	s := need(t)
	var b strings.Builder
	b.WriteString(`<root xmlns="urn:t">`)
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, "<item><id>%d</id><n>x</n></item>\n", i)
	}
	b.WriteString(`</root>`)
	rep, err := s.Validate(context.Background(), strings.NewReader(b.String()), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Issues) != 5 || rep.Total != 50 {
		t.Fatalf("kept %d of %d issues, want 5 of 50", len(rep.Issues), rep.Total)
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("disk on fire")
	}
	f.n--
	return copy(p, "<root xmlns=\"urn:t\">"), nil
}

func TestValidateReportsReadErrorsAndCancel(t *testing.T) {
	s := need(t)
	if _, err := s.Validate(context.Background(), &failingReader{n: 1}, 10); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v, want the reader's error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Validate(ctx, strings.NewReader(`<root xmlns="urn:t"/>`), 10); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The context is reusable after a failed run.
	rep, err := s.Validate(context.Background(), strings.NewReader(`<root xmlns="urn:t"><item><id>a</id><n>1</n></item></root>`), 10)
	if err != nil || rep.Status != 0 {
		t.Fatalf("after failures: %+v, %v", rep, err)
	}
}

// Each goroutine has its own Schema; libxml2 is used from several threads
// at once, as the GAR check does.
func TestValidateConcurrently(t *testing.T) {
	need(t)
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			s, err := ParseSchema("test.xsd", []byte(testXSD))
			if err != nil {
				errc <- err
				return
			}
			for i := 0; i < 50; i++ {
				doc := fmt.Sprintf("<root xmlns=\"urn:t\">\n<item><id>a</id><n>%d</n></item>\n<item><id>a</id><n>1</n></item></root>", g)
				rep, err := s.Validate(context.Background(), strings.NewReader(doc), 3)
				if err != nil || rep.Total != 1 || rep.Issues[0].Line != 3 {
					errc <- fmt.Errorf("goroutine %d: %+v %v", g, rep, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

func TestParseSchemaError(t *testing.T) {
	need(t)
	if _, err := ParseSchema("bad.xsd", []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a" type="nope"/></xs:schema>`)); err == nil || !strings.Contains(err.Error(), "bad.xsd") {
		t.Fatalf("err = %v, want a parse error naming bad.xsd", err)
	}
}

func TestDotted(t *testing.T) {
	for in, want := range map[string]string{"20914": "2.9.14", "21302": "2.13.2", "x": "x"} {
		if got := dotted(in); got != want {
			t.Errorf("dotted(%q) = %q, want %q", in, got, want)
		}
	}
}

// A writer is never left waiting on a validation libxml2 gave up: after a
// fatal error in the first bytes, the rest of a large document is
// discarded.
func TestStartDiscardsAfterFatalError(t *testing.T) {
	s := need(t)
	w, wait, err := s.Start(10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("<root xmlns=\"urn:t\"><<<")); err != nil {
		t.Fatal(err)
	}
	chunk := []byte(strings.Repeat("<item><id>a</id><n>1</n></item>\n", 1<<10))
	for i := 0; i < 300; i++ { // about 10 MB, ten times the pipe's buffer
		if _, err := w.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	rep, err := wait()
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status == 0 || len(rep.Issues) == 0 || rep.Issues[0].Domain != DomainParser || rep.Issues[0].Line != 1 {
		t.Fatalf("report %+v, want a parser error on line 1", rep)
	}
}
