// Package audit records every change made by staff (who, when, what) in the same transaction as
// the change itself, so the log never claims what did not happen nor misses what did.
//
// Tables owned (only this package writes them): audit_log, audit_chain.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/qhall/qhall/internal/store"
)

// Who is the staff member behind an entry: the audit log sits below the identity level, so it
// asks only for the two facts it writes (staff.Actor has them).
type Who interface {
	AuditID() int64
	AuditName() string
}

// Entry is one line of the audit log.
type Entry struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	Username string          `json:"username"`
	HallID   int64           `json:"hall_id,omitempty"`
	Action   string          `json:"action"`
	Target   string          `json:"target"`
	Detail   json.RawMessage `json:"detail,omitempty"`
}

// Record writes one entry inside tx. detail must hold no personal data of citizens.
func Record(ctx context.Context, tx *store.Tx, at time.Time, a Who, hall int64, action, target string, detail any) error {
	d := ""
	if detail != nil {
		b, err := json.Marshal(detail)
		if err != nil {
			return err
		}
		d = string(b)
	}
	var staffID, hallID any
	if id := a.AuditID(); id != 0 {
		staffID = id
	}
	if hall != 0 {
		hallID = hall
	}
	// The chain's head: the upsert takes the head row's lock until commit (PostgreSQL) or runs
	// under the single writer (SQLite), so entries of one chain get their places one at a time
	// in commit order, on any number of instances. Chains are per hall, so busy halls do not
	// queue behind one another.
	chain := chainOf(hall)
	var seq int64
	var prev string
	if err := tx.QueryRow(ctx, `INSERT INTO audit_chain (chain, seq, head) VALUES (?, 1, '')
		ON CONFLICT (chain) DO UPDATE SET seq = audit_chain.seq + 1 RETURNING seq, head`, chain).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit: record %s: chain: %w", action, err)
	}
	e := chained{Chain: chain, Seq: seq, At: at.UnixMilli(), StaffID: a.AuditID(), Username: a.AuditName(), HallID: hall,
		Action: action, Target: target, Detail: d}
	h := e.hash(prev)
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, staff_id, username, hall_id, action, target, detail, chain, seq, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		at.UnixMilli(), staffID, a.AuditName(), hallID, action, target, d, chain, seq, prev, h)
	if err == nil {
		_, err = tx.Exec(ctx, "UPDATE audit_chain SET head = ? WHERE chain = ?", h, chain)
	}
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", action, err)
	}
	return nil
}

// List returns the newest entries first, for a hall (0 = all halls).
func List(ctx context.Context, q store.Querier, hall int64, limit int) ([]Entry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	rows, err := q.Query(ctx, `SELECT id, at, username, COALESCE(hall_id, 0), action, target, detail FROM audit_log
		WHERE (? = 0 OR hall_id = ?) ORDER BY id DESC LIMIT ?`, hall, hall, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		var at int64
		var d string
		if err := rows.Scan(&e.ID, &at, &e.Username, &e.HallID, &e.Action, &e.Target, &d); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at)
		if d != "" {
			e.Detail = json.RawMessage(d)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
