package speech

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Hit is one forbidden expression found in a text.
//
// Start and End are character (rune) offsets into the original text, counted from the start of
// the whole text (not of the line); End is exclusive, so []rune(text)[Start:End] is Text. Text is
// the original substring, including any spaces or punctuation inserted inside the phrase and the
// original Traditional or full-width characters.
type Hit struct {
	Line       int      `json:"line"` // 1-based
	Start      int      `json:"start"`
	End        int      `json:"end"`
	Text       string   `json:"text"`
	Category   Category `json:"category"`
	Severity   Severity `json:"severity"`
	Suggestion string   `json:"suggestion"`
	RuleID     string   `json:"rule_id"`
}

// Input errors. Check returns ErrEmptyText for "" and an *InputError wrapping ErrInvalidUTF8 for
// text that is not UTF-8; both can be tested with errors.Is.
var (
	ErrEmptyText   = errors.New("speech: empty text")
	ErrInvalidUTF8 = errors.New("speech: text is not valid UTF-8")
)

// InputError says where in the text a problem was found.
type InputError struct {
	Line       int // 1-based
	ByteOffset int
	Err        error
}

func (e *InputError) Error() string {
	return fmt.Sprintf("%v (line %d, byte offset %d)", e.Err, e.Line, e.ByteOffset)
}

func (e *InputError) Unwrap() error { return e.Err }

// keyInfo describes one distinct folded pattern: the rules that use it as a word or exception.
type keyInfo struct {
	runes      int32
	asciiStart bool // first rune is an ASCII letter or digit: needs a word boundary before
	asciiEnd   bool
	entries    []keyEntry
}

type keyEntry struct {
	rule      int32
	exception bool
	pat       int32 // -1, or the multi-part pattern (index into Checker.pats) this key is a part of
	part      int32
}

// ruleInfo is what the scanner needs of a rule beyond its words.
type ruleInfo struct {
	substring     bool
	notInQuestion bool
	notAfter      [][]uint16 // folded
}

// patInfo is a pattern with gaps: its rule and number of parts.
type patInfo struct {
	rule  int32
	parts int32
}

// Checker finds forbidden expressions. It is immutable after Compile and safe for concurrent use.
type Checker struct {
	rules []Rule
	class []uint16 // BMP rune → class (clsOther.. or a symbol ≥ firstSymbol)
	supp  map[rune]uint16
	ac    *automaton
	keys  []keyInfo
	info  []ruleInfo
	pats  []patInfo
	dict  *dictionary
}

// ringSize bounds the phrase length (it must be at least MaxWordRunes and a power of two): the
// scanner remembers where the last ringSize symbols started.
const ringSize = 64

// Compile validates rs and builds its matcher.
func Compile(rs RuleSet) (*Checker, error) {
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	initFold()
	c := &Checker{rules: slices.Clone(rs.Rules), supp: map[rune]uint16{}}
	symOf := map[rune]uint16{}
	keyIndex := map[string]int32{}
	var keySyms [][]uint16
	addKey := func(w string, e keyEntry) error {
		k, err := patternKey(w)
		if err != nil {
			return err
		}
		idx, ok := keyIndex[k]
		if !ok {
			var syms []uint16
			for _, r := range k {
				s, ok := symOf[r]
				if !ok {
					if len(symOf)+firstSymbol > 0xFFFF {
						return errors.New("speech: too many distinct characters in the rule set")
					}
					s = uint16(len(symOf) + firstSymbol)
					symOf[r] = s
				}
				syms = append(syms, s)
			}
			first, _ := utf8.DecodeRuneInString(k)
			last, _ := utf8.DecodeLastRuneInString(k)
			idx = int32(len(c.keys))
			keyIndex[k] = idx
			keySyms = append(keySyms, syms)
			c.keys = append(c.keys, keyInfo{runes: int32(len(syms)), asciiStart: isASCIIAlnum(first), asciiEnd: isASCIIAlnum(last)})
		}
		if !slices.Contains(c.keys[idx].entries, e) {
			c.keys[idx].entries = append(c.keys[idx].entries, e)
		}
		return nil
	}
	c.dict = segmenter()
	c.info = make([]ruleInfo, len(c.rules))
	for i, r := range c.rules {
		c.info[i] = ruleInfo{substring: r.Match == MatchSubstring, notInQuestion: r.NotInQuestion}
		for _, w := range r.NotAfter {
			k, _ := patternKey(w)
			var u []uint16
			for _, ch := range k {
				u = append(u, uint16(min(ch, 0xFFFF)))
			}
			c.info[i].notAfter = append(c.info[i].notAfter, u)
		}
		for _, w := range r.Words {
			if err := addKey(w, keyEntry{rule: int32(i), pat: -1}); err != nil {
				return nil, err
			}
		}
		for _, p := range r.Patterns {
			parts, err := parsePattern(p)
			if err != nil {
				return nil, err
			}
			pat := int32(-1)
			if len(parts) > 1 {
				pat = int32(len(c.pats))
				c.pats = append(c.pats, patInfo{rule: int32(i), parts: int32(len(parts))})
			}
			for j, part := range parts {
				for _, k := range part {
					if err := addKey(k, keyEntry{rule: int32(i), pat: pat, part: int32(j)}); err != nil {
						return nil, err
					}
				}
			}
		}
		for _, w := range r.Exceptions {
			if err := addKey(w, keyEntry{rule: int32(i), exception: true, pat: -1}); err != nil {
				return nil, err
			}
		}
	}

	dense := make([]uint16, 0x10000)
	for r, s := range symOf {
		if r < 0x10000 {
			dense[r] = s
		}
	}
	c.class = make([]uint16, 0x10000)
	for r := range c.class {
		f := foldTable[r]
		switch {
		case f < 0x10000 && dense[f] != 0:
			c.class[r] = dense[f]
		case f >= 0x10000 && symOf[f] != 0:
			c.class[r] = symOf[f]
		default:
			c.class[r] = uint16(kindTable[r])
		}
	}
	for r, s := range symOf {
		if r >= 0x10000 {
			c.supp[r] = s
		}
	}
	c.ac = buildAutomaton(keySyms, len(symOf)+firstSymbol)
	return c, nil
}

// runeClass is the class of any rune; the scanner inlines the BMP case.
func (c *Checker) runeClass(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		return c.class[r]
	}
	return c.classOf(r)
}

// classOf is the slow path for runes outside the BMP.
func (c *Checker) classOf(r rune) uint16 {
	f := fold(r)
	if s, ok := c.supp[f]; ok {
		return s
	}
	return uint16(kindOf(f))
}

// SizeBytes is the memory held by the compiled tables (class table, automaton, key table),
// not counting the rules themselves nor the word dictionary, which all checkers share (see
// DictionaryBytes).
func (c *Checker) SizeBytes() int {
	n := len(c.class)*2 + c.ac.sizeBytes() + len(c.supp)*16
	for _, k := range c.keys {
		n += 16 + 8*len(k.entries)
	}
	return n
}

// DictionaryBytes is the memory held by the word dictionary, loaded once per process.
func DictionaryBytes() int { return segmenter().sizeBytes() }

// Rules returns the rules the checker was compiled from.
func (c *Checker) Rules() []Rule { return slices.Clone(c.rules) }

// Check finds the forbidden expressions in a transcript or text.
//
// Speaker labels: a line that begins with a label and a colon (":" or "："), such as "窗口：" or
// "客户:", belongs to that speaker; clerk labels are 窗口, 窗口人员, 工作人员, 坐席, 柜员 and
// "clerk", citizen labels 群众, 办事群众, 来访者, 客户, 市民 and "citizen" (Traditional spellings
// too; a number or a bracketed name may follow, as in "窗口3号：" or "工作人员（张三）："). Only
// the clerk's lines are checked. A line without a label continues the previous speaker, so a
// long utterance may span lines; lines before the first label, and a text without labels, are
// the clerk's.
//
// Matching: rules are compared after folding full-width to half-width, case and Traditional to
// Simplified. Up to maxGap spaces, punctuation marks or symbols inside a phrase are skipped
// ("我 不 知道", "不-可-能"), but a phrase never runs across a line break or a sentence end (。！？;).
// A hit must begin and end on word boundaries of the text unless its rule matches substrings
// (see the package documentation); a hit inside one of its rule's exceptions ("保证金") or ruled
// out by its context (NotAfter, NotInQuestion) is dropped. Where hits overlap, the longest wins
// (then the leftmost), so "不可能" is one hit and not also "可能". A hit of a pattern with gaps
// spans its first to its last part. Hits come in text order.
//
// An empty text gives ErrEmptyText; text that is not valid UTF-8 gives an *InputError.
func (c *Checker) Check(text string) ([]Hit, error) {
	return c.scan(text, true)
}

// CheckPlain is Check without speaker labels: every line is checked. Use it for written
// replies and exam answers, where "客户：" is just text.
func (c *Checker) CheckPlain(text string) ([]Hit, error) {
	return c.scan(text, false)
}

// ClerkLines counts the lines of a transcript that Check reads as the clerk's, by the same speaker
// labels: a line without a label continues the previous speaker, lines before the first label
// are the clerk's. Blank lines and lines holding only a label do not count. It is the measure
// statistics divide hits by.
func ClerkLines(text string) int {
	n := 0
	clerk := true
	for line := range strings.Lines(text) {
		sp, skip := parseLabel(line)
		if sp != speakerNone {
			clerk = sp == speakerClerk
		}
		if clerk && strings.TrimFunc(line[skip:], isLabelSpace) != "" {
			n++
		}
	}
	return n
}

// cand is a pattern occurrence waiting for overlap and exception resolution.
type cand struct {
	start, end   int // rune offsets
	bstart, bend int // byte offsets
	line         int
	rule         int32
	runes        int32
	exception    bool
	spans        int32 // for a pattern with gaps: index into scanner.spans of its parts, else -1
	nspans       int32
}

type position struct{ r, b int }

// partOcc is an occurrence of one part of a pattern with gaps.
type partOcc struct {
	pat, part    int32
	start, end   int
	bstart, bend int
}

type span struct{ start, end, bstart, bend int }

type scanner struct {
	c       *Checker
	text    string
	hits    []Hit
	cluster []cand
	covered []bool
	occ     []partOcc // parts of patterns with gaps seen in the current sentence
	spans   []span
	seg     segScratch
}

func (c *Checker) scan(text string, labels bool) ([]Hit, error) {
	if len(text) == 0 {
		return nil, ErrEmptyText
	}
	sc := scanner{c: c, text: text}
	var ring [ringSize]position
	var (
		class   = c.class
		nodes   = c.ac.nodes
		state   int32
		n       int // symbols pushed into ring
		gap     int
		line    = 1
		ri      int // rune index of text[i]
		clerk   = true
		newLine = true
	)
	for i := 0; i < len(text); {
		if newLine {
			newLine = false
			if labels {
				sp, skip := parseLabel(text[i:])
				if sp != speakerNone {
					clerk = sp == speakerClerk
				}
				if !clerk {
					j := strings.IndexByte(text[i:], '\n')
					if j < 0 {
						j = len(text) - i
					}
					if err := validUTF8(text, i, i+j, line); err != nil {
						return nil, err
					}
					ri += utf8.RuneCountInString(text[i : i+j])
					i += j
					if i == len(text) {
						break
					}
				} else if skip > 0 {
					ri += utf8.RuneCountInString(text[i : i+skip])
					i += skip
					if i == len(text) {
						break
					}
				}
			}
		}

		var cls uint16
		size := 1
		if b := text[i]; b < utf8.RuneSelf {
			cls = class[b]
		} else if b&0xF0 == 0xE0 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 &&
			(b != 0xE0 || text[i+1] >= 0xA0) && (b != 0xED || text[i+1] < 0xA0) {
			// Three-byte form (all of CJK), decoded inline: the checks above reject overlong
			// forms and surrogates exactly as utf8.DecodeRuneInString does.
			cls = class[rune(b&0x0F)<<12|rune(text[i+1]&0x3F)<<6|rune(text[i+2]&0x3F)]
			size = 3
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, &InputError{Line: line, ByteOffset: i, Err: ErrInvalidUTF8}
			}
			if r < 0x10000 {
				cls = class[r]
			} else {
				cls = c.classOf(r)
			}
		}

		if cls >= firstSymbol {
			state = c.ac.next(state, cls)
			ring[n&(ringSize-1)] = position{ri, i}
			n++
			gap = 0
			if o := nodes[state].out; o >= 0 {
				sc.emit(o, &ring, n, ri+1, i+size, line)
			}
		} else {
			if state != 0 {
				if cls == clsSoft && gap < maxGap {
					gap++
				} else {
					state = 0
				}
			}
			if cls == clsHard || cls == clsNewline {
				// Candidates are resolved a sentence at a time: a pattern with gaps may still
				// reach back to its first part until the sentence ends.
				sc.endSentence()
			}
			if cls == clsNewline {
				line++
				newLine = true
			}
		}
		i += size
		ri++
	}
	sc.endSentence()
	return sc.hits, nil
}

func (sc *scanner) endSentence() {
	if len(sc.cluster) > 0 {
		sc.flush()
	}
	sc.occ = sc.occ[:0]
	sc.spans = sc.spans[:0]
}

func validUTF8(text string, from, to, line int) error {
	s := text[from:to]
	if utf8.ValidString(s) {
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return &InputError{Line: line, ByteOffset: from + i, Err: ErrInvalidUTF8}
		}
		i += size
	}
	return nil
}

// emit records every key ending at the current symbol: the state's own and those along its
// output links. end and bend are the rune and byte offsets just past the symbol.
func (sc *scanner) emit(o int32, ring *[ringSize]position, n, end, bend, line int) {
	nodes := sc.c.ac.nodes
	for ; o >= 0; o = nodes[nodes[o].fail].out {
		k := &sc.c.keys[nodes[o].key]
		start := ring[(n-int(k.runes))&(ringSize-1)]
		if k.asciiStart && start.b > 0 {
			r, _ := utf8.DecodeLastRuneInString(sc.text[:start.b])
			if isASCIIAlnum(fold(r)) {
				continue
			}
		}
		if k.asciiEnd && bend < len(sc.text) {
			r, _ := utf8.DecodeRuneInString(sc.text[bend:])
			if isASCIIAlnum(fold(r)) {
				continue
			}
		}
		for _, e := range k.entries {
			if e.pat >= 0 {
				sc.part(e, span{start.r, end, start.b, bend}, line)
				continue
			}
			sc.cluster = append(sc.cluster, cand{
				start: start.r, end: end, bstart: start.b, bend: bend, line: line,
				rule: e.rule, runes: k.runes, exception: e.exception, spans: -1,
			})
		}
	}
}

// part records an occurrence of a part of a pattern with gaps; the last part completes the
// pattern with the nearest earlier occurrences of the others, each ending at most maxGapRunes
// characters before the next begins.
func (sc *scanner) part(e keyEntry, at span, line int) {
	p := sc.c.pats[e.pat]
	if e.part < p.parts-1 {
		if len(sc.occ) >= 256 {
			// Only occurrences that end within reach of a later part can still be used.
			keep := sc.occ[:0]
			for _, o := range sc.occ {
				if o.end >= at.end-ringSize-maxGapRunes {
					keep = append(keep, o)
				}
			}
			sc.occ = keep
		}
		sc.occ = append(sc.occ, partOcc{e.pat, e.part, at.start, at.end, at.bstart, at.bend})
		return
	}
	chain := make([]span, p.parts)
	chain[p.parts-1] = at
	for j := p.parts - 2; j >= 0; j-- {
		next := chain[j+1]
		best := -1
		for i, o := range sc.occ {
			if o.pat != e.pat || o.part != int32(j) || o.end > next.start || next.start-o.end > maxGapRunes {
				continue
			}
			if b := best; b < 0 || o.end > sc.occ[b].end || (o.end == sc.occ[b].end && o.start > sc.occ[b].start) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		o := sc.occ[best]
		chain[j] = span{o.start, o.end, o.bstart, o.bend}
	}
	idx := int32(len(sc.spans))
	sc.spans = append(sc.spans, chain...)
	sc.cluster = append(sc.cluster, cand{
		start: chain[0].start, end: at.end, bstart: chain[0].bstart, bend: at.bend, line: line,
		rule: p.rule, runes: int32(at.end - chain[0].start), spans: idx, nspans: p.parts,
	})
}

// flush resolves the candidates of a sentence: exceptions drop the hits of their rule they cover,
// context (word boundaries, NotAfter, NotInQuestion) drops others, then the longest (then
// leftmost) of overlapping hits wins.
func (sc *scanner) flush() {
	cl := sc.cluster
	sc.cluster = sc.cluster[:0]

	var excs []cand
	for _, x := range cl {
		if x.exception {
			excs = append(excs, x)
		}
	}
	kept := cl[:0]
	for _, x := range cl {
		if x.exception || covered(excs, x) {
			continue
		}
		kept = append(kept, x)
	}
	switch len(kept) {
	case 0:
		return
	case 1:
		if sc.accept(&kept[0]) {
			sc.hits = append(sc.hits, sc.hit(kept[0]))
		}
		return
	}
	slices.SortFunc(kept, func(a, b cand) int {
		if a.runes != b.runes {
			return int(b.runes - a.runes)
		}
		if a.start != b.start {
			return a.start - b.start
		}
		return int(a.rule - b.rule)
	})
	lo, hi := kept[0].start, kept[0].end
	for _, x := range kept {
		lo, hi = min(lo, x.start), max(hi, x.end)
	}
	if cap(sc.covered) < hi-lo {
		sc.covered = make([]bool, hi-lo)
	}
	cov := sc.covered[:hi-lo]
	clear(cov)
	// Context is checked only for a candidate that would win its place: a shorter one inside a
	// longer hit is never cut into words.
	picked := kept[:0]
	for _, x := range kept {
		if slices.Contains(cov[x.start-lo:x.end-lo], true) || !sc.accept(&x) {
			continue
		}
		for j := x.start; j < x.end; j++ {
			cov[j-lo] = true
		}
		picked = append(picked, x)
	}
	slices.SortFunc(picked, func(a, b cand) int { return a.start - b.start })
	for _, x := range picked {
		sc.hits = append(sc.hits, sc.hit(x))
	}
}

func covered(excs []cand, x cand) bool {
	for _, e := range excs {
		if e.rule == x.rule && e.start <= x.start && x.end <= e.end {
			return true
		}
	}
	return false
}

func (sc *scanner) hit(x cand) Hit {
	r := &sc.c.rules[x.rule]
	return Hit{
		Line: x.line, Start: x.start, End: x.end, Text: sc.text[x.bstart:x.bend],
		Category: r.Category, Severity: r.Severity, Suggestion: r.Suggestion, RuleID: r.ID,
	}
}

type speaker int8

const (
	speakerNone speaker = iota
	speakerClerk
	speakerCitizen
)

// Speaker labels, folded (Simplified, lower case).
var speakerLabels = []struct {
	word string
	who  speaker
}{
	{"窗口", speakerClerk}, {"窗口人员", speakerClerk}, {"工作人员", speakerClerk}, {"坐席", speakerClerk},
	{"柜员", speakerClerk}, {"clerk", speakerClerk},
	{"群众", speakerCitizen}, {"办事群众", speakerCitizen}, {"来访者", speakerCitizen}, {"客户", speakerCitizen},
	{"市民", speakerCitizen}, {"citizen", speakerCitizen},
}

// lookupLabel finds s among the speaker labels, comparing folded runes without allocating:
// it runs once per line of a transcript.
func lookupLabel(s string) speaker {
	for _, l := range speakerLabels {
		if foldedEqual(s, l.word) {
			return l.who
		}
	}
	return speakerNone
}

func foldedEqual(s, folded string) bool {
	for _, r := range s {
		f, n := utf8.DecodeRuneInString(folded)
		if n == 0 || fold(r) != f {
			return false
		}
		folded = folded[n:]
	}
	return folded == ""
}

// maxLabelBytes bounds how far into a line a label's colon may be.
const maxLabelBytes = 64

// parseLabel reads a speaker label at the start of line. It returns the speaker and the length in
// bytes of the label including its colon, or speakerNone and 0.
func parseLabel(line string) (speaker, int) {
	for j := 0; j < len(line) && j < maxLabelBytes; j++ {
		switch line[j] {
		case '\n':
			return speakerNone, 0
		case ':':
			return labelEnd(line[:j], j+1)
		case 0xEF: // lead byte of "：" (U+FF1A)
			if strings.HasPrefix(line[j:], "：") {
				return labelEnd(line[:j], j+len("："))
			}
		}
	}
	return speakerNone, 0
}

func labelEnd(prefix string, end int) (speaker, int) {
	if sp := labelSpeaker(prefix); sp != speakerNone {
		return sp, end
	}
	return speakerNone, 0
}

// labelSpeaker decides whether prefix (the text before a colon) is a speaker label: a label word
// optionally followed by a number ("窗口3号", "柜员 A") or a bracketed name ("工作人员（张三）").
func labelSpeaker(prefix string) speaker {
	if !utf8.ValidString(prefix) {
		return speakerNone
	}
	s := strings.TrimFunc(prefix, isLabelSpace)
	if strings.HasSuffix(s, ")") || strings.HasSuffix(s, "）") || strings.HasSuffix(s, "]") || strings.HasSuffix(s, "】") {
		if i := strings.LastIndexAny(s, "(（[【"); i > 0 {
			s = strings.TrimRightFunc(s[:i], isLabelSpace)
		}
	}
	if sp := lookupLabel(s); sp != speakerNone {
		return sp
	}
	// "窗口3号", "窗口 #2", "柜员-07": drop a trailing number.
	s = strings.TrimRightFunc(s, func(r rune) bool {
		f := fold(r)
		return f >= '0' && f <= '9' || isLabelSpace(r) || strings.ContainsRune("#号-_.", f)
	})
	if sp := lookupLabel(s); sp != speakerNone {
		return sp
	}
	// "柜员 A", "clerk B": drop a trailing Latin name or letter.
	if i := strings.LastIndexFunc(s, isLabelSpace); i > 0 {
		if sp := lookupLabel(strings.TrimRightFunc(s[:i], isLabelSpace)); sp != speakerNone {
			return sp
		}
	}
	return speakerNone
}

func isLabelSpace(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' }
