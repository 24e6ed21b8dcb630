package web

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/staffing"
)

// forecastRoutes: staffing arithmetic (Erlang C and A); forecasts and plans to come.
func (s *Server) forecastRoutes() []route {
	return []route{
		{"GET /api/v1/staffing/erlang-c", authz.SignedIn, false, s.erlangC},
		{"GET /api/v1/staffing/erlang-a", authz.SignedIn, false, s.erlangA},
	}
}

// queryNums reads numeric query parameters, each within its range; the first bad or missing
// required one is the error.
type queryNums struct {
	q   url.Values
	err error
}

func (p *queryNums) get(name string, min, max float64, required bool) (float64, bool) {
	v := p.q.Get(name)
	if p.err != nil || v == "" {
		if p.err == nil && required {
			p.err = apperr.New(apperr.Invalid, "staffing_param_missing", name)
		}
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < min || f > max {
		p.err = apperr.New(apperr.Invalid, "staffing_param_range", name, v, min, max)
		return 0, false
	}
	return f, true
}

// staffingJSON is the contract's answer. mean_wait_seconds is null in an unstable hall (N ≤ A),
// where the queue grows without bound; p_abandon comes with Erlang A only.
type staffingJSON struct {
	Load         float64  `json:"load"`
	Windows      int      `json:"windows"`
	PWait        float64  `json:"p_wait"`
	PAbandon     *float64 `json:"p_abandon,omitempty"`
	ServiceLevel float64  `json:"service_level"`
	MeanWait     *float64 `json:"mean_wait_seconds"`
	Occupancy    float64  `json:"occupancy"`
	Stable       bool     `json:"stable"`
}

// erlangC answers GET /api/v1/staffing/erlang-c: with windows=N the figures for N windows; with
// service_level=x instead, the least N whose share within the target wait is at least x.
func (s *Server) erlangC(w http.ResponseWriter, r *http.Request) {
	p := &queryNums{q: r.URL.Query()}
	lambda, _ := p.get("arrivals_per_hour", 0, 1e6, true)
	aht, _ := p.get("handle_seconds", 1, 86400, true)
	t, _ := p.get("target_wait_seconds", 0, 86400, true)
	n, hasN := p.get("windows", 0, staffing.MaxWindows, false)
	level, hasLevel := p.get("service_level", 0, 0.9999, false)
	if p.err == nil && (hasN == hasLevel || n != math.Trunc(n)) {
		p.err = apperr.New(apperr.Invalid, "staffing_windows_or_level")
	}
	if p.err != nil {
		s.fail(w, r, p.err)
		return
	}
	var res staffing.Result
	var err error
	if hasN {
		res, err = staffing.Compute(lambda, aht, int(n), t)
	} else if res, err = staffing.LeastWindows(lambda, aht, t, level); err != nil {
		err = apperr.New(apperr.Invalid, "staffing_level_unreachable", staffing.MaxWindows)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := staffingJSON{Load: res.Load, Windows: res.Windows, PWait: res.PWait, ServiceLevel: res.ServiceLvl, Occupancy: res.Occupancy, Stable: res.Stable}
	if !math.IsInf(res.MeanWait, 0) {
		out.MeanWait = &res.MeanWait
	}
	writeJSON(w, http.StatusOK, out)
}

// erlangA answers GET /api/v1/staffing/erlang-a: Erlang C's question for citizens who give up
// after patience_seconds on average; always stable.
func (s *Server) erlangA(w http.ResponseWriter, r *http.Request) {
	p := &queryNums{q: r.URL.Query()}
	lambda, _ := p.get("arrivals_per_hour", 0, 1e6, true)
	aht, _ := p.get("handle_seconds", 1, 86400, true)
	patience, _ := p.get("patience_seconds", 1, 86400, true)
	t, _ := p.get("target_wait_seconds", 0, 86400, true)
	n, _ := p.get("windows", 1, 1000, true)
	if p.err == nil && n != math.Trunc(n) {
		p.err = apperr.New(apperr.Invalid, "staffing_param_range", "windows", n, 1, 1000)
	}
	if p.err != nil {
		s.fail(w, r, p.err)
		return
	}
	res, err := staffing.ErlangA(lambda, aht, patience, int(n), t)
	if errors.Is(err, staffing.ErrTooLarge) {
		err = apperr.New(apperr.Invalid, "staffing_too_large")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, staffingJSON{Load: res.Load, Windows: res.Windows, PWait: res.PWait, PAbandon: &res.PAbandon,
		ServiceLevel: res.ServiceLvl, MeanWait: &res.MeanWait, Occupancy: res.Occupancy, Stable: true})
}
