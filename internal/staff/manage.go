package staff

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
)

// Member is a staff account as the back office lists it (never its password hash).
type Member struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	HallID   int64  `json:"hall_id,omitempty"`
	Active   bool   `json:"active"`
	Locked   bool   `json:"locked"` // too many wrong passwords, for now
}

// List lists the staff accounts of a hall (hall 0: every account), active ones first.
func List(ctx context.Context, q store.Querier, hall int64, now time.Time) ([]Member, error) {
	query := "SELECT id, username, name, role, COALESCE(hall_id, 0), active, locked_until FROM staff"
	args := []any{}
	if hall != 0 {
		query += " WHERE hall_id = ?"
		args = append(args, hall)
	}
	rows, err := q.Query(ctx, query+" ORDER BY active DESC, COALESCE(hall_id, 0), role, username", args...)
	if err != nil {
		return nil, fmt.Errorf("staff: list: %w", err)
	}
	defer rows.Close()
	out := []Member{}
	for rows.Next() {
		var m Member
		var locked int64
		if err := rows.Scan(&m.ID, &m.Username, &m.Name, &m.Role, &m.HallID, &m.Active, &locked); err != nil {
			return nil, err
		}
		m.Locked = locked > now.UnixMilli()
		out = append(out, m)
	}
	return out, rows.Err()
}

// Get finds one account by id.
func Get(ctx context.Context, q store.Querier, id int64) (*Member, error) {
	var m Member
	err := q.QueryRow(ctx, "SELECT id, username, name, role, COALESCE(hall_id, 0), active FROM staff WHERE id = ?", id).
		Scan(&m.ID, &m.Username, &m.Name, &m.Role, &m.HallID, &m.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "staff_not_found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("staff: get: %w", err)
	}
	return &m, nil
}

// Update changes an account's name, role and hall (0: every hall). Its sessions end when the
// role or hall changes, so nobody keeps powers they no longer have.
func Update(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, id int64, name string, role Role, hall int64) error {
	known := false
	for _, r := range Roles {
		known = known || r == role
	}
	if !known {
		return apperr.New(apperr.Invalid, "bad_request", "role")
	}
	if strings.TrimSpace(name) == "" || len([]rune(name)) > 50 {
		return apperr.New(apperr.Invalid, "bad_request", "name: 1 to 50 characters")
	}
	old, err := Get(ctx, tx, id)
	if err != nil {
		return err
	}
	var h any
	if hall != 0 {
		h = hall
	}
	if _, err := tx.Exec(ctx, "UPDATE staff SET name = ?, role = ?, hall_id = ? WHERE id = ?", name, string(role), h, id); err != nil {
		return fmt.Errorf("staff: update %s: %w", old.Username, err)
	}
	if old.Role != role || old.HallID != hall {
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE staff_id = ?", id); err != nil {
			return fmt.Errorf("staff: update %s: %w", old.Username, err)
		}
	}
	return audit.Record(ctx, tx, at, who, hall, "staff.update", "staff:"+old.Username,
		map[string]any{"role": role, "hall": hall, "old_role": old.Role, "old_hall": old.HallID})
}

// SetActive disables an account (its sessions end at once; it can no longer sign in) or
// enables it again. Accounts are never deleted: the audit log and tickets name them.
func SetActive(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, id int64, active bool) error {
	m, err := Get(ctx, tx, id)
	if err != nil {
		return err
	}
	if !active && who.AuditID() == id {
		return apperr.New(apperr.Conflict, "staff_disable_self")
	}
	a := 0
	if active {
		a = 1
	}
	if _, err := tx.Exec(ctx, "UPDATE staff SET active = ?, failed_logins = 0, locked_until = 0 WHERE id = ?", a, id); err != nil {
		return fmt.Errorf("staff: set active %s: %w", m.Username, err)
	}
	if !active {
		if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE staff_id = ?", id); err != nil {
			return fmt.Errorf("staff: disable %s: %w", m.Username, err)
		}
	}
	action := "staff.enable"
	if !active {
		action = "staff.disable"
	}
	return audit.Record(ctx, tx, at, who, m.HallID, action, "staff:"+m.Username, nil)
}
