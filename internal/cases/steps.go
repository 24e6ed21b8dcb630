package cases

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// StepInput is one step with what it needs.
type StepInput struct {
	Step       Step   `json:"step"`
	Note       string `json:"note"`
	Rule       string `json:"rule"`       // reject: the rule cited
	Rights     string `json:"rights"`     // reject: the citizen's rights to appeal (default text when empty)
	Item       string `json:"item"`       // accept_lack: the secondary item that follows
	Due        string `json:"due"`        // accept_lack: YYYY-MM-DD, within the promised limit
	Department int64  `json:"department"` // assign
	Reason     string `json:"reason"`     // suspend: hearing, testing or expert
	Days       int    `json:"days"`       // extend: working days added (default the law's 10)
	Window     int64  `json:"window"`     // deliver: the pickup window
}

// stepPerm is the permission each step needs besides case:step; the department's steps are
// open to its handlers.
var stepPerm = map[Step][]authz.Permission{
	StepReview: {authz.CaseWork}, StepNotice: {authz.CaseWork}, StepReturn: {authz.CaseWork}, StepAccept: {authz.CaseWork},
	StepAcceptLack: {authz.CaseWork}, StepReject: {authz.CaseWork}, StepAssign: {authz.CaseWork}, StepDeliver: {authz.CaseWork},
	StepSuspend: {authz.CaseWork, authz.CaseHandle}, StepResume: {authz.CaseWork, authz.CaseHandle},
	StepComplete: {authz.CaseWork, authz.CaseHandle}, StepSupplement: {authz.CaseWork, authz.CaseHandle},
	StepExtend: {authz.CaseExtend},
}

// DefaultRights is told to a citizen whose matter is not accepted (行政许可法 art. 32, 38).
const DefaultRights = "如对本决定不服，可以自收到本告知之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"

// ExtendDays is the law's extension (art. 42: 20 working days, +10 with the head's approval).
const ExtendDays = 10

// Step takes a step on a case. The notice has its own operation (IssueNotice).
func (s *Service) Step(ctx context.Context, a staff.Actor, id int64, in StepInput) (*Case, error) {
	if in.Step == StepNotice || in.Step == StepAutoAccept {
		return nil, apperr.New(apperr.Invalid, "case_unknown_step", string(in.Step))
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		c, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		perms, ok := stepPerm[in.Step]
		if !ok {
			return apperr.New(apperr.Invalid, "case_unknown_step", string(in.Step))
		}
		var denied error
		for _, p := range perms {
			if denied = may(ctx, tx, a, p, c); denied == nil {
				break
			}
		}
		if denied != nil {
			return denied
		}
		return s.stepTx(ctx, tx, a, c, in, s.Now())
	})
	if err != nil {
		return nil, fmt.Errorf("cases: %s: %w", in.Step, err)
	}
	return s.Get(ctx, a, id)
}

// stepTx checks the transition and the step's own conditions, writes it, and moves c along.
func (s *Service) stepTx(ctx context.Context, tx *store.Tx, a staff.Actor, c *Case, in StepInput, now time.Time) error {
	to, err := Next(c.State, in.Step)
	if err != nil {
		return err
	}
	for _, f := range [][2]string{{"note", in.Note}, {"rule", in.Rule}, {"rights", in.Rights}, {"item", in.Item}} {
		if err := checkText(f[0], f[1], false); err != nil {
			return err
		}
	}
	set := []string{"state = ?", "updated_at = ?"}
	args := []any{string(to), now.UnixMilli()}
	add := func(col string, v any) { set = append(set, col+" = ?"); args = append(args, v) }
	detail := map[string]any{}
	note := strings.TrimSpace(in.Note)
	switch in.Step {
	case StepReview:
		add("review_at", now.UnixMilli())
	case StepAccept, StepAutoAccept:
		for _, m := range c.Materials {
			if in.Step == StepAccept && (m.Status == Missing || m.Status == Faulty) {
				return apperr.New(apperr.Conflict, "case_materials_short", m.Name)
			}
		}
		add("accepted_at", now.UnixMilli())
		add("decided_at", now.UnixMilli())
	case StepAcceptLack:
		if c.Dishonest {
			return apperr.New(apperr.Conflict, "case_lack_dishonest")
		}
		if err := checkText("item", in.Item, true); err != nil {
			return err
		}
		due, err := calendar.ParseDate(in.Due)
		if err != nil {
			return apperr.New(apperr.Invalid, "case_bad_date", in.Due)
		}
		h, cal, err := hallCal(ctx, tx, c.HallID)
		if err != nil {
			return err
		}
		today := calendar.DateOf(now.In(h.Location()))
		limit, _ := cal.AddWorkdays(today, c.LimitDays)
		if !due.After(today) || due.After(limit) {
			return apperr.New(apperr.Invalid, "case_lack_due", limit.String())
		}
		add("accepted_at", now.UnixMilli())
		add("decided_at", now.UnixMilli())
		add("pending_item", strings.TrimSpace(in.Item))
		add("pending_due", due.String())
		detail["item"], detail["due"] = in.Item, due.String()
		note = "容缺受理：" + strings.TrimSpace(in.Item) + "（" + due.String() + "前补交）"
	case StepReject:
		if err := checkText("rule", in.Rule, true); err != nil {
			return err
		}
		rights := strings.TrimSpace(in.Rights)
		if rights == "" {
			rights = DefaultRights
		}
		add("reject_rule", strings.TrimSpace(in.Rule)+"\n"+rights)
		add("decided_at", now.UnixMilli())
		note = strings.TrimSpace(in.Rule)
	case StepAssign:
		var hall int64
		var name string
		err := tx.QueryRow(ctx, "SELECT hall_id, name FROM departments WHERE id = ? AND active = 1", in.Department).Scan(&hall, &name)
		if errors.Is(err, sql.ErrNoRows) || err == nil && hall != c.HallID {
			return apperr.New(apperr.Invalid, "case_bad_department", in.Department)
		}
		if err != nil {
			return err
		}
		add("department_id", in.Department)
		detail["department"] = in.Department
		note = strings.TrimSpace(name + " " + note)
	case StepSupplement:
		if c.PendingItem == "" {
			return apperr.New(apperr.Conflict, "case_nothing_pending")
		}
		add("pending_item", "")
		add("pending_due", "")
		note = strings.TrimSpace(c.PendingItem + " " + note)
	case StepSuspend:
		if !slices.Contains(SuspendReasons, in.Reason) {
			return apperr.New(apperr.Invalid, "case_bad_reason", in.Reason)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO case_suspensions (case_id, reason, started_at) VALUES (?, ?, ?)", c.ID, in.Reason, now.UnixMilli()); err != nil {
			return err
		}
		detail["reason"] = in.Reason
		note = strings.TrimSpace(in.Reason + " " + note)
	case StepResume:
		if _, err := tx.Exec(ctx, "UPDATE case_suspensions SET ended_at = ? WHERE case_id = ? AND ended_at = 0", now.UnixMilli(), c.ID); err != nil {
			return err
		}
	case StepExtend:
		if c.ExtendedDays > 0 {
			return apperr.New(apperr.Conflict, "case_extended_once")
		}
		days := in.Days
		if days == 0 {
			days = ExtendDays
		}
		if days < 1 || days > 60 {
			return apperr.New(apperr.Invalid, "case_bad_days", days)
		}
		add("extended_days", days)
		detail["days"] = days
		note = strings.TrimSpace(fmt.Sprintf("+%d %s", days, note))
	case StepComplete:
		if c.PendingItem != "" {
			return apperr.New(apperr.Conflict, "case_pending_open", c.PendingItem)
		}
		if c.State == Consult {
			add("decided_at", now.UnixMilli())
		}
		add("completed_at", now.UnixMilli())
		add("result_note", note)
	case StepDeliver:
		if in.Window == 0 {
			return apperr.New(apperr.Invalid, "case_needs", "window")
		}
		wins, err := org.Windows(ctx, tx, c.HallID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(wins, func(w *org.Window) bool { return w.ID == in.Window }) {
			return apperr.New(apperr.Invalid, "case_bad_window", in.Window)
		}
		add("pickup_window_id", in.Window)
		add("delivered_at", now.UnixMilli())
		detail["window"] = in.Window
	}
	args = append(args, c.ID)
	if _, err := tx.Exec(ctx, "UPDATE cases SET "+strings.Join(set, ", ")+" WHERE id = ?", args...); err != nil {
		return err
	}
	from := c.State
	c.State = to
	return record(ctx, tx, now, a, c, string(in.Step), from, to, note, detail)
}

func hallCal(ctx context.Context, q store.Querier, hall int64) (*org.Hall, *calendar.Calendar, error) {
	h, err := org.GetHall(ctx, q, hall)
	if err != nil {
		return nil, nil, err
	}
	cal, err := calendar.Load(ctx, q, hall)
	return h, cal, err
}

// IssueNotice issues the case's one-time notice: every item the checklist found missing or
// faulty, at once. A case has one notice; a second is refused.
func (s *Service) IssueNotice(ctx context.Context, a staff.Actor, id int64) (*Case, error) {
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		c, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := may(ctx, tx, a, authz.CaseWork, c); err != nil {
			return err
		}
		if c.Notice != nil {
			return apperr.New(apperr.Conflict, "case_notice_once", c.Notice.Reference)
		}
		if _, err := Next(c.State, StepNotice); err != nil {
			return err
		}
		svc, err := org.GetServiceAny(ctx, tx, c.ServiceID)
		if err != nil {
			return err
		}
		// GetServiceAny reads no materials; the notice says what is needed of each (original or
		// copy, copies, when required) as the catalogue lists it.
		svcs, err := org.Services(ctx, tx, c.HallID)
		if err != nil {
			return err
		}
		for _, x := range svcs {
			if x.ID == svc.ID {
				svc.Materials = x.Materials
			}
		}
		h, cal, err := hallCal(ctx, tx, c.HallID)
		if err != nil {
			return err
		}
		now := s.Now()
		bring, _ := cal.AddWorkdays(calendar.DateOf(now.In(h.Location())), CorrectionDays)
		n, err := buildNotice(c, svc, h, bring)
		if err != nil {
			return apperr.New(apperr.Conflict, "case_nothing_missing")
		}
		n.Code, n.IssuedAt, n.IssuedBy = randomCode(8), now.UnixMilli(), a.Name
		body, err := json.Marshal(n)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO notices (case_id, hall_id, reference, code, body, bring_by, issued_at, issued_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.HallID, n.Reference, n.Code, string(body), bring.String(), now.UnixMilli(), nullID(a.ID)); err != nil {
			return err
		}
		return s.stepTx(ctx, tx, a, c, StepInput{Step: StepNotice, Note: fmt.Sprintf("%s · %d", n.Reference, len(n.Items))}, now)
	})
	if err != nil {
		return nil, fmt.Errorf("cases: notice: %w", err)
	}
	return s.Get(ctx, a, id)
}

// caseByCode finds the case of a notice's code.
func caseByCode(ctx context.Context, q store.Querier, code string) (int64, error) {
	code = NormalizeCode(code)
	var id int64
	if len(code) < 6 || len(code) > 16 {
		return 0, apperr.New(apperr.NotFound, "notice_not_found")
	}
	err := q.QueryRow(ctx, "SELECT case_id FROM notices WHERE code = ?", code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "notice_not_found")
	}
	return id, err
}

// returned continues a case in correction with a new ticket: the return is counted and the
// review starts again. A case already back (the kiosk took the return) only gets the ticket.
func (s *Service) returned(ctx context.Context, tx *store.Tx, a staff.Actor, c *Case, ticket int64, now time.Time) error {
	if c.State != Correction {
		if c.State == Review && c.LastTicketID == ticket {
			return nil
		}
		if _, err := Next(c.State, StepReturn); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, "UPDATE cases SET last_ticket_id = ?, returns = returns + 1 WHERE id = ?", ticket, c.ID); err != nil {
		return err
	}
	c.LastTicketID = ticket
	return s.stepTx(ctx, tx, a, c, StepInput{Step: StepReturn, Note: fmt.Sprintf("ticket %d", ticket)}, now)
}

// Resume finds the case by its notice's code at the counter and continues it with the ticket
// being served.
func (s *Service) Resume(ctx context.Context, a staff.Actor, code string, ticket int64) (*Case, error) {
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if id, err = caseByCode(ctx, tx, code); err != nil {
			return err
		}
		t, err := queue.HoldTicket(ctx, tx, ticket)
		if err != nil {
			return err
		}
		c, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := may(ctx, tx, a, authz.CaseWork, c); err != nil {
			return err
		}
		if t.HallID != c.HallID || (t.State != queue.Called && t.State != queue.Serving) {
			return apperr.New(apperr.Conflict, "wrong_ticket_state", t.Number, t.State)
		}
		return s.returned(ctx, tx, a, c, t.ID, s.Now())
	})
	if err != nil {
		return nil, fmt.Errorf("cases: resume: %w", err)
	}
	return s.Get(ctx, a, id)
}

// Checkin is the kiosk's "凭告知书取号": a ticket for the case's service, the return counted.
// The ticket and the return are two transactions (the queue issues its own); a failure between
// them leaves a valid ticket, and the clerk continues the case by the code.
func (s *Service) Checkin(ctx context.Context, hall int64, code string) (*queue.Ticket, error) {
	id, err := caseByCode(ctx, s.DB, code)
	if err != nil {
		return nil, err
	}
	c, err := load(ctx, s.DB, id, false)
	if err != nil {
		return nil, err
	}
	if c.HallID != hall {
		return nil, apperr.New(apperr.NotFound, "notice_not_found")
	}
	if c.State != Correction {
		return nil, apperr.New(apperr.Conflict, "case_not_waiting", string(c.State))
	}
	t, err := s.Queue.Issue(ctx, hall, c.ServiceID, "", "case")
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		c, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		return s.returned(ctx, tx, Kiosk, c, t.ID, s.Now())
	})
	if err != nil {
		return nil, fmt.Errorf("cases: checkin: %w", err)
	}
	return t, nil
}

// Kiosk is the actor of a citizen's own check-in.
var Kiosk = staff.Actor{Username: "kiosk"}
