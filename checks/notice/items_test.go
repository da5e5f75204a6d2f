package notice

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// itemStatus runs NOTICE-001 on text and returns the status and quote of
// item key.
func itemStatus(t *testing.T, text, key string) (result.Status, string) {
	t.Helper()
	for _, f := range contentFindings(testEnv(""), "n.html", text) {
		if f.Item == key {
			q := ""
			if len(f.Evidence) > 0 {
				q = f.Evidence[0].Excerpt
			}
			return f.Status, q
		}
	}
	t.Fatalf("no finding for item %s", key)
	return "", ""
}

// blocks joins paragraphs as the HTML reader marks them.
func blocks(ps ...string) string { return blockSep + strings.Join(ps, "\n"+blockSep) }

// TestItemsAreStatements: shapes seen on published notices and ENT
// charters (paraphrased, fake names), each item said in ordinary words,
// with and without the item's usual noun. Every passing finding quotes
// the sentence that satisfied it.
func TestItemsAreStatements(t *testing.T) {
	cases := []struct {
		key, text string
		want      result.Status
		quote     string // part of the quoted sentence
	}{
		// rights said with verbs
		{"droit-acces", "Vous pouvez accéder aux données vous concernant et les faire rectifier.", result.Pass, "accéder aux données"},
		{"droit-acces", "Chaque usager peut demander l'accès à ses données auprès du chef d'établissement.", result.Pass, "demander l'accès"},
		{"droit-acces", "Vous pouvez obtenir copie des informations qui vous concernent.", result.Pass, "obtenir copie"},
		{"droit-acces", "L'ENT permet aux utilisateurs d'accéder, à partir d'un accès Internet, à des ressources numériques.", result.Fail, ""},
		{"droit-acces", "La plateforme assure la gestion des droits d'accès des profils.", result.Fail, ""},
		{"droit-rectification", "Vous disposez d'un droit d'accès et de modification des données qui vous concernent.", result.Pass, "modification"},
		{"droit-limitation", "Vous pouvez exercer vos droits d'accès, de rectification, de limitation et d'opposition.", result.Pass, "limitation"},
		{"droit-opposition", "Vous pouvez également vous opposer au traitement pour des raisons tenant à votre situation.", result.Pass, "vous opposer"},
		// joint controllers
		{"responsables-conjoints", "Le Conseil régional est un des responsables des traitements de l'ENT, avec l'académie et avec les établissements.", result.Pass, "Conseil régional"},
		{"responsables-conjoints", blocks("Responsables de traitement", "La DSDEN du Fictif-Nord, pour l'annuaire.", "Le Département du Fictif-Nord, pour la mise en œuvre des services."), result.Pass, "DSDEN"},
		{"responsables-conjoints", blocks("Éditeur", "Directeur de la publication : le président du Conseil départemental.", "Hébergement : Rectorat de l'académie fictive, 12 rue des Tests, 99000 Fictiville."), result.Fail, ""},
		{"responsables-conjoints", "Le recteur de région académique est responsable de ce traitement.", result.Fail, ""},
		// the joint arrangement
		{"accord-conjoint", "Les actions sont menées en accord avec les équipes pédagogiques et les responsables conjoints.", result.Warn, ""},
		{"accord-conjoint", "Une convention entre la DSDEN et le Département définit les obligations respectives des responsables conjoints.", result.Pass, "convention"},
		// controllers' contact
		{"contact-responsables", blocks("Données collectées", "Nom, prénom, adresse postale, téléphone, adresse électronique.", "Le Département est responsable du traitement."), result.Fail, ""},
		{"contact-responsables", "Le traitement est mis en œuvre par le Département du Fictif, 1 place de la Préfecture, 99000 Fictiville.", result.Pass, "99000 Fictiville"},
		{"contact-responsables", blocks("Le Département est responsable du traitement.", "Vous pouvez adresser une réclamation à la CNIL, 3 place de Fontenoy, TSA 80715, 75334 Paris cedex 07."), result.Fail, ""},
		// the DPO: the controllers', not the CNIL's
		{"dpo", blocks("Vous pouvez introduire une réclamation auprès de la CNIL ou contacter son délégué à la protection des données : dpo@cnil.fr."), result.Fail, ""},
		{"dpo", blocks("Pour exercer vos droits, contactez le délégué à la protection des données (DPD) de l'académie :", "par courriel à dpd@ac-fictive.example ;", "par courrier au rectorat."), result.Pass, "@ac-fictive.example"},
		{"dpo", "Après avoir contacté le délégué à la protection des données du Département (dpo@departement-fictif.example), vous pouvez saisir la CNIL, 3 place de Fontenoy, 75334 Paris cedex 07.", result.Pass, "@departement-fictif.example"},
		{"contact-responsables", blocks("Le Département est responsable du traitement.", "Pour toute question, écrivez au service des collèges : ent@departement-fictif.example, ou saisissez la CNIL (www.cnil.fr)."), result.Pass, "@departement-fictif.example"},
		{"contact-responsables", blocks("Le responsable de traitement s'engage à répondre sous un mois.", "Pour exercer vos droits, écrivez par voie postale :", "Agence fictive des territoires 20, avenue de l'Exemple TSA 10717 75 334 Paris Cedex 07"), result.Pass, "TSA 10717"},
		{"contact-responsables", blocks("La Région est responsable du traitement.", "Vous pouvez contacter le DPO de la Région : dpo@region-fictive.example."), result.Fail, ""},
		{"contact-responsables", blocks("La DINUM est responsable du traitement.", "Pour exercer vos droits, contactez-nous à l'adresse de notre délégué : dpd@fictif.example."), result.Pass, "contactez-nous"},
		{"finalites", "Le DASEN détermine les finalités et les moyens du traitement.", result.Fail, ""},
		{"finalites", "Seules les données nécessaires à ces finalités sont collectées.", result.Fail, ""},
		{"finalites", "Le Département est responsable des traitements réalisés dans ent.fictif.example pour :", result.Pass, "pour :"},
		{"destinataires", "La plateforme fournit des outils numériques à destination des agents publics.", result.Fail, ""},
		{"droit-acces", "Qui va avoir accès à vos données ?", result.Fail, ""},
		{"droit-acces", "Les enseignants peuvent accéder aux données de leurs élèves.", result.Fail, ""},
		{"base-legale", "Le compte est ouvert aux seuls agents exerçant une mission de service public.", result.Fail, ""},
		{"base-legale", "Le traitement est nécessaire à l'exécution d'une mission de service public.", result.Pass, "service public"},
		{"dpo", blocks("Responsables de traitement et DPO académique :", "Responsable : le recteur, ce.recteur@ac-fictive.example", "Déléguée à la protection des données : dpd@ac-fictive.example"), result.Pass, "Déléguée"},
		{"accord-conjoint", "Les rôles de chacun des responsables conjoints sont précisés dans une convention.", result.Pass, "convention"},
		{"conservation", "Les données sont conservées tant que l'utilisateur dispose d'un compte.", result.Pass, "tant que"},
		{"source-aaf", "Les données d'identité proviennent de SIECLE et de STS-web, via l'annuaire de l'académie.", result.Pass, "SIECLE"},
		{"categories-donnees", blocks("Nature des données", "Identité, classe, identifiant ENT."), result.Pass, "Identité"},
		// recipients without the word
		{"destinataires", "Ont accès aux données les seuls personnels habilités de l'établissement.", result.Pass, "personnels habilités"},
		{"destinataires", "Les informations saisies sont à destination exclusive des enseignants de la classe.", result.Pass, "destination exclusive"},
		{"destinataires", "Vous pouvez accéder aux données vous concernant.", result.Fail, ""},
		// purposes
		{"finalites", "Les données sont traitées à des fins strictement pédagogiques.", result.Pass, "à des fins"},
		{"finalites", "Les informations recueillies pour la gestion des comptes ne sont pas cédées.", result.Pass, "recueillies pour"},
		{"finalites", "L'ENT permet aux utilisateurs d'accéder à des ressources.", result.Fail, ""},
		// retention
		{"conservation", "Les données sont conservées jusqu'au 31/08/2027.", result.Pass, "31/08/2027"},
		{"conservation", blocks("Durée de conservation", "Un an après la dernière connexion."), result.Pass, "Un an"},
		{"conservation", "L'ENT vous permet de conserver vos documents.", result.Fail, ""},
		// post-mortem, complaint
		{"directives-post-mortem", "Vous pouvez exercer les droits prévus à l'article 85 de la loi n° 78-17 du 6 janvier 1978.", result.Pass, "article 85"},
		{"reclamation-cnil", "Un modèle de courrier est proposé par la CNIL.", result.Fail, ""},
	}
	for _, c := range cases {
		st, q := itemStatus(t, c.text, c.key)
		if st != c.want {
			t.Errorf("%s = %s, want %s: %q", c.key, st, c.want, c.text)
			continue
		}
		if c.quote != "" && !strings.Contains(q, c.quote) {
			t.Errorf("%s: quote %q lacks %q", c.key, q, c.quote)
		}
	}
}

// TestItemQuoteMasked: the quoted sentence is bounded, and an officer's
// personal address or phone number is not shown in clear.
func TestItemQuoteMasked(t *testing.T) {
	text := "Le délégué à la protection des données, Camille Fictif, répond à camille.fictif@ac-fictive.example ou au 01 23 45 67 89. " + strings.Repeat("Texte de remplissage sans information. ", 2)
	st, q := itemStatus(t, text, "dpo")
	if st != result.Pass {
		t.Fatalf("dpo = %s", st)
	}
	if strings.Contains(q, "camille.fictif@") || strings.Contains(q, "45 67") {
		t.Errorf("quote not masked: %q", q)
	}
	long := "Le délégué à la protection des données répond à dpd@ac-fictive.example " + strings.Repeat("et encore ", 200) + "."
	if _, q := itemStatus(t, long, "dpo"); len(q) > maxQuote {
		t.Errorf("quote of %d bytes, bound %d", len(q), maxQuote)
	}
}

// TestReferenceSeesWholePage: NOTICE-002 compares all the text a visitor
// sees on the notice page, not only <main>: a paragraph after </main> is
// a change; the site's header, navigation and footer are not.
func TestReferenceSeesWholePage(t *testing.T) {
	dir := t.TempDir()
	ref := writeFile(t, dir, "ref.html", `<html><body><h1>Mentions</h1><p>Le Département et la DSDEN sont responsables conjoints.</p></body></html>`)
	same := writeFile(t, dir, "same.html", `<html><body><header><nav><a href="#c">Aller au contenu</a> Accueil</nav></header>
<main id="c"><h1>Mentions</h1><p>Le Département et la DSDEN sont responsables conjoints.</p></main>
<footer>© ENT Fictif — Plan du site</footer></body></html>`)
	added := writeFile(t, dir, "added.html", `<html><body><main><h1>Mentions</h1><p>Le Département et la DSDEN sont responsables conjoints.</p></main>
<p>Les données sont aussi transmises à un partenaire commercial.</p></body></html>`)
	env := testEnv(dir)
	for _, c := range []struct {
		page string
		want result.Status
	}{{same, result.Pass}, {added, result.Fail}} {
		text, err := readNotice(env, c.page)
		if err != nil {
			t.Fatal(err)
		}
		f := referenceFinding(env, c.page, text, ref)
		if f.Status != c.want {
			t.Errorf("%s: NOTICE-002 %s, want %s (%s)", filepath.Base(c.page), f.Status, c.want, f.Evidence[0].Excerpt)
		}
		if c.want == result.Fail && !strings.Contains(f.Evidence[0].Excerpt, "+ Les données sont aussi transmises") {
			t.Errorf("diff does not show the added paragraph: %q", f.Evidence[0].Excerpt)
		}
	}
	// a byte-order mark before <!DOCTYPE> puts <title> in the body: a
	// title is still not shown
	bom := writeFile(t, dir, "bom.html", "\ufeff<!DOCTYPE html><html><head><title>ENT Fictif</title></head><body><h1>Mentions</h1><p>Le Département et la DSDEN sont responsables conjoints.</p></body></html>")
	if text, err := readNotice(env, bom); err != nil {
		t.Fatal(err)
	} else if f := referenceFinding(env, bom, text, ref); f.Status != result.Pass {
		t.Errorf("BOM and title: NOTICE-002 %s (%s)", f.Status, f.Evidence[0].Excerpt)
	}
	// without a reference: not evaluated, never a pass
	if f := referenceFinding(env, same, "x", ""); f.Status != result.NotEvaluated {
		t.Errorf("no reference: %s, want not-evaluated", f.Status)
	}
}

// TestItemsBoundedOnHugeText: a hostile notice (megabytes of sentences, a
// single 5 MiB word, hundreds of thousands of blocks or titles) is read
// in bounded time, by the content rules and by the page rules that count
// items.
func TestItemsBoundedOnHugeText(t *testing.T) {
	for name, tx := range map[string]string{
		"sentences": strings.Repeat("Le Département est responsable du traitement des données, pour la gestion des comptes, à des fins pédagogiques; ", 40000),
		"one word":  strings.Repeat("a", 5<<20),
		"titles":    strings.Repeat("Titre\n", 200000),
		"lead-ins":  strings.Repeat(blockSep+"x : ", 300000),
	} {
		start := time.Now()
		contentFindings(testEnv(""), "x", tx)
		showsNoticeText(tx)
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: %s", name, d)
		}
	}
}

// TestItemsInCatalogueOrder: the report's checklist orders NOTICE-001's
// findings by rules.NoticeItems; every item the check reports is there,
// in the check's order.
func TestItemsInCatalogueOrder(t *testing.T) {
	var keys []string
	for _, it := range noticeItems {
		keys = append(keys, it.Key)
	}
	if diff := cmp.Diff(rules.NoticeItems, keys); diff != "" {
		t.Errorf("rules.NoticeItems and noticeItems differ (-catalogue +check):\n%s", diff)
	}
}
