package appointments

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/store"
)

// What the holder of a booking does with it: read it, cancel it, move it, check in.

const bookingCols = `a.id, a.hall_id, a.service_id, s.name, a.slot_id, a.day, a.start_at, a.end_at, a.code, a.token, a.name, a.phone,
	a.id_masked, a.state, a.ticket_token FROM appointments a JOIN services s ON s.id = a.service_id `

func scanBooking(row interface{ Scan(...any) error }) (*Booking, error) {
	var b Booking
	var start, end int64
	var name, phone string
	err := row.Scan(&b.id, &b.HallID, &b.ServiceID, &b.ServiceName, &b.slotID, &b.day, &start, &end, &b.Code, &b.Token, &name, &phone,
		&b.IDNumber, &b.State, &b.TicketToken)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "appt_not_found")
	}
	if err != nil {
		return nil, err
	}
	b.Start, b.End = time.UnixMilli(start), time.UnixMilli(end)
	b.Name, b.Phone = privacy.MaskName(name), privacy.Mask(phone)
	return &b, nil
}

func validToken(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (s *Service) byToken(ctx context.Context, q store.Querier, token string, lock bool) (*Booking, error) {
	if !validToken(token) {
		return nil, apperr.New(apperr.NotFound, "appt_not_found")
	}
	query := "SELECT " + bookingCols + "WHERE a.token = ?"
	if lock {
		query = lockRow(q, query)
	}
	b, err := scanBooking(q.QueryRow(ctx, query, token))
	if err != nil {
		return nil, err
	}
	set, err := GetSettings(ctx, q, b.HallID)
	if err != nil {
		return nil, err
	}
	hall, err := org.GetHall(ctx, q, b.HallID)
	if err != nil {
		return nil, err
	}
	b.loc = hall.Location()
	s.fill(b, set)
	return b, nil
}

// lockRow locks the booking's row on PostgreSQL (SQLite has one writer).
func lockRow(q store.Querier, query string) string {
	if tx, ok := q.(*store.Tx); ok && tx.Dialect() == store.Postgres {
		return query + " FOR UPDATE OF a"
	}
	return query
}

// Get is a booking seen by its holder, by its unguessable token.
func (s *Service) Get(ctx context.Context, token string) (*Booking, error) {
	return s.byToken(ctx, s.DB, token, false)
}

// Cancel cancels a booking until the hall's time before its slot; the place is freed.
func (s *Service) Cancel(ctx context.Context, token string) (*Booking, error) {
	var out *Booking
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		b, err := s.byToken(ctx, tx, token, true)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := mayChange(b, now); err != nil {
			return err
		}
		if err := release(ctx, tx, b.slotID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE appointments SET state = 'cancelled', changed_at = ? WHERE id = ?", now.UnixMilli(), b.id); err != nil {
			return err
		}
		b.State = Cancelled
		out = b
		if err := audit.Record(ctx, tx, now, Citizen, b.HallID, "appointment.cancel", fmt.Sprintf("appointment:%d", b.id), nil); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, b.HallID)
	})
	return out, wrap("cancel", err)
}

// Reschedule moves a booking to another slot of its service, under the rules of a new booking,
// until the hall's time before its present slot.
func (s *Service) Reschedule(ctx context.Context, token string, start time.Time) (*Booking, error) {
	if start.IsZero() {
		return nil, apperr.New(apperr.Invalid, "bad_request", "start")
	}
	var out *Booking
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		b, err := s.byToken(ctx, tx, token, true)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := mayChange(b, now); err != nil {
			return err
		}
		if b.Start.Equal(start) {
			out = b
			return nil
		}
		hall, err := org.GetHall(ctx, tx, b.HallID)
		if err != nil {
			return err
		}
		set, err := GetSettings(ctx, tx, b.HallID)
		if err != nil {
			return err
		}
		var phoneKey, idKey string
		if err := tx.QueryRow(ctx, "SELECT phone_key, id_key FROM appointments WHERE id = ?", b.id).Scan(&phoneKey, &idKey); err != nil {
			return err
		}
		slot, err := s.claim(ctx, tx, hall, set, b.ServiceID, start, now)
		if err != nil {
			return err
		}
		if slot.day != b.day {
			if err := checkOnePerDay(ctx, tx, b.ServiceID, slot.day, phoneKey, idKey, b.id); err != nil {
				return err
			}
		}
		if err := release(ctx, tx, b.slotID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE appointments SET slot_id = ?, day = ?, start_at = ?, end_at = ?, changed_at = ? WHERE id = ?",
			slot.id, slot.day, slot.Start.UnixMilli(), slot.End.UnixMilli(), now.UnixMilli(), b.id); err != nil {
			return err
		}
		b.slotID, b.day, b.Start, b.End = slot.id, slot.day, slot.Start, slot.End
		s.fill(b, set)
		out = b
		if err := audit.Record(ctx, tx, now, Citizen, b.HallID, "appointment.reschedule", fmt.Sprintf("appointment:%d", b.id),
			map[string]any{"start": slot.Start.UnixMilli()}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, b.HallID)
	})
	if store.IsUniqueViolation(err) {
		return nil, apperr.New(apperr.Conflict, "appt_duplicate")
	}
	return out, wrap("reschedule", err)
}

func mayChange(b *Booking, now time.Time) error {
	if b.State != Booked {
		return apperr.New(apperr.Conflict, "appt_not_active", b.State)
	}
	if now.After(b.ChangeUntil) {
		return apperr.New(apperr.Conflict, "appt_change_closed", b.ChangeUntil.In(b.loc).Format("01-02 15:04"))
	}
	return nil
}

func release(ctx context.Context, tx *store.Tx, slot int64) error {
	_, err := tx.Exec(ctx, "UPDATE appointment_slots SET booked = booked - 1 WHERE id = ? AND booked > 0", slot)
	return err
}

// CheckIn checks a booking in at the hall's kiosk by its code.
func (s *Service) CheckIn(ctx context.Context, hall int64, code string) (*queue.Ticket, error) {
	if len(code) < 4 || len(code) > 12 {
		return nil, apperr.New(apperr.NotFound, "appt_not_found")
	}
	return s.checkIn(ctx, "SELECT "+bookingCols+"WHERE a.hall_id = ? AND a.code = ?", hall, code)
}

// CheckInByToken checks a booking in from its own page (the citizen is in the hall).
func (s *Service) CheckInByToken(ctx context.Context, token string) (*queue.Ticket, error) {
	if !validToken(token) {
		return nil, apperr.New(apperr.NotFound, "appt_not_found")
	}
	return s.checkIn(ctx, "SELECT "+bookingCols+"WHERE a.token = ?", token)
}

// checkIn: within the span around the slot the ticket is called at the slot time ahead of the
// walk-ins of its service; after it (the same day) the citizen joins the walk-ins, and the
// booking counts as late rather than missed.
func (s *Service) checkIn(ctx context.Context, query string, args ...any) (*queue.Ticket, error) {
	var out *queue.Ticket
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		b, err := scanBooking(tx.QueryRow(ctx, lockRow(tx, query), args...))
		if err != nil {
			return err
		}
		hall, err := org.GetHall(ctx, tx, b.HallID)
		if err != nil {
			return err
		}
		set, err := GetSettings(ctx, tx, b.HallID)
		if err != nil {
			return err
		}
		s.fill(b, set)
		now := s.Now()
		switch b.State {
		case Booked, NoShow:
		case CheckedIn, Late:
			return apperr.New(apperr.Conflict, "appt_already_checked_in")
		default:
			return apperr.New(apperr.Conflict, "appt_not_active", b.State)
		}
		if now.In(hall.Location()).Format(time.DateOnly) != b.day {
			return apperr.New(apperr.Conflict, "appt_not_today", b.day)
		}
		if now.Before(b.CheckinFrom) {
			return apperr.New(apperr.Conflict, "appt_too_early", b.CheckinFrom.In(hall.Location()).Format("15:04"))
		}
		opts := queue.IssueOptions{Channel: "appointment"}
		state := Late
		if !now.After(b.CheckinUntil) {
			opts.SlotAt, state = b.Start, CheckedIn
		}
		t, err := s.Queue.IssueTx(ctx, tx, b.HallID, b.ServiceID, opts)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE appointments SET state = ?, checked_in_at = ?, ticket_id = ?, ticket_token = ? WHERE id = ?",
			state, now.UnixMilli(), t.ID, t.Token, b.id); err != nil {
			return err
		}
		out = t
		if err := audit.Record(ctx, tx, now, Citizen, b.HallID, "appointment.checkin", fmt.Sprintf("appointment:%d", b.id),
			map[string]any{"ticket": t.Number, "state": state}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, b.HallID)
	})
	return out, wrap("check in", err)
}
