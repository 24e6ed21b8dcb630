package queue_test

import (
	"testing"
	"time"
)

// BenchmarkCycleSynchronous is the cost of SQLite's synchronous=FULL (the setting: every commit
// waits for the write-ahead log to reach the disk) against NORMAL (the setting before issue 12:
// the log is synced only at checkpoints, so the last commits before a power cut can be lost).
// The two run side by side in one process, each on a fresh database; run with -count to
// interleave them:
//
//	go test -run '^$' -bench CycleSynchronous -benchtime 1000x -count 5 ./internal/queue/
func BenchmarkCycleSynchronous(b *testing.B) {
	for _, mode := range []string{"FULL", "NORMAL"} {
		b.Run("sync="+mode, func(b *testing.B) {
			env := openBench(b, freshEngine(b, "sqlite"))
			// The write pool is one connection kept open, so the pragma holds for the run.
			if _, err := env.db.W.Exec("PRAGMA synchronous=" + mode); err != nil {
				b.Fatal(err)
			}
			a, w := env.openWindow(b, 2)
			svc := env.id(b, "SELECT id FROM services WHERE hall_id = 1 AND prefix = 'A'")
			raw := rawRate(b, env, time.Second)
			benchCycles(b, env, a, w, svc, raw)
		})
	}
}
