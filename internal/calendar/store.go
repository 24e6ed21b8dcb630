package calendar

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qhall/qhall/internal/store"
)

// Day is an administrator's override, stored in calendar_days: a day closed (Working false) or
// an extra working day (Working true), for every hall (Scope 0) or for the hall whose id is
// Scope. It wins over the national data.
type Day struct {
	Scope     int64     `json:"scope"`
	Day       Date      `json:"day"`
	Working   bool      `json:"working"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
}

// ErrNotFound: DeleteDay found no such override.
var ErrNotFound = errors.New("not found")

// MaxNote is the longest note, in characters.
const MaxNote = 200

// Load is the calendar of scope: the national data, the every-hall overrides and scope's own.
// It is one indexed read, cheap enough to run per request, so no cache can go stale when
// another instance writes an override.
func Load(ctx context.Context, q store.Querier, scope int64) (*Calendar, error) {
	days, err := list(ctx, q, "SELECT scope, day, working, note, created_at FROM calendar_days WHERE scope = 0 OR scope = ?", scope)
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	return New(days), nil
}

// ListDays lists the overrides of scope alone (not the every-hall ones, unless scope is 0) in
// date order.
func ListDays(ctx context.Context, q store.Querier, scope int64) ([]Day, error) {
	days, err := list(ctx, q, "SELECT scope, day, working, note, created_at FROM calendar_days WHERE scope = ? ORDER BY day", scope)
	if err != nil {
		return nil, fmt.Errorf("list calendar days: %w", err)
	}
	return days, nil
}

func list(ctx context.Context, q store.Querier, query string, scope int64) ([]Day, error) {
	rows, err := q.Query(ctx, query, scope)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Day
	for rows.Next() {
		var d Day
		var day string
		var working int
		var created int64
		if err := rows.Scan(&d.Scope, &day, &working, &d.Note, &created); err != nil {
			return nil, err
		}
		if d.Day, err = ParseDate(day); err != nil {
			return nil, err
		}
		d.Working = working == 1
		d.CreatedAt = time.UnixMilli(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

func checkDay(scope int64, day Date) error {
	if scope < 0 {
		return fmt.Errorf("%w: scope %d", ErrInvalid, scope)
	}
	if !day.Valid() {
		return fmt.Errorf("%w: date %v", ErrInvalid, day)
	}
	return nil
}

// SetDay stores (or replaces) scope's override of day. The caller writes the audit line in the
// same transaction.
func SetDay(ctx context.Context, tx *store.Tx, scope int64, day Date, working bool, note string) error {
	if err := checkDay(scope, day); err != nil {
		return fmt.Errorf("set calendar day: %w", err)
	}
	// PostgreSQL refuses NUL in text; refuse it here so it is a 4xx on both engines.
	if !utf8.ValidString(note) || strings.ContainsRune(note, 0) || utf8.RuneCountInString(note) > MaxNote {
		return fmt.Errorf("set calendar day: %w: note must be text of at most %d characters", ErrInvalid, MaxNote)
	}
	w := 0
	if working {
		w = 1
	}
	_, err := tx.Exec(ctx, `INSERT INTO calendar_days (scope, day, working, note, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scope, day) DO UPDATE SET working = excluded.working, note = excluded.note, created_at = excluded.created_at`,
		scope, day.String(), w, note, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("set calendar day: %w", err)
	}
	return nil
}

// DeleteDay removes scope's override of day, so the national data count again; ErrNotFound
// when there was none.
func DeleteDay(ctx context.Context, tx *store.Tx, scope int64, day Date) error {
	if err := checkDay(scope, day); err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	}
	res, err := tx.Exec(ctx, "DELETE FROM calendar_days WHERE scope = ? AND day = ?", scope, day.String())
	if err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete calendar day: %w", err)
	} else if n == 0 {
		return fmt.Errorf("delete calendar day %d %v: %w", scope, day, ErrNotFound)
	}
	return nil
}

// MaxAdd is the largest count Workdays accepts: a year and a day of working days is more than
// any legal limit needs.
const MaxAdd = 366

// Result is the answer of GET /api/v1/calendar/workdays.
type Result struct {
	Date        Date `json:"date"`
	Provisional bool `json:"provisional"`
}

// Workdays answers GET /api/v1/calendar/workdays?hall=&from=&add=: the add-th working day after
// from in hall's calendar. from and add are the raw query values; a malformed date or an add
// outside 0..MaxAdd is an error wrapping ErrInvalid (answer 400). The caller checks that hall
// exists (0 means the every-hall calendar).
func Workdays(ctx context.Context, q store.Querier, hall int64, from, add string) (Result, error) {
	d, err := ParseDate(from)
	if err != nil {
		return Result{}, fmt.Errorf("workdays: from: %w", err)
	}
	n, err := strconv.Atoi(add)
	if err != nil || n < 0 || n > MaxAdd {
		return Result{}, fmt.Errorf("workdays: add %q: %w: want a whole number from 0 to %d", add, ErrInvalid, MaxAdd)
	}
	if hall < 0 {
		return Result{}, fmt.Errorf("workdays: hall %d: %w", hall, ErrInvalid)
	}
	c, err := Load(ctx, q, hall)
	if err != nil {
		return Result{}, fmt.Errorf("workdays: %w", err)
	}
	r := Result{}
	r.Date, r.Provisional = c.AddWorkdays(d, n)
	return r, nil
}
