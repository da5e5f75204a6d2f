package report

import (
	"fmt"
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

var htmlFuncs = template.FuncMap{
	"mul":        func(a, b int) int { return a * b },
	"inc":        func(i int) int { return i + 1 },
	"add":        func(a, b float64) float64 { return a + b },
	"scale":      func(pc float64) string { return fmt.Sprintf("%.1f", pc*4) },
	"barsHeight": func(n int) int { return n*22 + 4 },
}

var htmlTemplate = template.Must(template.New("report").Funcs(htmlFuncs).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}{{range .Subject}}{{if eq (index . 0) "ENT"}} — {{index . 1}}{{end}}{{end}}</title>
<style>
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;color:#1a1a1a;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0}
.verdict{font-size:1.5rem;font-weight:bold;padding:.6rem 1rem;border-radius:.3rem;border:3px solid}
q.quote{color:#555;font-size:.85rem;font-style:italic}
.verdict.conforme{color:#1b5e20;border-color:#1b5e20;background:#e8f5e9}.verdict.conforme-avec-reserves{color:#7a4f00;border-color:#b26a00;background:#fff8e1}
.verdict.non-conforme{color:#8b0000;border-color:#b71c1c;background:#ffebee}.verdict.incomplet{color:#4a148c;border-color:#6a1b9a;background:#f3e5f5}
.verdict.conforme-sous-derogation{color:#006064;border-color:#00838f;background:#e0f7fa}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}
.finding{border:1px solid #bbb;border-left-width:.4rem;padding:.4rem .8rem;margin:.6rem 0;break-inside:avoid}
.finding.pass{border-left-color:#2e7d32}.finding.fail{border-left-color:#c62828}.finding.warn{border-left-color:#ef6c00}.finding.review{border-left-color:#1565c0}
.finding.skip{border-left-color:#9e9e9e}.finding.error{border-left-color:#6a1b9a}.finding.waived{border-left-color:#00838f}
.status{font-weight:bold;margin-right:.5rem}
.pass .status{color:#2e7d32}.fail .status{color:#c62828}.warn .status{color:#ef6c00}.review .status{color:#1565c0}.skip .status{color:#757575}.error .status{color:#6a1b9a}.waived .status{color:#00838f}.sev{color:#555;font-size:.9em}.ref{color:#444;font-size:.9em}
pre{white-space:pre-wrap;background:#f5f5f5;padding:.3rem .5rem;margin:.2rem 0;font-size:.85em}code{font-size:.9em}
.sig{margin-top:2rem;border:1px solid #333;padding:1rem;break-inside:avoid}.sig .box{height:5rem;border-bottom:1px dotted #333;margin-top:1rem}
.first{break-after:page}section.doc{break-before:page}.toc a{text-decoration:none}.toc li{margin:.1rem 0}
.rs-pass{color:#2e7d32;font-weight:bold}.rs-fail{color:#c62828;font-weight:bold}.rs-review,.rs-warn{color:#1565c0;font-weight:bold}.rs-notevaluated,.rs-error{color:#616161;font-weight:bold}.rs-waived{color:#00838f;font-weight:bold}.rs-skip{color:#757575}
.diff td.changed.left{background:#ffebee}.diff td.changed.right{background:#e8f5e9}.legend span{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 1em;vertical-align:middle}.why{font-size:1.05rem}.finding.notevaluated{border-left-color:#9e9e9e}.notevaluated .status{color:#616161}.hash{font-family:"DejaVu Sans Mono",monospace;font-size:.8em;word-break:break-all}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
</style>
</head>
<body>
<section class="first" id="synthese">
<h1>{{.Heading}}{{if .ENT}} — {{.ENT}}{{end}}</h1>
{{if .Collectivite}}<p>{{.T "Collectivité" "Local authority"}}{{.C}} {{.Collectivite}}</p>{{end}}
{{if .Date}}<p>{{.T "Audit du" "Audit of"}} {{.Date}}</p>{{end}}
<p class="verdict {{.VerdictClass}}">{{.T "Avis" "Verdict"}}{{.C}} {{.Verdict}}{{if .VerdictNote}}<span style="display:block;margin-top:.3em;font-size:.55em;font-weight:normal">{{.VerdictNote}}</span>{{end}}</p>
<p class="why">{{.Why}}</p>{{if .Points}}
<h2>{{.T "Les trois demandes de la CNIL" "The CNIL's three demands"}}</h2>
<table>{{range .Points}}<tr><td>{{.Title}} ({{.Rule}})</td><td class="rs-{{.Class}}">{{.State}}</td></tr>{{end}}</table>{{end}}
<p>{{if .Scope}}<strong>{{.T "Périmètre" "Scope"}}{{.C}}</strong> {{.Scope}}<br>{{end}}
<strong>{{.T "Couverture" "Coverage"}}{{.C}}</strong> {{.Coverage}}<br>
<strong>{{.T "Règles non respectées" "Rules broken"}}{{.C}}</strong> {{.FailedRules}}<br>
<strong>{{.T "Bilan par règle" "Per rule"}}{{.C}}</strong> {{.RuleCounts}}</p>
<h2>{{.T "Règles par domaine" "Rules per area"}}</h2>
<svg role="img" aria-label="{{.T "Règles par domaine" "Rules per area"}}" width="100%" viewBox="0 0 600 {{len .Bars | barsHeight}}" xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">
{{range $i, $b := .Bars}}<g transform="translate(0,{{mul $i 22}})"><text x="0" y="14">{{$b.Title}}</text>
<g transform="translate(90,2)">{{$x := 0.0}}<rect x="0" y="0" width="{{scale $b.PassW}}" height="14" fill="#2e7d32"/><rect x="{{scale $b.PassW}}" y="0" width="{{scale $b.FailW}}" height="14" fill="#c62828"/><rect x="{{scale (add $b.PassW $b.FailW)}}" y="0" width="{{scale $b.CheckW}}" height="14" fill="#1565c0"/><rect x="{{scale (add (add $b.PassW $b.FailW) $b.CheckW)}}" y="0" width="{{scale $b.NotEvalW}}" height="14" fill="#aaaaaa"/><rect x="{{scale (add (add (add $b.PassW $b.FailW) $b.CheckW) $b.NotEvalW)}}" y="0" width="{{scale $b.WaivW}}" height="14" fill="#00838f"/></g>
<text x="500" y="14">{{$b.Total}}</text></g>
{{end}}</svg>
<p class="legend"><span style="background:#2e7d32"></span>{{.T "respectées" "respected"}}<span style="background:#c62828"></span>{{.T "non respectées" "broken"}}<span style="background:#1565c0"></span>{{.T "à vérifier ou en alerte" "to check"}}<span style="background:#aaaaaa"></span>{{.T "non évaluées" "not evaluated"}}<span style="background:#00838f"></span>{{.T "sous dérogation" "waived"}}</p>
{{if .Derogations}}<h2>{{.T "Dérogations en vigueur" "Waivers in force"}}</h2>
<ul>{{range .Derogations}}<li>{{.}}</li>{{end}}</ul>{{end}}
<h2>{{.T "Actions attendues" "Actions expected"}}</h2>
{{if .Asks}}<table>
<tr><th>N°</th><th>{{.T "Action attendue et règle en cause" "Expected action and rule concerned"}}</th><th>{{.T "Qui agit" "Who acts"}}</th><th>{{.T "Sévérité" "Severity"}}</th><th>{{.T "Délai suggéré" "Suggested deadline"}}</th></tr>
{{range $i, $a := .Asks}}<tr><td>{{inc $i}}</td><td>{{$a.Text}}<br><small>{{$.T "Règle" "Rule"}} <strong>{{$a.Rule}}</strong> — {{$a.Title}}{{if $a.Detail}}<br>{{$.T "Détail technique" "Technical detail"}}{{$.C}} {{$a.Detail}}{{end}}</small></td><td>{{$a.Who}}</td><td>{{$a.Severity}}</td><td>{{$a.Deadline}}</td></tr>
{{end}}</table>{{else}}<p>{{.T "Aucune : aucun écart à corriger." "None: no gap to fix."}}</p>{{end}}
{{if .Reviews}}<h2>{{.T "Points à vérifier" "Points to check by hand"}}</h2>
<p>{{.T "Ces points demandent un jugement humain ; voici ce qu'il faut regarder :" "These points need a human judgement; here is what to look at:"}}</p>
<ul>
{{range .Reviews}}<li><strong>{{.Rule}}</strong> {{.Title}} ({{.Severity}}) — {{.Text}}</li>
{{end}}</ul>{{end}}
{{if .Notes}}<h2>{{.T "Remarques" "Notes"}}</h2><ul>{{range .Notes}}<li>{{.}}</li>{{end}}</ul>{{end}}
<nav class="toc"><h2>{{.T "Sommaire" "Contents"}}</h2><ol>
<li><a href="#identification">{{.T "Identification" "Identification"}}</a></li>
<li><a href="#methode">{{.T "Méthode et limites" "Method and limits"}}</a></li>
<li><a href="#resultats">{{.T "Résultats par domaine" "Results by area"}}</a><ul>{{range .Areas}}<li><a href="#{{.Anchor}}">{{.Title}}</a></li>{{end}}</ul></li>
<li><a href="#annexes">{{.T "Annexes" "Annexes"}}</a></li>
<li><a href="#visas">{{.T "Visas" "Signatures"}}</a></li>
</ol></nav>
</section>
<section class="doc" id="identification">
<h2>1. {{.T "Identification" "Identification"}}</h2>
<table>
{{range .Ident}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>
{{end}}</table>
<h2 id="methode">2. {{.T "Méthode et limites" "Method and limits"}}</h2>
<dl>{{range .Areas}}{{if .Method}}<dt><strong>{{.Title}}</strong></dt><dd>{{.Method}}</dd>{{end}}{{end}}</dl>
<h3>{{.T "Limites" "Limits"}}</h3>
<ul>{{range .Limits}}<li>{{.}}</li>{{end}}</ul>
</section>
<section class="doc" id="resultats">
<h2>3. {{.T "Résultats par domaine" "Results by area"}}</h2>
{{range .Areas}}<section id="{{.Anchor}}">
<h3>{{.Title}}</h3>
<table>
<tr><th>{{$.T "Règle" "Rule"}}</th><th>{{$.T "Exigence" "Requirement"}}</th><th>{{$.T "Sévérité" "Severity"}}</th><th>{{$.T "Résultat" "Result"}}</th></tr>
{{range .Rules}}<tr><td>{{.Rule}}</td><td>{{.Title}}</td><td>{{.Severity}}</td><td class="rs-{{.Class}}">{{.State}}</td></tr>
{{end}}</table>
{{if .Checklist}}<h4>{{.ChecklistTitle}}</h4>
<table>{{range .Checklist}}<tr><td>{{.Item}}{{if .Quote}}<br><q class="quote">{{.Quote}}</q>{{end}}</td><td class="rs-{{.Class}}">{{.State}}</td></tr>{{end}}</table>{{end}}{{if .Parties}}
<h4>{{$.T "Sous-traitants ultérieurs : déclarés au contrat et utilisés par l'ENT" "Sub-processors: declared in the contract and used by the ENT"}}</h4>
<table><tr><th>{{$.T "Sous-traitant ou hôte" "Sub-processor or host"}}</th><th>{{$.T "Prestation" "Service"}}</th><th>{{$.T "Pays (contrat)" "Country (contract)"}}</th><th>{{$.T "Hôtes utilisés" "Hosts in use"}}</th><th>{{$.T "État" "State"}}</th></tr>
{{range .Parties}}<tr><td>{{.Name}}</td><td>{{.Role}}</td><td>{{.Country}}</td><td>{{.Hosts}}</td><td class="rs-{{.Class}}">{{.State}}</td></tr>{{end}}</table>{{end}}{{if .Hosting}}
<h4>{{$.T "Où sont les serveurs de l'ENT" "Where the ENT's servers are"}}</h4>
<table><tr><th>{{$.T "Hôte" "Host"}}</th><th>{{$.T "Adresse" "Address"}}</th><th>{{$.T "Pays" "Country"}}</th><th>{{$.T "Réseau" "Network"}}</th><th>{{$.T "État" "State"}}</th></tr>
{{range .Hosting}}<tr><td>{{.Host}}</td><td>{{.Address}}</td><td>{{.Country}}</td><td>{{.Network}}</td><td class="rs-{{.Class}}">{{.State}}</td></tr>{{end}}</table>{{end}}
{{range .Groups}}<div class="finding {{.Class}}">
<h4><span class="status">{{.Status}}</span>{{.Rule}} — {{.Title}}{{if .Severity}} <span class="sev">({{.Severity}})</span>{{end}}</h4>
<p>{{.Message}}</p>
{{if gt .Count 1}}<p>{{$.T "Constats identiques" "Identical findings"}}{{$.C}} {{.Count}}{{$.T " ;" ";"}} {{$.T "premiers exemples" "first examples"}}{{$.C}}</p>{{end}}
{{if .Diff}}{{range $i, $e := .Evidence}}{{if eq $i 0}}<p><code>{{.Location}}</code></p>{{end}}{{end}}
<table class="diff"><tr><th>{{$.T "Texte validé par la DSDEN" "Text validated by the DSDEN"}}</th><th>{{$.T "Texte affiché par l'ENT" "Text displayed by the ENT"}}</th></tr>
{{range .Diff}}<tr><td class="left{{if .Changed}} changed{{end}}">{{.Left}}</td><td class="right{{if .Changed}} changed{{end}}">{{.Right}}</td></tr>{{end}}</table>
{{else}}{{range $i, $e := .Evidence}}{{if lt $i 3}}<p><code>{{.Location}}</code></p>{{if .Excerpt}}<pre>{{.Excerpt}}</pre>{{end}}{{end}}
{{end}}{{end}}{{if .Waiver}}<p><em>{{.Waiver}}</em></p>{{end}}
{{if .Remediation}}<p><strong>{{$.T "À faire" "To do"}}{{$.C}}</strong> {{.Remediation}}</p>{{end}}{{if .Detail}}
<p class="ref">{{$.T "Détail technique" "Technical detail"}}{{$.C}} {{.Detail}}</p>{{end}}
{{if .Reference}}<p class="ref">{{$.T "Référence" "Reference"}}{{$.C}} {{.Reference}}</p>{{end}}
</div>
{{end}}</section>
{{end}}</section>
<section class="doc" id="annexes">
<h2>4. {{.T "Annexes" "Annexes"}}</h2>
<h3>A. {{.T "Pièces examinées" "Pieces examined"}}</h3>
<p>{{.Fingerprint}}</p>
<table>
<tr><th>{{.T "Pièce" "Piece"}}</th><th>{{.T "Octets" "Bytes"}}</th><th>SHA-256</th></tr>
{{range .Inputs}}<tr><td>{{.Source}}</td><td>{{.Size}}</td><td class="hash">{{.SHA256}}</td></tr>
{{end}}</table>
<h3>B. {{.T "Glossaire" "Glossary"}}</h3>
<dl>{{range .Glossary}}<dt><strong>{{index . 0}}</strong></dt><dd>{{index . 1}}</dd>{{end}}</dl>
<h3>C. {{.T "Légende des sévérités" "Severities"}}</h3>
<dl>{{range .SevLegend}}<dt><strong>{{index . 0}}</strong></dt><dd>{{index . 1}}</dd>{{end}}</dl>
<h3>D. {{.T "Légende des avis" "Verdicts"}}</h3>
<dl>{{range .VerdLegend}}<dt><strong>{{index . 0}}</strong></dt><dd>{{index . 1}}</dd>{{end}}</dl>
</section>
<section class="doc sig" id="visas">
<h2>5. {{.T "Visas" "Signatures"}}</h2>
<h3>{{.T "Visa de la collectivité" "Local authority approval"}}</h3>
<p>{{.T "Collectivité" "Local authority"}}{{.C}} {{.Collectivite}}</p>
<p>{{.T "Représentant" "Representative"}}{{.C}} {{.Representative}}</p>
<p>{{.T "Fait à ________________________, le ____________" "Signed at ________________________, on ____________"}}</p>
<div class="box">{{.T "Signature et cachet" "Signature and stamp"}}</div>
<h3>{{.T "Visa de l'éditeur" "Vendor approval"}}</h3>
<p>{{.T "Éditeur" "Vendor"}}{{.C}} {{.Vendor}}</p>
<p>{{.T "Pris connaissance du rapport ; s'engage à corriger les écarts au plus tard le ____________" "Has read the report; undertakes to fix the gaps by ____________"}}</p>
<div class="box">{{.T "Signature et cachet" "Signature and stamp"}}</div>
<h3>{{.T "Visa de la DSDEN" "DSDEN approval"}}</h3>
<p>{{.T "Avis : ☐ favorable   ☐ favorable avec réserves   ☐ défavorable" "Opinion: ☐ favourable   ☐ with reservations   ☐ unfavourable"}}</p>
<p>{{.T "Date : ____________" "Date: ____________"}}</p>
<div class="box">{{.T "Signature et cachet" "Signature and stamp"}}</div>
</section>
</body>
</html>
`))
