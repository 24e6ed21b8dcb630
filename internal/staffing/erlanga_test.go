package staffing

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// When patience equals the handling time, every citizen leaves at rate μ whether served or not,
// so the number in the hall is Poisson(A) (as in M/M/∞): P(wait) = P(X ≥ N) and
// P(abandon) = E[(X − N)⁺]/A — a closed form to check the chain against.
func TestErlangAPoissonCase(t *testing.T) {
	for _, c := range []struct {
		a float64
		n int
	}{{10, 14}, {10, 8}, {3, 2}, {50, 45}} {
		r, err := ErlangA(c.a*3600/180, 180, 180, c.n, 20)
		if err != nil {
			t.Fatal(err)
		}
		below, excess, term := 0.0, 0.0, math.Exp(-c.a)
		for k := 0; k < 400; k++ {
			if k < c.n {
				below += term
			} else {
				excess += float64(k-c.n) * term
			}
			term *= c.a / float64(k+1)
		}
		near(t, "P(wait)", r.PWait, 1-below, 1e-9)
		near(t, "P(abandon)", r.PAbandon, excess/c.a, 1e-9)
	}
}

// With patience far longer than any wait, Erlang A is Erlang C: the check again.
func TestErlangATendsToErlangC(t *testing.T) {
	r, err := ErlangA(200, 180, 1e9, 14, 20)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "p_wait", r.PWait, 0.17413, 5e-6)
	near(t, "service_level", r.ServiceLvl, 0.88835, 5e-6)
	near(t, "mean wait", r.MeanWait, 7.83594, 5e-5)
	near(t, "occupancy", r.Occupancy, 0.71429, 5e-6)
}

// Against a direct simulation of M/M/N+M (event by event, 400,000 arrivals), overloaded so
// that abandonment matters: 12 windows for 14 Erlangs, patience 5 minutes, target 1 minute.
func TestErlangAAgainstSimulation(t *testing.T) {
	const lambda, aht, patience, n, target = 280.0 / 3600, 180.0, 300.0, 12, 60.0
	r, err := ErlangA(lambda*3600, aht, patience, n, target)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	// FCFS: each arrival's call time is the earliest a window frees after everyone ahead who
	// stayed has been called; a citizen whose patience runs out before that leaves.
	free := make([]float64, n) // when each window is next free
	now, waited, abandoned, within, waitSum := 0.0, 0, 0, 0, 0.0
	const total = 400000
	for range total {
		now += rng.ExpFloat64() / lambda
		sort.Float64s(free)
		start := math.Max(now, free[0])
		pat := rng.ExpFloat64() * patience
		if start > now {
			waited++
		}
		if start-now > pat {
			abandoned++
			waitSum += pat
			continue
		}
		if start-now <= target {
			within++
		}
		waitSum += start - now
		free[0] = start + rng.ExpFloat64()*aht
	}
	near(t, "P(wait)", r.PWait, float64(waited)/total, 0.01)
	near(t, "P(abandon)", r.PAbandon, float64(abandoned)/total, 0.005)
	near(t, "service level", r.ServiceLvl, float64(within)/total, 0.01)
	near(t, "mean wait", r.MeanWait, waitSum/total, 2)
	if r.PAbandon < 0.05 {
		t.Errorf("the case should be overloaded: P(abandon) = %v", r.PAbandon)
	}
}

func TestErlangABadInput(t *testing.T) {
	for _, c := range [][5]float64{{-1, 180, 300, 3, 20}, {1, 180, 0, 3, 20}, {1, 180, 300, 0, 20}, {1, 0, 300, 3, 20}} {
		if _, err := ErlangA(c[0], c[1], c[2], int(c[3]), c[4]); err == nil {
			t.Errorf("%v accepted", c)
		}
	}
	if _, err := ErlangA(1e6, 86400, 86400, 1000, 86400); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a hall of 24,000 Erlangs on 1,000 windows with a day's patience: %v, want ErrTooLarge", err)
	}
	// Large loads stay finite (log space).
	r, err := ErlangA(2000*3600/180, 180, 300, 1900, 20)
	if err != nil || math.IsNaN(r.ServiceLvl) || r.PWait <= 0 || r.PWait >= 1 {
		t.Errorf("A = 2000: %+v %v", r, err)
	}
}
