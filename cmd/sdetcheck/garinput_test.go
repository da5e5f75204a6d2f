package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/gargen"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Unusual but well-formed GAR feed files, end to end through the CLI with
// each XSD engine.

const garEleve = "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml"

// spoiledGAR copies fixtures/gar/good into a temporary directory, rewrites
// its pupils' file with spoil and returns the directory.
func spoiledGAR(t *testing.T, spoil func(string) string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "gar")
	copyTree(t, filepath.Join(repoRoot, "fixtures/gar/good"), dir)
	p := filepath.Join(dir, garEleve)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(spoil(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// garJSON runs `check gar DIR` with an XSD engine and decodes the result;
// stderr is in English (--lang en), the machine-facing file:line: problem.
func garJSON(t *testing.T, dir, eng string, extra ...string) (*result.Result, string, int) {
	t.Helper()
	args := append([]string{"check", "gar", dir, "--format", "json", "--now", testNow, "--xsd-engine", eng, "--lang", "en"}, extra...)
	stdout, stderr, code := runCLI(t, args...)
	var res result.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("%v: exit %d, no JSON result (%v): %s", args, code, err, stderr)
	}
	return &res, stderr, code
}

// evidenceLines lists "RULE status file:line" for every finding that is
// not a pass.
func evidenceLines(res *result.Result) []string {
	var out []string
	for _, f := range res.Results {
		if f.Status == result.Pass || f.Status == result.Skip {
			continue
		}
		for _, e := range f.Evidence {
			out = append(out, fmt.Sprintf("%s %s %s:%d", f.Rule, f.Status, filepath.Base(e.Source), e.Line))
		}
	}
	sort.Strings(out)
	return out
}

// XML 1.0 §2.11: a lone CR, like CR LF, ends a line. Findings must name
// the same lines whatever the file's line endings, with either engine.
func TestGARLineEndings(t *testing.T) {
	spoil := func(s string) string {
		// Line 4: an invalid birth date (GAR-005); line 5: an unexpected
		// civilité (GAR-013).
		lines := strings.Split(s, "\n")
		lines[3] = strings.Replace(lines[3], "<men:GARPersonDateNaissance>2012-", "<men:GARPersonDateNaissance>x2012-", 1)
		lines[4] = strings.Replace(lines[4], "<men:GARPersonCivilite>M.<", "<men:GARPersonCivilite>Monsieur<", 1)
		return strings.Join(lines, "\n")
	}
	want := []string{
		"GAR-005 fail " + garEleve + ":4",
		"GAR-013 fail " + garEleve + ":5",
	}
	for _, eol := range []struct{ name, s string }{{"LF", "\n"}, {"CRLF", "\r\n"}, {"CR", "\r"}} {
		for _, eng := range []string{"libxml2", "go"} {
			t.Run(eol.name+" "+eng, func(t *testing.T) {
				dir := spoiledGAR(t, func(s string) string {
					return strings.ReplaceAll(spoil(s), "\n", eol.s)
				})
				res, stderr, _ := garJSON(t, dir, eng)
				if diff := cmp.Diff(want, evidenceLines(res)); diff != "" {
					t.Errorf("findings (-want +got):\n%s\nstderr: %s", diff, stderr)
				}
			})
		}
	}
}

// attrs returns n attributes a0="x" a1="x" ...
func attrs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` a%d="x"`, i)
	}
	return b.String()
}

// Many attributes on one element: the same verdict with either engine (the
// pure-Go engine has a limit of its own on attributes per element, libxml2
// a cost in their square: the scanner refuses more than 256), and the
// scanner's limit on a tag's length holds wherever the tag lies in the
// file.
func TestGARManyAttributes(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(string) string
		code  int
		want  []string // in stderr when code is 2, else the failing rules
	}{
		{"200 attributes", func(s string) string {
			return strings.Replace(s, "<men:GAREleve>", "<men:GAREleve"+attrs(200)+">", 1)
		}, 1, []string{"GAR-005 fail " + garEleve + ":3"}},
		// libxml2's cost grows with the square of an element's attributes
		// (9,300 on each of 1,000 elements, 80 MB: 17 s).
		{"5000 attributes", func(s string) string {
			return strings.Replace(s, "<men:GAREleve>", "<men:GAREleve"+attrs(5000)+">", 1)
		}, 2, []string{garEleve + ":3:", "element with more than 256 attributes"}},
		{"100 KiB tag", func(s string) string {
			return strings.Replace(s, "<men:GAREleve>", "<men:GAREleve"+attrs(11000)+">", 1)
		}, 2, []string{garEleve + ":3:", "tag longer than 64 KiB"}},
		{"100 KiB tag over many lines", func(s string) string {
			return strings.Replace(s, "<men:GAREleve>", "<men:GAREleve"+strings.ReplaceAll(attrs(11000), " ", "\n")+">", 1)
		}, 2, []string{garEleve + ":3:", "tag longer than 64 KiB"}},
		{"100 KiB tag in every record", func(s string) string {
			return strings.ReplaceAll(s, "<men:GAREleve>", "<men:GAREleve"+attrs(11000)+">")
		}, 2, []string{garEleve + ":3:", "tag longer than 64 KiB"}},
	}
	for _, c := range cases {
		for _, eng := range []string{"libxml2", "go"} {
			t.Run(c.name+" "+eng, func(t *testing.T) {
				res, stderr, code := garJSON(t, spoiledGAR(t, c.spoil), eng)
				if code != c.code {
					t.Fatalf("exit %d, want %d; stderr: %s", code, c.code, stderr)
				}
				if c.code == 2 {
					for _, w := range c.want {
						if !strings.Contains(stderr, w) {
							t.Errorf("stderr lacks %q: %s", w, stderr)
						}
					}
					return
				}
				got := slices.Compact(evidenceLines(res))
				for _, w := range c.want {
					if !slices.Contains(got, w) {
						t.Errorf("no finding %q in %q", w, got)
					}
				}
			})
		}
	}
}

// A run whose context is cancelled (SIGTERM, Ctrl-C) while the feed is
// read stops reading, with either engine, and never reports a verdict
// on what it did not read.
func TestGARCancelled(t *testing.T) {
	for _, eng := range []string{"libxml2", "go"} {
		t.Run("before "+eng, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, []string{"check", "gar", filepath.Join(repoRoot, "fixtures/gar/good"), "--format", "json", "--now", testNow, "--xsd-engine", eng}, &stdout, &stderr, false)
			if code != 2 || !strings.Contains(stderr.String(), "context canceled") {
				t.Errorf("exit %d, want 2 naming the cancellation; stderr: %s", code, stderr.String())
			}
		})
	}
	if testing.Short() {
		return
	}
	feed := t.TempDir()
	if _, err := gargen.Generate(gargen.Options{Pupils: 4000, Out: feed}); err != nil {
		t.Fatal(err)
	}
	for _, eng := range []string{"libxml2", "go"} {
		t.Run("during "+eng, func(t *testing.T) {
			// The context cancels itself at its tripAt-th check: the run
			// has begun reading the feed (each read of a file checks it)
			// and cannot have ended, whatever the machine's speed.
			ctx := newTripContext(tripAt)
			defer ctx.cancel()
			var stdout, stderr bytes.Buffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, []string{"check", "gar", feed, "--format", "json", "--now", testNow, "--xsd-engine", eng}, &stdout, &stderr, false)
			}()
			select {
			case <-ctx.Done():
			case code := <-done:
				t.Fatalf("the run ended (exit %d) after checking its context %d times, never %d: it does not check it while reading the feed, or the feed is too small to test it", code, ctx.checks.Load(), tripAt)
			}
			start := time.Now()
			select {
			case code := <-done:
				if code != 2 || !strings.Contains(stderr.String(), "context canceled") {
					t.Errorf("exit %d, want 2 naming the cancellation; stderr: %s", code, stderr.String())
				}
				// Reading the rest of the feed would take seconds; the
				// bound is loose so that a loaded machine does not fail it.
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("stopped %v after the cancellation", d)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("no answer 20 s after the cancellation")
			}
		})
	}
}

// tripAt is the check of its context at which a run cancels itself in
// TestGARCancelled: a handful of files begun, most of the feed unread.
const tripAt = 16

// tripContext is a context that cancels itself the n-th time its Err is
// called: the GAR feed's reader calls it before each file and at each
// read of a file, so the cancellation comes while the feed is read.
type tripContext struct {
	context.Context
	cancel context.CancelFunc
	n      int64
	checks atomic.Int64
}

func newTripContext(n int64) *tripContext {
	ctx, cancel := context.WithCancel(context.Background())
	return &tripContext{Context: ctx, cancel: cancel, n: n}
}

func (c *tripContext) Err() error {
	if c.checks.Add(1) == c.n {
		c.cancel()
	}
	return c.Context.Err()
}

// A long comment or processing instruction: libxml2 refuses those over
// 10 MB (XML_MAX_TEXT_LENGTH), the pure-Go engine has no such limit; the
// scanner refuses them over 1 MiB, like text values, for both engines.
// Likewise for long names.
func TestGARLongCommentPIOrName(t *testing.T) {
	cases := []struct{ name, insert, want string }{
		{"comment", "<!--" + strings.Repeat("é", 6<<20) + "-->", "comment longer than 1 MiB"},
		{"processing instruction", "<?pi " + strings.Repeat("x", 11<<20) + "?>", "processing instruction longer than 1 MiB"},
		// Refusals of long texts are named by the line where they start.
		{"text over many lines", "<men:GAREleve/>" + strings.Repeat(strings.Repeat(" ", 99)+"\n", 12000), "text value longer than 1 MiB"},
		{"CDATA over many lines", "<![CDATA[" + strings.Repeat(strings.Repeat("x", 99)+"\n", 12000) + "]]>", "text value longer than 1 MiB"},
		{"value split by comments over many lines", "<men:GAREleve><men:GARPersonIdentifiant>" + strings.Repeat(strings.Repeat("x", 99)+"\n<!---->", 12000) + "</men:GARPersonIdentifiant></men:GAREleve>", "text value longer than 1 MiB"},
		// libxml2 refuses names over 50,000 bytes, the pure-Go engine not.
		{"element name", "<men:" + strings.Repeat("N", 55000) + "/>", "name longer than 1 KiB"},
		{"attribute name", "<men:GAREleve " + strings.Repeat("N", 55000) + `="x"/>`, "name longer than 1 KiB"},
		{"processing instruction target", "<?" + strings.Repeat("N", 55000) + " x?>", "name longer than 1 KiB"},
	}
	for _, c := range cases {
		for _, eng := range []string{"libxml2", "go"} {
			t.Run(c.name+" "+eng, func(t *testing.T) {
				dir := spoiledGAR(t, func(s string) string {
					return strings.Replace(s, "<men:GAREleve>", c.insert+"<men:GAREleve>", 1)
				})
				_, stderr, code := garJSON(t, dir, eng)
				if code != 2 || !strings.Contains(stderr, garEleve+":3:") || !strings.Contains(stderr, c.want) {
					t.Errorf("exit %d, want 2 with %q at line 3; stderr: %s", code, c.want, stderr)
				}
			})
		}
	}
}

// An undeclared entity (&eacute; copied from HTML) makes the file not
// well-formed (XML 1.0 §4.1, WFC: Entity Declared): both engines say
// "malformed XML", in English and French, not that the validator failed.
func TestGARUndeclaredEntity(t *testing.T) {
	for _, eng := range []string{"libxml2", "go"} {
		t.Run(eng, func(t *testing.T) {
			dir := spoiledGAR(t, func(s string) string {
				return strings.Replace(s, "<men:GARPersonNom>Maquette<", "<men:GARPersonNom>Maqu&eacute;tte<", 1)
			})
			res, stderr, code := garJSON(t, dir, eng)
			if code != 2 || !strings.Contains(stderr, garEleve+":3:") || !strings.Contains(stderr, "malformed XML") || strings.Contains(stderr, "validat") {
				t.Errorf("exit %d, want 2 with malformed XML at line 3; stderr: %s", code, stderr)
			}
			for _, f := range res.Results {
				if f.Rule == "GAR-005" && !strings.Contains(f.Message, "XML mal formé : entité non déclarée") {
					t.Errorf("GAR-005 says %q", f.Message)
				}
			}
		})
	}
}

// What a feed directory holds besides its .xml files is not read: it is
// said (as for an archive's other members), never silently passed over. A
// pupils' file left in a subdirectory made a "conforme" feed.
func TestGARDirectoryEntriesNotRead(t *testing.T) {
	dir := spoiledGAR(t, func(s string) string { return s })
	os.Mkdir(filepath.Join(dir, "old"), 0o755)
	os.Rename(filepath.Join(dir, garEleve), filepath.Join(dir, "old", garEleve))
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(dir, ".DS_Store"), []byte("x"), 0o644) // hidden: no warning
	// macOS's AppleDouble companion of a feed file: hidden, not a feed
	// file although named *.xml (was read, and refused as malformed).
	os.WriteFile(filepath.Join(dir, "._"+garEleve), []byte{0, 5, 22, 7, 0, 2, 0, 0, 'M', 'a', 'c'}, 0o644)
	os.WriteFile(filepath.Join(dir, garEleve+".gz"), []byte("x"), 0o644)
	for _, eng := range []string{"libxml2", "go"} {
		t.Run(eng, func(t *testing.T) {
			res, stderr, code := garJSON(t, dir, eng)
			if code == 2 {
				t.Errorf("exit 2: %s", stderr)
			}
			if res.Verdict == result.Conforme {
				t.Errorf("verdict %s with entries not read; stderr: %s", res.Verdict, stderr)
			}
			var got []string
			for _, f := range res.Results {
				if f.Rule == "GAR-001" && f.Status == result.Warn {
					got = append(got, f.MessageEN)
				}
			}
			want := []string{
				"Entry not read in the feed directory: " + garEleve + ".gz.",
				"Entry not read in the feed directory: notes.txt.",
				"Entry not read in the feed directory: old/ (subdirectory).",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("GAR-001 warnings (-want +got):\n%s", diff)
			}
		})
	}
}

// Beside an archive, only its .md5 is expected.
func TestGARFilesBesideArchiveNotRead(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gar")
	copyTree(t, filepath.Join(repoRoot, "fixtures/gar/good-tar"), dir)
	os.WriteFile(filepath.Join(dir, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0001.xml"), []byte("<x/>"), 0o644)
	res, _, _ := garJSON(t, dir, "go")
	var got []string
	for _, f := range res.Results {
		if f.Rule == "GAR-001" {
			got = append(got, string(f.Status)+" "+f.MessageEN)
		}
	}
	want := []string{"warn Entry not read in the feed directory: ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0001.xml."}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GAR-001 (-want +got):\n%s", diff)
	}
}

// xsi:schemaLocation hints are not followed by either engine; the pure-Go
// engine keeps their namespace names, within limits of its own (256
// namespaces, 64 KiB) which made it refuse files libxml2 passed. The
// scanner bounds them with the file's other names, for both engines.
func TestGARSchemaLocationHints(t *testing.T) {
	const xsi = ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`
	hints := func(n, from int, long string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "urn:%s%d x.xsd ", long, from+i)
		}
		return b.String()
	}
	cases := []struct {
		name  string
		spoil func(string) string
		code  int
		want  string
	}{
		{"300 namespaces on the root", func(s string) string {
			return strings.Replace(s, `Version="1.7"`, `Version="1.7"`+xsi+` xsi:schemaLocation="`+hints(300, 0, "")+`"`, 1)
		}, 0, ""},
		{"40 long namespaces in each record", func(s string) string {
			n := 0
			return regexpReplace(s, "<men:GAREleve>", func() string {
				n++
				return `<men:GAREleve` + xsi + ` xsi:schemaLocation="` + hints(40, 40*n, strings.Repeat("n", 60)) + `">`
			})
		}, 0, ""},
		{"400 namespaces in each record", func(s string) string {
			n := 0
			return regexpReplace(s, "<men:GAREleve>", func() string {
				n++
				return `<men:GAREleve` + xsi + ` xsi:schemaLocation="` + hints(400, 400*n, "") + `">`
			})
		}, 2, "more than 10,000 distinct names"},
		{"a namespace name over 1 KiB", func(s string) string {
			return strings.Replace(s, `Version="1.7"`, `Version="1.7"`+xsi+` xsi:schemaLocation="`+hints(1, 0, strings.Repeat("n", 2000))+`"`, 1)
		}, 2, "name longer than 1 KiB"},
	}
	for _, c := range cases {
		for _, eng := range []string{"libxml2", "go"} {
			t.Run(c.name+" "+eng, func(t *testing.T) {
				res, stderr, code := garJSON(t, spoiledGAR(t, c.spoil), eng)
				if code != c.code || !strings.Contains(stderr, c.want) {
					t.Errorf("exit %d, want %d with %q; stderr: %s; findings %q", code, c.code, c.want, stderr, evidenceLines(res))
				}
			})
		}
	}
}

// regexpReplace replaces each occurrence of old in s by what next returns.
func regexpReplace(s, old string, next func() string) string {
	parts := strings.Split(s, old)
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(next())
		}
		b.WriteString(p)
	}
	return b.String()
}

// A file with more schema errors than are kept (100) and malformed XML
// after them is malformed, not merely invalid, with either engine: libxml2
// dropped the parser's error once its list was full.
func TestGARMalformedAfterManyErrors(t *testing.T) {
	for _, eng := range []string{"libxml2", "go"} {
		t.Run(eng, func(t *testing.T) {
			dir := spoiledGAR(t, func(s string) string {
				s = strings.Replace(s, "<men:GAREleve>", strings.Repeat("<men:GAREleve/>", 200)+"<men:GAREleve>", 1)
				return strings.Replace(s, "</men:GAR-ENT-Eleve>", "<men:GAREleve></men:GARx></men:GAR-ENT-Eleve>", 1)
			})
			_, stderr, code := garJSON(t, dir, eng)
			if code != 2 || !strings.Contains(stderr, garEleve+":243:") || !strings.Contains(stderr, "malformed XML") {
				t.Errorf("exit %d, want 2 with malformed XML at line 243; stderr: %s", code, stderr)
			}
		})
	}
}
