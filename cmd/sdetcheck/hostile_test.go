package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Hostile evidence, end to end through the CLI in `audit DIR` mode (and
// `report` / `diff` for result JSON): each case copies the conforme sample
// dossier into a temporary directory, spoils one piece of evidence and
// asserts the exit code, that stderr names the file and the problem, that
// the run neither hangs nor allocates without bound and, when the run got
// past the manifest, that the JSON result is still written with status
// error for the affected area.

const conformeDossier = repoRoot + "/fixtures/dossiers/conforme"

// Paths inside the conforme dossier.
const (
	hSAML    = "saml/idp-metadata.xml"
	hGARTar  = "gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tar.gz"
	hMapping = "mapping/mapping.yaml"
	hAAF     = "aaf/ENT_Complet_20261122_Eleve_0000.xml"
	hHome    = "pages/accueil.html"
	hNotice  = "pages/mentions-information.html"
	hRef     = "dsden/mentions-validees.html"
)

// copyTree copies a directory of regular files.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// hostile mutations, applied inside the copied dossier.
type mutation func(t *testing.T, dir string)

func write(rel string, data []byte) mutation {
	return func(t *testing.T, dir string) {
		os.RemoveAll(filepath.Join(dir, rel))
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func truncated(rel string, n int) mutation {
	return func(t *testing.T, dir string) {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data[:n], 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// garbage is deterministic binary junk (NUL bytes, invalid UTF-8).
func garbage(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// huge replaces rel by a sparse 3 GB file: no disk used, and it must be
// refused from its size, not read.
func huge(rel string) mutation {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		os.RemoveAll(p)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(3 << 30); err != nil {
			t.Skipf("sparse file: %v", err)
		}
		f.Close()
	}
}

func fifo(rel string) mutation {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		os.RemoveAll(p)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
}

func mkdir(rel string) mutation {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		os.RemoveAll(p)
		if err := os.Mkdir(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// symlinkOut moves rel out of the dossier and leaves a symbolic link to it:
// the content is fine, the path escapes.
func symlinkOut(rel string) mutation {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		out := filepath.Join(filepath.Dir(dir), "outside-"+filepath.Base(rel))
		if err := os.Rename(p, out); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(out, p); err != nil {
			t.Fatal(err)
		}
	}
}

func recode(rel string, f func([]byte) []byte) mutation {
	return func(t *testing.T, dir string) {
		p := filepath.Join(dir, rel)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func utf16LE(data []byte) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range string(data) {
		if r > 0xFFFF {
			r = '?'
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// latin1 re-encodes as ISO-8859-1 (characters outside it become '?') and
// drops the charset declaration.
func latin1(data []byte) []byte {
	s := strings.Replace(string(data), `<meta charset="utf-8">`, "", 1)
	s = strings.NewReplacer("–", "-", "—", "-", "’", "'", "œ", "oe", "Œ", "OE", "…", "...", "\u00a0", " ", "\u202f", " ").Replace(s)
	var out []byte
	for _, r := range s {
		if r > 0xFF {
			r = '?'
		}
		out = append(out, byte(r))
	}
	return out
}

func appendManifest(line string) mutation {
	return func(t *testing.T, dir string) {
		f, err := os.OpenFile(filepath.Join(dir, "ent.yaml"), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(f, line)
		f.Close()
	}
}

func both(ms ...mutation) mutation {
	return func(t *testing.T, dir string) {
		for _, m := range ms {
			m(t, dir)
		}
	}
}

var billionLaughs = []byte(`<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<root>&lol3;</root>
`)

// yamlBomb is an alias expansion bomb (9^12 nodes once expanded).
func yamlBomb(key string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 12; i++ {
		refs := strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9)
		fmt.Fprintf(&b, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(refs, ", "))
	}
	fmt.Fprintf(&b, "%s: *a12\n", key)
	return []byte(b.String())
}

func deepXML(n int) []byte {
	return []byte(strings.Repeat("<a>", n) + strings.Repeat("</a>", n))
}

type hostileCase struct {
	name   string
	mutate mutation
	// code is the expected exit code; stderr must hold every want string.
	code int
	want []string
	// area, when set, is the area whose rules must be reported with status
	// error in the JSON result (the run got past the manifest).
	area string
}

func hostileCases() []hostileCase {
	waivers := appendManifest("waivers: derogations.yaml")
	return []hostileCase{
		// SAML metadata.
		{"saml empty", write(hSAML, nil), 2, []string{hSAML, "no root element"}, "saml"},
		{"saml truncated", truncated(hSAML, 500), 2, []string{hSAML + ":", "malformed XML"}, "saml"},
		{"saml binary", write(hSAML, garbage(4096)), 2, []string{hSAML + ":1:", "invalid UTF-8"}, "saml"},
		{"saml billion laughs", write(hSAML, billionLaughs), 2, []string{hSAML + ":2:", "DTD"}, "saml"},
		{"saml huge", huge(hSAML), 2, []string{hSAML, "too large"}, "saml"},
		{"saml deep", write(hSAML, deepXML(100000)), 2, []string{hSAML + ":1:", "nesting deeper"}, "saml"},
		{"saml iso-8859-1 undeclared", recode(hSAML, func(b []byte) []byte {
			return latin1(bytes.Replace(b, []byte(`encoding="UTF-8"`), nil, 1))
		}), 2, []string{hSAML + ":2:", "invalid UTF-8", "ISO-8859-1"}, "saml"},
		{"saml utf-16", recode(hSAML, utf16LE), 0, nil, ""},
		{"saml directory", mkdir(hSAML), 2, []string{"ent.yaml:", "evidence.saml_metadata", "is a directory"}, ""},
		{"saml symlink outside", symlinkOut(hSAML), 2, []string{"ent.yaml:", "evidence.saml_metadata", "outside the dossier"}, ""},
		{"saml fifo", fifo(hSAML), 2, []string{"ent.yaml:", "evidence.saml_metadata", "not a regular file"}, ""},
		// GAR feed (tar.gz in the gar directory).
		{"gar truncated", truncated(hGARTar, 3000), 2, []string{hGARTar, "truncated"}, "gar"},
		{"gar empty", write(hGARTar, nil), 2, []string{hGARTar, "gzip"}, "gar"},
		{"gar binary", write(hGARTar, garbage(4096)), 2, []string{hGARTar, "gzip"}, "gar"},
		{"gar huge", huge(hGARTar), 2, []string{hGARTar, "gzip"}, "gar"},
		{"gar fifo", fifo(hGARTar), 2, []string{hGARTar, "not a regular file"}, "gar"},
		{"gar archive symlink outside", symlinkOut(hGARTar), 2, []string{hGARTar, "not a regular file"}, "gar"},
		{"gar directory symlink outside", symlinkOut("gar"), 2, []string{"ent.yaml:", "evidence.gar_feed", "outside the dossier"}, ""},
		{"gar loose xml billion laughs", both(write(hGARTar, nil), func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, hGARTar))
			os.WriteFile(filepath.Join(dir, "gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml"), billionLaughs, 0o644)
		}), 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", "DTD"}, "gar"},
		{"gar loose xml iso-8859-1", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", func(b []byte) []byte {
				return latin1(bytes.Replace(b, []byte(` encoding="UTF-8"`), nil, 1))
			})(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml:", "malformed XML: invalid UTF-8"}, "gar"},
		// A 64 MiB text node: refused by the scanner at once, and the XSD
		// engine is not left to chew on it (libxml2 took 20 s on this,
		// minutes on 300 MiB, before it was cut off).
		{"gar loose xml huge text node", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Etab_0000.xml", func(b []byte) []byte {
				i := bytes.Index(b, []byte("</men:GARStructureNomCourant>"))
				return append(append(append([]byte{}, b[:i]...), bytes.Repeat([]byte("A"), 64<<20)...), b[i:]...)
			})(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Etab_0000.xml:", "text value longer than 1 MiB"}, "gar"},
		// Five million empty elements in one record: the scanner holds a
		// record's values until its end, and took 4 GB for 25 million.
		{"gar loose xml millions of elements in one record", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", func(b []byte) []byte {
				i := bytes.Index(b, []byte("</men:GARPersonNom>"))
				return append(append(append([]byte{}, b[:i]...), bytes.Repeat([]byte("<a/>"), 5_000_000)...), b[i:]...)
			})(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml:", "record with more than 100,000 values"}, "gar"},
		// 1.5 million distinct element names: libxml2 took 32 s on these
		// 16 MB (its name dictionary grows faster than the names).
		{"gar loose xml a million distinct names", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", func(b []byte) []byte {
				i := bytes.Index(b, []byte("<men:GAREleve>"))
				var names bytes.Buffer
				for n := range 1_500_000 {
					fmt.Fprintf(&names, "<n%07d/>", n)
				}
				return append(append(append([]byte{}, b[:i]...), names.Bytes()...), b[i:]...)
			})(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml:", "more than 10,000 distinct names"}, "gar"},
		{"gar loose xml many distinct attribute names", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", func(b []byte) []byte {
				i := bytes.Index(b, []byte("<men:GAREleve>"))
				var names bytes.Buffer
				for n := range 200_000 {
					fmt.Fprintf(&names, `<n a%d="" b%d="" c%d="" d%d="" e%d=""/>`, n, n, n, n, n)
				}
				return append(append(append([]byte{}, b[:i]...), names.Bytes()...), b[i:]...)
			})(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml:", "more than 10,000 distinct names"}, "gar"},
		// UTF-16 with its byte-order mark (an export saved from Windows):
		// refused as such, not as "invalid UTF-8".
		{"gar loose xml utf-16", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", utf16LE)(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml:1:", "UTF-16", "UTF-8 only"}, "gar"},
		{"gar loose xml declared iso-8859-1", func(t *testing.T, dir string) {
			os.RemoveAll(filepath.Join(dir, "gar"))
			copyTree(t, filepath.Join(repoRoot, "fixtures/dossiers/non-conforme/gar"), filepath.Join(dir, "gar"))
			recode("gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml", func(b []byte) []byte {
				return latin1(bytes.Replace(b, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1))
			})(t, dir)
		}, 2, []string{"gar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0000.xml:1:", `encoding "ISO-8859-1" declared`, "UTF-8 only"}, "gar"},
		// Mapping YAML.
		{"mapping empty", write(hMapping, nil), 2, []string{hMapping, "empty"}, "mapping"},
		{"mapping binary", write(hMapping, garbage(4096)), 2, []string{hMapping, "YAML"}, "mapping"},
		{"mapping deep", write(hMapping, []byte(strings.Repeat("[", 100000))), 2, []string{hMapping, "depth"}, "mapping"},
		{"mapping alias bomb", write(hMapping, yamlBomb("mappings")), 2, []string{hMapping, "alias"}, "mapping"},
		{"mapping big-scalar alias bomb", write(hMapping, []byte("x: &a \""+strings.Repeat("A", 4<<20)+"\"\ny: ["+strings.Repeat("*a, ", 99)+"*a]\n")), 2, []string{hMapping, "alias bomb"}, "mapping"},
		{"mapping huge", huge(hMapping), 2, []string{hMapping, "too large"}, "mapping"},
		{"mapping fifo", fifo(hMapping), 2, []string{"evidence.mapping", "not a regular file"}, ""},
		// AAF samples.
		{"aaf truncated", truncated(hAAF, 700), 2, []string{hAAF + ":", "malformed XML"}, ""},
		{"aaf billion laughs", write(hAAF, billionLaughs), 2, []string{hAAF + ":2:", "DTD"}, ""},
		{"aaf huge", huge(hAAF), 2, []string{hAAF, "too large"}, ""},
		{"aaf fifo", fifo(hAAF), 2, []string{hAAF, "not a regular file"}, ""},
		{"aaf symlink outside", symlinkOut(hAAF), 2, []string{hAAF, "outside the dossier"}, ""},
		{"aaf directory symlink outside", symlinkOut("aaf"), 2, []string{"evidence.aaf_samples", "outside the dossier"}, ""},
		// Pages and notices.
		{"page binary", write(hHome, garbage(4096)), 2, []string{hHome, "binary content"}, ""},
		{"page huge", huge(hHome), 2, []string{hHome, "too large"}, ""},
		{"page deep", write(hHome, []byte(strings.Repeat("<div>", 200000))), 2, []string{hHome, "parse html"}, ""},
		{"page fifo", fifo(hHome), 2, []string{"evidence.home_page", "not a regular file"}, ""},
		{"page symlink outside", symlinkOut(hHome), 2, []string{"evidence.home_page", "outside the dossier"}, ""},
		{"page utf-16", recode(hHome, utf16LE), 0, nil, ""},
		{"notice utf-16", recode(hNotice, utf16LE), 0, nil, ""},
		{"notice iso-8859-1 undeclared", recode(hNotice, latin1), 0, nil, ""},
		{"notice iso-8859-1 declared utf-8", recode(hNotice, func(b []byte) []byte {
			return bytes.Replace(latin1(b), []byte("<head>"), []byte(`<head><meta charset="utf-8">`), 1)
		}), 2, []string{hNotice + ":", "invalid bytes", "ISO-8859-1"}, "notice"},
		{"notice binary", write(hNotice, garbage(4096)), 2, []string{hNotice, "binary content"}, "notice"},
		{"notice pdf truncated", both(func(t *testing.T, dir string) {
			data, _ := os.ReadFile(filepath.Join(repoRoot, "fixtures/notice/mentions-completes.pdf"))
			os.WriteFile(filepath.Join(dir, hNotice), data[:len(data)/2], 0o644)
		}), 2, []string{hNotice, "pdf"}, "notice"},
		{"notice reference fifo", fifo(hRef), 2, []string{"evidence.notice_reference", "not a regular file"}, ""},
		// Waivers.
		{"waivers empty", both(waivers, write("derogations.yaml", nil)), 2, []string{"derogations.yaml"}, ""},
		{"waivers binary", both(waivers, write("derogations.yaml", garbage(4096))), 2, []string{"derogations.yaml"}, ""},
		{"waivers bomb", both(waivers, write("derogations.yaml", yamlBomb("derogations"))), 2, []string{"derogations.yaml"}, ""},
		{"waivers truncated", both(waivers, write("derogations.yaml", []byte("derogations:\n  - rule: DOSSIER-001\n    justification: \"pièces en cours"))), 2, []string{"derogations.yaml:"}, ""},
		{"waivers huge", both(waivers, huge("derogations.yaml")), 2, []string{"derogations.yaml", "too large"}, ""},
		{"waivers fifo", both(waivers, fifo("derogations.yaml")), 2, []string{"ent.yaml:", "waivers", "not a regular file"}, ""},
		{"waivers symlink outside", both(waivers, write("derogations.yaml", []byte("derogations: []\n")), symlinkOut("derogations.yaml")), 2, []string{"ent.yaml:", "waivers", "outside the dossier"}, ""},
		// The manifest itself.
		{"manifest empty", write("ent.yaml", nil), 2, []string{"ent.yaml", "empty"}, ""},
		{"manifest binary", write("ent.yaml", garbage(4096)), 2, []string{"ent.yaml"}, ""},
		{"manifest bomb", appendManifest(string(yamlBomb("x-bomb"))), 2, []string{"ent.yaml:"}, ""},
		{"manifest deep", write("ent.yaml", []byte("ent: "+strings.Repeat("[", 100000))), 2, []string{"ent.yaml", "depth"}, ""},
		{"manifest huge", huge("ent.yaml"), 2, []string{"ent.yaml", "too large"}, ""},
		{"manifest fifo", fifo("ent.yaml"), 2, []string{"ent.yaml", "not a regular file"}, ""},
		{"manifest directory", mkdir("ent.yaml"), 2, []string{"ent.yaml", "is a directory"}, ""},
		{"manifest utf-16", recode("ent.yaml", utf16LE), 0, nil, ""},
		{"manifest traversal", recode("ent.yaml", func(b []byte) []byte {
			return bytes.Replace(b, []byte("mapping: mapping/mapping.yaml"), []byte("mapping: mapping/../../conforme/mapping/mapping.yaml"), 1)
		}), 2, []string{"ent.yaml:", "evidence.mapping", "outside the dossier"}, ""},
	}
}

// runBounded runs the CLI in-process, failing the test (instead of hanging
// the suite) if it does not return in time, and reports the bytes
// allocated meanwhile.
func runBounded(t *testing.T, args ...string) (stdout, stderr string, code int, alloc uint64) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	type out struct {
		stdout, stderr string
		code           int
	}
	done := make(chan out, 1)
	go func() {
		var o, e bytes.Buffer
		c := run(context.Background(), args, &o, &e, false)
		done <- out{o.String(), e.String(), c}
	}()
	select {
	case r := <-done:
		runtime.ReadMemStats(&after)
		return r.stdout, r.stderr, r.code, after.TotalAlloc - before.TotalAlloc
	case <-time.After(10 * time.Second):
		t.Fatalf("%v: no answer after 10 s (hang)", args)
	}
	return
}

// maxAlloc bounds what one hostile run may allocate: a 3 GB file must be
// refused from its size, not read.
const maxAlloc = 256 << 20

func TestHostileAudit(t *testing.T) {
	for _, c := range hostileCases() {
		// A spoiled GAR feed is read by both XSD engines.
		engines := []string{"auto"}
		if c.area == "gar" {
			engines = append(engines, "go")
		}
		for _, eng := range engines {
			name := c.name
			if eng != "auto" {
				name += " xsd-engine " + eng
			}
			t.Run(name, func(t *testing.T) { hostileAudit(t, c, eng) })
		}
	}
}

func hostileAudit(t *testing.T, c hostileCase, eng string) {
	dir := filepath.Join(t.TempDir(), "dossier")
	copyTree(t, conformeDossier, dir)
	c.mutate(t, dir)
	// --lang en: the wants are the English file:line: problem lines of
	// stderr (the French ones are checked by TestUnreadablePiecesInFrench).
	stdout, stderr, code, alloc := runBounded(t, "audit", dir, "--format", "json", "--now", testNow, "--xsd-engine", eng, "--lang", "en")
	if code != c.code {
		t.Fatalf("exit %d, want %d\nstderr: %s", code, c.code, stderr)
	}
	for _, w := range c.want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "panic") || strings.Contains(stderr, "internal error") {
		t.Errorf("stderr: %s", stderr)
	}
	if !utf8Valid(stderr) {
		t.Errorf("stderr is not valid UTF-8 text: %q", stderr)
	}
	if alloc > maxAlloc {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
	if c.area == "" {
		return
	}
	var res result.Result
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("no JSON result: %v", err)
	}
	if res.Verdict == result.Conforme || res.Summary.Error == 0 {
		t.Errorf("verdict %s with %d errors", res.Verdict, res.Summary.Error)
	}
	n := 0
	for _, f := range res.Results {
		if f.Area == c.area && f.Status == result.Error {
			n++
		}
	}
	if n == 0 {
		t.Errorf("no %s rule has status error", c.area)
	}
}

func utf8Valid(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s && !strings.ContainsRune(s, 0)
}

// TestHostileResultJSON feeds spoilt result files to `report` and `diff`.
func TestHostileResultJSON(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	stdout, stderr, code, _ := runBounded(t, "audit", conformeDossier, "--format", "json", "--now", testNow)
	if code != 0 {
		t.Fatalf("audit conforme: exit %d: %s", code, stderr)
	}
	os.WriteFile(good, []byte(stdout), 0o644)
	cases := []struct {
		name   string
		mutate mutation
		want   []string
	}{
		{"empty", write("r.json", nil), []string{"r.json", "invalid result JSON"}},
		{"truncated", write("r.json", []byte(stdout[:2000])), []string{"r.json", "invalid result JSON"}},
		{"binary", write("r.json", garbage(4096)), []string{"r.json:1:", "invalid result JSON"}},
		{"deep", write("r.json", []byte(strings.Repeat("[", 100000))), []string{"r.json", "invalid result JSON"}},
		{"not a result", write("r.json", []byte(`{"tool":{"name":"x"}}`)), []string{"r.json", "not an sdetcheck result"}},
		{"unknown status", write("r.json", bytes.Replace([]byte(stdout), []byte(`"status": "pass"`), []byte(`"status": "PASSED"`), 1)), []string{"r.json", `unknown status "PASSED"`}},
		{"unknown severity", write("r.json", bytes.Replace([]byte(stdout), []byte(`"severity": "bloquant"`), []byte(`"severity": "critique"`), 1)), []string{"r.json", `unknown severity "critique"`}},
		{"huge", huge("r.json"), []string{"r.json", "too large"}},
		{"fifo", fifo("r.json"), []string{"r.json", "not a regular file"}},
		{"directory", mkdir("r.json"), []string{"r.json", "is a directory"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.mutate(t, dir)
			bad := filepath.Join(dir, "r.json")
			for _, args := range [][]string{
				{"report", bad, "--format", "md", "--lang", "en"},
				{"diff", good, bad, "--lang", "en"},
				{"diff", bad, good, "--lang", "en"},
			} {
				_, stderr, code, alloc := runBounded(t, args...)
				if code != 2 {
					t.Errorf("%s: exit %d, want 2: %s", args[0], code, stderr)
				}
				for _, w := range c.want {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s: stderr lacks %q: %s", args[0], w, stderr)
					}
				}
				if alloc > maxAlloc {
					t.Errorf("%s: allocated %d MiB", args[0], alloc>>20)
				}
			}
		})
	}
}

// Text read from hostile evidence (a notice, file names) must not carry
// terminal escape sequences into the text report or the diff.
func TestNoTerminalEscapes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dossier")
	copyTree(t, conformeDossier, dir)
	recode(hNotice, func(b []byte) []byte {
		return bytes.Replace(b, []byte("Réclamation"), []byte("R\x1b[2J\x1b]0;pwned\x07éclamation"), 1)
	})(t, dir)
	gar := filepath.Join(dir, "gar")
	os.WriteFile(filepath.Join(gar, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0001\x1b[31m.xml"), []byte("<x/>"), 0o644)
	os.Rename(filepath.Join(gar, "ENTFICTIF1_GAR-ENT_Complet_20261122_223000.tar.gz"), filepath.Join(dir, "feed.tar.gz"))
	js, _, _ := runCLI(t, "audit", dir, "--format", "json", "--now", testNow)
	if !strings.Contains(js, `\u001b`) {
		t.Fatalf("the escape did not reach the result: the test proves nothing")
	}
	for _, f := range []string{"text", "md"} {
		out, _, _ := runCLI(t, "audit", dir, "--format", f, "--now", testNow)
		if strings.ContainsRune(out, 0x1b) || strings.ContainsRune(out, 0x07) {
			t.Errorf("--format %s carries control characters:\n%q", f, out)
		}
	}
	old := filepath.Join(t.TempDir(), "old.json")
	newer := filepath.Join(t.TempDir(), "new.json")
	good, _, _ := runCLI(t, "audit", conformeDossier, "--format", "json", "--now", testNow)
	os.WriteFile(old, []byte(good), 0o644)
	os.WriteFile(newer, []byte(js), 0o644)
	for _, f := range []string{"text", "md"} {
		d, _, _ := runCLI(t, "diff", old, newer, "--format", f)
		if strings.ContainsRune(d, 0x1b) || strings.ContainsRune(d, 0x07) {
			t.Errorf("diff --format %s carries control characters:\n%q", f, d)
		}
	}
}
