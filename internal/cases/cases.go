// Package cases follows a matter after the counter (办件): the case opened for a called ticket,
// the materials checked against the service's checklist, ONE one-time notice (一次性告知书) for
// everything missing or faulty, the citizen's return with the notice's code, the outcome
// (受理, 容缺受理, 不予受理), the work of a back-office department (前台综合受理、后台分类审批),
// suspensions that stop the clock, one extension with a leader's approval, completion and the
// result handed out at the pickup window (统一窗口出件). The steps are a transition table
// (machine.go); every step is one transaction with its timeline row, its audit line and an
// event. The time limits of each node run on the hall's working-day calendar (clock.go), and a
// scheduled job records each node that goes overdue and accepts, as art. 32 of the
// Administrative Licensing Law says, a matter whose notice is late.
//
// Tables owned (only this package writes them): cases, case_events, case_materials, notices,
// case_suspensions, handoffs, case_overdue, departments, department_members.
package cases

import (
	"strings"
	"time"

	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/store"
)

// Topic is published (key: the hall) by every change of a case, for the work lists.
const Topic events.Topic = "cases"

// Service runs the cases on a database. Now is the clock; tests set it.
type Service struct {
	DB     *store.DB
	Queue  *queue.Engine
	Now    func() time.Time
	Limits Limits
}

// New returns the cases of db with the real clock and the default limits.
func New(db *store.DB, q *queue.Engine) *Service {
	return &Service{DB: db, Queue: q, Now: time.Now, Limits: DefaultLimits}
}

// Material statuses of the checklist.
const (
	OK      = "ok"
	Missing = "missing"
	Faulty  = "faulty"
	NA      = "na" // not required in this applicant's situation ("when required")
)

// MaterialCheck is one item of the checklist with what the clerk found.
type MaterialCheck struct {
	Position     int    `json:"position"`
	Name         string `json:"name"`
	Original     bool   `json:"original"`
	Copies       int    `json:"copies"`
	RequiredWhen string `json:"required_when,omitempty"`
	Status       string `json:"status"`
	Note         string `json:"note,omitempty"`
}

// Suspension is a stopped clock.
type Suspension struct {
	Reason    string    `json:"reason"`
	StartedAt time.Time `json:"started_at"`
	EndedAt   time.Time `json:"ended_at,omitzero"`
}

// Suspension reasons (行政许可法 art. 45).
var SuspendReasons = []string{"hearing", "testing", "expert"}

// Event is one row of a case's timeline.
type Event struct {
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Step  string    `json:"step"`
	From  State     `json:"from"`
	To    State     `json:"to"`
	Note  string    `json:"note,omitempty"`
}

// Case is one matter. Applicant and Phone are masked whenever a case leaves this package.
type Case struct {
	ID             int64           `json:"id"`
	HallID         int64           `json:"hall"`
	ServiceID      int64           `json:"service"`
	ServiceName    string          `json:"service_name"`
	Number         string          `json:"number"`
	State          State           `json:"state"`
	TicketID       int64           `json:"ticket,omitempty"`
	LastTicketID   int64           `json:"last_ticket,omitempty"`
	Applicant      string          `json:"applicant"`
	Phone          string          `json:"phone,omitempty"`
	Assisted       bool            `json:"assisted"`
	AssistNote     string          `json:"assist_note,omitempty"`
	Dishonest      bool            `json:"dishonest"`
	OpenedAt       time.Time       `json:"opened_at"`
	ReviewAt       time.Time       `json:"review_at,omitzero"`
	NoticeAt       time.Time       `json:"notice_at,omitzero"`
	AcceptedAt     time.Time       `json:"accepted_at,omitzero"`
	DecidedAt      time.Time       `json:"decided_at,omitzero"`
	CompletedAt    time.Time       `json:"completed_at,omitzero"`
	DeliveredAt    time.Time       `json:"delivered_at,omitzero"`
	LimitDays      int             `json:"limit_days"`
	ExtendedDays   int             `json:"extended_days"`
	DepartmentID   int64           `json:"department,omitempty"`
	DepartmentName string          `json:"department_name,omitempty"`
	PendingItem    string          `json:"pending_item,omitempty"`
	PendingDue     string          `json:"pending_due,omitempty"`
	Returns        int             `json:"returns"`
	RejectRule     string          `json:"reject_rule,omitempty"`
	ResultNote     string          `json:"result_note,omitempty"`
	PickupWindowID int64           `json:"pickup_window,omitempty"`
	Materials      []MaterialCheck `json:"materials"`
	Notice         *Notice         `json:"notice,omitempty"`
	Suspensions    []Suspension    `json:"suspensions"`
	Events         []Event         `json:"events,omitempty"`
	Clocks         []Clock         `json:"clocks"`
	Level          calendar.Level  `json:"level"`
	Due            calendar.Date   `json:"due"` // the promised limit's last day, once accepted
	Allowed        []Step          `json:"allowed"`
}

const caseCols = `c.id, c.hall_id, c.service_id, s.name, c.number, c.state, COALESCE(c.ticket_id, 0), COALESCE(c.last_ticket_id, 0),
	c.applicant, c.phone, c.assisted, c.assist_note, c.dishonest, c.opened_at, c.review_at, c.accepted_at, c.decided_at,
	c.completed_at, c.delivered_at, c.limit_days, c.extended_days, COALESCE(c.department_id, 0), COALESCE(d.name, ''),
	c.pending_item, c.pending_due, c.returns, c.reject_rule, c.result_note, COALESCE(c.pickup_window_id, 0),
	COALESCE(n.issued_at, 0)`

const caseFrom = ` FROM cases c JOIN services s ON s.id = c.service_id LEFT JOIN departments d ON d.id = c.department_id
	LEFT JOIN notices n ON n.case_id = c.id `

func ms(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v)
}

func scanCase(row interface{ Scan(...any) error }) (*Case, error) {
	var c Case
	var state string
	var assisted, dishonest int
	var opened, review, accepted, decided, completed, delivered, notice int64
	err := row.Scan(&c.ID, &c.HallID, &c.ServiceID, &c.ServiceName, &c.Number, &state, &c.TicketID, &c.LastTicketID,
		&c.Applicant, &c.Phone, &assisted, &c.AssistNote, &dishonest, &opened, &review, &accepted, &decided, &completed, &delivered,
		&c.LimitDays, &c.ExtendedDays, &c.DepartmentID, &c.DepartmentName, &c.PendingItem, &c.PendingDue, &c.Returns,
		&c.RejectRule, &c.ResultNote, &c.PickupWindowID, &notice)
	if err != nil {
		return nil, err
	}
	c.State, c.Assisted, c.Dishonest = State(state), assisted == 1, dishonest == 1
	c.OpenedAt, c.ReviewAt, c.AcceptedAt, c.DecidedAt = ms(opened), ms(review), ms(accepted), ms(decided)
	c.CompletedAt, c.DeliveredAt, c.NoticeAt = ms(completed), ms(delivered), ms(notice)
	c.Materials, c.Suspensions = []MaterialCheck{}, []Suspension{}
	return &c, nil
}

// maskName keeps a name's first character: 张三 → 张*, 欧阳娜娜 → 欧***.
func maskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 1 {
		return string(r)
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

// masked is the case as any screen shows it.
func (c *Case) masked() *Case {
	c.Applicant = maskName(c.Applicant)
	return c
}

// finish fills what is derived: the clocks on the hall's calendar, the worst level, the due
// day and the steps open now.
func (c *Case) finish(cal *calendar.Calendar, h *org.Hall, now time.Time, lim Limits) {
	c.Clocks = c.Measure(cal, h.Location(), now, lim)
	c.Level = Worst(c.Clocks)
	for _, k := range c.Clocks {
		if k.Node == NodeHandling {
			c.Due = k.Due
		}
	}
	c.Allowed = Allowed(c.State)
	if c.Allowed == nil {
		c.Allowed = []Step{}
	}
}
