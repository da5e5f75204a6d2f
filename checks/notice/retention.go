package notice

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// maxDeletionDays is the arrêté ENT's limit: data are deleted at most three
// months after the right to use the ENT ends (counted as 90 days, so that
// "3 mois", "trois mois", "90 jours" and "12 semaines" all comply).
const maxDeletionDays = 90

// maxDurations bounds the durations read in one notice.
const maxDurations = 10_000

var (
	// durationRe finds a duration on folded text: "3 mois", "trois mois",
	// "90 jours", "un an".
	// The number may be repeated in brackets, as legal texts write it:
	// "trois (3) mois", "3 (trois) mois".
	durationRe = regexp.MustCompile(`\b(` + count + `)(?: \((?:` + count + `)\))?\s?(jours?|semaines?|mois|ans?|annees?)\b`)
	// fromEndRe, matched right after a duration, says it is counted from
	// the end of the right to an account: "… apres la fin du droit
	// d'acces", "… a compter du depart de l'eleve", "… suivant la cloture
	// du compte". An end needs what ends, named right after it ("la fin
	// de la session de l'utilisateur" is the end of a session, not of the
	// right, though "utilisateur" follows), possibly through a qualifier
	// ("la fin de validite du compte"), and so does a "sortie" (the pupil
	// leaving the school, not a school trip: "un an apres la sortie
	// scolaire"); a departure, a deactivation or a removal from the rolls
	// does not, nor the arrêté's own words ("des lors que la personne n'a
	// plus vocation a detenir un compte") or "apres avoir quitte
	// l'etablissement". Group 1 is the connective.
	fromEndRe = regexp.MustCompile(`^[^.;]{0,30}?\b(apres|a compter d|a partir d|suivant|a l'issue d|au-dela d|des lors qu|lorsqu|quand|une fois qu|des qu)[^.;]{0,60}?(\b(depart|desactivation|radiation)\b|\bn'(a|ont|aura|auront|avez|aurez|as) plus vocation\b|\bn'(est|sont|etes|sera|seront|es) plus (scolarise|inscrit|affecte|en fonctions?|en poste|rattache|membre|eleve|personnel|usager|utilisateur)|\bne (fait|font|faites|fera|feront) plus partie\b|\bquitte (l'|le |la )?(etablissement|ecole|college|lycee|ent)\b|\b(fin|terme|cloture|fermeture|expiration|perte|sortie) ?` +
		`(?:` + ofThe + `(?:validite|utilisation|qualite|periode|autorisation) ?)?` + ofThe +
		`(droits?|comptes?|acces|scolarit\w*|affectation|inscription|fonctions?|etablissement|eleves?|utilisateurs?|usagers?|personnels?|contrat|ent|abonnement|rattachement|effectifs)\b)`)
	// deletionRe says the sentence is about keeping or deleting data.
	deletionRe = regexp.MustCompile(`supprim|suppress|effac|detrui|destruction|conserv|purg|anonymis`)
	// legalRe names a retention that another law imposes (the LCEN and
	// its décret n° 2021-1362 make hosts keep account-creation data one
	// year after closure): a block citing it is out of the rule's scope.
	legalRe = regexp.MustCompile(`\blcen\b|2021-1362|\bobligations? legales?\b|confiance dans l'economie numerique`)
	// andRe joins the parts of a compound delay.
	andRe = regexp.MustCompile(`^ ?(et|\+) ?$`)
	// exemptRe names durations the rule leaves aside (docs/notice.md):
	// connection logs, and the personal contributions left in community
	// spaces. This is sdetcheck's choice, so as never to fail a notice
	// wrongly; the reference digest of the arrêté does not list them.
	exemptRe = regexp.MustCompile(`\b(contributions?|traces?|logs?|journalisation|(journal|journaux|historiques?) (de connexion|des connexions|d'acces|des acces|techniques?|d'evenements)|donnees de connexion|adresses? ip)\b`)
)

// count is a number of days, weeks, months or years, in digits or in the
// words of numberWords (longest first: "dix-huit" before "dix").
var count = func() string {
	words := make([]string, 0, len(numberWords))
	for w := range numberWords {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if len(words[i]) != len(words[j]) {
			return len(words[i]) > len(words[j])
		}
		return words[i] < words[j]
	})
	return `\d{1,4}|` + strings.Join(words, "|")
}()

// blockMark stands for blockSep in the sentences NOTICE-003 reads (fold
// and units would take U+2029 for a space).
const blockMark = "\u00b6"

// ofThe is "of (the|his|their…)" between an end and what ends, on folded
// text: "du ", "de la ", "de l'", "des ", "de son ", "d'".
const ofThe = `(?:de|du|des|d') ?(?:la |l'|le |les |sa |son |ses |leur |leurs |votre |vos |ce |cet |cette )?`

// deletionDelays returns the delays, in days, that a folded sentence
// counts from the end of the right to an account. A duration followed by
// another one before its connective ("jusqu'a 7 ans) et supprimees 3 mois
// apres le depart") is not the delay: the nearer one is, plus the ones it
// is joined to by "et" or "+" ("1 an et 3 mois apres").
//
// A duration said of connection logs or of personal contributions ("les
// traces de connexion … 1 an apres la cloture du compte": the words since
// the previous duration, or the start of the sentence, name them) is out
// of the rule's scope.
func deletionDelays(key string, budget *int) []int {
	if legalRe.MatchString(key) {
		return nil
	}
	var out []int
	ds := durationRe.FindAllStringSubmatchIndex(key, *budget)
	*budget -= len(ds)
	for i, d := range ds {
		m := fromEndRe.FindStringSubmatchIndex(key[d[1]:])
		if m == nil {
			continue
		}
		if i+1 < len(ds) && ds[i+1][0] < d[1]+m[2] {
			continue
		}
		// A compound delay ("1 an et 3 mois", "2 mois + 15 jours") is the
		// sum of its parts.
		n, j := days(key[d[2]:d[3]], key[d[4]:d[5]]), i
		for j > 0 && andRe.MatchString(key[ds[j-1][1]:ds[j][0]]) {
			j--
			n += days(key[ds[j][2]:ds[j][3]], key[ds[j][4]:ds[j][5]])
		}
		since := 0
		if j > 0 {
			since = ds[j-1][1]
		}
		if exemptRe.MatchString(key[since:ds[j][0]]) {
			continue
		}
		out = append(out, n)
	}
	return out
}

var numberWords = map[string]int{
	"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
	"dix": 10, "onze": 11, "douze": 12, "dix-huit": 18, "vingt-quatre": 24, "trente-six": 36,
}

// days converts a delay ("3", "mois") to days: a month counts 30 days, a
// year 365.
func days(count, unit string) int {
	n, ok := numberWords[count]
	if !ok {
		n, _ = strconv.Atoi(count)
	}
	switch {
	case strings.HasPrefix(unit, "jour"):
		return n
	case strings.HasPrefix(unit, "semaine"):
		return 7 * n
	case unit == "mois":
		return 30 * n
	}
	return 365 * n
}

// retentionFinding implements NOTICE-003: the notice states a deletion
// delay after the end of the right to use the ENT, and that delay is at
// most three months. A sentence stating a longer delay fails; a notice
// stating no such delay is left for a human to check (the limit may be
// worded in a way no pattern foresees).
func retentionFinding(src, text string) result.Finding {
	id := rules.NOTICE003
	var ok, long []string
	// The blocks of an HTML notice (table cells, list items, paragraphs)
	// are marked in the sentences: whether a sentence is about keeping or
	// deleting data is told by all of it (a table's header "Durée de
	// conservation", a list's lead-in), but a delay is read within one
	// block (a duration in one cell is not counted from an end named in
	// the next row).
	//
	// A notice states a handful of durations; a hostile one with millions
	// is read up to maxDurations of them.
	budget := maxDurations
	for _, u := range units(strings.ReplaceAll(text, blockSep, " "+blockMark+" ")) {
		if budget <= 0 {
			break
		}
		if !deletionRe.MatchString(u.key) {
			continue
		}
		shown := strings.Join(strings.Fields(strings.ReplaceAll(u.shown, blockMark, " ")), " ")
		for _, block := range strings.Split(u.key, blockMark) {
			if budget <= 0 {
				break
			}
			for _, n := range deletionDelays(block, &budget) {
				if n > maxDeletionDays {
					long = append(long, shown)
				} else {
					ok = append(ok, shown)
				}
			}
		}
	}
	ev := func(shown []string) result.Evidence {
		return result.Evidence{Source: src, Excerpt: bound(shown[0], 300)}
	}
	switch {
	case len(long) > 0:
		return checks.Fail(id,
			"Les mentions annoncent une suppression des données plus de 3 mois après la fin du droit d'accès à l'ENT (arrêté ENT : 3 mois au plus).",
			"The notice states that data are deleted more than 3 months after the right to use the ENT ends (ENT decree: 3 months at most).",
			ev(long))
	case len(ok) > 0:
		return checks.Pass(id,
			"Les mentions annoncent la suppression des données au plus tard 3 mois après la fin du droit d'accès à l'ENT.",
			"The notice states that data are deleted at most 3 months after the right to use the ENT ends.",
			ev(ok))
	}
	return checks.Review(id,
		fmt.Sprintf("Aucun délai de suppression compté depuis la fin du droit d'accès n'a été reconnu dans les mentions : vérifier qu'elles annoncent la suppression des données au plus tard %d jours (3 mois) après.", maxDeletionDays),
		fmt.Sprintf("No deletion delay counted from the end of the right to use the ENT was recognised in the notice: check that it states deletion at most %d days (3 months) after.", maxDeletionDays),
		result.Evidence{Source: src})
}
