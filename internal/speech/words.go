package speech

import "unicode/utf8"

// How many characters either side of a candidate the segmenter sees, and how far back NotAfter
// looks. The cut of a window this size agrees with the cut of the whole sentence in all but
// contrived cases, at a fraction of the cost.
const (
	contextRunes  = 6
	notAfterRunes = 6
)

type segScratch struct {
	s      []uint16
	bound  []bool
	route  []float32
	next   []int32
	cuts   []int // byte offsets that must be word boundaries, ascending
	cutIdx []int // their positions in s
}

// letterAt reports whether r counts as a letter of a word: not a space, punctuation mark,
// symbol or sentence end. It returns the folded form as the segmenter sees it.
func letterAt(r rune) (uint16, bool) {
	if r >= 0 && r < 0x10000 {
		// kindTable holds the kind of the folded rune: no Unicode tables per character.
		if f := foldTable[r]; kindTable[r] == clsOther && f < 0x10000 {
			return uint16(f), true
		} else if kindTable[r] != clsOther {
			return 0, false
		}
	}
	f := fold(r)
	if kindOf(f) != clsOther {
		return 0, false
	}
	if f >= 0x10000 {
		return 0xFFFF, true // never in the dictionary: a single-character word
	}
	return uint16(f), true
}

// accept applies a candidate's context: word boundaries, NotAfter and NotInQuestion.
func (sc *scanner) accept(x *cand) bool {
	info := &sc.c.info[x.rule]
	if info.notInQuestion && sc.question(x.bend) {
		return false
	}
	if len(info.notAfter) > 0 && sc.after(x.bstart, info.notAfter) {
		return false
	}
	if info.substring && x.spans < 0 {
		return true
	}
	return sc.wordAligned(x, !info.substring)
}

// question reports whether the sentence containing byte offset b ends with a question mark.
func (sc *scanner) question(b int) bool {
	for b < len(sc.text) {
		r, size := utf8.DecodeRuneInString(sc.text[b:])
		if k := sc.c.runeClass(r); k == clsHard || k == clsNewline {
			return fold(r) == '?'
		}
		b += size
	}
	return false
}

// after reports whether one of words occurs in the few letters before byte offset b, within the
// clause (it stops at punctuation).
func (sc *scanner) after(b int, words [][]uint16) bool {
	var buf [notAfterRunes]uint16
	n := 0
	for ; n < notAfterRunes && b > 0; n++ {
		r, size := utf8.DecodeLastRuneInString(sc.text[:b])
		u, ok := letterAt(r)
		if !ok {
			break
		}
		buf[notAfterRunes-1-n] = u
		b -= size
	}
	s := buf[notAfterRunes-n:]
	for _, w := range words {
		for i := 0; i+len(w) <= len(s); i++ {
			if equalU16(w, s[i:i+len(w)]) {
				return true
			}
		}
	}
	return false
}

// wordAligned cuts the text around a candidate into words and reports whether each of its parts
// begins and ends on a word boundary (when bounds is set) and each gap holds at most maxGapWords
// words. Spaces and punctuation inside the candidate are skipped, as the matcher skips them;
// outside it they end the window, and a window edge is a boundary.
func (sc *scanner) wordAligned(x *cand, bounds bool) bool {
	g := &sc.seg
	g.cuts = g.cuts[:0]
	if x.spans < 0 {
		g.cuts = append(g.cuts, x.bstart, x.bend)
	} else {
		for _, p := range sc.spans[x.spans : x.spans+x.nspans] {
			g.cuts = append(g.cuts, p.bstart, p.bend)
		}
	}
	text := sc.text
	// Left context, collected backwards.
	g.s = g.s[:0]
	b := x.bstart
	for len(g.s) < contextRunes && b > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:b])
		u, ok := letterAt(r)
		if !ok {
			break
		}
		g.s = append(g.s, u)
		b -= size
	}
	left := len(g.s)
	for i, j := 0, left-1; i < j; i, j = i+1, j-1 {
		g.s[i], g.s[j] = g.s[j], g.s[i]
	}
	g.cutIdx = g.cutIdx[:0]
	k := 0
	for b := x.bstart; b < x.bend; {
		for k < len(g.cuts) && g.cuts[k] <= b {
			g.cutIdx = append(g.cutIdx, len(g.s))
			k++
		}
		r, size := utf8.DecodeRuneInString(text[b:])
		if u, ok := letterAt(r); ok {
			g.s = append(g.s, u)
		}
		b += size
	}
	for ; k < len(g.cuts); k++ {
		g.cutIdx = append(g.cutIdx, len(g.s))
	}
	right := len(g.s)
	for b := x.bend; len(g.s)-right < contextRunes && b < len(text); {
		r, size := utf8.DecodeRuneInString(text[b:])
		u, ok := letterAt(r)
		if !ok {
			break
		}
		g.s = append(g.s, u)
		b += size
	}
	if left == 0 && right == len(g.s) && x.spans < 0 {
		return true // the candidate is a whole clause
	}
	n := len(g.s)
	if cap(g.bound) < n+1 {
		g.bound = make([]bool, n+1)
		g.route = make([]float32, n+1)
		g.next = make([]int32, n+1)
	}
	g.bound, g.route, g.next = g.bound[:n+1], g.route[:n+1], g.next[:n+1]
	sc.c.dict.cut(g.s, g.bound, g.route, g.next)
	if bounds {
		for _, i := range g.cutIdx {
			if !g.bound[i] {
				return false
			}
		}
	}
	for p := 1; p+1 < len(g.cutIdx); p += 2 {
		words := 0
		for i := g.cutIdx[p]; i < g.cutIdx[p+1]; i++ {
			if g.bound[i] {
				words++
			}
		}
		if words > maxGapWords {
			return false
		}
	}
	return true
}
