package sso

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

const fixtures = "../../fixtures"

func env(o checks.Options) *checks.Env {
	return &checks.Env{Loader: &input.Loader{}, Now: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC), Opts: o, Cache: checks.NewCache()}
}

func full() checks.Options {
	return checks.Options{
		SSOMetadata:   fixtures + "/dossiers/conforme/saml/idp-metadata.xml",
		IDEnt:         "ENTFICTIF1",
		GARDir:        fixtures + "/dossiers/conforme/gar",
		GARSPEntityID: "https://sp.gar.fictif.example/saml",
		GARSPACS:      "https://sp.gar.fictif.example/saml/SAML2/POST",
	}
}

func byRule(fs []result.Finding) map[string][]result.Finding {
	m := map[string][]result.Finding{}
	for _, f := range fs {
		m[f.Rule] = append(m[f.Rule], f)
	}
	return m
}

// Every rule reports on every response of a capture: three logins give
// three findings per rule, each naming its response.
func TestEveryResponseAudited(t *testing.T) {
	for _, f := range []string{"good-profils.har", "good-profils.saml-tracer.json"} {
		e := env(full())
		fs := Check(e, fixtures+"/sso/"+f)
		e.Cache.Close()
		if miss := checks.Missing(rules.AreaSSO, fs); len(miss) > 0 {
			t.Errorf("%s: rules without finding: %v", f, miss)
		}
		for rule, rf := range byRule(fs) {
			if len(rf) != 3 {
				t.Errorf("%s: %s has %d findings, want 3 (one per response)", f, rule, len(rf))
			}
			for i, x := range rf {
				if x.Status != result.Pass {
					t.Errorf("%s: %s: %s %s", f, rule, x.Status, x.Message)
				}
				if want := "Réponse " + string(rune('1'+i)) + " sur 3"; !strings.HasPrefix(x.Message, want) {
					t.Errorf("%s: %s message %q does not start with %q", f, rule, x.Message, want)
				}
			}
		}
	}
}

// Without the pieces they need, rules are not evaluated (never passed):
// no metadata (SSO-001, SSO-004), no GAR SP (SSO-005, SSO-006), no id_ent
// (SSO-010), no feed (SSO-012).
func TestMissingPiecesNotEvaluated(t *testing.T) {
	e := env(checks.Options{})
	fs := byRule(Check(e, fixtures+"/sso/good-eleve.b64"))
	for _, id := range []string{"SSO-001", "SSO-004", "SSO-005", "SSO-006", "SSO-010", "SSO-012"} {
		if len(fs[id]) != 1 || fs[id][0].Status != result.NotEvaluated {
			t.Errorf("%s: got %+v, want not-evaluated", id, fs[id])
		}
	}
	for _, id := range []string{"SSO-002", "SSO-003", "SSO-007", "SSO-008", "SSO-009", "SSO-011", "SSO-013"} {
		if len(fs[id]) != 1 || fs[id][0].Status != result.Pass {
			t.Errorf("%s: got %+v, want pass (needs no other piece)", id, fs[id])
		}
	}
}

// An encrypted assertion: the envelope rules run, the rules reading the
// assertion are not evaluated and say why.
func TestEncryptedAssertion(t *testing.T) {
	fs := byRule(Check(env(full()), fixtures+"/sso/good-chiffree.har"))
	for _, id := range []string{"SSO-001", "SSO-002", "SSO-003", "SSO-004", "SSO-005"} {
		if fs[id][0].Status != result.Pass {
			t.Errorf("%s: %s %s, want pass", id, fs[id][0].Status, fs[id][0].Message)
		}
	}
	for _, id := range []string{"SSO-006", "SSO-007", "SSO-008", "SSO-009", "SSO-010", "SSO-011", "SSO-012", "SSO-013"} {
		f := fs[id][0]
		if f.Status != result.NotEvaluated || !strings.Contains(f.Message, "chiffrée") {
			t.Errorf("%s: %s %q, want not-evaluated saying the assertion is encrypted", id, f.Status, f.Message)
		}
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// Bad input: every rule is in error, with a message naming the file and
// the problem (the CLI exits 2).
func TestBadInput(t *testing.T) {
	good, err := os.ReadFile(fixtures + "/sso/good-eleve.b64")
	if err != nil {
		t.Fatal(err)
	}
	g := strings.TrimSpace(string(good))
	bomb := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&b;</samlp:Response>`
	cases := []struct{ name, data, want string }{
		{"pas-json.har", `{"log": {"entries": [ {"request": }`, "JSON invalide"},
		{"tronque.har", `{"log": {"entries": [`, "JSON tronqué"},
		{"sans-saml.har", `{"log": {"entries": [{"request": {"method": "POST", "postData": {"params": [{"name": "password", "value": "secret-de-test"}]}}}]}}`, "aucune réponse SAML"},
		{"autre.json", `{"foo": 1}`, "ni un fichier HAR"},
		{"vide.b64", "  \n", "capture vide"},
		{"texte.txt", "Bonjour, voici ma capture !", "ce n'est pas une capture"},
		{"base64-tronque.b64", g[:len(g)-7], "base64"},
		{"bombe.b64", b64(bomb), "DTD"},
		{"bombe-har.har", `{"log": {"entries": [{"request": {"method": "POST", "postData": {"params": [{"name": "SAMLResponse", "value": "` + b64(bomb) + `"}]}}}]}}`, "entrée 1 du HAR"},
		{"xml-tronque.xml", `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Issuer`, "XML mal formé"},
		{"enorme.b64", strings.Repeat("QUFB", 1<<19), "plus de 1 Mio"},
		{"profond.b64", b64(strings.Repeat("<a>", 5000) + strings.Repeat("</a>", 5000)), "SAMLResponse décodée"},
		{"tracer-vide.json", `{"requests": [{"method": "GET", "url": "https://ent.fictif.example/?ticket=secret-de-test"}]}`, "aucune réponse SAML"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, c.name)
			if err := os.WriteFile(p, []byte(c.data), 0o600); err != nil {
				t.Fatal(err)
			}
			fs := Check(env(full()), p)
			if miss := checks.Missing(rules.AreaSSO, fs); len(miss) > 0 {
				t.Errorf("rules without finding: %v", miss)
			}
			for _, f := range fs {
				if f.Status != result.Error {
					t.Fatalf("%s: %s, want error", f.Rule, f.Status)
				}
				if !strings.Contains(f.Message, c.name) || !strings.Contains(f.Message, c.want) {
					t.Fatalf("%s: message %q should name %s and say %q", f.Rule, f.Message, c.name, c.want)
				}
				if strings.Contains(f.Message, "secret-de-test") {
					t.Fatalf("%s: message copies a secret of the capture: %q", f.Rule, f.Message)
				}
			}
		})
	}
}

// The same response recorded twice (a 307 re-post) is audited once.
func TestDuplicateResponseAuditedOnce(t *testing.T) {
	b, err := os.ReadFile(fixtures + "/sso/good-eleve.b64")
	if err != nil {
		t.Fatal(err)
	}
	v := strings.TrimSpace(string(b))
	entry := `{"startedDateTime": "2026-11-20T09:00:02Z", "request": {"method": "POST", "postData": {"params": [{"name": "SAMLResponse", "value": "` + v + `"}]}}}`
	p := filepath.Join(t.TempDir(), "double.har")
	os.WriteFile(p, []byte(`{"log": {"entries": [`+entry+`, `+entry+`]}}`), 0o600)
	fs := byRule(Check(env(full()), p))
	if len(fs["SSO-001"]) != 1 || fs["SSO-001"][0].Status != result.Pass {
		t.Errorf("SSO-001: %+v, want one pass", fs["SSO-001"])
	}
}

// TestUndatedCaptureSaysSo: a bare response (XML, base64) has no capture
// date; SSO-008 judges it at its IssueInstant and says so, where a HAR's
// response is judged when it was posted (a SAML-tracer export's too, when
// its requests carry a timestamp).
func TestUndatedCaptureSaysSo(t *testing.T) {
	for _, c := range []struct {
		capture string
		undated bool
	}{
		{"good-enseignant.xml", true},
		{"good-eleve.b64", true},
		{"good-profils.har", false},
		{"good-profils.saml-tracer.json", true}, // its requests carry no timestamp
	} {
		e := env(full())
		fs := byRule(Check(e, fixtures+"/sso/"+c.capture))
		e.Cache.Close()
		for _, f := range fs["SSO-008"] {
			says := strings.Contains(f.Message, "jugé à la date d'émission, IssueInstant, la capture n'étant pas datée") &&
				strings.Contains(f.MessageEN, "the capture not being dated")
			if says != c.undated {
				t.Errorf("%s: SSO-008 %q: says undated = %v, want %v", c.capture, f.Message, says, c.undated)
			}
		}
	}
}
