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
