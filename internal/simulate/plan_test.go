package simulate

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/forecast"
)

// benchHistory is 34 weeks of arrivals (2026-03-02 … 2026-10-25, with Qingming, Labour Day,
// Dragon Boat, Mid-Autumn and National Day); the last 8 weeks are held out.
func benchHistory() (Scenario, []HistoryDay) {
	sc := Default(calendar.Date{Year: 2026, Month: 3, Day: 2}, 600, 1)
	return sc, History(sc, calendar.Date{Year: 2026, Month: 3, Day: 2}, 34*7, 2026)
}

// The forecast's MAE per service and half-hour on the held-out weeks is at least 20% below the
// seasonal naive forecast's (same weekday last week). docs/BENCHMARKS.md quotes this test's log.
func TestForecastBeatsSeasonalNaive(t *testing.T) {
	sc, hist := benchHistory()
	fs := Backtest(hist, len(sc.Services), sc.Slots(), 8, forecast.DefaultAlpha)
	if len(fs) < 35 {
		t.Fatalf("%d held-out days", len(fs))
	}
	model, naive := Errors(fs)
	t.Logf("held out %d working days (%s … %s), %d cells: MAE model %.3f, seasonal naive %.3f, %.1f%% lower",
		len(fs), fs[0].Day.Kind.Day, fs[len(fs)-1].Day.Kind.Day, len(fs)*len(sc.Services)*sc.Slots(), model, naive, 100*(1-model/naive))
	// The days the factors are for, one by one.
	for _, f := range fs {
		k := f.Day.Kind
		if k.AfterHoliday || k.BeforeHoliday || k.MonthStart || k.MonthEnd {
			m, n := Errors([]Forecasts{f})
			t.Logf("  %s %-9s %-40s model %.2f naive %.2f", k.Day, k.Day.Weekday(), flags(k), m, n)
		}
	}
	if model > 0.8*naive {
		t.Errorf("MAE %.3f is not 20%% below the seasonal naive %.3f", model, naive)
	}
}

// Staffing advice — Erlang C's least N per service and half-hour on the forecast for 80% within
// 10 minutes — run through the queue engine on the day's actual arrivals meets the target, and
// one window fewer in the busiest half-hours does not (the advice is not padded).
func TestStaffingAdviceMeetsTarget(t *testing.T) {
	sc, hist := benchHistory()
	fs := Backtest(hist, len(sc.Services), sc.Slots(), 8, forecast.DefaultAlpha)
	// The tightest day always; the four of docs/BENCHMARKS.md with QHALL_BENCH=1 (eight engine
	// days, slow under -race).
	picks := map[calendar.Date]bool{{Year: 2026, Month: 9, Day: 16}: true}
	if os.Getenv("QHALL_BENCH") != "" {
		for _, d := range []int{7, 30} {
			picks[calendar.Date{Year: 2026, Month: 9, Day: d}] = true
		}
		picks[calendar.Date{Year: 2026, Month: 10, Day: 8}] = true
	}
	checked := 0
	for _, f := range fs {
		if !picks[f.Day.Kind.Day] {
			continue
		}
		checked++
		plan, err := Plan(f.Model, sc.Services, sc.TargetWait, 0.8)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), WithPlan(sc, f.Day, plan))
		if err != nil {
			t.Fatal(err)
		}
		// Erlang C on the true rates of the arrival model (which no forecast knows): the advice
		// should be close to it, neither far above nor below.
		truth := make([][]float64, len(sc.Services))
		for s, sv := range sc.Services {
			for slot := range sc.Slots() {
				truth[s] = append(truth[s], sc.Profile.Rate(f.Day.Kind, slot, sv.Share))
			}
		}
		oracle, err := Plan(truth, sc.Services, sc.TargetWait, 0.8)
		if err != nil {
			t.Fatal(err)
		}
		fewer := trimPeaks(plan)
		r2, err := Run(context.Background(), WithPlan(sc, f.Day, fewer))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %-9s %-28s %4d arrivals: advice %3d window-half-hours (Erlang C on the true rates %3d) → %.1f%% within 10 min (p90 %s, utilisation %.0f%%, %s); "+
			"one fewer in the 4 busiest half-hours per service (%d) → %.1f%%",
			f.Day.Kind.Day, f.Day.Kind.Day.Weekday(), flags(f.Day.Kind), r.Arrivals, WindowHalfHours(plan), WindowHalfHours(oracle), 100*r.WithinTarget, r.WaitP90,
			100*r.Utilisation, r.Elapsed.Round(time.Millisecond), WindowHalfHours(fewer), 100*r2.WithinTarget)
		if r.WithinTarget < 0.8 || r.Unserved != 0 {
			t.Errorf("%s: advice gave %.3f within target, %d unserved", f.Day.Kind.Day, r.WithinTarget, r.Unserved)
		}
	}
	if checked == 0 {
		t.Fatal("no day checked")
	}
}

// trimPeaks takes one window from each service's four busiest half-hours (where it has two or more).
func trimPeaks(plan [][]int) [][]int {
	out := make([][]int, len(plan))
	for s, row := range plan {
		out[s] = append([]int(nil), row...)
		for range 4 {
			best := -1
			for i, n := range out[s] {
				if n >= 2 && n == row[i] && (best < 0 || n > out[s][best]) {
					best = i
				}
			}
			if best >= 0 {
				out[s][best]--
			}
		}
	}
	return out
}

// A day's history does not depend on the span drawn, and the plan is Erlang C's least N per
// half-hour (100 arrivals in a half-hour at 180 s is the A = 10: 14 windows for 80% in 20 s).
func TestHistoryAndPlan(t *testing.T) {
	sc := Default(wednesday, 600, 1)
	a := History(sc, calendar.Date{Year: 2026, Month: 11, Day: 2}, 14, 9)
	b := History(sc, calendar.Date{Year: 2026, Month: 11, Day: 9}, 3, 9)
	if a[5].Kind.Day != b[0].Kind.Day || len(a[5].Arrivals) != len(b[0].Arrivals) || a[5].Arrivals[5] != b[0].Arrivals[5] {
		t.Fatalf("%s drawn twice differs", b[0].Kind.Day)
	}
	if len(a) != 10 {
		t.Errorf("two weeks: %d working days", len(a))
	}
	svc := []Service{{Prefix: "A", MeanHandle: 180 * time.Second}}
	plan, err := Plan([][]float64{{100, 0, 1}}, svc, 20*time.Second, 0.8)
	if err != nil || plan[0][0] != 14 || plan[0][1] != 1 || plan[0][2] != 1 {
		t.Errorf("plan %v %v, want [[14 1 1]]", plan, err)
	}
	if WindowHalfHours(plan) != 16 {
		t.Errorf("window-half-hours %d", WindowHalfHours(plan))
	}
}
