package appointments

import (
	"strings"
	"time"
)

// Settings are a hall's appointment rules.
type Settings struct {
	SlotMinutes      int `json:"slot_minutes"`       // length of a slot
	DaysAhead        int `json:"days_ahead"`         // how many days ahead one may book (today is day 0)
	LeadMinutes      int `json:"lead_minutes"`       // a slot is booked at least this long before it starts
	ChangeBeforeMin  int `json:"change_before_min"`  // cancel or reschedule until this long before the slot
	CheckinBeforeMin int `json:"checkin_before_min"` // check-in opens this long before the slot
	CheckinAfterMin  int `json:"checkin_after_min"`  // and closes this long after its start
	SharePercent     int `json:"share_percent"`      // share of the windows' time offered to bookings
	NoShowLimit      int `json:"noshow_limit"`       // this many no-shows ...
	NoShowDays       int `json:"noshow_days"`        // ... within this many days ...
	SuspendDays      int `json:"suspend_days"`       // ... suspend booking for this many days
}

// Defaults are the rules of a hall that has set none.
var Defaults = Settings{SlotMinutes: 30, DaysAhead: 7, LeadMinutes: 60, ChangeBeforeMin: 120, CheckinBeforeMin: 30,
	CheckinAfterMin: 10, SharePercent: 50, NoShowLimit: 3, NoShowDays: 90, SuspendDays: 30}

// Valid tells which setting is out of range ("" when all are fine).
func (s Settings) Valid() string {
	switch {
	case s.SlotMinutes < 5 || s.SlotMinutes > 240 || 24*60%s.SlotMinutes != 0:
		return "slot_minutes"
	case s.DaysAhead < 0 || s.DaysAhead > 90:
		return "days_ahead"
	case s.LeadMinutes < 0 || s.LeadMinutes > 7*24*60:
		return "lead_minutes"
	case s.ChangeBeforeMin < 0 || s.ChangeBeforeMin > 7*24*60:
		return "change_before_min"
	case s.CheckinBeforeMin < 0 || s.CheckinBeforeMin > 240:
		return "checkin_before_min"
	case s.CheckinAfterMin < 0 || s.CheckinAfterMin > 240:
		return "checkin_after_min"
	case s.SharePercent < 1 || s.SharePercent > 100:
		return "share_percent"
	case s.NoShowLimit < 1 || s.NoShowLimit > 100:
		return "noshow_limit"
	case s.NoShowDays < 1 || s.NoShowDays > 3650:
		return "noshow_days"
	case s.SuspendDays < 0 || s.SuspendDays > 3650:
		return "suspend_days"
	}
	return ""
}

// SlotCapacity is how many bookings a slot of a service takes: the windows serving the service
// could handle slotMinutes/stdMinutes citizens each in the slot, a window serving n services
// giving each of them 1/n of its time; sharePercent of that is offered to bookings, the rest
// kept for walk-ins. windowLoads holds, for every window serving the service, the number of
// services it serves. A service some window serves gets at least one place.
func SlotCapacity(slotMinutes, stdMinutes int, windowLoads []int, sharePercent int) int {
	if stdMinutes <= 0 {
		stdMinutes = 10
	}
	var windows float64
	for _, n := range windowLoads {
		if n > 0 {
			windows += 1 / float64(n)
		}
	}
	if windows == 0 {
		return 0
	}
	c := int(windows * float64(slotMinutes) / float64(stdMinutes) * float64(sharePercent) / 100)
	return max(c, 1)
}

// Span is when a booking may be checked in for its slot time: from before its start until after
// it. Later the citizen may still check in, and joins the walk-ins.
func (s Settings) Span(start time.Time) (from, until time.Time) {
	return start.Add(-time.Duration(s.CheckinBeforeMin) * time.Minute), start.Add(time.Duration(s.CheckinAfterMin) * time.Minute)
}

// Suspended tells whether noShows (their times) within the window of days before now reach the
// limit: then booking is suspended until the last of them plus SuspendDays.
func (s Settings) Suspended(noShows []time.Time, now time.Time) (bool, time.Time) {
	since := now.AddDate(0, 0, -s.NoShowDays)
	var n int
	var last time.Time
	for _, t := range noShows {
		if t.After(since) && !t.After(now) {
			n++
			if t.After(last) {
				last = t
			}
		}
	}
	if n < s.NoShowLimit {
		return false, time.Time{}
	}
	until := last.AddDate(0, 0, s.SuspendDays)
	return until.After(now), until
}

// idWeights are GB 11643's weights of the first 17 digits; idCheck maps the weighted sum mod
// 11 to the check character.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10X98765432"

// ValidID tells whether s is a mainland resident ID number (18 characters, 17 digits and a
// check character) whose check character is right by GB 11643. A lower-case x is accepted.
func ValidID(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
	}
	return idCheck[sum%11] == last
}

// NormalizeID trims and upper-cases an ID number.
func NormalizeID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// NormalizePhone keeps the digits of a mainland mobile number, dropping spaces, hyphens and a
// leading +86 or 86; it returns "" when the rest is not 11 digits beginning 13 to 19.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case c == ' ' || c == '-' || c == '+':
		default:
			return ""
		}
	}
	d := b.String()
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		d = d[2:]
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' {
		return ""
	}
	return d
}
