package cases

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Department is a back-office department of a hall.
type Department struct {
	ID     int64  `json:"id"`
	HallID int64  `json:"hall"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// Departments lists a hall's active departments.
func Departments(ctx context.Context, q store.Querier, hall int64) ([]Department, error) {
	rows, err := q.Query(ctx, "SELECT id, hall_id, name, name_en FROM departments WHERE hall_id = ? AND active = 1 ORDER BY id", hall)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Department{}
	for rows.Next() {
		var d Department
		if err := rows.Scan(&d.ID, &d.HallID, &d.Name, &d.NameEN); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DepartmentOf is the department a handler belongs to (0: none).
func DepartmentOf(ctx context.Context, q store.Querier, staffID int64) (int64, error) {
	var d int64
	err := q.QueryRow(ctx, "SELECT department_id FROM department_members WHERE staff_id = ?", staffID).Scan(&d)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return d, err
}

// CreateDepartment adds a department to a hall (the demo and the back office), audited.
func CreateDepartment(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, d Department) (int64, error) {
	if err := checkText("name", d.Name, true); err != nil {
		return 0, err
	}
	var id int64
	if err := tx.QueryRow(ctx, "INSERT INTO departments (hall_id, name, name_en) VALUES (?, ?, ?) RETURNING id", d.HallID, d.Name, d.NameEN).Scan(&id); err != nil {
		return 0, fmt.Errorf("create department: %w", err)
	}
	return id, audit.Record(ctx, tx, at, who, d.HallID, "case.department", "department:"+d.Name, map[string]any{"id": id})
}

// SetMember puts a handler in a department, audited.
func SetMember(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, hall, staffID, dept int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO department_members (staff_id, department_id) VALUES (?, ?)
		ON CONFLICT (staff_id) DO UPDATE SET department_id = excluded.department_id`, staffID, dept)
	if err != nil {
		return fmt.Errorf("set department member: %w", err)
	}
	return audit.Record(ctx, tx, at, who, hall, "case.department_member", fmt.Sprintf("staff:%d", staffID), map[string]any{"department": dept})
}

// Filter narrows a work list.
type Filter struct {
	Hall       int64
	Department int64 // 0: every department (and the front desk)
	Open       bool  // only cases still running
	Urgent     bool  // only yellow and red
}

// List is a hall's cases for a work list, newest first, with their clocks. A handler sees their
// department's only.
func (s *Service) List(ctx context.Context, a staff.Actor, f Filter) ([]*Case, error) {
	if !authz.InHall(a, authz.CaseMonitor, f.Hall) && !authz.InHall(a, authz.CaseRead, f.Hall) {
		return nil, apperr.New(apperr.Forbidden, "case_of_other_hall")
	}
	if !authz.WholeHall(a, authz.CaseRead, f.Hall) {
		d, err := DepartmentOf(ctx, s.DB, a.ID)
		if err != nil {
			return nil, err
		}
		if d == 0 {
			return nil, apperr.New(apperr.Forbidden, "case_of_other_department")
		}
		f.Department = d
	}
	query := "SELECT " + caseCols + caseFrom + "WHERE c.hall_id = ?"
	args := []any{f.Hall}
	if f.Department != 0 {
		query += " AND c.department_id = ?"
		args = append(args, f.Department)
	}
	if f.Open || f.Urgent {
		query += " AND c.state NOT IN ('rejected', 'completed', 'delivered')"
	}
	query += " ORDER BY c.id DESC LIMIT 500"
	rows, err := s.DB.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []*Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	h, cal, err := hallCal(ctx, s.DB, f.Hall)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	kept := []*Case{}
	for _, c := range out {
		if err := fillSuspensions(ctx, s.DB, c); err != nil {
			return nil, err
		}
		c.finish(cal, h, now, s.Limits)
		if f.Urgent && c.Level == calendar.Green {
			continue
		}
		kept = append(kept, c.masked())
	}
	return kept, nil
}

func fillSuspensions(ctx context.Context, q store.Querier, c *Case) error {
	if c.State != Suspended && c.AcceptedAt.IsZero() {
		return nil
	}
	rows, err := q.Query(ctx, "SELECT reason, started_at, ended_at FROM case_suspensions WHERE case_id = ? ORDER BY id", c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sp Suspension
		var a, b int64
		if err := rows.Scan(&sp.Reason, &a, &b); err != nil {
			return err
		}
		sp.StartedAt, sp.EndedAt = ms(a), ms(b)
		c.Suspensions = append(c.Suspensions, sp)
	}
	return rows.Err()
}

// Public is what a citizen sees of their case: no names, no staff.
type Public struct {
	Number      string         `json:"number"`
	Service     string         `json:"service"`
	State       State          `json:"state"`
	Due         calendar.Date  `json:"due,omitzero"`
	Level       calendar.Level `json:"level"`
	Notice      *Notice        `json:"notice,omitempty"`
	PendingItem string         `json:"pending_item,omitempty"`
	PendingDue  string         `json:"pending_due,omitempty"`
	Returns     int            `json:"returns"`
}

func (s *Service) public(ctx context.Context, id int64) (*Public, error) {
	c, err := load(ctx, s.DB, id, false)
	if err != nil {
		return nil, err
	}
	if c, err = s.view(ctx, s.DB, c); err != nil {
		return nil, err
	}
	p := &Public{Number: c.Number, Service: c.ServiceName, State: c.State, Due: c.Due, Level: c.Level, Notice: c.Notice,
		PendingItem: c.PendingItem, PendingDue: c.PendingDue, Returns: c.Returns}
	if p.Notice != nil {
		p.Notice.IssuedBy = ""
	}
	return p, nil
}

// ForTicketPublic is the case of the ticket a citizen holds (by its token, checked by the
// caller through queue.Engine.Status); nil when none.
func (s *Service) ForTicketPublic(ctx context.Context, ticket int64) (*Public, error) {
	var id int64
	err := s.DB.QueryRow(ctx, "SELECT id FROM cases WHERE last_ticket_id = ? OR ticket_id = ? ORDER BY id DESC LIMIT 1", ticket, ticket).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.public(ctx, id)
}

// NoticeByCode is the notice's case for whoever holds the code (the QR code on the notice).
func (s *Service) NoticeByCode(ctx context.Context, code string) (*Public, int64, error) {
	id, err := caseByCode(ctx, s.DB, code)
	if err != nil {
		return nil, 0, err
	}
	var hall int64
	if err := s.DB.QueryRow(ctx, "SELECT hall_id FROM cases WHERE id = ?", id).Scan(&hall); err != nil {
		return nil, 0, err
	}
	p, err := s.public(ctx, id)
	return p, hall, err
}

// HandoffInput is 首问负责: the clerk who hands a citizen to another window says to whom and why.
type HandoffInput struct {
	Ticket   int64  `json:"ticket"`
	ToWindow int64  `json:"to_window"`
	Reason   string `json:"reason"`
}

// Handoff records a hand-off of the ticket a clerk serves (and its case, if any).
func (s *Service) Handoff(ctx context.Context, a staff.Actor, in HandoffInput) error {
	if err := checkText("reason", in.Reason, true); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		t, err := queue.HoldTicket(ctx, tx, in.Ticket)
		if err != nil {
			return err
		}
		if !authz.InHall(a, authz.CaseWork, t.HallID) {
			return apperr.New(apperr.Forbidden, "case_of_other_hall")
		}
		wins, err := org.Windows(ctx, tx, t.HallID)
		if err != nil {
			return err
		}
		ok := false
		for _, w := range wins {
			ok = ok || w.ID == in.ToWindow && w.ID != t.WindowID
		}
		if !ok {
			return apperr.New(apperr.Invalid, "case_bad_window", in.ToWindow)
		}
		var caseID int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM cases WHERE last_ticket_id = ?", t.ID).Scan(&caseID); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO handoffs (hall_id, ticket_id, case_id, from_staff_id, from_window_id, to_window_id, reason, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.HallID, t.ID, nullID(caseID), nullID(a.ID), nullID(t.WindowID), in.ToWindow, in.Reason, now.UnixMilli()); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, a, t.HallID, "case.handoff", "ticket:"+t.Number, map[string]any{"to_window": in.ToWindow, "reason": in.Reason}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, t.HallID)
	})
}
