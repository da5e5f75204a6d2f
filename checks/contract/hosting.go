package contract

import (
	"fmt"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

var (
	// hostRe: where data are hosted, stored, backed up, processed.
	hostRe = re(`\bheberg\w*|\bstock\w*|\blocalis\w*|\bconserv\w*|\bsauvegard\w*|\bsitue\w*|\bimplant\w*|\bdata ?centers?\b|\bcentres? de (?:donnees|calcul|traitement|sauvegarde)\b|\bserveurs?\b|\btrait\w*|\breplica\w*|\bhost\w*|\bstored\b|\binfrastructures?\b|\bcloud\b|\bresident\w*|\bdemeur\w*|\breste\w*|\brestent\b|\bprocess\w*|\bstor\w*|\blocated\b|\bdata cent(?:er|re)s?\b`)
	// outsideRe: outside the Union.
	outsideRe = re(`\bhors (?:de )?(?:l'union|l'ue|l'eee|l'espace economique|du territoire|de france|france|d'europe|de l'europe|de la france|union europeenne|ue|eee)\b|\ben dehors (?:de|du|des) (?:l'union|l'ue|l'eee|territoire|la france|l'europe|l'espace|frontieres)|\bpays tiers?\b|\bextra-?(?:europeen|communautaire)\w*|\btransferts? internationa\w*|\bhors (?:ue|eee|union)\b|\bautres? pays\b|\bmonde entier\b|\boutside (?:of )?(?:the )?(?:eu|european union|eea|european economic area|europe)\b|\bthird countr\w*|\binternational (?:data )?transfers?\b|\brestricted transfers?\b`)
	// transferRe: data leave or are reached from elsewhere.
	transferRe = re(`\btransf[e]r\w*|\bexport\w*|\bacces (?:depuis|a distance)|\bacced\w* (?:aux donnees )?depuis\b|\bdepuis\b|\bsort(?:ir|ent|iront)\b|\bquitt\w*|\bflux\b|\bcommuniqu\w*|\breplica\w*|\bsupport\b|\bmaintenance\b|\btransfer\w*`)
	// safeguardRe: the safeguards of GDPR chapter V.
	safeguardRe = re(`clauses contractuelles types|clauses types|\bcct\b|\bscc\b|standard contractual clauses|decision d'adequation|regles d'entreprise contraignantes|\bbcr\b|data privacy framework|privacy shield|garanties appropriees|article 46|art\.? ?46\b|article 45|art\.? ?45\b|article 49|art\.? ?49\b`)
	// inEURe: a place of the Union without naming a country.
	inEURe = re(`\bsur le territoire (?:francais|national|de l'union|europeen|de l'ue|d'un etat membre)|\bau sein de l'(?:union|ue|eee|espace economique)|\bdans (?:l'union|l'ue|l'eee|l'espace economique europeen|un (?:pays|etat) membre)|\ben (?:france|europe)\b|\bdans un centre de donnees (?:situe|localise|implante) en\b|\bwithin the (?:eu|european union|eea|european economic area)\b|\bin the (?:eu|european union|eea|european economic area)\b`)
	// sansTransferRe: "sans (aucun) transfert": no transfer.
	sansTransferRe = re(`\bsans (?:aucune? |le moindre |la moindre )?(?:transferts?|sortie|exportation|replication)\b|\bwithout (?:any )?transfers?\b`)
	// leaveRe: data leaving a place.
	leaveRe = re(`\bquitt\w*|\bsort(?:ir|ent|iront|ira)\b|\bsortie\b`)
	// dataObjRe: what is hosted: data, backups, servers.
	dataObjRe = re(`\bdonnees\b|\binformations\b|\bsauvegardes?\b|\bserveurs?\b|\bheberg\w*|\bdata ?centers?\b|\bcentres? de donnees\b|\binfrastructures?\b|\bcopies?\b|\bfichiers?\b|\bbases? de donnees\b|\bdata\b|\bstockage\b`)
	// authExceptRe: an exception the collectivité controls.
	authExceptRe = re(`\b(?:autorisation|accord|consentement) (?:ecrit\w* )?(?:prealable\w* )?(?:expresse? )?(?:et (?:ecrite?|prealable) )?(?:specifique )?(?:de la collectivite|du responsable|du client)|\b(?:prior )?(?:written )?(?:authori[sz]ation|consent|approval) of (?:the )?(?:customer|controller|school|data exporter)\b`)
	// hostingRoleRe: a sub-processor's service that hosts data.
	hostingRoleRe = re(`\bheberg\w*|\bstock\w*|\bsauvegard\w*|\bdata ?centers?\b|\binfrastructure\w*|\bcloud\b|\bserveurs?\b|\biaas\b|\bpaas\b|\bhosting\b`)
)

// hostingEU is the hebergement-ue item: data and backups in France or the
// EU/EEA, no transfer outside, and no sub-processor outside.
func hostingEU(d *doc) outcome {
	var inside, backups *sentence
	type breach struct {
		s      *sentence
		fr, en string
	}
	var bad []breach
	var review *breach
	list, _ := d.processors()
	entries := map[string]bool{}
	for _, p := range list {
		entries[fold(p.shown)] = true
	}
	for i := range d.sents {
		s := &d.sents[i]
		if s.title || s.definition || len(s.cells) > 0 && tableOfProcessors(d, s) || entries[strings.TrimRight(s.key, ".; ")] || contentsRe.MatchString(s.leadIn) {
			continue
		}
		cs := clauses(s.key)
		// a lead-in whose list sets the collectivité's authorisation as
		// a condition ("ne peut être effectué qu'avec : - l'autorisation
		// préalable et écrite du responsable ; - …")
		listAuth := introduces(d, i, authExceptRe)
		for ci, c := range cs {
			if !hostRe.MatchString(c) && !transferRe.MatchString(c) && !safeguardRe.MatchString(c) && !outsideRe.MatchString(c) && !leaveRe.MatchString(c) {
				continue
			}
			if instructionsOnlyRe.MatchString(c) {
				// "ne traiter les données que sur instruction documentée
				// du responsable, y compris en ce qui concerne les
				// transferts vers un pays tiers": art. 28.3.a, no
				// permission
				continue
			}
			ps := places(c)
			var outside []place
			for _, p := range ps {
				if !p.InEU {
					outside = append(outside, p)
				}
			}
			out := outsideRe.MatchString(c) || len(outside) > 0
			data := dataObjRe.MatchString(c) || s.leadIn != "" && dataObjRe.MatchString(s.leadIn)
			host := hostRe.MatchString(c) && data || transferRe.MatchString(c) || safeguardRe.MatchString(c)
			switch {
			case out && host && (negated(c) || sansTransferRe.MatchString(c) || s.leadIn != "" && negated(s.leadIn)) && !weakFor(c):
				// a commitment not to transfer: an exception that
				// follows it takes it back
				if ci+1 < len(cs) && exceptionRe.MatchString(cs[ci+1]) {
					ex := cs[ci+1]
					switch {
					case safeguardRe.MatchString(ex) || len(places(ex)) > 0 && !allEU(places(ex)):
						bad = append(bad, breach{s, "Exception au non-transfert : transfert hors de l'Union encadré par des garanties (" + namesOf(places(ex)) + ")", "Exception to the no-transfer commitment: transfer outside the Union under safeguards (" + namesOfEN(places(ex)) + ")"})
					case authExceptRe.MatchString(ex):
						if review == nil {
							review = &breach{s, "Le non-transfert hors de l'Union admet une exception sur autorisation de la collectivité : à vérifier qu'aucune n'a été donnée", "The no-transfer commitment admits an exception on the local authority's authorisation: check that none was given"}
						}
					}
				}
				if inside == nil {
					inside = s
				}
				if backupRe.MatchString(c) && backups == nil {
					backups = s
				}
			case out && host && (authExceptRe.MatchString(c) || s.leadIn != "" && authExceptRe.MatchString(s.leadIn) || ci+1 < len(cs) && authExceptRe.MatchString(cs[ci+1]) || listAuth) && (allowedOnlyOnAuth(c) || listAuth && conditionRe.MatchString(c)):
				// a transfer the collectivité must first authorise
				if review == nil {
					review = &breach{s, "Un transfert ou un accès hors de l'Union est possible avec l'autorisation préalable de la collectivité : à vérifier qu'aucune n'a été donnée", "A transfer or an access from outside the Union is possible with the local authority's prior authorisation: check that none was given"}
				}
			case out && host:
				where, whereEN := namesOf(outside), namesOfEN(outside)
				if where == "" {
					where, whereEN = "pays tiers", "third country"
				}
				fr := "Le contrat permet le traitement ou le transfert de données hors de l'Union européenne (" + where + ")"
				en := "The contract allows data to be processed or transferred outside the European Union (" + whereEN + ")"
				if safeguardRe.MatchString(c) || ci+1 < len(cs) && safeguardRe.MatchString(cs[ci+1]) {
					fr += ", même encadré par des clauses contractuelles types ou d'autres garanties : la CNIL demande un hébergement en France ou en Europe"
					en += ", even under standard contractual clauses or other safeguards: the CNIL asks for hosting in France or in Europe"
				}
				bad = append(bad, breach{s, fr, en})
			case leaveRe.MatchString(c) && negated(c) && (len(ps) > 0 && allEU(ps) || inEURe.MatchString(c)) && !weakFor(c):
				// "les données ne quittent pas le territoire français"
				if inside == nil {
					inside = s
				}
				if backupRe.MatchString(c) && backups == nil {
					backups = s
				}
			case hostRe.MatchString(c) && data && (len(ps) > 0 && allEU(ps) || inEURe.MatchString(c)) && !negated(c) && !weakFor(c):
				if inside == nil {
					inside = s
				}
				if backupRe.MatchString(c) && backups == nil {
					backups = s
				}
			}
		}
	}
	// sub-processors established outside the Union
	for _, p := range list {
		var outside []place
		for _, pl := range p.places {
			if !pl.InEU {
				outside = append(outside, pl)
			}
		}
		if len(outside) > 0 {
			bad = append(bad, breach{&sentence{shown: p.shown}, fmt.Sprintf("Sous-traitant ultérieur hors de l'Union européenne : %s (%s)", p.name, namesOf(outside)), fmt.Sprintf("Sub-processor outside the European Union: %s (%s)", p.name, namesOfEN(outside))})
		}
	}
	if len(bad) > 0 {
		var fr, en, quotes []string
		for _, b := range bad {
			fr, en = append(fr, b.fr), append(en, b.en)
			if len(quotes) < 3 && b.s.shown != "" {
				quotes = append(quotes, b.s.quoted())
			}
		}
		return outcome{status: result.Fail, quote: strings.Join(quotes, " … "), fr: strings.Join(fr, " ; "), en: strings.Join(en, "; ")}
	}
	if review != nil {
		return outcome{status: result.Warn, quote: review.s.quoted(), fr: review.fr, en: review.en}
	}
	if inside == nil {
		// no commitment, but the hosting sub-processors are all in the
		// Union: what the list says, not what the contract commits to
		var hosts []string
		all := true
		for _, p := range list {
			if hostingRoleRe.MatchString(fold(p.role)) {
				hosts = append(hosts, p.label())
				all = all && len(p.places) > 0 && allEU(p.places)
			}
		}
		if len(hosts) > 0 && all {
			return outcome{status: result.Warn, quote: strings.Join(hosts, " ; "),
				fr: "Le contrat ne s'engage pas sur le lieu d'hébergement ; seuls ses hébergeurs listés sont dans l'Union : à vérifier, et faire écrire l'engagement (données et sauvegardes en France ou dans l'Union, aucun transfert hors de l'Union)",
				en: "The contract makes no commitment on where data are hosted; only its listed hosting providers are in the Union: to check, and have the commitment written (data and backups in France or the Union, no transfer outside)"}
		}
		return absent(nil, "Le contrat ne dit pas où sont hébergées les données : hébergement en France ou dans l'Union européenne, sauvegardes comprises, sans transfert hors de l'Union, exigé", "The contract does not say where the data are hosted: hosting in France or the European Union, backups included, with no transfer outside the Union, required")
	}
	if backups == nil {
		return outcome{status: result.Warn, quote: inside.quoted(),
			fr: "Données hébergées dans l'Union européenne, mais le lieu des sauvegardes n'est pas précisé : à vérifier",
			en: "Data hosted in the European Union, but where the backups are is not stated: to check"}
	}
	q := inside.quoted()
	if backups != inside {
		q += " … " + backups.shown
	}
	return outcome{status: result.Pass, quote: q}
}

// onlyOnAuthRe: a permission conditioned on an authorisation ("ne peut
// être effectué qu'avec l'autorisation", "uniquement avec l'accord",
// "only with the prior written consent").
var onlyOnAuthRe = re(`\bqu'(?:avec|apres|sur|si)\b|\buniquement (?:avec|apres|sur|si)\b|\bseulement (?:avec|apres|sur|si)\b|\bsous reserve d(?:e l'|u |e la )|\bavec (?:l'|son |leur )(?:accord|autorisation)|\bonly (?:with|after|upon|on|if)\b|\bsubject to (?:the )?(?:prior )?(?:written )?(?:authori[sz]ation|consent|approval)`)

var (
	// instructionsOnlyRe: processing restricted to the controller's
	// documented instructions, transfers included (GDPR art. 28.3.a).
	instructionsOnlyRe = re(`\bn(?:e|')\s*(?:\S+\s+){0,12}?que (?:sur|selon|conformement aux) (?:les )?instructions?\b|\bonly (?:on|upon|in accordance with) (?:the )?(?:customer's |controller's |data exporter's )?(?:documented )?instructions?\b`)
	// conditionRe: the clause sets a condition or a restriction on the
	// transfer ("si un transfert hors UE s'avère nécessaire, … doit :",
	// "ne peut être effectué qu'avec :").
	conditionRe = re(`^\s*(?:si|lorsqu\w*|dans la mesure ou|en cas de|if|where|when|in the event)\b|\bqu'(?:avec|apres|sur|si)\b|\bque (?:si|sur|avec|apres)\b|\bdoi(?:t|vent) (?:etre )?(?:obtenir|recueillir|respecter|remplir)\b|\bmust (?:first )?(?:obtain|meet|satisfy)\b`)
	// contentsRe: a lead-in that lists what a document holds ("ce
	// registre contient, pour chaque client :", "la notification
	// précise :"): its items describe, they do not allow.
	contentsRe = re(`\b(?:registre|notification|rapport|documentation|fiche|formulaire|record|report|notice|inventaire|journal)\b[^|]{0,120}\b(?:conti\w*|compren\w*|mention\w*|precis\w*|indiqu\w*|recens\w*|inclu\w*|contains?|includes?|sets? out|describes?)\b[^|]*:\s*$`)
)

// introduces reports whether sentence i is a lead-in whose list (the
// sentences that have it as their lead-in) holds r.
func introduces(d *doc, i int, r interface{ MatchString(string) bool }) bool {
	s := &d.sents[i]
	if !strings.HasSuffix(strings.TrimSpace(s.key), ":") {
		return false
	}
	for j := i + 1; j < len(d.sents) && j <= i+maxListRead; j++ {
		t := &d.sents[j]
		if t.title || t.leadIn != s.key {
			if t.block == s.block {
				continue
			}
			break
		}
		if r.MatchString(t.key) {
			return true
		}
	}
	return false
}

// maxListRead bounds the sentences of a list read for its lead-in.
const maxListRead = 40

// allowedOnlyOnAuth: the clause allows the transfer only on an
// authorisation (not "peut transférer … et en informe la collectivité").
func allowedOnlyOnAuth(c string) bool {
	return onlyOnAuthRe.MatchString(c) || authExceptRe.MatchString(c)
}

// tableOfProcessors: the sentence is a row of a table of sub-processors
// (read by processors, not as a statement).
func tableOfProcessors(d *doc, s *sentence) bool {
	if d.procRows == nil {
		d.procRows = map[string]bool{}
		for _, t := range d.tables {
			if ps, _ := tableProcessors(t); len(ps) == 0 {
				continue
			}
			for _, r := range t.rows {
				d.procRows[r.Text] = true
			}
		}
	}
	return d.procRows[s.shown]
}

func allEU(ps []place) bool {
	for _, p := range ps {
		if !p.InEU {
			return false
		}
	}
	return len(ps) > 0
}

// namesOfEN names places for an English reader.
func namesOfEN(ps []place) string {
	var out []string
	for _, p := range ps {
		out = append(out, CountryNameEN(p.Code))
	}
	return strings.Join(out, ", ")
}

// namesOf names places for a reader.
func namesOf(ps []place) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return strings.Join(out, ", ")
}
