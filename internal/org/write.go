package org

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
)

// The catalogue's writes: each runs inside the caller's transaction and writes its audit line
// there, so the back office, the demo loader and the tools all change the catalogue one way.

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$`)

func invalid(field, why string) error {
	return apperr.New(apperr.Invalid, "bad_request", field+": "+why)
}

// withDefaults fills a new hall's unset settings with the usual values.
func (h Hall) withDefaults() Hall {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&h.MaxRecalls, 3)
	def(&h.PriorityStreak, 2)
	def(&h.FreePauseMin, 15)
	def(&h.PeakWaiting, 30)
	def(&h.LongWaitMin, 30)
	def(&h.TargetWaitMin, 20)
	for p, d := range map[*string]string{&h.Timezone: "Asia/Shanghai", &h.OpenTime: "09:00", &h.CloseTime: "17:00", &h.Weekdays: "12345"} {
		if *p == "" {
			*p = d
		}
	}
	return h
}

func (h Hall) validate() error {
	switch {
	case h.Number <= 0:
		return invalid("number", "must be positive")
	case strings.TrimSpace(h.Name) == "" || len([]rune(h.Name)) > 100:
		return invalid("name", "1 to 100 characters")
	case !clock.MatchString(h.OpenTime) || !clock.MatchString(h.CloseTime):
		return invalid("open_time/close_time", "HH:MM")
	case strings.Trim(h.Weekdays, "1234567") != "" || h.Weekdays == "":
		return invalid("weekdays", "ISO weekday digits 1–7")
	case h.MaxRecalls < 0 || h.PriorityStreak < 0 || h.FreePauseMin < 0 || h.PeakWaiting < 0 || h.LongWaitMin < 0 || h.TargetWaitMin < 0:
		return invalid("settings", "must not be negative")
	}
	if err := texts(map[string]string{"name_en": h.NameEN, "address": h.Address, "address_en": h.AddressEN, "phone": h.Phone,
		"hours_note": h.HoursNote}, 300); err != nil {
		return err
	}
	if _, err := time.LoadLocation(h.Timezone); err != nil {
		return invalid("timezone", "unknown time zone")
	}
	return nil
}

// CreateHall adds a hall and returns its id.
func CreateHall(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, h Hall) (int64, error) {
	h = h.withDefaults()
	if err := h.validate(); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO halls (number, name, name_en, timezone, always_open, open_time, close_time, weekdays, max_recalls,
		priority_streak, free_pause_min, peak_waiting, long_wait_min, target_wait_min, address, address_en, phone, hours_note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		h.Number, h.Name, h.NameEN, h.Timezone, flag(h.AlwaysOpen), h.OpenTime, h.CloseTime, h.Weekdays, h.MaxRecalls, h.PriorityStreak,
		h.FreePauseMin, h.PeakWaiting, h.LongWaitMin, h.TargetWaitMin, h.Address, h.AddressEN, h.Phone, h.HoursNote).Scan(&id)
	if store.IsUniqueViolation(err) {
		return 0, invalid("number", fmt.Sprintf("hall %d exists", h.Number))
	}
	if err != nil {
		return 0, fmt.Errorf("org: create hall: %w", err)
	}
	return id, audit.Record(ctx, tx, at, who, id, "hall.create", "hall:"+h.Name, map[string]any{"number": h.Number})
}

var prefixRE = regexp.MustCompile(`^[A-Z]$`)

func (s *Service) validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "" || len([]rune(s.Name)) > 100:
		return invalid("name", "1 to 100 characters")
	case !prefixRE.MatchString(s.Prefix):
		return invalid("prefix", "one capital letter A–Z")
	case s.Kind != "consult" && s.Kind != "handle" && s.Kind != "complaint":
		return invalid("kind", "consult, handle or complaint")
	case s.TimeLimitDays < 0 || s.StdMinutes < 0 || s.DailyCap < 0 || s.AlertWaiting < 0:
		return invalid("limits", "must not be negative")
	case (s.IssueStart == "") != (s.IssueEnd == "") || (s.IssueStart != "" && (!clock.MatchString(s.IssueStart) || !clock.MatchString(s.IssueEnd))):
		return invalid("issue_start/issue_end", "both HH:MM or both empty")
	}
	if len(s.Materials) > 50 {
		return invalid("materials", "at most 50")
	}
	for i, m := range s.Materials {
		if strings.TrimSpace(m.Name) == "" || len([]rune(m.Name)) > 100 || m.Copies < 0 || m.Copies > 20 {
			return invalid(fmt.Sprintf("materials[%d]", i), "a name of 1 to 100 characters and 0 to 20 copies")
		}
		if err := texts(map[string]string{"required_when": m.RequiredWhen, "issuer": m.Issuer}, 200); err != nil {
			return err
		}
	}
	if err := texts(map[string]string{"name_en": s.NameEN, "category": s.Category, "place_note": s.PlaceNote, "keywords": s.Keywords}, 300); err != nil {
		return err
	}
	return texts(map[string]string{"description": s.Description, "conditions": s.Conditions, "fees": s.Fees, "legal_basis": s.LegalBasis}, 4000)
}

// texts refuses a free-text field longer than max characters or holding control characters
// other than line breaks (PostgreSQL refuses NUL; nobody needs the others).
func texts(fields map[string]string, max int) error {
	for name, v := range fields {
		if len([]rune(v)) > max {
			return invalid(name, fmt.Sprintf("at most %d characters", max))
		}
		for _, r := range v {
			if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
				return invalid(name, "control characters")
			}
		}
	}
	return nil
}

// CreateService adds a service with its materials to a hall, after its other services, and
// returns its id.
func CreateService(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, s Service) (int64, error) {
	if s.StdMinutes == 0 {
		s.StdMinutes = 10
	}
	if err := s.validate(); err != nil {
		return 0, err
	}
	if _, err := GetHall(ctx, tx, s.HallID); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO services (hall_id, name, name_en, category, prefix, kind, time_limit_days, std_minutes, daily_cap,
		alert_waiting, issue_start, issue_end, description, conditions, fees, legal_basis, place_note, keywords, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT COUNT(*) FROM services WHERE hall_id = ?)) RETURNING id`,
		s.HallID, s.Name, s.NameEN, s.Category, s.Prefix, s.Kind, s.TimeLimitDays, s.StdMinutes, s.DailyCap, s.AlertWaiting,
		s.IssueStart, s.IssueEnd, s.Description, s.Conditions, s.Fees, s.LegalBasis, s.PlaceNote, s.Keywords, s.HallID).Scan(&id)
	if store.IsUniqueViolation(err) {
		return 0, prefixTaken()
	}
	if err != nil {
		return 0, fmt.Errorf("org: create service: %w", err)
	}
	if err := writeMaterials(ctx, tx, id, s.Materials); err != nil {
		return 0, fmt.Errorf("org: create service: %w", err)
	}
	return id, audit.Record(ctx, tx, at, who, s.HallID, "service.create", "service:"+s.Name, map[string]any{"prefix": s.Prefix})
}

// CreateWindow adds a window serving w.Services (best first) with its home clerk (0: none)
// and returns its id.
func CreateWindow(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, w Window, homeClerk int64) (int64, error) {
	if w.Number <= 0 {
		return 0, invalid("number", "must be positive")
	}
	if err := w.check(ctx, tx); err != nil {
		return 0, err
	}
	var home any
	if homeClerk != 0 {
		home = homeClerk
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO windows (hall_id, number, name, home_clerk_id) VALUES (?, ?, ?, ?) RETURNING id`,
		w.HallID, w.Number, w.Name, home).Scan(&id)
	if store.IsUniqueViolation(err) {
		return 0, invalid("number", fmt.Sprintf("window %d exists in this hall", w.Number))
	}
	if err != nil {
		return 0, fmt.Errorf("org: create window: %w", err)
	}
	if err := writeWindowServices(ctx, tx, id, w.Services); err != nil {
		return 0, fmt.Errorf("org: create window: %w", err)
	}
	return id, audit.Record(ctx, tx, at, who, w.HallID, "window.create", "window:"+w.Name, map[string]any{"number": w.Number, "services": w.Services})
}

// CreatePriorityClass adds a green-channel class after the others.
func CreatePriorityClass(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, p PriorityClass) error {
	if p.Code == "" || strings.Trim(p.Code, "abcdefghijklmnopqrstuvwxyz_") != "" || len(p.Code) > 30 {
		return invalid("code", "lower-case letters and _")
	}
	if err := p.validate(); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO priority_classes (code, name, name_en, position) VALUES (?, ?, ?, (SELECT COUNT(*) FROM priority_classes))`,
		p.Code, p.Name, p.NameEN)
	if store.IsUniqueViolation(err) {
		return invalid("code", "already used")
	}
	if err != nil {
		return fmt.Errorf("org: create priority class: %w", err)
	}
	return audit.Record(ctx, tx, at, who, 0, "priority_class.create", "priority_class:"+p.Code, nil)
}

// flag is a boolean as the schema stores it on both engines.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}
