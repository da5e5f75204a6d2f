package security

// This file: what the HTML of a page says (the login form, SEC-006; the
// <meta> tags of SEC-008 and SEC-009), and which sites are the ENT's.

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/net/publicsuffix"
	"golang.org/x/text/transform"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// parseHTML decodes (charset from the header, a BOM or a <meta>) and
// parses a page; x/net/html repairs what is malformed as browsers do.
func parseHTML(data []byte, contentType string) *html.Node {
	enc, _, _ := charset.DetermineEncoding(data, contentType)
	doc, err := html.Parse(transform.NewReader(bytes.NewReader(data), enc.NewDecoder()))
	if err != nil {
		return nil
	}
	return doc
}

// walk visits n and its descendants in document order without recursion
// (a hostile page may nest millions of elements).
func walk(n *html.Node, f func(*html.Node) bool) {
	if n == nil {
		return
	}
	stack := []*html.Node{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !f(c) {
			continue
		}
		var kids []*html.Node
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			kids = append(kids, k)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, key string) string {
	v, _ := attr(n, key)
	return v
}

// meta is what the HTML of a page says for the header rules.
type meta struct {
	doc      *html.Node
	csp      []string // <meta http-equiv="Content-Security-Policy"> contents
	referrer string   // the last <meta name="referrer"> content
	password bool     // a password field
	scripts  bool     // a <script>
	base     string   // <base href>
	own      string   // the page's declared address: <base>, canonical, og:url
}

// readMeta parses a page once for what its rules read.
func readMeta(data []byte, contentType string) meta {
	m := meta{doc: parseHTML(data, contentType)}
	var canon, og string
	walk(m.doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Meta:
			if strings.EqualFold(strings.TrimSpace(attrOr(n, "http-equiv")), "content-security-policy") {
				m.csp = append(m.csp, attrOr(n, "content"))
			}
			if strings.EqualFold(strings.TrimSpace(attrOr(n, "name")), "referrer") {
				m.referrer = attrOr(n, "content")
			}
			if og == "" && attrOr(n, "property") == "og:url" {
				og = attrOr(n, "content")
			}
		case atom.Input:
			if strings.EqualFold(strings.TrimSpace(attrOr(n, "type")), "password") {
				m.password = true
			}
		case atom.Script:
			m.scripts = true
		case atom.Base:
			if v, ok := attr(n, "href"); ok && m.base == "" {
				m.base = strings.TrimSpace(v)
			}
		case atom.Link:
			if canon == "" && strings.EqualFold(strings.TrimSpace(attrOr(n, "rel")), "canonical") {
				canon = attrOr(n, "href")
			}
		}
		return true
	})
	for _, s := range []string{m.base, canon, og} {
		if u, err := url.Parse(strings.TrimSpace(s)); err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http") {
			m.own = u.String()
			break
		}
	}
	return m
}

// hostname is the lowercased host of an address ("" if none).
func hostname(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// registrable is a host's registrable domain (eTLD+1), the host itself for
// an IP address or a single label.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" || net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// ownDomains are the registrable domains of the live pages: what they
// were asked at, each redirect and where they ended.
func ownDomains(ps []*page) map[string]bool {
	own := map[string]bool{}
	for _, p := range ps {
		own[registrable(hostname(p.src))] = true
		for _, h := range p.doc.Redirects {
			own[registrable(hostname(h.URL))] = true
		}
		own[registrable(hostname(p.doc.FinalURL))] = true
	}
	delete(own, "")
	return own
}

// maxMetadata bounds the IdP metadata read for its hosts.
const maxMetadata = 2000

// idpHosts are the hosts of the IdP the dossier's SAML metadata (or
// --metadata) declares: its entityID and its endpoints. A metadata that
// cannot be read declares none (the saml area says why).
func idpHosts(env *checks.Env) map[string]bool {
	src := env.Opts.SSOMetadata
	if src == "" {
		return nil
	}
	data, err := env.Loader.Read(env.Context(), src, "saml-metadata")
	if err != nil {
		return nil
	}
	out := map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	for i := 0; i < 200_000; i++ {
		tok, err := d.RawToken()
		if err == io.EOF || err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range se.Attr {
			if (a.Name.Local == "Location" || a.Name.Local == "ResponseLocation" || (a.Name.Local == "entityID" && se.Name.Local == "EntityDescriptor")) && len(out) < maxMetadata {
				if h := hostname(strings.TrimSpace(a.Value)); h != "" {
					out[h] = true
				}
			}
		}
	}
	return out
}

// formTarget is where a login form sends the password.
type formTarget struct {
	action     string // as written ("" for the page itself)
	method     string // lowercased, "" when not written
	onsubmit   bool   // the form is sent by a script
	buttonAttr bool   // from a button's formaction or formmethod
}

// loginForms finds the forms holding a password field and where each
// sends it (its action and method, and those a submit button overrides).
// none: no password field; orphan: password fields outside any form.
func loginForms(doc *html.Node) (targets []formTarget, none, orphan bool) {
	ids := map[string]*html.Node{}
	var pw []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if n.DataAtom == atom.Form {
			if id := attrOr(n, "id"); id != "" && ids[id] == nil {
				ids[id] = n
			}
		}
		if n.DataAtom == atom.Input && strings.EqualFold(strings.TrimSpace(attrOr(n, "type")), "password") {
			pw = append(pw, n)
		}
		return true
	})
	if len(pw) == 0 {
		return nil, true, false
	}
	seen := map[*html.Node]bool{}
	for _, in := range pw {
		var form *html.Node
		if id := attrOr(in, "form"); id != "" {
			form = ids[id]
		}
		for a := in.Parent; form == nil && a != nil; a = a.Parent {
			if a.Type == html.ElementNode && a.DataAtom == atom.Form {
				form = a
			}
		}
		if form == nil {
			orphan = true
			continue
		}
		if seen[form] {
			continue
		}
		seen[form] = true
		method := strings.ToLower(strings.TrimSpace(attrOr(form, "method")))
		_, onsubmit := attr(form, "onsubmit")
		targets = append(targets, formTarget{action: strings.TrimSpace(attrOr(form, "action")), method: method, onsubmit: onsubmit})
		walk(form, func(b *html.Node) bool {
			if b.Type != html.ElementNode {
				return true
			}
			submit := (b.DataAtom == atom.Button && (attrOr(b, "type") == "" || strings.EqualFold(attrOr(b, "type"), "submit"))) ||
				(b.DataAtom == atom.Input && (strings.EqualFold(attrOr(b, "type"), "submit") || strings.EqualFold(attrOr(b, "type"), "image")))
			fa, hasA := attr(b, "formaction")
			fm, hasM := attr(b, "formmethod")
			if submit && (hasA || hasM) && len(targets) < 10 {
				t := formTarget{action: strings.TrimSpace(attrOr(form, "action")), method: method, onsubmit: onsubmit, buttonAttr: true}
				if hasA {
					t.action = strings.TrimSpace(fa)
				}
				if hasM {
					t.method = strings.ToLower(strings.TrimSpace(fm))
				}
				targets = append(targets, t)
			}
			return true
		})
	}
	return targets, false, orphan
}

// formFindings implements SEC-006 on a page: live (p set, the page's
// final address resolves the form's) or a saved copy (data only: what the
// HTML shows is judged; the engine marks the rest live-only).
func formFindings(t target, p *page, m meta, own, idp map[string]bool) []result.Finding {
	id := rules.SEC006
	n := t.role.names()
	var base *url.URL
	if p != nil {
		n = p.lead()
		base, _ = url.Parse(p.doc.FinalURL)
	} else if m.own != "" {
		base, _ = url.Parse(m.own)
	}
	if base != nil && m.base != "" {
		if b, err := url.Parse(m.base); err == nil {
			base = base.ResolveReference(b)
		}
	}
	ownSet := map[string]bool{}
	for d := range own {
		ownSet[d] = true
	}
	if base != nil {
		ownSet[registrable(base.Hostname())] = true
	}
	targets, none, orphan := loginForms(m.doc)
	ev := result.Evidence{Source: t.src}
	switch {
	case none && t.role == roleHome:
		return []result.Finding{checks.Skip(id,
			n.fr+" : pas de champ de mot de passe : aucun formulaire de connexion à juger.",
			n.en+": no password field: no login form to judge.")}
	case none:
		return []result.Finding{checks.Review(id,
			n.fr+" : aucun champ de mot de passe dans le HTML reçu (formulaire construit par JavaScript, ou page qui n'est pas l'écran de connexion ?) : vérifier dans un navigateur où le formulaire envoie le mot de passe.",
			n.en+": no password field in the HTML received (a form built by JavaScript, or a page that is not the login screen?): check in a browser where the form sends the password.", ev)}
	case len(targets) == 0 && orphan:
		return []result.Finding{checks.Review(id,
			n.fr+" : champ de mot de passe hors de tout formulaire : un script l'envoie ; vérifier dans un navigateur où il part.",
			n.en+": password field outside any form: a script sends it; check in a browser where it goes.", ev)}
	}
	var out []result.Finding
	for _, ft := range targets {
		out = append(out, judgeForm(n, t, ft, base, ownSet, idp, m.scripts))
	}
	return out
}

// judgeForm judges where one login form sends the password.
func judgeForm(n names, t target, ft formTarget, base *url.URL, own, idp map[string]bool, scripts bool) result.Finding {
	id := rules.SEC006
	shown := ft.action
	if shown == "" {
		shown = "(la page elle-même)"
	}
	showEN := ft.action
	if showEN == "" {
		showEN = "(the page itself)"
	}
	method := ft.method
	if method == "" {
		method = "get"
	}
	excerpt := fmt.Sprintf(`<form action="%s" method="%s">`, ft.action, ft.method)
	if ft.buttonAttr {
		excerpt = fmt.Sprintf(`formaction="%s" formmethod="%s"`, ft.action, ft.method)
	}
	ev := result.Evidence{Source: t.src, Excerpt: bound(excerpt, 300)}
	if strings.HasPrefix(strings.ToLower(ft.action), "javascript:") {
		return checks.Review(id,
			fmt.Sprintf("%s : le formulaire de connexion est envoyé par un script (%s) : vérifier dans un navigateur où part le mot de passe.", n.fr, bound(ft.action, 80)),
			fmt.Sprintf("%s: the login form is sent by a script (%s): check in a browser where the password goes.", n.en, bound(ft.action, 80)), ev)
	}
	ref, err := url.Parse(ft.action)
	if err != nil {
		return checks.Fail(id,
			fmt.Sprintf("%s : adresse du formulaire de connexion illisible : %s.", n.fr, bound(ft.action, 120)),
			fmt.Sprintf("%s: unreadable login form address: %s.", n.en, bound(ft.action, 120)), ev)
	}
	u := ref
	if base != nil {
		u = base.ResolveReference(ref)
	} else if ref.Scheme == "" && ref.Host != "" {
		u.Scheme = "" // protocol-relative on a saved copy: the page's scheme, unknown
	}
	where := u.String()
	if where == "" {
		where = shown
	}
	switch {
	case u.Scheme == "http":
		return checks.Fail(id,
			fmt.Sprintf("%s : le formulaire de connexion envoie le mot de passe en http non chiffré (%s).", n.fr, where),
			fmt.Sprintf("%s: the login form sends the password over plain http (%s).", n.en, where), ev)
	case u.Scheme != "" && u.Scheme != "https":
		return checks.Fail(id,
			fmt.Sprintf("%s : le formulaire de connexion n'envoie pas le mot de passe à une adresse https (%s).", n.fr, bound(where, 120)),
			fmt.Sprintf("%s: the login form does not send the password to an https address (%s).", n.en, bound(where, 120)), ev)
	case method == "get" && ft.method == "" && (ft.onsubmit || scripts):
		return checks.Review(id,
			fmt.Sprintf("%s : le formulaire de connexion n'a pas de méthode : par défaut GET, le mot de passe partirait dans l'adresse (%s), sauf si un script de la page l'envoie autrement ; à vérifier dans un navigateur.", n.fr, where),
			fmt.Sprintf("%s: the login form has no method: GET by default, the password would go in the address (%s), unless a script of the page sends it otherwise; to check in a browser.", n.en, where), ev)
	case method == "get":
		return checks.Fail(id,
			fmt.Sprintf("%s : le formulaire de connexion est envoyé par la méthode GET : le mot de passe part dans l'adresse (%s), donc dans les historiques et les journaux des serveurs.", n.fr, where),
			fmt.Sprintf("%s: the login form is sent by the GET method: the password goes in the address (%s), hence into histories and server logs.", n.en, where), ev)
	}
	host := strings.ToLower(u.Hostname())
	if host != "" && !own[registrable(host)] && !idpMatch(host, idp) {
		if len(own) == 0 {
			return checks.Pass(id,
				fmt.Sprintf("%s : le formulaire de connexion envoie le mot de passe en POST à %s (copie enregistrée : l'adresse propre de la page est inconnue, le domaine est à confirmer en ligne).", n.fr, where),
				fmt.Sprintf("%s: the login form sends the password by POST to %s (saved copy: the page's own address is unknown, the domain is to be confirmed live).", n.en, where), ev)
		}
		idpFR, idpEN := " (pas de métadonnées SAML : s'il s'agit de l'IdP de l'ENT, donner ses métadonnées dans le dossier ou avec --metadata)", " (no SAML metadata: if it is the ENT's IdP, give its metadata in the dossier or with --metadata)"
		if idp != nil {
			idpFR, idpEN = " ni à l'IdP déclaré par les métadonnées SAML", " nor to the IdP the SAML metadata declares"
		}
		return checks.Fail(id,
			fmt.Sprintf("%s : le formulaire de connexion envoie le mot de passe à un autre site (%s), qui n'appartient pas au domaine de l'ENT (%s)%s.", n.fr, host, strings.Join(sortedKeys(own), ", "), idpFR),
			fmt.Sprintf("%s: the login form sends the password to another site (%s), outside the ENT's domain (%s)%s.", n.en, host, strings.Join(sortedKeys(own), ", "), idpEN), ev)
	}
	to := names{"au domaine de l'ENT", "to the ENT's domain"}
	if host != "" && !own[registrable(host)] {
		to = names{"à l'IdP déclaré par les métadonnées SAML", "to the IdP the SAML metadata declares"}
	}
	if host == "" {
		return checks.Pass(id,
			fmt.Sprintf("%s : le formulaire de connexion envoie le mot de passe en POST à une adresse relative (%s), sur le serveur de la page.", n.fr, shown),
			fmt.Sprintf("%s: the login form sends the password by POST to a relative address (%s), on the page's server.", n.en, showEN), ev)
	}
	return checks.Pass(id,
		fmt.Sprintf("%s : le formulaire de connexion envoie le mot de passe en POST sur https %s (%s).", n.fr, to.fr, where),
		fmt.Sprintf("%s: the login form sends the password by POST over https %s (%s).", n.en, to.en, where), ev)
}

// idpMatch tells a host of the IdP (or of its registrable domain).
func idpMatch(host string, idp map[string]bool) bool {
	if idp[host] {
		return true
	}
	for h := range idp {
		if registrable(h) == registrable(host) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
