package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Contact is a served citizen who left a phone number, as a source offers them for a
// call-back survey: ID is the source's own record (a complaint, a rating, an appointment …).
type Contact struct {
	ID    int64
	Phone string
}

// ContactSource lists a hall's citizens served in [from, to) who left a contact. Appointments
// and case files add theirs to Service.Sources (app wires them) with a name of their own.
type ContactSource struct {
	Name string
	List func(ctx context.Context, q store.Querier, hall int64, from, to time.Time) ([]Contact, error)
}

// builtinSources are feedback's own: complainants and citizens who left a contact with a rating.
var builtinSources = []ContactSource{
	{Name: "complaint", List: func(ctx context.Context, q store.Querier, hall int64, from, to time.Time) ([]Contact, error) {
		return contacts(ctx, q, `SELECT id, contact_phone FROM complaints WHERE hall_id = ? AND contact_phone <> '' AND created_at >= ? AND created_at < ?`,
			hall, from.UnixMilli(), to.UnixMilli())
	}},
	{Name: "rating", List: func(ctx context.Context, q store.Querier, hall int64, from, to time.Time) ([]Contact, error) {
		return contacts(ctx, q, `SELECT id, contact_phone FROM ratings WHERE hall_id = ? AND contact_phone <> '' AND created_at >= ? AND created_at < ?`,
			hall, from.UnixMilli(), to.UnixMilli())
	}},
}

func contacts(ctx context.Context, q store.Querier, query string, args ...any) ([]Contact, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		if err := rows.Scan(&c.ID, &c.Phone); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SurveyCall is one citizen drawn for a call-back survey.
type SurveyCall struct {
	ID      int64     `json:"id"`
	Source  string    `json:"source"`
	RefID   int64     `json:"ref_id"`
	Phone   string    `json:"contact_phone"` // masked
	State   string    `json:"state"`
	Level   int       `json:"level,omitempty"`
	Comment string    `json:"comment,omitempty"`
	DrawnAt time.Time `json:"drawn_at"`
}

// MaxSample bounds one draw.
const MaxSample = 200

// DrawSurvey draws up to n citizens served in the last days days who left a contact and were
// never drawn before, at random across every source.
func (s *Service) DrawSurvey(ctx context.Context, a staff.Actor, hall int64, n, days int) ([]SurveyCall, error) {
	if !authz.WholeHall(a, authz.FeedbackManage, hall) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	if n < 1 || n > MaxSample || days < 1 || days > 366 {
		return nil, apperr.New(apperr.Invalid, "survey_bad_sample", MaxSample)
	}
	now := s.Now()
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		type cand struct {
			source string
			c      Contact
		}
		var pool []cand
		for _, src := range append(builtinSources, s.Sources...) {
			cs, err := src.List(ctx, tx, hall, now.AddDate(0, 0, -days), now.Add(time.Millisecond))
			if err != nil {
				return fmt.Errorf("survey source %s: %w", src.Name, err)
			}
			for _, c := range cs {
				var x int
				err := tx.QueryRow(ctx, "SELECT 1 FROM survey_calls WHERE source = ? AND source_id = ?", src.Name, c.ID).Scan(&x)
				if errors.Is(err, sql.ErrNoRows) {
					pool = append(pool, cand{src.Name, c})
				} else if err != nil {
					return err
				}
			}
		}
		rand.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		pool = pool[:min(n, len(pool))]
		for _, p := range pool {
			if _, err := tx.Exec(ctx, `INSERT INTO survey_calls (hall_id, source, source_id, contact_phone, drawn_at, drawn_by, state)
				VALUES (?, ?, ?, ?, ?, ?, 'pending')`, hall, p.source, p.c.ID, p.c.Phone, now.UnixMilli(), nullID(a.ID)); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, now, a, hall, "survey.draw", fmt.Sprintf("hall:%d", hall), map[string]any{"drawn": len(pool), "days": days}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hall)
	})
	if err != nil {
		return nil, wrap("draw survey", err)
	}
	return s.Surveys(ctx, a, hall, "pending")
}

// Surveys lists a hall's survey calls in a state (pending, done, unreachable) or "all".
func (s *Service) Surveys(ctx context.Context, a staff.Actor, hall int64, state string) ([]SurveyCall, error) {
	if !authz.WholeHall(a, authz.FeedbackManage, hall) {
		return nil, apperr.New(apperr.Forbidden, "forbidden")
	}
	where, args := "hall_id = ?", []any{hall}
	switch state {
	case "all":
	case "", "pending", "done", "unreachable":
		if state == "" {
			state = "pending"
		}
		where, args = where+" AND state = ?", append(args, state)
	default:
		return nil, apperr.New(apperr.Invalid, "feedback_bad_state", state)
	}
	rows, err := s.DB.Query(ctx, "SELECT id, source, source_id, contact_phone, state, level, comment, drawn_at FROM survey_calls WHERE "+where+
		" ORDER BY id DESC LIMIT 500", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SurveyCall{}
	for rows.Next() {
		var c SurveyCall
		var at int64
		if err := rows.Scan(&c.ID, &c.Source, &c.RefID, &c.Phone, &c.State, &c.Level, &c.Comment, &at); err != nil {
			return nil, err
		}
		c.Phone, c.Comment, c.DrawnAt = privacy.MaskPhone(c.Phone), privacy.Mask(c.Comment), time.UnixMilli(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SurveyResult is the answer of a survey call: a level 1–5, or reached false.
type SurveyResult struct {
	Reached bool   `json:"reached"`
	Level   int    `json:"level"`
	Comment string `json:"comment"`
}

// RecordSurvey records the answer of a pending survey call.
func (s *Service) RecordSurvey(ctx context.Context, a staff.Actor, id int64, in SurveyResult) error {
	if in.Reached && (in.Level < 1 || in.Level > 5) {
		return apperr.New(apperr.Invalid, "rating_bad_level")
	}
	comment, err := text("comment", in.Comment, 500, false)
	if err != nil {
		return err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var hall int64
		var state string
		err := tx.QueryRow(ctx, "SELECT hall_id, state FROM survey_calls WHERE id = ?", id).Scan(&hall, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "survey_not_found")
		}
		if err != nil {
			return err
		}
		if !authz.WholeHall(a, authz.FeedbackManage, hall) {
			return apperr.New(apperr.Forbidden, "forbidden")
		}
		st, err := SurveyNext(state, in.Reached)
		if err != nil {
			return err
		}
		now := s.Now()
		h, err := hallLoc(ctx, tx, hall)
		if err != nil {
			return err
		}
		level := in.Level
		if !in.Reached {
			level = 0
		}
		if _, err := tx.Exec(ctx, "UPDATE survey_calls SET state = ?, level = ?, comment = ?, done_at = ?, day = ? WHERE id = ? AND state = 'pending'",
			st, level, privacy.Mask(comment), now.UnixMilli(), calendar.DateOf(now.In(h)).String(), id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, a, hall, "survey.record", fmt.Sprintf("survey:%d", id), map[string]any{"state": st, "level": level}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hall)
	})
	return wrap("record survey", err)
}

func hallLoc(ctx context.Context, q store.Querier, hall int64) (*time.Location, error) {
	_, _, h, err := hallDay(ctx, q, hall, time.Now())
	if err != nil {
		return nil, err
	}
	return h.Location(), nil
}
