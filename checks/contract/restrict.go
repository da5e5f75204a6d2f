package contract

import "regexp"

// A commitment can be taken back by the sentence after it: « Le titulaire
// autorise les audits. Toutefois, ceux-ci sont limités à la fourniture de
// ses certifications. », "Customer may audit Provider. However, such
// audits are limited to reviewing Provider's SOC 2 report." The exception
// is then a sentence of its own, which clauses() does not see.
var (
	// restrictLeadRe: a sentence that opens on a restricting connector.
	restrictLeadRe = re(`^[^\p{L}]*(?:(?:\d+(?:\.\d+)*|[a-z]|[ivx]+)[.)]\s+)?(?:toutefois|cependant|neanmoins|en revanche|par derogation|par exception|sous reserve|a titre d'exception|however|notwithstanding|nevertheless|provided (?:that|however|always)|save that|except that)\b`)
	// limitRe: what a restriction says: limited to, only, "ne … que".
	limitRe = re(`\blimit\w*|\brestrei\w*|\brestrict\w*|\bcirconscri\w*|\breduit\w*|\bborne\w*|\buniquement\b|\bseulement\b|\bexclusivement\b|\bonly\b|\bsolely\b|\bexclusively\b|\bconfined\b|\bn(?:e\b|')\s*(?:\S+\s+){0,30}?qu(?:e\b|')`)
	// anaphorRe: a sentence that opens on the commitment before it
	// ("Such assistance…", « Ceux-ci… », « Ces audits… »).
	anaphorRe = re(`^[^\p{L}]*(?:such|these|this|those|said|ces|ceux-ci|celles-ci|celui-ci|celle-ci|cette|cet|lesdit\w*|ladite|ledit)\b`)
	// auditDocsRe and onSiteRe: what an audit restriction keeps or
	// removes: documents instead of an audit, the inspection itself.
	auditDocsRe = re(`\b(?:rapports?|reports?|reporting|certifica\w*|attestations?|questionnaires?|soc ?[12]|iso ?27001|documentation|documents?|summary|synthese|resumes?|due diligence)\b`)
	onSiteRe    = re(`\b(?:sur (?:site|place)|on-?site|inspections?|locaux|premises|installations)\b`)
)

const (
	// maxRestrict bounds the sentences read after a commitment.
	maxRestrict = 3
	// maxRestricted bounds the restricted commitments passed over in
	// search of one no restriction follows.
	maxRestricted = 16
)

// auditTakenBack: a restriction that leaves the controller documents
// instead of audits ("limited to reviewing Provider's SOC 2 report",
// « limités à la fourniture de ses certifications ») or forbids
// inspections takes the audit right of art. 28.3.h back.
func auditTakenBack(k string) bool {
	return auditDocsRe.MatchString(k) && limitRe.MatchString(k) || onSiteRe.MatchString(k) && negated(k)
}

// restriction is a sentence that takes back part of a commitment.
type restriction struct {
	s *sentence
	// negates: the restriction takes the commitment back whole (the
	// item's negates pattern).
	negates bool
}

// restricts reads the sentences after the i-th (in its section, at most
// maxRestrict, up to the next heading) for one that restricts its
// commitment: a restricting connector with a limit, an option or a
// negation ("However, Provider may restrict access…"), or, when subj is
// given, a sentence about the same subject that limits it ("Customer will
// only exercise its audit rights by…"). The worst is returned: one that
// negates the commitment (negates matches it) before one that narrows it.
func restricts(d *doc, i int, subj *regexp.Regexp, negates func(string) bool) *restriction {
	s := &d.sents[i]
	var out *restriction
	for j := i + 1; j < len(d.sents) && j <= i+maxRestrict; j++ {
		t := &d.sents[j]
		if t.title || t.section != s.section || t.definition {
			break
		}
		k := t.key
		lead := restrictLeadRe.MatchString(k)
		limits := limitRe.MatchString(k) || negated(k) || weakFor(k)
		about := subj != nil && (subj.MatchString(k) || anaphorRe.MatchString(k)) && (limitRe.MatchString(k) || negated(k))
		if !(lead && limits) && !about {
			continue
		}
		r := &restriction{s: t, negates: negates != nil && negates(k)}
		if r.negates {
			return r
		}
		if out == nil {
			out = r
		}
	}
	return out
}
