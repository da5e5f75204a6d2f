package notice

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestRetentionFinding: NOTICE-003 reads the deletion delay counted from
// the end of the right to use the ENT, whatever its wording, and ignores
// other durations.
func TestRetentionFinding(t *testing.T) {
	cases := []struct {
		text   string
		status result.Status
		review bool
	}{
		{"Les données sont supprimées au plus tard 3 mois après la fin du droit d'accès à l'ENT.", result.Pass, false},
		{"Les donnees sont supprimees trois mois apres la fin de la scolarite.", result.Pass, false},
		{"Elles sont effacées dans un délai de 90 jours suivant la clôture du compte.", result.Pass, false},
		{"Suppression 12 semaines à compter de la désactivation du compte ; conservation des traces 1 an.", result.Pass, false},
		{"Les données sont conservées un an à compter du départ de l'élève.", result.Fail, false},
		{"Les données sont supprimées 6 mois après la fin du droit d'accès.", result.Fail, false},
		{"Les données sont supprimées 6 mois après la fin du droit d'accès. Les traces sont conservées 1 an.", result.Fail, false},
		// The nearer duration is the delay, not the length of schooling.
		{"Les données sont conservées toute la scolarité (jusqu'à 7 ans) et supprimées 3 mois après le départ.", result.Pass, false},
		// A one-year log retention is not a deletion delay after the end.
		{"Les traces de connexion sont conservées 1 an.", result.Warn, true},
		{"Les données sont conservées pendant la durée nécessaire, puis supprimées.", result.Warn, true},
		// A delay that is not about keeping or deleting data.
		{"Le compte est ouvert 3 mois après la fin des inscriptions.", result.Warn, true},
		{"", result.Warn, true},
		// A retention another law imposes is out of scope.
		{"Les informations fournies à la création du compte sont conservées un an à compter de la clôture du compte (décret n° 2021-1362).", result.Warn, true},
		{"Au titre de nos obligations légales, les données d'identification sont conservées un an après la fermeture du compte.", result.Warn, true},
		// A school trip ("sortie scolaire") is not the pupil leaving.
		{"Les photos de la sortie scolaire sont conservées un an après la sortie.", result.Warn, true},
		{"Les données sont supprimées un an après la sortie de l'établissement.", result.Fail, false},
		{"Les données sont supprimées 3 mois après la sortie des effectifs.", result.Pass, false},
		// The end of something else than the right to an account.
		{"Les journaux de connexion sont conservés 12 mois à compter de la fin de la session.", result.Warn, true},
		{"Les données sont supprimées 3 mois après leur départ.", result.Pass, false},
		{"Les comptes sont supprimés un an après l'expiration du compte.", result.Fail, false},
		// The end of a session, a connection or a visit is not the end of
		// the right, even when a word of the right (utilisateur, ENT,
		// accès) follows a few words later.
		{"Les traces de connexion sont conservées un an à compter de la fin de la session de l'utilisateur.", result.Warn, true},
		{"Les journaux techniques sont conservés 6 mois à compter de la fin de la connexion à l'ENT.", result.Warn, true},
		{"Le cookie de préférence est conservé 13 mois à compter de la fin de votre visite sur l'ENT.", result.Warn, true},
		{"Les données d'usage sont conservées un an après la fin de chaque connexion de l'utilisateur.", result.Warn, true},
		// Ends of the right said with a qualifier or without an article.
		{"Les données sont supprimées six mois après la fin de validité du compte.", result.Fail, false},
		{"Les données sont supprimées 6 mois après la perte de la qualité d'usager.", result.Fail, false},
		{"Les données sont effacées un an après la fin de l'utilisation de l'ENT.", result.Fail, false},
		{"Les données sont effacées un an après la fin d'inscription.", result.Fail, false},
		{"Les données sont conservées 5 ans après la fin de l'abonnement de l'établissement.", result.Fail, false},
		{"Les données sont supprimées 3 mois après la fin de son rattachement à l'établissement.", result.Pass, false},
		{"Les données sont supprimées trois mois après la fin de scolarité.", result.Pass, false},
		// Connection logs are out of the rule's scope (docs/notice.md), even
		// when their delay is counted from the closure of the account; the
		// data's own delay in the same sentence still counts.
		{"Les traces de connexion sont conservées 1 an après la clôture du compte, conformément à la LCEN.", result.Warn, true},
		{"Les journaux de connexion (logs) sont supprimés un an après la radiation de l'élève.", result.Warn, true},
		{"Les données sont supprimées 3 mois après la fin du droit d'accès, et les traces de connexion un an après la clôture du compte.", result.Pass, false},
		{"Les données du compte sont supprimées un an après la clôture du compte, sauf les traces de connexion.", result.Fail, false},
		// The arrêté's own wording ("dès lors que la personne concernée n'a
		// plus vocation à détenir un compte"), and "après avoir quitté".
		{"Les données sont supprimées de l'ENT dans un délai de trois mois dès lors que la personne concernée n'a plus vocation à détenir un compte.", result.Pass, false},
		{"Elles sont effacées dans un délai de six mois dès lors que l'utilisateur n'a plus vocation à disposer d'un compte ENT.", result.Fail, false},
		{"Les données sont supprimées 3 mois après que l'élève a quitté l'établissement.", result.Pass, false},
		{"Les données sont conservées un an après avoir quitté l'établissement.", result.Fail, false},
		{"Les données sont supprimées trois mois après la fermeture du compte.", result.Pass, false},
		{"Les fichiers sont conservés 1 an dès lors que l'élève les a déposés.", result.Warn, true},
		// The number repeated in brackets, as legal texts write it.
		{"Les données sont supprimées trois (3) mois après la fin du droit d'accès.", result.Pass, false},
		{"Les données sont supprimées dans un délai de 3 (trois) mois après la fin du droit d'accès.", result.Pass, false},
		{"Les données sont conservées six (6) mois après le départ de l'élève.", result.Fail, false},
		// The arrêté lets the school keep personal contributions left in
		// community spaces (for informative, teaching or research purposes,
		// unless the user objects when the account is closed): their delay
		// is not the deletion delay.
		{"Sauf opposition lors de la clôture du compte, les contributions personnelles laissées dans les espaces communautaires sont conservées deux ans après la clôture du compte à des fins pédagogiques.", result.Warn, true},
		{"Les données sont supprimées trois mois après la fin du droit d'accès ; les contributions personnelles aux espaces communautaires sont conservées un an après la fermeture du compte, sauf opposition.", result.Pass, false},
		// A compound delay is the sum of its parts.
		{"Les données sont supprimées 1 an et 3 mois après la fin du droit d'accès.", result.Fail, false},
		{"Les données sont supprimées 2 mois et 15 jours après la fin du droit d'accès.", result.Pass, false},
		{"Les données sont supprimées 2 mois + 30 jours après la fin du droit d'accès.", result.Pass, false},
		{"Les données sont supprimées 2 mois et 31 jours après la fin du droit d'accès.", result.Fail, false},
		{"Les données sont conservées 2 ans après la fin des fonctions de l'agent.", result.Fail, false},
	}
	for _, c := range cases {
		f := retentionFinding("mentions.html", c.text)
		if f.Rule != "NOTICE-003" || f.Status != c.status || f.Review != c.review {
			t.Errorf("%q: %s %s review=%v, want %s review=%v", c.text, f.Rule, f.Status, f.Review, c.status, c.review)
		}
		if f.Status != result.Warn && (len(f.Evidence) != 1 || f.Evidence[0].Excerpt == "") {
			t.Errorf("%q: evidence %+v, want the sentence quoted", c.text, f.Evidence)
		}
	}
}

// A hostile notice (one huge sentence full of durations) is read in
// linear time: every regexp is RE2 and bounded.
func BenchmarkRetentionFinding(b *testing.B) {
	var text []byte
	for len(text) < 1<<20 {
		text = append(text, "supprimées 3 mois et 4 ans et "...)
	}
	for b.Loop() {
		retentionFinding("x", string(text))
	}
}

// Table cells and list items are read apart: a duration in one cell is not
// counted from an end named in the next row ("Messagerie | 1 an à compter
// de l'envoi" then "Comptes | supprimés 3 mois après leur départ" is no
// one-year delay after the departure). A sentence wrapped across lines of
// the HTML source stays whole.
func TestRetentionTableCells(t *testing.T) {
	cases := []struct {
		html   string
		status result.Status
	}{
		{`<table><tr><th>Données</th><th>Durée de conservation</th></tr>
<tr><td>Messagerie</td><td>1 an à compter de l'envoi</td></tr>
<tr><td>Comptes des élèves</td><td>supprimés 3 mois après leur départ</td></tr></table>`, result.Pass},
		{`<ul><li>Publications du blog : conservées 1 an à compter de leur mise en ligne</li>
<li>Comptes des enseignants : supprimés 3 mois après la fin de leurs fonctions</li></ul>`, result.Pass},
		{`<table><tr><td>Comptes des élèves</td><td>supprimés 6 mois après leur départ</td></tr></table>`, result.Fail},
		// What the cells say is a retention is told by the table's header or
		// the list's lead-in.
		{`<table><tr><th>Données</th><th>Durée de conservation</th></tr>
<tr><td>Comptes des élèves</td><td>1 an après leur départ</td></tr></table>`, result.Fail},
		{`<p>Durées de conservation :</p><ul><li>comptes des élèves : 3 mois après leur départ</li></ul>`, result.Pass},
		{`<p>Les données sont supprimées :</p><ul><li>6 mois après la fin du droit d'accès pour les élèves</li></ul>`, result.Fail},
		{"<p>Les données sont supprimées 3 mois\n après la fin du\n droit d'accès.</p>", result.Pass},
		// A line break inside a paragraph does not end the sentence.
		{"<p>Les données sont supprimées 6 mois<br>après la fin du droit d'accès.</p>", result.Fail},
	}
	for _, c := range cases {
		doc, err := parseHTML([]byte("<!DOCTYPE html><html lang=fr><body>"+c.html+"</body></html>"), "text/html; charset=utf-8")
		if err != nil {
			t.Fatal(err)
		}
		text := visibleText(mainContent(doc), styleHiding(doc))
		if f := retentionFinding("m.html", text); f.Status != c.status {
			t.Errorf("%s: %s (%v), want %s", c.html, f.Status, f.Evidence, c.status)
		}
	}
}
