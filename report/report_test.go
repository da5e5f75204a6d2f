package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html/template"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func updating() bool { return *update || os.Getenv("UPDATE_GOLDEN") != "" }

// testCatalogue is a fixed catalogue for the fixture's rules, so that the
// goldens do not move when the real catalogue's texts change.
var testCatalogue = map[string]*rules.Rule{}

func init() {
	add := func(id string, area rules.Area, sev result.Severity, basis rules.Basis, doc, fix, fixEN string) {
		testCatalogue[id] = &rules.Rule{
			ID: id, Area: area, Severity: sev,
			Title:       rules.Text{FR: "Titre " + id, EN: "Title " + id},
			Reference:   rules.Reference{Basis: basis, Document: doc},
			Rationale:   rules.Text{FR: "Raison " + id, EN: "Rationale " + id},
			Remediation: rules.Text{FR: fix, EN: fixEN},
		}
	}
	add("DOSSIER-001", rules.AreaDossier, result.Majeur, rules.BasisOfficial, "Convention collectivité–DSDEN", "Fournir les pièces.", "Provide the evidence.")
	add("DOSSIER-003", rules.AreaDossier, result.Mineur, rules.BasisOfficial, "Convention collectivité–DSDEN", "Retirer la dérogation inutile.", "Remove the useless waiver.")
	add("SAML-001", rules.AreaSAML, result.Bloquant, rules.BasisStandard, "OASIS SAML 2.0 Metadata", "Signer les assertions et publier le certificat.", "Sign assertions and publish the certificate.")
	add("SAML-002", rules.AreaSAML, result.Majeur, rules.BasisObserved, "GAR — pratique observée", "Déclarer le NameID persistant.", "Declare a persistent NameID.")
	add("SAML-003", rules.AreaSAML, result.Mineur, rules.BasisStandard, "OASIS SAML 2.0 Metadata", "Renouveler le certificat.", "Renew the certificate.")
	add("GAR-001", rules.AreaGAR, result.Majeur, rules.BasisSchema, "GAR XSD 2D v1.7", "Corriger l'export.", "Fix the export.")
	add("GAR-002", rules.AreaGAR, result.Majeur, rules.BasisSchema, "GAR XSD 2D v1.7", "Fournir un export complet.", "Provide a complete export.")
	add("MAP-001", rules.AreaMapping, result.Majeur, rules.BasisObserved, "AAF — pratique observée", "Documenter la source AAF de chaque attribut.", "Document each attribute's AAF source.")
	add("MAP-002", rules.AreaMapping, result.Mineur, rules.BasisObserved, "AAF — pratique observée", "Mettre les profils en correspondance.", "Map the profiles.")
	add("PAGE-001", rules.AreaPage, result.Majeur, rules.BasisOfficial, "RGPD art. 13", "Ajouter le lien.", "Add the link.")
	add("NOTICE-001", rules.AreaNotice, result.Majeur, rules.BasisOfficial, "RGPD art. 13", "Publier la version validée.", "Publish the validated version.")
	add("NOTICE-002", rules.AreaNotice, result.Majeur, rules.BasisOfficial, "RGPD art. 13", "Nommer le responsable.", "Name the controller.")
	// A rule with its action in plain words: the remediation is its
	// technical detail.
	testCatalogue["SAML-001"].Action = rules.Text{FR: "Faire signer les connexions par l'ENT.", EN: "Have the ENT sign its logins."}
}

func testLookup(id string) (*rules.Rule, bool) {
	r, ok := testCatalogue[id]
	return r, ok
}

// fixture loads testdata/result.json and finalizes it (summary, verdict).
func fixture(t *testing.T) *result.Result {
	t.Helper()
	data, err := os.ReadFile("testdata/result.json")
	if err != nil {
		t.Fatal(err)
	}
	var r result.Result
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	r.Finalize(rules.Traits)
	return &r
}

func opts(lang string) Options {
	return Options{Lang: lang, Lookup: testLookup, Date: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), SourceRoot: "dossier"}
}

func render(t *testing.T, format string, r *result.Result, o Options) []byte {
	t.Helper()
	w, err := New(format)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.Write(&b, r, o); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs from golden (-want +got):\n%s", name, diff)
	}
}

func TestGoldens(t *testing.T) {
	r := fixture(t)
	for _, format := range []string{"text", "json", "html", "md", "sarif", "junit"} {
		for _, lang := range []string{"fr", "en"} {
			if lang == "en" && format == "json" {
				continue
			}
			t.Run(format+"-"+lang, func(t *testing.T) {
				got := render(t, format, r, opts(lang))
				golden(t, format+"."+lang, got)
				if again := render(t, format, r, opts(lang)); !bytes.Equal(got, again) {
					t.Errorf("two renders differ")
				}
			})
		}
	}
}

func TestFormatForPath(t *testing.T) {
	for path, want := range map[string]string{
		"rapport.pdf": "pdf", "out/x.junit.xml": "junit", "r.xml": "junit", "r.SARIF": "sarif",
		"a.md": "md", "a.html": "html", "a.json": "json", "a.txt": "text",
	} {
		if got, ok := FormatForPath(path); !ok || got != want {
			t.Errorf("FormatForPath(%q) = %q, %v; want %q", path, got, ok, want)
		}
	}
	if _, ok := FormatForPath("a.docx"); ok {
		t.Errorf("a.docx should be unknown")
	}
	for f := range Formats {
		if _, err := New(f); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
}

var (
	clearEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]*[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+\.[A-Za-z]{2,}`)
	clearDMY   = regexp.MustCompile(`\b[0-3]?[0-9]/[01]?[0-9]/(19|20)[0-9]{2}\b`)
)

// TestNoPersonalData renders the fixture (whose evidence carries an e-mail
// and a birth date in clear, as a faulty check might) through every format
// and checks that neither leaks.
func TestNoPersonalData(t *testing.T) {
	r := fixture(t)
	for _, format := range FormatNames() {
		for _, lang := range []string{"fr", "en"} {
			out := render(t, format, r, opts(lang))
			if format == "pdf" {
				out = pdfText(t, out)
			}
			if format == "json" {
				continue // the JSON is the result itself, not a report
			}
			if m := clearEmail.Find(out); m != nil {
				t.Errorf("%s/%s: e-mail in clear: %s", format, lang, m)
			}
			if m := clearDMY.Find(out); m != nil {
				t.Errorf("%s/%s: date in clear: %s", format, lang, m)
			}
		}
	}
}

func TestScrub(t *testing.T) {
	got := Scrub("mail camille.exemple@ac-fictive.fr, ***@ac-fictive.fr, né le 14/03/2012, 2027-01-01")
	want := "mail ***@ac-fictive.fr, ***@ac-fictive.fr, né le **/**/2012, 2027-01-01"
	if got != want {
		t.Errorf("Scrub = %q, want %q", got, want)
	}
}

func TestHTMLEscapes(t *testing.T) {
	out := string(render(t, "html", fixture(t), opts("fr")))
	if strings.Contains(out, "<script>alert") {
		t.Errorf("evidence excerpt not escaped")
	}
	for _, external := range []string{"<script", "<link", "src=\"http", "@import"} {
		if strings.Contains(out, external) {
			t.Errorf("HTML is not self-contained: found %q", external)
		}
	}
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) []byte {
	t.Helper()
	if !havePoppler(t, "pdftotext") {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext cannot open the PDF: %v\n%s", err, out)
	}
	return out
}

func TestPDF(t *testing.T) {
	r := fixture(t)
	for _, lang := range []string{"fr", "en"} {
		a := render(t, "pdf", r, opts(lang))
		b := render(t, "pdf", r, opts(lang))
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: two PDF renders differ", lang)
		}
		if !bytes.HasPrefix(a, []byte("%PDF-")) {
			t.Fatalf("not a PDF")
		}
		text := string(pdfText(t, a))
		flat := strings.Join(strings.Fields(text), " ")
		verdict := VerdictLabel(r.Verdict, lang)
		if !strings.Contains(flat, verdict) {
			t.Errorf("%s: verdict %q not in PDF text", lang, verdict)
		}
		first := strings.SplitN(text, "\f", 2)[0]
		// Page 1 is the synthèse: the avis and why, the per-rule counts,
		// the chart's areas, the action table, the dérogations in force.
		firstWants := []string{verdict, WhyText(r, lang), pick(lang, "Actions attendues", "Actions expected"), "SAML-001", "Néo Collège Fictif",
			pick(lang, "Règles non respectées : 1 bloquante, 1 majeure", "Rules broken: 1 blocking, 1 major"),
			pick(lang, "Bilan par règle : "+RuleCountsText(r, lang), "Per rule: "+RuleCountsText(r, lang)),
			CoverageText(r, lang), pick(lang, "Règles par domaine", "Rules per area"), pick(lang, "Annuaire", "Directory"), pick(lang, "Mentions", "Notice"),
			pick(lang, "Dérogations en vigueur", "Waivers in force"), pick(lang, "Qui agit", "Who acts")}
		for _, want := range firstWants {
			if !strings.Contains(strings.Join(strings.Fields(first), " "), want) {
				t.Errorf("%s: first page lacks %q", lang, want)
			}
		}
		// The document's sections, in order.
		last := -1
		for _, sec := range []string{pick(lang, "1. Identification", "1. Identification"), pick(lang, "2. Méthode et limites", "2. Method and limits"),
			pick(lang, "3. Résultats par domaine", "3. Results by area"), pick(lang, "4. Annexes", "4. Annexes"), pick(lang, "5. Visas", "5. Signatures"),
			pick(lang, "Visa de la DSDEN", "5. Signatures")} {
			i := strings.Index(flat, sec)
			if i < 0 || i < last {
				t.Errorf("%s: section %q missing or out of order", lang, sec)
			}
			last = i
		}
		if lang == "fr" {
			for _, w := range []string{"Glossaire", "Version du SDET déclarée par le dossier", "31 janvier 2027", "Délai suggéré"} {
				if !strings.Contains(flat, w) {
					t.Errorf("fr: PDF lacks %q", w)
				}
			}
			for _, w := range []string{"evidence.", "github.com", "(s)"} {
				if strings.Contains(flat, w) {
					t.Errorf("fr: PDF shows %q to the reader", w)
				}
			}
		}
		for _, f := range r.Results {
			if f.Status == result.Fail && !strings.Contains(flat, f.Rule) {
				t.Errorf("%s: failing rule %s not in PDF text", lang, f.Rule)
			}
		}
		for _, in := range r.Inputs {
			if !strings.Contains(flat, in.SHA256) {
				t.Errorf("%s: input hash of %s missing", lang, in.Source)
			}
		}
		if !strings.Contains(flat, "Mme Camille Exemple") {
			t.Errorf("%s: representative missing from signature block", lang)
		}
	}
}

// The HTML report is the same document as the PDF: synthèse with an inline
// SVG chart and the action table, a table of contents whose anchors exist,
// the sections, the visas; printable (one section per page).
func TestHTMLDocument(t *testing.T) {
	r := fixture(t)
	out := string(render(t, "html", r, opts("fr")))
	for _, want := range []string{"<svg", `<nav class="toc">`, "Actions attendues", "Qui agit", "Délai suggéré", WhyText(r, "fr"),
		"Dérogations en vigueur", "Version du SDET déclarée par le dossier", "Glossaire", "Visa de la DSDEN", "Visa de l'éditeur", "break-before:page"} {
		if !strings.Contains(out, template.HTMLEscapeString(want)) && !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(out, -1) {
		if !strings.Contains(out, `id="`+m[1]+`"`) {
			t.Errorf("table of contents links to #%s, which does not exist", m[1])
		}
	}
}

// The PDF has an outline (one bookmark per section) and title and subject
// metadata naming the ENT.
func TestPDFOutlineAndMetadata(t *testing.T) {
	pdf := render(t, "pdf", fixture(t), opts("fr"))
	if !bytes.Contains(pdf, []byte("/Outlines")) {
		t.Errorf("PDF has no outline")
	}
	if !havePoppler(t, "pdfinfo") {
		t.Skip("pdfinfo not installed (Debian poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(in, pdf, 0o644)
	info, err := exec.Command("pdfinfo", "-enc", "UTF-8", in).Output()
	if err != nil {
		t.Fatal(err)
	}
	flatInfo := strings.Join(strings.Fields(string(info)), " ")
	for _, want := range []string{"Title: Rapport de conformité de l'ENT — Néo Collège Fictif", "Subject: Conformité de l'ENT Néo Collège Fictif"} {
		if !strings.Contains(flatInfo, want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	if havePoppler(t, "pdftotext") {
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		flat := strings.ReplaceAll(string(out), " ", "")
		if n := strings.Count(string(out), "\f"); !strings.Contains(flat, fmt.Sprintf("%d/%d", n, n)) || !strings.Contains(flat, fmt.Sprintf("1/%d", n)) {
			t.Errorf("last page number %d / %d missing", n, n)
		}
	}
}
