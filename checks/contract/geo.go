package contract

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/oschwald/maxminddb-golang/v2"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Where the ENT's servers are (CONTRACT-007): each host is resolved (in
// an audit en ligne; an IP address written in a piece needs no
// resolution) and its addresses are looked up in an offline IP-to-country
// database in the MaxMind DB format (--geoip; docs/contract.md says which
// free database and how to update it). No address is sent anywhere: the
// database is a local file.

// Bounds of the resolution.
const (
	maxLocated     = 64
	resolveTimeout = 5 * time.Second
	maxGeoIPBytes  = 512 << 20
)

// cgnat is the carrier-grade NAT range (RFC 6598): not routable.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// geoRecord is a country database's record: the ip-location-db
// databases write country_code, MaxMind's GeoLite2 country.iso_code.
type geoRecord struct {
	CountryCode string `maxminddb:"country_code"`
	Country     struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
}

func (r geoRecord) code() string {
	if r.CountryCode != "" {
		return strings.ToUpper(r.CountryCode)
	}
	return strings.ToUpper(r.Country.ISOCode)
}

// geoDB is an opened database and how the findings name it.
type geoDB struct {
	r    *maxminddb.Reader
	name string // file name, type and date
	en   string
}

// CheckGeoDB says whether path is a geolocation database this area can
// read (a service checks its --geoip when it starts, not at each audit).
func CheckGeoDB(path string) error {
	_, err := openGeoDB(path)
	return err
}

// openGeoDB opens the database at path (bounded, read whole).
func openGeoDB(path string) (*geoDB, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, &input.Error{Source: path, Err: input.Problemf("geolocation database not found", "base de géolocalisation introuvable")}
	}
	if !st.Mode().IsRegular() || st.Size() > maxGeoIPBytes {
		return nil, &input.Error{Source: path, Err: input.Problemf("not a regular file of at most 512 MiB", "ce n'est pas un fichier ordinaire de 512 Mio au plus")}
	}
	// a service audits with the same database again and again: it is
	// read once, and again only when the file changes
	geoCache.Lock()
	defer geoCache.Unlock()
	if c := geoCache.db; c != nil && geoCache.path == path && geoCache.mod.Equal(st.ModTime()) && geoCache.size == st.Size() {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{Source: path, Err: input.Wrap(err, "read geolocation database", "lecture de la base de géolocalisation impossible")}
	}
	r, err := maxminddb.OpenBytes(data)
	if err != nil {
		return nil, &input.Error{Source: path, Err: input.Wrap(err, "not a MaxMind DB (MMDB) database", "ce n'est pas une base au format MaxMind DB (MMDB)")}
	}
	day := r.Metadata.BuildTime().UTC().Format("2006-01-02")
	base := filepath.Base(path)
	typ := r.Metadata.DatabaseType
	db := &geoDB{r: r,
		name: fmt.Sprintf("base « %s » (%s) du %s", base, typ, day),
		en:   fmt.Sprintf("database \"%s\" (%s) of %s", base, typ, day)}
	geoCache.path, geoCache.mod, geoCache.size, geoCache.db = path, st.ModTime(), st.Size(), db
	return db, nil
}

// geoCache is the database last opened (its reader is safe for
// concurrent lookups), with the file's path, time and size it was read
// at.
var geoCache struct {
	sync.Mutex
	path string
	mod  time.Time
	size int64
	db   *geoDB
}

// located is one address of a host and where the database puts it.
type located struct {
	addr    netip.Addr
	code    string // "" when the database does not hold it
	network string
	anycast string // the anycast network it is in, "" when none
}

func (db *geoDB) locate(a netip.Addr) located {
	l := located{addr: a, anycast: anycastOf(a)}
	res := db.r.Lookup(a.Unmap())
	if res.Err() != nil || !res.Found() {
		return l
	}
	var rec geoRecord
	if err := res.Decode(&rec); err != nil {
		return l
	}
	l.code = rec.code()
	if p := res.Prefix(); p.IsValid() {
		l.network = p.String()
	}
	return l
}

// notResolved says why a saved copy leaves the hosts' location unchecked
// (a live-only not-evaluated finding: listed among the limits of an
// audit sur pièces, it does not count against its verdict).
var notResolved = rules.Text{
	FR: "Lieu d'hébergement des hôtes non vérifié : seul un audit en ligne résout les noms des hôtes de l'ENT en adresses (les adresses IP écrites dans les pièces sont localisées dans tout audit).",
	EN: "Hosting location of the hosts not checked: only a live audit resolves the ENT's host names to addresses (IP addresses written in the pieces are located in any audit).",
}

// hostingFindings is CONTRACT-007.
func hostingFindings(env *checks.Env, hosts []checks.Host) []result.Finding {
	id := rules.CONTRACT007
	v := view(env, hosts)
	live := false
	for _, h := range hosts {
		if input.IsURL(h.Source) {
			live = true
		}
	}
	// the hosts to locate: an IP address in any audit, a name in an
	// audit en ligne
	var todo []*seenHost
	names := 0
	for _, g := range group(hosts) {
		if v.isState(g.name) {
			continue
		}
		if _, err := netip.ParseAddr(strings.Trim(g.name, "[]")); err == nil || live {
			todo = append(todo, g)
		} else {
			names++
		}
	}
	if len(todo) > maxLocated {
		todo = todo[:maxLocated]
	}
	liveOnly := func() result.Finding {
		return result.Finding{Rule: id.ID, Item: "en-ligne", Status: result.NotEvaluated, LiveOnly: true,
			Message: notResolved.FR, MessageEN: notResolved.EN, Evidence: firstSources(hosts)}
	}
	if len(todo) == 0 {
		if len(hosts) == 0 {
			// the pieces that show hosts are missing (or name none):
			// nothing was examined, which is no "sans objet"
			return []result.Finding{checks.NotEvaluated(id, "Aucun hôte vu par l'audit : les pièces qui les montrent (pages d'accueil et de connexion, métadonnées SAML, captures SSO) manquent ou n'en nomment aucun.", "No host seen by the audit: the pieces that show them (home and login pages, SAML metadata, SSO captures) are missing or name none.")}
		}
		return []result.Finding{liveOnly()}
	}
	if env.Opts.GeoIP == "" {
		// the database is an option of the tool, not a piece the
		// collectivité supplies: not evaluated, outside the verdict
		// (CONTRACT-003 judges the hosting from the contract)
		return []result.Finding{{Rule: id.ID, Status: result.NotEvaluated, Optional: true,
			Message:   fmt.Sprintf("Base de géolocalisation non fournie : lieu des serveurs de %s non vérifié (sans effet sur le verdict ; l'hébergement est jugé sur le contrat par %s). Pour le vérifier : sh scripts/geoip-fetch.sh geoip, puis relancer l'audit avec --geoip geoip/dbip-country.mmdb (voir docs/contract.md).", countHosts(len(todo), "fr"), rules.CONTRACT003.ID),
			MessageEN: fmt.Sprintf("Geolocation database not given: where the servers of %s are is not checked (no effect on the verdict; %s judges the hosting from the contract). To check it: sh scripts/geoip-fetch.sh geoip, then run the audit again with --geoip geoip/dbip-country.mmdb (see docs/contract.md).", countHosts(len(todo), "en"), rules.CONTRACT003.ID),
			Evidence:  firstSources(hosts)}}
	}
	db, err := openGeoDB(env.Opts.GeoIP)
	if err != nil {
		return []result.Finding{checks.Errorf(id, err)}
	}
	var fs []result.Finding
	for _, g := range todo {
		fs = append(fs, locateHost(env, db, g))
	}
	if !live && names > 0 {
		// the names were not resolved: say so
		fs = append(fs, liveOnly())
	}
	return fs
}

// locateHost resolves one host and locates its addresses.
func locateHost(env *checks.Env, db *geoDB, g *seenHost) result.Finding {
	id := rules.CONTRACT007
	ev := g.evidence()
	var addrs []netip.Addr
	cdn := ""
	if a, err := netip.ParseAddr(strings.Trim(g.name, "[]")); err == nil {
		addrs = []netip.Addr{a}
	} else {
		var dns checks.Resolver = net.DefaultResolver
		if env.Resolver != nil {
			dns = env.Resolver
		}
		ctx, cancel := context.WithTimeout(env.Context(), resolveTimeout)
		defer cancel()
		as, err := dns.LookupNetIP(ctx, "ip", g.name)
		if err != nil || len(as) == 0 {
			why := "aucune adresse"
			var de *net.DNSError
			if errors.As(err, &de) && de.IsNotFound {
				why = "nom inconnu du DNS"
			} else if err != nil {
				why = "résolution impossible"
			}
			return checks.Review(id,
				fmt.Sprintf("Hôte %s non résolu (%s) : lieu de son serveur non vérifié.", g.name, why),
				fmt.Sprintf("Host %s not resolved: where its server is was not checked.", g.name), ev...)
		}
		addrs = as
		if cn, err := dns.LookupCNAME(ctx, g.name); err == nil {
			cdn = cdnOf(cn)
		}
	}
	// a private or local address (a pre-production site audited with
	// --allow-private-network) is nowhere a database can say
	public := addrs[:0:0]
	for _, a := range addrs {
		if a = a.Unmap(); !a.IsLoopback() && !a.IsPrivate() && !a.IsLinkLocalUnicast() && !a.IsUnspecified() && !cgnat.Contains(a) {
			public = append(public, a)
		}
	}
	if len(public) == 0 {
		return checks.Skip(id,
			fmt.Sprintf("Hôte %s à une adresse privée ou locale (site de pré-production, test) : lieu de son serveur non vérifiable.", g.name),
			fmt.Sprintf("Host %s at a private or local address (pre-production site, test): where its server is cannot be checked.", g.name))
	}
	addrs = public
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	if len(addrs) > 8 {
		addrs = addrs[:8]
	}
	var ls []located
	var parties []result.Party
	var out, unknown, anycast []string
	for _, a := range addrs {
		l := db.locate(a)
		ls = append(ls, l)
		parties = append(parties, result.Party{Name: g.name, Address: a.String(), Located: l.code, Network: l.network})
		desc := a.String()
		if l.code != "" {
			desc += " (" + l.code + ", réseau " + l.network + ")"
		}
		switch {
		case l.anycast != "":
			anycast = append(anycast, desc+", "+l.anycast)
		case l.code == "":
			unknown = append(unknown, a.String())
		case !InEU(l.code):
			out = append(out, desc)
		}
	}
	descEN := func(s []string) string { return strings.ReplaceAll(strings.Join(s, "; "), "réseau", "network") }
	var f result.Finding
	switch {
	case cdn != "" || len(anycast) > 0:
		what := cdn
		if what == "" {
			what = "réseau anycast"
		}
		list := append(append([]string{}, anycast...), out...)
		if len(list) == 0 {
			for _, l := range ls {
				list = append(list, l.addr.String()+" ("+l.code+")")
			}
		}
		f = checks.Review(id,
			fmt.Sprintf("Hôte %s servi par un réseau de diffusion (%s) : le pays de ses adresses ne dit pas où sont ses serveurs ni les données ; incertain, à vérifier auprès de l'éditeur (%s ; %s).", g.name, what, strings.Join(list, " ; "), db.name),
			fmt.Sprintf("Host %s served by a content delivery network (%s): the country of its addresses does not tell where its servers or the data are; uncertain, to check with the vendor (%s; %s).", g.name, what, descEN(list), db.en), ev...)
	case len(out) > 0:
		f = checks.Review(id,
			fmt.Sprintf("Hôte %s situé hors de l'Union européenne selon la %s : %s ; à vérifier.", g.name, db.name, strings.Join(out, " ; ")),
			fmt.Sprintf("Host %s outside the European Union according to the %s: %s; to check.", g.name, db.en, descEN(out)), ev...)
	case len(unknown) > 0:
		f = checks.Review(id,
			fmt.Sprintf("Hôte %s : adresse %s absente de la %s ; à vérifier.", g.name, strings.Join(unknown, ", "), db.name),
			fmt.Sprintf("Host %s: address %s not in the %s; to check.", g.name, strings.Join(unknown, ", "), db.en), ev...)
	default:
		var in []string
		for _, l := range ls {
			in = append(in, fmt.Sprintf("%s (%s, réseau %s)", l.addr, l.code, l.network))
		}
		f = checks.Pass(id,
			fmt.Sprintf("Hôte %s situé dans l'Union européenne selon la %s : %s.", g.name, db.name, strings.Join(in, " ; ")),
			fmt.Sprintf("Host %s in the European Union according to the %s: %s.", g.name, db.en, descEN(in)), ev...)
	}
	f.Parties = parties
	return f
}

func countHosts(n int, lang string) string {
	if lang == "en" {
		return checks.Count(n, "host", "hosts")
	}
	return checks.Count(n, "hôte", "hôtes")
}

// firstSources are the sources hosts were seen in (one per area).
func firstSources(hosts []checks.Host) []result.Evidence {
	var out []result.Evidence
	seen := map[rules.Area]bool{}
	for _, h := range hosts {
		if !seen[h.Area] {
			seen[h.Area] = true
			out = append(out, result.Evidence{Source: h.Source})
		}
	}
	return out
}
