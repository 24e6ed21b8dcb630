package web

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/qhall/qhall/internal/apperr"
)

// Guard is what one client may take from an instance. Zero fields take their defaults.
type Guard struct {
	// TrustProxy takes the client's address from the last X-Forwarded-For entry (set it only
	// behind a reverse proxy that writes that header); otherwise the connection's address is
	// the source.
	TrustProxy bool
	// BodyTimeout bounds the time to read a request body (default 10 s).
	BodyTimeout time.Duration
	// MaxStreams bounds the live event streams of this instance (default 2000).
	MaxStreams int
	// MetricsToken, when set, is the bearer token /metrics asks for.
	MetricsToken string
	// MetricsElsewhere takes /metrics off the main handler (it is served on QHALL_METRICS_ADDR).
	MetricsElsewhere bool
	// IssuePerMinute is the tickets one source (not a paired kiosk) may take a minute, with as
	// many at once (default 10; negative: no limit, for load tests).
	IssuePerMinute int
}

func (g Guard) bodyTimeout() time.Duration {
	if g.BodyTimeout > 0 {
		return g.BodyTimeout
	}
	return 10 * time.Second
}

func (g Guard) maxStreams() int {
	if g.MaxStreams > 0 {
		return g.MaxStreams
	}
	return 2000
}

// source is the client's address, without the port: the key of every per-client limit.
func (s *Server) source(r *http.Request) string {
	if s.Guard.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// edge is the first thing every request meets: NUL bytes in the path or the query are refused
// (no route needs one and PostgreSQL cannot store them), and a request body must arrive within
// the body timeout, so a client trickling a byte every few seconds cannot hold a connection.
// (http.Server.ReadTimeout would do the latter too, but it also ends the live event streams.)
func (s *Server) edge(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.ContainsRune(r.URL.Path, 0) || strings.Contains(r.URL.RawQuery, "%00") || strings.ContainsRune(r.URL.RawQuery, 0) {
			s.fail(w, r, apperr.New(apperr.Invalid, "bad_request", "NUL character"))
			return
		}
		if r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody {
			http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.Guard.bodyTimeout()))
		}
		next.ServeHTTP(w, r)
	})
}

// metricsHandler serves /metrics behind the bearer token when one is set.
func (s *Server) metricsHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := s.Guard.MetricsToken; tok != "" {
			got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(tok)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
				s.fail(w, r, apperr.New(apperr.Unauthorized, "login_required"))
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// tooManyStreams answers a stream beyond the instance's bound: 503 and when to try again.
func (s *Server) tooManyStreams(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", strconv.Itoa(10))
	s.fail(w, r, apperr.New(apperr.Unavailable, "too_many_streams"))
}

// bucket is a token bucket per key: burst tokens at most, one more every per.
type bucket struct {
	mu    sync.Mutex
	burst float64
	per   time.Duration
	keys  map[string]*tokens
}

type tokens struct {
	n    float64
	last time.Time
}

func newBucket(burst int, per time.Duration) *bucket {
	return &bucket{burst: float64(burst), per: per, keys: map[string]*tokens{}}
}

// take spends one token of key at now and reports whether there was one.
func (b *bucket) take(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.keys) > 100_000 { // forget full buckets: they hold nothing worth keeping
		for k, t := range b.keys {
			if b.fill(t, now) >= b.burst {
				delete(b.keys, k)
			}
		}
	}
	t := b.keys[key]
	if t == nil {
		t = &tokens{n: b.burst, last: now}
		b.keys[key] = t
	}
	t.n, t.last = b.fill(t, now), now
	if t.n < 1 {
		return false
	}
	t.n--
	return true
}

func (b *bucket) fill(t *tokens, now time.Time) float64 {
	return min(b.burst, t.n+float64(now.Sub(t.last))/float64(b.per))
}

// Ticket issuing limits: a source (a phone, a browser, a kiosk not yet paired) may take
// Guard.IssuePerMinute tickets at once and as many a minute; a paired kiosk kioskBurst and one
// more every kioskEvery, enough for a rush at the door.
const (
	defaultIssuePerMinute = 10
	kioskBurst            = 60
	kioskEvery            = 500 * time.Millisecond
)

func (g Guard) issueBucket() *bucket {
	n := g.IssuePerMinute
	if n == 0 {
		n = defaultIssuePerMinute
	}
	if n < 0 {
		return nil
	}
	return newBucket(n, time.Minute/time.Duration(n))
}

// issueAllowed spends one ticket of the request's allowance: the paired kiosk's when it carries
// a device token of this hall, its source's otherwise.
func (s *Server) issueAllowed(r *http.Request, hall int64) error {
	now := s.Now()
	if c, err := r.Cookie(deviceCookie); err == nil && s.Devices != nil {
		d, err := s.Devices.ByToken(r.Context(), c.Value)
		if err != nil {
			return err
		}
		if d != nil && d.HallID == hall {
			if !s.kioskIssues.take(strconv.FormatInt(d.ID, 10), now) {
				return apperr.New(apperr.TooMany, "too_many_tickets")
			}
			return nil
		}
	}
	if s.issues != nil && !s.issues.take(s.source(r), now) {
		return apperr.New(apperr.TooMany, "too_many_tickets")
	}
	return nil
}
