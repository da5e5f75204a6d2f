package contract

import (
	"net/netip"
	"strings"
)

// An anycast network answers from many places with the same address: the
// country a database gives for it is where the network is registered, not
// where the server that answered is, nor where the data are. A CDN found
// by its DNS alias (CNAME) is as uncertain: its answer depends on where
// the question came from. Both are reported as uncertain, never placed.

// anycastNets are the published address ranges of anycast networks
// (Cloudflare's and Fastly's published lists, public DNS resolvers), as
// of 2026-12.
var anycastNets = func() []struct {
	p    netip.Prefix
	name string
} {
	lists := map[string][]string{
		"Cloudflare": {"173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18", "108.162.192.0/18",
			"190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17", "162.158.0.0/15", "104.16.0.0/13",
			"104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22", "1.1.1.0/24", "1.0.0.0/24",
			"2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32"},
		"Fastly": {"23.235.32.0/20", "43.249.72.0/22", "103.244.50.0/24", "103.245.222.0/23", "103.245.224.0/24", "104.156.80.0/20",
			"140.248.64.0/18", "140.248.128.0/17", "146.75.0.0/17", "151.101.0.0/16", "157.52.64.0/18", "167.82.0.0/17",
			"167.82.128.0/20", "167.82.160.0/20", "167.82.224.0/20", "172.111.64.0/18", "185.31.16.0/22", "199.27.72.0/21",
			"199.232.0.0/16", "2a04:4e40::/32", "2a04:4e42::/32"},
		"Google Public DNS": {"8.8.8.0/24", "8.8.4.0/24", "2001:4860:4860::/48"},
		"Quad9":             {"9.9.9.0/24", "149.112.112.0/24", "2620:fe::/48"},
	}
	var out []struct {
		p    netip.Prefix
		name string
	}
	for _, name := range []string{"Cloudflare", "Fastly", "Google Public DNS", "Quad9"} {
		for _, s := range lists[name] {
			out = append(out, struct {
				p    netip.Prefix
				name string
			}{netip.MustParsePrefix(s), name})
		}
	}
	return out
}()

// anycastOf names the anycast network an address is in ("" when none).
func anycastOf(a netip.Addr) string {
	a = a.Unmap()
	for _, n := range anycastNets {
		if n.p.Contains(a) {
			return "réseau anycast " + n.name
		}
	}
	return ""
}

// cdnSuffixes are the DNS aliases of content delivery networks.
var cdnSuffixes = map[string]string{
	"cloudfront.net": "Amazon CloudFront", "akamaiedge.net": "Akamai", "akamai.net": "Akamai", "edgekey.net": "Akamai",
	"edgesuite.net": "Akamai", "akamaized.net": "Akamai", "fastly.net": "Fastly", "fastlylb.net": "Fastly",
	"cdn.cloudflare.net": "Cloudflare", "azureedge.net": "Azure CDN", "azurefd.net": "Azure Front Door",
	"cdn77.org": "CDN77", "b-cdn.net": "Bunny CDN", "llnwd.net": "Edgio", "edgecastcdn.net": "Edgio",
	"stackpathdns.com": "StackPath", "kxcdn.com": "KeyCDN", "gcdn.co": "Gcore", "impervadns.net": "Imperva",
	"incapdns.net": "Imperva", "jsdelivr.net": "jsDelivr", "googlehosted.com": "Google",
}

// cdnOf names the CDN a canonical name belongs to ("" when none).
func cdnOf(cname string) string {
	cname = strings.TrimSuffix(strings.ToLower(cname), ".")
	for suffix, name := range cdnSuffixes {
		if cname == suffix || strings.HasSuffix(cname, "."+suffix) {
			return "CDN " + name
		}
	}
	return ""
}
