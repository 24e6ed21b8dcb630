// Package feedback is what citizens say of the service and what the hall does about it: ratings
// (好差评, one per ticket, on the window's pad or the citizen's phone), the rectification of every
// bad rating (差评整改: contact, verify, rectify, call back, each with a deadline in working days),
// complaints (投诉: receive, classify, handle, feed back, archive, learn) and call-back surveys
// (定期回访). Every state machine is a transition table in flow.go; every deadline is counted on
// the hall's working-day calendar with the hall's settings (defaults in DefaultSettings).
//
// Tables owned (only this package writes them): feedback_settings, rating_pads, ratings,
// rectifications, complaints, feedback_steps, survey_calls.
package feedback

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// Topic is published (key: the hall) whenever a rating, rectification, complaint or survey of
// the hall changes, so the work lists update live.
const Topic events.Topic = "feedback"

// Service runs the feedback domain on a database. Now is the clock.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	// Sources are the other domains' served citizens with a contact, for call-back surveys
	// (appointments, case files); feedback's own are always included.
	Sources []ContactSource
}

// Settings are a hall's numbers (local rules differ: a bad rating is rectified within 5, 10 or
// 15 working days in different cities).
type Settings struct {
	RateSpanDays int `json:"rate_span_days"` // a citizen may rate from their phone this many days after service
	ContactDays  int `json:"contact_days"`   // working days to contact the citizen after a bad rating
	RectifyDays  int `json:"rectify_days"`   // working days to rectify and report back
	SignDays     int `json:"sign_days"`      // working days to sign for (受理) a complaint
	GeneralDays  int `json:"general_days"`   // 一般 complaints: working days to the result
	MajorDays    int `json:"major_days"`     // 重大
	UrgentDays   int `json:"urgent_days"`    // 紧急: 0 = the same day
}

// DefaultSettings hold for a hall that set none.
var DefaultSettings = Settings{RateSpanDays: 7, ContactDays: 1, RectifyDays: 5, SignDays: 1, GeneralDays: 7, MajorDays: 15, UrgentDays: 0}

func (s Settings) validate() error {
	for _, v := range []struct {
		name   string
		n, max int
		min    int
	}{{"rate_span_days", s.RateSpanDays, 90, 1}, {"contact_days", s.ContactDays, 30, 0}, {"rectify_days", s.RectifyDays, 60, 1},
		{"sign_days", s.SignDays, 10, 0}, {"general_days", s.GeneralDays, 60, 0}, {"major_days", s.MajorDays, 90, 0}, {"urgent_days", s.UrgentDays, 10, 0}} {
		if v.n < v.min || v.n > v.max {
			return apperr.New(apperr.Invalid, "feedback_bad_setting", v.name, v.min, v.max)
		}
	}
	return nil
}

// ClassDays is the limit of a complaint class under s.
func (s Settings) ClassDays(class string) (int, bool) {
	switch class {
	case ClassGeneral:
		return s.GeneralDays, true
	case ClassMajor:
		return s.MajorDays, true
	case ClassUrgent:
		return s.UrgentDays, true
	}
	return 0, false
}

// GetSettings are hall's settings, the defaults where it set none.
func GetSettings(ctx context.Context, q store.Querier, hall int64) (Settings, error) {
	s := DefaultSettings
	err := q.QueryRow(ctx, `SELECT rate_span_days, contact_days, rectify_days, sign_days, general_days, major_days, urgent_days
		FROM feedback_settings WHERE hall_id = ?`, hall).Scan(&s.RateSpanDays, &s.ContactDays, &s.RectifyDays, &s.SignDays,
		&s.GeneralDays, &s.MajorDays, &s.UrgentDays)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	if err != nil {
		return s, wrap("get feedback settings", err)
	}
	return s, nil
}

// RectDeadlines are a rectification's contact and rectify deadlines for a rating given on day.
func RectDeadlines(c *calendar.Calendar, s Settings, day calendar.Date) (contact, due calendar.Date) {
	contact, _ = c.Due(day, s.ContactDays, nil)
	due, _ = c.Due(day, s.RectifyDays, nil)
	return contact, due
}

// ComplaintDue is the last day for a complaint of class received on day.
func ComplaintDue(c *calendar.Calendar, s Settings, day calendar.Date, class string) (calendar.Date, error) {
	n, ok := s.ClassDays(class)
	if !ok {
		return calendar.Date{}, apperr.New(apperr.Invalid, "complaint_bad_class", class)
	}
	d, _ := c.Due(day, n, nil)
	return d, nil
}

// Overdue tells whether a deadline given as "YYYY-MM-DD" is past on today.
func Overdue(due string, today calendar.Date) bool {
	d, err := calendar.ParseDate(due)
	return err == nil && today.After(d)
}

// hallDay is the hall's calendar, its local date at now and the hall.
func hallDay(ctx context.Context, q store.Querier, hall int64, now time.Time) (*calendar.Calendar, calendar.Date, *org.Hall, error) {
	h, err := org.GetHall(ctx, q, hall)
	if err != nil {
		return nil, calendar.Date{}, nil, err
	}
	c, err := calendar.Load(ctx, q, hall)
	if err != nil {
		return nil, calendar.Date{}, nil, err
	}
	return c, calendar.DateOf(now.In(h.Location())), h, nil
}

// text checks a free text field: valid UTF-8, no NUL, at most max characters.
func text(field, s string, max int, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) || utf8.RuneCountInString(s) > max {
		return "", apperr.New(apperr.Invalid, "feedback_bad_text", field, max)
	}
	if required && s == "" {
		return "", apperr.New(apperr.Invalid, "feedback_missing", field)
	}
	return s, nil
}

// phone checks a contact phone: digits, spaces, + and -, 5 to 20 of them; "" is allowed.
func phone(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '+':
		default:
			return "", apperr.New(apperr.Invalid, "feedback_bad_phone")
		}
	}
	if digits < 5 || digits > 20 {
		return "", apperr.New(apperr.Invalid, "feedback_bad_phone")
	}
	return s, nil
}

func secret(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// code is a short reference a citizen can read out on the phone: a prefix, the date and random
// letters without look-alikes.
func code(prefix string, day calendar.Date) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 5)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return prefix + strings.ReplaceAll(day.String(), "-", "")[2:] + "-" + string(b)
}

// step records one move of a rectification or a complaint in its history.
func recordStep(ctx context.Context, tx *store.Tx, kind string, id int64, at time.Time, who audit.Who, action, from, to, note string) error {
	_, err := tx.Exec(ctx, `INSERT INTO feedback_steps (kind, ref_id, at, by_name, action, from_state, to_state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, id, at.UnixMilli(), who.AuditName(), action, from, to, note)
	return err
}

// Step is one line of a history.
type Step struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"`
	From   string    `json:"from"`
	To     string    `json:"to"`
	Note   string    `json:"note,omitempty"`
}

func steps(ctx context.Context, q store.Querier, kind string, id int64) ([]Step, error) {
	rows, err := q.Query(ctx, `SELECT at, by_name, action, from_state, to_state, note FROM feedback_steps WHERE kind = ? AND ref_id = ? ORDER BY id`, kind, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Step{}
	for rows.Next() {
		var s Step
		var at int64
		if err := rows.Scan(&at, &s.By, &s.Action, &s.From, &s.To, &s.Note); err != nil {
			return nil, err
		}
		s.At = time.UnixMilli(at)
		out = append(out, s)
	}
	return out, rows.Err()
}

// citizen is the audit actor of what a citizen does (rating, complaining on the web): no staff
// id, and a name that says where it came from.
type citizen string

func (c citizen) AuditID() int64    { return 0 }
func (c citizen) AuditName() string { return string(c) }

func wrap(op string, err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SetSettings stores hall's settings; they apply to what is opened from now on.
func (s *Service) SetSettings(ctx context.Context, a staff.Actor, hall int64, set Settings) error {
	if !authz.WholeHall(a, authz.FeedbackManage, hall) {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	if err := set.validate(); err != nil {
		return err
	}
	return wrap("set feedback settings", s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.Now()
		if _, err := tx.Exec(ctx, `INSERT INTO feedback_settings (hall_id, rate_span_days, contact_days, rectify_days, sign_days, general_days,
			major_days, urgent_days, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hall_id) DO UPDATE SET
			rate_span_days = excluded.rate_span_days, contact_days = excluded.contact_days, rectify_days = excluded.rectify_days,
			sign_days = excluded.sign_days, general_days = excluded.general_days, major_days = excluded.major_days,
			urgent_days = excluded.urgent_days, updated_at = excluded.updated_at`, hall, set.RateSpanDays, set.ContactDays, set.RectifyDays,
			set.SignDays, set.GeneralDays, set.MajorDays, set.UrgentDays, now.UnixMilli()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, a, hall, "feedback.settings", fmt.Sprintf("hall:%d", hall), set)
	}))
}
