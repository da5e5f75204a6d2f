package notice

import (
	"fmt"
	"regexp"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The language of a notice (NOTICE-004) is told by its function words:
// the articles, prepositions, pronouns and auxiliaries that make up a
// large share of any running text and that the other language does not
// use. A French notice quoting an English product name, or an English
// policy quoting "CNIL" or "RGPD", is still told right; a bilingual policy
// has many of both.
var (
	frWordRe = regexp.MustCompile(`\b(le|la|les|des|du|au|aux|une|est|sont|vos|votre|nous|vous|pour|dans|avec|sur|qui|que|ne|pas|et|ou|ces|ses|leur|leurs|cette|par|donnees|traitement)\b`)
	enWordRe = regexp.MustCompile(`\b(the|and|of|to|your|you|we|our|is|are|be|will|for|with|this|that|which|by|from|may|have|has|data|processing|any|it)\b`)
	wordRe2  = regexp.MustCompile(`\p{L}+`)
)

// Bounds of the language judgement: below minWords words the text is too
// short to tell; a language is present when at least minShare of the
// words are its function words.
const (
	minLangWords = 40
	minShare     = 0.08
)

// languageOf measures how French and how English a folded text is: the
// share of its words that are each language's function words, and the
// number of words.
func languageOf(folded string) (fr, en float64, words int) {
	words = len(wordRe2.FindAllStringIndex(folded, -1))
	if words == 0 {
		return 0, 0, 0
	}
	nf := len(frWordRe.FindAllStringIndex(folded, -1))
	ne := len(enWordRe.FindAllStringIndex(folded, -1))
	return float64(nf) / float64(words), float64(ne) / float64(words), words
}

// languageFinding implements NOTICE-004: the notice given to French
// families is written in French. A text in French, or in French and
// another language, passes; a text whose function words are not French
// fails (an English policy most often: its items are still recognised by
// NOTICE-001); a text too short to tell is to review.
func languageFinding(src, text string) result.Finding {
	id := rules.NOTICE004
	folded := fold(text)
	if len(folded) > maxItemText {
		folded = folded[:maxItemText]
	}
	fr, en, words := languageOf(folded)
	ev := result.Evidence{Source: src, Excerpt: fmt.Sprintf("mots grammaticaux : français %.0f %%, anglais %.0f %% (%d mots)", 100*fr, 100*en, words)}
	switch {
	case words < minLangWords:
		return checks.Review(id,
			fmt.Sprintf("Texte trop court (%d mots) pour reconnaître sa langue : vérifier que les mentions sont rédigées en français.", words),
			fmt.Sprintf("Text too short (%d words) to recognise its language: check that the notice is written in French.", words), ev)
	case fr >= minShare && en >= minShare:
		return checks.Pass(id,
			"Les mentions sont rédigées en français, avec une version dans une autre langue (anglais).",
			"The notice is written in French, with a version in another language (English).", ev)
	case fr >= minShare:
		return checks.Pass(id, "Les mentions sont rédigées en français.", "The notice is written in French.", ev)
	case en >= minShare:
		return checks.Fail(id,
			"Les mentions sont rédigées en anglais, pas en français : les familles et les personnels d'un service public français doivent recevoir l'information en français (loi n° 94-665, art. 1 et 2 ; RGPD, art. 12.1).",
			"The notice is written in English, not in French: the families and staff of a French public service must be informed in French (law no. 94-665, art. 1 and 2; GDPR, art. 12.1).", ev)
	}
	return checks.Fail(id,
		"Les mentions ne sont pas rédigées en français (langue non reconnue) : les familles et les personnels d'un service public français doivent recevoir l'information en français (loi n° 94-665, art. 1 et 2 ; RGPD, art. 12.1).",
		"The notice is not written in French (language not recognised): the families and staff of a French public service must be informed in French (law no. 94-665, art. 1 and 2; GDPR, art. 12.1).", ev)
}

// imageOnlyFindings are the notice rules for a notice that opens but whose
// text cannot be read: a PDF without a text layer (a scan). That is a
// defect of the notice, not an unreadable piece: the run goes on, and each
// rule says that its point must be checked by hand on the document (a
// screen reader cannot read it either). Without a validated version,
// NOTICE-002 is not evaluated, as for any notice.
func imageOnlyFindings(env *checks.Env, src, ref string) []result.Finding {
	ev := result.Evidence{Source: src}
	why := "les mentions sont un PDF sans couche de texte (image numérisée) : ni l'outil ni un lecteur d'écran ne peuvent les lire"
	whyEN := "the notice is a PDF without a text layer (a scanned image): neither the tool nor a screen reader can read it"
	out := []result.Finding{
		checks.Review(rules.NOTICE001,
			"À vérifier à la main : "+why+". Vérifier chaque information exigée sur le document et demander un PDF dont le texte est lisible (accessibilité).",
			"To check by hand: "+whyEN+". Check each required item on the document and ask for a PDF whose text can be read (accessibility).", ev),
	}
	if ref == "" {
		out = append(out, referenceFinding(env, src, "", ""))
	} else {
		out = append(out, checks.Review(rules.NOTICE002,
			"À vérifier à la main : "+why+" ; comparer le document à la version validée par la DSDEN ("+ref+").",
			"To check by hand: "+whyEN+"; compare the document with the version validated by the DSDEN ("+ref+").", ev))
	}
	return append(out,
		checks.Review(rules.NOTICE003,
			"À vérifier à la main : "+why+" ; vérifier le délai de suppression des données après la fin du droit d'accès à l'ENT.",
			"To check by hand: "+whyEN+"; check the deletion delay after the right to use the ENT ends.", ev),
		checks.Review(rules.NOTICE004,
			"À vérifier à la main : "+why+" ; vérifier que le document est rédigé en français.",
			"To check by hand: "+whyEN+"; check that the document is written in French.", ev),
	)
}
