package queue_test

// Benchmarks of the queue engine on a real database (SQLite always, PostgreSQL when
// QHALL_TEST_POSTGRES names a server). They never run in an ordinary `go test`; run them with
//
//	go test -run '^$' -bench . -benchtime 1000x -count 3 ./internal/queue/
//	QHALL_TEST_POSTGRES='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test -run '^$' -bench '/postgres' -benchtime 1000x -count 3 ./internal/queue/
//
// (a fixed op count, since the tables grow as ops run). Results: docs/BENCHMARKS.md, "Queue".
//
// BenchmarkCycle is one citizen's whole path through the queue, each step its own transaction
// as in production: Issue (kiosk), Call (window), Finish (window). BenchmarkRawInsert is the
// honest floor of the same database: one transaction holding one one-row INSERT, through the
// very same store.DB.InTx path. BenchmarkCycle also measures that floor in its own database
// just before it runs and reports the ratio, so the two numbers come from the same run.

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/demo"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
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

// benchEngines names the engines at hand: SQLite, and PostgreSQL when QHALL_TEST_POSTGRES is set.
func benchEngines() []string {
	if os.Getenv("QHALL_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// freshEngine is an empty database of the named engine for b alone.
func freshEngine(b *testing.B, name string) storetest.Engine {
	if name == "postgres" {
		return storetest.Engine{Name: name, URL: storetest.PostgresURL(b)}
	}
	return storetest.Engine{Name: name, Dir: b.TempDir()}
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
func (env *benchEnv) openWindow(b *testing.B, n int) (staff.Actor, int64) {
	b.Helper()
	a := staff.Actor{Username: fmt.Sprintf("clerk1-%d", n), Role: staff.Clerk, HallID: 1}
	a.ID = env.id(b, "SELECT id FROM staff WHERE username = ?", a.Username)
	w := env.id(b, "SELECT id FROM windows WHERE hall_id = 1 AND number = ?", n)
	if err := env.q.Open(env.ctx, a, w); err != nil {
		b.Fatalf("open window %d: %v", n, err)
	}
	return a, w
}

func (env *benchEnv) cycle(a staff.Actor, window, service int64) error {
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

// addHistory adds n finished tickets of earlier days to hall 1, spread over its services and
// windows, as a hall accumulates them (a busy hall serves a few thousand a day).
func (env *benchEnv) addHistory(b *testing.B, n int) {
	b.Helper()
	if n == 0 {
		return
	}
	// Taken a second apart, each called a minute after it was taken and served for five minutes.
	at := fmt.Sprintf("(%d - (%d - i) * 1000)", benchStart.Add(-24*time.Hour).UnixMilli(), n)
	_, err := env.db.W.Exec(fmt.Sprintf(`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %d)
		INSERT INTO tickets (hall_id, service_id, first_service_id, day, prefix, number, token, state, taken_at, queued_at,
			called_at, started_at, finished_at, window_id)
		SELECT 1, s.first + i %% 12, s.first + i %% 12, 'past-' || (i / 2000), 'H', i, 'history-' || i, 'done',
			%[2]s, %[2]s, %[2]s + 60000, %[2]s + 60000, %[2]s + 360000, w.first + i %% 8
		FROM seq, (SELECT MIN(id) AS first FROM services WHERE hall_id = 1) s, (SELECT MIN(id) AS first FROM windows WHERE hall_id = 1) w`,
		n, at))
	if err != nil {
		b.Fatalf("history: %v", err)
	}
}

// BenchmarkCycle: one op is a ticket issued for service A, called at window 2 (A, B, C) by its
// clerk and finished, three transactions, on a fresh database holding `history` finished
// tickets of earlier days. Reported beside it: raw-tx/s, the rate of one-row insert
// transactions measured on the same database just before, and cycle/raw, their ratio.
func BenchmarkCycle(b *testing.B) {
	for _, e := range benchEngines() {
		for _, history := range []int{0, 100_000} {
			b.Run(fmt.Sprintf("%s/history=%d", e, history), func(b *testing.B) {
				env := openBench(b, freshEngine(b, e))
				env.addHistory(b, history)
				a, w := env.openWindow(b, 2)
				svc := env.id(b, "SELECT id FROM services WHERE hall_id = 1 AND prefix = 'A'")
				raw := rawRate(b, env, time.Second)
				benchCycles(b, env, a, w, svc, raw)
			})
		}
	}
}

func benchCycles(b *testing.B, env *benchEnv, a staff.Actor, w, svc int64, raw float64) {
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
}

// BenchmarkCycleParallel runs the cycle at all eight windows of hall 1 at once (eight
// goroutines, GOMAXPROCS of them running). Each window is given a service of its own for the
// run, so every call finds the ticket its goroutine just issued and no call comes back empty.
func BenchmarkCycleParallel(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(e, func(b *testing.B) {
			env := openBench(b, freshEngine(b, e))
			seats := env.ownServices(b)
			b.ReportAllocs()
			var next atomic.Int64
			// RunParallel starts parallelism × GOMAXPROCS goroutines: at least one per window.
			// Should there be more, those sharing a window take turns at it.
			procs := runtime.GOMAXPROCS(0)
			b.SetParallelism((len(seats) + procs - 1) / procs)
			b.ResetTimer()
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

type seat struct {
	mu     sync.Mutex
	a      staff.Actor
	w, svc int64
}

// ownServices gives each of hall 1's eight windows a service of its own and opens them all.
func (env *benchEnv) ownServices(b *testing.B) []seat {
	b.Helper()
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
	seats := make([]seat, 8)
	for n := 1; n <= 8; n++ {
		s := &seats[n-1]
		s.a, s.w = env.openWindow(b, n)
		s.svc = env.id(b, "SELECT service_id FROM window_services WHERE window_id = ?", s.w)
	}
	return seats
}

// BenchmarkRawInsert: one op is one transaction inserting one row into a small table, through
// store.DB.InTx like every operation of the engine. It is the ceiling of any write path.
func BenchmarkRawInsert(b *testing.B) {
	for _, e := range benchEngines() {
		b.Run(e, func(b *testing.B) {
			env := openBench(b, freshEngine(b, e))
			rawTable(b, env.db)
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
