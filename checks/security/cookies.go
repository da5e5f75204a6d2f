package security

// This file: the cookies set while loading a page (SEC-004).

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// cookie is one Set-Cookie header as a browser reads its attributes. Its
// value is never kept.
type cookie struct {
	name             string
	secure, httpOnly bool
	sameSite         string // the value as written ("Lax"), "" when absent
}

// validSameSite reports a SameSite value browsers apply (another value,
// or none, leaves the browser's default, which differs between browsers).
func (c cookie) validSameSite() bool {
	switch strings.ToLower(c.sameSite) {
	case "lax", "strict", "none":
		return true
	}
	return false
}

// parseSetCookie reads the name and attributes of a Set-Cookie value
// (RFC 6265 §5.2): attribute names are case-insensitive, unknown ones
// ignored. ok is false for a header without a name.
func parseSetCookie(v string) (cookie, bool) {
	parts := strings.Split(v, ";")
	name, _, found := strings.Cut(parts[0], "=")
	name = strings.TrimSpace(name)
	if !found || name == "" || len(name) > 256 {
		return cookie{}, false
	}
	c := cookie{name: name}
	for _, a := range parts[1:] {
		k, val, _ := strings.Cut(a, "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "secure":
			c.secure = true
		case "httponly":
			c.httpOnly = true
		case "samesite":
			c.sameSite = strings.TrimSpace(val)
		}
	}
	return c, true
}

var (
	// sessionNameRe names the session and authentication cookies of the
	// usual servers and frameworks (Java, PHP, ASP.NET, Node, CAS,
	// Keycloak, LemonLDAP::NG, Shibboleth, mod_auth_openidc), and any
	// name holding session, sess, sid, auth, token, login, jwt.
	sessionNameRe = regexp.MustCompile(`(?i)^(jsessionid|phpsessid|asp\.net_sessionid|aspsessionid\w*|cfid|cftoken|castgc|tgc|agimus|keycloak_\w+|kc_restart|auth_session_id\w*|_shibsession_\w*|mod_auth_\w+|lemonldap\w*|llng\w*)$|sess|auth|token|login|jwt|saml|oidc|(^|[^a-z])sid([^a-z]|$)`)
	// notSessionRe names cookies a script reads by design or that carry
	// no identity: anti-CSRF tokens, consent, language, audience
	// measurement, load-balancer affinity.
	notSessionRe = regexp.MustCompile(`(?i)xsrf|csrf|consent|tarteaucitron|axeptio|didomi|cookie_?notice|^lang$|locale|language|theme|^_pk_|^_ga|^_gid|matomo|bigipserver|^serverid$|^route$`)
)

// isSession tells a session or authentication cookie by its name.
func isSession(name string) bool {
	return sessionNameRe.MatchString(name) && !notSessionRe.MatchString(name)
}

// attrs says a cookie's attributes as written ("Secure, HttpOnly,
// SameSite=Lax"), or "aucun attribut de sécurité" / "no security
// attribute".
func (c cookie) attrs() names {
	var a []string
	if c.secure {
		a = append(a, "Secure")
	}
	if c.httpOnly {
		a = append(a, "HttpOnly")
	}
	if c.sameSite != "" {
		a = append(a, "SameSite="+c.sameSite)
	}
	if len(a) == 0 {
		return names{"aucun attribut de sécurité", "no security attribute"}
	}
	s := strings.Join(a, ", ")
	return names{s, s}
}

// missing lists what a session cookie lacks.
func (c cookie) missing() []string {
	var m []string
	if !c.secure {
		m = append(m, "Secure")
	}
	if !c.httpOnly {
		m = append(m, "HttpOnly")
	}
	if !c.validSameSite() {
		m = append(m, "SameSite")
	}
	return m
}

// cookiesOf returns the cookies a page's responses set (redirects first,
// then the final response), each name once (the last setting of a name
// is what the browser keeps).
func cookiesOf(p *page) []cookie {
	var headers []http.Header
	for _, h := range p.doc.Redirects {
		headers = append(headers, h.Header)
	}
	headers = append(headers, p.doc.Header)
	byName := map[string]cookie{}
	var order []string
	for _, h := range headers {
		for _, v := range h.Values("Set-Cookie") {
			c, ok := parseSetCookie(v)
			if !ok {
				continue
			}
			if _, seen := byName[c.name]; !seen {
				order = append(order, c.name)
			}
			byName[c.name] = c
			if len(order) >= 100 {
				break
			}
		}
	}
	out := make([]cookie, 0, len(order))
	for _, n := range order {
		out = append(out, byName[n])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// cookieFindings implements SEC-004: a failure for the session cookies
// that lack Secure, HttpOnly or SameSite, a warning for SameSite=None on a
// session cookie and for another cookie without Secure, a pass otherwise.
// Cookies are named, their values never shown.
func cookieFindings(p *page) []result.Finding {
	id := rules.SEC004
	n := p.lead()
	cs := cookiesOf(p)
	if len(cs) == 0 {
		return []result.Finding{checks.Pass(id,
			n.fr+" : aucun cookie déposé au chargement de la page (redirections comprises).",
			n.en+": no cookie set while loading the page (redirects included).", p.ev("Set-Cookie: –"))}
	}
	var bad, badEN, weak, weakEN, good, goodEN, shown []string
	for _, c := range cs {
		a := c.attrs()
		if len(c.missing()) == 3 {
			shown = append(shown, c.name+" (–)")
		} else {
			shown = append(shown, c.name+" ("+a.en+")")
		}
		switch {
		case isSession(c.name) && len(c.missing()) > 0:
			bad = append(bad, fmt.Sprintf("%s (sans %s)", c.name, strings.Join(c.missing(), ", ")))
			badEN = append(badEN, fmt.Sprintf("%s (without %s)", c.name, strings.Join(c.missing(), ", ")))
		case isSession(c.name) && strings.EqualFold(c.sameSite, "none"):
			weak = append(weak, c.name+" (cookie de session en SameSite=None : envoyé avec les requêtes des autres sites)")
			weakEN = append(weakEN, c.name+" (session cookie with SameSite=None: sent along with other sites' requests)")
		case !isSession(c.name) && !c.secure:
			weak = append(weak, c.name+" (sans Secure)")
			weakEN = append(weakEN, c.name+" (without Secure)")
		default:
			good = append(good, c.name+" ("+a.fr+")")
			goodEN = append(goodEN, c.name+" ("+a.en+")")
		}
	}
	ev := p.ev("Set-Cookie: " + strings.Join(shown, "; "))
	var out []result.Finding
	if len(bad) > 0 {
		out = append(out, checks.Fail(id,
			fmt.Sprintf("%s : cookie%s de session ou d'authentification sans les attributs exigés : %s.", n.fr, plural(len(bad)), strings.Join(bad, " ; ")),
			fmt.Sprintf("%s: session or authentication cookie%s without the required attributes: %s.", n.en, plural(len(bad)), strings.Join(badEN, "; ")), ev))
	}
	if len(weak) > 0 {
		out = append(out, checks.Warn(id,
			fmt.Sprintf("%s : à corriger : %s.", n.fr, strings.Join(weak, " ; ")),
			fmt.Sprintf("%s: to fix: %s.", n.en, strings.Join(weakEN, "; ")), ev))
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(id,
			fmt.Sprintf("%s : cookie%s déposé%s avant connexion avec les attributs attendus : %s.", n.fr, plural(len(good)), plural(len(good)), strings.Join(good, " ; ")),
			fmt.Sprintf("%s: cookie%s set before login with the expected attributes: %s.", n.en, plural(len(good)), strings.Join(goodEN, "; ")), ev))
	}
	return out
}
