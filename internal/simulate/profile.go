package simulate

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/qhall/qhall/internal/calendar"
)

// Slot is a half-hour of the hall's day, 0 being the one that starts at the opening time.
const SlotMinutes = 30

// Profile is the arrival model: the expected arrivals of a day, its weekday, its half-hour, the
// month's start and end and the days around public holidays. The factors are multiplicative:
//
//	λ(day, slot, service) = Base × share(service) × Weekday[day] × Shape[slot] × month(day) × holiday(day)
//
// Shape is normalised to mean 1, so Base is the arrivals of an ordinary Wednesday mid-month.
// Non-working days (weekends, holidays, from the calendar with its 调休 make-up days) have none.
type Profile struct {
	Base          float64
	Weekday       [7]float64 // Sunday first, as time.Weekday; a working weekend day (调休) counts as a Monday
	Shape         []float64  // per half-hour from the opening time
	MonthStart    float64    // the first 3 calendar days of a month (social insurance, tax filing)
	MonthEnd      float64    // the last 3 calendar days of a month
	AfterHoliday  float64    // the first working day after a public holiday
	BeforeHoliday float64    // the last working day before a public holiday
}

// DefaultProfile is a government service hall open 09:00–17:00 on working days: a morning peak
// from 09:30, a lunch dip, an afternoon peak; Mondays and the first day after a holiday busiest.
func DefaultProfile(base float64) Profile {
	shape := []float64{0.7, 1.3, 1.5, 1.45, 1.3, 1.1, 0.75, 0.55, 0.7, 1.05, 1.3, 1.35, 1.2, 1.0, 0.9, 0.6}
	return Profile{Base: base, Weekday: [7]float64{0, 1.25, 1.05, 1.0, 0.95, 1.1, 0}, Shape: normalise(shape),
		MonthStart: 1.3, MonthEnd: 1.2, AfterHoliday: 1.45, BeforeHoliday: 1.15}
}

func normalise(xs []float64) []float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * float64(len(xs)) / sum
	}
	return out
}

// DayKind is what the arrival model (and the forecast) knows of a date.
type DayKind struct {
	Day           calendar.Date
	Working       bool
	Weekday       time.Weekday // a working weekend day (调休) reads as Monday
	MonthStart    bool
	MonthEnd      bool
	AfterHoliday  bool
	BeforeHoliday bool
}

// Kind reads a date's features from the calendar. A holiday is a non-working weekday; the days
// after and before look across the weekend next to it.
func Kind(cal *calendar.Calendar, d calendar.Date) DayKind {
	working, _ := cal.IsWorkday(d)
	k := DayKind{Day: d, Working: working, Weekday: d.Weekday()}
	if working && (k.Weekday == time.Saturday || k.Weekday == time.Sunday) {
		k.Weekday = time.Monday
	}
	k.MonthStart = d.Day <= 3
	k.MonthEnd = d.AddDays(3).Month != d.Month
	holidayWithin := func(step int) bool { // the non-working run next to d holds a weekday
		for i := 1; i <= 10; i++ {
			x := d.AddDays(i * step)
			if w, _ := cal.IsWorkday(x); w {
				return false
			}
			if wd := x.Weekday(); wd != time.Saturday && wd != time.Sunday {
				return true
			}
		}
		return false
	}
	k.AfterHoliday = working && holidayWithin(-1)
	k.BeforeHoliday = working && holidayWithin(1)
	return k
}

// DayFactor is the day's factor over an ordinary Wednesday.
func (p Profile) DayFactor(k DayKind) float64 {
	if !k.Working {
		return 0
	}
	f := p.Weekday[k.Weekday]
	if k.MonthStart {
		f *= p.MonthStart
	}
	if k.MonthEnd {
		f *= p.MonthEnd
	}
	if k.AfterHoliday {
		f *= p.AfterHoliday
	}
	if k.BeforeHoliday {
		f *= p.BeforeHoliday
	}
	return f
}

// Rate is the expected arrivals of a service with the given share in one half-hour of a day.
func (p Profile) Rate(k DayKind, slot int, share float64) float64 {
	if slot < 0 || slot >= len(p.Shape) {
		return 0
	}
	return p.Base * share * p.DayFactor(k) * p.Shape[slot] / float64(len(p.Shape))
}

// Arrival is one citizen taking a ticket, at an offset from the opening time.
type Arrival struct {
	At      time.Duration
	Service int // index into the scenario's services
}

// Arrivals draws a day's arrivals: a Poisson process per service, its rate constant within each
// half-hour. They come sorted by time.
func (p Profile) Arrivals(rng *rand.Rand, k DayKind, shares []float64) []Arrival {
	var out []Arrival
	slot := time.Duration(SlotMinutes) * time.Minute
	for s := range p.Shape {
		for svc, share := range shares {
			rate := p.Rate(k, s, share)
			if rate <= 0 {
				continue
			}
			t := 0.0 // in half-hours
			for {
				t += rng.ExpFloat64() / rate
				if t >= 1 {
					break
				}
				out = append(out, Arrival{At: time.Duration(s)*slot + time.Duration(t*float64(slot)), Service: svc})
			}
		}
	}
	sortArrivals(out)
	return out
}

// Counts are arrivals per service and half-hour.
func Counts(arr []Arrival, services, slots int) [][]float64 {
	out := make([][]float64, services)
	for i := range out {
		out[i] = make([]float64, slots)
	}
	for _, a := range arr {
		s := int(a.At / (SlotMinutes * time.Minute))
		if s < slots {
			out[a.Service][s]++
		}
	}
	return out
}

// LogNormal draws a handling time with the given mean and log-space spread σ (μ = ln mean − σ²/2,
// so the mean is kept whatever σ).
func LogNormal(rng *rand.Rand, mean time.Duration, sigma float64) time.Duration {
	mu := math.Log(float64(mean)) - sigma*sigma/2
	return time.Duration(math.Exp(mu + sigma*rng.NormFloat64()))
}
