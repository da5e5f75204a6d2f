package saml

import (
	"net/url"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// auditAndObserve audits the metadata (Check) and records for the
// audit's cross-area steps (env.Seen) the hosts it names: the entityID's
// (the IdP's own address) and each endpoint's (Location,
// ResponseLocation).
func auditAndObserve(env *checks.Env, src string) []result.Finding {
	fs := Check(env, src)
	if env.Seen == nil {
		return fs
	}
	l := load(env, src)
	if l.md == nil || l.md.Root == nil {
		return fs
	}
	entity := l.md.Entity
	if entity == nil {
		entity = l.md.Root
	}
	if h := urlHost(entity.SelectAttrValue("entityID", "")); h != "" {
		env.Seen.Host(checks.Host{Name: h, Area: rules.AreaSAML, Source: src, Own: true,
			Use: rules.Text{FR: "entityID de l'IdP", EN: "the IdP's entityID"}})
	}
	for _, e := range entity.FindElements(".//*") {
		for _, a := range []string{"Location", "ResponseLocation"} {
			if h := urlHost(e.SelectAttrValue(a, "")); h != "" {
				env.Seen.Host(checks.Host{Name: h, Area: rules.AreaSAML, Source: src,
					Use: rules.Text{FR: "point d'accès " + e.Tag + " des métadonnées SAML", EN: "SAML metadata endpoint " + e.Tag}})
			}
		}
	}
	return fs
}

// urlHost is the host of an http(s) URL ("" for a URN or anything else).
func urlHost(raw string) string {
	raw = strings.TrimSpace(raw)
	if !strings.HasPrefix(raw, "https://") && !strings.HasPrefix(raw, "http://") {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
