package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// Back-office API tests on each engine: every write checked for its answer, what it stored,
// its audit line, who may not make it, and bad input refused with nothing written.

type auditLine struct {
	ID             int64
	Action, Target string
	Username       string
	Detail         json.RawMessage
}

// lastAudit is the newest audit line of staff an admin sees (the scheduled jobs, which write
// as "system", run beside the test and are left out).
func (e *env) lastAudit(admin string) auditLine {
	e.t.Helper()
	var es []auditLine
	e.do("GET", "/api/v1/audit", admin, nil).json(e.t, &es)
	for _, x := range es {
		if x.Username != "system" {
			return x
		}
	}
	e.t.Fatal("no audit lines of staff")
	return auditLine{}
}

// unchanged runs f (a refused write) and fails if it left an audit line or changed what read
// returns.
func (e *env) unchanged(admin, what string, read func() string, f func()) {
	e.t.Helper()
	before, a := read(), e.lastAudit(admin)
	f()
	if after := read(); after != before {
		e.t.Errorf("%s: state changed:\n%s\n→\n%s", what, before, after)
	}
	if b := e.lastAudit(admin); b.ID != a.ID {
		e.t.Errorf("%s: audited %+v", what, b)
	}
}

func (e *env) body(path, token string) string {
	e.t.Helper()
	return string(e.do("GET", path, token, nil).body)
}

type svcJS struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Prefix    string `json:"prefix"`
	Active    bool   `json:"active"`
	Fees      string `json:"fees"`
	Materials []struct {
		Name     string `json:"name"`
		Original bool   `json:"original"`
		Copies   int    `json:"copies"`
		Issuer   string `json:"issuer"`
	} `json:"materials"`
}

func newService(prefix string) map[string]any {
	return map[string]any{"name": "不动产登记", "prefix": prefix, "kind": "handle", "category": "公共服务", "time_limit_days": 5,
		"fees": "按规定收取登记费", "legal_basis": "《不动产登记暂行条例》", "conditions": "不动产权利人", "keywords": "房产证,过户",
		"materials": []map[string]any{
			{"name": "不动产权证书", "original": true, "copies": 1, "issuer": "不动产登记机构"},
			{"name": "买卖合同", "original": false, "copies": 2, "required_when": "转移登记时"}}}
}

func TestBackofficeServices(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, sup, clerk := e.login("admin"), e.login("sup1"), e.login("clerk1-1")
		services := func() string { return e.body("/api/v1/admin/halls/1/services", admin) }

		// Who may not.
		e.unchanged(admin, "strangers", services, func() {
			expect(t, e.do("POST", "/api/v1/admin/halls/1/services", "", newService("R")), 401, "login_required")
			expect(t, e.do("POST", "/api/v1/admin/halls/1/services", sup, newService("R")), 403, "forbidden")
			expect(t, e.do("POST", "/api/v1/admin/halls/1/services", clerk, newService("R")), 403, "forbidden")
		})
		// Bad input: a clear 400, nothing written.
		bad := map[string]any{}
		for name, mod := range map[string]func(m map[string]any){
			"two-letter prefix": func(m map[string]any) { m["prefix"] = "RR" },
			"taken prefix":      func(m map[string]any) { m["prefix"] = "A" },
			"no name":           func(m map[string]any) { m["name"] = " " },
			"unknown kind":      func(m map[string]any) { m["kind"] = "other" },
			"negative limit":    func(m map[string]any) { m["time_limit_days"] = -1 },
			"unknown field":     func(m map[string]any) { m["fee"] = "免费" },
			"material no name":  func(m map[string]any) { m["materials"] = []map[string]any{{"name": "", "copies": 1}} },
			"material copies":   func(m map[string]any) { m["materials"] = []map[string]any{{"name": "x", "copies": -1}} },
			"control character": func(m map[string]any) { m["fees"] = "免\u0001费" },
		} {
			m := newService("R")
			mod(m)
			bad[name] = m
		}
		e.unchanged(admin, "bad input", services, func() {
			for name, m := range bad {
				r := e.do("POST", "/api/v1/admin/halls/1/services", admin, m)
				if r.status != 400 {
					t.Errorf("%s: %d %s", name, r.status, r.body)
				}
			}
			expect(t, e.do("POST", "/api/v1/admin/halls/99/services", admin, newService("R")), 404, "hall_not_found")
		})

		// Created: listed for the kiosk, in the guide, audited.
		r := e.do("POST", "/api/v1/admin/halls/1/services", admin, newService("R"))
		expect(t, r, 201, "")
		var s svcJS
		r.json(t, &s)
		if s.ID == 0 || s.Prefix != "R" || len(s.Materials) != 2 || s.Materials[0].Issuer != "不动产登记机构" || s.Materials[1].Copies != 2 || s.Materials[1].Original {
			t.Fatalf("created %+v", s)
		}
		if a := e.lastAudit(admin); a.Action != "service.create" || a.Username != "admin" || a.Target != "service:不动产登记" {
			t.Errorf("audit %+v", a)
		}
		if !strings.Contains(e.body("/api/v1/halls/1/services", ""), `"prefix":"R"`) {
			t.Error("the kiosk's list lacks the new service")
		}
		var g struct {
			Service svcJS
			Hall    struct{ Address string }
		}
		e.do("GET", fmt.Sprintf("/api/v1/services/%d/guide", s.ID), "", nil).json(t, &g)
		if g.Service.Fees != "按规定收取登记费" || len(g.Service.Materials) != 2 || g.Hall.Address == "" {
			t.Errorf("guide %+v", g)
		}

		// A ticket of the service keeps its number when the prefix changes.
		r = e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": s.ID})
		expect(t, r, 201, "")
		var tk struct{ Number, Token string }
		r.json(t, &tk)
		upd := newService("S")
		upd["materials"] = []map[string]any{{"name": "不动产权证书", "original": true, "copies": 1}}
		r = e.do("PUT", fmt.Sprintf("/api/v1/admin/services/%d", s.ID), admin, upd)
		expect(t, r, 200, "")
		r.json(t, &s)
		if s.Prefix != "S" || len(s.Materials) != 1 {
			t.Fatalf("updated %+v", s)
		}
		if a := e.lastAudit(admin); a.Action != "service.update" || !strings.Contains(string(a.Detail), `"old_prefix":"R"`) {
			t.Errorf("audit %+v %s", a, a.Detail)
		}
		var st struct{ Number, State string }
		e.do("GET", "/api/v1/tickets/"+tk.Token, "", nil).json(t, &st)
		if tk.Number != "R001" || st.Number != "R001" || st.State != "waiting" {
			t.Errorf("ticket %s now %+v", tk.Number, st)
		}
		r = e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": s.ID})
		expect(t, r, 201, "")
		var tk2 struct{ Number string }
		r.json(t, &tk2)
		if tk2.Number != "S001" {
			t.Errorf("after the prefix change: %s", tk2.Number)
		}
		e.unchanged(admin, "update to a taken prefix", services, func() {
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/services/%d", s.ID), admin, newService("A")), 400, "bad_request")
			expect(t, e.do("PUT", "/api/v1/admin/services/999999", admin, newService("Q")), 404, "service_not_found")
		})

		// Retired: gone from the kiosk, no new tickets, the issued ones still work, the guide stays.
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/services/%d/active", s.ID), admin, map[string]any{"active": false}), 200, "")
		if a := e.lastAudit(admin); a.Action != "service.retire" {
			t.Errorf("audit %+v", a)
		}
		if strings.Contains(e.body("/api/v1/halls/1/services", ""), `"prefix":"S"`) {
			t.Error("a retired service is still offered")
		}
		if r := e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": s.ID}); r.status != 404 {
			t.Errorf("ticket of a retired service: %d %s", r.status, r.body)
		}
		expect(t, e.do("GET", "/api/v1/tickets/"+tk.Token, "", nil), 200, "")
		expect(t, e.do("GET", fmt.Sprintf("/api/v1/services/%d/guide", s.ID), "", nil), 200, "")
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/services/%d/active", s.ID), admin, map[string]any{}), 400, "bad_request")
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/services/%d/active", s.ID), admin, map[string]any{"active": true}), 200, "")
		if !strings.Contains(e.body("/api/v1/halls/1/services", ""), `"prefix":"S"`) {
			t.Error("a restored service is not offered")
		}
	})
}

func TestBackofficeHallsWindowsClasses(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, sup, clerk := e.login("admin"), e.login("sup1"), e.login("clerk1-2")
		halls := func() string { return e.body("/api/v1/admin/halls", admin) }

		// Halls.
		var h map[string]any
		e.do("GET", "/api/v1/halls/2", "", nil).json(t, &h)
		h["address"], h["phone"] = "创新大道 8 号", "0571-12345"
		delete(h, "id")
		delete(h, "active")
		expect(t, e.do("PUT", "/api/v1/admin/halls/2", admin, h), 200, "")
		if a := e.lastAudit(admin); a.Action != "hall.update" {
			t.Errorf("audit %+v", a)
		}
		if !strings.Contains(e.body("/api/v1/halls/2", ""), "创新大道 8 号") {
			t.Error("address not stored")
		}
		e.unchanged(admin, "bad hall", halls, func() {
			for _, mod := range []func(){
				func() { h["timezone"] = "Mars/Olympus" }, func() { h["timezone"] = "Asia/Shanghai"; h["open_time"] = "25:00" },
				func() { h["open_time"] = "09:00"; h["weekdays"] = "189" }, func() { h["weekdays"] = "12345"; h["number"] = 1 },
			} {
				mod()
				if r := e.do("PUT", "/api/v1/admin/halls/2", admin, h); r.status != 400 {
					t.Errorf("%v: %d %s", h, r.status, r.body)
				}
			}
			expect(t, e.do("PUT", "/api/v1/admin/halls/1", sup, h), 403, "forbidden")
			expect(t, e.do("POST", "/api/v1/admin/halls", admin, map[string]any{"number": 3}), 400, "bad_request")
		})
		r := e.do("POST", "/api/v1/admin/halls", admin, map[string]any{"number": 3, "name": "东区分中心", "address": "东区大道 1 号"})
		expect(t, r, 201, "")
		var nh struct{ ID int64 }
		r.json(t, &nh)
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/halls/%d/active", nh.ID), admin, map[string]any{"active": false}), 200, "")
		if strings.Contains(e.body("/api/v1/halls", ""), "东区分中心") || !strings.Contains(halls(), "东区分中心") {
			t.Error("a retired hall is listed to the public, or hidden from the back office")
		}
		expect(t, e.do("POST", fmt.Sprintf("/api/v1/halls/%d/tickets", nh.ID), "", map[string]any{"service": 1}), 404, "hall_not_found")
		var supHalls []struct{ ID int64 }
		e.do("GET", "/api/v1/admin/halls", sup, nil).json(t, &supHalls)
		if len(supHalls) != 1 || supHalls[0].ID != 1 {
			t.Errorf("a supervisor sees %+v", supHalls)
		}

		// Windows: a supervisor reorders their hall's; an open window cannot be retired.
		var wins []struct {
			ID       int64
			Number   int
			Name     string
			Services []int64
			State    string
		}
		e.do("GET", "/api/v1/admin/halls/1/windows", sup, nil).json(t, &wins)
		w2 := wins[1]
		order := append([]int64{w2.Services[2]}, w2.Services[:2]...)
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d", w2.ID), sup, map[string]any{"number": w2.Number, "name": w2.Name, "services": order}), 200, "")
		if a := e.lastAudit(admin); a.Action != "window.update" || a.Username != "sup1" {
			t.Errorf("audit %+v", a)
		}
		var pub []struct {
			ID       int64
			Services []int64
		}
		e.do("GET", "/api/v1/halls/1/windows", "", nil).json(t, &pub)
		if fmt.Sprint(pub[1].Services) != fmt.Sprint(order) {
			t.Errorf("order %v, want %v", pub[1].Services, order)
		}
		windows := func() string { return e.body("/api/v1/admin/halls/1/windows", admin) }
		e.unchanged(admin, "bad window edits", windows, func() {
			expect(t, e.do("PUT", "/api/v1/admin/windows/9", sup, map[string]any{"number": 1, "name": "x", "services": []int64{}}), 403, "forbidden")
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d", w2.ID), sup, map[string]any{"number": 1, "name": "x", "services": []int64{}}), 400, "bad_request")
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d", w2.ID), sup, map[string]any{"number": w2.Number, "name": "x", "services": []int64{order[0], order[0]}}), 400, "bad_request")
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d", w2.ID), sup, map[string]any{"number": w2.Number, "name": "x", "services": []int64{13}}), 404, "service_not_found")
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d/active", w2.ID), sup, map[string]any{"active": false}), 403, "forbidden")
		})
		expect(t, e.do("POST", fmt.Sprintf("/api/v1/windows/%d/open", w2.ID), clerk, nil), 200, "")
		e.unchanged(admin, "retire an open window", windows, func() {
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d/active", w2.ID), admin, map[string]any{"active": false}), 409, "window_open_cannot_retire")
		})
		expect(t, e.do("POST", fmt.Sprintf("/api/v1/windows/%d/close", w2.ID), clerk, nil), 200, "")
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/windows/%d/active", w2.ID), admin, map[string]any{"active": false}), 200, "")
		if a := e.lastAudit(admin); a.Action != "window.retire" {
			t.Errorf("audit %+v", a)
		}
		expect(t, e.do("POST", fmt.Sprintf("/api/v1/windows/%d/open", w2.ID), clerk, nil), 409, "window_retired")
		e.do("GET", "/api/v1/halls/1/windows", "", nil).json(t, &pub)
		if len(pub) != 7 {
			t.Errorf("%d windows listed after retiring one", len(pub))
		}
		r = e.do("POST", "/api/v1/admin/halls/1/windows", admin, map[string]any{"number": 9, "name": "9号综合窗口", "services": order})
		expect(t, r, 201, "")

		// Priority classes.
		classes := func() string { return e.body("/api/v1/admin/priority-classes", admin) }
		expect(t, e.do("POST", "/api/v1/admin/priority-classes", admin, map[string]any{"code": "veteran", "name": "退役军人", "name_en": "Veteran"}), 201, "")
		e.unchanged(admin, "bad classes", classes, func() {
			expect(t, e.do("POST", "/api/v1/admin/priority-classes", admin, map[string]any{"code": "veteran", "name": "x"}), 400, "bad_request")
			expect(t, e.do("POST", "/api/v1/admin/priority-classes", admin, map[string]any{"code": "Bad Code", "name": "x"}), 400, "bad_request")
			expect(t, e.do("PUT", "/api/v1/admin/priority-classes/nosuch", admin, map[string]any{"name": "x"}), 404, "priority_class_not_found")
			expect(t, e.do("POST", "/api/v1/admin/priority-classes", sup, map[string]any{"code": "x", "name": "x"}), 403, "forbidden")
		})
		expect(t, e.do("PUT", "/api/v1/admin/priority-classes/veteran", admin, map[string]any{"name": "退役军人及优抚对象"}), 204, "")
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": pub[0].Services[0], "priority": "veteran"}), 201, "")
		expect(t, e.do("PUT", "/api/v1/admin/priority-classes/veteran/active", admin, map[string]any{"active": false}), 204, "")
		if a := e.lastAudit(admin); a.Action != "priority_class.retire" {
			t.Errorf("audit %+v", a)
		}
		expect(t, e.do("POST", "/api/v1/halls/1/tickets", "", map[string]any{"service": pub[0].Services[0], "priority": "veteran"}), 400, "unknown_priority")
	})
}

func TestBackofficeStaff(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, sup := e.login("admin"), e.login("sup1")
		list := func() string { return e.body("/api/v1/admin/staff", admin) }
		acc := map[string]any{"username": "clerk1-9", "name": "新同事", "role": "clerk", "hall_id": 1, "password": "window-nine-2026"}
		e.unchanged(admin, "bad accounts", list, func() {
			for name, mod := range map[string]func(m map[string]any){
				"weak password": func(m map[string]any) { m["password"] = "123" },
				"taken name":    func(m map[string]any) { m["username"] = "clerk1-1" },
				"unknown role":  func(m map[string]any) { m["role"] = "boss" },
				"no hall":       func(m map[string]any) { m["hall_id"] = 0 },
				"unknown hall":  func(m map[string]any) { m["hall_id"] = 42 },
				"admin in hall": func(m map[string]any) { m["role"] = "admin" },
			} {
				m := map[string]any{}
				for k, v := range acc {
					m[k] = v
				}
				mod(m)
				if r := e.do("POST", "/api/v1/admin/staff", admin, m); r.status != 400 && r.status != 404 {
					t.Errorf("%s: %d %s", name, r.status, r.body)
				}
			}
			expect(t, e.do("POST", "/api/v1/admin/staff", sup, acc), 403, "forbidden")
		})
		r := e.do("POST", "/api/v1/admin/staff", admin, acc)
		expect(t, r, 201, "")
		var m struct {
			ID     int64
			Active bool
		}
		r.json(t, &m)
		if a := e.lastAudit(admin); a.Action != "staff.create" || a.Target != "staff:clerk1-9" {
			t.Errorf("audit %+v", a)
		}
		tok := func(pw string) int {
			return e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "clerk1-9", "password": pw}).status
		}
		if tok("window-nine-2026") != 200 {
			t.Fatal("the new account cannot sign in")
		}
		var out struct{ Token string }
		e.do("POST", "/api/v1/auth/login", "", map[string]string{"username": "clerk1-9", "password": "window-nine-2026"}).json(t, &out)
		expect(t, e.do("GET", "/api/v1/me", out.Token, nil), 200, "")

		// A new role or hall ends the sessions.
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/staff/%d", m.ID), admin, map[string]any{"name": "新同事", "role": "supervisor", "hall_id": 2}), 200, "")
		expect(t, e.do("GET", "/api/v1/me", out.Token, nil), 401, "login_required")
		// Disabled: no sign-in; never deleted.
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/staff/%d/active", m.ID), admin, map[string]any{"active": false}), 200, "")
		if a := e.lastAudit(admin); a.Action != "staff.disable" {
			t.Errorf("audit %+v", a)
		}
		if tok("window-nine-2026") != 401 {
			t.Error("a disabled account signed in")
		}
		if !strings.Contains(list(), `"username":"clerk1-9"`) {
			t.Error("a disabled account vanished")
		}
		if r := e.do("DELETE", fmt.Sprintf("/api/v1/admin/staff/%d", m.ID), admin, nil); r.status != 405 {
			t.Errorf("DELETE staff: %d", r.status)
		}
		e.unchanged(admin, "bad password reset", list, func() {
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/staff/%d/password", m.ID), admin, map[string]any{"password": "short"}), 400, "bad_request")
			var me struct{ ID int64 }
			e.do("GET", "/api/v1/me", admin, nil).json(t, &me)
			expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/staff/%d/active", me.ID), admin, map[string]any{"active": false}), 409, "staff_disable_self")
		})
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/staff/%d/password", m.ID), admin, map[string]any{"password": "another-pass-77"}), 204, "")
		expect(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/staff/%d/active", m.ID), admin, map[string]any{"active": true}), 200, "")
		if tok("another-pass-77") != 200 {
			t.Error("the reset password does not sign in")
		}
	})
}

func TestBackofficeCalendarAndWorkdays(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, sup := e.login("admin"), e.login("sup1")
		workday := func(hall int, from string, add string) (int, string) {
			r := e.do("GET", fmt.Sprintf("/api/v1/calendar/workdays?hall=%d&from=%s&add=%s", hall, from, add), "", nil)
			var out struct {
				Date        string
				Provisional bool
			}
			json.Unmarshal(r.body, &out)
			return r.status, out.Date
		}
		for _, c := range []struct {
			hall      int
			from, add string
			status    int
			date      string
		}{
			{1, "2026-02-13", "1", 200, "2026-02-14"}, // a make-up Saturday
			{1, "2025-09-26", "5", 200, "2025-10-10"}, // across National Day
			{1, "2026-03-06", "0", 200, "2026-03-06"},
			{1, "2026-03-06", "366", 200, ""},
			{1, "2026-03-06", "367", 400, ""},
			{1, "2026-03-06", "-1", 400, ""},
			{1, "2026-03-06", "x", 400, ""},
			{1, "2026-02-30", "1", 400, ""},
			{1, "20260306", "1", 400, ""},
			{99, "2026-03-06", "1", 404, ""},
			{0, "2026-03-06", "1", 400, ""},
		} {
			st, d := workday(c.hall, c.from, c.add)
			if st != c.status || (c.date != "" && d != c.date) {
				t.Errorf("hall %d from %s add %s: %d %s, want %d %s", c.hall, c.from, c.add, st, d, c.status, c.date)
			}
		}
		days := func() string { return e.body("/api/v1/admin/halls/1/calendar?year=2026", admin) }
		// A supervisor closes their hall on Friday 2026-03-06; hall 2 is not theirs.
		e.unchanged(admin, "bad calendar days", days, func() {
			expect(t, e.do("PUT", "/api/v1/admin/halls/2/calendar/2026-03-06", sup, map[string]any{"working": false}), 403, "forbidden")
			expect(t, e.do("PUT", "/api/v1/admin/halls/1/calendar/2026-13-02", sup, map[string]any{"working": false}), 400, "bad_request")
			expect(t, e.do("PUT", "/api/v1/admin/halls/1/calendar/2026-03-06", sup, map[string]any{"note": "x"}), 400, "bad_request")
			expect(t, e.do("PUT", "/api/v1/admin/halls/1/calendar/2026-03-06", sup, map[string]any{"working": false, "note": strings.Repeat("长", 201)}), 400, "bad_request")
			expect(t, e.do("DELETE", "/api/v1/admin/halls/1/calendar/2026-03-10", sup, nil), 404, "calendar_day_not_found")
			expect(t, e.do("PUT", "/api/v1/admin/halls/99/calendar/2026-03-06", admin, map[string]any{"working": false}), 404, "hall_not_found")
		})
		expect(t, e.do("PUT", "/api/v1/admin/halls/1/calendar/2026-03-06", sup, map[string]any{"working": false, "note": "设备检修"}), 200, "")
		if a := e.lastAudit(admin); a.Action != "calendar.set" || a.Target != "day:2026-03-06" || a.Username != "sup1" {
			t.Errorf("audit %+v", a)
		}
		if _, d := workday(1, "2026-03-05", "1"); d != "2026-03-09" {
			t.Errorf("hall 1 after closing 03-02: %s", d)
		}
		if _, d := workday(2, "2026-03-05", "1"); d != "2026-03-06" {
			t.Errorf("hall 2 is not closed: %s", d)
		}
		var cal struct {
			Published bool
			National  []struct{ Day, Name string }
			Days      []struct {
				Day  string
				Note string
			}
		}
		e.do("GET", "/api/v1/admin/halls/1/calendar?year=2026", sup, nil).json(t, &cal)
		if !cal.Published || len(cal.National) < 20 || len(cal.Days) != 1 || cal.Days[0].Note != "设备检修" {
			t.Errorf("calendar %+v", cal)
		}
		expect(t, e.do("DELETE", "/api/v1/admin/halls/1/calendar/2026-03-06", sup, nil), 204, "")
		if a := e.lastAudit(admin); a.Action != "calendar.delete" {
			t.Errorf("audit %+v", a)
		}
		if _, d := workday(1, "2026-03-05", "1"); d != "2026-03-06" {
			t.Errorf("hall 1 reopened: %s", d)
		}
	})
}

func TestBackofficeFinderAndSearch(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, sup := e.login("admin"), e.login("sup1")
		var tree []struct {
			Label    string
			Children []json.RawMessage
		}
		e.do("GET", "/api/v1/halls/1/finder", "", nil).json(t, &tree)
		if len(tree) != 5 || tree[0].Label != "社会保险" || len(tree[0].Children) != 3 {
			t.Fatalf("demo finder %+v", tree)
		}
		var svcs []svcJS
		e.do("GET", "/api/v1/halls/1/search?q=sbjn", "", nil).json(t, &svcs)
		if len(svcs) == 0 || svcs[0].Name != "社保缴纳" {
			t.Errorf("sbjn found %+v", svcs)
		}
		e.do("GET", "/api/v1/halls/1/search?q=", "", nil).json(t, &svcs)
		if len(svcs) != 0 {
			t.Errorf("an empty search found %d", len(svcs))
		}
		finder := func() string { return e.body("/api/v1/halls/1/finder", "") }
		e.unchanged(admin, "bad trees", finder, func() {
			expect(t, e.do("PUT", "/api/v1/admin/halls/1/finder", admin, []map[string]any{{"label": "死胡同"}}), 400, "bad_request")
			expect(t, e.do("PUT", "/api/v1/admin/halls/1/finder", admin, []map[string]any{{"label": "别厅的事项", "service": 14}}), 404, "service_not_found")
			expect(t, e.do("PUT", "/api/v1/admin/halls/1/finder", sup, []map[string]any{}), 403, "forbidden")
		})
		r := e.do("PUT", "/api/v1/admin/halls/1/finder", admin, []map[string]any{
			{"label": "社保", "question": "办什么？", "children": []map[string]any{{"label": "缴费", "service": svcs0(e)}}}})
		expect(t, r, 200, "")
		e.do("GET", "/api/v1/halls/1/finder", "", nil).json(t, &tree)
		if len(tree) != 1 || len(tree[0].Children) != 1 {
			t.Errorf("stored tree %+v", tree)
		}
		if a := e.lastAudit(admin); a.Action != "finder.update" {
			t.Errorf("audit %+v", a)
		}
	})
}

func svcs0(e *env) int64 {
	var svcs []svcJS
	e.do("GET", "/api/v1/halls/1/services", "", nil).json(e.t, &svcs)
	return svcs[0].ID
}

// A clerk opening a window while an admin retires it: whatever the order, a window is never
// both retired and open.
func TestRetireWindowRacesOpen(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, clerk := e.login("admin"), e.login("clerk1-3")
		path := "/api/v1/admin/windows/3"
		for round := 0; round < 15; round++ {
			var wg sync.WaitGroup
			var open, retire int
			wg.Add(2)
			go func() { defer wg.Done(); open = e.do("POST", "/api/v1/windows/3/open", clerk, nil).status }()
			go func() {
				defer wg.Done()
				retire = e.do("PUT", path+"/active", admin, map[string]any{"active": false}).status
			}()
			wg.Wait()
			if (open == 200) == (retire == 200) {
				t.Fatalf("round %d: open %d and retire %d both succeeded or both failed", round, open, retire)
			}
			var ws []struct {
				ID     int64
				Active bool
				State  string
			}
			e.do("GET", "/api/v1/admin/halls/1/windows", admin, nil).json(t, &ws)
			for _, w := range ws {
				if w.ID == 3 && !w.Active && w.State != "closed" {
					t.Fatalf("round %d: window 3 retired and %s", round, w.State)
				}
			}
			if open == 200 {
				expect(t, e.do("POST", "/api/v1/windows/3/close", clerk, nil), 200, "")
			} else {
				expect(t, e.do("PUT", path+"/active", admin, map[string]any{"active": true}), 200, "")
			}
		}
	})
}

// The back office's pages: a supervisor opens their hall's windows and calendar, not the
// catalogue or the staff; a clerk opens none; a stranger is sent to sign in.
func TestBackofficePagesByRole(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		admin, sup, clerk := e.login("admin"), e.login("sup1"), e.login("clerk1-1")
		for _, c := range []struct {
			token, path string
			status      int
		}{
			{admin, "/admin", 200}, {admin, "/admin/halls", 200}, {admin, "/admin/services?hall=2", 200}, {admin, "/admin/staff", 200},
			{admin, "/admin/finder", 200}, {admin, "/admin/priority", 200},
			{sup, "/admin", 200}, {sup, "/admin/windows", 200}, {sup, "/admin/calendar", 200},
			{sup, "/admin/halls", 403}, {sup, "/admin/services", 403}, {sup, "/admin/staff", 403}, {sup, "/admin/finder", 403},
			{clerk, "/admin", 403}, {clerk, "/admin/windows", 403},
			{"", "/guide/1", 200}, {"", "/guide/1/1", 200}, {"", "/guide/1/14", 404}, {"", "/guide/9/1", 404},
			{"", "/finder/1", 200}, {"", "/finder/1?path=0.2", 200}, {"", "/finder/1?path=0.9", 404}, {"", "/finder/1?path=x", 404},
			{"", "/finder/1?q=gjj", 200},
		} {
			r := e.do("GET", c.path, c.token, nil)
			if r.status != c.status {
				t.Errorf("%s as %.8s: %d, want %d", c.path, c.token, r.status, c.status)
			}
		}
		hub := e.body("/admin", sup)
		if strings.Contains(hub, `href="/admin/staff"`) || !strings.Contains(hub, `href="/admin/calendar"`) {
			t.Error("the supervisor's hub lists the wrong sections")
		}
		if r := e.do("GET", "/admin/windows", "", nil); r.status != 200 || !strings.Contains(string(r.body), "username") {
			t.Errorf("a stranger is not sent to sign in: %d", r.status)
		}
		if page := e.body("/finder/1?q=gjj", ""); !strings.Contains(page, "公积金提取") || !strings.Contains(page, "公积金贷款") {
			t.Error("gjj finds no housing fund service")
		}
		// On the kiosk an idle guide page goes back to taking tickets; on a phone it stays.
		if !strings.Contains(e.body("/guide/1/1?kiosk=1", ""), `content="120;url=/kiosk/1"`) || strings.Contains(e.body("/guide/1/1", ""), "http-equiv") {
			t.Error("the kiosk's guide does not return to the kiosk, or the phone's does")
		}
	})
}
