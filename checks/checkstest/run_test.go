package checkstest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

func TestWantRe(t *testing.T) {
	for in, want := range map[string]string{
		"<!-- want SAML-002 pass -->":                        "SAML-002 pass",
		"<!-- Mentions. want NOTICE-001 fail want X -->":     "NOTICE-001 fail",
		"# want DOSSIER-001 not-evaluated\n":                 "DOSSIER-001 not-evaluated",
		`"comment": "Signature absente. want SSO-007 fail;"`: "SSO-007 fail",
		`"comment": "want SSO-001 pass; want SSO-004 pass"`:  "SSO-001 pass",
		"want SAML-002 passed":                               "",
		"unwant SAML-002 pass":                               "",
	} {
		got := ""
		if m := WantRe.FindStringSubmatch(in); m != nil {
			got = m[1] + " " + m[2]
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestOptions(t *testing.T) {
	got, err := Options([]string{"--id-ent", "ENTFICTIF1", "--reference", "r.html", "--aaf", "aaf", "--gar=gar",
		"--metadata", "md.xml", "--gar-sp-entity-id", "https://sp", "--gar-sp-acs", "https://sp/acs",
		"--degree", "1d", "--xsd-engine", "go", "--allow-http", "--render=false"})
	if err != nil {
		t.Fatal(err)
	}
	want := checks.Options{IDEnt: "ENTFICTIF1", NoticeReference: "r.html", AAFDir: "aaf", GARDir: "gar",
		SSOMetadata: "md.xml", GARSPEntityID: "https://sp", GARSPACS: "https://sp/acs",
		Degree: "1D", XSDEngine: "go", AllowHTTP: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	for _, bad := range [][]string{{"--format", "json"}, {"--id-ent"}, {"file.xml"}} {
		if _, err := Options(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// recorder is a testing.TB that keeps the errors Compare reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCompare(t *testing.T) {
	fs := []result.Finding{
		{Rule: rules.SAML001.ID, Status: result.Pass},
		{Rule: rules.SAML002.ID, Status: result.Pass},
		{Rule: rules.SAML002.ID, Status: result.Fail, MessageEN: "schema"},
		{Rule: rules.SAML003.ID, Status: result.Error, MessageEN: "unreadable"},
	}
	for _, c := range []struct {
		name  string
		wants []Want
		exp   Expect
		errs  []string // substrings of the errors, in order
	}{
		{"met", []Want{{Rule: rules.SAML001.ID, Status: result.Pass}, {Rule: rules.SAML002.ID, Status: result.Fail}, {Rule: rules.SAML002.ID, Status: result.Pass}}, Expect{}, nil},
		{"unmet", []Want{{Rule: rules.SAML001.ID, Status: result.Fail, File: "f.xml"}}, Expect{},
			[]string{"want SAML-001 fail (f.xml): got pass", "SAML-002 fail: schema\n  SAML-003 error: unreadable"}},
		{"absent", []Want{{Rule: rules.SAML004.ID, Status: result.Pass}}, Expect{}, []string{"got no finding", "SAML-002 fail"}},
		{"good example", nil, Expect{Pass: []*rules.Rule{rules.SAML001, rules.SAML002}}, []string{"good example of SAML-002", "SAML-003 error"}},
		{"bad example", nil, Expect{Fail: []*rules.Rule{rules.SAML002, rules.SAML001}}, []string{"bad example of SAML-001", "SAML-003 error"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Compare(r, fs, c.wants, c.exp)
			if len(r.errs) != len(c.errs) {
				t.Fatalf("errors %q, want %d", r.errs, len(c.errs))
			}
			for i, e := range c.errs {
				if !strings.Contains(r.errs[i], e) {
					t.Errorf("error %q lacks %q", r.errs[i], e)
				}
			}
		})
	}
}

// Every sidecar of the catalogue's examples holds options the checks
// see.
func TestSidecars(t *testing.T) {
	for _, r := range rules.All() {
		for _, p := range append(append([]string(nil), r.Examples.Good...), r.Examples.Bad...) {
			if _, err := Options(Args(t, p)); err != nil {
				t.Errorf("%s.args: %v", p, err)
			}
		}
	}
}
