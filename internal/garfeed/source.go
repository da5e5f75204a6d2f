package garfeed

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Limits bound what a feed may cost to read. The defaults are generous for
// a region's nightly export and stop hostile inputs (bombs, huge files).
type Limits struct {
	// MaxFileBytes caps one XML file (loose or archive member).
	MaxFileBytes int64
	// MaxArchiveBytes caps the total uncompressed size of an archive.
	MaxArchiveBytes int64
	// MaxEntries caps the number of entries in an archive.
	MaxEntries int
	// MaxRatio caps the expansion ratio of an archive (uncompressed bytes
	// per compressed byte) once past 64 MiB: XML feeds compress about 20:1,
	// archive bombs by several hundreds or thousands to one.
	MaxRatio int64
}

// DefaultLimits are the limits of an audit (check gar, and the feeds
// other areas read).
var DefaultLimits = Limits{MaxFileBytes: 1 << 30, MaxArchiveBytes: 16 << 30, MaxEntries: 20000, MaxRatio: 200}

// Member is one XML file of the export.
type Member struct {
	// Name is the file's base name (what naming rules look at).
	Name string
	// Source is how evidence names it: "dir/name.xml" or
	// "archive.tar.gz!name.xml".
	Source string
	// Path is where it can be opened on disk.
	Path string
	Size int64 // bytes
}

// Archive describes the tar.gz, when the export comes as one.
type Archive struct {
	Source string // as the user named it
	MD5    string // digest of the archive bytes (lowercase hex)
	// MD5File is the .md5 beside it ("" when absent), MD5Declared the
	// digest it declares and MD5Err why it could not be read.
	MD5File, MD5Declared string
	MD5Err               error
	// Others lists non-XML members (reported by the naming rule).
	Others []string
	// Damage lists what is wrong with the compressed stream although
	// the tar could be read: a gzip trailer that does not match, data
	// after the tar's end marker or after the gzip stream, further gzip
	// members (GAR-003).
	Damage []Damage
}

// Damage is one integrity problem of an archive, at an offset of the
// compressed file.
type Damage struct {
	Offset int64 // -1 when not known
	FR, EN string
	// Zeros marks trailing bytes that are all NUL (padding some copy
	// tools add): a warning, not a failure.
	Zeros bool
}

// Feed is an export ready to scan: its XML files in name order.
type Feed struct {
	Members []Member
	Archive *Archive
	// NotRead lists what a directory of loose files holds besides its
	// .xml files (reported by the naming rule, never passed over).
	NotRead []DirEntry
	// Cleanup removes what opening left behind (an extracted archive).
	Cleanup func()
}

// DirEntry is an entry of a feed directory that is not read.
type DirEntry struct {
	Source string
	Dir    bool
}

// Open resolves src (a directory of loose XML files, a directory holding
// one tar.gz, or a tar.gz) into the members to scan. Archives are extracted
// to a private temporary directory under the limits; nothing outside it is
// ever written.
func Open(ctx context.Context, env Loader, src string, lim Limits) (*Feed, error) {
	p := env.Path(src)
	st, err := os.Stat(p)
	if err != nil {
		return nil, &input.Error{Source: src, Err: input.Problemf("feed not found", "export GAR introuvable")}
	}
	if !st.IsDir() && !st.Mode().IsRegular() {
		return nil, &input.Error{Source: src, Err: input.Problemf("not a regular file (FIFO or device refused)", "ce n'est pas un fichier ordinaire (tube nommé ou périphérique refusé)")}
	}
	if !st.IsDir() {
		if isTarGz(p) {
			return openArchive(ctx, env, src, lim)
		}
		if strings.HasSuffix(strings.ToLower(p), ".xml") {
			if st.Size() > lim.MaxFileBytes {
				return nil, &input.Error{Source: src, Err: input.ErrTooLarge.With("%d bytes, limit %d per file", "%s, limite %s par fichier", input.Bytes(st.Size()), input.Bytes(lim.MaxFileBytes))}
			}
			return &Feed{Members: []Member{{Name: filepath.Base(p), Source: src, Path: p, Size: st.Size()}}, Cleanup: func() {}}, nil
		}
		return nil, &input.Error{Source: src, Err: input.Problemf("not a GAR export: expected a directory, a .tar.gz or an .xml file", "ce n'est pas un export GAR : un répertoire, une archive .tar.gz ou un fichier .xml est attendu")}
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		return nil, &input.Error{Source: src, Err: input.Wrap(err, "read directory", "répertoire illisible")}
	}
	var tars []string
	f := &Feed{Cleanup: func() {}}
	for _, e := range ents {
		if isTarGz(e.Name()) {
			if !e.Type().IsRegular() {
				return nil, &input.Error{Source: joinSrc(src, e.Name()), Err: input.Problemf("not a regular file (symlink or device refused)", "ce n'est pas un fichier ordinaire (lien symbolique ou périphérique refusé)")}
			}
			tars = append(tars, e.Name())
		}
	}
	if len(tars) > 1 {
		return nil, &input.Error{Source: src, Err: input.Problemf("directory holds %d archives; give one export at a time", "le répertoire contient %d archives : fournir un seul export à la fois", len(tars))}
	}
	if len(tars) == 1 {
		f, err := openArchive(ctx, env, joinSrc(src, tars[0]), lim)
		if err != nil {
			return nil, err
		}
		// Beside the archive, only its .md5 is expected: loose files there
		// are not read, and said so.
		md5s := map[string]bool{tars[0] + ".md5": true, archiveBase(tars[0]) + ".md5": true}
		for _, e := range ents {
			if e.Name() != tars[0] && !md5s[e.Name()] && !hidden(e.Name()) {
				f.NotRead = append(f.NotRead, DirEntry{Source: joinSrc(src, e.Name()), Dir: e.IsDir()})
			}
		}
		return f, nil
	}
	for _, e := range ents {
		if hidden(e.Name()) {
			// Not part of a delivery, even when named *.xml (macOS's
			// "._X.xml" AppleDouble companions).
			continue
		}
		if !strings.HasSuffix(strings.ToLower(e.Name()), ".xml") {
			f.NotRead = append(f.NotRead, DirEntry{Source: joinSrc(src, e.Name()), Dir: e.IsDir()})
			continue
		}
		if !e.Type().IsRegular() {
			return nil, &input.Error{Source: joinSrc(src, e.Name()), Err: input.Problemf("not a regular file (symlink or device refused)", "ce n'est pas un fichier ordinaire (lien symbolique ou périphérique refusé)")}
		}
		info, err := e.Info()
		if err != nil {
			return nil, &input.Error{Source: joinSrc(src, e.Name()), Err: input.Wrap(err, "stat", "fichier illisible")}
		}
		if info.Size() > lim.MaxFileBytes {
			return nil, &input.Error{Source: joinSrc(src, e.Name()), Err: input.ErrTooLarge.With("%d bytes, limit %d per file", "%s, limite %s par fichier", input.Bytes(info.Size()), input.Bytes(lim.MaxFileBytes))}
		}
		f.Members = append(f.Members, Member{Name: e.Name(), Source: joinSrc(src, e.Name()), Path: filepath.Join(p, e.Name()), Size: info.Size()})
	}
	if len(f.Members) == 0 {
		return nil, &input.Error{Source: src, Err: input.Problemf("no .xml file and no .tar.gz found", "aucun fichier .xml ni archive .tar.gz trouvé")}
	}
	sort.Slice(f.Members, func(i, j int) bool { return f.Members[i].Name < f.Members[j].Name })
	return f, nil
}

// hidden says whether a directory entry is hidden (.DS_Store, .git):
// never part of a delivery, not worth a warning.
func hidden(name string) bool { return strings.HasPrefix(name, ".") }

func joinSrc(dir, name string) string {
	return strings.TrimSuffix(dir, "/") + "/" + name
}

// archiveBase is an archive's name less its .tar.gz or .tgz suffix (any
// case): NAME.md5 is its .md5, like NAME.tar.gz.md5.
func archiveBase(name string) string {
	n := strings.ToLower(name)
	for _, ext := range []string{".tar.gz", ".tgz"} {
		if strings.HasSuffix(n, ext) {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

func isTarGz(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tar.gz") || strings.HasSuffix(n, ".tgz")
}

// Loader is what Open needs of input.Loader.
type Loader interface {
	Path(string) string
	Record(result.Input)
	NewHashingReader(io.Reader, string, string) *input.HashingReader
}

// openArchive streams the tar.gz once: it computes the archive's MD5 and
// SHA-256, refuses unsafe entries and extracts XML members to a temporary
// directory within the limits.
func openArchive(ctx context.Context, env Loader, src string, lim Limits) (*Feed, error) {
	archiveExtractions.Add(1)
	p := env.Path(src)
	fh, err := os.Open(p)
	if err != nil {
		return nil, &input.Error{Source: src, Err: input.Problemf("archive not found", "archive introuvable")}
	}
	defer fh.Close()
	tmp, err := os.MkdirTemp("", "sdetcheck-gar-")
	if err != nil {
		return nil, input.Wrap(err, "create temporary directory", "création d'un répertoire temporaire impossible")
	}
	f := &Feed{Cleanup: func() { os.RemoveAll(tmp) }, Archive: &Archive{Source: src}}
	fail := func(err error) (*Feed, error) {
		f.Cleanup()
		if cerr := ctx.Err(); cerr != nil {
			// Stopped (SIGTERM, Ctrl-C): the archive is not to blame.
			return nil, &input.Error{Source: src, Err: Interrupted(cerr)}
		}
		return nil, err
	}
	h5 := md5.New()
	hr := env.NewHashingReader(io.TeeReader(input.ContextReader(ctx, fh), h5), src, "gar-archive")
	// The gzip reader reads byte by byte from a reader that counts what
	// it consumed, so that the end of each gzip member is known exactly.
	compressed := &countingReader{r: bufio.NewReader(hr)}
	gz, err := gzip.NewReader(compressed)
	if err != nil {
		return fail(&input.Error{Source: src, Err: input.Wrap(err, "read gzip", "archive gzip illisible")})
	}
	// One member at a time: a second gzip member is not part of the tar
	// the GAR extracts (tar stops at the first end marker), it is
	// reported.
	gz.Multistream(false)
	tr := tar.NewReader(gz)
	var total int64
	seen := map[string]bool{}
	for n := 0; ; n++ {
		hd, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(&input.Error{Source: src, Err: input.Wrap(err, "read tar (truncated or corrupt archive)", "archive tar illisible (tronquée ou corrompue)")})
		}
		if n >= lim.MaxEntries {
			return fail(&input.Error{Source: src, Err: input.Problemf("archive has more than %d entries; refused", "l'archive contient plus de %d entrées : refusée", lim.MaxEntries)})
		}
		name := hd.Name
		msrc := src + "!" + name
		if err := safeEntryName(name); err != nil {
			return fail(&input.Error{Source: msrc, Err: err})
		}
		switch hd.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return fail(&input.Error{Source: msrc, Err: input.Problemf("archive entry of type %q refused (only regular files)", "entrée d'archive de type %q refusée (fichiers ordinaires seulement)", string(hd.Typeflag))})
		}
		base := path.Base(name)
		if !strings.HasSuffix(strings.ToLower(base), ".xml") || hidden(base) {
			// Hidden members (macOS's "._X.xml" AppleDouble companions
			// made by tar on a Mac) are not feed files: listed as not read.
			f.Archive.Others = append(f.Archive.Others, name)
			continue
		}
		if hd.Size > lim.MaxFileBytes {
			return fail(&input.Error{Source: msrc, Err: input.ErrTooLarge.With("%d bytes, limit %d per file", "%s, limite %s par fichier", input.Bytes(hd.Size), input.Bytes(lim.MaxFileBytes))})
		}
		total += hd.Size
		if total > lim.MaxArchiveBytes {
			return fail(&input.Error{Source: src, Err: input.ErrTooLarge.With("archive expands to more than %d bytes; refused (archive bomb?)", "l'archive décompressée dépasse %s : refusée (bombe de décompression ?)", input.Bytes(lim.MaxArchiveBytes))})
		}
		if seen[base] {
			return fail(&input.Error{Source: msrc, Err: input.Problemf("member name appears twice in the archive", "ce nom de fichier figure deux fois dans l'archive")})
		}
		seen[base] = true
		out := filepath.Join(tmp, fmt.Sprintf("%05d.xml", len(f.Members)))
		w, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fail(input.Wrap(err, "extract member", "extraction d'un fichier de l'archive impossible"))
		}
		guard := &ratioGuard{w: w, compressed: compressed, base: total - hd.Size, max: lim.MaxRatio}
		written, err := io.Copy(guard, io.LimitReader(tr, lim.MaxFileBytes+1))
		w.Close()
		if errors.Is(err, errBomb) {
			return fail(&input.Error{Source: msrc, Err: err})
		}
		if err != nil {
			return fail(&input.Error{Source: msrc, Err: input.Wrap(err, "read member (truncated or corrupt archive)", "fichier de l'archive illisible (archive tronquée ou corrompue)")})
		}
		if written > lim.MaxFileBytes {
			return fail(&input.Error{Source: msrc, Err: input.ErrTooLarge.With("limit %d per file", "limite %s par fichier", input.Bytes(lim.MaxFileBytes))})
		}
		f.Members = append(f.Members, Member{Name: base, Source: msrc, Path: out, Size: written})
	}
	if err := checkTail(gz, compressed, f.Archive, &total, lim); err != nil {
		return fail(&input.Error{Source: src, Err: err})
	}
	if err := hr.Done(); err != nil {
		return fail(&input.Error{Source: src, Err: input.Wrap(err, "read archive", "archive illisible")})
	}
	if len(f.Members) == 0 {
		return fail(&input.Error{Source: src, Err: input.Problemf("archive holds no .xml file", "l'archive ne contient aucun fichier .xml")})
	}
	sort.Slice(f.Members, func(i, j int) bool { return f.Members[i].Name < f.Members[j].Name })
	f.Archive.MD5 = hex.EncodeToString(h5.Sum(nil))
	readMD5File(env, f.Archive, src)
	return f, nil
}

// readMD5File reads the .md5 delivered beside the archive.
func readMD5File(env Loader, a *Archive, src string) {
	cand := src + ".md5"
	if alt := archiveBase(src) + ".md5"; alt != cand {
		if _, err := os.Stat(env.Path(alt)); err == nil {
			cand = alt
		}
	}
	if st, err := os.Lstat(env.Path(cand)); err != nil || !st.Mode().IsRegular() {
		return // absent, or not a regular file (never open a FIFO)
	}
	fh, err := os.Open(env.Path(cand))
	if err != nil {
		return
	}
	defer fh.Close()
	a.MD5File = cand
	hr := env.NewHashingReader(io.LimitReader(fh, 4096), cand, "gar-md5")
	data, err := io.ReadAll(hr)
	if err == nil {
		err = hr.Done()
	}
	if err != nil {
		a.MD5Err = err
		return
	}
	a.MD5Declared = declaredMD5(data)
}

// bsdMD5Re is the BSD form of a digest line (md5 on macOS and BSD, md5sum
// --tag): "MD5 (name) = digest".
var bsdMD5Re = regexp.MustCompile(`^MD5 ?\((.*)\) ?= ?(\S+)`)

// declaredMD5 returns the digest a .md5 declares: the first field of the
// GNU form ("digest  name", "digest *name" or the digest alone) or the
// digest of the BSD form, ignoring a UTF-8 byte order mark (Windows
// editors write one).
func declaredMD5(data []byte) string {
	text := strings.TrimPrefix(string(data), "\ufeff")
	text = strings.TrimLeft(text, " \t\r\n")
	line, _, _ := strings.Cut(text, "\n")
	if m := bsdMD5Re.FindStringSubmatch(strings.TrimRight(line, "\r")); m != nil {
		return m[2]
	}
	if fields := strings.Fields(text); len(fields) > 0 {
		return fields[0]
	}
	return ""
}

// safeEntryName refuses absolute paths, parent references and odd names.
// A tar member name uses "/" whatever the system that wrote it.
func safeEntryName(name string) error {
	// Absolute here or on Windows: a leading "/", a "\" anywhere (the
	// separator tar on Windows would follow), a drive ("C:").
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || (len(name) > 1 && name[1] == ':') {
		return input.Problemf("unsafe archive entry name %q (absolute path) refused", "nom d'entrée d'archive dangereux %q (chemin absolu) refusé", name)
	}
	// The standard library says whether the name stays within the
	// extraction directory; a ".." element is refused even when it stays
	// within ("a/../b"), as GNU tar refuses such members.
	if !filepath.IsLocal(filepath.FromSlash(name)) || strings.Contains("/"+name+"/", "/../") {
		return input.Problemf("unsafe archive entry name %q (path traversal) refused", "nom d'entrée d'archive dangereux %q (remontée de répertoire) refusé", name)
	}
	if strings.ContainsRune(name, 0) {
		return input.Problemf("archive entry name holds a NUL byte; refused", "le nom d'une entrée d'archive contient un octet NUL : refusé")
	}
	return nil
}

// countingReader counts the compressed bytes consumed. It is an
// io.ByteReader, so compress/flate reads no further than it needs and n
// is the exact offset of the end of a gzip member.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// checkTail reads what the tar reader left once it met the end-of-archive
// marker: the rest of the first gzip member (tar padding, all NUL, then
// the gzip trailer, whose CRC-32 and length compress/gzip checks at the
// member's end), then whatever follows the member: further gzip members
// or other bytes. Problems are noted in a.damage; the error is for what
// stops the reading (an archive bomb).
func checkTail(gz *gzip.Reader, c *countingReader, a *Archive, total *int64, lim Limits) error {
	budget := func() int64 { return lim.MaxArchiveBytes - *total }
	// Rest of the first member: tar padding.
	var z zeroCounter
	n, err := io.Copy(&ratioGuard{w: &z, compressed: c, base: *total, max: lim.MaxRatio}, io.LimitReader(gz, budget()+1))
	*total += n
	if errors.Is(err, errBomb) {
		return err
	}
	if *total > lim.MaxArchiveBytes {
		return input.ErrTooLarge.With("archive expands to more than %d bytes; refused (archive bomb?)", "l'archive décompressée dépasse %s : refusée (bombe de décompression ?)", input.Bytes(lim.MaxArchiveBytes))
	}
	if z.nonZero > 0 {
		a.Damage = append(a.Damage, Damage{Offset: -1,
			FR: fmt.Sprintf("%s de données après la marque de fin de l'archive tar (ignorées par tar à l'extraction)", input.Bytes(z.nonZero)),
			EN: fmt.Sprintf("%d bytes of data after the tar end-of-archive marker (ignored by tar on extraction)", z.nonZero)})
	}
	if err != nil {
		a.Damage = append(a.Damage, gzipDamage(err, c.n))
		return nil // the rest cannot be framed: stop there
	}
	for member := 2; ; member++ {
		off := c.n
		head, _ := c.r.Peek(2)
		switch {
		case len(head) == 0:
			return nil
		case len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b:
		default:
			var z zeroCounter
			n, err := io.Copy(&z, c)
			if err != nil {
				return input.Wrap(err, "read archive", "archive illisible")
			}
			if z.nonZero == 0 {
				a.Damage = append(a.Damage, Damage{Offset: off, Zeros: true,
					FR: fmt.Sprintf("%s nuls après la fin du flux gzip", input.Bytes(n)),
					EN: fmt.Sprintf("%d NUL bytes after the end of the gzip stream", n)})
			} else {
				a.Damage = append(a.Damage, Damage{Offset: off,
					FR: fmt.Sprintf("%s de données après la fin du flux gzip (ni gzip ni tar : ignorées ou refusées selon l'outil)", input.Bytes(n)),
					EN: fmt.Sprintf("%d bytes of data after the end of the gzip stream (neither gzip nor tar: ignored or refused depending on the tool)", n)})
			}
			return nil
		}
		if err := gz.Reset(c); err != nil {
			a.Damage = append(a.Damage, Damage{Offset: off,
				FR: fmt.Sprintf("membre gzip n° %d illisible (%s)", member, gzipReason(err).FR),
				EN: fmt.Sprintf("gzip member #%d unreadable (%s)", member, gzipReason(err).EN)})
			return nil
		}
		gz.Multistream(false)
		names, n, err := extraMember(gz, c, *total, budget(), lim)
		*total += n
		if errors.Is(err, errBomb) || errors.Is(err, input.ErrTooLarge) {
			return err
		}
		what, whatEN := fmt.Sprintf("%s décompressés", input.Bytes(n)), fmt.Sprintf("%d bytes uncompressed", n)
		if len(names) > 0 {
			what, whatEN = "archive tar contenant "+strings.Join(names, ", "), "tar archive holding "+strings.Join(names, ", ")
		}
		a.Damage = append(a.Damage, Damage{Offset: off,
			FR: fmt.Sprintf("membre gzip n° %d ajouté après la fin de l'archive (%s) : jamais extrait par tar, son contenu n'atteint pas le GAR", member, what),
			EN: fmt.Sprintf("gzip member #%d appended after the end of the archive (%s): never extracted by tar, its content does not reach the GAR", member, whatEN)})
		if err != nil {
			a.Damage = append(a.Damage, gzipDamage(err, c.n))
			return nil
		}
	}
}

// maxListed bounds the member names listed for an extra gzip member.
const maxListed = 5

// extraMember reads one gzip member appended after the archive: the names
// of the files it holds when it is a tar (the headers only, bodies are
// discarded), within the archive's limits.
func extraMember(gz *gzip.Reader, c *countingReader, base, budget int64, lim Limits) ([]string, int64, error) {
	cr := &countingDecompressed{r: io.LimitReader(gz, budget+1)}
	var names []string
	tr := tar.NewReader(cr)
	for i := 0; i < lim.MaxEntries; i++ {
		hd, err := tr.Next()
		if err != nil {
			break
		}
		if len(names) < maxListed {
			names = append(names, fmt.Sprintf("%q", path.Base(hd.Name)))
		} else if len(names) == maxListed {
			names = append(names, "…")
		}
	}
	_, err := io.Copy(&ratioGuard{w: io.Discard, compressed: c, base: base, max: lim.MaxRatio}, cr)
	if cr.n > budget {
		return names, cr.n, input.ErrTooLarge.With("archive expands to more than %d bytes; refused (archive bomb?)", "l'archive décompressée dépasse %s : refusée (bombe de décompression ?)", input.Bytes(lim.MaxArchiveBytes))
	}
	return names, cr.n, err
}

type countingDecompressed struct {
	r io.Reader
	n int64
}

func (c *countingDecompressed) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// gzipDamage describes an error met at the end of a gzip member.
func gzipDamage(err error, off int64) Damage {
	r := gzipReason(err)
	return Damage{Offset: off, FR: r.FR, EN: r.EN}
}

// gzipReason words an error of compress/gzip.
func gzipReason(err error) *input.Problem {
	switch {
	case errors.Is(err, gzip.ErrChecksum):
		return input.Problemf("gzip trailer does not match the data (CRC-32 or length wrong): corrupt archive", "la fin du flux gzip ne correspond pas aux données (CRC-32 ou longueur faux) : archive corrompue")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return input.Problemf("gzip stream cut before its trailer: truncated archive", "flux gzip interrompu avant sa fin : archive tronquée")
	case errors.Is(err, gzip.ErrHeader):
		return input.Problemf("invalid gzip header", "en-tête gzip invalide")
	}
	return input.Problemf("corrupt compressed data", "données compressées corrompues")
}

// zeroCounter counts the bytes written that are not NUL.
type zeroCounter struct{ nonZero int64 }

func (z *zeroCounter) Write(p []byte) (int, error) {
	for _, b := range p {
		if b != 0 {
			z.nonZero++
		}
	}
	return len(p), nil
}

var errBomb = &input.Problem{
	EN: "archive expands more than its limit ratio; refused (archive bomb?)",
	FR: "l'archive se décompresse au-delà du taux de compression admis : refusée (bombe de décompression ?)",
}

// ratioGuard stops extraction as soon as the archive's expansion ratio
// exceeds max, before the bytes reach the disk.
type ratioGuard struct {
	w          io.Writer
	compressed *countingReader
	base, n    int64
	max        int64
}

func (g *ratioGuard) Write(p []byte) (int, error) {
	g.n += int64(len(p))
	out := g.base + g.n
	if g.max > 0 && out > 64<<20 && out > g.max*(g.compressed.n+1) {
		return 0, errBomb.With("%d bytes from %d compressed", "%s pour %s compressés", input.Bytes(out), input.Bytes(g.compressed.n))
	}
	return g.w.Write(p)
}

// archiveExtractions counts archive extractions (test hook).
var archiveExtractions atomic.Int64

// ArchiveExtractions says how many times an archive was extracted since the
// process started (for tests: one per run when shared).
func ArchiveExtractions() int64 { return archiveExtractions.Load() }

// Cache shares what a run opens once (checks.Cache satisfies it): Get
// returns the value cached under key, or calls open and keeps its value;
// the cleanup it returns is the caller's to call (a no-op when the cache
// keeps the value for the rest of the run).
type Cache interface {
	Get(key string, open func() (any, func(), error)) (v any, cleanup func(), err error)
}

// OpenCached is Open, shared through c for the run: the feed is opened
// (an archive extracted) once, and its temporary files removed when the
// cache is closed. The returned feed's Cleanup is then a no-op. With a nil
// cache (or a cache that keeps nothing) the caller's Cleanup removes them.
func OpenCached(ctx context.Context, c Cache, ld Loader, src string, lim Limits) (*Feed, error) {
	if c == nil {
		return Open(ctx, ld, src, lim)
	}
	v, done, err := c.Get(fmt.Sprintf("gar-feed\x00%s\x00%+v", src, lim), func() (any, func(), error) {
		f, err := Open(ctx, ld, src, lim)
		if err != nil {
			return nil, nil, err
		}
		return f, f.Cleanup, nil
	})
	if err != nil {
		return nil, err
	}
	f := *v.(*Feed)
	f.Cleanup = func() {}
	if done != nil {
		f.Cleanup = done
	}
	return &f, nil
}
