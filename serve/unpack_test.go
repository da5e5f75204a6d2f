package serve

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

type tarEntry struct {
	name, link string
	typ        byte
	body       string
	zeros      int64 // body of this many zero bytes
}

func makeTarGz(t *testing.T, ents []tarEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	tw := tar.NewWriter(gz)
	for _, e := range ents {
		size := int64(len(e.body))
		if e.zeros > 0 {
			size = e.zeros
		}
		if e.typ != tar.TypeReg && e.typ != 0 {
			size = 0
		}
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Linkname: e.link, Typeflag: typ, Mode: 0o644, Size: size}); err != nil {
			t.Fatal(err)
		}
		if e.zeros > 0 {
			chunk := make([]byte, 1<<20)
			for n := e.zeros; n > 0; n -= int64(len(chunk)) {
				if n < int64(len(chunk)) {
					chunk = chunk[:n]
				}
				tw.Write(chunk)
			}
		} else if size > 0 {
			tw.Write([]byte(e.body))
		}
	}
	tw.Close()
	gz.Close()
	return b.Bytes()
}

func makeZip(t *testing.T, ents []tarEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range ents {
		hd := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.typ == tar.TypeSymlink {
			hd.SetMode(os.ModeSymlink | 0o777)
		}
		w, err := zw.CreateHeader(hd)
		if err != nil {
			t.Fatal(err)
		}
		if e.typ == tar.TypeSymlink {
			w.Write([]byte(e.link))
			continue
		}
		if e.zeros > 0 {
			chunk := make([]byte, 1<<20)
			for n := e.zeros; n > 0; n -= int64(len(chunk)) {
				if n < int64(len(chunk)) {
					chunk = chunk[:n]
				}
				w.Write(chunk)
			}
			continue
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	return b.Bytes()
}

// Hostile archives are refused with a French reason and write nothing
// outside the destination: traversal, absolute names, links (symbolic
// and hard), devices, duplicates, too many entries, too large a file, a
// decompression bomb, a truncated archive, no ent.yaml.
func TestUnpackHostile(t *testing.T) {
	lim := Limits{MaxFiles: 10, MaxFileBytes: 8 << 20, MaxBytes: 16 << 20, MaxRatio: 50}
	manifest := tarEntry{name: "d/ent.yaml", body: "degree: 2D\n"}
	cases := []struct {
		name string
		ents []tarEntry
		want string
	}{
		{"traversal", []tarEntry{manifest, {name: "d/../../evil.txt", body: "x"}}, "remontée de répertoire"},
		{"absolute", []tarEntry{{name: "/tmp/evil.txt", body: "x"}}, "chemin absolu"},
		{"backslash", []tarEntry{{name: `..\evil.txt`, body: "x"}}, "chemin absolu"},
		{"symlink", []tarEntry{{name: "d/ent.yaml", typ: tar.TypeSymlink, link: "/etc/passwd"}}, "lien ou périphérique"},
		{"symlink dir then file", []tarEntry{{name: "d/x", typ: tar.TypeSymlink, link: "/tmp"}, {name: "d/x/evil", body: "x"}}, "lien ou périphérique"},
		{"hard link", []tarEntry{{name: "d/ent.yaml", typ: tar.TypeLink, link: "/etc/passwd"}}, "lien ou périphérique"},
		{"device", []tarEntry{{name: "d/null", typ: tar.TypeChar}}, "lien ou périphérique"},
		{"duplicate", []tarEntry{manifest, manifest}, "figure deux fois"},
		{"too many", func() []tarEntry {
			var es []tarEntry
			for i := 0; i < 11; i++ {
				es = append(es, tarEntry{name: "d/f" + string(rune('a'+i)), body: "x"})
			}
			return es
		}(), "plus de 10 entrées"},
		{"file too large", []tarEntry{manifest, {name: "d/gros.xml", zeros: 9 << 20}}, "limite 8 Mio par fichier"},
		{"bomb", []tarEntry{manifest, {name: "d/a.xml", zeros: 6 << 20}, {name: "d/b.xml", zeros: 6 << 20}}, "bombe de décompression"},
		{"no manifest", []tarEntry{{name: "d/autre.yaml", body: "x"}}, "aucun ent.yaml"},
		{"control character", []tarEntry{{name: "d/\x1b[2Jx", body: "x"}}, "caractère de contrôle"},
	}
	for _, c := range cases {
		for kind, data := range map[string][]byte{"tar.gz": makeTarGz(t, c.ents), "zip": makeZip(t, c.ents)} {
			if kind == "zip" && (c.ents[0].typ == tar.TypeLink || c.ents[0].typ == tar.TypeChar) {
				continue // no such entries in a zip
			}
			t.Run(c.name+"/"+kind, func(t *testing.T) {
				root := t.TempDir()
				src := filepath.Join(root, "upload")
				os.WriteFile(src, data, 0o600)
				dst := filepath.Join(root, "out", "dossier")
				os.MkdirAll(dst, 0o700)
				_, err := Unpack(src, dst, lim)
				if err == nil || !strings.Contains(input.French(err), c.want) {
					t.Fatalf("got %v, want %q", frenchOf(err), c.want)
				}
				// nothing outside dst
				filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
					if p != root && p != src && p != filepath.Join(root, "out") && !strings.HasPrefix(p, dst) {
						t.Errorf("written outside the destination: %s", p)
					}
					if d != nil && d.Type()&os.ModeSymlink != 0 {
						t.Errorf("link extracted: %s", p)
					}
					return nil
				})
			})
		}
	}
	// truncated archive
	full := makeTarGz(t, []tarEntry{manifest, {name: "d/b.txt", body: strings.Repeat("bonjour ", 5000)}})
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "upload"), full[:len(full)/2], 0o600)
	if _, err := Unpack(filepath.Join(root, "upload"), t.TempDir(), lim); err == nil || !strings.Contains(input.French(err), "tronquée") {
		t.Errorf("truncated: %v", frenchOf(err))
	}
	// a good archive: the dossier's root is its single top directory
	os.WriteFile(filepath.Join(root, "good"), makeZip(t, []tarEntry{manifest, {name: "__MACOSX/._ent.yaml", body: "x"}}), 0o600)
	dst := t.TempDir()
	got, err := Unpack(filepath.Join(root, "good"), dst, lim)
	if err != nil || got != filepath.Join(dst, "d") {
		t.Errorf("good archive: %q %v", got, err)
	}
}

// An archive refused by the unpacker fails its audit with the reason, and
// its files are deleted.
func TestAPIHostileArchiveFails(t *testing.T) {
	h := newHarness(t, Config{Workers: 1, Queue: 1})
	data := makeTarGz(t, []tarEntry{{name: "d/ent.yaml", body: "x"}, {name: "../../../evil", body: "x"}})
	r := h.upload("tok-poitiers-0123456789abcdef0123456789", data)
	if r.status != 202 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var acc struct{ ID string }
	r.json(t, &acc)
	a := h.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID)
	if a["status"] != StatusFailed || !strings.Contains(a["error"].(string), "remontée de répertoire") {
		t.Errorf("hostile archive: %v", a)
	}
	if left := workEntries(t, h.svc.WorkDir()); len(left) != 0 {
		t.Errorf("left: %v", left)
	}
	// a failed audit has no report: 409
	if r := h.do("GET", "/api/v1/audits/"+acc.ID+"/report.pdf", "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != http.StatusConflict {
		t.Errorf("report of a failed audit: %d", r.status)
	}
	// an ent.yaml that does not parse: the manifest's own error, the
	// private directory's path never shown
	data = makeTarGz(t, []tarEntry{{name: "ent.yaml", body: "ent: [\n"}})
	r = h.upload("tok-poitiers-0123456789abcdef0123456789", data)
	r.json(t, &acc)
	a = h.waitDone("tok-poitiers-0123456789abcdef0123456789", acc.ID)
	if msg, _ := a["error"].(string); a["status"] != StatusFailed || !strings.HasPrefix(msg, "Dossier refusé : ent.yaml") || strings.Contains(msg, h.svc.WorkDir()) {
		t.Errorf("bad ent.yaml: %v", a["error"])
	}
}

// A link already in the destination (put there by something else than
// the archive, which may hold none) does not lead the extraction out of
// it: every write goes through an os.Root, which refuses to leave it.
func TestUnpackSymlinkEscape(t *testing.T) {
	lim := Limits{MaxFiles: 10, MaxFileBytes: 1 << 20, MaxBytes: 1 << 20, MaxRatio: 50}
	for _, c := range []struct {
		name string
		ents []tarEntry
		want string
	}{
		{"file under the link", []tarEntry{{name: "d/ent.yaml", body: "x"}, {name: "lien/evil.txt", body: "x"}}, "hors de l'archive"},
		{"directory under the link", []tarEntry{{name: "lien/sous/", typ: tar.TypeDir}}, "hors de l'archive"},
		{"the link itself", []tarEntry{{name: "lien", body: "x"}}, "figure deux fois"},
	} {
		for kind, data := range map[string][]byte{"tar.gz": makeTarGz(t, c.ents), "zip": makeZip(t, c.ents)} {
			t.Run(c.name+"/"+kind, func(t *testing.T) {
				root := t.TempDir()
				outside := filepath.Join(root, "dehors")
				os.Mkdir(outside, 0o700)
				dst := filepath.Join(root, "dossier")
				os.Mkdir(dst, 0o700)
				if err := os.Symlink(outside, filepath.Join(dst, "lien")); err != nil {
					t.Fatal(err)
				}
				src := filepath.Join(root, "upload")
				os.WriteFile(src, data, 0o600)
				if _, err := Unpack(src, dst, lim); err == nil || !strings.Contains(input.French(err), c.want) {
					t.Errorf("extraction through a link: %v, want %q", frenchOf(err), c.want)
				}
				if ents, _ := os.ReadDir(outside); len(ents) != 0 {
					t.Errorf("written outside the destination through the link: %v", ents)
				}
			})
		}
	}
}
