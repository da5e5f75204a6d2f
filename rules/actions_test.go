package rules

import (
	"regexp"
	"strings"
	"testing"
)

// technicalRe finds what a reader who is not an engineer cannot act on:
// a prefixed element name (md:KeyDescriptor), an attribute with its value
// (use="signing"), a URN, a URL with its scheme, markup, a manifest key
// or file (ent.yaml, evidence.x), a file suffix (.md5).
var technicalRe = regexp.MustCompile(`\b[a-z]{1,5}:[A-Z][A-Za-z]+|="|\burn:|https?://|[<>]|ent\.yaml|evidence\.|\.md5|_[a-z]`)

// Every rule says what must be done in plain words, in French and in
// English, without the technical terms its remediation carries.
func TestEveryRuleHasAPlainAction(t *testing.T) {
	for _, r := range All() {
		for lang, s := range map[string]string{"fr": r.Action.FR, "en": r.Action.EN} {
			switch {
			case strings.TrimSpace(s) == "":
				t.Errorf("%s: no plain action in %s (rules/actions.go)", r.ID, lang)
			case technicalRe.MatchString(s):
				t.Errorf("%s: the plain action (%s) is technical: %q", r.ID, lang, technicalRe.FindString(s))
			case !strings.HasSuffix(s, "."):
				t.Errorf("%s: the plain action (%s) is not a sentence: %q", r.ID, lang, s)
			}
		}
	}
	// The test catches what it is meant to.
	for _, s := range []string{`Déclarer un md:KeyDescriptor use="signing".`, "Déclarer dans ent.yaml (gar_sp.acs_url)."} {
		if !technicalRe.MatchString(s) {
			t.Errorf("technicalRe misses %q", s)
		}
	}
}
