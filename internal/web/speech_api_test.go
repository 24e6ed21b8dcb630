package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/speech"
)

type hitOut struct {
	Line         int    `json:"line"`
	Start        int    `json:"start"`
	End          int    `json:"end"`
	Text         string `json:"text"`
	Category     string `json:"category"`
	CategoryName string `json:"category_name"`
	Severity     int    `json:"severity"`
	SeverityName string `json:"severity_name"`
	Suggestion   string `json:"suggestion"`
	RuleID       string `json:"rule_id"`
}

type checkOut struct {
	Hits    []hitOut `json:"hits"`
	Count   int      `json:"count"`
	Version int      `json:"version"`
}

func TestSpeechCheckAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		expect(t, e.do("POST", "/api/v1/speech/check", "", map[string]any{"text": "你错了"}), 401, "login_required")
		clerk := e.login("clerk1-1")
		text := "窗口：您好，我不知道。\n客户：你错了吧？\n窗口：你必须先填表。"
		r := e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": text})
		expect(t, r, 200, "")
		var out checkOut
		r.json(t, &out)
		if out.Count != 2 || len(out.Hits) != 2 || out.Version != 0 {
			t.Fatalf("check: %+v", out)
		}
		h := out.Hits[0]
		if h.Text != "我不知道" || h.Line != 1 || h.Category != "uncivil" || h.CategoryName != "不文明" || h.Severity != 2 ||
			h.SeverityName != "一般" || h.Suggestion == "" || h.RuleID == "" || string([]rune(text)[h.Start:h.End]) != h.Text {
			t.Fatalf("hit %+v", h)
		}
		// plain: the citizen's line counts too; English names
		r = e.do("POST", "/api/v1/speech/check?lang=en", clerk, map[string]any{"text": text, "plain": true})
		r.json(t, &out)
		if out.Count != 3 || out.Hits[1].Text != "你错了" || out.Hits[1].CategoryName != "Aggressive" || out.Hits[1].SeverityName != "High" {
			t.Fatalf("plain check: %+v", out)
		}
		// a clean text
		r = e.do("POST", "/api/v1/speech/check", e.login("sup1"), map[string]any{"text": "您好，请问您办理什么业务？"})
		if r.json(t, &out); r.status != 200 || out.Count != 0 || out.Hits == nil {
			t.Fatalf("clean: %d %s", r.status, r.body)
		}
		// bad input: a clear 400
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": ""}), 400, "speech_text_empty")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": " \n\t "}), 400, "speech_text_empty")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, `{}`), 400, "speech_text_empty")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": strings.Repeat("a", 1<<20+1)}), 400, "speech_text_too_long")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": strings.Repeat("\n", 1<<20)}), 400, "speech_text_empty")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, `{"text":"`+strings.Repeat("好", 1<<20)+`"}`), 400, "body_too_large")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, `{"text":"x","lang":"en"}`), 400, "bad_request")
		expect(t, e.do("POST", "/api/v1/speech/check", clerk, `{"text":`), 400, "bad_request")
		// a long text is fine up to the limit
		long := strings.Repeat("窗口：您好，我不知道。\n", 20000) // 620 KB
		r = e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": long})
		if r.json(t, &out); r.status != 200 || out.Count != 20000 {
			t.Fatalf("long text: %d, %d hits", r.status, out.Count)
		}
	})
}

type rulesOut struct {
	Version    int               `json:"version"`
	Builtin    bool              `json:"builtin"`
	CreatedBy  string            `json:"created_by"`
	Rules      []speech.Rule     `json:"rules"`
	Scenarios  []speech.Scenario `json:"scenarios"`
	Categories []struct{ Code, Name string }
	Steps      []struct{ Code, Name string }
}

// doRaw sends a body as it is with a content type, for file uploads.
func (e *env) doRaw(method, path, token string, body []byte) (resp, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, b}, res.Header
}

func TestSpeechRulesAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		clerk, sup, admin := e.login("clerk1-1"), e.login("sup1"), e.login("admin")
		n := len(speech.Default().Rules)

		expect(t, e.do("GET", "/api/v1/speech/rules", "", nil), 401, "login_required")
		var rs rulesOut
		r := e.do("GET", "/api/v1/speech/rules", clerk, nil)
		expect(t, r, 200, "")
		r.json(t, &rs)
		if rs.Version != 0 || !rs.Builtin || len(rs.Rules) != n || len(rs.Scenarios) == 0 || len(rs.Categories) != 10 ||
			rs.Categories[0].Name != "不文明" || len(rs.Steps) != 8 {
			t.Fatalf("rules: v%d builtin %v %d rules %d categories", rs.Version, rs.Builtin, len(rs.Rules), len(rs.Categories))
		}

		// export: admin only, as an attachment that imports again
		for _, tok := range []string{clerk, sup} {
			expect(t, e.do("GET", "/api/v1/speech/rules/export", tok, nil), 403, "forbidden")
			expect(t, e.do("GET", "/api/v1/speech/rules/history", tok, nil), 403, "forbidden")
			r, _ := e.doRaw("PUT", "/api/v1/speech/rules", tok, speech.DefaultJSON())
			expect(t, r, 403, "forbidden")
			expect(t, e.do("PUT", "/api/v1/speech/rules/x-1", tok, map[string]any{}), 403, "forbidden")
			expect(t, e.do("DELETE", "/api/v1/speech/rules/vague-01", tok, nil), 403, "forbidden")
		}
		exp, hdr := e.doRaw("GET", "/api/v1/speech/rules/export", admin, nil)
		if exp.status != 200 || hdr.Get("Content-Disposition") != `attachment; filename="qhall-speech-rules-v0.json"` ||
			!strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
			t.Fatalf("export: %d %v", exp.status, hdr)
		}
		file, err := speech.ParseRuleSet(exp.body)
		if err != nil || len(file.Rules) != n {
			t.Fatalf("exported file: %v", err)
		}

		// import: every problem listed, nothing saved
		bad := `{"version":1,"rules":[{"id":"a","category":"rude","words":["可能"],"severity":7,"suggestion":""}],"scenarios":[]}`
		r, _ = e.doRaw("PUT", "/api/v1/speech/rules", admin, []byte(bad))
		expect(t, r, 400, "speech_rules_invalid")
		var inv struct {
			Message  string
			Problems []string
		}
		r.json(t, &inv)
		if len(inv.Problems) != 3 || !strings.Contains(inv.Message, "3") {
			t.Fatalf("problems: %+v", inv)
		}
		for _, body := range []string{"", "{", "[1]", `{"rules":[],"scenarios":[],"x":1}`} {
			r, _ = e.doRaw("PUT", "/api/v1/speech/rules", admin, []byte(body))
			expect(t, r, 400, "speech_rules_invalid")
		}
		r, _ = e.doRaw("PUT", "/api/v1/speech/rules", admin, bytes.Repeat([]byte(" "), 3<<20))
		expect(t, r, 400, "body_too_large")
		r, _ = e.doRaw("PUT", "/api/v1/speech/rules?note="+strings.Repeat("x", 300), admin, exp.body)
		expect(t, r, 400, "note_too_long")

		file.Rules = file.Rules[:10]
		var buf bytes.Buffer
		file.WriteTo(&buf)
		r, _ = e.doRaw("PUT", "/api/v1/speech/rules?note=trimmed", admin, buf.Bytes())
		expect(t, r, 200, "")
		var info struct {
			Version, Rules int
			Note           string
		}
		r.json(t, &info)
		if info.Version != 1 || info.Rules != 10 || info.Note != "trimmed" {
			t.Fatalf("import: %s", r.body)
		}
		e.do("GET", "/api/v1/speech/rules", sup, nil).json(t, &rs)
		if rs.Version != 1 || rs.Builtin || len(rs.Rules) != 10 || rs.CreatedBy != "admin" {
			t.Fatalf("after import: v%d %d rules by %q", rs.Version, len(rs.Rules), rs.CreatedBy)
		}

		// one rule: create (201), replace (200), refuse, delete
		rule := map[string]any{"category": "口语化", "words": []string{"八九不离十"}, "severity": "low", "suggestion": "说确切的。"}
		r = e.do("PUT", "/api/v1/speech/rules/local-01", admin, rule)
		expect(t, r, 201, "")
		if !strings.Contains(string(r.body), `"version":2`) || !strings.Contains(string(r.body), `"category":"colloquial"`) {
			t.Fatalf("create: %s", r.body)
		}
		rule["severity"] = 3
		expect(t, e.do("PUT", "/api/v1/speech/rules/local-01", admin, rule), 200, "")
		r = e.do("POST", "/api/v1/speech/check", clerk, map[string]any{"text": "八九不离十"})
		var out checkOut
		if r.json(t, &out); out.Version != 3 || out.Count != 1 || out.Hits[0].Severity != 3 || out.Hits[0].RuleID != "local-01" {
			t.Fatalf("edited rule in force: %s", r.body)
		}
		r = e.do("PUT", "/api/v1/speech/rules/local-02", admin, map[string]any{"category": "rude", "words": []string{"八九不离十"}, "severity": 1, "suggestion": "s"})
		expect(t, r, 400, "speech_rules_invalid")
		if r.json(t, &inv); len(inv.Problems) != 2 {
			t.Fatalf("rule problems: %+v", inv)
		}
		expect(t, e.do("PUT", "/api/v1/speech/rules/local-01", admin, map[string]any{"id": "local-09", "category": "vague", "words": []string{"x"}, "severity": 1, "suggestion": "s"}), 400, "speech_rule_id_mismatch")
		expect(t, e.do("PUT", "/api/v1/speech/rules/local-01", admin, map[string]any{"colour": "red"}), 400, "bad_request")
		expect(t, e.do("PUT", "/api/v1/speech/rules/local-01", admin, `{"severity":"awful"}`), 400, "bad_request")
		expect(t, e.do("DELETE", "/api/v1/speech/rules/local-01", admin, nil), 200, "")
		expect(t, e.do("DELETE", "/api/v1/speech/rules/local-01", admin, nil), 404, "speech_rule_not_found")

		var hist []struct {
			Version   int
			Builtin   bool
			Rules     int
			CreatedBy string `json:"created_by"`
		}
		e.do("GET", "/api/v1/speech/rules/history", admin, nil).json(t, &hist)
		if len(hist) != 5 || hist[0].Version != 4 || hist[0].Rules != 10 || hist[0].CreatedBy != "admin" || !hist[4].Builtin {
			t.Fatalf("history %+v", hist)
		}
		old, hdr := e.doRaw("GET", "/api/v1/speech/rules/export?version=2", admin, nil)
		if old.status != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "v2.json") || !strings.Contains(string(old.body), "八九不离十") {
			t.Fatalf("export v2: %d %v", old.status, hdr)
		}
		expect(t, e.do("GET", "/api/v1/speech/rules/export?version=99", admin, nil), 404, "speech_version_not_found")
		expect(t, e.do("GET", "/api/v1/speech/rules/export?version=x", admin, nil), 400, "bad_id")

		var audit []struct{ Action, Target string }
		e.do("GET", "/api/v1/audit", admin, nil).json(t, &audit)
		if audit[0].Action != "speech.rule.delete" || audit[0].Target != "rule:local-01" {
			t.Fatalf("audit %+v", audit[:2])
		}
	})
}

func TestSpeechPhrasesAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		clerk := e.login("clerk1-1")
		expect(t, e.do("GET", "/api/v1/speech/phrases?step=call", "", nil), 401, "login_required")
		var out struct {
			Step, StepName, TimeOfDay string
			Scenarios                 []struct {
				Code, Name, TimeOfDay string
				Phrases               []string
			}
		}
		r := e.do("GET", "/api/v1/speech/phrases?step=call", clerk, nil)
		expect(t, r, 200, "")
		json.Unmarshal(r.body, &out)
		var tod struct {
			TimeOfDay string `json:"time_of_day"`
			StepName  string `json:"step_name"`
		}
		json.Unmarshal(r.body, &tod)
		codes := []string{}
		for _, s := range out.Scenarios {
			codes = append(codes, s.Code)
		}
		if tod.StepName != "叫号问候" || !strings.Contains(strings.Join(codes, ","), "greeting_"+tod.TimeOfDay) ||
			!strings.Contains(strings.Join(codes, ","), "greeting,") || len(out.Scenarios[0].Phrases) == 0 {
			t.Fatalf("greetings at %s: %s", tod.TimeOfDay, r.body)
		}
		for step, code := range map[string]string{"missing_material": "materials_missing", "finish": "farewell", "pause": "equipment_failure",
			"transfer": "redirect", "serve": "please_wait"} {
			r := e.do("GET", "/api/v1/speech/phrases?step="+step+"&hall=2", e.login("admin"), nil)
			if r.status != 200 || !strings.Contains(string(r.body), `"code":"`+code+`"`) {
				t.Errorf("phrases of %s: %d %s", step, r.status, r.body)
			}
		}
		// Traditional pages get Traditional phrases
		if r := e.do("GET", "/api/v1/speech/phrases?step=finish&lang=zh-Hant", clerk, nil); !strings.Contains(string(r.body), "歡迎再次光臨") {
			t.Errorf("Traditional phrases: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v1/speech/phrases", clerk, nil), 400, "speech_bad_step")
		expect(t, e.do("GET", "/api/v1/speech/phrases?step=dance", clerk, nil), 400, "speech_bad_step")
		expect(t, e.do("GET", "/api/v1/speech/phrases?step=call&hall=99", clerk, nil), 404, "hall_not_found")
		expect(t, e.do("GET", "/api/v1/speech/phrases?step=call&hall=x", clerk, nil), 400, "bad_id")
	})
}

// Garbage sent to every service language endpoint gets a 4xx, never a 5xx.
func TestSpeechNoServerErrors(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, clerk := e.login("admin"), e.login("clerk1-1")
		bodies := []string{"", "null", "[]", "{", `{"text":null}`, `{"text":1}`, `{"text":"a\u0000b"}`, "\xff\xfe", `{"text":"\ud800"}`,
			`{"id":"","words":[""],"severity":0}`, `{"words":null,"exceptions":[null]}`, `{"category":"` + strings.Repeat("x", 5000) + `"}`,
			`{"version":2,"rules":null,"scenarios":null}`, `{"rules":[{"id":"a b"}]}`, `{"words":["。"],"category":"vague","severity":1,"suggestion":"s"}`}
		type call struct{ method, path string }
		calls := []call{{"POST", "/api/v1/speech/check"}, {"PUT", "/api/v1/speech/rules"}, {"PUT", "/api/v1/speech/rules/r-1"},
			{"PUT", "/api/v1/speech/rules/%20"}, {"PUT", "/api/v1/speech/rules/" + strings.Repeat("z", 300)}, {"DELETE", "/api/v1/speech/rules/%00"},
			{"POST", "/api/v1/tickets/1/transcripts"}, {"POST", "/api/v1/tickets/99999999999999999999/transcripts"}, {"POST", "/api/v1/tickets/-1/transcripts"}}
		for _, c := range calls {
			for _, b := range bodies {
				for _, tok := range []string{"", clerk, admin} {
					if r := e.do(c.method, c.path, tok, b); r.status >= 500 {
						t.Fatalf("%s %s %q: %d %s", c.method, c.path, b, r.status, r.body)
					}
				}
			}
		}
		for _, p := range []string{"/api/v1/speech/rules", "/api/v1/speech/rules/export?version=-1", "/api/v1/speech/rules/history",
			"/api/v1/speech/phrases?step=%00", "/api/v1/speech/phrases?step=call&hall=99999999999999999999", "/api/v1/speech/stats?from=%00",
			"/api/v1/speech/stats?to=9999-99-99", "/api/v1/speech/stats?clerk=99999999999999999999", "/api/v1/tickets/1/transcripts"} {
			for _, tok := range []string{"", clerk, admin} {
				if r := e.do("GET", p, tok, nil); r.status >= 500 {
					t.Fatalf("GET %s: %d %s", p, r.status, r.body)
				}
			}
		}
	})
}
