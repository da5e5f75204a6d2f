package checks

import (
	"context"
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/sdetcheck/sdetcheck/rules"
)

// Host is a host an area saw the ENT use: a page loads from it, the IdP
// metadata names it, an SSO exchange goes through it. Areas record the
// hosts they see (Env.Seen) as they run; a cross-area step of the audit
// (Area.Cross) reads them once every area has run: the contract's
// sub-processors are checked against them.
type Host struct {
	// Name is the host name, lower case, or an IP address.
	Name string
	// Area is the area that saw it.
	Area rules.Area
	// Source is the piece (file path or URL) where it was seen.
	Source string
	// Use says how the ENT uses it ("script", "SingleSignOnService"), in
	// French and English.
	Use rules.Text
	// Own: the host is the ENT's own address as the piece says it (a
	// page's URL, the IdP's entityID).
	Own bool
	// Tracker names the tracker the page rules recognised in it ("" when
	// none).
	Tracker string
}

// Seen collects the hosts the areas of a run saw. Its methods are safe
// for concurrent use, and do nothing on a nil Seen (`sdetcheck check`
// runs one area: nothing reads what it saw).
type Seen struct {
	mu    sync.Mutex
	hosts []Host
	keys  map[string]bool
}

// Host records a host (once per name, area, source and use).
func (s *Seen) Host(h Host) {
	if s == nil {
		return
	}
	h.Name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h.Name)), ".")
	if h.Name == "" {
		return
	}
	key := h.Name + "\x00" + string(h.Area) + "\x00" + h.Source + "\x00" + h.Use.FR
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.keys == nil {
		s.keys = map[string]bool{}
	}
	if s.keys[key] {
		return
	}
	s.keys[key] = true
	s.hosts = append(s.hosts, h)
}

// Hosts returns the hosts recorded, sorted by name, area, source and use.
func (s *Seen) Hosts() []Host {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	out := append([]Host(nil), s.hosts...)
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Name != b.Name:
			return a.Name < b.Name
		case a.Area != b.Area:
			return a.Area < b.Area
		case a.Source != b.Source:
			return a.Source < b.Source
		}
		return a.Use.FR < b.Use.FR
	})
	return out
}

// Resolver resolves host names: net.DefaultResolver in a run (nil in
// Env), a table in tests (no test reaches a real resolver).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	LookupCNAME(ctx context.Context, host string) (string, error)
}
