package serve

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/manifest"
)

// Limits bound what an uploaded archive may unpack to.
type Limits struct {
	MaxFiles     int   // entries (files and directories)
	MaxFileBytes int64 // one file, unpacked
	MaxBytes     int64 // all files, unpacked
	MaxRatio     int64 // unpacked / compressed, past 1 MiB
}

// DefaultLimits suit a dossier: a GAR feed export of a large collège
// and its pages.
var DefaultLimits = Limits{MaxFiles: 5000, MaxFileBytes: 256 << 20, MaxBytes: 1 << 30, MaxRatio: 200}

// Archive kinds.
const (
	kindZip   = "zip"
	kindTarGz = "tar.gz"
)

// archiveKind tells a .zip from a .tar.gz by its first bytes ("" for
// neither).
func archiveKind(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return kindZip
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return kindTarGz
	}
	return ""
}

var errNotArchive = input.Problemf("neither a .zip nor a .tar.gz archive", "ni une archive .zip ni une archive .tar.gz")

// Unpack extracts the archive file src into the empty directory dst
// within lim: only regular files and directories (links and devices are
// refused), only local names (filepath.IsLocal: no absolute name nor
// ".."), no name twice, bounded sizes, entry count and expansion ratio.
// Every file and directory is made through an os.Root opened on dst, so
// that nothing is ever written outside it, even through a link that
// something else would have put there. It returns the dossier's root:
// dst, or the single top-level directory holding ent.yaml.
func Unpack(src, dst string, lim Limits) (string, error) {
	f, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	root, err := os.OpenRoot(dst)
	if err != nil {
		return "", err
	}
	defer root.Close()
	x := &extractor{root: root, lim: lim, compressed: st.Size()}
	switch archiveKind(head[:n]) {
	case kindZip:
		err = x.zip(f, st.Size())
	case kindTarGz:
		err = x.tarGz(f)
	default:
		err = errNotArchive
	}
	if err != nil {
		return "", err
	}
	return dossierRoot(dst)
}

type extractor struct {
	root       *os.Root
	lim        Limits
	compressed int64
	files      int
	total      int64
}

func (x *extractor) zip(r io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return input.Wrap(err, "read zip archive", "archive zip illisible")
	}
	for _, zf := range zr.File {
		if err := x.count(zf.Name); err != nil {
			return err
		}
		mode := zf.Mode()
		switch {
		case mode.IsDir() || strings.HasSuffix(zf.Name, "/"):
			if err := x.mkdir(zf.Name); err != nil {
				return err
			}
			continue
		case !mode.IsRegular():
			return input.Problemf("archive entry %q is not a regular file (link or device): refused", "l'entrée d'archive %q n'est pas un fichier ordinaire (lien ou périphérique) : refusée", clip(zf.Name))
		}
		if zf.UncompressedSize64 > uint64(x.lim.MaxFileBytes) {
			return tooLarge(zf.Name, x.lim.MaxFileBytes)
		}
		rc, err := zf.Open()
		if err != nil {
			return input.Wrap(err, "read zip entry %q", "entrée %q de l'archive zip illisible", clip(zf.Name))
		}
		err = x.write(zf.Name, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func (x *extractor) tarGz(r io.Reader) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return input.Wrap(err, "read gzip", "archive gzip illisible")
	}
	tr := tar.NewReader(gz)
	for {
		hd, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return input.Wrap(err, "read tar (truncated or corrupt archive)", "archive tar illisible (tronquée ou corrompue)")
		}
		if hd.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		if err := x.count(hd.Name); err != nil {
			return err
		}
		switch hd.Typeflag {
		case tar.TypeDir:
			if err := x.mkdir(hd.Name); err != nil {
				return err
			}
			continue
		case tar.TypeReg:
		default:
			return input.Problemf("archive entry %q is not a regular file (link or device): refused", "l'entrée d'archive %q n'est pas un fichier ordinaire (lien ou périphérique) : refusée", clip(hd.Name))
		}
		if hd.Size > x.lim.MaxFileBytes {
			return tooLarge(hd.Name, x.lim.MaxFileBytes)
		}
		if err := x.write(hd.Name, tr); err != nil {
			return err
		}
	}
}

func (x *extractor) count(name string) error {
	x.files++
	if x.files > x.lim.MaxFiles {
		return input.Problemf("archive has more than %d entries: refused", "l'archive contient plus de %d entrées : refusée", x.lim.MaxFiles)
	}
	return safeName(name)
}

// local is the archive name (already checked by safeName) as a path
// local to the destination; os.Root refuses anything that would still
// leave it.
func local(name string) (string, error) {
	p := filepath.FromSlash(path.Clean(name))
	if !filepath.IsLocal(p) {
		return "", escapes(name)
	}
	return p, nil
}

func escapes(name string) error {
	return input.Problemf("unsafe archive entry name %q (outside the archive) refused", "nom d'entrée d'archive dangereux %q (hors de l'archive) refusé", clip(name))
}

// rootError is err of an os.Root operation on name: leaving the root is
// the archive's fault, said so.
func rootError(name string, err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes") {
		return escapes(name)
	}
	return err
}

func (x *extractor) mkdir(name string) error {
	p, err := local(name)
	if err != nil {
		return err
	}
	return rootError(name, x.root.MkdirAll(p, 0o700))
}

var errBomb = input.Problemf("archive expands beyond the admitted compression ratio: refused (archive bomb?)", "l'archive se décompresse au-delà du taux de compression admis : refusée (bombe de décompression ?)")

func (x *extractor) write(name string, r io.Reader) error {
	p, err := local(name)
	if err != nil {
		return err
	}
	if err := x.root.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return rootError(name, err)
	}
	w, err := x.root.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return input.Problemf("archive entry %q appears twice: refused", "l'entrée d'archive %q figure deux fois : refusée", clip(name))
	}
	if err != nil {
		return rootError(name, err)
	}
	defer w.Close()
	buf := make([]byte, 32<<10)
	var n int64
	for {
		k, rerr := r.Read(buf)
		if k > 0 {
			n += int64(k)
			x.total += int64(k)
			if n > x.lim.MaxFileBytes {
				return tooLarge(name, x.lim.MaxFileBytes)
			}
			if x.total > x.lim.MaxBytes {
				return input.ErrTooLarge.With("archive expands to more than %d bytes: refused (archive bomb?)", "l'archive décompressée dépasse %s : refusée (bombe de décompression ?)", input.Bytes(x.lim.MaxBytes))
			}
			if x.lim.MaxRatio > 0 && x.total > 1<<20 && x.total > x.lim.MaxRatio*(x.compressed+1) {
				return errBomb
			}
			if _, err := w.Write(buf[:k]); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return input.Wrap(rerr, "read archive entry %q (truncated or corrupt archive)", "entrée d'archive %q illisible (archive tronquée ou corrompue)", clip(name))
		}
	}
	return w.Close()
}

func tooLarge(name string, max int64) error {
	return input.ErrTooLarge.With("archive entry %q: limit %d per file", "entrée d'archive %q : limite %s par fichier", clip(name), input.Bytes(max))
}

// safeName refuses absolute names, "..", backslashes, drive letters and
// control characters.
func safeName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || (len(name) > 1 && name[1] == ':') {
		return input.Problemf("unsafe archive entry name %q (absolute path) refused", "nom d'entrée d'archive dangereux %q (chemin absolu) refusé", clip(name))
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return input.Problemf("unsafe archive entry name %q (path traversal) refused", "nom d'entrée d'archive dangereux %q (remontée de répertoire) refusé", clip(name))
		}
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return input.Problemf("archive entry name holds a control character: refused", "le nom d'une entrée d'archive contient un caractère de contrôle : refusé")
		}
	}
	return nil
}

// clip shortens an entry name for a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// dossierRoot is dir if it holds ent.yaml, else its single top-level
// directory that does (macOS's __MACOSX and hidden entries ignored).
func dossierRoot(dir string) (string, error) {
	if st, err := os.Lstat(filepath.Join(dir, manifest.FileName)); err == nil && st.Mode().IsRegular() {
		return dir, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var dirs []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") || e.Name() == "__MACOSX" {
			continue
		}
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 {
		sub := filepath.Join(dir, dirs[0])
		if st, err := os.Lstat(filepath.Join(sub, manifest.FileName)); err == nil && st.Mode().IsRegular() {
			return sub, nil
		}
	}
	return "", input.Problemf("no %s at the root of the archive nor in its single top-level directory", "aucun %s à la racine de l'archive ni dans son unique répertoire de premier niveau", manifest.FileName)
}
