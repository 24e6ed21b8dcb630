package cases

import (
	"testing"
	"time"

	"github.com/qhall/qhall/internal/calendar"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func day(s string) calendar.Date { d, _ := calendar.ParseDate(s); return d }

func at(s string) time.Time {
	t, _ := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	return t
}

func handling(t *testing.T, c *Case, now string, lim Limits) Clock {
	t.Helper()
	for _, k := range c.Measure(calendar.New(nil), shanghai, at(now), lim) {
		if k.Node == NodeHandling {
			return k
		}
	}
	t.Fatal("no handling clock")
	return Clock{}
}

// A 5-day limit accepted the day before the Spring Festival 2026 make-up Saturday (2-14) runs
// over the holiday (2-15..2-23): days 13th, 14th, then 24th, 25th, 26th.
func TestLimitAcrossSpringFestival2026(t *testing.T) {
	c := &Case{State: Processing, OpenedAt: at("2026-02-12 09:00"), ReviewAt: at("2026-02-12 09:05"), AcceptedAt: at("2026-02-12 09:30"), LimitDays: 5}
	for _, tc := range []struct {
		now   string
		used  int
		level calendar.Level
	}{
		{"2026-02-14 10:00", 2, calendar.Green},
		{"2026-02-20 10:00", 2, calendar.Green}, // the holiday does not count
		{"2026-02-24 10:00", 3, calendar.Green},
		{"2026-02-25 10:00", 4, calendar.Yellow}, // 80% used
		{"2026-02-26 16:00", 5, calendar.Yellow}, // the due day itself is still kept
		{"2026-02-27 09:00", 6, calendar.Red},
	} {
		k := handling(t, c, tc.now, DefaultLimits)
		if k.Due != day("2026-02-26") || k.Used != tc.used || k.Level != tc.level || k.Provisional {
			t.Errorf("%s: %+v; want due 2026-02-26, used %d, %s", tc.now, k, tc.used, tc.level)
		}
	}
	// A configured share: yellow from half the limit.
	if k := handling(t, c, "2026-02-24 10:00", Limits{Reception: 1, Review: 5, WarnShare: 0.5}); k.Level != calendar.Yellow {
		t.Errorf("share 0.5 on 3/5 used: %s", k.Level)
	}
}

// National Day 2025: from 9-26 plus 5 working days is 10-10 (9-28 Sunday is a make-up day,
// 10-1..10-8 off). A suspension on 9-29..9-30 stops the clock: 10-11 (make-up Saturday) and
// 10-13 then count, and the case is due on 10-13; an extension of 10 more days moves it on.
func TestLimitAcrossNationalDayWithSuspensionAndExtension(t *testing.T) {
	c := &Case{State: Processing, OpenedAt: at("2025-09-26 09:00"), ReviewAt: at("2025-09-26 09:00"), AcceptedAt: at("2025-09-26 10:00"), LimitDays: 5}
	if k := handling(t, c, "2025-10-10 10:00", DefaultLimits); k.Due != day("2025-10-10") || k.Level != calendar.Yellow {
		t.Fatalf("no pause: %+v", k)
	}
	if k := handling(t, c, "2025-10-11 10:00", DefaultLimits); k.Level != calendar.Red {
		t.Fatalf("no pause, day after due: %+v", k)
	}
	c.Suspensions = []Suspension{{Reason: "expert", StartedAt: at("2025-09-29 09:00"), EndedAt: at("2025-09-30 17:00")}}
	k := handling(t, c, "2025-10-11 10:00", DefaultLimits)
	if k.Due != day("2025-10-13") || k.Used != 4 || k.Level != calendar.Yellow {
		t.Fatalf("paused: %+v; want due 2025-10-13, used 4, yellow", k)
	}
	// A suspension still running keeps the clock stopped up to today.
	c.Suspensions = []Suspension{{Reason: "hearing", StartedAt: at("2025-09-29 09:00")}}
	if k := handling(t, c, "2025-10-20 10:00", DefaultLimits); k.Used != 1 || k.Level != calendar.Green {
		t.Fatalf("running suspension: %+v", k)
	}
	c.Suspensions = nil
	c.ExtendedDays = 10
	if k := handling(t, c, "2025-10-13 10:00", DefaultLimits); k.Limit != 15 || k.Due != day("2025-10-23") || k.Level != calendar.Green {
		t.Fatalf("extended: %+v", k)
	}
}

// The review node (art. 32: 5 working days) ends with the notice; the reception node ends when
// the review starts.
func TestNodesStopAtTheirEnd(t *testing.T) {
	c := &Case{State: Correction, OpenedAt: at("2026-03-02 09:00"), ReviewAt: at("2026-03-02 09:10"), NoticeAt: at("2026-03-03 10:00")}
	ks := c.Measure(calendar.New(nil), shanghai, at("2026-03-30 10:00"), DefaultLimits)
	if len(ks) != 2 || !ks[0].Stopped || !ks[1].Stopped || ks[1].Used != 1 || ks[1].Level != calendar.Green || Worst(ks) != calendar.Green {
		t.Fatalf("%+v", ks)
	}
	c = &Case{State: Review, OpenedAt: at("2026-03-02 09:00"), ReviewAt: at("2026-03-02 09:10")}
	ks = c.Measure(calendar.New(nil), shanghai, at("2026-03-10 10:00"), DefaultLimits)
	if ks[1].Level != calendar.Red || ks[1].Due != day("2026-03-09") || Worst(ks) != calendar.Red {
		t.Fatalf("review without notice: %+v", ks[1])
	}
}
