package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/calendar"
)

// servedTicket takes a ticket at hall 1, serves it at window 1 and returns its token (not
// finished when finish is false).
func (e *env) servedTicket(clerk string, finish bool) string {
	t := e.t
	t.Helper()
	r := e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": 1})
	expect(t, r, 201, "")
	var tk struct{ Token string }
	r.json(t, &tk)
	e.do("POST", "/api/v1/windows/1/open", clerk, nil)
	expect(t, e.do("POST", "/api/v1/windows/1/call", clerk, nil), 200, "")
	if finish {
		expect(t, e.do("POST", "/api/v1/windows/1/finish", clerk, nil), 200, "")
	}
	return tk.Token
}

func TestRatingAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		clerk := e.login("clerk1-1")
		tok := e.servedTicket(clerk, true)
		rate := func(tok string, body any) resp { return e.do("POST", "/api/v1/tickets/"+tok+"/rating", "", body) }

		expect(t, rate(tok, map[string]any{"level": 0}), 400, "rating_bad_level")
		expect(t, rate(tok, map[string]any{"level": 6}), 400, "rating_bad_level")
		expect(t, rate(tok, `{"level": 3, "stars": 3}`), 400, "bad_request")
		expect(t, rate("NoSuchTicketTokenAtAll", map[string]any{"level": 5}), 404, "ticket_not_found")
		expect(t, rate("../../etc", map[string]any{"level": 5}), 404, "")

		// Two sent at once (and six more): exactly one is kept, the rest are 409 already_rated.
		var wg sync.WaitGroup
		res := make([]resp, 8)
		for i := range res {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res[i] = rate(tok, map[string]any{"level": 1 + i%2, "tags": []string{"attitude"}, "comment": "态度差"})
			}()
		}
		wg.Wait()
		created, rectCode := 0, ""
		for _, r := range res {
			switch r.status {
			case 201:
				created++
				var out struct {
					ID, Level     int
					Rectification string
				}
				r.json(t, &out)
				if out.ID == 0 || out.Level < 1 || out.Rectification == "" {
					t.Fatalf("created %s", r.body)
				}
				rectCode = out.Rectification
			default:
				expect(t, r, 409, "already_rated")
			}
		}
		if created != 1 {
			t.Fatalf("%d ratings accepted for one ticket", created)
		}
		expect(t, rate(tok, map[string]any{"level": 5}), 409, "already_rated")

		// The citizen follows the rectification by its code, and sees nothing of the clerk.
		r0 := e.do("GET", "/api/v1/rectification-codes/"+rectCode, "", nil)
		expect(t, r0, 200, "")
		if !strings.Contains(string(r0.body), `"state":"contact"`) || strings.Contains(string(r0.body), "clerk") {
			t.Fatalf("citizen's view %s", r0.body)
		}
		expect(t, e.do("GET", "/api/v1/rectification-codes/R000000-XXXXX", "", nil), 404, "rectification_not_found")
		if res, err := http.Get(e.srv.URL + "/r/" + rectCode); err != nil || res.StatusCode != 200 {
			t.Fatalf("/r/ page: %v %v", res, err)
		} else {
			res.Body.Close()
		}

		unfinished := e.servedTicket(clerk, false)
		expect(t, rate(unfinished, map[string]any{"level": 5}), 409, "rating_not_finished")

		// The rectification the bad rating opened, as the contract gives it.
		sup := e.login("sup1")
		expect(t, e.do("GET", "/api/v1/halls/1/rectifications?state=open", clerk, nil), 403, "forbidden")
		expect(t, e.do("GET", "/api/v1/halls/1/rectifications?state=open", e.login("sup2"), nil), 403, "forbidden")
		expect(t, e.do("GET", "/api/v1/halls/1/rectifications?state=open", "", nil), 401, "")
		r := e.do("GET", "/api/v1/halls/1/rectifications?state=open", sup, nil)
		expect(t, r, 200, "")
		var list []struct {
			ID, Level  int64
			RatingID   int64 `json:"rating_id"`
			WindowID   int64 `json:"window_id"`
			ClerkID    int64 `json:"clerk_id"`
			State, Due string
			ContactDue string `json:"contact_due"`
		}
		r.json(t, &list)
		if len(list) != 1 || list[0].RatingID == 0 || list[0].WindowID != 1 || list[0].ClerkID == 0 || list[0].State != "contact" {
			t.Fatalf("rectifications %s", r.body)
		}
		if strings.Contains(string(r.body), `"rating_id"`) == false || !strings.Contains(string(r.body), `"contact_due"`) {
			t.Fatalf("field names: %s", r.body)
		}
		c, err := calendar.Load(t.Context(), e.app.DB, 1)
		if err != nil {
			t.Fatal(err)
		}
		today := calendar.DateOf(time.Now().In(time.FixedZone("CST", 8*3600)))
		due, _ := c.AddWorkdays(today, 5)
		contact, _ := c.AddWorkdays(today, 1)
		if list[0].Due != due.String() || list[0].ContactDue != contact.String() {
			t.Fatalf("due %s contact %s; want %s %s", list[0].Due, list[0].ContactDue, due, contact)
		}
		id := list[0].ID
		path := func(a string) string { return "/api/v1/rectifications/" + itoa(id) + "/" + a }
		expect(t, e.do("POST", path("verify"), sup, map[string]any{"verdict": "reasonable"}), 409, "feedback_illegal_step")
		expect(t, e.do("POST", path("contact"), clerk, map[string]any{"note": "x"}), 403, "forbidden")
		expect(t, e.do("POST", path("contact"), sup, map[string]any{"note": "已电话联系"}), 200, "")
		expect(t, e.do("POST", path("verify"), sup, map[string]any{"verdict": "maybe"}), 400, "feedback_bad_variant")
		expect(t, e.do("POST", path("verify"), sup, map[string]any{"verdict": "reasonable", "cause": "等候时间长"}), 200, "")
		expect(t, e.do("POST", path("report"), sup, map[string]any{"cause": "高峰", "fix": "增开窗口"}), 200, "")
		expect(t, e.do("POST", path("callback"), sup, map[string]any{"outcome": "已回访", "response": "satisfied"}), 200, "")
		expect(t, e.do("POST", path("callback"), sup, map[string]any{"outcome": "again", "response": "satisfied"}), 409, "feedback_illegal_step")
	})
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

func TestComplaintAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		r := e.do("POST", "/api/v1/halls/1/complaints", "", map[string]any{"channel": "web", "topic": "attitude",
			"text": "窗口人员不耐烦，身份证号110101199003077777", "contact_name": "李四", "contact_phone": "13812345678"})
		expect(t, r, 201, "")
		var taken struct{ Code, Token string }
		r.json(t, &taken)
		if taken.Code == "" || len(taken.Token) < 20 {
			t.Fatalf("taken %s", r.body)
		}
		expect(t, e.do("POST", "/api/v1/halls/1/complaints", "", map[string]any{"channel": "phone", "topic": "attitude", "text": "x"}), 403, "complaint_web_only")
		expect(t, e.do("POST", "/api/v1/halls/1/complaints", "", map[string]any{"channel": "web", "topic": "nope", "text": "x"}), 400, "complaint_bad_topic")
		expect(t, e.do("POST", "/api/v1/halls/9/complaints", "", map[string]any{"channel": "web", "topic": "attitude", "text": "x"}), 404, "")
		clerk := e.login("clerk1-8")
		expect(t, e.do("POST", "/api/v1/halls/1/complaints", clerk, map[string]any{"channel": "phone", "topic": "efficiency", "text": "电话投诉"}), 201, "")

		r = e.do("GET", "/api/v1/complaints/"+taken.Token, "", nil)
		expect(t, r, 200, "")
		body := string(r.body)
		if !strings.Contains(body, "138****5678") || strings.Contains(body, "13812345678") || !strings.Contains(body, `"李*"`) ||
			strings.Contains(body, "110101199003077777") || strings.Contains(body, "电话投诉") {
			t.Fatalf("the complainant's view: %s", body)
		}
		expect(t, e.do("GET", "/api/v1/complaints/"+strings.Repeat("x", 24), "", nil), 404, "complaint_not_found")
		if strings.Contains(e.logs.String(), taken.Token) || strings.Contains(e.logs.String(), "13812345678") {
			t.Fatal("the log holds a token or a phone number")
		}

		sup := e.login("sup1")
		var list []struct {
			ID          int64
			Code, State string
		}
		r = e.do("GET", "/api/v1/halls/1/complaints?state=open", sup, nil)
		expect(t, r, 200, "")
		r.json(t, &list)
		if len(list) != 2 {
			t.Fatalf("list %s", r.body)
		}
		var id int64
		for _, c := range list {
			if c.Code == taken.Code {
				id = c.ID
			}
		}
		p := "/api/v1/halls/1/complaints/" + itoa(id) + "/"
		expect(t, e.do("POST", "/api/v1/halls/2/complaints/"+itoa(id)+"/sign", sup, nil), 404, "complaint_not_found")
		expect(t, e.do("POST", p+"sign", e.login("sup2"), nil), 403, "forbidden")
		expect(t, e.do("POST", p+"sign", sup, nil), 200, "")
		expect(t, e.do("POST", p+"classify", sup, map[string]any{"class": "major", "department": "综合科", "priority": 1}), 200, "")
		expect(t, e.do("POST", p+"handle", sup, map[string]any{"listened": true, "apologised": true, "action": "约谈", "result": "已整改", "upheld": true}), 200, "")
		opinion := func(ok bool) resp {
			return e.do("POST", "/api/v1/complaints/"+taken.Token+"/opinion", "", map[string]any{"satisfied": ok})
		}
		r = opinion(false)
		expect(t, r, 200, "")
		if !strings.Contains(string(r.body), `"state":"investigating"`) || !strings.Contains(string(r.body), `"reopens":1`) {
			t.Fatalf("reopened: %s", r.body)
		}
		expect(t, opinion(true), 409, "feedback_illegal_step")
		expect(t, e.do("POST", p+"handle", sup, map[string]any{"action": "再处理", "result": "已再次整改"}), 200, "")
		expect(t, opinion(true), 200, "")
		expect(t, e.do("POST", p+"learn", sup, map[string]any{"cause": "服务意识", "improvement": "培训"}), 200, "")
		r = e.do("GET", "/api/v1/complaints/"+taken.Token, "", nil)
		if !strings.Contains(string(r.body), `"state":"closed"`) {
			t.Fatalf("closed: %s", r.body)
		}

		r = e.do("GET", "/api/v1/halls/1/feedback-figures?from=2020-01-01&to=2020-01-31", sup, nil)
		expect(t, r, 200, "")
		expect(t, e.do("GET", "/api/v1/halls/1/feedback-figures?from=2020-02-01&to=2020-01-31", sup, nil), 400, "figures_bad_period")
	})
}

func TestFeedbackPagesServe(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		for _, p := range []string{"/pad/1", "/complain/1"} {
			res, err := http.Get(e.srv.URL + p)
			if err != nil || res.StatusCode != 200 {
				t.Fatalf("%s: %v %v", p, res.StatusCode, err)
			}
			res.Body.Close()
		}
	})
}
