package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Markdown writes the report for a pull-request comment or a wiki: the
// verdict and the asks first, then a table per area of what is not a pass
// (passes are counted, not listed, to keep comments short), then inputs.
type Markdown struct{}

// mdEscape makes s safe inside a Markdown table cell or line: pipes,
// backticks, angle brackets and line breaks cannot break the layout or
// inject HTML.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "`", "'", "<", "&lt;", ">", "&gt;", "\r", " ", "\n", " ", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)
	return r.Replace(StripControls(s))
}

func (Markdown) Write(w io.Writer, r *result.Result, o Options) error {
	v := buildView(r, o)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", v.Heading)
	fmt.Fprintf(&b, "**%s%s %s**\n\n", v.T("Verdict", "Verdict"), v.colon(), v.Verdict)
	if v.VerdictNote != "" {
		fmt.Fprintf(&b, "> %s\n\n", mdEscape(v.VerdictNote))
	}
	fmt.Fprintf(&b, "%s\n\n", mdEscape(v.Why))
	if len(v.Points) > 0 {
		fmt.Fprintf(&b, "**%s**\n\n", v.T("Les trois demandes de la CNIL", "The CNIL's three demands"))
		for _, p := range v.Points {
			fmt.Fprintf(&b, "- %s (%s)%s %s\n", mdEscape(p.Title), p.Rule, v.colon(), p.State)
		}
		b.WriteString("\n")
	}
	if v.Scope != "" {
		fmt.Fprintf(&b, "- %s%s %s\n", v.T("Périmètre", "Scope"), v.colon(), v.Scope)
	}
	fmt.Fprintf(&b, "- %s%s %s\n", v.T("Couverture", "Coverage"), v.colon(), v.Coverage)
	fmt.Fprintf(&b, "- %s%s %s\n", v.T("Règles non respectées", "Rules broken"), v.colon(), v.FailedRules)
	fmt.Fprintf(&b, "- %s%s %s\n\n", v.T("Bilan par règle", "Per rule"), v.colon(), v.RuleCounts)
	for _, d := range v.Derogations {
		fmt.Fprintf(&b, "> %s\n\n", mdEscape(d))
	}
	for _, s := range v.Subject {
		fmt.Fprintf(&b, "- %s%s %s\n", s[0], v.colon(), mdEscape(s[1]))
	}
	fmt.Fprintf(&b, "\n## %s\n\n", v.T("Actions attendues", "Actions expected"))
	if len(v.Asks) == 0 {
		fmt.Fprintf(&b, "%s\n", v.T("Aucune : aucun écart à corriger.", "None: no gap to fix."))
	}
	for i, a := range v.Asks {
		// What must be done first, in plain words; then the rule and the
		// technical detail, for the vendor.
		detail := ""
		if a.Detail != "" {
			detail = v.T(" ; détail technique : ", "; technical detail: ") + mdEscape(a.Detail)
		}
		fmt.Fprintf(&b, "%d. %s — **%s** (%s) %s%s (%s%s %s, %s%s %s)\n", i+1, mdEscape(a.Text), a.Rule, a.Severity, mdEscape(a.Title), detail, v.T("qui agit", "who acts"), v.colon(), a.Who, v.T("délai suggéré", "suggested deadline"), v.colon(), a.Deadline)
	}
	if len(v.Reviews) > 0 {
		fmt.Fprintf(&b, "\n## %s\n\n", v.T("À vérifier", "To check by hand"))
		for _, a := range v.Reviews {
			fmt.Fprintf(&b, "- **%s** %s — %s\n", a.Rule, mdEscape(a.Title), mdEscape(a.Text))
		}
	}
	for _, n := range v.Notes {
		fmt.Fprintf(&b, "\n> %s\n", mdEscape(n))
	}
	for _, a := range v.Areas {
		fmt.Fprintf(&b, "\n## %s\n\n", a.Title)
		passes := 0
		var rows []string
		for _, f := range a.Findings {
			if f.Class == "pass" {
				passes++
				continue
			}
			var ev []string
			for _, e := range f.Evidence {
				s := "`" + strings.ReplaceAll(e.Location, "`", "'") + "`"
				if e.Excerpt != "" {
					s += " " + mdEscape(e.Excerpt)
				}
				ev = append(ev, s)
			}
			msg := mdEscape(f.Message)
			if f.Waiver != "" {
				msg += "<br>_" + mdEscape(f.Waiver) + "_"
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s | %s |", f.Status, f.Rule, f.Severity, msg, strings.Join(ev, "<br>")))
		}
		if len(rows) > 0 {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", v.T("Statut", "Status"), v.T("Règle", "Rule"), v.T("Sévérité", "Severity"), "Message", v.T("Preuve", "Evidence"))
			fmt.Fprintf(&b, "%s\n", strings.Join(rows, "\n"))
		}
		fmt.Fprintf(&b, "\n%d %s\n", passes, v.T("règle(s) conforme(s).", "rule(s) passed."))
		mdParties(&b, v, a)
	}
	fmt.Fprintf(&b, "\n<details><summary>%s</summary>\n\n| %s | SHA-256 |\n|---|---|\n", v.T("Pièces examinées", "Inputs examined"), v.T("Pièce", "Input"))
	for _, in := range v.Inputs {
		fmt.Fprintf(&b, "| %s | `%s` |\n", mdEscape(in.Source), in.SHA256)
	}
	fmt.Fprintf(&b, "\n</details>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdParties writes an area's sub-processors and hosting tables.
func mdParties(b *strings.Builder, v docView, a areaView) {
	if len(a.Parties) > 0 {
		fmt.Fprintf(b, "\n**%s**\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", v.T("Sous-traitants ultérieurs : déclarés au contrat et utilisés par l'ENT", "Sub-processors: declared in the contract and used by the ENT"),
			v.T("Sous-traitant ou hôte", "Sub-processor or host"), v.T("Prestation", "Service"), v.T("Pays (contrat)", "Country (contract)"), v.T("Hôtes utilisés", "Hosts in use"), v.T("État", "State"))
		for _, p := range a.Parties {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdEscape(p.Name), mdEscape(p.Role), mdEscape(p.Country), mdEscape(p.Hosts), p.State)
		}
	}
	if len(a.Hosting) > 0 {
		fmt.Fprintf(b, "\n**%s**\n\n| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", v.T("Où sont les serveurs de l'ENT", "Where the ENT's servers are"),
			v.T("Hôte", "Host"), v.T("Adresse", "Address"), v.T("Pays", "Country"), v.T("Réseau", "Network"), v.T("État", "State"))
		for _, h := range a.Hosting {
			fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", mdEscape(h.Host), h.Address, h.Country, h.Network, h.State)
		}
	}
}
