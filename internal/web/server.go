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
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/hallscreen"
	"github.com/qhall/qhall/internal/i18n"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Deps is what the HTTP side is handed by app, the composition root.
type Deps struct {
	DB     *store.DB
	Queue  *queue.Engine
	Speech *servicelang.Library
	Auth   *staff.Service
	Hub    *events.Hub
	Screen *hallscreen.Composer
	Log    *slog.Logger
	Now    func() time.Time
}

// Server holds what the handlers need.
type Server struct {
	Deps
	BaseURL string // for the QR code on tickets; empty means "from the request"

	metrics *metrics
	ready   bool
}

// New is the HTTP side of qhall on its dependencies.
func New(d Deps) *Server {
	return &Server{Deps: d, metrics: newMetrics()}
}

// Handler is the whole HTTP surface.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	s.register(mux)
	s.static(mux)

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

// actor is the signed-in staff member of the request (set by require and pageRequire).
func actor(r *http.Request) staff.Actor {
	a, _ := r.Context().Value(actorKey).(*staff.Actor)
	if a == nil {
		return staff.Actor{}
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

// require lets through signed-in staff whose role holds perm (any signed-in staff for
// authz.SignedIn); the handler or the domain then checks the hall or the record.
func (s *Server) require(perm authz.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Auth.Lookup(r.Context(), sessionToken(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !authz.Has(*a, perm) {
			s.fail(w, r, apperr.New(apperr.Forbidden, "forbidden"))
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), actorKey, a)))
	}
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
		if strings.HasSuffix(route, "/events") { // a stream's length is no request latency
			s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
			return
		}
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		s.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
