package contract

import (
	"regexp"
	"sort"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/result"
)

// outcome is what the reading of the contract says of one item.
type outcome struct {
	// status is Pass, Fail, or Warn (a point to check).
	status result.Status
	// quote is the sentence that satisfies the item, or the one that
	// falls short of it ("" when the contract says nothing).
	quote string
	// fr and en say why the item fails or is to check, or add what the
	// passing sentence says (the standards it names).
	fr, en string
	// parties are the sub-processors the contract lists.
	parties []result.Party
}

func pass(s *sentence, fr, en string) outcome {
	return outcome{status: result.Pass, quote: s.quoted(), fr: fr, en: en}
}

// absent is an item the contract does not state, or states only in a
// sentence that does not commit (quoted).
func absent(near *sentence, fr, en string) outcome {
	o := outcome{status: result.Fail, fr: fr, en: en}
	if near != nil {
		o.quote = near.quoted()
	}
	return o
}

// clause is one item of GDPR art. 28.3 (or the vendor's DPO).
type clause struct {
	Key     string
	FR, EN  string // what the clause is
	Article string // where the GDPR asks for it
	// ArticleEn is Article in English when it is more than the GDPR's
	// name.
	ArticleEn string
	find      func(d *doc) outcome
}

// ArticleEN is Article for an English reader.
func (c clause) ArticleEN() string {
	if c.ArticleEn != "" {
		return c.ArticleEn
	}
	return strings.ReplaceAll(c.Article, "RGPD", "GDPR")
}

// probe finds the first sentence whose clause states the item and
// commits the vendor. A sentence is about the item when subj matches one
// of its clauses, or ctx matches its context (heading, lead-in, table
// header) and the clause holds what need says. The first sentence about
// the item that does not commit is kept as the near miss.
type probe struct {
	subj, ctx, need, also, not *regexp.Regexp
	// limits: a sentence after the commitment about the same subject
	// (subj) that limits it restricts the commitment ("Customer will
	// only exercise its audit rights by…"); where "only" reinforces
	// ("only on documented instructions") it is left false.
	limits bool
	// negates: a restriction it reports takes the commitment back whole
	// (audits reduced to reports: no inspection).
	negates func(string) bool
	// negFR and negEN say what such a restriction takes back.
	negFR, negEN string
	// alsoOwn: also must match the clause itself, not its context (a
	// heading "Audit Rights" does not make every sentence under it an
	// audit right).
	alsoOwn bool
}

// probed is what a probe finds: the committing sentence (or nil), the
// restriction the sentences after it set, the near miss and why.
type probed struct {
	hit, near    *sentence
	restricted   *restriction
	whyFR, whyEN string
}

// findAll finds the first committing sentence that no later sentence
// restricts; failing that, the first restricted one with its
// restriction.
func (p probe) findAll(d *doc) probed {
	var first probed
	from := 0
	for n := 0; n < maxRestricted; n++ {
		hit, near, fr, en := p.findFrom(d, from)
		if first.near == nil {
			first.near, first.whyFR, first.whyEN = near, fr, en
		}
		if hit == nil {
			return first
		}
		var subj *regexp.Regexp
		if p.limits {
			subj = p.subj
		}
		var r *restriction
		if p.negates != nil && p.negates(hit.key) {
			// the commitment limits itself ("audits are limited to
			// reviewing our SOC 2 report")
			r = &restriction{s: hit, negates: true}
		} else {
			r = restricts(d, hit.index(d), subj, p.negates)
		}
		if r == nil {
			first.hit, first.restricted = hit, nil
			return first
		}
		if first.hit == nil {
			first.hit, first.restricted = hit, r
		}
		// the restriction is no commitment of its own
		from = r.s.index(d) + 1
	}
	return first
}

// index is the sentence's place in d.sents.
func (s *sentence) index(d *doc) int {
	for i := range d.sents {
		if &d.sents[i] == s {
			return i
		}
	}
	return -1
}

// findFrom finds the first sentence from the from-th that states the
// item and commits, and the first near miss.
//
// A fragment of a list run on in one paragraph ("and (d) as documented in
// any other written instructions") gives way to a sentence of its own
// later in the paragraph that commits ("Provider will abide by these
// instructions"); failing one, it is the hit.
func (p probe) findFrom(d *doc, from int) (hit, near *sentence, whyFR, whyEN string) {
	for _, titles := range []bool{false, true} {
		var frag *sentence
		for i := from; i < len(d.sents); i++ {
			s := &d.sents[i]
			if frag != nil && s.block != frag.block {
				return frag, near, "", ""
			}
			if s.title != titles || s.definition || controllerDuty(s.heading) {
				continue
			}
			ctx := s.ctx()
			for _, c := range clauses(s.key) {
				about := p.subj != nil && p.subj.MatchString(c)
				if !about && p.ctx != nil && p.ctx.MatchString(ctx) && (p.need == nil || p.need.MatchString(c)) {
					about = true
				}
				if !about || p.also != nil && !p.also.MatchString(c) && (p.alsoOwn || !p.also.MatchString(ctx)) {
					continue
				}
				if p.not != nil && p.not.MatchString(c) {
					continue
				}
				if exceptionRe.MatchString(c) {
					continue
				}
				ok, fr, en := commits(c, s.leadIn)
				if ok && bare(s) {
					// a heading alone ("Audit et rapports") names the
					// subject and commits to nothing
					ok, fr, en = false, "le contrat n'en a qu'un titre, sans phrase qui engage", "the contract has only a heading about it, no sentence that commits"
				}
				if ok && s.frag {
					if frag == nil {
						frag = s
					}
					break
				}
				if ok {
					return s, near, "", ""
				}
				if near == nil {
					near, whyFR, whyEN = s, fr, en
				}
			}
		}
		if frag != nil {
			return frag, near, "", ""
		}
	}
	return nil, near, whyFR, whyEN
}

// bare: the sentence is a heading, or a label of a few words without a
// verb and outside a list's lead-in or a table ("Audit & Reports" as an
// item of the document's outline): it names a subject and commits to
// nothing.
func bare(s *sentence) bool {
	if s.title {
		return true
	}
	if len(strings.Fields(s.key)) > 8 || s.cells != nil {
		return false
	}
	if s.leadIn != "" {
		return outlineLeadRe.MatchString(s.leadIn)
	}
	return !verbRe.MatchString(s.key)
}

// outlineLeadRe: a lead-in that announces the document's outline ("This
// section of the DPA includes the following subsections:"): its items
// are titles.
var outlineLeadRe = re(`\b(?:following|suivant\w*) (?:sub-?)?(?:sections?|subsections?|articles?|parties|chapitres?|annexes?|appendices|schedules?)\b|\b(?:sub-?)?(?:sections?|articles?|chapitres?|annexes?) suivant\w*`)

// ctrlDutyHeadingRe: a section of the controller's own obligations
// ("Obligations du responsable de traitement", "School
// Responsibilities"): what it says binds the collectivité, not the
// vendor.
// The heading must be about them (not "Aide au respect des obligations
// de la collectivité").
var ctrlDutyHeadingRe = re(`(?:^|\| )(?:(?:article|section|clause|art\.|titre|chapitre)\s*)?[\divxlc.]*\s*[:.)-]?\s*(?:(?:(?:les )?(?:obligations?|responsabilites|engagements?|devoirs?) (?:du|de la|de l'|des) (?:responsable|collectivite|client|acheteur|etablissement|pouvoir adjudicateur))|(?:(?:the )?(?:school|customer|controller|client|data exporter)(?:'s)? (?:responsibilities|obligations|duties))|(?:(?:responsibilities|obligations|duties) of (?:the )?(?:school|customer|controller|data exporter))|(?:your (?:responsibilities|obligations)))\b`)

// controllerDuty: one of the sentence's headings is a section of the
// controller's obligations.
func controllerDuty(heading string) bool {
	return heading != "" && ctrlDutyHeadingRe.MatchString(heading)
}

// simple is a clause found by one probe.
func simple(p probe, missFR, missEN string) func(d *doc) outcome {
	return func(d *doc) outcome {
		f := p.findAll(d)
		if f.hit != nil {
			if f.restricted != nil {
				o := restrictedOutcome(f.hit, f.restricted)
				if f.restricted.negates && p.negFR != "" {
					o.fr, o.en = p.negFR, p.negEN
				}
				return o
			}
			return pass(f.hit, "", "")
		}
		if f.near != nil {
			return absent(f.near, missFR+" : "+f.whyFR, missEN+": "+f.whyEN)
		}
		return absent(nil, missFR, missEN)
	}
}

// restrictedOutcome: a commitment a later sentence restricts is to check,
// quoting both; one it takes back whole fails.
func restrictedOutcome(hit *sentence, r *restriction) outcome {
	quote := hit.quoted()
	if r.s != hit {
		quote += " … " + r.s.shown
	}
	o := outcome{status: result.Warn, quote: quote,
		fr: "Engagement restreint par une phrase qui suit (« toutefois », « sous réserve », « limité à », « uniquement ») : à vérifier que la restriction laisse la clause entière",
		en: "Commitment restricted by a sentence that follows (\"however\", \"provided that\", \"limited to\", \"only\"): to check that the restriction leaves the clause whole"}
	if r.negates {
		o.status = result.Fail
		o.fr = "Engagement repris par sa restriction : elle ôte à la clause ce que le RGPD exige"
		o.en = "Commitment taken back by its restriction: it removes what the GDPR requires of the clause"
	}
	return o
}

var (
	// actVerbRe: a verb of action or commitment.
	actVerbRe = re(`\b(?:met|mettre|mis|mise|mises|prend|prendre|pris|garanti\w*|assur\w*|engag\w*|appliqu\w*|respect\w*|conform\w*|adopt\w*|deploi\w*|deploy\w*|maint\w*|proteg\w*|protect\w*|veill\w*|dispose|implement\w*|doit|doivent|tenu|tenus|oblige\w*|s'oblige\w*|fait|font|effectu\w*|realis\w*|procede\w*|chiffr\w*|ensur\w*|take|takes|apply|applies|encrypt\w*|shall|will|must)\b`)
	// standardsRe names the security standards a contract may cite.
	standardsRe = re(`\brgs\b|referentiel general de securite|\bpssie\b|politique de securite des systemes d'information de l'etat|\banssi\b|agence nationale de la securite des systemes d'information|\biso(?:/iec)? ?27001\b|\biso(?:/iec)? ?27701\b|\biso(?:/iec)? ?27017\b|\biso(?:/iec)? ?27018\b|\bsecnumcloud\b|\bhds\b|hebergeur de donnees de sante|\bsoc ?2\b|\bcsa star\b|\bhomologation\b|\bqualification\b`)
)

// measuresRe: a sentence about security measures (the standards aside).
var measuresRe = re(`\btechnical and organi[sz]ational (?:security )?measures\b|\bsecurity measures\b|\bappropriate (?:technical|security)\b|\barticle 32\b|\bart\.? ?32\b|\b32 du (?:rgpd|reglement)|mesures? (?:techniques? et organisationnelles?|de securite|de protection|appropriees|techniques?)|securite (?:des|du|de l'|de la) (?:donnees|traitement|systeme|information|hebergement|service)|niveau de securite|\bplan d'assurance securite\b|\b(?:administrative|technical|physical|organi[sz]ational|appropriate|reasonable|security)\b[^.;|]{0,40}\bsafeguards\b|\b(?:maint\w*|implement\w*|establish\w*|keeps?|operates?)\b[^.;|]{0,30}\b(?:information )?security (?:program|programme|controls)\b`)

// standardNames maps a folded standard to how the report names it.
var standardNames = []struct {
	re   *regexp.Regexp
	name string
}{
	{re(`\brgs\b|referentiel general de securite`), "RGS"},
	{re(`\bpssie\b|politique de securite des systemes d'information de l'etat`), "PSSIE"},
	{re(`\banssi\b|agence nationale de la securite des systemes d'information`), "ANSSI"},
	{re(`\bsecnumcloud\b`), "SecNumCloud"},
	{re(`\biso(?:/iec)? ?27001\b`), "ISO 27001"},
	{re(`\biso(?:/iec)? ?27701\b`), "ISO 27701"},
	{re(`\biso(?:/iec)? ?2701[78]\b`), "ISO 27017/27018"},
	{re(`\bhds\b|hebergeur de donnees de sante`), "HDS"},
	{re(`\bsoc ?2\b`), "SOC 2"},
}

// standards lists the security standards the contract names.
func standards(d *doc) []string {
	var out []string
	for _, s := range standardNames {
		if s.re.MatchString(d.raw) {
			out = append(out, s.name)
		}
	}
	return out
}

// dpoRe names a data protection officer.
var dpoRe = re(`delegue\w* (?:a la |a |de la )?protection des donnees|\bdpo\b|\bdpd\b|data protection officer|(?:data )?privacy officer|delegue\w* (?:rgpd|informatique et libertes)`)

// contactRe is a means of contact: an e-mail address, a web address, a
// phone number, a postal code and town.
var contactRe = re(`[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+|https?://|\bwww\.|\b0\d(?:[ .]?\d\d){4}\b|\+33 ?\d|\b\d{5} [a-z]|\b[a-z]+,? (?:[a-z]{2} )?\d{5}(?:-\d{4})? (?:usa|united states)\b|\+\d{1,3}[ .]?\(?\d`)

// ctrlDPORe: the DPO named is the controller's (the collectivité's), not
// the vendor's.
var ctrlDPORe = re(`(?:delegue\w* (?:a la |a |de la )?protection des donnees|\bdpo\b|\bdpd\b)[^|]{0,30}\b(?:de la collectivite|du responsable|du client|du departement|de la region|de la commune|de l'acheteur|du pouvoir adjudicateur|de l'academie|de la dsden|du rectorat|de l'etablissement)`)

var clausesList = []clause{
	{
		Key: "instructions", Article: "RGPD art. 28.3.a",
		FR: "traitement des données sur instruction documentée de la collectivité",
		EN: "processing on the local authority's documented instructions",
		find: simple(probe{
			subj: re(`\binstructions?\b|\bconsignes?\b|\bdirectives? (?:ecrites|documentees|de la collectivite|du responsable)|\b(?:as )?directed by (?:the )?(?:school|customer|controller|client|district|council|authority|local authority)\b|\bunder the (?:direct )?control of (?:the )?(?:school|customer|controller|client|district)\b`),
			also: re(`\babides?\b|\bcomply with\b|\bfollows?\b|\bse conform\w*|\btrait\w*|\bagi\w*|\bagit\b|\bprocede\w*|\butilis\w*|\bexploit\w*|\bexecut\w*|\bcompte\b|\bconformement\b|\bselon\b|\bsur\b|\bprocess\w*|\bin accordance with\b|\bon (?:the )?(?:documented|written)\b|\bacts?\b|\boperates?\b|\buses?\b`),
			not:  re(`\binstructions? (?:d'utilisation|de connexion|d'installation)\b|\bmode d'emploi\b`),
		}, "Clause absente : traitement sur instruction documentée", "Missing clause: processing on documented instructions"),
	},
	{
		Key: "confidentialite", Article: "RGPD art. 28.3.b",
		FR: "confidentialité des personnes autorisées à traiter les données",
		EN: "confidentiality of the persons authorised to process the data",
		find: simple(probe{
			subj: re(`confidentialit\w*|secret professionnel|obligation de (?:discretion|secret|reserve)|tenu\w* au secret|\bconfidentiel\w*|\bconfidential\b`),
			ctx:  re(`confidentialit`),
			need: re(`\bpersonn\w*|\bsalarie\w*|\bemploye\w*|\bprepose\w*|\bcollaborat\w*|\bagents?\b|\bintervenant\w*|\bequipes?\b|\bhabilite\w*|\bsoumis\w*|\bengag\w*|\bpersons?\b|\bstaff\b|\bemployees?\b|\bauthori[sz]ed\b|\bsubject to\b`),
			also: re(`\bpersonn\w*|\bsalarie\w*|\bemploye\w*|\bprepose\w*|\bcollaborat\w*|\bagents?\b|\bintervenant\w*|\bequipes?\b|\bhabilite\w*|\bsous-traitants? ulterieurs?\b|\bsocietes?\b|\bsous-traitan\w*|\bpersons?\b|\bstaff\b|\bemployees?\b|\bauthori[sz]ed\b|\bsub-?processors?\b`),
		}, "Clause absente : confidentialité des personnes autorisées", "Missing clause: confidentiality of the authorised persons"),
	},
	{
		Key: "securite", Article: "RGPD art. 28.3.c, 32",
		FR: "mesures de sécurité de l'article 32",
		EN: "the security measures of article 32",
		find: func(d *doc) outcome {
			p := probe{
				subj: re(measuresRe.String() + `|` + standardsRe.String()),
				ctx:  re(`\bsecurite\b|\bsecurity\b`),
				need: re(`\bmesures?\b|\bchiffr\w*|\bsauvegard\w*|\bjournalis\w*|\bauthentifi\w*|\bprotection\b|\bmeasures?\b|\bsafeguards?\b|\bencrypt\w*`),
				also: actVerbRe,
				// measures that answer an incident (contain it,
				// investigate it) are incident response, and the
				// "appropriate safeguards" of a transfer are art. 46,
				// not art. 32
				not: re(`\b(?:conten\w*|contenir|circonscri\w*|remedi\w*|enquet\w*|attenu\w*|contain\w*|investigat\w*|mitigat\w*|remediat\w*)\b[^|]{0,60}\b(?:incidents?|violations?|breach\w*)\b|\bsafeguards?\b[^|]{0,40}\btransfer\w*|\btransfer\w*[^|]{0,60}\bsafeguards?\b`),
			}
			// a sentence about measures comes before one that only
			// names a standard ("dans le cas où le Sous-Traitant est
			// certifié comme HDS")
			m := p
			m.subj = measuresRe
			f := m.findAll(d)
			if f.hit == nil {
				f = p.findAll(d)
			}
			hit, near, fr, en := f.hit, f.near, f.whyFR, f.whyEN
			names := standards(d)
			extraFR, extraEN := "", ""
			if len(names) > 0 {
				extraFR = "référentiels cités : " + strings.Join(names, ", ")
				extraEN = "standards cited: " + strings.Join(names, ", ")
			}
			switch {
			case hit != nil && f.restricted != nil:
				return restrictedOutcome(hit, f.restricted)
			case hit != nil:
				return pass(hit, extraFR, extraEN)
			case near != nil:
				return absent(near, "Clause absente : mesures de sécurité de l'article 32 : "+fr, "Missing clause: the security measures of article 32: "+en)
			}
			return absent(nil, "Clause absente : mesures de sécurité de l'article 32", "Missing clause: the security measures of article 32")
		},
	},
	{
		Key: "sous-traitants", Article: "RGPD art. 28.2, 28.3.d, 28.4",
		FR:   "sous-traitants ultérieurs : autorisation écrite préalable et liste (nom, prestation, pays)",
		EN:   "sub-processors: prior written authorisation and list (name, service, country)",
		find: subProcessorsClause,
	},
	{
		Key: "assistance-droits", Article: "RGPD art. 28.3.e",
		FR: "aide à la collectivité pour répondre aux demandes d'exercice des droits",
		EN: "help to the local authority with data subjects' requests",
		find: simple(probe{
			subj:   re(`droits? (?:des|de ces|de leurs) (?:personnes|usagers|utilisateurs|interesses)|demandes? (?:d'exercice|des personnes|d'acces|de droits?|des usagers|des utilisateurs)|exercice (?:de leurs|des|de ses|de ces|du) droits?|droits? d'(?:acces|opposition|rectification|effacement)|droits? (?:a la|de) (?:limitation|portabilite)|personnes? concernees?|data subjects?'?s?'? (?:rights|requests?)|requests? (?:from|by) data subjects|exercise (?:of )?(?:their |its )?rights|data subject|demandes? (?:des|d'un|d'une|de|du) (?:parents?|eleves?|familles?|representants? legaux|usagers?)\b|\b(?:parents?|students?|pupils?|families|family)\b[^.;|]{0,30}\brequests?\b|\brequests? (?:from|by|of) (?:parents?|students?|pupils?|families|individuals?)\b`),
			ctx:    re(`droits? des personnes|exercice des droits|demandes? des personnes|droits des usagers|\brights of (?:data subjects|individuals|parents|students|pupils)\b|\b(?:data subjects?|individuals?|parents?|students?|pupils?)'? (?:and [a-z ]+ )?rights\b`),
			need:   re(`\baid\w*|\bassist\w*|\bcooper\w*|\bconcours\b|\baccompagn\w*|\btransm\w*|\btransfer\w*|\badress\w*|\bredirig\w*|\bdonner suite\b|\brepond\w*|\btrait\w*|\brespond\w*|\bsupport\w*|\bhelp\w*`),
			limits: true,
			also:   re(`\baid\w*|\bassist\w*|\bcooper\w*|\bconcours\b|\baccompagn\w*|\bappui\b|\bdonner suite\b|\bhelp\w*|\bsupport\w*|\bpass(?:es)? on\b|\bforward\w*|\b(?:transm|transfer|adress|redirig|renvo|fait suivre|faire suivre)\w*[^|]{0,80}\bdemandes?\b|\bdemandes?\b[^|]{0,80}\b(?:transm|transfer|adress|redirig|renvo)\w*`),
		}, "Clause absente : aide à l'exercice des droits des personnes", "Missing clause: help with data subjects' rights"),
	},
	{
		Key: "assistance-conformite", Article: "RGPD art. 28.3.f",
		FR: "aide à la collectivité pour les obligations des articles 32 à 36 (sécurité, violations, analyses d'impact, consultation préalable)",
		EN: "help to the local authority with the obligations of articles 32 to 36 (security, breaches, impact assessments, prior consultation)",
		find: simple(probe{
			subj:   re(`\barticles? 32 a 36\b|\bart\.? ?32 a 36\b|\b32 a 36 du\b|\banalyses? d'impact|\baipd\b|\bpia\b|\betudes? d'impact|\bconsultation prealable|\bevaluations? d'impact|\bimpact sur la (?:vie privee|protection des donnees)|\b(?:data protection |privacy )?impact assessments?\b|\bdpias?\b|\bprior consultations?\b|\bconsult\w* (?:with )?(?:the )?supervisory authorit\w*|\barticles? 32 (?:to|through|-) 36\b`),
			limits: true,
			also:   re(`\baid\w*|\bassist\w*|\bconcours\b|\baccompagn\w*|\bcooper\w*|\bcontribu\w*|\bparticip\w*|\bfourni\w*|\bappui\b|\bdocumentation\b|\binformations?\b|\brealis\w*|\bmet a (?:la )?disposition\b|\bhelp\w*|\bprovid\w*|\bsupport\w*`),
		}, "Clause absente : aide aux obligations des articles 32 à 36 (analyse d'impact, consultation préalable)", "Missing clause: help with the obligations of articles 32 to 36 (impact assessment, prior consultation)"),
	},
	{
		Key: "fin-de-contrat", Article: "RGPD art. 28.3.g",
		FR:   "suppression ou restitution de toutes les données, sauvegardes comprises, dans un délai fixé au terme du contrat",
		EN:   "deletion or return of all data, backups included, within a set delay at the contract's end",
		find: endOfContract,
	},
	{
		Key: "audits", Article: "RGPD art. 28.3.h",
		FR: "audits et inspections de la collectivité, informations démontrant le respect des obligations",
		EN: "audits and inspections by the local authority, information demonstrating compliance",
		find: simple(probe{
			subj: re(`\baudits?\b|\binspections?\b|\bcontroles? (?:sur place|sur pieces|de conformite)\b|\bverifications? sur place\b|\bauditer\b|\bauditeurs?\b`),
			ctx:  re(`\baudits?\b|\bcontroles?\b|\binspections?\b`),
			need: re(`\bverif\w*|\bcontrol\w*|\binspect\w*|\bacces (?:aux|a ses) (?:locaux|installations|systemes)`),
			// the controller's audit: it, an auditor it mandates, or
			// the vendor submitting to audits, not the vendor's own
			// audits of its accesses or an audit trail
			also:    re(controllerRe.String() + `|\bauditeurs?\b|\bauditors?\b|\bmandat\w*|\btiers\b|\bthird[- ]part\w*|\bcontribu\w*|\bsoum\w*|\bsubmits?\b|\ballows?\b|\bpermet\w*|\bpermit\w*|\bautoris\w*|\bdroits? d'audit\b|\baudit rights?\b|\binspections?\b`),
			alsoOwn: true,
			limits:  true,
			negates: auditTakenBack,
			negFR:   "Droit d'audit repris par sa restriction : les audits sont réduits à la remise de rapports, certifications ou questionnaires, ou les inspections sont exclues (l'article 28.3.h exige des audits, y compris des inspections)",
			negEN:   "Audit right taken back by its restriction: audits are reduced to reports, certifications or questionnaires, or inspections are excluded (article 28.3.h requires audits, including inspections)",
			not:     re(`\baudit questionnaires?\b|\bquestionnaires?\b[^|]{0,80}\bd'audit\b|\btracabilit\w*[^|]{0,40}\baudit|\baudits? (?:periodiques? )?(?:internes? )?des (?:operations|actions|acces|connexions|journaux)\b|\baudit trails?\b|\baudit logs?\b|\baudit(?:e|es|ed)\b[^|]{0,20}\b(?:par des|by) (?:auditeurs|organismes|(?:independent )?(?:third[- ]party )?auditors)\b|\bjournaux d'audit\b|\blogs? d'audit\b|\btraces? d'audit\b|\bpistes? d'audit\b|\baudit\w* (?:(?:our|the|its|their) )?(?:source )?code\b|\baudit\w* (?:le |du )?code(?: source)?\b|\b(?:open[- ]source|code source|source code)\b[^|]{0,60}\baudit`),
		}, "Clause absente : audits et inspections", "Missing clause: audits and inspections"),
	},
	{
		Key: "dpo", Article: "RGPD art. 37 à 39 ; convention (coordonnées des délégués)",
		ArticleEn: "GDPR art. 37 to 39; agreement (contacts of the data protection officers)",
		FR:        "délégué à la protection des données de l'éditeur et ses coordonnées",
		EN:        "the vendor's data protection officer and contact",
		find:      vendorDPO,
	},
}

// vendorDPO finds the vendor's DPO with a means of contact: a sentence
// (or a table row) that names a DPO and holds an address, the DPO named
// in it or in its heading, and not the collectivité's.
func vendorDPO(d *doc) outcome {
	var near *sentence
	for _, inCtx := range []bool{false, true} {
		for i := range d.sents {
			s := &d.sents[i]
			named := dpoRe.MatchString(s.key)
			if !named && !(inCtx && dpoRe.MatchString(s.ctx())) {
				continue
			}
			if ctrlDPORe.MatchString(s.key) && !vendorRe.MatchString(ctrlDPORe.ReplaceAllString(s.key, " ")) {
				continue
			}
			if !contactRe.MatchString(s.key) && !contactRe.MatchString(continuation(d, i)) {
				if near == nil && named && !s.title {
					near = s
				}
				continue
			}
			return pass(s, "", "")
		}
	}
	if near != nil {
		return absent(near, "Coordonnées du délégué à la protection des données de l'éditeur absentes (le contrat le nomme sans courriel, adresse ni téléphone)", "The vendor's data protection officer's contact is missing (the contract names the officer without e-mail, address or phone)")
	}
	return absent(nil, "Clause absente : délégué à la protection des données de l'éditeur et ses coordonnées", "Missing clause: the vendor's data protection officer and contact")
}

// maxContinued bounds the lines read after a sentence that announces
// them (an address of four or five lines).
const maxContinued = 6

// continuation is what a sentence ending with ":" announces ("can be
// reached at the following address:"): the sentences that follow it in
// its block (lines broken by <br>), else those of the next block, up to
// the next heading, folded and joined.
func continuation(d *doc, i int) string {
	s := &d.sents[i]
	if !strings.HasSuffix(strings.TrimSpace(s.key), ":") {
		return ""
	}
	var parts []string
	next := -1
	for j := i + 1; j < len(d.sents) && len(parts) < maxContinued; j++ {
		t := &d.sents[j]
		if t.title {
			break
		}
		if next < 0 && t.block != s.block {
			if len(parts) > 0 {
				break
			}
			next = t.block
		}
		if t.block != s.block && t.block != next {
			break
		}
		parts = append(parts, t.key)
	}
	return strings.Join(parts, " ")
}

var (
	endRe       = re(`\b(?:terme|fin|expiration|resiliation|cessation|echeance|issue|extinction|arret|reversibilite)\b|\btermin\w*|\bresili\w*|\bexpir\w*|\ben fin de (?:contrat|marche|prestation)\b|\bend of (?:the )?(?:provision|agreement|contract|services?|term)\b`)
	endCtxRe    = re(`\bfin (?:du|de la|des|de l'|d'un) (?:contrat|marche|convention|prestation|service|relation|accord|traitement|abonnement)|\bterme (?:du|de la) (?:contrat|marche|prestation)|\breversibilit\w*|\bsort des donnees\b|\brestitution\b|\bsuppression des donnees\b|\bexpiration\b|\bresiliation\b|\bfin de (?:contrat|marche)\b|\btermination\b|\bexpiry\b|\breturn and deletion\b|\bdeletion\b`)
	deleteRe    = re(`\bsupprim\w*|\beffac\w*|\bdetrui\w*|\bdestruction\b|\brestitu\w*|\brenvo\w*|\bretourn\w*|\brend(?:re|ra|ent|u)\b|\bsuppression\b|\bpurg\w*|\btransfer\w* (?:a|au|vers) (?:la collectivite|le responsable|un nouveau|le nouveau|tout nouveau)|\bdelet\w*|\beras\w*|\bdestroy\w*|\breturn\w*`)
	backupRe    = re(`\bsauvegardes?\b|\bcopies?\b|\bbackups?\b|\barchives?\b|\breplica\w*|\bduplicat\w*|\bsupports?\b|\bexemplaires?\b`)
	delayRe     = re(`\bdans (?:un|le) delai (?:maxim\w* )?(?:de|d')? ?(?:\d+|un|une|deux|trois|quatre|six|huit|dix|quinze|trente|soixante|quatre-vingt-dix)\b|\bau plus tard\b|\bsous (?:\d+|un|une|deux|trois|quinze|trente) (?:jours?|mois|semaines?|heures?)\b|\bdans les (?:\d+|deux|trois|quinze|trente) (?:jours?|mois|semaines?)\b|\b(?:\d+|un|une|deux|trois|six|quinze|trente|soixante) (?:jours?|mois|semaines?)(?: calendaires| ouvres| ouvrables)? (?:apres|a compter|suivant|a partir)\b|\bimmediatement\b|\bsans delai\b|\bdes (?:la|le) (?:fin|terme|expiration)\b|\ba l'issue d'un delai\b|\bdelai (?:maxim\w* )?de (?:\d+|un|une|deux|trois|six|quinze|trente)\b|\bwithin (?:\d+|one|two|three|six|ten|fifteen|thirty|sixty|ninety)(?: \(\d+\))? (?:calendar |business )?(?:days?|weeks?|months?)\b|\bno later than\b`)
	keepCopyRe  = re(`\bconserv\w*|\bgard\w*|\bretien\w*`)
	legalHoldRe = re(`\bobligation (?:legale|reglementaire)|\bdroit de l'union|\bdroit (?:national|francais|d'un etat membre|de l'etat membre)|\bexige\w* la conservation|\bprescription|\bdisposition legale|\bloi\b`)
)

// endOfContract finds the end-of-contract clause: deletion or return of
// the data at the contract's end (in the sentence, or under a heading
// about it), the backups covered and a delay set, in that sentence or
// another of its section. A sentence that lets the vendor keep copies
// (but for a legal obligation) fails the item.
func endOfContract(d *doc) outcome {
	var main *sentence
	var near *sentence
	nearFR, nearEN := "", ""
	// a sentence that speaks of the end itself (or whose lead-in or
	// nearest heading does) comes before one that only a broader heading
	// ("Suppression des données") puts there: the customer's own deletion
	// during the contract is not the vendor's at its end
	for _, own := range []bool{true, false} {
		for i := range d.sents {
			s := &d.sents[i]
			if s.title || s.definition {
				continue
			}
			if main = endClause(s, own, &near, &nearFR, &nearEN); main != nil {
				break
			}
		}
		if main != nil {
			break
		}
	}
	if main == nil {

		if near != nil {
			return absent(near, "Clause absente : sort des données au terme du contrat : "+nearFR, "Missing clause: the data at the contract's end: "+nearEN)
		}
		return absent(nil, "Clause absente : suppression ou restitution des données au terme du contrat", "Missing clause: deletion or return of the data at the contract's end")
	}
	// the section's other sentences complete it
	var section []*sentence
	for i := range d.sents {
		s := &d.sents[i]
		if !s.title && !s.definition && (s.section == main.section || endCtxRe.MatchString(s.heading)) {
			section = append(section, s)
		}
	}
	quote := main.quoted()
	var backups, delay, blank *sentence
	for _, s := range append([]*sentence{main}, section...) {
		if blank == nil && blankDelay(s.key, s.shown) != "" && (deleteRe.MatchString(s.key) || s == main) && (s == main || !onRequest(s.key)) {
			blank = s
		}
		if backups == nil && backupRe.MatchString(s.key) && (deleteRe.MatchString(s.key) || s == main) && negOK(s) {
			backups = s
		}
		if delay == nil && delayRe.MatchString(s.key) && (deleteRe.MatchString(s.key) || backupRe.MatchString(s.key) || s == main) && (s == main || !onRequest(s.key)) {
			delay = s
		}
	}
	for _, s := range section {
		for _, c := range clauses(s.key) {
			if keepCopyRe.MatchString(c) && backupRe.MatchString(c) && weakFor(c) && !legalHoldRe.MatchString(c) && !negated(c) {
				return outcome{status: result.Fail, quote: s.quoted(),
					fr: "Le contrat permet à l'éditeur de conserver des copies des données au terme du contrat",
					en: "The contract lets the vendor keep copies of the data at the contract's end"}
			}
		}
	}
	if delay == nil && blank != nil {
		delay = blank
	}
	for _, extra := range []*sentence{backups, delay} {
		if extra != nil && extra != main && !strings.Contains(quote, extra.shown) {
			quote += " … " + extra.shown
		}
	}
	var missFR, missEN []string
	if backups == nil {
		missFR, missEN = append(missFR, "les sauvegardes et copies ne sont pas mentionnées"), append(missEN, "backups and copies are not mentioned")
	}
	if delay == nil {
		missFR, missEN = append(missFR, "aucun délai n'est fixé"), append(missEN, "no delay is set")
	}
	if delay != nil && delay == blank {
		b := blankDelay(blank.key, blank.shown)
		missFR = append(missFR, "le délai est laissé en blanc dans un modèle de contrat (« "+b+" ») : à vérifier dans le contrat signé")
		missEN = append(missEN, "the delay is left blank in a model contract (\""+b+"\"): to check in the signed contract")
		if backups != nil {
			return outcome{status: result.Warn, quote: quote,
				fr: "Sort des données au terme du contrat : " + strings.Join(missFR, " ; "),
				en: "The data at the contract's end: " + strings.Join(missEN, "; ")}
		}
	}
	if len(missFR) > 0 {
		return outcome{status: result.Fail, quote: quote,
			fr: "Sort des données au terme du contrat incomplet : " + strings.Join(missFR, " ; "),
			en: "The data at the contract's end: incomplete: " + strings.Join(missEN, "; ")}
	}
	return outcome{status: result.Pass, quote: quote}
}

// endClause: s states the deletion or return of the data at the
// contract's end (by itself or, unless own, by its context) and commits;
// the first such sentence that does not commit is kept as the near miss.
func endClause(s *sentence, own bool, near **sentence, nearFR, nearEN *string) *sentence {
	ctx := s.ctx()
	if own {
		ctx = s.leadIn + " | " + lastHeading(s.heading)
	}
	for _, c := range clauses(s.key) {
		if !deleteRe.MatchString(c) || !(endRe.MatchString(c) || endCtxRe.MatchString(ctx) && (!own || endRe.MatchString(ctx))) {
			continue
		}
		if exceptionRe.MatchString(c) {
			continue
		}
		if ok, fr, en := commits(c, s.leadIn); !ok {
			if *near == nil {
				*near, *nearFR, *nearEN = s, fr, en
			}
			continue
		}
		return s
	}
	return nil
}

// lastHeading is the nearest of a sentence's headings.
func lastHeading(heading string) string {
	if i := strings.LastIndex(heading, " | "); i >= 0 {
		return heading[i+3:]
	}
	return heading
}

// onRequestRe: a deletion on the controller's request, its delay counted
// from the request ("within 30 days of the request", "dans les 48 heures
// suivant la demande").
var onRequestRe = re(`\b(?:upon|on|following) (?:the )?(?:\w+'s )?(?:reasonable |written |simple )?request\b|\bof (?:the|such|its|a) request\b|\bsur (?:simple )?demande\b|\b(?:suivant|a compter de|apres|des reception de|de) (?:la|sa|leur) demande\b`)

// onRequest: the sentence sets the delay of a deletion on request, not
// at the contract's end (it does not speak of the end).
func onRequest(key string) bool {
	return onRequestRe.MatchString(key) && !endRe.MatchString(key)
}

// negOK: the sentence does not negate (the backups are deleted, not
// "ne sont pas concernées").
func negOK(s *sentence) bool { return !negRe.MatchString(sansAucunRe.ReplaceAllString(s.key, "sans")) }

// sortedKeys is the keys of a set, sorted.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
