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
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

var (
	// controllerRe: a sentence (or its heading) says who is the
	// controller.
	controllerRe = re(`responsab\w* (conjoint\w*|du traitement|des traitements|de traitement|de traitements|de ce traitement|de cet traitement|operationnel)|co-?responsab\w*|\bresponsables? conjoints?\b|mis(e|es)? en (oeuvre|place) par|\bdetermine\w* (les|ses) finalites`)
	// stateRe names the State's side of an ENT (the DSDEN, the
	// rectorat, the académie, the ministry).
	stateRe = re(`\bdsden\b|\bdasen\b|direction des services departementaux|directeur academique|directrice academique|\brectorat\b|\brecteur\b|\brectrice\b|\bacademie\b|autorites? academiques?|\bministre\b|\bministere\b|education nationale`)
	// collectiviteRe names the collectivité.
	collectiviteRe = re(`\bdepartements?\b|\bregions?\b|\bcommunes?\b|\bcollectivites?\b|conseil departemental|conseil regional|conseil general|\bmetropole\b|\bmairie\b|\bville de\b|communaute (de communes|d'agglomeration|urbaine)`)
	// regionAcademiqueRe is the State's region (the région académique),
	// not the collectivité.
	regionAcademiqueRe = re(`\bregions? academiques?\b`)
	// cnilRe names the CNIL: its address, its DPO and its site are not
	// the controllers'.
	cnilRe = re(`\bcnil\b|commission nationale (de l'informatique|informatique)|cnil\.fr`)
	// contactValueRe is a means of contact: an e-mail, a postal code and
	// town, a phone number, a web form or address.
	contactValueRe = re(`[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+|\b\d{5} [a-z]|\b\d{2} \d{3}\b [a-z]|\b0\d([ .]?\d\d){4}\b|\bformulaire\b|https?://|\bwww\.`)
	// dpoRe names a data protection officer.
	dpoRe = re(`delegue\w* (a la |a |de la )?protection des donnees|\bdpo\b|\bdpd\b|delegue\w* (academique )?(rgpd|informatique et libertes)`)
	// retentionValueRe is a retention: a duration, a date, "jusqu'à", "pendant la durée de".
	retentionValueRe = re(`\b\d+ ?(jours?|semaines?|mois|ans?|annees?)\b|\b(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|dix-huit|vingt|trente|cinquante)\b (jours?|semaines?|mois|ans?|annees?)\b|\bjusqu'(a|au|aux|en)\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(pendant|durant) (la|toute la) duree (de|d'|du|des)\b|\ble temps (necessaire|de (la|l'|sa|son|leur|votre))\b|\ba la (suppression|cloture|fermeture|fin)\b|\btant qu|\baussi longtemps qu|\bpour la duree (de|d'|du|des)\b|\bdes (la|que)\b[^.]{0,40}\b(suppression|cloture|fin|depart)`)
	// rightsCtxRe: a sentence about a person's rights.
	rightsCtxRe = re(`\bdroits?\b|\bexerc|\bdemander\b|\bvous pouvez\b|\bobtenir\b|\bdisposez\b|\bbeneficiez\b`)
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
			{sent: re(`\b(accord|convention|arrangement|protocole)\b[^.]{0,200}\b(responsabilite conjointe|co-?responsabilite|responsables conjoints|obligations respectives|roles respectifs|responsabilites respectives|repartit\w*|definit les (roles|obligations|responsabilites))|(grandes lignes|elements essentiels|resume)\b[^.]{0,120}\b(accord|convention|arrangement|responsabilite conjointe)|\b(repartition des (roles|obligations|responsabilites)|roles respectifs|obligations respectives|responsabilites respectives)\b|\b(roles?|obligations?|responsabilites?) (de chacun|de chaque (partie|responsable)|des (parties|responsables conjoints|co-?responsables))\b[^.]{0,120}\b(convention|accord|arrangement)\b`),
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
			{sent: re(`\bfinalites?\b|\bpour objet\b|\ba pour (but|objectif)s?\b|\bobjectifs? du traitement\b|\ba des fins\b|\baux fins d|\bdans le but d|\bafin d[e']? ?(permettre|gerer|assurer|fournir|recueillir|proposer|faciliter|mettre)|\b(recueilli|collecte|traite|enregistre|utilise)(e|es|s)? (pour|afin)\b|\b(realises?|mis en oeuvre|traitees?|collectees?|recueillies?|utilisees?)\b(?:[^.]|\.\S){0,160}\bpour ?:|\best destinee? a (collecter|recueillir|permettre|gerer|faciliter|fournir|proposer|mettre|assurer)|\bpermet(tre)? (de gerer|la gestion|d'assurer)|\b(servent|sert|serviront) (a|au|aux)\b`),
				// who determines the purposes, or purposes named elsewhere,
				// is not a statement of them
				not: re(`\bdetermine\w* (les|ses|leurs) finalites|\b(ces|ses|memes|autres) finalites\b`)},
			{ctx: re(`\bfinalit|\bobjet du traitement|\bpourquoi\b|\bbut du traitement|\butilisation de vos donnees`), heading: true},
		},
	},
	{
		Key: "base-legale", Article: "RGPD art. 13.1.c, 14.1.c, 6.1.e",
		FR: "base légale : mission d'intérêt public (art. 6.1.e)",
		EN: "legal basis: task in the public interest (art. 6.1.e)",
		rules: []rule{
			{sent: re(`\bmission d'interet public|\binteret public\b|\b(traitement|donnees|fond\w*|base|necessaire)\b[^.]{0,120}\bmission de service public|\bexercice de l'autorite publique|\b6[ .,-]*(1|paragraphe 1|§ ?1)?[ .,-]*(e\b|\(e\)|point e)|\be\)? (du paragraphe 1 )?de l'article 6\b|\barticle 6-e\b`)},
		},
	},
	{
		Key: "categories-donnees", Article: "RGPD art. 14.1.d",
		FR: "catégories de données traitées", EN: "categories of personal data",
		rules: []rule{
			{sent: re(`\bcategories? de donnees|\bdonnees (a caractere personnel |personnelles )?(traitees|collectees|concernees|recueillies|enregistrees|utilisees)\b|\b(donnees|informations) suivantes\b|\binformations (personnelles |a caractere personnel )?(traitees|collectees|concernees|recueillies|enregistrees)\b|\b(nature|types?|liste) des donnees\b|\bsont (collectees|traitees|recueillies|enregistrees) les (donnees|informations) suivantes|\bquelles (donnees|informations)\b`)},
			{ctx: re(`\bcategories? de donnees|\bdonnees (a caractere personnel |personnelles )?(traitees|collectees|concernees|recueillies|enregistrees|utilisees)\b|\bquelles (donnees|informations)\b|\b(nature|types?) des donnees\b`), heading: true},
		},
	},
	{
		Key: "source-aaf", Article: "RGPD art. 14.2.f",
		FR: "source des données (annuaire académique fédérateur, AAF)",
		EN: "source of the data (the academic directory, AAF)",
		rules: []rule{
			{sent: re(`\baaf\b|annuaire academique federateur|annuaires? (academiques?|federateurs?)\b|\bsiecle\b|\bsts[- ]?web\b`)},
		},
	},
	{
		Key: "destinataires", Article: "RGPD art. 13.1.e, 14.1.e",
		FR: "destinataires des données", EN: "recipients of the data",
		rules: []rule{
			{sent: re(`\bdestinataires?\b|\bont acces (aux|a vos|a ces|a leurs) donnees|\bacces (aux|a vos|a ces) donnees (est |sont )?(reserve|limite|restreint)|\b(seul|seule|seuls|seules|uniquement)\b[^.]{0,60}\b(habilite|autorise)|\bpersonnes? (habilitee|autorisee)s?\b|\bpersonnels? habilites?\b|\b(donnees|informations)\b[^.]{0,120}\ba (l'attention|destination) (exclusive )?(des|de la|du|de l')|\b(communiquee|transmise|transferee|partagee|accessible)s? (a|au|aux|avec|par|uniquement|seulement)\b|\btransmettre (vos|les|ces|leurs) donnees|\bqui (va|peut|pourra|peuvent) avoir acces|\bpeu(t|vent) acceder (a vos|aux|a ces|a leurs) (donnees|informations)`),
				not: re(`\bvous pouvez acceder\b|\bdroits? d'acces\b`)},
			{ctx: re(`\bdestinataire|\bqui (a|va avoir|peut avoir|aura) acces|\bacces (a vos|aux) donnees`), heading: true},
		},
	},
	{
		Key: "conservation", Article: "RGPD art. 13.2.a, 14.2.a",
		FR: "durées de conservation", EN: "retention periods",
		rules: []rule{
			{ctx: re(`\bconserv\w*|\bsupprim\w*|\bsuppression\b|\beffac\w*|\bdetrui\w*|\barchiv\w*|\bcombien de temps\b|\bduree\b`), sent: retentionValueRe},
		},
	},
	{
		Key: "droit-acces", Article: "RGPD art. 13.2.b, 15",
		FR: "droit d'accès", EN: "right of access",
		rules: []rule{
			{sent: re(`\bdroits? d'acces\b|\bdroits? d'acceder\b|\b(demander|solliciter|obtenir) (l'acces|un acces|acces)\b|\bobtenir (une |la )?(copie|communication)\b|\bacceder (a vos|a ses|a leurs|a sa|a son) (donnees|informations)|\bacceder aux (donnees|informations) (personnelles |a caractere personnel )?(vous|la|le|les|qui vous|qui la|qui le|qui les|les|la) concern`),
				not: re(`\b(gestion|profils?|controle|attribution|habilitations?) des droits d'acces|\bdroits? d'acces (a|au|aux) (l'ent|la plateforme|service|services|ressources|internet|application)|\bqui (va|peut|pourra|aura|a) (avoir )?acces\b`)},
		},
	},
	{
		Key: "droit-rectification", Article: "RGPD art. 13.2.b, 16",
		FR: "droit de rectification", EN: "right to rectification",
		rules: []rule{
			{sent: re(`\brectifi\w*|\bdroits?[^.]{0,60}\bde (modification|correction)\b|\b(modifier|corriger|mettre a jour) (vos|les|ces|leurs) (donnees|informations)`)},
		},
	},
	{
		Key: "droit-opposition", Article: "RGPD art. 13.2.b, 21",
		FR: "droit d'opposition", EN: "right to object",
		rules: []rule{
			{sent: re(`\bdroits? d'opposition|\bvous opposer\b|\bs'opposer\b|\bopposition (au|a ce|aux|a leur|a son) traitement|\bd'opposition\b`)},
		},
	},
	{
		Key: "droit-limitation", Article: "RGPD art. 13.2.b, 18",
		FR: "droit à la limitation du traitement", EN: "right to restriction of processing",
		rules: []rule{
			{sent: re(`\blimitation\b|\blimiter (le|leur|son|ce) traitement`), ctx: rightsCtxRe},
		},
	},
	{
		Key: "directives-post-mortem", Article: "loi Informatique et Libertés, art. 85",
		FR: "directives relatives au sort des données après le décès",
		EN: "directives on the data after death (post-mortem)",
		rules: []rule{
			{sent: re(`\bpost[- ]?mortem\b|\bapres (votre|son|leur|le|sa) (deces|mort)\b|\bsort (de vos|des|de leurs|de ses) donnees|\bdirectives (relatives|anticipees|generales|particulieres) (a|au|aux|sur)\b[^.]{0,80}\b(deces|sort|conservation|effacement|communication)|\b(article|art\.?) 85\b`)},
		},
	},
	{
		Key: "reclamation-cnil", Article: "RGPD art. 13.2.d, 14.2.e",
		FR: "droit d'introduire une réclamation auprès de la CNIL",
		EN: "right to lodge a complaint with the CNIL",
		rules: []rule{
			{sent: cnilRe, ctx: re(`\breclamation|\bplainte\b|\bsaisir\b|\bsaisine\b|\brecours\b`)},
		},
	},
}

// jointControllers finds the joint controllers: the State's side (DSDEN,
// rectorat, académie) and the collectivité, each named in a sentence that
// says who the controllers are (in the sentence or its heading). A
// "rectorat" in a postal address or a publisher's name is not a
// controller.
func jointControllers(d *noticeDoc) (sentence, bool) {
	var state, coll *sentence
	for i := range d.sents {
		s := &d.sents[i]
		if cnilRe.MatchString(s.key) || dpoRe.MatchString(s.key) && !controllerRe.MatchString(s.key) {
			continue
		}
		if !controllerRe.MatchString(s.key) && !controllerRe.MatchString(s.heading) && !controllerRe.MatchString(s.leadIn) {
			continue
		}
		st, co := stateRe.MatchString(s.key), collectiviteRe.MatchString(regionAcademiqueRe.ReplaceAllString(s.key, " "))
		if st && co {
			return *s, true
		}
		if st && state == nil {
			state = s
		}
		if co && coll == nil {
			coll = s
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
	for _, s := range d.sents {
		if controllerRe.MatchString(s.key) {
			named = true
			break
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
