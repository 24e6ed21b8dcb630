package queue

import (
	"fmt"
	"strconv"
	"time"
)

// The rules of the queue that need no database: plain functions that unit tests call directly.

// FormatNumber is the number printed on a ticket and called aloud: prefix and three digits.
func FormatNumber(prefix string, n int) string {
	return fmt.Sprintf("%s%03d", prefix, n)
}

// EstimateWait is the wait told to a citizen: the people ahead are shared among the windows
// that serve the service, each taking the mean handling time. With no window open yet it counts
// one, since the hall opens windows when people wait.
func EstimateWait(ahead int, meanHandle time.Duration, servers int) time.Duration {
	if ahead <= 0 {
		return 0
	}
	if servers < 1 {
		servers = 1
	}
	return time.Duration(ahead) * meanHandle / time.Duration(servers)
}

// PriorityFirst tells whether a window calls priority (green-channel) tickets before ordinary
// ones on its next call: yes, until it has called maxStreak priority tickets in a row; then one
// ordinary ticket goes first, so ordinary tickets never starve behind a stream of priority ones.
func PriorityFirst(streak, maxStreak int) bool {
	if maxStreak < 1 {
		return true
	}
	return streak < maxStreak
}

// NextStreak is the window's run of priority calls after calling a ticket.
func NextStreak(streak int, calledPriority bool) int {
	if calledPriority {
		return streak + 1
	}
	return 0
}

// Pause reasons a clerk may give (暂停服务的原因).
var PauseReasons = []string{"break", "phone", "meeting", "material", "equipment", "other"}

// MaxPhoneMinutes is how long a phone call may pause a window without approval (seed 003:
// private calls no longer than two minutes).
const MaxPhoneMinutes = 2

// MaxPauseMinutes bounds any pause request.
const MaxPauseMinutes = 240

// NeedsApproval tells whether a pause needs a supervisor's approval: pauses longer than the
// hall allows freely, phone calls over two minutes, and any pause while the hall is at its peak
// (seed 003: no pausing at will).
func NeedsApproval(reason string, minutes, freeMinutes, waiting, peakWaiting int) bool {
	if reason == "phone" && minutes > MaxPhoneMinutes {
		return true
	}
	if minutes > freeMinutes {
		return true
	}
	return peakWaiting > 0 && waiting >= peakWaiting
}

func validPauseReason(r string) bool {
	for _, p := range PauseReasons {
		if p == r {
			return true
		}
	}
	return false
}

// ParseNumber splits a ticket number such as "A012" into its prefix and number.
func ParseNumber(s string) (prefix string, n int, ok bool) {
	i := 0
	for i < len(s) && (s[i] < '0' || s[i] > '9') {
		i++
	}
	if i == 0 || i == len(s) || i > 4 {
		return "", 0, false
	}
	// Numbers run to a few thousand a day; more than six digits is no ticket (and would not fit
	// PostgreSQL's INTEGER column).
	if len(s)-i > 6 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return s[:i], n, true
}
