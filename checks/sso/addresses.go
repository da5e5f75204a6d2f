package sso

import (
	"fmt"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/urlshow"
	"github.com/sdetcheck/sdetcheck/rules"
)

// SSO-004.
func (a *auditor) issuer(r *response) result.Finding {
	if a.env.Opts.SSOMetadata == "" {
		return a.mk(result.NotEvaluated, rules.SSO004, r, "non évalué : métadonnées de l'IdP non fournies (--metadata ou evidence.saml_metadata).", "not evaluated: the IdP metadata was not supplied (--metadata or evidence.saml_metadata).")
	}
	if a.idpErr != nil {
		return checks.Errorf(rules.SSO004, a.idpErr)
	}
	if r.idp == nil {
		names, namesEN := a.aggregateNames()
		return a.mk(result.Fail, rules.SSO004, r,
			fmt.Sprintf("l'Issuer « %s » n'est l'entityID d'aucun des %d fournisseurs d'identité des métadonnées (%s) : le GAR ne reconnaîtrait pas l'émetteur.", showURL(responseIssuer(r)), len(a.idp.All), names),
			fmt.Sprintf("the Issuer %q is the entityID of none of the metadata's %d identity providers (%s): the GAR would not recognise the issuer.", showURL(responseIssuer(r)), len(a.idp.All), namesEN))
	}
	want := r.idp.EntityID
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
			why, whyEN := differs(g.v, want)
			return a.mk(result.Fail, rules.SSO004, r,
				fmt.Sprintf("l'Issuer %s est « %s », l'entityID des métadonnées est « %s »%s.", g.fr, showURL(g.v), showURL(want), why),
				fmt.Sprintf("the Issuer %s is %q, the metadata's entityID is %q%s.", g.en, showURL(g.v), showURL(want), whyEN))
		}
	}
	if len(a.idp.All) > 0 {
		return a.mk(result.Pass, rules.SSO004, r,
			fmt.Sprintf("Issuer « %s », entityID de l'un des %d fournisseurs d'identité des métadonnées, celui auquel la réponse est rapportée.", showURL(want), len(a.idp.All)),
			fmt.Sprintf("Issuer %q, the entityID of one of the metadata's %d identity providers, the one the response is judged against.", showURL(want), len(a.idp.All)))
	}
	return a.mk(result.Pass, rules.SSO004, r, fmt.Sprintf("Issuer « %s », entityID des métadonnées.", showURL(want)), fmt.Sprintf("Issuer %q, the metadata's entityID.", showURL(want)))
}

func (a *auditor) noSP(rule *rules.Rule, r *response, what string) result.Finding {
	return a.mk(result.NotEvaluated, rule, r,
		"non évalué : "+what+" du GAR n'est pas déclaré (gar_sp dans ent.yaml, ou --gar-sp-entity-id et --gar-sp-acs) ; il n'est pas public.",
		"not evaluated: the GAR's "+map[string]string{"l'entityID": "entityID", "l'adresse de consommation (ACS)": "assertion consumer URL"}[what]+" is not declared (gar_sp in ent.yaml, or --gar-sp-entity-id and --gar-sp-acs); it is not public.")
}

// showURL shows an address (an Issuer, a Destination, a Recipient, an
// Audience) as findings quote it: without its query string, fragment or
// user information, which may carry tokens (urlshow.Quote), clipped.
func showURL(s string) string { return clip(urlshow.Quote(s)) }

// differs is what a finding adds when got, an address of the response,
// differs from want only in what showURL leaves out or in what a reader
// hardly sees (urlshow.Diff): " : les deux adresses ne diffèrent que par
// …"; "" otherwise.
func differs(got, want string) (fr, en string) {
	f, e := urlshow.Diff(got, want)
	if f == "" {
		return "", ""
	}
	return " : " + f, ": " + e
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
		why, whyEN := differs(dest, acs)
		return a.mk(result.Fail, rules.SSO005, r,
			fmt.Sprintf("Destination « %s » au lieu de l'adresse du GAR « %s »%s.", showURL(dest), showURL(acs), why),
			fmt.Sprintf("Destination %q instead of the GAR's URL %q%s.", showURL(dest), showURL(acs), whyEN))
	}
	if r.assertion == nil {
		return a.mk(result.Pass, rules.SSO005, r, "Destination est l'adresse du GAR ; le Recipient de l'assertion chiffrée n'est pas lisible.", "Destination is the GAR's URL; the encrypted assertion's Recipient is not readable.")
	}
	var bad []string
	n := 0
	distinct := map[string]bool{}
	var why, whyEN string
	for _, sc := range bearerConfirmations(r.assertion) {
		for _, scd := range children(sc, nsSAML, "SubjectConfirmationData") {
			n++
			if rc := attrOf(scd, "Recipient"); rc != acs {
				bad = append(bad, showURL(rc))
				distinct[rc] = true
				why, whyEN = differs(rc, acs)
			}
		}
	}
	if len(distinct) > 1 {
		why, whyEN = "", "" // several addresses: each shows its difference
	}
	switch {
	case n == 0:
		return a.mk(result.Fail, rules.SSO005, r, "aucun SubjectConfirmationData de méthode bearer ne porte de Recipient.", "no bearer SubjectConfirmationData carries a Recipient.")
	case len(bad) > 0:
		return a.mk(result.Fail, rules.SSO005, r,
			fmt.Sprintf("Recipient « %s » au lieu de l'adresse du GAR « %s »%s.", strings.Join(bad, " », « "), showURL(acs), why),
			fmt.Sprintf("Recipient %q instead of the GAR's URL %q%s.", strings.Join(bad, ", "), showURL(acs), whyEN))
	}
	return a.mk(result.Pass, rules.SSO005, r, "Destination et Recipient sont l'adresse de consommation du GAR.", "Destination and Recipient are the GAR's assertion consumer URL.")
}

// SSO-006.
func (a *auditor) audience(r *response) result.Finding {
	// An assertion without audience is valid for any service, whatever
	// the GAR's entityID: the Web Browser SSO profile requires one
	// (saml-profiles-2.0-os §4.1.4.2).
	restrictions := descendants(child(r.assertion, nsSAML, "Conditions"), nsSAML, "AudienceRestriction")
	if len(restrictions) == 0 {
		return a.mk(result.Fail, rules.SSO006, r, "l'assertion ne porte aucune AudienceRestriction : elle vaut pour n'importe quel service.", "the assertion carries no AudienceRestriction: it is valid for any service.")
	}
	sp := a.env.Opts.GARSPEntityID
	if sp == "" {
		return a.noSP(rules.SSO006, r, "l'entityID")
	}
	for _, ar := range restrictions {
		ok := false
		var got, raw []string
		for _, au := range children(ar, nsSAML, "Audience") {
			v := textOf(au)
			got = append(got, showURL(v))
			raw = append(raw, v)
			ok = ok || v == sp
		}
		if !ok {
			var why, whyEN string
			if len(raw) == 1 {
				why, whyEN = differs(raw[0], sp)
			}
			return a.mk(result.Fail, rules.SSO006, r,
				fmt.Sprintf("audience « %s » au lieu de l'entityID du GAR « %s »%s.", strings.Join(got, " », « "), showURL(sp), why),
				fmt.Sprintf("audience %q instead of the GAR's entityID %q%s.", strings.Join(got, ", "), showURL(sp), whyEN))
		}
	}
	return a.mk(result.Pass, rules.SSO006, r, "l'audience est l'entityID du GAR.", "the audience is the GAR's entityID.")
}
