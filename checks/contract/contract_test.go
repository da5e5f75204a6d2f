package contract

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/doctext"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

const fixtures = "../../fixtures"

func testEnv() *checks.Env {
	return &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
}

// TestCheckReportsEveryRule: a contract checked alone gives a finding for
// every rule of the area, each item of the clause rules once.
func TestCheckReportsEveryRule(t *testing.T) {
	fs := Check(testEnv(), filepath.Join(fixtures, "contract/contrat-conforme.html"))
	checkstest.Area(t, rules.AreaContract, fs)
	items := map[string]int{}
	for _, f := range fs {
		if f.Item != "" {
			items[f.Item]++
		}
	}
	for _, r := range rules.InArea(rules.AreaContract) {
		for _, it := range r.Items {
			if items[it] != 1 {
				t.Errorf("%s: item %s reported %d times", r.ID, it, items[it])
			}
		}
	}
}

// TestFormatsAgree: the conformant contract judged the same whatever its
// format.
func TestFormatsAgree(t *testing.T) {
	for _, f := range []string{"contrat-conforme.html", "contrat-conforme.docx", "contrat-conforme.pdf", "contrat-conforme.txt"} {
		for _, fd := range Check(testEnv(), filepath.Join(fixtures, "contract", f)) {
			if fd.Item != "" && fd.Status != result.Pass {
				t.Errorf("%s: %s %s: %s", f, fd.Item, fd.Status, fd.Message)
			}
			if fd.Status == result.Pass && fd.Item != "" && (len(fd.Evidence) == 0 || fd.Evidence[0].Excerpt == "") {
				t.Errorf("%s: %s passes without quoting its sentence", f, fd.Item)
			}
		}
	}
}

// TestUnreadable: a contract that cannot be read leaves every rule of the
// area in error, with the file named.
func TestUnreadable(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "contrat.pdf")
	os.WriteFile(bin, []byte("\x00\x01\x02 pas un PDF"), 0o644)
	fs := Check(testEnv(), bin)
	checkstest.Area(t, rules.AreaContract, fs)
	for _, f := range fs {
		if f.Status != result.Error || !strings.Contains(f.Message, bin) {
			t.Errorf("%s: %s %q", f.Rule, f.Status, f.Message)
		}
	}
}

// TestQuoteMasks: quotes hide e-mail addresses, phone numbers and persons
// named with their civility.
func TestQuoteMasks(t *testing.T) {
	got := quote("Délégué : M. Jean Exemple, jean.exemple@editeur.example, 05 49 00 00 00.")
	for _, clear := range []string{"Jean", "Exemple,", "jean.exemple@", "05 49"} {
		if strings.Contains(got, clear) {
			t.Errorf("%q shows %q", got, clear)
		}
	}
	if !strings.Contains(got, "@editeur.example") || !strings.Contains(got, "M. J*** E***") {
		t.Errorf("quote %q", got)
	}
}

// TestSecurityDocDate: a security document is dated by the date written
// near its version, else the latest it writes, else its properties.
func TestSecurityDocDate(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"Plan d'assurance sécurité\nVersion 3 du 12 mars 2026.\nCertification obtenue le 4 mai 2019.": "2026-03-12",
		"PAS de l'éditeur.\nDernier test d'intrusion : 02/10/2025.\nAudit de 2019-01-10.":             "2025-10-02",
		"PAS de l'éditeur, mis à jour en juin 2024.":                                                  "2024-06-01",
		"PAS sans date. Révision prévue le 1er janvier 2030.":                                         "",
	} {
		d, err := doctext.Read(context.Background(), "p.txt", "", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := docDate(loaded{doc: parse(d), raw: d}, now)
		if g := got.Format("2006-01-02"); got.IsZero() && want != "" || !got.IsZero() && g != want {
			t.Errorf("%q: %v, want %s", text, got, want)
		}
	}
}

// FuzzContract: no document makes the reading of a contract panic, loop
// or judge an item twice.
func FuzzContract(f *testing.F) {
	for _, p := range []string{"contrat-conforme.html", "contrat-conforme.txt", "contrat-hors-ue.html", "contrat-usage-commercial.html", "contrat-clauses-manquantes.html"} {
		if data, err := os.ReadFile(filepath.Join(fixtures, "contract", p)); err == nil {
			f.Add(p, data)
		}
	}
	f.Add("c.txt", []byte("Sous-traitants ultérieurs : A (x, France) ; B (y, États-Unis).\n| a | b |\n- c : d"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		d, err := doctext.Read(context.Background(), name, "", data)
		if err != nil {
			return
		}
		doc := parse(d)
		for _, c := range clausesList {
			c.find(doc)
		}
		breach48(doc)
		hostingEU(doc)
		commercialUse(doc)
	})
}

// TestPDFTableOfProcessors: a sub-processor table drawn in a PDF (name |
// service | country, a service wrapped over three lines) is read as a
// table with its header: the sub-processors listed with their service
// and country (CONTRACT-001 sous-traitants), the one outside the Union
// named by CONTRACT-003.
func TestPDFTableOfProcessors(t *testing.T) {
	fs := Check(testEnv(), filepath.Join(fixtures, "contract/tableau-sous-traitants.pdf"))
	var sub, host *result.Finding
	for i := range fs {
		switch fs[i].Item {
		case "sous-traitants":
			sub = &fs[i]
		case "hebergement-ue":
			host = &fs[i]
		}
	}
	if sub == nil || host == nil {
		t.Fatalf("findings: %+v", fs)
	}
	if sub.Status != result.Pass {
		t.Errorf("sous-traitants: %s %s", sub.Status, sub.Message)
	}
	want := []result.Party{
		{Name: "Hébergeur Fictif SAS", Role: "Hébergement des serveurs de production et des sauvegardes chiffrées de l'espace numérique de travail", Country: "France", Declared: true},
		{Name: "Messagerie Fictive SARL", Role: "Envoi des notifications par courriel", Country: "Belgique", Declared: true},
		{Name: "Analytique Fictive Inc.", Role: "Mesure d'audience des pages d'accueil", Country: "États-Unis", Declared: true},
	}
	if len(sub.Parties) != len(want) {
		t.Fatalf("parties: %+v", sub.Parties)
	}
	for i, w := range want {
		if p := sub.Parties[i]; p.Name != w.Name || p.Role != w.Role || p.Country != w.Country || !p.Declared {
			t.Errorf("party %d: %+v, want %+v", i, p, w)
		}
	}
	if host.Rule != rules.CONTRACT003.ID || host.Status != result.Fail || !strings.Contains(host.MessageEN, "Analytique Fictive Inc. (United States)") {
		t.Errorf("hebergement-ue: %s %s %s", host.Rule, host.Status, host.MessageEN)
	}
}
