package contract

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// registrable is the registrable domain (eTLD+1) of host, or host itself
// for an IP address or a single label.
func registrable(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// hostOf is the host of a URL ("" when none).
func hostOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// stateDomainRe: the State's domains (the ministry, the académies, the
// GAR, ÉduConnect): not the vendor's sub-processors.
var stateDomainRe = regexp.MustCompile(`(?:^|\.)(?:gouv\.fr|education\.fr|ac-[a-z-]+\.fr|region-academique-[a-z-]+\.fr)$`)

// classes of the hosts an audit saw.
type hostView struct {
	own   map[string]bool // registrable domains of the ENT
	state map[string]bool // hosts of the State (GAR service provider)
}

// view classifies hosts: the ENT's own domains are its declared address's
// and the pages' own addresses', else the IdP's entityID's; the State's
// hosts are its domains and the GAR's service provider the dossier
// declares.
func view(env *checks.Env, hosts []checks.Host) hostView {
	v := hostView{own: map[string]bool{}, state: map[string]bool{}}
	if h := hostOf(env.Opts.ENTURL); h != "" {
		v.own[registrable(h)] = true
	}
	for _, h := range hosts {
		if h.Own && h.Area == rules.AreaPage {
			v.own[registrable(h.Name)] = true
		}
	}
	if len(v.own) == 0 {
		for _, h := range hosts {
			if h.Own && h.Area == rules.AreaSAML {
				v.own[registrable(h.Name)] = true
			}
		}
	}
	for _, u := range []string{env.Opts.GARSPEntityID, env.Opts.GARSPACS} {
		if h := hostOf(u); h != "" {
			v.state[h] = true
		}
	}
	return v
}

func (v hostView) isOwn(host string) bool { return v.own[registrable(host)] }

func (v hostView) isState(host string) bool {
	return v.state[host] || stateDomainRe.MatchString(registrable(host)) || stateDomainRe.MatchString(host)
}

var (
	// domainRe finds host names and e-mail domains in folded text.
	domainRe = regexp.MustCompile(`(?:@|\b)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b`)
	// notDomainRe: words with a dot that are no host ("art.28", "e.g").
	notDomainRe = regexp.MustCompile(`^(?:art|cf|n|no|p|al|ex|etc|i|e|c|s|m|mme)\.`)
)

// contractDomains are the registrable domains the contract writes (its
// parties' sites and e-mail addresses, its sub-processors' hosts).
func contractDomains(d *doc) map[string]bool {
	out := map[string]bool{}
	for _, m := range domainRe.FindAllStringSubmatch(d.raw, -1) {
		h := m[1]
		if notDomainRe.MatchString(h) {
			continue
		}
		if _, icann := publicsuffix.PublicSuffix(h); !icann && !strings.HasSuffix(h, ".example") {
			// not under a known top-level domain: a word with a dot
			if !strings.Contains(h, "-") && strings.Count(h, ".") < 2 {
				continue
			}
		}
		out[registrable(h)] = true
	}
	return out
}

// providers maps the domains of well-known services to words of their
// company's name: a host of theirs is declared when the contract lists
// a sub-processor so named.
var providers = map[string][]string{
	"google-analytics.com": {"google"}, "googletagmanager.com": {"google"}, "googleapis.com": {"google"}, "gstatic.com": {"google"},
	"google.com": {"google"}, "doubleclick.net": {"google"}, "youtube.com": {"google", "youtube"}, "ytimg.com": {"google", "youtube"},
	"cloudflare.com": {"cloudflare"}, "cloudflareinsights.com": {"cloudflare"}, "cloudflare.net": {"cloudflare"},
	"jsdelivr.net": {"jsdelivr", "prospectone"}, "unpkg.com": {"unpkg"}, "bootstrapcdn.com": {"bootstrapcdn", "stackpath"},
	"hotjar.com": {"hotjar"}, "facebook.net": {"meta", "facebook"}, "facebook.com": {"meta", "facebook"},
	"xiti.com": {"at internet", "piano"}, "ati-host.net": {"at internet", "piano"}, "matomo.cloud": {"matomo", "innocraft"},
	"amazonaws.com": {"amazon", "aws"}, "cloudfront.net": {"amazon", "aws"}, "azureedge.net": {"microsoft", "azure"},
	"windows.net": {"microsoft", "azure"}, "microsoft.com": {"microsoft"}, "office.com": {"microsoft"}, "azurefd.net": {"microsoft", "azure"},
	"ovh.net": {"ovh"}, "ovh.com": {"ovh"}, "ovhcloud.com": {"ovh"}, "scaleway.com": {"scaleway"}, "outscale.com": {"outscale"},
	"akamaihd.net": {"akamai"}, "akamaized.net": {"akamai"}, "fastly.net": {"fastly"}, "sentry.io": {"sentry", "functional software"},
	"bunny.net": {"bunny", "bunnyway"}, "b-cdn.net": {"bunny", "bunnyway"}, "cdnjs.com": {"cloudflare"}, "gandi.net": {"gandi"},
	"brevo.com": {"brevo", "sendinblue"}, "sendinblue.com": {"brevo", "sendinblue"}, "mailjet.com": {"mailjet"},
	"axept.io": {"axeptio"}, "didomi.io": {"didomi"}, "onetrust.com": {"onetrust"}, "cookiebot.com": {"cookiebot", "usercentrics"},
}

// compact folds a name for matching: letters and digits only.
func compact(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchProcessor finds the sub-processor a host belongs to: the company
// the host's domain is known to belong to, or a name that holds the
// domain's own label ("hebergeur-fictif.fr" and "Hébergeur Fictif SAS").
func matchProcessor(host, tracker string, list []subProcessor) (subProcessor, bool) {
	dom := registrable(host)
	label := dom
	if i := strings.Index(label, "."); i > 0 {
		label = label[:i]
	}
	words := providers[dom]
	if tracker != "" {
		if f := strings.Fields(fold(tracker)); len(f) > 0 {
			words = append(words, f[0])
		}
	}
	for _, p := range list {
		name := fold(p.name)
		for _, w := range words {
			if regexp.MustCompile(`\b` + regexp.QuoteMeta(w) + `\b`).MatchString(name) {
				return p, true
			}
		}
		if c := compact(label); len(c) >= 4 && strings.Contains(compact(p.name), c) {
			return p, true
		}
	}
	return subProcessor{}, false
}

// seenHost is one host with every place it was seen.
type seenHost struct {
	name    string
	tracker string
	seen    []checks.Host
}

// group gathers the hosts by name, in order.
func group(hosts []checks.Host) []*seenHost {
	by := map[string]*seenHost{}
	var out []*seenHost
	for _, h := range hosts {
		g := by[h.Name]
		if g == nil {
			g = &seenHost{name: h.Name}
			by[h.Name] = g
			out = append(out, g)
		}
		if g.tracker == "" {
			g.tracker = h.Tracker
		}
		g.seen = append(g.seen, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// evidence says where a host was seen (at most three places).
func (g *seenHost) evidence() []result.Evidence {
	var out []result.Evidence
	seen := map[string]bool{}
	for _, h := range g.seen {
		k := h.Source + "\x00" + h.Use.FR
		if seen[k] || len(out) == 3 {
			continue
		}
		seen[k] = true
		out = append(out, result.Evidence{Source: h.Source, Excerpt: g.name + " — " + h.Use.FR})
	}
	return out
}

// uses says how the ENT uses a host, in French and English.
func (g *seenHost) uses() (string, string) {
	var fr, en []string
	seen := map[string]bool{}
	for _, h := range g.seen {
		if !seen[h.Use.FR] {
			seen[h.Use.FR] = true
			fr, en = append(fr, h.Use.FR), append(en, h.Use.EN)
		}
	}
	return strings.Join(fr, ", "), strings.Join(en, ", ")
}

// declaredHosts is CONTRACT-005: every third-party host the audit saw is
// the ENT's, the State's, a domain the contract names or a sub-processor
// it lists.
func declaredHosts(env *checks.Env, d *doc, hosts []checks.Host) []result.Finding {
	id := rules.CONTRACT005
	v := view(env, hosts)
	doms := contractDomains(d)
	list, _ := d.processors()
	var fs []result.Finding
	third := 0
	for _, g := range group(hosts) {
		if v.isOwn(g.name) || v.isState(g.name) {
			continue
		}
		third++
		use, useEN := g.uses()
		tracker, trackerEN := "", ""
		if g.tracker != "" {
			tracker, trackerEN = ", traceur "+g.tracker, ", tracker "+g.tracker
		}
		party := result.Party{Name: g.name, Hosts: []string{g.name}}
		if p, ok := matchProcessor(g.name, g.tracker, list); ok {
			party = p.party()
			party.Hosts = []string{g.name}
			f := checks.Pass(id,
				fmt.Sprintf("Hôte tiers déclaré : %s (%s%s), sous-traitant ultérieur listé au contrat : %s.", g.name, use, tracker, p.label()),
				fmt.Sprintf("Declared third-party host: %s (%s%s), sub-processor listed in the contract: %s.", g.name, useEN, trackerEN, p.name),
				g.evidence()...)
			f.Parties = []result.Party{party}
			fs = append(fs, f)
			continue
		}
		if doms[registrable(g.name)] {
			f := checks.Pass(id,
				fmt.Sprintf("Hôte tiers déclaré : %s (%s%s), domaine nommé par le contrat.", g.name, use, tracker),
				fmt.Sprintf("Declared third-party host: %s (%s%s), a domain the contract names.", g.name, useEN, trackerEN),
				g.evidence()...)
			party.Declared = true
			f.Parties = []result.Party{party}
			fs = append(fs, f)
			continue
		}
		f := checks.Fail(id,
			fmt.Sprintf("Hôte tiers non déclaré au contrat : %s (%s%s) : ni domaine de l'ENT, ni sous-traitant ultérieur listé, ni domaine nommé par le contrat.", g.name, use, tracker),
			fmt.Sprintf("Third-party host not declared in the contract: %s (%s%s): neither the ENT's domain, nor a listed sub-processor, nor a domain the contract names.", g.name, useEN, trackerEN),
			g.evidence()...)
		f.Parties = []result.Party{party}
		fs = append(fs, f)
	}
	if third == 0 {
		own := strings.Join(sortedKeys(v.own), ", ")
		if own == "" {
			own = "inconnu"
		}
		var srcs []result.Evidence
		for _, a := range []rules.Area{rules.AreaPage, rules.AreaSAML, rules.AreaSSO} {
			for _, h := range hosts {
				if h.Area == a {
					srcs = append(srcs, result.Evidence{Source: h.Source})
					break
				}
			}
		}
		fs = append(fs, checks.Pass(id,
			fmt.Sprintf("Aucun hôte tiers : les pages, les métadonnées SAML et les captures SSO n'utilisent que le domaine de l'ENT (%s) et les services de l'État (%s vus).", own, checks.Count(len(group(hosts)), "hôte", "hôtes")),
			fmt.Sprintf("No third-party host: the pages, SAML metadata and SSO captures use only the ENT's domain (%s) and the State's services (%s seen).", own, checks.Count(len(group(hosts)), "host", "hosts")),
			srcs...))
	}
	return fs
}
