// Package sso audits captured SSO exchanges: the SAML responses an ENT's
// identity provider really posted to the GAR, read from a HAR file, a
// SAML-tracer export or a bare SAMLResponse. Only the SAML messages are
// read: no header, cookie, other form field or URL of the capture is kept.
package sso

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/mask"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/rules"
)

// maxCaptureBytes bounds a capture file.
const maxCaptureBytes = 200 << 20

// CaptureKind is the kind under which a capture is recorded among the
// inputs (by SHA-256 only: its content is never copied).
const CaptureKind = "sso-capture"

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
	format, posted, err := ReadCapture(src, data)
	for _, in := range ld.Inputs() {
		if format == FormatExtract {
			in.Kind = ExtractKind
		}
		env.Loader.Record(in)
	}
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
	a.pseudo = mask.NewPseudonymizer(pseudonymKey(key))
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

	idp    *samlmeta.IdP
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
		a.idp, a.idpErr = samlmeta.LoadIdP(a.env.Context(), a.env.Loader, a.env.Cache, o.SSOMetadata)
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
			why, whyEN = "l'assertion chiffrée n'a pas pu être déchiffrée (détail technique en anglais : "+clip(err.Error())+")", "the encrypted assertion could not be decrypted ("+clip(err.Error())+")"
		}
	}
	r.idp = a.idpOf(r)
	if r.idp != nil {
		r.verify(r.idp.Keys, when)
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

// idpOf returns the identity provider of the metadata that issued r: in a
// federation's aggregate (several identity providers), the one whose
// entityID is r's Issuer (the response's, else the assertion's), as a
// service provider looks it up, nil when none is; else the metadata's
// only one.
func (a *auditor) idpOf(r *response) *samlmeta.IdP {
	if a.idp == nil || len(a.idp.All) == 0 {
		return a.idp
	}
	iss := responseIssuer(r)
	for _, c := range a.idp.All {
		if c.EntityID == iss {
			return c
		}
	}
	return nil
}

// responseIssuer is the Issuer of the response, else of its assertion
// ("" when neither has one).
func responseIssuer(r *response) string {
	if e := child(r.root, nsSAML, "Issuer"); e != nil {
		return textOf(e)
	}
	return textOf(child(r.assertion, nsSAML, "Issuer"))
}

// aggregateNote says, in an aggregate, which of its identity providers
// judged r ("" when the metadata holds one).
func (a *auditor) aggregateNote(r *response) (fr, en string) {
	if r.idp == nil || a.idp == nil || len(a.idp.All) == 0 {
		return "", ""
	}
	n := len(a.idp.All)
	return fmt.Sprintf(" (métadonnées à %d fournisseurs d'identité : celui dont l'entityID « %s » est l'Issuer de la réponse)", n, showURL(r.idp.EntityID)),
		fmt.Sprintf(" (metadata with %d identity providers: the one whose entityID %q is the response's Issuer)", n, showURL(r.idp.EntityID))
}

// aggregateNames lists the entityIDs of an aggregate's identity providers
// (three at most).
func (a *auditor) aggregateNames() (fr, en string) {
	var names []string
	for i, c := range a.idp.All {
		if i == 3 {
			return "« " + strings.Join(names, " », « ") + " »…", strings.Join(quoted(names), ", ") + "…"
		}
		names = append(names, showURL(c.EntityID))
	}
	return "« " + strings.Join(names, " », « ") + " »", strings.Join(quoted(names), ", ")
}

func quoted(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

func statusOf(r *response) string {
	for _, sc := range descendants(child(r.root, nsSAMLP, "Status"), nsSAMLP, "StatusCode") {
		v := attrOf(sc, "Value")
		return v[strings.LastIndexByte(v, ':')+1:]
	}
	return "absent"
}
