package saml

import (
	"fmt"
	"sort"
	"strings"

	"github.com/beevik/etree"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/internal/xmlsafe"
	"github.com/sdetcheck/sdetcheck/rules"
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
	for _, a := range children(md.IDP, nsSAML, "Attribute") {
		name, _ := attr(a, "Name")
		nf, _ := attr(a, "NameFormat")
		r := released{name: name, nameFormat: nf, el: a}
		for _, v := range children(a, nsSAML, "AttributeValue") {
			r.values = append(r.values, strings.TrimSpace(xmlsafe.TextContent(v)))
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
	if md.IDP == nil {
		return noIDP(rules.SAML011)
	}
	attrs, ok := releasedAttributes(env, md)
	if !ok {
		return []result.Finding{checks.Review(rules.SAML011,
			"Ni les métadonnées ni le manifeste (saml_attributes) ne déclarent les attributs transmis au GAR : vérifier que idEnt et GARPersonIdentifiant sont transmis (NameFormat basic).",
			"Neither the metadata nor the manifest (saml_attributes) declares the attributes released to the GAR: check that idEnt and GARPersonIdentifiant are released (basic NameFormat).",
			md.at(md.IDP))}
	}
	var (
		out            []result.Finding
		missing        []string
		hints, hintsEN []string
	)
	for _, want := range garAttributes {
		r, found := findAttr(attrs, want)
		switch {
		case !found:
			missing = append(missing, want)
			if near, ok := findAttrFold(attrs, want); ok {
				hints = append(hints, fmt.Sprintf("« %s » trouvé pour %s : la casse compte", near.name, want))
				hintsEN = append(hintsEN, fmt.Sprintf("%q found for %s: case matters", near.name, want))
			}
		case r.el != nil && r.nameFormat != attrBasic:
			nf := r.nameFormat
			if nf == "" {
				nf = "absent"
			}
			out = append(out, checks.Fail(rules.SAML011,
				"Attribut "+want+" : NameFormat "+nf+", attendu "+attrBasic+".",
				"Attribute "+want+": NameFormat "+nf+", expected "+attrBasic+".",
				md.attrEvidence(r)))
		}
	}
	if len(missing) > 0 {
		out = append(out, missingAttributes(env, md, missing, hints, hintsEN))
	}
	if len(out) == 0 {
		out = append(out, checks.Pass(rules.SAML011,
			"idEnt et GARPersonIdentifiant sont transmis au GAR.",
			"idEnt and GARPersonIdentifiant are released to the GAR.",
			md.at(md.IDP)))
	}
	return out
}

// missingAttributes is the finding of SAML-011 for the GAR attributes
// nobody declares. When the dossier lists the attributes it releases to the
// GAR (saml_attributes), a missing one fails. When only the metadata lists
// attributes, the list is what the IdP supports for all its service
// providers (saml-metadata-2.0-os §2.4.3; AD FS advertises some 70 claims),
// so nothing can be inferred about what reaches the GAR: to review, as
// SAML-012 does for the extra ones.
func missingAttributes(env *checks.Env, md *metadata, missing, hints, hintsEN []string) result.Finding {
	list := strings.Join(missing, " et ")
	listEN := strings.Join(missing, " and ")
	hint, hintEN := "", ""
	if len(hints) > 0 {
		hint = " (" + strings.Join(hints, " ; ") + ")"
		hintEN = " (" + strings.Join(hintsEN, "; ") + ")"
	}
	if declaresReleased(env) {
		attrFR, attrEN := "Attribut "+list+" non transmis", "Attribute "+listEN+" not released"
		if len(missing) > 1 {
			attrFR, attrEN = "Attributs "+list+" non transmis", "Attributes "+listEN+" not released"
		}
		return checks.Fail(rules.SAML011,
			attrFR+" au GAR d'après la liste du dossier (saml_attributes)"+hint+".",
			attrEN+" to the GAR according to the dossier's list (saml_attributes)"+hintEN+".",
			result.Evidence{Source: "ent.yaml", Excerpt: "saml_attributes"})
	}
	attrFR := "l'attribut " + list
	if len(missing) > 1 {
		attrFR = "les attributs " + list
	}
	return checks.Review(rules.SAML011,
		"Les métadonnées ne citent pas "+attrFR+hint+" : leur liste d'attributs est celle que l'IdP prend en charge pour tous ses fournisseurs de service, pas ce qu'il transmet au GAR ; vérifier dans la politique de diffusion envers le GAR que idEnt et GARPersonIdentifiant sont transmis (NameFormat basic), ou les déclarer dans ent.yaml (saml_attributes).",
		"The metadata does not list "+listEN+hintEN+": its attribute list is what the IdP supports for all its service providers, not what it releases to the GAR; check in the release policy toward the GAR that idEnt and GARPersonIdentifiant are released (basic NameFormat), or declare them in ent.yaml (saml_attributes).",
		md.at(md.IDP))
}

// declaresReleased reports whether the dossier lists the attributes the
// ENT releases to the GAR (saml_attributes).
func declaresReleased(env *checks.Env) bool {
	for _, name := range env.Opts.ReleasedAttributes {
		if strings.TrimSpace(name) != "" {
			return true
		}
	}
	return false
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
	if md.IDP == nil {
		return noIDP(rules.SAML012)
	}
	attrs, ok := releasedAttributes(env, md)
	if !ok {
		return []result.Finding{checks.Skip(rules.SAML012,
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
		return []result.Finding{checks.Pass(rules.SAML012,
			"Seuls les attributs nécessaires au GAR sont transmis.",
			"Only the attributes the GAR needs are released.",
			md.at(md.IDP))}
	}
	sort.SliceStable(extra, func(i, j int) bool { return extra[i].name < extra[j].name })
	// One finding per source, listing the attributes: AD FS or Shibboleth
	// advertise dozens, and 29 identical findings hide the point. Names
	// only, never values (they may be personal data).
	var fromMD, fromManifest []released
	for _, a := range extra {
		if a.el != nil {
			fromMD = append(fromMD, a)
		} else {
			fromManifest = append(fromManifest, a)
		}
	}
	var out []result.Finding
	if len(fromManifest) > 0 {
		names, namesEN := attrNames(fromManifest, false), attrNames(fromManifest, true)
		fr := "Attribut " + names + " transmis au GAR sans nécessité (minimisation des données)."
		if len(fromManifest) > 1 {
			fr = fmt.Sprintf("%d attributs transmis au GAR sans nécessité (minimisation des données) : %s.", len(fromManifest), names)
		}
		out = append(out, checks.Fail(rules.SAML012, fr,
			fmt.Sprintf("%s released to the GAR without need (data minimisation): %s.", checks.Count(len(fromManifest), "attribute", "attributes"), namesEN),
			attrEvidences(md, fromManifest)...))
	}
	if len(fromMD) > 0 {
		// The metadata's saml:Attribute list is what the IdP supports
		// for all its service providers (saml-metadata-2.0-os §2.4.3),
		// not necessarily what it releases to the GAR: a human checks
		// the release policy (AD FS and Shibboleth list dozens).
		names, namesEN := attrNames(fromMD, false), attrNames(fromMD, true)
		fr := "Les métadonnées déclarent l'attribut " + names + ", dont le GAR n'a pas besoin"
		if len(fromMD) > 1 {
			fr = fmt.Sprintf("Les métadonnées déclarent %d attributs dont le GAR n'a pas besoin (%s)", len(fromMD), names)
		}
		out = append(out, checks.Review(rules.SAML012,
			fr+" : cette liste est celle des attributs que l'IdP prend en charge pour tous ses fournisseurs de service ; vérifier que la politique de diffusion envers le GAR ne transmet que idEnt et GARPersonIdentifiant (sinon, minimisation des données méconnue).",
			fmt.Sprintf("The metadata declares %s the GAR does not need (%s): this is the list the IdP supports for all its service providers; check that the release policy toward the GAR sends only idEnt and GARPersonIdentifiant (else data minimisation is breached).", checks.Count(len(fromMD), "attribute", "attributes"), namesEN),
			attrEvidences(md, fromMD)...))
	}
	return out
}

// maxNamed bounds how many attribute names a message lists.
const maxNamed = 12

// attrNames lists attributes by a short name (FriendlyName, else the last
// segment of a URI name), the first maxNamed of them.
func attrNames(attrs []released, en bool) string {
	var names []string
	for i, a := range attrs {
		if i == maxNamed {
			n := len(attrs) - maxNamed
			switch {
			case en:
				names = append(names, fmt.Sprintf("and %d more", n))
			case n == 1:
				names = append(names, "et 1 autre")
			default:
				names = append(names, fmt.Sprintf("et %d autres", n))
			}
			break
		}
		names = append(names, shortAttrName(a))
	}
	return strings.Join(names, ", ")
}

// shortAttrName names an attribute for a reader: its FriendlyName when the
// metadata gives one, else its Name without a URI's prefix.
func shortAttrName(a released) string {
	if a.el != nil {
		if fn, ok := attr(a.el, "FriendlyName"); ok && strings.TrimSpace(fn) != "" {
			return clip(fn, 40)
		}
	}
	n := a.name
	if i := strings.LastIndexAny(n, "/#:"); i >= 0 && i < len(n)-1 && (strings.Contains(n, "://") || strings.HasPrefix(n, "urn:")) {
		n = n[i+1:]
	}
	return clip(n, 40)
}

// attrEvidences points at each attribute, by name only.
func attrEvidences(md *metadata, attrs []released) []result.Evidence {
	evs := make([]result.Evidence, 0, len(attrs))
	for _, a := range attrs {
		ev := md.attrEvidence(a)
		ev.Excerpt = "Name=" + clip(a.name, 120) // never the values
		evs = append(evs, ev)
	}
	return evs
}

// checkIDEnt checks that the idEnt value the metadata declares is the
// ENT's project identifier (SAML-013).
func checkIDEnt(env *checks.Env, md *metadata) []result.Finding {
	if md.IDP == nil {
		return noIDP(rules.SAML013)
	}
	// Nothing declared is nothing to compare (the idEnt the IdP releases
	// is judged on the captured exchanges, SSO-010); a declared value
	// without the project identifier to compare it with is a comparison
	// that applies and was not made.
	attrs, _ := releasedAttributes(env, md)
	r, found := findAttr(attrs, attrIDEnt)
	if !found || len(r.values) == 0 {
		return []result.Finding{checks.Skip(rules.SAML013,
			"Les métadonnées ne déclarent pas de valeur pour idEnt : rien à comparer (l'idEnt transmis est jugé sur les échanges SSO, "+rules.SSO010.ID+").",
			"The metadata declares no idEnt value: nothing to compare (the idEnt released is judged on the SSO exchanges, "+rules.SSO010.ID+").")}
	}
	if env.Opts.IDEnt == "" {
		ev := md.attrEvidence(r)
		ev.Excerpt = "idEnt=" + clip(r.values[0], 64)
		return []result.Finding{checks.NotEvaluated(rules.SAML013,
			"Non évaluée : les métadonnées déclarent idEnt, mais l'identifiant de projet ENT n'est pas donné (ent.id_ent ou --id-ent) : comparaison non faite.",
			"Not evaluated: the metadata declares idEnt, but the ENT project identifier is not given (ent.id_ent or --id-ent): not compared.", ev)}
	}
	for _, v := range r.values {
		if v != env.Opts.IDEnt {
			ev := md.attrEvidence(r)
			ev.Excerpt = "idEnt=" + clip(v, 64)
			return []result.Finding{checks.Fail(rules.SAML013,
				fmt.Sprintf("idEnt %q ne correspond pas à l'identifiant de projet %q.", v, env.Opts.IDEnt),
				fmt.Sprintf("idEnt %q does not match the project identifier %q.", v, env.Opts.IDEnt), ev)}
		}
	}
	for _, v := range children(r.el, nsSAML, "AttributeValue") {
		if xmlsafe.HasMarkupInText(v) {
			ev := md.attrEvidence(r)
			ev.Line = md.Lines[v]
			ev.Excerpt = "idEnt=" + clip(v.Text(), 64) + "…"
			return []result.Finding{checks.Warn(rules.SAML013,
				"La valeur d'idEnt est égale à l'identifiant de projet "+env.Opts.IDEnt+" lue comme la lit un consommateur SAML, mais elle est coupée par un commentaire, une instruction de traitement ou un élément : un analyseur qui s'arrête au premier nœud lit « "+clip(v.Text(), 64)+" » ; écrire la valeur d'un seul tenant.",
				"The idEnt value equals the project identifier "+env.Opts.IDEnt+" as a SAML consumer reads it, but a comment, processing instruction or element splits it: a parser that stops at the first node reads "+fmt.Sprintf("%q", clip(v.Text(), 64))+"; write the value in one piece.", ev)}
		}
	}
	return []result.Finding{checks.Pass(rules.SAML013,
		"idEnt déclaré = identifiant de projet "+env.Opts.IDEnt+".",
		"Declared idEnt = project identifier "+env.Opts.IDEnt+".",
		md.attrEvidence(r))}
}
