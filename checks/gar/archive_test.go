package gar

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

const goodTar = "../../fixtures/gar/good-tar/ENTFICTIF1_GAR-ENT_Complet_20261122_223000"

// deliver writes the good archive, changed by edit, with a .md5 holding
// md5line(digest of the archive written), and returns the archive's path.
func deliver(t *testing.T, edit func([]byte) []byte, md5line func(sum, name string) string) string {
	t.Helper()
	data, err := os.ReadFile(goodTar + ".tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	data = edit(append([]byte(nil), data...))
	dir := t.TempDir()
	name := filepath.Base(goodTar) + ".tar.gz"
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(data)
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(goodTar)+".md5"), []byte(md5line(hex.EncodeToString(sum[:]), name)), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gnuMD5(sum, _ string) string { return sum + "\n" }

// gar003 returns the GAR-003 findings of a run.
func gar003(t *testing.T, src string) []result.Finding {
	t.Helper()
	var out []result.Finding
	for _, f := range Check(newEnv(), src) {
		if f.Rule == "GAR-003" {
			out = append(out, f)
		}
	}
	return out
}

// wantGAR003 asserts the worst GAR-003 status and that some GAR-003
// message holds every one of want (in French and in English).
func wantGAR003(t *testing.T, fs []result.Finding, status result.Status, wantFR, wantEN []string) {
	t.Helper()
	worst := result.Pass
	for _, f := range fs {
		if f.Status == result.Fail || (f.Status == result.Warn && worst == result.Pass) {
			worst = f.Status
		}
	}
	if worst != status {
		t.Errorf("GAR-003 worst status %s, want %s: %+v", worst, status, fs)
	}
	match := func(msg func(result.Finding) string, want []string) bool {
	next:
		for _, f := range fs {
			for _, w := range want {
				if !strings.Contains(msg(f), w) {
					continue next
				}
			}
			return true
		}
		return false
	}
	if !match(func(f result.Finding) string { return f.Message }, wantFR) {
		t.Errorf("no GAR-003 message holds %q: %+v", wantFR, fs)
	}
	if !match(func(f result.Finding) string { return f.MessageEN }, wantEN) {
		t.Errorf("no GAR-003 English message holds %q: %+v", wantEN, fs)
	}
}

// TestArchiveGzipTrailer: a .tar.gz whose gzip trailer (CRC-32, then the
// uncompressed length) does not match its data is corrupt, whatever its
// .md5 says: gunzip and tar refuse it.
func TestArchiveGzipTrailer(t *testing.T) {
	for _, c := range []struct {
		name string
		at   int // from the end
	}{{"crc", 8}, {"length", 4}} {
		t.Run(c.name, func(t *testing.T) {
			p := deliver(t, func(b []byte) []byte { b[len(b)-c.at] ^= 0x5a; return b }, gnuMD5)
			wantGAR003(t, gar003(t, p), result.Fail, []string{"CRC-32 ou longueur faux"}, []string{"CRC-32 or length wrong"})
		})
	}
	t.Run("intact", func(t *testing.T) {
		wantGAR003(t, gar003(t, deliver(t, func(b []byte) []byte { return b }, gnuMD5)), result.Pass, []string{"correspond"}, []string{"matches"})
	})
}

// TestArchiveTrailingData: bytes after the gzip stream are reported with
// their offset; NUL padding is a warning.
func TestArchiveTrailingData(t *testing.T) {
	size := func() int {
		st, err := os.Stat(goodTar + ".tar.gz")
		if err != nil {
			t.Fatal(err)
		}
		return int(st.Size())
	}()
	p := deliver(t, func(b []byte) []byte { return append(b, "PK\x03\x04 hidden notes!"...) }, gnuMD5)
	wantGAR003(t, gar003(t, p), result.Fail,
		[]string{"18 octets de données après la fin du flux gzip", "à partir de l'octet " + itoa(size)},
		[]string{"18 bytes of data after the end of the gzip stream", "from byte " + itoa(size)})
	p = deliver(t, func(b []byte) []byte { return append(b, make([]byte, 512)...) }, gnuMD5)
	wantGAR003(t, gar003(t, p), result.Warn, []string{"512 octets nuls"}, []string{"512 NUL bytes"})
}

// TestArchiveExtraMember: a second gzip member appended after the archive
// (what `cat a.tar.gz b.tar.gz` makes) holds a feed file tar never
// extracts: reported, with the names it holds.
func TestArchiveExtraMember(t *testing.T) {
	var extra bytes.Buffer
	gz := gzip.NewWriter(&extra)
	tw := tar.NewWriter(gz)
	body := `<GAR-ENT-Eleve xmlns="http://data.education.fr/ns/gar" Version="1.7"/>`
	name := "ENTFICTIF1_GAR-ENT_Complet_20261122_223000_2D_Eleve_0001.xml"
	tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Size: int64(len(body)), Mode: 0o644})
	tw.Write([]byte(body))
	tw.Close()
	gz.Close()
	p := deliver(t, func(b []byte) []byte { return append(b, extra.Bytes()...) }, gnuMD5)
	wantGAR003(t, gar003(t, p), result.Fail,
		[]string{"membre gzip n° 2", name, "jamais extrait"},
		[]string{"gzip member #2", name, "never extracted"})
}

// TestArchiveTarTail: data hidden after the tar end-of-archive marker,
// inside the gzip stream, is reported.
func TestArchiveTarTail(t *testing.T) {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	body := `<GAR-ENT-Etab xmlns="http://data.education.fr/ns/gar" Version="1.7"/>`
	tw.WriteHeader(&tar.Header{Name: goodName, Typeflag: tar.TypeReg, Size: int64(len(body)), Mode: 0o644})
	tw.Write([]byte(body))
	tw.Close()
	gz.Write([]byte("<secret>after the end marker</secret>"))
	gz.Close()
	p := deliver(t, func([]byte) []byte { return buf.Bytes() }, gnuMD5)
	wantGAR003(t, gar003(t, p), result.Fail, []string{"après la marque de fin de l'archive tar"}, []string{"after the tar end-of-archive marker"})
}

// TestMD5Forms: the BSD form and a UTF-8 byte order mark are read.
func TestMD5Forms(t *testing.T) {
	for name, line := range map[string]func(sum, name string) string{
		"bsd":       func(sum, name string) string { return "MD5 (" + name + ") = " + sum + "\n" },
		"bsd-crlf":  func(sum, name string) string { return "MD5 (" + name + ") = " + sum + "\r\n" },
		"bom":       func(sum, name string) string { return "\ufeff" + sum + "  " + name + "\n" },
		"bom-bsd":   func(sum, name string) string { return "\ufeffMD5 (" + name + ") = " + sum },
		"gnu-star":  func(sum, name string) string { return sum + " *" + name + "\n" },
		"gnu-alone": gnuMD5,
	} {
		t.Run(name, func(t *testing.T) {
			wantGAR003(t, gar003(t, deliver(t, func(b []byte) []byte { return b }, line)), result.Pass, []string{"correspond"}, []string{"matches"})
		})
	}
	t.Run("bsd-wrong", func(t *testing.T) {
		fs := gar003(t, deliver(t, func(b []byte) []byte { return b }, func(_, name string) string {
			return "MD5 (" + name + ") = 00000000000000000000000000000000\n"
		}))
		wantGAR003(t, fs, result.Fail, []string{`"00000000000000000000000000000000"`}, []string{"The .md5 says"})
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
