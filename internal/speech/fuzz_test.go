package speech

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// referenceCheck is a slow, obviously-correct matcher used to cross-check the automaton: it cuts
// each clerk line into runs of symbols (breaking where the automaton restarts) and tries every
// key at every position.
func referenceCheck(c *Checker, text string, labels bool) ([]Hit, error) {
	if text == "" {
		return nil, ErrEmptyText
	}
	if !utf8.ValidString(text) {
		return nil, ErrInvalidUTF8
	}
	type tok struct {
		r, b, size int
		sym        uint16
	}
	// Number the keys the way Compile does: rule by rule, words, pattern spellings, exceptions,
	// first use wins.
	keyOf := map[string]int32{}
	for _, r := range c.rules {
		all := slices.Clone(r.Words)
		for _, p := range r.Patterns {
			parts, _ := parsePattern(p)
			for _, part := range parts {
				all = append(all, part...)
			}
		}
		for _, w := range append(all, r.Exceptions...) {
			k, _ := patternKey(w)
			if _, ok := keyOf[symString(c, k)]; !ok {
				keyOf[symString(c, k)] = int32(len(keyOf))
			}
		}
	}
	sc := scanner{c: c, text: text}
	var occs []partOcc
	// endSentence completes the patterns with gaps: for each occurrence of a last part, the
	// nearest (latest ending, then shortest) earlier occurrence of each part before it within
	// maxGapRunes; then the sentence's candidates are resolved.
	endSentence := func(lineNo int) {
		for _, last := range occs {
			p := c.pats[last.pat]
			if last.part != p.parts-1 {
				continue
			}
			chain := []partOcc{last}
			for j := p.parts - 2; j >= 0; j-- {
				next := chain[0]
				var best *partOcc
				for i := range occs {
					o := &occs[i]
					if o.pat == last.pat && o.part == j && o.end <= next.start && next.start-o.end <= maxGapRunes &&
						(best == nil || o.end > best.end || o.end == best.end && o.start > best.start) {
						best = o
					}
				}
				if best == nil {
					chain = nil
					break
				}
				chain = append([]partOcc{*best}, chain...)
			}
			if chain == nil {
				continue
			}
			idx := int32(len(sc.spans))
			for _, o := range chain {
				sc.spans = append(sc.spans, span{o.start, o.end, o.bstart, o.bend})
			}
			sc.cluster = append(sc.cluster, cand{start: chain[0].start, end: last.end, bstart: chain[0].bstart,
				bend: last.bend, line: lineNo, rule: p.rule, runes: int32(last.end - chain[0].start), spans: idx, nspans: p.parts})
		}
		sc.endSentence()
		occs = occs[:0]
	}
	clerk := true
	ri, off := 0, 0
	for n, line := range strings.SplitAfter(text, "\n") {
		lineNo := n + 1
		content, contentOff := line, off
		if labels {
			sp, skip := parseLabel(line)
			if sp != speakerNone {
				clerk = sp == speakerClerk
			}
			if clerk && skip > 0 {
				content, contentOff = line[skip:], off+skip
			}
		}
		r0 := ri + utf8.RuneCountInString(line[:len(line)-len(content)])
		if clerk {
			// Split into segments the way the scanner resets.
			var seg []tok
			gap := 0
			flushSeg := func() {
				for i := range seg {
					for j := i + 1; j <= len(seg) && j-i <= MaxWordRunes; j++ {
						var b strings.Builder
						for _, t := range seg[i:j] {
							b.WriteRune(rune(t.sym))
						}
						k, ok := keyOf[b.String()]
						if !ok {
							continue
						}
						ki := &c.keys[k]
						start, end := seg[i], seg[j-1]
						if ki.asciiStart && start.b > 0 {
							r, _ := utf8.DecodeLastRuneInString(text[:start.b])
							if isASCIIAlnum(fold(r)) {
								continue
							}
						}
						if ki.asciiEnd && end.b+end.size < len(text) {
							r, _ := utf8.DecodeRuneInString(text[end.b+end.size:])
							if isASCIIAlnum(fold(r)) {
								continue
							}
						}
						for _, e := range ki.entries {
							if e.pat >= 0 {
								occs = append(occs, partOcc{e.pat, e.part, start.r, end.r + 1, start.b, end.b + end.size})
								continue
							}
							sc.cluster = append(sc.cluster, cand{start: start.r, end: end.r + 1, bstart: start.b,
								bend: end.b + end.size, line: lineNo, rule: e.rule, runes: ki.runes, exception: e.exception, spans: -1})
						}
					}
				}
				seg, gap = seg[:0], 0
			}
			r := r0
			for i, ch := range content {
				cls := c.runeClass(ch)
				switch {
				case cls >= firstSymbol:
					seg = append(seg, tok{r: r, b: contentOff + i, size: utf8.RuneLen(ch), sym: cls})
					gap = 0
				case cls == clsSoft && len(seg) > 0 && gap < maxGap:
					gap++
				case cls == clsSoft && len(seg) == 0:
				default:
					flushSeg()
					if cls == clsHard || cls == clsNewline {
						endSentence(lineNo)
					}
				}
				r++
			}
			flushSeg()
			endSentence(lineNo)
		}
		ri += utf8.RuneCountInString(line)
		off += len(line)
	}
	return sc.hits, nil
}

// symString spells a folded key as runes equal to its symbols, for map lookups.
func symString(c *Checker, key string) string {
	var b strings.Builder
	for _, r := range key {
		b.WriteRune(rune(c.runeClass(r)))
	}
	return b.String()
}

var overlapRules = RuleSet{Rules: []Rule{
	{ID: "a", Category: Vague, Words: []string{"甲乙"}, Severity: Low, Suggestion: "x"},
	{ID: "b", Category: Vague, Words: []string{"乙丙"}, Severity: Low, Suggestion: "x", Exceptions: []string{"乙丙丙"}},
	{ID: "c", Category: Negative, Words: []string{"甲乙丙丁"}, Severity: High, Suggestion: "x"},
	{ID: "d", Category: Jargon, Words: []string{"乙", "a1"}, Severity: Medium, Suggestion: "x", Exceptions: []string{"丁乙", "乙乙乙"}},
	{ID: "e", Category: Overpromise, Words: []string{"丙丁甲"}, Severity: Low, Suggestion: "x"},
	// Patterns: gaps, optional words, word classes, and the context fields.
	{ID: "f", Category: Colloquial, Patterns: []string{"甲(乙)?…丁", "戊…己…(戊|甲)"}, Severity: Low, Suggestion: "x"},
	{ID: "g", Category: Uncivil, Words: []string{"己庚"}, Patterns: []string{"(庚|辛)己"}, Match: MatchSubstring,
		NotAfter: []string{"甲"}, NotInQuestion: true, Severity: High, Suggestion: "x"},
	{ID: "h", Category: Vague, Patterns: []string{"可(能|以)"}, NotAfter: []string{"不"}, Severity: Low, Suggestion: "x",
		Exceptions: []string{"可能性"}},
}}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"我不知道", "這不是我負責的，妳錯了", "不 可 能", "保证金我保证", "客户：可能\n窗口：也许", "\xff", "",
		"甲乙丙丁乙丙丙丁乙乙乙", "甲 乙,丙 丁", "a1 ba1 a1b", "窗口3号：甲乙\n客户：乙", "甲乙丙。丁甲",
		"甲乙戊丁", "甲，我们丁", "戊己戊己甲", "甲辛己庚？", "辛己庚。", "不可以可能性", "可能，可以吗？",
		"施工单位可不可以", "甲戊丙丁己辛己甲",
	} {
		f.Add(s)
	}
	if data, err := os.ReadFile("testdata/labelled.tsv"); err == nil {
		for i, l := range strings.Split(string(data), "\n") {
			if _, text, ok := strings.Cut(l, "\t"); ok && i%7 == 0 {
				f.Add(text)
			}
		}
	}
	def, err := Compile(Default())
	if err != nil {
		f.Fatal(err)
	}
	small, err := Compile(overlapRules)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, c := range []*Checker{def, small} {
			for _, labels := range []bool{true, false} {
				hits, err := c.scan(text, labels)
				want, werr := referenceCheck(c, text, labels)
				switch {
				case text == "":
					if !errors.Is(err, ErrEmptyText) {
						t.Fatalf("empty text: err %v", err)
					}
					continue
				case !utf8.ValidString(text):
					if !errors.Is(err, ErrInvalidUTF8) {
						t.Fatalf("invalid UTF-8 %q: err %v", text, err)
					}
					continue
				case err != nil || werr != nil:
					t.Fatalf("%q: err %v, reference err %v", text, err, werr)
				}
				assertHitInvariants(t, text, hits)
				if len(hits) != len(want) {
					t.Fatalf("%q (labels %v): hits %+v, reference %+v", text, labels, hits, want)
				}
				for i := range hits {
					if hits[i] != want[i] {
						t.Fatalf("%q (labels %v): hit %d %+v, reference %+v", text, labels, i, hits[i], want[i])
					}
				}
			}
		}
	})
}
