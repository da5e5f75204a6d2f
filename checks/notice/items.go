package notice

import (
	"regexp"
	"strings"
)

// item is one piece of information GDPR art. 13/14 require in the notice.
// An item is a statement, not a word: it is found in one sentence of the
// notice (sections.go cuts the notice into sections, blocks and
// sentences), read with its context (the section's heading and the
// lead-in sentence ending with ":" that introduces a list). Patterns are
// matched against folded text (no accents, lowercase, one space), so
// "Délégué", "delegue" and "DÉLÉGUÉ" are the same.
type item struct {
	Key     string // stable short name: the finding's "item" field
	FR, EN  string // what the item is
	Article string // where GDPR asks for it
	// rules: the item is present when one sentence satisfies one rule.
	rules []rule
	// review: when absent, the item is a point to check ("à vérifier"),
	// not a failure (the joint arrangement's summary, which the
	// convention makes available elsewhere).
	review bool
	// custom replaces rules when set (the joint controllers need two
	// statements: the State's side and the collectivité's).
	custom func(d *noticeDoc) (sentence, bool)
}

// ArticleEN is Article for an English reader: the GDPR is named GDPR
// (RGPD in French); the Loi Informatique et Libertés keeps its name.
func (it item) ArticleEN() string {
	return strings.ReplaceAll(strings.ReplaceAll(it.Article, "RGPD", "GDPR"), "loi Informatique", "Loi Informatique")
}

// rule is one way of stating an item. A sentence satisfies it when sent
// matches the sentence (if set), ctx matches its context or the sentence
// itself (if set), and not matches neither the sentence nor its lead-in.
// content: ctx alone suffices for any sentence under a heading that
// names the item (a section "Durée de conservation" holding a duration).
type rule struct {
	sent, ctx, not *regexp.Regexp
	// heading: ctx is matched against the section heading only (not the
	// lead-in nor the sentence).
	heading bool
	// near: ctx is matched against the sentence and its lead-in only, not
	// the heading (a heading "Données personnelles" over a charter's
	// article does not make "afin d'éviter les abus" a purpose).
	near bool
	// section: ctx is matched against the sentence, its lead-in and the
	// heading of its own section only (not the headings of the sections
	// before it).
	section bool
	// affirm: a match of sent that a negation governs in its clause ("ne
	// sont ni vendues ni transmises à des tiers", "n'est pas utilisée à
	// des fins commerciales") does not state the item.
	affirm bool
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

var (
	// controllerRe: a sentence (or its heading) says who is the
	// controller.
	controllerRe = re(`responsab\w* (conjoint\w*|du traitement|des traitements|de traitement|de traitements|de ce traitement|de cet traitement|operationnel)|co-?responsab\w*|\bcoresponsab\w*|\bresponsables? conjoints?\b|\b(traitements?|donnees|fichiers?)\b[^.;]{0,60}\bmis(e|es)? en (oeuvre|place) par|\bdetermine\w* (les|ses|leurs) finalites|\b(joint |data )?controllers?\b`)
	// jointRe: a statement that several bodies are controllers together
	// ("un des responsables des traitements", "exercer cette
	// responsabilité avec l'académie et avec le Conseil départemental",
	// "agissent en coresponsabilité", "responsables conjoints").
	jointRe = re(`\bresponsab\w* conjoint\w*|\bconjointement\b|\bco-?responsab\w*|\bcoresponsab\w*|\b(l'|un|une) des (co-?)?responsables\b|\bresponsables (du|des|de) traitements? (sont|:)|\bsont (les |des |tous )?(co-?)?responsables\b|\bexerce\w* (cette|la|leur|sa) responsabilite avec\b|\bavec\b[^.;]{0,80}\b(sont|demeurent) responsables|\bjoint(ly)? controllers?\b|\bjointly\b`)
	// singleRe: a statement that one body is the controller ("Le Client
	// … est Responsable du traitement", "le responsable du traitement est
	// X", "en sa qualité de responsable du traitement"): only the body it
	// names is a controller, whatever else the sentence mentions.
	singleRe = re(`\b(est|demeure|reste|agit en (qualite|tant que)|en (sa|son|leur) qualite de|en tant que) (le |la |l')?(seul |seule |unique )?responsable (du|de|des) (ce |cet |ces |son |ses )?traitements?\b|\bis the (sole )?(data )?controller\b`)
	// singleAfterRe: the body is named after the statement.
	singleAfterRe = re(`\b(le|la) responsable (du|de) (ce |cet )?traitement (est|sera)\b|\bthe (data )?controller is\b`)
	// stateRe names the State's side of an ENT (the DSDEN, the
	// rectorat, the académie, the ministry).
	// The head of a school (chef d'établissement, principal, proviseur,
	// directeur d'école) acts for the State in the ENT's processing.
	stateRe = re(`\bdsden\b|\bdasen\b|direction des services departementaux|directeur academique|directrice academique|\brectorat\b|\brecteur\b|\brectrice\b|\bacademie\b|autorites? academiques?|\bministre\b|\bministere\b|education nationale|\bchef(fe)?s? d'etablissement|\bprincipal(e)? du college\b|\bproviseur(e)?\b|\bdirect(eur|rice) (de l'|d')ecole\b|\bministry of education\b|\bacademic authorit|\brectorate\b|\bhead ?teacher\b|\bhead of (the )?school\b`)
	// collectiviteRe names the collectivité.
	collectiviteRe = re(`\bdepartements?\b|\bregions?\b|\bcommunes?\b|\bcollectivites?\b|conseil departemental|conseil regional|conseil general|\bmetropole\b|\bmairie\b|\bville de\b|communaute (de communes|d'agglomeration|urbaine)|\blocal authorit\w*|\b(regional|departmental|county|city) council\b`)
	// regionAcademiqueRe is the State's region (the région académique),
	// not the collectivité.
	regionAcademiqueRe = re(`\bregions? academiques?\b`)
	// cnilRe names the CNIL: its address, its DPO and its site are not
	// the controllers'.
	cnilRe = re(`\bcnil\b|commission nationale (de l'informatique|informatique)|cnil\.fr`)
	// contactValueRe is a means of contact: an e-mail, a postal code and
	// town, a phone number, a web form or address.
	contactValueRe = re(`[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+|\b\d{5} [a-z]|\b\d{2} \d{3}\b [a-z]|\b0\d([ .]?\d\d){4}\b|\bformulaire\b|https?://|\bwww\.|\b\d{1,4}( ?(bis|ter))?,? (rue|avenue|boulevard|bd|place|allee|chemin|quai|impasse|cours|square|route|esplanade)\b`)
	// dpoRe names a data protection officer.
	dpoRe = re(`delegue\w* (a la |a |de la )?protection des donnees|\bdpo\b|\bdpd\b|delegue\w* (academique )?(rgpd|informatique et libertes)|\bdata protection officer\b`)
	// retentionValueRe is a retention: a duration, a date, "jusqu'à", "pendant la durée de".
	retentionValueRe = re(`\b\d+ ?(jours?|semaines?|mois|ans?|annees?)\b|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|dix-huit|vingt|trente|cinquante)\b (jours?|semaines?|mois|ans?|annees?)\b|\bjusqu'(a|au|aux|en)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(pendant|durant) (la|toute la) duree (de|d'|du|des)\b|\ble temps (necessaire|de (la|l'|sa|son|leur|votre))\b|\ba la (suppression|cloture|fermeture|fin)\b|\btant qu|\baussi longtemps qu|\bpour la duree (de|d'|du|des)\b|\bdes (la|que)\b[^.]{0,40}\b(suppression|cloture|fin|depart)|\b\d+ ?(days?|weeks?|months?|years?)\b|\b(one|two|three|four|five|six|twelve|eighteen|thirty) (days?|weeks?|months?|years?)\b|\buntil\b|\bas long as\b|\bfor the (duration|length) of\b`)
	// rightsCtxRe: a sentence about a person's rights.
	rightsCtxRe = re(`\bdroits?\b|\bexerc|\bdemander\b|\bvous pouvez\b|\bobtenir\b|\bdisposez\b|\bbeneficiez\b|\brights?\b|\brequest\b|\bexercise\b|\byou (may|can)\b`)
	// complaintRe: a complaint or referral to an authority.
	complaintRe = re(`\breclamation|\bplainte\b|\bsaisir\b|\bsaisine\b|\brecours\b|\bcomplaint\b|\blodge\b`)
	// dataCtxRe: a sentence about personal data or their processing (a
	// purpose said with "afin de", "en vue de" is one of the data's only
	// in such a sentence: a charter's "afin d'en éviter le détournement à
	// des fins commerciales" is a rule of conduct).
	dataCtxRe = re(`\b(donnees|informations|renseignements|traitements?|fichiers?)\b|\b(collectee|recueillie|traitee|enregistree|exploitee|utilisee|conservee)s?\b|\b(personal )?(data|information)\b|\bprocess(ed|ing)?\b|\bcollect(ed)?\b`)
	// accessRightCtxRe: the right of access of GDPR art. 15 is a right on
	// one's data ("le droit d'accès aux données vous concernant", a list
	// of rights, "Vos droits"), not the right to use a service.
	accessRightCtxRe = re(`\bdonnees\b|\binformations? (vous|le|la|les|qui vous|qui le|qui la) concern|\brectifi\w*|\beffacement\b|\bopposition\b|\blimitation\b|\bportabilite\b|\brgpd\b|\barticle 15\b|\binformatique et libertes\b|\bcopie\b|\bvos droits\b|\bdroits (des|de la|de l'|sur|relatifs)\b|\bexerc\w*|\bpersonal data\b|\byour data\b|\byour rights\b`)
	// platformAccessRe: the right to use the service ("le droit d'accès
	// de l'Utilisateur est personnel, incessible", "paramétrer les droits
	// d'accès des utilisateurs à la plateforme").
	platformAccessRe = re(`\bdroits? d'acces (de l'|des |d'un |du |de chaque )?(utilisateur|usager|eleve|enseignant|personnel|membre|compte)s?\b|\bdroits? d'acces (a|au|aux) (l'ent|la plateforme|l'espace|le service|service|services|ressources|internet|applications?|outils?|portail|reseau|locaux|monlycee|la messagerie)\b|\bdroits? d'acces\b[^.;]{0,40}\b(personnel|incessible|temporaire|individuel|nominatif)|\b(parametr\w*|gestion|controle|attribu\w*|profils?|habilitations?|niveau) (des |les |de |du )?droits? d'acces\b|\bright to (access|use) (the )?(platform|service|portal|application)`)
)

// noticeItems lists the items in the order of the report.
var noticeItems = []item{
	{
		Key: "responsables-conjoints", Article: "RGPD art. 13.1.a, 14.1.a, 26",
		FR:     "identité des responsables conjoints (DSDEN et collectivité)",
		EN:     "identity of the joint controllers (DSDEN and local authority)",
		custom: jointControllers,
	},
	{
		Key: "accord-conjoint", Article: "RGPD art. 26.2",
		FR:     "grandes lignes de l'accord de responsabilité conjointe (rôles respectifs)",
		EN:     "essence of the joint-controllership arrangement (respective roles)",
		review: true,
		rules: []rule{
			{sent: re(`\b(accord|convention|arrangement|protocole)\b[^.]{0,200}\b(responsabilite conjointe|co-?responsabilite|responsables conjoints|obligations respectives|roles respectifs|responsabilites respectives|repartit\w*|definit les (roles|obligations|responsabilites))|(grandes lignes|elements essentiels|resume)\b[^.]{0,120}\b(accord|convention|arrangement|responsabilite conjointe)|\b(repartition des (roles|obligations|responsabilites)|roles respectifs|obligations respectives|responsabilites respectives)\b|\b(roles?|obligations?|responsabilites?) (de chacun|de chaque (partie|responsable)|des (parties|responsables conjoints|co-?responsables))\b[^.]{0,120}\b(convention|accord|arrangement)\b|\b(agreement|arrangement)\b[^.]{0,200}\b(joint controll\w*|respective (roles|obligations|responsibilities))`),
				not: re(`\ben accord avec\b|\bd'accord\b`)},
		},
	},
	{
		Key: "contact-responsables", Article: "RGPD art. 13.1.a, 14.1.a",
		FR:     "coordonnées des responsables conjoints",
		EN:     "contact details of the joint controllers",
		custom: controllersContact,
	},
	{
		Key: "dpo", Article: "RGPD art. 13.1.b, 14.1.b",
		FR:     "coordonnées du délégué à la protection des données (courriel ou formulaire)",
		EN:     "contact of the data protection officer (e-mail or form)",
		custom: dpoContact,
	},
	{
		Key: "finalites", Article: "RGPD art. 13.1.c, 14.1.c",
		FR: "finalités du traitement", EN: "purposes of the processing",
		rules: []rule{
			{sent: re(`\bfinalites?\b|\bobjectifs? du traitement\b|\b(recueilli|collecte|traite|enregistre|utilise)(e|es|s)? (pour|afin|en vue)\b|\b(realises?|mis en oeuvre|traitees?|collectees?|recueillies?|utilisees?)\b(?:[^.]|\.\S){0,160}\bpour ?:|\best destinee? a (collecter|recueillir|permettre|gerer|faciliter|fournir|proposer|mettre|assurer)|\b(servent|sert|serviront) (a|au|aux)\b|\bpurposes?\b`),
				// who determines the purposes, or purposes named elsewhere,
				// is not a statement of them
				not: re(`\bdetermine\w* (les|ses|leurs) finalites|\b(ces|ses|memes|autres) finalites\b|\bfor (these|the same|other) purposes\b`), affirm: true},
			// a purpose said with a connective, in a sentence about the
			// data or their processing (or under a lead-in that is)
			{sent: re(`\bpour objet\b|\ba pour (but|objectif)s?\b|\ba des fins\b|\baux fins d|\bdans le but d|\bafin d[e']|\ben vue d[e']|\bpour (permettre|gerer|assurer|fournir|proposer|faciliter|organiser|suivre|communiquer|authentifier|identifier|mettre)\b|\bpour (la|le|l'|les) (creation|gestion|fourniture|mise a disposition|utilisation|authentification|suivi|organisation|inscription)\b|\b(traitements?|ent|services?|plateforme|outils?|applications?|dispositif|fichiers?|donnees|informations|ils|elles|it|this) (ne )?(permet|permettent|permettra|permettront) (de |d'|la gestion|aux? )|\bin order to\b|\bso (as|that) (to )?\b|\b(used|processed|collected) (to|for)\b|\bwe (use|process|collect)\b[^.;]{0,80}\b(to|for)\b`),
				ctx: dataCtxRe, near: true, affirm: true,
				not: re(`\bdetermine\w* (les|ses|leurs) finalites|\b(ces|ses|memes|autres) finalites\b`)},
			{ctx: re(`\bfinalit|\bobjet du traitement|\bpourquoi\b|\bbut du traitement|\butilisation de vos donnees|\bpurposes?\b|\bwhy we\b|\bhow we use\b`), heading: true},
		},
	},
	{
		Key: "base-legale", Article: "RGPD art. 13.1.c, 14.1.c, 6.1.e",
		FR: "base légale : mission d'intérêt public (art. 6.1.e)",
		EN: "legal basis: task in the public interest (art. 6.1.e)",
		rules: []rule{
			// the public task said in words, or cited in any order
			// ("6.1.e", "6(1)(e)", "article 6, paragraphe 1, point e",
			// "e) du 1 de l'article 6")
			{sent: re(`\bmissions? d'interet public|\binteret public\b|\bexecution (d'une|de la|des|du|de ses|de sa|de leurs?|d'un) (missions? )?(de service public|d'interet public|service public)|\b(traitements?|donnees|fond\w*|base|necessaire|repos\w*|relev\w*)\b[^.]{0,120}\bmissions? de service public|\bexercice de l'autorite publique|\b6[ .,-]*(1|paragraphe 1|§ ?1|\(1\))?[ .,-]*(e\b|\(e\)|point e)|\be\)?,? (du (paragraphe |§ ?|point )?1,? )?de l'article 6\b|\barticle 6-e\b|\bpublic interest\b|\bpublic task\b|\bofficial authority\b`), affirm: true},
		},
	},
	{
		Key: "categories-donnees", Article: "RGPD art. 14.1.d",
		FR: "catégories de données traitées", EN: "categories of personal data",
		rules: []rule{
			{sent: re(`\bcategories? de donnees|\bdonnees (a caractere personnel |personnelles )?(traitees|collectees|concernees|recueillies|enregistrees|utilisees)\b|\b(donnees|informations) suivantes\b|\binformations (personnelles |a caractere personnel )?(traitees|collectees|concernees|recueillies|enregistrees)\b|\b(nature|types?|liste) des donnees\b|\bsont (collectees|traitees|recueillies|enregistrees) les (donnees|informations) suivantes|\bquelles (donnees|informations)\b|\bcategories of (personal )?data\b|\b(personal )?data (we|that we) (collect|process|hold)\b|\bthe following (personal )?(data|information)\b|\bwhat (personal )?data\b`)},
			{ctx: re(`\bcategories? de donnees|\bdonnees (a caractere personnel |personnelles )?(traitees|collectees|concernees|recueillies|enregistrees|utilisees)\b|\bquelles (donnees|informations)\b|\b(nature|types?) des donnees\b|\bcategories of (personal )?data\b|\bdata (we|that we) (collect|process)\b`), heading: true},
		},
	},
	{
		Key: "source-aaf", Article: "RGPD art. 14.2.f",
		FR: "source des données (annuaire académique fédérateur, AAF)",
		EN: "source of the data (the academic directory, AAF)",
		rules: []rule{
			{sent: re(`\baaf\b|annuaire academique federateur|annuaires? (academiques?|federateurs?)\b`)},
			// the school information systems feed the AAF: named as where
			// the data come from ("proviennent de SIECLE"), not as a datum
			// ("identifiant SIECLE" in a list of data)
			{sent: re(`\bsiecle\b|\bsts[- ]?web\b|\bonde\b|\bbase eleves\b`), ctx: re(`\bproven\w*|\bissue?s? d|\bextrai\w*|\baliment\w*|\bimport\w*|\ba partir d|\btransmis\w*|\bvia\b|\bdepuis\b|\bsources?\b|\borigine\b|\bsynchronis\w*|\bcome from\b|\bfed by\b`), near: true},
		},
	},
	{
		Key: "destinataires", Article: "RGPD art. 13.1.e, 14.1.e",
		FR: "destinataires des données", EN: "recipients of the data",
		rules: []rule{
			// who receives, reads or uses the data: "transmises à",
			// "pourront être transmises et exploitées par le rectorat",
			// "sont destinées aux services habilités" ("communiquées par
			// les utilisateurs" names the source, not a recipient)
			{sent: re(`\bdestinataires?\b|\bont acces (aux|a vos|a ces|a leurs) donnees|\bacces (aux|a vos|a ces) donnees (est |sont )?(reserve|limite|restreint)|\b(seul|seule|seuls|seules|uniquement)\b[^.]{0,60}\b(habilite|autorise)|\bpersonnes? (habilitee|autorisee)s?\b|\bpersonnels? habilites?\b|\b(donnees|informations)\b[^.]{0,120}\ba (l'attention|destination) (exclusive )?(des|de la|du|de l')|\btransmettre (vos|les|ces|leurs) donnees|\bqui (va|peut|pourra|peuvent) avoir acces|\bpeu(t|vent) acceder (a vos|aux|a ces|a leurs) (donnees|informations)|\brecipients?\b|\bhave access to (your|the|their) (personal )?data\b`),
				not: re(`\bvous pouvez acceder\b|\bdroits? d'acces\b`), affirm: true},
			// who the data go to or who uses them, said with a verb, in a
			// sentence about the data: "pourront être transmises et
			// exploitées par le rectorat", "sont destinées aux services
			// habilités" ("communiquées par les utilisateurs" names the
			// source, "le mot de passe est communiqué à l'utilisateur" no
			// recipient of the data)
			{sent: re(`\b(communique|transmis|transfere|partage|accessible|transmise|communiquee|transferee|partagee)s? (et \w+ )?(a|au|aux|avec|uniquement|seulement|exclusivement)\b|\b(exploite|consulte|traite|utilise|traitee|exploitee|consultee|utilisee)s? (et \w+ )?par (le|la|les|l'|des|un|une|ses|leurs|nos)\b|\bdestinee?s? (aux|au|a la|a l'|a des|a vos|exclusivement)\b|\b(shared|disclosed|transferred|transmitted|communicated) (with|to)\b`),
				ctx: re(dataCtxRe.String() + `|\b(elles|ils|celles-ci|ceux-ci)\b`), near: true,
				not: re(`\bvous pouvez acceder\b|\bdroits? d'acces\b|\best destinee? a (collecter|recueillir|permettre|gerer|faciliter|fournir|proposer|mettre|assurer)|\b(identifiant|mot de passe|code)s?\b`), affirm: true},
			{ctx: re(`\bdestinataire|\bqui (a|va avoir|peut avoir|aura) acces|\bacces (a vos|aux) donnees|\brecipients?\b|\bwho (has|can have) access\b|\bsharing\b`), heading: true},
		},
	},
	{
		Key: "conservation", Article: "RGPD art. 13.2.a, 14.2.a",
		FR: "durées de conservation", EN: "retention periods",
		rules: []rule{
			{ctx: re(`\bconserv\w*|\bsupprim\w*|\bsuppression\b|\beffac\w*|\bdetrui\w*|\barchiv\w*|\bcombien de temps\b|\bduree\b|\bretain\w*|\bretention\b|\bkept\b|\bkeep\b|\bstored\b|\bdelet\w*|\berase\w*|\bhow long\b`), sent: retentionValueRe},
		},
	},
	{
		Key: "droit-acces", Article: "RGPD art. 13.2.b, 15",
		FR: "droit d'accès", EN: "right of access",
		rules: []rule{
			// the right on one's data (GDPR art. 15): named, in a
			// sentence, list or section about data or rights; the right to
			// use the service ("le droit d'accès de l'Utilisateur est
			// personnel, incessible") is not it
			{sent: re(`\bdroits? d'acces\b|\bdroits? d'acceder\b|\bright (of|to) access\b`), ctx: accessRightCtxRe, section: true,
				not: platformAccessRe, affirm: true},
			{sent: re(`\b(demander|solliciter|obtenir) (l'acces|un acces|acces) (a|aux) (vos|ses|leurs|sa|son|ces|les) (donnees|informations)|\bobtenir (une |la )?(copie|communication)\b|\bacceder (a vos|a ses|a leurs|a sa|a son) (donnees|informations)|\bacceder aux (donnees|informations) (personnelles |a caractere personnel )?(vous|la|le|les|qui vous|qui la|qui le|qui les|les|la) concern|\baccess (to )?(your|their|his|her) (personal )?data\b|\bobtain a copy\b`),
				not: re(`\bqui (va|peut|pourra|aura|a) (avoir )?acces\b`)},
		},
	},
	{
		Key: "droit-rectification", Article: "RGPD art. 13.2.b, 16",
		FR: "droit de rectification", EN: "right to rectification",
		rules: []rule{
			{sent: re(`\brectifi\w*|\bdroits?[^.]{0,60}\bde (modification|correction)\b|\b(modifier|corriger|mettre a jour) (vos|les|ces|leurs) (donnees|informations)|\b(correct|update) (your|their|inaccurate) (personal )?data\b`)},
		},
	},
	{
		Key: "droit-opposition", Article: "RGPD art. 13.2.b, 21",
		FR: "droit d'opposition", EN: "right to object",
		rules: []rule{
			{sent: re(`\bdroits? d'opposition|\bvous (y )?opposer\b|\bs'(y )?opposer\b|\bopposition (au|a ce|aux|a leur|a son) traitement|\bd'opposition\b|\bright to object\b|\bobject to\b`)},
		},
	},
	{
		Key: "droit-limitation", Article: "RGPD art. 13.2.b, 18",
		FR: "droit à la limitation du traitement", EN: "right to restriction of processing",
		rules: []rule{
			{sent: re(`\blimitation\b|\b(limiter|restreindre) (le|leur|son|ce) traitement|\bdroit (a la|de) restriction\b|\bright to restriction\b|\brestriction of (the )?processing\b|\brestrict (the )?processing\b`), ctx: rightsCtxRe},
		},
	},
	{
		Key: "directives-post-mortem", Article: "loi Informatique et Libertés, art. 85",
		FR: "directives relatives au sort des données après le décès",
		EN: "directives on the data after death (post-mortem)",
		rules: []rule{
			{sent: re(`\bpost[- ]?mortem\b|\bapres (votre|son|leur|le|sa) (deces|mort)\b|\bsort (de vos|des|de leurs|de ses) donnees|\bdirectives (relatives|anticipees|generales|particulieres) (a|au|aux|sur)\b[^.]{0,80}\b(deces|sort|conservation|effacement|communication)|\b(article|art\.?) 85\b|\bafter (your|their|his|her) death\b`)},
		},
	},
	{
		Key: "reclamation-cnil", Article: "RGPD art. 13.2.d, 14.2.e",
		FR: "droit d'introduire une réclamation auprès de la CNIL",
		EN: "right to lodge a complaint with the CNIL",
		rules: []rule{
			// a complaint to the CNIL, or to "the competent supervisory
			// authority" (GDPR art. 13.2.d names no authority)
			{sent: cnilRe, ctx: complaintRe},
			{sent: re(`\bautorites? de controle\b|\bsupervisory authorit|\bdata protection authorit`), ctx: complaintRe, near: true},
		},
	},
}

// jointControllers finds the joint controllers: the State's side (DSDEN,
// rectorat, académie, the head of the school) and the collectivité, each
// named as a controller. A sentence that names several bodies as
// controllers together ("le chef d'établissement est un des responsables
// des traitements … avec l'académie et avec le Conseil départemental",
// possibly over two sentences: "Il a vocation à exercer cette
// responsabilité avec…") counts every body it names; a sentence that
// names one controller ("Le Client … est Responsable du traitement", "le
// responsable du traitement est le recteur") counts only that body,
// whatever else it mentions; under a heading or lead-in naming the
// controllers, each listed sentence counts whole. A "rectorat" in a
// postal address or a publisher's name is not a controller.
func jointControllers(d *noticeDoc) (sentence, bool) {
	var state, coll *sentence
	note := func(s *sentence, text string) bool {
		st, co := stateRe.MatchString(text), collectiviteRe.MatchString(regionAcademiqueRe.ReplaceAllString(text, " "))
		if st && state == nil {
			state = s
		}
		if co && coll == nil {
			coll = s
		}
		return st && co
	}
	for i := range d.sents {
		s := &d.sents[i]
		if cnilRe.MatchString(s.key) || dpoRe.MatchString(s.key) && !controllerRe.MatchString(s.key) && !jointRe.MatchString(s.key) {
			continue
		}
		text, ok := controllerText(s)
		if !ok && i > 0 && jointRe.MatchString(s.key) && controllerRe.MatchString(d.sents[i-1].key) {
			// "Il a vocation à exercer cette responsabilité avec …": the
			// joint statement continues the previous sentence's
			text, ok = s.key, true
		}
		if !ok {
			continue
		}
		if note(s, text) {
			return *s, true
		}
	}
	if state != nil && coll != nil {
		q := *state
		if coll != state {
			q.shown = state.shown + " […] " + coll.shown
		}
		return q, true
	}
	return sentence{}, false
}

// controllerText returns the part of a sentence that names controllers,
// and whether the sentence says who a controller is: the whole sentence
// for a joint statement or a list under a heading naming the
// controllers, the subject of a statement naming a single controller
// ("X est responsable du traitement", "le responsable du traitement est
// X"), nothing for a sentence that names none.
func controllerText(s *sentence) (string, bool) {
	key := s.key
	switch {
	case jointRe.MatchString(key):
		return key, true
	case !controllerRe.MatchString(key):
		if controllerRe.MatchString(s.heading) || controllerRe.MatchString(s.leadIn) {
			return key, true
		}
		return "", false
	}
	if m := singleRe.FindStringIndex(key); m != nil {
		subj := key[:m[0]]
		if i := strings.LastIndexAny(subj, ";:"); i >= 0 {
			subj = subj[i+1:]
		}
		return subj, true
	}
	if m := singleAfterRe.FindStringIndex(key); m != nil {
		obj := key[m[1]:]
		if i := strings.IndexAny(obj, ";:"); i >= 0 {
			obj = obj[:i]
		}
		return obj, true
	}
	return key, true
}

// usRe: the controller speaks of itself.
var usRe = re(`\b(contactez|ecrivez|ecrire|contacter|joindre|adressez)-nous\b|\bnous (contacter|ecrire|joindre|adresser)\b`)

// invitationRe: a sentence that gives a way to reach the controller.
var invitationRe = re(`\bcontact\w*|\becri(re|vez)\b|\badress(er|ez)\b|\baupres (de|du|des)\b|\bs'exerce\w*|\bexercer (vos|ces|ses|leurs) droits|\bcoordonnees\b|\bpar (courriel|courrier|mail|voie postale|voie electronique)`)

// controllersContact finds the controllers' contact: a means of contact
// (e-mail, postal code and town, phone, form) in a sentence that names a
// controller (in the sentence or its heading), or in an invitation to
// write to them when the notice names a controller at all. The CNIL's
// address is not the controllers'; a data category "adresse postale"
// holds no address.
func controllersContact(d *noticeDoc) (sentence, bool) {
	named := false
	acronyms := map[string]bool{}
	for i := range d.sents {
		s := &d.sents[i]
		if controllerRe.MatchString(s.key) {
			named = true
		}
		if _, ok := controllerText(s); ok && (controllerRe.MatchString(s.key) || jointRe.MatchString(s.key)) {
			for _, a := range acronymRe.FindAllString(s.shown, -1) {
				if !notBodyAcronym[a] {
					acronyms[a] = true
				}
			}
		}
	}
	var invite *sentence
	for i := range d.sents {
		s := &d.sents[i]
		if !contactValueRe.MatchString(withoutCNIL(s.key)) || cnilRe.MatchString(s.leadIn) {
			continue
		}
		if controllerRe.MatchString(s.key) || controllerRe.MatchString(s.heading) || controllerRe.MatchString(s.leadIn) {
			return *s, true
		}
		// the controller named again by its acronym: "Le MESR est situé
		// 1 rue Descartes, 75005 Paris"
		for _, a := range acronymRe.FindAllString(s.shown, -1) {
			if acronyms[a] {
				return *s, true
			}
		}
		// an invitation to write to the DPO gives the DPO's contact, not
		// the controllers' ("contactez-nous" at the DPO's address is the
		// controller's own word)
		toDPO := (dpoRe.MatchString(s.key) || dpoRe.MatchString(s.leadIn)) && !usRe.MatchString(s.key) && !usRe.MatchString(s.leadIn)
		if invite == nil && named && !toDPO && (invitationRe.MatchString(s.key) || invitationRe.MatchString(s.leadIn)) {
			invite = s
		}
	}
	if invite != nil {
		return *invite, true
	}
	return sentence{}, false
}

// acronymRe is an acronym as written (MESR, DSDEN, DINUM): a body named
// as controller is often named again by it.
var acronymRe = regexp.MustCompile(`\b[A-Z][A-Z0-9]{2,7}\b`)

// notBodyAcronym are acronyms that name no controller.
var notBodyAcronym = map[string]bool{"RGPD": true, "GDPR": true, "CNIL": true, "ENT": true, "DPO": true, "DPD": true, "GAR": true,
	"AAF": true, "PDF": true, "URL": true, "HTML": true, "RGAA": true, "LCEN": true, "CEDEX": true, "TSA": true, "UE": true}

// cnilValueRe is the CNIL's own contact: its site, its e-mail domain,
// its postal address.
var cnilValueRe = re(`\S*cnil\.fr\S*|\b3,? place de fontenoy\b[^.;]*|\btsa 80715\b[^.;]*`)

// withoutCNIL is a sentence without the CNIL's contact details (a
// complaint paragraph gives them; they are not the controllers' nor
// their DPO's).
func withoutCNIL(key string) string { return cnilValueRe.ReplaceAllString(key, " ") }

// cnilDPORe: the DPO named is the CNIL's.
var cnilDPORe = re(`\b(delegue\w* a la protection des donnees|dpo|dpd) (de la|du) (cnil|commission)|\bcnil\b[^.]{0,80}\b(son|sa|ses) (delegue|dpo|dpd)`)

// dpoContact finds the controllers' DPO and a way to reach them: a
// sentence that names a DPO (in it, its heading or its lead-in) and holds
// an e-mail, a form, an address. The CNIL's DPO and the CNIL's contact
// details do not count.
func dpoContact(d *noticeDoc) (sentence, bool) {
	// first a sentence that names the DPO itself, then one that is read
	// under a heading or lead-in naming them
	for _, inContext := range []bool{false, true} {
		for i := range d.sents {
			s := &d.sents[i]
			if cnilDPORe.MatchString(s.key) || cnilDPORe.MatchString(s.leadIn) {
				continue
			}
			if !contactValueRe.MatchString(withoutCNIL(s.key)) {
				continue
			}
			if dpoRe.MatchString(s.key) || inContext && (dpoRe.MatchString(s.heading) || dpoRe.MatchString(s.leadIn)) {
				return *s, true
			}
		}
	}
	return sentence{}, false
}
