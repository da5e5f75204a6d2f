package contract

import (
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// cnilModel is a contract written on the CNIL's model processing clauses
// (its usual wording, "dans la mesure du possible" of GDPR art. 28.3.e
// included), with a 48-hour delay, no delay for the data's deletion and a
// DPO named without contact details.
const cnilModel = `CLAUSES DE SOUS-TRAITANCE

I. Objet
Les présentes clauses ont pour objet de définir les conditions dans lesquelles le sous-traitant s'engage à effectuer pour le compte du responsable de traitement les opérations de traitement de données à caractère personnel définies ci-après.

II. Obligations du sous-traitant vis-à-vis du responsable de traitement
Le sous-traitant s'engage à :
1. traiter les données uniquement pour la ou les seule(s) finalité(s) qui fait/font l'objet de la sous-traitance ;
2. traiter les données conformément aux instructions documentées du responsable de traitement figurant en annexe du présent contrat ;
3. garantir la confidentialité des données à caractère personnel traitées dans le cadre du présent contrat ;
4. veiller à ce que les personnes autorisées à traiter les données à caractère personnel en vertu du présent contrat s'engagent à respecter la confidentialité ou soient soumises à une obligation légale appropriée de confidentialité.

III. Sous-traitance
Le sous-traitant peut faire appel à un autre sous-traitant (ci-après, « le sous-traitant ultérieur ») pour mener des activités de traitement spécifiques. Dans ce cas, il informe préalablement et par écrit le responsable de traitement de tout changement envisagé concernant l'ajout ou le remplacement d'autres sous-traitants. Le responsable de traitement dispose d'un délai minimum de quinze jours à compter de la date de réception de cette information pour présenter ses objections.

IV. Exercice des droits des personnes
Dans la mesure du possible, le sous-traitant doit aider le responsable de traitement à s'acquitter de son obligation de donner suite aux demandes d'exercice des droits des personnes concernées.

V. Notification des violations de données à caractère personnel
Le sous-traitant notifie au responsable de traitement toute violation de données à caractère personnel dans un délai maximum de 48 heures après en avoir pris connaissance et par courriel.

VI. Aide du sous-traitant dans le cadre du respect par le responsable de traitement de ses obligations
Le sous-traitant aide le responsable de traitement pour la réalisation d'analyses d'impact relatives à la protection des données.
Le sous-traitant aide le responsable de traitement pour la réalisation de la consultation préalable de l'autorité de contrôle.

VII. Mesures de sécurité
Le sous-traitant s'engage à mettre en œuvre les mesures de sécurité suivantes : chiffrement des données, contrôle des accès, sauvegardes quotidiennes.

VIII. Sort des données
Au terme de la prestation de services relatifs au traitement de ces données, le sous-traitant s'engage à :
- détruire toutes les données à caractère personnel ou à renvoyer toutes les données à caractère personnel au responsable de traitement ;
- détruire toutes les copies existantes dans les systèmes d'information du sous-traitant.

IX. Délégué à la protection des données
Le sous-traitant communique au responsable de traitement le nom et les coordonnées de son délégué à la protection des données, s'il en a désigné un conformément à l'article 37 du règlement européen sur la protection des données.

X. Documentation
Le sous-traitant met à la disposition du responsable de traitement la documentation nécessaire pour démontrer le respect de toutes ses obligations et pour permettre la réalisation d'audits, y compris des inspections, par le responsable du traitement ou un autre auditeur qu'il a mandaté, et contribuer à ces audits.
`

func TestCNILModel(t *testing.T) {
	d := readDoc(t, "modele.txt", cnilModel)
	want := map[string]result.Status{
		"instructions": result.Pass, "confidentialite": result.Pass, "securite": result.Pass,
		"assistance-droits": result.Pass, "assistance-conformite": result.Pass, "audits": result.Pass,
		"violation-48h": result.Pass,
		// the model leaves these to the parties: no list of
		// sub-processors, no delay, no DPO's contact
		"sous-traitants": result.Fail, "fin-de-contrat": result.Fail, "dpo": result.Fail,
	}
	for item, st := range want {
		o := itemFinder(item)(d)
		if o.status != st {
			t.Errorf("%s: %s, want %s (%s; %q)", item, o.status, st, o.fr, o.quote)
		}
	}
	// the sous-traitants item fails for the missing list only, the
	// fin-de-contrat item for the missing delay only
	if o := subProcessorsClause(d); o.quote == "" || strings.Contains(o.fr, "autorisation écrite") {
		t.Errorf("sous-traitants: %s (%q)", o.fr, o.quote)
	}
	if o := endOfContract(d); !strings.Contains(o.fr, "aucun délai") || strings.Contains(o.fr, "sauvegardes") {
		t.Errorf("fin-de-contrat: %s", o.fr)
	}
}
