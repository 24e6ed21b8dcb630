package speech

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDefaultSet(t *testing.T) {
	rs := Default()
	words := 0
	perCat := map[Category]int{}
	for _, r := range rs.Rules {
		words += len(r.Words)
		perCat[r.Category]++
	}
	if words < 150 {
		t.Errorf("default set has %d forbidden expressions, want at least 150", words)
	}
	for _, c := range Categories() {
		if perCat[c] == 0 {
			t.Errorf("category %s has no rules", c)
		}
	}
	if len(rs.Scenarios) < 22 {
		t.Errorf("default set has %d scenarios, want at least 22", len(rs.Scenarios))
	}
	for _, step := range []string{StepCall, StepMissingMaterial, StepFinish} {
		if len(rs.PhrasesFor(step, time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC))) == 0 {
			t.Errorf("no phrases for step %s", step)
		}
	}
	t.Logf("default set: %d rules, %d words, %d scenarios", len(rs.Rules), words, len(rs.Scenarios))
}

func TestPhrasesForTimeOfDay(t *testing.T) {
	rs := Default()
	codes := func(h int) []string {
		var out []string
		for _, s := range rs.PhrasesFor(StepCall, time.Date(2025, 3, 4, h, 30, 0, 0, time.Local)) {
			out = append(out, s.Code)
		}
		return out
	}
	for h, want := range map[int]string{8: "greeting_morning", 14: "greeting_afternoon", 19: "greeting_evening"} {
		got := codes(h)
		if len(got) == 0 || got[0] != want || !contains(got, "greeting") {
			t.Errorf("%d:30: %v, want %s first and the all-day greeting", h, got, want)
		}
		for _, other := range []string{"greeting_morning", "greeting_afternoon", "greeting_evening"} {
			if other != want && contains(got, other) {
				t.Errorf("%d:30: %v includes %s", h, got, other)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestExportImportRoundTrip(t *testing.T) {
	rs := Default()
	var buf bytes.Buffer
	if _, err := rs.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ParseRuleSet(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rs, back) {
		t.Error("rule set changed across export and import")
	}
	if !strings.Contains(buf.String(), "我不知道") {
		t.Error("export escapes Chinese text")
	}
}

func TestImportAcceptsNamesAndLabels(t *testing.T) {
	rs, err := ParseRuleSet([]byte(`{"version":1,"rules":[
		{"id":"x1","category":"模糊","words":["大约吧"],"severity":"low","suggestion":"说具体时间"},
		{"id":"x2","category":"過度承諾","words":["包過"],"severity":"嚴重","suggestion":"别承诺"}],
		"scenarios":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if rs.Rules[0].Category != Vague || rs.Rules[0].Severity != Low || rs.Rules[1].Category != Overpromise || rs.Rules[1].Severity != High {
		t.Errorf("parsed %+v", rs.Rules)
	}
}

func TestImportValidation(t *testing.T) {
	rule := func(mod string) string {
		return `{"rules":[` + mod + `],"scenarios":[]}`
	}
	cases := []struct {
		name, file, want string
	}{
		{"empty words", rule(`{"id":"a","category":"vague","words":[],"severity":1,"suggestion":"s"}`), "no words"},
		{"blank word", rule(`{"id":"a","category":"vague","words":[" ，"],"severity":1,"suggestion":"s"}`), "empty"},
		{"word across a sentence end", rule(`{"id":"a","category":"vague","words":["不行。好"],"severity":1,"suggestion":"s"}`), "sentence end"},
		{"unknown category", rule(`{"id":"a","category":"rude","words":["x"],"severity":1,"suggestion":"s"}`), `unknown category "rude"`},
		{"bad severity", rule(`{"id":"a","category":"vague","words":["x"],"severity":7,"suggestion":"s"}`), "severity 7"},
		{"no suggestion", rule(`{"id":"a","category":"vague","words":["x"],"severity":1,"suggestion":""}`), "empty suggestion"},
		{"empty id", rule(`{"id":"","category":"vague","words":["x"],"severity":1,"suggestion":"s"}`), "empty id"},
		{"duplicate id", rule(`{"id":"a","category":"vague","words":["x"],"severity":1,"suggestion":"s"},{"id":"a","category":"vague","words":["y"],"severity":1,"suggestion":"s"}`), "duplicate id"},
		{"same word in two rules, two scripts", rule(`{"id":"a","category":"vague","words":["这个"],"severity":1,"suggestion":"s"},{"id":"b","category":"vague","words":["這個"],"severity":1,"suggestion":"s"}`), `also in rule "a"`},
		{"exception without the word", rule(`{"id":"a","category":"vague","words":["保证"],"severity":1,"suggestion":"s","exceptions":["押金"]}`), "never apply"},
		{"exception equal to the word", rule(`{"id":"a","category":"vague","words":["保证"],"severity":1,"suggestion":"s","exceptions":["保證"]}`), "own words"},
		{"unknown field", `{"rules":[],"scenarios":[],"extra":1}`, "unknown field"},
		{"bad version", `{"version":9,"rules":[],"scenarios":[]}`, "version 9"},
		{"scenario without phrases", `{"rules":[],"scenarios":[{"code":"c","name":"n","phrases":[]}]}`, "no phrases"},
		{"scenario bad step", `{"rules":[],"scenarios":[{"code":"c","name":"n","step":"lunch","phrases":["x"]}]}`, `unknown step "lunch"`},
		{"scenario bad time", `{"rules":[],"scenarios":[{"code":"c","name":"n","time_of_day":"noon","phrases":["x"]}]}`, "time_of_day"},
		{"duplicate scenario", `{"rules":[],"scenarios":[{"code":"c","name":"n","phrases":["x"]},{"code":"c","name":"n","phrases":["x"]}]}`, "duplicate code"},
		{"not JSON", `{"rules":`, "read rule set"},
		{"trailing data", `{"rules":[],"scenarios":[]} {}`, "trailing data"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRuleSet([]byte(tc.file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// All problems are reported at once.
	_, err := ParseRuleSet([]byte(rule(`{"id":"","category":"x","words":[],"severity":0,"suggestion":""}`)))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 5 {
		t.Errorf("err %v, want 5 problems", err)
	}
}

func TestCompileCustomRules(t *testing.T) {
	rs := RuleSet{Rules: []Rule{{ID: "r", Category: Jargon, Words: []string{"并联审批"}, Severity: Low, Suggestion: "说“几个部门同时审批”"}}}
	c, err := Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	hits, err := c.Check("这个走並聯審批。")
	if err != nil || len(hits) != 1 || hits[0].RuleID != "r" {
		t.Errorf("hits %+v err %v", hits, err)
	}
	if _, err := Compile(RuleSet{Rules: []Rule{{ID: "r"}}}); err == nil {
		t.Error("Compile accepted an invalid rule set")
	}
}
