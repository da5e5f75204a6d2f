package contract

// A model contract leaves some values blank for the parties to fill:
// "within [Number, e.g., 24] hours", « dans un délai de [●] heures »,
// « [À compléter] », « ____ jours ». A blank is not a missing clause: the
// signed contract must be checked.
var (
	// blankRe: a blank of a model (folded): a bracketed value, a run of
	// underscores or dots, a bullet, "XX".
	blankRe = `(?i:\[[^\]\n]{0,60}\]|_{3,}|\.{4,}|…|●|\bx{1,3}\b)`
	// blankDelayRe: a delay whose figure is a blank ("[Number, e.g., 24]
	// hours", « [●] heures », « sous ____ jours »), or whose whole value
	// is ("dans un délai de [À compléter]").
	blankDelayRe = re(blankRe + `\s*(?:\(\s*\)\s*)?(?:heures?|hours?|h\b|jours?|days?|mois|months?|semaines?|weeks?)\b|\b(?:delai (?:maxim\w* )?(?:de|d')|within|sous|no later than|au plus tard|not later than)\s*` + blankRe)
)

// blankTokRe: the blank itself.
var blankTokRe = re(blankRe)

// blankDelay is the blank of the delay a clause holds, as written in
// shown, the clause's sentence ("" when none).
func blankDelay(c, shown string) string {
	m := blankDelayRe.FindString(c)
	if m == "" {
		return ""
	}
	tok := blankTokRe.FindString(m)
	for _, w := range blankTokRe.FindAllString(shown, -1) {
		if fold(w) == tok {
			return w
		}
	}
	return tok
}
