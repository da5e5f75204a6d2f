package serve

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net"
	"net/http"
	"net/netip"
	"os"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/yamlpos"
)

// Role is what a token may see.
type Role string

const (
	// RoleCollectivite sees the audits it submitted.
	RoleCollectivite Role = "collectivite"
	// RoleDSDEN sees the audits of the collectivités of its département.
	RoleDSDEN Role = "dsden"
	// RoleAdmin sees every audit.
	RoleAdmin Role = "admin"
)

// Principal is who a token stands for. Name is the token's name in
// tokens.yaml (a collectivité or a service, never a person's token).
type Principal struct {
	Name        string
	Role        Role
	Departement string
}

// CanSee says whether p may see a (404 otherwise).
func (p Principal) CanSee(a Audit) bool {
	switch p.Role {
	case RoleAdmin:
		return true
	case RoleDSDEN:
		return a.Departement == p.Departement
	case RoleCollectivite:
		return a.Owner == p.Name
	}
	return false
}

// CanDelete says whether p may delete a: its owner, or an administrator
// (erasure requests).
func (p Principal) CanDelete(a Audit) bool {
	return p.Role == RoleAdmin || a.Owner == p.Name
}

// Filter is what p may list.
func (p Principal) Filter() Filter {
	switch p.Role {
	case RoleAdmin:
		return Filter{}
	case RoleDSDEN:
		return Filter{Departement: p.Departement}
	}
	return Filter{Owner: p.Name}
}

// Tokens are the known tokens, by their SHA-256 only.
type Tokens struct {
	entries []tokenEntry
}

type tokenEntry struct {
	hash []byte
	p    Principal
	// source and line: where tokens.yaml lists it (said when the token
	// turns out too short)
	source string
	line   int
}

type tokenFile struct {
	Tokens []tokenSpec `yaml:"tokens"`
}

type tokenSpec struct {
	Name        string `yaml:"name"`
	Role        string `yaml:"role"`
	Departement string `yaml:"departement"`
	TokenSHA256 string `yaml:"token_sha256"`
}

var (
	hexSHA256   = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	departement = regexp.MustCompile(`^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$`)
)

// LoadTokens reads tokens.yaml. Errors name the file, the line and the
// problem (in French with input.French).
func LoadTokens(path string) (*Tokens, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{Source: path, Err: input.Wrap(err, "read tokens file", "fichier des jetons illisible")}
	}
	return ParseTokens(path, data)
}

// ParseTokens parses the content of a tokens file named source.
func ParseTokens(source string, data []byte) (*Tokens, error) {
	doc, perr := yamlpos.Parse(source, data)
	if perr != nil {
		return nil, perr
	}
	var f tokenFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, yamlpos.Error(source, err)
	}
	fail := func(i int, key, en, fr string, args ...any) error {
		line := 0
		if doc != nil {
			line = itemLine(doc, i, key)
		}
		return &input.Error{Source: source, Line: line, Err: input.Problemf(en, fr, args...)}
	}
	if len(f.Tokens) == 0 {
		return nil, &input.Error{Source: source, Err: input.Problemf("no token: a top-level \"tokens:\" list is expected", "aucun jeton : une liste « tokens: » est attendue")}
	}
	t := &Tokens{}
	names := map[string]bool{}
	hashes := map[string]bool{}
	for i, e := range f.Tokens {
		if e.Name == "" {
			return nil, fail(i, "name", "tokens[%d]: name missing", "tokens[%d] : name manquant", i)
		}
		if names[e.Name] {
			return nil, fail(i, "name", "tokens[%d]: name %q given twice", "tokens[%d] : le nom %q figure deux fois", i, e.Name)
		}
		names[e.Name] = true
		r := Role(e.Role)
		if r != RoleCollectivite && r != RoleDSDEN && r != RoleAdmin {
			return nil, fail(i, "role", "tokens[%d]: role %q: expected collectivite, dsden or admin", "tokens[%d] : rôle %q : collectivite, dsden ou admin attendu", i, e.Role)
		}
		if r != RoleAdmin && !departement.MatchString(e.Departement) {
			return nil, fail(i, "departement", "tokens[%d]: departement %q: a département number such as \"86\" or \"2A\" is expected", "tokens[%d] : departement %q : un numéro de département tel que « 86 » ou « 2A » est attendu", i, e.Departement)
		}
		if !hexSHA256.MatchString(e.TokenSHA256) {
			return nil, fail(i, "token_sha256", "tokens[%d]: token_sha256: the hex SHA-256 of the token is expected (64 hex digits; the file never holds a token in clear)", "tokens[%d] : token_sha256 : l'empreinte SHA-256 du jeton en hexadécimal est attendue (64 chiffres ; le fichier ne contient jamais le jeton en clair)", i)
		}
		h, _ := hex.DecodeString(e.TokenSHA256)
		if hex.EncodeToString(h) == emptySHA256 {
			return nil, fail(i, "token_sha256", "tokens[%d]: token_sha256 is the SHA-256 of an empty token (was the variable holding the token empty?)", "tokens[%d] : token_sha256 est l'empreinte d'un jeton vide (la variable qui contenait le jeton était-elle vide ?)", i)
		}
		if hashes[string(h)] {
			return nil, fail(i, "token_sha256", "tokens[%d]: the same token is given twice", "tokens[%d] : le même jeton figure deux fois", i)
		}
		hashes[string(h)] = true
		line := 0
		if doc != nil {
			line = itemLine(doc, i, "token_sha256")
		}
		t.entries = append(t.entries, tokenEntry{hash: h, p: Principal{Name: e.Name, Role: r, Departement: e.Departement}, source: source, line: line})
	}
	return t, nil
}

// itemLine is the line of key in the i-th item of the tokens list.
func itemLine(doc *yaml.Node, i int, key string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value != "tokens" {
			continue
		}
		list := n.Content[j+1]
		if i >= len(list.Content) {
			return list.Line
		}
		item := list.Content[i]
		for k := 0; k+1 < len(item.Content); k += 2 {
			if item.Content[k].Value == key {
				return item.Content[k].Line
			}
		}
		return item.Line
	}
	return 0
}

// emptySHA256 is the SHA-256 of the empty string.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Lookup finds the principal of token. Every entry is compared, in
// constant time, whether or not an earlier one matched.
func (t *Tokens) Lookup(token string) (Principal, bool) {
	e, ok := t.lookup(token)
	return e.p, ok
}

func (t *Tokens) lookup(token string) (tokenEntry, bool) {
	if token == "" {
		return tokenEntry{}, false
	}
	h := sha256.Sum256([]byte(token))
	var found tokenEntry
	ok := 0
	for _, e := range t.entries {
		m := subtle.ConstantTimeCompare(h[:], e.hash)
		if m == 1 {
			found = e
		}
		ok |= m
	}
	return found, ok == 1
}

// authResult is what a presented token is worth.
type authResult int

const (
	authOK      authResult = iota
	authNone               // no token presented
	authUnknown            // not in tokens.yaml
	authShort              // in tokens.yaml, but shorter than MinTokenLength
)

// authenticate checks a presented token. tokens.yaml holds only the
// tokens' SHA-256, so a token too short to resist guessing shows only
// when it is presented: it is then refused, and the log names the file
// and line of its entry for the administrator to replace it.
func (s *Service) authenticate(token string) (Principal, authResult) {
	if token == "" {
		return Principal{}, authNone
	}
	e, ok := s.cfg.Tokens.lookup(token)
	if !ok {
		return Principal{}, authUnknown
	}
	if len(token) < MinTokenLength {
		s.log.Error("token too short: refused; replace it (sdetcheck serve token)", "name", e.p.Name, "file", e.source, "line", e.line, "min", MinTokenLength)
		return Principal{}, authShort
	}
	return e.p, authOK
}

// Failed authentications (an unknown or too short token) are throttled
// per client address: authFailBurst at once, then one every
// authFailEvery. Past that, every authentication from the address is
// refused (429), a good token too, until the budget refills.
const (
	authFailBurst = 10
	authFailEvery = 6 * time.Second
)

// clientAddr is the key of r's client for the throttle: its address (a
// /64 for IPv6), or, behind a trusted local proxy, the last address of
// X-Forwarded-For.
func (s *Service) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err == nil && s.cfg.TrustProxy && ip.IsLoopback() {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if fwd, ferr := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); ferr == nil {
				ip = fwd
			}
		}
	}
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// authThrottled says whether r's client address has spent its failed
// authentications, and how long until it may try again.
func (s *Service) authThrottled(r *http.Request) (bool, time.Duration) {
	now := s.cfg.Now()
	left := s.failures.get(s.clientAddr(r), now).TokensAt(now)
	if left >= 1 {
		return false, 0
	}
	return true, time.Duration((1 - left) * float64(authFailEvery))
}

// authFailed counts a failed authentication of r's client address.
func (s *Service) authFailed(r *http.Request) {
	now := s.cfg.Now()
	s.failures.get(s.clientAddr(r), now).AllowN(now, 1)
	s.log.Info("authentication failed")
}

// HashToken is the hex SHA-256 of a token, as tokens.yaml holds it.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// bearer is the request's Bearer token ("" if none).
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return ""
	}
	return strings.TrimSpace(h[len(prefix):])
}

// MinTokenLength is the fewest characters a token may have: 32, 128 bits
// or more of a random token (NewToken's have 43, 256 bits).
const MinTokenLength = 32

// NewToken makes a random token (32 bytes, 43 characters in base64url)
// and its SHA-256 in hex, as tokens.yaml lists it.
func NewToken() (token, sum string) {
	token = randomToken()
	return token, HashToken(token)
}
