package org

import (
	"strconv"
	"strings"
	"time"
)

// Hours is when a hall (or a service) issues tickets. Windows may open ReadyBefore the opening
// time to get ready; tickets issued before closing are all served, however late.
type Hours struct {
	Always   bool
	Open     string // "HH:MM"
	Close    string // "HH:MM"
	Weekdays string // ISO weekday digits, 1 = Monday .. 7 = Sunday
	Loc      *time.Location
}

// ReadyBefore is how long before opening a window may open (seed 003: ten minutes).
const ReadyBefore = 10 * time.Minute

// IssuesAt tells whether tickets are issued at t.
func (h Hours) IssuesAt(t time.Time) bool {
	if h.Always {
		return true
	}
	return h.within(t, 0)
}

// WindowsMayOpenAt tells whether a window may open at t: from ten minutes before opening until
// closing (after closing, a window already open keeps serving who is waiting).
func (h Hours) WindowsMayOpenAt(t time.Time) bool {
	if h.Always {
		return true
	}
	return h.within(t, ReadyBefore)
}

func (h Hours) within(t time.Time, early time.Duration) bool {
	loc := h.Loc
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	if !strings.Contains(h.Weekdays, strconv.Itoa(wd)) {
		return false
	}
	open, ok1 := ClockMinutes(h.Open)
	closing, ok2 := ClockMinutes(h.Close)
	if !ok1 || !ok2 {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	return m >= open-int(early/time.Minute) && m < closing
}

// ClockMinutes parses "HH:MM" into minutes after midnight.
func ClockMinutes(s string) (int, bool) {
	hh, mm, ok := strings.Cut(s, ":")
	if !ok {
		return 0, false
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || h > 24 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, false
	}
	return h*60 + m, true
}

// InClockRange tells whether t (in loc) lies in [start, end) given as "HH:MM"; an empty range is
// always true (a service without its own issuing hours follows the hall's).
func InClockRange(t time.Time, loc *time.Location, start, end string) bool {
	if start == "" || end == "" {
		return true
	}
	s, ok1 := ClockMinutes(start)
	e, ok2 := ClockMinutes(end)
	if !ok1 || !ok2 {
		return true
	}
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	return m >= s && m < e
}
