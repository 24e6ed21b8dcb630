package staffing

import (
	"errors"
	"math"
	"testing"
)

func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.6f, want %.6f (±%g)", name, got, want, tol)
	}
}

// The check: 200 arrivals an hour, 180 s handling (A = 10), 14 windows, 20 s target.
func TestErlangCIssueCheck(t *testing.T) {
	r, err := Compute(200, 180, 14, 20)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "load", r.Load, 10, 1e-12)
	near(t, "p_wait", r.PWait, 0.17413, 5e-6)
	near(t, "service_level", r.ServiceLvl, 0.88835, 5e-6)
	near(t, "occupancy", r.Occupancy, 0.71429, 5e-6)
	if !r.Stable {
		t.Error("14 windows for 10 Erlangs must be stable")
	}
}

// The worked Erlang C example quoted across the call-centre literature (A = 10 Erlangs, 180 s
// handling, 20 s target): probability of waiting, service level and average speed of answer for
// 11 to 13 windows, as published to the digits given (e.g. callcentrehelper.com's "Erlang C
// formula – made simple": 68.21 %/39 %/122.8 s, 44.94 %/64 %/40.4 s, 28.53 %/79.6 %/17.1 s).
func TestErlangCPublishedLoadPoints(t *testing.T) {
	for _, c := range []struct {
		n                 int
		pWait, sl, asa    float64
		tolP, tolSL, tolW float64
	}{
		{11, 0.6821, 0.39, 122.8, 5e-5, 5e-3, 0.05},
		{12, 0.4494, 0.64, 40.4, 5e-5, 5e-3, 0.05},
		{13, 0.2853, 0.796, 17.1, 5e-5, 5e-4, 0.05},
		{14, 0.1741, 0.888, 7.8, 5e-5, 5e-4, 0.05},
	} {
		r, _ := Compute(200, 180, c.n, 20)
		near(t, "p_wait", r.PWait, c.pWait, c.tolP)
		near(t, "service_level", r.ServiceLvl, c.sl, c.tolSL)
		near(t, "mean_wait", r.MeanWait, c.asa, c.tolW)
	}
}

// Textbook closed forms: M/M/1 waits with probability ρ; M/M/2 at A = 1 with 1/3; M/M/3 at A = 2
// with 4/9; and the mean wait of M/M/1 is ρ/(1−ρ)·AHT.
func TestErlangCClosedForms(t *testing.T) {
	near(t, "C(1, 0.7)", ErlangC(1, 0.7), 0.7, 1e-12)
	near(t, "C(2, 1)", ErlangC(2, 1), 1.0/3, 1e-12)
	near(t, "C(3, 2)", ErlangC(3, 2), 4.0/9, 1e-12)
	r, _ := Compute(0.7*3600/60, 60, 1, 0) // ρ = 0.7, 60 s handling
	near(t, "M/M/1 mean wait", r.MeanWait, 0.7/0.3*60, 1e-9)
	near(t, "service level at t=0", r.ServiceLvl, 0.3, 1e-12) // those who do not wait at all
}

// Large halls (or a city-wide pool) must not overflow: A^N and N! would, the recurrence does not.
func TestErlangCLargeLoadsStayFinite(t *testing.T) {
	c := ErlangC(1000, 950)
	if math.IsNaN(c) || c <= 0 || c >= 1 {
		t.Fatalf("C(1000, 950) = %v", c)
	}
	// With a square-root staffing margin (N = A + β√A), C tends to a fixed value (Halfin–Whitt):
	// at β = 1, P(wait) ≈ 0.2 whatever the size. Check it holds loosely at a large size.
	near(t, "Halfin-Whitt β=1", ErlangC(10100, 10000), 0.2, 0.03)
}

func TestUnstable(t *testing.T) {
	for _, n := range []int{0, 5, 10} {
		r, err := Compute(200, 180, n, 20)
		if err != nil {
			t.Fatal(err)
		}
		if r.Stable || r.PWait != 1 || r.ServiceLvl != 0 || !math.IsInf(r.MeanWait, 1) {
			t.Errorf("N=%d ≤ A=10: %+v, want unstable", n, r)
		}
	}
	r, _ := Compute(0, 180, 0, 20)
	if !r.Stable || r.PWait != 0 {
		t.Errorf("no arrivals: %+v", r)
	}
}

func TestLeastWindows(t *testing.T) {
	for _, c := range []struct {
		level float64
		want  int
	}{{0.8, 14}, {0.7, 13}, {0.6, 12}, {0.3, 11}, {0.9, 15}} {
		r, err := LeastWindows(200, 180, 20, c.level)
		if err != nil {
			t.Fatal(err)
		}
		if r.Windows != c.want {
			t.Errorf("level %v: N = %d, want %d", c.level, r.Windows, c.want)
		}
		prev, _ := Compute(200, 180, r.Windows-1, 20)
		if prev.ServiceLvl >= c.level {
			t.Errorf("level %v: N-1 = %d already meets it", c.level, r.Windows-1)
		}
	}
	if _, err := LeastWindows(200, 180, 20, 1); !errors.Is(err, ErrInput) {
		t.Errorf("level 1 with arrivals: %v, want ErrInput", err)
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		l, h float64
		n    int
		t    float64
	}{{-1, 180, 3, 20}, {1, 0, 3, 20}, {1, math.NaN(), 3, 20}, {1, 180, -1, 20}, {1, 180, 3, math.Inf(1)}, {1, 180, MaxWindows + 1, 20}} {
		if _, err := Compute(c.l, c.h, c.n, c.t); !errors.Is(err, ErrInput) {
			t.Errorf("%+v: err = %v", c, err)
		}
	}
}

func TestPercentile(t *testing.T) {
	xs := []float64{15, 20, 35, 40, 50} // the nearest-rank example of the NIST/Wikipedia page
	for _, c := range []struct{ p, want float64 }{{5, 15}, {30, 20}, {40, 20}, {50, 35}, {100, 50}} {
		if got := Percentile(xs, c.p); got != c.want {
			t.Errorf("P%v = %v, want %v", c.p, got, c.want)
		}
	}
	ys := []float64{3, 6, 7, 8, 8, 10, 13, 15, 16, 20}
	p50, p90 := Percentiles(ys)
	if p50 != 8 || p90 != 16 {
		t.Errorf("p50, p90 = %v, %v; want 8, 16", p50, p90)
	}
	if !math.IsNaN(Percentile(nil, 50)) {
		t.Error("empty: want NaN")
	}
	if xs[0] != 15 || ys[9] != 20 {
		t.Error("input changed")
	}
}
