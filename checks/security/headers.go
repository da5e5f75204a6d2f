package security

// This file: the security headers of a page's final response: HSTS
// (SEC-003), framing (SEC-005), nosniff (SEC-007), referrer policy
// (SEC-008) and content security policy (SEC-009).

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/sdetcheck/sdetcheck/checks"
	"github.com/sdetcheck/sdetcheck/internal/result"
	"github.com/sdetcheck/sdetcheck/rules"
)

// minHSTS is the shortest HSTS policy accepted: one year (OWASP ASVS
// 5.0.0 V3.4.1).
const minHSTS = 31_536_000

// duration says a number of seconds in words.
func duration(s int64) names {
	switch {
	case s >= 86_400:
		d := s / 86_400
		return names{fmt.Sprintf("%d jour%s", d, plural(int(d))), fmt.Sprintf("%d day%s", d, plural(int(d)))}
	case s >= 3_600:
		h := s / 3_600
		return names{fmt.Sprintf("%d heure%s", h, plural(int(h))), fmt.Sprintf("%d hour%s", h, plural(int(h)))}
	}
	m := s / 60
	return names{fmt.Sprintf("%d minute%s", m, plural(int(m))), fmt.Sprintf("%d minute%s", m, plural(int(m)))}
}

// parseHSTS reads a Strict-Transport-Security value (RFC 6797 §6.1): its
// max-age and whether includeSubDomains and preload are set. ok is false
// for a value without a valid max-age, or with a directive given twice.
func parseHSTS(v string) (maxAge int64, sub, preload, ok bool) {
	seen := map[string]bool{}
	found := false
	for _, d := range strings.Split(v, ";") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		name, val, _ := strings.Cut(d, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if seen[name] {
			return 0, false, false, false
		}
		seen[name] = true
		switch name {
		case "max-age":
			val = strings.Trim(strings.TrimSpace(val), `"`)
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 0 {
				return 0, false, false, false
			}
			maxAge, found = n, true
		case "includesubdomains":
			sub = true
		case "preload":
			preload = true
		}
	}
	return maxAge, sub, preload, found
}

// hstsFinding implements SEC-003 on the page's final response.
func hstsFinding(p *page) result.Finding {
	id := rules.SEC003
	n := p.lead()
	if u, err := url.Parse(p.doc.FinalURL); err == nil && u.Scheme != "https" {
		return checks.Fail(id,
			n.fr+" : servie en http non chiffré : HSTS ne s'applique qu'aux réponses https.",
			n.en+": served over plain http: HSTS only applies to https responses.", p.ev(p.doc.FinalURL))
	}
	vals := p.doc.Header.Values("Strict-Transport-Security")
	if len(vals) == 0 {
		return checks.Fail(id,
			n.fr+" : pas d'en-tête Strict-Transport-Security (HSTS) : un usager peut être intercepté avant la redirection vers https.",
			n.en+": no Strict-Transport-Security (HSTS) header: a user can be intercepted before the redirect to https.", p.ev("Strict-Transport-Security: –"))
	}
	v := strings.TrimSpace(vals[0])
	ev := p.ev("Strict-Transport-Security: " + v)
	age, sub, preload, ok := parseHSTS(v)
	if !ok {
		return checks.Fail(id,
			fmt.Sprintf("%s : en-tête Strict-Transport-Security invalide (pas de max-age valide, ou directive répétée) : « %s » ; les navigateurs l'ignorent.", n.fr, bound(v, 120)),
			fmt.Sprintf("%s: invalid Strict-Transport-Security header (no valid max-age, or a repeated directive): %q; browsers ignore it.", n.en, bound(v, 120)), ev)
	}
	d := duration(age)
	if age < minHSTS {
		return checks.Fail(id,
			fmt.Sprintf("%s : HSTS de max-age=%d (%s) : moins d'un an (31536000 secondes au moins).", n.fr, age, d.fr),
			fmt.Sprintf("%s: HSTS with max-age=%d (%s): less than one year (31536000 seconds at least).", n.en, age, d.en), ev)
	}
	var extra []string
	if sub {
		extra = append(extra, "includeSubDomains")
	}
	if preload {
		extra = append(extra, "preload")
	}
	more := ""
	if len(extra) > 0 {
		more = ", " + strings.Join(extra, ", ")
	}
	return checks.Pass(id,
		fmt.Sprintf("%s : HSTS de max-age=%d (%s)%s.", n.fr, age, d.fr, more),
		fmt.Sprintf("%s: HSTS with max-age=%d (%s)%s.", n.en, age, d.en, more), ev)
}

// policy is one content security policy: its directives by lowercased
// name (the first of a repeated directive counts), their sources as
// written.
type policy struct {
	raw  string
	meta bool // from a <meta http-equiv> tag
	dirs map[string][]string
}

// parsePolicies reads a Content-Security-Policy value: policies separated
// by commas, directives by semicolons.
func parsePolicies(v string, meta bool) []policy {
	var out []policy
	for _, raw := range strings.Split(v, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		p := policy{raw: raw, meta: meta, dirs: map[string][]string{}}
		for _, d := range strings.Split(raw, ";") {
			f := strings.Fields(d)
			if len(f) == 0 {
				continue
			}
			name := strings.ToLower(f[0])
			if _, dup := p.dirs[name]; dup {
				continue
			}
			p.dirs[name] = f[1:]
		}
		out = append(out, p)
	}
	return out
}

// enforced are the policies the browser applies: the
// Content-Security-Policy headers and <meta http-equiv> tags.
func enforced(p *page, m meta) []policy {
	var out []policy
	for _, v := range p.doc.Header.Values("Content-Security-Policy") {
		out = append(out, parsePolicies(v, false)...)
	}
	for _, v := range m.csp {
		out = append(out, parsePolicies(v, true)...)
	}
	return out
}

// hostOf is the host a CSP source names ("" for a keyword or a scheme).
func hostOf(src string) string {
	s := strings.ToLower(src)
	if strings.HasPrefix(s, "'") || strings.HasSuffix(s, ":") {
		return ""
	}
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexAny(s, "/"); i >= 0 {
		s = s[:i]
	}
	if h, _, ok := strings.Cut(s, ":"); ok {
		s = h
	}
	return strings.TrimPrefix(s, "*.")
}

// wildcard reports a source that lets any site in: *, a scheme alone.
func wildcard(src string) bool {
	s := strings.ToLower(src)
	return s == "*" || s == "https:" || s == "http:" || s == "data:" || s == "blob:" || s == "filesystem:" || s == "wss:" || s == "ws:" || strings.HasPrefix(s, "*:") || s == "https://*" || s == "http://*"
}

// framingFinding implements SEC-005: the login page (and a home page
// with a password form) cannot be framed by another site.
func framingFinding(p *page, m meta) result.Finding {
	id := rules.SEC005
	n := p.lead()
	if p.role == roleHome && !m.password {
		return checks.Skip(id,
			n.fr+" : pas de formulaire de mot de passe ; la règle porte sur la page de connexion.",
			n.en+": no password form; the rule is about the login page.")
	}
	own := registrable(hostname(p.doc.FinalURL))
	// frame-ancestors of the header policies (a <meta> policy cannot set
	// it); every policy must allow a frame, so the strictest decides.
	best, found := 3, false // 0 protected, 1 other sites named, 2 wildcard
	var others []string
	var raw string
	for _, pol := range enforced(p, m) {
		srcs, ok := pol.dirs["frame-ancestors"]
		if !ok || pol.meta {
			continue
		}
		found = true
		level := 0
		var named []string
		for _, s := range srcs {
			switch {
			case wildcard(s):
				level = 2
			case strings.EqualFold(s, "'none'") || strings.EqualFold(s, "'self'"):
			case hostOf(s) != "" && registrable(hostOf(s)) != own:
				named = append(named, s)
			}
		}
		if level == 0 && len(named) > 0 {
			level = 1
		}
		if level < best {
			best, others, raw = level, named, pol.raw
		}
	}
	if found {
		ev := p.ev("Content-Security-Policy: " + raw)
		switch best {
		case 0:
			fa := strings.Join(frameAncestors(raw), " ")
			return checks.Pass(id,
				fmt.Sprintf("%s : l'en-tête Content-Security-Policy dit frame-ancestors %s : aucun autre site ne peut afficher la page dans un cadre.", n.fr, fa),
				fmt.Sprintf("%s: the Content-Security-Policy header says frame-ancestors %s: no other site can show the page in a frame.", n.en, fa), ev)
		case 1:
			return checks.Warn(id,
				fmt.Sprintf("%s : frame-ancestors admet d'autres sites (%s) à afficher la page dans un cadre : à justifier.", n.fr, strings.Join(others, " ")),
				fmt.Sprintf("%s: frame-ancestors lets other sites (%s) show the page in a frame: to justify.", n.en, strings.Join(others, " ")), ev)
		}
		return checks.Fail(id,
			n.fr+" : frame-ancestors admet n'importe quel site (joker) : la page peut être affichée dans un cadre par un autre site.",
			n.en+": frame-ancestors admits any site (wildcard): the page can be framed by another site.", ev)
	}
	metaNote := names{}
	for _, v := range m.csp {
		for _, pol := range parsePolicies(v, true) {
			if _, ok := pol.dirs["frame-ancestors"]; ok {
				metaNote = names{" (la directive frame-ancestors de la balise <meta> est sans effet)", " (the frame-ancestors directive of the <meta> tag has no effect)"}
			}
		}
	}
	// X-Frame-Options, as the HTML standard reads it: several values
	// naming DENY or SAMEORIGIN block; one value must be one of them.
	var vals []string
	for _, v := range p.doc.Header.Values("X-Frame-Options") {
		for _, x := range strings.Split(v, ",") {
			if x = strings.ToLower(strings.TrimSpace(x)); x != "" && !contains(vals, x) {
				vals = append(vals, x)
			}
		}
	}
	shown := "X-Frame-Options: " + strings.Join(p.doc.Header.Values("X-Frame-Options"), ", ")
	switch {
	case len(vals) == 0:
		return checks.Fail(id,
			n.fr+" : ni frame-ancestors (Content-Security-Policy) ni X-Frame-Options : un autre site peut afficher la page de connexion dans un cadre (détournement de clic)"+metaNote.fr+".",
			n.en+": neither frame-ancestors (Content-Security-Policy) nor X-Frame-Options: another site can show the login page in a frame (clickjacking)"+metaNote.en+".", p.ev("X-Frame-Options: –"))
	case len(vals) > 1 && (contains(vals, "deny") || contains(vals, "sameorigin") || contains(vals, "allowall")):
		return checks.Pass(id,
			n.fr+" : X-Frame-Options a des valeurs contradictoires, que les navigateurs lisent comme DENY : la page ne peut pas être affichée dans un cadre.",
			n.en+": X-Frame-Options has conflicting values, which browsers read as DENY: the page cannot be framed.", p.ev(shown))
	case len(vals) == 1 && (vals[0] == "deny" || vals[0] == "sameorigin"):
		return checks.Pass(id,
			fmt.Sprintf("%s : en-tête X-Frame-Options à %s : la page ne peut pas être affichée dans un cadre par un autre site%s.", n.fr, strings.ToUpper(vals[0]), metaNote.fr),
			fmt.Sprintf("%s: X-Frame-Options: %s: the page cannot be framed by another site%s.", n.en, strings.ToUpper(vals[0]), metaNote.en), p.ev(shown))
	case strings.HasPrefix(vals[0], "allow-from"):
		return checks.Fail(id,
			n.fr+" : la valeur ALLOW-FROM de X-Frame-Options est ignorée des navigateurs actuels : la page peut être affichée dans un cadre par un autre site (frame-ancestors attendu).",
			n.en+": X-Frame-Options: ALLOW-FROM is ignored by current browsers: the page can be framed by another site (frame-ancestors expected).", p.ev(shown))
	}
	return checks.Fail(id,
		fmt.Sprintf("%s : valeur de X-Frame-Options sans effet (« %s ») : DENY ou SAMEORIGIN attendu.", n.fr, bound(strings.Join(vals, ", "), 80)),
		fmt.Sprintf("%s: X-Frame-Options value without effect (%q): DENY or SAMEORIGIN expected.", n.en, bound(strings.Join(vals, ", "), 80)), p.ev(shown))
}

// frameAncestors are the sources of a policy's frame-ancestors.
func frameAncestors(raw string) []string {
	ps := parsePolicies(raw, false)
	if len(ps) == 0 {
		return nil
	}
	if srcs := ps[0].dirs["frame-ancestors"]; len(srcs) > 0 {
		return srcs
	}
	return []string{"'none'"} // an empty source list
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// nosniffFinding implements SEC-007 (the first value, as the Fetch
// standard reads it).
func nosniffFinding(p *page) result.Finding {
	id := rules.SEC007
	n := p.lead()
	raw := strings.Join(p.doc.Header.Values("X-Content-Type-Options"), ", ")
	first, _, _ := strings.Cut(raw, ",")
	first = strings.TrimSpace(first)
	ev := p.ev("X-Content-Type-Options: " + raw)
	switch {
	case strings.EqualFold(first, "nosniff"):
		return checks.Pass(id, n.fr+" : en-tête X-Content-Type-Options à nosniff.", n.en+": X-Content-Type-Options: nosniff.", ev)
	case raw == "":
		return checks.Fail(id,
			n.fr+" : pas d'en-tête X-Content-Type-Options : le navigateur peut deviner le type d'un contenu et l'exécuter.",
			n.en+": no X-Content-Type-Options header: the browser may guess a content's type and run it.", p.ev("X-Content-Type-Options: –"))
	}
	return checks.Fail(id,
		fmt.Sprintf("%s : X-Content-Type-Options vaut « %s » : nosniff attendu.", n.fr, bound(raw, 80)),
		fmt.Sprintf("%s: X-Content-Type-Options is %q: nosniff expected.", n.en, bound(raw, 80)), ev)
}

// referrerSafe are the referrer policies that never send a page's full
// address to another site; referrerLeaky those that do.
var (
	referrerSafe  = map[string]bool{"no-referrer": true, "same-origin": true, "strict-origin": true, "strict-origin-when-cross-origin": true, "origin": true, "origin-when-cross-origin": true}
	referrerLeaky = map[string]bool{"unsafe-url": true, "no-referrer-when-downgrade": true}
	// referrerLegacy are the <meta> keywords of the HTML standard's
	// legacy mapping.
	referrerLegacy = map[string]string{"never": "no-referrer", "default": "strict-origin-when-cross-origin", "always": "unsafe-url", "origin-when-crossorigin": "origin-when-cross-origin"}
)

// referrerPolicyOf is the policy a list of tokens sets: the last one a
// browser knows.
func referrerPolicyOf(v string, legacy bool) string {
	out := ""
	for _, t := range strings.Split(v, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if legacy && referrerLegacy[t] != "" {
			t = referrerLegacy[t]
		}
		if referrerSafe[t] || referrerLeaky[t] {
			out = t
		}
	}
	return out
}

// referrerFinding implements SEC-008: the policy of the page is its last
// <meta name="referrer"> (a document's <meta> overrides the header) or
// the Referrer-Policy header.
func referrerFinding(p *page, m meta) result.Finding {
	id := rules.SEC008
	n := p.lead()
	pol, where := "", ""
	if m.referrer != "" {
		if v := referrerPolicyOf(m.referrer, true); v != "" {
			pol, where = v, `<meta name="referrer">`
		}
	}
	header := strings.Join(p.doc.Header.Values("Referrer-Policy"), ", ")
	if pol == "" {
		if v := referrerPolicyOf(header, false); v != "" {
			pol, where = v, "Referrer-Policy"
		}
	}
	ev := p.ev("Referrer-Policy: " + header)
	if where != "Referrer-Policy" && m.referrer != "" {
		ev = p.ev(`<meta name="referrer" content="` + m.referrer + `">`)
	}
	switch {
	case pol == "":
		return checks.Warn(id,
			n.fr+" : aucune politique de référent (ni en-tête Referrer-Policy ni <meta name=\"referrer\">) : les navigateurs récents n'envoient que l'origine aux autres sites, les anciens l'adresse complète.",
			n.en+": no referrer policy (neither a Referrer-Policy header nor <meta name=\"referrer\">): recent browsers send other sites the origin only, old ones the full address.", ev)
	case referrerLeaky[pol]:
		return checks.Fail(id,
			fmt.Sprintf("%s : politique de référent %s (%s) : l'adresse complète des pages, paramètres compris, est envoyée aux autres sites.", n.fr, pol, where),
			fmt.Sprintf("%s: referrer policy %s (%s): the pages' full address, parameters included, is sent to other sites.", n.en, pol, where), ev)
	}
	return checks.Pass(id,
		fmt.Sprintf("%s : politique de référent %s (%s) : l'adresse complète n'est pas envoyée aux autres sites.", n.fr, pol, where),
		fmt.Sprintf("%s: referrer policy %s (%s): the full address is not sent to other sites.", n.en, pol, where), ev)
}

// weakness is one weakness of a content security policy.
type weakness struct {
	key    string
	fr, en string
	script bool // scripts are not really restricted: the grade is weak
}

// weaknesses lists what a policy leaves open.
func weaknesses(pol policy) []weakness {
	var out []weakness
	scripts, ok := pol.dirs["script-src"]
	if !ok {
		scripts, ok = pol.dirs["default-src"]
	}
	if !ok {
		out = append(out, weakness{"scripts", "aucune restriction des scripts (ni script-src ni default-src)", "no restriction on scripts (neither script-src nor default-src)", true})
	} else {
		nonce, dynamic := false, false
		for _, s := range scripts {
			ls := strings.ToLower(s)
			if strings.HasPrefix(ls, "'nonce-") || strings.HasPrefix(ls, "'sha256-") || strings.HasPrefix(ls, "'sha384-") || strings.HasPrefix(ls, "'sha512-") {
				nonce = true
			}
			if ls == "'strict-dynamic'" {
				dynamic = true
			}
		}
		var wild []string
		for _, s := range scripts {
			ls := strings.ToLower(s)
			switch {
			case ls == "'unsafe-inline'" && !nonce:
				out = append(out, weakness{"unsafe-inline", "'unsafe-inline' admis pour les scripts, sans nonce ni empreinte", "'unsafe-inline' allowed for scripts, without nonce or hash", true})
			case ls == "'unsafe-eval'":
				out = append(out, weakness{"unsafe-eval", "'unsafe-eval' admis (eval et new Function)", "'unsafe-eval' allowed (eval and new Function)", false})
			case wildcard(s) && !(dynamic && nonce):
				wild = append(wild, s)
			}
		}
		if len(wild) > 0 {
			out = append(out, weakness{"wildcard", "joker dans les sources de scripts (" + strings.Join(wild, " ") + ")", "wildcard among the script sources (" + strings.Join(wild, " ") + ")", true})
		}
	}
	objects, ok := pol.dirs["object-src"]
	if !ok {
		objects = pol.dirs["default-src"]
	}
	if !(len(objects) == 1 && strings.EqualFold(objects[0], "'none'")) {
		out = append(out, weakness{"object-src", "object-src n'est pas 'none' (ni directement ni par default-src)", "object-src is not 'none' (neither directly nor through default-src)", false})
	}
	base, ok := pol.dirs["base-uri"]
	open := !ok
	for _, s := range base {
		if wildcard(s) {
			open = true
		}
	}
	if open {
		out = append(out, weakness{"base-uri", "base-uri absent ou ouvert (une balise <base> injectée détourne les scripts relatifs)", "base-uri missing or open (an injected <base> tag diverts relative scripts)", false})
	}
	return out
}

// cspFinding implements SEC-009: the enforced policies, graded. With
// several policies a resource must satisfy all of them: a weakness counts
// when every policy has it.
func cspFinding(p *page, m meta) result.Finding {
	id := rules.SEC009
	n := p.lead()
	pols := enforced(p, m)
	if len(pols) == 0 {
		if ro := p.doc.Header.Get("Content-Security-Policy-Report-Only"); ro != "" {
			return checks.Fail(id,
				n.fr+" : politique de sécurité des contenus en mode rapport seulement (Content-Security-Policy-Report-Only) : elle n'applique rien.",
				n.en+": content security policy in report-only mode (Content-Security-Policy-Report-Only): it enforces nothing.", p.ev("Content-Security-Policy-Report-Only: "+ro))
		}
		return checks.Fail(id,
			n.fr+" : aucune politique de sécurité des contenus (ni en-tête Content-Security-Policy ni <meta http-equiv>).",
			n.en+": no content security policy (neither a Content-Security-Policy header nor <meta http-equiv>).", p.ev("Content-Security-Policy: –"))
	}
	count := map[string]int{}
	var first []weakness
	for i, pol := range pols {
		ws := weaknesses(pol)
		for _, w := range ws {
			count[w.key]++
		}
		if i == 0 {
			first = ws
		}
	}
	var kept []weakness
	for _, w := range first {
		if count[w.key] == len(pols) {
			kept = append(kept, w)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].script && !kept[j].script })
	where := "en-tête Content-Security-Policy"
	whereEN := "Content-Security-Policy header"
	if pols[0].meta {
		where, whereEN = "balise <meta http-equiv>", "<meta http-equiv> tag"
	}
	ev := p.ev("Content-Security-Policy: " + pols[0].raw)
	if len(kept) == 0 {
		return checks.Pass(id,
			fmt.Sprintf("%s : politique de sécurité des contenus forte (%s) : scripts restreints, object-src 'none', base-uri restreint.", n.fr, where),
			fmt.Sprintf("%s: strong content security policy (%s): scripts restricted, object-src 'none', base-uri restricted.", n.en, whereEN), ev)
	}
	grade := names{"moyenne", "medium"}
	var fr, en []string
	for _, w := range kept {
		if w.script {
			grade = names{"faible", "weak"}
		}
		fr, en = append(fr, w.fr), append(en, w.en)
	}
	return checks.Warn(id,
		fmt.Sprintf("%s : politique de sécurité des contenus %s (%s) : %s.", n.fr, grade.fr, where, strings.Join(fr, " ; ")),
		fmt.Sprintf("%s: %s content security policy (%s): %s.", n.en, grade.en, whereEN, strings.Join(en, "; ")), ev)
}
