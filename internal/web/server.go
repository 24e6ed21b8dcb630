// Package web is qhall's HTTP side: the JSON API under /api/v1, the pages, server-sent events
// for live screens, sign-in and the role check on every staff endpoint. Handlers are thin:
// decode, call the domain, encode.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/cases"
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
	Log          *slog.Logger
	Now          func() time.Time
}

// Server holds what the handlers need.
type Server struct {
	Deps
	BaseURL string // for the QR code on tickets; empty means "from the request"

	metrics *metrics
	ready   bool
	mux     *http.ServeMux // for the catch-all's 405
}

// New is the HTTP side of qhall on its dependencies.
func New(d Deps) *Server {
	s := &Server{Deps: d, metrics: newMetrics()}
	if d.Jobs != nil {
		s.metrics.reg.MustRegister(d.Jobs.Collector())
	}
	return s
}

// Handler is the whole HTTP surface.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.mux = mux
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
