package cases

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// MaxText is the longest free text (notes, rules, reasons), in characters.
const MaxText = 500

func checkText(field, s string, required bool) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || utf8.RuneCountInString(s) > MaxText {
		return apperr.New(apperr.Invalid, "case_bad_text", field, MaxText)
	}
	if required && strings.TrimSpace(s) == "" {
		return apperr.New(apperr.Invalid, "case_needs", field)
	}
	return nil
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// load reads a case with its checklist, notice, suspensions and timeline. lock holds the row
// until tx ends (PostgreSQL; SQLite's single writer already does).
func load(ctx context.Context, q store.Querier, id int64, lock bool) (*Case, error) {
	query := "SELECT " + caseCols + caseFrom + "WHERE c.id = ?"
	if lock {
		if tx, ok := q.(*store.Tx); ok && tx.Dialect() == store.Postgres {
			query += " FOR UPDATE OF c"
		}
	}
	c, err := scanCase(q.QueryRow(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "case_not_found")
	}
	if err != nil {
		return nil, err
	}
	return c, fill(ctx, q, c)
}

func fill(ctx context.Context, q store.Querier, c *Case) error {
	rows, err := q.Query(ctx, "SELECT position, name, status, note FROM case_materials WHERE case_id = ? ORDER BY position", c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var m MaterialCheck
		if err := rows.Scan(&m.Position, &m.Name, &m.Status, &m.Note); err != nil {
			rows.Close()
			return err
		}
		c.Materials = append(c.Materials, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.Query(ctx, "SELECT reason, started_at, ended_at FROM case_suspensions WHERE case_id = ? ORDER BY id", c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s Suspension
		var a, b int64
		if err := rows.Scan(&s.Reason, &a, &b); err != nil {
			rows.Close()
			return err
		}
		s.StartedAt, s.EndedAt = ms(a), ms(b)
		c.Suspensions = append(c.Suspensions, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.Query(ctx, "SELECT at, actor, step, from_state, to_state, note FROM case_events WHERE case_id = ? ORDER BY id", c.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var e Event
		var at int64
		var from, to string
		if err := rows.Scan(&at, &e.Actor, &e.Step, &from, &to, &e.Note); err != nil {
			rows.Close()
			return err
		}
		e.At, e.From, e.To = ms(at), State(from), State(to)
		c.Events = append(c.Events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var body string
	err = q.QueryRow(ctx, "SELECT body FROM notices WHERE case_id = ?", c.ID).Scan(&body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	c.Notice = &Notice{}
	return json.Unmarshal([]byte(body), c.Notice)
}

// view finishes a case for a screen: clocks on the hall's calendar, applicant masked.
func (s *Service) view(ctx context.Context, q store.Querier, c *Case) (*Case, error) {
	h, err := org.GetHall(ctx, q, c.HallID)
	if err != nil {
		return nil, err
	}
	cal, err := calendar.Load(ctx, q, c.HallID)
	if err != nil {
		return nil, err
	}
	c.finish(cal, h, s.Now(), s.Limits)
	return c.masked(), nil
}

// record writes a timeline row, the audit line and the event of a step.
func record(ctx context.Context, tx *store.Tx, now time.Time, a staff.Actor, c *Case, step string, from, to State, note string, detail map[string]any) error {
	if _, err := tx.Exec(ctx, `INSERT INTO case_events (case_id, at, staff_id, actor, step, from_state, to_state, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, now.UnixMilli(), nullID(a.ID), a.Username, step, string(from), string(to), note); err != nil {
		return err
	}
	if detail == nil {
		detail = map[string]any{}
	}
	detail["from"], detail["to"] = from, to
	if err := audit.Record(ctx, tx, now, a, c.HallID, "case."+step, "case:"+c.Number, detail); err != nil {
		return err
	}
	return events.Publish(ctx, tx, Topic, c.HallID)
}

// may checks that a holds p for the case: in its hall (or everywhere), or, with reach Self, as a
// member of the department the case is with.
func may(ctx context.Context, q store.Querier, a staff.Actor, p authz.Permission, c *Case) error {
	if authz.WholeHall(a, p, c.HallID) {
		return nil
	}
	if authz.ReachOf(a, p) == authz.Self && a.HallID == c.HallID {
		dept, err := DepartmentOf(ctx, q, a.ID)
		if err != nil {
			return err
		}
		if dept != 0 && dept == c.DepartmentID {
			return nil
		}
		return apperr.New(apperr.Forbidden, "case_of_other_department")
	}
	if authz.ReachOf(a, p) == authz.None {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	return apperr.New(apperr.Forbidden, "case_of_other_hall")
}

// OpenInput opens a case for the ticket a clerk is serving.
type OpenInput struct {
	Ticket     int64  `json:"ticket"`
	Applicant  string `json:"applicant"`
	Phone      string `json:"phone"`
	Assisted   bool   `json:"assisted"` // 帮办代办: staff act for an elderly or disabled citizen
	AssistNote string `json:"assist_note"`
	Dishonest  bool   `json:"dishonest"` // on the 失信 list: no 容缺受理
}

// Open starts a case for a called or served ticket, for the ticket's service. The applicant's
// phone is stored masked; a ticket that already has a case gets that case back.
func (s *Service) Open(ctx context.Context, a staff.Actor, in OpenInput) (*Case, error) {
	if err := checkText("applicant", in.Applicant, false); err != nil {
		return nil, err
	}
	if err := checkText("phone", in.Phone, false); err != nil {
		return nil, err
	}
	if err := checkText("assist_note", in.AssistNote, false); err != nil {
		return nil, err
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		t, err := queue.HoldTicket(ctx, tx, in.Ticket)
		if err != nil {
			return err
		}
		if !authz.InHall(a, authz.CaseWork, t.HallID) {
			return apperr.New(apperr.Forbidden, "case_of_other_hall")
		}
		if t.State != queue.Called && t.State != queue.Serving {
			return apperr.New(apperr.Conflict, "wrong_ticket_state", t.Number, t.State)
		}
		if err := tx.QueryRow(ctx, "SELECT id FROM cases WHERE last_ticket_id = ?", t.ID).Scan(&id); err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		id, err = create(ctx, tx, a, s.Now(), t.HallID, t.ServiceID, t.ID, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("cases: open: %w", err)
	}
	return s.Get(ctx, a, id)
}

// create writes a new case in state consult. ticket may be 0 (the demo's older cases).
func create(ctx context.Context, tx *store.Tx, a staff.Actor, now time.Time, hall, service, ticket int64, in OpenInput) (int64, error) {
	svc, err := org.GetServiceAny(ctx, tx, service)
	if err != nil {
		return 0, err
	}
	var id int64
	tmp := "new-" + randomCode(12)
	if err := tx.QueryRow(ctx, `INSERT INTO cases (hall_id, service_id, number, state, ticket_id, last_ticket_id, applicant, phone,
		assisted, assist_note, dishonest, opened_by, opened_at, limit_days, updated_at) VALUES (?, ?, ?, 'consult', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`, hall, service, tmp, nullID(ticket), nullID(ticket), strings.TrimSpace(in.Applicant), privacy.Mask(strings.TrimSpace(in.Phone)),
		flag(in.Assisted), in.AssistNote, flag(in.Dishonest), nullID(a.ID), now.UnixMilli(), svc.TimeLimitDays, now.UnixMilli()).Scan(&id); err != nil {
		return 0, err
	}
	// The number is the hall's date and the id: unique without a counter that two instances race for.
	number := fmt.Sprintf("%s%s-%05d", svc.Prefix, now.Format("060102"), id)
	if _, err := tx.Exec(ctx, "UPDATE cases SET number = ? WHERE id = ?", number, id); err != nil {
		return 0, err
	}
	c := &Case{ID: id, HallID: hall, Number: number}
	note := ""
	if in.Assisted {
		note = "帮办代办"
	}
	return id, record(ctx, tx, now, a, c, "open", "", Consult, note, map[string]any{"service": service, "ticket": ticket, "assisted": in.Assisted})
}

// Get reads a case for a member of staff who may read it.
func (s *Service) Get(ctx context.Context, a staff.Actor, id int64) (*Case, error) {
	c, err := load(ctx, s.DB, id, false)
	if err != nil {
		return nil, err
	}
	if err := may(ctx, s.DB, a, authz.CaseRead, c); err != nil {
		return nil, err
	}
	return s.view(ctx, s.DB, c)
}

// ForTicket is the case a ticket was opened for or returned with (nil when none).
func (s *Service) ForTicket(ctx context.Context, a staff.Actor, ticket int64) (*Case, error) {
	var id int64
	err := s.DB.QueryRow(ctx, "SELECT id FROM cases WHERE last_ticket_id = ? OR ticket_id = ? ORDER BY id DESC LIMIT 1", ticket, ticket).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, a, id)
}

// CheckInput is the clerk's checklist: one status per material, by position.
type CheckInput struct {
	Items []struct {
		Position int    `json:"position"`
		Status   string `json:"status"`
		Note     string `json:"note"`
	} `json:"items"`
}

// Check records the checklist of a case under review (the first check starts the review). It
// takes the service's materials as the catalogue lists them now.
func (s *Service) Check(ctx context.Context, a staff.Actor, id int64, in CheckInput) (*Case, error) {
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		c, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := may(ctx, tx, a, authz.CaseWork, c); err != nil {
			return err
		}
		now := s.Now()
		if c.State == Consult {
			if err := s.stepTx(ctx, tx, a, c, StepInput{Step: StepReview}, now); err != nil {
				return err
			}
		}
		if c.State != Review {
			return apperr.New(apperr.Conflict, "case_illegal_step", "check", string(c.State))
		}
		svcs, err := org.Services(ctx, tx, c.HallID)
		if err != nil {
			return err
		}
		var mats []org.Material
		for _, sv := range svcs {
			if sv.ID == c.ServiceID {
				mats = sv.Materials
			}
		}
		got := map[int]int{}
		for i, it := range in.Items {
			if it.Position < 0 || it.Position >= len(mats) {
				return apperr.New(apperr.Invalid, "case_bad_material", it.Position)
			}
			switch it.Status {
			case OK, Missing, Faulty, NA:
			default:
				return apperr.New(apperr.Invalid, "case_bad_status", it.Status)
			}
			if err := checkText("note", it.Note, it.Status == Faulty); err != nil {
				return err
			}
			got[it.Position] = i
		}
		if len(got) != len(mats) {
			return apperr.New(apperr.Invalid, "case_checklist_incomplete", len(mats))
		}
		if _, err := tx.Exec(ctx, "DELETE FROM case_materials WHERE case_id = ?", c.ID); err != nil {
			return err
		}
		short := 0
		for pos, m := range mats {
			it := in.Items[got[pos]]
			if it.Status == Missing || it.Status == Faulty {
				short++
			}
			if _, err := tx.Exec(ctx, "INSERT INTO case_materials (case_id, position, name, status, note) VALUES (?, ?, ?, ?, ?)",
				c.ID, pos, m.Name, it.Status, strings.TrimSpace(it.Note)); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, "UPDATE cases SET updated_at = ? WHERE id = ?", now.UnixMilli(), c.ID)
		if err != nil {
			return err
		}
		return record(ctx, tx, now, a, c, "check", c.State, c.State, fmt.Sprintf("%d/%d", len(mats)-short, len(mats)),
			map[string]any{"short": short})
	})
	if err != nil {
		return nil, fmt.Errorf("cases: check: %w", err)
	}
	return s.Get(ctx, a, id)
}

// codeAlphabet leaves out 0/O and 1/I/L, which citizens mistype.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func randomCode(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode turns what a citizen types (spaces, dashes, lower case) into a notice's code.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
