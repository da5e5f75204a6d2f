// Package contract holds the checks of the contract area: the vendor's
// commitments in its processing contract (GDPR art. 28, the CNIL's three
// demands on school data, the convention's 48 hours), its security
// documentation, and what the other pieces of a dossier show of them
// (the third parties the ENT uses, where its servers are).
//
// The contract is read as a document (internal/doctext: PDF, DOCX, HTML
// or text), cut into sentences in their context (text.go); each clause is
// a statement found in one sentence, quoted in its finding.
package contract

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/doctext"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Kind is the kind of the contract among the run's inputs.
const Kind = "contract"

// loaded is a document as read and parsed once per run (the audit and
// its cross-area step read the contract).
type loaded struct {
	doc *doc
	raw *doctext.Doc
	err error
}

// load reads and parses a document (file or URL) once per run.
func load(env *checks.Env, src, kind string) loaded {
	v, _, _ := env.Cache.Get(kind+":"+src, func() (any, func(), error) {
		data, ctype, err := readSource(env, src, kind)
		if err != nil {
			return loaded{err: err}, nil, nil
		}
		d, err := doctext.Read(env.Context(), src, ctype, data)
		if err != nil {
			return loaded{err: &input.Error{Source: src, Err: err}}, nil, nil
		}
		return loaded{doc: parse(d), raw: d}, nil, nil
	})
	return v.(loaded)
}

// readSource reads a file or a URL, with the Content-Type of a URL.
func readSource(env *checks.Env, src, kind string) ([]byte, string, error) {
	if !input.IsURL(src) {
		data, err := env.Loader.Read(env.Context(), src, kind)
		return data, "", err
	}
	d, err := env.Loader.Fetch(env.Context(), src, kind)
	if err != nil {
		return nil, "", err
	}
	if d.Status != http.StatusOK {
		return nil, "", &input.Error{Source: src, Err: input.HTTPStatus(d.Status)}
	}
	return d.Body, d.Header.Get("Content-Type"), nil
}

// Check audits one contract (`sdetcheck check contract`): its clauses
// (CONTRACT-001 to 004) and the security documentation given with
// --security-doc (CONTRACT-006). The rules that compare the contract
// with the other pieces (CONTRACT-005, 007) need a dossier audit.
func Check(env *checks.Env, src string) []result.Finding {
	fs := contractFindings(env, src, env.Opts.SecurityDoc, false)
	if l := load(env, src, Kind); l.err != nil {
		return fs // every rule of the area is in error
	}
	for _, r := range []*rules.Rule{rules.CONTRACT005, rules.CONTRACT007} {
		fs = append(fs, checks.Skip(r,
			"Comparaison avec les hôtes que l'ENT utilise (pages, métadonnées SAML, captures SSO) : uniquement dans un audit de dossier (sdetcheck audit).",
			"Comparing with the hosts the ENT uses (pages, SAML metadata, SSO captures) needs a dossier audit (sdetcheck audit)."))
	}
	return fs
}

// contractFindings reads the contract and judges its clauses and the
// security documentation (secDoc, "" when none). inAudit: a missing
// security documentation is asked for (the convention wants it sent to
// the DSDEN), not out of scope.
func contractFindings(env *checks.Env, src, secDoc string, inAudit bool) []result.Finding {
	l := load(env, src, Kind)
	if l.err != nil {
		return checks.Unreadable(rules.AreaContract, l.err)
	}
	d := l.doc
	var fs []result.Finding
	for _, c := range clausesList {
		fs = append(fs, itemFinding(rules.CONTRACT001, c.Key, c.FR, c.EN, c.Article, c.ArticleEN(), c.find(d), src))
	}
	fs = append(fs,
		itemFinding(rules.CONTRACT002, "violation-48h",
			"notification à la collectivité de toute violation de données ou de tout incident de sécurité dans un délai de 48 heures au plus",
			"notification to the local authority of every data breach or security incident within 48 hours at most",
			"convention ; RGPD art. 33.2", "agreement; GDPR art. 33.2", breach48(d), src),
		itemFinding(rules.CONTRACT003, "hebergement-ue",
			"données et sauvegardes hébergées en France ou dans l'Union européenne, sans transfert hors de l'Union",
			"data and backups hosted in France or the European Union, with no transfer outside the Union",
			"CNIL ; RGPD chapitre V", "CNIL; GDPR chapter V", hostingEU(d), src),
		itemFinding(rules.CONTRACT004, "usage-commercial",
			"aucun usage commercial des données des élèves et des personnels (publicité, profilage, cession, réutilisation même anonymisée, messages promotionnels)",
			"no commercial use of pupils' and staff's data (advertising, profiling, sale, reuse even anonymised, promotional messages)",
			"CNIL ; RGPD art. 28.3.a", "CNIL; GDPR art. 28.3.a", commercialUse(d), src),
	)
	fs = append(fs, securityDocFinding(env, secDoc, inAudit))
	return fs
}

// maxQuote bounds a quoted sentence.
const maxQuote = 500

// itemFinding builds the finding of one item from what the reading says.
func itemFinding(rule *rules.Rule, key, fr, en, article, articleEN string, o outcome, src string) result.Finding {
	var f result.Finding
	detail := func(s string) string {
		if s == "" {
			return ""
		}
		return " " + strings.ToUpper(s[:1]) + strings.TrimSuffix(s[1:], ".") + "."
	}
	switch o.status {
	case result.Pass:
		f = checks.Pass(rule,
			fmt.Sprintf("Clause présente : %s (%s).%s", fr, article, detail(o.fr)),
			fmt.Sprintf("Clause present: %s (%s).%s", en, articleEN, detail(o.en)))
	case result.Warn:
		f = checks.Review(rule,
			fmt.Sprintf("Clause à vérifier : %s (%s).%s", fr, article, detail(o.fr)),
			fmt.Sprintf("Clause to check: %s (%s).%s", en, articleEN, detail(o.en)))
	default:
		f = checks.Fail(rule,
			fmt.Sprintf("Clause absente ou insuffisante : %s (%s).%s", fr, article, detail(o.fr)),
			fmt.Sprintf("Clause missing or insufficient: %s (%s).%s", en, articleEN, detail(o.en)))
	}
	ev := result.Evidence{Source: src}
	if o.quote != "" {
		ev.Excerpt = quote(o.quote)
	}
	f.Evidence = []result.Evidence{ev}
	f.Item = key
	f.Parties = o.parties
	return f
}

var (
	quoteEmailRe = regexp.MustCompile(`[\p{L}0-9._%+-]+@[\p{L}0-9-]+(\.[\p{L}0-9-]+)+`)
	quotePhoneRe = regexp.MustCompile(`(\+33 ?|\b0)\d([ .-]?\d\d){4}\b`)
	// quoteNameRe: a person named with a civility ("M. Jean Dupont",
	// "Madame Claire Martin").
	quoteNameRe = regexp.MustCompile(`\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle|Me|Dr)\s+((?:\p{Lu}[\p{L}'-]+\s?){1,3})`)
)

// quote is a sentence as a finding shows it: bounded, e-mail addresses
// reduced to their domain, phone numbers hidden and persons named with a
// civility reduced to their initials (a contract names its signatories
// and officers).
func quote(s string) string {
	// a table row's cells, as a reader would quote them
	s = strings.ReplaceAll(s, " | ", " — ")
	s = quoteEmailRe.ReplaceAllStringFunc(s, func(m string) string { return mask.Of(m, "mail").String() })
	s = quotePhoneRe.ReplaceAllStringFunc(s, func(m string) string { return mask.Of(m, "telephoneNumber").String() })
	s = quoteNameRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := quoteNameRe.FindStringSubmatch(m)
		civ := strings.TrimSpace(strings.TrimSuffix(m, sub[1]))
		trail := ""
		if strings.HasSuffix(sub[1], " ") {
			trail = " "
		}
		return civ + " " + mask.Of(strings.TrimSpace(sub[1]), "cn").String() + trail
	})
	return bound(s, maxQuote)
}
