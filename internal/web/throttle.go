package web

import (
	"sync"
	"time"

	"github.com/qhall/qhall/internal/apperr"
)

// loginThrottle slows down password guessing without letting a stranger lock anyone out. Failed
// sign-ins are counted per source (the client's address) and per name (known or not, so the
// answer tells nothing of which names exist); past a few free failures each further one makes
// the key wait twice as long, up to a cap. Attempts refused while a key waits are answered at
// once, cost no password hashing and do not count, so once an attacker stops the real user waits
// at most the cap. A key's failures are forgotten after a quiet quarter of an hour. A source may
// also have only a few sign-ins in flight (four, two once it has failures): a flood from one
// address never fills the queue for the hashing slots that staff elsewhere need. (Counters that
// reach qhall through one proxy address need QHALL_TRUST_PROXY=1 to count as sources of their own.)
//
// The counts live in each instance's memory: behind N instances a guesser gets N times the
// attempts, still slowed down exponentially.
type loginThrottle struct {
	mu       sync.Mutex
	sources  map[string]*strikes
	names    map[string]*strikes
	inFlight map[string]int
}

type strikes struct {
	n     int
	last  time.Time // of the last counted failure
	until time.Time // no attempt before
}

// throttle settings: free failures, the first delay, the cap, and when failures lapse.
type throttlePolicy struct {
	free       int
	first, cap time.Duration
}

var (
	sourcePolicy = throttlePolicy{free: 10, first: time.Second, cap: 5 * time.Minute}
	namePolicy   = throttlePolicy{free: 5, first: time.Second, cap: 30 * time.Second}
	// forgetAfter: failures older than this are no longer counted.
	forgetAfter = 15 * time.Minute
)

const maxInFlightPerSource, maxInFlightFailing = 4, 2

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{sources: map[string]*strikes{}, names: map[string]*strikes{}, inFlight: map[string]int{}}
}

// begin reports whether a sign-in for name from src may go ahead at now; when it may, end must
// be called after it.
func (t *loginThrottle) begin(src, name string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.sources[src]
	failing := s != nil && now.Sub(s.last) <= forgetAfter
	limit := maxInFlightPerSource
	if failing {
		limit = maxInFlightFailing
	}
	if t.inFlight[src] >= limit || waiting(s, now) || waiting(t.names[name], now) {
		return false
	}
	t.inFlight[src]++
	return true
}

func waiting(s *strikes, now time.Time) bool { return s != nil && now.Before(s.until) }

// end closes a sign-in begun by begin: err is its outcome (bad_login counts as a failure, success
// forgets the name's failures, anything else changes nothing).
func (t *loginThrottle) end(src, name string, now time.Time, err error) {
	failed := apperr.Is(err, "bad_login") || apperr.Is(err, "pairing_code_unknown")
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inFlight[src]--; t.inFlight[src] <= 0 {
		delete(t.inFlight, src)
	}
	if err == nil {
		delete(t.names, name)
	}
	if !failed {
		return
	}
	strike(t.sources, src, now, sourcePolicy)
	strike(t.names, name, now, namePolicy)
}

func strike(m map[string]*strikes, key string, now time.Time, p throttlePolicy) {
	if len(m) > 100_000 {
		for k, s := range m {
			if now.Sub(s.last) > forgetAfter {
				delete(m, k)
			}
		}
	}
	s := m[key]
	if s == nil || now.Sub(s.last) > forgetAfter {
		s = &strikes{}
		m[key] = s
	}
	s.n++
	s.last = now
	if over := s.n - p.free; over > 0 {
		d := p.cap
		if over <= 20 {
			d = min(p.cap, p.first<<(over-1))
		}
		s.until = now.Add(d)
	}
}
