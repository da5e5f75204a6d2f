// Package safeout writes sdetcheck's outputs without ever destroying
// anything: not an input of the run (the manifest, a notice, the only
// result JSON), not a device (/dev/null stays a device), not a symbolic
// link (written through, never replaced), not a FIFO or a socket
// (refused).
//
// A regular file is written through a temporary file in its directory,
// renamed onto it at the end, so that a failed run leaves no half-written
// report. A new file gets 0666 less the umask, as any program's; an
// existing file keeps its mode.
package safeout

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// maxWalk bounds the files read from an input directory (a GAR feed
// holds a few dozen files; a hostile tree must not make the check slow).
const maxWalk = 100000

// Inputs are the files a run reads, known by identity (device and inode)
// so that a hard link or a symbolic link to an input is recognised under
// any name.
type Inputs struct {
	files  []known
	walked int
}

type known struct {
	name string
	info os.FileInfo
}

// Add notes path as an input: a file, or every file below a directory.
// A URL, an empty path or a path that does not exist is ignored (the run
// itself says what is wrong with it).
func (in *Inputs) Add(path string) {
	if path == "" || input.IsURL(path) || input.OtherScheme(path) != "" {
		return
	}
	st, err := os.Stat(path)
	if err != nil {
		return
	}
	if !st.IsDir() {
		in.files = append(in.files, known{path, st})
		if strings.HasSuffix(strings.ToLower(path), ".tar.gz") {
			// A GAR archive's digest file, under either name the feed
			// check looks for.
			in.Add(path + ".md5")
			in.Add(path[:len(path)-len(".tar.gz")] + ".md5")
		}
		return
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || in.walked >= maxWalk {
			return filepath.SkipDir
		}
		in.walked++
		if d.IsDir() {
			return nil
		}
		// Stat follows a symbolic link in the directory to what it
		// names, which is what the run reads.
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			in.files = append(in.files, known{p, st})
		}
		return nil
	})
}

// ErrInput is the refusal of an output that is an input of the run.
var ErrInput = &input.Problem{
	EN: "is an input of this run; refused (it would be overwritten)",
	FR: "c'est une pièce lue par cette exécution : refusé (elle serait écrasée)",
}

// Check refuses target when it is one of the inputs (the same file
// through any name, link or symbolic link).
func (in *Inputs) Check(target string) error {
	st, err := os.Stat(target)
	if err != nil {
		return nil // nothing there (or unreachable: Write says so)
	}
	for _, k := range in.files {
		if os.SameFile(st, k.info) {
			if sameName(target, k.name) {
				return input.Wrap(ErrInput, "output %s", "sortie %s", target)
			}
			return input.Wrap(ErrInput.With("the same file as %s", "le même fichier que %s", k.name), "output %s", "sortie %s", target)
		}
	}
	return nil
}

func sameName(a, b string) bool {
	return filepath.Clean(a) == filepath.Clean(b)
}

// stdoutNames are the names of the process's own standard output: they
// are written to the stdout the command was given (a pipe in CI, which
// is no file to open).
var stdoutNames = map[string]bool{"-": true, "/dev/stdout": true, "/dev/fd/1": true, "/proc/self/fd/1": true}

// stderrNames are the names of the process's standard error.
var stderrNames = map[string]bool{"/dev/stderr": true, "/dev/fd/2": true, "/proc/self/fd/2": true}

// Write writes target with fill, or refuses. stdout is the command's
// standard output, written for "-" and /dev/stdout. Errors name target,
// never a temporary file.
func Write(target string, stdout io.Writer, fill func(io.Writer) error) error {
	if stdoutNames[target] {
		if err := fill(stdout); err != nil {
			return input.Wrap(osCause(err), "write %s", "écriture de %s impossible", target)
		}
		return nil
	}
	if stderrNames[target] {
		// The process's standard error, a pipe in CI: appended to,
		// never created or replaced.
		return writeFD(target, target, os.O_WRONLY|os.O_APPEND, fill)
	}
	real := target
	lst, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeRegular(target, target, nil, fill)
	case err != nil:
		return input.Wrap(osCause(err), "write %s", "écriture de %s impossible", target)
	case lst.Mode()&fs.ModeSymlink != 0:
		// Written through: the link stays, what it names is written.
		r, err := filepath.EvalSymlinks(target)
		if err != nil {
			return input.Wrap(osCause(err), "write %s: symbolic link to a missing or unreachable file", "écriture de %s impossible : lien symbolique vers un fichier absent ou inaccessible", target)
		}
		real = r
	}
	st, err := os.Stat(real)
	if errors.Is(err, fs.ErrNotExist) {
		return writeRegular(target, real, nil, fill)
	}
	if err != nil {
		return input.Wrap(osCause(err), "write %s", "écriture de %s impossible", target)
	}
	m := st.Mode()
	switch {
	case m.IsRegular():
		return writeRegular(target, real, st, fill)
	case m.IsDir():
		return input.Wrap(syscall.EISDIR, "write %s", "écriture de %s impossible", target)
	case m&fs.ModeCharDevice != 0:
		return writeDevice(target, real, fill)
	}
	en, fr := kindOf(m)
	return input.Problemf("write %s: not a regular file ("+en+"); refused", "écriture de %s refusée : ce n'est pas un fichier ordinaire ("+fr+")", target)
}

// kindOf names a special file that is not written to.
func kindOf(m fs.FileMode) (en, fr string) {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe", "tube nommé"
	case m&fs.ModeSocket != 0:
		return "socket", "socket"
	case m&fs.ModeDevice != 0:
		return "block device", "périphérique de blocs"
	}
	return "special file", "fichier spécial"
}

// writeDevice writes a character device in place (/dev/null, /dev/full,
// a terminal): never created, truncated or replaced.
func writeDevice(target, real string, fill func(io.Writer) error) error {
	return writeFD(target, real, os.O_WRONLY, fill)
}

// writeFD opens path (target, or what its links name) with flag (never
// O_CREATE nor O_TRUNC) and writes it with fill; errors name target.
func writeFD(target, path string, flag int, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return input.Wrap(osCause(err), "write %s", "écriture de %s impossible", target)
	}
	err = fill(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return input.Wrap(osCause(err), "write %s", "écriture de %s impossible", target)
	}
	return nil
}

// writeRegular writes real (target, or what the symbolic link target
// names) through a temporary file renamed onto it. old is the existing
// file's information, nil for a new file.
func writeRegular(target, real string, old os.FileInfo, fill func(io.Writer) error) error {
	dir := filepath.Dir(real)
	if st, err := os.Stat(dir); err != nil {
		return input.Wrap(osCause(err), "write %s: directory %s", "écriture de %s impossible : répertoire %s", target, dir)
	} else if !st.IsDir() {
		return input.Wrap(syscall.ENOTDIR, "write %s: %s", "écriture de %s impossible : %s", target, dir)
	}
	tmp, f, err := createTemp(dir)
	if err != nil {
		return input.Wrap(osCause(err), "write %s: directory %s", "écriture de %s impossible : répertoire %s", target, dir)
	}
	defer os.Remove(tmp)
	// The temporary file is created 0666 so that the system applies the
	// umask: its mode is what a new file gets. It is made private while
	// it is written, then given its final mode.
	mode := fs.FileMode(0o600)
	if st, err := f.Stat(); err == nil {
		mode = st.Mode().Perm()
	}
	if old != nil {
		mode = old.Mode().Perm()
	}
	werr := f.Chmod(0o600)
	if werr == nil {
		werr = fill(f)
	}
	if werr == nil {
		werr = f.Chmod(mode)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, real)
	}
	if werr != nil {
		return input.Wrap(osCause(werr), "write %s", "écriture de %s impossible", target)
	}
	return nil
}

// createTemp creates a new file in dir with mode 0666 (less the umask).
func createTemp(dir string) (string, *os.File, error) {
	for i := 0; ; i++ {
		var b [8]byte
		rand.Read(b[:])
		name := filepath.Join(dir, ".sdetcheck-"+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if err == nil {
			return name, f, nil
		}
		if !errors.Is(err, fs.ErrExist) || i >= 10 {
			return "", nil, err
		}
	}
}

// osCause is the system's error under a file operation's error, without
// the paths it names (the temporary file's): the message names the
// user's path itself.
func osCause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}
