package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// The tests of this file read the report as a collectivité or the DSDEN
// would: plain French first, the technical detail after, no English of a
// library, no manifest key, nothing signed without seeing what was not
// examined. They use the real catalogue.

func finish(r *result.Result, scope string) *result.Result {
	r.Tool = result.Tool{Name: "sdetcheck", Version: "0.1.0"}
	r.Subject = &result.Subject{ENT: "ENT Fictif", Collectivite: "Commune Fictive", Degree: "2D", SDET: "7.0"}
	r.Scope = scope
	for i := range r.Results {
		if rl, ok := rules.Lookup(r.Results[i].Rule); ok {
			r.Results[i].Area, r.Results[i].Severity = string(rl.Area), rl.Severity
		}
	}
	r.Finalize(rules.Traits)
	return r
}

func pass(rule *rules.Rule) result.Finding {
	return result.Finding{Rule: rule.ID, Status: result.Pass, Message: "respectée", MessageEN: "holds"}
}

// liveOnlyConforme is a conformant audit sur pièces whose two live-only
// rules were not examined.
func liveOnlyConforme() *result.Result {
	r := &result.Result{}
	for _, rl := range rules.All() {
		switch {
		case rl.LiveOnly.FR != "":
			r.Results = append(r.Results, result.Finding{Rule: rl.ID, Status: result.NotEvaluated, LiveOnly: true,
				Message: rl.LiveOnly.FR, MessageEN: rl.LiveOnly.EN})
		default:
			r.Results = append(r.Results, pass(rl))
		}
	}
	return finish(r, result.ScopeSurPieces)
}

// A CONFORME audit sur pièces says in its verdict box which rules only an
// audit en ligne can judge: they were not examined. Other verdicts say
// nothing there.
func TestVerdictBoxNamesLiveOnlyRules(t *testing.T) {
	r := liveOnlyConforme()
	if r.Verdict != result.Conforme {
		t.Fatalf("verdict %s", r.Verdict)
	}
	var live []string
	for _, rl := range rules.All() {
		if rl.LiveOnly.FR != "" {
			live = append(live, rl.ID)
		}
	}
	if len(live) < 2 {
		t.Fatalf("live-only rules: %v", live)
	}
	for _, lang := range []string{"fr", "en"} {
		note := LiveOnlyNote(r, lang)
		if strings.Count(note, ". ") > 0 || !strings.HasSuffix(note, ".") {
			t.Errorf("%s: not one sentence: %q", lang, note)
		}
		for _, id := range live {
			if !strings.Contains(note, id) {
				t.Errorf("%s: the note does not name %s: %q", lang, id, note)
			}
		}
		if !strings.Contains(note, pick(lang, "audit en ligne", "live audit")) {
			t.Errorf("%s: the note does not say why: %q", lang, note)
		}
		// In the box: right under the verdict, before the why.
		for _, format := range []string{"text", "md", "html", "pdf"} {
			out := string(render(t, format, r, Options{Lang: lang}))
			if format == "pdf" {
				out = strings.Join(strings.Fields(string(pdfText(t, []byte(out)))), " ")
			}
			v, n, w := strings.Index(out, VerdictLabel(r.Verdict, lang)), strings.Index(out, strings.Fields(note)[0]), strings.Index(out, strings.Fields(WhyText(r, lang))[0])
			if v < 0 || n < 0 || !(v < n && n < w) {
				t.Errorf("%s %s: the note is not between the verdict and the why (%d, %d, %d)", format, lang, v, n, w)
			}
		}
	}
	nc := &result.Result{Results: append([]result.Finding{{Rule: rules.SAML006.ID, Status: result.Fail, Message: "échec"}}, r.Results...)}
	if finish(nc, result.ScopeSurPieces); LiveOnlyNote(nc, "fr") != "" {
		t.Errorf("a non-conforme verdict carries the note")
	}
}

// An incomplet dossier's first page does not say that no rule is broken
// above a count of broken rules: the rule that finds pieces missing is
// said apart.
func TestIncompleteWordingAgrees(t *testing.T) {
	r := &result.Result{Results: []result.Finding{
		{Rule: rules.DOSSIER001.ID, Status: result.Fail, Message: "Pièces manquantes : page de connexion. Les règles qui en dépendent ne sont pas évaluées : dossier incomplet.",
			MessageEN: "Missing evidence: login page (evidence.login_page). The rules that need it are not evaluated: incomplete dossier."},
		{Rule: rules.PAGE001.ID, Status: result.NotEvaluated, Message: "Non évaluée : pièce non fournie (page de connexion).", MessageEN: "Not evaluated: evidence not provided (login page (evidence.login_page))."},
		pass(rules.SAML001),
	}}
	finish(r, result.ScopeSurPieces)
	if r.Verdict != result.Incomplet {
		t.Fatalf("verdict %s", r.Verdict)
	}
	for _, lang := range []string{"fr", "en"} {
		line := FailedRulesLine(r, lang)
		if want := pick(lang, "aucune sur l'ENT ; le dossier est incomplet (DOSSIER-001, majeure)", "none about the ENT; the dossier is incomplete (DOSSIER-001, major)"); line != want {
			t.Errorf("%s: %q, want %q", lang, line, want)
		}
		why := WhyText(r, lang)
		if !strings.Contains(why, pick(lang, "aucune règle bloquante ou majeure examinée sur l'ENT n'est en défaut", "no examined blocking or major rule about the ENT is broken")) {
			t.Errorf("%s: why %q", lang, why)
		}
		// The English first page and action name no manifest key.
		for _, format := range []string{"md", "html", "pdf"} {
			out := string(render(t, format, r, Options{Lang: lang}))
			if format == "pdf" {
				out = string(pdfText(t, []byte(out)))
			}
			if lang == "en" && strings.Contains(strings.ReplaceAll(out, "ent.yaml, evidence section: login_page", ""), "evidence.") {
				t.Errorf("%s %s: a manifest key reaches the reader", format, lang)
			}
		}
	}
}

// Each action says first, in plain words, what must be done; the rule's
// remediation follows as the technical detail, for the vendor.
func TestActionsPlainFirst(t *testing.T) {
	r := finish(&result.Result{Results: []result.Finding{
		{Rule: rules.SSO001.ID, Status: result.Fail, Message: "la signature ne se vérifie pas", MessageEN: "the signature does not verify",
			Evidence: []result.Evidence{{Source: "sso/connexions.har", Excerpt: "log.entries[1]"}}},
	}}, result.ScopeSurPieces)
	for _, lang := range []string{"fr", "en"} {
		v := buildView(r, Options{Lang: lang})
		if len(v.Asks) != 1 {
			t.Fatalf("%d asks", len(v.Asks))
		}
		a := v.Asks[0]
		if a.Text != rules.SSO001.Action.In(lang) || a.Detail != rules.SSO001.Remediation.In(lang) {
			t.Errorf("%s: ask %q / %q", lang, a.Text, a.Detail)
		}
		for _, format := range []string{"md", "html", "pdf", "text"} {
			out := string(render(t, format, r, Options{Lang: lang}))
			if format == "pdf" {
				out = strings.Join(strings.Fields(string(pdfText(t, []byte(out)))), " ")
			}
			plain := strings.Join(strings.Fields(rules.SSO001.Action.In(lang)), " ")[:40]
			i, j := strings.Index(out, plain), strings.Index(out, pick(lang, "Détail technique", "Technical detail"))
			if j < 0 {
				j = strings.Index(out, pick(lang, "détail technique", "technical detail"))
			}
			if i < 0 || j < 0 || i > j {
				t.Errorf("%s %s: the plain action (%d) does not come before the technical detail (%d)", format, lang, i, j)
			}
			// The response's place in the capture is said in words by
			// the message, not by a JSON path.
			if format != "text" && strings.Contains(out, "log.entries") {
				t.Errorf("%s %s: shows log.entries", format, lang)
			}
		}
	}
}

// The glossary explains the terms the report uses.
func TestGlossaryTerms(t *testing.T) {
	have := map[string]bool{}
	for _, g := range glossary {
		fr, en, _ := strings.Cut(g[0], "|")
		have[fr], have[en] = true, true
	}
	for _, term := range []string{"AAF", "DSDEN", "ENT", "GAR", "HAR", "IdP", "MEF", "Métadonnées", "Metadata", "NameID", "SAML", "SSO", "TLS", "UAI", "XSD"} {
		if !have[term] {
			t.Errorf("the glossary does not explain %s", term)
		}
	}
}

// Every verdict has its colour in the PDF and its class in the HTML.
func TestEveryVerdictColoured(t *testing.T) {
	for v := range verdictText {
		if _, ok := verdictColours[string(v)]; !ok {
			t.Errorf("%s: no PDF colour", v)
		}
		if !strings.Contains(htmlCSS(t), ".verdict."+string(v)+"{") {
			t.Errorf("%s: no HTML class", v)
		}
	}
}

func htmlCSS(t *testing.T) string {
	t.Helper()
	out := string(render(t, "html", finish(&result.Result{Results: []result.Finding{pass(rules.SAML001)}}, ""), Options{}))
	i, j := strings.Index(out, "<style>"), strings.Index(out, "</style>")
	if i < 0 || j < i {
		t.Fatal("no style")
	}
	return out[i:j]
}

// The text report's columns stay aligned whatever the status labels:
// "NON ÉVALUÉE" and "EN LIGNE SEULEMENT" are longer than "ÉCHEC".
func TestTextColumnsAligned(t *testing.T) {
	r := liveOnlyConforme()
	r.Results = append(r.Results,
		result.Finding{Rule: rules.GAR001.ID, Status: result.NotEvaluated, Message: "Non évaluée : pièce non fournie.", MessageEN: "Not evaluated."},
		result.Finding{Rule: rules.GAR013.ID, Status: result.Fail, Message: "échec", MessageEN: "failure", Evidence: []result.Evidence{{Source: "gar/a.xml", Line: 3}}})
	finish(r, result.ScopeSurPieces)
	for _, lang := range []string{"fr", "en"} {
		out := string(render(t, "text", r, Options{Lang: lang}))
		col := -1
		n := 0
		for _, line := range strings.Split(out, "\n") {
			for _, id := range []string{rules.GAR001.ID, rules.GAR013.ID, rules.PAGE004.ID, rules.PAGE005.ID} {
				if i := strings.Index(line, " "+id+" ["); i > 0 {
					c := utf8.RuneCountInString(line[:i])
					if col >= 0 && c != col {
						t.Errorf("%s: rule ID in column %d, not %d: %q", lang, c+1, col+1, line)
					}
					col = c
					n++
				}
			}
			if strings.Contains(line, "↳") && col >= 0 {
				if c := utf8.RuneCountInString(line[:strings.Index(line, "↳")]); c != col+1 {
					t.Errorf("%s: evidence in column %d, want %d: %q", lang, c+1, col+2, line)
				}
			}
		}
		if n < 4 {
			t.Errorf("%s: %d finding lines", lang, n)
		}
	}
}

// A library's English message quoted by a French message is said to be in
// English: the French sentence before it stands on its own.
func TestLibraryEnglishMarked(t *testing.T) {
	r := finish(&result.Result{Results: []result.Finding{
		{Rule: rules.SAML001.ID, Status: result.Fail, Message: "Document rejeté : idp.xml, ligne 3 : XML mal formé : fin de document inattendue (fichier tronqué ?) (détail technique : unexpected EOF).",
			MessageEN: "Document refused: idp.xml:3: malformed XML: unexpected EOF."},
		{Rule: rules.SAML002.ID, Status: result.Fail, Message: "Non conforme au schéma SAML 2.0 metadata (détail technique du validateur : attribute is not declared: Name).",
			MessageEN: "Not valid against the SAML 2.0 metadata schema: attribute is not declared: Name."},
	}}, result.ScopeSurPieces)
	for _, format := range []string{"html", "md", "pdf"} {
		out := string(render(t, format, r, Options{Lang: "fr"}))
		if format == "pdf" {
			out = strings.Join(strings.Fields(string(pdfText(t, []byte(out)))), " ")
		}
		for _, want := range []string{"(détail technique en anglais : unexpected EOF)", "(détail technique du validateur, en anglais : attribute is not declared: Name)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", format, want)
			}
		}
	}
}
