// Package events carries changes from the transactions that make them to whoever shows them. A
// domain publishes a topic and a key ("queue", hall 3) inside its transaction; the Bus hands it
// to the topic's subscribers after commit — in this process on SQLite, on every instance through
// PostgreSQL LISTEN/NOTIFY (see ListenPostgres). The Hub is one such subscriber: it reads a
// hall's screen state once per change and hands the same bytes to every screen, so a thousand
// display boards cost one read per change.
package events

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Loader reads the current state of a hall, ready to send.
type Loader func(ctx context.Context, hall int64) ([]byte, error)

// Hub fans hall states out to subscribers.
type Hub struct {
	load Loader
	log  *slog.Logger

	mu    sync.Mutex
	halls map[int64]*hall
}

type hall struct {
	subs    map[*Sub]struct{}
	last    []byte
	lastAt  time.Time
	running bool
	dirty   bool
}

// Sub is one subscriber (a display board, a counter, a dashboard). C always holds the newest
// state: a slow reader misses intermediate states, never the latest one.
type Sub struct {
	C    chan []byte
	hall int64
}

// NewHub returns a hub that reads states with load.
func NewHub(load Loader, log *slog.Logger) *Hub {
	return &Hub{load: load, log: log, halls: map[int64]*hall{}}
}

// Subscribe starts receiving the states of a hall; the current one arrives first.
func (h *Hub) Subscribe(hallID int64) *Sub {
	s := &Sub{C: make(chan []byte, 1), hall: hallID}
	h.mu.Lock()
	hl := h.hallLocked(hallID)
	hl.subs[s] = struct{}{}
	last := hl.last
	if last != nil {
		// Under the lock, so a refresh cannot fill the one slot first and make this send wait.
		deliver(s.C, last)
	}
	h.mu.Unlock()
	if last == nil {
		h.Poke(hallID)
	}
	return s
}

// Recent returns the hall's state as last read, if it was read within maxAge, else nil. A
// change since then is being read already (every change pokes), so the bytes are at most that
// old plus one read.
func (h *Hub) Recent(hallID int64, maxAge time.Duration) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	if hl := h.halls[hallID]; hl != nil && hl.last != nil && !hl.running && time.Since(hl.lastAt) < maxAge {
		return hl.last
	}
	return nil
}

// Unsubscribe stops a subscription.
func (h *Hub) Unsubscribe(s *Sub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if hl := h.halls[s.hall]; hl != nil {
		delete(hl.subs, s)
	}
}

// Subscribers counts the live subscriptions of a hall.
func (h *Hub) Subscribers(hallID int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if hl := h.halls[hallID]; hl != nil {
		return len(hl.subs)
	}
	return 0
}

func (h *Hub) hallLocked(id int64) *hall {
	hl := h.halls[id]
	if hl == nil {
		hl = &hall{subs: map[*Sub]struct{}{}}
		h.halls[id] = hl
	}
	return hl
}

// Poke says a hall changed. Pokes that arrive while a read is under way fold into one more read.
func (h *Hub) Poke(hallID int64) {
	h.mu.Lock()
	hl := h.hallLocked(hallID)
	if hl.running {
		hl.dirty = true
		h.mu.Unlock()
		return
	}
	hl.running = true
	h.mu.Unlock()
	go h.refresh(hallID, hl)
}

// PokeAll re-reads every hall that has subscribers (after a lost connection to the database).
func (h *Hub) PokeAll() {
	h.mu.Lock()
	ids := make([]int64, 0, len(h.halls))
	for id := range h.halls {
		ids = append(ids, id)
	}
	h.mu.Unlock()
	for _, id := range ids {
		h.Poke(id)
	}
}

// minGap spaces the reads of one hall's state while changes keep coming. Under a stream of
// changes every read would otherwise start the moment the last one ended, and those reads took
// a core away from the writes that caused them; screens still get a state every minGap. A change
// after a quiet spell is read at once.
const minGap = 25 * time.Millisecond

func (h *Hub) refresh(id int64, hl *hall) {
	for {
		began := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		b, err := h.load(ctx, id)
		cancel()
		h.mu.Lock()
		if err != nil {
			h.log.Warn("hall state not read", "hall", id, "err", err)
		} else {
			hl.last, hl.lastAt = b, time.Now()
			for s := range hl.subs {
				deliver(s.C, b)
			}
		}
		if !hl.dirty {
			hl.running = false
			h.mu.Unlock()
			return
		}
		hl.dirty = false
		h.mu.Unlock()
		if d := minGap - time.Since(began); d > 0 {
			time.Sleep(d)
		}
	}
}

// deliver puts b in a one-slot channel, replacing an older state not yet read.
func deliver(c chan []byte, b []byte) {
	for {
		select {
		case c <- b:
			return
		default:
		}
		select {
		case <-c:
		default:
		}
	}
}
