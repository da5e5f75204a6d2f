package notice

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// pageOpts say how a page is audited.
type pageOpts struct {
	// inDossier: links may lead anywhere inside the dossier directory
	// (otherwise only inside the page's own directory).
	inDossier bool
	// role is "accueil" or "connexion" in an audit ("" for check page).
	role string
	// thirdParty runs PAGE-005 (the login page, or any page checked alone).
	thirdParty bool
	// acc, in an audit, collects the accessibility mentions (ACC-001 is
	// judged then; `check page` leaves it to `check accessibility`).
	acc *accessibility
}

// page is one loaded page.
type page struct {
	src      string
	raw      []byte
	doc      *html.Node
	hide     hiding
	fetched  *input.Doc // nil for a local file
	rendered *rendered  // nil without --render
}

// target is where a page's notice link leads.
type target struct {
	src  string // file path (slash-separated) or URL, as read
	id   string // identity for comparisons: cleaned path or final URL
	text string // the notice's text ("" if unreadable)
	// imageOnly: the notice is a PDF without a text layer (a scan): it
	// was reached and opens, but its text cannot be read
	imageOnly bool
}

// rules are the rules run on each page, for error reporting: PAGE-003
// compares pages, and PAGE-005 only runs where thirdParty is set.
func (o pageOpts) rules() []*rules.Rule {
	rs := []*rules.Rule{rules.PAGE001, rules.PAGE002, rules.PAGE004}
	if o.thirdParty {
		rs = append(rs, rules.PAGE005)
	}
	if o.acc != nil {
		rs = append(rs, rules.ACC001)
	}
	return rs
}

// auditPage loads a page and runs the per-page rules on it.
func auditPage(env *checks.Env, src string, o pageOpts) ([]result.Finding, *target) {
	p, err := loadPage(env, src)
	if err != nil {
		var fs []result.Finding
		for _, id := range o.rules() {
			if id == rules.PAGE004 && isCertError(err) {
				fs = append(fs, checks.Fail(rules.PAGE004,
					"Certificat TLS refusé : "+input.French(err)+".",
					"TLS certificate rejected: "+err.Error()+".",
					result.Evidence{Source: src}))
				continue
			}
			if id == rules.PAGE004 && isTLSVersionError(err) {
				fs = append(fs, checks.Fail(rules.PAGE004,
					"Le serveur ne propose pas TLS 1.2 ou plus : "+input.French(err)+".",
					"The server does not offer TLS 1.2 or later: "+err.Error()+".",
					result.Evidence{Source: src}))
				continue
			}
			fs = append(fs, checks.Errorf(id, err))
		}
		return fs, nil
	}
	lk, f1, other := footerLink(p, o)
	f2, tgt := followLink(env, p, lk, o)
	if lk != nil && lk.legal {
		var useOther bool
		f1, f2, tgt, useOther = judgeLegal(p, lk, o, f2, tgt, other)
		if useOther {
			// the notice is linked from elsewhere on the page: PAGE-001
			// fails for its place, PAGE-002 follows that link
			f2, tgt = followLink(env, p, other, o)
		}
	}
	if lk == nil && f1.Review {
		// PAGE-001 could not tell whether the footer links the notice
		// (a footer built by JavaScript): there was no link to follow, but
		// one may exist
		where := pageName(o)
		f2 = checks.NotEvaluated(rules.PAGE002,
			where.fr+" : non évalué, le lien vers les mentions n'a pas pu être cherché dans le HTML brut ("+rules.PAGE001.ID+" à vérifier).",
			where.en+": not evaluated, the notice link could not be looked for in the raw HTML ("+rules.PAGE001.ID+" to review).",
			result.Evidence{Source: p.src})
	}
	fs := []result.Finding{f1, f2, transport(env, p)}
	if o.acc != nil {
		fs = append(fs, accessibilityMention(p, o))
	}
	observeHosts(env, p)
	if o.thirdParty {
		fs = append(fs, thirdParties(p)...)
	}
	return fs, tgt
}

// isCertError tells a certificate verification failure.
func isCertError(err error) bool {
	var ve *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	return errors.As(err, &ve) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci)
}

// isTLSVersionError tells a handshake refused for the protocol version
// (the client asks for TLS 1.2 at least; crypto/tls reports the alert only
// as text).
func isTLSVersionError(err error) bool {
	return strings.Contains(err.Error(), "protocol version not supported")
}

// loadPage reads (or fetches) and parses a page; with --render it renders
// it in a headless browser and parses the rendered DOM instead.
func loadPage(env *checks.Env, src string) (*page, error) {
	p := &page{src: src}
	ctype := ""
	if input.IsURL(src) {
		doc, err := env.Loader.Fetch(env.Context(), src, "page")
		if err != nil {
			return nil, err
		}
		if doc.Status != http.StatusOK {
			return nil, &input.Error{Source: src, Err: input.HTTPStatus(doc.Status)}
		}
		if err := auditedType(doc, false); err != nil {
			return nil, &input.Error{Source: src, Err: err}
		}
		p.fetched, p.raw, ctype = doc, doc.Body, doc.Header.Get("Content-Type")
	} else {
		data, err := env.Loader.Read(env.Context(), src, "page")
		if err != nil {
			return nil, err
		}
		p.raw = data
	}
	if isPDF(p.raw) {
		return nil, &input.Error{Source: src, Err: input.Problemf("is a PDF, expected an HTML page", "c'est un PDF, une page HTML est attendue")}
	}
	if binaryContent(p.raw) {
		return nil, &input.Error{Source: src, Err: input.Problemf("binary content, expected an HTML page", "contenu binaire, une page HTML est attendue")}
	}
	data := p.raw
	if env.Opts.Render {
		where := src
		if p.fetched != nil {
			where = p.fetched.FinalURL
		} else {
			abs, err := filepath.Abs(env.Loader.Path(src))
			if err != nil {
				return nil, &input.Error{Source: src, Err: input.Wrap(err, "resolve path", "chemin illisible")}
			}
			where = (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
		}
		r, err := render(env.Context(), where, true)
		if err != nil {
			return nil, &input.Error{Source: src, Err: err}
		}
		p.rendered, data, ctype = r, []byte(r.HTML), "text/html; charset=utf-8"
	}
	doc, err := parseHTML(data, ctype)
	if err != nil {
		return nil, &input.Error{Source: src, Err: input.Wrap(err, "parse html", "HTML illisible")}
	}
	p.doc, p.hide = doc, styleHiding(doc)
	return p, nil
}

// ev is evidence on the page at the first occurrence of needle (no line
// for a rendered DOM: it is not the file).
func (p *page) ev(needle, excerpt string) result.Evidence {
	e := result.Evidence{Source: p.src, Excerpt: bound(excerpt, 300)}
	if p.rendered == nil {
		e.Line = lineOf(p.raw, needle)
	}
	return e
}

// footerLink implements PAGE-001: the footer (or the page's last landmark
// region, at the end of the page) holds a visible link to the
// information notice. A footer whose only candidate is a visible
// "Mentions légales" link returns that link with a provisional finding: judgeLegal decides once
// its target is read. other is the visible notice link the page holds
// outside its footer (header, menu, content), nil if none: when the
// footer has no link to the notice, PAGE-001 fails and says where it is,
// and that link is returned for PAGE-002 to follow.
func footerLink(p *page, o pageOpts) (lk *link, f result.Finding, other *link) {
	id := rules.PAGE001
	where := pageName(o)
	regions := footerRegions(p.doc, p.hide)
	links := noticeLinks(regions, p.hide)
	shownOnOpen(p, regions, links)
	other = otherLink(p, regions)
	// the visible link that names the notice best: by a French label, then
	// an English one, then by its address only ("Mentions légales" to
	// mentions-legales#rgpd); at equal rank an address before a trigger
	// (a button may open a menu or a panel)
	rank := func(l *link) int {
		r := 2 * labelRank(l.label)
		if l.trigger {
			r++
		}
		return r
	}
	best := -1
	for i := range links {
		if !links[i].legal && links[i].hidden == "" && (best < 0 || rank(&links[i]) < rank(&links[best])) {
			best = i
		}
	}
	if best >= 0 {
		l := &links[best]
		return l, checks.Pass(id,
			fmt.Sprintf("%s : lien visible vers les mentions d'information dans le pied de page (%s) : « %s ».", where.fr, l.region.kind, shownText(l)),
			fmt.Sprintf("%s: visible link to the information notice in the footer (%s): %q.", where.en, l.region.kind, shownText(l)),
			p.linkEv(l)), other
	}
	var hidden []*link
	for i := range links {
		if !links[i].legal {
			hidden = append(hidden, &links[i])
		}
	}
	if len(hidden) > 0 {
		l := hidden[0]
		if l.hidden == noTextWhy && p.rendered == nil && templated(l.node) && hasScripts(p.doc) {
			return nil, checks.Review(id,
				fmt.Sprintf("%s : le texte du lien vers les mentions est rempli par JavaScript (traduction, gabarit). Relancer avec --render pour auditer la page rendue par un navigateur.", where.fr),
				fmt.Sprintf("%s: the notice link's text is filled in by JavaScript (translation, template). Run again with --render to audit the page as a browser renders it.", where.en),
				p.linkEv(l)), other
		}
		return l, checks.Fail(id,
			fmt.Sprintf("%s : le lien vers les mentions d'information du pied de page est masqué (%s) : il ne compte pas.", where.fr, l.hidden),
			fmt.Sprintf("%s: the footer link to the information notice is hidden (%s): it does not count.", where.en, l.hidden),
			p.linkEv(l)), other
	}
	// no candidate but a visible "Mentions légales" link
	for i := range links {
		if l := &links[i]; l.legal && l.hidden == "" {
			return l, checks.Review(id, where.fr+" : lien « "+shownText(l)+" » à juger par sa cible.", where.en+": "+strconv.Quote(shownText(l))+" link, to judge by its target.", p.linkEv(l)), other
		}
	}
	emptyFooter := true
	for _, r := range regions {
		if strings.TrimSpace(visibleText(r.node, p.hide)) != "" {
			emptyFooter = false
		}
	}
	if emptyFooter && p.rendered == nil && hasScripts(p.doc) {
		return nil, checks.Review(id,
			where.fr+" : le HTML brut n'a pas de contenu de pied de page ; la page est sans doute construite par JavaScript. Relancer avec --render pour auditer la page rendue par un navigateur.",
			where.en+": the raw HTML has no footer content; the page is probably built by JavaScript. Run again with --render to audit the page as a browser renders it.",
			result.Evidence{Source: p.src}), nil
	}
	for _, r := range regions {
		if p.rendered == nil && templated(r.node) && hasScripts(p.doc) {
			return nil, checks.Review(id,
				fmt.Sprintf("%s : le pied de page du HTML brut (%s) est un gabarit que JavaScript remplit ({{ }}, ng-include…). Relancer avec --render pour auditer la page rendue par un navigateur.", where.fr, r.kind),
				fmt.Sprintf("%s: the raw HTML footer (%s) is a template JavaScript fills in ({{ }}, ng-include…). Run again with --render to audit the page as a browser renders it.", where.en, r.kind),
				p.ev("<"+r.node.Data, bound(strings.Join(strings.Fields(textOf(r.node)), " "), 200))), nil
		}
	}
	return other, noFooterLink(p, where, regions, other), other
}

// noFooterLink is PAGE-001's failure when the footer holds no link to the
// notice: there is no footer at all, the page's last region has none, or
// the footer has none. When the page links the notice from elsewhere
// (other: its header, a menu, the content), the notice exists but is not
// where the convention puts it: the message says where the link is.
func noFooterLink(p *page, where names, regions []region, other *link) result.Finding {
	id := rules.PAGE001
	var fr, en string
	var ev result.Evidence
	switch {
	case len(regions) == 0:
		fr = where.fr + " : aucun pied de page (<footer>, role=\"contentinfo\") ni région de repère en fin de page"
		en = where.en + ": no footer (<footer>, role=\"contentinfo\") nor landmark region at the end of the page"
		ev = result.Evidence{Source: p.src}
	case strings.HasPrefix(regions[0].kind, "dernière région"):
		tag := "<" + regions[0].node.Data + ">"
		fr = fmt.Sprintf("%s : pas de pied de page, et la dernière région de la page (%s) n'a pas de lien vers les mentions d'information", where.fr, tag)
		en = fmt.Sprintf("%s: no footer, and the page's last region (%s) has no link to the information notice", where.en, tag)
		ev = p.ev("<"+regions[0].node.Data, bound(strings.Join(strings.Fields(visibleText(regions[0].node, p.hide)), " "), 200))
	default:
		fr = fmt.Sprintf("%s : le pied de page (%s) n'a pas de lien vers les mentions d'information", where.fr, regions[0].kind)
		en = fmt.Sprintf("%s: the footer (%s) has no link to the information notice", where.en, regions[0].kind)
		ev = p.ev("<"+regions[0].node.Data, bound(strings.Join(strings.Fields(visibleText(regions[0].node, p.hide)), " "), 200))
	}
	if other == nil {
		if len(regions) == 0 {
			fr += " : les mentions d'information n'y sont pas accessibles avant connexion"
			en += ": the information notice is not reachable there before login"
		}
		return checks.Fail(id, fr+".", en+".", ev)
	}
	at := placeOf(other.node)
	return checks.Fail(id,
		fmt.Sprintf("%s ; les mentions sont liées depuis %s (« %s », %s), pas depuis le pied de page où la convention les place.", fr, at.fr, shownText(other), other.describe()),
		fmt.Sprintf("%s; the notice is linked from the %s (%q, %s), not from the footer where the convention puts it.", en, at.en, shownText(other), other.describe()),
		ev, p.linkEv(other))
}

// otherLink returns the visible link to the notice that the page holds
// outside its footer regions (in its header, a navigation menu, the main
// content, next to the login form), the one that names the notice best;
// nil if there is none. Links in cookie banners and modals do not count.
func otherLink(p *page, regions []region) *link {
	var body *html.Node
	walk(p.doc, func(n *html.Node) bool {
		if body == nil && n.Type == html.ElementNode && n.DataAtom == atom.Body {
			body = n
		}
		return body == nil
	})
	if body == nil {
		return nil
	}
	inFooter := func(n *html.Node) bool {
		for a := n; a != nil; a = a.Parent {
			for _, r := range regions {
				if a == r.node {
					return true
				}
			}
		}
		return false
	}
	links := noticeLinks([]region{{node: body, kind: "page"}}, p.hide)
	var best *link
	for i := range links {
		l := &links[i]
		if l.legal || l.hidden != "" || inFooter(l.node) {
			continue
		}
		if best == nil || labelRank(l.label) < labelRank(best.label) {
			best = l
		}
	}
	if best != nil {
		best.region = region{node: body, kind: placeOf(best.node).fr}
	}
	return best
}

// placeOf names where on the page a link sits: the header, a navigation
// menu, a side panel, the main content or the page's body.
func placeOf(n *html.Node) names {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		role := strings.ToLower(strings.TrimSpace(attrOr(a, "role")))
		switch {
		case a.DataAtom == atom.Nav || role == "navigation":
			for h := a.Parent; h != nil; h = h.Parent {
				if h.Type == html.ElementNode && isBanner(h) {
					return names{"le menu de l'en-tête", "header's menu"}
				}
			}
			return names{"un menu de navigation", "navigation menu"}
		case isBanner(a):
			return names{"l'en-tête", "header"}
		case a.DataAtom == atom.Aside || role == "complementary":
			return names{"un encadré latéral", "side panel"}
		case a.DataAtom == atom.Form:
			return names{"le formulaire", "form"}
		case a.DataAtom == atom.Main || role == "main":
			return names{"le contenu de la page", "page's content"}
		}
	}
	return names{"le corps de la page", "page's body"}
}

// shownOnOpen makes visible the hidden links that a visible control of
// the footer shows (a collapsed menu or accordion that a button with
// aria-controls or data-bs-target opens): the reader reaches them in one
// click, as they reach a modal.
func shownOnOpen(p *page, regions []region, links []link) {
	opened := map[*html.Node]bool{}
	var ids map[string]*html.Node // built on first use: one walk of the page
	for _, r := range regions {
		walk(r.node, func(n *html.Node) bool {
			if n.Type != html.ElementNode {
				return true
			}
			if p.hide.hiddenSelf(n) != "" {
				return false
			}
			if n.DataAtom == atom.Button || n.DataAtom == atom.A || attrOr(n, "role") != "" {
				for _, id := range toggleTargets(n) {
					if ids == nil {
						ids = idIndex(p.doc)
					}
					if el := ids[id]; el != nil && el != n {
						opened[el] = true
					}
				}
			}
			return true
		})
	}
	if len(opened) == 0 {
		return
	}
	for i := range links {
		l := &links[i]
		if l.hidden == "" || l.hidden == noTextWhy {
			continue
		}
		for a := l.node; a != nil; a = a.Parent {
			if opened[a] {
				l.hidden = ""
				break
			}
		}
	}
}

// judgeLegal decides PAGE-001 for a footer whose only candidate is a
// "Mentions légales" link (or terms of use, a charter), by its target: the
// publisher's legal notice or the ENT's charter often holds the
// information notice as one of its sections. A target that was read and
// presents the notice (three items of NOTICE-001 at least) passes, and is
// audited as the notice. When the page links the notice from elsewhere
// (other: its header, a menu), the notice exists and is not where the
// convention puts it: PAGE-001 fails and says where the link is, and
// PAGE-002 follows that link (useOther). Otherwise a target that was read
// and does not present the notice fails, with nothing to follow for
// PAGE-002; one that could not be read here (root-relative or absolute
// address from a local page, broken link, script) is to review, never a
// failure: nothing on the page says the notice is elsewhere.
func judgeLegal(p *page, l *link, o pageOpts, f2 result.Finding, tgt *target, other *link) (f1, g2 result.Finding, t *target, useOther bool) {
	id := rules.PAGE001
	where := pageName(o)
	ev := p.linkEv(l)
	text, src := "", ""
	if el, name := inPageElement(p, l); el != nil {
		text, src = visibleText(el, hiding{shown: true}), p.src+"#"+name
	} else if tgt != nil && tgt.text != "" {
		text, src = tgt.text, tgt.src
	}
	if text != "" && showsNoticeText(text) {
		return checks.Pass(id,
			fmt.Sprintf("%s : le lien « %s » du pied de page (%s) mène à une page qui présente les mentions d'information (%s).", where.fr, shownText(l), l.region.kind, src),
			fmt.Sprintf("%s: the footer link %q (%s) leads to a page that presents the information notice (%s).", where.en, shownText(l), l.region.kind, src),
			ev), f2, tgt, false
	}
	if other != nil {
		at := placeOf(other.node)
		return checks.Fail(id,
			fmt.Sprintf("%s : le pied de page (%s) n'a, pour les mentions d'information, qu'un lien « %s » (%s) ; les mentions sont liées depuis %s (« %s », %s), pas depuis le pied de page où la convention les place.", where.fr, l.region.kind, shownText(l), l.describe(), at.fr, shownText(other), other.describe()),
			fmt.Sprintf("%s: the footer (%s) only has a %q link (%s) for the information notice; the notice is linked from the %s (%q, %s), not from the footer where the convention puts it.", where.en, l.region.kind, shownText(l), l.describe(), at.en, shownText(other), other.describe()),
			ev, p.linkEv(other)), f2, nil, true
	}
	if text == "" {
		return checks.Review(id,
				fmt.Sprintf("%s : le pied de page n'a, pour les mentions d'information, qu'un lien « %s » (%s), dont la cible n'a pas pu être lue ici : vérifier qu'elle présente les mentions d'information (souvent une section de cette page).", where.fr, shownText(l), l.describe()),
				fmt.Sprintf("%s: the footer's only candidate for the information notice is a %q link (%s), whose target could not be read here: check that it presents the information notice (often a section of that page).", where.en, shownText(l), l.describe()),
				ev),
			f2, tgt, false
	}
	return checks.Fail(id,
			fmt.Sprintf("%s : le pied de page (%s) n'a qu'un lien « %s », dont la page (%s) ne présente pas les mentions d'information (moins de trois des informations exigées).", where.fr, l.region.kind, shownText(l), src),
			fmt.Sprintf("%s: the footer (%s) only has a %q link, whose page (%s) does not present the information notice (fewer than three of the required items).", where.en, l.region.kind, shownText(l), src),
			ev),
		checks.Skip(rules.PAGE002, where.fr+" : aucun lien vers les mentions à suivre (voir "+rules.PAGE001.ID+").", where.en+": no notice link to follow (see "+rules.PAGE001.ID+")."),
		nil, false
}

// englishNoticeRe are the English names of the notice.
var englishNoticeRe = regexp.MustCompile(`\bprivacy\b|\bgdpr\b`)

// labelRank ranks how a link's folded label names the notice: 0 in
// French, 1 in English only, 2 not at all (matched by its address).
func labelRank(label string) int {
	switch {
	case !noticeTextRe.MatchString(label):
		return 2
	case noticeTextRe.MatchString(englishNoticeRe.ReplaceAllString(label, " ")):
		return 0
	}
	return 1
}

type names struct{ fr, en string }

func pageName(o pageOpts) names {
	switch o.role {
	case "accueil":
		return names{"Page d'accueil", "Home page"}
	case "connexion":
		return names{"Page de connexion", "Login page"}
	}
	return names{"Page", "Page"}
}

func linkExcerpt(l *link) string {
	var b strings.Builder
	b.WriteString("<" + l.node.Data)
	if href, ok := attr(l.node, "href"); ok {
		fmt.Fprintf(&b, ` href="%s"`, strings.TrimSpace(href))
	}
	if l.trigger {
		for _, k := range targetAttrs {
			if v := strings.TrimSpace(attrOr(l.node, k)); v != "" {
				fmt.Fprintf(&b, ` %s="%s"`, k, v)
				break
			}
		}
	}
	fmt.Fprintf(&b, ">%s</%s>", shownText(l), l.node.Data)
	return b.String()
}

// describe names the link in a message: its address, or for a trigger
// its markup.
func (l *link) describe() string {
	if l.href != "" && !l.trigger {
		return l.href
	}
	return linkExcerpt(l)
}

// linkEv is the evidence of a link, at its line in the file when the
// address, a target or the text finds it.
func (p *page) linkEv(l *link) result.Evidence {
	var needles []string
	if l.href != "" {
		needles = append(needles, `href="`+l.href, `href='`+l.href)
	}
	for _, t := range l.targets {
		needles = append(needles, `"#`+t+`"`, `"`+t+`"`, `'#`+t+`'`)
	}
	needles = append(needles, ">"+shownText(l))
	for _, n := range needles {
		if lineOf(p.raw, n) > 0 {
			return p.ev(n, linkExcerpt(l))
		}
	}
	return p.ev("", linkExcerpt(l))
}

// shownText is the link's text as written (spacing collapsed), else its
// accessible name (aria-label, title, an image's alt) for an icon link.
func shownText(l *link) string {
	t := strings.Join(strings.Fields(textOf(l.node)), " ")
	for _, k := range []string{"aria-label", "title"} {
		if t == "" {
			t = strings.TrimSpace(attrOr(l.node, k))
		}
	}
	if t == "" {
		t = strings.TrimSpace(visibleText(l.node, hiding{shown: true}))
	}
	return bound(strings.Join(strings.Fields(t), " "), 120)
}

// followLink implements PAGE-002: the notice link resolves (a readable
// document, HTTP 200, no login wall).
func followLink(env *checks.Env, p *page, l *link, o pageOpts) (result.Finding, *target) {
	id := rules.PAGE002
	where := pageName(o)
	if l == nil {
		return checks.Skip(id, where.fr+" : aucun lien vers les mentions à suivre (voir "+rules.PAGE001.ID+").", where.en+": no notice link to follow (see "+rules.PAGE001.ID+")."), nil
	}
	evLink := p.linkEv(l)
	if f, t, ok := inPageLink(p, l, where, evLink); ok {
		return f, t
	}
	var src, ident string
	var body []byte
	if p.fetched != nil {
		base, _ := url.Parse(p.fetched.FinalURL)
		if b, err := url.Parse(baseHref(p.doc)); err == nil {
			base = base.ResolveReference(b) // <base href>, as the browser does
		}
		ref, err := url.Parse(l.href)
		if err != nil {
			return checks.Fail(id, where.fr+" : lien vers les mentions malformé : "+l.href+".", where.en+": malformed notice link: "+l.href+".", evLink), nil
		}
		u := base.ResolveReference(ref)
		u.Fragment = ""
		src = u.String()
		doc, err := env.Loader.Fetch(env.Context(), src, "notice")
		if err != nil {
			return checks.Fail(id, where.fr+" : le lien vers les mentions ne répond pas : "+input.French(err)+".", where.en+": the notice link does not answer: "+err.Error()+".", evLink), nil
		}
		if doc.Status != http.StatusOK {
			return checks.Fail(id,
				fmt.Sprintf("%s : le lien vers les mentions répond HTTP %d (attendu 200) : %s.", where.fr, doc.Status, src),
				fmt.Sprintf("%s: the notice link answers HTTP %d (want 200): %s.", where.en, doc.Status, src), evLink), nil
		}
		if err := auditedType(doc, true); err != nil {
			return checks.Errorf(id, &input.Error{Source: src, Err: err}), nil
		}
		if wall := loginWall(src, doc.FinalURL, doc.Body); wall != "" {
			return checks.Fail(id,
				fmt.Sprintf("%s : les mentions sont derrière une authentification (%s) : %s.", where.fr, wall, src),
				fmt.Sprintf("%s: the notice is behind a login wall (%s): %s.", where.en, wall, src), evLink), nil
		}
		ident, body = doc.FinalURL, doc.Body
		if u, err := url.Parse(ident); err == nil {
			u.Fragment = ""
			ident = u.String()
		}
	} else {
		ref, err := url.Parse(l.href)
		switch {
		case err != nil:
			return checks.Fail(id, where.fr+" : lien vers les mentions malformé : "+l.href+".", where.en+": malformed notice link: "+l.href+".", evLink), nil
		case ref.Scheme == "http" || ref.Scheme == "https" || (ref.Scheme == "" && ref.Host != ""):
			if ref.Scheme == "" { // protocol-relative: the https page's scheme
				ref.Scheme = "https"
			}
			t := &target{src: ref.String(), id: ref.String()}
			return checks.NotEvaluated(id,
				where.fr+" : non évalué, le lien mène à une URL ("+ref.String()+") qui n'est pas suivie depuis une page enregistrée : les mentions n'ont pas été lues ; auditer la page en ligne.",
				where.en+": not evaluated, the link leads to a URL ("+ref.String()+") that is not followed from a saved page: the notice was not read; audit the live page.", evLink), t
		case ref.Scheme != "" || ref.Host != "":
			return checks.Fail(id,
				where.fr+" : le lien ne mène pas à un document consultable : "+l.href+".",
				where.en+": the link does not lead to a readable document: "+l.href+".", evLink), nil
		case ref.Path == "":
			return checks.Fail(id,
				where.fr+" : le lien ne mène qu'à un fragment de la page elle-même : "+l.href+".",
				where.en+": the link only leads to a fragment of the page itself: "+l.href+".", evLink), nil
		case strings.HasPrefix(ref.Path, "/"):
			// the site's root is unknown for a saved page: the notice is
			// never read, which is no "sans objet"
			t := &target{src: ref.Path, id: ref.Path}
			return checks.NotEvaluated(id,
				where.fr+" : non évalué, le lien est relatif à la racine du site ("+ref.Path+") : il ne se résout pas depuis une page enregistrée, les mentions n'ont pas été lues ; auditer la page en ligne.",
				where.en+": not evaluated, the link is relative to the site root ("+ref.Path+"): it does not resolve from a saved page, the notice was not read; audit the live page.", evLink), t
		}
		rel := path.Clean(ref.Path)
		joined := path.Clean(path.Join(path.Dir(filepath.ToSlash(p.src)), rel))
		escapes := strings.HasPrefix(rel, "../") || rel == ".."
		if o.inDossier {
			escapes = joined == ".." || strings.HasPrefix(joined, "../") || path.IsAbs(joined)
		}
		if escapes {
			// the page is readable; the link is not followed out of its
			// directory (or the dossier): the notice was not read
			err := outsideLink(l.href, o.inDossier)
			return checks.NotEvaluated(id,
				where.fr+" : non évalué, "+input.French(err)+" ; fournir les mentions avec la page.",
				where.en+": not evaluated, "+err.Error()+"; supply the notice with the page.", evLink), &target{src: l.href, id: l.href}
		}
		data, err := env.Loader.Read(env.Context(), joined, "notice")
		if err != nil {
			return checks.Fail(id,
				where.fr+" : le lien vers les mentions est cassé : "+input.French(err)+".",
				where.en+": the notice link is broken: "+err.Error()+".", evLink), nil
		}
		if wall := loginWall(joined, joined, data); wall != "" {
			return checks.Fail(id,
				fmt.Sprintf("%s : les mentions sont derrière une authentification (%s) : %s.", where.fr, wall, joined),
				fmt.Sprintf("%s: the notice is behind a login wall (%s): %s.", where.en, wall, joined), evLink), nil
		}
		src, ident, body = joined, joined, data
	}
	text, err := renderedNotice(env, src, ident, body)
	t := &target{src: src, id: ident}
	if errors.Is(err, errNoTextLayer) {
		// the link resolves to a document that opens: PAGE-002 holds; the
		// notice rules say its text could not be read
		t.imageOnly = true
		return checks.Pass(id,
			fmt.Sprintf("%s : le lien vers les mentions mène à un document lisible sans connexion (%s), un PDF sans couche de texte (voir "+rules.NOTICE001.ID+").", where.fr, src),
			fmt.Sprintf("%s: the notice link leads to a document readable without login (%s), a PDF without a text layer (see "+rules.NOTICE001.ID+").", where.en, src), evLink), t
	}
	if err != nil {
		return checks.Fail(id,
			where.fr+" : le lien mène à un document illisible : "+input.French(err)+".",
			where.en+": the link leads to an unreadable document: "+err.Error()+".", evLink), t
	}
	t.text = text
	return checks.Pass(id,
		fmt.Sprintf("%s : le lien vers les mentions mène à un document lisible sans connexion (%s).", where.fr, src),
		fmt.Sprintf("%s: the notice link leads to a document readable without login (%s).", where.en, src), evLink), t
}

// loginWall says why a fetched document looks like a login page ("" if
// it does not): a password field on a page that does not show a notice,
// or a redirect to a login-like path.
func loginWall(asked, final string, body []byte) string {
	if !isPDF(body) {
		if doc, err := parseHTML(body, ""); err == nil && hasPassword(doc) && !showsNotice(doc) {
			return "champ de mot de passe"
		}
	}
	if asked != final {
		if u, err := url.Parse(final); err == nil {
			for _, w := range wordRe.FindAllString(strings.ToLower(u.Path+"?"+u.RawQuery), -1) {
				if loginWords[w] {
					return "redirection vers " + u.Path
				}
			}
		}
	}
	return ""
}

// wordRe cuts a URL path into words.
var wordRe = regexp.MustCompile(`[a-z0-9]+`)

// loginWords are path words of login screens (CAS /cas/login, Keycloak
// /auth/realms, /oauth2/authorize, /connexion…), compared whole: "sso" in
// "ressources" or "auth" in "auteurs" is no login wall.
var loginWords = map[string]bool{
	"login": true, "logon": true, "signin": true, "connexion": true, "connecter": true, "cas": true,
	"auth": true, "authentification": true, "authenticate": true, "authorize": true, "oauth": true,
	"oauth2": true, "sso": true, "saml": true, "saml2": true, "wayf": true, "openid": true,
}

// inPageLink handles the links that do not lead to another document:
// an address a client-side template has not filled in yet (to review, or
// --render), a javascript: URL (to review: the script may open the notice),
// a fragment of the page itself and a trigger (<button>, <a> without
// address or with href="") followed to the element they open (the element
// the fragment, data-bs-target, data-target, aria-controls, popovertarget
// or commandfor names: a modal most often), which passes when it shows the
// notice. ok is false for the other links.
func inPageLink(p *page, l *link, where names, evLink result.Evidence) (f result.Finding, t *target, ok bool) {
	id := rules.PAGE002
	href := l.href
	if p.rendered == nil && templateMarkRe.MatchString(href) {
		return checks.Review(id,
			fmt.Sprintf("%s : l'adresse du lien vers les mentions est un gabarit que JavaScript remplit (%s). Relancer avec --render pour auditer la page rendue par un navigateur.", where.fr, href),
			fmt.Sprintf("%s: the notice link's address is a template JavaScript fills in (%s). Run again with --render to audit the page as a browser renders it.", where.en, href),
			evLink), nil, true
	}
	if strings.HasPrefix(strings.ToLower(href), "javascript:") {
		return checks.Review(id,
			fmt.Sprintf("%s : le lien vers les mentions est un script (%s) : vérifier à la main qu'il affiche les mentions validées sans connexion.", where.fr, bound(href, 80)),
			fmt.Sprintf("%s: the notice link is a script (%s): check by hand that it shows the validated notice without login.", where.en, bound(href, 80)),
			evLink), nil, true
	}
	if !strings.HasPrefix(href, "#") && !l.trigger {
		return result.Finding{}, nil, false
	}
	if el, name := inPageElement(p, l); el != nil {
		// the text as shown once the link is clicked (a modal is hidden
		// until then)
		text := visibleText(el, hiding{shown: true})
		if !showsNoticeText(text) {
			return checks.Fail(id,
				fmt.Sprintf("%s : le lien mène à un passage de la page (#%s) qui ne présente pas les mentions d'information.", where.fr, name),
				fmt.Sprintf("%s: the link leads to a part of the page (#%s) that does not present the information notice.", where.en, name),
				evLink), nil, true
		}
		src := p.src + "#" + name
		t := &target{src: src, id: src, text: text}
		return checks.Pass(id,
			fmt.Sprintf("%s : le lien affiche les mentions dans la page elle-même (#%s), sans connexion.", where.fr, name),
			fmt.Sprintf("%s: the link shows the notice in the page itself (#%s), without login.", where.en, name),
			evLink), t, true
	}
	if hasScripts(p.doc) {
		return checks.Review(id,
			fmt.Sprintf("%s : le lien vers les mentions (%s) ne mène à aucun passage de la page ; un script l'ouvre sans doute (fenêtre modale) : vérifier à la main qu'il affiche les mentions validées sans connexion.", where.fr, l.describe()),
			fmt.Sprintf("%s: the notice link (%s) leads to no part of the page; a script probably opens it (modal): check by hand that it shows the validated notice without login.", where.en, l.describe()),
			evLink), nil, true
	}
	if l.trigger {
		return checks.Fail(id,
			where.fr+" : le lien vers les mentions ne mène nulle part (ni adresse, ni passage de la page, ni script) : "+l.describe()+".",
			where.en+": the notice link leads nowhere (no address, no part of the page, no script): "+l.describe()+".", evLink), nil, true
	}
	return checks.Fail(id,
		where.fr+" : le lien ne mène qu'à un fragment de la page elle-même : "+href+".",
		where.en+": the link only leads to a fragment of the page itself: "+href+".", evLink), nil, true
}

// inPageElement returns the element of the page that link l opens (its
// #fragment, or the target a trigger names) and that element's id; nil
// if it names none that exists.
func inPageElement(p *page, l *link) (*html.Node, string) {
	for _, name := range l.targets {
		if el := elementByID(p.doc, name); el != nil {
			return el, name
		}
	}
	return nil, ""
}

// toggleTargets returns the ids a control shows or hides: its target
// attributes, and its #fragment only for a Bootstrap toggle (a plain
// <a href="#contenu"> scrolls, it does not show anything).
func toggleTargets(n *html.Node) []string {
	if _, ok := attr(n, "data-bs-toggle"); ok {
		return linkTargets(n)
	}
	if _, ok := attr(n, "data-toggle"); ok {
		return linkTargets(n)
	}
	var out []string
	for _, k := range targetAttrs {
		if v := strings.TrimPrefix(strings.TrimSpace(attrOr(n, k)), "#"); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// idIndex maps the ids of the page's elements to the first element of
// each.
func idIndex(doc *html.Node) map[string]*html.Node {
	m := map[string]*html.Node{}
	walk(doc, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			if id := attrOr(n, "id"); id != "" && m[id] == nil {
				m[id] = n
			}
		}
		return true
	})
	return m
}

// elementByID returns the element whose id (or, for an anchor, name) is
// name.
func elementByID(doc *html.Node, name string) *html.Node {
	var found *html.Node
	walk(doc, func(n *html.Node) bool {
		if found != nil {
			return false
		}
		if n.Type == html.ElementNode && (attrOr(n, "id") == name || (n.DataAtom == atom.A && attrOr(n, "name") == name)) {
			found = n
		}
		return true
	})
	return found
}

// showsNotice reports whether a page's main content holds at least three
// items of an information notice: a public page of a portal (CMS) may show
// its login box beside the notice, which is then readable without login.
func showsNotice(doc *html.Node) bool {
	return showsNoticeText(visibleText(mainContent(doc), styleHiding(doc)))
}

// showsNoticeText reports whether text holds at least three items of an
// information notice.
func showsNoticeText(text string) bool {
	folded := fold(text)
	n := 0
	for _, it := range noticeItems {
		if present(it, folded) {
			n++
		}
	}
	return n >= 3
}

// outsideLink is the error of a notice link that leaves the dossier (or
// the page's directory).
func outsideLink(href string, inDossier bool) error {
	if inDossier {
		return input.Problemf("notice link %q points outside the dossier directory: refused", "le lien vers les mentions %q sort du dossier : refusé", href)
	}
	return input.Problemf("notice link %q points outside the page's directory: refused", "le lien vers les mentions %q sort du répertoire de la page : refusé", href)
}
