package cases

import (
	"time"

	"github.com/qhall/qhall/internal/calendar"
)

// Node is a service-time control node (服务时效控制节点).
type Node string

// The nodes: each runs on the hall's working-day calendar from its own start.
const (
	NodeReception Node = "reception" // 接待咨询: from opening the case until the review starts
	NodeReview    Node = "review"    // 审核受理: from the review's start until accepted, rejected or told (art. 32: 5 days)
	NodeHandling  Node = "handling"  // 办理反馈: the promised limit, from acceptance until completed, pauses not counted
)

// Limits are the working days each node allows and the share of a limit from which it shows
// yellow. The promised limit (handling) is the service's own, plus an approved extension.
type Limits struct {
	Reception int
	Review    int
	WarnShare float64
}

// DefaultLimits: reception on the day after at most, review within the 5 working days of
// 行政许可法 art. 32, yellow from 80% used.
var DefaultLimits = Limits{Reception: 1, Review: 5, WarnShare: calendar.WarnShare}

// Clock is where one node of a case stands.
type Clock struct {
	Node        Node           `json:"node"`
	Start       calendar.Date  `json:"start"`
	Used        int            `json:"used"`
	Limit       int            `json:"limit"`
	Due         calendar.Date  `json:"due"`
	Level       calendar.Level `json:"level"`
	Stopped     bool           `json:"stopped"` // the node is over (its end is recorded)
	Provisional bool           `json:"provisional"`
}

// Level colours a limit's progress with the configured share: red only after the due day,
// yellow from share used, green below.
func Level(p calendar.Progress, day calendar.Date, share float64) calendar.Level {
	switch {
	case day.After(p.Due):
		return calendar.Red
	case calendar.Share(p.Used, p.Limit) >= share:
		return calendar.Yellow
	}
	return calendar.Green
}

// clockOf measures a node started at start (an instant) on the hall's calendar: up to end
// when the node is over (end non-zero), else up to now.
func clockOf(cal *calendar.Calendar, loc *time.Location, node Node, start, end, now time.Time, limit int, pauses []calendar.Pause, share float64) Clock {
	sd := calendar.DateOf(start.In(loc))
	upto := now
	if !end.IsZero() {
		upto = end
	}
	day := calendar.DateOf(upto.In(loc))
	p := cal.Progress(sd, limit, pauses, day)
	return Clock{Node: node, Start: sd, Used: p.Used, Limit: limit, Due: p.Due, Level: Level(p, day, share), Stopped: !end.IsZero(),
		Provisional: p.Provisional}
}

// Measure is the nodes a case has reached, in order. The handling clock counts the service's
// promised limit plus an approved extension and skips the suspensions.
func (c *Case) Measure(cal *calendar.Calendar, loc *time.Location, now time.Time, lim Limits) []Clock {
	if lim.WarnShare <= 0 || lim.WarnShare > 1 {
		lim.WarnShare = calendar.WarnShare
	}
	var out []Clock
	recvEnd := c.ReviewAt
	if recvEnd.IsZero() && !c.State.Open() {
		recvEnd = c.firstEnd()
	}
	out = append(out, clockOf(cal, loc, NodeReception, c.OpenedAt, recvEnd, now, lim.Reception, nil, lim.WarnShare))
	if !c.ReviewAt.IsZero() {
		end := c.AcceptedAt
		if end.IsZero() {
			end = c.NoticeAt // telling all at once in time is what art. 32 asks
		}
		if end.IsZero() && c.State == Rejected {
			end = c.DecidedAt
		}
		out = append(out, clockOf(cal, loc, NodeReview, c.ReviewAt, end, now, lim.Review, nil, lim.WarnShare))
	}
	if !c.AcceptedAt.IsZero() {
		out = append(out, clockOf(cal, loc, NodeHandling, c.AcceptedAt, c.CompletedAt, now, c.LimitDays+c.ExtendedDays,
			c.Pauses(loc, now), lim.WarnShare))
	}
	return out
}

func (c *Case) firstEnd() time.Time {
	for _, t := range []time.Time{c.DecidedAt, c.CompletedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// Pauses are the case's suspensions as calendar days; a suspension still running reaches
// today.
func (c *Case) Pauses(loc *time.Location, now time.Time) []calendar.Pause {
	var out []calendar.Pause
	for _, s := range c.Suspensions {
		end := s.EndedAt
		if end.IsZero() {
			end = now
		}
		out = append(out, calendar.Pause{From: calendar.DateOf(s.StartedAt.In(loc)), To: calendar.DateOf(end.In(loc))})
	}
	return out
}

// Worst is the most urgent level of the clocks still running.
func Worst(clocks []Clock) calendar.Level {
	w := calendar.Green
	for _, k := range clocks {
		if k.Stopped {
			continue
		}
		switch {
		case k.Level == calendar.Red:
			return calendar.Red
		case k.Level == calendar.Yellow:
			w = calendar.Yellow
		}
	}
	return w
}
