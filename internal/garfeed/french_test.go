package garfeed

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/input"
)

// The feed's own refusals (archive guards, layout) are said in English and
// in French, with the file.
func TestFeedErrorsInFrench(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "vide"), 0o755)
	os.Mkdir(filepath.Join(dir, "deux"), 0o755)
	os.WriteFile(filepath.Join(dir, "deux/a.tar.gz"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "deux/b.tar.gz"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "vide.tar.gz"), nil, 0o644)
	ld := &input.Loader{Base: dir}
	cases := []struct {
		name   string
		err    error
		en, fr string
	}{
		{"absolute entry", safeEntryName("/etc/passwd"),
			`unsafe archive entry name "/etc/passwd" (absolute path) refused`,
			`nom d'entrée d'archive dangereux "/etc/passwd" (chemin absolu) refusé`},
		{"traversal entry", safeEntryName("a/../../b"),
			`unsafe archive entry name "a/../../b" (path traversal) refused`,
			`nom d'entrée d'archive dangereux "a/../../b" (remontée de répertoire) refusé`},
		{"bomb", errBomb.With("%d bytes from %d compressed", "%s pour %s compressés", input.Bytes(200<<20), input.Bytes(1<<20)),
			"archive expands more than its limit ratio; refused (archive bomb?): 209715200 bytes from 1048576 compressed",
			"l'archive se décompresse au-delà du taux de compression admis : refusée (bombe de décompression ?) : 200 Mio pour 1 Mio compressés"},
		{"not a feed", feedErr(Open(context.Background(), ld, "notes.txt", DefaultLimits)),
			"notes.txt: not a GAR export: expected a directory, a .tar.gz or an .xml file",
			"notes.txt : ce n'est pas un export GAR : un répertoire, une archive .tar.gz ou un fichier .xml est attendu"},
		{"empty directory", feedErr(Open(context.Background(), ld, "vide", DefaultLimits)),
			"vide: no .xml file and no .tar.gz found", "vide : aucun fichier .xml ni archive .tar.gz trouvé"},
		{"two archives", feedErr(Open(context.Background(), ld, "deux", DefaultLimits)),
			"deux: directory holds 2 archives; give one export at a time", "deux : le répertoire contient 2 archives : fournir un seul export à la fois"},
		{"absent", feedErr(Open(context.Background(), ld, "absent", DefaultLimits)), "absent: feed not found", "absent : export GAR introuvable"},
		{"empty archive", feedErr(Open(context.Background(), ld, "vide.tar.gz", DefaultLimits)), "vide.tar.gz: read gzip: EOF",
			"vide.tar.gz : archive gzip illisible : fin de données inattendue (fichier vide ou tronqué ?) (détail technique : EOF)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.err == nil {
				t.Fatal("no error")
			}
			if got := c.err.Error(); got != c.en {
				t.Errorf("English %q, want %q", got, c.en)
			}
			if got := input.French(c.err); got != c.fr {
				t.Errorf("French %q, want %q", got, c.fr)
			}
			if strings.Contains(input.French(c.err), "refused") {
				t.Error("English in the French text")
			}
		})
	}
}

func feedErr(f *Feed, err error) error {
	if f != nil {
		f.Cleanup()
	}
	return err
}
