// Package netguard keeps live fetching on the public Internet: a page, a
// notice link or a redirect must not make sdetcheck connect to the
// machine it runs on, to the auditor's local network or to a cloud
// metadata service (server-side request forgery). The check is made on the
// address actually dialled, after name resolution (net.Dialer.Control),
// so that a name resolving to a public address when checked and to a
// private one when connecting (DNS rebinding) cannot pass.
package netguard

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ranges are the destinations refused, with why, most specific first.
var ranges = []struct {
	prefix netip.Prefix
	en, fr string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified address", "adresse non spécifiée"},
	{netip.MustParsePrefix("::/128"), "unspecified address", "adresse non spécifiée"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback address (this machine)", "adresse de bouclage (cette machine)"},
	{netip.MustParsePrefix("::1/128"), "loopback address (this machine)", "adresse de bouclage (cette machine)"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private address (RFC 1918)", "adresse privée (RFC 1918)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private address (RFC 1918)", "adresse privée (RFC 1918)"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private address (RFC 1918)", "adresse privée (RFC 1918)"},
	{netip.MustParsePrefix("fc00::/7"), "private address (unique local, fc00::/7)", "adresse privée (locale unique, fc00::/7)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local address (cloud metadata services)", "adresse de lien local (services de métadonnées des clouds)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local address", "adresse de lien local"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space (CGNAT, RFC 6598)", "espace d'adresses partagé (CGNAT, RFC 6598)"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast address", "adresse de multidiffusion"},
	{netip.MustParsePrefix("ff00::/8"), "multicast address", "adresse de multidiffusion"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast address", "adresse de diffusion"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved address", "adresse réservée"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved address (IETF protocol assignments)", "adresse réservée (protocoles de l'IETF)"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved address (benchmarking)", "adresse réservée (tests de performance)"},
}

// Classify says why addr is not a public destination ("" when it is):
// English and French reasons. IPv4 addresses written in IPv6 (::ffff:a.b.c.d)
// and embedded in the NAT64 prefix 64:ff9b::/96 are judged as IPv4.
func Classify(addr netip.Addr) (en, fr string) {
	addr = addr.Unmap().WithZone("")
	if addr.Is6() && nat64.Contains(addr) {
		b := addr.As16()
		addr = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	for _, r := range ranges {
		if r.prefix.Contains(addr) {
			return r.en, r.fr
		}
	}
	return "", ""
}

var nat64 = netip.MustParsePrefix("64:ff9b::/96")

// BlockedError is a connection refused by the guard.
type BlockedError struct {
	// Addr is the address that would have been dialled.
	Addr   netip.Addr
	EN, FR string
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("connection to %s refused: %s (use --allow-private-network to audit a site on a private network on purpose)", e.Addr, e.EN)
}

// French is the error in French.
func (e *BlockedError) French() string {
	return fmt.Sprintf("connexion à %s refusée : %s (--allow-private-network pour auditer volontairement un site d'un réseau privé)", e.Addr, e.FR)
}

// Policy decides which addresses may be dialled.
type Policy struct {
	// AllowPrivate lets every address through (--allow-private-network:
	// a pre-production site, tests).
	AllowPrivate bool
	// Except lists addresses allowed although not public (tests use it to
	// allow one local server and no other).
	Except []netip.AddrPort
}

// Control is a net.Dialer Control function: it runs once the name is
// resolved, just before connecting, with the address dialled.
func (p Policy) Control(network, address string, _ syscall.RawConn) error {
	if p.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("netguard: unexpected address %q: %w", address, err)
	}
	for _, e := range p.Except {
		if e.Addr().Unmap() == ap.Addr().Unmap() && e.Port() == ap.Port() {
			return nil
		}
	}
	if en, fr := Classify(ap.Addr()); en != "" {
		return &BlockedError{Addr: ap.Addr().Unmap(), EN: en, FR: fr}
	}
	return nil
}

// Transport returns an HTTP transport that dials through the policy. It
// uses no proxy: through a proxy the address finally connected to could
// not be checked.
func (p Policy) Transport() *http.Transport {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: p.Control}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	return t
}
