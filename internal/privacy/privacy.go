// Package privacy hides citizens' personal identifiers in free text (counter transcripts, and
// later exports and logs), as the halls' rules ask: a clerk sees only what the current case
// needs, and nothing stored or shown carries a full ID, phone or card number.
package privacy

import (
	"strings"
	"unicode/utf8"
)

// Mask replaces the middle of every personal identifier in text with '*', keeping the first
// three and the last four characters (the first five of a mobile number written with the 86
// country code), and everything else unchanged:
//
//   - mainland resident ID numbers: 18 characters, 17 digits and a digit or X, and the older
//     15-digit numbers;
//   - mobile numbers: 11 digits beginning 13 to 19, alone or after the country code 86;
//   - bank-card-like numbers: 16 to 19 digits.
//
// Digits may be half- or full-width or Chinese numerals as speech-to-text writes them
// (一三八…, 幺三八…, 壹叁捌…, 〇 and 零 for zero), and written in groups separated by one space,
// hyphen, dot or ideographic space ("138 1234 5678", "138.1234.5678", "6222-0212-3456-7890"). A group of digits that is not an
// identifier as a whole is looked at group by group, so "3 13812345678" still hides the phone.
// Runs of digits of other lengths (dates, amounts, ticket numbers) are left alone.
//
// Each hidden character becomes one '*', so the text keeps its length in characters and rune
// offsets computed on the masked text (the phrase checker's hits) hold for the original layout.
// Mask is idempotent.
func Mask(text string) string {
	if !hasDigit(text) {
		return text
	}
	r := []rune(text)
	changed := false
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			i++
			continue
		}
		// Digits right after a '*' are the kept tail of an identifier masked before: they are
		// no start of a new one (so Mask stays idempotent).
		if i > 0 && r[i-1] == '*' {
			for i < len(r) && isDigit(r[i]) {
				i++
			}
			continue
		}
		// A token: digits, with single separators between digit groups.
		var digits []int
		j := i
		for j < len(r) {
			if isDigit(r[j]) {
				digits = append(digits, j)
				j++
				continue
			}
			if isSep(r[j]) && j+1 < len(r) && isDigit(r[j+1]) {
				j++
				continue
			}
			break
		}
		// An ID number may end in X (the check character), right after the last digit.
		x := -1
		if j < len(r) && isX(r[j]) && (j+1 == len(r) || !isAlnum(r[j+1])) {
			x = j
		}
		if maskRun(r, digits, x) {
			changed = true
		} else {
			// Not one identifier as a whole: each group on its own.
			start := 0
			for k := 1; k <= len(digits); k++ {
				if k == len(digits) || digits[k] != digits[k-1]+1 {
					gx := -1
					if k == len(digits) {
						gx = x
					}
					if maskRun(r, digits[start:k], gx) {
						changed = true
					}
					start = k
				}
			}
		}
		i = j
		if x >= 0 {
			i = x + 1
		}
	}
	if !changed {
		return text
	}
	return string(r)
}

// maskRun hides the middle of the characters at positions digits (and x, a trailing X, when
// >= 0) if they form an identifier, and reports whether they did.
func maskRun(r []rune, digits []int, x int) bool {
	n := len(digits)
	d := func(k int) rune { return digitValue(r[digits[k]]) }
	pos := digits
	keepHead := 3
	switch {
	case n == 17 && x >= 0: // ID number ending in X
		pos = append(append([]int(nil), digits...), x)
	case n == 18 || n == 15: // ID number (new, old)
	case n == 11 && d(0) == '1' && d(1) >= '3' && d(1) <= '9': // mobile
	case n == 13 && d(0) == '8' && d(1) == '6' && d(2) == '1' && d(3) >= '3' && d(3) <= '9': // 86 + mobile
		keepHead = 5
	case n >= 16 && n <= 19: // bank card
	default:
		return false
	}
	for _, p := range pos[keepHead : len(pos)-4] {
		r[p] = '*'
	}
	return true
}

// chineseDigits are the numerals read out digit by digit, with their values.
var chineseDigits = map[rune]rune{
	'〇': '0', '零': '0', '一': '1', '幺': '1', '壹': '1', '二': '2', '两': '2', '贰': '2', '三': '3', '叁': '3',
	'四': '4', '肆': '4', '五': '5', '伍': '5', '六': '6', '陆': '6', '七': '7', '柒': '7', '八': '8', '捌': '8',
	'九': '9', '玖': '9',
}

const chineseDigitRunes = "〇零一幺壹二两贰三叁四肆五伍六陆七柒八捌九玖"

// hasDigit is the fast path: most lines hold no digit at all.
func hasDigit(s string) bool {
	return hasASCIIOrWideDigit(s) || strings.ContainsAny(s, chineseDigitRunes)
}

func hasASCIIOrWideDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			return true
		}
		// U+FF10..FF19 (full-width digits) are EF BC 90..99 in UTF-8
		if c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
			return true
		}
	}
	return false
}

func isDigit(c rune) bool {
	if c >= '0' && c <= '9' || c >= '０' && c <= '９' {
		return true
	}
	_, ok := chineseDigits[c]
	return ok
}

// digitValue is the ASCII digit of a half- or full-width digit or a Chinese numeral.
func digitValue(c rune) rune {
	if c >= '０' && c <= '９' {
		return c - '０' + '0'
	}
	if v, ok := chineseDigits[c]; ok {
		return v
	}
	return c
}

func isSep(c rune) bool {
	return c == ' ' || c == '-' || c == '\u3000' || c == '－' || c == '.' || c == '．' || c == '·'
}

func isX(c rune) bool { return c == 'X' || c == 'x' || c == 'Ｘ' || c == 'ｘ' }

func isAlnum(c rune) bool {
	return isDigit(c) || c < utf8.RuneSelf && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}
