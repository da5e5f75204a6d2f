package notice

import (
	"path/filepath"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/fuzzseed"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The fuzz targets below cover the page and notice parsers: HTML pages,
// notice documents (HTML, PDF), the text analysis of a notice and PDF text
// extraction. Their seeds run with `go test`; docs/fuzzing.md says how to
// explore further.

// FuzzPage audits a mutated home or login page (a local file).
func FuzzPage(f *testing.F) {
	fuzzseed.Seeds(f, 256<<10, fixtures+"/page/*.html", fixtures+"/page/*/*.html", fixtures+"/dossiers/conforme/pages/*.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "accueil.html", data)
		fs := CheckPage(testEnv(""), filepath.Join(dir, "accueil.html"))
		checkstest.Area(t, rules.AreaPage, fs)
	})
}

// FuzzNotice audits a mutated notice document (HTML or PDF) against the
// validated notice of the fixtures.
func FuzzNotice(f *testing.F) {
	fuzzseed.Seeds(f, 256<<10, fixtures+"/notice/*.html", fixtures+"/notice/*.pdf")
	ref, err := filepath.Abs(fixtures + "/notice/mentions-validees.html")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := fuzzseed.WriteFile(t, "mentions.html", data)
		env := testEnv("")
		env.Opts.NoticeReference = ref
		fs := CheckNotice(env, filepath.Join(dir, "mentions.html"))
		checkstest.Area(t, rules.AreaNotice, fs)
	})
}

// FuzzNoticeRules runs the notice rules on a mutated text (what is left of
// a notice once extracted): items, comparison with the validated text,
// deletion delays.
func FuzzNoticeRules(f *testing.F) {
	for _, s := range []string{
		"Les données sont conservées pendant un an après le départ de l'élève.",
		"Responsable du traitement : la commune. Délégué à la protection des données : dpo@exemple.fr. Durée de conservation : 3 ans. Droit d'accès, de rectification, d'opposition ; réclamation auprès de la CNIL.",
		"conservées 12 mois", "jusqu'à la fin de l'année scolaire", "cinq  ans\u00a0", "é\u0301\u200b\ufeff", "",
	} {
		f.Add(s)
	}
	ref, err := filepath.Abs(fixtures + "/notice/mentions-validees.html")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		env := testEnv("")
		fs := noticeFindings(env, "mentions.txt", text, ref)
		checkstest.Area(t, rules.AreaNotice, fs)
	})
}
