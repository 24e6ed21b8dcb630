package queue_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

var (
	shanghai  = storetest.Shanghai
	tuesday10 = storetest.Tuesday10
)

type fixture struct {
	t   *testing.T
	db  *store.DB
	q   *queue.Engine
	clk *storetest.Clock
	ctx context.Context
}

// eachEngine runs f on SQLite and, when QHALL_TEST_POSTGRES is set, on PostgreSQL, each with the
// demo organisation loaded and the clock at tuesday10.
func eachEngine(t *testing.T, f func(f *fixture)) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.OpenDemo(t, e, "pw-for-tests", tuesday10)
			ctx := context.Background()
			clk := storetest.NewClock(tuesday10)
			q := queue.New(db)
			q.Now = clk.Now
			f(&fixture{t: t, db: db, q: q, clk: clk, ctx: ctx})
		})
	}
}

func (f *fixture) actor(username string) staff.Actor {
	f.t.Helper()
	return storetest.Actor(f.t, f.db, username)
}

// window returns the id of window number n of hall h.
func (f *fixture) window(hall int64, n int) int64 { return storetest.WindowID(f.t, f.db, hall, n) }

func (f *fixture) service(hall int64, prefix string) int64 {
	return storetest.ServiceID(f.t, f.db, hall, prefix)
}

func (f *fixture) issue(hall int64, prefix, priority string) *queue.Ticket {
	f.t.Helper()
	tk, err := f.q.Issue(f.ctx, hall, f.service(hall, prefix), priority, "kiosk")
	if err != nil {
		f.t.Fatalf("issue %s: %v", prefix, err)
	}
	f.clk.Add(time.Second) // take times differ, as at a real kiosk
	return tk
}

// open signs clerk{hall}-{n} in at window n of that hall and returns the actor and window id.
func (f *fixture) open(hall int64, n int) (staff.Actor, int64) {
	f.t.Helper()
	a := f.actor(fmt.Sprintf("clerk%d-%d", hall, n))
	w := f.window(hall, n)
	if err := f.q.Open(f.ctx, a, w); err != nil {
		f.t.Fatalf("open window %d: %v", n, err)
	}
	return a, w
}

// callFinish calls the next ticket and finishes it, returning its number ("" when nobody waits).
func (f *fixture) callFinish(a staff.Actor, w int64) string {
	f.t.Helper()
	tk, err := f.q.Call(f.ctx, a, w)
	if err != nil {
		f.t.Fatalf("call: %v", err)
	}
	if tk == nil {
		return ""
	}
	if _, err := f.q.Finish(f.ctx, a, w); err != nil {
		f.t.Fatalf("finish: %v", err)
	}
	return tk.Number
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want error %s, got %v", code, err)
	}
}

func TestNumbersRestartDailyPerHallAndPrefix(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		a1 := f.issue(1, "A", "")
		a2 := f.issue(1, "A", "")
		b1 := f.issue(1, "B", "")
		h2 := f.issue(2, "A", "")
		if a1.Number != "A001" || a2.Number != "A002" || b1.Number != "B001" || h2.Number != "A001" {
			t.Fatalf("numbers %s %s %s %s", a1.Number, a2.Number, b1.Number, h2.Number)
		}
		if a1.Token == "" || a1.Token == a2.Token || len(a1.Token) < 20 {
			t.Fatalf("tokens %q %q", a1.Token, a2.Token)
		}
		f.clk.Set(tuesday10.Add(24 * time.Hour))
		if n := f.issue(1, "A", "").Number; n != "A001" {
			t.Fatalf("next day starts at %s", n)
		}
	})
}

func TestFirstComeFirstServedAndPriority(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		// Window 2 of hall 1 serves A, B, C in that order of preference.
		o1 := f.issue(1, "A", "")
		o2 := f.issue(1, "A", "")
		p1 := f.issue(1, "A", "elderly")
		p2 := f.issue(1, "A", "pregnant")
		p3 := f.issue(1, "A", "disabled")
		o3 := f.issue(1, "A", "")
		if p1.Position != 1 || o1.Position != 1 || o3.Position != 6 {
			t.Fatalf("positions: p1 %d o1 %d o3 %d", p1.Position, o1.Position, o3.Position)
		}
		a, w := f.open(1, 2)
		// The hall allows two priority calls in a row before an ordinary one.
		want := []string{p1.Number, p2.Number, o1.Number, p3.Number, o2.Number, o3.Number, ""}
		for i, n := range want {
			if got := f.callFinish(a, w); got != n {
				t.Fatalf("call %d: got %q want %q (order %v)", i, got, n, want)
			}
		}
	})
}

func TestWindowOrderOfPreference(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		c := f.issue(1, "C", "") // earliest, but window 3 prefers B, then A, then C
		a := f.issue(1, "A", "")
		b := f.issue(1, "B", "")
		ac, w := f.open(1, 3)
		for _, n := range []string{b.Number, a.Number, c.Number} {
			if got := f.callFinish(ac, w); got != n {
				t.Fatalf("got %s want %s", got, n)
			}
		}
		// A window never calls a service it does not serve.
		f.issue(1, "G", "")
		if got := f.callFinish(ac, w); got != "" {
			t.Fatalf("window 3 called %s", got)
		}
	})
}

func TestRecallSkipReenter(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		first := f.issue(1, "A", "")
		second := f.issue(1, "A", "")
		a, w := f.open(1, 2)
		if _, err := f.q.Call(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 3; i++ {
			tk, err := f.q.Recall(f.ctx, a, w)
			if err != nil || tk.Recalls != i {
				t.Fatalf("recall %d: %v %+v", i, err, tk)
			}
		}
		_, err := f.q.Recall(f.ctx, a, w)
		wantCode(t, err, "recall_limit")
		_, err = f.q.Call(f.ctx, a, w)
		wantCode(t, err, "finish_current_first")
		sk, err := f.q.Skip(f.ctx, a, w)
		if err != nil || sk.State != queue.Skipped || sk.Number != first.Number {
			t.Fatalf("skip: %v %+v", err, sk)
		}
		_, err = f.q.Skip(f.ctx, a, w)
		wantCode(t, err, "no_current_ticket")
		// The citizen comes back: the ticket goes to the back of the queue.
		f.clk.Add(time.Minute)
		third := f.issue(1, "A", "")
		if _, err := f.q.Reenter(f.ctx, a, w, first.Number); err != nil {
			t.Fatal(err)
		}
		_, err = f.q.Reenter(f.ctx, a, w, first.Number)
		wantCode(t, err, "wrong_ticket_state")
		_, err = f.q.Reenter(f.ctx, a, w, "Z999")
		wantCode(t, err, "ticket_not_found")
		_, err = f.q.Reenter(f.ctx, a, w, "??")
		wantCode(t, err, "bad_ticket_number")
		for _, n := range []string{second.Number, third.Number, first.Number} {
			if got := f.callFinish(a, w); got != n {
				t.Fatalf("got %s want %s", got, n)
			}
		}
		st, err := f.q.Status(f.ctx, first.Token)
		if err != nil || st.State != queue.Done {
			t.Fatalf("status %v %+v", err, st)
		}
	})
}

func TestTransferKeepsNumberAndPlace(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		// Window 2 (社保) receives a ticket that belongs to 公积金 (D).
		x := f.issue(1, "A", "")
		d1 := f.issue(1, "D", "") // already waiting at 公积金
		a2, w2 := f.open(1, 2)
		if _, err := f.q.Call(f.ctx, a2, w2); err != nil {
			t.Fatal(err)
		}
		tk, err := f.q.Transfer(f.ctx, a2, w2, f.service(1, "D"), 0)
		if err != nil || tk.State != queue.Waiting || tk.Number != x.Number || tk.Transfers != 1 {
			t.Fatalf("transfer: %v %+v", err, tk)
		}
		// At 公积金 the transferred ticket keeps its original take time: it goes first.
		a4, w4 := f.open(1, 4)
		if got := f.callFinish(a4, w4); got != x.Number {
			t.Fatalf("got %s want %s", got, x.Number)
		}
		if got := f.callFinish(a4, w4); got != d1.Number {
			t.Fatalf("got %s want %s", got, d1.Number)
		}
		// A transfer to a named window is called only there, ahead of its own queue.
		y := f.issue(1, "A", "")
		f.issue(1, "G", "")
		if _, err := f.q.Call(f.ctx, a2, w2); err != nil {
			t.Fatal(err)
		}
		w6 := f.window(1, 6)
		_, err = f.q.Transfer(f.ctx, a2, w2, 0, w6)
		wantCode(t, err, "target_window_closed")
		a6, _ := f.open(1, 6)
		if _, err := f.q.Transfer(f.ctx, a2, w2, 0, w6); err != nil {
			t.Fatal(err)
		}
		// Closing window 6 now would strand the ticket there: it goes back to its service's
		// queue instead (window 2 could call it), and is sent again once window 6 reopens.
		if err := f.q.Close(f.ctx, a6, w6); err != nil {
			t.Fatal(err)
		}
		v2, _ := f.q.Window(f.ctx, w2)
		if len(v2.Next) == 0 || v2.Next[0].Number != y.Number {
			t.Fatalf("after closing window 6, window 2 would call %+v", v2.Next)
		}
		if err := f.q.Open(f.ctx, a6, w6); err != nil {
			t.Fatal(err)
		}
		if _, err := f.q.Call(f.ctx, a2, w2); err != nil {
			t.Fatal(err)
		}
		if _, err := f.q.Transfer(f.ctx, a2, w2, 0, w6); err != nil {
			t.Fatal(err)
		}
		if got := f.callFinish(a6, w6); got != y.Number {
			t.Fatalf("window 6 got %s want %s", got, y.Number)
		}
		_, err = f.q.Transfer(f.ctx, a2, w2, 0, 0)
		wantCode(t, err, "transfer_needs_target")
		f.issue(1, "A", "")
		f.q.Call(f.ctx, a2, w2)
		_, err = f.q.Transfer(f.ctx, a2, w2, 0, w2)
		wantCode(t, err, "transfer_to_same_window")
		_, err = f.q.Transfer(f.ctx, a2, w2, 0, f.window(2, 1)) // another hall's window
		wantCode(t, err, "window_not_found")
		_, err = f.q.Transfer(f.ctx, a2, w2, f.service(2, "A"), 0) // another hall's service
		wantCode(t, err, "service_not_found")
	})
}

func TestPauseNeedsApprovalWhenLongOrAtPeak(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		a, w := f.open(1, 2)
		sup := f.actor("sup1")
		res, err := f.q.Pause(f.ctx, a, w, "break", 10, "")
		if err != nil || res.State != "paused" {
			t.Fatalf("short pause: %v %+v", err, res)
		}
		f.issue(1, "A", "")
		_, err = f.q.Call(f.ctx, a, w)
		wantCode(t, err, "window_paused")
		if err := f.q.Resume(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.q.Resume(f.ctx, a, w), "window_not_paused")
		// A long pause waits for the supervisor; the window keeps working meanwhile.
		if _, err := f.q.Call(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		_, err = f.q.Pause(f.ctx, a, w, "break", 10, "")
		wantCode(t, err, "finish_current_first")
		f.q.Finish(f.ctx, a, w)
		res, err = f.q.Pause(f.ctx, a, w, "meeting", 60, "培训")
		if err != nil || res.State != "pending" {
			t.Fatalf("long pause: %v %+v", err, res)
		}
		wantCode(t, f.q.DecidePause(f.ctx, a, w, true), "forbidden") // a clerk cannot approve
		if err := f.q.DecidePause(f.ctx, sup, w, true); err != nil {
			t.Fatal(err)
		}
		v, _ := f.q.Window(f.ctx, w)
		if v.Window.State != "paused" || v.Window.PauseReason != "meeting" {
			t.Fatalf("after approval: %+v", v.Window)
		}
		wantCode(t, f.q.DecidePause(f.ctx, sup, w, true), "no_pending_pause")
		f.q.Resume(f.ctx, a, w)
		// Approved while the clerk serves someone: no new calls, and the pause starts at finish.
		f.issue(1, "A", "")
		f.issue(1, "A", "")
		f.q.Call(f.ctx, a, w)
		if res, err := f.q.Pause(f.ctx, a, w, "meeting", 30, ""); err == nil {
			t.Fatalf("pause while serving: %+v", res)
		}
		f.q.Finish(f.ctx, a, w)
		f.q.Pause(f.ctx, a, w, "meeting", 30, "")
		f.q.Call(f.ctx, a, w)
		if err := f.q.DecidePause(f.ctx, sup, w, true); err != nil {
			t.Fatal(err)
		}
		v, _ = f.q.Window(f.ctx, w)
		if v.Window.State != "open" || !v.Window.PendingApproved {
			t.Fatalf("approved while serving: %+v", v.Window)
		}
		if _, err := f.q.Finish(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		_, err = f.q.Call(f.ctx, a, w)
		wantCode(t, err, "window_paused")
		v, _ = f.q.Window(f.ctx, w)
		if v.Window.State != "paused" || v.Window.PendingApproved || v.Window.PauseReason != "meeting" {
			t.Fatalf("after finishing: %+v", v.Window)
		}
		f.q.Resume(f.ctx, a, w)
		f.callFinish(a, w)
		// At the peak even a short pause needs approval; a rejected one leaves the window open.
		for i := 0; i < 30; i++ {
			f.issue(1, "C", "")
		}
		res, err = f.q.Pause(f.ctx, a, w, "phone", 2, "")
		if err != nil || res.State != "pending" {
			t.Fatalf("peak pause: %v %+v", err, res)
		}
		if err := f.q.DecidePause(f.ctx, sup, w, false); err != nil {
			t.Fatal(err)
		}
		v, _ = f.q.Window(f.ctx, w)
		if v.Window.State != "open" || v.Window.PendingReason != "" {
			t.Fatalf("after rejection: %+v", v.Window)
		}
		_, err = f.q.Pause(f.ctx, a, w, "nap", 5, "")
		wantCode(t, err, "bad_pause_reason")
		_, err = f.q.Pause(f.ctx, a, w, "break", 0, "")
		wantCode(t, err, "bad_pause_minutes")
	})
}

func TestHoursAndWindowRules(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		// Hall 2 keeps office hours, 09:00-17:00 on weekdays.
		f.clk.Set(time.Date(2026, 11, 24, 8, 45, 0, 0, shanghai))
		_, err := f.q.Issue(f.ctx, 2, f.service(2, "A"), "", "kiosk")
		wantCode(t, err, "hall_closed")
		a := f.actor("clerk2-1")
		w := f.window(2, 1)
		wantCode(t, f.q.Open(f.ctx, a, w), "hall_not_open_yet")
		f.clk.Set(time.Date(2026, 11, 24, 8, 50, 0, 0, shanghai)) // ten minutes early: get ready
		if err := f.q.Open(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		f.clk.Set(time.Date(2026, 11, 24, 16, 59, 0, 0, shanghai))
		last := f.issue(2, "A", "")
		f.clk.Set(time.Date(2026, 11, 24, 17, 30, 0, 0, shanghai))
		_, err = f.q.Issue(f.ctx, 2, f.service(2, "A"), "", "kiosk")
		wantCode(t, err, "hall_closed")
		// Every ticket issued before closing is still served.
		if got := f.callFinish(a, w); got != last.Number {
			t.Fatalf("after closing got %q", got)
		}
		// Hall 1 is open around the clock.
		f.clk.Set(time.Date(2026, 11, 28, 3, 0, 0, 0, shanghai))
		f.issue(1, "A", "")

		// Window rules: one clerk at one window, one clerk per window, own hall only.
		other := f.actor("clerk2-2")
		wantCode(t, f.q.Open(f.ctx, other, w), "window_taken")
		wantCode(t, f.q.Open(f.ctx, a, f.window(2, 3)), "already_at_window")
		wantCode(t, f.q.Open(f.ctx, a, f.window(1, 3)), "window_of_other_hall")
		_, err = f.q.Call(f.ctx, other, w)
		wantCode(t, err, "window_of_other_clerk")
		_, err = f.q.Call(f.ctx, f.actor("clerk1-4"), f.window(1, 4))
		wantCode(t, err, "window_not_open")
		_, err = f.q.Issue(f.ctx, 1, 999999, "", "kiosk")
		wantCode(t, err, "service_not_found")
		_, err = f.q.Issue(f.ctx, 1, f.service(1, "A"), "vip", "kiosk")
		wantCode(t, err, "unknown_priority")
		_, err = f.q.Issue(f.ctx, 99, 1, "", "kiosk")
		wantCode(t, err, "hall_not_found")
		if err := f.q.Close(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		f.clk.Set(tuesday10)
		if err := f.q.Open(f.ctx, a, f.window(2, 3)); err != nil {
			t.Fatalf("after closing one window the clerk may open another: %v", err)
		}
	})
}

func TestDailyCapAndServiceHours(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		svc := f.service(1, "E")
		if _, err := f.db.W.Exec(f.db.Rebind("UPDATE services SET daily_cap = 2, issue_start = '08:00', issue_end = '16:00' WHERE id = ?"), svc); err != nil {
			t.Fatal(err)
		}
		f.issue(1, "E", "")
		f.issue(1, "E", "")
		_, err := f.q.Issue(f.ctx, 1, svc, "", "kiosk")
		wantCode(t, err, "daily_cap_reached")
		f.clk.Set(tuesday10.Add(24*time.Hour + 7*time.Hour)) // next day 17:00
		_, err = f.q.Issue(f.ctx, 1, svc, "", "kiosk")
		wantCode(t, err, "service_not_issuing")
	})
}

func TestEstimatedWaitFollowsHandlingTimes(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		a, w := f.open(1, 6) // 税务: G (std 12 min), H
		for i := 0; i < 3; i++ {
			f.issue(1, "G", "")
			f.q.Call(f.ctx, a, w)
			f.clk.Add(4 * time.Minute)
			f.q.Finish(f.ctx, a, w)
		}
		f.issue(1, "G", "")
		tk := f.issue(1, "G", "")
		// One ahead, one window, mean handling 4 minutes (measured, not the standard 12).
		if tk.Position != 2 || tk.EstimatedWaitSeconds != 240 {
			t.Fatalf("position %d wait %ds", tk.Position, tk.EstimatedWaitSeconds)
		}
		f.open(1, 1) // the 综合窗口 serves G too: two windows share the queue
		st, err := f.q.Status(f.ctx, tk.Token)
		if err != nil || st.EstimatedWaitSeconds != 120 {
			t.Fatalf("status %v %+v", err, st)
		}
	})
}

func TestAuditRecordsStaffActions(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		f.issue(1, "A", "")
		a, w := f.open(1, 2)
		f.callFinish(a, w)
		es, err := audit.List(f.ctx, f.db, 1, 3) // the newest three; loading the demo is audited too
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range es {
			actions = append(actions, e.Action+" "+e.Username+" "+e.Target)
		}
		want := []string{"window.finish clerk1-2 ticket:A001", "window.call clerk1-2 ticket:A001", "window.open clerk1-2 window:2号社保窗口"}
		if fmt.Sprint(actions) != fmt.Sprint(want) {
			t.Fatalf("audit %v", actions)
		}
	})
}

func TestHallState(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		f.issue(1, "A", "")
		f.issue(1, "A", "")
		a, w := f.open(1, 2)
		f.open(1, 3)
		f.clk.Add(5 * time.Minute)
		tk, _ := f.q.Call(f.ctx, a, w)
		st, err := f.q.State(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if st.Waiting != 1 || len(st.Calls) != 1 || st.Calls[0].Number != tk.Number || st.Calls[0].WindowNumber != 2 {
			t.Fatalf("state: waiting %d calls %+v", st.Waiting, st.Calls)
		}
		var w2, w3 queue.WindowState
		for _, x := range st.Windows {
			switch x.Number {
			case 2:
				w2 = x
			case 3:
				w3 = x
			}
		}
		if w2.Current != tk.Number || w2.Idle || !w3.Idle || w3.State != "open" {
			t.Fatalf("windows: %+v %+v", w2, w3)
		}
		if st.Services[0].Prefix != "A" || st.Services[0].Waiting != 1 || st.Services[0].LongestWaitS < 300 {
			t.Fatalf("service A: %+v", st.Services[0])
		}
	})
}

// Many windows press "call" at the same moment, again and again: every ticket is called exactly
// once, and none is lost.
func TestConcurrentCallsNeverShareATicket(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		const tickets = 240
		prefixes := []string{"A", "B", "C", "D", "E", "F", "G", "J"}
		for i := 0; i < tickets; i++ {
			prio := ""
			if i%7 == 0 {
				prio = "elderly"
			}
			if _, err := f.q.Issue(f.ctx, 1, f.service(1, prefixes[i%len(prefixes)]), prio, "kiosk"); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[int64]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for n := 1; n <= 8; n++ {
			a, w := f.open(1, n)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					tk, err := f.q.Call(f.ctx, a, w)
					if err != nil {
						errs <- err
						return
					}
					if tk == nil {
						return
					}
					mu.Lock()
					seen[tk.ID]++
					mu.Unlock()
					if _, err := f.q.Finish(f.ctx, a, w); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if len(seen) != tickets {
			t.Fatalf("%d distinct tickets called, want %d", len(seen), tickets)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("ticket %d called %d times", id, n)
			}
		}
		var calls, waiting int
		// Hall 1's: the demo's hall 2 holds a booking served on its last open day.
		f.db.QueryRow(f.ctx, "SELECT COUNT(*) FROM calls WHERE kind = 'call' AND hall_id = 1").Scan(&calls)
		f.db.QueryRow(f.ctx, "SELECT COUNT(*) FROM tickets WHERE state <> 'done' AND hall_id = 1").Scan(&waiting)
		if calls != tickets || waiting != 0 {
			t.Fatalf("calls %d, unfinished %d", calls, waiting)
		}
	})
}

// Kiosks issuing at once never print the same number twice.
func TestConcurrentIssueNumbersAreUnique(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		t := f.t
		svc := f.service(1, "A")
		var wg sync.WaitGroup
		var mu sync.Mutex
		nums := map[string]bool{}
		for k := 0; k < 8; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 25; i++ {
					tk, err := f.q.Issue(f.ctx, 1, svc, "", "kiosk")
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if nums[tk.Number] {
						t.Errorf("number %s twice", tk.Number)
					}
					nums[tk.Number] = true
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(nums) != 200 || !nums["A200"] {
			t.Fatalf("%d numbers", len(nums))
		}
	})
}
