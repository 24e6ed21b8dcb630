package web_test

import (
	"fmt"
	"strings"
	"testing"
)

type caseJSON struct {
	ID        int64
	Number    string
	State     string
	Returns   int
	Level     string
	Due       string
	Allowed   []string
	Applicant string
	Materials []struct {
		Position     int
		Name, Status string
	}
	Notice *struct {
		Reference, Code string
		Items           []struct {
			Name, Status string
			Original     bool
			Copies       int
		}
	}
}

func (e *env) caseOf(r resp, status int) caseJSON {
	e.t.Helper()
	expect(e.t, r, status, "")
	var c caseJSON
	r.json(e.t, &c)
	return c
}

// serviceByPrefix is the id and material count of a hall's service.
func (e *env) serviceByPrefix(hall int, prefix string) (int64, int) {
	e.t.Helper()
	var svcs []struct {
		ID        int64
		Prefix    string
		Materials []struct{ Name string }
	}
	e.do("GET", fmt.Sprintf("/api/v1/halls/%d/services", hall), "", nil).json(e.t, &svcs)
	for _, s := range svcs {
		if s.Prefix == prefix {
			return s.ID, len(s.Materials)
		}
	}
	e.t.Fatalf("no service %s", prefix)
	return 0, 0
}

func checklist(n int, short ...int) map[string]any {
	var items []map[string]any
	for i := 0; i < n; i++ {
		st := "ok"
		for _, s := range short {
			if s == i {
				st = "missing"
			}
		}
		items = append(items, map[string]any{"position": i, "status": st})
	}
	return map[string]any{"items": items}
}

// TestCaseAPIFromCounterToPickup: a called ticket opens a case, two materials missing, one
// notice listing both (printable, with its QR code), the kiosk's ticket by the notice's code,
// the case continued with the return counted, accepted, assigned, completed by the
// department's handler and delivered; every refused step says why.
func TestCaseAPIFromCounterToPickup(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		svc, nMats := e.serviceByPrefix(1, "E")
		clerk := e.login("clerk1-1")
		expect(t, e.do("POST", "/api/v1/windows/1/open", clerk, nil), 200, "")
		var tk struct {
			ID    int64
			Token string
		}
		e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": svc}).json(t, &tk)
		var called struct{ ID int64 }
		e.do("POST", "/api/v1/windows/1/call", clerk, nil).json(t, &called)
		if called.ID != tk.ID {
			t.Fatalf("called %d, issued %d", called.ID, tk.ID)
		}

		expect(t, e.do("POST", "/api/v1/cases", "", map[string]any{"ticket": tk.ID}), 401, "login_required")
		expect(t, e.do("POST", "/api/v1/cases", e.login("sup2"), map[string]any{"ticket": tk.ID}), 403, "case_of_other_hall")
		expect(t, e.do("POST", "/api/v1/cases", clerk, `{"ticket":"x"}`), 400, "bad_request")
		c := e.caseOf(e.do("POST", "/api/v1/cases", clerk, map[string]any{"ticket": tk.ID, "applicant": "张三丰"}), 201)
		if c.State != "consult" || c.Applicant != "张**" || !strings.HasPrefix(c.Number, "E") {
			t.Fatalf("opened %+v", c)
		}
		id := fmt.Sprint(c.ID)
		// A refused step names the state it was refused in, in the caller's language.
		r := e.do("POST", "/api/v1/cases/"+id+"/steps?lang=en", clerk, map[string]any{"step": "deliver"})
		expect(t, r, 409, "case_illegal_step")
		if !strings.Contains(string(r.body), `state \"consult\"`) {
			t.Fatalf("refusal does not name the state: %s", r.body)
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "fly"}), 400, "case_unknown_step")
		expect(t, e.do("PUT", "/api/v1/cases/"+id+"/materials", clerk, map[string]any{"items": []any{}}), 400, "case_checklist_incomplete")
		expect(t, e.do("PUT", "/api/v1/cases/"+id+"/materials", clerk, map[string]any{"items": []map[string]any{{"position": 99, "status": "ok"}}}), 400, "case_bad_material")
		expect(t, e.do("PUT", "/api/v1/cases/"+id+"/materials", clerk, map[string]any{"items": []map[string]any{{"position": 0, "status": "lost"}}}), 400, "case_bad_status")

		c = e.caseOf(e.do("PUT", "/api/v1/cases/"+id+"/materials", clerk, checklist(nMats, 2, 4)), 200)
		if c.State != "review" || len(c.Materials) != nMats {
			t.Fatalf("checked %+v", c)
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "accept"}), 409, "case_materials_short")
		c = e.caseOf(e.do("POST", "/api/v1/cases/"+id+"/notice", clerk, nil), 201)
		if c.State != "correction" || c.Notice == nil || len(c.Notice.Items) != 2 || c.Notice.Code == "" {
			t.Fatalf("notice %+v", c)
		}
		code := c.Notice.Code
		// what is needed of each item is the catalogue's: 婚姻状况证明 original, 首付款发票 a copy
		if it := c.Notice.Items; !it[0].Original || it[0].Copies != 1 || it[1].Original || it[1].Copies != 1 {
			t.Fatalf("notice items %+v", it)
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/notice", clerk, nil), 409, "case_notice_once")

		// The printable notice lists both items, with its QR code; anyone with the code sees it.
		page := e.do("GET", "/notice/"+strings.ToLower(code), "", nil)
		expect(t, page, 200, "")
		for _, it := range c.Notice.Items {
			if !strings.Contains(string(page.body), it.Name) {
				t.Fatalf("notice page lacks %s", it.Name)
			}
		}
		if !strings.Contains(string(page.body), `/notice/`+code+`/qr.png`) || strings.Contains(string(page.body), "张三丰") {
			t.Fatal("notice page: no QR code, or the applicant's name")
		}
		qr := e.do("GET", "/notice/"+code+"/qr.png", "", nil)
		if qr.status != 200 || !strings.HasPrefix(string(qr.body), "\x89PNG") {
			t.Fatalf("qr %d", qr.status)
		}
		expect(t, e.do("GET", "/notice/NOPE2345/qr.png", "", nil), 404, "")
		expect(t, e.do("GET", "/api/v1/notices/NOPE2345", "", nil), 404, "notice_not_found")
		var mine struct {
			State  string
			Notice *struct{ Code string }
		}
		e.do("GET", "/api/v1/tickets/"+tk.Token+"/case", "", nil).json(t, &mine)
		if mine.State != "correction" || mine.Notice == nil || mine.Notice.Code != code {
			t.Fatalf("citizen's case %+v", mine)
		}

		// Back with the code at the kiosk: a new ticket, the return counted once.
		expect(t, e.do("POST", "/api/v1/halls/1/cases/checkin", "", map[string]any{"code": "ZZZZ9999"}), 404, "notice_not_found")
		expect(t, e.do("POST", "/api/v1/halls/2/cases/checkin", "", map[string]any{"code": code}), 404, "notice_not_found")
		expect(t, e.do("POST", "/api/v1/halls/1/cases/checkin", "", `{"code":`), 400, "bad_request")
		var back struct {
			ID     int64
			Number string
		}
		r = e.do("POST", "/api/v1/halls/1/cases/checkin", "", map[string]any{"code": code})
		expect(t, r, 201, "")
		r.json(t, &back)
		expect(t, e.do("POST", "/api/v1/halls/1/cases/checkin", "", map[string]any{"code": code}), 409, "case_not_waiting")
		expect(t, e.do("POST", "/api/v1/windows/1/finish", clerk, nil), 200, "")
		e.do("POST", "/api/v1/windows/1/call", clerk, nil).json(t, &called)
		if called.ID != back.ID {
			t.Fatalf("called %d, want the returning ticket %d", called.ID, back.ID)
		}
		c = e.caseOf(e.do("GET", fmt.Sprintf("/api/v1/cases/by-ticket/%d", back.ID), clerk, nil), 200)
		if fmt.Sprint(c.ID) != id || c.State != "review" || c.Returns != 1 {
			t.Fatalf("continued %+v", c)
		}
		// the clerk's "continue by code" on the same ticket counts nothing twice
		c = e.caseOf(e.do("POST", "/api/v1/cases/resume", clerk, map[string]any{"code": code, "ticket": back.ID}), 200)
		if c.Returns != 1 {
			t.Fatalf("resume counted again: %+v", c)
		}
		e.caseOf(e.do("PUT", "/api/v1/cases/"+id+"/materials", clerk, checklist(nMats)), 200)
		c = e.caseOf(e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "accept"}), 200)
		if c.State != "processing" || c.Due == "" {
			t.Fatalf("accepted %+v", c)
		}

		// The department: assigned, its handler completes; others may not.
		var depts []struct{ ID int64 }
		e.do("GET", "/api/v1/halls/1/departments", clerk, nil).json(t, &depts)
		if len(depts) < 2 {
			t.Fatalf("departments %+v", depts)
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "assign", "department": 999}), 400, "case_bad_department")
		e.caseOf(e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "assign", "department": depts[1].ID}), 200)
		h1 := e.login("handler1")
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", h1, map[string]any{"step": "complete"}), 403, "case_of_other_department")
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", e.login("handler2"), map[string]any{"step": "complete"}), 403, "")
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "extend"}), 403, "")
		expect(t, e.do("GET", "/api/v1/halls/1/cases", clerk, nil), 403, "forbidden")
		e.caseOf(e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "assign", "department": depts[0].ID}), 200)
		var list []caseJSON
		e.do("GET", "/api/v1/halls/1/cases", h1, nil).json(t, &list)
		found := false
		for _, x := range list {
			found = found || x.ID == c.ID
		}
		if !found {
			t.Fatal("the handler's work list lacks the case assigned to their department")
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", h1, map[string]any{"step": "deliver", "window": 1}), 403, "")
		c = e.caseOf(e.do("POST", "/api/v1/cases/"+id+"/steps", h1, map[string]any{"step": "complete", "note": "已核准"}), 200)
		if c.State != "completed" {
			t.Fatalf("completed %+v", c)
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "deliver"}), 400, "case_needs")
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "deliver", "window": 9}), 400, "case_bad_window")
		c = e.caseOf(e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "deliver", "window": 8}), 200)
		if c.State != "delivered" || len(c.Allowed) != 0 {
			t.Fatalf("delivered %+v", c)
		}
		expect(t, e.do("POST", "/api/v1/cases/"+id+"/steps", clerk, map[string]any{"step": "complete"}), 409, "case_illegal_step")

		// 首问负责: to another window, with a reason.
		expect(t, e.do("POST", "/api/v1/handoffs", clerk, map[string]any{"ticket": back.ID, "to_window": 4, "reason": ""}), 400, "")
		expect(t, e.do("POST", "/api/v1/handoffs", clerk, map[string]any{"ticket": back.ID, "to_window": 1, "reason": "x"}), 400, "case_bad_window")
		expect(t, e.do("POST", "/api/v1/handoffs", clerk, map[string]any{"ticket": back.ID, "to_window": 4, "reason": "公积金业务请到4号窗口"}), 201, "")
	})
}

// TestDemoCasesAndPages: the demo holds a case in every state, one yellow and one red; the
// work list page opens for the supervisor and the handler, not for a clerk.
func TestDemoCasesAndPages(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		sup := e.login("sup1")
		var list []caseJSON
		e.do("GET", "/api/v1/halls/1/cases", sup, nil).json(t, &list)
		states, levels := map[string]int{}, map[string]int{}
		for _, c := range list {
			states[c.State]++
			levels[c.Level]++
		}
		for _, s := range []string{"consult", "review", "correction", "processing", "suspended", "rejected", "completed", "delivered"} {
			if states[s] == 0 {
				t.Errorf("no demo case %s: %v", s, states)
			}
		}
		if levels["yellow"] == 0 || levels["red"] == 0 {
			t.Errorf("demo levels %v", levels)
		}
		var urgent []caseJSON
		e.do("GET", "/api/v1/halls/1/cases?urgent=1", sup, nil).json(t, &urgent)
		for _, c := range urgent {
			if c.Level == "green" {
				t.Errorf("urgent list holds a green case %s", c.Number)
			}
		}
		expect(t, e.do("GET", "/cases/1", sup, nil), 200, "")
		expect(t, e.do("GET", "/cases/1", e.login("handler1"), nil), 200, "")
		if r := e.do("GET", "/cases/1", e.login("sup2"), nil); r.status != 403 {
			t.Errorf("another hall's supervisor: %d", r.status)
		}
		if r := e.do("GET", "/cases/1", e.login("clerk1-1"), nil); r.status != 403 {
			t.Errorf("clerk: %d", r.status)
		}
	})
}
