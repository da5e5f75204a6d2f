package notice

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/htmltree"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// maxDiffExcerpt bounds the diff shown for a changed notice.
const maxDiffExcerpt = 1500

// readNotice reads a notice (file or URL, HTML or PDF) and returns its
// text. With --render, an HTML notice at a URL is read as the browser
// renders it.
func readNotice(env *checks.Env, src string) (string, error) {
	if input.IsURL(src) {
		doc, err := env.Loader.Fetch(env.Context(), src, "notice")
		if err != nil {
			return "", err
		}
		if doc.Status != http.StatusOK {
			return "", &input.Error{Source: src, Err: input.HTTPStatus(doc.Status)}
		}
		if err := auditedType(doc, true); err != nil {
			return "", &input.Error{Source: src, Err: err}
		}
		return renderedNotice(env, src, src, doc.Body)
	}
	data, err := env.Loader.Read(env.Context(), src, "notice")
	if err != nil {
		return "", err
	}
	return renderedNotice(env, src, src, data)
}

// renderedNotice returns the text of a notice already read; with
// --render and a URL, the text of the page the browser renders.
func renderedNotice(env *checks.Env, src, fetchedURL string, data []byte) (string, error) {
	if env.Opts.Render && input.IsURL(fetchedURL) && !isPDF(data) {
		r, err := render(env.Context(), fetchedURL, false)
		if err != nil {
			return "", &input.Error{Source: src, Err: err}
		}
		data = []byte(r.HTML)
	}
	return noticeText(env, src, data, "")
}

// noticeText extracts a notice's text: the text layer of a PDF, or the
// visible text of an HTML page's main content (<main>, else role=main,
// else <article>, else <body>), so that the ENT's header and footer
// around the notice do not count in the comparison.
func noticeText(env *checks.Env, src string, data []byte, ctype string) (string, error) {
	if isPDF(data) {
		t, err := cachedPDFText(env, data)
		if err != nil {
			return "", &input.Error{Source: src, Err: err}
		}
		return t, nil
	}
	if binaryContent(data) {
		return "", &input.Error{Source: src, Err: input.Problemf("binary content: expected an HTML or PDF notice", "contenu binaire : une notice HTML ou PDF est attendue")}
	}
	if line := badUTF8Line(data, ctype); line > 0 {
		// Decoding would turn accented letters into U+FFFD and report
		// present mentions as missing: say what is wrong instead.
		return "", &input.Error{Source: src, Line: line, Err: input.Problemf("declared or assumed UTF-8 but holds invalid bytes (saved as ISO-8859-1 or Windows-1252?): ask for the file re-saved in UTF-8 or with its true charset declared",
			"encodage UTF-8 déclaré ou supposé, mais octets invalides (fichier enregistré en ISO-8859-1 ou Windows-1252 ?) : demander le fichier réenregistré en UTF-8 ou avec son véritable encodage déclaré")}
	}
	doc, err := parseHTML(data, ctype)
	if err != nil {
		return "", &input.Error{Source: src, Err: input.Wrap(err, "parse html", "HTML illisible")}
	}
	h := styleHiding(doc)
	t := visibleText(pageContent(doc), h)
	if strings.IndexFunc(t, unicode.IsLetter) < 0 {
		return "", &input.Error{Source: src, Err: input.Problemf("no visible text: expected an HTML or PDF notice", "aucun texte visible : une notice HTML ou PDF est attendue")}
	}
	return t, nil
}

// pageContent is what a visitor reads on a notice page: the body without
// the site's chrome around the content (NOTICE-002 compares all of it: a
// paragraph added after </main> is a change). The chrome is a <header>,
// <nav> or <footer> outside <main>, <article> and <section>, an element
// whose role is banner, navigation, contentinfo or search, and a skip
// link ("Aller au contenu"). A page without <body> is read whole. The
// chrome is removed from doc, which the caller parsed for this only.
func pageContent(doc *html.Node) *html.Node {
	var body *html.Node
	var chrome []*html.Node
	var visit func(n *html.Node, inContent bool)
	visit = func(n *html.Node, inContent bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Body && body == nil {
				body = c
			}
			role := strings.ToLower(strings.TrimSpace(htmltree.AttrOr(c, "role")))
			switch {
			case (role == "banner" || role == "navigation" || role == "contentinfo" || role == "search") && !wrapsPage(c):
				chrome = append(chrome, c)
				continue
			case c.DataAtom == atom.Title || c.DataAtom == atom.Head:
				// never shown in the page (a byte-order mark before
				// <!DOCTYPE> makes the parser put <title> in the body)
				chrome = append(chrome, c)
				continue
			case !inContent && (c.DataAtom == atom.Header || c.DataAtom == atom.Nav || c.DataAtom == atom.Footer) && !wrapsPage(c):
				chrome = append(chrome, c)
				continue
			case c.DataAtom == atom.A && skipLinkRe.MatchString(fold(visibleText(c, hiding{shown: true}))):
				chrome = append(chrome, c)
				continue
			}
			visit(c, inContent || c.DataAtom == atom.Main || c.DataAtom == atom.Article || c.DataAtom == atom.Section || role == "main")
		}
	}
	visit(doc, false)
	for _, c := range chrome {
		if c.Parent != nil {
			c.Parent.RemoveChild(c)
		}
	}
	if body != nil {
		return body
	}
	return doc
}

// skipLinkRe is the text of a skip link.
var skipLinkRe = regexp.MustCompile(`^(aller|passer|acceder)( directement)? (au|a la) (contenu|navigation|menu|recherche)|^(skip to|go to) (main )?content`)

// mainContent picks the node holding a page's own content.
func mainContent(doc *html.Node) *html.Node {
	var main, role, article, body *html.Node
	htmltree.Walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch {
		case n.DataAtom == atom.Main && main == nil:
			main = n
		case strings.EqualFold(htmltree.AttrOr(n, "role"), "main") && role == nil:
			role = n
		case n.DataAtom == atom.Article && article == nil:
			article = n
		case n.DataAtom == atom.Body && body == nil:
			body = n
		}
		return true
	})
	for _, n := range []*html.Node{main, role, article, body} {
		if n != nil {
			return n
		}
	}
	return doc
}

// maxQuote bounds the sentence a NOTICE-001 finding quotes.
const maxQuote = 300

// contentFindings implements NOTICE-001: one finding per GDPR art. 13/14
// item, with the item's key in its "item" field. The notice is read as
// sentences in their section (parseNotice); an item is a statement found
// in one sentence (or a sentence and its heading or lead-in), and its
// finding quotes that sentence, so a reader sees why it passed. A missing
// item fails, but for the joint arrangement's summary, a point to check:
// the convention makes it available to every profile elsewhere (the ENT's
// document space, the information to parents at the start of the year).
func contentFindings(env *checks.Env, src, text string) []result.Finding {
	id := rules.NOTICE001
	d := parseNotice(text)
	var fs []result.Finding
	for _, it := range noticeItems {
		var f result.Finding
		if s, ok := it.find(d); ok {
			f = checks.Pass(id,
				fmt.Sprintf("Mention présente : %s (%s).", it.FR, it.Article),
				fmt.Sprintf("Item present: %s (%s).", it.EN, it.ArticleEN()),
				result.Evidence{Source: src, Excerpt: quote(s.shown)})
		} else if it.review {
			f = checks.Review(id,
				fmt.Sprintf("Mention non trouvée : %s (%s). À vérifier : la convention peut rendre ces grandes lignes accessibles ailleurs (espace documentaire de l'ENT, information des familles en début d'année) ; sinon, les ajouter aux mentions.", it.FR, it.Article),
				fmt.Sprintf("Item not found: %s (%s). To check: the convention may make it available elsewhere (the ENT's document space, the information to families at the start of the year); otherwise add it to the notice.", it.EN, it.ArticleEN()),
				result.Evidence{Source: src})
		} else {
			f = checks.Fail(id,
				fmt.Sprintf("Mention absente : %s (%s).", it.FR, it.Article),
				fmt.Sprintf("Missing item: %s (%s).", it.EN, it.ArticleEN()),
				result.Evidence{Source: src})
		}
		f.Item = it.Key
		fs = append(fs, f)
	}
	return fs
}

var (
	quoteEmailRe = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9-]+(\.[\p{L}0-9-]+)+`)
	quotePhoneRe = regexp.MustCompile(`(\+33 ?|\b0)\d([ .-]?\d\d){4}\b`)
)

// quote is a sentence as a finding shows it: bounded, e-mail addresses
// reduced to their domain and phone numbers hidden (a notice may name an
// officer by a personal address).
func quote(s string) string {
	s = quoteEmailRe.ReplaceAllStringFunc(s, mask.Email)
	s = quotePhoneRe.ReplaceAllStringFunc(s, mask.Phone)
	return bound(s, maxQuote)
}

// referenceFinding implements NOTICE-002: the notice shown is the version
// validated by the DSDEN, compared on normalised text (case, accents,
// spacing and typographic quotes ignored). A difference is shown as a
// compact sentence diff ("- " validated only, "+ " shown only).
func referenceFinding(env *checks.Env, src, text, ref string) result.Finding {
	id := rules.NOTICE002
	if ref == "" {
		// A vendor checks a draft before the DSDEN validates it: the
		// content rules run, the comparison cannot.
		return result.Finding{Rule: id.ID, Status: result.NotEvaluated,
			Message:   "Version validée par la DSDEN non fournie (--reference, ou evidence.notice_reference dans ent.yaml) : comparaison non faite.",
			MessageEN: "Version validated by the DSDEN not given (--reference, or evidence.notice_reference in ent.yaml): not compared.",
			Evidence:  []result.Evidence{{Source: src}}}
	}
	refText, err := readNotice(env, ref)
	if err != nil {
		return checks.Errorf(id, err)
	}
	a, b := normal(refText), normal(text)
	if a == b {
		return checks.Pass(id,
			"Les mentions affichées sont identiques (texte normalisé) à la version validée par la DSDEN ("+ref+").",
			"The notice shown matches (normalised text) the version validated by the DSDEN ("+ref+").",
			result.Evidence{Source: src, Excerpt: "sha256(texte normalisé) " + input.Sum([]byte(b))})
	}
	d := diff(refText, text, maxDiffExcerpt)
	return checks.Fail(id,
		"Les mentions affichées diffèrent de la version validée par la DSDEN ("+ref+") ; « - » = validé seulement, « + » = affiché seulement.",
		"The notice shown differs from the version validated by the DSDEN ("+ref+"); \"- \" = validated only, \"+ \" = shown only.",
		result.Evidence{Source: src, Excerpt: d})
}

// sameNotice implements PAGE-003 in an audit: both pages link to the same
// notice, and it is the dossier's notice (same document, or same
// normalised text). Without the dossier's notice (d.Notice ""), pages that
// disagree fail and pages that agree are not evaluated.
func sameNotice(d Dossier, home, login *target, noticeText string, noticeErr error, homePending, loginPending bool) result.Finding {
	id := rules.PAGE003
	if (home == nil && homePending) || (login == nil && loginPending) {
		// a page whose footer could not be judged may link the notice:
		// the comparison applies and was not made
		return checks.NotEvaluated(id,
			"Non évaluée : le lien vers les mentions d'une des pages n'a pas pu être cherché ("+rules.PAGE001.ID+" à vérifier) : comparaison non faite.",
			"Not evaluated: the notice link of one of the pages could not be looked for ("+rules.PAGE001.ID+" to review): not compared.")
	}
	if home == nil || login == nil {
		return checks.Skip(id,
			"Une des pages n'a pas de lien vers les mentions (voir "+rules.PAGE001.ID+" et "+rules.PAGE002.ID+") : rien à comparer.",
			"One of the pages has no notice link (see "+rules.PAGE001.ID+" and "+rules.PAGE002.ID+"): nothing to compare.")
	}
	same := func(a, b *target) bool {
		return a.id == b.id || (a.text != "" && b.text != "" && normal(a.text) == normal(b.text))
	}
	// unknown: different documents, one of them not read (a URL that a
	// local page links to is not followed)
	unknown := func(a, b *target) bool { return a.id != b.id && (a.text == "" || b.text == "") }
	ev := []result.Evidence{{Source: d.HomePage, Excerpt: "→ " + home.id}, {Source: d.LoginPage, Excerpt: "→ " + login.id}}
	pairs := [][2]*target{{home, login}}
	if d.Notice != "" {
		nt := &target{id: cleanID(d.Notice)}
		if noticeErr == nil {
			nt.text = noticeText
		}
		pairs = append(pairs, [2]*target{home, nt}, [2]*target{login, nt})
	}
	dossierFR, dossierEN := d.Notice, d.Notice
	if d.Notice == "" {
		dossierFR, dossierEN = "non fournies", "not provided"
	}
	for _, pair := range pairs {
		if unknown(pair[0], pair[1]) {
			return checks.Review(id,
				fmt.Sprintf("Comparaison impossible entre %s et %s : l'un des deux n'a pas été lu (URL non suivie depuis une page locale). Auditer les pages en ligne, ou vérifier à la main que les deux pages mènent aux mentions du dossier (%s).", pair[0].id, pair[1].id, dossierFR),
				fmt.Sprintf("Cannot compare %s and %s: one of them was not read (a URL is not followed from a local page). Audit the live pages, or check by hand that both pages lead to the dossier's notice (%s).", pair[0].id, pair[1].id, dossierEN), ev...)
		}
	}
	if !same(home, login) {
		return checks.Fail(id,
			fmt.Sprintf("Les pages d'accueil et de connexion ne mènent pas aux mêmes mentions (%s / %s).", home.id, login.id),
			fmt.Sprintf("The home and login pages do not lead to the same notice (%s / %s).", home.id, login.id), ev...)
	}
	if d.Notice == "" {
		// the pages agree; whether they lead to the dossier's notice is
		// not known
		return checks.NotEvaluated(id,
			fmt.Sprintf("Les pages d'accueil et de connexion mènent aux mêmes mentions (%s), mais le dossier ne fournit pas les %s : comparaison avec elles non faite.", home.id, noticePiece.Name.FR),
			fmt.Sprintf("The home and login pages lead to the same notice (%s), but the dossier does not provide the %s (evidence.%s): not compared with it.", home.id, noticePiece.Name.EN, noticePiece.Key), ev...)
	}
	if !same(home, pairs[1][1]) {
		return checks.Fail(id,
			fmt.Sprintf("Le lien des pages mène à %s, pas aux mentions du dossier (%s).", home.id, d.Notice),
			fmt.Sprintf("The pages' link leads to %s, not to the dossier's notice (%s).", home.id, d.Notice), ev...)
	}
	return checks.Pass(id,
		"Les pages d'accueil et de connexion mènent aux mêmes mentions, celles du dossier ("+d.Notice+").",
		"The home and login pages lead to the same notice, the dossier's ("+d.Notice+").", ev...)
}

// normal is a text's comparison form: folded sentences, one a line.
func normal(s string) string { return strings.Join(sentences(s), "\n") }

func cleanID(src string) string {
	if input.IsURL(src) {
		return src
	}
	return pathClean(src)
}
