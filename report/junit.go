package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks/areas"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// JUnit writes JUnit XML for CI systems that display test reports: one
// testsuite per area (report order), one testcase per finding. A fail
// (not waived) is a failure, a warn is a passing case with its message in
// system-out (warnings never fail the run), skip and waived findings are
// skipped, an evaluation error or a rule not evaluated for lack of its
// piece is an error (what only an audit en ligne can judge is skipped on
// saved copies). The testsuites' name carries the verdict.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkip    `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkip struct {
	Message string `xml:"message,attr"`
}

func (JUnit) Write(w io.Writer, r *result.Result, o Options) error {
	lang := o.Lang
	byArea := map[string][]result.Finding{}
	var order []string
	for _, a := range areas.IDs() {
		order = append(order, string(a))
	}
	known := map[string]bool{}
	for _, a := range order {
		known[a] = true
	}
	for _, f := range r.Results {
		if !known[f.Area] {
			known[f.Area] = true
			order = append(order, f.Area)
		}
		byArea[f.Area] = append(byArea[f.Area], f)
	}
	doc := junitSuites{Name: "sdetcheck — " + pick(lang, "verdict : ", "verdict: ") + VerdictLabel(r.Verdict, lang)}
	for _, a := range order {
		fs := byArea[a]
		if len(fs) == 0 {
			continue
		}
		s := junitSuite{Name: a}
		seen := map[string]int{}
		for _, f := range fs {
			seen[f.Rule]++
			name := f.Rule + " " + Title(f, lang)
			if n := seen[f.Rule]; n > 1 {
				name = fmt.Sprintf("%s #%d", name, n)
			}
			c := junitCase{Name: name, Classname: "sdetcheck." + a}
			detail := junitDetail(f, lang)
			switch {
			case f.Waived():
				c.Skipped = &junitSkip{Message: WaiverText(f.Waiver, lang)}
				c.SystemOut = detail
				s.Skipped++
			case f.Status == result.Fail:
				c.Failure = &junitProblem{Message: Message(f, lang), Type: SeverityLabel(f.Severity, lang), Text: detail}
				s.Failures++
			case f.Status == result.Error:
				c.Error = &junitProblem{Message: Message(f, lang), Type: "error", Text: detail}
				s.Errors++
			case f.Status == result.NotEvaluated && f.LiveOnly:
				c.Skipped = &junitSkip{Message: StatusLabel(f, lang) + colon(lang) + " " + Message(f, lang)}
				s.Skipped++
			case f.Status == result.NotEvaluated:
				// The rule applies but was not run: an error of the test
				// run (the piece is missing), never a pass.
				c.Error = &junitProblem{Message: Message(f, lang), Type: "not-evaluated", Text: detail}
				s.Errors++
			case f.Status == result.Skip:
				c.Skipped = &junitSkip{Message: Message(f, lang)}
				s.Skipped++
			case f.Status == result.Warn:
				c.SystemOut = StatusLabel(f, lang) + colon(lang) + " " + detail
			}
			s.Tests++
			s.Cases = append(s.Cases, c)
		}
		doc.Suites = append(doc.Suites, s)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitDetail(f result.Finding, lang string) string {
	var b strings.Builder
	b.WriteString(Message(f, lang))
	for _, e := range f.Evidence {
		b.WriteString("\n" + location(e))
		if e.Excerpt != "" {
			b.WriteString("  " + Scrub(e.Excerpt))
		}
	}
	return b.String()
}
