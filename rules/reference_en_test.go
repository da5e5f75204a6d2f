package rules

import (
	"regexp"
	"strings"
	"testing"
)

// enProperNames are the French names a reference in English keeps: names
// of official texts that have no English name of their own.
var enProperNames = []string{"Loi Informatique et Libertés", "loi Informatique et Libertés"}

// frenchRefRe finds French in a reference: accented letters, guillemets,
// elisions, French typography (a space before a colon or semicolon) and
// the French words references are written with (connectives, months,
// "annexe", "attributs"…), none of them English.
var frenchRefRe = regexp.MustCompile(`(?i)[àâçéèêëîïôûùüÿœæ«»]|\b(?:d|l|qu)'|\S\s[:;?!](?:\s|$)|\b(?:le|la|les|de|des|du|un|une|et|ou|pour|dans|avec|au|aux|par|sur|pas|sans|selon|relatifs?|relatives?|annexe|attributs?|paragraphe|alinéa|modifié|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b`)

// frenchInRef returns the French of s, proper names aside.
func frenchInRef(s string) []string {
	for _, n := range enProperNames {
		s = strings.ReplaceAll(s, n, "…")
	}
	return frenchRefRe.FindAllString(s, -1)
}

// TestReferencesInEnglish: every part of a rule's reference (document,
// version, clause) written with French words has an English rendering
// (referenceEN), that rendering is English, and so is the whole
// reference with --lang en; referenceEN holds no entry that no rule uses.
// A part without French (a standard's name, a section number) is given
// as it is.
func TestReferencesInEnglish(t *testing.T) {
	// The detector itself finds French.
	for _, s := range []string{"annexe B1", "OASIS Standard, 15 mars 2005", "art. 13 et 14", "pratique observée",
		"Format sdetcheck de déclaration", "(modèle académique de Poitiers ; pas de version publique en ligne)",
		"idEnt = identifiant du projet ENT au GAR", "§2.3.2 (attributs validUntil, cacheDuration)", "CNIL, lignes directrices « cookies »"} {
		if len(frenchInRef(s)) == 0 {
			t.Fatalf("French not found in %q", s)
		}
	}
	for _, s := range []string{"OASIS Standard, 15 March 2005", "Loi Informatique et Libertés, art. 82; CNIL guidelines", "the ENT project's identifier", "1.7 / 1.4"} {
		if f := frenchInRef(s); len(f) > 0 {
			t.Fatalf("French %q found in %q", f, s)
		}
	}
	used := map[string]bool{}
	for _, r := range All() {
		ref := r.Reference
		for _, p := range []struct{ name, fr, en string }{
			{"document", ref.Document, ref.DocumentEN},
			{"version", ref.Version, ref.VersionEN},
			{"clause", ref.Clause, ref.ClauseEN},
		} {
			if p.fr == "" {
				if p.en != "" {
					t.Errorf("%s: %s in English %q without a French one", r.ID, p.name, p.en)
				}
				continue
			}
			used[p.fr] = true
			if p.en == "" {
				if f := frenchInRef(p.fr); len(f) > 0 {
					t.Errorf("%s: %s %q has French (%q) and no English rendering: add it to referenceEN", r.ID, p.name, p.fr, f)
				}
				continue
			}
			if f := frenchInRef(p.en); len(f) > 0 {
				t.Errorf("%s: English %s %q has French %q", r.ID, p.name, p.en, f)
			}
		}
		if ref.Document == "" {
			t.Errorf("%s: no reference", r.ID)
		}
		en := ref.In("en")
		if f := frenchInRef(en); len(f) > 0 {
			t.Errorf("%s: reference in English %q has French %q", r.ID, en, f)
		}
		if fr := ref.In("fr"); ref.Basis == BasisObserved && !strings.Contains(fr, "pratique observée") {
			t.Errorf("%s: observed practice not said in French: %q", r.ID, fr)
		}
		if ref.Basis == BasisObserved && !strings.Contains(en, "observed practice") {
			t.Errorf("%s: observed practice not said in English: %q", r.ID, en)
		}
	}
	for fr := range referenceEN {
		if !used[fr] {
			t.Errorf("referenceEN[%q]: no rule's reference has this part", fr)
		}
	}
}
