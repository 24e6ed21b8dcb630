package web

import (
	"math"
	"net/http"
	"strconv"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/staffing"
)

// forecastRoutes: staffing arithmetic (Erlang C); forecasts and plans to come.
func (s *Server) forecastRoutes() []route {
	return []route{
		{"GET /api/v1/staffing/erlang-c", authz.SignedIn, false, s.erlangC},
	}
}

// erlangCJSON is the contract's answer. mean_wait_seconds is null in an unstable hall (N ≤ A),
// where the queue grows without bound.
type erlangCJSON struct {
	Load         float64  `json:"load"`
	Windows      int      `json:"windows"`
	PWait        float64  `json:"p_wait"`
	ServiceLevel float64  `json:"service_level"`
	MeanWait     *float64 `json:"mean_wait_seconds"`
	Occupancy    float64  `json:"occupancy"`
	Stable       bool     `json:"stable"`
}

// erlangC answers GET /api/v1/staffing/erlang-c: with windows=N the figures for N windows; with
// service_level=x instead, the least N whose share within the target wait is at least x.
func (s *Server) erlangC(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	num := func(name string, min, max float64, required bool) (float64, bool, error) {
		v := q.Get(name)
		if v == "" {
			if required {
				return 0, false, apperr.New(apperr.Invalid, "staffing_param_missing", name)
			}
			return 0, false, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || f < min || f > max {
			return 0, false, apperr.New(apperr.Invalid, "staffing_param_range", name, v, min, max)
		}
		return f, true, nil
	}
	lambda, _, err := num("arrivals_per_hour", 0, 1e6, true)
	if err == nil {
		var aht, t, n, level float64
		var hasN, hasLevel bool
		if aht, _, err = num("handle_seconds", 1, 86400, true); err != nil {
			s.fail(w, r, err)
			return
		}
		if t, _, err = num("target_wait_seconds", 0, 86400, true); err != nil {
			s.fail(w, r, err)
			return
		}
		if n, hasN, err = num("windows", 0, staffing.MaxWindows, false); err != nil {
			s.fail(w, r, err)
			return
		}
		if level, hasLevel, err = num("service_level", 0, 0.9999, false); err != nil {
			s.fail(w, r, err)
			return
		}
		if hasN == hasLevel || hasN && n != math.Trunc(n) {
			s.fail(w, r, apperr.New(apperr.Invalid, "staffing_windows_or_level"))
			return
		}
		var res staffing.Result
		if hasN {
			res, err = staffing.Compute(lambda, aht, int(n), t)
		} else if res, err = staffing.LeastWindows(lambda, aht, t, level); err != nil {
			err = apperr.New(apperr.Invalid, "staffing_level_unreachable", staffing.MaxWindows)
		}
		if err == nil {
			out := erlangCJSON{res.Load, res.Windows, res.PWait, res.ServiceLvl, nil, res.Occupancy, res.Stable}
			if !math.IsInf(res.MeanWait, 0) {
				out.MeanWait = &res.MeanWait
			}
			writeJSON(w, http.StatusOK, out)
			return
		}
	}
	s.fail(w, r, err)
}
