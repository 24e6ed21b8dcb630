package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

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

// Channels a complaint comes by: on site, by phone, on the web, from the suggestion box (意见箱),
// transferred from the 12345 hotline.
var Channels = []string{"onsite", "phone", "web", "box", "hotline"}

// Topics a complaint is about.
var Topics = []string{"attitude", "efficiency", "process", "environment", "discipline", "policy", "other"}

// Classes of complaint, in order of weight.
var Classes = []string{ClassGeneral, ClassMajor, ClassUrgent}

// ComplaintInput is a new complaint.
type ComplaintInput struct {
	Channel      string `json:"channel"`
	Topic        string `json:"topic"`
	Text         string `json:"text"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	TicketToken  string `json:"ticket_token"`
}

// Taken is what the complainant keeps: the code to quote and the token of their follow-up page.
type Taken struct {
	Code  string `json:"code"`
	Token string `json:"token"`
}

// TakeComplaint records a complaint for hall: by a citizen on the web (a nil actor; channel
// web only) or by staff of the hall for a citizen (any channel). It is to be signed for within
// the hall's sign_days working days.
func (s *Service) TakeComplaint(ctx context.Context, a *staff.Actor, hall int64, in ComplaintInput) (*Taken, error) {
	if !slices.Contains(Channels, in.Channel) {
		return nil, apperr.New(apperr.Invalid, "complaint_bad_channel", in.Channel)
	}
	if a == nil && in.Channel != "web" {
		return nil, apperr.New(apperr.Forbidden, "complaint_web_only")
	}
	if a != nil && !authz.InHall(*a, authz.ComplaintTake, hall) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	if !slices.Contains(Topics, in.Topic) {
		return nil, apperr.New(apperr.Invalid, "complaint_bad_topic", in.Topic)
	}
	var err error
	if in.Text, err = text("text", in.Text, 2000, true); err != nil {
		return nil, err
	}
	if in.ContactName, err = text("contact_name", in.ContactName, 40, false); err != nil {
		return nil, err
	}
	if in.ContactPhone, err = phone(in.ContactPhone); err != nil {
		return nil, err
	}
	out := &Taken{Token: secret(18)}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.Now()
		c, today, _, err := hallDay(ctx, tx, hall, now)
		if err != nil {
			return err
		}
		var ticket, window, clerk, service int64
		if in.TicketToken != "" {
			id, err := queue.TicketIDByToken(ctx, tx, in.TicketToken)
			if err != nil {
				return err
			}
			t, err := queue.GetTicketRef(ctx, tx, id)
			if err != nil {
				return err
			}
			if t.HallID != hall {
				return apperr.New(apperr.NotFound, "ticket_not_found")
			}
			ticket, window, clerk, service = id, t.WindowID, t.ClerkID, t.ServiceID
		}
		set, err := GetSettings(ctx, tx, hall)
		if err != nil {
			return err
		}
		signDue, _ := c.Due(today, set.SignDays, nil)
		out.Code = code("C", today)
		var by int64
		var who audit.Who = citizen("citizen:web")
		if a != nil {
			by, who = a.ID, *a
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO complaints (hall_id, code, token, channel, topic, text, contact_name, contact_phone, ticket_id,
			window_id, clerk_id, service_id, state, received_day, sign_due, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, hall, out.Code, hash(out.Token), in.Channel, in.Topic,
			privacy.Mask(in.Text), in.ContactName, in.ContactPhone, nullID(ticket), nullID(window), nullID(clerk), nullID(service), CNew,
			today.String(), signDue.String(), nullID(by), now.UnixMilli(), now.UnixMilli()).Scan(&id); err != nil {
			return err
		}
		if err := recordStep(ctx, tx, "complaint", id, now, who, "take", "", CNew, in.Channel); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, who, hall, "complaint.take", "complaint:"+out.Code,
			map[string]any{"channel": in.Channel, "topic": in.Topic, "ticket": ticket}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hall)
	})
	if err != nil {
		return nil, wrap("take complaint", err)
	}
	return out, nil
}

// Complaint is a complaint as staff see it (the contact masked).
type Complaint struct {
	ID           int64  `json:"id"`
	Code         string `json:"code"`
	HallID       int64  `json:"hall"`
	Channel      string `json:"channel"`
	Topic        string `json:"topic"`
	Text         string `json:"text"`
	ContactName  string `json:"contact_name"`
	ContactPhone string `json:"contact_phone"`
	TicketNumber string `json:"ticket_number,omitempty"`
	WindowID     int64  `json:"window_id,omitempty"`
	ClerkID      int64  `json:"clerk_id,omitempty"`
	ClerkName    string `json:"clerk_name,omitempty"`
	ServiceID    int64  `json:"service_id,omitempty"`
	State        string `json:"state"`
	Class        string `json:"class,omitempty"`
	Department   string `json:"department,omitempty"`
	Priority     int    `json:"priority,omitempty"`
	ReceivedDay  string `json:"received_day"`
	SignDue      string `json:"sign_due"`
	Due          string `json:"due,omitempty"`
	Listened     bool   `json:"listened"`
	Apologised   bool   `json:"apologised"`
	Action       string `json:"action,omitempty"`
	Result       string `json:"result,omitempty"`
	Upheld       bool   `json:"upheld"`
	Opinion      string `json:"opinion,omitempty"`
	Reopens      int    `json:"reopens"`
	Cause        string `json:"cause,omitempty"`
	Improvement  string `json:"improvement,omitempty"`
	Overdue      bool   `json:"overdue"`
	Escalated    bool   `json:"escalated"`
	CreatedAt    int64  `json:"created_at"`
	ClosedAt     int64  `json:"closed_at,omitempty"`
	History      []Step `json:"history,omitempty"`
}

const complaintCols = `p.id, p.code, p.hall_id, p.channel, p.topic, p.text, p.contact_name, p.contact_phone, COALESCE(p.ticket_id, 0),
	COALESCE(p.window_id, 0), COALESCE(p.clerk_id, 0), COALESCE(c.name, ''), COALESCE(p.service_id, 0), p.state, p.class, p.department,
	p.priority, p.received_day, p.sign_due, p.due, p.listened, p.apologised, p.action, p.result, p.upheld, p.opinion, p.reopens, p.cause,
	p.improvement, p.escalated_at + p.escalated_sign_at, p.created_at, p.closed_at`

const complaintFrom = ` FROM complaints p LEFT JOIN staff c ON c.id = p.clerk_id `

func complaintOverdue(p *Complaint, today calendar.Date) bool {
	switch p.State {
	case CNew:
		return Overdue(p.SignDue, today)
	case CReceived, CInvestigating, CFeedback, CEscalated:
		return p.Due != "" && Overdue(p.Due, today)
	}
	return false
}

func (s *Service) complaints(ctx context.Context, q store.Querier, hall int64, where string, args ...any) ([]*Complaint, error) {
	_, today, _, err := hallDay(ctx, q, hall, s.Now())
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, "SELECT "+complaintCols+complaintFrom+"WHERE "+where+" ORDER BY p.id DESC LIMIT 500", args...)
	if err != nil {
		return nil, err
	}
	out := []*Complaint{}
	var tickets []int64
	for rows.Next() {
		var p Complaint
		var ticket, esc int64
		var listened, apologised, upheld int
		if err := rows.Scan(&p.ID, &p.Code, &p.HallID, &p.Channel, &p.Topic, &p.Text, &p.ContactName, &p.ContactPhone, &ticket, &p.WindowID,
			&p.ClerkID, &p.ClerkName, &p.ServiceID, &p.State, &p.Class, &p.Department, &p.Priority, &p.ReceivedDay, &p.SignDue, &p.Due,
			&listened, &apologised, &p.Action, &p.Result, &upheld, &p.Opinion, &p.Reopens, &p.Cause, &p.Improvement, &esc, &p.CreatedAt,
			&p.ClosedAt); err != nil {
			rows.Close()
			return nil, err
		}
		p.Listened, p.Apologised, p.Upheld, p.Escalated = listened == 1, apologised == 1, upheld == 1, esc > 0
		p.ContactName, p.ContactPhone = privacy.MaskName(p.ContactName), privacy.MaskPhone(p.ContactPhone)
		p.Text = privacy.Mask(p.Text)
		p.Overdue = complaintOverdue(&p, today)
		out = append(out, &p)
		tickets = append(tickets, ticket)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, p := range out {
		if tickets[i] == 0 {
			continue
		}
		t, err := queue.GetTicketRef(ctx, q, tickets[i])
		if err != nil {
			return nil, err
		}
		p.TicketNumber = t.Number
	}
	return out, nil
}

// Complaints lists a hall's complaints: state "open" (not archived or closed), "all", or one state.
func (s *Service) Complaints(ctx context.Context, a staff.Actor, hall int64, state string) ([]*Complaint, error) {
	if !authz.WholeHall(a, authz.FeedbackManage, hall) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	switch state {
	case "", "open":
		return s.complaints(ctx, s.DB, hall, "p.hall_id = ? AND p.state NOT IN (?, ?)", hall, CArchived, CClosed)
	case "all":
		return s.complaints(ctx, s.DB, hall, "p.hall_id = ?", hall)
	case CNew, CReceived, CInvestigating, CFeedback, CEscalated, CArchived, CClosed:
		return s.complaints(ctx, s.DB, hall, "p.hall_id = ? AND p.state = ?", hall, state)
	}
	return nil, apperr.New(apperr.Invalid, "feedback_bad_state", state)
}

func (s *Service) complaint(ctx context.Context, q store.Querier, where string, arg any) (*Complaint, error) {
	var hall, id int64
	err := q.QueryRow(ctx, "SELECT hall_id, id FROM complaints p WHERE "+where, arg).Scan(&hall, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "complaint_not_found")
	}
	if err != nil {
		return nil, err
	}
	ps, err := s.complaints(ctx, q, hall, "p.id = ?", id)
	if err != nil {
		return nil, err
	}
	p := ps[0]
	if p.History, err = steps(ctx, q, "complaint", id); err != nil {
		return nil, err
	}
	return p, nil
}

// Complaint is one complaint with its history, for the hall's staff who work complaints.
func (s *Service) Complaint(ctx context.Context, a staff.Actor, id int64) (*Complaint, error) {
	p, err := s.complaint(ctx, s.DB, "p.id = ?", id)
	if err != nil {
		return nil, err
	}
	if !authz.WholeHall(a, authz.FeedbackManage, p.HallID) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	return p, nil
}

// ComplaintPublic is what the complainant sees on their follow-up page: their own complaint,
// the contact masked, the steps without the staff's names.
type ComplaintPublic struct {
	Code          string `json:"code"`
	State         string `json:"state"`
	Channel       string `json:"channel"`
	Topic         string `json:"topic"`
	Text          string `json:"text"`
	ContactName   string `json:"contact_name"`
	ContactPhone  string `json:"contact_phone"`
	ReceivedDay   string `json:"received_day"`
	Due           string `json:"due,omitempty"`
	Class         string `json:"class,omitempty"`
	Result        string `json:"result,omitempty"`
	Opinion       string `json:"opinion,omitempty"`
	Reopens       int    `json:"reopens"`
	OpinionWanted bool   `json:"opinion_wanted"`
	History       []Step `json:"history"`
}

// ComplaintByToken is the complaint whose follow-up token is token, as its complainant sees it.
func (s *Service) ComplaintByToken(ctx context.Context, token string) (*ComplaintPublic, error) {
	if token == "" || len(token) > 64 {
		return nil, apperr.New(apperr.NotFound, "complaint_not_found")
	}
	p, err := s.complaint(ctx, s.DB, "p.token = ?", hash(token))
	if err != nil {
		return nil, err
	}
	out := &ComplaintPublic{Code: p.Code, State: p.State, Channel: p.Channel, Topic: p.Topic, Text: p.Text, ContactName: p.ContactName,
		ContactPhone: p.ContactPhone, ReceivedDay: p.ReceivedDay, Due: p.Due, Class: p.Class, Opinion: p.Opinion, Reopens: p.Reopens,
		OpinionWanted: p.State == CFeedback, History: []Step{}}
	if p.State == CFeedback || p.State == CArchived || p.State == CClosed {
		out.Result = p.Result
	}
	for _, st := range p.History {
		out.History = append(out.History, Step{At: st.At, Action: st.Action, From: st.From, To: st.To})
	}
	return out, nil
}

// ComplaintStep carries what a step records; each action reads its own fields.
type ComplaintStep struct {
	Note        string `json:"note"`
	Class       string `json:"class"`      // classify
	Topic       string `json:"topic"`      // classify (optional: corrects the topic)
	Department  string `json:"department"` // classify
	Priority    int    `json:"priority"`   // classify: 1 high … 3 low
	Listened    bool   `json:"listened"`   // handle (LEARN: listen, apologise, react)
	Apologised  bool   `json:"apologised"` // handle
	Action      string `json:"action"`     // handle: what was done
	Result      string `json:"result"`     // handle: what the complainant is told
	Upheld      bool   `json:"upheld"`     // handle: the complaint was justified
	Opinion     string `json:"opinion"`    // opinion: satisfied or unsatisfied
	Cause       string `json:"cause"`      // learn
	Improvement string `json:"improvement"`
}

// ActComplaint moves complaint id by action (sign, classify, handle, opinion, learn) for the
// hall's staff.
func (s *Service) ActComplaint(ctx context.Context, a staff.Actor, id int64, action string, in ComplaintStep) (*Complaint, error) {
	if err := s.actComplaint(ctx, &a, "id = ?", id, action, in); err != nil {
		return nil, err
	}
	return s.complaint(ctx, s.DB, "p.id = ?", id)
}

// CitizenOpinion records the complainant's own opinion of the result, from their follow-up page.
func (s *Service) CitizenOpinion(ctx context.Context, token string, satisfied bool, note string) (*ComplaintPublic, error) {
	if token == "" || len(token) > 64 {
		return nil, apperr.New(apperr.NotFound, "complaint_not_found")
	}
	op := OpinionUnsatisfied
	if satisfied {
		op = OpinionSatisfied
	}
	if err := s.actComplaint(ctx, nil, "token = ?", hash(token), "opinion", ComplaintStep{Opinion: op, Note: note}); err != nil {
		return nil, err
	}
	return s.ComplaintByToken(ctx, token)
}

func (s *Service) actComplaint(ctx context.Context, a *staff.Actor, where string, key any, action string, in ComplaintStep) error {
	variant := ""
	if action == "opinion" {
		variant = in.Opinion
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		lock := ""
		if tx.Dialect() == store.Postgres {
			lock = " FOR UPDATE"
		}
		var id, hall int64
		var state, received string
		var reopens, upheld int
		err := tx.QueryRow(ctx, "SELECT id, hall_id, state, received_day, reopens, upheld FROM complaints WHERE "+where+lock, key).
			Scan(&id, &hall, &state, &received, &reopens, &upheld)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "complaint_not_found")
		}
		if err != nil {
			return err
		}
		var who audit.Who = citizen("citizen:web")
		if a != nil {
			if !authz.WholeHall(*a, authz.FeedbackManage, hall) {
				return apperr.New(apperr.Forbidden, "forbidden")
			}
			who = *a
		}
		var wasEscalated int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM feedback_steps WHERE kind = 'complaint' AND ref_id = ? AND to_state = ?", id, CEscalated).
			Scan(&wasEscalated); err != nil {
			return err
		}
		to, err := ComplaintNext(state, action, variant, reopens, wasEscalated > 0)
		if err != nil {
			return err
		}
		now := s.Now()
		set := "state = ?, updated_at = ?"
		args := []any{to, now.UnixMilli()}
		add := func(col string, v any) { set += ", " + col + " = ?"; args = append(args, v) }
		note, err := text("note", in.Note, 1000, false)
		if err != nil {
			return err
		}
		switch action {
		case "classify":
			if in.Topic != "" {
				if !slices.Contains(Topics, in.Topic) {
					return apperr.New(apperr.Invalid, "complaint_bad_topic", in.Topic)
				}
				add("topic", in.Topic)
			}
			dept, err := text("department", in.Department, 100, true)
			if err != nil {
				return err
			}
			if in.Priority < 1 || in.Priority > 3 {
				return apperr.New(apperr.Invalid, "complaint_bad_priority")
			}
			c, _, _, err := hallDay(ctx, tx, hall, now)
			if err != nil {
				return err
			}
			day, err := calendar.ParseDate(received)
			if err != nil {
				return err
			}
			due, err := ComplaintDue(c, mustSettings(ctx, tx, hall), day, in.Class)
			if err != nil {
				return err
			}
			add("class", in.Class)
			add("department", dept)
			add("priority", in.Priority)
			add("due", due.String())
			note = in.Class + " → " + dept
		case "handle":
			act, err := text("action", in.Action, 1000, true)
			if err != nil {
				return err
			}
			res, err := text("result", in.Result, 1000, true)
			if err != nil {
				return err
			}
			add("listened", flag(in.Listened))
			add("apologised", flag(in.Apologised))
			add("action", privacy.Mask(act))
			add("result", privacy.Mask(res))
			add("upheld", flag(in.Upheld || upheld == 1)) // once found justified, a later handling does not undo it
		case "opinion":
			add("opinion", in.Opinion)
			if to == CInvestigating {
				add("reopens", reopens+1)
			}
			if to == CArchived {
				add("closed_at", now.UnixMilli())
			}
			note = in.Opinion + " " + note
		case "learn":
			cause, err := text("cause", in.Cause, 1000, true)
			if err != nil {
				return err
			}
			imp, err := text("improvement", in.Improvement, 1000, true)
			if err != nil {
				return err
			}
			add("cause", privacy.Mask(cause))
			add("improvement", privacy.Mask(imp))
		}
		args = append(args, id, state)
		res, err := tx.Exec(ctx, "UPDATE complaints SET "+set+" WHERE id = ? AND state = ?", args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "feedback_illegal_step", action, state)
		}
		if err := recordStep(ctx, tx, "complaint", id, now, who, action, state, to, privacy.Mask(note)); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, who, hall, "complaint."+action, fmt.Sprintf("complaint:%d", id),
			map[string]any{"from": state, "to": to}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hall)
	})
	return wrap("complaint "+action, err)
}

// Marker is feedback's part of a hall's public screen state: only when the hall's feedback last
// changed, never counts or contents (the state is public), so the work lists know to re-read.
type Marker struct {
	Changed int64 `json:"changed"`
}

// HallMarker is the hall screen's part (key "feedback").
func (s *Service) HallMarker(ctx context.Context, hall int64) (map[string]Marker, error) {
	var m Marker
	err := s.DB.QueryRow(ctx, `SELECT COALESCE((SELECT MAX(updated_at) FROM rectifications WHERE hall_id = ?), 0)
		+ COALESCE((SELECT MAX(updated_at) FROM complaints WHERE hall_id = ?), 0)
		+ COALESCE((SELECT MAX(drawn_at) + MAX(done_at) FROM survey_calls WHERE hall_id = ?), 0)`, hall, hall, hall).Scan(&m.Changed)
	if err != nil {
		return nil, fmt.Errorf("feedback marker: %w", err)
	}
	return map[string]Marker{"feedback": m}, nil
}
