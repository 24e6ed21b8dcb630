package web_test

import (
	"fmt"
	"strings"
	"testing"
)

type transcriptOut struct {
	ID           int64    `json:"id"`
	Ticket       int64    `json:"ticket"`
	TicketNumber string   `json:"ticket_number"`
	ClerkID      int64    `json:"clerk_id"`
	ClerkName    string   `json:"clerk_name"`
	Text         string   `json:"text"`
	ClerkLines   int      `json:"clerk_lines"`
	CreatedBy    string   `json:"created_by"`
	Hits         []hitOut `json:"hits"`
	Count        int      `json:"count"`
}

// serveTicket takes a ticket for hall 1's first service and has the clerk call (and start) it
// at window w, which the clerk opens.
func (e *env) serveTicket(clerk string, w int, start bool) int64 {
	e.t.Helper()
	r := e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": 1})
	expect(e.t, r, 201, "")
	expect(e.t, e.do("POST", fmt.Sprintf("/api/v1/windows/%d/open", w), clerk, nil), 200, "")
	r = e.do("POST", fmt.Sprintf("/api/v1/windows/%d/call", w), clerk, nil)
	expect(e.t, r, 200, "")
	var tk struct{ ID int64 }
	r.json(e.t, &tk)
	if start {
		expect(e.t, e.do("POST", fmt.Sprintf("/api/v1/windows/%d/start", w), clerk, nil), 200, "")
	}
	return tk.ID
}

func TestTranscriptsAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		c1, c2, sup, sup2, admin := e.login("clerk1-1"), e.login("clerk1-2"), e.login("sup1"), e.login("sup2"), e.login("admin")
		id := e.serveTicket(c1, 1, true)
		path := fmt.Sprintf("/api/v1/tickets/%d/transcripts", id)
		talk := "窗口：您好，请报一下手机号。\n群众：13812345678，卡号6222021234567890\n窗口：这不归我管，你必须去3号窗口。"

		expect(t, e.do("POST", path, "", map[string]any{"text": talk}), 401, "login_required")
		expect(t, e.do("POST", path, c2, map[string]any{"text": talk}), 403, "ticket_of_other_clerk")
		expect(t, e.do("POST", path, e.login("clerk2-1"), map[string]any{"text": talk}), 403, "ticket_of_other_hall")
		expect(t, e.do("POST", path, sup2, map[string]any{"text": talk}), 403, "ticket_of_other_hall")
		expect(t, e.do("POST", path, c1, map[string]any{"text": ""}), 400, "speech_text_empty")
		expect(t, e.do("POST", path, c1, `{"txt":"x"}`), 400, "bad_request")
		r := e.do("POST", path, c1, map[string]any{"text": talk})
		expect(t, r, 201, "")
		var tr transcriptOut
		r.json(t, &tr)
		if tr.Ticket != id || tr.TicketNumber != "A001" || tr.ClerkName != "王丽" || tr.ClerkLines != 2 || tr.CreatedBy != "clerk1-1" ||
			tr.Count != 2 || len(tr.Hits) != 2 || tr.Hits[0].CategoryName != "推诿" {
			t.Fatalf("transcript: %s", r.body)
		}
		if strings.Contains(string(r.body), "13812345678") || strings.Contains(string(r.body), "6222021234567890") ||
			!strings.Contains(tr.Text, "138****5678") || !strings.Contains(tr.Text, "622*********7890") {
			t.Fatalf("not masked: %q", tr.Text)
		}
		runes := []rune(tr.Text)
		for _, h := range tr.Hits {
			if string(runes[h.Start:h.End]) != h.Text {
				t.Fatalf("hit %+v off the stored text", h)
			}
		}

		// the hall's supervisor and an admin may add one; reading is for the hall's staff
		expect(t, e.do("POST", path, sup, map[string]any{"text": "好的。"}), 201, "")
		expect(t, e.do("POST", path, admin, map[string]any{"text": "窗口：再见。"}), 201, "")
		var list []transcriptOut
		r = e.do("GET", path, c2, nil)
		expect(t, r, 200, "")
		r.json(t, &list)
		if len(list) != 3 || list[0].ID != tr.ID || list[0].Text != tr.Text || len(list[0].Hits) != 2 || list[0].Count != 2 || list[1].CreatedBy != "sup1" {
			t.Fatalf("list: %s", r.body)
		}
		expect(t, e.do("GET", path, sup2, nil), 403, "ticket_of_other_hall")
		expect(t, e.do("GET", path, "", nil), 401, "login_required")
		expect(t, e.do("GET", "/api/v1/tickets/424242/transcripts", c1, nil), 404, "ticket_not_found")
		expect(t, e.do("GET", "/api/v1/tickets/x/transcripts", c1, nil), 400, "bad_id")
		expect(t, e.do("POST", "/api/v1/tickets/0/transcripts", c1, map[string]any{"text": "x"}), 400, "bad_id")

		// only a ticket being served or done
		expect(t, e.do("POST", "/api/v1/windows/1/finish", c1, nil), 200, "")
		called := e.serveTicket(c1, 1, false)
		expect(t, e.do("POST", fmt.Sprintf("/api/v1/tickets/%d/transcripts", called), c1, map[string]any{"text": "您好"}), 409, "wrong_ticket_state")
		expect(t, e.do("POST", path, c1, map[string]any{"text": "窗口：搞定了"}), 201, "") // done: still fine

		// statistics
		var st struct {
			From, To string
			Clerks   []struct {
				ClerkID     int64 `json:"clerk_id"`
				Username    string
				Transcripts int
				ClerkLines  int `json:"clerk_lines"`
				Hits        int
				Weighted    int
				Score       float64
				ByCategory  map[string]int `json:"by_category"`
			}
		}
		r = e.do("GET", "/api/v1/speech/stats", c1, nil)
		expect(t, r, 200, "")
		r.json(t, &st)
		// 4 transcripts of clerk1-1's ticket: lines 2 + 1 + 1 + 1; 推诿 (3), 命令式 (2), 口语化 (1)
		if len(st.Clerks) != 1 || st.Clerks[0].Username != "clerk1-1" || st.Clerks[0].Transcripts != 4 || st.Clerks[0].ClerkLines != 5 ||
			st.Clerks[0].Hits != 3 || st.Clerks[0].Weighted != 6 || st.Clerks[0].Score != 120 || st.Clerks[0].ByCategory["colloquial"] != 1 {
			t.Fatalf("stats: %s", r.body)
		}
		var me struct{ ID int64 }
		e.do("GET", "/api/v1/me", c2, nil).json(t, &me)
		expect(t, e.do("GET", fmt.Sprintf("/api/v1/speech/stats?clerk=%d", me.ID), c1, nil), 403, "forbidden")
		if r := e.do("GET", "/api/v1/speech/stats", sup2, nil); r.status != 200 || !strings.Contains(string(r.body), `"clerks":[]`) {
			t.Fatalf("hall 2's supervisor: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v1/speech/stats?hall=1", sup2, nil), 403, "forbidden")
		if r := e.do("GET", "/api/v1/speech/stats?hall=1&from=2020-01-01&to=2020-12-31", admin, nil); r.status != 200 || !strings.Contains(string(r.body), `"clerks":[]`) {
			t.Fatalf("an old period: %s", r.body)
		}
		if r := e.do("GET", "/api/v1/speech/stats", sup, nil); r.status != 200 || !strings.Contains(string(r.body), `"username":"clerk1-1"`) {
			t.Fatalf("supervisor: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v1/speech/stats?from=yesterday", admin, nil), 400, "bad_date")
		expect(t, e.do("GET", "/api/v1/speech/stats?from=2026-02-01&to=2026-01-01", admin, nil), 400, "bad_period")
		expect(t, e.do("GET", "/api/v1/speech/stats?clerk=-3", admin, nil), 400, "bad_id")
		expect(t, e.do("GET", "/api/v1/speech/stats", "", nil), 401, "login_required")

		var audit []struct{ Action, Target, Username string }
		e.do("GET", "/api/v1/audit", sup, nil).json(t, &audit)
		recorded := 0
		for _, a := range audit {
			if a.Action == "speech.transcript" && a.Target == "ticket:A001" {
				recorded++
			}
		}
		if recorded != 4 {
			t.Fatalf("%d transcripts in the audit log, want 4", recorded)
		}
		if strings.Contains(e.logs.String(), "5678") || strings.Contains(e.logs.String(), "不归我管") {
			t.Fatal("transcript text reached the log")
		}
	})
}
