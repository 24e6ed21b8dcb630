package calendar_test

import (
	"errors"
	"testing"
	"time"

	"github.com/qhall/qhall/internal/calendar"
)

func d(s string) calendar.Date {
	v, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

var national = calendar.New(nil)

func TestAddWorkdays(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
		prov bool
	}{
		{"2026-02-13", 1, "2026-02-14", false}, // make-up Saturday of 春节 2026
		{"2025-09-26", 5, "2025-10-10", false}, // 9/28 make-up Sunday, 10/1-8 off
		{"2025-09-26", 0, "2025-09-26", false}, // N = 0 is the start day itself
		{"2025-10-04", 0, "2025-10-04", false}, // even when it is a holiday
		{"2025-10-01", 1, "2025-10-09", false}, // start inside a holiday
		// 20 working days across 春节 2026 (2/15-2/23 off, 2/14 and 2/28 make-up Saturdays):
		// 2/2-2/13 is 10, 2/14 is 11, 2/24-2/27 is 15, 2/28 is 16, 3/2-3/5 is 20.
		{"2026-01-30", 20, "2026-03-05", false},
		// 20 across National Day 2026 (9/25-27 and 10/1-7 off, 9/20 and 10/10 make-up):
		// 9/14-18 is 5, 9/20 is 6, 9/21-24 is 10, 9/28-30 is 13, 10/8-9 is 15, 10/10 is 16,
		// 10/12-15 is 20.
		{"2026-09-11", 20, "2026-10-15", false},
		{"2025-01-24", 1, "2025-01-26", false}, // make-up Sunday before 春节 2025
		{"2025-12-31", 1, "2026-01-04", false}, // 1/1-1/3 off, 1/4 a make-up Sunday
		// Unpublished years: weekends only, provisional.
		{"2028-03-03", 1, "2028-03-06", true},  // a Friday
		{"2028-03-06", 0, "2028-03-06", false}, // nothing counted, nothing uncertain
		{"2026-12-30", 3, "2027-01-04", true},  // a span that crosses into 2027
		{"2026-12-28", 2, "2026-12-30", false}, // 2026 alone: not provisional
		{"2026-02-24", -1, "2026-02-14", false},
	} {
		got, prov := national.AddWorkdays(d(c.from), c.n)
		if got != d(c.want) || prov != c.prov {
			t.Errorf("%s + %d = %v provisional %v, want %s provisional %v", c.from, c.n, got, prov, c.want, c.prov)
		}
	}
}

func TestIsWorkday(t *testing.T) {
	for _, c := range []struct {
		day           string
		working, prov bool
	}{
		{"2025-01-01", false, false}, // 元旦
		{"2025-01-26", true, false},  // make-up Sunday
		{"2025-02-04", false, false}, // last day of 春节 2025
		{"2025-02-05", true, false},
		{"2025-02-08", true, false}, // make-up Saturday
		{"2025-04-04", false, false},
		{"2025-04-27", true, false},
		{"2025-05-05", false, false},
		{"2025-06-02", false, false},
		{"2025-09-28", true, false},
		{"2025-10-08", false, false},
		{"2025-10-11", true, false},
		{"2025-10-12", false, false}, // an ordinary Sunday
		{"2026-02-14", true, false},
		{"2026-02-23", false, false},
		{"2026-02-28", true, false},
		{"2026-05-09", true, false},
		{"2026-06-19", false, false},
		{"2026-09-20", true, false},
		{"2026-10-07", false, false},
		{"2026-10-10", true, false},
		{"2026-11-25", true, false}, // an ordinary Wednesday
		{"2028-01-01", false, true}, // a Saturday of an unpublished year
		{"2028-01-03", true, true},
	} {
		w, p := national.IsWorkday(d(c.day))
		if w != c.working || p != c.prov {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v, %v", c.day, w, p, c.working, c.prov)
		}
	}
}

func TestPublishedYears(t *testing.T) {
	for y := 2002; y <= 2026; y++ {
		if !calendar.Published(y) {
			t.Errorf("%d not published", y)
		}
	}
	// lunar-go v1.4.6 stops at 2026; when a release or holidays.txt brings 2027, check its days
	// against the notice here and move this line on.
	for _, y := range []int{2027, 2028} {
		if calendar.Published(y) {
			t.Errorf("%d published; check its days against the State Council notice", y)
		}
	}
	// 2025 as the notice of 2024-11-12 has it: 28 days off (元旦 1, 春节 8, 清明 3, 劳动节 5,
	// 端午 3, 国庆中秋 8) and 5 make-up working days.
	off, work := 0, 0
	for _, h := range calendar.Holidays(2025) {
		if h.Working {
			work++
		} else {
			off++
		}
	}
	if off != 28 || work != 5 {
		t.Errorf("2025: %d days off, %d make-up days; want 28 and 5", off, work)
	}
}

func TestOverrides(t *testing.T) {
	// Friday 2026-11-27 closed for the hall: a deadline that fell on it moves to Monday.
	closed := calendar.New([]calendar.Day{{Scope: 7, Day: d("2026-11-27"), Working: false}})
	if got, _ := national.AddWorkdays(d("2026-11-20"), 5); got != d("2026-11-27") {
		t.Fatalf("national: %v", got)
	}
	if got, prov := closed.AddWorkdays(d("2026-11-20"), 5); got != d("2026-11-30") || prov {
		t.Errorf("closed Friday: %v %v, want 2026-11-30", got, prov)
	}
	// An extra working Saturday pulls it in.
	extra := calendar.New([]calendar.Day{{Scope: 0, Day: d("2026-11-21"), Working: true}})
	if got, _ := extra.AddWorkdays(d("2026-11-20"), 5); got != d("2026-11-26") {
		t.Errorf("extra Saturday: %v, want 2026-11-26", got)
	}
	// A hall's own day wins over the every-hall one, whatever the order they come in.
	both := []calendar.Day{{Scope: 3, Day: d("2026-11-21"), Working: false}, {Scope: 0, Day: d("2026-11-21"), Working: true}}
	if w, _ := calendar.New(both).IsWorkday(d("2026-11-21")); w {
		t.Errorf("hall's closed day lost to the every-hall working day")
	}
	// An override in an unpublished year is certain: the administrator said so.
	c := calendar.New([]calendar.Day{{Day: d("2028-01-03"), Working: false}})
	if w, p := c.IsWorkday(d("2028-01-03")); w || p {
		t.Errorf("override in 2028: %v %v", w, p)
	}
}

// TestBetweenMatchesAdd walks many start days over the published years and into an unpublished
// one: the n-th working day after a is b exactly when WorkdaysBetween(a, b) is n and b is a
// working day, with the same provisional flag.
func TestBetweenMatchesAdd(t *testing.T) {
	c := calendar.New([]calendar.Day{{Scope: 1, Day: d("2026-03-10"), Working: false}, {Day: d("2026-03-14"), Working: true}})
	for a := d("2024-12-01"); a.Before(d("2027-03-01")); a = a.AddDays(3) {
		for _, n := range []int{-30, -7, -1, 0, 1, 2, 5, 7, 15, 20, 30, 366} {
			b, prov := c.AddWorkdays(a, n)
			got, prov2 := c.WorkdaysBetween(a, b)
			if got != n || prov2 != prov {
				t.Fatalf("%v %+d = %v (%v), but WorkdaysBetween = %d (%v)", a, n, b, prov, got, prov2)
			}
			if w, _ := c.IsWorkday(b); n != 0 && !w {
				t.Fatalf("%v %+d = %v, not a working day", a, n, b)
			}
			if n > 0 {
				if before, _ := c.WorkdaysBetween(a, b.AddDays(-1)); before != n-1 {
					t.Fatalf("%v %+d = %v, but %d working days the day before", a, n, b, before)
				}
			}
			if due, p := c.Due(a, n, nil); n >= 0 && (due != b || p != prov) {
				t.Fatalf("Due(%v, %d) = %v, AddWorkdays = %v", a, n, due, b)
			}
		}
	}
}

func TestClock(t *testing.T) {
	// A 20-working-day limit accepted Monday 2026-11-02: due Monday 11-30.
	start := d("2026-11-02")
	due, _ := national.Due(start, 20, nil)
	if due != d("2026-11-30") {
		t.Fatalf("due %v", due)
	}
	// A hearing Tuesday 11-10 to Thursday 11-12 stops the clock for 3 working days.
	hearing := []calendar.Pause{{From: d("2026-11-10"), To: d("2026-11-12")}}
	if due, _ := national.Due(start, 20, hearing); due != d("2026-12-03") {
		t.Errorf("due with hearing %v, want 2026-12-03", due)
	}
	if n, _ := national.Elapsed(start, d("2026-11-13"), hearing); n != 6 {
		t.Errorf("elapsed with hearing %d, want 6 (11/3-11/6, 11/9, 11/13)", n)
	}
	for _, c := range []struct {
		day   string
		used  int
		level calendar.Level
	}{
		{"2026-11-02", 0, calendar.Green},
		{"2026-11-20", 11, calendar.Green},
		{"2026-11-26", 15, calendar.Green},  // 75%
		{"2026-11-27", 16, calendar.Yellow}, // 80%
		{"2026-12-03", 20, calendar.Yellow}, // the due day: used up, still in time
		{"2026-12-04", 21, calendar.Red},
		{"2026-12-05", 21, calendar.Red}, // a Saturday after the due day
	} {
		p := national.Progress(start, 20, hearing, d(c.day))
		if p.Used != c.used || p.Level != c.level || p.Due != d("2026-12-03") || p.Provisional {
			t.Errorf("%s: %+v, want used %d %s", c.day, p, c.used, c.level)
		}
	}
	// A limit that runs into 2027 is provisional until its notice is in.
	if p := national.Progress(d("2026-12-15"), 15, nil, d("2026-12-16")); !p.Provisional || p.Due != d("2027-01-05") {
		t.Errorf("into 2027: %+v", p)
	}
	if calendar.Share(3, 0) != 1 || calendar.Share(4, 5) != 0.8 {
		t.Errorf("Share")
	}
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"", "2026-2-14", "2026/02/14", "20260214", "2026-02-30", "2026-13-01",
		"2026-00-10", "0000-01-01", "2026-02-1x", " 2026-02-14", "2026-02-14T00:00:00Z", "+026-02-14"} {
		if _, err := calendar.ParseDate(s); !errors.Is(err, calendar.ErrInvalid) {
			t.Errorf("ParseDate(%q) = %v, want ErrInvalid", s, err)
		}
	}
	if got, err := calendar.ParseDate("2028-02-29"); err != nil || got != (calendar.Date{Year: 2028, Month: time.February, Day: 29}) {
		t.Errorf("leap day: %v %v", got, err)
	}
	var v calendar.Date
	if err := v.UnmarshalText([]byte("2026-02-14")); err != nil || v.String() != "2026-02-14" {
		t.Errorf("text round trip: %v %v", v, err)
	}
	if calendar.DateOf(time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC).In(time.FixedZone("CST", 8*3600))) != d("2026-11-25") {
		t.Errorf("DateOf uses the location's date")
	}
}
