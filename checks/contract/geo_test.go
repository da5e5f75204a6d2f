package contract

import (
	"bytes"
	"context"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// testNetworks are the networks of the test database: documentation
// ranges (RFC 5737, RFC 3849) placed in countries, and a Cloudflare
// address that a database places in the United States.
var testNetworks = map[string]string{
	"192.0.2.0/24":     "FR",
	"198.51.100.0/24":  "US",
	"203.0.113.0/24":   "DE",
	"2001:db8:1::/48":  "FR",
	"2001:db8:2::/48":  "US",
	"104.16.0.0/13":    "US",
	"151.101.128.0/17": "US",
}

// geoipFixture is the database the catalogue's examples run with.
const geoipFixture = "../../fixtures/contract/geoip-test.mmdb"

// writeTestDB writes the test database (ip-location-db's record shape:
// country_code) with a fixed build date.
func writeTestDB(t testing.TB) []byte {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            "sdetcheck-test-country",
		Description:             map[string]string{"en": "sdetcheck test database (documentation ranges)"},
		IncludeReservedNetworks: true,
		IPVersion:               6,
		RecordSize:              24,
		BuildEpoch:              time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Unix(),
	})
	if err != nil {
		t.Fatal(err)
	}
	for n, cc := range testNetworks {
		_, ipn, err := net.ParseCIDR(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(ipn, mmdbtype.Map{"country_code": mmdbtype.String(cc)}); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := tree.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestGeoIPFixture keeps the examples' database what writeTestDB writes
// (SDETCHECK_UPDATE_GEOIP=1 rewrites it).
func TestGeoIPFixture(t *testing.T) {
	data := writeTestDB(t)
	if os.Getenv("SDETCHECK_UPDATE_GEOIP") != "" {
		if err := os.WriteFile(geoipFixture, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := openGeoDB(geoipFixture)
	if err != nil {
		t.Fatal(err)
	}
	for addr, want := range map[string]string{"192.0.2.10": "FR", "198.51.100.20": "US", "2001:db8:1::5": "FR", "203.0.113.9": "DE"} {
		if got := db.locate(netip.MustParseAddr(addr)).code; got != want {
			t.Errorf("%s: %q, want %q", addr, got, want)
		}
	}
	if l := db.locate(netip.MustParseAddr("203.0.114.1")); l.code != "" {
		t.Errorf("address outside the database located in %q", l.code)
	}
	if !strings.Contains(db.name, "2026-11-01") || !strings.Contains(db.name, "geoip-test.mmdb") {
		t.Errorf("database named %q", db.name)
	}
}

// fakeDNS answers from a table; no test reaches a real resolver.
type fakeDNS struct {
	addrs  map[string][]string
	cnames map[string]string
}

func (f fakeDNS) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	as, ok := f.addrs[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	var out []netip.Addr
	for _, a := range as {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

func (f fakeDNS) LookupCNAME(_ context.Context, host string) (string, error) {
	if c, ok := f.cnames[host]; ok {
		return c, nil
	}
	return host + ".", nil
}

func geoEnv(t *testing.T, f fakeDNS) *checks.Env {
	path := filepath.Join(t.TempDir(), "test.mmdb")
	if err := os.WriteFile(path, writeTestDB(t), 0o644); err != nil {
		t.Fatal(err)
	}
	return &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		Opts: checks.Options{GeoIP: path, ENTURL: "https://ent.fictif.example"}, Resolver: f}
}

// TestHostingLive: in an audit en ligne every host is resolved and
// located; outside the Union, anycast, CDN, unknown and unresolved hosts
// are to be checked, never passed; the State's hosts are not located.
func TestHostingLive(t *testing.T) {
	env := geoEnv(t, fakeDNS{
		addrs: map[string][]string{
			"ent.fictif.example":       {"192.0.2.10", "2001:db8:1::10"},
			"stats.exemple-us.example": {"198.51.100.20"},
			"cdn.exemple.example":      {"104.16.1.1"},
			"geo.exemple.example":      {"203.0.113.5"},
			"alias.exemple.example":    {"203.0.113.6"},
			"inconnu.exemple.example":  {"203.0.114.1"},
		},
		cnames: map[string]string{"alias.exemple.example": "d123.cloudfront.net."},
	})
	page := "https://ent.fictif.example/"
	var hosts []checks.Host
	for _, h := range []string{"ent.fictif.example", "stats.exemple-us.example", "cdn.exemple.example", "geo.exemple.example", "alias.exemple.example", "inconnu.exemple.example", "absent.exemple.example", "educonnect.education.gouv.fr"} {
		hosts = append(hosts, checks.Host{Name: h, Area: rules.AreaPage, Source: page, Use: rules.Text{FR: "script", EN: "script"}})
	}
	fs := hostingFindings(env, hosts)
	got := map[string]result.Finding{}
	for _, f := range fs {
		for _, h := range []string{"ent.fictif.example", "stats.exemple-us.example", "cdn.exemple.example", "geo.exemple.example", "alias.exemple.example", "inconnu.exemple.example", "absent.exemple.example", "educonnect"} {
			if strings.Contains(f.Message, h) {
				got[h] = f
			}
		}
	}
	check := func(host string, st result.Status, review bool, words ...string) {
		t.Helper()
		f, ok := got[host]
		if !ok {
			t.Errorf("%s: no finding", host)
			return
		}
		if f.Status != st || f.Review != review {
			t.Errorf("%s: %s review=%v, want %s review=%v: %s", host, f.Status, f.Review, st, review, f.Message)
		}
		for _, w := range words {
			if !strings.Contains(f.Message, w) {
				t.Errorf("%s: %q does not say %q", host, f.Message, w)
			}
		}
	}
	check("ent.fictif.example", result.Pass, false, "192.0.2.10", "FR", "192.0.2.0/24", "2001:db8:1::10", "2026-11-01")
	check("stats.exemple-us.example", result.Warn, true, "198.51.100.20", "US", "198.51.100.0/24", "hors de l'Union")
	check("cdn.exemple.example", result.Warn, true, "anycast Cloudflare", "incertain")
	check("geo.exemple.example", result.Pass, false, "DE")
	check("alias.exemple.example", result.Warn, true, "Amazon CloudFront")
	check("inconnu.exemple.example", result.Warn, true, "absente")
	check("absent.exemple.example", result.Warn, true, "non résolu")
	if _, ok := got["educonnect"]; ok {
		t.Error("a State host was located")
	}
	if f := got["stats.exemple-us.example"]; len(f.Parties) != 1 || f.Parties[0].Located != "US" || f.Parties[0].Network != "198.51.100.0/24" {
		t.Errorf("parties %+v", f.Parties)
	}
}

// TestHostingSavedCopies: on saved copies the names are not resolved (a
// live-only not-evaluated finding); an IP address written in a piece is
// located all the same; without a database, nothing is guessed.
func TestHostingSavedCopies(t *testing.T) {
	env := geoEnv(t, fakeDNS{})
	hosts := []checks.Host{
		{Name: "ent.fictif.example", Area: rules.AreaSAML, Source: "saml/idp.xml", Own: true},
		{Name: "198.51.100.7", Area: rules.AreaSAML, Source: "saml/idp.xml"},
	}
	fs := hostingFindings(env, hosts)
	var live, ip bool
	for _, f := range fs {
		switch {
		case f.LiveOnly && f.Status == result.NotEvaluated:
			live = true
		case strings.Contains(f.Message, "198.51.100.7") && f.Review:
			ip = true
		}
	}
	if !live || !ip {
		t.Errorf("live-only %v, IP located %v: %+v", live, ip, fs)
	}
	env.Opts.GeoIP = ""
	fs = hostingFindings(env, hosts)
	if len(fs) != 1 || fs[0].Status != result.NotEvaluated || !strings.Contains(fs[0].Message, "--geoip") {
		t.Errorf("without a database: %+v", fs)
	}
	env.Opts.GeoIP = filepath.Join(t.TempDir(), "absente.mmdb")
	if fs := hostingFindings(env, hosts); len(fs) != 1 || fs[0].Status != result.Error {
		t.Errorf("missing database: %+v", fs)
	}
	bad := filepath.Join(t.TempDir(), "bad.mmdb")
	os.WriteFile(bad, []byte("pas une base"), 0o644)
	env.Opts.GeoIP = bad
	if fs := hostingFindings(env, hosts); len(fs) != 1 || fs[0].Status != result.Error || !strings.Contains(fs[0].Message, "MMDB") {
		t.Errorf("corrupt database: %+v", fs)
	}
}
