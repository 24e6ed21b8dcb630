package queue

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Open signs a clerk in at a window and opens it for calling. Windows may open ten minutes
// before the hall opens, and after closing while people still wait.
func (e *Engine) Open(ctx context.Context, a staff.Actor, windowID int64) error {
	return e.DB.InTx(ctx, func(tx *store.Tx) error {
		w, err := lockWindow(ctx, tx, windowID)
		if err != nil {
			return err
		}
		if !authz.InHall(a, authz.WindowOperate, w.HallID) {
			return apperr.New(apperr.Forbidden, "window_of_other_hall")
		}
		if active, err := org.WindowActive(ctx, tx, windowID); err != nil || !active {
			return cmp.Or(err, apperr.New(apperr.Conflict, "window_retired"))
		}
		if w.State != "closed" {
			if w.ClerkID == a.ID {
				return nil // opening twice is harmless
			}
			return apperr.New(apperr.Conflict, "window_taken")
		}
		var elsewhere int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM window_states WHERE clerk_id = ? AND state <> 'closed'", a.ID).Scan(&elsewhere); err != nil {
			return err
		}
		if elsewhere > 0 {
			return apperr.New(apperr.Conflict, "already_at_window")
		}
		hall, err := org.GetHall(ctx, tx, w.HallID)
		if err != nil {
			return err
		}
		now := e.Now()
		if !hall.Hours().WindowsMayOpenAt(now) {
			var waiting int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND state = 'waiting'", w.HallID).Scan(&waiting); err != nil {
				return err
			}
			if waiting == 0 {
				return apperr.New(apperr.Conflict, "hall_not_open_yet", hall.OpenTime)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO window_states (window_id, state, clerk_id, opened_at) VALUES (?, 'open', ?, ?)
			ON CONFLICT (window_id) DO UPDATE SET state = 'open', clerk_id = excluded.clerk_id, opened_at = excluded.opened_at,
			priority_streak = 0, pause_reason = '', pause_note = '', paused_at = 0, pause_until = 0`, w.ID, a.ID, now.UnixMilli()); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, a, w.HallID, "window.open", "window:"+w.Name, nil); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, w.HallID)
	})
}

// Close signs the clerk out of the window. The current ticket must be finished first.
func (e *Engine) Close(ctx context.Context, a staff.Actor, windowID int64) error {
	return e.windowOp(ctx, a, windowID, "window.close", func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		if w.State == "closed" {
			return "", nil, apperr.New(apperr.Conflict, "window_not_open")
		}
		if err := requireIdle(ctx, tx, w.ID); err != nil {
			return "", nil, err
		}
		// Tickets sent to this very window go back to their service's queue, keeping their place.
		if _, err := tx.Exec(ctx, "UPDATE tickets SET target_window_id = NULL WHERE target_window_id = ? AND state = 'waiting'", w.ID); err != nil {
			return "", nil, err
		}
		_, err := tx.Exec(ctx, `UPDATE window_states SET state = 'closed', clerk_id = NULL, pause_reason = '', paused_at = 0,
			pause_until = 0, pending_reason = '', pending_note = '', pending_minutes = 0, pending_at = 0, pending_approved = 0 WHERE window_id = ?`, w.ID)
		return "", nil, err
	})
}

// SignOut closes every window the staff member is signed in at, before their session ends: a
// window nobody sits at must not read as open on the board. A window with a ticket in service
// refuses (finish_current_first), and the caller keeps the session.
func (e *Engine) SignOut(ctx context.Context, a staff.Actor) error {
	ids, err := WindowsOf(ctx, e.DB, a.ID)
	if err != nil {
		return wrap("sign out", err)
	}
	for _, id := range ids {
		if err := e.Close(ctx, a, id); err != nil {
			if ae := apperr.As(err); ae != nil && ae.Code == "window_not_open" {
				continue // closed meanwhile
			}
			return err
		}
	}
	return nil
}

// PauseResult says whether a pause took effect or waits for a supervisor.
type PauseResult struct {
	State   string `json:"state"` // "paused" or "pending"
	Minutes int    `json:"minutes"`
}

// Pause stops calling at the window for a reason (暂停服务). Pauses longer than the hall allows,
// phone calls over two minutes and pauses at the hall's peak wait for a supervisor's approval;
// the window keeps calling until then.
func (e *Engine) Pause(ctx context.Context, a staff.Actor, windowID int64, reason string, minutes int, note string) (*PauseResult, error) {
	if !validPauseReason(reason) {
		return nil, apperr.New(apperr.Invalid, "bad_pause_reason", reason)
	}
	if minutes < 1 || minutes > MaxPauseMinutes {
		return nil, apperr.New(apperr.Invalid, "bad_pause_minutes", MaxPauseMinutes)
	}
	if len([]rune(note)) > 200 {
		return nil, apperr.New(apperr.Invalid, "note_too_long", 200)
	}
	var res PauseResult
	err := e.windowOp(ctx, a, windowID, "window.pause", func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		if err := requireOpen(w); err != nil {
			return "", nil, err
		}
		if err := requireIdle(ctx, tx, w.ID); err != nil {
			return "", nil, err
		}
		hall, err := org.GetHall(ctx, tx, w.HallID)
		if err != nil {
			return "", nil, err
		}
		var waiting int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND state = 'waiting'", w.HallID).Scan(&waiting); err != nil {
			return "", nil, err
		}
		res.Minutes = minutes
		detail := map[string]any{"reason": reason, "minutes": minutes}
		if NeedsApproval(reason, minutes, hall.FreePauseMin, waiting, hall.PeakWaiting) {
			res.State = "pending"
			detail["approval"] = "requested"
			_, err := tx.Exec(ctx, `UPDATE window_states SET pending_reason = ?, pending_note = ?, pending_minutes = ?, pending_at = ? WHERE window_id = ?`,
				reason, note, minutes, now.UnixMilli(), w.ID)
			return "", detail, err
		}
		res.State = "paused"
		return "", detail, pauseNow(ctx, tx, w.ID, reason, note, minutes, now)
	})
	return &res, err
}

func pauseNow(ctx context.Context, tx *store.Tx, window int64, reason, note string, minutes int, now time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE window_states SET state = 'paused', pause_reason = ?, pause_note = ?, paused_at = ?, pause_until = ?,
		pending_reason = '', pending_note = '', pending_minutes = 0, pending_at = 0, pending_approved = 0 WHERE window_id = ?`,
		reason, note, now.UnixMilli(), now.Add(time.Duration(minutes)*time.Minute).UnixMilli(), window)
	return err
}

// startApprovedPause begins a pause that a supervisor approved while the window was serving,
// once the window's ticket is finished, skipped or transferred.
func startApprovedPause(ctx context.Context, tx *store.Tx, w *windowRow, now time.Time) error {
	if !w.PendingApproved {
		return nil
	}
	return pauseNow(ctx, tx, w.ID, w.PendingReason, w.PendingNote, w.PendingMinutes, now)
}

// Resume ends a pause (or withdraws a pending request) and the window calls again.
func (e *Engine) Resume(ctx context.Context, a staff.Actor, windowID int64) error {
	return e.windowOp(ctx, a, windowID, "window.resume", func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		if w.State != "paused" && w.PendingReason == "" {
			return "", nil, apperr.New(apperr.Conflict, "window_not_paused")
		}
		_, err := tx.Exec(ctx, `UPDATE window_states SET state = CASE WHEN state = 'paused' THEN 'open' ELSE state END, pause_reason = '',
			pause_note = '', paused_at = 0, pause_until = 0, pending_reason = '', pending_note = '', pending_minutes = 0, pending_at = 0,
			pending_approved = 0 WHERE window_id = ?`, w.ID)
		return "", nil, err
	})
}

// DecidePause is a supervisor's answer to a pending pause request.
func (e *Engine) DecidePause(ctx context.Context, a staff.Actor, windowID int64, approve bool) error {
	if !authz.Has(a, authz.PauseApprove) {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	action := "pause.reject"
	if approve {
		action = "pause.approve"
	}
	return e.windowOpAs(ctx, a, windowID, action, mayApprove, func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		if w.PendingReason == "" {
			return "", nil, apperr.New(apperr.Conflict, "no_pending_pause")
		}
		detail := map[string]any{"reason": w.PendingReason, "minutes": w.PendingMinutes}
		if !approve {
			_, err := tx.Exec(ctx, `UPDATE window_states SET pending_reason = '', pending_note = '', pending_minutes = 0, pending_at = 0,
				pending_approved = 0 WHERE window_id = ?`, w.ID)
			return "", detail, err
		}
		if err := requireOpen(w); err != nil {
			return "", nil, err
		}
		cur, err := current(ctx, tx, w.ID)
		if err != nil {
			return "", nil, err
		}
		if cur != nil {
			// The clerk is serving someone: the pause starts when that ticket is done, and the
			// window calls nobody new meanwhile.
			detail["starts"] = "after " + cur.Number
			_, err := tx.Exec(ctx, "UPDATE window_states SET pending_approved = 1 WHERE window_id = ?", w.ID)
			return "", detail, err
		}
		return "", detail, pauseNow(ctx, tx, w.ID, w.PendingReason, w.PendingNote, w.PendingMinutes, now)
	})
}

// requireIdle: closing or pausing a window needs its current ticket finished or skipped first.
func requireIdle(ctx context.Context, tx *store.Tx, window int64) error {
	cur, err := current(ctx, tx, window)
	if err == nil && cur != nil {
		err = apperr.New(apperr.Conflict, "finish_current_first", cur.Number)
	}
	return err
}

// LiveState is a window's live state now: closed, open or paused (closed when never opened).
// The back office asks it before retiring a window.
func LiveState(ctx context.Context, q store.Querier, window int64) (string, error) {
	var st string
	err := q.QueryRow(ctx, "SELECT state FROM window_states WHERE window_id = ?", window).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "closed", nil
	}
	return st, err
}

// WindowsOf are the windows a staff member is signed in at now.
func WindowsOf(ctx context.Context, q store.Querier, staffID int64) ([]int64, error) {
	return store.Int64s(ctx, q, "SELECT window_id FROM window_states WHERE clerk_id = ?", staffID)
}
