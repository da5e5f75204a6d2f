package contract

import (
	"regexp"
	"strings"
)

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// A clause commits the vendor only when it says it will: a negation ("n'est
// pas tenu de notifier"), an option left to the vendor ("peut", "se
// réserve", "s'efforce") or a condition of its own judgement ("s'il le
// juge utile") commit to nothing. Prohibitions work the other way round:
// "ne transfère aucune donnée hors de l'Union" commits, "les données
// peuvent être transférées hors de l'Union" allows.
var (
	// negRe is a negation: "ne … pas/jamais/plus/aucun/nullement",
	// "aucun", "nul", "jamais", an element that starts with "Pas de" or
	// a cross mark (❌ in a checklist). "ne … que" restricts, it does
	// not negate.
	negRe = re(`\bn(?:e\b|')\s*(?:\S+\s+){0,7}?(?:pas|jamais|aucune?s?|nullement|point|plus|guere|ni)\b|\baucune?s?\b|\bnulle?s? (?:donnee|information|transfert|utilisation|obligation|cas)|\bjamais\b|\ben aucun cas\b|(?:^|\| )(?:non|aucun|aucune|jamais|interdit|no|none|never|prohibited)(?: \||[ .]*$)|(?:^|\| )[^\p{L}\p{N}]*(?:pas (?:de |d'|du |des )|[❌✗✘🚫⛔])|\b(?:shall|will|must|may|does|do|did|is|are|can|could|would|should) not\b|\b(?:cannot|won't|shan't|doesn't|don't|isn't|aren't|can't)\b|\bnever\b|\bno (?:obligation|personal data|data|transfer|processing|access|sub-?processors?)\b|\bwithout (?:any )?obligation\b|\bnot (?:required|obliged|obligated|responsible|liable) to\b`)
	// prohibitRe forbids: "s'interdit", "interdit", "proscrit", "exclu".
	prohibitRe = re(`\bs'interdi\w*|\binterdi\w*|\bproscri\w*|\bprohib\w*|\bexclu(?:e|es|s|t|ent|ant|re|sion)?\b|\bne saurai\w*|\bs'abstien\w*|\bs'abstenir\b|\bprohibit\w*|\brefrain\w* from\b`)
	// weakRe leaves the matter to someone's discretion.
	weakRe = re(`\b(?:peut|peuvent|pourra|pourront|pourrai[te]n?t?|puissent|puisse)\b|\b(?:est|sont|sera|seront) (?:libres?|autorise\w*|habilite\w*|en droit) (?:de|a|d')|\ba la (?:faculte|possibilite|liberte)\b|\bse reserv\w*|\bs'effor\w*|\bsi possible\b|\bautant que (?:possible|faire se peut)\b|\ba sa (?:seule )?(?:discretion|convenance|appreciation)\b|\bs'il (?:le )?(?:juge|estime)\b|\bsi (?:le titulaire|le prestataire|l'editeur|le sous-traitant|le fournisseur) (?:(?:le |l')(?:juge|estime|considere)|(?:juge|estime|considere) (?:utile|necessaire|opportun|possible|approprie))\b|\bif the (?:processor|vendor|provider|supplier) (?:deems?|considers?) (?:it )?(?:appropriate|necessary|useful|fit|possible)\b|\bs'il l'estime\b|\bselon (?:son|sa) (?:appreciation|jugement)\b|\bfacultati\w*|\blibrement\b|\bdes que possible\b|\bdans la limite du possible\b|\b(?:may|might|can|could)\b|\b(?:is|are|shall be|will be) (?:entitled|free|permitted|allowed) to\b|\bat (?:its|their|[a-z]+'s) (?:sole |own )?(?:discretion|option|election)\b|\breserves? the right\b|\b(?:use|uses|using) (?:all |its )?(?:commercially )?reasonable (?:efforts|endeavou?rs)\b|\bendeavou?rs? to\b|\bwhere (?:possible|feasible|practicable)\b|\bto the extent (?:possible|practicable|feasible)\b|\bif (?:it|they) (?:deems?|considers?)\b`)
	// controllerRe names the controller: the collectivité, the client.
	controllerRe = re(`\b(?:la collectivite|le responsable (?:du|de|des) traitements?|le client|le pouvoir adjudicateur|l'acheteur|le donneur d'ordres?|le departement|la region|la commune|la metropole|l'etablissement|le maitre d'ouvrage|la personne publique|l'administration|le conseil departemental|le conseil regional|la dsden|le rectorat|(?:the )?customer|(?:the )?controller|(?:the )?school|you|(?:the )?data exporter|(?:the )?local authority|(?:the )?(?:school )?district|(?:the )?council)\b`)
	// vendorRe names the vendor: the titulaire, the prestataire.
	vendorRe = re(`\b(?:le |du |au |par le |l'|ses |son |sa )?(?:titulaire|prestataire|editeur|sous-traitant|fournisseur|societe|cocontractant|operateur|attributaire|contractant|processor|vendor|provider|supplier|data importer|we)\b`)
	// clauseCutRe starts a clause of its own within a sentence: an
	// objection or an exception.
	clauseCutRe = re(`(?:^|[,;:]\s*|\s)(?:mais|but)\b|[,;:]\s*(?:toutefois|cependant|neanmoins|en revanche|par ailleurs|however|nevertheless)\b|,?\s*\b(?:sauf|a l'exception|excepte|hormis|sous reserve|a moins qu|except|unless|save (?:that|as|where))\b|\s+and (?:shall|will|must|may|does|do|is) (?:not|never)\b`)
	// exceptionRe: the clause is an exception to what precedes.
	exceptionRe = re(`^\s*,?\s*(?:sauf|a l'exception|excepte|hormis|sous reserve|a moins qu|except|unless|save (?:that|as|where))`)
)

// clauses cuts a folded sentence into its clauses: an objection or an
// exception ("mais", "toutefois", "sauf") starts a clause of its own.
func clauses(key string) []string {
	var out []string
	last := 0
	for _, m := range clauseCutRe.FindAllStringIndex(key, -1) {
		if m[0] > last {
			out = append(out, key[last:m[0]])
		}
		last = m[0]
	}
	out = append(out, key[last:])
	if exceptionRe.MatchString(out[0]) {
		if i := strings.Index(out[0], ", "); i > 0 && i < len(out[0])-2 {
			out = append([]string{out[0][:i], out[0][i+1:]}, out[1:]...)
		}
	}
	return out
}

// sansAucunRe: "sans aucun retard" strengthens, it does not negate.
var sansAucunRe = re(`\bsans (?:aucune?s?|nul(?:le)?)\b`)

// negated reports a negation or a prohibition in s.
func negated(s string) bool {
	s = sansAucunRe.ReplaceAllString(s, "sans")
	return negRe.MatchString(s) || prohibitRe.MatchString(s)
}

// weakFor reports an option left to the vendor (or to no one: "les
// données peuvent être…") in the clause: "la collectivité peut réaliser
// un audit" grants the controller a right, it is no option of the
// vendor's.
func weakFor(c string) bool {
	for _, m := range weakRe.FindAllStringIndex(c, -1) {
		// "peuvent être réalisés par la collectivité": the passive's
		// agent is the controller, whose right it is
		if ctrlAgentRe.MatchString(c[m[1]:]) {
			continue
		}
		before := c[:m[0]]
		ctrl := lastIndex(controllerRe, before)
		vend := lastIndex(vendorRe, before)
		if ctrl >= 0 && ctrl > vend {
			continue
		}
		return true
	}
	return false
}

// ctrlAgentRe: a passive whose agent is the controller, right after the
// option ("… être réalisés par la collectivité", "… be conducted by the
// Customer").
var ctrlAgentRe = re(`^\s+(?:etre|be) (?:\S+ ){0,2}?(?:par|by) ` + controllerRe.String())

func lastIndex(r *regexp.Regexp, s string) int {
	ms := r.FindAllStringIndex(s, -1)
	if len(ms) == 0 {
		return -1
	}
	return ms[len(ms)-1][0]
}

// commits reports whether a clause about an obligation commits the
// vendor, and if not, why (in French and English): a negation or an
// option. The list's lead-in counts ("Le titulaire n'est pas tenu de :").
func commits(c, leadIn string) (bool, string, string) {
	c = strings.TrimSpace(c)
	switch {
	case negated(c) || leadIn != "" && negated(leadIn):
		return false, "la clause est niée", "the clause is negated"
	case weakFor(c) || leadIn != "" && weakFor(leadIn):
		return false, "la clause est une simple faculté, pas un engagement", "the clause is a mere option, not a commitment"
	}
	return true, "", ""
}
