package notice

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// noticeModalBody is the text of a notice shown in a modal (fake bodies):
// five items of NOTICE-001.
const noticeModalBody = `<h2>Données personnelles</h2>
<p>Le Département Fictif et la DSDEN fictive sont responsables conjoints du traitement.</p>
<p>Finalités : fournir les services numériques de l'établissement.</p>
<p>Délégué à la protection des données : dpo@departement-fictif.example.</p>
<p>Vous disposez d'un droit d'accès et de rectification ; réclamation auprès de la CNIL.</p>`

// publisherOnly is a publisher's legal notice without the information
// notice.
const publisherOnly = `<p>Éditeur : Département Fictif, 1 rue de la Préfecture, 00000 Fictiville. Directeur de la publication : le Président.</p>
<p>Hébergeur : Hébergeur Fictif SAS.</p>`

// pageCase is a page body and the PAGE-001 and PAGE-002 statuses it calls for.
type pageCase struct {
	name, head, body string
	want1, want2     result.Status
}

func runPageCases(t *testing.T, dir string, cases []pageCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, dir, strings.ReplaceAll(c.name, " ", "-")+".html",
				"<!DOCTYPE html><html><head>"+c.head+"</head><body>"+c.body+"</body></html>")
			fs := CheckPage(testEnv(""), p)
			got := byRule(fs)
			if !cmp.Equal(got["PAGE-001"], []result.Status{c.want1}) || !cmp.Equal(got["PAGE-002"], []result.Status{c.want2}) {
				t.Errorf("PAGE-001 %v PAGE-002 %v, want %s %s:\n%s\n%s", got["PAGE-001"], got["PAGE-002"], c.want1, c.want2, fs[0].Message, fs[1].Message)
			}
		})
	}
}

// TestFooterTriggers checks the footer links that open the notice in the
// page instead of leading to a document, in the shapes of real footers:
// Bootstrap 5 <a href=""> and <button> with data-bs-toggle/data-bs-target
// (modal in or after the footer), Bootstrap 4 data-toggle/data-target,
// the DSFR's <button aria-controls> opening a <dialog class="fr-modal">.
func TestFooterTriggers(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.html", "<main><p>Mentions d'information.</p></main>")
	bsModal := func(id, body string) string {
		return `<div class="modal fade" id="` + id + `" tabindex="-1" aria-labelledby="` + id + `Label" aria-hidden="true"><div class="modal-dialog"><div class="modal-content">
<div class="modal-header"><h5 class="modal-title" id="` + id + `Label">Titre</h5><button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Close"></button></div>
<div class="modal-body">` + body + `</div></div></div></div>`
	}
	const bs = `<script src="js/bootstrap.bundle.min.js"></script>`
	runPageCases(t, dir, []pageCase{
		{"bootstrap 5 a href empty, modal in the footer", bs, `<main>Accueil</main><footer class="d-flex"><ul class="nav">
<li class="nav-item"><a class="text-body-secondary" href="" data-bs-toggle="modal" data-bs-target="#ModalMentionsLegales">Mentions Légales</a></li>
<li class="nav-item"><a class="text-body-secondary" href="" data-bs-toggle="modal" data-bs-target="#ModalPolitiqueConfidential">Politique de confidentialité</a></li></ul>` +
			bsModal("ModalMentionsLegales", publisherOnly) + bsModal("ModalPolitiqueConfidential", noticeModalBody) + `</footer>`, result.Pass, result.Pass},
		{"bootstrap 5 button, modal after the footer", bs, `<main>Accueil</main><footer><div class="text-center p-2">
<button type="button" class="btn btn-outline-secondary" data-bs-toggle="modal" data-bs-target="#rgpd">Données personnelles</button></div></footer>` +
			bsModal("rgpd", noticeModalBody), result.Pass, result.Pass},
		{"bootstrap 4 button data-target", bs, `<main>Accueil</main><footer>
<button type="button" class="btn btn-link" data-toggle="modal" data-target="#exampleModalCenter">Protection des données</button>
<div class="modal fade" id="exampleModalCenter" tabindex="-1" role="dialog" aria-hidden="true"><div class="modal-dialog" role="document"><div class="modal-content"><div class="modal-body">` + noticeModalBody + `</div></div></div></div></footer>`, result.Pass, result.Pass},
		{"dsfr button aria-controls a dialog", `<script type="module" src="dist/dsfr.module.min.js"></script>`, `<main>Accueil</main><footer class="fr-footer" role="contentinfo"><ul class="fr-footer__bottom-list">
<li class="fr-footer__bottom-item"><button class="fr-footer__bottom-link" aria-controls="fr-modal-donnees" data-fr-opened="false">Données personnelles</button></li></ul></footer>
<dialog id="fr-modal-donnees" class="fr-modal" role="dialog" aria-labelledby="t"><div class="fr-modal__body"><div class="fr-modal__content">` + noticeModalBody + `</div></div></dialog>`, result.Pass, result.Pass},
		{"button named only by its target id", bs, `<main>Accueil</main><footer><button class="btn btn-link" data-bs-toggle="modal" data-bs-target="#modal-rgpd"><i class="bi bi-shield"></i> RGPD</button></footer>` + bsModal("modal-rgpd", noticeModalBody), result.Pass, result.Pass},
		{"modal holding something else", bs, `<main>Accueil</main><footer><button type="button" data-bs-toggle="modal" data-bs-target="#rgpd">Données personnelles</button></footer>` + bsModal("rgpd", "<p>Bientôt disponible.</p>"), result.Pass, result.Fail},
		{"a without href opened by a script", `<script src="ent.js"></script>`, `<main>Accueil</main><footer><a class="lien" onclick="ouvrirMentions()">Données personnelles</a></footer>`, result.Pass, result.Warn},
		{"a without href and no script", "", `<main>Accueil</main><footer><a>Données personnelles</a></footer>`, result.Pass, result.Fail},
		{"hidden button does not count", bs, `<main>Accueil</main><footer><button hidden data-bs-toggle="modal" data-bs-target="#rgpd">Données personnelles</button></footer>` + bsModal("rgpd", noticeModalBody), result.Fail, result.Pass},
		{"links inside a modal held in the footer are not the footer's", bs, `<main>Accueil</main><footer><p>© Département Fictif</p>` +
			bsModal("aide", `<a href="m.html">Données personnelles</a>`) + `</footer>`, result.Fail, result.Skip},
		{"submit button of a footer form is no link", "", `<main>Accueil</main><footer><form action="/newsletter"><input name="mel"><button>J'accepte la politique de confidentialité</button></form></footer>`, result.Fail, result.Skip},
		{"button opening a modal in a page-wide form", bs, `<form id="aspnetForm" method="post" action="./Accueil.aspx"><main>Accueil</main><footer><button class="btn btn-link" data-bs-toggle="modal" data-bs-target="#rgpd">Données personnelles</button></footer>` + bsModal("rgpd", noticeModalBody) + `</form>`, result.Pass, result.Pass},
		{"consent manager button is not the notice", `<script src="/tarteaucitron/tarteaucitron.js"></script>`, `<main>Accueil</main><footer><button type="button" onclick="tarteaucitron.userInterface.openPanel();">Paramètres de confidentialité</button></footer>`, result.Fail, result.Skip},
		{"consent library data attribute", `<script src="cookieconsent.js"></script>`, `<main>Accueil</main><footer><button type="button" data-cc="show-preferencesModal">Gérer ma vie privée</button></footer>`, result.Fail, result.Skip},
		{"a fragment link does not show a hidden link", "", `<main>Accueil</main><footer id="pied"><a href="#pied">Haut du pied de page</a> <span hidden><a href="m.html">Données personnelles</a></span></footer>`, result.Fail, result.Pass},
		{"address preferred to a button at equal rank", bs, `<main>Accueil</main><footer><button type="button" aria-controls="menu-donnees" aria-expanded="false">Données personnelles</button><ul id="menu-donnees" hidden><li><a href="m.html">Politique de confidentialité</a></li></ul></footer>`, result.Pass, result.Pass},
	})
}

// TestLegalNoticeOnly checks a footer whose only candidate is « Mentions
// légales »: judged by its target when it can be read (the information
// notice is often a section of the publisher's legal notice), to review
// when it cannot, never a blocking failure for want of reading it.
func TestLegalNoticeOnly(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "mentions-legales.html", `<main><h1>Mentions légales</h1>`+publisherOnly+`<h2 id="donnees">Données personnelles</h2>`+noticeModalBody+`</main>`)
	writeFile(t, dir, "editeur.html", `<main><h1>Mentions légales</h1>`+publisherOnly+`</main>`)
	const bs = `<script src="js/bootstrap.bundle.min.js"></script>`
	runPageCases(t, dir, []pageCase{
		{"legal notice holding the notice as a section", "", `<main>Accueil</main><footer><a href="mentions-legales.html">Mentions légales</a></footer>`, result.Pass, result.Pass},
		{"legal notice without the notice", "", `<main>Accueil</main><footer><a href="editeur.html">Mentions légales</a></footer>`, result.Fail, result.Skip},
		{"legal notice by root-relative address", "", `<main>Accueil</main><footer><a href="/mentions-legales">Mentions légales</a></footer>`, result.Warn, result.NotEvaluated},
		{"legal notice by URL", "", `<main>Accueil</main><footer><a href="https://www.departement-fictif.example/mentions-legales">Mentions légales</a></footer>`, result.Warn, result.NotEvaluated},
		{"broken legal notice link", "", `<main>Accueil</main><footer><a href="absente.html">Mentions légales</a></footer>`, result.Warn, result.Fail},
		{"terms of use holding the notice", "", `<main>Accueil</main><footer><a href="mentions-legales.html">Conditions générales d'utilisation</a></footer>`, result.Pass, result.Pass},
		{"charter by URL", "", `<main>Accueil</main><footer><a href="https://ent.fictif.example/charte.pdf">Charte d'utilisation</a></footer>`, result.Warn, result.NotEvaluated},
		{"legal notice in a modal without the notice", bs, `<main>Accueil</main><footer><button type="button" class="btn" data-bs-toggle="modal" data-bs-target="#mentions">Mentions Légales</button></footer>
<div class="modal fade" id="mentions" tabindex="-1" aria-hidden="true"><div class="modal-body">` + publisherOnly + `</div></div>`, result.Fail, result.Skip},
		{"legal notice in a modal with the notice", bs, `<main>Accueil</main><footer><button type="button" class="btn" data-bs-toggle="modal" data-bs-target="#mentions">Mentions légales</button></footer>
<div class="modal fade" id="mentions" tabindex="-1" aria-hidden="true"><div class="modal-body">` + publisherOnly + noticeModalBody + `</div></div>`, result.Pass, result.Pass},
	})

	// the message names « Mentions légales » only when such a link exists
	for _, c := range []struct{ body, want, notWant string }{
		{`<main>Accueil</main><footer><a href="editeur.html">Mentions légales</a></footer>`, "« Mentions légales »", ""},
		{`<main>Accueil</main><footer><p>© Département Fictif</p><a href="plan.html">Plan du site</a></footer>`, "n'a pas de lien vers les mentions d'information", "Mentions légales"},
	} {
		p := writeFile(t, dir, "message.html", "<!DOCTYPE html><html><body>"+c.body+"</body></html>")
		f := CheckPage(testEnv(""), p)[0]
		if f.Rule != "PAGE-001" || !strings.Contains(f.Message, c.want) || (c.notWant != "" && strings.Contains(f.Message, c.notWant)) {
			t.Errorf("PAGE-001 %s: %s (want %q, not %q)", f.Status, f.Message, c.want, c.notWant)
		}
	}

	// a notice found in the legal notice is audited as the notice
	p := writeFile(t, dir, "audit.html", `<!DOCTYPE html><html><body><main>Accueil</main><footer><a href="mentions-legales.html">Mentions légales</a></footer></body></html>`)
	for _, f := range CheckPage(testEnv(""), p) {
		if f.Rule == "NOTICE-001" && strings.Contains(f.Message, "non fournie") {
			t.Errorf("NOTICE-001 not audited on the legal notice: %s", f.Message)
		}
	}
}

// TestLastLandmarkAtEnd checks the fallback when a page has no footer: the
// last landmark counts only at the end of the page, and never a top
// banner or navigation bar followed by the content (the OPEN ENT NG
// « where are you from » page: an empty <header>, then the content).
func TestLastLandmarkAtEnd(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "m.html", "<main><p>Mentions.</p></main>")
	runPageCases(t, dir, []pageCase{
		{"top navigation bar with the link", "", `<header><nav><a href="/">ENT</a> <a href="m.html">Données personnelles</a></nav></header><div class="contenu"><h1>Choisissez votre profil</h1><a href="/eleve">Élève</a></div>`, result.Fail, result.Pass},
		{"nav at the top, then the content", "", `<nav aria-label="Menu"><a href="m.html">Vie privée</a></nav><div><p>Bienvenue sur l'ENT.</p></div>`, result.Fail, result.Pass},
		{"banner alone is no footer", "", `<div role="banner"><a href="m.html">Données personnelles</a></div>`, result.Fail, result.Pass},
		{"navigation at the end of the page", "", `<main>Accueil</main><nav aria-label="Liens utiles"><a href="m.html">Données personnelles</a></nav>`, result.Pass, result.Pass},
		{"last region followed by a closed modal", "", `<main>Accueil</main><aside><a href="m.html">Mentions d'information</a></aside><div class="modal" id="aide"><p>Aide à la connexion.</p></div>`, result.Pass, result.Pass},
		{"empty header then content, with scripts", `<script src="/auth/public/dist/application.js"></script>`, `<header><i class="cell"></i></header><div><section id="credentials-content"><h2><i18n>wayf.select.profile</i18n></h2><a href="/auth/saml/wayf/eleve">Élève</a></section></div>`, result.Warn, result.NotEvaluated},
	})
}
