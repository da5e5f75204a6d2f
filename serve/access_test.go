package serve

import (
	"bytes"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A bad request is refused with 400 application/problem+json naming the
// field, by the contract's validation before any handler; a missing or
// unknown token with 401 before the request is read.
func TestAPIBadRequests(t *testing.T) {
	h := newHarness(t, Config{Workers: 1, Queue: 1})
	other, otherType := multipartBody(t, "autre", "x.zip", []byte("PK\x03\x04"))
	notArchive, naType := multipartBody(t, "dossier", "x.txt", []byte("bonjour"))
	cases := []struct {
		name, method, path, token string
		body                      *bytes.Buffer
		ctype                     string
		status                    int
		field                     string
	}{
		{"id not an id", "GET", "/api/v1/audits/xyz", "tok-poitiers-0123456789abcdef0123456789", nil, "", 400, "id"},
		{"report id", "GET", "/api/v1/audits/ABC/report.pdf", "tok-poitiers-0123456789abcdef0123456789", nil, "", 400, "id"},
		{"no dossier part", "POST", "/api/v1/audits", "tok-poitiers-0123456789abcdef0123456789", other, otherType, 400, "autre"},
		{"not multipart", "POST", "/api/v1/audits", "tok-poitiers-0123456789abcdef0123456789", bytes.NewBufferString(`{"dossier":"x"}`), "application/json", 400, "Content-Type"},
		{"not an archive", "POST", "/api/v1/audits", "tok-poitiers-0123456789abcdef0123456789", notArchive, naType, 400, "dossier"},
		{"no token", "GET", "/api/v1/audits", "", nil, "", 401, "Authorization"},
		{"unknown token", "GET", "/api/v1/audits", "tok-inconnu", nil, "", 401, "Authorization"},
		{"unknown token, bad id", "GET", "/api/v1/audits/xyz", "tok-inconnu", nil, "", 401, "Authorization"},
		{"no token upload", "POST", "/api/v1/audits", "", notArchive, naType, 401, "Authorization"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r response
			if c.body != nil {
				r = h.do(c.method, c.path, c.token, bytes.NewReader(c.body.Bytes()), c.ctype)
			} else {
				r = h.do(c.method, c.path, c.token, nil, "")
			}
			if r.status != c.status || r.header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s, want %d problem+json", r.status, r.header.Get("Content-Type"), r.body, c.status)
			}
			var p Problem
			r.json(t, &p)
			if p.Field != c.field || p.Status != c.status || p.Detail == "" {
				t.Errorf("problem %+v, want field %q", p, c.field)
			}
			if c.status == 401 && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}

// A collectivité sees only its audits, a DSDEN those of its
// département's collectivités, an administrator all; another
// collectivité's token gets 404 on every route of an audit, and only the
// owner (or an administrator) deletes.
func TestAccessScopes(t *testing.T) {
	h := newHarness(t, Config{Workers: 2, Queue: 8})
	archive := tarGz(t, conforme, "")
	ids := map[string]string{}
	for _, owner := range []string{"poitiers", "chatellerault", "larochelle"} {
		r := h.upload(testTokens[owner], archive)
		if r.status != http.StatusAccepted {
			t.Fatalf("upload %s: %d %s", owner, r.status, r.body)
		}
		var acc struct{ ID string }
		r.json(t, &acc)
		ids[owner] = acc.ID
		h.waitDone(testTokens[owner], acc.ID)
	}
	list := func(token string) []string {
		r := h.do("GET", "/api/v1/audits", token, nil, "")
		if r.status != 200 {
			t.Fatalf("list: %d", r.status)
		}
		var l struct{ Audits []struct{ Owner string } }
		r.json(t, &l)
		var out []string
		for _, a := range l.Audits {
			out = append(out, a.Owner)
		}
		sort.Strings(out)
		return out
	}
	for token, want := range map[string][]string{
		"tok-poitiers-0123456789abcdef0123456789":   {"poitiers"},
		"tok-larochelle-0123456789abcdef0123456789": {"larochelle"},
		"tok-dsden86-0123456789abcdef0123456789":    {"chatellerault", "poitiers"},
		"tok-admin-0123456789abcdef0123456789":      {"chatellerault", "larochelle", "poitiers"},
	} {
		if d := cmp.Diff(want, list(token)); d != "" {
			t.Errorf("%s sees (-want +got):\n%s", token, d)
		}
	}
	// another collectivité, even of the same département: 404 everywhere
	id := ids["poitiers"]
	for _, token := range []string{"tok-chatellerault-0123456789abcdef0123456789", "tok-larochelle-0123456789abcdef0123456789"} {
		for _, p := range []string{"", "/report.pdf", "/report.html", "/report.json", "/report.sarif"} {
			if r := h.do("GET", "/api/v1/audits/"+id+p, token, nil, ""); r.status != 404 {
				t.Errorf("%s GET %s: %d, want 404", token, p, r.status)
			}
		}
		if r := h.do("DELETE", "/api/v1/audits/"+id, token, nil, ""); r.status != 404 {
			t.Errorf("%s DELETE: %d, want 404", token, r.status)
		}
	}
	// the DSDEN sees it but may not delete it; the other département's
	// audit is out of its scope
	if r := h.do("GET", "/api/v1/audits/"+id+"/report.pdf", "tok-dsden86-0123456789abcdef0123456789", nil, ""); r.status != 200 {
		t.Errorf("dsden86 report: %d", r.status)
	}
	if r := h.do("GET", "/api/v1/audits/"+ids["larochelle"], "tok-dsden86-0123456789abcdef0123456789", nil, ""); r.status != 404 {
		t.Errorf("dsden86 sees La Rochelle's audit: %d", r.status)
	}
	if r := h.do("DELETE", "/api/v1/audits/"+id, "tok-dsden86-0123456789abcdef0123456789", nil, ""); r.status != 403 {
		t.Errorf("dsden86 DELETE: %d, want 403", r.status)
	}
	if r := h.do("DELETE", "/api/v1/audits/"+id, "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 204 {
		t.Errorf("owner DELETE: %d, want 204", r.status)
	}
	if r := h.do("GET", "/api/v1/audits/"+id, "tok-poitiers-0123456789abcdef0123456789", nil, ""); r.status != 404 {
		t.Errorf("deleted audit: %d, want 404", r.status)
	}
	if r := h.do("DELETE", "/api/v1/audits/"+ids["larochelle"], "tok-admin-0123456789abcdef0123456789", nil, ""); r.status != 204 {
		t.Errorf("admin DELETE: %d, want 204", r.status)
	}
	if got := list("tok-admin-0123456789abcdef0123456789"); !cmp.Equal(got, []string{"chatellerault"}) {
		t.Errorf("after deletions admin sees %v", got)
	}
}

// tokens.yaml mistakes are said with the file, the line and the field.
func TestTokensFile(t *testing.T) {
	good := HashToken("x")
	cases := map[string]string{
		"tokens:\n  - {name: a, role: maire, departement: \"86\", token_sha256: " + good + "}\n":          "tokens.yaml, ligne 2 : tokens[0] : rôle \"maire\"",
		"tokens:\n  - name: a\n    role: dsden\n    departement: 86000\n    token_sha256: " + good + "\n": "tokens.yaml, ligne 4 : tokens[0] : departement \"86000\"",
		"tokens:\n  - {name: a, role: admin, token_sha256: secret}\n":                                     "tokens.yaml, ligne 2 : tokens[0] : token_sha256",
		"tokens: []\n": "aucun jeton",
		"tokens:\n  - {name: a, role: admin, token_sha256: " + good + "}\n  - {name: a, role: admin, token_sha256: " + HashToken("y") + "}\n": "ligne 3 : tokens[1] : le nom \"a\" figure deux fois",
		"tokens:\n  - {name: a, role: admin, token: x}\n": "clé inconnue",
		"tokens:\n  - {name: a, role: admin, token_sha256: " + good + "}\n  - {name: b, role: admin, token_sha256: " + HashToken("") + "}\n": "ligne 3 : tokens[1] : token_sha256 est l'empreinte d'un jeton vide",
	}
	for yaml, want := range cases {
		_, err := ParseTokens("tokens.yaml", []byte(yaml))
		if err == nil || !strings.Contains(frenchOf(err), want) {
			t.Errorf("%q: %v, want %q", yaml, frenchOf(err), want)
		}
	}
	toks, err := ParseTokens("tokens.yaml", []byte(tokensYAML()))
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := toks.Lookup("tok-dsden86-0123456789abcdef0123456789"); !ok || p.Role != RoleDSDEN || p.Departement != "86" {
		t.Errorf("lookup: %+v %v", p, ok)
	}
	for _, bad := range []string{"", "tok-dsden86-0123456789abcdef012345678", "tok-dsden86-0123456789abcdef01234567890", HashToken("tok-admin-0123456789abcdef0123456789")} {
		if _, ok := toks.Lookup(bad); ok {
			t.Errorf("token %q accepted", bad)
		}
	}
}
