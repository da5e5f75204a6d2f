package contract

import (
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

var (
	// commercialRe: a commercial use of data.
	commercialRe = re(`\bcommercia\w*|\bpublicit\w*|\bprospect\w*|\bmarketing\b|\bprofilage\b|\bprofil\w* (?:commercia|publicit|marketing|comportement)\w*|\bciblage\b|\bcibl(?:er|ee|ees|es)\b|\bmonetis\w*|\bpromotion\w*|\bnewsletters?\b|\bsollicitations?\b|\bfins? (?:lucratives?|mercantiles?)\b|\bmercantil\w*|\bcourriels? (?:commerciaux|promotionnels)\b|\bpartenaires? commerciaux\b|\bannonceurs?\b|\badvertis\w*|\bprofiling\b|\btargeted\b|\bmarketing\b`)
	// saleRe: data sold, rented, transferred to others.
	// Words that also mean something else are taken in their trading
	// sense only: "échanger" (information exchanged between the parties)
	// with a counterpart, "trade" as a verb (not "trade union", "trade
	// secrets").
	saleRe = re(`\b(?:ced|cession|vend|vente|revente|revend|lou(?:er|e|ent)|location|monnay|commercialis)\w*[^|;]{0,60}\b(?:donnees|informations|fichiers?|bases?)\b|\b(?:donnees|informations|fichiers?)\b[^|;]{0,60}\b(?:cedee?s?|vendue?s?|louee?s?|commercialisee?s?|monnayee?s?)\b|\bechang\w*[^|;]{0,60}\b(?:donnees|informations|fichiers?)\b[^|;]{0,40}\b(?:contre (?:une? )?(?:remuneration|paiement|contrepartie|prix)|avec des (?:tiers|partenaires|annonceurs))|\b(?:donnees|informations|fichiers?)\b[^|;]{0,60}\bechangee?s? (?:contre|avec des (?:tiers|partenaires|annonceurs))\b|\b(?:sell|sells|sold|selling|sale of|rent|rents|renting|lease|leases|leasing|broker|brokers|brokering)\b[^|;]{0,60}\b(?:data|information)\b|\btrad(?:e|es|ed|ing) (?:in |of )?(?:the |any |such |customer |personal |school |student )*(?:data|information)\b|\b(?:data|information)\b[^|;]{0,60}\b(?:sold|rented|brokered|traded)\b|\bdata (?:selling|brokering)\b`)
	// reuseRe: data reused for the vendor's own ends or others' (even
	// anonymised).
	reuseRe = re(`\b(?:reutilis|exploit|valoris|utilis|analys|agreg|exploit|trait|communiqu|transm|partag|mis\w* a disposition)\w*\b[^|;]{0,140}\b(?:(?:ses|leurs) (?:propres )?(?:fins|besoins|produits|services|offres|solutions|activites)|autres? (?:produits|services|clients|finalites|fins|solutions|offres|activites)|propres? (?:fins|besoins|comptes?)|pour son (?:propre )?compte|(?:amelior|develop|enrich|entrain|perfectionn|concevoir|conception)\w* (?:de |des |ses |les |d'|leurs )?(?:produits|services|offres|algorithmes|modeles|outils|solutions|intelligence|ia\b|fonctionnalites)|recherche et developpement|\br&d\b|\bpartenaires?\b|etudes? de marche|entrainement|intelligence artificielle)|\b(?:use|uses|used|process|processes|processed|analy[sz]\w*|shar\w*|disclos\w*)\b[^|;]{0,140}\b(?:(?:its|their|our) own (?:purposes|business)|legitimate business operations|product (?:strategy|development|improvement)|business model\w*|improv\w* (?:the |its |our )?(?:products|services|core functionality)|(?:train|training) (?:of )?(?:its |our )?(?:models|algorithms|artificial intelligence|ai\b)|other (?:products|services|customers|purposes))`)
	// anonRe: anonymised or pseudonymised data.
	anonRe = re(`\banonymis\w*|\bpseudonymis\w*|\bagreg\w*|\bdesidentifi\w*|\bstatistiques?\b`)
	// familyPromoRe: promotional messages to families and users.
	familyPromoRe = re(`\b(?:familles|parents|eleves|representants legaux|usagers|utilisateurs|personnels|enseignants)\b[^|;]{0,80}\b(?:offres?|messages? (?:promotionnels?|commerciaux|publicitaires)|promotions?|publicites?|sollicitations?|newsletters?|prospection|courriels? (?:commerciaux|promotionnels))\b|\b(?:offres?|messages? (?:promotionnels?|commerciaux|publicitaires)|promotions?|publicites?|sollicitations?|newsletters?|courriels? (?:commerciaux|promotionnels))\b[^|;]{0,80}\b(?:familles|parents|eleves|representants legaux|usagers|utilisateurs|personnels|enseignants)\b`)
	// personalDataRe: the clause is about data (not the vendor's legal
	// form, "société commerciale", nor its pricing, "offre commerciale").
	personalDataRe = re(`\bdata\b|\binformation\b|\bdonnees\b|\binformations\b|\bfichiers?\b|\bcomptes?\b|\btraces?\b|\bprofils?\b|\bhistoriques?\b|\bcontenus?\b|\bproductions?\b|\badresses?\b|\bcoordonnees\b|\bnavigation\b|\bconnexions?\b`)
	// otherEndsRe: a prohibition of any end but performing the contract.
	otherEndsRe = re(`\b(?:autres? fins?|autres? finalites?|d'autres fins|a d'autres fins|pour son propre compte|pour (?:ses|leurs) propres (?:besoins|fins)|a des fins personnelles|autres? que (?:l'execution|celles?|ceux|la fourniture|les besoins)|for (?:its|their) own purposes|for any (?:other )?purpose other than|other than (?:to provide|for the purposes? of|as necessary to provide))\b`)
	// fineExceptRe: an exception that allows no commercial use (a legal
	// obligation, performing the contract).
	fineExceptRe = re(`\bobligation (?:legale|reglementaire)|\bdisposition legale|\brequis\w* par la loi|\bexecution du (?:present )?(?:contrat|marche)|\bbesoins du service\b|\binstructions? (?:documentees? )?de la collectivite|\brequired by (?:applicable )?laws?\b|\bas required by law\b|\bto provide the services?\b`)
	// notCommercialRe: "à des fins non commerciales", "sans but
	// commercial": a restriction, not a use.
	notCommercialRe = re(`\bnon[- ]commercia\w*|\bsans (?:but|finalite|caractere|vocation) (?:commercia|lucrati)\w*`)
)

// commercialUse is the usage-commercial item: the contract forbids any
// commercial use of the data, and no sentence of it allows one (a use for
// advertising, profiling, sale, reuse even anonymised for the vendor's
// other ends, promotional messages to families).
func commercialUse(d *doc) outcome {
	var ban, ends *sentence
	type allow struct {
		s      *sentence
		fr, en string
	}
	var allows []allow
	for i := range d.sents {
		s := &d.sents[i]
		if s.title || s.definition {
			continue
		}
		cs := clauses(s.key)
		for ci, c := range cs {
			data := personalDataRe.MatchString(c) || s.leadIn != "" && personalDataRe.MatchString(s.leadIn)
			neg := negated(c) || s.leadIn != "" && negated(s.leadIn) || notCommercialRe.MatchString(c) && !saleRe.MatchString(c)
			// a ban needs no data named ("aucune publicité n'est
			// affichée"); a use does (not "société commerciale")
			use := commercialRe.MatchString(c) && (data || neg) || saleRe.MatchString(c) || reuseRe.MatchString(c) && (data || neg) || familyPromoRe.MatchString(c)
			if !use && !(otherEndsRe.MatchString(c) && data) {
				continue
			}
			if exceptionRe.MatchString(c) {
				// "… sauf X": allows X, unless the previous clause
				// forbade it and X is performing the contract or a law
				if ci > 0 && (negated(cs[ci-1]) || s.leadIn != "" && negated(s.leadIn)) && !fineExceptRe.MatchString(c) && use {
					allows = append(allows, allow{s, "Exception à l'interdiction d'usage commercial", "Exception to the ban on commercial use"})
				}
				continue
			}
			switch {
			case neg && use:
				if ban == nil {
					ban = s
				}
				// an exception after the ban takes part of it back
				if ci+1 < len(cs) && exceptionRe.MatchString(cs[ci+1]) && !fineExceptRe.MatchString(cs[ci+1]) {
					allows = append(allows, allow{s, "L'interdiction d'usage commercial admet une exception", "The ban on commercial use admits an exception"})
				}
			case neg:
				if ends == nil {
					ends = s
				}
			case use:
				fr, en := "Le contrat permet un usage commercial des données", "The contract allows a commercial use of the data"
				switch {
				case anonRe.MatchString(c):
					fr, en = "Le contrat permet de réutiliser les données, même anonymisées ou pseudonymisées, à d'autres fins que l'exécution du contrat", "The contract allows reusing the data, even anonymised or pseudonymised, for other ends than performing the contract"
				case familyPromoRe.MatchString(c):
					fr, en = "Le contrat permet d'adresser des offres ou messages promotionnels aux familles ou aux usagers", "The contract allows sending offers or promotional messages to families or users"
				case saleRe.MatchString(c):
					fr, en = "Le contrat permet de céder ou vendre les données", "The contract allows selling or transferring the data"
				case reuseRe.MatchString(c):
					fr, en = "Le contrat permet de réutiliser les données pour les produits ou services de l'éditeur ou de partenaires", "The contract allows reusing the data for the vendor's or partners' products or services"
				}
				allows = append(allows, allow{s, fr, en})
			}
		}
	}
	if len(allows) > 0 {
		var fr, en, quotes []string
		seen := map[string]bool{}
		for _, a := range allows {
			if !seen[a.fr] {
				seen[a.fr] = true
				fr, en = append(fr, a.fr), append(en, a.en)
			}
			if len(quotes) < 3 && !strings.Contains(strings.Join(quotes, ""), a.s.shown) {
				quotes = append(quotes, a.s.quoted())
			}
		}
		return outcome{status: result.Fail, quote: strings.Join(quotes, " … "), fr: strings.Join(fr, " ; "), en: strings.Join(en, "; ")}
	}
	switch {
	case ban != nil:
		return outcome{status: result.Pass, quote: ban.quoted()}
	case ends != nil:
		return outcome{status: result.Pass, quote: ends.quoted(),
			fr: "interdiction de toute autre fin que l'exécution du contrat", en: "any end but performing the contract forbidden"}
	}
	return absent(nil, "Le contrat n'interdit pas l'usage commercial des données des élèves et des personnels (publicité, profilage, cession, réutilisation même anonymisée)", "The contract does not forbid commercial use of pupils' and staff's data (advertising, profiling, sale, reuse even anonymised)")
}
