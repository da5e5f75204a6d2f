package serve

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"os"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

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
		if hashes[string(h)] {
			return nil, fail(i, "token_sha256", "tokens[%d]: the same token is given twice", "tokens[%d] : le même jeton figure deux fois", i)
		}
		hashes[string(h)] = true
		t.entries = append(t.entries, tokenEntry{hash: h, p: Principal{Name: e.Name, Role: r, Departement: e.Departement}})
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

// Lookup finds the principal of token. Every entry is compared, in
// constant time, whether or not an earlier one matched.
func (t *Tokens) Lookup(token string) (Principal, bool) {
	if token == "" {
		return Principal{}, false
	}
	h := sha256.Sum256([]byte(token))
	var found Principal
	ok := 0
	for _, e := range t.entries {
		m := subtle.ConstantTimeCompare(h[:], e.hash)
		if m == 1 {
			found = e.p
		}
		ok |= m
	}
	return found, ok == 1
}

// HashToken is the hex SHA-256 of a token, as tokens.yaml holds it.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// bearer is the principal of the request's Bearer token.
func (s *Service) bearer(r *http.Request) (Principal, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return Principal{}, false
	}
	return s.cfg.Tokens.Lookup(strings.TrimSpace(h[len(prefix):]))
}
