package sso

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// deflate64 is x as the HTTP-Redirect binding carries it: raw DEFLATE (RFC
// 1951), then base64 (saml-bindings-2.0-os §3.4.4.1).
func deflate64(t *testing.T, x string) string {
	t.Helper()
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(x)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// TestDeflatedCaptures: a SAMLResponse given deflated (ruby-saml's logs,
// a HAR of a redirect, a copied address), URL-encoded or not, is read as
// the same response posted plainly; a decompression bomb is refused with a
// clear error, without inflating it whole.
func TestDeflatedCaptures(t *testing.T) {
	good := goodResponse(t)
	d := deflate64(t, good)
	if !strings.ContainsAny(d, "+/") {
		t.Fatal("the deflated response has no character URL encoding changes")
	}
	relay := url.QueryEscape("ark:/99999/r-fictive-ressource")
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(p string) []result.Finding {
		e := env(full())
		defer e.Cache.Close()
		return Check(e, p)
	}
	plain := byRule(run(write("plain.xml", good)))
	for _, c := range []struct{ name, data string }{
		{"deflate.b64", d},
		{"deflate-wrapped.b64", strings.Join([]string{d[:76], d[76:152], d[152:]}, "\n")},
		{"deflate-urlencoded.txt", url.QueryEscape(d)},
		{"ruby-saml-form.txt", "SAMLResponse=" + url.QueryEscape(d) + "&RelayState=" + relay},
		{"redirect-url.txt", "https://sp.gar.fictif.example/saml/SAML2/Redirect?SAMLResponse=" + url.QueryEscape(d) + "&RelayState=" + relay + "&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256&Signature=c2VjcmV0LWRlLXRlc3Q%3D"},
		{"redirect.har", `{"log": {"entries": [{"startedDateTime": "2026-11-20T09:00:02.000Z", "request": {"method": "GET", "url": "https://sp.gar.fictif.example/saml/SAML2/Redirect?SAMLResponse=` + url.QueryEscape(d) + `", "queryString": [{"name": "SAMLResponse", "value": "` + url.QueryEscape(d) + `"}, {"name": "RelayState", "value": "` + relay + `"}]}}]}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := run(write(c.name, c.data))
			if miss := checks.Missing(rules.AreaSSO, fs); len(miss) > 0 {
				t.Fatalf("rules without finding: %v", miss)
			}
			for rule, rf := range byRule(fs) {
				if len(rf) != 1 || len(plain[rule]) != 1 || rf[0].Status != plain[rule][0].Status {
					t.Errorf("%s: %v, the plain response: %v", rule, rf, plain[rule])
				}
			}
			for _, f := range fs {
				if strings.Contains(f.Message+f.MessageEN, "c2VjcmV0") || strings.Contains(f.Message+f.MessageEN, "Redirect?") {
					t.Errorf("%s copies the address: %s", f.Rule, f.Message)
				}
			}
		})
	}

	// An AuthnRequest (SAMLRequest) is read, and is no response.
	req := `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1b2c3d4e5f6" Version="2.0" IssueInstant="2026-11-20T08:59:58Z" AssertionConsumerServiceURL="https://sp.gar.fictif.example/saml/SAML2/POST"><saml:Issuer>https://sp.gar.fictif.example/saml</saml:Issuer></samlp:AuthnRequest>`
	for _, f := range run(write("request.txt", "SAMLRequest="+url.QueryEscape(deflate64(t, req)))) {
		if f.Status != result.Error || !strings.Contains(f.Message, "aucune réponse SAML") {
			t.Fatalf("SAMLRequest: %s %s", f.Status, f.Message)
		}
	}

	// A decompression bomb: 64 MiB of blanks in a few tens of kilobytes.
	var bomb bytes.Buffer
	w, _ := flate.NewWriter(&bomb, flate.BestCompression)
	w.Write([]byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">`))
	blank := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 64; i++ {
		w.Write(blank)
	}
	w.Close()
	fs := run(write("bombe-deflate.b64", base64.StdEncoding.EncodeToString(bomb.Bytes())))
	if miss := checks.Missing(rules.AreaSSO, fs); len(miss) > 0 {
		t.Errorf("bomb: rules without finding: %v", miss)
	}
	for _, f := range fs {
		if f.Status != result.Error || !strings.Contains(f.Message, "bombe-deflate.b64") || !strings.Contains(f.Message, "bombe de décompression") {
			t.Fatalf("bomb: %s %s", f.Status, f.Message)
		}
	}
}
