package simulate

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/forecast"
	"github.com/qhall/qhall/internal/staffing"
)

// HistoryDay is one working day of generated history: its features and arrivals.
type HistoryDay struct {
	Kind     DayKind
	Arrivals []Arrival
	Counts   [][]float64 // per service and half-hour
}

// History draws the arrivals of every working day from `from` for `days` calendar days, by the
// scenario's arrival model and the national calendar. Each day has its own stream of the seed, so
// a day's arrivals do not depend on how many days are drawn. Non-working days (the hall is
// closed) are left out.
func History(sc Scenario, from calendar.Date, days int, seed uint64) []HistoryDay {
	cal := calendar.New(nil)
	shares := make([]float64, len(sc.Services))
	for i, s := range sc.Services {
		shares[i] = s.Share
	}
	var out []HistoryDay
	for i := range days {
		d := from.AddDays(i)
		k := Kind(cal, d)
		if !k.Working {
			continue
		}
		rng := rand.New(rand.NewPCG(seed, uint64(d.Year*10000+int(d.Month)*100+d.Day)))
		arr := sc.Profile.Arrivals(rng, k, shares)
		out = append(out, HistoryDay{Kind: k, Arrivals: arr, Counts: Counts(arr, len(sc.Services), sc.Slots())})
	}
	return out
}

// ForecastDay turns a day's features (and one service's counts) into the forecast's input.
func ForecastDay(k DayKind, counts []float64) forecast.Day {
	return forecast.Day{Weekday: int(k.Weekday), Counts: counts, Flags: forecast.Flags{MonthStart: k.MonthStart,
		MonthEnd: k.MonthEnd, AfterHoliday: k.AfterHoliday, BeforeHoliday: k.BeforeHoliday}}
}

// Forecasts is one held-out day: the model's forecast, the seasonal naive one and what came,
// each per service and half-hour.
type Forecasts struct {
	Day            HistoryDay
	Model, Naive   [][]float64
	TrainedThrough calendar.Date
	NaiveFrom      calendar.Date
}

// Backtest forecasts every working day of the last `holdout` weeks of the history, one week at a
// time from all the history before that week (as a plan for the coming week would be made), and
// beside it the seasonal naive forecast: the same weekday of the week before (or the latest
// earlier working day of that weekday, when that one was a holiday).
func Backtest(hist []HistoryDay, services, slots, holdout int, alpha float64) []Forecasts {
	if len(hist) == 0 {
		return nil
	}
	last := hist[len(hist)-1].Kind.Day
	start := last.AddDays(-7*holdout + 1)
	for start.Weekday() != time.Monday {
		start = start.AddDays(1)
	}
	var out []Forecasts
	for weekStart := start; !weekStart.After(last); weekStart = weekStart.AddDays(7) {
		var train []HistoryDay
		for _, h := range hist {
			if h.Kind.Day.Before(weekStart) {
				train = append(train, h)
			}
		}
		if len(train) == 0 {
			continue
		}
		models := make([]*forecast.Model, services)
		for s := range services {
			days := make([]forecast.Day, len(train))
			for i, h := range train {
				days[i] = ForecastDay(h.Kind, h.Counts[s])
			}
			models[s] = forecast.Fit(days, slots, alpha)
		}
		for _, h := range hist {
			d := h.Kind.Day
			if d.Before(weekStart) || !d.Before(weekStart.AddDays(7)) {
				continue
			}
			f := Forecasts{Day: h, TrainedThrough: train[len(train)-1].Kind.Day}
			var naive *HistoryDay
			for i := len(train) - 1; i >= 0; i-- {
				if train[i].Kind.Weekday == h.Kind.Weekday && !train[i].Kind.Day.After(d.AddDays(-7)) {
					naive = &train[i]
					break
				}
			}
			for s := range services {
				f.Model = append(f.Model, models[s].Predict(ForecastDay(h.Kind, nil)))
				if naive != nil {
					f.Naive = append(f.Naive, naive.Counts[s])
				} else {
					f.Naive = append(f.Naive, make([]float64, slots))
				}
			}
			if naive != nil {
				f.NaiveFrom = naive.Kind.Day
			}
			out = append(out, f)
		}
	}
	return out
}

// Errors is the mean absolute error per service and half-hour of the model and of the seasonal
// naive forecast over the backtest.
func Errors(fs []Forecasts) (model, naive float64) {
	var m, n, a [][]float64
	for _, f := range fs {
		m = append(m, f.Model...)
		n = append(n, f.Naive...)
		a = append(a, f.Day.Counts...)
	}
	return forecast.MAE(m, a), forecast.MAE(n, a)
}

// Plan is the staffing advice for a day: per service and half-hour, the least number of windows
// that Erlang C says meets `level` within `target` for the forecast arrivals, and at least one
// window for every service the hall issues tickets for.
func Plan(pred [][]float64, services []Service, target time.Duration, level float64) ([][]int, error) {
	out := make([][]int, len(pred))
	for s, row := range pred {
		out[s] = make([]int, len(row))
		for slot, n := range row {
			perHour := n * float64(time.Hour/(SlotMinutes*time.Minute))
			r, err := staffing.LeastWindows(perHour, services[s].MeanHandle.Seconds(), target.Seconds(), level)
			if err != nil {
				return nil, err
			}
			out[s][slot] = max(1, r.Windows)
		}
	}
	return out, nil
}

// WithPlan is the scenario of a history day staffed by a plan: every window serves one service,
// as many windows per service as the plan ever asks for.
func WithPlan(sc Scenario, day HistoryDay, plan [][]int) Scenario {
	sc.Day, sc.Arrivals, sc.Plan, sc.Changes = day.Kind.Day, day.Arrivals, plan, nil
	sc.Windows = nil
	for s, row := range plan {
		most := 0
		for _, n := range row {
			most = max(most, n)
		}
		for range most {
			sc.Windows = append(sc.Windows, []int{s})
		}
	}
	return sc
}

// WindowHalfHours is a plan's total of windows × half-hours.
func WindowHalfHours(plan [][]int) int {
	n := 0
	for _, row := range plan {
		for _, x := range row {
			n += x
		}
	}
	return n
}

// Advice is the forecast and the staffing plan for one day, made from the weeks of history
// before it, and the day's own arrivals to check the plan against.
type Advice struct {
	Day      HistoryDay
	Forecast [][]float64 // per service and half-hour
	Plan     [][]int
}

// Advise forecasts a working day from `weeks` of generated history before it and plans its
// windows for `level` within the scenario's target wait.
func Advise(sc Scenario, day calendar.Date, weeks int, seed uint64, level float64) (*Advice, error) {
	hist := History(sc, day.AddDays(-7*weeks), 7*weeks+1, seed)
	if len(hist) == 0 || hist[len(hist)-1].Kind.Day != day {
		return nil, fmt.Errorf("%s is not a working day: the hall is closed", day)
	}
	a := &Advice{Day: hist[len(hist)-1]}
	train := hist[:len(hist)-1]
	for s := range sc.Services {
		days := make([]forecast.Day, len(train))
		for i, h := range train {
			days[i] = ForecastDay(h.Kind, h.Counts[s])
		}
		a.Forecast = append(a.Forecast, forecast.Fit(days, sc.Slots(), forecast.DefaultAlpha).Predict(ForecastDay(a.Day.Kind, nil)))
	}
	var err error
	a.Plan, err = Plan(a.Forecast, sc.Services, sc.TargetWait, level)
	return a, err
}
