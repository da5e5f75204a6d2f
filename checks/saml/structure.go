package saml

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/samlmeta"
	"github.com/sdetcheck/sdetcheck/internal/urlshow"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
)

// checkSchema validates the document against the OASIS SAML 2.0 metadata
// schema (SAML-002), one finding per violation.
func checkSchema(env *checks.Env, md *metadata) []result.Finding {
	data, ext := extensionRoles(md.Raw)
	vs, err := validateSchema(env.Context(), data)
	if err != nil {
		return []result.Finding{checks.Errorf(rules.SAML002, err)}
	}
	if len(vs) == 0 {
		fr, en := "Document valide selon le schéma OASIS SAML 2.0 metadata.", "Document valid against the OASIS SAML 2.0 metadata schema."
		if len(ext) > 0 {
			list := strings.Join(ext, ", ")
			fr = "Document valide selon le schéma OASIS SAML 2.0 metadata ; les rôles d'extension (RoleDescriptor " + list + ", hors SAML 2.0, par exemple WS-Federation d'ADFS) relèvent d'un autre schéma et n'ont pas été validés."
			en = "Document valid against the OASIS SAML 2.0 metadata schema; the extension roles (RoleDescriptor " + list + ", outside SAML 2.0, e.g. ADFS's WS-Federation) belong to another schema and were not validated."
		}
		return []result.Finding{checks.Pass(rules.SAML002, fr, en, md.at(md.Root))}
	}
	var out []result.Finding
	for _, v := range vs {
		where := v.Path
		if where != "" {
			where = " (" + where + ")"
		}
		out = append(out, checks.Fail(rules.SAML002,
			"Non conforme au schéma SAML 2.0 metadata"+where+" (détail technique du validateur : "+v.Message+").",
			"Not valid against the SAML 2.0 metadata schema"+where+": "+v.Message+".",
			result.Evidence{Source: md.Src, Line: v.Line, Column: v.Column}))
	}
	return out
}

// checkEntity checks the root and the identity provider role (SAML-003):
// an EntityDescriptor (or an EntitiesDescriptor holding the ENT's) whose
// entityID is an https URL or a URN, with an IDPSSODescriptor supporting
// SAML 2.0.
func checkEntity(_ *checks.Env, md *metadata) []result.Finding {
	if !is(md.Root, nsMD, "EntityDescriptor") && !is(md.Root, nsMD, "EntitiesDescriptor") {
		return []result.Finding{checks.Fail(rules.SAML003,
			fmt.Sprintf("La racine est <%s> : une métadonnée SAML 2.0 commence par md:EntityDescriptor ou md:EntitiesDescriptor.", md.Root.FullTag()),
			fmt.Sprintf("Root element is <%s>: SAML 2.0 metadata starts with md:EntityDescriptor or md:EntitiesDescriptor.", md.Root.FullTag()),
			md.at(md.Root))}
	}
	if md.Entity == nil {
		return []result.Finding{checks.Fail(rules.SAML003,
			"Aucun EntityDescriptor ne déclare de rôle de fournisseur d'identité (IDPSSODescriptor).",
			"No EntityDescriptor declares an identity provider role (IDPSSODescriptor).",
			md.at(md.Root))}
	}
	var out []result.Finding
	id, _ := attr(md.Entity, "entityID")
	// Quoted without its query string, fragment or user information, as
	// every address a finding quotes (urlshow).
	shown := urlshow.Quote(id)
	if problem := entityIDProblem(id); problem == "not an https URL nor a URN" && httpEntityID(id) {
		// An http entityID is a name, never fetched: AD FS
		// (http://host/adfs/services/trust) and Okta
		// (http://www.okta.com/…) write one by default. It identifies
		// the IdP as well as an https one; https is only recommended.
		out = append(out, checks.Warn(rules.SAML003,
			fmt.Sprintf("entityID %q en http : c'est un identifiant valable (URI absolue, forme par défaut d'AD FS et d'Okta), jamais une adresse consultée ; une URL https est recommandée.", shown),
			fmt.Sprintf("entityID %q is http: a valid identifier (absolute URI, the default form of AD FS and Okta), never fetched; an https URL is recommended.", shown),
			md.atExcerpt(md.Entity, "entityID=\""+shown+"\"")))
	} else if problem != "" {
		out = append(out, checks.Fail(rules.SAML003,
			fmt.Sprintf("entityID %q invalide : %s.", shown, problemFR[problem]),
			fmt.Sprintf("Invalid entityID %q: %s.", shown, problem),
			md.atExcerpt(md.Entity, "entityID=\""+shown+"\"")))
	}
	if md.IDP == nil {
		out = append(out, checks.Fail(rules.SAML003,
			"L'EntityDescriptor ne contient pas d'IDPSSODescriptor : ce n'est pas la métadonnée d'un fournisseur d'identité.",
			"The EntityDescriptor holds no IDPSSODescriptor: this is not identity provider metadata.",
			md.at(md.Entity)))
		return out
	}
	pse, _ := attr(md.IDP, "protocolSupportEnumeration")
	if !containsField(pse, protocolV2) {
		out = append(out, checks.Fail(rules.SAML003,
			"protocolSupportEnumeration de l'IDPSSODescriptor ne contient pas "+protocolV2+".",
			"The IDPSSODescriptor's protocolSupportEnumeration lacks "+protocolV2+".",
			md.atExcerpt(md.IDP, "protocolSupportEnumeration=\""+pse+"\"")))
	}
	if md.IDPs > 1 {
		// Which one is judged, and why: the dossier names no entityID;
		// its ENT's address (ent.url) may point at one.
		fr, en := fmt.Sprintf("%d fournisseurs d'identité dans le document (agrégat) : seul le premier (%s) est audité, rien dans le dossier ne désignant celui de l'ENT (aucune adresse de l'ENT, ent.url, sur le domaine de l'entityID d'un seul d'entre eux) ; vérifier que c'est celui de l'ENT, ou fournir ses seules métadonnées.", md.IDPs, shown),
			fmt.Sprintf("%d identity providers in the document (aggregate): only the first (%s) is audited, as nothing in the dossier names the ENT's (no ENT address, ent.url, on the domain of exactly one's entityID); check it is the ENT's, or supply its own metadata only.", md.IDPs, shown)
		if md.Chosen == samlmeta.ChoseDomain {
			fr, en = fmt.Sprintf("%d fournisseurs d'identité dans le document (agrégat) : celui audité est %s, le seul dont l'entityID est sur le domaine de l'adresse de l'ENT (ent.url) ; vérifier que c'est celui de l'ENT.", md.IDPs, shown),
				fmt.Sprintf("%d identity providers in the document (aggregate): the one audited is %s, the only one whose entityID is on the domain of the ENT's address (ent.url); check it is the ENT's.", md.IDPs, shown)
		}
		out = append(out, checks.Review(rules.SAML003, fr, en, md.at(md.Entity)))
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.SAML003,
			"Fournisseur d'identité SAML 2.0 "+shown+".",
			"SAML 2.0 identity provider "+shown+".",
			md.at(md.Entity)))
	}
	return out
}

var problemFR = map[string]string{
	"empty":                              "vide",
	"longer than 1024 characters":        "plus de 1024 caractères",
	"not an https URL nor a URN":         "ni URL https ni URN",
	"malformed URL":                      "URL mal formée",
	"URL without host":                   "URL sans hôte",
	"URL with a fragment or credentials": "URL avec fragment ou identifiants",
}

// entityIDProblem returns what is wrong with an entityID ("" when fine).
// saml-metadata-2.0-os bounds it to 1024 characters; the GAR identifies
// the ENT by it, so it must be a stable https URL or a URN.
func entityIDProblem(id string) string {
	switch {
	case id == "":
		return "empty"
	case len(id) > 1024:
		return "longer than 1024 characters"
	case strings.HasPrefix(strings.ToLower(id), "urn:"):
		return ""
	case !strings.HasPrefix(id, "https://"):
		return "not an https URL nor a URN"
	}
	u, err := url.Parse(id)
	switch {
	case err != nil:
		return "malformed URL"
	case u.Host == "":
		return "URL without host"
	case u.Fragment != "" || u.User != nil:
		return "URL with a fragment or credentials"
	}
	return ""
}

// httpEntityID reports whether id is a well-formed absolute http URL with
// a host, no credentials and no fragment.
func httpEntityID(id string) bool {
	if !strings.HasPrefix(id, "http://") || len(id) > 1024 || strings.ContainsAny(id, " \t\r\n") {
		return false
	}
	u, err := url.Parse(id)
	return err == nil && u.Host != "" && u.Fragment == "" && u.User == nil
}

// containsField reports whether the whitespace-separated list holds v.
func containsField(list, v string) bool {
	for _, f := range strings.Fields(list) {
		if f == v {
			return true
		}
	}
	return false
}

// knownBindings are the bindings IdP software publishes: those of
// saml-bindings-2.0-os, the SAML 2.0 HTTP-POST-SimpleSign binding
// (saml-binding-simplesign-cs-02), the holder-of-key browser SSO profile,
// and the SAML 1.x / Shibboleth ones that Shibboleth IdP and Apereo CAS
// list beside them by default. Only HTTP-Redirect and HTTP-POST serve the
// GAR; the others are legitimate, not errors.
var knownBindings = map[string]bool{
	bindingRedi: true,
	bindingPOST: true,
	"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact":             true,
	"urn:oasis:names:tc:SAML:2.0:bindings:SOAP":                      true,
	"urn:oasis:names:tc:SAML:2.0:bindings:PAOS":                      true,
	"urn:oasis:names:tc:SAML:2.0:bindings:URI":                       true,
	"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign":      true,
	"urn:oasis:names:tc:SAML:2.0:profiles:holder-of-key:SSO:browser": true,
	"urn:mace:shibboleth:1.0:profiles:AuthnRequest":                  true,
	"urn:mace:shibboleth:2.0:profiles:AuthnRequest":                  true,
	"urn:oasis:names:tc:SAML:1.0:bindings:SOAP-binding":              true,
	"urn:oasis:names:tc:SAML:1.0:profiles:browser-post":              true,
	"urn:oasis:names:tc:SAML:1.0:profiles:artifact-01":               true,
}

// endpointProblems checks every endpoint: known binding, https Location.
// It returns failures and the number of usable browser (Redirect/POST)
// endpoints. Endpoints with the same problem make one finding that lists
// them, one evidence each: an IdP on a development host publishes all its
// endpoints in http, and one finding per endpoint repeats the point.
func endpointProblems(md *metadata, rule *rules.Rule, eps []*etree.Element) (fails []result.Finding, usable int) {
	type group struct {
		fr, en string   // the problem, without the endpoint
		items  []string // distinct
		n      int      // endpoints
		evs    []result.Evidence
		tag    string
		warn   bool // an endpoint the GAR never uses: to correct, not blocking
	}
	var order []string
	groups := map[string]*group{}
	add := func(key, tag, fr, en, item string, ev result.Evidence, warn bool) {
		g, ok := groups[key]
		if !ok {
			g = &group{fr: fr, en: en, tag: tag, warn: warn}
			groups[key] = g
			order = append(order, key)
		}
		g.n++
		g.evs = append(g.evs, ev)
		for _, it := range g.items {
			if it == item {
				return // the same Location under several bindings (Keycloak)
			}
		}
		g.items = append(g.items, item)
	}
	// The Locations of the browser bindings: an endpoint of another
	// binding at one of them shares its problem (Keycloak publishes one
	// Location under POST, Redirect and SOAP) and joins its finding.
	browserLocs := map[string]bool{}
	for _, ep := range eps {
		if b, _ := attr(ep, "Binding"); b == bindingRedi || b == bindingPOST {
			loc, _ := attr(ep, "Location")
			browserLocs[loc] = true
		}
	}
	for _, ep := range eps {
		b, _ := attr(ep, "Binding")
		loc, _ := attr(ep, "Location")
		browser := b == bindingRedi || b == bindingPOST
		ok := true
		if !knownBindings[b] {
			ok = false
			add(ep.Tag+"\x00binding", ep.Tag, "binding inconnu", "unknown binding",
				fmt.Sprintf("%q", b), md.atExcerpt(ep, "Binding=\""+b+"\""), false)
		}
		if !browser && placeholderHost(loc) {
			// A binding the GAR never uses, pointed at a reserved name
			// that never resolves (RFC 6761 §6.4: ".invalid"): the
			// metadata's way of saying the profile is not spoken
			// (Shibboleth IdP v2 in the SWITCHaai federation:
			// "http://only.saml2.spoken.here.invalid"). No endpoint.
			continue
		}
		if p := locationProblem(loc); p != "" {
			ok = false
			// Two Locations that differ only in what urlshow leaves out
			// are one item, as they read the same. Plain http on a
			// binding the GAR never uses (SAML 1, SOAP, artifact) is to
			// correct, but does not touch the GAR's exchanges: a
			// warning, not a failure, kept apart from the browser
			// bindings' problems.
			warn := !browser && !browserLocs[loc] && p == "not https"
			key := ep.Tag + "\x00" + p
			fr, en := "refusée ("+locationFR[p]+")", "refused ("+p+")"
			if warn {
				key += "\x00other"
				fr = "en clair (" + locationFR[p] + ", binding que le GAR n'utilise pas : à corriger, sans effet sur le GAR)"
				en = "in clear (" + p + ", a binding the GAR does not use: to correct, no effect on the GAR)"
			}
			shown := urlshow.Quote(loc)
			add(key, ep.Tag, fr, en,
				fmt.Sprintf("%q", shown), md.atExcerpt(ep, "Location=\""+shown+"\""), warn)
		}
		if ok && (b == bindingRedi || b == bindingPOST) {
			usable++
		}
	}
	for _, key := range order {
		g := groups[key]
		list := strings.Join(g.items, ", ")
		what, whatEN := "Location "+list+" "+g.fr, "Location "+list+" "+g.en
		if strings.HasSuffix(key, "\x00binding") {
			what, whatEN = g.fr+" "+list, g.en+" "+list
		}
		fr := fmt.Sprintf("<%s> : %s.", g.tag, what)
		en := fmt.Sprintf("<%s>: %s.", g.tag, whatEN)
		if n := g.n; n > 1 {
			whatPl := "adresses (Location) " + list + " " + strings.Replace(g.fr, "refusée", "refusées", 1)
			if len(g.items) == 1 {
				whatPl = "même adresse (Location) " + list + ", " + g.fr
			}
			if strings.HasSuffix(key, "\x00binding") {
				whatPl = "bindings inconnus " + list
			}
			fr = fmt.Sprintf("%d <%s> : %s.", n, g.tag, whatPl)
			en = fmt.Sprintf("%d <%s>: %s.", n, g.tag, whatEN)
		}
		if g.warn {
			fails = append(fails, checks.Warn(rule, fr, en, g.evs...))
			continue
		}
		fails = append(fails, checks.Fail(rule, fr, en, g.evs...))
	}
	return fails, usable
}

// placeholderHost reports whether a Location names a host under the
// reserved top-level domain "invalid" (RFC 6761 §6.4), which no resolver
// answers: a placeholder, not an endpoint.
func placeholderHost(loc string) bool {
	u, err := url.Parse(strings.TrimSpace(loc))
	if err != nil {
		return false
	}
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return h == "invalid" || strings.HasSuffix(h, ".invalid")
}

var locationFR = map[string]string{
	"empty":                  "vide",
	"malformed URL":          "URL mal formée",
	"not https":              "pas en https",
	"no host":                "sans hôte",
	"credentials in URL":     "identifiants dans l'URL",
	"loopback or local host": "hôte local",
}

// locationProblem returns what is wrong with an endpoint Location.
func locationProblem(loc string) string {
	if strings.TrimSpace(loc) == "" {
		return "empty"
	}
	u, err := url.Parse(loc)
	switch {
	case err != nil || strings.ContainsAny(loc, " \t\r\n"):
		return "malformed URL"
	case u.Scheme != "https":
		return "not https"
	case u.Host == "" || u.Hostname() == "":
		return "no host"
	case u.User != nil:
		return "credentials in URL"
	case u.Hostname() == "localhost" || strings.HasPrefix(u.Hostname(), "127."):
		return "loopback or local host"
	}
	return ""
}

// checkSSO checks the SingleSignOnService endpoints (SAML-004).
func checkSSO(_ *checks.Env, md *metadata) []result.Finding {
	if md.IDP == nil {
		return noIDP(rules.SAML004)
	}
	eps := children(md.IDP, nsMD, "SingleSignOnService")
	fails, usable := endpointProblems(md, rules.SAML004, eps)
	if usable == 0 {
		fails = append(fails, checks.Fail(rules.SAML004,
			"Aucun SingleSignOnService utilisable en HTTP-Redirect ou HTTP-POST avec une adresse https.",
			"No usable SingleSignOnService with HTTP-Redirect or HTTP-POST binding and an https Location.",
			md.at(md.IDP)))
	}
	if len(fails) > 0 {
		return fails
	}
	return []result.Finding{checks.Pass(rules.SAML004,
		checks.Count(usable, "point d'accès SSO", "points d'accès SSO")+" en https (HTTP-Redirect/HTTP-POST).",
		checks.Count(usable, "https SSO endpoint", "https SSO endpoints")+" (HTTP-Redirect/HTTP-POST).",
		md.at(eps[0]))}
}

// checkSLO checks that single logout is offered (SAML-009): absent is a
// warning, a declared endpoint with a bad binding or Location fails.
func checkSLO(_ *checks.Env, md *metadata) []result.Finding {
	if md.IDP == nil {
		return noIDP(rules.SAML009)
	}
	eps := children(md.IDP, nsMD, "SingleLogoutService")
	if len(eps) == 0 {
		return []result.Finding{checks.Warn(rules.SAML009,
			"Aucun SingleLogoutService : la déconnexion de l'ENT ne fermera pas la session GAR.",
			"No SingleLogoutService: logging out of the ENT will not end the GAR session.",
			md.at(md.IDP))}
	}
	fails, usable := endpointProblems(md, rules.SAML009, eps)
	if usable == 0 && len(fails) == 0 {
		fails = append(fails, checks.Warn(rules.SAML009,
			"SingleLogoutService sans binding HTTP-Redirect ni HTTP-POST : déconnexion par navigateur impossible.",
			"SingleLogoutService without HTTP-Redirect or HTTP-POST binding: browser logout impossible.",
			md.at(eps[0])))
	}
	if len(fails) > 0 {
		return fails
	}
	return []result.Finding{checks.Pass(rules.SAML009,
		checks.Count(usable, "point d'accès de déconnexion unique", "points d'accès de déconnexion unique")+" en https.",
		checks.Count(usable, "https single logout endpoint", "https single logout endpoints")+".",
		md.at(eps[0]))}
}

// checkNameID checks the declared NameID formats (SAML-010): the GAR
// practice is a transient NameID.
func checkNameID(_ *checks.Env, md *metadata) []result.Finding {
	if md.IDP == nil {
		return noIDP(rules.SAML010)
	}
	fs := children(md.IDP, nsMD, "NameIDFormat")
	if len(fs) == 0 {
		// No NameIDFormat advertises nothing (saml-metadata-2.0-os §2.4.1:
		// optional); Shibboleth IdP v3+ no longer writes it, and an IdP
		// serves the format an SP's request or its own policy asks for.
		return []result.Finding{checks.Warn(rules.SAML010,
			"Aucun NameIDFormat déclaré : les métadonnées n'annoncent aucun format, ce qui ne veut pas dire que transient est refusé (l'élément est facultatif ; Shibboleth IdP v3 et suivants et Entra ID ne l'écrivent pas) ; vérifier que l'IdP émet un NameID transient pour le GAR, ou le déclarer.",
			"No NameIDFormat declared: the metadata advertises no format, which does not mean transient is refused (the element is optional; Shibboleth IdP v3 and later and Entra ID do not write it); check that the IdP issues a transient NameID to the GAR, or declare it.",
			md.at(md.IDP))}
	}
	var got []string
	for _, f := range fs {
		v := strings.TrimSpace(xmlsafe.TextContent(f))
		if v == nameIDTrans {
			return []result.Finding{checks.Pass(rules.SAML010,
				"NameIDFormat transient déclaré.", "Transient NameIDFormat declared.", md.at(f))}
		}
		got = append(got, v)
	}
	list := strings.Join(got, ", ")
	return []result.Finding{checks.Fail(rules.SAML010,
		"NameIDFormat déclarés ("+list+") sans "+nameIDTrans+".",
		"Declared NameIDFormats ("+list+") lack "+nameIDTrans+".",
		md.atExcerpt(fs[0], list))}
}
