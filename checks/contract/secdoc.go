package contract

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// SecDocKind is the kind of the security documentation among the run's
// inputs.
const SecDocKind = "security-documentation"

// maxSecDocAge is the age past which security documentation is stale.
const maxSecDocAge = 3 * 365 * 24 * time.Hour

var (
	monthsFR = map[string]int{"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
		"septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12, "january": 1, "february": 2, "march": 3, "april": 4,
		"may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
	dateDMYRe  = regexp.MustCompile(`\b([0-3]?\d)(?:er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december) ((?:19|20)\d\d)\b`)
	dateMYRe   = regexp.MustCompile(`\b(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december) ((?:19|20)\d\d)\b`)
	dateNumRe  = regexp.MustCompile(`\b([0-3]?\d)[/.]([01]?\d)[/.]((?:19|20)\d\d)\b`)
	dateISORe  = regexp.MustCompile(`\b((?:19|20)\d\d)-([01]\d)-([0-3]\d)\b`)
	versionRe  = regexp.MustCompile(`\b(?:version|date|mise a jour|mis a jour|edition|redige|etabli|revision|revise|publie|valide|approuve|dernier\w* (?:test|audit)|realise)\b`)
	secKindRes = []struct {
		re       *regexp.Regexp
		fr, en   string
		isPentst bool
	}{
		{re: regexp.MustCompile(`plan d'assurance (?:securite|qualite et securite)|\bpaq?s\b`), fr: "plan d'assurance sécurité", en: "security assurance plan"},
		{re: regexp.MustCompile(`politique de securite des systemes d'information|\bpssi\b`), fr: "politique de sécurité des systèmes d'information", en: "information security policy"},
		{re: regexp.MustCompile(`\biso(?:/iec)? ?27001\b`), fr: "certification ISO 27001", en: "ISO 27001 certification"},
		{re: regexp.MustCompile(`\bhds\b|hebergeur de donnees de sante`), fr: "certification HDS", en: "HDS certification"},
		{re: regexp.MustCompile(`\bsecnumcloud\b`), fr: "qualification SecNumCloud", en: "SecNumCloud qualification"},
		{re: regexp.MustCompile(`tests? d'intrusion|\bpentest\w*|penetration test\w*|audit de securite|tests? de penetration`), fr: "test d'intrusion", en: "penetration test", isPentst: true},
		{re: regexp.MustCompile(`analyse de risques|\bebios\b`), fr: "analyse de risques", en: "risk analysis"},
		{re: regexp.MustCompile(`\bhomologation\b`), fr: "homologation de sécurité", en: "security accreditation"},
	}
)

// docDate finds the date of a document: a date written near "version",
// "date", "mise à jour" in its first sentences, else the most recent date
// written there (not after now), else its properties' date.
func docDate(l loaded, now time.Time) (time.Time, string) {
	var near, latest time.Time
	limit := 80
	for i := range l.doc.sents {
		if i >= limit {
			break
		}
		s := l.doc.sents[i].key
		for _, t := range datesIn(s) {
			if t.After(now.Add(24 * time.Hour)) {
				continue
			}
			if near.IsZero() && versionRe.MatchString(s) {
				near = t
			}
			if t.After(latest) {
				latest = t
			}
		}
	}
	switch {
	case !near.IsZero():
		return near, "date écrite dans le document"
	case !latest.IsZero():
		return latest, "date écrite dans le document"
	case !l.raw.Date.IsZero() && !l.raw.Date.After(now.Add(24*time.Hour)):
		return l.raw.Date, "date des propriétés du fichier"
	}
	return time.Time{}, ""
}

// datesIn returns the dates a folded sentence writes.
func datesIn(s string) []time.Time {
	var out []time.Time
	add := func(y, m, d int) {
		if m >= 1 && m <= 12 && d >= 1 && d <= 31 {
			out = append(out, time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC))
		}
	}
	for _, m := range dateDMYRe.FindAllStringSubmatch(s, -1) {
		d, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[3])
		add(y, monthsFR[m[2]], d)
	}
	if len(out) == 0 {
		for _, m := range dateMYRe.FindAllStringSubmatch(s, -1) {
			y, _ := strconv.Atoi(m[2])
			add(y, monthsFR[m[1]], 1)
		}
	}
	for _, m := range dateNumRe.FindAllStringSubmatch(s, -1) {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		y, _ := strconv.Atoi(m[3])
		add(y, mo, d)
	}
	for _, m := range dateISORe.FindAllStringSubmatch(s, -1) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		add(y, mo, d)
	}
	return out
}

// securityDocFinding is CONTRACT-006: the security documentation read,
// dated and named.
func securityDocFinding(env *checks.Env, src string, inAudit bool) result.Finding {
	id := rules.CONTRACT006
	if src == "" {
		if !inAudit {
			return checks.Skip(id,
				"Documentation de sécurité de l'éditeur non fournie (--security-doc FICHIER).",
				"Vendor's security documentation not given (--security-doc FILE).")
		}
		return checks.Warn(id,
			"Documentation de sécurité de l'éditeur absente du dossier (evidence.security_documentation) : la demander à l'éditeur (plan d'assurance sécurité, certifications, dernier test d'intrusion) et la transmettre à la DSDEN.",
			"Vendor's security documentation missing from the dossier (evidence.security_documentation): ask the vendor for it (security assurance plan, certifications, last penetration test) and send it to the DSDEN.")
	}
	l := load(env, src, SecDocKind)
	if l.err != nil {
		return checks.Errorf(id, l.err)
	}
	var kindsFR, kindsEN []string
	for _, k := range secKindRes {
		if k.re.MatchString(l.doc.raw) {
			kindsFR, kindsEN = append(kindsFR, k.fr), append(kindsEN, k.en)
		}
	}
	what, whatEN := "", ""
	if len(kindsFR) > 0 {
		what = " (" + strings.Join(kindsFR, ", ") + ")"
		whatEN = " (" + strings.Join(kindsEN, ", ") + ")"
	}
	ev := result.Evidence{Source: src}
	date, how := docDate(l, env.Now)
	if date.IsZero() {
		return checks.Warn(id,
			fmt.Sprintf("Documentation de sécurité fournie%s, mais non datée : demander à l'éditeur sa version datée.", what),
			fmt.Sprintf("Security documentation supplied%s, but undated: ask the vendor for its dated version.", whatEN), ev)
	}
	day := date.Format("2006-01-02")
	howEN := map[string]string{"date écrite dans le document": "date written in the document", "date des propriétés du fichier": "date of the file's properties"}[how]
	if env.Now.Sub(date) > maxSecDocAge {
		return checks.Warn(id,
			fmt.Sprintf("Documentation de sécurité fournie%s, datée du %s (%s) : plus de trois ans ; demander à l'éditeur sa version à jour.", what, day, how),
			fmt.Sprintf("Security documentation supplied%s, dated %s (%s): more than three years old; ask the vendor for its current version.", whatEN, day, howEN), ev)
	}
	return checks.Pass(id,
		fmt.Sprintf("Documentation de sécurité fournie%s, datée du %s (%s), à transmettre à la DSDEN.", what, day, how),
		fmt.Sprintf("Security documentation supplied%s, dated %s (%s), to send to the DSDEN.", whatEN, day, howEN), ev)
}
