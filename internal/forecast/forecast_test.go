package forecast

import (
	"math"
	"testing"
)

func TestSmooth(t *testing.T) {
	if got := Smooth(10, 20, 0.3); math.Abs(got-13) > 1e-12 {
		t.Errorf("Smooth(10, 20, 0.3) = %v, want 13", got)
	}
	// Two Mondays: the level is the first, then 0.3 of the second plus 0.7 of the first.
	m := Fit([]Day{{Weekday: 1, Counts: []float64{10, 4}}, {Weekday: 1, Counts: []float64{20, 8}}}, 2, 0.3)
	if p := m.Predict(Day{Weekday: 1}); math.Abs(p[0]-13) > 1e-12 || math.Abs(p[1]-5.2) > 1e-12 {
		t.Errorf("levels %v, want [13 5.2]", p)
	}
}

func TestMAE(t *testing.T) {
	got := MAE([][]float64{{1, 2}, {3, 4}}, [][]float64{{2, 2}, {0, 4}})
	if got != 1 { // (1 + 0 + 3 + 0) / 4
		t.Errorf("MAE = %v, want 1", got)
	}
	if !math.IsNaN(MAE(nil, nil)) {
		t.Error("empty MAE should be NaN")
	}
}

// On noise-free data built from the model itself the fit recovers the factors and forecasts
// exactly, whatever the mixture of flags (a Monday that starts a month after a holiday).
func TestFitRecoversExactFactors(t *testing.T) {
	shape := [7][]float64{1: {10, 20, 15}, 2: {8, 16, 12}, 3: {7, 14, 11}, 4: {7, 13, 10}, 5: {9, 18, 12}}
	truth := [nFlags]float64{1.3, 1.2, 1.5, 1.1}
	make := func(wd int, f Flags) Day {
		x := 1.0
		for i, on := range f.list() {
			if on {
				x *= truth[i]
			}
		}
		c := []float64{}
		for _, v := range shape[wd] {
			c = append(c, v*x)
		}
		return Day{Weekday: wd, Flags: f, Counts: c}
	}
	var hist []Day
	for week := range 30 {
		for wd := 1; wd <= 5; wd++ {
			var f Flags
			switch (week*5 + wd) % 11 {
			case 0:
				f.MonthStart = true
			case 3:
				f.MonthEnd = true
			case 5:
				f.AfterHoliday = true
			case 7:
				f.BeforeHoliday, f.MonthEnd = true, true
			case 9:
				f.AfterHoliday, f.MonthStart = true, true
			}
			hist = append(hist, make(wd, f))
		}
	}
	m := Fit(hist, 3, DefaultAlpha)
	for i := range nFlags {
		if math.Abs(m.Factor[i]-truth[i]) > 1e-6 {
			t.Errorf("factor %d = %v, want %v", i, m.Factor[i], truth[i])
		}
	}
	want := make(1, Flags{MonthStart: true, AfterHoliday: true})
	got := m.Predict(Day{Weekday: 1, Flags: Flags{MonthStart: true, AfterHoliday: true}})
	for s := range got {
		if math.Abs(got[s]-want.Counts[s]) > 1e-6 {
			t.Errorf("slot %d: %v, want %v", s, got[s], want.Counts[s])
		}
	}
}

// A weekday never seen takes the mean over all days; a flag never seen has factor 1.
func TestUnseen(t *testing.T) {
	m := Fit([]Day{{Weekday: 1, Counts: []float64{10}}, {Weekday: 2, Counts: []float64{20}}}, 1, 0.5)
	if p := m.Predict(Day{Weekday: 6, Flags: Flags{AfterHoliday: true}}); p[0] != 15 {
		t.Errorf("unseen Saturday after a holiday: %v, want 15", p)
	}
}
