package servicelang

import (
	"context"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/speech"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Transcript is a counter conversation attached to a served ticket, with the forbidden phrases
// found in it. Text has citizens' identifiers masked; hit offsets are rune offsets into it.
type Transcript struct {
	ID             int64        `json:"id"`
	TicketID       int64        `json:"ticket"`
	TicketNumber   string       `json:"ticket_number"`
	HallID         int64        `json:"hall"`
	WindowID       int64        `json:"window,omitempty"`
	ClerkID        int64        `json:"clerk_id,omitempty"`
	ClerkName      string       `json:"clerk_name,omitempty"`
	Text           string       `json:"text"`
	ClerkLines     int          `json:"clerk_lines"`
	CreatedAt      time.Time    `json:"created_at"`
	CreatedBy      string       `json:"created_by"`
	RulesetVersion int          `json:"ruleset_version"`
	Hits           []speech.Hit `json:"hits"`
}

// mayAttach: a clerk attaches only to a ticket they served, a supervisor to any ticket of their
// hall, an admin to any.
func mayAttach(a staff.Actor, t *queue.TicketRef) error {
	if authz.WholeHall(a, authz.TranscriptWrite, t.HallID) {
		return nil
	}
	switch authz.ReachOf(a, authz.TranscriptWrite) {
	case authz.None:
		return apperr.New(apperr.Forbidden, "forbidden")
	case authz.Self:
		if t.ClerkID != 0 && t.ClerkID == a.ID {
			return nil
		}
		if a.HallID == t.HallID {
			return apperr.New(apperr.Forbidden, "ticket_of_other_clerk")
		}
	}
	return apperr.New(apperr.Forbidden, "ticket_of_other_hall")
}

// Attach stores a conversation for a ticket that is being served or done: the text with
// citizens' identifiers masked, the forbidden phrases the active rules find in the clerk's lines
// (speaker labels as in speech.Checker.Check), counted against the clerk who served the ticket,
// and an audit line, in one transaction.
func (l *Library) Attach(ctx context.Context, a staff.Actor, ticketID int64, text string) (*Transcript, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	masked := privacy.Mask(text)
	act, err := l.Active(ctx)
	if err != nil {
		return nil, err
	}
	hits, err := runCheck(act.Checker, masked, false)
	if err != nil {
		return nil, err
	}
	out := &Transcript{TicketID: ticketID, Text: masked, ClerkLines: speech.ClerkLines(masked), CreatedBy: a.Username,
		RulesetVersion: act.Version.Version, Hits: hits}
	err = l.DB.InTx(ctx, func(tx *store.Tx) error {
		t, err := queue.HoldTicket(ctx, tx, ticketID)
		if err != nil {
			return err
		}
		if err := mayAttach(a, t); err != nil {
			return err
		}
		if t.State != queue.Serving && t.State != queue.Done {
			return apperr.New(apperr.Conflict, "wrong_ticket_state", t.Number, t.State)
		}
		now := l.Now()
		out.HallID, out.WindowID, out.ClerkID, out.TicketNumber = t.HallID, t.WindowID, t.ClerkID, t.Number
		out.CreatedAt = time.UnixMilli(now.UnixMilli())
		if err := tx.QueryRow(ctx, `INSERT INTO transcripts (ticket_id, hall_id, window_id, clerk_id, text, clerk_lines, created_at,
			created_by, ruleset_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, ticketID, t.HallID, nullID(t.WindowID), nullID(t.ClerkID),
			masked, out.ClerkLines, now.UnixMilli(), nullID(a.ID), out.RulesetVersion).Scan(&out.ID); err != nil {
			return err
		}
		if err := insertHits(ctx, tx, out.ID, hits); err != nil {
			return err
		}
		names, err := staff.Names(ctx, tx, []int64{t.ClerkID})
		if err != nil {
			return err
		}
		out.ClerkName = names[t.ClerkID]
		return audit.Record(ctx, tx, now, a, t.HallID, "speech.transcript", "ticket:"+t.Number,
			map[string]any{"transcript": out.ID, "clerk": t.ClerkID, "hits": len(hits), "rules_version": out.RulesetVersion})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// hitChunk rows go in one INSERT: few round trips for a long transcript, well under either
// engine's limit on parameters.
const hitChunk = 100

func insertHits(ctx context.Context, tx *store.Tx, transcript int64, hits []speech.Hit) error {
	for len(hits) > 0 {
		n := min(len(hits), hitChunk)
		var q strings.Builder
		q.WriteString("INSERT INTO transcript_hits (transcript_id, line, start_pos, end_pos, text, category, severity, rule_id, suggestion) VALUES ")
		args := make([]any, 0, 9*n)
		for i, h := range hits[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, transcript, h.Line, h.Start, h.End, h.Text, string(h.Category), int(h.Severity), h.RuleID, h.Suggestion)
		}
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return err
		}
		hits = hits[n:]
	}
	return nil
}

// Transcripts lists a ticket's transcripts, oldest first, for the staff of its hall.
func (l *Library) Transcripts(ctx context.Context, a staff.Actor, ticketID int64) ([]*Transcript, error) {
	t, err := queue.GetTicketRef(ctx, l.DB, ticketID)
	if err != nil {
		return nil, err
	}
	if !authz.InHall(a, authz.TranscriptRead, t.HallID) {
		return nil, apperr.New(apperr.Forbidden, "ticket_of_other_hall")
	}
	rows, err := l.DB.Query(ctx, `SELECT tr.id, tr.hall_id, COALESCE(tr.window_id, 0), COALESCE(tr.clerk_id, 0), COALESCE(c.name, ''),
		tr.text, tr.clerk_lines, tr.created_at, COALESCE(b.username, ''), tr.ruleset_version
		FROM transcripts tr LEFT JOIN staff c ON c.id = tr.clerk_id LEFT JOIN staff b ON b.id = tr.created_by
		WHERE tr.ticket_id = ? ORDER BY tr.id`, ticketID)
	if err != nil {
		return nil, err
	}
	out := []*Transcript{}
	byID := map[int64]*Transcript{}
	for rows.Next() {
		x := &Transcript{TicketID: ticketID, TicketNumber: t.Number, Hits: []speech.Hit{}}
		var at int64
		if err := rows.Scan(&x.ID, &x.HallID, &x.WindowID, &x.ClerkID, &x.ClerkName, &x.Text, &x.ClerkLines, &at, &x.CreatedBy,
			&x.RulesetVersion); err != nil {
			rows.Close()
			return nil, err
		}
		x.CreatedAt = time.UnixMilli(at)
		x.Text = privacy.Mask(x.Text) // stored masked; masked again in case a rule was added since
		out = append(out, x)
		byID[x.ID] = x
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hrows, err := l.DB.Query(ctx, `SELECT h.transcript_id, h.line, h.start_pos, h.end_pos, h.text, h.category, h.severity, h.rule_id, h.suggestion
		FROM transcript_hits h JOIN transcripts tr ON tr.id = h.transcript_id WHERE tr.ticket_id = ? ORDER BY h.transcript_id, h.start_pos`, ticketID)
	if err != nil {
		return nil, err
	}
	defer hrows.Close()
	for hrows.Next() {
		var id int64
		var h speech.Hit
		var cat string
		var sev int
		if err := hrows.Scan(&id, &h.Line, &h.Start, &h.End, &h.Text, &cat, &sev, &h.RuleID, &h.Suggestion); err != nil {
			return nil, err
		}
		h.Category, h.Severity = speech.Category(cat), speech.Severity(sev)
		h.Text = privacy.Mask(h.Text)
		if x := byID[id]; x != nil {
			x.Hits = append(x.Hits, h)
		}
	}
	return out, hrows.Err()
}
