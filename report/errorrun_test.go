package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestTextSaysSharedErrorOnce: one unreadable piece (an unreachable URL)
// makes every rule of the area an error with the same message; the text
// report says it once with the number of rules left unevaluated, in the
// report's language.
func TestTextSaysSharedErrorOnce(t *testing.T) {
	ev := []result.Evidence{{Source: "https://ent.example/md"}}
	msg, msgEN := "Non évalué : https://ent.example/md : nom d'hôte « ent.example » introuvable (DNS)", "Not evaluated: https://ent.example/md: host name \"ent.example\" not found (DNS)"
	var fs []result.Finding
	for _, id := range []string{"SAML-001", "SAML-002", "SAML-003"} {
		fs = append(fs, result.Finding{Rule: id, Status: result.Error, Severity: result.Majeur, Message: msg, MessageEN: msgEN, Evidence: ev})
	}
	fs = append(fs, result.Finding{Rule: "SAML-004", Status: result.Error, Severity: result.Majeur, Message: "Non évalué : autre chose", MessageEN: "Not evaluated: something else", Evidence: ev})
	r := &result.Result{Tool: result.Tool{Name: "sdetcheck"}, Results: fs}
	r.Finalize(rules.Traits)
	for lang, want := range map[string][]string{
		"fr": {"SAML-001, SAML-002, SAML-003 [3 règles non évaluées] " + msg, "SAML-004 [majeur] Non évalué : autre chose"},
		"en": {"SAML-001, SAML-002, SAML-003 [3 rules not evaluated] " + msgEN, "SAML-004 [major] Not evaluated: something else"},
	} {
		var b strings.Builder
		if err := (Text{}).Write(&b, r, Options{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: no %q in:\n%s", lang, w, out)
			}
		}
		m := msg
		if lang == "en" {
			m = msgEN
		}
		if n := strings.Count(out, m); n != 1 {
			t.Errorf("%s: the shared error is written %d times:\n%s", lang, n, out)
		}
	}
}

// TestWhyCountsWhatItNames: the incomplet verdict's sentence counts the
// blocking or major rules left unevaluated by an unreadable piece, and says
// so (13 rules unreadable, 10 of them blocking or major, read "10 rules"
// before).
func TestWhyCountsWhatItNames(t *testing.T) {
	ev := []result.Evidence{{Source: "md.xml"}}
	var fs []result.Finding
	for i, sev := range []result.Severity{result.Bloquant, result.Majeur, result.Mineur} {
		fs = append(fs, result.Finding{Rule: fmt.Sprintf("SAML-%03d", i+1), Status: result.Error, Severity: sev, Message: "Non évalué : illisible", MessageEN: "Not evaluated: unreadable", Evidence: ev})
	}
	r := &result.Result{Results: fs}
	r.Finalize(rules.Traits)
	if r.Verdict != result.Incomplet {
		t.Fatalf("verdict %s", r.Verdict)
	}
	for lang, want := range map[string]string{
		"fr": "2 règles bloquantes ou majeures n'ont pas pu être évaluées",
		"en": "2 blocking or major rules could not be evaluated",
	} {
		if got := WhyText(r, lang); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", lang, got, want)
		}
	}
}

// TestWhyNamesMissingPieces: the English sentence of an incomplet dossier
// names the missing pieces as the French one does.
func TestWhyNamesMissingPieces(t *testing.T) {
	r := &result.Result{Results: []result.Finding{{Rule: rules.DOSSIER001.ID, Status: result.Fail, Severity: result.Majeur,
		Message:   "Pièce manquante : page de connexion. Les règles qui en dépendent ne sont pas évaluées : dossier incomplet.",
		MessageEN: "Missing evidence: login page (evidence.login_page). The rules that need it are not evaluated: incomplete dossier."}}}
	r.Finalize(rules.Traits)
	for lang, want := range map[string]string{"fr": "une pièce manque (page de connexion)", "en": "a piece is missing (login page)"} {
		if got := WhyText(r, lang); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", lang, got, want)
		}
	}
}
