package security_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/checks/security"
	"github.com/sdetcheck/sdetcheck/checks/security/securitytest"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// TestExamples serves every fixture of the security area on a local
// https server (securitytest) and checks the catalogue's expectations and
// the fixture's inline ones against `check security URL`.
func TestExamples(t *testing.T) {
	for path, exp := range checkstest.Examples(t, rules.AreaSecurity) {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			full := filepath.Join(checkstest.Root(t), path)
			u, _ := securitytest.Serve(t, full)
			fs := security.Check(securitytest.Env(t, checkstest.Now), u)
			checkstest.Area(t, rules.AreaSecurity, fs)
			checkstest.Compare(t, fs, checkstest.Wants(t, path), exp)
		})
	}
}

func byRule(fs []result.Finding, id string) []result.Finding {
	var out []result.Finding
	for _, f := range fs {
		if f.Rule == id {
			out = append(out, f)
		}
	}
	return out
}

// serve starts a server for cfg (the good page's headers unless given)
// and checks it.
func serve(t *testing.T, cfg securitytest.Config) []result.Finding {
	t.Helper()
	if cfg.Header == nil {
		cfg.Header = http.Header{}
	}
	if cfg.Body == nil {
		cfg.Body = []byte(`<html><body><form method="post" action="/login"><input type="password" name="p"></form></body></html>`)
	}
	if cfg.Cert == "" {
		cfg.Cert = "valid"
	}
	if cfg.MinVersion == 0 {
		cfg.MinVersion, cfg.MaxVersion = 0x0303, 0x0304
	}
	u, _ := securitytest.Start(t, cfg)
	return security.Check(securitytest.Env(t, checkstest.Now), u)
}

// The observed value is in the finding: the max-age, the versions, the
// certificate's end date, the cookie's name (never its value).
func TestObservedValues(t *testing.T) {
	h := http.Header{}
	h.Set("Strict-Transport-Security", "max-age=600; includeSubDomains")
	h.Add("Set-Cookie", "JSESSIONID=SECRET-VALUE-123; Path=/; HttpOnly")
	h.Set("Referrer-Policy", "no-referrer-when-downgrade")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'")
	h.Set("X-Content-Type-Options", "sniff")
	fs := serve(t, securitytest.Config{Header: h, MinVersion: 0x0301, MaxVersion: 0x0303})
	for _, c := range []struct {
		rule   *rules.Rule
		status result.Status
		want   []string
	}{
		{rules.SEC001, result.Fail, []string{"TLS 1.0", "TLS 1.1", "TLS 1.2"}},
		{rules.SEC002, result.Pass, []string{"ent.test", "sdetcheck test intermediate CA"}},
		{rules.SEC003, result.Fail, []string{"max-age=600", "10 minutes"}},
		{rules.SEC004, result.Fail, []string{"JSESSIONID", "Secure", "SameSite"}},
		{rules.SEC007, result.Fail, []string{"sniff"}},
		{rules.SEC008, result.Fail, []string{"no-referrer-when-downgrade"}},
		{rules.SEC009, result.Warn, []string{"'unsafe-inline'", "base-uri", "faible"}},
	} {
		got := byRule(fs, c.rule.ID)
		if len(got) != 1 || got[0].Status != c.status {
			t.Errorf("%s: got %+v, want one %s", c.rule.ID, got, c.status)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(got[0].Message, w) {
				t.Errorf("%s: %q lacks %q", c.rule.ID, got[0].Message, w)
			}
		}
	}
	for _, f := range fs {
		for _, s := range []string{f.Message, f.MessageEN} {
			if strings.Contains(s, "SECRET-VALUE") {
				t.Errorf("%s: a cookie's value is shown: %s", f.Rule, s)
			}
		}
		for _, e := range f.Evidence {
			if strings.Contains(e.Excerpt, "SECRET-VALUE") {
				t.Errorf("%s: a cookie's value is in the evidence: %s", f.Rule, e.Excerpt)
			}
		}
	}
}

// A saved copy shows the form only: the other rules are not evaluated
// and marked live-only; the form's own faults still fail.
func TestSavedCopy(t *testing.T) {
	env := &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: checkstest.Now}
	root := checkstest.Root(t)
	fs := security.Check(env, filepath.Join(root, "fixtures/security/connexion-ok.html"))
	for _, r := range rules.InArea(rules.AreaSecurity) {
		got := byRule(fs, r.ID)
		if len(got) == 0 {
			t.Errorf("%s: no finding", r.ID)
			continue
		}
		if r == rules.SEC006 {
			if got[0].Status != result.Pass {
				t.Errorf("SEC-006 on a saved copy with a relative action: %+v", got)
			}
			continue
		}
		if got[0].Status != result.NotEvaluated || !got[0].LiveOnly || got[0].Message != r.LiveOnly.FR {
			t.Errorf("%s on a saved copy: %+v, want not-evaluated live-only", r.ID, got[0])
		}
	}
	fs = security.Check(env, filepath.Join(root, "fixtures/security/formulaire-http.html"))
	if got := byRule(fs, rules.SEC006.ID); len(got) != 1 || got[0].Status != result.Fail {
		t.Errorf("a saved copy posting over http: %+v", got)
	}
}

// Without --allow-private-network a local server is refused by the guard
// before any handshake: every rule is an error naming the guard.
func TestGuard(t *testing.T) {
	u, _ := securitytest.Start(t, securitytest.Config{Cert: "valid", MinVersion: 0x0303, MaxVersion: 0x0304, Header: http.Header{}, Body: []byte("<p>x</p>")})
	env := &checks.Env{Ctx: context.Background(), Loader: &input.Loader{}, Now: checkstest.Now}
	fs := security.Check(env, u)
	checkstest.Area(t, rules.AreaSecurity, fs)
	for _, f := range fs {
		if f.Status != result.Error || !strings.Contains(f.MessageEN, "allow-private-network") {
			t.Errorf("%s: %s %s, want an error naming the guard", f.Rule, f.Status, f.MessageEN)
		}
	}
}

// A client that does not dial itself (the service refuses the URLs of an
// uploaded dossier) is never bypassed by the TLS probes.
func TestNoNetworkClient(t *testing.T) {
	refused := errors.New("no network")
	c := &http.Client{Transport: roundTrip(func(*http.Request) (*http.Response, error) { return nil, refused })}
	env := &checks.Env{Ctx: context.Background(), Loader: &input.Loader{Client: c, AllowPrivateNetwork: true}, Now: checkstest.Now}
	u, _ := securitytest.Start(t, securitytest.Config{Cert: "valid", MinVersion: 0x0303, MaxVersion: 0x0304, Header: http.Header{}, Body: []byte("<p>x</p>")})
	fs := security.Check(env, u)
	checkstest.Area(t, rules.AreaSecurity, fs)
	for _, f := range fs {
		if f.Status != result.Error {
			t.Errorf("%s: %s %s, want an error", f.Rule, f.Status, f.MessageEN)
		}
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// The IdP the dossier's metadata declares may receive the password; any
// other site may not.
func TestFormToIdP(t *testing.T) {
	body := []byte(`<form method="post" action="https://idp.fictif.example/cas/login"><input type="password" name="p"></form>`)
	u, _ := securitytest.Start(t, securitytest.Config{Cert: "valid", MinVersion: 0x0303, MaxVersion: 0x0304, Header: http.Header{}, Body: body})
	env := securitytest.Env(t, checkstest.Now)
	if got := byRule(security.Check(env, u), rules.SEC006.ID); len(got) != 1 || got[0].Status != result.Fail || !strings.Contains(got[0].Message, "idp.fictif.example") {
		t.Errorf("without metadata: %+v", got)
	}
	md := filepath.Join(t.TempDir(), "idp.xml")
	writeFile(t, md, `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.fictif.example/idp"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.fictif.example/cas/idp/profile/SAML2/Redirect/SSO"/></IDPSSODescriptor></EntityDescriptor>`)
	env.Opts.SSOMetadata = md
	if got := byRule(security.Check(env, u), rules.SEC006.ID); len(got) != 1 || got[0].Status != result.Pass {
		t.Errorf("with the IdP's metadata: %+v", got)
	}
}

// An audit with no page at all says why its rules are not evaluated.
func TestAuditWithoutPages(t *testing.T) {
	fs := security.Audit(&checks.Env{Ctx: context.Background(), Loader: &input.Loader{}}, "", "")
	checkstest.Area(t, rules.AreaSecurity, fs)
	for _, f := range fs {
		if f.Status != result.NotEvaluated {
			t.Errorf("%s: %s", f.Rule, f.Status)
		}
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}
