package notice

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

const fixtures = "../../fixtures"

func testEnv(base string) *checks.Env {
	return &checks.Env{
		Ctx:    context.Background(),
		Loader: &input.Loader{Base: base},
		Now:    time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
	}
}

// byRule groups statuses per rule.
func byRule(fs []result.Finding) map[string][]result.Status {
	m := map[string][]result.Status{}
	for _, f := range fs {
		m[f.Rule] = append(m[f.Rule], f.Status)
	}
	return m
}

// failedItems lists the keys of the NOTICE-001 items reported missing.
func failedItems(fs []result.Finding) []string {
	return itemsWith(fs, result.Fail)
}

// itemsWith lists the NOTICE-001 items (the findings' item field) whose
// status is st.
func itemsWith(fs []result.Finding, st result.Status) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == "NOTICE-001" && f.Status == st {
			out = append(out, f.Item)
		}
	}
	return out
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFold(t *testing.T) {
	got := fold("  Délégué   à la PROTECTION\u00a0des données — l’œuvre ")
	want := "delegue a la protection des donnees - l'oeuvre"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fold (-want +got):\n%s", diff)
	}
}

// TestItemsEachReported removes each item's sentence from the validated
// notice in turn and checks that exactly that item is reported missing,
// by name, whether or not the text has accents.
func TestItemsEachReported(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "notice/mentions-validees.html"))
	if err != nil {
		t.Fatal(err)
	}
	env := testEnv("")
	full, err := noticeText(env, "ref", data, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := failedItems(contentFindings(env, "ref", full)); len(got) != 0 {
		t.Fatalf("complete notice: missing %v", got)
	}
	// without accents, upper case
	if got := failedItems(contentFindings(env, "ref", strings.ToUpper(fold(full)))); len(got) != 0 {
		t.Fatalf("unaccented notice: missing %v", got)
	}
	cuts := map[string][]string{
		"dpo":                    {"Vous pouvez contacter le délégué à la protection des données (DPO) du Département par courriel à dpo@departement-fictif.example et celui de l'académie au moyen du formulaire en ligne https://www.ac-fictive.example/dpo.", " du délégué à la protection des données", "Délégués à la protection des données"},
		"finalites":              {"a pour finalités de", "Finalités"},
		"accord-conjoint":        {"Un accord entre les responsables conjoints définit leurs obligations respectives."},
		"base-legale":            {"mission d'intérêt public (article 6, paragraphe 1, point e, du RGPD)"},
		"source-aaf":             {"l'annuaire académique fédérateur (AAF)"},
		"destinataires":          {"Les destinataires des données sont", "Destinataires"},
		"droit-rectification":    {"de rectification,"},
		"droit-opposition":       {"d'opposition et"},
		"droit-limitation":       {"de limitation du traitement de vos données", "dans la limite de"},
		"directives-post-mortem": {", ainsi que du droit de définir des directives relatives au sort de vos données après votre décès"},
		"reclamation-cnil":       {"adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL), www.cnil.fr", "Réclamation"},
	}
	for key, parts := range cuts {
		text := full
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Fatalf("%s: fixture lacks %q", key, p)
			}
			text = strings.ReplaceAll(text, p, "")
		}
		fs := contentFindings(env, "n", text)
		got := failedItems(fs)
		if key == "accord-conjoint" {
			// a point to check, not a failure: the convention makes the
			// summary available elsewhere
			got = itemsWith(fs, result.Warn)
		}
		if diff := cmp.Diff([]string{key}, got); diff != "" {
			t.Errorf("without %s (-want +got):\n%s", key, diff)
		}
	}
}

func TestIncompleteFixture(t *testing.T) {
	env := testEnv("")
	env.Opts.NoticeReference = filepath.Join(fixtures, "notice/mentions-validees.html")
	fs := CheckNotice(env, filepath.Join(fixtures, "notice/mentions-incompletes.html"))
	want := []string{"dpo", "directives-post-mortem", "reclamation-cnil"}
	if diff := cmp.Diff(want, failedItems(fs)); diff != "" {
		t.Errorf("missing items (-want +got):\n%s", diff)
	}
	if got := byRule(fs)["NOTICE-002"]; !cmp.Equal(got, []result.Status{result.Fail}) {
		t.Errorf("NOTICE-002 = %v, want fail", got)
	}
}

func TestPDFAndReference(t *testing.T) {
	env := testEnv("")
	env.Opts.NoticeReference = filepath.Join(fixtures, "notice/mentions-validees.html")
	fs := CheckNotice(env, filepath.Join(fixtures, "notice/mentions-completes.pdf"))
	if got := failedItems(fs); len(got) != 0 {
		t.Errorf("pdf: missing %v", got)
	}
	if got := byRule(fs)["NOTICE-002"]; !cmp.Equal(got, []result.Status{result.Pass}) {
		t.Errorf("pdf NOTICE-002 = %v, want pass", got)
	}
	if m := checks.Missing(rules.AreaNotice, fs); len(m) != 0 {
		t.Errorf("rules without finding: %v", m)
	}
}

func TestDiffShowsChangeBounded(t *testing.T) {
	env := testEnv("")
	env.Opts.NoticeReference = filepath.Join(fixtures, "notice/mentions-validees.html")
	fs := CheckNotice(env, filepath.Join(fixtures, "notice/mentions-modifiees.html"))
	var ex string
	for _, f := range fs {
		if f.Rule == "NOTICE-002" {
			ex = f.Evidence[0].Excerpt
		}
	}
	for _, want := range []string{"- Durées de conservation", "3 mois", "+ Durées de conservation", "12 mois", "+ Les données peuvent être utilisées à des fins statistiques."} {
		if !strings.Contains(ex, want) {
			t.Errorf("diff lacks %q:\n%s", want, ex)
		}
	}
	var b strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&b, "Phrase validée numéro %d. ", i)
	}
	long := b.String()
	if d := diff(long, "Autre texte.", 500); len(d) > 500 || !strings.HasSuffix(d, "[…]") {
		t.Errorf("diff not bounded: %d bytes", len(d))
	}
}

// TestVisibility checks what counts as a visible footer link in raw HTML.
func TestVisibility(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.html", "<main><p>Mentions.</p></main>")
	// a publisher's legal notice without the information notice
	writeFile(t, dir, "legal.html", "<main><p>Éditeur : Département Fictif. Hébergeur : Hébergeur Fictif SAS.</p></main>")
	cases := []struct {
		name, head, footer string
		want               result.Status
	}{
		{"visible", "", `<footer><a href="m.html">Mentions d'information</a></footer>`, result.Pass},
		{"by href only", "", `<footer><a href="rgpd.html" aria-label="RGPD">i</a></footer>`, result.Pass},
		{"hidden attribute", "", `<footer><a hidden href="m.html">Mentions d'information</a></footer>`, result.Fail},
		{"aria-hidden parent", "", `<footer><div aria-hidden="true"><a href="m.html">Mentions d'information</a></div></footer>`, result.Fail},
		{"inline display none", "", `<footer><a style="color:red; display: none" href="m.html">Données personnelles</a></footer>`, result.Fail},
		{"inline visibility hidden", "", `<footer><span style="visibility:hidden"><a href="m.html">Protection des données</a></span></footer>`, result.Fail},
		{"class from style", `<style>.x{color:red}/* c */ ul .y, .cache { display:none }</style>`, `<footer><a class="a cache" href="m.html">Mentions d'information</a></footer>`, result.Fail},
		{"id from style", `<style>#rgpd{visibility:hidden}</style>`, `<footer><p id="rgpd"><a href="m.html">Mentions d'information</a></p></footer>`, result.Fail},
		{"hidden by a media query only", `<style>@media (max-width: 767px) { .desktop-only { display: none; } }
@media (min-width: 768px) { .mobile-only { display:none } } .x { color: red }</style>`, `<footer><ul class="desktop-only"><li><a href="m.html">Données personnelles</a></li></ul><ul class="mobile-only"><li><a href="m.html">Données perso.</a></li></ul></footer>`, result.Pass},
		{"hidden after a media query", `<style>@media print { .p { color: red } } .cache { display:none }</style>`, `<footer><a class="cache" href="m.html">Mentions d'information</a></footer>`, result.Fail},
		{"informatique et libertés", "", `<footer><a href="legal.html">Mentions légales</a> | <a href="cil.html">Informatique et Libertés</a></footer>`, result.Pass},
		{"traitement des données", "", `<footer><a href="t.html">Traitement des données</a></footer>`, result.Pass},
		{"link to the CNIL only", "", `<footer><a href="https://www.cnil.fr/fr/reglement-europeen-protection-donnees">Le RGPD</a> <a href="https://www.legifrance.gouv.fr/loi">Loi Informatique et Libertés</a></footer>`, result.Fail},
		{"only in a cookie banner after the footer", "", `<main>x</main><footer><a href="legal.html">Mentions légales</a></footer><div id="tarteaucitronRoot"><div id="tarteaucitronAlertBig" role="dialog"><a href="m.html">Données personnelles</a></div></div>`, result.Fail},
		{"only in a cookie banner landmark", "", `<header>ENT</header><main>x</main><section aria-label="Gestion des cookies" class="fr-consent-banner"><a href="m.html">Données personnelles</a></section>`, result.Fail},
		{"only in the footer of a consent dialog", "", `<main>x</main><div role="dialog" aria-modal="true" class="consent"><p>Cookies</p><footer><a href="m.html">Politique de confidentialité</a></footer></div>`, result.Fail},
		{"consent class on a page wrapper", "", `<div class="page has-cookie-consent"><main>x</main><footer><a href="m.html">Données personnelles</a></footer></div>`, result.Pass},
		{"folded in a closed details", "", `<footer><details><summary>Informations légales</summary><a href="m.html">Données personnelles</a></details></footer>`, result.Fail},
		{"in an open details", "", `<footer><details open><summary>Informations légales</summary><a href="m.html">Données personnelles</a></details></footer>`, result.Pass},
		{"legal notice only", "", `<footer><a href="legal.html">Mentions légales</a></footer>`, result.Fail},
		{"section footer does not count", "", `<article><footer><a href="m.html">Mentions d'information</a></footer></article><nav aria-label="x">Plan</nav>`, result.Fail},
		{"contentinfo role", "", `<div role="contentinfo"><a href="m.html">Vie privée</a></div>`, result.Pass},
		{"div id=footer after a header", "", `<header>ENT</header><div id="footer"><a href="m.html">Données personnelles</a></div>`, result.Pass},
		{"div class=site-footer after main", "", `<main>x</main><div class="row site-footer"><a href="m.html">Données personnelles</a></div>`, result.Pass},
		{"pied-de-page class", "", `<main>x</main><div class="pied-de-page"><a href="m.html">Données personnelles</a></div>`, result.Pass},
		{"bas-de-page id", "", `<header>ENT</header><div id="bas-de-page"><a href="m.html">Données personnelles</a></div>`, result.Pass},
		{"piedPage class", "", `<header>ENT</header><div class="piedPage"><a href="m.html">Données personnelles</a></div>`, result.Pass},
		{"footer-named page wrapper does not count", "", `<div class="layout has-footer"><header><a href="m.html">Données personnelles</a></header><main>x</main><footer><a href="legal.html">Mentions légales</a></footer></div>`, result.Fail},
		{"footer-named login box does not count", "", `<header>ENT</header><div class="login-footer-layout"><form><input type="password"></form><a href="m.html">Données personnelles</a></div><div id="footer"><a href="legal.html">Mentions légales</a></div>`, result.Fail},
		{"card footer does not count", "", `<main>x</main><div class="card-footer"><a href="m.html">Données personnelles</a></div>`, result.Fail},
		{"cookie banner footer does not count", "", `<main>x</main><div class="cookie-banner__footer"><a href="m.html">Données personnelles</a></div>`, result.Fail},
		{"div footer in article does not count", "", `<main>x</main><article><div class="footer"><a href="m.html">Données personnelles</a></div></article><nav aria-label="x">Plan</nav>`, result.Fail},
		{"last landmark", "", `<main>x</main><aside><a href="m.html">Mentions d'information</a></aside>`, result.Pass},
		{"link text filled in by an i18n directive", `<script src="ng-app.js"></script>`, `<footer><a href="/auth/rgpd" target="_blank" translate content="footer.rgpd"></a></footer>`, result.Warn},
		{"empty text link", "", `<footer><a href="mentions-information.html"></a></footer>`, result.Fail},
		{"no footer, no script", "", `<p>rien</p>`, result.Fail},
		{"empty footer with script", `<script src="app.js"></script>`, `<footer></footer>`, result.Warn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, strings.ReplaceAll(c.name, " ", "-")+".html",
				"<!DOCTYPE html><html><head>"+c.head+"</head><body>"+c.footer+"</body></html>")
			fs := CheckPage(testEnv(""), p)
			if got := byRule(fs)["PAGE-001"]; !cmp.Equal(got, []result.Status{c.want}) {
				t.Errorf("PAGE-001 = %v, want %v: %+v", got, c.want, fs[0])
			}
			if m := checks.Missing(rules.AreaPage, fs); len(m) != 0 {
				t.Errorf("page rules without finding: %v", m)
			}
		})
	}
}

func TestHostileInputs(t *testing.T) {
	dir := t.TempDir()
	env := testEnv("")
	// a link out of the page's directory is not followed, naming file and
	// line: the page is readable, the rule is not evaluated (no exit 2)
	p := writeFile(t, dir, "pages/p.html", "<html><body>\n<footer>\n<a href=\"../../../etc/mentions-information.html\">Mentions d'information</a></footer></body></html>")
	fs := CheckPage(env, p)
	var e result.Finding
	for _, f := range fs {
		if f.Rule == "PAGE-002" {
			e = f
		}
	}
	if e.Status != result.NotEvaluated || !strings.Contains(e.MessageEN, "outside") || len(e.Evidence) == 0 || e.Evidence[0].Line != 3 {
		t.Errorf("traversal: got %+v", e)
	}
	// deep nesting: no crash, bounded work
	deep := "<html><body>" + strings.Repeat("<div>", 200000) + "x" + "<footer><a href=\"m.html\">Mentions d'information</a></footer></body></html>"
	p = writeFile(t, dir, "deep.html", deep)
	fs = CheckPage(env, p)
	if st := byRule(fs)["PAGE-001"]; len(st) != 1 {
		t.Errorf("deep: PAGE-001 = %v", st)
	}
	// too large
	big := writeFile(t, dir, "big.html", "<html>"+strings.Repeat("a", 2048)+"</html>")
	small := testEnv("")
	small.Loader.MaxBytes = 1024
	for _, f := range CheckPage(small, big) {
		if f.Rule != "PAGE-003" && f.Status != result.Error && f.Rule[:4] == "PAGE" {
			t.Errorf("too large: %s %s", f.Rule, f.Status)
		}
	}
	// truncated PDF, PDF without text, garbage and latin-1 notices
	env.Opts.NoticeReference = filepath.Join(fixtures, "notice/mentions-validees.html")
	pdf, err := os.ReadFile(filepath.Join(fixtures, "notice/mentions-completes.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	trunc := writeFile(t, dir, "trunc.pdf", string(pdf[:len(pdf)/2]))
	garbage := writeFile(t, dir, "garbage.html", "\x00\x01\x02\xff\xfe")
	dir2 := writeFile(t, dir, "lying.pdf", "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj 2 0 obj <</Type/Pages/Count 999999999/Kids[]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF")
	for _, src := range []string{trunc, garbage, dir2, filepath.Join(dir, "absent.html")} {
		fs := CheckNotice(env, src)
		for _, f := range fs {
			if f.Status != result.Error {
				t.Errorf("%s: %s %s, want error", src, f.Rule, f.Status)
			}
		}
		if len(fs) == 0 || !strings.Contains(fs[0].MessageEN, filepath.Base(src)) {
			t.Errorf("%s: error does not name the file: %+v", src, fs)
		}
	}
	// latin-1 with a meta charset: accents decoded, items found
	ref, _ := os.ReadFile(filepath.Join(fixtures, "notice/mentions-validees.html"))
	latin := strings.Replace(string(ref), `<meta charset="utf-8">`, `<meta charset="iso-8859-1">`, 1)
	latin = strings.NewReplacer("œ", "oe", "–", "-").Replace(latin)
	enc := make([]byte, 0, len(latin))
	for _, r := range latin {
		if r > 0xff {
			t.Fatalf("rune %q not latin-1", r)
		}
		enc = append(enc, byte(r))
	}
	lp := writeFile(t, dir, "latin1.html", string(enc))
	fs = CheckNotice(env, lp)
	if got := failedItems(fs); len(got) != 0 {
		t.Errorf("latin-1: missing %v", got)
	}
	if got := byRule(fs)["NOTICE-002"]; !cmp.Equal(got, []result.Status{result.Pass}) {
		t.Errorf("latin-1 NOTICE-002 = %v", got)
	}
}

func TestAuditDossier(t *testing.T) {
	dir := filepath.Join(fixtures, "page/dossier-ok")
	env := testEnv(dir)
	fs := Audit(env, Dossier{HomePage: "pages/accueil.html", LoginPage: "pages/connexion.html", Notice: "pages/mentions-information.html", Reference: "dsden/mentions-validees.html"})
	for _, f := range fs {
		if f.Status != result.Pass {
			t.Errorf("%s %s: %s", f.Rule, f.Status, f.MessageEN)
		}
	}
	for _, a := range []rules.Area{rules.AreaPage, rules.AreaNotice} {
		if m := checks.Missing(a, fs); len(m) != 0 {
			t.Errorf("rules without finding: %v", m)
		}
	}
	srcs := []string{}
	for _, in := range env.Loader.Inputs() {
		srcs = append(srcs, in.Source)
	}
	// (the accessibility statement the footers link to is read too)
	want := []string{"dsden/mentions-validees.html", "pages/accessibilite.html", "pages/accueil.html", "pages/connexion.html", "pages/mentions-information.html"}
	if diff := cmp.Diff(want, srcs); diff != "" {
		t.Errorf("inputs (-want +got):\n%s", diff)
	}
	// a link to another file than the dossier's notice fails PAGE-003
	fs = Audit(testEnv(dir), Dossier{HomePage: "pages/accueil.html", LoginPage: "pages/connexion.html", Notice: "dsden/mentions-validees.html", Reference: "dsden/mentions-validees.html"})
	if got := byRule(fs)["PAGE-003"]; !cmp.Equal(got, []result.Status{result.Pass}) {
		// same normalised text: the page's notice is the validated one
		t.Errorf("same text, other file: PAGE-003 = %v", got)
	}
}

func TestThirdParties(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "c.html", `<!DOCTYPE html><html><head>
<link rel="canonical" href="https://ent.neo-college-fictif.example/connexion">
<script src="https://static.neo-college-fictif.example/app.js"></script>
<script src="/local.js"></script>
<img src="//cdn.autre-editeur.example/logo.png" alt="">
<iframe src="https://www.facebook.com/plugins/page.php"></iframe>
<script>var _paq=[];(function(){var u="https://fictif.matomo.cloud/";})();</script>
</head><body><footer><a href="m.html">Mentions d'information</a></footer></body></html>`)
	var got []string
	for _, f := range CheckPage(testEnv(""), p) {
		if f.Rule == "PAGE-005" {
			got = append(got, string(f.Status)+" "+f.MessageEN)
		}
	}
	want := []string{
		"warn Third-party resource loaded before login: cdn.autre-editeur.example (img); justify it or host it on the ENT's domain.",
		"fail Tracker Matomo Cloud loaded before login: fictif.matomo.cloud (inline script).",
		"fail Tracker Facebook loaded before login: www.facebook.com (iframe).",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("PAGE-005 (-want +got):\n%s", d)
	}
}

// inPageNotice is a notice shown in the page itself (a modal, hidden until
// its link is clicked).
const inPageNotice = `<div class="modal" id="rgpd" aria-hidden="true"><div class="modal-body"><h2>Mentions d'information</h2>
<p>Le Département Fictif et la DSDEN fictive, responsables conjoints du traitement. Délégué à la protection des données : dpo@fictif.example.
Finalités : services numériques. Vous disposez d'un droit d'accès et de rectification. Réclamation auprès de la CNIL.</p></div></div>`

// TestLocalLinkTargets checks where the footer link of a local page leads
// (PAGE-001 and PAGE-002), for the link shapes of real ENT footers.
func TestLocalLinkTargets(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.html", "<main><p>Mentions d'information.</p></main>")
	cases := []struct {
		name, head, body string
		want1, want2     result.Status
	}{
		{"relative", "", `<footer><a href="m.html">Données personnelles</a></footer>`, result.Pass, result.Pass},
		{"absolute URL", "", `<footer><a href="https://ent.fictif.example/m.html">Données personnelles</a></footer>`, result.Pass, result.NotEvaluated},
		{"protocol-relative URL", "", `<footer><a href="//ent.fictif.example/m.html">Données personnelles</a></footer>`, result.Pass, result.NotEvaluated},
		{"mailto", "", `<footer><a href="mailto:dpo@fictif.example">Données personnelles</a></footer>`, result.Pass, result.Fail},
		{"CNIL link before the notice link", "", `<footer><a href="https://www.cnil.fr/fr/rgpd-de-quoi-parle-t-on">Le RGPD</a> · <a href="m.html">Données personnelles</a></footer>`, result.Pass, result.Pass},
		{"legal notice with a #rgpd anchor before the notice link", "", `<footer><a href="legal.html#rgpd">Mentions légales</a> · <a href="m.html">Données personnelles</a></footer>`, result.Pass, result.Pass},
		{"English link before the French one", "", `<footer><a href="en/privacy.html" lang="en">Privacy</a> · <a href="m.html">Données personnelles</a></footer>`, result.Pass, result.Pass},
		{"missing file", "", `<footer><a href="absent.html">Données personnelles</a></footer>`, result.Pass, result.Fail},
		{"javascript URL", `<script src="ent.js"></script>`, `<footer><a href="javascript:ouvrirMentions()">Données personnelles</a></footer>`, result.Pass, result.Warn},
		{"href # opening a modal by script", `<script src="ent.js"></script>`, `<footer><a href="#" onclick="ouvrir()">Données personnelles</a></footer>`, result.Pass, result.Warn},
		{"href # without any script", "", `<footer><a href="#">Données personnelles</a></footer>`, result.Pass, result.Fail},
		{"modal holding the notice", `<script src="bootstrap.js"></script>`, `<footer><a href="#" data-bs-toggle="modal" data-bs-target="#rgpd">Données personnelles</a></footer>` + inPageNotice, result.Pass, result.Pass},
		{"fragment to the notice in the page", "", `<footer><a href="#rgpd">Données personnelles</a></footer>` + inPageNotice, result.Pass, result.Pass},
		{"fragment to a short text", "", `<footer><a href="#x">Données personnelles</a></footer><div id="x">Bientôt.</div>`, result.Pass, result.Fail},
		{"unrendered template link", `<script src="angular.js"></script>`, `<footer><a href="{{ config.urlRgpd }}">{{ 'footer.rgpd' | translate }}</a></footer>`, result.Pass, result.Warn},
		{"unrendered template footer", `<script src="angular.js"></script>`, `<footer><p>{{ 'footer.copyright' | translate }}</p><a ng-repeat="l in liens" ng-href="{{ l.url }}">{{ l.titre }}</a></footer>`, result.Warn, result.NotEvaluated},
		{"ng-include footer", `<script src="angular.js"></script>`, `<footer><p>© Département Fictif</p><div ng-include="'/pied-liens.html'"></div></footer>`, result.Warn, result.NotEvaluated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, strings.ReplaceAll(c.name, " ", "-")+".html",
				"<!DOCTYPE html><html><head>"+c.head+"</head><body><main>Accueil</main>"+c.body+"</body></html>")
			fs := CheckPage(testEnv(""), p)
			got := byRule(fs)
			if !cmp.Equal(got["PAGE-001"], []result.Status{c.want1}) || !cmp.Equal(got["PAGE-002"], []result.Status{c.want2}) {
				t.Errorf("PAGE-001 %v PAGE-002 %v, want %s %s: %+v", got["PAGE-001"], got["PAGE-002"], c.want1, c.want2, fs[:2])
			}
		})
	}
}

// TestIconLinkNamed checks that an icon-only footer link is named in the
// message by its accessible name, not by an empty « ».
func TestIconLinkNamed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.html", "<main><p>Mentions.</p></main>")
	p := writeFile(t, dir, "i.html", `<footer><a href="m.html" aria-label="Données personnelles"><i class="fa fa-lock"></i></a></footer>`)
	for _, f := range CheckPage(testEnv(""), p) {
		if f.Rule == "PAGE-001" && (f.Status != result.Pass || !strings.Contains(f.Message, "« Données personnelles »")) {
			t.Errorf("PAGE-001 %s: %s", f.Status, f.Message)
		}
	}
}

// TestAuditAbsoluteLinks audits local copies of pages whose footer links
// to the notice by URL (the login page saved from a CAS on another host):
// the URL is not followed, so PAGE-003 cannot compare and asks for a
// review, never fails; two pages linking to another document than the
// dossier's notice still fail.
func TestAuditAbsoluteLinks(t *testing.T) {
	const url = "https://cas.neo-college-fictif.example/mentions-information.html"
	cases := []struct {
		name, homeHref, loginHref string
		want                      result.Status
	}{
		{"login page links by URL", "mentions-information.html", url, result.Warn},
		{"both pages link by URL", url, url, result.Warn},
		{"both pages link to another file", "mentions-legales.html", "mentions-legales.html", result.Fail},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(fixtures, "page/dossier-ok"))); err != nil {
				t.Fatal(err)
			}
			writeFile(t, dir, "pages/mentions-legales.html", "<main><p>Éditeur : Éditeur Fictif SAS. Hébergeur : Hébergeur Fictif.</p></main>")
			for page, href := range map[string]string{"pages/accueil.html": c.homeHref, "pages/connexion.html": c.loginHref} {
				data, err := os.ReadFile(filepath.Join(dir, page))
				if err != nil {
					t.Fatal(err)
				}
				writeFile(t, dir, page, strings.Replace(string(data), `<li><a href="mentions-information.html">`, `<li><a href="`+href+`">`, 1))
			}
			fs := Audit(testEnv(dir), Dossier{HomePage: "pages/accueil.html", LoginPage: "pages/connexion.html", Notice: "pages/mentions-information.html", Reference: "dsden/mentions-validees.html"})
			if got := byRule(fs)["PAGE-003"]; !cmp.Equal(got, []result.Status{c.want}) {
				for _, f := range fs {
					if f.Rule == "PAGE-003" {
						t.Errorf("PAGE-003 %s, want %s: %s", f.Status, c.want, f.MessageEN)
					}
				}
			}
		})
	}
}

// TestThirdPartiesConsentManager checks a tracker that only the consent
// manager's configuration names (tarteaucitron loads it once the user
// accepts): a review, not a tracker loaded before login.
func TestThirdPartiesConsentManager(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "c.html", `<!DOCTYPE html><html><head>
<link rel="canonical" href="https://ent.neo-college-fictif.example/connexion">
<script src="/tarteaucitron/tarteaucitron.js"></script>
<script>tarteaucitron.init({"privacyUrl": "/mentions-information.html", "highPrivacy": true});
tarteaucitron.user.matomoHost = 'https://fictif.matomo.cloud/';
tarteaucitron.user.atLibUrl = '//logc1.xiti.com/smarttag.js';
(tarteaucitron.job = tarteaucitron.job || []).push('matomocloud', 'atinternet');</script>
</head><body><footer><a href="m.html">Mentions d'information</a></footer></body></html>`)
	var got []string
	for _, f := range CheckPage(testEnv(""), p) {
		if f.Rule == "PAGE-005" {
			got = append(got, fmt.Sprintf("%s %v %s", f.Status, f.Review, f.MessageEN))
		}
	}
	want := []string{
		"warn true Tracker Matomo Cloud named by the consent manager (loaded only once the user accepts): fictif.matomo.cloud; check with --render that nothing is loaded before consent.",
		"warn true Tracker AT Internet (Xiti) named by the consent manager (loaded only once the user accepts): logc1.xiti.com; check with --render that nothing is loaded before consent.",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("PAGE-005 (-want +got):\n%s", d)
	}
}

// TestThirdPartiesOwnHostFromLoginForm checks a saved login page without
// canonical URL whose own assets use absolute URLs: the host its login
// form posts to is the page's own, not a third party.
func TestThirdPartiesOwnHostFromLoginForm(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "c.html", `<!DOCTYPE html><html><head>
<link rel="stylesheet" href="https://cas.neo-college-fictif.example/cas/css/cas.css">
<script src="https://www.neo-college-fictif.example/js/ent.js"></script>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Fictive">
</head><body><main><form method="post" action="https://cas.neo-college-fictif.example/cas/login"><input name="u"><input type="password" name="p"></form></main>
<footer><a href="m.html">Mentions d'information</a></footer></body></html>`)
	var got []string
	for _, f := range CheckPage(testEnv(""), p) {
		if f.Rule == "PAGE-005" {
			got = append(got, string(f.Status)+" "+f.MessageEN)
		}
	}
	want := []string{"warn Third-party resource loaded before login: fonts.googleapis.com (link rel=stylesheet); justify it or host it on the ENT's domain."}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("PAGE-005 (-want +got):\n%s", d)
	}
}
