package audit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

type who string

func (w who) AuditID() int64    { return 0 }
func (w who) AuditName() string { return string(w) }

// An altered, a missing and a cut-off entry are each found at their place.
func TestVerifyFindsTheFirstAlteredOrMissingEntry(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.OpenDemo(t, eng, "demo-pass-for-tests", time.Now())
			for i := range 6 {
				if err := db.InTx(ctx, func(tx *store.Tx) error {
					return audit.Record(ctx, tx, time.Now(), who("tester"), 2, "test.step", fmt.Sprintf("step:%d", i), map[string]any{"i": i})
				}); err != nil {
					t.Fatal(err)
				}
			}
			check := func(want string) {
				t.Helper()
				ps, n, err := audit.Verify(ctx, db)
				if err != nil {
					t.Fatal(err)
				}
				got := ""
				for _, p := range ps {
					got += p.String() + ";"
				}
				if got != want || n == 0 {
					t.Fatalf("verify: %q (%d entries), want %q", got, n, want)
				}
			}
			check("")
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.W.ExecContext(ctx, q, args...); err != nil {
					t.Fatal(err)
				}
			}
			ph := "?"
			if db.Dialect == store.Postgres {
				ph = "$1"
			}
			var seq3 int64
			var target string
			db.R.QueryRowContext(ctx, "SELECT id, target FROM audit_log WHERE chain = 'hall:2' AND seq = 3").Scan(&seq3, &target)
			exec("UPDATE audit_log SET target = 'step:99' WHERE id = "+ph, seq3)
			check(fmt.Sprintf("chain hall:2: entry 3 (id %d) was altered;", seq3))
			exec("UPDATE audit_log SET target = '"+target+"' WHERE id = "+ph, seq3)
			check("")
			exec("DELETE FROM audit_log WHERE chain = 'hall:2' AND seq = 4")
			check("chain hall:2: entry 4 is missing;")
		})
	}
}

// Cutting entries off the end is found through the head.
func TestVerifyFindsEntriesCutOffTheEnd(t *testing.T) {
	for _, eng := range storetest.Engines(t) {
		t.Run(eng.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, eng)
			for i := range 3 {
				db.InTx(ctx, func(tx *store.Tx) error {
					return audit.Record(ctx, tx, time.Now(), who("tester"), 0, "test.step", fmt.Sprint(i), nil)
				})
			}
			db.W.ExecContext(ctx, "DELETE FROM audit_log WHERE chain = 'org' AND seq = 3")
			ps, _, err := audit.Verify(ctx, db)
			if err != nil || len(ps) != 1 || ps[0].What != "head" || ps[0].Seq != 2 {
				t.Fatalf("verify after cutting the last entry: %v %v", ps, err)
			}
		})
	}
}
