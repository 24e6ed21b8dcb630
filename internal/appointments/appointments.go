// Package appointments is booking a slot at a hall (预约): slots per service and day with a
// capacity derived from the hall's hours and the windows serving the service (editable), the
// booking itself (one per person, service and day; an ID number checked by GB 11643 and stored
// only keyed), look-up, rescheduling and cancelling by the booking's token, check-in at the
// kiosk or on the booking's page (a queue ticket called at the slot time ahead of walk-ins),
// no-shows and the suspension they bring, and the reminder the day before (through
// internal/notify).
//
// A slot never overbooks: the booking transaction raises the slot's counter with
// "UPDATE ... SET booked = booked + 1 WHERE booked < capacity", a row write that PostgreSQL
// serialises per row (the second writer re-reads the row after the first commits) and SQLite
// under its single writer, so it holds for any number of instances.
//
// Phone and ID numbers are keyed with HMAC-SHA256 under a server secret (Service.Key, from
// QHALL_PERSON_KEY, or else one made once and kept in appointment_secrets) for the "one per
// person" and no-show rules; the ID number is kept only so, and masked for display. The phone is
// kept (the reminder goes to it) and shown masked.
//
// Tables owned (only this package writes them): appointment_settings, appointment_slots,
// appointments, appointment_suspensions, appointment_secrets.
package appointments

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/events"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/privacy"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/store"
)

// Topic is published (key: the hall) by every change to a hall's bookings.
const Topic events.Topic = "appointments"

// Booking states.
const (
	Booked    = "booked"
	CheckedIn = "checked_in" // checked in within the span: the ticket is called at the slot time
	Late      = "late"       // checked in after the span: the ticket joins the walk-ins
	NoShow    = "no_show"
	Cancelled = "cancelled"
)

// States are the booking states, in their order.
var States = []string{Booked, CheckedIn, Late, NoShow, Cancelled}

// Service runs the appointments on a database; Queue issues the check-in tickets.
type Service struct {
	DB    *store.DB
	Queue *queue.Engine
	Now   func() time.Time
	// Key keys phone and ID numbers; when empty, a key kept in the database is used.
	Key []byte

	keyOnce sync.Mutex
	dbKey   []byte
}

// citizen is the actor of the audit lines of what a citizen does by their booking.
type citizen struct{}

func (citizen) AuditID() int64    { return 0 }
func (citizen) AuditName() string { return "citizen" }

// Citizen is the audit actor of a citizen's own actions.
var Citizen audit.Who = citizen{}

// GetSettings are the hall's rules (the defaults when it has set none).
func GetSettings(ctx context.Context, q store.Querier, hall int64) (Settings, error) {
	var s Settings
	err := q.QueryRow(ctx, `SELECT slot_minutes, days_ahead, lead_minutes, change_before_min, checkin_before_min, checkin_after_min,
		share_percent, noshow_limit, noshow_days, suspend_days FROM appointment_settings WHERE hall_id = ?`, hall).Scan(
		&s.SlotMinutes, &s.DaysAhead, &s.LeadMinutes, &s.ChangeBeforeMin, &s.CheckinBeforeMin, &s.CheckinAfterMin,
		&s.SharePercent, &s.NoShowLimit, &s.NoShowDays, &s.SuspendDays)
	if errors.Is(err, sql.ErrNoRows) {
		return Defaults, nil
	}
	return s, err
}

// PutSettings sets the hall's rules. Bookings already made keep their slots.
func PutSettings(ctx context.Context, tx *store.Tx, who audit.Who, now time.Time, hall int64, s Settings) error {
	if f := s.Valid(); f != "" {
		return apperr.New(apperr.Invalid, "bad_request", f)
	}
	if _, err := org.GetHall(ctx, tx, hall); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO appointment_settings (hall_id, slot_minutes, days_ahead, lead_minutes, change_before_min,
		checkin_before_min, checkin_after_min, share_percent, noshow_limit, noshow_days, suspend_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (hall_id) DO UPDATE SET slot_minutes = excluded.slot_minutes, days_ahead = excluded.days_ahead,
		lead_minutes = excluded.lead_minutes, change_before_min = excluded.change_before_min, checkin_before_min = excluded.checkin_before_min,
		checkin_after_min = excluded.checkin_after_min, share_percent = excluded.share_percent, noshow_limit = excluded.noshow_limit,
		noshow_days = excluded.noshow_days, suspend_days = excluded.suspend_days`,
		hall, s.SlotMinutes, s.DaysAhead, s.LeadMinutes, s.ChangeBeforeMin, s.CheckinBeforeMin, s.CheckinAfterMin, s.SharePercent,
		s.NoShowLimit, s.NoShowDays, s.SuspendDays)
	if err != nil {
		return fmt.Errorf("appointments: settings: %w", err)
	}
	return audit.Record(ctx, tx, now, who, hall, "appointments.settings", fmt.Sprintf("hall:%d", hall), s)
}

// Slot is one slot of a service on a day.
type Slot struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Capacity  int       `json:"capacity"`
	Booked    int       `json:"booked"`
	Available int       `json:"available"`
	// Bookable: inside the booking window (lead time, days ahead) with a place left.
	Bookable bool `json:"bookable"`
}

// ParseDay reads a YYYY-MM-DD day in loc.
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, apperr.New(apperr.Invalid, "bad_date", s)
	}
	return d, nil
}

// Slots are a service's slots on a day (YYYY-MM-DD in the hall's zone).
func (s *Service) Slots(ctx context.Context, hallID, serviceID int64, day string) ([]Slot, error) {
	hall, err := org.GetHall(ctx, s.DB, hallID)
	if err != nil {
		return nil, err
	}
	d, err := ParseDay(day, hall.Location())
	if err != nil {
		return nil, err
	}
	return s.slots(ctx, s.DB, hall, serviceID, d)
}

func (s *Service) slots(ctx context.Context, q store.Querier, hall *org.Hall, serviceID int64, day time.Time) ([]Slot, error) {
	svc, err := org.GetService(ctx, q, hall.ID, serviceID)
	if err != nil {
		return nil, err
	}
	set, err := GetSettings(ctx, q, hall.ID)
	if err != nil {
		return nil, err
	}
	wins, err := org.Windows(ctx, q, hall.ID)
	if err != nil {
		return nil, err
	}
	var loads []int
	for _, w := range wins {
		for _, id := range w.Services {
			if id == serviceID {
				loads = append(loads, len(w.Services))
			}
		}
	}
	derived := SlotCapacity(set.SlotMinutes, svc.StdMinutes, loads, set.SharePercent)
	out := DaySlots(hall.Hours(), day, set.SlotMinutes, derived)
	closed, err := closedDay(ctx, q, hall.ID, day)
	if err != nil {
		return nil, err
	}
	if closed {
		return []Slot{}, nil
	}
	stored := map[int64][2]int{}
	rows, err := q.Query(ctx, "SELECT start_at, capacity, booked FROM appointment_slots WHERE service_id = ? AND day = ?",
		serviceID, day.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var at int64
		var c, b int
		if err := rows.Scan(&at, &c, &b); err != nil {
			rows.Close()
			return nil, err
		}
		stored[at] = [2]int{c, b}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	now := s.Now()
	for i := range out {
		if v, ok := stored[out[i].Start.UnixMilli()]; ok {
			out[i].Capacity, out[i].Booked = v[0], v[1]
		}
		out[i].Available = max(out[i].Capacity-out[i].Booked, 0)
		out[i].Bookable = out[i].Available > 0 && bookingWindow(set, hall.Location(), now, out[i].Start) == nil
	}
	return out, nil
}

// closedDay tells whether an administrator closed the day for the hall or for every hall (the
// calendar's overrides): no slots then, whatever the opening hours say.
func closedDay(ctx context.Context, q store.Querier, hall int64, day time.Time) (bool, error) {
	date := calendar.DateOf(day)
	for _, scope := range []int64{0, hall} {
		days, err := calendar.ListDays(ctx, q, scope)
		if err != nil {
			return false, err
		}
		for _, d := range days {
			if d.Day == date && !d.Working {
				return true, nil
			}
		}
	}
	return false, nil
}

// DaySlots cuts a day's opening hours into slots of the given length, each with capacity.
func DaySlots(h org.Hours, day time.Time, slotMinutes, capacity int) []Slot {
	loc := h.Loc
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := day.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	wd := int(midnight.Weekday())
	if wd == 0 {
		wd = 7
	}
	if !h.Always && !strings.Contains(h.Weekdays, fmt.Sprint(wd)) {
		return []Slot{}
	}
	open, ok1 := org.ClockMinutes(h.Open)
	closing, ok2 := org.ClockMinutes(h.Close)
	if h.Always {
		open, closing, ok1, ok2 = 0, 24*60, true, true
	}
	out := []Slot{}
	if !ok1 || !ok2 || slotMinutes <= 0 {
		return out
	}
	for t := open; t+slotMinutes <= closing; t += slotMinutes {
		start := midnight.Add(time.Duration(t) * time.Minute)
		out = append(out, Slot{Start: start, End: start.Add(time.Duration(slotMinutes) * time.Minute), Capacity: capacity, Available: capacity})
	}
	return out
}

// bookingWindow tells what keeps a slot from being booked now (nil when nothing does).
func bookingWindow(set Settings, loc *time.Location, now, start time.Time) error {
	if start.Before(now.Add(time.Duration(set.LeadMinutes) * time.Minute)) {
		return apperr.New(apperr.Conflict, "slot_too_soon", set.LeadMinutes)
	}
	today := now.In(loc)
	last := time.Date(today.Year(), today.Month(), today.Day()+set.DaysAhead+1, 0, 0, 0, 0, loc)
	if !start.Before(last) {
		return apperr.New(apperr.Conflict, "slot_too_far", set.DaysAhead)
	}
	return nil
}

// Request is what a citizen books.
type Request struct {
	Service  int64     `json:"service"`
	Start    time.Time `json:"start"`
	Name     string    `json:"name"`
	Phone    string    `json:"phone"`
	IDNumber string    `json:"id_number"`
}

// Booking is a booking as its holder sees it, personal data masked.
type Booking struct {
	Code         string    `json:"code"`
	Token        string    `json:"token"`
	HallID       int64     `json:"hall"`
	ServiceID    int64     `json:"service"`
	ServiceName  string    `json:"service_name"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	State        string    `json:"state"`
	Name         string    `json:"name"`
	Phone        string    `json:"phone"`
	IDNumber     string    `json:"id_number,omitempty"`
	ChangeUntil  time.Time `json:"change_until"`
	CheckinFrom  time.Time `json:"checkin_from"`
	CheckinUntil time.Time `json:"checkin_until"`
	TicketToken  string    `json:"ticket_token,omitempty"`

	id, slotID int64
	day        string
	loc        *time.Location
}

func (s *Service) secret(ctx context.Context, q store.Querier) ([]byte, error) {
	if len(s.Key) > 0 {
		return s.Key, nil
	}
	s.keyOnce.Lock()
	defer s.keyOnce.Unlock()
	if s.dbKey != nil {
		return s.dbKey, nil
	}
	var v string
	err := q.QueryRow(ctx, "SELECT value FROM appointment_secrets WHERE name = 'person_key'").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		b := make([]byte, 32)
		rand.Read(b)
		err = s.DB.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, "INSERT INTO appointment_secrets (name, value) VALUES ('person_key', ?) ON CONFLICT (name) DO NOTHING", hex.EncodeToString(b))
			return err
		})
		if err == nil {
			err = s.DB.QueryRow(ctx, "SELECT value FROM appointment_secrets WHERE name = 'person_key'").Scan(&v)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("appointments: key: %w", err)
	}
	k, err := hex.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("appointments: key: %w", err)
	}
	s.dbKey = k
	return k, nil
}

// personKey keys a phone or ID number (kind "phone" or "id").
func personKey(key []byte, kind, v string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind + ":" + v))
	return hex.EncodeToString(m.Sum(nil))
}

func newToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func newCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	var sb strings.Builder
	for _, x := range b {
		sb.WriteByte('0' + x%10)
	}
	return sb.String()
}

// Book books a slot for a citizen.
func (s *Service) Book(ctx context.Context, hallID int64, in Request) (*Booking, error) {
	in.Name = strings.TrimSpace(in.Name)
	if n := len([]rune(in.Name)); n < 1 || n > 40 {
		return nil, apperr.New(apperr.Invalid, "appt_bad_name")
	}
	phone := NormalizePhone(in.Phone)
	if phone == "" {
		return nil, apperr.New(apperr.Invalid, "appt_bad_phone")
	}
	id := NormalizeID(in.IDNumber)
	if id != "" && !ValidID(id) {
		return nil, apperr.New(apperr.Invalid, "appt_bad_id_number")
	}
	if in.Service <= 0 || in.Start.IsZero() {
		return nil, apperr.New(apperr.Invalid, "bad_request", "service, start")
	}
	key, err := s.secret(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	phoneKey := personKey(key, "phone", phone)
	idKey, idMasked := "", ""
	if id != "" {
		idKey, idMasked = personKey(key, "id", id), privacy.Mask(id)
	}
	var out *Booking
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		hall, err := org.GetHall(ctx, tx, hallID)
		if err != nil {
			return err
		}
		needs, err := org.ServiceNeedsID(ctx, tx, in.Service)
		if err != nil {
			return err
		}
		if needs && id == "" {
			return apperr.New(apperr.Invalid, "appt_id_required")
		}
		set, err := GetSettings(ctx, tx, hallID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := s.checkSuspended(ctx, tx, now, hall.Location(), phoneKey, idKey); err != nil {
			return err
		}
		slot, err := s.claim(ctx, tx, hall, set, in.Service, in.Start, now)
		if err != nil {
			return err
		}
		if err := checkOnePerDay(ctx, tx, in.Service, slot.day, phoneKey, idKey, 0); err != nil {
			return err
		}
		code, err := freeCode(ctx, tx, hallID)
		if err != nil {
			return err
		}
		b := &Booking{Code: code, Token: newToken(), HallID: hallID, ServiceID: in.Service, Start: slot.Start, End: slot.End, State: Booked,
			Name: privacy.MaskName(in.Name), Phone: privacy.Mask(phone), IDNumber: idMasked, slotID: slot.id, day: slot.day}
		if err := tx.QueryRow(ctx, `INSERT INTO appointments (hall_id, service_id, slot_id, day, start_at, end_at, code, token, name, phone,
			phone_key, id_key, id_masked, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?) RETURNING id`,
			hallID, in.Service, slot.id, slot.day, slot.Start.UnixMilli(), slot.End.UnixMilli(), code, b.Token, in.Name, phone,
			phoneKey, idKey, idMasked, now.UnixMilli()).Scan(&b.id); err != nil {
			if store.IsUniqueViolation(err) {
				return apperr.New(apperr.Conflict, "appt_duplicate")
			}
			return err
		}
		s.fill(b, set)
		svc, err := org.GetServiceAny(ctx, tx, in.Service)
		if err != nil {
			return err
		}
		b.ServiceName = svc.Name
		out = b
		if err := audit.Record(ctx, tx, now, Citizen, hallID, "appointment.book", fmt.Sprintf("appointment:%d", b.id),
			map[string]any{"service": in.Service, "start": slot.Start.UnixMilli()}); err != nil {
			return err
		}
		return events.Publish(ctx, tx, Topic, hallID)
	})
	if store.IsUniqueViolation(err) {
		return nil, apperr.New(apperr.Conflict, "appt_duplicate")
	}
	if err != nil {
		return nil, wrap("book", err)
	}
	return out, nil
}

type claimed struct {
	Slot
	id  int64
	day string
}

// claim takes one place of the slot starting at start, or fails: slot_full when none is left.
func (s *Service) claim(ctx context.Context, tx *store.Tx, hall *org.Hall, set Settings, service int64, start time.Time, now time.Time) (*claimed, error) {
	loc := hall.Location()
	day := start.In(loc)
	slots, err := s.slots(ctx, tx, hall, service, day)
	if err != nil {
		return nil, err
	}
	var slot *Slot
	for i := range slots {
		if slots[i].Start.Equal(start) {
			slot = &slots[i]
		}
	}
	if slot == nil {
		return nil, apperr.New(apperr.NotFound, "appt_no_such_slot")
	}
	if err := bookingWindow(set, loc, now, slot.Start); err != nil {
		return nil, err
	}
	c := &claimed{Slot: *slot, day: day.Format(time.DateOnly)}
	if _, err := tx.Exec(ctx, `INSERT INTO appointment_slots (hall_id, service_id, day, start_at, end_at, capacity, booked)
		VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (service_id, start_at) DO NOTHING`,
		hall.ID, service, c.day, slot.Start.UnixMilli(), slot.End.UnixMilli(), slot.Capacity); err != nil {
		return nil, err
	}
	// The guard: the row is written only while a place is left, and its writers queue on it.
	err = tx.QueryRow(ctx, `UPDATE appointment_slots SET booked = booked + 1 WHERE service_id = ? AND start_at = ? AND booked < capacity
		RETURNING id`, service, slot.Start.UnixMilli()).Scan(&c.id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.Conflict, "slot_full")
	}
	return c, err
}

func (s *Service) checkSuspended(ctx context.Context, q store.Querier, now time.Time, loc *time.Location, phoneKey, idKey string) error {
	var until int64
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(until_at), 0) FROM appointment_suspensions WHERE person_key IN (?, ?) AND until_at > ?`,
		phoneKey, idKey, now.UnixMilli()).Scan(&until)
	if err != nil {
		return err
	}
	if until > 0 {
		var n int
		if err := q.QueryRow(ctx, `SELECT noshows FROM appointment_suspensions WHERE person_key IN (?, ?) AND until_at = ?`,
			phoneKey, idKey, until).Scan(&n); err != nil {
			return err
		}
		return apperr.New(apperr.Conflict, "appt_suspended", n, time.UnixMilli(until).In(loc).Format("2006-01-02 15:04"))
	}
	return nil
}

// checkOnePerDay refuses a second live booking of the person for the service on the day (the
// unique indexes catch two made at the same moment).
func checkOnePerDay(ctx context.Context, q store.Querier, service int64, day, phoneKey, idKey string, except int64) error {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM appointments WHERE service_id = ? AND day = ? AND id <> ?
		AND state IN ('booked', 'checked_in', 'late') AND (phone_key = ? OR (id_key <> '' AND id_key = ?))`,
		service, day, except, phoneKey, idKey).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return apperr.New(apperr.Conflict, "appt_duplicate")
	}
	return nil
}

func freeCode(ctx context.Context, q store.Querier, hall int64) (string, error) {
	for range 10 {
		c := newCode()
		var n int
		if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM appointments WHERE hall_id = ? AND code = ?", hall, c).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return c, nil
		}
	}
	return "", errors.New("appointments: no free code")
}

// fill sets the times derived from the rules.
func (s *Service) fill(b *Booking, set Settings) {
	b.ChangeUntil = b.Start.Add(-time.Duration(set.ChangeBeforeMin) * time.Minute)
	b.CheckinFrom, b.CheckinUntil = set.Span(b.Start)
}

func wrap(op string, err error) error {
	if err == nil || apperr.As(err) != nil {
		return err
	}
	return fmt.Errorf("appointments: %s: %w", op, err)
}
