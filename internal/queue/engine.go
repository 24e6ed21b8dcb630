// Package queue is the hall's queue: issuing tickets, calling them to windows and everything a
// window does with them. Every operation is one transaction on the database; claiming the next
// ticket locks rows there (SKIP LOCKED on PostgreSQL, the single immediate writer on SQLite), so
// no ticket reaches two windows whatever the number of windows and server instances.
//
// Tables owned (only this package writes them): tickets, ticket_numbers, calls, window_states.
package queue

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Topic is published (key: the hall) by every operation that changes what the hall's screens
// show.
const Topic events.Topic = "queue"

// Engine runs the queue on a database. Now is the clock; tests set it.
type Engine struct {
	DB  *store.DB
	Now func() time.Time
}

// New returns an engine on db with the real clock.
func New(db *store.DB) *Engine { return &Engine{DB: db, Now: time.Now} }

// Ticket states.
const (
	Waiting = "waiting"
	Called  = "called"
	Serving = "serving"
	Done    = "done"
	Skipped = "skipped"
)

// Ticket is what a citizen holds and a window works on.
type Ticket struct {
	ID                   int64     `json:"id"`
	HallID               int64     `json:"hall"`
	ServiceID            int64     `json:"service"`
	ServiceName          string    `json:"service_name"`
	Number               string    `json:"number"`
	Token                string    `json:"token,omitempty"`
	Priority             string    `json:"priority,omitempty"`
	Channel              string    `json:"channel"`
	State                string    `json:"state"`
	TakenAt              time.Time `json:"taken_at"`
	CalledAt             time.Time `json:"called_at,omitzero"`
	StartedAt            time.Time `json:"started_at,omitzero"`
	FinishedAt           time.Time `json:"finished_at,omitzero"`
	WindowID             int64     `json:"window,omitempty"`
	WindowNumber         int       `json:"window_number,omitempty"`
	WindowName           string    `json:"window_name,omitempty"`
	Recalls              int       `json:"recalls"`
	Transfers            int       `json:"transfers"`
	Position             int       `json:"position,omitempty"`
	EstimatedWaitSeconds int       `json:"estimated_wait_seconds"`
	// OpenWindows counts the windows open now for the ticket's service: with none, nobody can
	// promise a wait, and the citizen is told so instead of an estimate.
	OpenWindows int `json:"open_windows"`
	// TargetWindow is the window a transferred ticket was sent to (转窗), if any.
	TargetWindow int64 `json:"target_window,omitempty"`
	// SlotAt is the appointment slot of a ticket checked in for one (zero for walk-ins).
	SlotAt time.Time `json:"slot_at,omitzero"`

	queuedAt int64
	target   int64
}

const ticketCols = `t.id, t.hall_id, t.service_id, s.name, t.prefix, t.number, t.token, t.priority_class, t.channel, t.state,
	t.taken_at, t.queued_at, t.called_at, t.started_at, t.finished_at, COALESCE(t.window_id, 0), COALESCE(w.number, 0),
	COALESCE(w.name, ''), t.recalls, t.transfers, COALESCE(t.target_window_id, 0), t.slot_at`

const ticketFrom = ` FROM tickets t JOIN services s ON s.id = t.service_id LEFT JOIN windows w ON w.id = t.window_id `

func scanTicket(row interface{ Scan(...any) error }) (*Ticket, error) {
	var t Ticket
	var prefix string
	var num int
	var taken, called, started, finished, slot int64
	var token string // never handed out here: only its holder (Issue, Status) sees it
	err := row.Scan(&t.ID, &t.HallID, &t.ServiceID, &t.ServiceName, &prefix, &num, &token, &t.Priority, &t.Channel,
		&t.State, &taken, &t.queuedAt, &called, &started, &finished, &t.WindowID, &t.WindowNumber, &t.WindowName,
		&t.Recalls, &t.Transfers, &t.target, &slot)
	if err != nil {
		return nil, err
	}
	t.Number = FormatNumber(prefix, num)
	t.TakenAt = time.UnixMilli(taken)
	t.CalledAt = millis(called)
	t.StartedAt = millis(started)
	t.FinishedAt = millis(finished)
	t.SlotAt = millis(slot)
	return &t, nil
}

func millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// validToken: tokens are base64url text; anything else cannot be one (and must not reach SQL
// as, say, a NUL byte PostgreSQL rejects).
func validToken(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Issue gives a citizen a ticket for a service of a hall (the kiosk). priority is a priority
// class code or "". It fails when the hall or the service is not issuing now, or the service's
// daily cap is reached.
func (e *Engine) Issue(ctx context.Context, hallID, serviceID int64, priority, channel string) (*Ticket, error) {
	var t *Ticket
	err := e.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = e.IssueTx(ctx, tx, hallID, serviceID, IssueOptions{Priority: priority, Channel: channel})
		return err
	})
	return t, err
}

// IssueOptions are the choices of IssueTx.
type IssueOptions struct {
	Priority string // a priority class code or ""
	Channel  string // kiosk (default), appointment, ...
	// SlotAt is the slot time of an appointment checked in within its span: from then on the
	// ticket is called ahead of the walk-ins of its service (see nextInLine). Zero for walk-ins.
	SlotAt time.Time
}

// IssueTx issues a ticket inside the caller's transaction (an appointment's check-in writes its
// own rows in the same one). The checks are Issue's, except that a ticket for a slot already
// booked is not refused by the service's daily cap or issuing hours: the place was reserved.
func (e *Engine) IssueTx(ctx context.Context, tx *store.Tx, hallID, serviceID int64, o IssueOptions) (*Ticket, error) {
	channel, priority := o.Channel, o.Priority
	if channel == "" {
		channel = "kiosk"
	}
	hall, err := org.GetHall(ctx, tx, hallID)
	if err != nil {
		return nil, err
	}
	svc, err := org.GetService(ctx, tx, hallID, serviceID)
	if err != nil {
		return nil, err
	}
	now := e.Now()
	loc := hall.Location()
	if !hall.Hours().IssuesAt(now) {
		return nil, apperr.New(apperr.Conflict, "hall_closed", hall.OpenTime, hall.CloseTime)
	}
	reserved := !o.SlotAt.IsZero()
	if !reserved && !org.InClockRange(now, loc, svc.IssueStart, svc.IssueEnd) {
		return nil, apperr.New(apperr.Conflict, "service_not_issuing", svc.IssueStart, svc.IssueEnd)
	}
	if priority != "" {
		ok, err := org.PriorityClassExists(ctx, tx, priority)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, apperr.New(apperr.Invalid, "unknown_priority", priority)
		}
	}
	day := now.In(loc).Format(time.DateOnly)
	if svc.DailyCap > 0 && !reserved {
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND day = ? AND first_service_id = ?",
			hallID, day, serviceID).Scan(&n); err != nil {
			return nil, err
		}
		if n >= svc.DailyCap {
			return nil, apperr.New(apperr.Conflict, "daily_cap_reached", svc.DailyCap)
		}
	}
	var num int
	if err := tx.QueryRow(ctx, `INSERT INTO ticket_numbers (hall_id, day, prefix, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (hall_id, day, prefix) DO UPDATE SET last = ticket_numbers.last + 1 RETURNING last`,
		hallID, day, svc.Prefix).Scan(&num); err != nil {
		return nil, err
	}
	ms := now.UnixMilli()
	var slot int64
	if reserved {
		slot = o.SlotAt.UnixMilli()
	}
	token := newToken()
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO tickets (hall_id, service_id, first_service_id, day, prefix, number, token,
		priority_class, channel, state, taken_at, queued_at, slot_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?) RETURNING id`,
		hallID, serviceID, serviceID, day, svc.Prefix, num, token, priority, channel, ms, ms, slot).Scan(&id); err != nil {
		return nil, fmt.Errorf("queue: issue: %w", err)
	}
	t := &Ticket{ID: id, HallID: hallID, ServiceID: serviceID, ServiceName: svc.Name, Number: FormatNumber(svc.Prefix, num),
		Token: token, Priority: priority, Channel: channel, State: Waiting, TakenAt: time.UnixMilli(ms), SlotAt: millis(slot), queuedAt: ms}
	if err := e.fillPosition(ctx, tx, t, svc.StdMinutes); err != nil {
		return nil, err
	}
	return t, events.Publish(ctx, tx, Topic, hallID)
}

// fillPosition sets the place of a waiting ticket in its service's queue and its estimated wait.
// Ahead of it: the priority tickets (all of them for an ordinary ticket, the earlier ones for a
// priority ticket) and the earlier ordinary tickets.
func (e *Engine) fillPosition(ctx context.Context, q store.Querier, t *Ticket, stdMinutes int) error {
	if t.State != Waiting {
		t.Position, t.EstimatedWaitSeconds = 0, 0
		return nil
	}
	ordinary := 0
	if t.Priority == "" {
		ordinary = 1
	}
	var ahead int
	var err error
	if !t.SlotAt.IsZero() && t.Priority == "" {
		// An appointment's ticket: behind the green channel and the appointments of earlier
		// slots; at its slot time it goes ahead of the walk-ins (nextInLine).
		slot := t.SlotAt.UnixMilli()
		err = q.QueryRow(ctx, `SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND service_id = ? AND state = 'waiting' AND id <> ? AND (
			priority_class <> '' OR (slot_at > 0 AND (slot_at < ? OR (slot_at = ? AND id < ?))))`,
			t.HallID, t.ServiceID, t.ID, slot, slot, t.ID).Scan(&ahead)
	} else {
		// A walk-in: the priority tickets, the earlier walk-ins and the appointments whose slot
		// time has come.
		now := e.Now().UnixMilli()
		err = q.QueryRow(ctx, `SELECT COUNT(*) FROM tickets WHERE hall_id = ? AND service_id = ? AND state = 'waiting' AND id <> ? AND (
			(priority_class <> '' AND (? = 1 OR queued_at < ? OR (queued_at = ? AND id < ?)))
			OR (priority_class = '' AND ? = 1 AND slot_at > 0 AND slot_at <= ?)
			OR (priority_class = '' AND ? = 1 AND slot_at = 0 AND (queued_at < ? OR (queued_at = ? AND id < ?))))`,
			t.HallID, t.ServiceID, t.ID, ordinary, t.queuedAt, t.queuedAt, t.ID, ordinary, now, ordinary, t.queuedAt, t.queuedAt, t.ID).Scan(&ahead)
	}
	if err != nil {
		return err
	}
	var servers int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM window_states w JOIN window_services ws ON ws.window_id = w.window_id
		WHERE ws.service_id = ? AND w.state <> 'closed'`, t.ServiceID).Scan(&servers); err != nil {
		return err
	}
	mean, err := e.meanHandle(ctx, q, t.ServiceID, stdMinutes)
	if err != nil {
		return err
	}
	t.Position = ahead + 1
	t.OpenWindows = servers
	t.TargetWindow = t.target
	t.EstimatedWaitSeconds = 0
	if servers > 0 {
		t.EstimatedWaitSeconds = int(EstimateWait(ahead, mean, servers) / time.Second)
	}
	return nil
}

// meanHandle is the mean handling time of the service's last twenty tickets, or its standard
// minutes while it has none.
func (e *Engine) meanHandle(ctx context.Context, q store.Querier, service int64, stdMinutes int) (time.Duration, error) {
	var n int
	var avg sql.NullFloat64
	err := q.QueryRow(ctx, `SELECT COUNT(*), AVG(d) FROM (SELECT finished_at - started_at AS d FROM tickets
		WHERE service_id = ? AND state = 'done' AND started_at > 0 ORDER BY finished_at DESC LIMIT 20) recent`, service).Scan(&n, &avg)
	if err != nil {
		return 0, err
	}
	if n >= 3 && avg.Valid && avg.Float64 > 0 {
		return time.Duration(avg.Float64) * time.Millisecond, nil
	}
	if stdMinutes <= 0 {
		stdMinutes = 10
	}
	return time.Duration(stdMinutes) * time.Minute, nil
}

// Status is a ticket seen by its holder, by its unguessable token.
func (e *Engine) Status(ctx context.Context, token string) (*Ticket, error) {
	if !validToken(token) {
		return nil, apperr.New(apperr.NotFound, "ticket_not_found")
	}
	t, err := scanTicket(e.DB.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.token = ?", token))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "ticket_not_found")
	}
	if err != nil {
		return nil, err
	}
	t.Token = token
	svc, err := org.GetServiceAny(ctx, e.DB, t.ServiceID)
	if err != nil {
		return nil, err
	}
	return t, e.fillPosition(ctx, e.DB, t, svc.StdMinutes)
}

// windowRow is a window as the operations need it, read (and on PostgreSQL locked) in the
// operation's transaction.
type windowRow struct {
	ID, HallID                 int64
	Number                     int
	Name, State                string
	ClerkID                    int64
	PriorityStreak             int
	PendingReason, PendingNote string
	PendingMinutes             int
	PendingApproved            bool
	PauseReason                string
}

func lockWindow(ctx context.Context, tx *store.Tx, id int64) (*windowRow, error) {
	// The window's configuration row is locked (a window never opened has no state row yet).
	q := `SELECT w.id, w.hall_id, w.number, w.name, COALESCE(s.state, 'closed'), COALESCE(s.clerk_id, 0), COALESCE(s.priority_streak, 0),
		COALESCE(s.pending_reason, ''), COALESCE(s.pending_note, ''), COALESCE(s.pending_minutes, 0), COALESCE(s.pending_approved, 0),
		COALESCE(s.pause_reason, '') FROM windows w LEFT JOIN window_states s ON s.window_id = w.id WHERE w.id = ?`
	if tx.Dialect() == store.Postgres {
		q += " FOR UPDATE OF w"
	}
	var w windowRow
	err := tx.QueryRow(ctx, q, id).Scan(&w.ID, &w.HallID, &w.Number, &w.Name, &w.State, &w.ClerkID, &w.PriorityStreak,
		&w.PendingReason, &w.PendingNote, &w.PendingMinutes, &w.PendingApproved, &w.PauseReason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "window_not_found", id)
	}
	return &w, err
}

// mayOperate: the clerk signed in at the window works it; whoever may step in at the window's
// hall (its supervisor, an admin) may too.
func mayOperate(a staff.Actor, w *windowRow) error {
	if a.ID != 0 && w.ClerkID == a.ID && authz.Has(a, authz.WindowOperate) {
		return nil
	}
	if authz.WholeHall(a, authz.WindowStepIn, w.HallID) {
		return nil
	}
	if authz.Has(a, authz.WindowStepIn) {
		return apperr.New(apperr.Forbidden, "window_of_other_hall")
	}
	if !authz.Has(a, authz.WindowOperate) {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	if w.ClerkID == 0 {
		return apperr.New(apperr.Conflict, "window_not_open")
	}
	return apperr.New(apperr.Forbidden, "window_of_other_clerk")
}

// mayApprove: pause requests are decided by whoever approves pauses in the window's hall.
func mayApprove(a staff.Actor, w *windowRow) error {
	if authz.InHall(a, authz.PauseApprove, w.HallID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "window_of_other_hall")
}

// current is the ticket a window is working on (called or being served), or nil.
func current(ctx context.Context, tx *store.Tx, window int64) (*Ticket, error) {
	t, err := scanTicket(tx.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.window_id = ? AND t.state IN ('called', 'serving')", window))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return t, err
}

// windowOp runs one operation on a window: it locks the window, checks the caller, runs fn,
// writes the audit line and tells the hall's screens.
func (e *Engine) windowOp(ctx context.Context, a staff.Actor, windowID int64, action string, fn func(tx *store.Tx, w *windowRow, now time.Time) (target string, detail any, err error)) error {
	return e.windowOpAs(ctx, a, windowID, action, mayOperate, fn)
}

// windowOpAs is windowOp with another check of the caller.
func (e *Engine) windowOpAs(ctx context.Context, a staff.Actor, windowID int64, action string, may func(staff.Actor, *windowRow) error,
	fn func(tx *store.Tx, w *windowRow, now time.Time) (target string, detail any, err error)) error {
	return wrap(action, e.DB.InTx(ctx, func(tx *store.Tx) error {
		w, err := lockWindow(ctx, tx, windowID)
		if err != nil {
			return err
		}
		if err := may(a, w); err != nil {
			return err
		}
		now := e.Now()
		target, detail, err := fn(tx, w, now)
		if err != nil {
			return err
		}
		if target == "" {
			target = "window:" + w.Name
		}
		if err := audit.Record(ctx, tx, now, a, w.HallID, action, target, detail); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, w.HallID)
	}))
}

// Call calls the next ticket to the window. It returns nil (and no error) when nobody waits for
// the window's services. Order: tickets transferred to this very window; then priority tickets
// before ordinary ones (bounded by the hall's streak, see PriorityFirst); then the window's
// services in its order of preference; then first come, first served.
func (e *Engine) Call(ctx context.Context, a staff.Actor, windowID int64) (*Ticket, error) {
	var out *Ticket
	err := e.windowOp(ctx, a, windowID, "window.call", func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		if err := requireOpen(w); err != nil {
			return "", nil, err
		}
		if w.PendingApproved {
			return "", nil, apperr.New(apperr.Conflict, "pause_approved")
		}
		if err := requireIdle(ctx, tx, w.ID); err != nil {
			return "", nil, err
		}
		hall, err := org.GetHall(ctx, tx, w.HallID)
		if err != nil {
			return "", nil, err
		}
		ordRank, prioRank := 1, 0
		if !PriorityFirst(w.PriorityStreak, hall.PriorityStreak) {
			ordRank, prioRank = 0, 1
		}
		pick := "SELECT t.id, t.priority_class FROM tickets t" + nextInLine + " LIMIT 1"
		if tx.Dialect() == store.Postgres {
			pick += " FOR UPDATE OF t SKIP LOCKED"
		}
		var id int64
		var prio string
		err = tx.QueryRow(ctx, pick, w.ID, w.HallID, w.ID, ordRank, prioRank, now.UnixMilli(), now.UnixMilli()).Scan(&id, &prio)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil, errNobody
		}
		if err != nil {
			return "", nil, err
		}
		ms := now.UnixMilli()
		res, err := tx.Exec(ctx, `UPDATE tickets SET state = 'called', called_at = ?, window_id = ?, clerk_id = ?,
			target_window_id = NULL, recalls = 0 WHERE id = ? AND state = 'waiting'`, ms, w.ID, nullID(a.ID), id)
		if err != nil {
			return "", nil, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			// Cannot happen under the row lock; fail loudly rather than hand the ticket twice.
			return "", nil, errors.New("queue: ticket claimed concurrently")
		}
		if _, err := tx.Exec(ctx, "UPDATE window_states SET priority_streak = ? WHERE window_id = ?", NextStreak(w.PriorityStreak, prio != ""), w.ID); err != nil {
			return "", nil, err
		}
		if _, err := tx.Exec(ctx, "INSERT INTO calls (hall_id, ticket_id, window_id, at, kind) VALUES (?, ?, ?, ?, 'call')", w.HallID, id, w.ID, ms); err != nil {
			return "", nil, err
		}
		out, err = scanTicket(tx.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.id = ?", id))
		if err != nil {
			return "", nil, err
		}
		return "ticket:" + out.Number, map[string]any{"window": w.Number}, nil
	})
	if errors.Is(err, errNobody) {
		return nil, nil
	}
	return out, err
}

// nextInLine joins and orders the tickets a window may call, first the one it calls next. Its
// parameters: window, hall, window, rank of ordinary tickets, rank of priority tickets, now,
// now (Unix ms). Within a service of the window, an appointment's ticket whose slot time has
// come goes before the walk-ins (by slot time); until then it waits as if taken at its slot
// time. The green channel's rank and the transfers to this window come first as before.
const nextInLine = `
	LEFT JOIN window_services ws ON ws.window_id = ? AND ws.service_id = t.service_id
	WHERE t.hall_id = ? AND t.state = 'waiting'
	  AND ((t.target_window_id IS NULL AND ws.window_id IS NOT NULL) OR t.target_window_id = ?)
	ORDER BY CASE WHEN t.target_window_id IS NULL THEN 1 ELSE 0 END,
	         CASE WHEN t.priority_class = '' THEN CAST(? AS INTEGER) ELSE CAST(? AS INTEGER) END,
	         COALESCE(ws.rank, 0),
	         CASE WHEN t.slot_at > 0 AND t.slot_at <= CAST(? AS BIGINT) THEN 0 ELSE 1 END,
	         CASE WHEN t.slot_at > 0 AND t.slot_at > CAST(? AS BIGINT) THEN t.slot_at ELSE t.queued_at END,
	         t.id`

// errNobody rolls back a call that found nobody waiting (nothing to audit or announce).
var errNobody = errors.New("nobody waiting")

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func requireOpen(w *windowRow) error {
	switch w.State {
	case "open":
		return nil
	case "paused":
		return apperr.New(apperr.Conflict, "window_paused")
	default:
		return apperr.New(apperr.Conflict, "window_not_open")
	}
}

// ticketOp is an operation on the window's current ticket, allowed in the given states.
func (e *Engine) ticketOp(ctx context.Context, a staff.Actor, windowID int64, action string, states []string,
	fn func(tx *store.Tx, w *windowRow, t *Ticket, now time.Time) (any, error)) (*Ticket, error) {
	var out *Ticket
	err := e.windowOp(ctx, a, windowID, action, func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		t, err := current(ctx, tx, w.ID)
		if err != nil {
			return "", nil, err
		}
		if t == nil {
			return "", nil, apperr.New(apperr.Conflict, "no_current_ticket")
		}
		ok := false
		for _, s := range states {
			ok = ok || t.State == s
		}
		if !ok {
			return "", nil, apperr.New(apperr.Conflict, "wrong_ticket_state", t.Number, t.State)
		}
		detail, err := fn(tx, w, t, now)
		if err != nil {
			return "", nil, err
		}
		out, err = scanTicket(tx.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.id = ?", t.ID))
		return "ticket:" + t.Number, detail, err
	})
	return out, err
}

// Recall calls the current ticket again, at most the hall's number of times.
func (e *Engine) Recall(ctx context.Context, a staff.Actor, windowID int64) (*Ticket, error) {
	return e.ticketOp(ctx, a, windowID, "window.recall", []string{Called}, func(tx *store.Tx, w *windowRow, t *Ticket, now time.Time) (any, error) {
		hall, err := org.GetHall(ctx, tx, w.HallID)
		if err != nil {
			return nil, err
		}
		if t.Recalls >= hall.MaxRecalls {
			return nil, apperr.New(apperr.Conflict, "recall_limit", hall.MaxRecalls)
		}
		if _, err := tx.Exec(ctx, "UPDATE tickets SET recalls = recalls + 1 WHERE id = ?", t.ID); err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, "INSERT INTO calls (hall_id, ticket_id, window_id, at, kind) VALUES (?, ?, ?, ?, 'recall')", w.HallID, t.ID, w.ID, now.UnixMilli())
		return map[string]any{"recall": t.Recalls + 1}, err
	})
}

// Skip marks the called ticket as not present (过号). It may re-enter the queue later.
func (e *Engine) Skip(ctx context.Context, a staff.Actor, windowID int64) (*Ticket, error) {
	return e.ticketOp(ctx, a, windowID, "window.skip", []string{Called}, func(tx *store.Tx, w *windowRow, t *Ticket, now time.Time) (any, error) {
		if _, err := tx.Exec(ctx, "UPDATE tickets SET state = 'skipped', skips = skips + 1, finished_at = ? WHERE id = ?", now.UnixMilli(), t.ID); err != nil {
			return nil, err
		}
		return nil, startApprovedPause(ctx, tx, w, now)
	})
}

// Start marks that the citizen arrived and service began.
func (e *Engine) Start(ctx context.Context, a staff.Actor, windowID int64) (*Ticket, error) {
	return e.ticketOp(ctx, a, windowID, "window.start", []string{Called}, func(tx *store.Tx, w *windowRow, t *Ticket, now time.Time) (any, error) {
		_, err := tx.Exec(ctx, "UPDATE tickets SET state = 'serving', started_at = ? WHERE id = ?", now.UnixMilli(), t.ID)
		return nil, err
	})
}

// Finish ends the service of the current ticket (a called ticket counts as started when called).
func (e *Engine) Finish(ctx context.Context, a staff.Actor, windowID int64) (*Ticket, error) {
	return e.ticketOp(ctx, a, windowID, "window.finish", []string{Called, Serving}, func(tx *store.Tx, w *windowRow, t *Ticket, now time.Time) (any, error) {
		if _, err := tx.Exec(ctx, `UPDATE tickets SET state = 'done', finished_at = ?,
			started_at = CASE WHEN started_at = 0 THEN called_at ELSE started_at END WHERE id = ?`, now.UnixMilli(), t.ID); err != nil {
			return nil, err
		}
		return nil, startApprovedPause(ctx, tx, w, now)
	})
}

// Transfer hands the current ticket to another service of the hall, or to another window, or
// both (转窗). It keeps its number and its place by original take time.
func (e *Engine) Transfer(ctx context.Context, a staff.Actor, windowID, toService, toWindow int64) (*Ticket, error) {
	if toService == 0 && toWindow == 0 {
		return nil, apperr.New(apperr.Invalid, "transfer_needs_target")
	}
	return e.ticketOp(ctx, a, windowID, "window.transfer", []string{Called, Serving}, func(tx *store.Tx, w *windowRow, t *Ticket, now time.Time) (any, error) {
		svc := t.ServiceID
		if toService != 0 {
			s, err := org.GetService(ctx, tx, w.HallID, toService)
			if err != nil {
				return nil, err
			}
			svc = s.ID
		}
		var target any
		if toWindow != 0 {
			if toWindow == w.ID {
				return nil, apperr.New(apperr.Invalid, "transfer_to_same_window")
			}
			var hall int64
			var state string
			err := tx.QueryRow(ctx, `SELECT w.hall_id, COALESCE(s.state, 'closed') FROM windows w LEFT JOIN window_states s ON s.window_id = w.id
				WHERE w.id = ?`, toWindow).Scan(&hall, &state)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && hall != w.HallID) {
				return nil, apperr.New(apperr.NotFound, "window_not_found", toWindow)
			}
			if err != nil {
				return nil, err
			}
			if state == "closed" {
				// Nobody would call it there: the citizen would wait for nothing.
				return nil, apperr.New(apperr.Conflict, "target_window_closed")
			}
			target = toWindow
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET state = 'waiting', service_id = ?, target_window_id = ?, window_id = NULL,
			clerk_id = NULL, called_at = 0, started_at = 0, recalls = 0, transfers = transfers + 1 WHERE id = ?`, svc, target, t.ID); err != nil {
			return nil, err
		}
		return map[string]any{"to_service": svc, "to_window": target}, startApprovedPause(ctx, tx, w, now)
	})
}

// Reenter puts a skipped ticket of today back in the queue, at the back (过号重排): the citizen
// came back after missing the call.
func (e *Engine) Reenter(ctx context.Context, a staff.Actor, windowID int64, number string) (*Ticket, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	var out *Ticket
	err := e.windowOp(ctx, a, windowID, "ticket.reenter", func(tx *store.Tx, w *windowRow, now time.Time) (string, any, error) {
		hall, err := org.GetHall(ctx, tx, w.HallID)
		if err != nil {
			return "", nil, err
		}
		day := now.In(hall.Location()).Format(time.DateOnly)
		prefix, num, ok := ParseNumber(number)
		if !ok {
			return "", nil, apperr.New(apperr.Invalid, "bad_ticket_number", number)
		}
		t, err := scanTicket(tx.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.hall_id = ? AND t.day = ? AND t.prefix = ? AND t.number = ?",
			w.HallID, day, prefix, num))
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil, apperr.New(apperr.NotFound, "ticket_not_found")
		}
		if err != nil {
			return "", nil, err
		}
		if t.State != Skipped {
			return "", nil, apperr.New(apperr.Conflict, "wrong_ticket_state", t.Number, t.State)
		}
		if _, err := tx.Exec(ctx, `UPDATE tickets SET state = 'waiting', queued_at = ?, window_id = NULL, clerk_id = NULL,
			called_at = 0, finished_at = 0, recalls = 0 WHERE id = ?`, now.UnixMilli(), t.ID); err != nil {
			return "", nil, err
		}
		out, err = scanTicket(tx.QueryRow(ctx, "SELECT "+ticketCols+ticketFrom+"WHERE t.id = ?", t.ID))
		return "ticket:" + t.Number, nil, err
	})
	return out, err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// wrap names the operation in an unexpected error; the caller's own errors (apperr) and the
// "nobody waiting" signal pass as they are.
func wrap(op string, err error) error {
	if err == nil || apperr.As(err) != nil || errors.Is(err, errNobody) {
		return err
	}
	return fmt.Errorf("queue: %s: %w", op, err)
}
