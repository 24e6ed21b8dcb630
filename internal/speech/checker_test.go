package speech

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var (
	defaultOnce    sync.Once
	defaultChecker *Checker
)

func defaultCheck(t testing.TB) *Checker {
	t.Helper()
	defaultOnce.Do(func() {
		c, err := Compile(Default())
		if err != nil {
			panic(err)
		}
		defaultChecker = c
	})
	return defaultChecker
}

// hitTexts lists the hits' texts.
func hitTexts(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Text)
	}
	return out
}

func mustCheck(t *testing.T, c *Checker, text string) []Hit {
	t.Helper()
	hits, err := c.Check(text)
	if err != nil {
		t.Fatalf("Check(%q): %v", text, err)
	}
	assertHitInvariants(t, text, hits)
	return hits
}

func assertHitInvariants(t testing.TB, text string, hits []Hit) {
	t.Helper()
	runes := []rune(text)
	prevEnd := 0
	for i, h := range hits {
		if h.Start < prevEnd || h.Start >= h.End || h.End > len(runes) {
			t.Fatalf("text %q: hit %d %+v out of order or bounds (previous end %d, %d runes)", text, i, h, prevEnd, len(runes))
		}
		if got := string(runes[h.Start:h.End]); got != h.Text {
			t.Fatalf("text %q: hit %+v: Text %q, runes[Start:End] %q", text, h, h.Text, got)
		}
		if line := 1 + strings.Count(string(runes[:h.Start]), "\n"); line != h.Line {
			t.Fatalf("text %q: hit %+v: line %d, want %d", text, h, h.Line, line)
		}
		if !h.Category.Valid() || !h.Severity.Valid() || h.Suggestion == "" || h.RuleID == "" {
			t.Fatalf("text %q: hit %+v lacks rule data", text, h)
		}
		prevEnd = h.End
	}
}

func TestEveryCategory(t *testing.T) {
	c := defaultCheck(t)
	cases := map[Category]string{
		Uncivil:     "这个我不知道。",
		Vague:       "审批也许要三天。",
		Jargon:      "系统跑批还没结束。",
		Aggressive:  "你错了，这里要填户籍地址。",
		Imperative:  "你必须先去社区开证明。",
		Negative:    "加急？不可能。",
		BuckPassing: "这不是我负责的，去三楼。",
		Colloquial:  "好了，搞定。",
		Overpromise: "我保证今天能拿到。",
		VagueTime:   "一会儿再叫您。",
	}
	for _, cat := range Categories() {
		text, ok := cases[cat]
		if !ok {
			t.Fatalf("no case for %s", cat)
		}
		hits := mustCheck(t, c, text)
		if len(hits) != 1 || hits[0].Category != cat {
			t.Errorf("%s: Check(%q) = %+v, want one %s hit", cat, text, hits, cat)
		}
	}
}

func TestDomainLocalRules(t *testing.T) {
	// The expressions DOMAIN.md §3 and seeds name must all be caught.
	c := defaultCheck(t)
	for _, w := range []string{
		"我不知道", "我不管", "可能", "也许", "系统跑批", "后台处理", "按505流程", "你错了", "你明白吗",
		"你必须", "你应该", "不行", "不可能", "没办法", "这不是我负责的", "我也没办法", "搞定", "弄好了",
		"一定", "保证", "很快", "一会儿", "填G3表格", "不清楚", "急什么", "没看我正忙着吗", "我不是说过了吗",
		"自己看清楚再来", "你看不懂汉字吗", "我下班了明天再来", "有完没完", "不归我管", "怎么不早点来",
	} {
		hits := mustCheck(t, c, w)
		if len(hits) == 0 {
			t.Errorf("%q: no hit", w)
		}
	}
}

func TestCases(t *testing.T) {
	c := defaultCheck(t)
	cases := []textCase{
		{"nested: longest wins", "这不可能。", []string{"不可能"}},
		{"nested inside buck-passing", "我也没办法。", []string{"我也没办法"}},
		{"exception 保证金", "请先缴纳保证金。", nil},
		{"exception 一定程度", "在一定程度上可以减免。", nil},
		{"exception and hit in one line", "保证金我保证退。", []string{"保证"}},
		{"exception 尽可能", "我们会尽可能帮您。", nil},
		{"exception 办不成事", "请到办不成事窗口。", nil},
		{"exception does not cover other rules", "行不行？不行。", []string{"不行"}},
		{"spaces inside", "我 不 知道", []string{"我 不 知道"}},
		{"full-width spaces and punctuation", "我　不·知-道", []string{"我　不·知-道"}},
		{"ellipsis inside", "可……能吧", []string{"可……能"}},
		{"comma inside", "你，必须先预约", []string{"你，必须"}},
		{"too long a gap", "不     可能", []string{"可能"}},
		{"sentence end splits", "我不。知道了", nil},
		{"question mark splits", "不？可能", []string{"可能"}},
		{"line break splits", "我不\n知道", nil},
		{"leading and trailing filler are not part of the hit", "  “不可能”  ", []string{"不可能"}},
		{"traditional", "這不是我負責的，妳錯了。", []string{"這不是我負責的", "妳錯了"}},
		{"traditional exception", "請先繳納保證金，一定程度上可以減免。", nil},
		{"taiwan 著 and 甚麼", "沒看我正忙著嗎？關我甚麼事", []string{"沒看我正忙著嗎", "關我甚麼事"}},
		{"full-width latin", "ＯＫ，按５０５流程", []string{"ＯＫ", "按５０５流程"}},
		{"latin case", "ok了", []string{"ok了"}},
		{"latin word boundary", "book 15050 OK键", nil},
		{"overlap: longest wins over leftmost", "很快了", []string{"很快"}},
		{"repeated", "可能可能", []string{"可能", "可能"}},
		{"two categories one sentence", "你必须今天交，不行就算了。", []string{"你必须", "不行"}},
		{"clean standard phrase", "您好，请问您办理什么业务？", nil},
		{"emoji inside", "不😀可能", []string{"不😀可能"}},
		{"zero-width space inside", "不\u200b可能", []string{"不\u200b可能"}},
	}
	runTextCases(t, c, cases)
}

func TestOffsetsIntoOriginal(t *testing.T) {
	c := defaultCheck(t)
	text := "ＡＢ您好。\n第二行：這個 不 可能！\n𠀀𠀀可能"
	hits := mustCheck(t, c, text)
	want := []Hit{
		{Line: 2, Start: 13, End: 17, Text: "不 可能"},
		{Line: 3, Start: 21, End: 23, Text: "可能"}, // 𠀀 is one character (four bytes)
	}
	if len(hits) != len(want) {
		t.Fatalf("hits %+v", hits)
	}
	for i, w := range want {
		h := hits[i]
		if h.Line != w.Line || h.Start != w.Start || h.End != w.End || h.Text != w.Text {
			t.Errorf("hit %d = %d:%d-%d %q, want %d:%d-%d %q", i, h.Line, h.Start, h.End, h.Text, w.Line, w.Start, w.End, w.Text)
		}
	}
}

func TestSpeakerLabels(t *testing.T) {
	c := defaultCheck(t)
	cases := []textCase{
		{"no labels: all clerk", "我不知道\n我不管", []string{"我不知道", "我不管"}},
		{"citizen lines skipped", "客户：我不知道要带什么\n窗口：我不管", []string{"我不管"}},
		{"half-width colon", "citizen: 我不知道\nclerk: 我不管", []string{"我不管"}},
		{"unlabelled line continues speaker", "群众：可能吧\n也许吧\n工作人员：好的\n不可能", []string{"不可能"}},
		{"lines before the first label are the clerk's", "可能\n市民：也许", []string{"可能"}},
		{"numbered and named labels", "窗口3号：不行\n来访者（张三）：不行\n柜员 A：一会儿", []string{"不行", "一会儿"}},
		{"traditional labels", "來訪者：我不知道\n櫃員：我不知道", []string{"我不知道"}},
		{"label itself not checked", "坐席：您好", nil},
		{"unknown label is text of the current speaker", "备注：可能", []string{"可能"}},
		{"text before an unknown label's colon is checked", "也许：可能", []string{"也许", "可能"}},
		{"colon far into the line is not a label", "这句话很长很长很长很长很长很长很长很长很长很长很长，客户：可能", []string{"可能"}},
		{"leading spaces before label", "  客户：可能\n  窗口：可能", []string{"可能"}},
	}
	runTextCases(t, c, cases)
	// CheckPlain ignores labels.
	hits, err := c.CheckPlain("客户：我不知道")
	if err != nil || len(hits) != 1 {
		t.Errorf("CheckPlain = %+v, %v; want one hit", hits, err)
	}
}

func TestSpeakerOffsets(t *testing.T) {
	c := defaultCheck(t)
	text := "客户：你们这不行\n窗口：这个不行"
	hits := mustCheck(t, c, text)
	if len(hits) != 1 || hits[0].Line != 2 || hits[0].Start != 14 || hits[0].End != 16 {
		t.Fatalf("hits %+v", hits)
	}
}

func TestBadInput(t *testing.T) {
	c := defaultCheck(t)
	if _, err := c.Check(""); !errors.Is(err, ErrEmptyText) {
		t.Errorf("empty: err %v, want ErrEmptyText", err)
	}
	for _, text := range []string{"\xff", "我不知道\xfe", "客户：\xc3(\n窗口：好", "可\xe4\xb8能", "ok\n\n\x80"} {
		_, err := c.Check(text)
		var ie *InputError
		if !errors.Is(err, ErrInvalidUTF8) || !errors.As(err, &ie) {
			t.Errorf("Check(%q): err %v, want ErrInvalidUTF8", text, err)
			continue
		}
		if ie.ByteOffset < 0 || ie.ByteOffset >= len(text) || utf8.ValidString(text[:ie.ByteOffset]) == false {
			t.Errorf("Check(%q): offset %d", text, ie.ByteOffset)
		}
	}
	if hits, err := c.Check(" \n\t"); err != nil || len(hits) != 0 {
		t.Errorf("blank text: %v %v", hits, err)
	}
}

func TestStandardPhrasesAndSuggestionsAreClean(t *testing.T) {
	c := defaultCheck(t)
	rs := Default()
	for _, s := range rs.Scenarios {
		for _, p := range s.Phrases {
			if hits := mustCheck(t, c, p); len(hits) > 0 {
				t.Errorf("scenario %s phrase %q has hits %q", s.Code, p, hitTexts(hits))
			}
		}
	}
	for _, r := range rs.Rules {
		if hits := mustCheck(t, c, r.Suggestion); len(hits) > 0 {
			t.Errorf("rule %s suggestion %q has hits %q", r.ID, r.Suggestion, hitTexts(hits))
		}
	}
}

func TestEveryRuleWordHitsItsRule(t *testing.T) {
	c := defaultCheck(t)
	for _, r := range Default().Rules {
		for _, w := range r.Words {
			hits := mustCheck(t, c, w)
			if len(hits) != 1 || hits[0].RuleID != r.ID || hits[0].Text != w {
				t.Errorf("word %q of %s: hits %+v", w, r.ID, hits)
			}
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	c := defaultCheck(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if hits, err := c.Check("窗口：你必须先预约，不行就算了。"); err != nil || len(hits) != 2 {
					t.Errorf("hits %v err %v", hits, err)
				}
			}
		})
	}
	wg.Wait()
}

// textCase is a text and the hit texts Check must find in it.
type textCase struct {
	name, text string
	want       []string
}

func runTextCases(t *testing.T, c *Checker, cases []textCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := hitTexts(mustCheck(t, c, tc.text))
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("Check(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestClerkLines(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"您好，请问办理什么业务？", 1},
		{"窗口：您好。\n客户：我来办社保。\n窗口：请出示身份证。\n", 2},
		{"窗口：您好。\n\n  \n请稍等。\n客户：好的。\n还要多久？\n工作人员（张三）：马上。", 3},
		{"說明文字\n客戶：你好\n窗口3號：\n您好", 2}, // a label alone does not count; Traditional labels
	} {
		if got := ClerkLines(c.text); got != c.want {
			t.Errorf("ClerkLines(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}
