package report

import (
	"html/template"
	"io"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// HTML writes the conformity report as one self-contained page (inline CSS,
// no script, no external resource) that prints well. html/template escapes
// every value taken from the evidence.
type HTML struct{}

func (HTML) Write(w io.Writer, r *result.Result, o Options) error {
	return htmlTemplate.Execute(w, buildView(r, o))
}

var htmlTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}{{range .Subject}}{{if eq (index . 0) "ENT"}} — {{index . 1}}{{end}}{{end}}</title>
<style>
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0}
.verdict{font-size:1.5rem;font-weight:bold;padding:.6rem 1rem;border-radius:.3rem;border:3px solid}
.verdict.conforme{color:#1b5e20;border-color:#1b5e20;background:#e8f5e9}.verdict.conforme-avec-reserves{color:#7a4f00;border-color:#b26a00;background:#fff8e1}
.verdict.non-conforme{color:#8b0000;border-color:#b71c1c;background:#ffebee}.verdict.incomplet{color:#4a148c;border-color:#6a1b9a;background:#f3e5f5}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}
.finding{border:1px solid #bbb;border-left-width:.4rem;padding:.4rem .8rem;margin:.6rem 0;break-inside:avoid}
.finding.pass{border-left-color:#2e7d32}.finding.fail{border-left-color:#c62828}.finding.warn{border-left-color:#ef6c00}.finding.review{border-left-color:#1565c0}
.finding.skip{border-left-color:#9e9e9e}.finding.error{border-left-color:#6a1b9a}.finding.waived{border-left-color:#00838f}
.status{font-weight:bold;margin-right:.5rem}
.pass .status{color:#2e7d32}.fail .status{color:#c62828}.warn .status{color:#ef6c00}.review .status{color:#1565c0}.skip .status{color:#757575}.error .status{color:#6a1b9a}.waived .status{color:#00838f}.sev{color:#555;font-size:.9em}.ref{color:#444;font-size:.9em}
pre{white-space:pre-wrap;background:#f5f5f5;padding:.3rem .5rem;margin:.2rem 0;font-size:.85em}code{font-size:.9em}
.sig{margin-top:2rem;border:1px solid #333;padding:1rem;break-inside:avoid}.sig .box{height:5rem;border-bottom:1px dotted #333;margin-top:1rem}
.first{break-after:page}.hash{font-family:"DejaVu Sans Mono",monospace;font-size:.8em;word-break:break-all}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
</style>
</head>
<body>
<section class="first">
<h1>{{.Heading}}</h1>
<p class="verdict {{.VerdictClass}}">{{.T "Verdict" "Verdict"}} : {{.Verdict}}</p>
<table>
<tr><th>{{.T "Échecs bloquants" "Blocking failures"}}</th><th>{{.T "Majeurs" "Major"}}</th><th>{{.T "Mineurs" "Minor"}}</th><th>Info</th></tr>
<tr>{{range .Severities}}<td>{{.N}}</td>{{end}}</tr>
</table>
<p>{{range $i, $c := .Statuses}}{{if $i}} · {{end}}{{$c.N}} {{$c.Label}}{{end}}</p>
<table>
{{range .Subject}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
<h2>{{.T "Ce qu'il faut demander à l'éditeur" "What to ask the vendor"}}</h2>
{{if .Asks}}<ol>
{{range .Asks}}<li><strong>{{.Rule}}</strong> <span class="sev">({{.Severity}})</span> {{.Title}} — {{.Text}}</li>
{{end}}</ol>{{else}}<p>{{.T "Rien : aucun écart à corriger." "Nothing: no gap to fix."}}</p>{{end}}
{{if .Reviews}}<h2>{{.T "À vérifier" "To check by hand"}}</h2>
<p>{{.T "Ces points demandent un jugement humain ; voici ce qu'il faut regarder :" "These points need a human judgement; here is what to look at:"}}</p>
<ul>
{{range .Reviews}}<li><strong>{{.Rule}}</strong> {{.Title}} — {{.Text}}</li>
{{end}}</ul>{{end}}
{{if .Notes}}<h2>{{.T "Remarques" "Notes"}}</h2><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>
{{range .Areas}}<section>
<h2>{{.Title}}</h2>
{{range .Findings}}<div class="finding {{.Class}}">
<h3><span class="status">{{.Status}}</span>{{.Rule}} — {{.Title}} <span class="sev">({{.Severity}})</span></h3>
<p>{{.Message}}</p>
{{range .Evidence}}<p><code>{{.Location}}</code></p>{{if .Excerpt}}<pre>{{.Excerpt}}</pre>{{end}}
{{end}}{{if .Waiver}}<p><em>{{.Waiver}}</em></p>{{end}}
{{if .Remediation}}<p><strong>{{$.T "À faire" "To do"}} :</strong> {{.Remediation}}</p>{{end}}
{{if .Reference}}<p class="ref">{{$.T "Référence" "Reference"}} : {{.Reference}}</p>{{end}}
</div>
{{end}}</section>
{{end}}<section>
<h2>{{.T "Pièces examinées" "Inputs examined"}}</h2>
<table>
<tr><th>{{.T "Pièce" "Input"}}</th><th>{{.T "Octets" "Bytes"}}</th><th>SHA-256</th></tr>
{{range .Inputs}}<tr><td>{{.Source}}</td><td>{{.Size}}</td><td class="hash">{{.SHA256}}</td></tr>
{{end}}</table>
</section>
<section class="sig">
<h2>{{.T "Visa de la collectivité" "Collectivité's signature"}}</h2>
<p>{{.T "Collectivité" "Collectivité"}} : {{.Collectivite}}</p>
<p>{{.T "Représentant" "Representative"}} : {{.Representative}}</p>
<p>{{.T "Fait à ________________________, le ____________" "Signed at ________________________, on ____________"}}</p>
<div class="box">{{.T "Signature et cachet" "Signature and stamp"}}</div>
</section>
</body>
</html>
`))
