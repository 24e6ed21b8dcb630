package queue_test

import (
	"testing"
	"time"
)

// TestTodayFigures: served, no-shows and waits per service, served and handling time per clerk,
// counted from the start of the hall's day only, on both engines.
func TestTodayFigures(t *testing.T) {
	eachEngine(t, func(f *fixture) {
		// Yesterday's ticket does not count.
		f.clk.Add(-24 * time.Hour)
		f.issue(1, "A", "")
		f.clk.Add(24 * time.Hour)
		a, w := f.open(1, 1)
		if _, err := f.q.Call(f.ctx, a, w); err != nil { // yesterday's, still waiting: called today
			t.Fatal(err)
		}
		if _, err := f.q.Skip(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		f.issue(1, "A", "")
		f.issue(1, "A", "")
		f.clk.Add(4 * time.Minute)
		if _, err := f.q.Call(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		if _, err := f.q.Start(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		f.clk.Add(6 * time.Minute)
		if _, err := f.q.Finish(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		if _, err := f.q.Call(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		if _, err := f.q.Skip(f.ctx, a, w); err != nil {
			t.Fatal(err)
		}
		day, err := f.q.Today(f.ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(day.Services) != 1 {
			t.Fatalf("services with tickets today: %+v", day.Services)
		}
		s := day.Services[0]
		if s.ID != f.service(1, "A") || s.Served != 1 || s.NoShows != 1 {
			t.Errorf("service figures %+v, want 1 served and 1 no-show (yesterday's ticket not counted)", s)
		}
		// waits: the first ticket called after 4 min (+1 s between takes), the second after 10 min
		if s.LongestWaitS < 599 || s.LongestWaitS > 601 || s.MeanWaitS < 400 || s.MeanWaitS > 421 {
			t.Errorf("waits %+v", s)
		}
		if len(day.Clerks) != 1 || day.Clerks[0].Served != 1 || day.Clerks[0].MeanHandleS != 360 || day.Clerks[0].Name == "" {
			t.Errorf("clerk figures %+v", day.Clerks)
		}
		mine, err := f.q.ClerkToday(f.ctx, 1, a.ID)
		if err != nil || mine.Served != 1 || mine.MeanHandleS != 360 {
			t.Errorf("the clerk's own figures %+v %v", mine, err)
		}
	})
}
