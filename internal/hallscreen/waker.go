package hallscreen

import (
	"sync"
	"time"
)

// Waker re-publishes a hall's state at the moment it changes by itself (a waiting ticket crosses
// the long-wait threshold, a pause runs over), so alerts reach the screens on time in a quiet
// hall. It holds one timer per hall, set from the state just read: no polling of the database.
type Waker struct {
	Poke func(hall int64) // the hub's: re-read and push the hall's state
	Now  func() time.Time

	mu     sync.Mutex
	timers map[int64]*time.Timer
	due    map[int64]time.Time
}

// At asks for the hall to be re-read at t (zero: nothing due). The latest state decides: a
// later read replaces an earlier wish, since it knows better what is due next.
func (w *Waker) At(hall int64, t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timers == nil {
		w.timers, w.due = map[int64]*time.Timer{}, map[int64]time.Time{}
	}
	if old, ok := w.due[hall]; ok && old.Equal(t) {
		return
	}
	if tm := w.timers[hall]; tm != nil {
		tm.Stop()
		delete(w.timers, hall)
		delete(w.due, hall)
	}
	if t.IsZero() {
		return
	}
	d := t.Sub(w.Now()) + 50*time.Millisecond // just past the crossing, so the new read sees it
	w.due[hall] = t
	w.timers[hall] = time.AfterFunc(max(d, 0), func() {
		w.mu.Lock()
		if w.due[hall].Equal(t) {
			delete(w.timers, hall)
			delete(w.due, hall)
		}
		w.mu.Unlock()
		w.Poke(hall)
	})
}

// Stop cancels every timer.
func (w *Waker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for h, tm := range w.timers {
		tm.Stop()
		delete(w.timers, h)
		delete(w.due, h)
	}
}
