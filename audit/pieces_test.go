package audit

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// dossierCopy copies the sample dossier conforme into a temporary
// directory and edits its ent.yaml: each key of drop loses its line under
// evidence:, each key of set gets the value given.
func dossierCopy(t *testing.T, drop []string, set map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := copyTree("../fixtures/dossiers/conforme", dir); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ent.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	y := string(data)
	for _, k := range drop {
		re := regexp.MustCompile(`(?m)^  ` + k + `:.*\n`)
		if !re.MatchString(y) {
			t.Fatalf("ent.yaml of conforme has no evidence.%s", k)
		}
		y = re.ReplaceAllString(y, "")
	}
	for k, v := range set {
		re := regexp.MustCompile(`(?m)^  ` + k + `:.*$`)
		if !re.MatchString(y) {
			t.Fatalf("ent.yaml of conforme has no evidence.%s", k)
		}
		y = re.ReplaceAllLiteralString(y, "  "+k+": "+v)
	}
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func ids(rs ...[]*rules.Rule) []string {
	var out []string
	for _, l := range rs {
		for _, r := range l {
			out = append(out, r.ID)
		}
	}
	return out
}

// A missing piece makes exactly the rules that read it not evaluated,
// with a message naming the piece, and DOSSIER-001 names it: the dossier
// is incomplet. Every other rule runs and ends as it does on the whole
// dossier. The AAF samples are optional: without them, the mapping is not
// verified on samples (MAP-006 sans objet) and the dossier is complete.
func TestMissingPieceHidesOnlyItsRules(t *testing.T) {
	base, err := Audit(context.Background(), "../fixtures/dossiers/conforme", Config{Now: auditNow})
	if err != nil {
		t.Fatal(err)
	}
	if base.Verdict != result.Conforme {
		t.Fatalf("conforme: verdict %s", base.Verdict)
	}
	baseState := map[string]result.RuleOutcome{}
	for _, o := range result.RuleStates(base.Results, rules.Traits) {
		baseState[o.Rule] = o
	}
	cases := []struct {
		drop []string
		// names are the French names DOSSIER-001 gives (none: complete)
		names []string
		// notEvaluated are the rules not evaluated for lack of the piece
		notEvaluated []string
		// other rules whose state changes, and to what
		changed map[string]result.RuleState
	}{
		{drop: []string{"home_page"}, names: []string{"page d'accueil de l'ENT"},
			notEvaluated: ids([]*rules.Rule{rules.PAGE001, rules.PAGE002, rules.PAGE003, rules.PAGE004, rules.ACC001})},
		{drop: []string{"login_page"}, names: []string{"page de connexion"},
			notEvaluated: ids([]*rules.Rule{rules.PAGE001, rules.PAGE002, rules.PAGE003, rules.PAGE004, rules.PAGE005, rules.ACC001})},
		{drop: []string{"home_page", "login_page"}, names: []string{"page d'accueil de l'ENT", "page de connexion"},
			notEvaluated: ids(rules.InArea(rules.AreaPage), rules.InArea(rules.AreaAccessibility))},
		{drop: []string{"notice"}, names: []string{"mentions d'information affichées"},
			notEvaluated: ids([]*rules.Rule{rules.PAGE003}, rules.InArea(rules.AreaNotice))},
		{drop: []string{"notice_reference"}, names: []string{"mentions validées par la DSDEN"},
			notEvaluated: ids([]*rules.Rule{rules.NOTICE002})},
		{drop: []string{"notice", "notice_reference"}, names: []string{"mentions d'information affichées", "mentions validées par la DSDEN"},
			notEvaluated: ids([]*rules.Rule{rules.PAGE003}, rules.InArea(rules.AreaNotice))},
		{drop: []string{"home_page", "login_page", "notice", "notice_reference"},
			names:        []string{"page d'accueil de l'ENT", "page de connexion", "mentions d'information affichées", "mentions validées par la DSDEN"},
			notEvaluated: ids(rules.InArea(rules.AreaPage), rules.InArea(rules.AreaNotice), rules.InArea(rules.AreaAccessibility))},
		{drop: []string{"gar_feed"}, names: []string{"export d'alimentation du GAR"},
			notEvaluated: ids(rules.InArea(rules.AreaGAR), []*rules.Rule{rules.MAP006, rules.SSO012})},
		{drop: []string{"mapping"}, names: []string{"table de correspondance AAF → ENT → GAR"},
			notEvaluated: ids(rules.InArea(rules.AreaMapping))},
		{drop: []string{"aaf_samples"},
			changed: map[string]result.RuleState{rules.MAP006.ID: result.RuleSkip}},
		{drop: []string{"saml_metadata"}, names: []string{"métadonnées SAML du connecteur GAR"},
			notEvaluated: ids(rules.InArea(rules.AreaSAML), []*rules.Rule{rules.SSO001, rules.SSO004})},
		{drop: []string{"sso_captures"}, names: []string{"captures d'échanges SSO vers le GAR"},
			notEvaluated: ids(rules.InArea(rules.AreaSSO))},
		// where the servers are (CONTRACT-007) and the security
		// documentation (CONTRACT-006) do not read the contract
		{drop: []string{"contract"}, names: []string{"contrat de sous-traitance de l'éditeur (article 28 du RGPD)"},
			notEvaluated: ids([]*rules.Rule{rules.CONTRACT001, rules.CONTRACT002, rules.CONTRACT003, rules.CONTRACT004, rules.CONTRACT005})},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.drop, "+"), func(t *testing.T) {
			res, err := Audit(context.Background(), dossierCopy(t, c.drop, nil), Config{Now: auditNow})
			if err != nil {
				t.Fatal(err)
			}
			wantVerdict, wantExit := result.Incomplet, ExitIncomplet
			if len(c.names) == 0 {
				wantVerdict, wantExit = base.Verdict, ExitConforme
			}
			if res.Verdict != wantVerdict {
				t.Errorf("verdict %s, want %s", res.Verdict, wantVerdict)
			}
			if code := ExitCode(res, result.Majeur); code != wantExit {
				t.Errorf("exit %d, want %d", code, wantExit)
			}
			states := map[string]result.RuleOutcome{}
			for _, o := range result.RuleStates(res.Results, rules.Traits) {
				states[o.Rule] = o
			}
			d := states[rules.DOSSIER001.ID]
			if len(c.names) == 0 && d.State != result.RulePass {
				t.Errorf("DOSSIER-001: %s, want pass", d.State)
			}
			for _, f := range res.Results {
				if f.Rule != rules.DOSSIER001.ID || len(c.names) == 0 {
					continue
				}
				if f.Status != result.Fail {
					t.Errorf("DOSSIER-001: %s, want fail", f.Status)
				}
				for _, n := range c.names {
					if !strings.Contains(f.Message, n) {
						t.Errorf("DOSSIER-001 does not name %q: %s", n, f.Message)
					}
				}
			}
			for _, r := range rules.All() {
				o, ok := states[r.ID]
				switch {
				case !ok:
					t.Errorf("%s: no finding", r.ID)
				case slices.Contains(c.notEvaluated, r.ID):
					if o.State != result.RuleNotEvaluated || o.LiveOnly {
						t.Errorf("%s: %s, want not evaluated", r.ID, o.State)
					}
					// a not-evaluated finding of the rule names a
					// missing piece it reads
					named := false
					for _, f := range res.Results {
						if f.Rule != r.ID || f.Status != result.NotEvaluated {
							continue
						}
						for _, k := range c.drop {
							named = named || strings.Contains(f.MessageEN, k)
						}
						// the statement's rules name the statement, an
						// optional piece the dropped pages' links lead to
						named = named || r.Area == rules.AreaAccessibility && strings.Contains(f.MessageEN, "accessibility_statement")
					}
					if !named {
						t.Errorf("%s: no not-evaluated finding names the missing piece", r.ID)
					}
				case r == rules.DOSSIER001:
				default:
					want := baseState[r.ID].State
					if s, ok := c.changed[r.ID]; ok {
						want = s
					}
					if o.State != want {
						t.Errorf("%s: %s, want %s as on the whole dossier: it reads no missing piece", r.ID, o.State, want)
					}
				}
			}
		})
	}
}

// The page and notice rules run on the pages present: with the login page
// missing, PAGE-001 passes on the home page and is not evaluated for the
// login page, each finding saying which.
func TestMissingPagePerPage(t *testing.T) {
	res, err := Audit(context.Background(), dossierCopy(t, []string{"login_page"}, nil), Config{Now: auditNow})
	if err != nil {
		t.Fatal(err)
	}
	var pass, missing bool
	for _, f := range res.Results {
		if f.Rule != rules.PAGE001.ID {
			continue
		}
		switch f.Status {
		case result.Pass:
			pass = len(f.Evidence) > 0 && f.Evidence[0].Source == "pages/accueil.html"
		case result.NotEvaluated:
			missing = strings.Contains(f.Message, "page de connexion") && strings.Contains(f.MessageEN, "evidence.login_page")
		default:
			t.Errorf("PAGE-001: %s %s", f.Status, f.Message)
		}
	}
	if !pass || !missing {
		t.Errorf("PAGE-001: passes on the home page %v, not evaluated for the login page %v", pass, missing)
	}
}

// closedPort returns a loopback address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// An address that cannot be reached is an error naming the host, even
// when the optional validated notice is left out (the pages and the
// notice are still read): exit 2, and Errors lists it.
func TestUnreachableAddress(t *testing.T) {
	closed := closedPort(t)
	dir := dossierCopy(t, []string{"notice_reference"}, map[string]string{
		"home_page":  "https://ent.invalid/",
		"login_page": "https://" + closed + "/login",
		"notice":     "https://mentions.invalid/mentions",
	})
	cfg := Config{Now: auditNow}
	cfg.Opts.AllowPrivateNetwork = true
	res, err := Audit(context.Background(), dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if code := ExitCode(res, result.Majeur); code != ExitBadInput {
		t.Errorf("exit %d, want %d", code, ExitBadInput)
	}
	hosts := map[string][]string{
		rules.PAGE001.ID:   {"ent.invalid", closed},
		rules.PAGE002.ID:   {"ent.invalid", closed},
		rules.PAGE004.ID:   {"ent.invalid", closed},
		rules.PAGE005.ID:   {closed},
		rules.NOTICE001.ID: {"mentions.invalid"},
		rules.NOTICE003.ID: {"mentions.invalid"},
		rules.NOTICE004.ID: {"mentions.invalid"},
	}
	for id, want := range hosts {
		var got []string
		for _, f := range res.Results {
			if f.Rule == id && f.Status == result.Error {
				got = append(got, f.Message)
			}
		}
		for _, h := range want {
			if !slices.ContainsFunc(got, func(m string) bool { return strings.Contains(m, h) }) {
				t.Errorf("%s: no error naming %s (errors: %q)", id, h, got)
			}
		}
	}
	if s := res.Summary.Error; s == 0 {
		t.Error("summary: 0 error")
	}
	errs := strings.Join(Errors(res, "fr"), "\n")
	for _, h := range []string{"ent.invalid", closed, "mentions.invalid"} {
		if !strings.Contains(errs, h) {
			t.Errorf("Errors does not name %s:\n%s", h, errs)
		}
	}
	// NOTICE-002 reads the validated version, which is missing.
	if o := ruleState(t, res, rules.NOTICE002.ID); o.State != result.RuleNotEvaluated && o.State != result.RuleError {
		t.Errorf("NOTICE-002: %s", o.State)
	}
}
