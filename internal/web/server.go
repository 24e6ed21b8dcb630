// Package web is qhall's HTTP side: the JSON API under /api/v1, the pages, server-sent events
// for live screens, sign-in and the role check on every staff endpoint. Handlers are thin:
// decode, call the domain, encode.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/auth"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/speechlib"
	"github.com/qhall/qhall/internal/store"
)

// Server holds what the handlers need.
type Server struct {
	DB      *store.DB
	Queue   *queue.Engine
	Speech  *speechlib.Library
	Auth    *auth.Service
	Hub     *events.Hub
	Log     *slog.Logger
	Now     func() time.Time
	BaseURL string // for the QR code on tickets; empty means "from the request"

	metrics *metrics
	ready   bool
}

// New wires a server on db. The caller sets db.AfterCommit to the hub (SQLite) or starts
// events.ListenPostgres (PostgreSQL).
func New(db *store.DB, log *slog.Logger) *Server {
	s := &Server{DB: db, Log: log, Now: time.Now}
	s.Queue = queue.New(db)
	s.Auth = &auth.Service{DB: db, Now: func() time.Time { return s.Now() }}
	s.Queue.Now = func() time.Time { return s.Now() }
	s.Speech = speechlib.New(db)
	s.Speech.Now = func() time.Time { return s.Now() }
	s.Hub = events.NewHub(s.loadState, log)
	s.metrics = newMetrics()
	return s
}

func (s *Server) loadState(ctx context.Context, hall int64) ([]byte, error) {
	st, err := s.Queue.State(ctx, hall)
	if err != nil {
		return nil, err
	}
	return json.Marshal(st)
}

// Handler is the whole HTTP surface.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, s.instrument(pattern, h)) }

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))

	api("POST /api/v1/auth/login", s.login)
	api("POST /api/v1/auth/logout", s.staff(s.logout))
	api("GET /api/v1/me", s.staff(s.me))

	api("GET /api/v1/halls", s.halls)
	api("GET /api/v1/halls/{hall}", s.hallRead(func(ctx context.Context, h *org.Hall) (any, error) { return h, nil }))
	api("GET /api/v1/halls/{hall}/services", s.hallRead(func(ctx context.Context, h *org.Hall) (any, error) { return org.Services(ctx, s.DB, h.ID) }))
	api("GET /api/v1/halls/{hall}/windows", s.hallRead(func(ctx context.Context, h *org.Hall) (any, error) { return org.Windows(ctx, s.DB, h.ID) }))
	api("GET /api/v1/priority-classes", s.priorityClasses)
	api("POST /api/v1/halls/{hall}/tickets", s.issue)
	api("GET /api/v1/tickets/{token}", s.ticket)
	api("GET /api/v1/halls/{hall}/state", s.hallRead(func(ctx context.Context, h *org.Hall) (any, error) {
		// Screens poll this too: the hub's copy, when fresh, spares six queries per request.
		if b := s.Hub.Recent(h.ID, time.Second); b != nil {
			return json.RawMessage(b), nil
		}
		return s.Queue.State(ctx, h.ID)
	}))
	mux.HandleFunc("GET /api/v1/halls/{hall}/events", s.events)

	api("GET /api/v1/windows/{window}", s.staff(s.window))
	for _, op := range []string{"open", "close", "call", "recall", "skip", "start", "finish", "transfer", "pause", "resume", "reenter"} {
		api("POST /api/v1/windows/{window}/"+op, s.staff(s.windowOp(op)))
	}
	api("POST /api/v1/windows/{window}/pause/approve", s.role(s.decidePause(true), audit.Supervisor, audit.Admin))
	api("POST /api/v1/windows/{window}/pause/reject", s.role(s.decidePause(false), audit.Supervisor, audit.Admin))
	api("GET /api/v1/audit", s.role(s.auditLog, audit.Supervisor, audit.Admin))

	// service language (服务用语): handlers in speech_api.go
	api("POST /api/v1/speech/check", s.staff(s.speechCheck))
	api("GET /api/v1/speech/phrases", s.staff(s.speechPhrases))
	api("GET /api/v1/speech/rules", s.staff(s.speechRules))
	api("PUT /api/v1/speech/rules", s.role(s.speechImport, audit.Admin))
	api("GET /api/v1/speech/rules/export", s.role(s.speechExport, audit.Admin))
	api("GET /api/v1/speech/rules/history", s.role(s.speechHistory, audit.Admin))
	api("PUT /api/v1/speech/rules/{id}", s.role(s.speechPutRule, audit.Admin))
	api("DELETE /api/v1/speech/rules/{id}", s.role(s.speechDeleteRule, audit.Admin))
	api("GET /api/v1/speech/stats", s.staff(s.speechStats))
	api("POST /api/v1/tickets/{id}/transcripts", s.staff(s.attachTranscript))
	api("GET /api/v1/tickets/{id}/transcripts", s.staff(s.ticketTranscripts))

	s.pages(mux)

	var h http.Handler = mux
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.recover(h)
	return h
}

// MarkReady makes /readyz answer 200 (after migrations and demo data).
func (s *Server) MarkReady() { s.ready = true }

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if !s.ready || s.DB.R.PingContext(ctx) != nil {
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// --- plumbing -------------------------------------------------------------------------------

type ctxKey int

const actorKey ctxKey = 1

// actor is the signed-in staff member of the request (set by staff()).
func actor(r *http.Request) audit.Actor {
	a, _ := r.Context().Value(actorKey).(*audit.Actor)
	if a == nil {
		return audit.Actor{}
	}
	return *a
}

const sessionCookie = "qhall_session"

func sessionToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):])
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// staff lets only signed-in staff through.
func (s *Server) staff(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Auth.Lookup(r.Context(), sessionToken(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey, a)))
	}
}

// role lets only signed-in staff with one of the roles through.
func (s *Server) role(h http.HandlerFunc, roles ...string) http.HandlerFunc {
	return s.staff(func(w http.ResponseWriter, r *http.Request) {
		a := actor(r)
		for _, role := range roles {
			if a.Role == role {
				h(w, r)
				return
			}
		}
		s.fail(w, r, apperr.New(apperr.Forbidden, "forbidden"))
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// decode reads a JSON body of at most 64 KiB into v; unknown fields are an error, so typos in
// field names do not pass silently. NUL characters are refused: no field needs one and
// PostgreSQL cannot store them in text.
func decode(r *http.Request, v any) error { return decodeLimit(r, v, 64<<10) }

// readBody reads a request body of at most limit bytes.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, apperr.New(apperr.Invalid, "body_too_large")
		}
		return nil, apperr.New(apperr.Invalid, "bad_request", err.Error())
	}
	return body, nil
}

// decodeLimit is decode for the few bodies that may be larger (texts to check, transcripts).
func decodeLimit(r *http.Request, v any, limit int64) error {
	body, err := readBody(r, limit)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if bytes.Contains(body, []byte(`\u0000`)) {
		return apperr.New(apperr.Invalid, "bad_request", "NUL character")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "bad_request", err.Error())
	}
	return nil
}

func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.Invalid, "bad_id", v)
	}
	return id, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// fail answers an error: an apperr with its 4xx and a message in the caller's language, anything
// else with a 500 that is logged (a 500 is a bug).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	lang := i18n.Pick(r)
	if e := apperr.As(err); e != nil {
		status := map[apperr.Kind]int{apperr.Invalid: 400, apperr.NotFound: 404, apperr.Conflict: 409,
			apperr.Forbidden: 403, apperr.Unauthorized: 401, apperr.TooMany: 429}[e.Kind]
		if status == 0 {
			status = 400
		}
		writeJSON(w, status, map[string]string{"error": e.Code, "message": i18n.T(lang, e.Code, e.Args...)})
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	s.Log.Error("request failed", "method", r.Method, "path", routeOf(r), "err", err)
	writeJSON(w, 500, map[string]string{"error": "server_error", "message": i18n.T(lang, "server_error")})
}

// routeOf is the path with citizen tokens cut out, fit for logs.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if strings.HasPrefix(r.URL.Path, "/api/v1/tickets/") || strings.HasPrefix(r.URL.Path, "/t/") {
		return "ticket-by-token"
	}
	return r.URL.Path
}

// --- metrics ------------------------------------------------------------------------------

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	streams  prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "qhall_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "qhall_http_request_seconds", Help: "HTTP request latency by route.",
		Buckets: []float64{.001, .002, .005, .01, .02, .05, .1, .25, .5, 1, 2.5}}, []string{"route"})
	m.streams = prometheus.NewGauge(prometheus.GaugeOpts{Name: "qhall_event_streams", Help: "Open server-sent event streams."})
	m.reg.MustRegister(m.requests, m.duration, m.streams, prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(c int)           { w.code = c; w.ResponseWriter.WriteHeader(c) }
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) instrument(route string, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: 200}
		h(sw, r)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
