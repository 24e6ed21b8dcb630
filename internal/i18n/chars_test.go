package i18n

import (
	"flag"
	"os"
	"slices"
	"testing"
)

var charsOut = flag.String("chars-out", "", "write every character of the UI's messages, in the three languages, to this file")

// TestUIChars lists the characters qhall's own words need, for the embedded fallback font
// (scripts/ui-font.sh). Without -chars-out it checks the list is complete enough to matter: the
// Traditional forms are there, not only the Simplified.
func TestUIChars(t *testing.T) {
	set := map[rune]bool{}
	for _, k := range Keys() {
		for _, l := range Langs {
			for _, r := range T(l, k) {
				set[r] = true
			}
		}
	}
	for _, s := range LangNames {
		for _, r := range s {
			set[r] = true
		}
	}
	for _, r := range "號辦隊請過窗暫停" {
		if !set[r] {
			t.Errorf("the UI's characters lack %q", r)
		}
	}
	if *charsOut == "" {
		return
	}
	var rs []rune
	for r := range set {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	if err := os.WriteFile(*charsOut, []byte(string(rs)), 0o644); err != nil {
		t.Fatal(err)
	}
}
