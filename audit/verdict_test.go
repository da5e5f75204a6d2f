package audit

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sdetcheck/sdetcheck/checks/checkstest"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

var auditNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func ruleState(t *testing.T, res *result.Result, id string) result.RuleOutcome {
	t.Helper()
	for _, o := range result.RuleStates(res.Results, rules.Traits) {
		if o.Rule == id {
			return o
		}
	}
	t.Fatalf("%s: no finding", id)
	return result.RuleOutcome{}
}

// Each sample dossier gives the verdict and exit code written for it in
// fixtures/dossiers/verdicts.yaml: a missing piece is incomplet (never
// non-conforme), a délai on the missing pieces leaves it incomplet, a
// bloquant rule only à vérifier is incomplet, a failure under a dérogation
// in force is conforme-sous-derogation. Some dossiers show their case in
// the state of a rule.
func TestDossierVerdicts(t *testing.T) {
	states := map[string]map[string]result.RuleState{
		"conforme":          {"DOSSIER-001": result.RulePass, "PAGE-004": result.RuleNotEvaluated},
		"incomplet":         {"DOSSIER-001": result.RuleFail, "SAML-001": result.RuleNotEvaluated},
		"piece-manquante":   {"DOSSIER-001": result.RuleFail, "PAGE-001": result.RuleNotEvaluated, "SAML-001": result.RulePass},
		"derogation-valide": {"DOSSIER-001": result.RuleWaived, "GAR-001": result.RuleNotEvaluated},
		"a-verifier":        {"PAGE-001": result.RuleReview},
		"sous-derogation":   {"PAGE-005": result.RuleWaived, "DOSSIER-003": result.RulePass},
	}
	dossiers := checkstest.DossierVerdicts(t)
	for name := range states {
		if !slices.ContainsFunc(dossiers, func(d checkstest.DossierVerdict) bool { return d.Name == name }) {
			t.Errorf("%s: not a sample dossier of %s", name, checkstest.VerdictsFile)
		}
	}
	for _, c := range dossiers {
		t.Run(c.Name, func(t *testing.T) {
			res, err := Audit(context.Background(), filepath.Join(checkstest.Root(t), c.Path()), Config{Now: auditNow})
			if err != nil {
				t.Fatal(err)
			}
			if res.Verdict != c.Verdict {
				t.Errorf("verdict %s, want %s", res.Verdict, c.Verdict)
			}
			if code := ExitCode(res, result.Majeur); code != c.Exit {
				t.Errorf("exit %d, want %d", code, c.Exit)
			}
			if res.Scope != result.ScopeSurPieces {
				t.Errorf("scope %q, want %q", res.Scope, result.ScopeSurPieces)
			}
			for id, want := range states[c.Name] {
				if got := ruleState(t, res, id).State; got != want {
					t.Errorf("%s: %s, want %s", id, got, want)
				}
			}
			total := 0
			for _, n := range res.Summary.Rules {
				total += n
			}
			if total != len(result.RuleStates(res.Results, rules.Traits)) {
				t.Errorf("summary.rules counts %d rules, the run has %d", total, len(result.RuleStates(res.Results, rules.Traits)))
			}
		})
	}
}

// A missing piece leaves the rules that read it not evaluated, never
// skipped (sans objet) nor failed, and DOSSIER-001 names the piece as a
// reader does (pieces_test.go checks each piece).
func TestMissingPieceNotEvaluated(t *testing.T) {
	res, err := Audit(context.Background(), "../fixtures/dossiers/piece-manquante", Config{Now: auditNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Results {
		if strings.Contains(f.Message, "page de connexion") && f.Status != result.NotEvaluated && f.Rule != "DOSSIER-001" {
			t.Errorf("%s: %s, want not-evaluated (%s)", f.Rule, f.Status, f.Message)
		}
		if f.Rule == "DOSSIER-001" {
			if !strings.Contains(f.Message, "page de connexion") || strings.Contains(f.Message, "evidence.") {
				t.Errorf("DOSSIER-001 message: %q", f.Message)
			}
		}
	}
	for _, id := range []string{"PAGE-001", "PAGE-002", "PAGE-003", "PAGE-005"} {
		if o := ruleState(t, res, id); o.State != result.RuleNotEvaluated {
			t.Errorf("%s: %s, want not-evaluated", id, o.State)
		}
	}
}

// On saved copies, TLS and what a browser loads are not evaluated (never
// "OK"), listed as live-only, and do not count against the verdict; an
// audit en ligne of the same pages evaluates them.
func TestAuditEnLigne(t *testing.T) {
	pages := "../fixtures/dossiers/conforme/pages"
	files := http.FileServer(http.Dir(pages))
	// The security baseline of a well configured ENT (the security area
	// reads it live).
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		files.ServeHTTP(w, r)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the TLS 1.0 and 1.1 probes are refused
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	src := "../fixtures/dossiers/conforme"
	if err := copyTree(src, dir); err != nil {
		t.Fatal(err)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "ent.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := strings.NewReplacer(
		"home_page: pages/accueil.html", "home_page: "+srv.URL+"/accueil.html",
		"login_page: pages/connexion.html", "login_page: "+srv.URL+"/connexion.html",
		"notice: pages/mentions-information.html", "notice: "+srv.URL+"/mentions-information.html",
	).Replace(string(manifest))
	if err := os.WriteFile(filepath.Join(dir, "ent.yaml"), []byte(m), 0o644); err != nil {
		t.Fatal(err)
	}
	// the hosts are located with the examples' database (the test server
	// is on loopback: not located, not held against the verdict)
	cfg := Config{Now: auditNow, Client: srv.Client()}
	cfg.Opts.GeoIP = "../fixtures/contract/geoip-test.mmdb"
	cfg.Resolver = testResolver{"ent.fictif.example": "192.0.2.10"}
	res, err := Audit(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Scope != result.ScopeEnLigne {
		t.Errorf("scope %q, want en-ligne", res.Scope)
	}
	for _, id := range []string{"PAGE-001", "PAGE-004", "PAGE-005", "SEC-001", "SEC-002", "SEC-003", "SEC-004", "SEC-005", "SEC-006", "SEC-007", "SEC-008", "SEC-009"} {
		if o := ruleState(t, res, id); o.State != result.RulePass {
			t.Errorf("%s en ligne: %s, want pass", id, o.State)
		}
	}
	for _, f := range res.Results {
		if f.LiveOnly {
			t.Errorf("%s: live-only finding in an audit en ligne: %s", f.Rule, f.Message)
		}
	}
	if res.Verdict != result.Conforme {
		t.Errorf("verdict %s, want conforme; findings: %v", res.Verdict, problems(res))
	}

	// The same pages sur pièces: PAGE-004 and PAGE-005 not evaluated,
	// live-only, the verdict still conforme.
	local, err := Audit(context.Background(), src, Config{Now: auditNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"PAGE-004", "PAGE-005", "SEC-001", "SEC-002", "SEC-003", "SEC-004", "SEC-005", "SEC-006", "SEC-007", "SEC-008", "SEC-009"} {
		o := ruleState(t, local, id)
		if o.State != result.RuleNotEvaluated || !o.LiveOnly || o.Unexamined() {
			t.Errorf("%s sur pièces: %+v, want not-evaluated, live-only, outside the scope", id, o)
		}
	}
	if local.Verdict != result.Conforme {
		t.Errorf("sur pièces: verdict %s, want conforme", local.Verdict)
	}
}

func problems(res *result.Result) []string {
	var out []string
	for _, f := range res.Results {
		if f.Status != result.Pass && f.Status != result.Skip {
			out = append(out, f.Rule+" "+string(f.Status)+" "+f.Message)
		}
	}
	return out
}

func copyTree(src, dst string) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// testResolver resolves names from a table (192.0.2.0/24 is in France in
// the examples' geolocation database); no test reaches a real resolver.
type testResolver map[string]string

func (r testResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := r[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (r testResolver) LookupCNAME(_ context.Context, host string) (string, error) {
	return host + ".", nil
}
