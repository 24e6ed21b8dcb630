package queue

import (
	"testing"
	"time"
)

func TestFormatAndParseNumber(t *testing.T) {
	if got := FormatNumber("A", 12); got != "A012" {
		t.Fatalf("FormatNumber = %q", got)
	}
	if got := FormatNumber("B", 1234); got != "B1234" {
		t.Fatalf("FormatNumber = %q", got)
	}
	for in, want := range map[string]struct {
		p  string
		n  int
		ok bool
	}{"A012": {"A", 12, true}, "AB7": {"AB", 7, true}, "012": {"", 0, false}, "A": {"", 0, false}, "A0": {"", 0, false}, "A1x": {"", 0, false}, "": {"", 0, false}} {
		p, n, ok := ParseNumber(in)
		if p != want.p || n != want.n || ok != want.ok {
			t.Errorf("ParseNumber(%q) = %q %d %v, want %+v", in, p, n, ok, want)
		}
	}
}

func TestEstimateWait(t *testing.T) {
	m := 10 * time.Minute
	cases := []struct {
		ahead, servers int
		want           time.Duration
	}{
		{0, 3, 0},
		{1, 1, 10 * time.Minute},
		{6, 3, 20 * time.Minute},
		{5, 0, 50 * time.Minute}, // no window open yet: count one
		{3, 2, 15 * time.Minute},
	}
	for _, c := range cases {
		if got := EstimateWait(c.ahead, m, c.servers); got != c.want {
			t.Errorf("EstimateWait(%d, 10m, %d) = %v, want %v", c.ahead, c.servers, got, c.want)
		}
	}
}

// With priority tickets always waiting, a window still calls one ordinary ticket after every
// maxStreak priority ones: ordinary tickets never starve.
func TestPriorityStreakBoundsStarvation(t *testing.T) {
	for _, maxStreak := range []int{1, 2, 3, 5} {
		streak, sinceOrdinary, worst := 0, 0, 0
		for i := 0; i < 100; i++ {
			priority := PriorityFirst(streak, maxStreak) // priority tickets always wait
			streak = NextStreak(streak, priority)
			if priority {
				sinceOrdinary++
			} else {
				sinceOrdinary = 0
			}
			worst = max(worst, sinceOrdinary)
		}
		if worst != maxStreak {
			t.Errorf("maxStreak %d: longest run of priority calls %d", maxStreak, worst)
		}
	}
	if !PriorityFirst(100, 0) {
		t.Error("maxStreak 0 means no bound")
	}
}

func TestNeedsApproval(t *testing.T) {
	cases := []struct {
		reason                       string
		minutes, free, waiting, peak int
		want                         bool
	}{
		{"break", 10, 15, 0, 30, false},
		{"break", 16, 15, 0, 30, true},  // longer than allowed freely
		{"phone", 2, 15, 0, 30, false},  // seed 003: two minutes
		{"phone", 3, 15, 0, 30, true},   // over two minutes
		{"break", 5, 15, 30, 30, true},  // at the peak
		{"break", 5, 15, 29, 30, false}, // just under the peak
		{"break", 5, 15, 100, 0, false}, // no peak configured
	}
	for _, c := range cases {
		if got := NeedsApproval(c.reason, c.minutes, c.free, c.waiting, c.peak); got != c.want {
			t.Errorf("NeedsApproval(%+v) = %v", c, got)
		}
	}
}
