package netguard

import (
	"errors"
	"net"
	"net/netip"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1":        "loopback",
		"127.8.9.10":       "loopback",
		"::1":              "loopback",
		"10.1.2.3":         "private",
		"172.16.0.1":       "private",
		"172.31.255.254":   "private",
		"192.168.1.1":      "private",
		"fd00::1":          "private",
		"fc00::1":          "private",
		"169.254.169.254":  "link-local",
		"fe80::1":          "link-local",
		"fe80::1%eth0":     "link-local",
		"100.64.0.1":       "CGNAT",
		"100.127.255.255":  "CGNAT",
		"224.0.0.1":        "multicast",
		"239.255.255.250":  "multicast",
		"ff02::1":          "multicast",
		"0.0.0.0":          "unspecified",
		"::":               "unspecified",
		"::ffff:127.0.0.1": "loopback",
		"::ffff:10.0.0.1":  "private",
		"64:ff9b::a00:1":   "private", // NAT64 of 10.0.0.1
		"255.255.255.255":  "broadcast",
		"8.8.8.8":          "",
		"172.32.0.1":       "",
		"100.128.0.1":      "",
		"2001:4860::8888":  "",
		"193.51.24.1":      "",
		"64:ff9b::808:808": "", // NAT64 of 8.8.8.8
	} {
		a := netip.MustParseAddr(addr)
		en, fr := Classify(a)
		if (want == "") != (en == "") || !strings.Contains(en, want) {
			t.Errorf("Classify(%s) = %q, want %q", addr, en, want)
		}
		if (en == "") != (fr == "") {
			t.Errorf("Classify(%s): en %q but fr %q", addr, en, fr)
		}
	}
}

// TestControl: the policy judges the resolved address the dialer is
// about to connect to; an exception opens one address and port only.
func TestControl(t *testing.T) {
	var p Policy
	err := p.Control("tcp4", "127.0.0.1:8080", nil)
	var be *BlockedError
	if !errors.As(err, &be) || be.Addr.String() != "127.0.0.1" || !strings.Contains(err.Error(), "--allow-private-network") || !strings.Contains(be.French(), "adresse de bouclage") {
		t.Errorf("loopback: %v", err)
	}
	if err := p.Control("tcp6", "[2001:4860::8888]:443", nil); err != nil {
		t.Errorf("public: %v", err)
	}
	p.Except = []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:8080")}
	if err := p.Control("tcp4", "127.0.0.1:8080", nil); err != nil {
		t.Errorf("exception: %v", err)
	}
	if err := p.Control("tcp4", "127.0.0.1:8081", nil); err == nil {
		t.Error("exception for port 8080 opened port 8081")
	}
	if err := (Policy{AllowPrivate: true}).Control("tcp4", "10.0.0.1:443", nil); err != nil {
		t.Errorf("allowed: %v", err)
	}
	// Through a real dialer: the check runs on the resolved address.
	d := net.Dialer{Control: Policy{}.Control}
	if _, err := d.Dial("tcp", "localhost:9"); !errors.As(err, &be) {
		t.Errorf("localhost (resolved to loopback) not refused: %v", err)
	}
}
