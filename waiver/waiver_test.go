package waiver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func TestParseRefuses(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"no justification", "derogations:\n  - rule: DOSSIER-001\n    granted_by: DSDEN\n    expires: 2027-01-01\n", "w.yaml:2: dérogation 1: justification is required"},
		{"blank justification", "derogations:\n  - rule: DOSSIER-001\n    justification: \"  \"\n    granted_by: DSDEN\n    expires: 2027-01-01\n", "w.yaml:2: dérogation 1: justification is required"},
		{"no granted_by", "derogations:\n  - rule: DOSSIER-001\n    justification: x\n    expires: 2027-01-01\n", "granted_by is required"},
		{"bad date", "derogations:\n  - rule: DOSSIER-001\n    justification: x\n    granted_by: y\n    expires: 31/12/2027\n", "expires \"31/12/2027\": expected a date YYYY-MM-DD"},
		{"unknown rule", "derogations:\n  - rule: NOPE-001\n    justification: x\n    granted_by: y\n    expires: 2027-01-01\n", "unknown rule \"NOPE-001\""},
		{"unknown field", "derogations:\n  - rule: DOSSIER-001\n    justification: x\n    granted_by: y\n    expires: 2027-01-01\n    until: 2028-01-01\n", `w.yaml:6: unknown key "until"`},
		{"not a mapping", "- a\n- b\n", "must be a mapping"},
		{"syntax", "derogations: [\n", "w.yaml"},
		{"windows-1252", "derogations:\n  - rule: DOSSIER-001\n    justification: d\xe9lai\n    granted_by: y\n    expires: 2027-01-01\n", "w.yaml:3: not UTF-8"},
		{"self waiver", "derogations:\n  - rule: DOSSIER-002\n    justification: x\n    granted_by: y\n    expires: 2027-01-01\n", "cannot itself be waived"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("w.yaml", []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want error containing %q", err, c.want)
			}
		})
	}
}

func TestApply(t *testing.T) {
	set, err := Parse("derogations.yaml", []byte(`derogations:
  - rule: DOSSIER-001
    scope: "*.yaml"
    justification: "délai accordé"
    granted_by: "DSDEN Fictive"
    expires: 2026-11-23
  - rule: DOSSIER-001
    scope: annexes/
    justification: "sans objet"
    granted_by: "DSDEN Fictive"
    expires: 2027-01-01
  - rule: DOSSIER-001
    justification: "ancienne"
    granted_by: "DSDEN Fictive"
    expires: 2026-11-22
`))
	if err != nil {
		t.Fatal(err)
	}
	fs := []result.Finding{
		{Rule: "DOSSIER-001", Status: result.Fail, Evidence: []result.Evidence{{Source: "ent.yaml"}}},
		{Rule: "DOSSIER-001", Status: result.Pass, Evidence: []result.Evidence{{Source: "other.yaml"}}},
	}
	extra := Apply(fs, set, now)
	want := &result.Waiver{Rule: "DOSSIER-001", Scope: "*.yaml", Justification: "délai accordé", GrantedBy: "DSDEN Fictive", Expires: "2026-11-23"}
	if diff := cmp.Diff(want, fs[0].Waiver); diff != "" {
		t.Errorf("waiver valid on its expiry day must apply (-want +got):\n%s", diff)
	}
	if fs[1].Waiver != nil {
		t.Errorf("a pass must not be waived")
	}
	var got []string
	for _, f := range extra {
		got = append(got, f.Rule+" "+string(f.Status)+" "+f.Evidence[0].Source)
	}
	if diff := cmp.Diff([]string{"DOSSIER-003 warn derogations.yaml", "DOSSIER-002 fail derogations.yaml"}, got); diff != "" {
		t.Errorf("extra findings (-want +got):\n%s", diff)
	}
	if extra[0].Evidence[0].Line != 7 || extra[1].Evidence[0].Line != 12 {
		t.Errorf("lines: %+v", extra)
	}
	s := result.Summarize(fs)
	if s.Fail != 0 || s.Waived != 1 {
		t.Errorf("summary %+v: waived fail must not count as fail", s)
	}
}

func TestApplyNoFile(t *testing.T) {
	for _, f := range Apply(nil, nil, now) {
		if f.Status != result.Skip {
			t.Errorf("%s: %s, want skip without a file", f.Rule, f.Status)
		}
	}
}

// TestParseHostile: an alias bomb, a huge scalar count or binary garbage is
// refused with an error, quickly and without a crash.
func TestParseHostile(t *testing.T) {
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nderogations: *g\n"
	for name, data := range map[string]string{
		"alias bomb": bomb,
		"binary":     "\x00\x01\x02derogations",
		"truncated":  "derogations:\n  - rule: \"DOSSIER-001\n",
		"empty":      "",
	} {
		start := time.Now()
		_, err := Parse("w.yaml", []byte(data))
		if err == nil || !strings.HasPrefix(err.Error(), "w.yaml") {
			t.Errorf("%s: got %v, want an error naming the file", name, err)
		}
		if time.Since(start) > 2*time.Second {
			t.Errorf("%s: took %s", name, time.Since(start))
		}
	}
}

// An error quoting a hostile value stays short.
func TestErrorQuotesBounded(t *testing.T) {
	long := strings.Repeat("A", 1<<20)
	_, err := Parse("d.yaml", []byte("derogations:\n  - rule: "+long+"\n    justification: j\n    granted_by: g\n    expires: 2099-01-01\n"))
	if err == nil || len(err.Error()) > 300 {
		t.Errorf("error of %d bytes", len(fmt.Sprint(err)))
	}
}
