package notice

import (
	"crypto/tls"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// transport implements PAGE-004: a live page is served over TLS 1.2 or
// later with a certificate valid at the run's clock, and no page loads
// resources or posts forms over plain http (mixed content). For a local
// file only the mixed-content part can be checked.
func transport(env *checks.Env, p *page) result.Finding {
	id := rules.PAGE004
	var plain []string
	var first resource
	for _, r := range resources(p.doc) {
		if strings.HasPrefix(strings.ToLower(r.url), "http://") {
			if plain == nil {
				first = r
			}
			plain = append(plain, r.kind+" "+r.url)
		}
	}
	if len(plain) > 0 {
		list := bound(strings.Join(plain, " ; "), 300)
		listEN := bound(strings.Join(plain, "; "), 300)
		return checks.Fail(id,
			fmt.Sprintf("La page charge ou envoie %s en http non chiffré : %s.", checks.Count(len(plain), "élément", "éléments"), list),
			fmt.Sprintf("The page loads or posts %s over plain http: %s.", checks.Count(len(plain), "item", "items"), listEN),
			p.ev(first.url, first.kind+" "+first.url))
	}
	if p.fetched == nil {
		return checks.Pass(id,
			"Aucune ressource ni formulaire en http non chiffré (page locale : version TLS et certificat vérifiés seulement en ligne).",
			"No resource or form over plain http (local page: TLS version and certificate are checked live only).",
			result.Evidence{Source: p.src})
	}
	d := p.fetched
	if d.TLSVersion == 0 {
		return checks.Fail(id,
			"La page est servie en http non chiffré ("+d.FinalURL+") : TLS 1.2 ou plus exigé.",
			"The page is served over plain http ("+d.FinalURL+"): TLS 1.2 or later required.",
			result.Evidence{Source: p.src})
	}
	v := tls.VersionName(d.TLSVersion)
	if d.TLSVersion < tls.VersionTLS12 {
		return checks.Fail(id,
			"La page est servie en "+v+" : TLS 1.2 ou plus exigé.",
			"The page is served over "+v+": TLS 1.2 or later required.",
			result.Evidence{Source: p.src})
	}
	if len(d.Certificates) == 0 {
		return checks.Errorf(id, &input.Error{Source: p.src, Err: input.Problemf("no server certificate recorded", "aucun certificat serveur enregistré")})
	}
	leaf := d.Certificates[0]
	if env.Now.After(leaf.NotAfter) || env.Now.Before(leaf.NotBefore) {
		return checks.Fail(id,
			fmt.Sprintf("Certificat hors de sa période de validité à la date de l'audit (%s – %s).", leaf.NotBefore.UTC().Format("2006-01-02"), leaf.NotAfter.UTC().Format("2006-01-02")),
			fmt.Sprintf("Certificate outside its validity period at the audit date (%s – %s).", leaf.NotBefore.UTC().Format("2006-01-02"), leaf.NotAfter.UTC().Format("2006-01-02")),
			result.Evidence{Source: p.src})
	}
	return checks.Pass(id,
		fmt.Sprintf("Page servie en %s, certificat vérifié, valide jusqu'au %s ; aucune ressource en http.", v, leaf.NotAfter.UTC().Format("2006-01-02")),
		fmt.Sprintf("Page served over %s, certificate verified, valid until %s; no resource over http.", v, leaf.NotAfter.UTC().Format("2006-01-02")),
		result.Evidence{Source: p.src})
}

// trackers are well-known audience measurement and advertising services,
// by registrable domain.
var trackers = map[string]string{
	"google-analytics.com":     "Google Analytics",
	"googletagmanager.com":     "Google Tag Manager",
	"doubleclick.net":          "Google DoubleClick",
	"googlesyndication.com":    "Google AdSense",
	"facebook.net":             "Facebook Pixel",
	"facebook.com":             "Facebook",
	"hotjar.com":               "Hotjar",
	"hotjar.io":                "Hotjar",
	"matomo.cloud":             "Matomo Cloud",
	"innocraft.cloud":          "Matomo Cloud (InnoCraft)",
	"xiti.com":                 "AT Internet (Xiti)",
	"atinternet.com":           "AT Internet",
	"ati-host.net":             "AT Internet",
	"clarity.ms":               "Microsoft Clarity",
	"licdn.com":                "LinkedIn Insight",
	"ads-twitter.com":          "X/Twitter Ads",
	"mouseflow.com":            "Mouseflow",
	"mixpanel.com":             "Mixpanel",
	"segment.com":              "Segment",
	"segment.io":               "Segment",
	"yandex.ru":                "Yandex Metrica",
	"smartlook.com":            "Smartlook",
	"contentsquare.net":        "Contentsquare",
	"abtasty.com":              "AB Tasty",
	"cdn.matomo.cloud":         "Matomo Cloud",
	"googleadservices.com":     "Google Ads",
	"analytics.tiktok.com":     "TikTok Pixel",
	"connect.facebook.net":     "Facebook Pixel",
	"static.hotjar.com":        "Hotjar",
	"script.hotjar.com":        "Hotjar",
	"www.google-analytics.com": "Google Analytics",
}

// consentScriptRe recognises the configuration of a consent manager
// (tarteaucitron): the services it names are loaded only once the user
// accepts them.
var consentScriptRe = regexp.MustCompile(`tarteaucitron\.(user|job|init)\b`)

// consentKind marks a tracker only a consent manager's configuration names.
const consentKind = "gestionnaire de consentement"

// scriptHostRe finds URLs' hosts in inline scripts (tracker snippets
// build their URLs from strings).
var scriptHostRe = regexp.MustCompile(`(?:https?:)?//([a-z0-9-]+(?:\.[a-z0-9-]+)+)`)

// registrable returns the registrable domain (eTLD+1) of host, or host
// itself for IP addresses and single-label names.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

func trackerName(host string) string {
	host = strings.ToLower(host)
	if n, ok := trackers[host]; ok {
		return n
	}
	return trackers[registrable(host)]
}

// thirdPartyUse is how a page uses one third-party host.
type thirdPartyUse struct {
	kinds   map[string]bool
	first   string
	tracker string // the tracker a snippet names (see snippetTrackers)
}

// pageOwnHost is the page's own host: its URL live, else the URL it
// declares, else where a saved login page posts its credentials ("" when
// unknown).
func pageOwnHost(p *page) string {
	own := ""
	if p.fetched != nil {
		if u, err := url.Parse(p.fetched.FinalURL); err == nil {
			own = u.Host
		}
	} else if b := pageBase(p.doc); b != "" {
		if u, err := url.Parse(b); err == nil {
			own = u.Host
		}
	} else if a := loginAction(p.doc); a != "" {
		// a saved login page without declared URL: it posts the
		// credentials to its own server
		if u, err := url.Parse(a); err == nil {
			own = u.Host
		}
	}
	return own
}

// pageThirdParties returns the third-party hosts a page loads before
// login (PAGE-005's hosts), each with how the page uses it.
func pageThirdParties(p *page) map[string]*thirdPartyUse {
	own := pageOwnHost(p)
	ownDom := registrable(own)
	type use = thirdPartyUse
	hosts := map[string]*use{}
	note := func(host, kind, raw string) {
		if host == "" || (own != "" && registrable(host) == ownDom) {
			return
		}
		u := hosts[host]
		if u == nil {
			u = &use{kinds: map[string]bool{}, first: raw}
			hosts[host] = u
		}
		u.kinds[kind] = true
	}
	for _, r := range resources(p.doc) {
		if r.kind == "form action" {
			continue // where the login form posts is the SSO's business, not a load
		}
		if u, err := url.Parse(r.url); err == nil && (u.Scheme == "http" || u.Scheme == "https" || (u.Scheme == "" && strings.HasPrefix(r.url, "//"))) {
			note(u.Hostname(), r.kind, r.url)
		}
	}
	if p.rendered != nil {
		for _, s := range p.rendered.Resources {
			if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				note(u.Hostname(), "chargé au rendu", s)
			}
		}
	}
	for _, script := range inlineScripts(p.doc) {
		script = strings.ToLower(script)
		kind := "script en ligne"
		if consentScriptRe.MatchString(script) {
			kind = consentKind
		}
		for _, m := range scriptHostRe.FindAllStringSubmatch(script, -1) {
			if trackerName(m[1]) != "" {
				note(m[1], kind, m[0])
			}
		}
		for dom := range trackers {
			if strings.Contains(script, dom) {
				note(dom, kind, dom)
			}
		}
	}
	for _, s := range snippetTrackers(p.doc, own != "") {
		note(s.host, s.kind, s.raw)
		if u := hosts[s.host]; u != nil && u.tracker == "" {
			u.tracker = s.name
		}
	}
	// a tracker named both by host and by its registrable domain in an
	// inline snippet is reported once, under the first more precise host
	// (in sorted order, so that the result is deterministic)
	sorted := make([]string, 0, len(hosts))
	for h := range hosts {
		sorted = append(sorted, h)
	}
	sort.Strings(sorted)
	for _, h := range sorted {
		for _, h2 := range sorted {
			if u2, ok := hosts[h2]; ok && h2 != h && strings.HasSuffix(h2, "."+h) {
				for k := range hosts[h].kinds {
					u2.kinds[k] = true
				}
				if u2.tracker == "" {
					u2.tracker = hosts[h].tracker
				}
				delete(hosts, h)
				break
			}
		}
	}
	return hosts
}

// thirdParties implements PAGE-005: before login, the page loads nothing
// from other registrable domains; known trackers fail, other third-party
// hosts are warnings to justify. One finding per host.
func thirdParties(p *page) []result.Finding {
	id := rules.PAGE005
	hosts := pageThirdParties(p)
	if len(hosts) == 0 {
		return []result.Finding{checks.Pass(id,
			"Aucune ressource tierce ni traceur chargé avant connexion.",
			"No third-party resource or tracker loaded before login.",
			result.Evidence{Source: p.src})}
	}
	names := make([]string, 0, len(hosts))
	for h := range hosts {
		names = append(names, h)
	}
	sort.Strings(names)
	var fs []result.Finding
	for _, h := range names {
		u := hosts[h]
		var kinds []string
		for k := range u.kinds {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		kl := strings.Join(kinds, ", ")
		t := trackerName(h)
		if t == "" {
			t = u.tracker
		}
		if t != "" && len(u.kinds) == 1 && u.kinds[consentKind] {
			fs = append(fs, checks.Review(id,
				fmt.Sprintf("Traceur %s nommé par le gestionnaire de consentement (chargé seulement si l'usager accepte) : %s ; vérifier avec --render que rien n'est chargé avant consentement.", t, h),
				fmt.Sprintf("Tracker %s named by the consent manager (loaded only once the user accepts): %s; check with --render that nothing is loaded before consent.", t, h),
				p.ev(u.first, u.first)))
			continue
		}
		if t != "" {
			fs = append(fs, checks.Fail(id,
				fmt.Sprintf("Traceur %s chargé avant connexion : %s (%s).", t, h, kl),
				fmt.Sprintf("Tracker %s loaded before login: %s (%s).", t, h, kl),
				p.ev(u.first, u.first)))
			continue
		}
		fs = append(fs, checks.Warn(id,
			fmt.Sprintf("Ressource tierce chargée avant connexion : %s (%s) ; la justifier ou l'héberger sur le domaine de l'ENT.", h, kl),
			fmt.Sprintf("Third-party resource loaded before login: %s (%s); justify it or host it on the ENT's domain.", h, kl),
			p.ev(u.first, u.first)))
	}
	return fs
}

// auditedType checks the Content-Type of a fetched page or notice: HTML
// is audited, and PDF too for a notice (pdf); any other declared type is an
// error naming it. A missing or generic type (application/octet-stream,
// which servers send for files they do not know) is judged by the content.
func auditedType(doc *input.Doc, pdf bool) error {
	raw := strings.TrimSpace(doc.Header.Get("Content-Type"))
	mt := ""
	if raw != "" {
		t, _, err := mime.ParseMediaType(raw)
		if err != nil {
			return input.Problemf("unreadable Content-Type %q", "type de contenu (Content-Type) illisible %q", bound(raw, 80))
		}
		mt = strings.ToLower(t)
	}
	if mt == "" || mt == "application/octet-stream" || mt == "binary/octet-stream" {
		sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(doc.Body))
		switch {
		case isPDF(doc.Body):
			mt = "application/pdf"
		case sniffed == "text/html" || sniffed == "text/xml":
			mt = "text/html"
		default:
			if mt == "" {
				mt = sniffed
			}
		}
	}
	switch mt {
	case "text/html", "application/xhtml+xml":
		return nil
	case "application/pdf":
		if pdf {
			return nil
		}
	}
	if pdf {
		return input.Problemf("served as %q: only HTML pages and PDF files are audited", "servi comme « %s » : seuls les pages HTML et les fichiers PDF sont audités", mt)
	}
	return input.Problemf("served as %q: an HTML page is expected", "servi comme « %s » : une page HTML est attendue", mt)
}
