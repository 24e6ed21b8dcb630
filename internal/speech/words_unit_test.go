package speech

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestWordBoundaries: a rule word fires where it is a word or a run of words of the text, not
// inside a longer word nor across the boundary of two.
func TestWordBoundaries(t *testing.T) {
	runTextCases(t, defaultCheck(t), []textCase{
		{"inside a longer word", "报告里的绝对误差需要说明。", nil},
		{"inside a longer word, Traditional", "報告裡的絕對誤差需要說明。", nil},
		{"across two words", "请施工单位提供资质证明。", nil},
		{"across two words, 国内|网点", "我们在国内网点都可以办理。", nil},
		{"a question word", "您看可不可以这样办理？", nil},
		{"start of line", "工单已经派下去了。", []string{"工单"}},
		{"end of line", "请您看一下这张工单", []string{"工单"}},
		{"whole line", "工单", []string{"工单"}},
		{"a run of words", "这个我不知道。", []string{"我不知道"}},
		{"inserted punctuation", "我，不 知道。", []string{"我，不 知道"}},
		{"full width", "这个我不知道！", []string{"我不知道"}},
		{"after a speaker label", "窗口：工单还没派。", []string{"工单"}},
	})
	// A rule can opt back into substring matching.
	rs := RuleSet{Rules: []Rule{{ID: "s", Category: Jargon, Words: []string{"工单"}, Match: MatchSubstring, Severity: Low, Suggestion: "x"}}}
	c, err := Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	runTextCases(t, c, []textCase{{"substring rule", "请施工单位提供资质证明。", []string{"工单"}}})
}

func TestPatterns(t *testing.T) {
	rs := RuleSet{Rules: []Rule{
		{ID: "gap", Category: BuckPassing, Patterns: []string{"不归…管"}, Severity: High, Suggestion: "x"},
		{ID: "class", Category: Uncivil, Patterns: []string{"(我|我们|我们窗口)(也|实在)?不(太)?清楚"}, Severity: Medium, Suggestion: "x"},
		{ID: "order", Category: Negative, Patterns: []string{"做不了…主", "主…做不了"}, Severity: High, Suggestion: "x"},
		{ID: "three", Category: Aggressive, Patterns: []string{"(说|讲)了…(你|您)…不(懂|明白)"}, Severity: High, Suggestion: "x"},
	}}
	c, err := Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	runTextCases(t, c, []textCase{
		{"gap of words", "这事不归我们窗口管，你去三楼。", []string{"不归我们窗口管"}},
		{"no gap", "这不归我管。", []string{"不归我管"}},
		{"gap, Traditional", "這事不歸我們窗口管。", []string{"不歸我們窗口管"}},
		{"gap too long", "这不归我们这个窗口的那个部门的同事管。", nil},
		{"gap across a sentence end", "这不归我们。你管吧", nil},
		{"gap part inside a word", "不归还的押金由财务管理。", nil},
		{"word class and optional words", "这个我们窗口实在不太清楚。", []string{"我们窗口实在不太清楚"}},
		{"word class, shortest", "我不清楚。", []string{"我不清楚"}},
		{"order variants", "这个主我做不了。", []string{"主我做不了"}},
		{"three parts", "说了三遍你还是不明白。", []string{"说了三遍你还是不明白"}},
		{"a part inside a word (说了半天)", "说了半天你还是不明白。", nil},
	})
	hits := mustCheck(t, c, "好的，这事不归我们窗口管。")
	if len(hits) != 1 || hits[0].Start != 5 || hits[0].End != 12 || hits[0].RuleID != "gap" {
		t.Errorf("offsets of a gap hit: %+v", hits)
	}
	assertHitInvariants(t, "好的，这事不归我们窗口管。", hits)
}

// TestContext covers the cases of the labelled set where context decides.
func TestContext(t *testing.T) {
	runTextCases(t, defaultCheck(t), []textCase{
		{"the citizen does not know", "您对政策不清楚的话，我来为您解释。", nil},
		{"the citizen, conditional", "如果您不清楚怎么填，我可以帮您。", nil},
		{"the clerk does not know", "这个政策我也不清楚。", []string{"我也不清楚"}},
		{"bare, no one else named", "这个规定不清楚，等领导来了再说。", []string{"不清楚"}},
		{"a negated promise", "按规定我们不能保证当天办结，请您谅解。", nil},
		{"a negated promise, Traditional", "按規定我們不能保證當天辦結。", nil},
		{"a promise", "我保证当天给您办好。", []string{"保证"}},
		{"asked", "复印件不可以吗？", nil},
		{"said", "复印件不可以。", []string{"不可以"}},
	})
}

func TestPatternSyntax(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		want    [][]string
	}{
		{"不归…管", [][]string{{"不归"}, {"管"}}},
		{"不归...管", [][]string{{"不归"}, {"管"}}},
		{"(你|您)必须", [][]string{{"你必须", "您必须"}}},
		{"我(也)?不知道", [][]string{{"我也不知道", "我不知道"}}},
		{"我(也|)不 知道", [][]string{{"我也不知道", "我不知道"}}},
		{"（你｜您）必須", [][]string{{"你必须", "您必须"}}},
	} {
		got, err := parsePattern(tc.pattern)
		if err != nil || !equalParts(got, tc.want) {
			t.Errorf("parsePattern(%q) = %q, %v; want %q", tc.pattern, got, err, tc.want)
		}
	}
}

func equalParts(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "|") != strings.Join(b[i], "|") {
			return false
		}
	}
	return true
}

func TestPatternImportValidation(t *testing.T) {
	rule := func(fields string) string {
		return `{"id":"p","category":"vague","severity":1,"suggestion":"s",` + fields + `}`
	}
	for _, tc := range []struct{ name, rule, want string }{
		{"unclosed group", rule(`"patterns":["(你|您必须"]`), `"(" without ")"`},
		{"bar outside a group", rule(`"patterns":["你|您"]`), `"|" outside a group`},
		{"question mark alone", rule(`"patterns":["你?"]`), `"?" must follow a group`},
		{"gap at the start", rule(`"patterns":["…管"]`), "empty part"},
		{"all optional", rule(`"patterns":["(我|)…管"]`), "can be empty"},
		{"nested", rule(`"patterns":["((我))"]`), "do not nest"},
		{"too many parts", rule(`"patterns":["甲…乙…丙…丁…戊"]`), "more than 4 parts"},
		{"sentence end", rule(`"patterns":["不行。好"]`), "sentence end"},
		{"bad match", rule(`"words":["x"],"match":"regex"`), `match "regex"`},
		{"bad not_after", rule(`"words":["x"],"not_after":["，"]`), "not_after[0]"},
		{"pattern word in another rule", rule(`"patterns":["(可能|也许)"]`) + `,{"id":"q","category":"vague","severity":1,"suggestion":"s","words":["也许"]}`, `also in rule "p"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRuleSet([]byte(`{"rules":[` + tc.rule + `]}`))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// Every problem of a file is listed at once.
	_, err := ParseRuleSet([]byte(`{"rules":[` + rule(`"patterns":["(你","…管","x"],"match":"x","not_after":[""]`) + `]}`))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 4 {
		t.Errorf("err %v, want 4 problems", err)
	}
}

// TestOldFilesStillLoad: a rule set stored before patterns existed reads as before, and one with
// the new fields round-trips.
func TestOldFilesStillLoad(t *testing.T) {
	old := `{"version":1,"rules":[{"id":"a","category":"vague","words":["可能"],"severity":1,"suggestion":"s","exceptions":["可能性"]}],"scenarios":[]}`
	rs, err := ParseRuleSet([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	if rs.Rules[0].Match != "" || rs.Rules[0].Patterns != nil {
		t.Errorf("old rule read as %+v", rs.Rules[0])
	}
	var buf bytes.Buffer
	if _, err := Default().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ParseRuleSet(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Rules) != len(Default().Rules) || !strings.Contains(buf.String(), `"not_after"`) {
		t.Error("the default set with patterns does not round-trip")
	}
}

// TestEveryPatternSpellingHitsItsRule: each spelling of a one-part pattern, checked alone, is one
// hit of its rule.
func TestEveryPatternSpellingHitsItsRule(t *testing.T) {
	c := defaultCheck(t)
	for _, r := range Default().Rules {
		for _, p := range r.Patterns {
			parts, err := parsePattern(p)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != 1 {
				continue
			}
			for _, k := range parts[0] {
				hits := mustCheck(t, c, k)
				if len(hits) != 1 || hits[0].RuleID != r.ID || hits[0].Text != k {
					t.Errorf("spelling %q of %s (%q): hits %+v", k, r.ID, p, hits)
				}
			}
		}
	}
}
