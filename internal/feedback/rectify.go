package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Rectification is a bad rating's rectification as the work list shows it.
type Rectification struct {
	ID               int64    `json:"id"`
	Code             string   `json:"code"`
	RatingID         int64    `json:"rating_id"`
	HallID           int64    `json:"hall"`
	Level            int      `json:"level"`
	Tags             []string `json:"tags"`
	Comment          string   `json:"comment"`
	TicketNumber     string   `json:"ticket_number"`
	WindowID         int64    `json:"window_id"`
	ClerkID          int64    `json:"clerk_id"`
	ClerkName        string   `json:"clerk_name,omitempty"`
	ServiceID        int64    `json:"service_id"`
	State            string   `json:"state"`
	OpenedDay        string   `json:"opened_day"`
	ContactDue       string   `json:"contact_due"`
	Due              string   `json:"due"`
	Named            bool     `json:"named"`                   // the citizen left a contact: the call-back is owed
	ContactPhone     string   `json:"contact_phone,omitempty"` // masked
	ContactNote      string   `json:"contact_note,omitempty"`
	Verdict          string   `json:"verdict,omitempty"`
	FixBy            string   `json:"fix_by,omitempty"`
	Cause            string   `json:"cause,omitempty"`
	Fix              string   `json:"fix,omitempty"`
	AppealReason     string   `json:"appeal_reason,omitempty"`
	AppealDecision   string   `json:"appeal_decision,omitempty"`
	CallbackOutcome  string   `json:"callback_outcome,omitempty"`
	CallbackResponse string   `json:"callback_response,omitempty"`
	Overdue          bool     `json:"overdue"`
	Escalated        bool     `json:"escalated"`
	CreatedAt        int64    `json:"created_at"`
	History          []Step   `json:"history,omitempty"`
}

const rectCols = `x.id, x.code, x.rating_id, x.hall_id, r.level, r.tags, r.comment, r.ticket_id, COALESCE(r.window_id, 0), COALESCE(r.clerk_id, 0),
	COALESCE(c.name, ''), r.service_id, x.state, x.opened_day, x.contact_due, x.due, r.contact_phone, x.contact_note, x.verdict, x.fix_by,
	x.cause, x.fix, x.appeal_reason, x.appeal_decision, x.callback_outcome, x.callback_response, x.escalated_at + x.escalated_contact_at, x.created_at`

const rectFrom = ` FROM rectifications x JOIN ratings r ON r.id = x.rating_id LEFT JOIN staff c ON c.id = r.clerk_id `

func scanRect(row interface{ Scan(...any) error }, ticket *int64) (*Rectification, error) {
	var x Rectification
	var tags, ph string
	var esc int64
	err := row.Scan(&x.ID, &x.Code, &x.RatingID, &x.HallID, &x.Level, &tags, &x.Comment, ticket, &x.WindowID, &x.ClerkID, &x.ClerkName,
		&x.ServiceID, &x.State, &x.OpenedDay, &x.ContactDue, &x.Due, &ph, &x.ContactNote, &x.Verdict, &x.FixBy, &x.Cause, &x.Fix,
		&x.AppealReason, &x.AppealDecision, &x.CallbackOutcome, &x.CallbackResponse, &esc, &x.CreatedAt)
	if err != nil {
		return nil, err
	}
	x.Tags = []string{}
	if tags != "" {
		x.Tags = strings.Split(tags, ",")
	}
	x.Named, x.ContactPhone, x.Escalated = ph != "", privacy.MaskPhone(ph), esc > 0
	x.Comment = privacy.Mask(x.Comment)
	return &x, nil
}

// rectOverdue: the step at hand is past its deadline on today.
func rectOverdue(x *Rectification, today calendar.Date) bool {
	switch x.State {
	case RContact:
		return Overdue(x.ContactDue, today) || Overdue(x.Due, today)
	case RVerify, RAppeal, RRectify:
		return Overdue(x.Due, today)
	}
	return false
}

func (s *Service) rects(ctx context.Context, q store.Querier, hall int64, where string, args ...any) ([]*Rectification, error) {
	_, today, _, err := hallDay(ctx, q, hall, s.Now())
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, "SELECT "+rectCols+rectFrom+"WHERE "+where+" ORDER BY x.id DESC LIMIT 500", args...)
	if err != nil {
		return nil, err
	}
	var out []*Rectification
	var tickets []int64
	for rows.Next() {
		var t int64
		x, err := scanRect(rows, &t)
		if err != nil {
			rows.Close()
			return nil, err
		}
		x.Overdue = rectOverdue(x, today)
		out = append(out, x)
		tickets = append(tickets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, x := range out {
		t, err := queue.GetTicketRef(ctx, q, tickets[i])
		if err != nil {
			return nil, err
		}
		x.TicketNumber = t.Number
	}
	if out == nil {
		out = []*Rectification{}
	}
	return out, nil
}

// Rectifications lists a hall's rectifications: state "open" (every state but closed), "all",
// or one state.
func (s *Service) Rectifications(ctx context.Context, a staff.Actor, hall int64, state string) ([]*Rectification, error) {
	if !authz.WholeHall(a, authz.FeedbackManage, hall) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	switch state {
	case "", "open":
		return s.rects(ctx, s.DB, hall, "x.hall_id = ? AND x.state <> ?", hall, RClosed)
	case "all":
		return s.rects(ctx, s.DB, hall, "x.hall_id = ?", hall)
	case RContact, RVerify, RAppeal, RRectify, RCallback, RClosed:
		return s.rects(ctx, s.DB, hall, "x.hall_id = ? AND x.state = ?", hall, state)
	}
	return nil, apperr.New(apperr.Invalid, "feedback_bad_state", state)
}

// Rectification is one rectification with its history, for the staff who may work it or the
// clerk whose service it is about.
func (s *Service) Rectification(ctx context.Context, a staff.Actor, id int64) (*Rectification, error) {
	x, err := s.rect(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.WholeHall(a, authz.FeedbackManage, x.HallID) && !(authz.InHall(a, authz.FeedbackAppeal, x.HallID) && x.ClerkID == a.ID) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	return x, nil
}

func (s *Service) rect(ctx context.Context, q store.Querier, id int64) (*Rectification, error) {
	var hall int64
	err := q.QueryRow(ctx, "SELECT hall_id FROM rectifications WHERE id = ?", id).Scan(&hall)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "rectification_not_found")
	}
	if err != nil {
		return nil, err
	}
	xs, err := s.rects(ctx, q, hall, "x.id = ?", id)
	if err != nil {
		return nil, err
	}
	x := xs[0]
	if x.History, err = steps(ctx, q, "rectification", id); err != nil {
		return nil, err
	}
	return x, nil
}

// RectByCode is what a citizen sees of their rectification by its code: the state and the
// deadlines, nothing of the clerk nor of anyone else.
type RectPublic struct {
	Code       string `json:"code"`
	State      string `json:"state"`
	Level      int    `json:"level"`
	OpenedDay  string `json:"opened_day"`
	ContactDue string `json:"contact_due"`
	Due        string `json:"due"`
	Fix        string `json:"fix,omitempty"`
}

// RectByCode finds a rectification by the code its citizen was given.
func (s *Service) RectByCode(ctx context.Context, cd string) (*RectPublic, error) {
	if len(cd) > 40 {
		return nil, apperr.New(apperr.NotFound, "rectification_not_found")
	}
	var p RectPublic
	err := s.DB.QueryRow(ctx, `SELECT x.code, x.state, r.level, x.opened_day, x.contact_due, x.due, x.fix FROM rectifications x
		JOIN ratings r ON r.id = x.rating_id WHERE x.code = ?`, cd).Scan(&p.Code, &p.State, &p.Level, &p.OpenedDay, &p.ContactDue, &p.Due, &p.Fix)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "rectification_not_found")
	}
	if err != nil {
		return nil, err
	}
	if p.State != RCallback && p.State != RClosed {
		p.Fix = ""
	}
	return &p, nil
}

// RectInput carries what a step records; each action reads its own fields.
type RectInput struct {
	Note     string `json:"note"`     // contact: how the citizen was reached and what they said; appeal: the reason
	Verdict  string `json:"verdict"`  // verify
	FixBy    string `json:"fix_by"`   // verify, complex: the set date
	Cause    string `json:"cause"`    // verify, report
	Fix      string `json:"fix"`      // report; verify no_basis: the explanation given
	Decision string `json:"decision"` // decide
	Outcome  string `json:"outcome"`  // callback: what was told
	Response string `json:"response"` // callback: satisfied, unsatisfied, unreachable
}

// CallbackResponses are the citizen's answers to a call-back.
var CallbackResponses = []string{"satisfied", "unsatisfied", "unreachable"}

// Act moves rectification id by action (contact, verify, appeal, decide, report, callback).
// The transition table says what is legal; the clerk of the service may appeal, the hall's
// supervisors do the rest.
func (s *Service) Act(ctx context.Context, a staff.Actor, id int64, action string, in RectInput) (*Rectification, error) {
	variant := ""
	switch action {
	case "verify":
		variant = in.Verdict
	case "decide":
		variant = in.Decision
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		lock := ""
		if tx.Dialect() == store.Postgres {
			lock = " FOR UPDATE"
		}
		var hall, rating int64
		var state string
		err := tx.QueryRow(ctx, "SELECT hall_id, rating_id, state FROM rectifications WHERE id = ?"+lock, id).Scan(&hall, &rating, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "rectification_not_found")
		}
		if err != nil {
			return err
		}
		var clerk int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(clerk_id, 0) FROM ratings WHERE id = ?", rating).Scan(&clerk); err != nil {
			return err
		}
		if action == "appeal" {
			if !authz.WholeHall(a, authz.FeedbackAppeal, hall) && !(authz.InHall(a, authz.FeedbackAppeal, hall) && clerk == a.ID) {
				return apperr.New(apperr.Forbidden, "forbidden")
			}
		} else if !authz.WholeHall(a, authz.FeedbackManage, hall) {
			return apperr.New(apperr.Forbidden, "forbidden")
		}
		to, err := RectNext(state, action, variant)
		if err != nil {
			return err
		}
		now := s.Now()
		c, today, _, err := hallDay(ctx, tx, hall, now)
		if err != nil {
			return err
		}
		set := "state = ?, updated_at = ?"
		args := []any{to, now.UnixMilli()}
		add := func(col string, v any) { set += ", " + col + " = ?"; args = append(args, v) }
		note := ""
		switch action {
		case "contact":
			if note, err = text("note", in.Note, 1000, true); err != nil {
				return err
			}
			add("contacted_at", now.UnixMilli())
			add("contact_note", privacy.Mask(note))
		case "verify":
			add("verdict", in.Verdict)
			cause, err := text("cause", in.Cause, 1000, false)
			if err != nil {
				return err
			}
			add("cause", privacy.Mask(cause))
			switch in.Verdict {
			case VerdictComplex:
				d, err := calendar.ParseDate(in.FixBy)
				if err != nil || d.Before(today) {
					return apperr.New(apperr.Invalid, "rect_bad_fix_by")
				}
				add("fix_by", d.String())
				add("due", d.String())
			case VerdictNoBasis:
				fix, err := text("fix", in.Fix, 1000, true)
				if err != nil {
					return err
				}
				add("fix", privacy.Mask(fix))
				add("reported_at", now.UnixMilli())
			}
			note = in.Verdict
		case "appeal":
			if note, err = text("note", in.Note, 1000, true); err != nil {
				return err
			}
			add("appeal_reason", privacy.Mask(note))
		case "decide":
			add("appeal_decision", in.Decision)
			if in.Decision == AppealUpheld {
				add("closed_at", now.UnixMilli())
				if _, err := tx.Exec(ctx, "UPDATE ratings SET excluded = 1 WHERE id = ?", rating); err != nil {
					return err
				}
			} else {
				// The rating stands: the rectify limit runs again from today.
				_, due := RectDeadlines(c, mustSettings(ctx, tx, hall), today)
				add("due", due.String())
			}
			note = in.Decision
		case "report":
			cause, err := text("cause", in.Cause, 1000, true)
			if err != nil {
				return err
			}
			fix, err := text("fix", in.Fix, 1000, true)
			if err != nil {
				return err
			}
			add("cause", privacy.Mask(cause))
			add("fix", privacy.Mask(fix))
			add("reported_at", now.UnixMilli())
		case "callback":
			outcome, err := text("outcome", in.Outcome, 1000, true)
			if err != nil {
				return err
			}
			ok := false
			for _, r := range CallbackResponses {
				ok = ok || r == in.Response
			}
			if !ok {
				return apperr.New(apperr.Invalid, "rect_bad_response", in.Response)
			}
			add("callback_outcome", privacy.Mask(outcome))
			add("callback_response", in.Response)
			add("called_back_at", now.UnixMilli())
			add("closed_at", now.UnixMilli())
			note = in.Response
		}
		args = append(args, id, state)
		res, err := tx.Exec(ctx, "UPDATE rectifications SET "+set+" WHERE id = ? AND state = ?", args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "feedback_illegal_step", action, state)
		}
		if err := recordStep(ctx, tx, "rectification", id, now, a, action, state, to, privacy.Mask(note)); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, a, hall, "rectification."+action, fmt.Sprintf("rectification:%d", id),
			map[string]any{"from": state, "to": to, "variant": variant}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hall)
	})
	if err != nil {
		return nil, wrap("rectification "+action, err)
	}
	return s.rect(ctx, s.DB, id)
}

func mustSettings(ctx context.Context, q store.Querier, hall int64) Settings {
	set, err := GetSettings(ctx, q, hall)
	if err != nil {
		return DefaultSettings
	}
	return set
}

// Escalation is what one run of Escalate did.
type Escalation struct {
	Rectifications, Complaints int
}

// Escalate marks the overdue steps of every hall's rectifications and complaints as escalated
// to the hall leader, once each (a late contact, then a late result; a late signing, then a
// late result): it works from the data, so a repeated run does nothing more.
func (s *Service) Escalate(ctx context.Context, halls []int64) (Escalation, error) {
	var e Escalation
	now := s.Now()
	for _, hall := range halls {
		err := s.DB.InTx(ctx, func(tx *store.Tx) error {
			_, today, _, err := hallDay(ctx, tx, hall, now)
			if err != nil {
				return err
			}
			day := today.String()
			n1, err := escalate(ctx, tx, now, hall, "rectification", "rectifications", "escalated_contact_at",
				"state = '"+RContact+"' AND contact_due < ?", day)
			if err != nil {
				return err
			}
			n2, err := escalate(ctx, tx, now, hall, "rectification", "rectifications", "escalated_at",
				"state IN ('"+RContact+"', '"+RVerify+"', '"+RAppeal+"', '"+RRectify+"') AND due < ?", day)
			if err != nil {
				return err
			}
			n3, err := escalate(ctx, tx, now, hall, "complaint", "complaints", "escalated_sign_at", "state = '"+CNew+"' AND sign_due < ?", day)
			if err != nil {
				return err
			}
			n4, err := escalate(ctx, tx, now, hall, "complaint", "complaints", "escalated_at",
				"state IN ('"+CReceived+"', '"+CInvestigating+"', '"+CFeedback+"', '"+CEscalated+"') AND due <> '' AND due < ?", day)
			if err != nil {
				return err
			}
			e.Rectifications += n1 + n2
			e.Complaints += n3 + n4
			if n1+n2+n3+n4 > 0 {
				return events.Publish(ctx, tx, Topic, hall)
			}
			return nil
		})
		if err != nil {
			return e, wrap("escalate", err)
		}
	}
	return e, nil
}

// escalate flags the rows of table in hall that match cond and were not flagged in col yet.
// The table and column names are constants of this file, never input.
func escalate(ctx context.Context, tx *store.Tx, now time.Time, hall int64, kind, table, col, cond, day string) (int, error) {
	rows, err := tx.Query(ctx, "SELECT id, state FROM "+table+" WHERE hall_id = ? AND "+col+" = 0 AND "+cond, hall, day)
	if err != nil {
		return 0, err
	}
	type hit struct {
		id    int64
		state string
	}
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.id, &h.state); err != nil {
			rows.Close()
			return 0, err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, h := range hits {
		if _, err := tx.Exec(ctx, "UPDATE "+table+" SET "+col+" = ? WHERE id = ?", now.UnixMilli(), h.id); err != nil {
			return 0, err
		}
		if err := recordStep(ctx, tx, kind, h.id, now, staff.System, "escalate", h.state, h.state, col); err != nil {
			return 0, err
		}
		if err := audit.Record(ctx, tx, now, staff.System, hall, kind+".escalate", fmt.Sprintf("%s:%d", kind, h.id),
			map[string]any{"overdue": col}); err != nil {
			return 0, err
		}
	}
	return len(hits), nil
}
