package jobs

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

// twoInstances opens two store.DBs (two "instances", each with its own pools) on one
// PostgreSQL schema, or skips without PostgreSQL.
func twoInstances(t *testing.T) (*store.DB, *store.DB) {
	u := storetest.PostgresURL(t)
	if u == "" {
		t.Skip("QHALL_TEST_POSTGRES is not set")
	}
	e := storetest.Engine{Name: "postgres", URL: u}
	return storetest.Open(t, e), storetest.Open(t, e)
}

func runsInTable(t *testing.T, db *store.DB, name string) (rows, done int) {
	t.Helper()
	err := db.QueryRow(context.Background(), `SELECT COUNT(*), COALESCE(SUM(CASE WHEN state = 'done' AND attempt = 1 THEN 1 ELSE 0 END), 0)
		FROM job_runs WHERE name = ?`, name).Scan(&rows, &done)
	if err != nil {
		t.Fatal(err)
	}
	return rows, done
}

// Two instances, two Runners each, many concurrent passes at several times in each of ten
// simulated periods: every period's body runs once, never two at a time.
func TestTwoInstancesSimulated(t *testing.T) {
	db1, db2 := twoInstances(t)
	t0 := at("2026-03-02T00:00:00Z")
	c := newClock(t0)
	cnt := newCounter(t, 3*time.Millisecond)
	job := Job{Name: "deadlines", When: Every(time.Hour), Run: cnt.Run}
	runners := []*Runner{newRunner(t, db1, c, job), newRunner(t, db1, c, job), newRunner(t, db2, c, job), newRunner(t, db2, c, job)}
	const periods = 10
	for p := 0; p < periods; p++ {
		for _, off := range []time.Duration{0, time.Second, 20 * time.Minute, 59 * time.Minute} {
			c.Set(t0.Add(time.Duration(p)*time.Hour + off))
			var wg sync.WaitGroup
			for _, r := range runners {
				for range 4 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if err := r.RunDue(context.Background()); err != nil {
							t.Error(err)
						}
					}()
				}
			}
			wg.Wait()
		}
	}
	for p := 0; p < periods; p++ {
		if n := cnt.count(t0.Add(time.Duration(p) * time.Hour)); n != 1 {
			t.Errorf("period %d ran %d times", p, n)
		}
	}
	if rows, done := runsInTable(t, db2, "deadlines"); rows != periods || done != periods {
		t.Errorf("job_runs: %d rows, %d done at the first attempt", rows, done)
	}
	if s := status(t, runners[0], "deadlines"); s.Runs != periods || s.Failures != 0 {
		t.Errorf("status %+v", s)
	}
}

// The same in real time: both instances' Start loops for about two seconds on periods of 200 ms.
func TestTwoInstancesRealTime(t *testing.T) {
	db1, db2 := twoInstances(t)
	cnt := newCounter(t, 20*time.Millisecond)
	job := Job{Name: "reminders", When: Every(200 * time.Millisecond), Run: cnt.Run}
	ctx, cancel := context.WithTimeout(context.Background(), 2100*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	for _, db := range []*store.DB{db1, db2} {
		r, err := New(db, []Job{job}, Options{Tick: 5 * time.Millisecond, Log: quiet})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); r.Start(ctx) }()
	}
	wg.Wait()
	cnt.mu.Lock()
	defer cnt.mu.Unlock()
	for p, n := range cnt.runs {
		if n != 1 {
			t.Errorf("period %v ran %d times", p.Format("15:04:05.000"), n)
		}
	}
	// 2.1 s touch at most twelve periods; a pass comes every 5 ms, so even a slow machine runs most.
	total := int(cnt.total.Load())
	if total < 6 || total > 12 {
		t.Errorf("%d runs in about 2 s of 200 ms periods", total)
	}
	if rows, done := runsInTable(t, db1, "reminders"); rows != total || done != total {
		t.Errorf("job_runs: %d rows, %d done at the first attempt; %d runs counted", rows, done, total)
		rs, _ := db1.Query(context.Background(), "SELECT period, instance, attempt, state, error FROM job_runs ORDER BY period")
		for rs.Next() {
			var p int64
			var inst, state, msg string
			var a int
			rs.Scan(&p, &inst, &a, &state, &msg)
			t.Log(time.UnixMilli(p).UTC().Format("15:04:05.000"), inst, a, state, msg)
		}
		rs.Close()
	}
}

// A run that overruns its lease (and ignores its context) keeps its advisory lock: the other
// instance may not retake the period while it goes on.
func TestLockOutlivesLease(t *testing.T) {
	db1, db2 := twoInstances(t)
	t0 := at("2026-03-02T18:00:00Z")
	c := newClock(t0)
	started, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	cnt := newCounter(t, 0)
	slow := Job{Name: "forecast", When: Every(24 * time.Hour), Timeout: time.Millisecond, Run: func(ctx context.Context, p time.Time) error {
		once.Do(func() { close(started) })
		<-release
		return cnt.Run(ctx, p)
	}}
	r1, r2 := newRunner(t, db1, c, slow), newRunner(t, db2, c, slow)
	done := make(chan error)
	go func() { done <- r1.RunDue(context.Background()) }()
	<-started
	c.Add(time.Hour) // far past the lease
	second := make(chan error)
	go func() { second <- r2.RunDue(context.Background()) }()
	select {
	case err := <-second: // turned away, as it should be
		close(release)
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(2 * time.Second):
		close(release)
		<-second
		t.Error("the second instance ran the job while the first still ran it")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := cnt.total.Load(); n != 1 {
		t.Fatalf("%d runs", n)
	}
	mustRunDue(t, r2) // the period is done now
	if n := cnt.total.Load(); n != 1 {
		t.Fatalf("%d runs after the first finished", n)
	}
}
