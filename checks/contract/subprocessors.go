package contract

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// subProcessor is a sub-processor the contract lists.
type subProcessor struct {
	name, role, country string // as written
	places              []place
	// shown is the row or the list item as written (the quote).
	shown string
}

func (p subProcessor) party() result.Party {
	return result.Party{Name: p.name, Role: p.role, Country: p.country, Declared: true}
}

// label names the sub-processor with its role and country, as written.
func (p subProcessor) label() string {
	var parts []string
	for _, s := range []string{p.role, p.country} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return p.name
	}
	return p.name + " (" + strings.Join(parts, ", ") + ")"
}

var (
	// A table of sub-processors: a column naming them, and a column of
	// their service or of their place.
	nameColRe    = re(`sous-trait\w*|\bnom\b|raison sociale|\bprestataires?\b|\bsocietes?\b|\bentites?\b|\bdenomination\b|\bfournisseurs?\b|\borganismes?\b|\bpartenaires?\b|\btiers\b|\bsub-?processors?\b|\bname\b|\bcompany\b|\bentreprise\b`)
	roleColRe    = re(`\broles?\b|\bprestations?\b|\bactivites?\b|\bservices?\b|\bobjet\b|\bfinalites?\b|\bnature\b|\bmissions?\b|\btraitements?\b|\bfonctions?\b|\busages?\b|\bdescription\b|\boperations?\b|\bpurpose\b|\bcategories?\b`)
	countryColRe = re(`\bpays\b|\blocalisation\b|\blieux?\b|\bimplantation\b|\bsituation\b|\bsiege\b|\bdatacenters?\b|\bcentres? de donnees\b|\bsites?\b|\bhebergement\b|\bemplacement\b|\bterritoire\b|\bzone\b|\bcountry\b|\blocation\b|\bregion\b|\btransferts?\b`)
	// placeColRe: a header that is about the place whatever else it says
	// ("Pays d'hébergement", "Localisation des données").
	placeColRe = re(`\bpays\b|\blocalisation\b|\blieux?\b|\bimplantation\b|\bcountry\b|\blocation\b|\bemplacement\b`)
	// subCtxRe: a heading or lead-in about sub-processors. "Le
	// sous-traitant" of a French contract is the vendor itself and
	// "contrat de sous-traitance" the whole contract: only the plural,
	// "ultérieur", or a section titled "Sous-traitance" alone speak of
	// sub-processors.
	subCtxRe = re(`sous-trait\w* ulterieur|\bsous-traitants\b|(?:^|\| )(?:(?:article|art\.|section|clause|titre)?\s*[\d.]*\s*[:.)-]?\s*)sous-traitance\s*(?:$|\|)|prestataires?|\btiers\b|sub-?processors?|liste des (?:sous-traitants|prestataires|tiers|destinataires)|destinataires`)
	// noSubRe: the contract declares no sub-processor.
	noSubRe = re(`\b(?:ne (?:recourt|fait appel|a recours|recrute|fait intervenir) a aucun|n'a recours a aucun|ne recourt a aucun|aucun|pas de) (?:autre )?sous-traitants? ulterieurs?\b|\bne sous-trait\w* (?:aucune|pas|rien)\b`)
	// subRe: a sentence about sub-processing.
	// subRe: a sentence about sub-processing. "Le sous-traitant" alone
	// is the vendor ("Accord … entre l'établissement et l'opérateur
	// (Sous-Traitant)"): other sub-processors are "ultérieurs", "un
	// autre", plural, or recruited.
	subRe     = re(`sous-trait\w* ulterieur\w*|\b(?:un autre|autres?|d'autres?|des|ses|tout|tous|aucun) sous-traitants?\b|\bsous-traitants\b|\bsous-trait(?:er|e|ent|era|eront)\b|\bsous traitan\w*|\bsub-?processors?\b|\b(?:another|other|any other) processors?\b|\bprestataires? (?:tiers|ulterieurs?)\b|\bfaire appel a (?:un|des|d'autres) (?:prestataires?|tiers)\b|\brecrut\w*`)
	authRe    = re(`\b(?:autorisation|accord|consentement|agrement|approbation|validation|autorise|authori[sz]ation|consent|approval)\b`)
	writtenRe = re(`\becrit\w*|\bprealabl\w*|\bexpres\w*|\bspecifique\w*|\bgeneral\w*|\bpar ecrit\b|\bwritten\b|\bprior\b|\bspecific\b`)
	// sansAuthRe: "sans (l')autorisation": a requirement when negated
	// ("ne peut … sans"), a licence otherwise ("peut … sans").
	sansAuthRe = re(`\bsans (?:l'|son |leur |une |avoir (?:obtenu |recueilli |requis )?(?:l'|son |leur |une )?|avoir prealablement obtenu (?:l'|son |leur )?)?(?:autorisation|accord|consentement|agrement|approbation)|\bwithout (?:the |its |their |a )?(?:[a-z]+'s )?(?:prior )?(?:specific |general )?(?:written )?(?:specific |general )?(?:authori[sz]ation|consent|approval)`)
	// unlessAuthRe: an exception for what the collectivité approved
	// ("sauf si le Client l'a approuvé", "unless Customer has approved").
	unlessAuthRe = re(`\b(?:sauf si|a moins que|a moins qu'|unless)\b[^.;|]{0,80}\b(?:approuv\w*|autoris\w*|consent\w*|approved?|authori[sz]ed?|agreed?)\b`)
	// noBeforeRe: "engages no sub-processor without…", "nor … without".
	noBeforeRe = re(`\b(?:no|not|never|nor|cannot)\b`)
	// noNeedRe: no authorisation needed.
	noNeedRe = re(`\bsans (?:qu'(?:une|il soit besoin d'une?) |avoir besoin d'(?:une?|l') ?|necessiter (?:une?|l') ?)(?:autorisation|accord)|\b(?:n'est|ne sont) pas (?:soumis|subordonn\w*)\b|\bn'a pas (?:besoin|a obtenir|a solliciter|a demander)\b|\bdispens\w*|\blibrement\b|\ba sa (?:seule )?discretion\b|\bsimple information\b`)
	// objectionRe and informRe: the collectivité informed of every
	// change may object.
	objectionRe = re(`\bobjections?\b|\bs'opposer\b|\bopposition\b|\brefuser\b`)
	informRe    = re(`\binform\w*|\bpreven\w*|\bnotifi\w*|\bavis\b`)
	// listSepRe cuts a list item into the name and the rest.
	listSeps = []string{" — ", " – ", " - ", " : ", ": ", " | "}
)

// processors reads the sub-processors the contract lists: in a table (a
// name column with a service or place column, under a heading about
// sub-processors or naming them in its header), or in a list under such
// a heading or lead-in. none: the contract says it has none.
func (d *doc) processors() (list []subProcessor, none bool) {
	if d.procsRead {
		return d.procs, d.procsNone
	}
	d.procsRead = true
	for _, t := range d.tables {
		ps, blank := tableProcessors(t)
		if len(ps) == 0 {
			ps = cellProcessors(t)
		}
		list = append(list, ps...)
		if blank != "" && d.procsBlank == "" {
			d.procsBlank = blank
		}
	}
	for _, l := range d.lists {
		// a list a negated lead-in introduces names what is excluded
		// ("s'engage à ne pas utiliser de services tiers, notamment :")
		// and its lead-in, if any, announces who they are (not "le
		// sous-traitant impose aux sous-traitants ultérieurs les mêmes
		// obligations, notamment :", "procédure d'autorisation :")
		if !subCtxRe.MatchString(l.heading+" | "+l.leadIn) || negated(l.leadIn) || l.leadIn != "" && !listAnnounceRe.MatchString(l.leadIn) {
			continue
		}
		for _, it := range l.items {
			if negated(fold(it)) {
				// "Pas d'hébergement chez X (USA)": an exclusion
				continue
			}
			if p, ok := itemProcessor(it); ok && entryLike(p) {
				list = append(list, p)
			} else if ok && placeholderRe.MatchString(fold(p.name)) && d.procsBlank == "" {
				d.procsBlank = it
			}
		}
	}
	for _, para := range d.paras {
		list = append(list, inlineProcessors(para)...)
	}
	for i := range d.sents {
		// "si la plateforme est opérée par l'établissement, aucun
		// sous-traitant ultérieur n'est nécessaire": a case, not a
		// declaration
		if m := noSubRe.FindStringIndex(d.sents[i].key); m != nil && !underCondition(d.sents[i].key, m[0]) {
			none = true
		}
	}
	d.procs, d.procsNone = list, none && len(list) == 0
	return d.procs, d.procsNone
}

// inlineIntroRe: a paragraph that lists sub-processors after a colon
// ("Le titulaire fait appel aux sous-traitants ultérieurs suivants : …").
var inlineIntroRe = re(`(?:sous-trait\w*|prestataires?|sub-?processors?)[^:]{0,120}$`)

// inlineListRe: the intro announces a list.
var inlineListRe = re(`\bsuivants?\b|\bautorises?\b|\bliste\b|\bci-(?:dessous|apres)\b|\bsont\b|\brecours\b|\bappel\b|\bretenus?\b|\bdesignes?\b`)

// subHeaderRe: a table's name column headed by the sub-processor
// ("Sous-traitant | Prestation | Pays": a column of them, not the
// vendor).
var subHeaderRe = re(`^(?:sous-traitants?|sub-?processors?|prestataires?)\b`)

// listAnnounceRe: a lead-in that announces who the sub-processors are.
var listAnnounceRe = re(`\bsuivants?\b|\bsuivantes?\b|\bautorises?\b|\bliste\b|\bci-(?:dessous|apres)\b|\bsont\b|\brecours\b|\bappel\b|\bretenus?\b|\bdesignes?\b|\bactuels?\b|\butilis\w*|\bfollowing\b|\blisted\b|\bbelow\b|\bcurrent\b|\bauthori[sz]ed\b|\bare\b|\buses?\b`)

// conditionalRe: a sentence that states a case ("si …", "lorsque …").
var conditionalRe = re(`^[^\p{L}]*(?:si|s'il|s'ils|lorsqu\w*|dans la mesure ou|dans le cas ou|au cas ou|en cas de|if|where|when|in the event|to the extent)\b`)

// condBeforeRe: the words before a statement open a case ("si la
// plateforme est opérée par l'établissement, …", "Note : if …, …").
var condBeforeRe = re(`(?:^|[,:;(] ?)[^\p{L}]*(?:si|s'il|s'ils|lorsqu\w*|dans la mesure ou|dans le cas ou|au cas ou|en cas de|if|where|when|in the event|to the extent)\b[^,;]*,\s*$`)

// underCondition: the statement at in key is stated for a case only.
func underCondition(key string, at int) bool {
	return conditionalRe.MatchString(key) || condBeforeRe.MatchString(key[:at])
}

// placeholderRe: a model's blank ("[À compléter]", "[Nom]", "XXX", "-").
var placeholderRe = re(`^\s*(?:\[[^\]]*\]|<[^>]*>|x{3,}|\.{3,}|…|-+|—|n/?a|tbd|a completer|to be completed)\s*$|\ba completer\b|\bto be completed\b`)

// functionWordRe: a list item that starts with an article, a preposition
// or an infinitive's "de" is a phrase, not a name ("La demande précise :
// …", "En l'absence de réponse, …", "D'informer le responsable …").
var functionWordRe = re(`^(?:le|la|les|l'|un|une|des|du|de|d'|en|a|au|aux|pour|par|sur|dans|avec|sans|si|ce|cet|cette|ces|il|elle|ils|elles|chaque|tout|toute|tous|toutes|the|a|an|in|on|for|to|if|each|any|all|of|with|by)\b`)

// inlineEntrySepRe separates the entries of an inline list.
var inlineEntrySepRe = re(`\s*;\s*|\)\s*,\s*|\)\s+et\s+`)

// inlineProcessors reads the sub-processors a paragraph lists after a
// colon: "… suivants : A (hébergement, France) ; B (courriels, France)."
func inlineProcessors(para string) []subProcessor {
	i := strings.Index(para, ":")
	if i < 0 {
		return nil
	}
	intro := para[:i]
	if j := strings.LastIndex(intro, ". "); j >= 0 {
		intro = intro[j+2:]
	}
	if f := fold(intro); !inlineIntroRe.MatchString(f) || !inlineListRe.MatchString(f) {
		return nil
	}
	rest := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(para[i+1:]), "."))
	var out []subProcessor
	for _, e := range inlineEntrySepRe.Split(rest, -1) {
		e = strings.TrimSpace(e)
		if strings.Count(e, "(") > strings.Count(e, ")") {
			e += ")"
		}
		if e == "" || len(places(fold(e))) == 0 && !strings.Contains(e, "(") {
			continue
		}
		if p, ok := itemProcessor(e); ok {
			out = append(out, p)
		}
	}
	return out
}

// cellKeyRe: the key cell of a key/value row that holds the list of
// sub-processors ("Sous-traitants ultérieurs", "Sous-traitants agréés",
// "Approved Subprocessors").
var cellKeyRe = re(`^[^\p{L}]*(?:(?:liste des|list of|approved|authori[sz]ed|current) )?(?:sous-traitants?(?: ulterieurs?)?|sub-?processors?|subcontractors?|prestataires? (?:tiers|ulterieurs?))\b`)

// cellBullets are the bullets of a list written in a cell.
const cellBullets = "•◦▪‣·"

// cellEntries cuts a value cell into entries at "," ";" and bullets
// outside brackets, and after a closing bracket followed by a capital.
func cellEntries(v string) []string {
	var out []string
	depth, last := 0, 0
	rs := []rune(v)
	cut := func(i, next int) {
		if e := strings.TrimSpace(string(rs[last:i])); e != "" {
			out = append(out, e)
		}
		last = next
	}
	for i, r := range rs {
		switch {
		case r == '(' || r == '[':
			depth++
		case r == ')' || r == ']':
			if depth > 0 {
				depth--
			}
			if depth == 0 && i+2 < len(rs) && rs[i+1] == ' ' && unicode.IsUpper(rs[i+2]) {
				cut(i+1, i+1)
			}
		case depth == 0 && (r == ';' || r == ',' || r == '\n' || strings.ContainsRune(cellBullets, r)):
			cut(i, i+1)
		}
	}
	cut(len(rs), len(rs))
	return out
}

// cellProcessors reads the sub-processors a key/value table lists in one
// cell: « Sous-traitants ultérieurs | AWS (hébergement, Irlande) ;
// Mailjet (courriel, France) ».
func cellProcessors(t table) []subProcessor {
	var out []subProcessor
	for _, r := range t.rows {
		if len(r.Cells) < 2 || !labelCell(r.Cells[0]) || !cellKeyRe.MatchString(fold(r.Cells[0])) {
			continue
		}
		for _, e := range cellEntries(strings.Join(r.Cells[1:], " ; ")) {
			if len(places(fold(e))) == 0 && !strings.Contains(e, "(") {
				continue
			}
			if p, ok := itemProcessor(e); ok && entryLike(p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// tableProcessors reads a table of sub-processors, and the first row
// left blank ("[À compléter] | [Ex : Hébergement] | France").
func tableProcessors(t table) (out []subProcessor, blank string) {
	// the header is one of the first rows (a title row may come first)
	hi, name, role, country := -1, -1, -1, -1
	for i := 0; i < len(t.rows) && i < 3 && hi < 0; i++ {
		n, r, c := columns(t.rows[i].Cells)
		if n >= 0 && (r >= 0 || c >= 0) {
			hi, name, role, country = i, n, r, c
		}
	}
	if hi < 0 || hi+1 >= len(t.rows) {
		return nil, ""
	}
	ctx := t.heading + " | " + t.leadIn
	for _, r := range t.rows[:hi+1] {
		ctx += " | " + fold(r.Text)
	}
	if !subCtxRe.MatchString(ctx) && !subHeaderRe.MatchString(fold(t.rows[hi].Cells[name])) {
		return nil, ""
	}
	for _, r := range t.rows[hi+1:] {
		cell := func(i int) string {
			if i >= 0 && i < len(r.Cells) {
				// a cell's lines (entries under one another) on one
				return strings.TrimSpace(strings.ReplaceAll(r.Cells[i], "\n", ", "))
			}
			return ""
		}
		p := subProcessor{name: cell(name), role: cell(role), country: cell(country), shown: r.Text}
		if placeholderRe.MatchString(fold(p.role)) {
			p.role = ""
		}
		if placeholderRe.MatchString(fold(p.country)) {
			p.country = ""
		}
		if p.name == "" || placeholderRe.MatchString(fold(p.name)) {
			// a blank of a model ("[À compléter]") names no one
			if p.name != "" && blank == "" {
				blank = r.Text
			}
			continue
		}
		p.places = places(fold(p.country))
		if len(p.places) == 0 && country < 0 {
			// no place column: a place written with the role
			p.places = places(fold(p.role))
		}
		out = append(out, p)
	}
	return out, blank
}

// columns finds the name, service and place columns of a header row (-1
// when absent).
func columns(head []string) (name, role, country int) {
	name, role, country = -1, -1, -1
	if len(head) < 2 {
		return
	}
	for i, c := range head {
		f := fold(c)
		if !labelCell(c) {
			return -1, -1, -1
		}
		switch {
		case country < 0 && placeColRe.MatchString(f):
			country = i
		case name < 0 && nameColRe.MatchString(f):
			name = i
		case role < 0 && roleColRe.MatchString(f):
			role = i
		case country < 0 && countryColRe.MatchString(f):
			country = i
		}
	}
	return
}

// entryLike: a list item read as a sub-processor is an entry of a list
// ("Nom — prestation — pays"), not a statement under a heading that
// names the sub-processor ("Confidentialité : le sous-traitant doit…"):
// it names a place, or its name and service are a few words.
func entryLike(p subProcessor) bool {
	if n := fold(p.name); placeholderRe.MatchString(n) || functionWordRe.MatchString(n) || placeholderRe.MatchString(fold(p.role)) {
		return false
	}
	if len(p.places) > 0 && len(strings.Fields(p.role)) <= 12 {
		return true
	}
	return len(strings.Fields(p.name)) <= 6 && len(strings.Fields(p.role)) <= 8 && !strings.ContainsAny(p.role, ".;")
}

// itemProcessor reads a list item naming a sub-processor: "Nom — rôle —
// pays", "Nom : rôle, pays", "Nom (rôle, pays)".
func itemProcessor(it string) (subProcessor, bool) {
	it = strings.TrimSpace(strings.TrimRight(it, ".;"))
	cut := -1
	sepLen := 0
	for _, sep := range listSeps {
		if i := strings.Index(it, sep); i > 0 && (cut < 0 || i < cut) {
			cut, sepLen = i, len(sep)
		}
	}
	if cut < 0 {
		for _, sep := range []string{" (", ", "} {
			if i := strings.Index(it, sep); i > 0 && (cut < 0 || i < cut) {
				cut, sepLen = i, len(sep)
				if sep == " (" {
					sepLen = 1
				}
			}
		}
	}
	if cut < 0 {
		return subProcessor{}, false
	}
	name := strings.TrimSpace(it[:cut])
	rest := strings.TrimSpace(it[cut+sepLen:])
	rest = strings.Trim(rest, " ()")
	if name == "" || len(name) > 120 {
		return subProcessor{}, false
	}
	p := subProcessor{name: name, shown: it}
	p.places = places(fold(rest))
	// the role is the rest without its place; the country what names it
	role := rest
	var country []string
	for _, sep := range []string{" — ", " – ", " - ", "; ", ", ", " / "} {
		parts := strings.Split(role, sep)
		if len(parts) < 2 {
			continue
		}
		var keep []string
		for _, part := range parts {
			if ps := places(fold(part)); len(ps) > 0 && len(strings.Fields(part)) <= 6 {
				country = append(country, strings.TrimSpace(part))
				continue
			}
			keep = append(keep, part)
		}
		role = strings.Join(keep, sep)
	}
	p.role = strings.Trim(strings.TrimSpace(role), "(),;")
	p.country = strings.Join(country, ", ")
	if p.country == "" && len(p.places) > 0 {
		p.country = p.places[0].Name
	}
	if p.role == p.country {
		p.role = ""
	}
	return p, true
}

// authorisation finds the clause that puts sub-processing under the
// collectivité's prior written authorisation (specific, or general with
// information of every change). A clause that lets the vendor
// sub-process freely is the near miss.
func authorisation(d *doc) (hit, near *sentence) {
	for i := range d.sents {
		s := &d.sents[i]
		if s.title {
			continue
		}
		inCtx := subCtxRe.MatchString(s.heading)
		// "no data to a sub-processor unless the Customer has approved
		// it": a prior approval required
		if m := unlessAuthRe.FindStringIndex(s.key); m != nil && subRe.MatchString(s.key[:m[0]]) && negated(s.key[:m[0]]) && !noNeedRe.MatchString(s.key) {
			return s, near
		}
		for _, c := range clauses(s.key) {
			if !subRe.MatchString(c) && !(inCtx && authRe.MatchString(c)) {
				continue
			}
			if !authRe.MatchString(c) {
				continue
			}
			switch {
			case noNeedRe.MatchString(c):
				if near == nil {
					near = s
				}
				continue
			case sansAuthRe.MatchString(c):
				before := c[:sansAuthRe.FindStringIndex(c)[0]]
				if negated(before) || noBeforeRe.MatchString(before) || strings.Contains(before, "ne peut") || strings.Contains(before, "ne peuvent") || strings.Contains(before, "ne pourra") || strings.Contains(before, "n'est pas autorise") {
					return s, near
				}
				if near == nil {
					near = s
				}
				continue
			case writtenRe.MatchString(c) && !negated(c):
				return s, near
			}
		}
		// a general authorisation: every change announced, the
		// collectivité may object (art. 28.2), in the sentence or the
		// next one of its paragraph; the sentence must itself be about
		// it (not the list's description that precedes it)
		if !informRe.MatchString(s.key) && !objectionRe.MatchString(s.key) && !authRe.MatchString(s.key) {
			continue
		}
		c := s.key
		if i+1 < len(d.sents) && d.sents[i+1].block == s.block {
			c += " " + d.sents[i+1].key
		}
		if (subRe.MatchString(c) || inCtx) && objectionRe.MatchString(c) && informRe.MatchString(c) && !negated(c) && !noNeedRe.MatchString(c) {
			return s, near
		}
	}
	return nil, near
}

// subProcessorsClause is the sous-traitants item: the prior written
// authorisation and the list naming each sub-processor with its service
// and its country.
func subProcessorsClause(d *doc) outcome {
	auth, near := authorisation(d)
	list, none := d.processors()
	var parties []result.Party
	for _, p := range list {
		parties = append(parties, p.party())
	}
	var missFR, missEN []string
	if auth == nil {
		missFR = append(missFR, "le contrat ne soumet pas le recours à un sous-traitant ultérieur à l'autorisation écrite préalable de la collectivité")
		missEN = append(missEN, "the contract does not make sub-processing subject to the local authority's prior written authorisation")
	}
	var noRole, noCountry []string
	for _, p := range list {
		if p.role == "" {
			noRole = append(noRole, p.name)
		}
		if len(p.places) == 0 {
			noCountry = append(noCountry, p.name)
		}
	}
	blank := ""
	switch {
	case len(list) == 0 && !none && d.procsBlank != "":
		// a model's list left blank: the signed contract fills it
		blank = d.procsBlank
	case len(list) == 0 && !none:
		missFR = append(missFR, "le contrat ne liste pas les sous-traitants ultérieurs (nom, prestation, pays)")
		missEN = append(missEN, "the contract does not list the sub-processors (name, service, country)")
	default:
		if len(noRole) > 0 {
			missFR = append(missFR, "prestation non indiquée pour "+strings.Join(noRole, ", "))
			missEN = append(missEN, "service not stated for "+strings.Join(noRole, ", "))
		}
		if len(noCountry) > 0 {
			missFR = append(missFR, "pays non indiqué pour "+strings.Join(noCountry, ", "))
			missEN = append(missEN, "country not stated for "+strings.Join(noCountry, ", "))
		}
	}
	o := outcome{parties: parties}
	switch {
	case auth != nil:
		o.quote = auth.quoted()
	case near != nil:
		o.quote = near.quoted()
	}
	if blank != "" {
		missFR = append(missFR, "la liste des sous-traitants ultérieurs est laissée en blanc dans un modèle de contrat (« "+blank+" ») : à vérifier dans le contrat signé")
		missEN = append(missEN, "the list of sub-processors is left blank in a model contract (\""+blank+"\"): to check in the signed contract")
	}
	if len(missFR) > 0 {
		o.status = result.Fail
		if blank != "" && len(missFR) == 1 {
			o.status = result.Warn
		}
		o.fr = "Sous-traitance ultérieure : " + strings.Join(missFR, " ; ")
		o.en = "Sub-processing: " + strings.Join(missEN, "; ")
		return o
	}
	o.status = result.Pass
	if none {
		o.fr, o.en = "aucun sous-traitant ultérieur déclaré", "no sub-processor declared"
		return o
	}
	var labels, names []string
	for _, p := range list {
		labels, names = append(labels, p.label()), append(names, p.name)
	}
	// the English names them only: their service and country are the
	// contract's French (the report's table gives them)
	o.fr = fmt.Sprintf("%s : %s", countWord(len(list), "sous-traitant ultérieur listé", "sous-traitants ultérieurs listés"), strings.Join(labels, " ; "))
	o.en = fmt.Sprintf("%s, each with its service and country: %s", countWord(len(list), "sub-processor listed", "sub-processors listed"), strings.Join(names, "; "))
	return o
}

func countWord(n int, one, many string) string {
	if n > 1 {
		return fmt.Sprintf("%d %s", n, many)
	}
	return fmt.Sprintf("%d %s", n, one)
}
