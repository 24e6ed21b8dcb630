package appointments_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/notify"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

var (
	sh  = storetest.Shanghai
	t10 = storetest.Tuesday10 // Tuesday 2026-11-24 10:00 Shanghai; hall 1 is open around the clock
)

type fx struct {
	t   *testing.T
	db  *store.DB
	clk *storetest.Clock
	q   *queue.Engine
	ap  *appointments.Service
	ctx context.Context
}

// each runs f on every engine with the demo organisation and a clock at Tuesday 10:00.
func each(t *testing.T, f func(t *testing.T, x *fx)) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.Open(t, e)
			if _, err := demoLoad(db); err != nil {
				t.Fatal(err)
			}
			clk := storetest.NewClock(t10)
			q := &queue.Engine{DB: db, Now: clk.Now}
			f(t, &fx{t: t, db: db, clk: clk, q: q, ap: &appointments.Service{DB: db, Queue: q, Now: clk.Now}, ctx: context.Background()})
		})
	}
}

func at(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, sh) }

func (x *fx) svc(prefix string) int64 { return storetest.ServiceID(x.t, x.db, 1, prefix) }

func (x *fx) book(svc int64, start time.Time, name, phone, id string) (*appointments.Booking, error) {
	return x.ap.Book(x.ctx, 1, appointments.Request{Service: svc, Start: start, Name: name, Phone: phone, IDNumber: id})
}

func code(err error) string {
	if e := apperr.As(err); e != nil {
		return e.Code
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return ""
}

func (x *fx) capacity(svc int64, start time.Time, n int) {
	x.t.Helper()
	admin := storetest.Actor(x.t, x.db, "admin")
	if _, err := x.ap.SetCapacity(x.ctx, admin, 1, svc, start.In(sh).Format(time.DateOnly), []appointments.SlotCapacityIn{{Start: start, Capacity: n}}); err != nil {
		x.t.Fatal(err)
	}
}

func TestBookAndSlots(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a := x.svc("A")
		slots, err := x.ap.Slots(x.ctx, 1, a, "2026-11-24")
		if err != nil {
			t.Fatal(err)
		}
		if len(slots) != 48 || slots[0].Capacity < 1 {
			t.Fatalf("slots: %d, first %+v", len(slots), slots[0])
		}
		for _, s := range slots {
			// Lead time one hour: 10:30 is too soon, 11:00 is bookable.
			if want := !s.Start.Before(at(11, 0)); s.Bookable != want {
				t.Errorf("slot %v bookable %v, want %v", s.Start.In(sh).Format("15:04"), s.Bookable, want)
			}
		}
		x.capacity(a, at(11, 30), 1)
		b, err := x.book(a, at(11, 30), "张三", "138 1234 5678", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Code) != 8 || len(b.Token) < 20 || b.Phone != "138****5678" || b.Name != "张*" || !b.Start.Equal(at(11, 30)) {
			t.Errorf("booking %+v", b)
		}
		if _, err := x.book(a, at(11, 30), "李四", "13900000000", ""); code(err) != "slot_full" {
			t.Errorf("full slot: %v", err)
		}
		if _, err := x.book(a, at(14, 0), "张三", "13812345678", ""); code(err) != "appt_duplicate" {
			t.Errorf("second booking the same day: %v", err)
		}
		if _, err := x.book(x.svc("C"), at(14, 0), "张三", "13812345678", ""); err != nil {
			t.Errorf("another service the same day: %v", err)
		}
		if _, err := x.book(a, at(10, 30), "王五", "13700000000", ""); code(err) != "slot_too_soon" {
			t.Errorf("inside the lead time: %v", err)
		}
		if _, err := x.book(a, at(10, 30).AddDate(0, 0, 8), "王五", "13700000000", ""); code(err) != "slot_too_far" {
			t.Errorf("8 days ahead: %v", err)
		}
		if _, err := x.book(a, at(11, 10), "王五", "13700000000", ""); code(err) != "appt_no_such_slot" {
			t.Errorf("not a slot start: %v", err)
		}
		if _, err := x.book(a, at(12, 0), "王五", "1370000", ""); code(err) != "appt_bad_phone" {
			t.Errorf("bad phone: %v", err)
		}
		slots, _ = x.ap.Slots(x.ctx, 1, a, "2026-11-24")
		for _, s := range slots {
			if s.Start.Equal(at(11, 30)) && (s.Booked != 1 || s.Available != 0 || s.Bookable) {
				t.Errorf("booked slot reads %+v", s)
			}
		}
		got, err := x.ap.Get(x.ctx, b.Token)
		if err != nil || got.Code != b.Code || got.State != appointments.Booked || got.Phone != "138****5678" {
			t.Errorf("get: %+v %v", got, err)
		}
		if _, err := x.ap.Get(x.ctx, "nope"); code(err) != "appt_not_found" {
			t.Errorf("bad token: %v", err)
		}
	})
}

func TestIDNumberCheckedKeyedAndMasked(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		b := x.svc("B")
		if err := x.db.InTx(x.ctx, func(tx *store.Tx) error { return org.SetServiceNeedsID(x.ctx, tx, staff.System, t10, b, true) }); err != nil {
			t.Fatal(err)
		}
		if _, err := x.book(b, at(12, 0), "张三", "13812345678", ""); code(err) != "appt_id_required" {
			t.Errorf("without ID: %v", err)
		}
		if _, err := x.book(b, at(12, 0), "张三", "13812345678", "110105194912310021"); code(err) != "appt_bad_id_number" {
			t.Errorf("wrong check digit: %v", err)
		}
		bk, err := x.book(b, at(12, 0), "张三", "13812345678", "11010519491231002x")
		if err != nil {
			t.Fatal(err)
		}
		if bk.IDNumber != "110***********002X" {
			t.Errorf("masked ID %q", bk.IDNumber)
		}
		// The same ID with another phone is the same person.
		if _, err := x.book(b, at(15, 0), "张三", "13900000001", "11010519491231002X"); code(err) != "appt_duplicate" {
			t.Errorf("same ID, other phone: %v", err)
		}
		var key, masked string
		x.db.QueryRow(x.ctx, "SELECT id_key, id_masked FROM appointments WHERE token = ?", bk.Token).Scan(&key, &masked)
		var all string
		x.db.QueryRow(x.ctx, "SELECT code || name || phone || id_key || id_masked || phone_key FROM appointments WHERE token = ?", bk.Token).Scan(&all)
		if len(key) != 64 || strings.Contains(all, "19491231") {
			t.Errorf("stored ID key %q, row %q", key, all)
		}
	})
}

func TestCancelAndReschedule(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a := x.svc("A")
		x.capacity(a, at(15, 0), 1)
		bk, err := x.book(a, at(15, 0), "张三", "13812345678", "")
		if err != nil {
			t.Fatal(err)
		}
		moved, err := x.ap.Reschedule(x.ctx, bk.Token, at(16, 0))
		if err != nil || !moved.Start.Equal(at(16, 0)) {
			t.Fatalf("reschedule: %+v %v", moved, err)
		}
		// The old place is free again.
		if _, err := x.book(a, at(15, 0), "李四", "13900000000", ""); err != nil {
			t.Errorf("freed place: %v", err)
		}
		// Two hours before the slot changes close: 14:01 for a 16:00 slot.
		x.clk.Set(at(14, 1))
		if _, err := x.ap.Cancel(x.ctx, bk.Token); code(err) != "appt_change_closed" {
			t.Errorf("cancel too late: %v", err)
		}
		x.clk.Set(at(13, 59))
		c, err := x.ap.Cancel(x.ctx, bk.Token)
		if err != nil || c.State != appointments.Cancelled {
			t.Fatalf("cancel: %+v %v", c, err)
		}
		if _, err := x.ap.Cancel(x.ctx, bk.Token); code(err) != "appt_not_active" {
			t.Errorf("cancel twice: %v", err)
		}
		// Cancelled, the person may book the service that day again.
		if _, err := x.book(a, at(16, 0), "张三", "13812345678", ""); err != nil {
			t.Errorf("book after cancelling: %v", err)
		}
	})
}

// A booking checked in within its span is called at its slot time ahead of a walk-in who came
// earlier; before the slot time the walk-in goes first; a late arrival joins the walk-ins.
func TestCheckInCalledAtSlotAheadOfWalkIns(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a := x.svc("A")
		bk, err := x.book(a, at(11, 30), "张三", "13812345678", "")
		if err != nil {
			t.Fatal(err)
		}
		late, err := x.book(a, at(11, 0), "李四", "13900000000", "")
		if err != nil {
			t.Fatal(err)
		}
		x.clk.Set(at(10, 55))
		if _, err := x.ap.CheckIn(x.ctx, 1, bk.Code); code(err) != "appt_too_early" {
			t.Errorf("check-in 35 minutes early: %v", err)
		}
		walk1, _ := x.q.Issue(x.ctx, 1, a, "", "kiosk")
		x.clk.Set(at(11, 20))
		walk2, _ := x.q.Issue(x.ctx, 1, a, "", "kiosk")
		tk, err := x.ap.CheckIn(x.ctx, 1, bk.Code)
		if err != nil {
			t.Fatal(err)
		}
		if !tk.SlotAt.Equal(at(11, 30)) || tk.Channel != "appointment" || tk.Position != 1 {
			t.Errorf("check-in ticket %+v", tk)
		}
		if _, err := x.ap.CheckIn(x.ctx, 1, bk.Code); code(err) != "appt_already_checked_in" {
			t.Errorf("second check-in: %v", err)
		}
		// 李四's 11:00 slot: span ended 11:10; at 11:21 he joins the walk-ins.
		x.clk.Set(at(11, 21))
		lt, err := x.ap.CheckInByToken(x.ctx, late.Token)
		if err != nil || !lt.SlotAt.IsZero() {
			t.Fatalf("late check-in: %+v %v", lt, err)
		}
		if g, _ := x.ap.Get(x.ctx, late.Token); g.State != appointments.Late || g.TicketToken != lt.Token {
			t.Errorf("late booking reads %+v", g)
		}
		// At the slot time the walk-ins are told the appointment goes first.
		x.clk.Set(at(11, 30))
		if st, err := x.q.Status(x.ctx, walk2.Token); err != nil || st.Position != 3 {
			t.Errorf("the second walk-in's place at the slot time: %+v %v (want 3: the appointment, the first walk-in)", st, err)
		}
		clerk := storetest.Actor(t, x.db, "clerk1-2")
		win := storetest.WindowID(t, x.db, 1, 2)
		if err := x.q.Open(x.ctx, clerk, win); err != nil {
			t.Fatal(err)
		}
		call := func() string {
			t.Helper()
			c, err := x.q.Call(x.ctx, clerk, win)
			if err != nil || c == nil {
				t.Fatalf("call: %v %v", c, err)
			}
			if _, err := x.q.Finish(x.ctx, clerk, win); err != nil {
				t.Fatal(err)
			}
			return c.Number
		}
		x.clk.Set(at(11, 25))
		if n := call(); n != walk1.Number {
			t.Errorf("before the slot time called %s, want the first walk-in %s", n, walk1.Number)
		}
		x.clk.Set(at(11, 30))
		if n := call(); n != tk.Number {
			t.Errorf("at the slot time called %s, want the appointment %s (walk-in %s came earlier)", n, tk.Number, walk2.Number)
		}
		if n := call(); n != walk2.Number {
			t.Errorf("then %s, want %s", n, walk2.Number)
		}
		if n := call(); n != lt.Number {
			t.Errorf("then %s, want the late arrival %s", n, lt.Number)
		}
	})
}

func TestNoShowsSuspendBooking(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a, c := x.svc("A"), x.svc("C")
		// Three bookings missed on three days, and one kept.
		for d := 0; d < 3; d++ {
			x.clk.Set(at(8, 0).AddDate(0, 0, d))
			if _, err := x.book(a, at(12, 0).AddDate(0, 0, d), "张三", "13812345678", ""); err != nil {
				t.Fatalf("day %d: %v", d, err)
			}
			x.clk.Set(at(12, 11).AddDate(0, 0, d))
			for range 2 { // idempotent
				if _, err := x.ap.MarkNoShows(x.ctx, x.clk.Now()); err != nil {
					t.Fatal(err)
				}
			}
		}
		var n, susp int
		// (the demo's own no-shows and suspension are of service K, before t10)
		x.db.QueryRow(x.ctx, "SELECT COUNT(*) FROM appointments WHERE state = 'no_show' AND service_id = ?", a).Scan(&n)
		x.db.QueryRow(x.ctx, "SELECT COUNT(*) FROM appointment_suspensions WHERE since > ?", t10.UnixMilli()).Scan(&susp)
		if n != 3 || susp != 1 {
			t.Fatalf("%d no-shows, %d suspensions; want 3 and 1", n, susp)
		}
		_, err := x.book(c, at(15, 0).AddDate(0, 0, 2), "张三", "13812345678", "")
		e := apperr.As(err)
		if e == nil || e.Code != "appt_suspended" || e.Kind != apperr.Conflict || fmt.Sprint(e.Args) != "[3 2026-12-26 12:11]" {
			t.Fatalf("booking while suspended: %v", err)
		}
		if _, err := x.book(c, at(15, 0).AddDate(0, 0, 2), "李四", "13900000000", ""); err != nil {
			t.Errorf("someone else: %v", err)
		}
		// A month later the suspension is over.
		x.clk.Set(time.Date(2026, 12, 27, 9, 0, 0, 0, sh))
		if _, err := x.ap.Book(x.ctx, 1, appointments.Request{Service: c, Start: time.Date(2026, 12, 28, 15, 0, 0, 0, sh), Name: "张三", Phone: "13812345678"}); err != nil {
			t.Errorf("after the suspension: %v", err)
		}
	})
}

func TestReminderOnceThroughWebhook(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		bk, err := x.book(x.svc("A"), at(9, 0).AddDate(0, 0, 1), "张三", "13812345678", "")
		if err != nil {
			t.Fatal(err)
		}
		other, _ := x.book(x.svc("A"), at(9, 0).AddDate(0, 0, 3), "李四", "13900000000", "")
		var hits atomic.Int32
		var body []byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if strings.Contains(string(b), "13812345678") { // not the demo's bookings
				hits.Add(1)
				body = b
			}
		}))
		defer srv.Close()
		for range 3 {
			if _, err := x.ap.QueueReminders(x.ctx, x.clk.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := notify.Deliver(x.ctx, x.db, &notify.Webhook{URL: srv.URL}, x.clk.Now(), 100); err != nil {
				t.Fatal(err)
			}
		}
		if hits.Load() != 1 {
			t.Fatalf("webhook called %d times, want 1", hits.Load())
		}
		var m notify.Message
		json.Unmarshal(body, &m)
		if m.Kind != appointments.ReminderKind || m.Recipient != "13812345678" || !strings.Contains(m.Text, bk.Code) {
			t.Errorf("message %+v", m)
		}
		_ = other
		var n int
		x.db.QueryRow(x.ctx, "SELECT COUNT(*) FROM notifications WHERE recipient IN ('13812345678', '13900000000')").Scan(&n)
		if n != 1 {
			t.Errorf("%d notifications; only tomorrow's booking is reminded", n)
		}
		// Without a channel the outbox records why nothing was sent.
		x.clk.Set(at(9, 0).AddDate(0, 0, 2))
		x.ap.QueueReminders(x.ctx, x.clk.Now())
		notify.Deliver(x.ctx, x.db, nil, x.clk.Now(), 100)
		var state, note string
		x.db.QueryRow(x.ctx, "SELECT state, note FROM notifications WHERE recipient = '13900000000'").Scan(&state, &note)
		if state != "unsent" || note != "not sent: no channel" {
			t.Errorf("without a channel: %s %q", state, note)
		}
	})
}

// Fifty citizens book the last five places of a slot at once: exactly five get one.
func TestConcurrentBookingsNeverOverbook(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a := x.svc("A")
		x.capacity(a, at(14, 0), 5)
		ok, full := race(t, []*appointments.Service{x.ap}, a, at(14, 0))
		if ok != 5 || full != 45 {
			t.Errorf("%d booked, %d full; want 5 and 45", ok, full)
		}
		var booked, rows int
		x.db.QueryRow(x.ctx, "SELECT booked FROM appointment_slots WHERE service_id = ? AND start_at = ?", a, at(14, 0).UnixMilli()).Scan(&booked)
		x.db.QueryRow(x.ctx, "SELECT COUNT(*) FROM appointments WHERE service_id = ? AND start_at = ?", a, at(14, 0).UnixMilli()).Scan(&rows)
		if booked != 5 || rows != 5 {
			t.Errorf("slot counter %d, bookings %d", booked, rows)
		}
	})
}

// race books the slot from 50 goroutines spread over the services (instances).
func race(t *testing.T, svcs []*appointments.Service, service int64, start time.Time) (ok, full int) {
	var wg sync.WaitGroup
	var okN, fullN atomic.Int32
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svcs[i%len(svcs)].Book(context.Background(), 1, appointments.Request{Service: service, Start: start,
				Name: "市民", Phone: fmt.Sprintf("139%08d", i)})
			switch code(err) {
			case "":
				okN.Add(1)
			case "slot_full":
				fullN.Add(1)
			default:
				t.Errorf("booking %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	return int(okN.Load()), int(fullN.Load())
}

// Two instances on one PostgreSQL (two connection pools, as two processes have).
func TestConcurrentBookingsTwoInstancesOnePostgres(t *testing.T) {
	url := storetest.PostgresURL(t)
	if url == "" {
		t.Skip("QHALL_TEST_POSTGRES not set")
	}
	e := storetest.Engine{Name: "postgres", URL: url}
	db1 := storetest.Open(t, e)
	if _, err := demoLoad(db1); err != nil {
		t.Fatal(err)
	}
	db2 := storetest.Open(t, e)
	clk := storetest.NewClock(t10)
	var svcs []*appointments.Service
	for _, db := range []*store.DB{db1, db2} {
		svcs = append(svcs, &appointments.Service{DB: db, Queue: &queue.Engine{DB: db, Now: clk.Now}, Now: clk.Now})
	}
	a := storetest.ServiceID(t, db1, 1, "A")
	x := &fx{t: t, db: db1, clk: clk, ap: svcs[0], ctx: context.Background()}
	x.capacity(a, at(14, 0), 5)
	if ok, full := race(t, svcs, a, at(14, 0)); ok != 5 || full != 45 {
		t.Errorf("%d booked, %d full; want 5 and 45", ok, full)
	}
}

// A day the administrator closed for the hall offers no slots.
func TestClosedDayHasNoSlots(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		a := x.svc("A")
		closed := calendar.Date{Year: 2026, Month: 11, Day: 26}
		if err := x.db.InTx(x.ctx, func(tx *store.Tx) error { return calendar.SetDay(x.ctx, tx, 1, closed, false, "内部盘点") }); err != nil {
			t.Fatal(err)
		}
		if s, err := x.ap.Slots(x.ctx, 1, a, "2026-11-26"); err != nil || len(s) != 0 {
			t.Errorf("closed day: %d slots, %v", len(s), err)
		}
		if _, err := x.book(a, at(12, 0).AddDate(0, 0, 2), "张三", "13812345678", ""); code(err) != "appt_no_such_slot" {
			t.Errorf("booking a closed day: %v", err)
		}
		if s, _ := x.ap.Slots(x.ctx, 1, a, "2026-11-27"); len(s) != 48 {
			t.Errorf("the next day: %d slots", len(s))
		}
	})
}
