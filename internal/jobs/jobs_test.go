package jobs

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

// clock is a settable clock shared by the runners of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func newClock(t time.Time) *clock    { return &clock{t: t} }
func at(s string) time.Time          { t, _ := time.Parse(time.RFC3339, s); return t }
func ms(t time.Time) int64           { return t.UnixMilli() }
func newRunner(t *testing.T, db *store.DB, c *clock, list ...Job) *Runner {
	t.Helper()
	r, err := New(db, list, Options{Clock: c.Now, Tick: 10 * time.Millisecond, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var quiet = slog.New(slog.DiscardHandler)

// counter counts runs per period and fails the test when two runs of the job overlap.
type counter struct {
	t      *testing.T
	mu     sync.Mutex
	runs   map[time.Time]int
	active atomic.Int32
	total  atomic.Int32
	hold   time.Duration // how long a run takes, to widen the window for overlaps
}

func newCounter(t *testing.T, hold time.Duration) *counter {
	return &counter{t: t, runs: map[time.Time]int{}, hold: hold}
}

func (c *counter) Run(ctx context.Context, period time.Time) error {
	if c.active.Add(1) > 1 {
		c.t.Errorf("two runs at once (period %v)", period)
	}
	defer c.active.Add(-1)
	time.Sleep(c.hold)
	c.mu.Lock()
	c.runs[period]++
	c.mu.Unlock()
	c.total.Add(1)
	return nil
}

func (c *counter) count(p time.Time) int { c.mu.Lock(); defer c.mu.Unlock(); return c.runs[p] }

func mustRunDue(t *testing.T, r *Runner) {
	t.Helper()
	if err := r.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func status(t *testing.T, r *Runner, name string) State {
	t.Helper()
	all, err := r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no status for %s in %+v", name, all)
	return State{}
}

func TestSchedules(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		s         Schedule
		now, want string
	}{
		{Every(5 * time.Minute), "2026-03-01T10:07:59+08:00", "2026-03-01T02:05:00Z"},
		{Every(5 * time.Minute), "2026-03-01T02:10:00Z", "2026-03-01T02:10:00Z"},
		{Every(24 * time.Hour), "2026-03-01T07:00:00+08:00", "2026-02-28T00:00:00Z"},
		{DailyAt(18, 30, sh), "2026-03-01T18:29:59+08:00", "2026-02-28T18:30:00+08:00"},
		{DailyAt(18, 30, sh), "2026-03-01T18:30:00+08:00", "2026-03-01T18:30:00+08:00"},
		{DailyAt(18, 30, sh), "2026-03-01T01:00:00Z", "2026-02-28T18:30:00+08:00"},
		{DailyAt(0, 0, sh), "2026-01-01T00:10:00+08:00", "2026-01-01T00:00:00+08:00"},
		{DailyAt(23, 0, sh), "2026-01-01T10:00:00+08:00", "2025-12-31T23:00:00+08:00"},
	}
	for _, c := range cases {
		if got := c.s.Period(at(c.now)); !got.Equal(at(c.want)) {
			t.Errorf("%v at %s: %v, want %s", c.s, c.now, got, c.want)
		}
	}
	if got := DailyAt(7, 5, sh).String(); got != "daily at 07:05 Asia/Shanghai" {
		t.Error(got)
	}
}

func TestNewRefusesBadLists(t *testing.T) {
	run := func(context.Context, time.Time) error { return nil }
	bad := [][]Job{
		{{Name: "", When: Every(time.Minute), Run: run}},
		{{Name: "a", When: Every(time.Minute), Run: run}, {Name: "a", When: Every(time.Hour), Run: run}},
		{{Name: "a", Run: run}},
		{{Name: "a", When: Every(time.Minute)}},
	}
	for i, list := range bad {
		if _, err := New(nil, list, Options{}); err == nil {
			t.Errorf("list %d accepted", i)
		}
	}
}

// Several passes in each period, on one and on two Runners of one database: one run per period.
func TestOncePerPeriod(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.Open(t, e)
			c := newClock(at("2026-03-02T09:00:10Z"))
			cnt := newCounter(t, 0)
			job := Job{Name: "deadlines", When: Every(time.Minute), Run: cnt.Run}
			r1, r2 := newRunner(t, db, c, job), newRunner(t, db, c, job)
			for p := 0; p < 3; p++ {
				for i := 0; i < 4; i++ {
					mustRunDue(t, r1)
					mustRunDue(t, r2)
					c.Add(12 * time.Second)
				}
				c.Set(at("2026-03-02T09:00:00Z").Add(time.Duration(p+1)*time.Minute + time.Second))
			}
			for p := 0; p < 3; p++ {
				period := at("2026-03-02T09:00:00Z").Add(time.Duration(p) * time.Minute)
				if n := cnt.count(period); n != 1 {
					t.Errorf("period %v ran %d times", period, n)
				}
			}
			var rows, done int
			db.QueryRow(context.Background(), "SELECT COUNT(*), SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) FROM job_runs WHERE name = ?", "deadlines").Scan(&rows, &done)
			if rows != 3 || done != 3 {
				t.Errorf("job_runs: %d rows, %d done", rows, done)
			}
			s := status(t, r1, "deadlines")
			if s.Runs != 3 || s.Failures != 0 || s.Error != "" || s.Running || s.Schedule != "every 1m0s" ||
				!s.LastPeriod.Equal(at("2026-03-02T09:02:00Z")) || s.LastSuccess.IsZero() || s.StartedAt.Before(s.LastPeriod) {
				t.Errorf("status %+v", s)
			}
		})
	}
}

// A failed period is retried by the same or another instance after Retry, doubled per attempt,
// until it succeeds or the period ends; the next period runs as usual.
func TestFailureRetried(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.Open(t, e)
			t0 := at("2026-03-02T09:00:00Z")
			c := newClock(t0)
			var calls atomic.Int32
			var fail atomic.Int32 // how many more calls fail
			fail.Store(2)
			job := Job{Name: "reminders", When: Every(time.Hour), Run: func(context.Context, time.Time) error {
				calls.Add(1)
				if fail.Add(-1) >= 0 {
					return errors.New("mail server down")
				}
				return nil
			}}
			r1, r2 := newRunner(t, db, c, job), newRunner(t, db, c, job)
			step := func(d time.Duration, wantCalls int32) {
				t.Helper()
				c.Set(t0.Add(d))
				mustRunDue(t, r1)
				mustRunDue(t, r2)
				if n := calls.Load(); n != wantCalls {
					t.Fatalf("at +%v: %d calls, want %d", d, n, wantCalls)
				}
			}
			step(time.Second, 1) // fails; retry after a minute
			if s := status(t, r1, "reminders"); s.Error != "mail server down" || s.Runs != 1 || s.Failures != 1 || !s.LastSuccess.IsZero() {
				t.Fatalf("status after a failure %+v", s)
			}
			step(50*time.Second, 1)
			step(62*time.Second, 2)              // fails again; retry after two minutes
			step(3*time.Minute, 2)               // too early
			step(3*time.Minute+3*time.Second, 3) // succeeds
			step(50*time.Minute, 3)
			s := status(t, r2, "reminders")
			if s.Error != "" || s.Runs != 3 || s.Failures != 2 || s.LastSuccess.IsZero() {
				t.Fatalf("status after success %+v", s)
			}
			var attempt int
			db.QueryRow(context.Background(), "SELECT attempt FROM job_runs WHERE name = ? AND period = ?", "reminders", ms(t0)).Scan(&attempt)
			if attempt != 3 {
				t.Errorf("attempt %d", attempt)
			}
			// A failure in the last minute of a period is not retried in it; the next period runs.
			fail.Store(1)
			step(2*time.Hour-30*time.Second, 4)
			step(2*time.Hour-time.Second, 4)
			step(2*time.Hour, 5)
			if s := status(t, r1, "reminders"); s.Error != "" || s.Runs != 5 || s.Failures != 3 {
				t.Fatalf("status %+v", s)
			}
		})
	}
}

func TestPanicRecorded(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.Open(t, e)
			c := newClock(at("2026-03-02T09:00:00Z"))
			ok := newCounter(t, 0)
			r := newRunner(t, db, c,
				Job{Name: "anonymise", When: Every(time.Hour), Run: func(context.Context, time.Time) error { panic("nil map") }},
				Job{Name: "forecast", When: Every(time.Hour), Run: ok.Run},
				Job{Name: "certificates", When: Every(time.Hour), Run: ok.Run})
			mustRunDue(t, r)
			s := status(t, r, "anonymise")
			if !strings.HasPrefix(s.Error, "panic: nil map") || s.Runs != 1 || s.Failures != 1 {
				t.Errorf("status %+v", s)
			}
			if ok.total.Load() != 2 {
				t.Errorf("the other jobs ran %d times", ok.total.Load())
			}
			all, err := Status(context.Background(), db)
			if err != nil || len(all) != 3 || all[0].Name != "anonymise" || all[1].Name != "certificates" || all[2].Error != "" {
				t.Errorf("Status: %+v, %v", all, err)
			}
		})
	}
}

// An instance that dies after its claim leaves the period 'running'; after the lease another
// instance retakes it and counts the lost run as a failure.
func TestAbandonedRunRetaken(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			db := storetest.Open(t, e)
			t0 := at("2026-03-02T09:00:00Z")
			c := newClock(t0)
			cnt := newCounter(t, 0)
			job := Job{Name: "forecast", When: DailyAt(2, 0, time.UTC), Run: cnt.Run, Timeout: 10 * time.Minute}
			dead, alive := newRunner(t, db, c, job), newRunner(t, db, c, job)
			if _, ok, err := dead.claim(context.Background(), &dead.jobs[0], ms(at("2026-03-02T02:00:00Z")), c.Now()); !ok || err != nil {
				t.Fatal(ok, err)
			}
			if s := status(t, alive, "forecast"); !s.Running || s.Runs != 0 {
				t.Fatalf("status of the claimed job %+v", s)
			}
			c.Add(10*time.Minute + leaseGrace - time.Second)
			mustRunDue(t, alive)
			if cnt.total.Load() != 0 {
				t.Fatal("retaken within the lease")
			}
			c.Add(time.Second)
			mustRunDue(t, alive)
			mustRunDue(t, alive)
			if cnt.total.Load() != 1 {
				t.Fatalf("%d runs after the lease", cnt.total.Load())
			}
			s := status(t, alive, "forecast")
			if s.Running || s.Runs != 2 || s.Failures != 1 || s.Error != "" || s.LastSuccess.IsZero() {
				t.Fatalf("status %+v", s)
			}
			var last string
			db.QueryRow(context.Background(), "SELECT instance FROM job_runs WHERE name = 'forecast'").Scan(&last)
			if last != alive.instance {
				t.Errorf("held by %s", last)
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	db := storetest.Open(t, storetest.Engines(t)[0])
	c := newClock(at("2026-03-02T09:00:00Z"))
	list := []Job{
		{Name: "bad", When: Every(time.Hour), Run: func(context.Context, time.Time) error { return errors.New("x") }},
		{Name: "good", When: Every(time.Hour), Run: func(context.Context, time.Time) error { return nil }},
	}
	r := newRunner(t, db, c, list...)
	mustRunDue(t, r)
	c.Add(time.Hour)
	mustRunDue(t, r)
	// Another instance's list has a job that never ran: it is reported at zero.
	other := newRunner(t, db, c, append(list, Job{Name: "new", When: Every(time.Hour), Run: list[1].Run})...)
	reg := prometheus.NewRegistry()
	reg.MustRegister(other.Collector())
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			key := mf.GetName()
			for _, l := range m.GetLabel() {
				key += "{" + l.GetValue() + "}"
			}
			got[key] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
		}
	}
	want := map[string]float64{
		"qhall_jobs_status_up":      1,
		"qhall_job_runs_total{bad}": 2, "qhall_job_failures_total{bad}": 2, "qhall_job_last_run_failed{bad}": 1,
		"qhall_job_last_success_timestamp_seconds{bad}": 0,
		"qhall_job_runs_total{good}":                    2, "qhall_job_failures_total{good}": 0, "qhall_job_last_run_failed{good}": 0,
		"qhall_job_last_success_timestamp_seconds{good}": float64(at("2026-03-02T10:00:00Z").Unix()),
		"qhall_job_runs_total{new}":                      0, "qhall_job_last_run_failed{new}": 0,
	}
	for k, v := range want {
		if w, ok := got[k]; !ok || w != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}
