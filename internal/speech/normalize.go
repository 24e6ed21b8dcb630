package speech

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate go run gen_tstable.go

// Character classes. Every rune of a text falls in one class; classes from firstSymbol on are the
// runes (after folding) that occur in some rule word or exception, and drive the automaton.
const (
	clsOther    = 0 // in no rule: the automaton restarts
	clsSoft     = 1 // space, punctuation, symbol: skipped inside a phrase ("我 不 知道")
	clsHard     = 2 // sentence end: a phrase never runs across it
	clsNewline  = 3 // '\n': a hard boundary that also starts a new line
	firstSymbol = 4
)

// maxGap is how many soft runes in a row may sit inside a phrase. It is generous enough for
// "我……不知道" or "我 , 不 知道" but stops a phrase being stitched across a long run of filler.
const maxGap = 4

// supplementFold adds folds that OpenCC leaves alone because both forms are valid characters, but
// that Traditional writing (and the Traditional seed text) uses for the Simplified form a rule is
// written with. Folding is applied to rules and text alike, so it only merges spellings; no rule in
// the default set depends on the distinction.
var supplementFold = map[rune]rune{
	'妳': '你', // Taiwan feminine "you": "妳錯了" is still "你错了"
	'著': '着', // Taiwan writes 著 for 着 ("等著", "忙著")
	'甚': '什', // "甚麼" is the common Taiwan spelling of 什么
	'壹': '一', // formal numeral, used for 一 in mis-converted text ("壹定")
	'裡': '里',
	'祇': '只',
	'瞭': '了', // "瞭解" is 了解
}

var (
	foldOnce  sync.Once
	foldTable []rune  // BMP rune → folded rune
	kindTable []uint8 // BMP rune → clsOther, clsSoft, clsHard or clsNewline (before rules are known)
	tsMap     map[rune]rune
)

func initFold() {
	foldOnce.Do(func() {
		tsMap = make(map[rune]rune, len(tsPairs)/4)
		for s := tsPairs; s != ""; {
			t, n := utf8.DecodeRuneInString(s)
			s = s[n:]
			v, m := utf8.DecodeRuneInString(s)
			s = s[m:]
			tsMap[t] = v
		}
		foldTable = make([]rune, 0x10000)
		kindTable = make([]uint8, 0x10000)
		for r := rune(0); r < 0x10000; r++ {
			foldTable[r] = foldSlow(r)
			kindTable[r] = kindOf(foldTable[r])
		}
	})
}

// fold maps a rune to the form rules are compared in: full-width ASCII to half-width, upper to
// lower case, Traditional to Simplified.
func fold(r rune) rune {
	initFold()
	if r >= 0 && r < 0x10000 {
		return foldTable[r]
	}
	return foldSlow(r)
}

func foldSlow(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		r -= 0xFEE0
	case r == 0x3000: // ideographic space
		r = ' '
	case r == 0xFF61: // half-width ideographic full stop
		r = '。'
	case r == 0xFF64: // half-width ideographic comma
		r = '、'
	}
	if s, ok := tsMap[r]; ok {
		r = s
	} else if s, ok := supplementFold[r]; ok {
		r = s
	}
	return unicode.ToLower(r)
}

// kindOf classifies a folded rune that is not a rule symbol.
func kindOf(r rune) uint8 {
	switch r {
	case '\n':
		return clsNewline
	case '\r', '。', '！', '？', '!', '?', '；', ';', '\u2028', '\u2029', '\u0085':
		// Sentence ends. Commas, dots, quotes and the like stay soft: they are what gets
		// inserted inside a phrase, while a clause after "。" is a new statement.
		return clsHard
	}
	if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r) {
		return clsSoft
	}
	return clsOther
}

// isASCIIAlnum reports whether r (folded) is an ASCII letter or digit: rule words that begin or end
// with one must not match inside a longer Latin word or number ("505" in "15050").
func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z')
}
