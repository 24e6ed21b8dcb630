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
	// Number the keys the way Compile does: rule by rule, words then exceptions, first use wins.
	keyOf := map[string]int32{}
	for _, r := range c.rules {
		for _, w := range append(slices.Clone(r.Words), r.Exceptions...) {
			k, _ := patternKey(w)
			if _, ok := keyOf[symString(c, k)]; !ok {
				keyOf[symString(c, k)] = int32(len(keyOf))
			}
		}
	}
	sc := scanner{c: c, text: text}
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
							sc.cluster = append(sc.cluster, cand{start: start.r, end: end.r + 1, bstart: start.b,
								bend: end.b + end.size, line: lineNo, rule: e.rule, runes: ki.runes, exception: e.exception})
						}
					}
				}
				if len(sc.cluster) > 0 {
					sc.flush()
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
				}
				r++
			}
			flushSeg()
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
}}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"我不知道", "這不是我負責的，妳錯了", "不 可 能", "保证金我保证", "客户：可能\n窗口：也许", "\xff", "",
		"甲乙丙丁乙丙丙丁乙乙乙", "甲 乙,丙 丁", "a1 ba1 a1b", "窗口3号：甲乙\n客户：乙", "甲乙丙。丁甲",
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
