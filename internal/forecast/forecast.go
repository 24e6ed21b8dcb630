// Package forecast predicts arrivals per half-hour of a day from the history of the same series
// (one service of one hall). It is pure: plain counts and day features in, counts out.
//
// The model is multiplicative:
//
//	forecast(day, slot) = level[weekday][slot] × Π factor(flag) over the day's flags
//
// where the flags are the month's first three days, its last three, the first working day after a
// public holiday and the last one before it. level is the exponential smoothing (weight Alpha on
// the newest observation) of each weekday × half-hour cell of the history, each observation first
// divided by its day's factors; each factor is the ratio of the arrivals on the days with the flag
// to what the levels and the other factors expect on those days. The two estimates depend on each
// other and are refined together a few times (back-fitting); a flag never seen in the history has
// factor 1. Smoothing per cell follows the shape of each weekday's day and lets recent weeks weigh
// more; the factors carry what a weekday profile cannot (a Monday at the start of a month).
package forecast

import "math"

// Flags are a day's features besides its weekday.
type Flags struct {
	MonthStart, MonthEnd, AfterHoliday, BeforeHoliday bool
}

func (f Flags) list() [nFlags]bool {
	return [nFlags]bool{f.MonthStart, f.MonthEnd, f.AfterHoliday, f.BeforeHoliday}
}

const nFlags = 4

// Day is one working day: its weekday (0 = Sunday, as time.Weekday), flags and, in a history,
// its arrivals per half-hour.
type Day struct {
	Weekday int
	Flags
	Counts []float64
}

// Model is a fitted forecast.
type Model struct {
	Alpha  float64
	Slots  int
	Level  [7][]float64    // nil for a weekday never seen
	Factor [nFlags]float64 // month start, month end, after holiday, before holiday
	mean   []float64       // per slot, over all weekdays: the fallback for an unseen weekday
}

// maxBackfits bounds the rounds of refining levels and factors in turn; they stop earlier when no
// factor moves by more than 1e-9.
const maxBackfits = 200

// DefaultAlpha weighs the newest week of a cell by 0.3: about the last six weeks count.
const DefaultAlpha = 0.3

// Fit estimates the model from history, oldest day first; every day has slots counts.
func Fit(history []Day, slots int, alpha float64) *Model {
	m := &Model{Alpha: alpha, Slots: slots, Factor: [nFlags]float64{1, 1, 1, 1}}
	for range maxBackfits {
		before := m.Factor
		m.fitLevels(history)
		m.fitFactors(history)
		moved := 0.0
		for i := range m.Factor {
			moved = max(moved, math.Abs(m.Factor[i]-before[i]))
		}
		if moved < 1e-9 {
			break
		}
	}
	m.fitLevels(history)
	return m
}

func (m *Model) dayFactor(f Flags) float64 {
	x := 1.0
	for i, on := range f.list() {
		if on {
			x *= m.Factor[i]
		}
	}
	return x
}

func (m *Model) fitLevels(history []Day) {
	m.Level = [7][]float64{}
	m.mean = make([]float64, m.Slots)
	n := 0
	for _, d := range history {
		f := m.dayFactor(d.Flags)
		lv := m.Level[d.Weekday]
		if lv == nil {
			lv = make([]float64, m.Slots)
			for s := range lv {
				lv[s] = d.Counts[s] / f
			}
			m.Level[d.Weekday] = lv
		} else {
			for s := range lv {
				lv[s] = Smooth(lv[s], d.Counts[s]/f, m.Alpha)
			}
		}
		for s := range m.mean {
			m.mean[s] += d.Counts[s] / f
		}
		n++
	}
	for s := range m.mean {
		if n > 0 {
			m.mean[s] /= float64(n)
		}
	}
}

// fitFactors sets each flag's factor to observed ÷ expected over the days with the flag, the
// expectation using the levels and the other flags' factors.
func (m *Model) fitFactors(history []Day) {
	for i := range nFlags {
		obs, exp := 0.0, 0.0
		for _, d := range history {
			if !d.list()[i] {
				continue
			}
			others := 1.0
			for j, on := range d.list() {
				if on && j != i {
					others *= m.Factor[j]
				}
			}
			lv := m.levelOf(d.Weekday)
			for s := range m.Slots {
				obs += d.Counts[s]
				exp += lv[s] * others
			}
		}
		if exp > 0 && obs > 0 {
			m.Factor[i] = obs / exp
		} else {
			m.Factor[i] = 1
		}
	}
}

func (m *Model) levelOf(weekday int) []float64 {
	if weekday >= 0 && weekday < 7 && m.Level[weekday] != nil {
		return m.Level[weekday]
	}
	return m.mean
}

// Predict is the forecast for a day (its Counts are not read).
func (m *Model) Predict(d Day) []float64 {
	lv := m.levelOf(d.Weekday)
	f := m.dayFactor(d.Flags)
	out := make([]float64, m.Slots)
	for s := range out {
		if s < len(lv) {
			out[s] = lv[s] * f
		}
	}
	return out
}

// Smooth is one step of simple exponential smoothing: the new level is alpha × the observation
// plus (1 − alpha) × the old level.
func Smooth(level, obs, alpha float64) float64 { return alpha*obs + (1-alpha)*level }

// MAE is the mean absolute error of forecasts against actual counts, cell by cell (rows of equal
// length); NaN when there is nothing to compare.
func MAE(pred, actual [][]float64) float64 {
	sum, n := 0.0, 0
	for i := range pred {
		for s := range pred[i] {
			sum += math.Abs(pred[i][s] - actual[i][s])
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
