package contract

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

var (
	// breachRe: a personal data breach or a security incident.
	breachRe = re(`\bviolations?\b|\bincidents?\b|\bfailles?\b|\bfuites?\b|\bcompromission\w*|\bintrusions?\b|\bcyber-?attaque\w*|\bacces non autorise\w*|\bperte (?:de|des) donnees\b|\bdata breach\w*|\bbreach\w*`)
	// notifyRe: telling the controller.
	notifyRe = re(`\bnotifi\w*|\binform\w*|\bsignal\w*|\bavert\w*|\balert\w*|\bprevien\w*|\bprevenir\b|\bcommuniqu\w*|\bdeclar\w*|\bporte\w* a la connaissance\b|\bremont\w*|\bnotify\w*|\breport\w*|\btell\w*`)
	// toAuthorityRe: the controller's own notification (to the CNIL, the
	// DSDEN, the persons concerned), not the vendor's.
	toAuthorityRe = re(`\b(?:la collectivite|le responsable (?:du|de) traitement|le client)\b[^|]{0,80}\b(?:notifi|inform|signal|alert|declar)\w*[^|]{0,80}\b(?:la dsden|la cnil|l'autorite de controle|les personnes concernees|le rectorat)\b`)
	// boundRe: a negation that bounds the delay ("ne peut excéder 48
	// heures") instead of negating the notification.
	boundRe = re(`\b(?:exced\w*|depass\w*|superieur\w*|outrepass\w*|au-dela|exceed\w*|later than|more than)\b`)
	// restrictRe: a notification reserved to some breaches only.
	restrictRe = re(`\b(?:violations?|incidents?)\b[^|;]{0,60}\b(?:graves?|majeure?s?|significati\w*|importante?s?|critiques?|notables?)\b|\b(?:graves?|majeure?s?|significati\w*|importante?s?|critiques?)\s+(?:violations?|incidents?)\b|\bsusceptibles? d'engendrer un risque (?:eleve|important)|\brisque eleve\b`)
	// hoursRe and daysRe find a delay.
	hoursRe = re(`\b(\d{1,3}|une|un|deux|six|douze|vingt-quatre|trente-six|quarante-huit|soixante-douze|quatre-vingt-seize) ?(?:h(?:\d\d)?\b|heures?\b|hours?\b)`)
	daysRe  = re(`\b(\d{1,3}|un|une|deux|trois|quatre|cinq|sept|huit|dix|quinze|trente) (?:jours?|days?)( ouvres| ouvrables| ouvr\w*| calendaires| francs)?\b`)
	// vagueRe: a delay with no maximum.
	vagueRe = re(`\bdans les (?:meilleurs|plus brefs) delais\b|\bsans (?:delai|retard) (?:injustifie|indu|excessif|deraisonnable)\b|\bau plus vite\b|\brapidement\b|\bpromptement\b|\bdes que possible\b|\bdans un delai raisonnable\b|\bdiligemment\b|\bdans les delais (?:requis|legaux|impartis|prevus)\b|\bwithout undue delay\b|\bpromptly\b|\bas soon as (?:reasonably )?(?:possible|practicable|feasible)\b|\bin a timely (?:manner|fashion)\b|\bwithin a reasonable (?:time|period)\b`)
	// immediateRe: at once, with no figure.
	immediateRe = re(`\bimmediatement\b|\bsans delai\b|\bdes (?:qu'il|que le titulaire|que l'editeur|que le prestataire|sa|leur) (?:en )?(?:a|aura|prend|prise de) ?connaissance\b|\bdes (?:la|sa) (?:detection|decouverte|prise de connaissance)\b|\bsur-le-champ\b|\bsans attendre\b|\bimmediately\b|\bwithout delay\b`)
)

// bracketNumRe: a number in brackets after its words.
var bracketNumRe = re(`(?:\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|dix|douze|quinze|trente|vingt-quatre|quarante-huit|soixante-douze)\s*)?\((\d{1,3})\)`)

var wordNumbers = map[string]int{
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "dix": 10,
	"douze": 12, "quinze": 15, "trente": 30, "vingt-quatre": 24, "trente-six": 36, "quarante-huit": 48,
	"soixante-douze": 72, "quatre-vingt-seize": 96,
}

func number(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return wordNumbers[s]
}

// delay is the notification delay a clause sets.
type delay struct {
	hours    int    // 0 when none is figured
	business bool   // counted in working days
	text     string // as the clause words it
}

// delayOf reads the delay a clause sets: the first one after its
// notification verb (a later one may be the controller's own delay
// toward the CNIL).
func delayOf(c string) (delay, bool) {
	// "quarante-huit (48) heures": the figure in brackets is the delay
	c = bracketNumRe.ReplaceAllString(c, "$1")
	from := 0
	if m := notifyRe.FindStringIndex(c); m != nil {
		from = m[0]
	}
	best := -1
	var out delay
	for _, m := range hoursRe.FindAllStringSubmatchIndex(c, -1) {
		if m[0] >= from && (best < 0 || m[0] < best) {
			best = m[0]
			out = delay{hours: number(c[m[2]:m[3]]), text: c[m[0]:m[1]]}
		}
	}
	for _, m := range daysRe.FindAllStringSubmatchIndex(c, -1) {
		if m[0] >= from && (best < 0 || m[0] < best) {
			best = m[0]
			out = delay{hours: 24 * number(c[m[2]:m[3]]), text: c[m[0]:m[1]], business: m[4] >= 0 && !strings.Contains(c[m[4]:m[5]], "calendaire")}
		}
	}
	if best < 0 {
		// a delay written before the verb ("Sous 48 heures, le
		// titulaire notifie…")
		if m := hoursRe.FindStringSubmatchIndex(c); m != nil {
			return delay{hours: number(c[m[2]:m[3]]), text: c[m[0]:m[1]]}, true
		}
		if m := daysRe.FindStringSubmatchIndex(c); m != nil {
			return delay{hours: 24 * number(c[m[2]:m[3]]), text: c[m[0]:m[1]], business: m[4] >= 0 && !strings.Contains(c[m[4]:m[5]], "calendaire")}, true
		}
		return delay{}, false
	}
	return out, out.hours > 0
}

// breach48 is the violation-48h item: the vendor notifies every personal
// data breach or security incident to the collectivité within 48 hours
// at most.
func breach48(d *doc) outcome {
	type cand struct {
		s      *sentence
		status result.Status
		fr, en string
	}
	var good, bad, review, limit *cand
	// blank: a delay left blank in a model; hard: a failing clause
	// other than a notification without any delay (which a clause with
	// a blank delay outweighs: it is the notification clause)
	var blank *cand
	hard := false
	over := ""
	for i := range d.sents {
		s := &d.sents[i]
		if s.title || s.definition {
			continue
		}
		ctx := s.ctx()
		for _, c := range clauses(s.key) {
			inCtx := breachRe.MatchString(ctx)
			if !breachRe.MatchString(c) && !inCtx {
				continue
			}
			if !notifyRe.MatchString(c) && !(inCtx && (hoursRe.MatchString(c) || daysRe.MatchString(c) || vagueRe.MatchString(c))) {
				continue
			}
			if toAuthorityRe.MatchString(c) && !vendorRe.MatchString(c) || exceptionRe.MatchString(c) {
				continue
			}
			dl, figured := delayOf(c)
			ok, whyFR, whyEN := commits(c, s.leadIn)
			if !ok && figured && boundRe.MatchString(c) && !weakFor(c) {
				ok = true // "ne peut excéder 48 heures"
			}
			set := func(p **cand, st result.Status, fr, en string) {
				if *p == nil {
					*p = &cand{s, st, fr, en}
				}
			}
			if !ok || restrictRe.MatchString(c) || figured && !dl.business && dl.hours > 48 || vagueRe.MatchString(c) {
				hard = hard || blankDelay(c, s.shown) == "" || !ok
			}
			switch {
			case !ok:
				set(&bad, result.Fail, "Notification des violations sans engagement : "+whyFR, "Breach notification without commitment: "+whyEN)
				set(&limit, result.Fail, "Notification des violations sans engagement : "+whyFR, "Breach notification without commitment: "+whyEN)
			case restrictRe.MatchString(c) || restrictRe.MatchString(ctx) && !strings.Contains(c, "toute"):
				set(&bad, result.Fail, "Notification réservée à certaines violations ou à certains incidents (« graves », « à risque élevé ») : toute violation et tout incident doivent être notifiés", "Notification reserved to some breaches or incidents (\"serious\", \"high risk\"): every breach and incident must be notified")
				set(&limit, result.Fail, "Notification réservée à certaines violations ou à certains incidents (« graves », « à risque élevé ») : toute violation et tout incident doivent être notifiés", "Notification reserved to some breaches or incidents (\"serious\", \"high risk\"): every breach and incident must be notified")
			case blankDelay(c, s.shown) != "":
				b := blankDelay(c, s.shown)
				set(&blank, result.Warn, fmt.Sprintf("Délai de notification laissé en blanc dans un modèle de contrat (« %s ») : à vérifier dans le contrat signé (48 heures au plus exigées)", b), fmt.Sprintf("Notification delay left blank in a model contract (\"%s\"): to check in the signed contract (at most 48 hours required)", b))
			case figured && dl.business:
				set(&review, result.Warn, fmt.Sprintf("Délai de notification en jours ouvrés (« %s ») : il peut dépasser 48 heures (fin de semaine, jours fériés)", dl.text), fmt.Sprintf("Notification delay in working days (\"%s\"): it may exceed 48 hours (weekends, public holidays)", dl.text))
			case figured && dl.hours <= 48:
				if good == nil {
					good = &cand{s, result.Pass, fmt.Sprintf("délai : %s", dl.text), fmt.Sprintf("delay: %s", dl.text)}
				}
			case figured:
				if !strings.Contains(c, "cnil") && !strings.Contains(c, "autorite de controle") && over == "" {
					over = dl.text
				}
				set(&bad, result.Fail, fmt.Sprintf("Délai de notification de %s : plus de 48 heures", dl.text), fmt.Sprintf("Notification delay of %s: more than 48 hours", dl.text))
			case vagueRe.MatchString(c):
				set(&bad, result.Fail, "Notification « dans les meilleurs délais » ou « sans délai injustifié », sans délai maximal chiffré : 48 heures au plus exigées", "Notification \"as soon as possible\" or \"without undue delay\", with no maximum: at most 48 hours required")
			case immediateRe.MatchString(c):
				set(&review, result.Warn, "Notification « immédiate » ou « sans délai » sans délai maximal chiffré : à vérifier (48 heures au plus exigées)", "Notification \"immediately\" or \"without delay\" with no maximum figure: to check (at most 48 hours required)")
			case !breachRe.MatchString(c) && strings.HasSuffix(strings.TrimSpace(c), ":"):
				// "Notification includes:" under a breach heading
				// announces the notification's contents, not its delay
			default:
				set(&bad, result.Fail, "Notification des violations sans délai fixé : 48 heures au plus exigées", "Breach notification with no delay set: at most 48 hours required")
			}
		}
	}
	switch {
	case good != nil && limit != nil:
		return outcome{status: result.Warn, quote: good.s.quoted() + " … " + limit.s.shown,
			fr: fmt.Sprintf("%s, mais une autre clause limite la notification (%s) : à vérifier", good.fr, strings.ToLower(limit.fr[:1])+limit.fr[1:]),
			en: fmt.Sprintf("%s, but another clause limits the notification (%s): to check", good.en, strings.ToLower(limit.en[:1])+limit.en[1:])}
	case good != nil && over != "":
		return outcome{status: result.Warn, quote: good.s.quoted(),
			fr: fmt.Sprintf("Délais contradictoires : %s, mais ailleurs %s : à vérifier", good.fr, over),
			en: fmt.Sprintf("Contradicting delays: %s, but elsewhere %s: to check", good.en, over)}
	case good != nil:
		return outcome{status: result.Pass, quote: good.s.quoted(), fr: good.fr, en: good.en}
	case bad != nil && (blank == nil || hard):
		return outcome{status: result.Fail, quote: bad.s.quoted(), fr: bad.fr, en: bad.en}
	case blank != nil:
		return outcome{status: result.Warn, quote: blank.s.quoted(), fr: blank.fr, en: blank.en}
	case review != nil:
		return outcome{status: result.Warn, quote: review.s.quoted(), fr: review.fr, en: review.en}
	}
	return absent(nil, "Clause absente : notification à la collectivité de toute violation de données ou de tout incident de sécurité dans un délai de 48 heures au plus", "Missing clause: notification to the local authority of every data breach or security incident within 48 hours at most")
}
