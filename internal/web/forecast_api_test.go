package web_test

import (
	"math"
	"strings"
	"testing"
)

// The Erlang C endpoint answers the published check, the least N for a service level,
// an unstable hall, and every bad input with a 400 naming the parameter, on both engines.
func TestErlangCAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		base := "/api/v1/staffing/erlang-c?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=20"
		expect(t, e.do("GET", base+"&windows=14", "", nil), 401, "")
		clerk := e.login("clerk1-1")
		var out struct {
			Load         float64  `json:"load"`
			Windows      int      `json:"windows"`
			PWait        float64  `json:"p_wait"`
			ServiceLevel float64  `json:"service_level"`
			MeanWait     *float64 `json:"mean_wait_seconds"`
			Occupancy    float64  `json:"occupancy"`
			Stable       *bool    `json:"stable"`
		}
		r := e.do("GET", base+"&windows=14", clerk, nil)
		expect(t, r, 200, "")
		r.json(t, &out)
		round := func(x float64) float64 { return math.Round(x*1e5) / 1e5 }
		if out.Load != 10 || out.Windows != 14 || round(out.PWait) != 0.17413 || round(out.ServiceLevel) != 0.88835 ||
			round(out.Occupancy) != 0.71429 || out.Stable == nil || !*out.Stable || out.MeanWait == nil || round(*out.MeanWait) != 7.83594 {
			t.Fatalf("14 windows: %s", r.body)
		}

		r = e.do("GET", base+"&service_level=0.8", clerk, nil)
		expect(t, r, 200, "")
		out.MeanWait, out.Stable = nil, nil
		r.json(t, &out)
		if out.Windows != 14 || out.ServiceLevel < 0.8 {
			t.Fatalf("least N for 80%%: %s", r.body)
		}

		r = e.do("GET", base+"&windows=10", clerk, nil)
		expect(t, r, 200, "")
		out.MeanWait, out.Stable = nil, nil
		r.json(t, &out)
		if out.Stable == nil || *out.Stable || out.PWait != 1 || out.MeanWait != nil || !strings.Contains(string(r.body), `"mean_wait_seconds":null`) {
			t.Fatalf("N = A must be unstable: %s", r.body)
		}

		for _, c := range []struct{ query, code, word string }{
			{"?handle_seconds=180&target_wait_seconds=20&windows=3", "staffing_param_missing", "arrivals_per_hour"},
			{"?arrivals_per_hour=abc&handle_seconds=180&target_wait_seconds=20&windows=3", "staffing_param_range", "arrivals_per_hour"},
			{"?arrivals_per_hour=200&handle_seconds=0&target_wait_seconds=20&windows=3", "staffing_param_range", "handle_seconds"},
			{"?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=-1&windows=3", "staffing_param_range", "target_wait_seconds"},
			{"?arrivals_per_hour=NaN&handle_seconds=180&target_wait_seconds=20&windows=3", "staffing_param_range", "arrivals_per_hour"},
			{"?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=20", "staffing_windows_or_level", ""},
			{"?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=20&windows=3&service_level=0.8", "staffing_windows_or_level", ""},
			{"?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=20&windows=3.5", "staffing_windows_or_level", ""},
			{"?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=20&service_level=1", "staffing_param_range", "service_level"},
			{"?arrivals_per_hour=200&handle_seconds=180&target_wait_seconds=20&windows=99999", "staffing_param_range", "windows"},
		} {
			r := e.do("GET", "/api/v1/staffing/erlang-c"+c.query, clerk, nil)
			expect(t, r, 400, c.code)
			if !strings.Contains(string(r.body), c.word) {
				t.Errorf("%s: the message should name %q: %s", c.query, c.word, r.body)
			}
		}
	})
}

// Erlang A: abandonment for an overloaded hall; near Erlang C when citizens are very patient.
func TestErlangAAPI(t *testing.T) {
	eachEngine(t, func(e *env) {
		t := e.t
		sup := e.login("sup1")
		var out struct {
			Windows      int      `json:"windows"`
			PWait        float64  `json:"p_wait"`
			PAbandon     *float64 `json:"p_abandon"`
			ServiceLevel float64  `json:"service_level"`
			MeanWait     *float64 `json:"mean_wait_seconds"`
			Stable       bool     `json:"stable"`
		}
		r := e.do("GET", "/api/v1/staffing/erlang-a?arrivals_per_hour=200&handle_seconds=180&patience_seconds=80000&windows=14&target_wait_seconds=20", sup, nil)
		expect(t, r, 200, "")
		r.json(t, &out)
		if math.Abs(out.PWait-0.17413) > 2e-3 || math.Abs(out.ServiceLevel-0.88835) > 2e-3 || out.PAbandon == nil || !out.Stable {
			t.Fatalf("patient citizens should give Erlang C's figures: %s", r.body)
		}
		r = e.do("GET", "/api/v1/staffing/erlang-a?arrivals_per_hour=280&handle_seconds=180&patience_seconds=300&windows=12&target_wait_seconds=60", sup, nil)
		expect(t, r, 200, "")
		out.PAbandon = nil
		r.json(t, &out)
		if out.PAbandon == nil || *out.PAbandon < 0.05 || !out.Stable || out.MeanWait == nil {
			t.Fatalf("14 Erlangs on 12 windows: %s", r.body)
		}
		expect(t, e.do("GET", "/api/v1/staffing/erlang-a?arrivals_per_hour=200&handle_seconds=180&windows=14&target_wait_seconds=20", sup, nil), 400, "staffing_param_missing")
		expect(t, e.do("GET", "/api/v1/staffing/erlang-a?arrivals_per_hour=200&handle_seconds=180&patience_seconds=300&windows=0&target_wait_seconds=20", sup, nil), 400, "staffing_param_range")
		expect(t, e.do("GET", "/api/v1/staffing/erlang-a?arrivals_per_hour=1000000&handle_seconds=86400&patience_seconds=86400&windows=1000&target_wait_seconds=86400", sup, nil), 400, "staffing_too_large")
	})
}
