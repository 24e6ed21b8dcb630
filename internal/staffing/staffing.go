// Package staffing holds the queueing arithmetic behind staffing advice: Erlang C (M/M/N, citizens
// who wait as long as it takes), Erlang A (M/M/N+M, citizens who give up after an exponentially
// distributed patience) and the percentiles reports quote. It is pure: plain numbers in, plain
// numbers out, no clock, no store.
//
// Definitions follow the call-centre literature (Gans, Koole & Mandelbaum 2003, "Telephone call
// centers: tutorial, review and research prospects"): the offered load A = λ·AHT in Erlangs, N
// windows, the probability of waiting C(N, A), the service level P(wait ≤ t) = 1 − C·e^(−(N−A)t/AHT),
// the mean wait C·AHT/(N−A) and the occupancy A/N. A hall with N ≤ A is unstable: the queue grows
// without bound, and no finite wait or service level exists.
package staffing

import (
	"errors"
	"math"
)

// Result is Erlang C's answer for one load and number of windows.
type Result struct {
	Load            float64 // offered load A in Erlangs (arrivals per second × handling seconds)
	Windows         int     // N
	PWait           float64 // C(N, A): the share of arrivals who wait at all
	ServiceLvl      float64 // the share served within the target wait
	MeanWait        float64 // seconds, over all arrivals (those who do not wait count as 0)
	Occupancy       float64 // A/N: the share of the windows' time spent serving
	Stable          bool    // N > A; when false PWait is 1, ServiceLvl 0 and MeanWait +Inf
	TargetWait      float64 // seconds, the t of the service level
	HandleSecs      float64 // mean handling time (AHT) in seconds
	ArrivalsPerHour float64
}

// ErrInput is returned for loads, windows or times that have no meaning (negative, NaN, infinite).
var ErrInput = errors.New("staffing: invalid input")

// MaxWindows bounds the search for the least N: no hall has more windows than this.
const MaxWindows = 10000

// ErlangB is the blocking probability B(N, A) of an M/M/N/N system, by the recurrence
// B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), which never forms A^N or N! and so never overflows.
func ErlangB(n int, a float64) float64 {
	b := 1.0
	for k := 1; k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC is the probability of waiting C(N, A) = N·B / (N − A·(1 − B)) for N > A, and 1 for N ≤ A
// (every arrival waits in an unstable hall).
func ErlangC(n int, a float64) float64 {
	if a <= 0 {
		return 0
	}
	if float64(n) <= a {
		return 1
	}
	b := ErlangB(n, a)
	return float64(n) * b / (float64(n) - a*(1-b))
}

func valid(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) && x >= 0 }

// Compute answers Erlang C for arrivals per hour λ, a mean handling time in seconds, N windows and a
// target wait t in seconds.
func Compute(arrivalsPerHour, handleSeconds float64, windows int, targetWait float64) (Result, error) {
	if !valid(arrivalsPerHour) || !valid(targetWait) || !valid(handleSeconds) || handleSeconds == 0 || windows < 0 || windows > MaxWindows {
		return Result{}, ErrInput
	}
	a := arrivalsPerHour / 3600 * handleSeconds
	r := Result{Load: a, Windows: windows, TargetWait: targetWait, HandleSecs: handleSeconds, ArrivalsPerHour: arrivalsPerHour}
	if windows > 0 {
		r.Occupancy = a / float64(windows)
	}
	if float64(windows) <= a && a > 0 || windows == 0 {
		r.PWait, r.ServiceLvl, r.MeanWait = 1, 0, math.Inf(1)
		if a == 0 { // nobody comes: nobody waits, whatever the windows
			r.PWait, r.ServiceLvl, r.MeanWait, r.Stable = 0, 1, 0, true
		}
		return r, nil
	}
	r.Stable = true
	c := ErlangC(windows, a)
	gap := float64(windows) - a
	r.PWait = c
	r.ServiceLvl = 1 - c*math.Exp(-gap*targetWait/handleSeconds)
	r.MeanWait = c * handleSeconds / gap
	return r, nil
}

// LeastWindows is the least N whose service level within targetWait is at least level (0 < level < 1,
// or 1 only when nobody arrives). N starts just above the load, since no smaller N is stable, and the
// service level rises with N.
func LeastWindows(arrivalsPerHour, handleSeconds, targetWait, level float64) (Result, error) {
	if !valid(level) || level > 1 {
		return Result{}, ErrInput
	}
	r, err := Compute(arrivalsPerHour, handleSeconds, 0, targetWait)
	if err != nil {
		return Result{}, err
	}
	if r.Load == 0 {
		return r, nil
	}
	if level >= 1 { // every arrival within t is never certain while anyone comes
		return Result{}, ErrInput
	}
	for n := int(math.Floor(r.Load)) + 1; n <= MaxWindows; n++ {
		r, _ = Compute(arrivalsPerHour, handleSeconds, n, targetWait)
		if r.ServiceLvl >= level {
			return r, nil
		}
	}
	return Result{}, ErrInput // level 1 with arrivals, or a load beyond any hall
}
