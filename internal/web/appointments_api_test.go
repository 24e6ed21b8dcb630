package web_test

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/storetest"
)

// The appointments' API on every engine: the contract's shapes, the refusals with their codes,
// the staff's reach, and 50 citizens booking the last 5 places at once.
func TestAppointmentsAPI(t *testing.T) {
	clk := storetest.NewClock(storetest.Tuesday10)
	eachEngineAt(t, clk.Now, func(e *env) {
		clk.Set(storetest.Tuesday10)
		t := e.t
		svc := storetest.ServiceID(t, e.app.DB, 1, "A")
		start := time.Date(2026, 11, 24, 14, 0, 0, 0, storetest.Shanghai)
		slotsURL := fmt.Sprintf("/api/v1/halls/1/services/%d/slots?date=2026-11-24", svc)

		var slots []map[string]any
		e.do("GET", slotsURL, "", nil).json(t, &slots)
		if len(slots) != 48 || slots[28]["start"] == nil || slots[28]["available"] == nil || slots[28]["capacity"] == nil || slots[28]["booked"] == nil || slots[28]["end"] == nil {
			t.Fatalf("slots: %d, %v", len(slots), slots[28])
		}
		expect(t, e.do("GET", fmt.Sprintf("/api/v1/halls/1/services/%d/slots?date=24.11.2026", svc), "", nil), 400, "bad_date")
		expect(t, e.do("GET", "/api/v1/halls/1/services/99999/slots?date=2026-11-24", "", nil), 404, "service_not_found")

		// Capacities: a clerk may not, the hall's supervisor may, another hall's may not.
		capBody := map[string]any{"date": "2026-11-24", "slots": []map[string]any{{"start": start, "capacity": 5}}}
		capURL := fmt.Sprintf("/api/v1/halls/1/services/%d/slots", svc)
		expect(t, e.do("PUT", capURL, e.login("clerk1-1"), capBody), 403, "forbidden")
		expect(t, e.do("PUT", capURL, e.login("sup2"), capBody), 403, "forbidden")
		if r := e.do("PUT", capURL, e.login("sup1"), capBody); r.status != 200 {
			t.Fatalf("set capacity: %d %s", r.status, r.body)
		}

		// 50 at once for the 5 places.
		var ok, full atomic.Int32
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start, "name": "市民", "phone": fmt.Sprintf("139%08d", i)})
				switch {
				case r.status == 201:
					ok.Add(1)
				case r.status == 409 && strings.Contains(string(r.body), `"error":"slot_full"`):
					full.Add(1)
				default:
					t.Errorf("booking %d: %d %s", i, r.status, r.body)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 5 || full.Load() != 45 {
			t.Fatalf("%d booked, %d full; want 5 and 45", ok.Load(), full.Load())
		}

		// One booking, by the contract.
		r := e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start.Add(time.Hour), "name": "张三", "phone": "13812345678"})
		if r.status != 201 {
			t.Fatalf("book: %d %s", r.status, r.body)
		}
		var b struct {
			Code, Token, Phone string
			Service            int64
			Start              time.Time
		}
		r.json(t, &b)
		if len(b.Code) != 8 || b.Token == "" || b.Service != svc || !b.Start.Equal(start.Add(time.Hour)) || b.Phone != "138****5678" {
			t.Errorf("booking %s", r.body)
		}
		expect(t, e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start.Add(2 * time.Hour), "name": "张三", "phone": "13812345678"}), 409, "appt_duplicate")
		expect(t, e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start.Add(2 * time.Hour), "name": "张三", "phone": "13812345679", "extra": 1}), 400, "bad_request")
		expect(t, e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start.Add(2 * time.Hour), "name": "", "phone": "13812345679"}), 400, "appt_bad_name")
		expect(t, e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": "tomorrow", "name": "x", "phone": "13812345679"}), 400, "bad_request")

		got := e.do("GET", "/api/v1/appointments/"+b.Token, "", nil)
		if got.status != 200 || strings.Contains(string(got.body), "13812345678") {
			t.Errorf("get: %d %s", got.status, got.body)
		}
		expect(t, e.do("GET", "/api/v1/appointments/not-a-token-at-all", "", nil), 404, "appt_not_found")

		// The staff's list: masked, without codes or tokens; not for another hall.
		list := e.do("GET", "/api/v1/halls/1/appointments?date=2026-11-24", e.login("clerk1-2"), nil)
		if list.status != 200 || strings.Contains(string(list.body), b.Code) || strings.Contains(string(list.body), b.Token) || !strings.Contains(string(list.body), "138****5678") {
			t.Errorf("staff list: %d %s", list.status, list.body)
		}
		expect(t, e.do("GET", "/api/v1/halls/1/appointments?date=2026-11-24", e.login("sup2"), nil), 403, "forbidden")
		expect(t, e.do("GET", "/api/v1/halls/1/appointments", "", nil), 401, "login_required")

		// Check-in: too early, then a ticket shaped like the kiosk's.
		expect(t, e.do("POST", "/api/v1/halls/1/checkin", "", map[string]string{"code": b.Code}), 409, "appt_too_early")
		clk.Set(start.Add(40 * time.Minute))
		in := e.do("POST", "/api/v1/halls/1/checkin", "", map[string]string{"code": b.Code})
		var tk struct {
			Number, Token, State, Channel string
			Service                       int64
			SlotAt                        time.Time `json:"slot_at"`
		}
		in.json(t, &tk)
		if in.status != 201 || tk.Number == "" || tk.Token == "" || tk.State != "waiting" || tk.Service != svc || tk.Channel != "appointment" || !tk.SlotAt.Equal(start.Add(time.Hour)) {
			t.Errorf("check-in: %d %s", in.status, in.body)
		}
		expect(t, e.do("POST", "/api/v1/halls/1/checkin", "", map[string]string{"code": b.Code}), 409, "appt_already_checked_in")
		expect(t, e.do("POST", "/api/v1/halls/1/checkin", "", map[string]string{"code": "00000000"}), 404, "appt_not_found")
		expect(t, e.do("DELETE", "/api/v1/appointments/"+b.Token, "", nil), 409, "appt_not_active")

		// Cancel another one.
		r = e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start.Add(3 * time.Hour), "name": "李四", "phone": "13700000001"})
		var c struct{ Token string }
		r.json(t, &c)
		if d := e.do("DELETE", "/api/v1/appointments/"+c.Token, "", nil); d.status != 200 || !strings.Contains(string(d.body), `"state":"cancelled"`) {
			t.Errorf("cancel: %d %s", d.status, d.body)
		}
		// Move one, then try to check in from its page too early.
		r = e.do("POST", "/api/v1/halls/1/appointments", "", map[string]any{"service": svc, "start": start.Add(4 * time.Hour), "name": "王五", "phone": "13700000002"})
		var m struct{ Token string }
		r.json(t, &m)
		mv := e.do("POST", "/api/v1/appointments/"+m.Token+"/reschedule", "", map[string]any{"start": start.Add(5 * time.Hour)})
		var moved struct{ Start time.Time }
		mv.json(t, &moved)
		if mv.status != 200 || !moved.Start.Equal(start.Add(5*time.Hour)) {
			t.Errorf("reschedule: %d %s", mv.status, mv.body)
		}
		expect(t, e.do("POST", "/api/v1/appointments/"+m.Token+"/reschedule", "", map[string]any{"start": start.Add(5*time.Hour + 10*time.Minute)}), 404, "appt_no_such_slot")
		expect(t, e.do("POST", "/api/v1/appointments/"+m.Token+"/checkin", "", nil), 409, "appt_too_early")
		if lg := e.logs.String(); strings.Contains(lg, b.Token) || strings.Contains(lg, "13812345678") {
			t.Errorf("a token or a phone number reached the log")
		}
	})
}
