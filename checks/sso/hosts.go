package sso

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/rules"
)

// urlsOf is the part of a capture that says which addresses the browser
// reached: a HAR file's requests, a SAML-tracer export's requests.
type urlsOf struct {
	Log *struct {
		Entries []struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		} `json:"entries"`
	} `json:"log"`
	Requests []struct {
		URL string `json:"url"`
	} `json:"requests"`
}

var (
	destinationRe = regexp.MustCompile(`\bDestination="(https?://[^"]+)"`)
	issuerRe      = regexp.MustCompile(`<(?:[A-Za-z0-9_]+:)?Issuer\b[^>]*>\s*(https?://[^<\s]+)\s*<`)
)

// observeHosts records for an audit's cross-area steps (env.Seen) the
// hosts an SSO capture went through: every request of a HAR file or a
// SAML-tracer export, the issuer and destination of a bare response. No
// URL, header or value is kept: host names only.
func observeHosts(env *checks.Env, src string, data []byte, posted []Posted) {
	if env.Seen == nil {
		return
	}
	add := func(raw string) {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil && u.Hostname() != "" && (u.Scheme == "https" || u.Scheme == "http") {
			env.Seen.Host(checks.Host{Name: u.Hostname(), Area: rules.AreaSSO, Source: src,
				Use: rules.Text{FR: "échange SSO capturé", EN: "captured SSO exchange"}})
		}
	}
	var c urlsOf
	if json.Unmarshal(data, &c) == nil {
		if c.Log != nil {
			for _, e := range c.Log.Entries {
				add(e.Request.URL)
			}
		}
		for _, r := range c.Requests {
			add(r.URL)
		}
	}
	for _, p := range posted {
		x := p.XML
		if len(x) == 0 {
			var err error
			if x, err = p.Decode(); err != nil {
				continue
			}
		}
		for _, re := range []*regexp.Regexp{destinationRe, issuerRe} {
			for _, m := range re.FindAllSubmatch(x, 4) {
				add(string(m[1]))
			}
		}
	}
}
