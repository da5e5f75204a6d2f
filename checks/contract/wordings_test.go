package contract

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/doctext"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// readDoc parses a contract given as text (name's extension says the
// format: .html or .txt).
func readDoc(t *testing.T, name, text string) *doc {
	t.Helper()
	d, err := doctext.Read(context.Background(), name, "", []byte(text))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return parse(d)
}

// itemFinder returns the function that judges one item.
func itemFinder(key string) func(*doc) outcome {
	switch key {
	case "violation-48h":
		return breach48
	case "hebergement-ue":
		return hostingEU
	case "usage-commercial":
		return commercialUse
	}
	for _, c := range clausesList {
		if c.Key == key {
			return c.find
		}
	}
	return nil
}

type wording struct {
	item string
	want result.Status
	name string // file name: its extension picks the format (".txt" by default)
	text string
}

// wordings are clauses as contracts word them: active and passive voice,
// lists under a lead-in, tables, headings that carry the subject, and the
// negations, options and exceptions that commit to nothing. Each is
// judged alone.
var wordings = []wording{
	// commitments in the English present tense, with the vocabulary of
	// education agreements ("as directed by", "safeguards", requests of
	// parents and pupils), and the singular "personne concernée"
	{item: "instructions", want: result.Pass, text: "The Supplier processes pupil records only as directed by the Council."},
	{item: "instructions", want: result.Pass, text: "The Vendor operates under the direct control of the District with respect to the use of pupil records."},
	{item: "securite", want: result.Pass, text: "The Supplier keeps physical, technical and administrative safeguards to protect pupil records, including encryption at rest."},
	{item: "securite", want: result.Pass, name: "x.md", text: "## 4. Security\n\nThe Vendor maintains an information security program with access controls and encryption of data at rest."},
	{item: "securite", want: result.Fail, text: "Upon a breach, the Vendor takes reasonable measures to contain the security incident and investigate it."},
	{item: "securite", want: result.Fail, text: "Le titulaire prend les mesures nécessaires pour circonscrire l'incident de sécurité et remédier à la violation."},
	{item: "securite", want: result.Fail, text: "Where pupil records go to a third country, the Vendor puts in place appropriate safeguards for that transfer."},
	{item: "securite", want: result.Fail, text: "The Vendor will answer the District's questionnaires about its information security program once a year."},
	{item: "assistance-droits", want: result.Pass, text: "The Vendor helps the District answer requests from parents and pupils to access or correct their records."},
	{item: "assistance-droits", want: result.Pass, text: "Le prestataire aide l'établissement à répondre aux demandes des familles (accès, rectification, effacement)."},
	{item: "assistance-droits", want: result.Pass, text: "Lorsqu'une personne concernée lui adresse une demande d'effacement, le titulaire aide la collectivité à y répondre."},
	{item: "assistance-droits", want: result.Fail, text: "The Vendor may, at its discretion, help the District answer requests from parents."},
	{item: "assistance-droits", want: result.Fail, text: "The Vendor helps users with their support requests through the help desk."},
	// an audit of the software's code is no audit right of the controller
	{item: "audits", want: result.Fail, text: "Our platform is open source: anyone can audit the source code and see how data flows."},
	{item: "audits", want: result.Fail, text: "Le code source du logiciel est publié ; chacun peut l'auditer librement."},
	{item: "audits", want: result.Pass, text: "The Vendor allows for and contributes to audits, including inspections, by the District or an auditor it mandates."},
	// a heading, a clause's inline title or an outline entry names a
	// subject and commits to nothing: the item needs a sentence
	{item: "audits", want: result.Fail, text: "ARTICLE 9 - CONTRÔLES ET AUDITS\nLe titulaire tient à jour le registre des activités de traitement."},
	{item: "audits", want: result.Fail, name: "x.md", text: "## 7. Inspections and audits\n\nThe Vendor keeps a record of its processing activities."},
	{item: "audits", want: result.Fail, name: "x.md", text: "**Droit d'audit.** Le titulaire publie chaque année un rapport de transparence."},
	{item: "audits", want: result.Fail, name: "x.md", text: "**Audit Rights.** The Vendor publishes a yearly transparency report on its website."},
	{item: "confidentialite", want: result.Fail, text: "- Confidentialité des personnels habilités\n- Sécurité des traitements\n- Audits et inspections"},
	{item: "confidentialite", want: result.Fail, name: "x.md", text: "1. Staff confidentiality\n2. Security of processing\n3. Audits by the District"},
	{item: "audits", want: result.Fail, name: "x.md", text: "## Sommaire {#sommaire}\n\n- [Audits et inspections de la collectivité](#audits)\n\n## Audits {#audits}\n\nLe titulaire tient un registre des traitements."},
	{item: "audits", want: result.Pass, name: "x.md", text: "**Audit Rights.** The District may audit the Vendor's compliance, including by on-site inspections, once a year."},
	{item: "instructions", want: result.Pass, name: "x.md", text: "**Instructions de traitement.** Le titulaire se conformera aux instructions écrites de la collectivité."},
	// a restriction in the sentences after a commitment: to check, or a
	// failure when it takes back what the article requires (audits
	// reduced to documents, inspections excluded)
	{item: "audits", want: result.Fail, text: "La collectivité peut faire procéder à des audits et inspections. Néanmoins, ces audits ne peuvent consister qu'en l'examen des attestations de certification du prestataire."},
	{item: "audits", want: result.Fail, text: "The District may conduct audits, including on-site inspections. Notwithstanding the foregoing, the District's audit rights are limited to reviewing the Vendor's most recent ISO 27001 certificate."},
	{item: "audits", want: result.Fail, text: "The Vendor submits to audits and inspections by the Council. The Council shall exercise its audit right solely by reading the Vendor's annual compliance summary."},
	{item: "audits", want: result.Fail, text: "Le titulaire se soumet aux audits de la collectivité.\nPar dérogation, aucune inspection sur site n'est admise."},
	{item: "audits", want: result.Warn, text: "La collectivité peut réaliser des audits, y compris sur place. Toutefois, ces audits sont limités à un par année scolaire et annoncés trente jours à l'avance."},
	{item: "audits", want: result.Warn, text: "The Council may audit the Vendor, including by inspections of its premises. However, such audits may only take place during business hours."},
	{item: "audits", want: result.Pass, text: "La collectivité peut réaliser des audits, y compris des inspections sur site. Ces audits sont réalisés à ses frais."},
	{item: "audits", want: result.Pass, text: "Article 10 – Audits\n10.1 Le titulaire tient à disposition de la collectivité les informations nécessaires. Toutefois, les audits sont limités à un par an.\n10.2 La collectivité peut en outre faire réaliser à tout moment une inspection sur site par un auditeur qu'elle mandate."},
	{item: "securite", want: result.Warn, text: "Le titulaire met en œuvre les mesures de sécurité de l'article 32 du RGPD. Cependant, le chiffrement des sauvegardes n'est assuré que sur demande de la collectivité."},
	{item: "securite", want: result.Warn, text: "The Vendor shall implement appropriate technical and organisational measures to protect pupil data. However, these measures only apply to data stored in the production environment."},
	{item: "instructions", want: result.Warn, text: "Le prestataire traite les données sur instruction documentée de la collectivité. Par dérogation, il peut utiliser les données de connexion pour ses propres statistiques."},
	{item: "instructions", want: result.Pass, text: "The Vendor processes pupil data only on documented instructions of the School. It only uses the data to provide the service."},
	{item: "confidentialite", want: result.Pass, text: "Les personnels habilités sont soumis à une obligation de confidentialité. Toutefois, la collectivité reste responsable de ses propres agents."},
	{item: "assistance-conformite", want: result.Warn, text: "The Vendor will assist the Council with data protection impact assessments. Such assistance shall be limited to the documentation the Vendor makes available to all its customers."},
	// a value left blank in a model contract is to check in the signed
	// contract, not a missing delay or list
	{item: "violation-48h", want: result.Warn, text: "Le titulaire notifie à la collectivité toute violation de données dans un délai de [●] heures après en avoir pris connaissance."},
	{item: "violation-48h", want: result.Warn, text: "Le prestataire informe le client de tout incident de sécurité sous ____ heures."},
	{item: "violation-48h", want: result.Warn, text: "The Supplier shall notify the Council of any personal data breach no later than [X] hours after becoming aware of it."},
	{item: "violation-48h", want: result.Warn, text: "Le titulaire notifie toute violation de données à la collectivité dans un délai de [à préciser par les parties]."},
	{item: "violation-48h", want: result.Fail, text: "Le titulaire notifie toute violation de données à la collectivité dans un délai de [●] heures. Les incidents de sécurité mineurs sont signalés dans un délai de 72 heures."},
	{item: "fin-de-contrat", want: result.Warn, text: "Au terme du contrat, le titulaire supprime toutes les données, sauvegardes comprises, dans un délai de ____ jours."},
	{item: "fin-de-contrat", want: result.Warn, text: "On expiry of the Agreement, the Supplier shall erase all pupil data, including backup copies, within [insert number] days."},
	{item: "fin-de-contrat", want: result.Fail, text: "À l'expiration du marché, le titulaire restitue les données à la collectivité dans un délai de [●] jours."},
	{item: "sous-traitants", want: result.Warn, name: "c.html", text: `<p>Tout recours à un sous-traitant ultérieur est soumis à l'autorisation écrite préalable de la collectivité.</p><h3>Annexe 4 – Sous-traitants ultérieurs</h3><table><tr><th>Raison sociale</th><th>Prestation</th><th>Pays</th></tr><tr><td>[Nom du sous-traitant]</td><td>[Prestation]</td><td>[Pays]</td></tr></table>`},
	{item: "sous-traitants", want: result.Warn, text: "The Council gives the Supplier a general authorisation to engage sub-processors; the Supplier informs the Council of any intended change and the Council may raise objections.\nThe following sub-processors are authorised:\n- [Name of sub-processor] — [service] — [country]"},
	// the authorisation in English
	{item: "sous-traitants", want: result.Warn, text: "The Supplier shall not engage any sub-processor without the prior written authorisation of the Council.\nThe following sub-processors are authorised:\n- [Name of sub-processor] — [service] — [country]"},
	{item: "sous-traitants", want: result.Pass, text: "The Vendor engages no other processor without the School's prior specific written approval.\nThe following sub-processors are authorised:\n- Cloud Host Ltd — hosting — Ireland"},
	{item: "sous-traitants", want: result.Fail, text: "The Vendor may engage sub-processors without the consent of the School.\nThe following sub-processors are authorised:\n- Cloud Host Ltd — hosting — Ireland"},
	{item: "sous-traitants", want: result.Fail, text: "Le titulaire peut librement recourir à des sous-traitants ultérieurs.\nListe des sous-traitants ultérieurs :\n- [À compléter] — [Prestation] — [Pays]"},
	// a key/value table whose value cell lists the sub-processors
	{item: "sous-traitants", want: result.Pass, name: "c.html", text: `<p>Le recours à un sous-traitant ultérieur est soumis à l'autorisation écrite préalable de la collectivité.</p><table><tr><th>Clause</th><th>Valeur</th></tr><tr><td>Durée</td><td>Quatre années scolaires</td></tr><tr><td>Sous-traitants ultérieurs</td><td>Nuage Fictif SAS (hébergement des serveurs, France) ; Courriel Fictif SARL (envoi des notifications, Belgique)</td></tr></table>`},
	{item: "sous-traitants", want: result.Pass, name: "c.html", text: `<p>Le recours à un sous-traitant ultérieur est soumis à l'autorisation écrite préalable de la collectivité.</p><table><tr><td>Sous-traitants autorisés</td><td><ul><li>Nuage Fictif SAS — hébergement — France</li><li>Courriel Fictif SARL — envoi des courriels — Belgique</li></ul></td></tr></table>`},
	{item: "sous-traitants", want: result.Pass, name: "x.md", text: "The Vendor engages no sub-processor without the School's prior written authorisation.\n\n| Term | Value |\n|---|---|\n| Governing law | Ireland |\n| Approved Subprocessors | Cloud Host Ltd (Ireland; hosting)<br>Mail Relay GmbH (Germany; e-mail delivery) |\n"},
	{item: "sous-traitants", want: result.Fail, name: "c.html", text: `<p>Le recours à un sous-traitant ultérieur est soumis à l'autorisation écrite préalable de la collectivité.</p><table><tr><th>Clause</th><th>Valeur</th></tr><tr><td>Sous-traitants ultérieurs</td><td>voir la page de l'éditeur</td></tr></table>`},
	// instructions
	{item: "instructions", want: result.Pass, text: "Le titulaire traite les données uniquement sur instruction documentée de la collectivité."},
	{item: "instructions", want: result.Pass, text: "Les données sont traitées exclusivement conformément aux instructions écrites du responsable de traitement."},
	{item: "instructions", want: result.Pass, text: "Le prestataire s'engage à :\n- ne traiter les données que sur instructions documentées du client ;\n- tenir un registre."},
	{item: "instructions", want: result.Pass, text: "Le sous-traitant agit pour le compte et sur instruction du responsable du traitement."},
	{item: "instructions", want: result.Fail, text: "Le titulaire n'est pas tenu de suivre les instructions de la collectivité lorsqu'elles entravent le service."},
	{item: "instructions", want: result.Fail, text: "Le titulaire peut s'écarter des instructions de la collectivité s'il le juge utile."},
	{item: "instructions", want: result.Fail, text: "Le titulaire fournit les instructions d'utilisation de la plateforme aux usagers."},
	// confidentialite
	{item: "confidentialite", want: result.Pass, text: "Les personnes autorisées à traiter les données sont soumises à une obligation de confidentialité."},
	{item: "confidentialite", want: result.Pass, text: "Le titulaire veille à ce que ses salariés s'engagent à respecter la confidentialité des données."},
	{item: "confidentialite", want: result.Pass, text: "Article 6 – Confidentialité\nLes personnels du prestataire ayant accès aux données signent un engagement de confidentialité."},
	{item: "confidentialite", want: result.Fail, text: "Les personnels du titulaire ne sont pas soumis à une obligation de confidentialité particulière."},
	{item: "confidentialite", want: result.Fail, text: "Le présent contrat est confidentiel."},
	// securite
	{item: "securite", want: result.Pass, text: "Le titulaire met en œuvre les mesures techniques et organisationnelles appropriées au sens de l'article 32 du RGPD."},
	{item: "securite", want: result.Pass, text: "Des mesures de sécurité conformes au RGS sont mises en œuvre par le prestataire."},
	{item: "securite", want: result.Pass, text: "ARTICLE 7 - SECURITE\nLe titulaire garantit le chiffrement des données en transit et au repos et des sauvegardes quotidiennes."},
	{item: "securite", want: result.Pass, text: "Le titulaire se conforme au référentiel général de sécurité (RGS) et à la PSSIE."},
	{item: "securite", want: result.Fail, text: "Le titulaire s'efforce de mettre en œuvre des mesures de sécurité raisonnables."},
	{item: "securite", want: result.Fail, text: "Le titulaire n'est pas tenu de mettre en œuvre des mesures de sécurité au-delà de l'état de l'art."},
	// sous-traitants
	{item: "sous-traitants", want: result.Pass, name: "c.html", text: `<p>Le titulaire ne peut recruter un sous-traitant ultérieur sans l'autorisation écrite préalable de la collectivité.</p>
<h3>Liste des sous-traitants ultérieurs</h3><table><tr><th>Nom</th><th>Rôle</th><th>Pays</th></tr><tr><td>Hébergeur Fictif SAS</td><td>hébergement</td><td>France</td></tr></table>`},
	{item: "sous-traitants", want: result.Pass, text: "Aucun sous-traitant ultérieur ne peut être recruté sans l'accord écrit et préalable du client.\nSous-traitants ultérieurs autorisés :\n- Hébergeur Fictif SAS — hébergement des serveurs — France\n- Messagerie Fictive SARL : envoi des courriels, Belgique\n"},
	{item: "sous-traitants", want: result.Pass, text: "Le recours à un sous-traitant ultérieur est subordonné à l'autorisation écrite préalable de la collectivité. Le titulaire n'a recours à aucun sous-traitant ultérieur à la date de signature."},
	{item: "sous-traitants", want: result.Fail, text: "Le titulaire peut librement faire appel à des sous-traitants ultérieurs sans autorisation de la collectivité.\nSous-traitants :\n- Hébergeur Fictif SAS — hébergement — France\n"},
	{item: "sous-traitants", want: result.Fail, text: "Le titulaire ne peut recruter un sous-traitant ultérieur sans l'autorisation écrite préalable de la collectivité."},
	{item: "sous-traitants", want: result.Fail, name: "c.html", text: `<p>Le titulaire ne peut recruter un sous-traitant ultérieur sans l'autorisation écrite préalable de la collectivité.</p>
<h3>Sous-traitants ultérieurs</h3><table><tr><th>Sous-traitant</th><th>Prestation</th><th>Pays</th></tr><tr><td>Hébergeur Fictif SAS</td><td>hébergement</td><td></td></tr></table>`},
	{item: "sous-traitants", want: result.Pass, text: "Le recours à un sous-traitant ultérieur requiert l'autorisation écrite préalable de la collectivité. Le titulaire fait appel aux sous-traitants ultérieurs suivants : Hébergeur Fictif SAS (hébergement des serveurs, France) ; Courriel Fictif SARL (envoi des courriels, Belgique)."},
	{item: "sous-traitants", want: result.Pass, name: "c.html", text: `<p>La collectivité donne au titulaire une autorisation écrite générale de recruter des sous-traitants ultérieurs ; le titulaire l'informe par écrit de tout changement prévu, et la collectivité peut émettre des objections.</p><p>Annexe 2 – Prestataires</p><table><tr><td>Société</td><td>Objet</td><td>Localisation des données</td></tr><tr><td>Hébergeur Fictif SAS</td><td>Hébergement</td><td>Union européenne (France)</td></tr></table>`},
	{item: "sous-traitants", want: result.Pass, text: "Le titulaire informe préalablement la collectivité de tout changement de sous-traitant ultérieur ; la collectivité dispose de quinze jours pour émettre des objections.\nListe des sous-traitants ultérieurs :\n- Hébergeur Fictif SAS — hébergement — France\n"},
	{item: "sous-traitants", want: result.Pass, name: "c.html", text: `<p>Toute sous-traitance ultérieure est soumise à l'accord préalable et écrit de la collectivité.</p><table><tr><td>Annexe 2 – Liste des sous-traitants ultérieurs</td></tr><tr><td>Raison sociale</td><td>Objet de la prestation</td><td>Lieu d'hébergement</td></tr><tr><td>Hébergeur Fictif SAS</td><td>Hébergement</td><td>Strasbourg, France</td></tr></table>`},
	// assistance-droits
	{item: "assistance-droits", want: result.Pass, text: "Le titulaire aide la collectivité à donner suite aux demandes d'exercice des droits des personnes concernées."},
	{item: "assistance-droits", want: result.Pass, text: "Toute demande d'exercice de droits reçue par le prestataire est transmise sans délai au responsable de traitement."},
	{item: "assistance-droits", want: result.Pass, text: "Article 9 - Droits des personnes\nLe titulaire assiste la collectivité pour répondre dans les délais légaux."},
	{item: "assistance-droits", want: result.Fail, text: "Le titulaire n'assiste pas la collectivité pour les demandes d'exercice des droits des personnes."},
	{item: "assistance-droits", want: result.Fail, text: "Les usagers disposent d'un droit d'accès à leurs données."},
	// assistance-conformite
	{item: "assistance-conformite", want: result.Pass, text: "Le titulaire aide la collectivité à garantir le respect des obligations prévues aux articles 32 à 36 du RGPD."},
	{item: "assistance-conformite", want: result.Pass, text: "Le prestataire fournit la documentation nécessaire à la réalisation de l'analyse d'impact (AIPD) et à la consultation préalable de la CNIL."},
	{item: "assistance-conformite", want: result.Fail, text: "Le titulaire peut, à sa discrétion, contribuer aux analyses d'impact de la collectivité."},
	// fin-de-contrat
	{item: "fin-de-contrat", want: result.Pass, text: "À l'expiration du contrat, le titulaire supprime l'ensemble des données, y compris les sauvegardes, dans un délai de 30 jours."},
	{item: "fin-de-contrat", want: result.Pass, text: "Article 14 – Réversibilité\nLes données sont restituées à la collectivité puis détruites par le prestataire au plus tard trois mois après la fin du marché. Les copies de sauvegarde sont détruites dans le même délai."},
	{item: "fin-de-contrat", want: result.Fail, text: "Au terme du contrat, le titulaire supprime les données dans un délai de 30 jours."},
	{item: "fin-de-contrat", want: result.Fail, text: "Au terme du contrat, le titulaire supprime les données et leurs sauvegardes."},
	{item: "fin-de-contrat", want: result.Fail, text: "À la fin du contrat, le titulaire supprime les données et leurs sauvegardes dans un délai de 30 jours. Le titulaire peut toutefois conserver une copie des sauvegardes à des fins d'archivage."},
	{item: "fin-de-contrat", want: result.Fail, text: "Le titulaire n'est pas tenu de supprimer les données au terme du contrat."},
	{item: "fin-de-contrat", want: result.Pass, text: "À l'issue du contrat, le titulaire s'engage à détruire l'ensemble des données (y compris les sauvegardes) sous 15 jours."},
	// audits
	{item: "audits", want: result.Pass, text: "La collectivité peut faire réaliser, à ses frais, un audit de conformité une fois par an."},
	{item: "audits", want: result.Pass, text: "Le titulaire se soumet aux audits et inspections diligentés par la collectivité ou un tiers mandaté."},
	{item: "audits", want: result.Pass, text: "La collectivité se réserve le droit de procéder à des audits de conformité."},
	{item: "audits", want: result.Fail, text: "Aucun audit sur site n'est autorisé."},
	{item: "audits", want: result.Fail, text: "Le titulaire peut, à sa seule discrétion, accepter un audit."},
	{item: "audits", want: result.Fail, text: "Le titulaire conserve des journaux d'audit des connexions pendant un an."},
	// dpo
	{item: "dpo", want: result.Pass, text: "Le délégué à la protection des données du titulaire peut être contacté à dpo@editeur-fictif.example."},
	{item: "dpo", want: result.Pass, name: "c.html", text: `<h2>Contacts</h2><table><tr><th>Rôle</th><th>Coordonnées</th></tr><tr><td>DPO du prestataire</td><td>dpd@prestataire.example</td></tr></table>`},
	{item: "dpo", want: result.Fail, text: "Le titulaire communique à la collectivité le nom et les coordonnées de son délégué à la protection des données."},
	{item: "dpo", want: result.Fail, text: "Le délégué à la protection des données de la collectivité est joignable à dpo@departement-fictif.example."},
	{item: "dpo", want: result.Pass, text: "Les coordonnées des délégués à la protection des données de la collectivité et du titulaire sont respectivement dpd@departement-fictif.example et dpo@editeur-fictif.example."},
	// violation-48h
	{item: "violation-48h", want: result.Pass, text: "Le titulaire notifie à la collectivité toute violation de données dans un délai maximal de 48 heures après en avoir pris connaissance."},
	{item: "violation-48h", want: result.Pass, text: "Toute violation de données à caractère personnel ou tout incident de sécurité est signalé à la collectivité sous 24 h."},
	{item: "violation-48h", want: result.Pass, text: "Article 8 – Violations de données\nLe prestataire en informe le client au plus tard quarante-huit heures après leur découverte."},
	{item: "violation-48h", want: result.Pass, text: "Le délai de notification des incidents de sécurité à la collectivité ne peut excéder 48 heures."},
	{item: "violation-48h", want: result.Pass, name: "c.html", text: `<table><tr><th>Obligation</th><th>Engagement du titulaire</th></tr><tr><td>Notification des violations de données</td><td>Sous 24 heures, par courriel à la collectivité</td></tr></table>`},
	{item: "violation-48h", want: result.Fail, text: "Le titulaire notifie à la collectivité toute violation de données dans les meilleurs délais."},
	{item: "violation-48h", want: result.Pass, text: "Le titulaire s'engage à notifier à la collectivité, dans les meilleurs délais et au plus tard 48 heures après en avoir pris connaissance, toute violation de données."},
	{item: "violation-48h", want: result.Fail, text: "Le titulaire notifie toute violation de données à la collectivité dans un délai de 72 heures."},
	{item: "violation-48h", want: result.Fail, text: "Le titulaire n'est pas tenu de notifier les incidents de sécurité à la collectivité."},
	{item: "violation-48h", want: result.Fail, text: "Le titulaire notifie sans délai injustifié toute violation de données au responsable du traitement."},
	{item: "violation-48h", want: result.Fail, text: "Le titulaire notifie à la collectivité les violations graves de données dans un délai de 24 heures."},
	{item: "violation-48h", want: result.Warn, text: "Le titulaire notifie immédiatement à la collectivité toute violation de données."},
	{item: "violation-48h", want: result.Warn, text: "Le titulaire informe la collectivité de tout incident de sécurité dans un délai de deux jours ouvrés."},
	{item: "violation-48h", want: result.Fail, text: "La collectivité notifie la violation à la CNIL dans les 72 heures."},
	{item: "violation-48h", want: result.Pass, text: "Tout incident de sécurité est porté à la connaissance du client dans un délai de quarante-huit (48) heures."},
	{item: "violation-48h", want: result.Pass, text: "Le prestataire alerte la collectivité de toute faille de sécurité sous 24h00."},
	{item: "violation-48h", want: result.Fail, text: "Il n'appartient pas au titulaire de notifier les violations de données à la collectivité."},
	// hebergement-ue
	{item: "hebergement-ue", want: result.Pass, text: "Les données et leurs sauvegardes sont hébergées en France. Aucun transfert hors de l'Union européenne n'est effectué."},
	{item: "hebergement-ue", want: result.Pass, text: "L'ensemble des données, y compris les sauvegardes, est stocké dans des centres de données situés sur le territoire de l'Union européenne."},
	{item: "hebergement-ue", want: result.Pass, text: "Le prestataire s'interdit tout transfert de données, y compris des sauvegardes, en dehors de l'Union européenne."},
	{item: "hebergement-ue", want: result.Warn, text: "Les données sont hébergées en France, à Roubaix."},
	{item: "hebergement-ue", want: result.Fail, text: "Les données sont hébergées en France. Les opérations de support peuvent être réalisées hors de l'Union européenne."},
	{item: "hebergement-ue", want: result.Fail, text: "Les données sont hébergées en Irlande et peuvent être transférées aux États-Unis dans le cadre de clauses contractuelles types."},
	{item: "hebergement-ue", want: result.Fail, text: "Aucun transfert hors de l'Union n'est réalisé, sauf vers les États-Unis sous couvert de clauses contractuelles types."},
	{item: "hebergement-ue", want: result.Fail, name: "c.html", text: `<p>Les données et sauvegardes sont hébergées en France.</p><h3>Sous-traitants ultérieurs</h3><table><tr><th>Sous-traitant</th><th>Prestation</th><th>Pays</th></tr><tr><td>Support Fictif Inc.</td><td>assistance technique</td><td>États-Unis</td></tr></table>`},
	{item: "hebergement-ue", want: result.Fail, text: "Le titulaire, dont le siège est situé à Paris, s'engage à respecter le RGPD."},
	{item: "hebergement-ue", want: result.Warn, text: "Les données et leurs sauvegardes sont hébergées en France. Aucun transfert hors de l'Union n'est réalisé, sauf autorisation écrite préalable de la collectivité."},
	{item: "hebergement-ue", want: result.Pass, text: "Les données, y compris leurs sauvegardes, ne quittent jamais le territoire français."},
	{item: "hebergement-ue", want: result.Pass, text: "L'hébergement des données et des sauvegardes est assuré par Hébergeur Fictif SAS dans l'Espace économique européen."},
	{item: "hebergement-ue", want: result.Pass, text: "Les données et leurs sauvegardes sont hébergées en France, sans aucun transfert hors de l'Union européenne."},
	{item: "hebergement-ue", want: result.Fail, text: "Les données et leurs sauvegardes sont hébergées en France. Le support de niveau 2 est assuré depuis Montréal."},
	{item: "hebergement-ue", want: result.Fail, text: "Les données sont hébergées en France. En cas de transfert hors de l'Union européenne, le titulaire met en place des clauses contractuelles types."},
	{item: "hebergement-ue", want: result.Pass, text: "Les données et leurs sauvegardes sont hébergées en France ; conformément au RGPD, tout transfert hors de l'Union est interdit."},
	{item: "hebergement-ue", want: result.Pass, name: "c.html", text: `<table><tr><th>Question</th><th>Réponse</th></tr><tr><td>Lieu d'hébergement des données et des sauvegardes</td><td>France</td></tr><tr><td>Transfert de données hors de l'Union européenne ?</td><td>Non</td></tr></table>`},
	{item: "hebergement-ue", want: result.Fail, name: "c.html", text: `<table><tr><th>Question</th><th>Réponse</th></tr><tr><td>Lieu d'hébergement des données et des sauvegardes</td><td>France</td></tr><tr><td>Transfert de données hors de l'Union européenne ?</td><td>Oui, vers les États-Unis (clauses contractuelles types)</td></tr></table>`},
	// usage-commercial
	{item: "usage-commercial", want: result.Pass, text: "Le titulaire s'interdit toute utilisation des données à des fins commerciales ou publicitaires."},
	{item: "usage-commercial", want: result.Pass, text: "Les données des élèves ne sont en aucun cas utilisées à des fins de prospection, de profilage ou de publicité, ni cédées à des tiers."},
	{item: "usage-commercial", want: result.Pass, text: "Le prestataire s'engage à :\n- ne pas vendre, louer ou céder les données ;\n- ne pas les utiliser à des fins commerciales."},
	{item: "usage-commercial", want: result.Pass, text: "Le titulaire s'interdit d'utiliser les données à d'autres fins que l'exécution du contrat."},
	{item: "usage-commercial", want: result.Fail, text: "Le titulaire s'interdit toute utilisation commerciale des données. Il peut toutefois exploiter des données anonymisées pour améliorer ses produits."},
	{item: "usage-commercial", want: result.Fail, text: "Le titulaire peut adresser aux familles des offres promotionnelles concernant ses autres services."},
	{item: "usage-commercial", want: result.Fail, text: "Les données pseudonymisées peuvent être réutilisées par le titulaire pour le développement de nouveaux services."},
	{item: "usage-commercial", want: result.Fail, text: "Le titulaire s'interdit toute utilisation commerciale des données, sauf accord de ses partenaires."},
	{item: "usage-commercial", want: result.Fail, text: "Le titulaire est une société commerciale de droit français."},
	{item: "usage-commercial", want: result.Pass, text: "Aucune publicité n'est affichée dans l'ENT."},
	{item: "usage-commercial", want: result.Pass, name: "c.html", text: `<table><tr><th>Engagement</th><th>Réponse</th></tr><tr><td>Usage commercial ou publicitaire des données</td><td>Interdit</td></tr></table>`},
	{item: "usage-commercial", want: result.Fail, name: "c.html", text: `<table><tr><th>Question</th><th>Réponse</th></tr><tr><td>Les données anonymisées sont-elles réutilisées pour d'autres produits ?</td><td>Oui</td></tr></table>`},
	{item: "violation-48h", want: result.Pass, name: "c.html", text: `<table><tr><th>Clause</th><th>Engagement</th></tr><tr><td>Notification des violations de données</td><td>48 h</td></tr></table>`},
	{item: "fin-de-contrat", want: result.Pass, name: "c.html", text: `<table><tr><th>Clause</th><th>Engagement</th></tr><tr><td>Fin du contrat</td><td>Suppression de toutes les données et des sauvegardes sous 30 jours</td></tr></table>`},
	{item: "usage-commercial", want: result.Pass, text: "Le titulaire garantit que les données ne seront pas utilisées à d'autres fins, notamment commerciales. L'offre commerciale du titulaire est jointe en annexe."},
	{item: "usage-commercial", want: result.Pass, text: "Le titulaire ne commercialise pas les données."},
	{item: "usage-commercial", want: result.Fail, text: "Le titulaire s'interdit toute publicité. Le titulaire peut analyser les données de navigation pour entraîner ses modèles d'intelligence artificielle."},
	// English wordings, same polarity logic
	{item: "instructions", want: result.Pass, text: "The Processor shall process Personal Data only on documented instructions from the Controller."},
	{item: "instructions", want: result.Fail, text: "The Processor is not required to follow the Customer's instructions."},
	{item: "confidentialite", want: result.Pass, text: "The Processor will ensure that any person it authorizes to process Personal Data is subject to a duty of confidentiality."},
	{item: "securite", want: result.Pass, text: "The Processor shall implement appropriate technical and organisational measures to protect Personal Data."},
	{item: "securite", want: result.Fail, text: "The Processor may, at its discretion, implement security measures."},
	{item: "assistance-droits", want: result.Pass, text: "The Processor will reasonably cooperate to enable the Customer to respond to requests from Data Subjects seeking to exercise their rights."},
	{item: "assistance-conformite", want: result.Pass, text: "The Processor will provide reasonable assistance with data protection impact assessments and prior consultations with supervisory authorities."},
	{item: "fin-de-contrat", want: result.Pass, text: "Upon termination of the Agreement, the Processor shall delete all Personal Data, including backups and copies, within 30 days."},
	{item: "fin-de-contrat", want: result.Fail, text: "Upon termination of the Agreement, the Processor will delete all Personal Data. This requirement will not apply to Personal Data archived on back-up systems."},
	{item: "violation-48h", want: result.Fail, text: "In the event of a Personal Data Breach, the Processor will inform the Customer without undue delay."},
	{item: "violation-48h", want: result.Pass, text: "The Processor shall notify the Customer of any personal data breach within 24 hours."},
	{item: "hebergement-ue", want: result.Fail, text: "The Processor may transfer and process Personal Data in the United States under the Standard Contractual Clauses."},
	{item: "usage-commercial", want: result.Pass, text: "The Processor will not process Personal Data for its own purposes."},
	{item: "usage-commercial", want: result.Fail, text: "The Processor may use Personal Data for product strategy and to improve its products."},
	// definitions state nothing
	{item: "hebergement-ue", want: result.Fail, text: "Article 1 : Définitions\nTransfert de données : Tout transfert de données en dehors de l'Espace économique européen, y compris vers un pays tiers."},
	{item: "hebergement-ue", want: result.Pass, text: "Article 1 : Définitions\nTransfert : tout transfert de données hors de l'Union européenne.\nArticle 9 : Hébergement\nLes données et leurs sauvegardes sont hébergées en France, sans aucun transfert hors de l'Union européenne."},
	// a transfer only on the controller's authorisation is to check
	{item: "hebergement-ue", want: result.Warn, text: "Les données et leurs sauvegardes sont hébergées en France. Des équipes de support situées hors de l'Union européenne peuvent accéder aux données uniquement avec l'accord préalable et écrit du responsable de traitement."},
	// a leading exception ends at its comma
	{item: "fin-de-contrat", want: result.Pass, text: "Sauf obligation légale, le titulaire supprime au terme du contrat toutes les données et leurs sauvegardes dans un délai de 30 jours."},
	// statements under a heading naming the sub-processor are no list of sub-processors
	{item: "sous-traitants", want: result.Pass, text: "Article 4 : Obligations du sous-traitant\n- Confidentialité : le sous-traitant veille à ce que ses personnels respectent la confidentialité.\n- Sous-traitance ultérieure : le sous-traitant ne peut recruter un sous-traitant ultérieur sans l'autorisation écrite préalable de la collectivité.\nLe titulaire n'a recours à aucun sous-traitant ultérieur."},
	// passive voice: the commitment without the vendor as subject
	{item: "instructions", want: result.Pass, text: "Les données sont traitées exclusivement sur instruction documentée de la collectivité."},
	{item: "confidentialite", want: result.Pass, text: "Les personnels habilités sont soumis à une obligation de confidentialité."},
	{item: "violation-48h", want: result.Pass, text: "Toute violation de données à caractère personnel est notifiée à la collectivité dans un délai maximal de 48 heures après sa découverte."},
	{item: "violation-48h", want: result.Fail, text: "Toute violation de données est notifiée à la collectivité dans un délai de 72 heures."},
	{item: "fin-de-contrat", want: result.Pass, text: "Au terme du marché, l'ensemble des données, y compris les sauvegardes, est supprimé dans un délai de 30 jours."},
	{item: "hebergement-ue", want: result.Pass, text: "Les données et leurs sauvegardes sont hébergées exclusivement en France. Aucun transfert hors de l'Union européenne n'est effectué."},
	{item: "hebergement-ue", want: result.Fail, text: "Les sauvegardes sont répliquées aux États-Unis."},
	{item: "usage-commercial", want: result.Pass, text: "Les données ne sont en aucun cas utilisées à des fins commerciales ou publicitaires."},
	{item: "audits", want: result.Pass, text: "Des audits, y compris des inspections sur place, peuvent être réalisés par la collectivité ou un auditeur qu'elle mandate."},
	{item: "audits", want: result.Pass, text: "Audits, including inspections, may be conducted by the Customer or an auditor mandated by the Customer."},
	{item: "audits", want: result.Fail, text: "Des audits peuvent être réalisés par le titulaire s'il le juge utile."},
	// numbered sub-clauses: the clause's heading carries its subject
	{item: "violation-48h", want: result.Pass, text: "Article 5 – Sécurité\n5.1 Le titulaire met en œuvre les mesures de l'article 32 du RGPD.\n5.2 Il notifie à la collectivité toute violation de données dans les 24 heures suivant sa découverte."},
	{item: "fin-de-contrat", want: result.Pass, text: "Article 12 – Fin du contrat\na) Le titulaire restitue toutes les données à la collectivité ;\nb) il détruit ensuite toutes les copies, sauvegardes comprises, dans un délai de quinze jours."},
	{item: "hebergement-ue", want: result.Fail, text: "Article 8 – Localisation\n8.1 Les données sont hébergées en France.\n8.2 Le titulaire peut transférer les sauvegardes vers un centre de données situé au Canada."},
	{item: "usage-commercial", want: result.Fail, text: "Article 9 – Usage des données\n9.1 Le titulaire s'interdit tout usage commercial des données.\n9.2 Toutefois, le titulaire peut réutiliser les données anonymisées pour améliorer ses autres produits."},
	{item: "dpo", want: result.Pass, text: "Article 11 – Délégué à la protection des données\n11.1 Le délégué du titulaire peut être contacté à l'adresse dpd@editeur.example."},
	// tables with the commitment in a cell (DOCX and HTML)
	{item: "hebergement-ue", want: result.Pass, name: "c.html", text: `<table><tr><th>Engagement</th><th>Détail</th></tr><tr><td>Localisation des données et des sauvegardes</td><td>Hébergées en France, aucun transfert hors de l'Union européenne</td></tr></table>`},
	{item: "hebergement-ue", want: result.Fail, name: "c.html", text: `<table><tr><th>Sous-traitant ultérieur</th><th>Prestation</th><th>Pays</th></tr><tr><td>Nuage Lointain Inc.</td><td>hébergement des sauvegardes</td><td>États-Unis</td></tr></table>`},
	{item: "violation-48h", want: result.Fail, name: "c.docx", text: "table:Clause|Engagement;Notification des violations de données|72 heures"},
	{item: "violation-48h", want: result.Pass, name: "c.docx", text: "table:Clause|Engagement;Notification des violations de données à la collectivité|24 heures au plus"},
	{item: "sous-traitants", want: result.Pass, name: "c.docx", text: "para:Tout recours à un sous-traitant ultérieur est soumis à l'autorisation écrite préalable de la collectivité.;table:Sous-traitant|Prestation|Pays;Hébergeur Fictif SAS|hébergement|France"},
	// conditions: a commitment only for a case is no commitment, a
	// permission for a case stays a permission
	{item: "violation-48h", want: result.Fail, text: "Si la violation est susceptible d'engendrer un risque élevé, le titulaire la notifie à la collectivité dans les 24 heures."},
	{item: "violation-48h", want: result.Fail, text: "Lorsque la violation présente un risque grave, le titulaire en informe la collectivité sous 48 heures."},
	{item: "hebergement-ue", want: result.Fail, text: "Les données sont hébergées en France. Lorsque le support l'exige, des données peuvent être transférées vers l'Inde."},
	{item: "hebergement-ue", want: result.Fail, text: "Les données sont hébergées en France. Dans la mesure où un prestataire l'exige, les sauvegardes peuvent être stockées hors de l'Union européenne."},
	{item: "fin-de-contrat", want: result.Fail, text: "Si le titulaire l'estime possible, les données sont supprimées au terme du contrat, sauvegardes comprises, dans un délai de 30 jours."},
	{item: "fin-de-contrat", want: result.Pass, text: "Au terme du contrat, si la collectivité le demande, le titulaire restitue les données ; dans tous les cas, il détruit toutes les données et leurs sauvegardes dans un délai de 30 jours."},
	{item: "usage-commercial", want: result.Fail, text: "Le titulaire s'interdit tout usage commercial des données. Si les familles y consentent, il peut leur adresser des offres promotionnelles."},
}

func TestWordings(t *testing.T) {
	for _, w := range wordings {
		name := w.name
		if name == "" {
			name = "c.txt"
		}
		find := itemFinder(w.item)
		if find == nil {
			t.Fatalf("unknown item %s", w.item)
		}
		text := w.text
		if strings.HasSuffix(name, ".docx") {
			text = string(docxOf(t, text))
		}
		o := find(readDoc(t, name, text))
		if o.status != w.want {
			t.Errorf("%s: %s, want %s (%s)\n  %s", w.item, o.status, w.want, o.fr, strings.ReplaceAll(w.text, "\n", "⏎"))
		}
	}
}

// docxOf builds a DOCX from blocks separated by ";": "para:text", or
// "table:a|b|c" followed by its rows "x|y|z" (the first row the header).
func docxOf(t *testing.T, spec string) []byte {
	t.Helper()
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace
	var body strings.Builder
	inTable := false
	for _, part := range strings.Split(spec, ";") {
		if text, ok := strings.CutPrefix(part, "para:"); ok {
			if inTable {
				body.WriteString("</w:tbl>")
				inTable = false
			}
			body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`)
			continue
		}
		row, header := strings.CutPrefix(part, "table:")
		if header {
			if inTable {
				body.WriteString("</w:tbl>")
			}
			body.WriteString("<w:tbl>")
			inTable = true
		}
		body.WriteString("<w:tr>")
		if header {
			body.WriteString("<w:trPr><w:tblHeader/></w:trPr>")
		}
		for _, c := range strings.Split(row, "|") {
			body.WriteString(`<w:tc><w:p><w:r><w:t xml:space="preserve">` + esc(c) + `</w:t></w:r></w:p></w:tc>`)
		}
		body.WriteString("</w:tr>")
	}
	if inTable {
		body.WriteString("</w:tbl>")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`},
	} {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
