package report

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// PDF writes the conformity report the collectivité sends to the DSDEN.
// The first page holds the verdict, the counts, the subject and what to ask
// the vendor; then one section per area, the inputs with their SHA-256 and
// the signature block. The DejaVu Sans font is embedded in the binary so
// that accents render without depending on the system. The output is
// deterministic: fixed creation date (the report date, else the Unix
// epoch) and sorted catalogue.
type PDF struct{}

//go:embed fonts/DejaVuSans.ttf
var fontRegular []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var fontBold []byte

const (
	pdfMargin = 18.0
	pdfWidth  = 210.0 - 2*pdfMargin
	pdfFont   = "DejaVu"
)

type pdfDoc struct {
	*fpdf.Fpdf
	v docView
}

// pdfSafe makes text printable by fpdf: invalid UTF-8 becomes U+FFFD,
// control characters (but newlines) become spaces, and characters outside
// the Basic Multilingual Plane (emoji…), which fpdf refuses, become U+FFFD.
func pdfSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0x2028 || r == 0x2029:
			return ' '
		case r > 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// safeView applies pdfSafe to every string of the view.
func safeView(v docView) docView {
	f := pdfSafe
	v.Heading, v.Verdict, v.Date, v.VerdictNote = f(v.Heading), f(v.Verdict), f(v.Date), f(v.VerdictNote)
	v.Representative, v.Collectivite = f(v.Representative), f(v.Collectivite)
	subject := make([][2]string, len(v.Subject))
	for i, s := range v.Subject {
		subject[i] = [2]string{f(s[0]), f(s[1])}
	}
	v.Subject = subject
	asks := func(in []askView) []askView {
		out := make([]askView, len(in))
		for i, a := range in {
			out[i] = askView{Rule: f(a.Rule), Severity: f(a.Severity), Title: f(a.Title), Text: f(a.Text), Detail: f(a.Detail), Who: f(a.Who), Deadline: f(a.Deadline)}
		}
		return out
	}
	v.Asks, v.Reviews = asks(v.Asks), asks(v.Reviews)
	notes := make([]string, len(v.Notes))
	for i, n := range v.Notes {
		notes[i] = f(n)
	}
	v.Notes = notes
	areas := make([]areaView, len(v.Areas))
	for i, a := range v.Areas {
		fs := make([]findingView, len(a.Findings))
		for j, x := range a.Findings {
			x.Rule, x.Status, x.Severity, x.Title, x.Message = f(x.Rule), f(x.Status), f(x.Severity), f(x.Title), f(x.Message)
			x.Reference, x.Remediation, x.Detail, x.Waiver = f(x.Reference), f(x.Remediation), f(x.Detail), f(x.Waiver)
			ev := make([]evidenceView, len(x.Evidence))
			for k, e := range x.Evidence {
				ev[k] = evidenceView{Location: f(e.Location), Source: f(e.Source), Line: e.Line, Excerpt: f(e.Excerpt)}
			}
			x.Evidence = ev
			fs[j] = x
		}
		a.Title, a.Findings = f(a.Title), fs
		areas[i] = a
	}
	v.Areas = areas
	inputs := make([]result.Input, len(v.Inputs))
	for i, in := range v.Inputs {
		in.Source = f(in.Source)
		inputs[i] = in
	}
	v.Inputs = inputs
	return v
}

func (PDF) Write(w io.Writer, r *result.Result, o Options) error {
	v := safeView(buildView(r, o))
	date, ok := reportDate(r, o)
	if !ok {
		date = time.Unix(0, 0).UTC()
	}
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCatalogSort(true)
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCompression(true)
	f.AddUTF8FontFromBytes(pdfFont, "", fontRegular)
	f.AddUTF8FontFromBytes(pdfFont, "B", fontBold)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, 18)
	f.SetTitle(v.Heading, true)
	f.SetCreator(r.Tool.Name+" "+r.Tool.Version, true)
	f.SetProducer(r.Tool.Name, true)
	if v.Lang == "fr" {
		f.SetLang("fr-FR")
	} else {
		f.SetLang("en-GB")
	}
	f.AliasNbPages("{nb}")
	d := pdfDoc{Fpdf: f, v: v}
	f.SetFooterFunc(d.footer)
	subject := v.T("Conformité de l'ENT", "Conformity of the ENT")
	if v.ENT != "" {
		subject += " " + v.ENT
	}
	if v.Collectivite != "" {
		subject += " — " + v.Collectivite
	}
	f.SetSubject(pdfSafe(subject), true)
	f.SetTitle(pdfSafe(v.Heading+titleSuffix(v)), true)
	f.AddPage()
	d.synthesis()
	d.identification()
	d.method()
	d.areas()
	d.annexes()
	d.visas()
	if err := f.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	if err := f.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}

// titleSuffix is " — ENT" when the ENT is known.
func titleSuffix(v docView) string {
	if v.ENT == "" {
		return ""
	}
	return " — " + v.ENT
}
