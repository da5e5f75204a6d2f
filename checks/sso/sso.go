// Package sso audits captured SSO exchanges: the SAML responses an ENT's
// identity provider really posted to the GAR, read from a HAR file, a
// SAML-tracer export or a bare SAMLResponse. Only the SAML messages are
// read: no header, cookie, other form field or URL of the capture is kept.
package sso

import (
	"bytes"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/checks/saml"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// maxCaptureBytes bounds a capture file.
const maxCaptureBytes = 200 << 20

// CaptureKind is the kind under which a capture is recorded among the
// inputs (by SHA-256 only: its content is never copied).
const CaptureKind = "sso-capture"

// Validity bounds (SSO-008): a bearer assertion lives minutes.
const (
	maxWindow     = time.Hour
	maxWindowWarn = 24 * time.Hour
	clockSkew     = 3 * time.Minute
)

// Check audits every SAML response of the capture src with the options
// of env: the IdP metadata (Opts.SSOMetadata), the project identifier
// (Opts.IDEnt), the GAR feed (Opts.GARDir) and the GAR's service provider
// (Opts.GARSPEntityID, Opts.GARSPACS).
func Check(env *checks.Env, src string) []result.Finding {
	// A HAR file also holds every page and image of the session: it may
	// be larger than other evidence.
	ld := &input.Loader{MaxBytes: maxCaptureBytes, Base: env.Loader.Base}
	data, err := ld.Read(env.Context(), src, CaptureKind)
	if err != nil {
		return checks.Unreadable(rules.AreaSSO, err)
	}
	for _, in := range ld.Inputs() {
		env.Loader.Record(in)
	}
	_, posted, err := ReadCapture(src, data)
	if err != nil {
		return checks.Unreadable(rules.AreaSSO, err)
	}
	observeHosts(env, src, data, posted)
	return auditPosted(env, src, data, posted)
}

// auditPosted audits the posted responses of one capture src; key keys
// the pseudonyms (the capture's bytes).
func auditPosted(env *checks.Env, src string, key []byte, posted []Posted) []result.Finding {
	return auditPostedWith(env, src, key, posted, nil)
}

func auditPostedWith(env *checks.Env, src string, key []byte, posted []Posted, decrypt func(*etree.Element) (*etree.Element, error)) []result.Finding {
	var rs []*response
	seen := map[string]bool{}
	for _, p := range posted {
		// The same response posted twice (a redirect re-posting the
		// form, the IdP's page and the POST both recorded) is audited
		// once.
		k := p.Encoded
		if k == "" {
			k = string(p.XML)
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		r, err := parseResponse(src, p)
		if err != nil {
			return checks.Unreadable(rules.AreaSSO, err)
		}
		if r != nil {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return checks.Unreadable(rules.AreaSSO, &input.Error{Source: src, Err: ErrNoResponse})
	}
	a := &auditor{env: env, src: src, decrypt: decrypt}
	// Identifiers are masked by a pseudonym keyed by the capture itself:
	// stable for one capture, not reversible from the report.
	kd := mask.NewKeyDeriver()
	kd.Add(bytes.NewReader(key))
	a.pseudo = mask.NewPseudonymizer(kd.Key())
	a.loadEvidence()
	var out []result.Finding
	for i, r := range rs {
		r.where = fmt.Sprintf("réponse %d sur %d (%s)", i+1, len(rs), r.where)
		r.whereEN = fmt.Sprintf("response %d of %d (%s)", i+1, len(rs), r.whereEN)
		out = append(out, a.audit(r)...)
	}
	return out
}

// auditor holds what every response of a capture is compared with.
type auditor struct {
	env    *checks.Env
	src    string
	pseudo *mask.Pseudonymizer

	idp    *saml.IdP
	idpErr error
	// decrypt, when set (the probe holds the SP's key), decrypts an
	// EncryptedAssertion into a standalone assertion element.
	decrypt func(*etree.Element) (*etree.Element, error)
	feed    feedIndex
	feedEr  error
}

func (a *auditor) loadEvidence() {
	o := a.env.Opts
	if o.SSOMetadata != "" {
		a.idp, a.idpErr = saml.LoadIdP(a.env, o.SSOMetadata)
	}
	if o.GARDir != "" {
		a.feed, a.feedEr = loadFeed(a.env, o.GARDir)
	}
}

// finding helpers: every message starts with the response it is about
// and every finding points at the capture and that response.
func (a *auditor) mk(st result.Status, rule *rules.Rule, r *response, fr, en string) result.Finding {
	f := result.Finding{Rule: rule.ID, Status: st,
		Message:   upperFirst(r.where) + " : " + fr,
		MessageEN: upperFirst(r.whereEN) + ": " + en,
		Evidence:  []result.Evidence{{Source: a.src, Excerpt: r.locator}},
	}
	return f
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (a *auditor) audit(r *response) []result.Finding {
	var out []result.Finding
	add := func(fs ...result.Finding) { out = append(out, fs...) }
	// The exchange's time: when it was posted, else when the response says
	// it was issued, else the run's clock.
	when := r.at
	if when.IsZero() {
		when = r.issueInstant
	}
	if when.IsZero() {
		when = a.env.Now
	}
	why, whyEN := "l'assertion est chiffrée (EncryptedAssertion), elle ne se lit qu'avec la clé privée du GAR", "the assertion is encrypted (EncryptedAssertion): only the GAR's private key reads it"
	if r.assertion == nil && r.encrypted && a.decrypt != nil {
		if plain, err := a.decrypt(child(r.root, nsSAML, "EncryptedAssertion")); err == nil {
			r.assertion = plain
			r.sigs = append(r.sigs, children(plain, nsDS, "Signature")...)
		} else {
			why, whyEN = "l'assertion chiffrée n'a pas pu être déchiffrée ("+clip(err.Error())+")", "the encrypted assertion could not be decrypted ("+clip(err.Error())+")"
		}
	}
	if a.idp != nil {
		r.verify(a.idp.Keys, when)
	}
	add(a.signed(r))
	add(a.algorithms(r))
	add(a.wrapping(r))
	add(a.issuer(r))
	add(a.recipient(r))
	if r.assertion == nil {
		if !r.encrypted {
			why, whyEN = "la réponse ne porte aucune assertion (statut "+statusOf(r)+")", "the response carries no assertion (status "+statusOf(r)+")"
		}
		for _, id := range []*rules.Rule{rules.SSO006, rules.SSO007, rules.SSO008, rules.SSO009, rules.SSO010, rules.SSO011, rules.SSO012, rules.SSO013} {
			add(a.mk(result.NotEvaluated, id, r, "non évalué : "+why+".", "not evaluated: "+whyEN+"."))
		}
		return out
	}
	add(a.audience(r))
	add(a.bearer(r))
	add(a.validity(r))
	add(a.nameID(r))
	attrs := attributesOf(r.assertion)
	add(a.idEnt(r, attrs))
	add(a.garID(r, attrs)...)
	add(a.minimal(r, attrs))
	return out
}

func statusOf(r *response) string {
	for _, sc := range descendants(child(r.root, nsSAMLP, "Status"), nsSAMLP, "StatusCode") {
		v := attrOf(sc, "Value")
		return v[strings.LastIndexByte(v, ':')+1:]
	}
	return "absent"
}

// SSO-001.
func (a *auditor) signed(r *response) result.Finding {
	if len(r.sigs) == 0 {
		if r.encrypted {
			return a.mk(result.NotEvaluated, rules.SSO001, r,
				"non évalué : la réponse n'est pas signée et l'assertion est chiffrée ; sa signature éventuelle ne se lit qu'avec la clé privée du GAR.",
				"not evaluated: the response is not signed and the assertion is encrypted; its signature, if any, is only readable with the GAR's private key.")
		}
		return a.mk(result.Fail, rules.SSO001, r,
			"ni la réponse ni l'assertion ne sont signées : le GAR ne peut pas authentifier l'ENT.",
			"neither the response nor the assertion is signed: the GAR cannot authenticate the ENT.")
	}
	switch {
	case a.env.Opts.SSOMetadata == "":
		return a.mk(result.NotEvaluated, rules.SSO001, r,
			"non évalué : métadonnées de l'IdP non fournies (--metadata ou evidence.saml_metadata) ; la clé de signature ne peut être comparée à celles qu'elles publient.",
			"not evaluated: the IdP metadata was not supplied (--metadata or evidence.saml_metadata); the signing key cannot be compared with the published ones.")
	case a.idpErr != nil:
		return checks.Errorf(rules.SSO001, a.idpErr)
	case r.verified != "":
		what, whatEN := "la signature de la réponse", "the response's signature"
		if r.verified == "assertion" {
			what, whatEN = "la signature de l'assertion", "the assertion's signature"
		}
		return a.mk(result.Pass, rules.SSO001, r,
			what+" se vérifie avec une clé de signature publiée dans les métadonnées de l'IdP.",
			whatEN+" verifies with a signing key published in the IdP's metadata.")
	}
	return a.mk(result.Fail, rules.SSO001, r,
		"la signature ne se vérifie avec aucune clé de signature des métadonnées de l'IdP (détail technique : "+errText(r.sigErr)+").",
		"the signature does not verify with any signing key of the IdP's metadata (technical detail: "+errTextEN(r.sigErr)+").")
}

func errText(err error) string {
	if err == nil {
		return "aucune signature ne couvre l'assertion"
	}
	return clip(err.Error())
}

func errTextEN(err error) string {
	if err == nil {
		return "no signature covers the assertion"
	}
	return clip(err.Error())
}

// Strong algorithms (XML Signature 1.1, RFC 6931).
var (
	strongSig = map[string]bool{
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256":      true,
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha384":      true,
		"http://www.w3.org/2001/04/xmldsig-more#rsa-sha512":      true,
		"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256":    true,
		"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384":    true,
		"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512":    true,
		"http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1": true,
	}
	strongDigest = map[string]bool{
		"http://www.w3.org/2001/04/xmlenc#sha256":       true,
		"http://www.w3.org/2001/04/xmldsig-more#sha384": true,
		"http://www.w3.org/2001/04/xmlenc#sha512":       true,
	}
)

func algName(uri string) string {
	if i := strings.LastIndexByte(uri, '#'); i >= 0 {
		return uri[i+1:]
	}
	return clip(uri)
}

// SSO-002.
func (a *auditor) algorithms(r *response) result.Finding {
	if len(r.sigs) == 0 {
		return a.mk(result.Skip, rules.SSO002, r, "aucune signature lisible : pas d'algorithme à examiner (voir "+rules.SSO001.ID+").", "no readable signature: no algorithm to examine (see "+rules.SSO001.ID+").")
	}
	var weak []string
	seen := map[string]bool{}
	for _, s := range r.sigs {
		for _, sm := range descendants(s, nsDS, "SignatureMethod") {
			if alg := attrOf(sm, "Algorithm"); !strongSig[alg] && !seen[alg] {
				seen[alg] = true
				weak = append(weak, "signature "+algName(alg))
			}
		}
		for _, dm := range descendants(s, nsDS, "DigestMethod") {
			if alg := attrOf(dm, "Algorithm"); !strongDigest[alg] && !seen[alg] {
				seen[alg] = true
				weak = append(weak, "empreinte "+algName(alg))
			}
		}
	}
	if len(weak) > 0 {
		list := strings.Join(weak, ", ")
		return a.mk(result.Fail, rules.SSO002, r,
			"algorithmes trop faibles : "+list+" ; SHA-256 ou plus fort est exigé.",
			"algorithms too weak: "+strings.ReplaceAll(list, "empreinte", "digest")+"; SHA-256 or stronger is required.")
	}
	return a.mk(result.Pass, rules.SSO002, r, "signatures et empreintes en SHA-256 ou plus fort.", "signatures and digests use SHA-256 or stronger.")
}

// SSO-003.
func (a *auditor) wrapping(r *response) result.Finding {
	if len(r.wrapping) > 0 {
		fr, en := make([]string, len(r.wrapping)), make([]string, len(r.wrapping))
		for i, p := range r.wrapping {
			fr[i], en[i] = p.fr, p.en
		}
		return a.mk(result.Fail, rules.SSO003, r,
			"structure d'emballage de signature : "+strings.Join(fr, " ; ")+".",
			"signature wrapping structure: "+strings.Join(en, "; ")+".")
	}
	if len(r.sigs) == 0 {
		return a.mk(result.Skip, rules.SSO003, r, "aucune signature : pas d'emballage possible (voir "+rules.SSO001.ID+").", "no signature: no wrapping possible (see "+rules.SSO001.ID+").")
	}
	msg, msgEN := "une seule assertion, enfant direct de la réponse ; IDs uniques ; chaque signature référence l'élément qui la porte", "a single assertion, direct child of the response; unique IDs; every signature references the element holding it"
	if r.verified != "" {
		msg += " ; l'assertion lue est celle que la signature vérifiée couvre"
		msgEN += "; the assertion read is the one the verified signature covers"
	}
	return a.mk(result.Pass, rules.SSO003, r, msg+".", msgEN+".")
}

// SSO-004.
func (a *auditor) issuer(r *response) result.Finding {
	if a.env.Opts.SSOMetadata == "" {
		return a.mk(result.NotEvaluated, rules.SSO004, r, "non évalué : métadonnées de l'IdP non fournies (--metadata ou evidence.saml_metadata).", "not evaluated: the IdP metadata was not supplied (--metadata or evidence.saml_metadata).")
	}
	if a.idpErr != nil {
		return checks.Errorf(rules.SSO004, a.idpErr)
	}
	want := a.idp.EntityID
	type iss struct{ fr, en, v string }
	var got []iss
	if e := child(r.root, nsSAML, "Issuer"); e != nil {
		got = append(got, iss{"de la réponse", "of the response", textOf(e)})
	} else if len(r.sigs) > 0 || r.encrypted {
		return a.mk(result.Fail, rules.SSO004, r, "la réponse signée (ou à assertion chiffrée) n'a pas d'Issuer.", "the signed response (or one with an encrypted assertion) has no Issuer.")
	}
	if r.assertion != nil {
		e := child(r.assertion, nsSAML, "Issuer")
		if e == nil {
			return a.mk(result.Fail, rules.SSO004, r, "l'assertion n'a pas d'Issuer.", "the assertion has no Issuer.")
		}
		got = append(got, iss{"de l'assertion", "of the assertion", textOf(e)})
	}
	for _, g := range got {
		if g.v != want {
			return a.mk(result.Fail, rules.SSO004, r,
				fmt.Sprintf("l'Issuer %s est « %s », l'entityID des métadonnées est « %s ».", g.fr, clip(g.v), clip(want)),
				fmt.Sprintf("the Issuer %s is %q, the metadata's entityID is %q.", g.en, clip(g.v), clip(want)))
		}
	}
	return a.mk(result.Pass, rules.SSO004, r, fmt.Sprintf("Issuer « %s », entityID des métadonnées.", clip(want)), fmt.Sprintf("Issuer %q, the metadata's entityID.", clip(want)))
}

func (a *auditor) noSP(rule *rules.Rule, r *response, what string) result.Finding {
	return a.mk(result.NotEvaluated, rule, r,
		"non évalué : "+what+" du GAR n'est pas déclaré (gar_sp dans ent.yaml, ou --gar-sp-entity-id et --gar-sp-acs) ; il n'est pas public.",
		"not evaluated: the GAR's "+map[string]string{"l'entityID": "entityID", "l'adresse de consommation (ACS)": "assertion consumer URL"}[what]+" is not declared (gar_sp in ent.yaml, or --gar-sp-entity-id and --gar-sp-acs); it is not public.")
}

// showURL shows an address without its query or fragment (which may
// carry tokens).
func showURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return clip(s)
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return clip(u.String())
}

// SSO-005.
func (a *auditor) recipient(r *response) result.Finding {
	acs := a.env.Opts.GARSPACS
	if acs == "" {
		return a.noSP(rules.SSO005, r, "l'adresse de consommation (ACS)")
	}
	dest := attrOf(r.root, "Destination")
	if dest == "" {
		return a.mk(result.Fail, rules.SSO005, r, "la réponse n'a pas d'attribut Destination.", "the response has no Destination attribute.")
	}
	if dest != acs {
		return a.mk(result.Fail, rules.SSO005, r,
			fmt.Sprintf("Destination « %s » au lieu de l'adresse du GAR « %s ».", showURL(dest), showURL(acs)),
			fmt.Sprintf("Destination %q instead of the GAR's URL %q.", showURL(dest), showURL(acs)))
	}
	if r.assertion == nil {
		return a.mk(result.Pass, rules.SSO005, r, "Destination est l'adresse du GAR ; le Recipient de l'assertion chiffrée n'est pas lisible.", "Destination is the GAR's URL; the encrypted assertion's Recipient is not readable.")
	}
	var bad []string
	n := 0
	for _, sc := range bearerConfirmations(r.assertion) {
		for _, scd := range children(sc, nsSAML, "SubjectConfirmationData") {
			n++
			if rc := attrOf(scd, "Recipient"); rc != acs {
				bad = append(bad, showURL(rc))
			}
		}
	}
	switch {
	case n == 0:
		return a.mk(result.Fail, rules.SSO005, r, "aucun SubjectConfirmationData de méthode bearer ne porte de Recipient.", "no bearer SubjectConfirmationData carries a Recipient.")
	case len(bad) > 0:
		return a.mk(result.Fail, rules.SSO005, r,
			fmt.Sprintf("Recipient « %s » au lieu de l'adresse du GAR « %s ».", strings.Join(bad, " », « "), showURL(acs)),
			fmt.Sprintf("Recipient %q instead of the GAR's URL %q.", strings.Join(bad, ", "), showURL(acs)))
	}
	return a.mk(result.Pass, rules.SSO005, r, "Destination et Recipient sont l'adresse de consommation du GAR.", "Destination and Recipient are the GAR's assertion consumer URL.")
}

// SSO-006.
func (a *auditor) audience(r *response) result.Finding {
	sp := a.env.Opts.GARSPEntityID
	if sp == "" {
		return a.noSP(rules.SSO006, r, "l'entityID")
	}
	restrictions := descendants(child(r.assertion, nsSAML, "Conditions"), nsSAML, "AudienceRestriction")
	if len(restrictions) == 0 {
		return a.mk(result.Fail, rules.SSO006, r, "l'assertion ne porte aucune AudienceRestriction : elle vaut pour n'importe quel service.", "the assertion carries no AudienceRestriction: it is valid for any service.")
	}
	for _, ar := range restrictions {
		ok := false
		var got []string
		for _, au := range children(ar, nsSAML, "Audience") {
			v := textOf(au)
			got = append(got, clip(v))
			ok = ok || v == sp
		}
		if !ok {
			return a.mk(result.Fail, rules.SSO006, r,
				fmt.Sprintf("audience « %s » au lieu de l'entityID du GAR « %s ».", strings.Join(got, " », « "), clip(sp)),
				fmt.Sprintf("audience %q instead of the GAR's entityID %q.", strings.Join(got, ", "), clip(sp)))
		}
	}
	return a.mk(result.Pass, rules.SSO006, r, "l'audience est l'entityID du GAR.", "the audience is the GAR's entityID.")
}

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
		posted, postedFR, postedEN = issued, "à son émission (IssueInstant)", "when issued (IssueInstant)"
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

// attributesOf reads the assertion's attributes.
func attributesOf(as *etree.Element) []attribute {
	var out []attribute
	for _, st := range children(as, nsSAML, "AttributeStatement") {
		for _, at := range children(st, nsSAML, "Attribute") {
			x := attribute{name: attrOf(at, "Name"), key: strings.ToLower(attrOf(at, "Name")), friendly: attrOf(at, "FriendlyName")}
			if f := attrOf(at, "FriendlyName"); f != "" && (neutralNames[strings.ToLower(f)] || uaiNames[strings.ToLower(f)]) {
				x.key = strings.ToLower(f)
			}
			for _, v := range children(at, nsSAML, "AttributeValue") {
				x.values = append(x.values, textOf(v))
			}
			out = append(out, x)
		}
	}
	return out
}

func find(attrs []attribute, key string) *attribute {
	for i := range attrs {
		if attrs[i].key == key {
			return &attrs[i]
		}
	}
	return nil
}

// SSO-010.
func (a *auditor) idEnt(r *response, attrs []attribute) result.Finding {
	at := find(attrs, attrIDEnt)
	if at == nil || len(at.values) == 0 {
		return a.mk(result.Fail, rules.SSO010, r, "l'attribut idEnt est absent : le GAR ne sait pas à quel projet ENT rattacher l'utilisateur.", "the idEnt attribute is missing: the GAR cannot tell which ENT project the user belongs to.")
	}
	want := a.env.Opts.IDEnt
	if want == "" {
		return a.mk(result.NotEvaluated, rules.SSO010, r,
			fmt.Sprintf("non évalué : idEnt vaut « %s » mais l'identifiant du projet n'est pas déclaré (ent.id_ent ou --id-ent).", clip(at.values[0])),
			fmt.Sprintf("not evaluated: idEnt is %q but the project identifier is not declared (ent.id_ent or --id-ent).", clip(at.values[0])))
	}
	if len(at.values) != 1 || at.values[0] != want {
		return a.mk(result.Fail, rules.SSO010, r,
			fmt.Sprintf("idEnt vaut « %s », l'identifiant du projet est « %s ».", clip(strings.Join(at.values, " », « ")), want),
			fmt.Sprintf("idEnt is %q, the project identifier is %q.", clip(strings.Join(at.values, ", ")), want))
	}
	return a.mk(result.Pass, rules.SSO010, r, fmt.Sprintf("idEnt vaut « %s », l'identifiant du projet.", want), fmt.Sprintf("idEnt is %q, the project identifier.", want))
}

// SSO-011 and SSO-012.
func (a *auditor) garID(r *response, attrs []attribute) []result.Finding {
	at := find(attrs, attrGARID)
	if at == nil || len(at.values) == 0 || at.values[0] == "" {
		return []result.Finding{
			a.mk(result.Fail, rules.SSO011, r, "l'attribut GARPersonIdentifiant est absent : le GAR ne peut pas reconnaître l'utilisateur.", "the GARPersonIdentifiant attribute is missing: the GAR cannot recognise the user."),
			a.mk(result.NotEvaluated, rules.SSO012, r, "non évalué : pas de GARPersonIdentifiant à chercher dans l'alimentation (voir "+rules.SSO011.ID+").", "not evaluated: no GARPersonIdentifiant to look up in the feed (see "+rules.SSO011.ID+")."),
		}
	}
	id := at.values[0]
	masked := a.maskID(id)
	var out []result.Finding
	switch fr, en := readable(id); {
	case len(at.values) > 1:
		out = append(out, a.mk(result.Fail, rules.SSO011, r, fmt.Sprintf("GARPersonIdentifiant porte %d valeurs : une seule est attendue.", len(at.values)), fmt.Sprintf("GARPersonIdentifiant has %d values: exactly one is expected.", len(at.values))))
	case fr != "":
		out = append(out, a.mk(result.Fail, rules.SSO011, r,
			fmt.Sprintf("GARPersonIdentifiant (%s) est %s, pas un identifiant opaque.", a.maskNameID(id), fr),
			fmt.Sprintf("GARPersonIdentifiant (%s) is %s, not an opaque identifier.", a.maskNameID(id), en)))
	case !opaque(id):
		out = append(out, a.mk(result.Warn, rules.SSO011, r,
			fmt.Sprintf("GARPersonIdentifiant (%s) est court ou peu aléatoire : vérifier qu'il est opaque.", masked),
			fmt.Sprintf("GARPersonIdentifiant (%s) is short or hardly random: check that it is opaque.", masked)))
		out[len(out)-1].Review = true
	default:
		out = append(out, a.mk(result.Pass, rules.SSO011, r, fmt.Sprintf("GARPersonIdentifiant présent et opaque (%s).", masked), fmt.Sprintf("GARPersonIdentifiant present and opaque (%s).", masked)))
	}
	return append(out, a.inFeed(r, attrs, id))
}

// inFeed is SSO-012: the identifier is a person of the GAR feed, in the
// establishment the assertion names (when it names one).
func (a *auditor) inFeed(r *response, attrs []attribute, id string) result.Finding {
	masked := a.maskID(id)
	switch {
	case a.env.Opts.GARDir == "":
		return a.mk(result.NotEvaluated, rules.SSO012, r, "non évalué : alimentation GAR non fournie (--gar ou evidence.gar_feed).", "not evaluated: GAR feed not supplied (--gar or evidence.gar_feed).")
	case a.feedEr != nil:
		return checks.Errorf(rules.SSO012, a.feedEr)
	}
	p := a.feed[id]
	if p == nil {
		return a.mk(result.Fail, rules.SSO012, r,
			fmt.Sprintf("GARPersonIdentifiant %s absent de l'alimentation GAR (%d personnes) : le GAR ne reconnaîtra pas l'utilisateur (parent, compte de test ou personne non exportée ?).", masked, len(a.feed)),
			fmt.Sprintf("GARPersonIdentifiant %s is not in the GAR feed (%d people): the GAR will not recognise the user (parent, test account or person not exported?).", masked, len(a.feed)))
	}
	var uais []string
	for _, x := range attrs {
		if uaiNames[x.key] {
			uais = append(uais, x.values...)
		}
	}
	var foreign []string
	for _, u := range uais {
		if !p.uais[u] {
			foreign = append(foreign, clip(u))
		}
	}
	profiles := strings.Join(sortedKeys(p.profiles), ", ")
	if len(foreign) > 0 {
		return a.mk(result.Fail, rules.SSO012, r,
			fmt.Sprintf("GARPersonIdentifiant %s figure dans l'alimentation, mais pas dans l'établissement %s que l'assertion indique (alimentation : %s).", masked, strings.Join(foreign, ", "), strings.Join(sortedKeys(p.uais), ", ")),
			fmt.Sprintf("GARPersonIdentifiant %s is in the feed, but not under establishment %s the assertion names (feed: %s).", masked, strings.Join(foreign, ", "), strings.Join(sortedKeys(p.uais), ", ")))
	}
	where, whereEN := "", ""
	if len(uais) > 0 {
		where, whereEN = ", dans l'établissement indiqué par l'assertion", ", under the establishment the assertion names"
	}
	return a.mk(result.Pass, rules.SSO012, r,
		fmt.Sprintf("GARPersonIdentifiant %s présent dans l'alimentation GAR (profil %s)%s.", masked, profiles, where),
		fmt.Sprintf("GARPersonIdentifiant %s is in the GAR feed (profile %s)%s.", masked, profiles, whereEN))
}

// SSO-013.
func (a *auditor) minimal(r *response, attrs []attribute) result.Finding {
	var personal, unknown, personalEN, unknownEN []string
	for _, x := range attrs {
		if neutralNames[x.key] || uaiNames[x.key] {
			continue
		}
		if k := x.personalKind(x.friendly); k != "" {
			personal = append(personal, fmt.Sprintf("%s (%s)", x.label(), k))
			personalEN = append(personalEN, fmt.Sprintf("%s (%s)", x.labelEN(), kindEN[k]))
			continue
		}
		unknown = append(unknown, x.label())
		unknownEN = append(unknownEN, x.labelEN())
	}
	if len(personal) > 0 {
		return a.mk(result.Fail, rules.SSO013, r,
			"données personnelles transmises au GAR sans nécessité : "+strings.Join(personal, ", ")+" (valeurs non reproduites).",
			"personal data released to the GAR without necessity: "+strings.Join(personalEN, ", ")+" (values not shown).")
	}
	if len(unknown) > 0 {
		f := a.mk(result.Warn, rules.SSO013, r,
			"attributs non prévus transmis au GAR, à justifier : "+strings.Join(unknown, ", ")+" (valeurs non reproduites).",
			"unexpected attributes released to the GAR, to be justified: "+strings.Join(unknownEN, ", ")+" (values not shown).")
		f.Review = true
		return f
	}
	return a.mk(result.Pass, rules.SSO013, r, "aucune autre donnée personnelle que idEnt et GARPersonIdentifiant.", "no personal data other than idEnt and GARPersonIdentifiant.")
}

var kindEN = map[string]string{
	"nom": "name", "prénom": "first name", "nom complet": "full name", "courriel": "e-mail",
	"date de naissance": "birth date", "INE": "INE", "classe": "class", "identifiant de connexion": "login",
	"civilité": "title", "sexe": "sex", "adresse": "address", "téléphone": "phone", "responsable légal": "legal guardian",
	"identifiant annuaire": "directory identifier",
}
