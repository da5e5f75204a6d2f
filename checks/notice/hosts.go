package notice

import (
	"net/url"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/rules"
)

// kindsEN gives the English of the French kinds of use PAGE-005 names.
var kindsEN = map[string]string{
	"script en ligne": "inline script",
	"chargé au rendu": "loaded when rendered",
	consentKind:       "consent manager",
}

// observeHosts records for an audit's cross-area steps (env.Seen) the
// hosts a page uses: its own host, the third-party hosts it loads before
// login (PAGE-005's hosts) and where its login form posts.
func observeHosts(env *checks.Env, p *page) {
	if env.Seen == nil {
		return
	}
	if own := pageOwnHost(p); own != "" {
		if u, err := url.Parse("//" + own); err == nil && u.Hostname() != "" {
			env.Seen.Host(checks.Host{Name: u.Hostname(), Area: rules.AreaPage, Source: p.src, Own: true,
				Use: rules.Text{FR: "adresse de la page", EN: "the page's address"}})
		}
	}
	for h, u := range pageThirdParties(p) {
		var fr, en []string
		for k := range u.kinds {
			fr = append(fr, k)
			if e, ok := kindsEN[k]; ok {
				k = e
			}
			en = append(en, k)
		}
		sort.Strings(fr)
		sort.Strings(en)
		tracker := trackerName(h)
		if tracker == "" {
			tracker = u.tracker
		}
		env.Seen.Host(checks.Host{Name: h, Area: rules.AreaPage, Source: p.src, Tracker: tracker,
			Use: rules.Text{FR: "chargé par la page (" + strings.Join(fr, ", ") + ")", EN: "loaded by the page (" + strings.Join(en, ", ") + ")"}})
	}
	for _, r := range resources(p.doc) {
		if r.kind != "form action" {
			continue
		}
		if u, err := url.Parse(r.url); err == nil && u.Hostname() != "" && (u.Scheme == "http" || u.Scheme == "https") {
			env.Seen.Host(checks.Host{Name: u.Hostname(), Area: rules.AreaPage, Source: p.src,
				Use: rules.Text{FR: "reçoit le formulaire de connexion", EN: "receives the login form"}})
		}
	}
}
