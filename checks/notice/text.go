package notice

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sdetcheck/sdetcheck/internal/doctext"
)

// fold normalises French text for matching (doctext.Fold).
func fold(s string) string { return doctext.Fold(s) }

// sentenceEndRe ends a comparison unit: a sentence mark followed by white
// space (so that "6.1.e", e-mail addresses and URLs stay whole).
var sentenceEndRe = regexp.MustCompile(`[.;!?]\s+`)

// unit is one sentence: as written (spacing collapsed) and folded.
type unit struct{ shown, key string }

// units cuts text into sentences.
func units(text string) []unit {
	text = strings.Join(strings.Fields(text), " ")
	var out []unit
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			if k := fold(s); k != "" {
				out = append(out, unit{s, k})
			}
		}
	}
	last := 0
	for _, m := range sentenceEndRe.FindAllStringIndex(text, -1) {
		add(text[last : m[0]+1])
		last = m[1]
	}
	add(text[last:])
	return out
}

// sentences returns the folded units of text.
func sentences(text string) []string {
	var out []string
	for _, u := range units(text) {
		out = append(out, u.key)
	}
	return out
}

// maxDiffUnits bounds the diff computation: beyond it, the diff only
// reports the first differing unit (the LCS table is quadratic).
const maxDiffUnits = 2000

// diff returns a compact diff of two texts, sentence by sentence, compared
// folded but shown as written: lines "- …" for sentences of want missing
// from got and "+ …" for sentences of got absent from want. The output is
// bounded to max bytes.
func diff(want, got string, max int) string {
	a, b := units(want), units(got)
	var lines []string
	if len(a) > maxDiffUnits || len(b) > maxDiffUnits {
		i := 0
		for i < len(a) && i < len(b) && a[i].key == b[i].key {
			i++
		}
		if i < len(a) {
			lines = append(lines, "- "+a[i].shown)
		}
		if i < len(b) {
			lines = append(lines, "+ "+b[i].shown)
		}
	} else {
		// Longest common subsequence, then walk it.
		n, m := len(a), len(b)
		lcs := make([][]int32, n+1)
		for i := range lcs {
			lcs[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if a[i].key == b[j].key {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max32(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && a[i].key == b[j].key:
				i++
				j++
			case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
				lines = append(lines, "- "+a[i].shown)
				i++
			default:
				lines = append(lines, "+ "+b[j].shown)
				j++
			}
		}
	}
	return bound(strings.Join(lines, "\n"), max)
}

func max32(a, b int32) int32 {
	if a > b {
		return a
	}
	return b
}

// bound cuts s to at most max bytes on a rune boundary, marking the cut.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - len(" […]")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + " […]"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// pathClean cleans a slash-separated relative path.
func pathClean(p string) string { return path.Clean(filepath.ToSlash(p)) }

// sentence is one sentence of a notice, with what it is read in: the
// recent headings of its section (a table's column headers count: they
// are short blocks like headings) and the lead-in sentence ending with
// ":" that introduces the list it belongs to. All but shown are folded.
type sentence struct {
	shown, key      string
	heading, leadIn string
	// title: the sentence is a heading-like block (a title, a table's
	// header cell); content sentences are preferred as quotes.
	title bool
}

// noticeDoc is a notice cut into sentences.
type noticeDoc struct{ sents []sentence }

// headingSep joins the recent headings a sentence is read with, the
// nearest last.
const headingSep = " | "

// maxHeadings is how many recent headings a sentence is read with: the
// section's heading and, in a table, its column headers.
const maxHeadings = 4

// Bounds of the reading of a notice's items: a notice is a few pages (a
// long ENT charter holds some 100 KiB of text); a hostile text is read up
// to these bounds, so that any accepted file is read in a few seconds.
const (
	// maxDocSentences bounds the sentences read in one notice.
	maxDocSentences = 2_000
	// maxItemText bounds the text read for the items.
	maxItemText = 512 << 10
	// maxSentence bounds a sentence (a "sentence" longer than this is
	// not prose: a list with no full stop, a dump).
	maxSentence = 2_000
)

// headingLineRe: a short block that starts like a title (a capital, a
// number, a roman numeral) and does not end like a sentence.
var (
	bulletRe      = regexp.MustCompile(`^\s*([•◦▪‣∙·*–—-]|o\s)\s*`)
	titleStartRe  = regexp.MustCompile(`^(\d+[.)-]?|[IVX]+[.)-]|[a-z][.)]\s)?\s*\p{Lu}`)
	sentenceEndRx = regexp.MustCompile(`[.;!?,:…]\s*$`)
)

// lineEndRx ends a paragraph of a PDF's text: a line ending a sentence
// or a lead-in.
var lineEndRx = regexp.MustCompile(`[.;!?:…]\s*$`)

func headingLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 160 || len(strings.Fields(s)) > 18 || sentenceEndRx.MatchString(s) {
		return false
	}
	if strings.Contains(s, "@") || strings.Contains(s, "://") {
		return false
	}
	return titleStartRe.MatchString(s)
}

// parseNotice cuts a notice's text into sentences read in context. Blocks
// are the HTML blocks (blockSep) or, in a PDF's text, lines joined into
// paragraphs (a line ending a sentence, a bullet or a title-like line
// starts a new one).
func parseNotice(text string) *noticeDoc {
	if len(text) > maxItemText {
		text = bound(text, maxItemText)
	}
	var blocks []string
	if strings.Contains(text, blockSep) {
		for _, b := range strings.Split(text, blockSep) {
			blocks = append(blocks, strings.Join(strings.Fields(b), " "))
		}
	} else {
		// A wrapped line of a paragraph can look like a title (it starts
		// with a capital and does not end a sentence): a title is also
		// clearly shorter than the page's full lines.
		lines := strings.Split(text, "\n")
		width := 0
		for i, l := range lines {
			lines[i] = strings.Join(strings.Fields(l), " ")
			if n := utf8.RuneCountInString(lines[i]); n > width {
				width = n
			}
		}
		var cur []string
		flush := func() {
			if len(cur) > 0 {
				blocks = append(blocks, doctext.JoinWrapped(cur))
				cur = nil
			}
		}
		for _, l := range lines {
			switch {
			case l == "":
				flush()
			case headingLike(l) && utf8.RuneCountInString(l)*10 < width*7:
				flush()
				blocks = append(blocks, l)
			case bulletRe.MatchString(l):
				flush()
				cur = append(cur, l)
			default:
				cur = append(cur, l)
			}
			// a comma at the end of a line does not end the paragraph
			// ("un droit d'accès,⏎de limitation…" is one sentence)
			if len(cur) > 0 && lineEndRx.MatchString(l) {
				flush()
			}
		}
		flush()
	}
	d := &noticeDoc{}
	var heads []string
	leadIn := ""
	for _, b := range blocks {
		b = strings.TrimSpace(bulletRe.ReplaceAllString(b, ""))
		if b == "" {
			continue
		}
		h := strings.Join(heads, headingSep)
		title := headingLike(b)
		for _, u := range units(b) {
			if len(d.sents) >= maxDocSentences {
				return d
			}
			if len(u.key) > maxSentence {
				u.shown, u.key = bound(u.shown, maxSentence), bound(u.key, maxSentence)
			}
			d.sents = append(d.sents, sentence{shown: u.shown, key: u.key, heading: h, leadIn: leadIn, title: title})
		}
		switch {
		case headingLike(b):
			if len(heads) == maxHeadings {
				heads = heads[1:]
			}
			heads = append(heads, fold(b))
			leadIn = ""
		case strings.HasSuffix(b, ":"):
			us := units(b)
			leadIn = us[len(us)-1].key
		}
	}
	return d
}

// announceRe is a sentence that announces what the notice says ("Notre
// politique de confidentialité décrit comment nous collectons…", "Vous
// êtes informés … des droits dont vous disposez"): it states no item.
var announceRe = regexp.MustCompile(`\bvous (etes|serez) informes?\b|\b(la presente|cette|notre|nos) (politique|charte|page|notice|mention|declaration|rubrique|information)s?\b[^.;:]{0,80}\b(decri\w*|expliqu\w*|present\w*|precis\w*|a pour (objet|objectif|but) de (decrire|vous informer|presenter|preciser|expliquer)|vise a|a vocation a)\b|\bthis (policy|notice|page|statement) (describes|explains|sets out|tells you)\b`)

// matches reports whether s satisfies r.
func (r rule) matches(s *sentence) bool {
	if announceRe.MatchString(s.key) {
		return false
	}
	if r.not != nil && (r.not.MatchString(s.key) || r.not.MatchString(s.leadIn)) {
		return false
	}
	if r.sent != nil && !r.sent.MatchString(s.key) {
		return false
	}
	if r.sent != nil && r.affirm && !affirmed(r.sent, s.key) {
		return false
	}
	if r.ctx != nil {
		switch {
		case r.heading:
			return r.ctx.MatchString(s.heading)
		case r.near:
			return r.ctx.MatchString(s.key) || r.ctx.MatchString(s.leadIn)
		case r.section:
			own := s.heading
			if i := strings.LastIndex(own, headingSep); i >= 0 {
				own = own[i+len(headingSep):]
			}
			return r.ctx.MatchString(s.key) || r.ctx.MatchString(s.leadIn) || r.ctx.MatchString(own)
		}
		return r.ctx.MatchString(s.key) || r.ctx.MatchString(s.heading) || r.ctx.MatchString(s.leadIn)
	}
	return true
}

// negationRe is a negation of French or English ("ne … pas", "n'est
// jamais", "ni … ni", "aucun", "not", "never").
var negationRe = regexp.MustCompile(`\bne\b|\bn'|\bni\b|\baucun\w*|\bjamais\b|\bnullement\b|\bnot\b|\bnever\b|\bno\b|\bn't\b`)

// clauseStartRe ends the clause before a match: a punctuation mark or a
// conjunction that opens another clause.
var clauseStartRe = regexp.MustCompile(`[,;:()]|\b(mais|sauf|excepte|hormis|but|except)\b`)

// affirmed reports whether one match of re in the folded sentence key is
// stated, not denied: no negation in its clause before it ("vos données
// ne sont ni vendues ni transmises à des tiers" denies a transmission;
// "les informations recueillies pour la gestion des comptes ne sont pas
// cédées" states a purpose, its negation comes after).
func affirmed(re *regexp.Regexp, key string) bool {
	for _, m := range re.FindAllStringIndex(key, 8) {
		from := m[0] - 60
		if from < 0 {
			from = 0
		}
		before := key[from:m[0]]
		if locs := clauseStartRe.FindAllStringIndex(before, -1); len(locs) > 0 {
			before = before[locs[len(locs)-1][1]:]
		}
		if !negationRe.MatchString(before) {
			return true
		}
	}
	return false
}

// find returns the first sentence of d that states it: a content
// sentence, else a title ("Finalités" over an empty section).
func (it item) find(d *noticeDoc) (sentence, bool) {
	if it.custom != nil {
		return it.custom(d)
	}
	for _, titles := range []bool{false, true} {
		for i := range d.sents {
			if d.sents[i].title != titles {
				continue
			}
			for _, r := range it.rules {
				if r.matches(&d.sents[i]) {
					return d.sents[i], true
				}
			}
		}
	}
	return sentence{}, false
}

// present reports whether the text holds the item (read as sentences).
// The page rules ask it for every item of the same text in turn: the
// last text read is kept.
func present(it item, text string) bool {
	lastDoc.Lock()
	if lastDoc.doc == nil || lastDoc.text != text {
		lastDoc.text, lastDoc.doc = text, parseNotice(text)
	}
	d := lastDoc.doc
	lastDoc.Unlock()
	_, ok := it.find(d)
	return ok
}

// lastDoc is the last text present read, and its sentences.
var lastDoc struct {
	sync.Mutex
	text string
	doc  *noticeDoc
}
