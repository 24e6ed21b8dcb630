// Package calendar counts working days (服务时效的日历): weekends, the public holidays and make-up
// working days (调休) of the State Council's yearly notices, and the days an administrator
// closes or opens for every hall (scope 0) or for one hall (scope = the hall's id).
//
// Counting follows the law (行政许可法 art. 82: periods in working days; the day a period starts
// is not counted): "N working days from D" is the N-th working day after D, and for N = 0 it is
// D itself. A hall's opening hours, weekend service included, do not change the count.
//
// The national data come from github.com/6tail/lunar-go (HolidayUtil): pure Go with no cgo and
// no network, MIT, maintained by one author since 2020 who adds each year's notice within days
// of its publication (v1.4.6, 2025-11-05, added 2026), and it carries the make-up working days,
// which plain holiday lists (and weekday-only business-day libraries) lack. Its 2025 and 2026
// days were checked against the notices. A year whose notice the data lack is counted by
// weekends alone and every answer that depends on such a day says provisional, so callers can
// store the flag and recompute when a release (or holidays.txt, embedded, which corrects and
// extends the library without waiting for it) brings the year.
//
// Dates are civil dates (Date), never instants: callers turn an instant into the hall's local
// date with DateOf(t.In(zone)). The arithmetic is pure functions over a Calendar value, which
// Load builds from the overrides stored in calendar_days.
//
// Tables owned (only this package writes them): calendar_days.
package calendar

// Calendar is the national data plus one scope's overrides. It is read-only once built, so it
// may be shared between goroutines.
type Calendar struct {
	src       *source
	overrides map[Date]bool // day -> working
}

// New is the calendar of the national data with the given overrides. A hall's own day (scope
// other than 0) wins over an every-hall day (scope 0) on the same date.
func New(days []Day) *Calendar {
	c := &Calendar{src: builtin(), overrides: make(map[Date]bool, len(days))}
	for _, global := range []bool{true, false} {
		for _, d := range days {
			if (d.Scope == 0) == global {
				c.overrides[d.Day] = d.Working
			}
		}
	}
	return c
}

// IsWorkday tells whether day is a working day. It is provisional when it follows only from the
// weekday rule in a year whose notice is not yet in the data.
func (c *Calendar) IsWorkday(day Date) (working, provisional bool) {
	if w, ok := c.overrides[day]; ok {
		return w, false
	}
	if h, ok := c.src.days[day]; ok {
		return h.Working, false
	}
	wd := day.Weekday()
	return wd != 0 && wd != 6, !c.src.published[day.Year]
}

// Published reports whether year's notice is in the data.
func (c *Calendar) Published(year int) bool { return c.src.published[year] }

// AddWorkdays is the n-th working day after from; from itself for n = 0; for n < 0 the |n|-th
// working day before from. It is provisional when any day it had to judge was.
func (c *Calendar) AddWorkdays(from Date, n int) (Date, bool) {
	if n < 0 {
		return c.walk(from, -n, -1, nil)
	}
	return c.walk(from, n, 1, nil)
}

// walk steps a day at a time (step = ±1) from from until it has met n working days outside the
// pauses, and stops on the last of them.
func (c *Calendar) walk(from Date, n, step int, pauses []Pause) (Date, bool) {
	d, prov := from, false
	for n > 0 {
		d = d.AddDays(step)
		if paused(d, pauses) {
			continue
		}
		w, p := c.IsWorkday(d)
		prov = prov || p
		if w {
			n--
		}
	}
	return d, prov
}

// WorkdaysBetween is the signed number of working days from a to b, counting the day arrived at
// and not the day left: the working days in (a, b] when a <= b, and minus those in [b, a)
// otherwise. So AddWorkdays(a, n) = b gives WorkdaysBetween(a, b) = n for every n.
func (c *Calendar) WorkdaysBetween(a, b Date) (int, bool) {
	if b.Before(a) {
		n, prov := c.count(b.AddDays(-1), a.AddDays(-1), nil)
		return -n, prov
	}
	return c.count(a, b, nil)
}

// Pause is a stretch, both ends included, during which a case clock stops: hearings, testing,
// expert review (行政许可法 art. 45). Its working days are not counted against the limit.
type Pause struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

func paused(d Date, pauses []Pause) bool {
	for _, p := range pauses {
		if !d.Before(p.From) && !d.After(p.To) {
			return true
		}
	}
	return false
}

// count is the working days in (a, b] outside the pauses; 0 when b is not after a.
func (c *Calendar) count(a, b Date, pauses []Pause) (n int, prov bool) {
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if paused(d, pauses) {
			continue
		}
		w, p := c.IsWorkday(d)
		prov = prov || p
		if w {
			n++
		}
	}
	return n, prov
}

// Elapsed is the working days of a clock started on start that have passed by the end of day:
// those in (start, day] outside the pauses (0 when day is not after start).
func (c *Calendar) Elapsed(start, day Date, pauses []Pause) (int, bool) {
	return c.count(start, day, pauses)
}

// Due is the last day of a limit of n working days started on start, the paused days not
// counted: with no pauses, AddWorkdays(start, n). A limit of 0 or less is due on start.
func (c *Calendar) Due(start Date, n int, pauses []Pause) (Date, bool) {
	return c.walk(start, max(n, 0), 1, pauses)
}

// Level is how far a time limit has gone.
type Level string

const (
	Green  Level = "green"  // under WarnShare of the limit used
	Yellow Level = "yellow" // WarnShare or more used, not yet past the due day
	Red    Level = "red"    // past the due day: overdue
)

// WarnShare is the share of a limit used from which it shows yellow.
const WarnShare = 0.8

// Progress is where a time limit stands on a given day.
type Progress struct {
	Used        int     `json:"used"`  // working days elapsed, pauses excluded
	Limit       int     `json:"limit"` // working days allowed
	Share       float64 `json:"share"` // Used/Limit; may pass 1 when overdue
	Due         Date    `json:"due"`
	Level       Level   `json:"level"`
	Provisional bool    `json:"provisional"`
}

// Share is the share of a limit used; a limit of 0 or less counts as all used.
func Share(used, limit int) float64 {
	if limit <= 0 {
		return 1
	}
	return float64(used) / float64(limit)
}

// Progress is the state on day of a limit of limit working days started on start. It is red
// only after the due day: on the due day itself the limit is used up but still kept.
func (c *Calendar) Progress(start Date, limit int, pauses []Pause, day Date) Progress {
	used, p1 := c.Elapsed(start, day, pauses)
	due, p2 := c.Due(start, limit, pauses)
	pr := Progress{Used: used, Limit: limit, Share: Share(used, limit), Due: due, Level: Green, Provisional: p1 || p2}
	switch {
	case day.After(due):
		pr.Level = Red
	case pr.Share >= WarnShare:
		pr.Level = Yellow
	}
	return pr
}
