package input

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Each kind of error sdetcheck raises is said in English (Error, for the
// command line and message_en) and in French (French, for the reports),
// keeps its file, line and column, and keeps a third-party message only as
// the marked technical detail.
func TestProblemTexts(t *testing.T) {
	foreign := errors.New("gzip: invalid header")
	cases := []struct {
		name   string
		err    error
		en, fr string
		kind   error // errors.Is must hold, when set
	}{
		{"problem", Problemf("empty file", "fichier vide"), "empty file", "fichier vide", nil},
		{"problem with args", Problemf("%d archives", "%d archives", 2), "2 archives", "2 archives", nil},
		{"located", &Error{Source: "saml/idp.xml", Line: 7, Column: 253, Err: Problemf("empty file", "fichier vide")},
			"saml/idp.xml:7:253: empty file", "saml/idp.xml, ligne 7, colonne 253 : fichier vide", nil},
		{"line only", &Error{Source: "a.yaml", Line: 3, Err: Problemf("x", "y")}, "a.yaml:3: x", "a.yaml, ligne 3 : y", nil},
		{"no line", &Error{Source: "a.yaml", Err: Problemf("x", "y")}, "a.yaml: x", "a.yaml : y", nil},
		{"too large", &Error{Source: "big.xml", Err: ErrTooLarge.With("%d bytes, limit %d", "%d octets, limite %d", 30, 20)},
			"big.xml: input too large: 30 bytes, limit 20", "big.xml : pièce trop volumineuse : 30 octets, limite 20", ErrTooLarge},
		{"outside", &Error{Source: "aaf/x.xml", Err: ErrOutside},
			"aaf/x.xml: points outside the dossier directory (through a symbolic link or ..); refused",
			"aaf/x.xml : désigne un emplacement hors du dossier (par un lien symbolique ou « .. ») : refusé", ErrOutside},
		{"foreign cause is the technical detail", &Error{Source: "gar/a.tar.gz", Err: Wrap(foreign, "read gzip", "archive gzip illisible")},
			"gar/a.tar.gz: read gzip: gzip: invalid header",
			"gar/a.tar.gz : archive gzip illisible (détail technique : gzip: invalid header)", foreign},
		{"own cause is translated", Wrap(Problemf("inner", "intérieur"), "outer", "extérieur"), "outer: inner", "extérieur : intérieur", nil},
		{"located cause", Wrap(&Error{Source: "f.xml", Line: 2, Err: Problemf("bad", "mauvais")}, "check", "contrôle"),
			"check: f.xml:2: bad", "contrôle : f.xml, ligne 2 : mauvais", nil},
		{"foreign wrapper around ours stays technical", fmt.Errorf("render: %w", Problemf("x", "y")), "render: x", "erreur (détail technique : render: x)", nil},
		{"http 404", &Error{Source: "https://ent.test/m", Err: HTTPStatus(404)}, "https://ent.test/m: http status 404",
			"https://ent.test/m : le serveur a répondu avec le code HTTP 404 (page introuvable)", nil},
		{"http 503", HTTPStatus(503), "http status 503", "le serveur a répondu avec le code HTTP 503 (erreur du serveur)", nil},
		{"system error glossed", &Error{Source: "x", Err: fs.ErrNotExist}, "x: file does not exist", "x : introuvable (détail technique : file does not exist)", fs.ErrNotExist},
		{"time-out glossed", Wrap(context.DeadlineExceeded, "fetch", "téléchargement impossible"), "fetch: context deadline exceeded",
			"téléchargement impossible : délai dépassé (détail technique : context deadline exceeded)", context.DeadlineExceeded},
		{"empty archive glossed", Wrap(io.EOF, "read gzip", "archive gzip illisible"), "read gzip: EOF",
			"archive gzip illisible : fin de données inattendue (fichier vide ou tronqué ?) (détail technique : EOF)", io.EOF},
		{"foreign error alone", errors.New("boom"), "boom", "erreur (détail technique : boom)", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := []string{c.err.Error(), French(c.err)}
			if d := cmp.Diff([]string{c.en, c.fr}, got); d != "" {
				t.Errorf("texts (-want +got):\n%s", d)
			}
			if c.kind != nil && !errors.Is(c.err, c.kind) {
				t.Errorf("errors.Is(%v) = false", c.kind)
			}
		})
	}
}

// The loader's own errors, produced for real, are said in French with
// their file.
func TestLoaderErrorsInFrench(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "big.xml"), make([]byte, 100), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.Symlink("/etc/hostname", filepath.Join(dir, "out.xml"))
	l := &Loader{Base: dir, MaxBytes: 10}
	ctx := context.Background()
	cases := []struct {
		src  string
		want string
	}{
		{"big.xml", "big.xml : pièce trop volumineuse : 100 octets, limite 10 octets"},
		{"sub", "sub : c'est un répertoire, un fichier est attendu"},
		{"out.xml", "out.xml : désigne un emplacement hors du dossier"},
		{"absent.xml", "absent.xml : introuvable (détail technique : no such file or directory)"},
		{"ftp://x/y", "ftp://x/y : protocole \"ftp\" refusé"},
		{"https://user:pw@x/y", "https://user:pw@x/y : l'adresse (URL) contient des identifiants : refusée"},
	}
	for _, c := range cases {
		var err error
		if strings.Contains(c.src, "://") {
			_, err = l.Fetch(ctx, c.src, "t")
		} else {
			_, err = l.Read(ctx, c.src, "t")
		}
		if err == nil {
			t.Errorf("%s: no error", c.src)
			continue
		}
		if fr := French(err); !strings.HasPrefix(fr, c.want) {
			t.Errorf("%s: French\n got %q\nwant %q…", c.src, fr, c.want)
		}
		if !strings.HasPrefix(err.Error(), c.src+": ") {
			t.Errorf("%s: English %q", c.src, err.Error())
		}
	}
}

// Sizes keep their exact figure in English and read as people say them in
// French.
func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 octets", 1023: "1023 octets", 1024: "1 Kio", 1536: "1,5 Kio",
		20 << 20: "20 Mio", 3 << 30: "3 Gio", 1051468: "1 Mio"} {
		if got := fmt.Sprintf("%s", Bytes(n)); got != want {
			t.Errorf("%%s of %d = %q, want %q", n, got, want)
		}
		if got, want := fmt.Sprintf("%d", Bytes(n)), fmt.Sprint(n); got != want {
			t.Errorf("%%d of %d = %q, want %q", n, got, want)
		}
	}
	p := ErrTooLarge.With("%d bytes, limit %d", "%s, limite %s", Bytes(3<<30), Bytes(20<<20))
	if got := []string{p.Error(), p.French()}; !cmp.Equal(got, []string{"input too large: 3221225472 bytes, limit 20971520", "pièce trop volumineuse : 3 Gio, limite 20 Mio"}) {
		t.Errorf("texts %q", got)
	}
}

// A special file is named by its kind, in each language: the English text
// says "named pipe" and the French "tube nommé", and neither carries the
// other language's word as a stray formatting argument.
func TestSpecialFileKindInEachLanguage(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "tube")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, err := StatFile(fifo, false)
	if err == nil {
		t.Fatal("a named pipe was accepted")
	}
	got := []string{err.Error(), French(err)}
	want := []string{"not a regular file (named pipe); refused", "ce n'est pas un fichier ordinaire (tube nommé) : refusé"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
}

// A URL of another scheme than http(s) given on the command line is
// refused as such, not looked for as a file ("ftp://…: not found").
func TestOtherSchemeRefused(t *testing.T) {
	l := &Loader{}
	for _, src := range []string{"ftp://ent.example/mentions.html", "file:///etc/passwd", "sftp://ent.example/x"} {
		_, err := l.Read(context.Background(), src, "page")
		if err == nil {
			t.Errorf("%s: read", src)
			continue
		}
		if !strings.Contains(err.Error(), "refused: only https") || !strings.Contains(French(err), "refusé : https seulement") || strings.Contains(French(err), "introuvable") {
			t.Errorf("%s: %q / %q", src, err, French(err))
		}
	}
}
