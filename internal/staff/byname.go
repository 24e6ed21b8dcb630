package staff

import (
	"context"
	"database/sql"
	"errors"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/store"
)

// ActorOf is the active staff member with username as an operation's actor, for work done on
// their behalf without a session (the demo's history).
func ActorOf(ctx context.Context, q store.Querier, username string) (Actor, error) {
	var a Actor
	var hall sql.NullInt64
	err := q.QueryRow(ctx, "SELECT id, username, name, role, hall_id FROM staff WHERE username = ? AND active = 1", username).
		Scan(&a.ID, &a.Username, &a.Name, &a.Role, &hall)
	if errors.Is(err, sql.ErrNoRows) {
		return a, apperr.New(apperr.NotFound, "staff_not_found", username)
	}
	a.HallID = hall.Int64
	return a, err
}
