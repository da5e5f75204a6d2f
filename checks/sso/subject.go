package sso

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// Validity bounds (SSO-008): a bearer assertion lives minutes.
const (
	maxWindow     = time.Hour
	maxWindowWarn = 24 * time.Hour
	clockSkew     = 3 * time.Minute
)

func bearerConfirmations(as *etree.Element) []*etree.Element {
	var out []*etree.Element
	for _, sc := range children(child(as, nsSAML, "Subject"), nsSAML, "SubjectConfirmation") {
		if attrOf(sc, "Method") == bearer {
			out = append(out, sc)
		}
	}
	return out
}

// SSO-007.
func (a *auditor) bearer(r *response) result.Finding {
	bs := bearerConfirmations(r.assertion)
	if len(bs) == 0 {
		var methods []string
		for _, sc := range children(child(r.assertion, nsSAML, "Subject"), nsSAML, "SubjectConfirmation") {
			methods = append(methods, clip(attrOf(sc, "Method")))
		}
		if len(methods) == 0 {
			methods = []string{"aucune"}
		}
		return a.mk(result.Fail, rules.SSO007, r,
			"aucune confirmation de sujet bearer (méthodes : "+strings.Join(methods, ", ")+").",
			"no bearer subject confirmation (methods: "+strings.ReplaceAll(strings.Join(methods, ", "), "aucune", "none")+").")
	}
	for _, sc := range bs {
		scd := child(sc, nsSAML, "SubjectConfirmationData")
		if scd == nil || attrOf(scd, "NotOnOrAfter") == "" || attrOf(scd, "Recipient") == "" {
			return a.mk(result.Fail, rules.SSO007, r,
				"la confirmation bearer n'a pas de SubjectConfirmationData avec Recipient et NotOnOrAfter.",
				"the bearer confirmation has no SubjectConfirmationData with Recipient and NotOnOrAfter.")
		}
	}
	return a.mk(result.Pass, rules.SSO007, r, "sujet confirmé par la méthode bearer, avec Recipient et NotOnOrAfter.", "subject confirmed with the bearer method, with Recipient and NotOnOrAfter.")
}

func duration(d time.Duration) (fr, en string) {
	switch {
	case d >= 48*time.Hour:
		n := int(d / (24 * time.Hour))
		return fmt.Sprintf("%d jours", n), fmt.Sprintf("%d days", n)
	case d >= 2*time.Hour:
		n := int(d / time.Hour)
		return fmt.Sprintf("%d heures", n), fmt.Sprintf("%d hours", n)
	case d >= 2*time.Minute:
		n := int(d / time.Minute)
		return fmt.Sprintf("%d minutes", n), fmt.Sprintf("%d minutes", n)
	case d >= time.Minute:
		return "1 minute", "1 minute"
	}
	n := int(d / time.Second)
	if n < 2 {
		return fmt.Sprintf("%d seconde", n), fmt.Sprintf("%d second", n)
	}
	return fmt.Sprintf("%d secondes", n), fmt.Sprintf("%d seconds", n)
}

// SSO-008.
func (a *auditor) validity(r *response) result.Finding {
	cond := child(r.assertion, nsSAML, "Conditions")
	issued, _ := parseTime(attrOf(r.assertion, "IssueInstant"))
	if issued.IsZero() {
		issued = r.issueInstant
	}
	notBefore, _ := parseTime(attrOf(cond, "NotBefore"))
	ends := map[string]time.Time{}
	if t, ok := parseTime(attrOf(cond, "NotOnOrAfter")); ok {
		ends["Conditions"] = t
	}
	for _, sc := range bearerConfirmations(r.assertion) {
		if t, ok := parseTime(attrOf(child(sc, nsSAML, "SubjectConfirmationData"), "NotOnOrAfter")); ok {
			ends["SubjectConfirmationData"] = t
		}
	}
	if len(ends) == 0 {
		return a.mk(result.Fail, rules.SSO008, r, "l'assertion n'a aucune date de fin de validité (NotOnOrAfter) : elle vaut indéfiniment.", "the assertion has no end of validity (NotOnOrAfter): it is valid forever.")
	}
	start := issued
	if start.IsZero() || (!notBefore.IsZero() && notBefore.After(start)) {
		start = notBefore
	}
	names := make([]string, 0, len(ends))
	for k := range ends {
		names = append(names, k)
	}
	sort.Strings(names)
	posted, postedFR, postedEN := r.at, "à son envoi", "when posted"
	if posted.IsZero() {
		// A bare response (base64, XML) has no capture date: say so,
		// as the verdict then holds at the IssueInstant only.
		posted, postedFR, postedEN = issued, "à son émission (jugé à la date d'émission, IssueInstant, la capture n'étant pas datée)", "when issued (judged at its issue date, IssueInstant, the capture not being dated)"
	}
	var longest time.Duration
	for _, k := range names {
		end := ends[k]
		if !posted.IsZero() && !end.After(posted) {
			late, lateEN := duration(posted.Sub(end))
			return a.mk(result.Fail, rules.SSO008, r,
				fmt.Sprintf("la réponse était déjà expirée %s : NotOnOrAfter de %s dépassé de %s (horloge de l'IdP décalée ?).", postedFR, k, late),
				fmt.Sprintf("the response had already expired %s: the NotOnOrAfter of %s was %s past (skewed IdP clock?).", postedEN, k, lateEN))
		}
		if !start.IsZero() && end.Sub(start) > longest {
			longest = end.Sub(start)
		}
	}
	if !notBefore.IsZero() && !posted.IsZero() && notBefore.After(posted.Add(clockSkew)) {
		early, earlyEN := duration(notBefore.Sub(posted))
		return a.mk(result.Fail, rules.SSO008, r,
			fmt.Sprintf("la réponse n'était pas encore valide %s : NotBefore %s plus tard (horloge de l'IdP décalée ?).", postedFR, early),
			fmt.Sprintf("the response was not yet valid %s: NotBefore %s later (skewed IdP clock?).", postedEN, earlyEN))
	}
	w, wEN := duration(longest)
	switch {
	case longest > maxWindowWarn:
		return a.mk(result.Fail, rules.SSO008, r,
			fmt.Sprintf("fenêtre de validité de %s : une assertion bearer doit expirer en quelques minutes.", w),
			fmt.Sprintf("validity window of %s: a bearer assertion must expire within minutes.", wEN))
	case longest > maxWindow:
		return a.mk(result.Warn, rules.SSO008, r,
			fmt.Sprintf("fenêtre de validité de %s : plus d'une heure, à réduire à quelques minutes.", w),
			fmt.Sprintf("validity window of %s: over an hour, to be cut to a few minutes.", wEN))
	}
	return a.mk(result.Pass, rules.SSO008, r,
		fmt.Sprintf("fenêtre de validité de %s, valide %s.", w, postedFR),
		fmt.Sprintf("validity window of %s, valid %s.", wEN, postedEN))
}

// maskID shows an identifier read from a NameID or an identifier
// attribute as a keyed pseudonym.
func (a *auditor) maskID(v string) string { return a.pseudo.Of(v, "NameID").String() }

// SSO-009.
func (a *auditor) nameID(r *response) result.Finding {
	subj := child(r.assertion, nsSAML, "Subject")
	if child(subj, nsSAML, "EncryptedID") != nil {
		return a.mk(result.NotEvaluated, rules.SSO009, r, "non évalué : le NameID est chiffré (EncryptedID), lisible seulement avec la clé privée du GAR.", "not evaluated: the NameID is encrypted (EncryptedID), readable only with the GAR's private key.")
	}
	n := child(subj, nsSAML, "NameID")
	if n == nil {
		return a.mk(result.Fail, rules.SSO009, r, "l'assertion n'a pas de NameID.", "the assertion has no NameID.")
	}
	format := attrOf(n, "Format")
	v := textOf(n)
	short := format[strings.LastIndexByte(format, ':')+1:]
	if format == "" {
		short = "non précisé"
	}
	if fr, en := readable(v); fr != "" {
		return a.mk(result.Fail, rules.SSO009, r,
			fmt.Sprintf("le NameID (format %s) est %s (%s) : une donnée personnelle transmise à chaque ressource.", short, fr, a.maskNameID(v)),
			fmt.Sprintf("the NameID (format %s) is %s (%s): personal data released to every resource.", strings.Replace(short, "non précisé", "unspecified", 1), en, a.maskNameID(v)))
	}
	switch format {
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:transient":
		return a.mk(result.Pass, rules.SSO009, r, "NameID transitoire.", "transient NameID.")
	case "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent":
		if opaque(v) {
			return a.mk(result.Pass, rules.SSO009, r, "NameID persistant opaque ("+a.maskID(v)+").", "opaque persistent NameID ("+a.maskID(v)+").")
		}
		return a.mk(result.Fail, rules.SSO009, r, "NameID persistant qui n'a pas l'air opaque ("+a.maskID(v)+") : trop court ou lisible.", "persistent NameID that does not look opaque ("+a.maskID(v)+"): too short or readable.")
	case "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
		"urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
		"urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName",
		"urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos":
		return a.mk(result.Fail, rules.SSO009, r, "NameID au format "+short+" : il désigne la personne ; le format transient est attendu.", "NameID in the "+short+" format: it names the person; the transient format is expected.")
	}
	if opaque(v) {
		return a.mk(result.Warn, rules.SSO009, r, "NameID au format "+short+", opaque en apparence ("+a.maskID(v)+") : préférer le format transient.", "NameID in the "+strings.Replace(short, "non précisé", "unspecified", 1)+" format, apparently opaque ("+a.maskID(v)+"): prefer the transient format.")
	}
	return a.mk(result.Fail, rules.SSO009, r, "NameID au format "+short+" qui n'a pas l'air opaque ("+a.maskID(v)+") ; le format transient est attendu.", "NameID in the "+strings.Replace(short, "non précisé", "unspecified", 1)+" format that does not look opaque ("+a.maskID(v)+"); the transient format is expected.")
}

func (a *auditor) maskNameID(v string) string {
	if strings.Contains(v, "@") {
		return mask.Of(v, "mail").String()
	}
	return a.maskID(v)
}
