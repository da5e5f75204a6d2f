package notice

import (
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// The page checks describe what they saw with French fragments (why a
// link is hidden, which region is the footer, how a tracker is loaded)
// that go into both messages. fragmentsEN gives their English, applied to
// every English message of the area by englishFragments, so that a new
// fragment is translated in one place.
var fragmentsEN = strings.NewReplacer(
	"attribut hidden", "hidden attribute",
	"taille nulle ou masqué au rendu", "zero size or hidden when rendered",
	"masquée par une règle <style>", "hidden by a <style> rule",
	"masqué par une règle <style>", "hidden by a <style> rule",
	"classe .", "class .",
	"replié dans un <details> fermé", "folded in a closed <details>",
	noTextWhy, "link without visible text",
	"dernière région <", "last region <",
	"script en ligne", "inline script",
	consentKind, "consent manager",
	"Matomo (serveur auto-hébergé sur un autre domaine)", "Matomo (self-hosted server on another domain)",
	"Matomo, domaine de la page inconnu", "Matomo, page's domain unknown",
	"pixel de mesure d'audience", "audience measurement pixel",
	"champ de mot de passe", "password field",
	"redirection vers ", "redirect to ",
)

// englishFragments translates the French fragments of the findings'
// English messages.
func englishFragments(fs []result.Finding) []result.Finding {
	for i := range fs {
		fs[i].MessageEN = fragmentsEN.Replace(fs[i].MessageEN)
	}
	return fs
}
