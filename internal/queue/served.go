package queue

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/store"
)

// TicketIDByToken is the id of the ticket whose holder's token is token; ticket_not_found for
// anything else (a malformed or forged token included).
func TicketIDByToken(ctx context.Context, q store.Querier, token string) (int64, error) {
	if !validToken(token) {
		return 0, apperr.New(apperr.NotFound, "ticket_not_found")
	}
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM tickets WHERE token = ?", token).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.NotFound, "ticket_not_found")
	}
	return id, err
}

// FinishedAt is when ticket id was finished (zero when it was not).
func FinishedAt(ctx context.Context, q store.Querier, id int64) (time.Time, error) {
	var ms int64
	if err := q.QueryRow(ctx, "SELECT finished_at FROM tickets WHERE id = ?", id).Scan(&ms); err != nil {
		return time.Time{}, err
	}
	return millis(ms), nil
}

// Finished is a ticket a window finished, as its rating pad needs it: the token lets the pad
// rate with the ticket's own authority.
type Finished struct {
	ID, ServiceID int64
	Number, Token string
	FinishedAt    time.Time
}

// LastFinished is the ticket window finished last, at or after since, or nil.
func LastFinished(ctx context.Context, q store.Querier, window int64, since time.Time) (*Finished, error) {
	var f Finished
	var prefix string
	var num int
	var at int64
	err := q.QueryRow(ctx, `SELECT id, service_id, prefix, number, token, finished_at FROM tickets
		WHERE window_id = ? AND state = 'done' AND finished_at >= ? ORDER BY finished_at DESC, id DESC LIMIT 1`, window, since.UnixMilli()).
		Scan(&f.ID, &f.ServiceID, &prefix, &num, &f.Token, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f.Number, f.FinishedAt = FormatNumber(prefix, num), time.UnixMilli(at)
	return &f, nil
}

// Served is how many tickets a window, clerk and service finished in a stretch of time.
type Served struct {
	WindowID, ClerkID, ServiceID int64
	N                            int
}

// ServedBetween counts the hall's tickets finished in [from, to), by window, clerk and service.
func ServedBetween(ctx context.Context, q store.Querier, hall int64, from, to time.Time) ([]Served, error) {
	rows, err := q.Query(ctx, `SELECT COALESCE(window_id, 0), COALESCE(clerk_id, 0), service_id, COUNT(*) FROM tickets
		WHERE hall_id = ? AND state = 'done' AND finished_at >= ? AND finished_at < ? GROUP BY window_id, clerk_id, service_id`,
		hall, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Served
	for rows.Next() {
		var s Served
		if err := rows.Scan(&s.WindowID, &s.ClerkID, &s.ServiceID, &s.N); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
