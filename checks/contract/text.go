package contract

import (
	"regexp"
	"strings"

	"github.com/sdetcheck/sdetcheck/internal/doctext"
)

// A contract is read as sentences in their context, as a lawyer reads it:
// each sentence with the headings of its section, the lead-in that
// introduces its list ("Le titulaire s'engage à :") and, for a table row,
// the table's header. A clause is then a statement found in one sentence
// (with its context), never a word found anywhere. Patterns are matched
// against folded text (no accents, lower case, one space), so "Délai",
// "delai" and "DÉLAI" are the same.

// fold normalises text for matching (doctext.Fold).
func fold(s string) string { return doctext.Fold(s) }

// sentence is one sentence of the contract with its context. All but
// shown are folded.
type sentence struct {
	shown, key string
	// heading is the section's headings, the nearest last, joined by
	// " | ".
	heading string
	// leadIn is the sentence ending with ":" that introduces the list
	// (or the table) the sentence belongs to.
	leadIn string
	// cols is a table row's header cells, in the order of cells; cells
	// are the row's own cells.
	cols, cells []string
	// section numbers the sections (a heading starts one); block numbers
	// the blocks.
	section, block int
	// title: the sentence is a heading.
	title bool
	// definition: the sentence defines a term (a definitions section,
	// "X : désigne…", "X means…") or is an entry of a table of
	// contents: it states nothing.
	definition bool
	// lead is the lead-in, as written, that the sentence continues: the
	// one of its list for a list item's first sentence, the head of its
	// paragraph ("Customer instructs Provider to Process…:") for an
	// element of a list run on in one paragraph.
	lead string
	// frag: the sentence is an element of a list run on in one
	// paragraph after the first ("(b) …;", "and (d) …"): a fragment, not
	// a sentence of its own.
	frag bool
}

// quoted is the sentence as the report quotes it: with the lead-in it
// continues, so that a list's element reads as the commitment it is.
func (s *sentence) quoted() string {
	if s.lead == "" || strings.HasPrefix(s.shown, s.lead) {
		return s.shown
	}
	return s.lead + " … " + s.shown
}

// maxLead bounds a lead-in added to a quote.
const maxLead = 400

var (
	// defHeadingRe: a definitions section.
	defHeadingRe = re(`(?:^|\| )(?:(?:article|section|clause|art\.)? ?[\d.]*\s*[:.)-]?\s*)?(?:definitions?|interpretation|definitions and interpretation|glossaire|terminologie)\s*(?:\{#[^}]*\}\s*)?$`)
	// tocHeadingRe: a table of contents, whose entries state nothing.
	tocHeadingRe = re(`^[^\p{L}]*(?:sommaire|table des matieres|contents|table of contents)\s*(?:\{#[^}]*\}\s*)?$`)
	// defSentRe: a sentence that defines a term.
	defSentRe = re(`^["*]*[^:;.]{1,60}?["*]* ?(?:designe\w*|s'entend\w*|means|shall mean|has the meaning|have the meanings?)\b`)
)

var (
	// revisionHeadingRe: the heading of a document's revision history.
	revisionHeadingRe = re(`^[^\p{L}]*(?:suivi des (?:modifications|versions|revisions)|historique (?:des )?(?:versions|modifications|revisions|du document)|(?:document )?(?:revision|version|change) history|change ?log|versions? du document)\b`)
	// revisionColRe: a column of a revision history besides its version
	// and date.
	revisionColRe = re(`^(?:action|actions|modifications?|objet|motif|nature|changes?|description|auteur|auteurs|redacteur|author|by|commentaires?|comments?)$`)
)

// revisionTable: a table of the document's versions (a "Version" and a
// "Date" column and one of the change or its author, or under a heading
// "Suivi des modifications").
func revisionTable(cols []string, heading string) bool {
	if h := heading; h != "" {
		if i := strings.LastIndex(h, " | "); i >= 0 {
			h = h[i+3:]
		}
		if revisionHeadingRe.MatchString(h) {
			return true
		}
	}
	version, date, other := false, false, false
	for _, c := range cols {
		switch c = strings.TrimSpace(c); {
		case c == "version" || c == "v." || c == "indice" || c == "revision":
			version = true
		case c == "date":
			date = true
		case revisionColRe.MatchString(c):
			other = true
		}
	}
	return version && date && other
}

// definitional reports a sentence that states nothing: one of a
// definitions section or of a table of contents, or one that defines a
// term.
func definitional(heading, key string) bool {
	for _, h := range strings.Split(heading, " | ") {
		if h = strings.TrimSpace(h); defHeadingRe.MatchString(h) || tocHeadingRe.MatchString(h) {
			return true
		}
	}
	return defSentRe.MatchString(key)
}

// ctx is the sentence's context: headings, lead-in and table header.
func (s *sentence) ctx() string {
	return s.heading + " | " + s.leadIn + " | " + strings.Join(s.cols, " | ")
}

// doc is a contract read as sentences.
type doc struct {
	sents []sentence
	// tables are the document's tables, each its rows in order.
	tables []table
	// lists are its list items, each run with its context.
	lists []list
	// paras are its paragraphs as written.
	paras []string
	// raw is the whole folded text (domains, e-mail addresses).
	raw string
	// procs are the sub-processors the contract lists, read once
	// (processors).
	procs                []subProcessor
	procsRead, procsNone bool
	// procsBlank is the first entry of a list of sub-processors left
	// blank (a model's "[À compléter]"), as written.
	procsBlank string
	// procRows are the rows of the tables of sub-processors.
	procRows map[string]bool
}

// table is one table of the document.
type table struct {
	heading, leadIn string
	rows            []doctext.Block
}

// list is a run of list items under a lead-in or a heading.
type list struct {
	heading, leadIn string
	items           []string // as written
}

// Bounds of the reading: a contract is some tens of pages.
const (
	maxSentences = 20_000
	maxSentence  = 4_000
	maxHeadings  = 3
)

var (
	// sentenceEndRe ends a sentence: a full stop, semicolon, question or
	// exclamation mark followed by white space and a capital, a digit, a
	// quote or a bullet, so that "art. 28" and "n° 12" stay whole; a
	// semicolon ends a list's element whatever follows.
	sentenceEndRe = regexp.MustCompile(`(?:[.!?](?:["»”)])?\s+(?:[\p{Lu}\d«"“(•-])|;\s+)`)
	// abbrevEndRe: the word before a full stop is an abbreviation.
	abbrevEndRe = regexp.MustCompile(`(?i)(?:\b(?:art|arts|cf|n|no|nos|p|pp|al|ex|etc|chap|sect|ss|mme|mm|m|me|dr|st|ste|vol|env|max|min|réf|ref|annexe|i\.e|e\.g|c\.-à-d|c\.à\.d|inc|ltd|corp|co)|\b[A-Z])\.\s*$`)
	// headingParaRe: a short paragraph that reads as a title ("Article
	// 5 – Sécurité", "3. Audits", "ANNEXE 2").
	headingParaRe = regexp.MustCompile(`(?i)^((article|art\.|annexe|chapitre|section|titre|partie|clause|appendice|schedule)\b.{0,120}|(\d+(\.\d+)*|[ivxlc]+)[.)-]?\s+\p{L}.{0,120})$`)
)

// split cuts a block's text into sentences.
func split(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		last := 0
		for _, m := range sentenceEndRe.FindAllStringIndex(line, -1) {
			end := m[0] + 1
			if line[m[0]] == ';' {
				end = m[0] + 1
			} else if abbrevEndRe.MatchString(line[last:end]) {
				continue
			}
			// the match ends on the next sentence's first character
			next := m[1] - 1
			for next > end && !utf8Start(line[next]) {
				next--
			}
			if s := strings.TrimSpace(line[last:end]); s != "" {
				out = append(out, s)
			}
			last = next
			if line[m[0]] == ';' {
				last = m[1]
			}
		}
		if s := strings.TrimSpace(line[last:]); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// titleLike: a short paragraph without a sentence's end that reads as a
// title.
func titleLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 160 || strings.ContainsAny(s, "@") {
		return false
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ";") || strings.HasSuffix(s, ",") {
		return false
	}
	return headingParaRe.MatchString(s) && len(strings.Fields(s)) <= 16
}

// columnRe tells a header cell: a short label.
func labelCell(s string) bool {
	return s != "" && len(s) < 80 && !strings.HasSuffix(s, ".") && len(strings.Fields(s)) <= 8
}

// itemLikeRe: a paragraph written as a list's element (a bullet, a letter
// or number and a bracket, a lower-case start).
var itemLikeRe = regexp.MustCompile(`^\s*([•◦▪‣∙·*–—-]|[a-z0-9]{1,2}[).]\s|\p{Ll})`)

// pushHeading adds a heading to the section's headings: one of a known
// level replaces those of its level and below; two headings of unknown
// level in a row ("Article 4", then "Article 5") replace each other; at
// most maxHeadings are kept, the nearest last.
func pushHeading(heads []string, levels []int, h string, lvl int) ([]string, []int) {
	if lvl > 0 {
		for len(heads) > 0 && levels[len(levels)-1] >= lvl {
			heads, levels = heads[:len(heads)-1], levels[:len(levels)-1]
		}
		for len(heads) > 0 && levels[len(levels)-1] == 0 {
			heads, levels = heads[:len(heads)-1], levels[:len(levels)-1]
		}
	} else if len(heads) > 0 && levels[len(levels)-1] == 0 {
		heads, levels = heads[:len(heads)-1], levels[:len(levels)-1]
	}
	heads, levels = append(heads, h), append(levels, lvl)
	if len(heads) > maxHeadings {
		heads, levels = heads[len(heads)-maxHeadings:], levels[len(levels)-maxHeadings:]
	}
	return heads, levels
}

// parse reads a document as sentences in context.
func parse(d *doctext.Doc) *doc {
	out := &doc{}
	var heads []string
	var levels []int
	leadIn, leadShown := "", ""
	section := 0
	var cols []string
	var curTable *table
	var curList *list
	var raw strings.Builder
	for _, b := range d.Blocks {
		raw.WriteString(b.Text)
		raw.WriteByte('\n')
	}
	out.raw = fold(raw.String())
	add := func(s sentence) bool {
		if len(out.sents) >= maxSentences {
			return false
		}
		if len(s.key) > maxSentence {
			s.shown, s.key = bound(s.shown, maxSentence), bound(s.key, maxSentence)
		}
		out.sents = append(out.sents, s)
		return true
	}
	for bi, b := range d.Blocks {
		heading := strings.Join(heads, " | ")
		if b.Kind != doctext.Row {
			cols, curTable = nil, nil
		}
		if b.Kind != doctext.Item && !(b.Kind == doctext.Para && leadIn != "" && curList != nil) {
			curList = nil
		}
		switch {
		case b.Kind == doctext.Heading || b.Kind == doctext.Para && titleLike(b.Text):
			section++
			heads, levels = pushHeading(heads, levels, fold(b.Text), b.Level)
			leadIn, leadShown = "", ""
			if !add(sentence{shown: b.Text, key: fold(b.Text), heading: heading, section: section, block: bi, title: true}) {
				return out
			}
			continue
		case b.Kind == doctext.Row:
			folded := make([]string, len(b.Cells))
			for i, c := range b.Cells {
				folded[i] = fold(c)
			}
			if curTable == nil || b.First {
				out.tables = append(out.tables, table{heading: heading, leadIn: leadIn})
				curTable = &out.tables[len(out.tables)-1]
				cols = nil
				// a header row: marked so, or a first row of labels
				labels := true
				for _, c := range b.Cells {
					if c != "" && !labelCell(c) {
						labels = false
					}
				}
				if b.Header || b.First && labels && len(b.Cells) > 1 {
					cols = folded
				}
			}
			curTable.rows = append(curTable.rows, b)
			if cols != nil && sameCells(cols, folded) {
				continue
			}
			// a row of the document's revision history states nothing
			// ("1.0 | 09/01/2026 | mise à jour référentiel HDS")
			revision := revisionTable(cols, heading)
			if !add(sentence{shown: b.Text, key: strings.Join(folded, " | "), heading: heading, leadIn: leadIn, cols: cols, cells: folded, section: section, block: bi, definition: revision}) {
				return out
			}
			continue
		case b.Kind == doctext.Para && leadIn != "" && (strings.HasSuffix(strings.TrimSpace(b.Text), ";") || curList != nil && len(b.Text) < 300):
			// a paragraph under a lead-in, ended by ";" (a list whose
			// bullets a PDF drew as images): an item of the list
			b.Kind = doctext.Item
			if curList == nil {
				out.lists = append(out.lists, list{heading: heading, leadIn: leadIn})
				curList = &out.lists[len(out.lists)-1]
			}
			curList.items = append(curList.items, b.Text)
		case b.Kind == doctext.Para:
			out.paras = append(out.paras, b.Text)
		case b.Kind == doctext.Item:
			if curList == nil {
				out.lists = append(out.lists, list{heading: heading, leadIn: leadIn})
				curList = &out.lists[len(out.lists)-1]
			}
			curList.items = append(curList.items, b.Text)
		}
		// a list run on in one paragraph ("…Data: (a) …; (b) …; and
		// (d) …."): its elements after the first are fragments that
		// continue the head of the run
		runHead, inRun := "", false
		for si, s := range split(b.Text) {
			k := fold(s)
			// "Audit Rights. Provider will…": the clause's own title,
			// set in bold at the head of its paragraph, is a heading
			// (it commits to nothing), not a sentence
			sent := sentence{shown: s, key: k, heading: heading, leadIn: leadIn, section: section, block: bi, definition: definitional(heading, k), title: si == 0 && inlineTitle(s, b.Text)}
			switch {
			case inRun:
				sent.frag, sent.lead = true, runHead
			case si == 0 && leadShown != "" && (b.Kind == doctext.Item || itemLikeRe.MatchString(b.Text)):
				sent.lead = leadShown
			}
			if strings.HasSuffix(s, ";") {
				if !inRun {
					runHead = ""
					if i := strings.LastIndex(s, ":"); i > 0 && i < maxLead {
						runHead = strings.TrimSpace(s[:i+1])
					}
				}
				inRun = true
			} else {
				inRun = false
			}
			if !add(sent) {
				return out
			}
		}
		switch {
		case strings.HasSuffix(strings.TrimSpace(b.Text), ":"):
			if us := split(b.Text); len(us) > 0 {
				leadIn = fold(us[len(us)-1])
				leadShown = ""
				// a label ("Contact direct :") announces, it is no
				// lead-in a quote needs
				if len(us[len(us)-1]) <= maxLead && (verbRe.MatchString(leadIn) || len(strings.Fields(leadIn)) > 3) {
					leadShown = us[len(us)-1]
				}
			}
		case b.Kind == doctext.Para && !itemLikeRe.MatchString(b.Text):
			// a paragraph ends the list a lead-in introduced (but a
			// paragraph written as a list element: "- traiter…", "a)")
			leadIn, leadShown = "", ""
		}
	}
	return out
}

// verbRe: a word that makes a phrase a statement: an auxiliary, a
// modal, a verb of commitment, a French finite ending after a pronoun.
var verbRe = re(`\b(?:est|sont|sera|seront|serait|etre|a|ont|aura|auront|doit|doivent|devra|devront|peut|peuvent|pourra|pourront|s'engage\w*|s'oblige\w*|s'interdit|garanti(?:t|ssent)|assure\w*|veille\w*|met|mettent|prend|prennent|fait|font|is|are|was|were|be|has|have|shall|will|must|may|can|could|should|would|does|do|agrees?|warrants?|undertakes?|acknowledges?)\b|\b(?:il|elle|ils|elles|on|nous|vous|we|it|they)\b`)

// inlineTitle: the first sentence of a paragraph is its title when it
// is a few words without a verb and the paragraph goes on ("Processing
// Instructions. Customer instructs…", "Droits d'audit. Le
// Fournisseur…").
func inlineTitle(first, para string) bool {
	rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(para), first))
	if rest == "" || len(strings.Fields(first)) > 8 || strings.ContainsAny(first, ",;:") {
		return false
	}
	if !strings.HasSuffix(first, ".") {
		return false
	}
	return !verbRe.MatchString(fold(first))
}

func sameCells(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// bound cuts s to at most max bytes on a rune boundary.
func bound(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + " …"
}
