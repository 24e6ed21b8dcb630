package speech

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Pattern limits: they keep a rule readable and its expansion into automaton keys small.
const (
	maxPatternParts      = 4   // parts separated by gaps
	maxPatternExpansions = 256 // spellings one part expands to
	// A gap ("…") holds at most maxGapWords words of the text and at most maxGapRunes characters.
	maxGapWords = 3
	maxGapRunes = 8
)

// parsePattern reads a rule pattern and returns its parts (separated by gaps), each as the folded
// keys it expands to, without duplicates.
//
// Syntax: characters match themselves (folded like words: Traditional, full-width and case do
// not matter, spaces and punctuation are ignored); "(你|您)" is one of the alternatives; an empty
// alternative or a "?" after the group makes it optional: "(我|我们|)", "(实在)?"; "…" (or "...")
// is a gap of up to three words. Groups do not nest; a pattern has at most four parts, and a part
// expands to at most 256 spellings of 1 to 64 characters.
func parsePattern(p string) ([][]string, error) {
	if !utf8.ValidString(p) {
		return nil, errors.New("not valid UTF-8")
	}
	var (
		parts [][]string
		cur   = []string{""} // expansions of the part being read
		group []string       // alternatives of the open group, nil when none is open
		alt   strings.Builder
		inGrp bool
		pend  []string // the group just closed, applied at the next token so that "?" can follow
	)
	cross := func(set []string) error {
		var next []string
		seen := map[string]bool{}
		for _, a := range cur {
			for _, b := range set {
				if !seen[a+b] {
					seen[a+b] = true
					next = append(next, a+b)
				}
			}
		}
		if len(next) > maxPatternExpansions {
			return fmt.Errorf("a part expands to more than %d spellings", maxPatternExpansions)
		}
		cur = next
		return nil
	}
	flush := func() error {
		if pend == nil {
			return nil
		}
		set := pend
		pend = nil
		return cross(set)
	}
	endPart := func() error {
		if err := flush(); err != nil {
			return err
		}
		for _, k := range cur {
			switch n := utf8.RuneCountInString(k); {
			case n == 0:
				if len(cur) == 1 {
					return errors.New("empty part (a gap at the start or end, or two gaps in a row)")
				}
				return errors.New("a part can be empty (every word in it is optional)")
			case n > MaxWordRunes:
				return fmt.Errorf("a spelling is longer than %d characters", MaxWordRunes)
			}
		}
		parts = append(parts, cur)
		cur = []string{""}
		return nil
	}
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		f := fold(rs[i])
		if f == '…' || (f == '.' && i+1 < len(rs) && fold(rs[i+1]) == '.') {
			if inGrp {
				return nil, errors.New("a gap inside a group")
			}
			for i+1 < len(rs) && (fold(rs[i+1]) == '…' || fold(rs[i+1]) == '.') {
				i++
			}
			if err := endPart(); err != nil {
				return nil, err
			}
			continue
		}
		if f != '?' {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		switch f {
		case '(':
			if inGrp {
				return nil, errors.New("groups do not nest")
			}
			inGrp, group = true, nil
			alt.Reset()
			continue
		case '|':
			if !inGrp {
				return nil, errors.New(`"|" outside a group; write alternatives as "(甲|乙)"`)
			}
			group = append(group, alt.String())
			alt.Reset()
			continue
		case ')':
			if !inGrp {
				return nil, errors.New(`")" without "("`)
			}
			pend = append(group, alt.String())
			inGrp = false
			continue
		case '?':
			if pend == nil {
				return nil, errors.New(`"?" must follow a group: "(实在)?"`)
			}
			pend = append(pend, "")
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		switch kindOf(f) {
		case clsSoft:
			continue
		case clsHard, clsNewline:
			return nil, errors.New("contains a sentence end or line break; a phrase never spans one")
		}
		if inGrp {
			alt.WriteRune(f)
		} else if err := cross([]string{string(f)}); err != nil {
			return nil, err
		}
	}
	if inGrp {
		return nil, errors.New(`"(" without ")"`)
	}
	if err := endPart(); err != nil {
		return nil, err
	}
	if len(parts) > maxPatternParts {
		return nil, fmt.Errorf("more than %d parts", maxPatternParts)
	}
	return parts, nil
}
