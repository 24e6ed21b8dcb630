package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// PadSpan is how long after a ticket is finished the window's pad may still rate it: the
// citizen is at the window only that long; later they rate on their phone.
const PadSpan = 10 * time.Minute

// PairCodeLife is how long a pairing code may be typed on a pad; PairTries how many wrong codes
// kill it.
const (
	PairCodeLife = 10 * time.Minute
	PairTries    = 5
)

// Rating is one citizen's rating of one service.
type Rating struct {
	ID           int64     `json:"id"`
	Level        int       `json:"level"`
	Tags         []string  `json:"tags"`
	Comment      string    `json:"comment"`
	Source       string    `json:"source"`
	HallID       int64     `json:"hall"`
	TicketNumber string    `json:"ticket_number"`
	WindowID     int64     `json:"window_id,omitempty"`
	ClerkID      int64     `json:"clerk_id,omitempty"`
	ServiceID    int64     `json:"service_id"`
	Day          string    `json:"day"`
	CreatedAt    time.Time `json:"created_at"`
	Followup     string    `json:"followup,omitempty"`
	// Rectification is the code of the rectification a bad rating opened, for the citizen to
	// follow it.
	Rectification string `json:"rectification,omitempty"`
}

// RateInput is what a citizen sends.
type RateInput struct {
	Level   int      `json:"level"`
	Tags    []string `json:"tags"`
	Comment string   `json:"comment"`
	// ContactPhone, optional, makes a bad rating a named one that is called back.
	ContactPhone string `json:"contact_phone"`
}

func (in *RateInput) check() error {
	if in.Level < 1 || in.Level > 5 {
		return apperr.New(apperr.Invalid, "rating_bad_level")
	}
	allowed := TagsFor(in.Level)
	if len(in.Tags) > len(allowed) {
		return apperr.New(apperr.Invalid, "rating_bad_tag", strings.Join(in.Tags, ","))
	}
	seen := map[string]bool{}
	for _, t := range in.Tags {
		if !slices.Contains(allowed, t) || seen[t] {
			return apperr.New(apperr.Invalid, "rating_bad_tag", t)
		}
		seen[t] = true
	}
	var err error
	if in.Comment, err = text("comment", in.Comment, 500, false); err != nil {
		return err
	}
	in.ContactPhone, err = phone(in.ContactPhone)
	return err
}

// Rate records the rating of the ticket whose token is token: by its holder (padToken "") from
// the phone within the hall's span, or by the pad paired to the window that served it, within
// PadSpan. A ticket not finished, a second rating, an expired span are refused; of two sent at
// once exactly one is kept (ratings.ticket_id is unique). A bad rating opens its rectification
// in the same transaction.
func (s *Service) Rate(ctx context.Context, token, padToken string, in RateInput) (*Rating, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *Rating
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		id, err := queue.TicketIDByToken(ctx, tx, token)
		if err != nil {
			return err
		}
		t, err := queue.HoldTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		source := "phone"
		if padToken != "" {
			p, err := padByToken(ctx, tx, padToken)
			if err != nil {
				return err
			}
			if p.WindowID != t.WindowID {
				return apperr.New(apperr.Forbidden, "pad_other_window")
			}
			source = "pad"
		}
		if t.State != queue.Done {
			return apperr.New(apperr.Conflict, "rating_not_finished", t.Number)
		}
		var existing int64
		switch err := tx.QueryRow(ctx, "SELECT id FROM ratings WHERE ticket_id = ?", id).Scan(&existing); {
		case err == nil:
			return apperr.New(apperr.Conflict, "already_rated")
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		now := s.Now()
		finished, err := queue.FinishedAt(ctx, tx, id)
		if err != nil {
			return err
		}
		set, err := GetSettings(ctx, tx, t.HallID)
		if err != nil {
			return err
		}
		span := time.Duration(set.RateSpanDays) * 24 * time.Hour
		if source == "pad" {
			span = PadSpan
		}
		if now.Sub(finished) > span {
			return apperr.New(apperr.Conflict, "rating_span_over")
		}
		c, today, _, err := hallDay(ctx, tx, t.HallID, now)
		if err != nil {
			return err
		}
		out = &Rating{Level: in.Level, Tags: in.Tags, Comment: in.Comment, Source: source, HallID: t.HallID, TicketNumber: t.Number,
			WindowID: t.WindowID, ClerkID: t.ClerkID, ServiceID: t.ServiceID, Day: today.String(), CreatedAt: time.UnixMilli(now.UnixMilli())}
		if out.Tags == nil {
			out.Tags = []string{}
		}
		if err := tx.QueryRow(ctx, `INSERT INTO ratings (hall_id, ticket_id, window_id, clerk_id, service_id, source, level, tags, comment,
			contact_phone, day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.HallID, id, nullID(t.WindowID),
			nullID(t.ClerkID), t.ServiceID, source, in.Level, strings.Join(in.Tags, ","), in.Comment, in.ContactPhone, out.Day,
			now.UnixMilli()).Scan(&out.ID); err != nil {
			return err
		}
		who := citizen("citizen:" + source)
		if Bad(in.Level) {
			if out.Rectification, err = openRect(ctx, tx, c, set, today, out, now); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, now, who, t.HallID, "rating.create", "ticket:"+t.Number,
			map[string]any{"rating": out.ID, "level": in.Level, "source": source}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, t.HallID)
	})
	if store.IsUniqueViolation(err) {
		return nil, apperr.New(apperr.Conflict, "already_rated")
	}
	if err != nil {
		return nil, wrap("rate", err)
	}
	return out, nil
}

// openRect opens the rectification of a bad rating with its deadlines on the hall's calendar.
func openRect(ctx context.Context, tx *store.Tx, c *calendar.Calendar, set Settings, day calendar.Date, r *Rating, now time.Time) (string, error) {
	contact, due := RectDeadlines(c, set, day)
	cd := code("R", day)
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO rectifications (hall_id, rating_id, code, state, opened_day, contact_due, due, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.HallID, r.ID, cd, RContact, day.String(), contact.String(), due.String(),
		now.UnixMilli(), now.UnixMilli()).Scan(&id); err != nil {
		return "", err
	}
	return cd, recordStep(ctx, tx, "rectification", id, now, staff.System, "open", "", RContact, fmt.Sprintf("level %d", r.Level))
}

// Followup adds the one follow-up (追评) a rating allows, by the ticket's holder within the span.
func (s *Service) Followup(ctx context.Context, token, note string) (*Rating, error) {
	note, err := text("followup", note, 500, true)
	if err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		id, err := queue.TicketIDByToken(ctx, tx, token)
		if err != nil {
			return err
		}
		var rid, hall int64
		var prior string
		var created int64
		err = tx.QueryRow(ctx, "SELECT id, hall_id, followup, created_at FROM ratings WHERE ticket_id = ?", id).Scan(&rid, &hall, &prior, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "rating_none")
		}
		if err != nil {
			return err
		}
		if prior != "" {
			return apperr.New(apperr.Conflict, "followup_exists")
		}
		set, err := GetSettings(ctx, tx, hall)
		if err != nil {
			return err
		}
		now := s.Now()
		if now.Sub(time.UnixMilli(created)) > time.Duration(set.RateSpanDays)*24*time.Hour {
			return apperr.New(apperr.Conflict, "rating_span_over")
		}
		if _, err := tx.Exec(ctx, "UPDATE ratings SET followup = ?, followup_at = ? WHERE id = ?", note, now.UnixMilli(), rid); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, citizen("citizen:phone"), hall, "rating.followup", fmt.Sprintf("rating:%d", rid), nil); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hall)
	})
	if err != nil {
		return nil, wrap("followup", err)
	}
	v, err := s.TicketRating(ctx, token)
	if err != nil {
		return nil, err
	}
	return v.Rating, nil
}

// TicketRatingView is what the ticket's holder sees: whether they may rate, until when, and
// their rating once given.
type TicketRatingView struct {
	Rateable bool                `json:"rateable"`
	Reason   string              `json:"reason,omitempty"` // not_finished, span_over, rated
	Until    time.Time           `json:"until,omitzero"`
	Tags     map[string][]string `json:"tags"`
	Rating   *Rating             `json:"rating,omitempty"`
}

// LevelTags is TagsFor for every level, keyed "1".."5" for the pages.
func LevelTags() map[string][]string {
	m := map[string][]string{}
	for l := 1; l <= 5; l++ {
		m[fmt.Sprint(l)] = TagsFor(l)
	}
	return m
}

// TicketRating is the rating state of the ticket whose token is token.
func (s *Service) TicketRating(ctx context.Context, token string) (*TicketRatingView, error) {
	id, err := queue.TicketIDByToken(ctx, s.DB, token)
	if err != nil {
		return nil, err
	}
	t, err := queue.GetTicketRef(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	v := &TicketRatingView{Tags: LevelTags()}
	rs, err := listRatings(ctx, s.DB, "r.ticket_id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(rs) > 0 {
		v.Rating, v.Reason = rs[0], "rated"
		return v, nil
	}
	if t.State != queue.Done {
		v.Reason = "not_finished"
		return v, nil
	}
	finished, err := queue.FinishedAt(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	set, err := GetSettings(ctx, s.DB, t.HallID)
	if err != nil {
		return nil, err
	}
	v.Until = finished.Add(time.Duration(set.RateSpanDays) * 24 * time.Hour)
	v.Rateable = s.Now().Before(v.Until)
	if !v.Rateable {
		v.Reason = "span_over"
	}
	return v, nil
}

const ratingCols = `r.id, r.level, r.tags, r.comment, r.source, r.hall_id, r.ticket_id, COALESCE(r.window_id, 0), COALESCE(r.clerk_id, 0),
	r.service_id, r.day, r.created_at, r.followup, COALESCE(x.code, '')`

func listRatings(ctx context.Context, q store.Querier, where string, args ...any) ([]*Rating, error) {
	rows, err := q.Query(ctx, "SELECT "+ratingCols+" FROM ratings r LEFT JOIN rectifications x ON x.rating_id = r.id WHERE "+where+" ORDER BY r.id DESC", args...)
	if err != nil {
		return nil, err
	}
	type row struct {
		r      *Rating
		ticket int64
	}
	var got []row
	for rows.Next() {
		r := &Rating{}
		var tags string
		var ticket, at int64
		if err := rows.Scan(&r.ID, &r.Level, &tags, &r.Comment, &r.Source, &r.HallID, &ticket, &r.WindowID, &r.ClerkID, &r.ServiceID, &r.Day,
			&at, &r.Followup, &r.Rectification); err != nil {
			rows.Close()
			return nil, err
		}
		r.Tags = []string{}
		if tags != "" {
			r.Tags = strings.Split(tags, ",")
		}
		r.Comment, r.Followup = privacy.Mask(r.Comment), privacy.Mask(r.Followup)
		r.CreatedAt = time.UnixMilli(at)
		got = append(got, row{r, ticket})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*Rating, 0, len(got))
	for _, g := range got {
		t, err := queue.GetTicketRef(ctx, q, g.ticket)
		if err != nil {
			return nil, err
		}
		g.r.TicketNumber = t.Number
		out = append(out, g.r)
	}
	return out, nil
}

// Pad is a rating pad paired to a window.
type Pad struct {
	ID, HallID, WindowID int64
}

func padByToken(ctx context.Context, q store.Querier, token string) (*Pad, error) {
	if token == "" || len(token) > 100 {
		return nil, apperr.New(apperr.Unauthorized, "pad_unknown")
	}
	var p Pad
	err := q.QueryRow(ctx, "SELECT id, hall_id, window_id FROM rating_pads WHERE token_hash = ? AND revoked = 0", hash(token)).Scan(&p.ID, &p.HallID, &p.WindowID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.Unauthorized, "pad_unknown")
	}
	return &p, err
}

// PadByToken is the pad whose device token is token (pad_unknown otherwise).
func (s *Service) PadByToken(ctx context.Context, token string) (*Pad, error) {
	return padByToken(ctx, s.DB, token)
}

// PairCode makes a code to pair a pad with window, for a supervisor to type on the pad.
func (s *Service) PairCode(ctx context.Context, a staff.Actor, hall, window int64) (string, time.Time, error) {
	if !authz.WholeHall(a, authz.FeedbackManage, hall) {
		return "", time.Time{}, apperr.New(apperr.Forbidden, "forbidden")
	}
	b := []byte(secret(8))
	digits := make([]byte, 6)
	for i := range digits {
		digits[i] = '0' + b[i]%10
	}
	cd := string(digits)
	now := s.Now()
	exp := now.Add(PairCodeLife)
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO rating_pads (hall_id, window_id, code_hash, code_expires, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
			hall, window, hash(fmt.Sprint(window, ":", cd)), exp.UnixMilli(), now.UnixMilli(), nullID(a.ID)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, a, hall, "pad.code", fmt.Sprintf("window:%d", window), nil)
	})
	if err != nil {
		return "", time.Time{}, wrap("pair code", err)
	}
	return cd, exp, nil
}

// Pair turns a pairing code typed on a pad into the pad's device token. Wrong codes count
// against every live code of the window; PairTries of them kill it.
func (s *Service) Pair(ctx context.Context, window int64, cd string) (string, error) {
	token := secret(24)
	now := s.Now()
	bad := false
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		bad = false
		var id, hall int64
		err := tx.QueryRow(ctx, `SELECT id, hall_id FROM rating_pads WHERE window_id = ? AND code_hash = ? AND code_expires >= ? AND code_tries < ?
			AND token_hash = '' AND revoked = 0`, window, hash(fmt.Sprint(window, ":", cd)), now.UnixMilli(), PairTries).Scan(&id, &hall)
		if errors.Is(err, sql.ErrNoRows) {
			_, err := tx.Exec(ctx, "UPDATE rating_pads SET code_tries = code_tries + 1 WHERE window_id = ? AND token_hash = '' AND code_expires >= ?",
				window, now.UnixMilli())
			bad = err == nil // commit the count, then refuse
			return err
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE rating_pads SET token_hash = ?, code_hash = '', paired_at = ? WHERE id = ?", hash(token), now.UnixMilli(), id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, citizen("pad"), hall, "pad.pair", fmt.Sprintf("window:%d", window), map[string]any{"pad": id})
	})
	if err != nil {
		return "", wrap("pair", err)
	}
	if bad {
		return "", apperr.New(apperr.Forbidden, "pad_bad_code")
	}
	return token, nil
}

// Prompt is what a pad shows: the ticket its window just finished, while it may still be rated.
type Prompt struct {
	HallID   int64               `json:"hall"`
	WindowID int64               `json:"window"`
	Ticket   *PromptTicket       `json:"ticket,omitempty"`
	Tags     map[string][]string `json:"tags"`
}

// PromptTicket is the ticket to rate; Token lets the pad rate with the ticket's own authority.
type PromptTicket struct {
	Number    string    `json:"number"`
	ServiceID int64     `json:"service"`
	Token     string    `json:"token"`
	Until     time.Time `json:"until"`
}

// PadPrompt is the prompt of the pad whose device token is token.
func (s *Service) PadPrompt(ctx context.Context, token string) (*Prompt, error) {
	p, err := padByToken(ctx, s.DB, token)
	if err != nil {
		return nil, err
	}
	out := &Prompt{HallID: p.HallID, WindowID: p.WindowID, Tags: LevelTags()}
	f, err := queue.LastFinished(ctx, s.DB, p.WindowID, s.Now().Add(-PadSpan))
	if err != nil || f == nil {
		return out, err
	}
	var n int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM ratings WHERE ticket_id = ?", f.ID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		out.Ticket = &PromptTicket{Number: f.Number, ServiceID: f.ServiceID, Token: f.Token, Until: f.FinishedAt.Add(PadSpan)}
	}
	return out, nil
}
