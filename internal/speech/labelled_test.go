package speech

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

type labelled struct {
	line     int
	text     string
	expected []string
}

func readLabelled(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/labelled.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		exp, text, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("labelled.tsv:%d: no tab", n)
		}
		var e []string
		if exp != "-" {
			e = strings.Split(exp, "|")
		}
		for _, s := range e {
			if !strings.Contains(text, s) {
				t.Fatalf("labelled.tsv:%d: expected %q is not in the text", n, s)
			}
		}
		out = append(out, labelled{line: n, text: text, expected: e})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPrecisionRecall scores the default rules on the labelled set. A reported hit is correct
// when it overlaps an expected phrase not matched yet: the labels mark which phrase is wrong, and
// a hit that takes in a neighbouring character ("后面排队去" for "排队去") has still found it.
func TestPrecisionRecall(t *testing.T) {
	c := defaultCheck(t)
	set := readLabelled(t)
	if len(set) < 300 {
		t.Fatalf("labelled set has %d sentences, want at least 300", len(set))
	}
	var tp, fp, fn, clean, dirty int
	for _, l := range set {
		if len(l.expected) == 0 {
			clean++
		} else {
			dirty++
		}
		hits, err := c.Check(l.text)
		if err != nil {
			t.Fatalf("line %d: %v", l.line, err)
		}
		ok, falseHits, missed := matchHits(l.text, l.expected, hits)
		tp += ok
		fp += len(falseHits)
		fn += len(missed)
		for _, h := range falseHits {
			t.Logf("false positive, line %d: %q in %q (%s)", l.line, h.Text, l.text, h.RuleID)
		}
		for _, m := range missed {
			t.Logf("missed, line %d: %q in %q", l.line, m, l.text)
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	t.Logf("labelled set: %d sentences (%d clean, %d with forbidden phrases); hits: %d correct, %d false, %d missed",
		len(set), clean, dirty, tp, fp, fn)
	t.Logf("precision %.3f, recall %.3f", precision, recall)
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.3f and recall %.3f must both be at least 0.95", precision, recall)
	}
}

// matchHits compares hits with the expected phrases of a text: a hit is correct when it overlaps
// an expected phrase not matched yet. It returns the number of correct hits, the false ones and
// the expected phrases no hit found.
func matchHits(text string, expected []string, hits []Hit) (ok int, falseHits []Hit, missed []string) {
	spans := expectedSpans(text, expected)
	used := make([]bool, len(spans))
hitLoop:
	for _, h := range hits {
		for i, sp := range spans {
			if !used[i] && h.Start < sp[1] && sp[0] < h.End {
				used[i] = true
				ok++
				continue hitLoop
			}
		}
		falseHits = append(falseHits, h)
	}
	for i, u := range used {
		if !u {
			missed = append(missed, expected[i])
		}
	}
	return ok, falseHits, missed
}

// expectedSpans locates each expected phrase in text as a rune span, taking successive
// occurrences for a phrase listed more than once.
func expectedSpans(text string, expected []string) [][2]int {
	var spans [][2]int
	from := map[string]int{}
	for _, e := range expected {
		i := strings.Index(text[from[e]:], e) + from[e]
		from[e] = i + len(e)
		start := utf8.RuneCountInString(text[:i])
		spans = append(spans, [2]int{start, start + utf8.RuneCountInString(e)})
	}
	return spans
}
