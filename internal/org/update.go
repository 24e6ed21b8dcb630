package org

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/store"
)

// The back office's edits and retirements. Nothing the catalogue owns is ever deleted: tickets,
// cases and the audit log name halls, services, windows and classes, so retiring (active = 0)
// takes a thing out of new use while everything already issued keeps working. A ticket carries
// its own prefix, so a service's new prefix numbers only the tickets issued after it.

func prefixTaken() error {
	return invalid("prefix", "already used in this hall (retired services keep theirs)")
}

func rowsOne(res interface{ RowsAffected() (int64, error) }, notFound error) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound
	}
	return nil
}

// UpdateHall replaces a hall's settings (h.ID names it; whether it is active is SetHallActive's).
func UpdateHall(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, h Hall) error {
	h = h.withDefaults()
	if err := h.validate(); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, `UPDATE halls SET number = ?, name = ?, name_en = ?, timezone = ?, always_open = ?, open_time = ?, close_time = ?,
		weekdays = ?, max_recalls = ?, priority_streak = ?, free_pause_min = ?, peak_waiting = ?, long_wait_min = ?, target_wait_min = ?,
		address = ?, address_en = ?, phone = ?, hours_note = ? WHERE id = ?`,
		h.Number, h.Name, h.NameEN, h.Timezone, flag(h.AlwaysOpen), h.OpenTime, h.CloseTime, h.Weekdays, h.MaxRecalls, h.PriorityStreak,
		h.FreePauseMin, h.PeakWaiting, h.LongWaitMin, h.TargetWaitMin, h.Address, h.AddressEN, h.Phone, h.HoursNote, h.ID)
	if store.IsUniqueViolation(err) {
		return invalid("number", fmt.Sprintf("hall %d exists", h.Number))
	}
	if err == nil {
		err = rowsOne(res, apperr.New(apperr.NotFound, "hall_not_found", h.ID))
	}
	if err != nil {
		return fmt.Errorf("org: update hall: %w", err)
	}
	return audit.Record(ctx, tx, at, who, h.ID, "hall.update", "hall:"+h.Name, map[string]any{"number": h.Number,
		"hours": h.OpenTime + "-" + h.CloseTime, "weekdays": h.Weekdays, "timezone": h.Timezone})
}

// SetHallActive retires a hall (no kiosk, no new tickets; its history stays) or brings it back.
func SetHallActive(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, id int64, active bool) error {
	h, err := GetHall(ctx, tx, id)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE halls SET active = ? WHERE id = ?", flag(active), id); err != nil {
		return fmt.Errorf("org: set hall active: %w", err)
	}
	return audit.Record(ctx, tx, at, who, id, activeAction("hall", active), "hall:"+h.Name, nil)
}

func activeAction(kind string, active bool) string {
	if active {
		return kind + ".restore"
	}
	return kind + ".retire"
}

// UpdateService replaces a service's fields and its material list (s.ID and s.HallID name it).
func UpdateService(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, s Service) error {
	if s.StdMinutes == 0 {
		s.StdMinutes = 10
	}
	if err := s.validate(); err != nil {
		return err
	}
	old, err := GetServiceAny(ctx, tx, s.ID)
	if err != nil {
		return err
	}
	if old.HallID != s.HallID {
		return apperr.New(apperr.NotFound, "service_not_found", s.ID)
	}
	_, err = tx.Exec(ctx, `UPDATE services SET name = ?, name_en = ?, category = ?, prefix = ?, kind = ?, time_limit_days = ?, std_minutes = ?,
		daily_cap = ?, alert_waiting = ?, issue_start = ?, issue_end = ?, description = ?, conditions = ?, fees = ?, legal_basis = ?,
		place_note = ?, keywords = ? WHERE id = ?`,
		s.Name, s.NameEN, s.Category, s.Prefix, s.Kind, s.TimeLimitDays, s.StdMinutes, s.DailyCap, s.AlertWaiting, s.IssueStart, s.IssueEnd,
		s.Description, s.Conditions, s.Fees, s.LegalBasis, s.PlaceNote, s.Keywords, s.ID)
	if store.IsUniqueViolation(err) {
		return prefixTaken()
	}
	if err != nil {
		return fmt.Errorf("org: update service: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM materials WHERE service_id = ?", s.ID); err != nil {
		return fmt.Errorf("org: update service: %w", err)
	}
	if err := writeMaterials(ctx, tx, s.ID, s.Materials); err != nil {
		return fmt.Errorf("org: update service: %w", err)
	}
	detail := map[string]any{"prefix": s.Prefix, "materials": len(s.Materials), "time_limit_days": s.TimeLimitDays}
	if old.Prefix != s.Prefix {
		detail["old_prefix"] = old.Prefix
	}
	return audit.Record(ctx, tx, at, who, s.HallID, "service.update", "service:"+s.Name, detail)
}

func writeMaterials(ctx context.Context, tx *store.Tx, service int64, ms []Material) error {
	for i, m := range ms {
		if _, err := tx.Exec(ctx, `INSERT INTO materials (service_id, name, original, copies, required_when, issuer, position) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			service, strings.TrimSpace(m.Name), flag(m.Original), m.Copies, m.RequiredWhen, m.Issuer, i); err != nil {
			return err
		}
	}
	return nil
}

// SetServiceActive retires a service (the kiosk and the guide no longer offer it; tickets
// already waiting for it are still called, since windows keep serving it) or brings it back.
func SetServiceActive(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, hall, id int64, active bool) error {
	s, err := GetServiceAny(ctx, tx, id)
	if err == nil && s.HallID != hall {
		err = apperr.New(apperr.NotFound, "service_not_found", id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, "UPDATE services SET active = ? WHERE id = ?", flag(active), id); err != nil {
		return fmt.Errorf("org: set service active: %w", err)
	}
	return audit.Record(ctx, tx, at, who, hall, activeAction("service", active), "service:"+s.Name, map[string]any{"prefix": s.Prefix})
}

// check validates a window's name, number and services (each of its hall, none twice).
func (w *Window) check(ctx context.Context, q store.Querier) error {
	if w.Number <= 0 || w.Number > 999 {
		return invalid("number", "1 to 999")
	}
	if strings.TrimSpace(w.Name) == "" || len([]rune(w.Name)) > 50 {
		return invalid("name", "1 to 50 characters")
	}
	seen := map[int64]bool{}
	for _, sid := range w.Services {
		if seen[sid] {
			return invalid("services", "a service is listed twice")
		}
		seen[sid] = true
		s, err := GetServiceAny(ctx, q, sid)
		if err == nil && s.HallID != w.HallID {
			err = apperr.New(apperr.NotFound, "service_not_found", sid)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func writeWindowServices(ctx context.Context, tx *store.Tx, window int64, services []int64) error {
	for rank, sid := range services {
		if _, err := tx.Exec(ctx, "INSERT INTO window_services (window_id, service_id, rank) VALUES (?, ?, ?)", window, sid, rank); err != nil {
			return err
		}
	}
	return nil
}

// UpdateWindow replaces a window's number, name, home clerk (0: none) and its services in
// order of preference (w.ID names it; its hall does not change). An open window takes the new
// order at its next call.
func UpdateWindow(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, w Window) error {
	old, err := GetWindow(ctx, tx, w.ID)
	if err != nil {
		return err
	}
	w.HallID = old.HallID
	if err := w.check(ctx, tx); err != nil {
		return err
	}
	var home any
	if w.HomeClerk != 0 {
		home = w.HomeClerk
	}
	_, err = tx.Exec(ctx, "UPDATE windows SET number = ?, name = ?, home_clerk_id = ? WHERE id = ?", w.Number, w.Name, home, w.ID)
	if store.IsUniqueViolation(err) {
		return invalid("number", fmt.Sprintf("window %d exists in this hall", w.Number))
	}
	if err != nil {
		return fmt.Errorf("org: update window: %w", err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM window_services WHERE window_id = ?", w.ID); err != nil {
		return fmt.Errorf("org: update window: %w", err)
	}
	if err := writeWindowServices(ctx, tx, w.ID, w.Services); err != nil {
		return fmt.Errorf("org: update window: %w", err)
	}
	return audit.Record(ctx, tx, at, who, w.HallID, "window.update", "window:"+w.Name,
		map[string]any{"number": w.Number, "services": w.Services, "before": old.Services, "home_clerk": w.HomeClerk})
}

// SetWindowActive retires a window or brings it back. The caller first makes sure a window it
// retires is closed (its live state is the queue's): see web's windowRetire.
func SetWindowActive(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, id int64, active bool) (*Window, error) {
	w, err := GetWindow(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec(ctx, "UPDATE windows SET active = ? WHERE id = ?", flag(active), id); err != nil {
		return nil, fmt.Errorf("org: set window active: %w", err)
	}
	w.Active = active
	return w, audit.Record(ctx, tx, at, who, w.HallID, activeAction("window", active), "window:"+w.Name, map[string]any{"number": w.Number})
}

// WindowActive tells whether a window is in service (the queue asks before opening one).
func WindowActive(ctx context.Context, q store.Querier, id int64) (bool, error) {
	var active bool
	err := q.QueryRow(ctx, "SELECT active FROM windows WHERE id = ?", id).Scan(&active)
	return active, err
}

func (p PriorityClass) validate() error {
	if strings.TrimSpace(p.Name) == "" || len([]rune(p.Name)) > 50 {
		return invalid("name", "1 to 50 characters")
	}
	return texts(map[string]string{"name_en": p.NameEN}, 50)
}

// UpdatePriorityClass renames a green-channel class (its code, which tickets carry, stays).
func UpdatePriorityClass(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, p PriorityClass) error {
	if err := p.validate(); err != nil {
		return err
	}
	res, err := tx.Exec(ctx, "UPDATE priority_classes SET name = ?, name_en = ? WHERE code = ?", p.Name, p.NameEN, p.Code)
	if err == nil {
		err = rowsOne(res, apperr.New(apperr.NotFound, "priority_class_not_found", p.Code))
	}
	if err != nil {
		return fmt.Errorf("org: update priority class: %w", err)
	}
	return audit.Record(ctx, tx, at, who, 0, "priority_class.update", "priority_class:"+p.Code, map[string]any{"name": p.Name})
}

// SetPriorityClassActive retires a class (the kiosk stops offering it; tickets of the class
// already waiting keep their place) or brings it back.
func SetPriorityClassActive(ctx context.Context, tx *store.Tx, who audit.Who, at time.Time, code string, active bool) error {
	res, err := tx.Exec(ctx, "UPDATE priority_classes SET active = ? WHERE code = ?", flag(active), code)
	if err == nil {
		err = rowsOne(res, apperr.New(apperr.NotFound, "priority_class_not_found", code))
	}
	if err != nil {
		return fmt.Errorf("org: set priority class active: %w", err)
	}
	return audit.Record(ctx, tx, at, who, 0, activeAction("priority_class", active), "priority_class:"+code, nil)
}
