package queue

import (
	"context"
	"database/sql"
	"errors"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/store"
)

// TicketRef is what other domains need of a ticket: where, for what and by whom it was served.
type TicketRef struct {
	ID, HallID, ServiceID, WindowID, ClerkID int64
	State, Number                            string
}

// GetTicketRef reads a ticket by id.
func GetTicketRef(ctx context.Context, q store.Querier, id int64) (*TicketRef, error) {
	return readRef(ctx, q, id, "")
}

// HoldTicket reads a ticket inside tx and keeps its state from changing until tx ends (FOR SHARE
// on PostgreSQL; on SQLite the single writer already does), so a caller may act on what it saw.
func HoldTicket(ctx context.Context, tx *store.Tx, id int64) (*TicketRef, error) {
	lock := ""
	if tx.Dialect() == store.Postgres {
		lock = " FOR SHARE"
	}
	return readRef(ctx, tx, id, lock)
}

func readRef(ctx context.Context, q store.Querier, id int64, lock string) (*TicketRef, error) {
	t := TicketRef{ID: id}
	var prefix string
	var num int
	err := q.QueryRow(ctx, `SELECT hall_id, service_id, state, COALESCE(window_id, 0), COALESCE(clerk_id, 0), prefix, number
		FROM tickets WHERE id = ?`+lock, id).Scan(&t.HallID, &t.ServiceID, &t.State, &t.WindowID, &t.ClerkID, &prefix, &num)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "ticket_not_found")
	}
	if err != nil {
		return nil, err
	}
	t.Number = FormatNumber(prefix, num)
	return &t, nil
}
