// Package security holds the checks of the security area: what a browser
// receives from the live home and login pages of an ENT. The TLS versions
// the server offers (one handshake per version, SEC-001), its certificate
// and chain (SEC-002), the security headers (HSTS SEC-003, framing
// SEC-005, nosniff SEC-007, referrer policy SEC-008, content security
// policy SEC-009), the cookies set before login (SEC-004) and where the
// login form sends the password (SEC-006).
//
// Every connection goes through the run's client (env.Loader): its
// guard against private addresses (internal/netguard) and its trusted
// authorities (--ca-file). A saved copy of a page shows none of this but
// the form: the other rules get a not-evaluated finding marked live-only.
package security

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// role is what a page is in the run.
type role int

const (
	roleCheck role = iota // `check security SRC`: judged as a login page
	roleHome
	roleLogin
)

// names are a page's name in French and English, for the messages.
type names struct{ fr, en string }

func (r role) names() names {
	switch r {
	case roleHome:
		return names{"Page d'accueil", "Home page"}
	case roleLogin:
		return names{"Page de connexion", "Login page"}
	}
	return names{"Page", "Page"}
}

// target is one page of the run.
type target struct {
	src  string
	role role
}

// page is a live page as received.
type page struct {
	target
	doc *input.Doc
	// degraded says why the page was read without verifying its
	// certificate or with an old TLS version ("" when it was not): its
	// headers still say what a browser that went through would get.
	degraded names
}

// Check audits one page (`sdetcheck check security SRC`): a URL live, a
// file as a saved copy.
func Check(env *checks.Env, src string) []result.Finding {
	return run(env, []target{{src, roleCheck}})
}

// Audit audits the pages of a dossier; either may be "" (not given).
func Audit(env *checks.Env, home, login string) []result.Finding {
	var ts []target
	if home != "" && home != login {
		ts = append(ts, target{home, roleHome})
	}
	if login != "" {
		ts = append(ts, target{login, roleLogin})
	}
	if len(ts) == 0 {
		var out []result.Finding
		for _, r := range rules.InArea(rules.AreaSecurity) {
			out = append(out, result.Finding{Rule: r.ID, Status: result.NotEvaluated,
				Message:   "Non évaluée : pièce non fournie (page d'accueil de l'ENT, page de connexion).",
				MessageEN: "Not evaluated: evidence not provided (home page (evidence.home_page), login page (evidence.login_page))."})
		}
		return out
	}
	return run(env, ts)
}

// pageRules are the rules judged on each page (SEC-001 and SEC-002 are
// judged on each server).
var pageRules = []*rules.Rule{rules.SEC003, rules.SEC004, rules.SEC005, rules.SEC006, rules.SEC007, rules.SEC008, rules.SEC009}

func run(env *checks.Env, ts []target) []result.Finding {
	var fs []result.Finding
	var live []*page
	var saved []target
	for _, t := range ts {
		if !input.IsURL(t.src) {
			saved = append(saved, t)
			continue
		}
		p, err := fetch(env, t)
		if err != nil {
			// Nothing was received: the servers are still probed (a
			// refused handshake is SEC-001's business), the page's rules
			// are not evaluated.
			for _, r := range pageRules {
				fs = append(fs, checks.Errorf(r, err))
			}
			if hf := hostFindings(env, t, serversOf(t.src, nil)); hf != nil {
				fs = append(fs, hf...)
			} else {
				fs = append(fs, checks.Errorf(rules.SEC001, err), checks.Errorf(rules.SEC002, err))
			}
			continue
		}
		live = append(live, p)
	}
	if len(saved) > 0 {
		fs = append(fs, savedCopies(env, saved)...)
	}
	own := ownDomains(live)
	idp := idpHosts(env)
	probed := map[string]bool{}
	for _, p := range live {
		all := serversOf(p.src, p.doc)
		if len(all) == 0 {
			fs = append(fs, plainHTTP(p)...)
		}
		var servers []string
		for _, s := range all {
			if !probed[s] {
				probed[s] = true
				servers = append(servers, s)
			}
		}
		if len(servers) > 0 {
			fs = append(fs, hostFindings(env, p.target, servers)...)
		}
		fs = append(fs, pageFindings(env, p, own, idp)...)
	}
	return fs
}

// fetch reads a live page through the run's client. A page whose
// certificate is refused, or whose server speaks only an old TLS version,
// is read again without those checks so that its headers are judged too
// (SEC-001 and SEC-002 say what was wrong).
func fetch(env *checks.Env, t target) (*page, error) {
	doc, err := env.Loader.Fetch(env.Context(), t.src, "page")
	if err == nil {
		return &page{target: t, doc: doc}, nil
	}
	why, ok := tlsRefusal(err)
	if !ok {
		return nil, err
	}
	l, ok := degradedLoader(env)
	if !ok {
		return nil, err
	}
	doc, err2 := l.Fetch(env.Context(), t.src, "page")
	if err2 != nil {
		return nil, err
	}
	for _, in := range l.Inputs() {
		env.Loader.Record(in)
	}
	return &page{target: t, doc: doc, degraded: why}, nil
}

// serversOf lists the https servers (host:port) a page was received
// from: its address, each redirect and its final address.
func serversOf(src string, d *input.Doc) []string {
	var urls []string
	urls = append(urls, src)
	if d != nil {
		for _, h := range d.Redirects {
			urls = append(urls, h.URL)
		}
		urls = append(urls, d.FinalURL)
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range urls {
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "https" || u.Hostname() == "" {
			continue
		}
		hp := hostPort(u)
		if !seen[hp] {
			seen[hp] = true
			out = append(out, hp)
		}
	}
	return out
}

// hostPort is u's host with its port (443 by default).
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
	}
	h := u.Hostname()
	if strings.Contains(h, ":") {
		return "[" + h + "]:" + port
	}
	return h + ":" + port
}

// savedCopies judges what saved copies show (the login form, SEC-006)
// and marks every other rule as only a live audit can settle it: one
// not-evaluated finding per rule, naming the copies.
func savedCopies(env *checks.Env, ts []target) []result.Finding {
	var out []result.Finding
	var ev []result.Evidence
	for _, t := range ts {
		ev = append(ev, result.Evidence{Source: t.src})
		data, err := env.Loader.Read(env.Context(), t.src, "page")
		if err != nil {
			out = append(out, checks.Errorf(rules.SEC006, err))
			continue
		}
		out = append(out, formFindings(t, nil, readMeta(data, ""), nil, nil)...)
	}
	for _, r := range rules.InArea(rules.AreaSecurity) {
		if r == rules.SEC006 {
			continue
		}
		out = append(out, result.Finding{
			Rule: r.ID, Item: "en-ligne", Status: result.NotEvaluated, LiveOnly: true,
			Message: r.LiveOnly.FR, MessageEN: r.LiveOnly.EN, Evidence: ev,
		})
	}
	return out
}

// pageFindings judges what one live page received: headers, cookies, form.
func pageFindings(env *checks.Env, p *page, own map[string]bool, idp map[string]bool) []result.Finding {
	if p.doc.Status != http.StatusOK {
		err := &input.Error{Source: p.src, Err: input.HTTPStatus(p.doc.Status)}
		var out []result.Finding
		for _, r := range pageRules {
			out = append(out, checks.Errorf(r, err))
		}
		return out
	}
	var out []result.Finding
	out = append(out, hstsFinding(p))
	out = append(out, cookieFindings(p)...)
	m := readMeta(p.doc.Body, p.doc.Header.Get("Content-Type"))
	out = append(out, framingFinding(p, m))
	out = append(out, formFindings(p.target, p, m, own, idp)...)
	out = append(out, nosniffFinding(p), referrerFinding(p, m), cspFinding(p, m))
	return out
}

// ev is evidence on the page, with an excerpt of what was observed.
func (p *page) ev(excerpt string) result.Evidence {
	return result.Evidence{Source: p.src, Excerpt: bound(excerpt, 300)}
}

// lead starts a message about a page: its name, and the address it ended
// at when it was redirected.
func (p *page) lead() names {
	n := p.role.names()
	if p.doc != nil && p.doc.FinalURL != "" && p.doc.FinalURL != p.src {
		n.fr += " (reçue de " + p.doc.FinalURL + ")"
		n.en += " (received from " + p.doc.FinalURL + ")"
	}
	if p.degraded.fr != "" {
		n.fr += " [" + p.degraded.fr + "]"
		n.en += " [" + p.degraded.en + "]"
	}
	return n
}

// bound cuts s to at most max bytes on a rune boundary, marking the cut.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len(" […]")
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + " […]"
}

// frenchList joins items as French writes a list ("a, b et c").
func frenchList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " et " + items[len(items)-1]
}

// englishList joins items as English writes a list ("a, b and c").
func englishList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// errNoTransport: the run's client does not dial by itself (a test
// double, the service's refusal of uploaded dossiers' URLs): nothing is
// probed outside it.
var errNoTransport = errors.New("the run's HTTP client has no transport of its own to probe TLS with")

// plural is "s" for n > 1 (a French or English noun's plural).
func plural(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
