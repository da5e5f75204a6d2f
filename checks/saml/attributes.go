package saml

import (
	"fmt"
	"sort"
	"strings"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
)

// Attributes the GAR needs from the ENT (observed practice).
const (
	attrIDEnt   = "idEnt"
	attrGARPers = "GARPersonIdentifiant"
)

// garAttributes is everything the GAR needs: nothing else may be released.
var garAttributes = []string{attrIDEnt, attrGARPers}

// released is one attribute the ENT says it releases to the GAR.
type released struct {
	name       string
	nameFormat string         // "" when unknown (manifest) or absent
	el         *etree.Element // nil when declared by the manifest
	values     []string
}

// releasedAttributes gathers the attributes the metadata declares
// (saml:Attribute in the IDPSSODescriptor) and those the manifest lists
// (saml_attributes), metadata first. ok is false when neither declares any.
func releasedAttributes(env *checks.Env, md *metadata) (attrs []released, ok bool) {
	seen := map[string]bool{}
	for _, a := range children(md.idp, nsSAML, "Attribute") {
		name, _ := attr(a, "Name")
		nf, _ := attr(a, "NameFormat")
		r := released{name: name, nameFormat: nf, el: a}
		for _, v := range children(a, nsSAML, "AttributeValue") {
			r.values = append(r.values, strings.TrimSpace(v.Text()))
		}
		attrs = append(attrs, r)
		seen[name] = true
	}
	for _, name := range env.Opts.ReleasedAttributes {
		if name = strings.TrimSpace(name); name != "" && !seen[name] {
			attrs = append(attrs, released{name: name})
			seen[name] = true
		}
	}
	return attrs, len(attrs) > 0
}

// evidence of an attribute: the metadata line, or the manifest.
func (md *metadata) attrEvidence(r released) result.Evidence {
	if r.el == nil {
		return result.Evidence{Source: "ent.yaml", Excerpt: "saml_attributes: " + r.name}
	}
	return md.atExcerpt(r.el, fmt.Sprintf("Name=%q NameFormat=%q", r.name, r.nameFormat))
}

// checkAttributes checks that idEnt and GARPersonIdentifiant are released
// with the basic NameFormat (SAML-011).
func checkAttributes(env *checks.Env, md *metadata) []result.Finding {
	if md.idp == nil {
		return noIDP(ruleAttributes)
	}
	attrs, ok := releasedAttributes(env, md)
	if !ok {
		return []result.Finding{checks.Review(ruleAttributes,
			"Ni les métadonnées ni le manifeste (saml_attributes) ne déclarent les attributs transmis au GAR : vérifier que idEnt et GARPersonIdentifiant sont transmis (NameFormat basic).",
			"Neither the metadata nor the manifest (saml_attributes) declares the attributes released to the GAR: check that idEnt and GARPersonIdentifiant are released (basic NameFormat).",
			md.at(md.idp))}
	}
	var out []result.Finding
	for _, want := range garAttributes {
		r, found := findAttr(attrs, want)
		switch {
		case !found:
			hint, hintEN := "", ""
			if near, ok := findAttrFold(attrs, want); ok {
				hint = fmt.Sprintf(" (« %s » trouvé : la casse compte)", near.name)
				hintEN = fmt.Sprintf(" (%q found: case matters)", near.name)
			}
			out = append(out, checks.Fail(ruleAttributes,
				"Attribut "+want+" non transmis au GAR"+hint+".",
				"Attribute "+want+" not released to the GAR"+hintEN+".",
				md.at(md.idp)))
		case r.el != nil && r.nameFormat != attrBasic:
			nf := r.nameFormat
			if nf == "" {
				nf = "absent"
			}
			out = append(out, checks.Fail(ruleAttributes,
				"Attribut "+want+" : NameFormat "+nf+", attendu "+attrBasic+".",
				"Attribute "+want+": NameFormat "+nf+", expected "+attrBasic+".",
				md.attrEvidence(r)))
		}
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(ruleAttributes,
			"idEnt et GARPersonIdentifiant sont transmis au GAR.",
			"idEnt and GARPersonIdentifiant are released to the GAR.",
			md.at(md.idp)))
	}
	return out
}

func findAttr(attrs []released, name string) (released, bool) {
	for _, a := range attrs {
		if a.name == name {
			return a, true
		}
	}
	return released{}, false
}

func findAttrFold(attrs []released, name string) (released, bool) {
	for _, a := range attrs {
		if strings.EqualFold(a.name, name) {
			return a, true
		}
	}
	return released{}, false
}

// checkMinimal flags attributes released beyond what the GAR needs
// (SAML-012, data minimisation). Values are never shown: they may be
// personal data.
func checkMinimal(env *checks.Env, md *metadata) []result.Finding {
	if md.idp == nil {
		return noIDP(ruleMinimal)
	}
	attrs, ok := releasedAttributes(env, md)
	if !ok {
		return []result.Finding{checks.Skip(ruleMinimal,
			"Attributs transmis non déclarés (métadonnées ou saml_attributes) : minimisation non vérifiable.",
			"Released attributes not declared (metadata or saml_attributes): minimisation cannot be checked.")}
	}
	allowed := map[string]bool{}
	for _, a := range garAttributes {
		allowed[a] = true
	}
	var extra []released
	for _, a := range attrs {
		if !allowed[a.name] {
			extra = append(extra, a)
		}
	}
	if len(extra) == 0 {
		return []result.Finding{checks.Pass(ruleMinimal,
			"Seuls les attributs nécessaires au GAR sont transmis.",
			"Only the attributes the GAR needs are released.",
			md.at(md.idp))}
	}
	sort.SliceStable(extra, func(i, j int) bool { return extra[i].name < extra[j].name })
	var out []result.Finding
	for _, a := range extra {
		ev := md.attrEvidence(a)
		ev.Excerpt = "Name=" + a.name // never the values
		if a.el != nil {
			// The metadata's saml:Attribute list is what the IdP supports
			// for all its service providers (saml-metadata-2.0-os §2.4.3),
			// not necessarily what it releases to the GAR: a human checks
			// the release policy (ADFS and Shibboleth list dozens).
			out = append(out, checks.Review(ruleMinimal,
				"Les métadonnées déclarent l'attribut "+a.name+", dont le GAR n'a pas besoin : ces attributs sont ceux que l'IdP prend en charge pour tous ses fournisseurs de service ; vérifier que la politique de diffusion envers le GAR ne le transmet pas (sinon, minimisation des données méconnue).",
				"The metadata declares attribute "+a.name+", which the GAR does not need: these are the attributes the IdP supports for all its service providers; check that the release policy toward the GAR does not send it (else data minimisation is breached).", ev))
			continue
		}
		out = append(out, checks.Fail(ruleMinimal,
			"Attribut "+a.name+" transmis au GAR sans nécessité (minimisation des données).",
			"Attribute "+a.name+" released to the GAR without need (data minimisation).", ev))
	}
	return out
}

// checkIDEnt checks that the idEnt value the metadata declares is the
// ENT's project identifier (SAML-013).
func checkIDEnt(env *checks.Env, md *metadata) []result.Finding {
	if md.idp == nil {
		return noIDP(ruleIDEnt)
	}
	if env.Opts.IDEnt == "" {
		return []result.Finding{checks.Skip(ruleIDEnt,
			"Identifiant de projet ENT inconnu (ent.id_ent ou --id-ent) : comparaison impossible.",
			"ENT project identifier unknown (ent.id_ent or --id-ent): nothing to compare.")}
	}
	attrs, _ := releasedAttributes(env, md)
	r, found := findAttr(attrs, attrIDEnt)
	if !found || len(r.values) == 0 {
		return []result.Finding{checks.Skip(ruleIDEnt,
			"Les métadonnées ne déclarent pas de valeur pour idEnt : comparaison impossible.",
			"The metadata declares no idEnt value: nothing to compare.")}
	}
	for _, v := range r.values {
		if v != env.Opts.IDEnt {
			ev := md.attrEvidence(r)
			ev.Excerpt = "idEnt=" + clip(v, 64)
			return []result.Finding{checks.Fail(ruleIDEnt,
				fmt.Sprintf("idEnt %q ne correspond pas à l'identifiant de projet %q.", v, env.Opts.IDEnt),
				fmt.Sprintf("idEnt %q does not match the project identifier %q.", v, env.Opts.IDEnt), ev)}
		}
	}
	return []result.Finding{checks.Pass(ruleIDEnt,
		"idEnt déclaré = identifiant de projet "+env.Opts.IDEnt+".",
		"Declared idEnt = project identifier "+env.Opts.IDEnt+".",
		md.attrEvidence(r))}
}
