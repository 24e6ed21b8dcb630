// Package notify is qhall's outbox for messages to citizens (appointment reminders first). A
// domain queues a message inside its own transaction (Enqueue); a scheduled job hands the
// pending ones to a Sender (Deliver). No SMS gateway is assumed: the Sender qhall ships posts
// JSON to a webhook (QHALL_NOTIFY_WEBHOOK) that a deployment connects to its own channel. With
// none configured, messages are recorded as "unsent" with the note "not sent: no channel".
//
// A message is unique per (kind, ref), so a job that queues "the reminder of booking 42" any
// number of times queues it once.
//
// Tables owned (only this package writes them): notifications.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/qhall/qhall/internal/store"
)

// Message is one message to one recipient.
type Message struct {
	ID        int64          `json:"id"`
	Kind      string         `json:"kind"` // e.g. appointment.reminder
	Ref       string         `json:"ref"`  // what it is about, e.g. appointment:42
	Recipient string         `json:"recipient"`
	Text      string         `json:"text"`
	Data      map[string]any `json:"data,omitempty"`
}

// Sender hands a message to a channel. An error leaves the message to be tried again.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// MaxAttempts is how often Deliver tries one message before marking it failed.
const MaxAttempts = 5

// Enqueue queues m inside the caller's transaction and reports whether it was new.
func Enqueue(ctx context.Context, tx *store.Tx, now time.Time, m Message) (bool, error) {
	body, err := json.Marshal(struct {
		Text string         `json:"text"`
		Data map[string]any `json:"data,omitempty"`
	}{m.Text, m.Data})
	if err != nil {
		return false, err
	}
	res, err := tx.Exec(ctx, `INSERT INTO notifications (kind, ref, recipient, body, state, created_at) VALUES (?, ?, ?, ?, 'pending', ?)
		ON CONFLICT (kind, ref) DO NOTHING`, m.Kind, m.Ref, m.Recipient, string(body), now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("notify: enqueue: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Deliver hands up to limit pending messages to s, oldest first, and records each outcome; with
// s nil each is recorded as unsent. Each message is claimed in its own transaction: the
// scheduled job runs once per period across instances, and the claim (attempts + 1, guarded by
// the state) keeps a message from being handed out twice within one run.
func Deliver(ctx context.Context, db *store.DB, s Sender, now time.Time, limit int) (sent int, err error) {
	rows, err := db.Query(ctx, "SELECT id, kind, ref, recipient, body FROM notifications WHERE state = 'pending' ORDER BY id LIMIT ?", limit)
	if err != nil {
		return 0, fmt.Errorf("notify: deliver: %w", err)
	}
	var batch []Message
	for rows.Next() {
		var m Message
		var body string
		if err := rows.Scan(&m.ID, &m.Kind, &m.Ref, &m.Recipient, &body); err != nil {
			rows.Close()
			return 0, err
		}
		var b struct {
			Text string         `json:"text"`
			Data map[string]any `json:"data"`
		}
		json.Unmarshal([]byte(body), &b)
		m.Text, m.Data = b.Text, b.Data
		batch = append(batch, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, m := range batch {
		if s == nil {
			err = db.InTx(ctx, func(tx *store.Tx) error {
				_, err := tx.Exec(ctx, "UPDATE notifications SET state = 'unsent', note = 'not sent: no channel' WHERE id = ? AND state = 'pending'", m.ID)
				return err
			})
			if err != nil {
				return sent, fmt.Errorf("notify: deliver: %w", err)
			}
			continue
		}
		serr := s.Send(ctx, m)
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if serr == nil {
				_, err := tx.Exec(ctx, "UPDATE notifications SET state = 'sent', sent_at = ?, attempts = attempts + 1, note = '' WHERE id = ?", now.UnixMilli(), m.ID)
				return err
			}
			note := serr.Error()
			if len(note) > 300 {
				note = note[:300]
			}
			_, err := tx.Exec(ctx, `UPDATE notifications SET attempts = attempts + 1, note = ?,
				state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END WHERE id = ?`, note, MaxAttempts, m.ID)
			return err
		})
		if err != nil {
			return sent, fmt.Errorf("notify: deliver: %w", err)
		}
		if serr == nil {
			sent++
		}
	}
	return sent, nil
}

// Outbox lists the messages about ref (newest first), for tests and the back office.
func Outbox(ctx context.Context, q store.Querier, ref string) ([]Entry, error) {
	rows, err := q.Query(ctx, "SELECT id, kind, ref, state, note, attempts FROM notifications WHERE ref = ? ORDER BY id DESC", ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.Kind, &e.Ref, &e.State, &e.Note, &e.Attempts); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Entry is a message's outcome as stored (without its recipient and text).
type Entry struct {
	ID                     int64
	Kind, Ref, State, Note string
	Attempts               int
}

// Webhook posts each message as JSON to URL; a 2xx answer is delivery.
type Webhook struct {
	URL    string
	Client *http.Client
}

// Send posts m.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: answered %s", resp.Status)
	}
	return nil
}
