package queue_test

// Benchmarks of the queue engine on a real database (SQLite always, PostgreSQL when
// QHALL_TEST_POSTGRES names a server). They never run in an ordinary `go test`; run them with
//
//	go test -run '^$' -bench . -benchtime 3s ./internal/queue/
//	QHALL_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test -run '^$' -bench . -benchtime 3s ./internal/queue/
//
// BenchmarkCycle is one citizen's whole path through the queue, each step its own transaction
// as in production: Issue (kiosk), Call (window), Finish (window). BenchmarkRawInsert is the
// honest floor of the same database: one transaction holding one one-row INSERT, through the
// very same store.DB.InTx path. BenchmarkCycle also measures that floor in its own database
// just before it runs and reports the ratio, so the two numbers come from the same run.

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

// benchStart is a Tuesday 10:00 in Shanghai; both demo halls are open.
var benchStart = time.Date(2026, 11, 24, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// tickClock advances one millisecond per reading, so take times differ as at a real kiosk and
// the day never changes within a benchmark (an hour is 3.6 million readings).
type tickClock struct{ n atomic.Int64 }

func (c *tickClock) Now() time.Time {
	return benchStart.Add(time.Duration(c.n.Add(1)) * time.Millisecond)
}

type benchEnv struct {
	db  *store.DB
	q   *queue.Engine
	ctx context.Context
}

// openBench opens a fresh database of engine e with the demo organisation, for the whole of b
// (every b.N round of a sub-benchmark reuses it, so tables grow as they would during a day).
func openBench(b *testing.B, e storetest.Engine) *benchEnv {
	b.Helper()
	db := storetest.Open(b, e)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, "pw-for-bench", benchStart); err != nil {
		b.Fatal(err)
	}
	clk := &tickClock{}
	q := queue.New(db)
	q.Now = clk.Now
	return &benchEnv{db: db, q: q, ctx: ctx}
}

func (env *benchEnv) id(b *testing.B, q string, args ...any) int64 {
	b.Helper()
	var id int64
	if err := env.db.QueryRow(env.ctx, q, args...).Scan(&id); err != nil {
		b.Fatalf("%s: %v", q, err)
	}
	return id
}

// openWindow signs clerk1-n in at window n of hall 1.
func (env *benchEnv) openWindow(b *testing.B, n int) (audit.Actor, int64) {
	b.Helper()
	a := audit.Actor{Username: fmt.Sprintf("clerk1-%d", n), Role: audit.Clerk, HallID: 1}
	a.ID = env.id(b, "SELECT id FROM staff WHERE username = ?", a.Username)
	w := env.id(b, "SELECT id FROM windows WHERE hall_id = 1 AND number = ?", n)
	if err := env.q.Open(env.ctx, a, w); err != nil {
		b.Fatalf("open window %d: %v", n, err)
	}
	return a, w
}

func (env *benchEnv) cycle(a audit.Actor, window, service int64) error {
	if _, err := env.q.Issue(env.ctx, 1, service, "", "kiosk"); err != nil {
		return fmt.Errorf("issue: %w", err)
	}
	t, err := env.q.Call(env.ctx, a, window)
	if err != nil {
		return fmt.Errorf("call: %w", err)
	}
	if t == nil {
		return fmt.Errorf("call: nobody waiting at window %d", window)
	}
	if _, err := env.q.Finish(env.ctx, a, window); err != nil {
		return fmt.Errorf("finish: %w", err)
	}
	return nil
}

// rawTable creates the baseline's small table (once per database).
func rawTable(b *testing.B, db *store.DB) {
	b.Helper()
	ddl := "CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY AUTOINCREMENT, v BIGINT NOT NULL, at BIGINT NOT NULL)"
	if db.Dialect == store.Postgres {
		ddl = "CREATE TABLE IF NOT EXISTS bench_raw (id BIGSERIAL PRIMARY KEY, v BIGINT NOT NULL, at BIGINT NOT NULL)"
	}
	if _, err := db.W.Exec(ddl); err != nil {
		b.Fatal(err)
	}
}

func rawInsert(ctx context.Context, db *store.DB, v int) error {
	return db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO bench_raw (v, at) VALUES (?, ?)", v, time.Now().UnixMilli())
		return err
	})
}

// rawRate measures one-row insert transactions per second on db for about d (not timed by b).
func rawRate(b *testing.B, env *benchEnv, d time.Duration) float64 {
	b.Helper()
	rawTable(b, env.db)
	start := time.Now()
	n := 0
	for time.Since(start) < d || n < 200 {
		if err := rawInsert(env.ctx, env.db, n); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

func perSecond(b *testing.B, n int) float64 {
	if s := b.Elapsed().Seconds(); s > 0 {
		return float64(n) / s
	}
	return 0
}

// BenchmarkCycle: one op is a ticket issued for service A, called at window 2 (A, B, C) by its
// clerk and finished, three transactions. Reported beside it: raw-tx/s, the rate of one-row
// insert transactions measured on the same database just before, and cycle/raw, their ratio.
func BenchmarkCycle(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		env := openBench(b, e)
		a, w := env.openWindow(b, 2)
		svc := env.id(b, "SELECT id FROM services WHERE hall_id = 1 AND prefix = 'A'")
		raw := rawRate(b, env, time.Second)
		b.Run(e.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := env.cycle(a, w, svc); err != nil {
					b.Fatal(err)
				}
			}
			cps := perSecond(b, b.N)
			b.ReportMetric(cps, "cycles/s")
			b.ReportMetric(3*cps, "tx/s")
			b.ReportMetric(raw, "raw-tx/s")
			b.ReportMetric(cps/raw, "cycle/raw")
		})
	}
}

// BenchmarkCycleParallel runs the cycle at all eight windows of hall 1 at once (eight
// goroutines, GOMAXPROCS of them running). Each window is given a service of its own for the
// run, so every call finds the ticket its goroutine just issued and no call comes back empty.
func BenchmarkCycleParallel(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		env := openBench(b, e)
		type seat struct {
			mu     sync.Mutex
			a      audit.Actor
			w, svc int64
		}
		var seats []seat
		err := env.db.InTx(env.ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(env.ctx, "DELETE FROM window_services WHERE window_id IN (SELECT id FROM windows WHERE hall_id = 1)")
			if err != nil {
				return err
			}
			for n := 1; n <= 8; n++ {
				_, err := tx.Exec(env.ctx, `INSERT INTO window_services (window_id, service_id, rank) VALUES
					((SELECT id FROM windows WHERE hall_id = 1 AND number = ?), (SELECT id FROM services WHERE hall_id = 1 AND position = ?), 0)`, n, n-1)
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		for n := 1; n <= 8; n++ {
			a, w := env.openWindow(b, n)
			svc := env.id(b, "SELECT service_id FROM window_services WHERE window_id = ?", w)
			seats = append(seats, seat{a: a, w: w, svc: svc})
		}
		b.Run(e.Name, func(b *testing.B) {
			b.ReportAllocs()
			var next atomic.Int64
			// RunParallel starts parallelism × GOMAXPROCS goroutines: at least one per window.
			// Should there be more, those sharing a window take turns at it.
			procs := runtime.GOMAXPROCS(0)
			b.SetParallelism((len(seats) + procs - 1) / procs)
			b.RunParallel(func(pb *testing.PB) {
				s := &seats[int(next.Add(1)-1)%len(seats)]
				for pb.Next() {
					s.mu.Lock()
					err := env.cycle(s.a, s.w, s.svc)
					s.mu.Unlock()
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			cps := perSecond(b, b.N)
			b.ReportMetric(cps, "cycles/s")
			b.ReportMetric(3*cps, "tx/s")
		})
	}
}

// BenchmarkRawInsert: one op is one transaction inserting one row into a small table, through
// store.DB.InTx like every operation of the engine. It is the ceiling of any write path.
func BenchmarkRawInsert(b *testing.B) {
	for _, e := range storetest.Engines(b) {
		env := openBench(b, e)
		rawTable(b, env.db)
		b.Run(e.Name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := rawInsert(env.ctx, env.db, i); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(perSecond(b, b.N), "tx/s")
		})
	}
}
