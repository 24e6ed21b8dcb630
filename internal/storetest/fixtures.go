package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/store"
)

// Clock is a settable, race-safe clock for the services' Now.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

func (c *Clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (c *Clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Shanghai is the demo halls' zone.
var Shanghai, _ = time.LoadLocation("Asia/Shanghai")

// Tuesday10 is Tuesday 2026-11-24, 10:00 in Shanghai: both demo halls are open.
var Tuesday10 = time.Date(2026, 11, 24, 10, 0, 0, 0, Shanghai)

// WindowID is the id of window number n of hall.
func WindowID(t testing.TB, q store.Querier, hall int64, n int) int64 {
	t.Helper()
	return id(t, q, "SELECT id FROM windows WHERE hall_id = ? AND number = ?", hall, n)
}

// ServiceID is the id of the hall's service with the prefix.
func ServiceID(t testing.TB, q store.Querier, hall int64, prefix string) int64 {
	t.Helper()
	return id(t, q, "SELECT id FROM services WHERE hall_id = ? AND prefix = ?", hall, prefix)
}

func id(t testing.TB, q store.Querier, query string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := q.QueryRow(context.Background(), query, args...).Scan(&id); err != nil {
		t.Fatalf("%s %v: %v", query, args, err)
	}
	return id
}
