package notice

import "regexp"

// item is one piece of information GDPR art. 13/14 require in the notice.
// Each pattern is matched against folded text (no accents, lowercase, one
// space), so "Délégué", "delegue" and "DÉLÉGUÉ" are the same.
type item struct {
	Key      string // stable short name, used in messages and tests
	FR, EN   string // what the item is
	Article  string // where GDPR asks for it
	patterns []*regexp.Regexp
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// noticeItems lists the items in the order of the report. An item is
// present when every one of its patterns matches somewhere in the text.
var noticeItems = []item{
	{
		Key: "responsables-conjoints", Article: "RGPD art. 13.1.a, 14.1.a, 26",
		FR: "identité des responsables conjoints (DSDEN et collectivité)",
		EN: "identity of the joint controllers (DSDEN and collectivité)",
		patterns: []*regexp.Regexp{
			re(`responsab\w* (conjoint|du traitement|de traitement)|co-?responsab`),
			re(`\bdsden\b|direction des services departementaux|directeur academique|directrice academique|\brectorat\b|\brecteur\b|\brectrice\b`),
			re(`\bdepartement\b|\bregion\b|\bcommune\b|\bcollectivite|conseil departemental|conseil regional|\bmetropole\b|\bmairie\b`),
		},
	},
	{
		Key: "accord-conjoint", Article: "RGPD art. 26.2",
		FR: "grandes lignes de l'accord de responsabilité conjointe (rôles respectifs)",
		EN: "essence of the joint-controllership arrangement (respective roles)",
		patterns: []*regexp.Regexp{
			re(`\b(accord|convention)\b[^.]{0,160}\b(responsab\w*|obligations?|roles?)\b|\b(obligations?|roles?)\b[^.]{0,160}\b(accord|convention)\b`),
		},
	},
	{
		Key: "contact-responsables", Article: "RGPD art. 13.1.a, 14.1.a",
		FR: "coordonnées des responsables conjoints",
		EN: "contact details of the joint controllers",
		patterns: []*regexp.Regexp{
			re(`\b\d{5}\b|@[a-z0-9-]+(\.[a-z0-9-]+)+|\bcontact|\badresse\b|\bcoordonnees\b`),
		},
	},
	{
		Key: "dpo", Article: "RGPD art. 13.1.b, 14.1.b",
		FR: "coordonnées du délégué à la protection des données (courriel ou formulaire)",
		EN: "contact of the data protection officer (e-mail or form)",
		patterns: []*regexp.Regexp{
			re(`delegue\w* a la protection des donnees|\bdpo\b|\bdpd\b`),
			re(`[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+|formulaire|https?://`),
		},
	},
	{
		Key: "finalites", Article: "RGPD art. 13.1.c, 14.1.c",
		FR: "finalités du traitement", EN: "purposes of the processing",
		patterns: []*regexp.Regexp{re(`finalite|\bpour objet\b|a pour but|objectifs? du traitement`)},
	},
	{
		Key: "base-legale", Article: "RGPD art. 13.1.c, 14.1.c, 6.1.e",
		FR:       "base légale : mission d'intérêt public (art. 6.1.e)",
		EN:       "legal basis: task in the public interest (art. 6.1.e)",
		patterns: []*regexp.Regexp{re(`mission d'interet public|interet public|\b6[ .,-]*(1|paragraphe 1)[ .,-]*(e\b|\(e\)|point e)`)},
	},
	{
		Key: "categories-donnees", Article: "RGPD art. 14.1.d",
		FR: "catégories de données traitées", EN: "categories of personal data",
		patterns: []*regexp.Regexp{re(`categories? de donnees|donnees (traitees|collectees|concernees)`)},
	},
	{
		Key: "source-aaf", Article: "RGPD art. 14.2.f",
		FR:       "source des données (annuaire académique fédérateur, AAF)",
		EN:       "source of the data (the academic directory, AAF)",
		patterns: []*regexp.Regexp{re(`\baaf\b|annuaire academique federateur`)},
	},
	{
		Key: "destinataires", Article: "RGPD art. 13.1.e, 14.1.e",
		FR: "destinataires des données", EN: "recipients of the data",
		patterns: []*regexp.Regexp{re(`destinataire`)},
	},
	{
		Key: "conservation", Article: "RGPD art. 13.2.a, 14.2.a",
		FR: "durées de conservation", EN: "retention periods",
		patterns: []*regexp.Regexp{re(`conserv\w*`), re(`\b\d+ (jours?|mois|ans?|annees?)\b|\b(un|deux|trois|six|douze) (jours?|mois|ans?|annees?)\b|duree`)},
	},
	{
		Key: "droit-acces", Article: "RGPD art. 13.2.b, 15",
		FR: "droit d'accès", EN: "right of access",
		patterns: []*regexp.Regexp{re(`droits? d'acces|\bacces\b.{0,80}\bdonnees\b.{0,40}rectification|droits? d'acceder`)},
	},
	{
		Key: "droit-rectification", Article: "RGPD art. 13.2.b, 16",
		FR: "droit de rectification", EN: "right to rectification",
		patterns: []*regexp.Regexp{re(`rectification|rectifier`)},
	},
	{
		Key: "droit-opposition", Article: "RGPD art. 13.2.b, 21",
		FR: "droit d'opposition", EN: "right to object",
		patterns: []*regexp.Regexp{re(`opposition|vous opposer|s'opposer`)},
	},
	{
		Key: "droit-limitation", Article: "RGPD art. 13.2.b, 18",
		FR: "droit à la limitation du traitement", EN: "right to restriction of processing",
		patterns: []*regexp.Regexp{re(`limitation|limiter le traitement`)},
	},
	{
		Key: "directives-post-mortem", Article: "loi Informatique et Libertés, art. 85",
		FR:       "directives relatives au sort des données après le décès",
		EN:       "directives on the data after death (post-mortem)",
		patterns: []*regexp.Regexp{re(`post[- ]?mortem|apres (votre|son|leur|le) deces|sort de vos donnees|directives relatives`)},
	},
	{
		Key: "reclamation-cnil", Article: "RGPD art. 13.2.d, 14.2.e",
		FR:       "droit d'introduire une réclamation auprès de la CNIL",
		EN:       "right to lodge a complaint with the CNIL",
		patterns: []*regexp.Regexp{re(`\bcnil\b|commission nationale de l'informatique`), re(`reclamation|plainte|saisir`)},
	},
}

// present reports whether the folded text holds the item.
func present(it item, folded string) bool {
	for _, p := range it.patterns {
		if !p.MatchString(folded) {
			return false
		}
	}
	return true
}
