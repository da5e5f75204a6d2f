package notice

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// The shapes below come from real artifacts of fixtures/realworld (their
// sources are in the .expect.yaml beside each): ENT charters and vendors'
// privacy policies published as Word PDFs, a login page of the State's
// identity provider. Each test fixes a class of misreading, not one file.

// TestItemsRealWordings: items said in the wordings real notices and
// charters use, and the sentences that look like an item and are not
// (a right to use the platform, a rule of conduct, a single controller, a
// denial, an announcement of what the notice says).
func TestItemsRealWordings(t *testing.T) {
	cases := []struct {
		key, text string
		want      result.Status
		quote     string
	}{
		// legal basis cited in another order, or said in words
		{"base-legale", "Le traitement est mis en œuvre conformément au e) du 1 de l'article 6 du RGPD.", result.Pass, "e) du 1"},
		{"base-legale", "Ce traitement relève de l'article 6(1)(e) du RGPD.", result.Pass, "6(1)(e)"},
		{"base-legale", "Le traitement est nécessaire à l'exécution du service public du numérique éducatif.", result.Pass, "service public du numérique"},
		{"base-legale", "Ces traitements de données sont basés sur des missions d'intérêt public.", result.Pass, "intérêt public"},
		{"base-legale", "Le Responsable de traitement considère que le risque lié aux données personnelles traitées sur la base de ses intérêts légitimes n'est pas excessif.", result.Fail, ""},
		// the complaint to "the competent supervisory authority"
		{"reclamation-cnil", "Vous pouvez déposer une réclamation auprès de l'autorité de contrôle compétente en matière de protection des données, la Commission Informatique et Libertés (CNIL) est l'autorité de protection des données en France.", result.Pass, "réclamation"},
		{"reclamation-cnil", "Vous avez le droit d'introduire une réclamation auprès d'une autorité de contrôle.", result.Pass, "autorité de contrôle"},
		{"reclamation-cnil", "Le délégué coopère avec l'autorité de contrôle.", result.Fail, ""},
		// recipients said with a verb
		{"destinataires", "Les données pourront être transmises et exploitées par le rectorat pour le suivi des élèves.", result.Pass, "exploitées par le rectorat"},
		{"destinataires", "Les informations recueillies sont destinées aux services de la collectivité habilités.", result.Pass, "destinées aux services"},
		{"destinataires", "Cet identifiant personnel et ce mot de passe sont communiqués à l'utilisateur par le collège.", result.Fail, ""},
		{"destinataires", "Les données communiquées par les Utilisateurs sont conservées en France.", result.Fail, ""},
		{"destinataires", "Vos données ne sont ni vendues ni transmises à des tiers.", result.Fail, ""},
		// purposes without the word "finalité", in a sentence about data
		{"finalites", "Vos données sont collectées afin de gérer les comptes des usagers de l'ENT.", result.Pass, "afin de gérer"},
		{"finalites", "Les informations sont traitées en vue de l'inscription des élèves à la cantine.", result.Pass, "en vue de"},
		{"finalites", "Pour la création et l'utilisation de votre compte, des traitements automatisés de données à caractère personnel ont été nécessaires.", result.Pass, "création"},
		{"finalites", "L'Utilisateur s'engage à effectuer une utilisation rationnelle et loyale des services afin d'en éviter la saturation ou leur détournement à des fins commerciales ou publicitaires.", result.Fail, ""},
		{"finalites", "Cet accès sécurisé a pour but d'éviter abus et malveillances.", result.Fail, ""},
		{"finalites", "Ce sont des données qui permettent d'identifier une personne physique.", result.Fail, ""},
		{"finalites", "Vos données ne sont pas utilisées à des fins commerciales.", result.Fail, ""},
		// joint controllers: several bodies named together, over two
		// sentences; a single controller names only itself
		{"responsables-conjoints", blocks("Le principal du collège est un des responsables des traitements de données à caractère personnel. Dans le contexte de l'ENT, il a vocation à exercer cette responsabilité avec l'académie et avec le Conseil Départemental des Yvelines."), result.Pass, "Conseil Départemental"},
		{"responsables-conjoints", "Le chef d'établissement, les autorités académiques et la Région agissent en coresponsabilité.", result.Pass, "coresponsabilité"},
		{"responsables-conjoints", "Le Client porteur du projet, ou à défaut l'Etablissement scolaire, est Responsable du traitement pour les données personnelles insérées sur la Plateforme.", result.Fail, ""},
		{"responsables-conjoints", "Le Département, en sa qualité de responsable du traitement, met l'ENT à disposition des élèves de l'académie.", result.Fail, ""},
		{"responsables-conjoints", "L'Espace Numérique de Travail est mis en oeuvre par le Conseil Départemental en partenariat avec l'Académie.", result.Fail, ""},
		// the right of access is a right on one's data
		{"droit-acces", "Le droit d'accès de l'Utilisateur est personnel, incessible et lié à son appartenance à la communauté éducative de l'établissement.", result.Fail, ""},
		{"droit-acces", blocks("2. Droits d'accès", "Le droit d'accès aux services de l'ENT est personnel, incessible et temporaire."), result.Fail, ""},
		{"droit-acces", "Les administrateurs peuvent paramétrer les droit d'accès des Utilisateurs à la Plateforme et aux données.", result.Fail, ""},
		{"droit-acces", blocks("Données personnelles", "Vous vous engagez à ne pas tenter de vous introduire dans des espaces auxquels vous n'avez pas le droit d'accéder."), result.Fail, ""},
		{"droit-acces", "Le droit d'accès : tout Utilisateur a le droit d'obtenir la confirmation que des données personnelles le concernant font ou non l'objet d'un traitement.", result.Pass, "Le droit d'accès"},
		{"droit-acces", blocks("Vos droits", "Droit d'accès, droit de rectification."), result.Pass, "Droit d'accès"},
		// rights said with the verb and a pronoun
		{"droit-opposition", "Quand la réglementation le permet : droit de restreindre le traitement, de vous y opposer, droit à l'effacement.", result.Pass, "vous y opposer"},
		{"droit-limitation", "Quand la réglementation le permet : droit de restreindre le traitement, de vous y opposer, droit à l'effacement.", result.Pass, "restreindre le traitement"},
		// the source of the data, not a datum named after a system
		{"source-aaf", "Données des élèves : INE ; identifiant SIECLE ; date de naissance ; nom ; prénom.", result.Fail, ""},
		{"source-aaf", "Les comptes sont créés à partir de SIECLE chaque nuit.", result.Pass, "SIECLE"},
		// the controller's contact, the controller named by its acronym
		{"contact-responsables", blocks("Le ministère de l'Éducation fictive (MEF), en tant que responsable de traitement, protège vos données.", "Le MEF est situé à PARIS (75007) – 1 rue de l'Exemple."), result.Pass, "1 rue"},
		// an announcement of what the notice says states nothing
		{"droit-acces", "Notre politique de confidentialité décrit comment nous collectons des données personnelles et décrit également les droits d'accès, de rectification et de suppression dont vous bénéficiez.", result.Fail, ""},
		{"categories-donnees", "Vous êtes informés en toute transparence des données personnelles collectées et de la manière dont elles sont traitées.", result.Fail, ""},
	}
	for _, c := range cases {
		st, q := itemStatus(t, c.text, c.key)
		if st != c.want {
			t.Errorf("%s = %s, want %s: %q (quote %q)", c.key, st, c.want, c.text, q)
			continue
		}
		if c.quote != "" && !strings.Contains(q, c.quote) {
			t.Errorf("%s: quote %q lacks %q", c.key, q, c.quote)
		}
	}
}

// TestItemsInEnglish: vendors publish their policy in English too; its
// items are recognised in English, and NOTICE-004 says, on its own, that
// the notice given to families is not in French.
func TestItemsInEnglish(t *testing.T) {
	cases := []struct{ key, text, quote string }{
		{"responsables-conjoints", "The Département Fictif and the DSDEN fictive are joint controllers of the processing.", "joint controllers"},
		{"dpo", "You may contact our data protection officer at dpo@fictif.example.", "data protection officer"},
		{"finalites", "Your personal data are processed in order to provide the digital services of the school.", "in order to"},
		{"base-legale", "The processing is necessary for the performance of a task carried out in the public interest.", "public interest"},
		{"categories-donnees", "The categories of personal data we process are identity, class and login identifiers.", "categories of personal data"},
		{"destinataires", "The recipients of the data are the school staff and the ENT's vendor.", "recipients"},
		{"conservation", "Your data are kept for as long as you attend the school.", "as long as"},
		{"droit-acces", "You have the right of access to your data.", "right of access"},
		{"droit-rectification", "You have the right to rectification of inaccurate data.", "rectification"},
		{"droit-opposition", "You have the right to object to the processing.", "right to object"},
		{"droit-limitation", "You have the right to restriction of processing.", "restriction"},
		{"directives-post-mortem", "You may give directions on what happens to your data after your death.", "after your death"},
		{"reclamation-cnil", "You have the right to lodge a complaint with a supervisory authority, the CNIL.", "complaint"},
	}
	for _, c := range cases {
		st, q := itemStatus(t, c.text, c.key)
		if st != result.Pass || !strings.Contains(q, c.quote) {
			t.Errorf("%s = %s %q, want pass quoting %q", c.key, st, q, c.quote)
		}
	}
	if st, _ := itemStatus(t, "You have the right to access the platform with your own password.", "droit-acces"); st != result.Fail {
		t.Errorf("access to the platform taken for the right of access: %s", st)
	}
}

// TestNoticeLanguage: NOTICE-004 on French, English, bilingual and too
// short texts, and on the fixtures.
func TestNoticeLanguage(t *testing.T) {
	fr := strings.Repeat("Les données des élèves sont traitées par le Département pour la gestion des comptes de l'ENT et vous pouvez exercer vos droits auprès du délégué. ", 4)
	en := strings.Repeat("The data of the pupils are processed by the Department for the management of the accounts and you may exercise your rights with the officer. ", 4)
	es := strings.Repeat("Los datos de los alumnos son tratados por el Departamento para la gestión de las cuentas y usted puede ejercer sus derechos ante el delegado. ", 4)
	for _, c := range []struct {
		name, text string
		want       result.Status
		review     bool
	}{
		{"French", fr, result.Pass, false},
		{"English", en, result.Fail, false},
		{"bilingual", fr + en, result.Pass, false},
		{"another language", es, result.Fail, false},
		{"too short", "Mentions d'information.", result.Warn, true},
	} {
		f := languageFinding("n.html", c.text)
		if f.Status != c.want || f.Review != c.review {
			t.Errorf("%s: NOTICE-004 %s (review %v), want %s: %s", c.name, f.Status, f.Review, c.want, f.MessageEN)
		}
	}
	for file, want := range map[string]result.Status{
		"notice/mentions-en-anglais.html": result.Fail,
		"notice/mentions-bilingues.html":  result.Pass,
		"notice/mentions-completes.pdf":   result.Pass,
	} {
		for _, f := range CheckNotice(testEnv(""), filepath.Join(fixtures, file)) {
			if f.Rule == "NOTICE-004" && f.Status != want {
				t.Errorf("%s: NOTICE-004 %s, want %s", file, f.Status, want)
			}
		}
	}
}

// proconnectPage is the real ProConnect sign-in page of the corpus, its
// footer linking the notice by an address relative to the site root.
func proconnectPage(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, "realworld/page/proconnect-connexion.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestRootRelativeNotExamined: a saved page whose footer links the notice
// relative to the site root cannot lead to it: PAGE-002 and the notice's
// rules are not evaluated (never "sans objet"), so the page can never be
// conforme. A page without any notice link leaves PAGE-002 sans objet
// (PAGE-001 fails), and one whose footer JavaScript builds leaves it not
// evaluated.
func TestRootRelativeNotExamined(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "proconnect.html", proconnectPage(t))
	got := map[string][]result.Status{}
	for _, f := range CheckPage(testEnv(""), p) {
		got[f.Rule] = append(got[f.Rule], f.Status)
		if f.Rule == "PAGE-002" && (!strings.Contains(f.MessageEN, "/politique-de-confidentialite") || len(f.Evidence) == 0 || f.Evidence[0].Line == 0) {
			t.Errorf("PAGE-002 should name the link and its line: %q %+v", f.MessageEN, f.Evidence)
		}
	}
	for _, r := range []string{"PAGE-002", "NOTICE-001", "NOTICE-002", "NOTICE-003", "NOTICE-004"} {
		if len(got[r]) != 1 || got[r][0] != result.NotEvaluated {
			t.Errorf("%s = %v, want not-evaluated", r, got[r])
		}
	}
	if st := got["PAGE-001"]; len(st) != 1 || st[0] != result.Pass {
		t.Errorf("PAGE-001 = %v, want pass", st)
	}
}

// TestNoticeLinkedFromHeader: the ProConnect page with its « Politique de
// confidentialité » link moved from the footer to the header's tools (the
// place of the DSFR's quick links), the footer keeping the terms of use:
// the notice exists and is not where the convention puts it. PAGE-001
// fails and says where the link is; PAGE-002 follows that link. With the
// footer's only candidate unread and nothing elsewhere on the page, it
// stays to review.
func TestNoticeLinkedFromHeader(t *testing.T) {
	page := proconnectPage(t)
	footerLink := `<li class="fr-footer__bottom-item">
                    <a
                        class="fr-footer__bottom-link"
                        href="/politique-de-confidentialite">
                        Politique de confidentialité
                    </a>
                </li>`
	if !strings.Contains(page, footerLink) {
		t.Fatal("the footer link of the artifact changed")
	}
	const toolsAnchor = `<ul class="fr-btns-group">`
	headerLink := toolsAnchor + `
                            <li><a class="fr-btn fr-btn--sm" href="politique-de-confidentialite.html">Politique de confidentialité</a></li>`
	moved := strings.Replace(strings.Replace(page, footerLink, "", 1), toolsAnchor, headerLink, 1)
	dir := t.TempDir()
	writeFile(t, dir, "politique-de-confidentialite.html", "<main><h1>Politique de confidentialité</h1><p>Mentions d'information.</p></main>")
	p := writeFile(t, dir, "proconnect-en-tete.html", moved)
	fs := CheckPage(testEnv(""), p)
	f1, f2 := fs[0], fs[1]
	if f1.Rule != "PAGE-001" || f1.Status != result.Fail || f1.Review ||
		!strings.Contains(f1.Message, "l'en-tête") || !strings.Contains(f1.Message, "« Politique de confidentialité »") ||
		!strings.Contains(f1.Message, "politique-de-confidentialite.html") || !strings.Contains(f1.MessageEN, "header") {
		t.Errorf("PAGE-001 %s review=%v: %s / %s", f1.Status, f1.Review, f1.Message, f1.MessageEN)
	}
	if len(f1.Evidence) < 2 || f1.Evidence[1].Line == 0 {
		t.Errorf("PAGE-001 evidence should point at the header link: %+v", f1.Evidence)
	}
	if f2.Rule != "PAGE-002" || f2.Status != result.Pass {
		t.Errorf("PAGE-002 %s: %s (the header link is followed)", f2.Status, f2.MessageEN)
	}

	// the footer's legal link alone, nothing elsewhere: to review
	alone := strings.Replace(page, footerLink, "", 1)
	p = writeFile(t, dir, "proconnect-cgu.html", alone)
	f1 = CheckPage(testEnv(""), p)[0]
	if f1.Status != result.Warn || !f1.Review {
		t.Errorf("footer with only the terms of use: PAGE-001 %s review=%v, want to review: %s", f1.Status, f1.Review, f1.MessageEN)
	}

	// no footer candidate at all, the notice in a navigation menu
	nav := `<main>Accueil</main><nav aria-label="Menu"><a href="politique-de-confidentialite.html">Données personnelles</a></nav><div><p>Bienvenue.</p></div><footer><p>© Département Fictif</p></footer>`
	p = writeFile(t, dir, "menu.html", "<!DOCTYPE html><html><body>"+nav+"</body></html>")
	f1 = CheckPage(testEnv(""), p)[0]
	if f1.Status != result.Fail || !strings.Contains(f1.Message, "un menu de navigation") || !strings.Contains(f1.Message, "« Données personnelles »") {
		t.Errorf("link in a menu: PAGE-001 %s: %s", f1.Status, f1.Message)
	}
}

// minimalPDF builds a one-page PDF whose content stream is content, with
// the Helvetica font as /F1 (exact cross-reference offsets).
func minimalPDF(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// TestImageOnlyPDF: a notice PDF without a text layer (a scan) opens: it
// is a defect of the notice, not an unreadable piece. Every notice rule
// says what to check by hand (à vérifier), none is in error; a page's link
// to it resolves (PAGE-002 passes). A corrupt PDF stays an error.
func TestImageOnlyPDF(t *testing.T) {
	dir := t.TempDir()
	scan := writeFile(t, dir, "scan.pdf", string(minimalPDF("q 0.5 g 50 50 400 600 re f Q")))
	fs := CheckNotice(testEnv(""), scan)
	if m := missingNotice(fs); len(m) != 0 {
		t.Errorf("notice rules without a finding: %v", m)
	}
	for _, f := range fs {
		if f.Status == result.Error {
			t.Errorf("%s: error on a PDF that opens: %s", f.Rule, f.MessageEN)
		}
		if f.Rule != "NOTICE-002" && (f.Status != result.Warn || !f.Review || !strings.Contains(f.MessageEN, "text layer")) {
			t.Errorf("%s: %s %q, want to review, naming the missing text layer", f.Rule, f.Status, f.MessageEN)
		}
	}
	p := writeFile(t, dir, "accueil.html", `<!DOCTYPE html><html><body><main>Accueil</main><footer><a href="scan.pdf">Données personnelles</a></footer></body></html>`)
	for _, f := range CheckPage(testEnv(""), p) {
		switch {
		case f.Rule == "PAGE-002" && f.Status != result.Pass:
			t.Errorf("PAGE-002 %s: %s", f.Rule, f.MessageEN)
		case f.Rule == "NOTICE-001" && (f.Status != result.Warn || !f.Review):
			t.Errorf("NOTICE-001 through the page: %s %s", f.Status, f.MessageEN)
		}
	}
	// a text PDF is still read, a truncated one is still an error
	text := writeFile(t, dir, "texte.pdf", string(minimalPDF("BT /F1 12 Tf 72 700 Td (Mentions d'information) Tj ET")))
	if _, err := readNotice(testEnv(""), text); err != nil {
		t.Errorf("text PDF: %v", err)
	}
	broken := writeFile(t, dir, "tronque.pdf", string(minimalPDF("q Q")[:60]))
	for _, f := range CheckNotice(testEnv(""), broken) {
		if f.Status != result.Error {
			t.Errorf("truncated PDF: %s %s, want error", f.Rule, f.Status)
		}
	}
}

func missingNotice(fs []result.Finding) []string {
	seen := map[string]bool{}
	for _, f := range fs {
		seen[f.Rule] = true
	}
	var out []string
	for _, r := range []string{"NOTICE-001", "NOTICE-002", "NOTICE-003", "NOTICE-004"} {
		if !seen[r] {
			out = append(out, r)
		}
	}
	return out
}

// TestWordRunsJoined: word processors draw a line in many runs, cut even
// inside a word; the notice is read from the glyphs' positions, so that
// sentences and words come out whole (the Yvelines charter of the corpus,
// a Word 2019 PDF whose runs the library's plain text cuts at every
// run). Runs are also joined in a PDF built here: one line drawn in three
// runs, a word cut in two.
func TestWordRunsJoined(t *testing.T) {
	text, err := readNotice(testEnv(""), filepath.Join(fixtures, "realworld/notice/yvelines-charte-ent-colleges.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	d := parseNotice(text)
	want := "le principal du college est un des responsables des traitements de donnees a caractere personnel."
	found := false
	for _, s := range d.sents {
		if s.key == want {
			found = true
		}
	}
	if !found {
		t.Errorf("sentence %q not read whole", want)
	}
	if strings.Contains(fold(text), "respon sable") || strings.Contains(fold(text), "\nponsable") {
		t.Errorf("a word is cut: %q", text[:200])
	}
	runs := minimalPDF("BT /F1 12 Tf 72 700 Td (Le Departe) Tj ET BT /F1 12 Tf 130.02 700 Td (ment est) Tj ET BT /F1 12 Tf 177.36 700 Td ( responsable du traitement.) Tj ET")
	got, err := pdfText(t.Context(), runs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(got), " "), "Le Departement est responsable du traitement.") {
		t.Errorf("runs not joined: %q", got)
	}
}
