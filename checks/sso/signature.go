package sso

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/input"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmldsigpolicy"
	"github.com/sdetcheck/sdetcheck/rules"
)

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
	case r.idp == nil:
		names, namesEN := a.aggregateNames()
		return a.mk(result.NotEvaluated, rules.SSO001, r,
			fmt.Sprintf("non évalué : les métadonnées réunissent %d fournisseurs d'identité (%s) et aucun n'a pour entityID l'Issuer de la réponse (« %s ») : pas de clé de son émetteur avec laquelle vérifier la signature (voir %s).", len(a.idp.All), names, showURL(responseIssuer(r)), rules.SSO004.ID),
			fmt.Sprintf("not evaluated: the metadata gathers %d identity providers (%s) and none has the response's Issuer (%q) as entityID: no key of its issuer to verify the signature with (see %s).", len(a.idp.All), namesEN, showURL(responseIssuer(r)), rules.SSO004.ID))
	case r.verified != "":
		what, whatEN := "la signature de la réponse se vérifie", "the response's signature verifies"
		switch {
		case r.verified == "assertion" && child(r.root, nsDS, "Signature") != nil:
			// Both verified (a failed one would have failed SSO-001).
			what, whatEN = "les signatures de la réponse et de l'assertion se vérifient", "the signatures of the response and of the assertion verify"
		case r.verified == "assertion":
			what, whatEN = "la signature de l'assertion se vérifie", "the assertion's signature verifies"
		}
		note, noteEN := a.expiredNote(r.verifiedBy)
		agg, aggEN := a.aggregateNote(r)
		return a.mk(result.Pass, rules.SSO001, r,
			what+" avec une clé de signature publiée dans les métadonnées de l'IdP"+agg+"."+note,
			whatEN+" with a signing key published in the IdP's metadata"+aggEN+"."+noteEN)
	case r.foreign != nil:
		what, whatEN := "une clé RSA (ds:RSAKeyValue) que les métadonnées ne publient pas", "an RSA key (ds:RSAKeyValue) the metadata does not publish"
		if r.foreign.subject != "" {
			what = fmt.Sprintf("le certificat « %s » (SHA-256 %s…), dont les métadonnées ne publient pas la clé", r.foreign.subject, r.foreign.sha256)
			whatEN = fmt.Sprintf("the certificate %q (SHA-256 %s…), whose key the metadata does not publish", r.foreign.subject, r.foreign.sha256)
		}
		return a.mk(result.Fail, rules.SSO001, r,
			"la signature ne se vérifie avec aucune clé de signature des métadonnées de l'IdP : sa KeyInfo porte "+what+" ; une clé que seule la réponse porte ne prouve rien, le GAR ne fait confiance qu'aux clés des métadonnées.",
			"the signature does not verify with any signing key of the IdP's metadata: its KeyInfo carries "+whatEN+"; a key only the response carries proves nothing, the GAR trusts the metadata's keys only.")
	}
	return a.mk(result.Fail, rules.SSO001, r,
		"la signature ne se vérifie avec aucune clé de signature des métadonnées de l'IdP : "+errText(r.sigErr)+".",
		"the signature does not verify with any signing key of the IdP's metadata: "+errTextEN(r.sigErr)+".")
}

// errText says why no signature verified, in French: sdetcheck's words
// (sigerror.go), a library's English message marked as such.

// expiredNote is what SSO-001 adds when the metadata certificate whose key
// verified the signature has expired at the run's date: the signature is
// still verified (trust is in the key), the certificate is to be renewed,
// which the saml area's SAML-005 reports.
func (a *auditor) expiredNote(c *x509.Certificate) (fr, en string) {
	if c == nil || c.NotAfter.IsZero() || !c.NotAfter.Before(a.env.Now) {
		return "", ""
	}
	d := c.NotAfter.UTC().Format("2006-01-02")
	return " Le certificat de cette clé dans les métadonnées a expiré le " + d + " : sans effet sur la signature, que le GAR vérifie par la clé, mais à renouveler (voir " + rules.SAML005.ID + ").",
		" That key's certificate in the metadata expired on " + d + ": no effect on the signature, which the GAR verifies by its key, but it is to be renewed (see " + rules.SAML005.ID + ")."
}

func errText(err error) string {
	if err == nil {
		return "aucune signature ne couvre l'assertion"
	}
	return input.French(err)
}

func errTextEN(err error) string {
	if err == nil {
		return "no signature covers the assertion"
	}
	return err.Error()
}

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
		// The policy reads the Algorithm attributes as written
		// (goxmldsig verifies SHA-1 signatures without a word).
		for _, sm := range descendants(s, nsDS, "SignatureMethod") {
			if alg := xmldsigpolicy.AlgorithmOf(sm); !xmldsigpolicy.SignatureMethod(sm) && !seen[alg] {
				seen[alg] = true
				weak = append(weak, "signature "+algName(alg))
			}
		}
		for _, dm := range descendants(s, nsDS, "DigestMethod") {
			if alg := xmldsigpolicy.AlgorithmOf(dm); !xmldsigpolicy.DigestMethod(dm) && !seen[alg] {
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
