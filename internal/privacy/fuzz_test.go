package privacy

import (
	"testing"
	"unicode/utf8"
)

// FuzzMask: masking never changes a text's length in characters, is idempotent, and leaves no
// run of eleven digits that reads as a mobile number.
//
//	go test -run '^$' -fuzz FuzzMask -fuzztime 30s ./internal/privacy/
func FuzzMask(f *testing.F) {
	for _, s := range []string{"13812345678", "138.1234.5678", "一三八一二三四五六七八", "幺三八 幺二三四 五六七八",
		"110101199003071234", "11010119900307123X", "6222 0212 3456 7890", "v1.2.3", "二〇二四年", "86 138 1234 5678", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		m := Mask(s)
		if utf8.RuneCountInString(m) != utf8.RuneCountInString(s) {
			t.Fatalf("Mask(%q) = %q changes the length", s, m)
		}
		if Mask(m) != m {
			t.Fatalf("Mask is not idempotent on %q: %q then %q", s, m, Mask(m))
		}
		r := []rune(m)
		for i := 0; i+11 <= len(r); i++ {
			run := r[i : i+11]
			all := true
			for _, c := range run {
				all = all && c >= '0' && c <= '9'
			}
			if all && run[0] == '1' && run[1] >= '3' && (i == 0 || !isDigit(r[i-1])) && (i+11 == len(r) || !isDigit(r[i+11]) && !isSep(r[i+11])) {
				t.Fatalf("Mask(%q) = %q leaves a mobile number", s, m)
			}
		}
	})
}
