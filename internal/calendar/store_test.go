package calendar_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/store"
	"github.com/qhall/qhall/internal/storetest"
)

func TestStorage(t *testing.T) {
	for _, e := range storetest.Engines(t) {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			db := storetest.Open(t, e)
			write := func(fn func(tx *store.Tx) error) error { return db.InTx(ctx, fn) }
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			// Every hall closed Friday 2026-11-27; hall 2 opens Saturday 11-28; hall 3 opens
			// the 27th after all.
			must(write(func(tx *store.Tx) error {
				return calendar.SetDay(ctx, tx, 0, d("2026-11-27"), false, "停电检修")
			}))
			must(write(func(tx *store.Tx) error {
				return calendar.SetDay(ctx, tx, 2, d("2026-11-28"), true, "")
			}))
			must(write(func(tx *store.Tx) error {
				return calendar.SetDay(ctx, tx, 3, d("2026-11-27"), true, "first note")
			}))
			// Setting again replaces.
			must(write(func(tx *store.Tx) error {
				return calendar.SetDay(ctx, tx, 3, d("2026-11-27"), true, "open as usual")
			}))
			for _, c := range []struct {
				scope int64
				want  string
			}{{0, "2026-11-30"}, {1, "2026-11-30"}, {2, "2026-11-28"}, {3, "2026-11-27"}} {
				r, err := calendar.Workdays(ctx, db, c.scope, "2026-11-26", "1")
				if err != nil || r.Date != d(c.want) || r.Provisional {
					t.Errorf("hall %d: %+v %v, want %s", c.scope, r, err, c.want)
				}
			}
			days, err := calendar.ListDays(ctx, db, 3)
			must(err)
			if len(days) != 1 || days[0].Note != "open as usual" || !days[0].Working || days[0].Day != d("2026-11-27") || days[0].CreatedAt.IsZero() {
				t.Errorf("hall 3 days: %+v", days)
			}
			if days, _ := calendar.ListDays(ctx, db, 0); len(days) != 1 || days[0].Note != "停电检修" || days[0].Working {
				t.Errorf("every-hall days: %+v", days)
			}

			must(write(func(tx *store.Tx) error { return calendar.DeleteDay(ctx, tx, 0, d("2026-11-27")) }))
			if err := write(func(tx *store.Tx) error { return calendar.DeleteDay(ctx, tx, 0, d("2026-11-27")) }); !errors.Is(err, calendar.ErrNotFound) {
				t.Errorf("delete again: %v", err)
			}
			if r, _ := calendar.Workdays(ctx, db, 1, "2026-11-26", "1"); r.Date != d("2026-11-27") {
				t.Errorf("after delete: %+v", r)
			}

			// Bad input is ErrInvalid and writes nothing.
			for _, err := range []error{
				write(func(tx *store.Tx) error { return calendar.SetDay(ctx, tx, -1, d("2026-11-27"), false, "") }),
				write(func(tx *store.Tx) error {
					return calendar.SetDay(ctx, tx, 1, calendar.Date{Year: 2026, Month: 2, Day: 30}, false, "")
				}),
				write(func(tx *store.Tx) error {
					return calendar.SetDay(ctx, tx, 1, d("2026-12-01"), false, strings.Repeat("字", calendar.MaxNote+1))
				}),
				write(func(tx *store.Tx) error { return calendar.SetDay(ctx, tx, 1, d("2026-12-01"), false, "a\x00b") }),
			} {
				if !errors.Is(err, calendar.ErrInvalid) {
					t.Errorf("want ErrInvalid, got %v", err)
				}
			}
			if days, _ := calendar.ListDays(ctx, db, 1); len(days) != 0 {
				t.Errorf("bad input wrote %+v", days)
			}
			for _, q := range [][2]string{{"2026-11-26", "-1"}, {"2026-11-26", "367"}, {"2026-11-26", "x"}, {"2026-11-26", ""},
				{"2026-11-31", "1"}, {"26-11-26", "1"}} {
				if _, err := calendar.Workdays(ctx, db, 1, q[0], q[1]); !errors.Is(err, calendar.ErrInvalid) {
					t.Errorf("Workdays(%q, %q) = %v, want ErrInvalid", q[0], q[1], err)
				}
			}
			if r, err := calendar.Workdays(ctx, db, 1, "2026-12-31", "366"); err != nil || !r.Provisional {
				t.Errorf("366 into 2027/28: %+v %v", r, err)
			}
		})
	}
}
