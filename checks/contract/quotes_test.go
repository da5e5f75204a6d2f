package contract

import (
	"strings"
	"testing"
)

// quoting is a contract and the quote one item must give: the sentence
// that commits, read as the data protection officer reads it.
type quoting struct {
	item, name, text string
	// want is in the quote; not is not.
	want, not string
}

var quotings = []quoting{
	// a list run on in one paragraph: the committing sentence that
	// follows it, not its last element
	{item: "instructions", name: "a.txt",
		text: "Customer instructs Provider to Process Customer Personal Data: (a) to provide the Service; (b) as documented in the Agreement; and (d) as documented in any other written instructions given by Customer about Processing. Provider will abide by these instructions unless prohibited from doing so by Applicable Laws.",
		want: "Provider will abide by these instructions", not: "(d)"},
	{item: "instructions", name: "a.txt",
		text: "Le Client demande au Fournisseur de traiter les données : (a) pour fournir le Service ; (b) comme documenté dans le Contrat ; et (d) comme documenté dans toute autre instruction écrite donnée par le Client. Le Fournisseur se conformera à ces instructions, sauf si la loi l'interdit.",
		want: "Le Fournisseur se conformera à ces instructions", not: "(d)"},
	// no such sentence: the element with the head of its run
	{item: "instructions", name: "a.txt",
		text: "The Provider shall process the data: (a) to provide the Service; and (b) on the documented instructions of the Customer.",
		want: "The Provider shall process the data: … and (b) on the documented instructions"},
	// a list's item with its lead-in
	{item: "instructions", name: "a.html",
		text: "<p>Le titulaire s'engage à :</p><ul><li>traiter les données uniquement sur instruction documentée de la collectivité ;</li></ul>",
		want: "Le titulaire s'engage à : … traiter les données uniquement sur instruction documentée"},
	// every item's quote keeps its lead-in, a ban as much as a clause
	{item: "usage-commercial", name: "a.html",
		text: "<p>L'éditeur s'interdit :</p><ul><li>d'utiliser les données à des fins commerciales, publicitaires ou de prospection ;</li></ul>",
		want: "L'éditeur s'interdit : … d'utiliser les données"},
	// a row of the document's revision history states nothing
	{item: "securite", name: "a.html",
		text: "<table><tr><th>Version</th><th>Date</th><th>Action</th><th>Auteur</th></tr><tr><td>1.0</td><td>09/01/2026</td><td>Mise à jour des mesures de sécurité HDS</td><td>X</td></tr></table><p>Le Sous-traitant met en œuvre les mesures techniques et organisationnelles appropriées.</p>",
		want: "Le Sous-traitant met en œuvre", not: "09/01/2026"},
	// a sentence about measures before one that only names a standard
	{item: "securite", name: "a.txt",
		text: "Elle vise à garantir la conformité des parties au RGPD dans le cas où le Sous-Traitant est certifié HDS. Le Sous-traitant s'engage à mettre en œuvre les mesures techniques et organisationnelles appropriées.",
		want: "Le Sous-traitant s'engage à mettre en œuvre", not: "HDS"},
	// a label does not lead a quote
	{item: "dpo", name: "a.html",
		text: "<p>Contact direct :</p><ul><li>Le délégué à la protection des données de l'éditeur peut être contacté : dpo@editeur.fr</li></ul>",
		want: "Le délégué", not: "Contact direct"},
	// the document's outline names sections, it commits to nothing
	{item: "securite", name: "a.html",
		text: "<p>This section of the DPA includes the following subsections:</p><ul><li>Scope</li><li>Appendix A – Security Measures</li></ul><p>The Provider will implement appropriate technical and organizational security measures.</p>",
		want: "The Provider will implement", not: "Appendix A"},
}

func TestQuotes(t *testing.T) {
	for _, q := range quotings {
		o := itemFinder(q.item)(readDoc(t, q.name, q.text))
		if !strings.Contains(o.quote, q.want) || q.not != "" && strings.Contains(o.quote, q.not) {
			t.Errorf("%s in %.80q: quote %q, want %q (and not %q)", q.item, q.text, o.quote, q.want, q.not)
		}
	}
}

func TestQuoteEndOfContract(t *testing.T) {
	text := "## 7. Suppression des données\n\n### 1. Suppression par le client\n\nLe Fournisseur permettra au Client de supprimer les Données Personnelles du Client.\n\n### 2. Suppression à l'expiration\n\na. Après l'expiration du DPA, le Fournisseur restituera ou supprimera les Données Personnelles du Client selon les instructions du Client.\n"
	o := endOfContract(readDoc(t, "a.md", text))
	if !strings.Contains(o.quote, "Après l'expiration du DPA") {
		t.Errorf("fin-de-contrat: quote %q, want the deletion at the DPA's expiry", o.quote)
	}
}

func TestQuoteSubProcessorAuthorisation(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"a. Le Fournisseur ne transmettra aucune donnée personnelle du Client à un Sous-traitant ultérieur, sauf si le Client l'a approuvé. La liste actuelle des Sous-traitants ultérieurs approuvés comprend l'identité des Sous-traitants ultérieurs. Le Fournisseur informera le Client par écrit de toute modification prévue et le Client pourra s'y opposer.",
			"sauf si le Client l'a approuvé"},
		{"La liste actuelle des sous-traitants ultérieurs comprend leur identité et leur pays. Le Fournisseur informe le Client par écrit de tout changement de sous-traitant ultérieur, et le Client peut formuler des objections.",
			"Le Fournisseur informe le Client"},
	} {
		auth, _ := authorisation(readDoc(t, "a.txt", c.text))
		if auth == nil || !strings.Contains(auth.shown, c.want) {
			t.Errorf("sous-traitants in %.60q: authorisation %v, want %q", c.text, auth, c.want)
		}
	}
}
