// Package web is qhall's HTTP side: the JSON API under /api/v1, the pages, server-sent events
// for live screens, sign-in and the role check on every staff endpoint. Handlers are thin:
// decode, call the domain, encode.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/cases"
	"github.com/qhall/qhall/internal/devices"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/hallscreen"
	"github.com/qhall/qhall/internal/jobs"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/servicelang"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Deps is what the HTTP side is handed by app, the composition root.
type Deps struct {
	DB     *store.DB
	Queue  *queue.Engine
	Cases  *cases.Service
	Speech *servicelang.Library
	Auth   *staff.Service
	Hub    *events.Hub
	Screen *hallscreen.Composer
	Jobs   *jobs.Runner
	// Feedback: ratings, rectifications, complaints, surveys.
	Feedback *feedback.Service
	// Appointments books slots and checks bookings in.
	Appointments *appointments.Service
	// Devices are the paired kiosks (issue 12).
	Devices *devices.Registry
	Log     *slog.Logger
	Now     func() time.Time
}

// Server holds what the handlers need.
type Server struct {
	Deps
	BaseURL string // for the QR code on tickets; empty means "from the request"

	// Guard bounds what one client may take from the instance (internal/web/guard.go).
	Guard Guard

	metrics *metrics
	ready   bool
	mux     *http.ServeMux // for the catch-all's 405

	logins      *loginThrottle
	issues      *bucket // tickets per source
	kioskIssues *bucket // tickets per paired kiosk
	streamsOpen atomic.Int64
}

// New is the HTTP side of qhall on its dependencies.
func New(d Deps) *Server {
	s := &Server{Deps: d, metrics: newMetrics(), logins: newLoginThrottle(), kioskIssues: newBucket(kioskBurst, kioskEvery)}
	if d.Jobs != nil {
		s.metrics.reg.MustRegister(d.Jobs.Collector())
	}
	return s
}

// Handler is the whole HTTP surface (Guard must be set before).
func (s *Server) Handler() http.Handler {
	s.issues = s.Guard.issueBucket()
	mux := http.NewServeMux()
	s.mux = mux
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.readyz)
	if !s.Guard.MetricsElsewhere {
		mux.Handle("GET /metrics", s.MetricsHandler())
	}
	s.register(mux)
	s.static(mux)

	var h http.Handler = mux
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, apperr.New(apperr.Forbidden, "cross_origin"))
	}))
	h = cop.Handler(h)
	h = s.edge(h)
	h = s.recover(h)
	return h
}

// MetricsHandler is /metrics (behind the metrics token when one is set); cmd/qhall serves it on
// QHALL_METRICS_ADDR when that is set.
func (s *Server) MetricsHandler() http.Handler {
	return s.metricsHandler(promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
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
