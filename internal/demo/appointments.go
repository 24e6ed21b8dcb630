package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// loadAppointments books the demo's appointments through the appointments' own functions, with
// their clock set back where the story needs a past: in hall 1, for 教育服务 (K), bookings of
// today and the coming days, one checked in and served an hour ago, one missed today, one
// cancelled, and a citizen whose three missed bookings suspended their booking. 社保转移 (B)
// and 公积金贷款 (E) ask for an ID number.
func loadAppointments(ctx context.Context, db *store.DB, password string, now time.Time) error {
	clock := now
	tick := func() time.Time { return clock }
	q := &queue.Engine{DB: db, Now: tick}
	ap := &appointments.Service{DB: db, Queue: q, Now: tick}
	halls, err := org.Halls(ctx, db)
	if err != nil || len(halls) == 0 {
		return err
	}
	hall := halls[0]
	svcs, err := org.Services(ctx, db, hall.ID)
	if err != nil {
		return err
	}
	byPrefix := map[string]int64{}
	for _, s := range svcs {
		byPrefix[s.Prefix] = s.ID
	}
	err = db.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range []string{"B", "E"} {
			if err := org.SetServiceNeedsID(ctx, tx, staff.System, now, byPrefix[p], true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	k := byPrefix["K"]
	loc := hall.Location()
	slot := now.In(loc).Truncate(30 * time.Minute) // the current slot's start (the zone's offset is whole hours)
	book := func(at time.Time, start time.Time, name, phone string) (*appointments.Booking, error) {
		clock = at
		b, err := ap.Book(ctx, hall.ID, appointments.Request{Service: k, Start: start, Name: name, Phone: phone})
		if err != nil {
			return nil, fmt.Errorf("demo: booking %s at %v: %w", name, start, err)
		}
		return b, nil
	}
	// 赵六 missed three bookings in the last weeks: booking is suspended for a month.
	for _, d := range []int{20, 10, 3} {
		start := slot.AddDate(0, 0, -d)
		if _, err := book(start.AddDate(0, 0, -1), start, "赵六", "13600000006"); err != nil {
			return err
		}
		if _, err := ap.MarkNoShows(ctx, start.Add(time.Hour)); err != nil {
			return err
		}
	}
	// 孙七 missed today's booking two hours ago.
	missed := slot.Add(-2 * time.Hour)
	if _, err := book(missed.AddDate(0, 0, -1), missed, "孙七", "13600000007"); err != nil {
		return err
	}
	// 周八 checked in at hall 2 for 09:00 on its last open day and was served at window 7 (hall 2,
	// so that hall 1, open around the clock, starts with an empty queue).
	if err := servedBooking(ctx, db, password, halls, now); err != nil {
		return err
	}
	clock = now
	if _, err := ap.MarkNoShows(ctx, now); err != nil {
		return err
	}
	// Booked: later today and the coming days; one cancelled.
	for i, p := range []struct {
		after       time.Duration
		name, phone string
	}{
		{2 * time.Hour, "吴九", "13600000009"},
		{150 * time.Minute, "郑十", "13600000010"},
		{26 * time.Hour, "王小明", "13600000011"},
		{50 * time.Hour, "李华", "13600000012"},
	} {
		if _, err := book(now.Add(-time.Duration(i)*time.Minute), slot.Add(p.after), p.name, p.phone); err != nil {
			return err
		}
	}
	c, err := book(now, slot.Add(3*time.Hour), "冯十一", "13600000013")
	if err != nil {
		return err
	}
	_, err = ap.Cancel(ctx, c.Token)
	return err
}

// servedBooking books, checks in and serves a booking of hall 2's service K at 09:00 on the last
// day before now that the hall was open at that time.
func servedBooking(ctx context.Context, db *store.DB, password string, halls []*org.Hall, now time.Time) error {
	if len(halls) < 2 {
		return nil
	}
	hall := halls[1]
	loc := hall.Location()
	var served time.Time
	for d := 1; d <= 7 && served.IsZero(); d++ {
		day := now.In(loc).AddDate(0, 0, -d)
		at := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, loc)
		if hall.Hours().IssuesAt(at) && hall.Hours().IssuesAt(at.Add(10*time.Minute)) {
			served = at
		}
	}
	if served.IsZero() {
		return nil
	}
	svcs, err := org.Services(ctx, db, hall.ID)
	if err != nil {
		return err
	}
	var k int64
	for _, s := range svcs {
		if s.Prefix == "K" {
			k = s.ID
		}
	}
	clock := served.AddDate(0, 0, -1)
	q := &queue.Engine{DB: db, Now: func() time.Time { return clock }}
	ap := &appointments.Service{DB: db, Queue: q, Now: func() time.Time { return clock }}
	b, err := ap.Book(ctx, hall.ID, appointments.Request{Service: k, Start: served, Name: "周八", Phone: "13600000008"})
	if err != nil {
		return fmt.Errorf("demo: booking: %w", err)
	}
	clock = served
	if _, err := ap.CheckIn(ctx, hall.ID, b.Code); err != nil {
		return fmt.Errorf("demo: check-in: %w", err)
	}
	return serveOne(ctx, q, &clock, db, password, hall.ID, served)
}

// serveOne has window 7's clerk call and serve the waiting appointment ticket at the slot time.
func serveOne(ctx context.Context, q *queue.Engine, clock *time.Time, db *store.DB, password string, hall int64, at time.Time) error {
	*clock = at
	auth := &staff.Service{DB: db, Now: func() time.Time { return *clock }}
	token, a, err := auth.Login(ctx, fmt.Sprintf("clerk%d-7", 2), password)
	if err != nil {
		return fmt.Errorf("demo: clerk: %w", err)
	}
	defer auth.Logout(ctx, token, *a)
	wins, err := org.Windows(ctx, db, hall)
	if err != nil {
		return err
	}
	var win int64
	for _, w := range wins {
		if w.Number == 7 {
			win = w.ID
		}
	}
	if err := q.Open(ctx, *a, win); err != nil {
		return fmt.Errorf("demo: open: %w", err)
	}
	if t, err := q.Call(ctx, *a, win); err != nil || t == nil {
		return fmt.Errorf("demo: call: %v %w", t, err)
	}
	*clock = at.Add(9 * time.Minute)
	if _, err := q.Finish(ctx, *a, win); err != nil {
		return fmt.Errorf("demo: finish: %w", err)
	}
	return q.Close(ctx, *a, win)
}
