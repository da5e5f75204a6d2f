package notice

import (
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// TestRetentionRealisticWordings: sentences worded as published ENT
// notices word them (paraphrased, with fake names), read by NOTICE-003. A
// conformant notice must never fail (it would make a conformant ENT "non
// conforme"): it passes, or is left "à vérifier" when the wording is not
// recognised; a clear violation fails.
func TestRetentionRealisticWordings(t *testing.T) {
	conformant := []string{
		"Les données à caractère personnel des utilisateurs sont conservées pendant toute la durée de leur scolarité ou de leurs fonctions dans l'établissement, et supprimées au plus tard trois mois après leur départ.",
		"Conformément à l'article 6 de l'arrêté du 30 novembre 2006, les données sont supprimées de l'ENT dans un délai de trois mois dès lors que la personne concernée n'a plus vocation à détenir un compte.",
		"Les traces de connexion sont conservées un an à compter de la fin de la session de l'utilisateur, conformément à la réglementation.",
		"Les journaux techniques de l'ENT Collèges Fictifs sont conservés 6 mois à compter de la fin de la connexion à l'ENT.",
		"Les données de connexion (adresse IP, date et heure) sont conservées pendant un an à compter de la fin de chaque connexion de l'utilisateur.",
		"Les traces de connexion sont conservées 1 an après la clôture du compte, conformément à la LCEN.",
		"Le cookie de préférence d'affichage est conservé 13 mois à compter de la fin de votre visite sur l'ENT.",
		"Les cookies de mesure d'audience sont conservés 13 mois au plus à compter de leur dépôt sur le terminal de l'utilisateur.",
		"Le compte d'un élève ayant quitté l'établissement est désactivé à la rentrée suivante ; ses données sont supprimées dans un délai de 3 mois.",
		"Les informations sont conservées jusqu'à la fin de l'année scolaire en cours (soit au plus 12 mois) puis supprimées trois mois après la fin du droit d'accès.",
		"Les documents déposés restent accessibles à l'élève pendant 3 mois après son départ afin qu'il puisse les récupérer, puis sont définitivement supprimés.",
		"Les données des responsables légaux sont conservées tant qu'un de leurs enfants est scolarisé dans l'établissement, puis effacées au plus tard 3 mois après la sortie du dernier enfant.",
		"Les messages sont conservés 1 an à compter de leur envoi puis supprimés ; en tout état de cause, ils sont supprimés 3 mois après la fin du droit d'accès.",
		"Les comptes des élèves sont désactivés un mois après leur départ, et leurs données supprimées deux mois après la désactivation.",
		"Aucune donnée n'est conservée au-delà d'un délai de trois mois suivant la fin de l'inscription de l'élève.",
		"Les données sont supprimées dans un délai de trois (3) mois après la fin du droit d'accès à l'ENT.",
		"Les publications de l'élève sur le mur de la classe sont conservées 1 an à compter de leur publication, et supprimées au plus tard 3 mois après son départ.",
		"Les données de l'élève sont conservées pendant toute sa scolarité au collège (4 ans), puis supprimées trois mois après sa sortie de l'établissement.",
		"Sauf opposition lors de la fermeture du compte, les contributions personnelles laissées dans les espaces communautaires peuvent être conservées deux ans après la fermeture du compte à des fins pédagogiques.",
		"Les sauvegardes sont conservées 30 jours ; les données supprimées disparaissent des sauvegardes 30 jours après leur suppression.",
		"Le délai de réponse à une demande d'accès est d'un mois à compter de sa réception, prolongeable de deux mois.",
	}
	for _, s := range conformant {
		if f := retentionFinding("mentions.html", s); f.Status == result.Fail {
			t.Errorf("conformant wording fails: %q", s)
		}
	}
	violations := []string{
		"Les données sont conservées un an à compter du départ de l'élève.",
		"Les données seront conservées six mois après la fin de la scolarité de l'élève dans l'établissement.",
		"Les données sont conservées 1 an après la fin de l'année scolaire de départ de l'élève.",
		"Elles sont effacées dans un délai de six mois dès lors que l'utilisateur n'a plus vocation à disposer d'un compte ENT.",
		"Les données sont supprimées 1 an et 3 mois après la fin du droit d'accès.",
		"Les données sont conservées pour une période de 3 mois + 1 an après la fin du droit d'accès.",
		"Les comptes des anciens élèves sont conservés douze mois après leur départ pour leur permettre de récupérer leurs documents.",
		"Les données des personnels sont conservées 2 ans après la fin de leurs fonctions dans l'établissement.",
		"Les données sont supprimées six (6) mois après la clôture du compte.",
	}
	for _, s := range violations {
		if f := retentionFinding("mentions.html", s); f.Status != result.Fail {
			t.Errorf("violation %s, want fail: %q", f.Status, s)
		}
	}
}

// TestRetentionConditionalWordings: the delay said with the person as
// subject ("dès lors que vous n'avez plus vocation à détenir un compte")
// or with a condition ("lorsque l'élève n'est plus scolarisé"), as
// published ENT charters word it, is the arrêté's delay: it passes, and a
// longer one fails.
func TestRetentionConditionalWordings(t *testing.T) {
	pass := []string{
		"Vos données sont supprimées dans un délai de trois mois dès lors que vous n'avez plus vocation à détenir un compte.",
		"Conservation : suppression après trois mois lorsque l'élève n'est plus scolarisé dans l'établissement.",
		"Les données d'un enseignant sont effacées 90 jours après qu'il n'est plus affecté dans le collège.",
		"Les comptes sont supprimés deux mois une fois que l'utilisateur ne fait plus partie de l'établissement.",
		"Les données sont détruites trois mois quand la personne n'est plus inscrite au lycée.",
	}
	for _, s := range pass {
		if f := retentionFinding("charte.pdf", s); f.Status != result.Pass {
			t.Errorf("%s, want pass: %q", f.Status, s)
		}
	}
	fail := []string{
		"Vos données sont supprimées dans un délai d'un an dès lors que vous n'avez plus vocation à détenir un compte.",
		"Conservation : suppression après six mois lorsque l'élève n'est plus scolarisé.",
	}
	for _, s := range fail {
		if f := retentionFinding("charte.pdf", s); f.Status != result.Fail {
			t.Errorf("%s, want fail: %q", f.Status, s)
		}
	}
}
