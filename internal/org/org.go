// Package org holds the organisation (the catalogue): halls, their services with materials,
// windows and the services each window serves in its order of preference, and the priority
// classes. A window's live state (open, paused, who is at it) is the queue's.
//
// Tables owned (only this package writes them): halls, services, materials, windows,
// window_services, priority_classes.
package org

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/store"
)

// Hall is one service hall (网点/大厅) with its opening hours and queue settings.
type Hall struct {
	ID             int64  `json:"id"`
	Number         int    `json:"number"`
	Name           string `json:"name"`
	NameEN         string `json:"name_en"`
	Timezone       string `json:"timezone"`
	AlwaysOpen     bool   `json:"always_open"`
	OpenTime       string `json:"open_time"`  // "HH:MM" local
	CloseTime      string `json:"close_time"` // "HH:MM" local
	Weekdays       string `json:"weekdays"`   // ISO weekdays open, "12345" = Monday..Friday
	MaxRecalls     int    `json:"max_recalls"`
	PriorityStreak int    `json:"priority_streak"` // priority calls in a row before an ordinary one
	FreePauseMin   int    `json:"free_pause_minutes"`
	PeakWaiting    int    `json:"peak_waiting"`
	LongWaitMin    int    `json:"long_wait_minutes"`
	TargetWaitMin  int    `json:"target_wait_minutes"`
}

var zones sync.Map // name -> *time.Location; LoadLocation parses the zone file on every call

// Location is the hall's time zone (Asia/Shanghai when the name is unknown).
func (h *Hall) Location() *time.Location {
	name := h.Timezone
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc, _ = time.LoadLocation("Asia/Shanghai")
	}
	zones.Store(name, loc)
	return loc
}

// Hours is the plain rule of opening hours, separated from the Hall so tests can state it.
func (h *Hall) Hours() Hours {
	return Hours{Always: h.AlwaysOpen, Open: h.OpenTime, Close: h.CloseTime, Weekdays: h.Weekdays, Loc: h.Location()}
}

// Service is one matter (事项) a hall handles.
type Service struct {
	ID            int64      `json:"id"`
	HallID        int64      `json:"hall_id"`
	Name          string     `json:"name"`
	NameEN        string     `json:"name_en"`
	Category      string     `json:"category"`
	Prefix        string     `json:"prefix"`
	Kind          string     `json:"kind"` // consult (咨询类), handle (办理类), complaint (投诉类)
	TimeLimitDays int        `json:"time_limit_days"`
	StdMinutes    int        `json:"std_minutes"`
	DailyCap      int        `json:"daily_cap"`
	AlertWaiting  int        `json:"alert_waiting"`
	IssueStart    string     `json:"issue_start,omitempty"`
	IssueEnd      string     `json:"issue_end,omitempty"`
	Materials     []Material `json:"materials"`
}

// Material is one item of a service's material list (材料清单).
type Material struct {
	Name         string `json:"name"`
	Original     bool   `json:"original"`
	Copies       int    `json:"copies"`
	RequiredWhen string `json:"required_when,omitempty"`
}

// Window is a counter (窗口) as configured: its number, name and the services it serves, best
// first. Whether it is open now is the queue's (queue.WindowStates).
type Window struct {
	ID       int64   `json:"id"`
	HallID   int64   `json:"hall_id"`
	Number   int     `json:"number"`
	Name     string  `json:"name"`
	Services []int64 `json:"services"`
}

// PriorityClass is a green-channel class (elderly, pregnant, disabled, ...).
type PriorityClass struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

const hallCols = `id, number, name, name_en, timezone, always_open, open_time, close_time, weekdays,
	max_recalls, priority_streak, free_pause_min, peak_waiting, long_wait_min, target_wait_min`

func scanHall(row interface{ Scan(...any) error }) (*Hall, error) {
	var h Hall
	err := row.Scan(&h.ID, &h.Number, &h.Name, &h.NameEN, &h.Timezone, &h.AlwaysOpen, &h.OpenTime, &h.CloseTime,
		&h.Weekdays, &h.MaxRecalls, &h.PriorityStreak, &h.FreePauseMin, &h.PeakWaiting, &h.LongWaitMin, &h.TargetWaitMin)
	return &h, err
}

// Halls lists every hall by number.
func Halls(ctx context.Context, q store.Querier) ([]*Hall, error) {
	rows, err := q.Query(ctx, "SELECT "+hallCols+" FROM halls ORDER BY number")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Hall
	for rows.Next() {
		h, err := scanHall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// GetHall finds a hall by id.
func GetHall(ctx context.Context, q store.Querier, id int64) (*Hall, error) {
	h, err := scanHall(q.QueryRow(ctx, "SELECT "+hallCols+" FROM halls WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "hall_not_found", id)
	}
	return h, err
}

const serviceCols = `id, hall_id, name, name_en, category, prefix, kind, time_limit_days, std_minutes, daily_cap,
	alert_waiting, issue_start, issue_end`

func scanService(row interface{ Scan(...any) error }) (*Service, error) {
	var s Service
	err := row.Scan(&s.ID, &s.HallID, &s.Name, &s.NameEN, &s.Category, &s.Prefix, &s.Kind, &s.TimeLimitDays,
		&s.StdMinutes, &s.DailyCap, &s.AlertWaiting, &s.IssueStart, &s.IssueEnd)
	return &s, err
}

// Services lists the active services of a hall with their materials, in display order.
func Services(ctx context.Context, q store.Querier, hall int64) ([]*Service, error) {
	rows, err := q.Query(ctx, "SELECT "+serviceCols+" FROM services WHERE hall_id = ? AND active = 1 ORDER BY position, id", hall)
	if err != nil {
		return nil, err
	}
	var out []*Service
	byID := map[int64]*Service{}
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		s.Materials = []Material{}
		out = append(out, s)
		byID[s.ID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	mrows, err := q.Query(ctx, `SELECT m.service_id, m.name, m.original, m.copies, m.required_when
		FROM materials m JOIN services s ON s.id = m.service_id WHERE s.hall_id = ? ORDER BY m.service_id, m.position, m.id`, hall)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var sid int64
		var m Material
		if err := mrows.Scan(&sid, &m.Name, &m.Original, &m.Copies, &m.RequiredWhen); err != nil {
			return nil, err
		}
		if s := byID[sid]; s != nil {
			s.Materials = append(s.Materials, m)
		}
	}
	return out, mrows.Err()
}

// GetService finds an active service of a hall.
func GetService(ctx context.Context, q store.Querier, hall, id int64) (*Service, error) {
	s, err := scanService(q.QueryRow(ctx, "SELECT "+serviceCols+" FROM services WHERE id = ? AND hall_id = ? AND active = 1", id, hall))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "service_not_found", id)
	}
	return s, err
}

// GetServiceAny finds a service by id, retired or not (a ticket keeps its service).
func GetServiceAny(ctx context.Context, q store.Querier, id int64) (*Service, error) {
	s, err := scanService(q.QueryRow(ctx, "SELECT "+serviceCols+" FROM services WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "service_not_found", id)
	}
	return s, err
}

// PriorityClassExists tells whether code names a configured priority class.
func PriorityClassExists(ctx context.Context, q store.Querier, code string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM priority_classes WHERE code = ?", code).Scan(&n)
	return n > 0, err
}

// Windows lists a hall's windows with their services in order of preference.
func Windows(ctx context.Context, q store.Querier, hall int64) ([]*Window, error) {
	rows, err := q.Query(ctx, "SELECT id, hall_id, number, name FROM windows WHERE hall_id = ? ORDER BY number", hall)
	if err != nil {
		return nil, err
	}
	var out []*Window
	byID := map[int64]*Window{}
	for rows.Next() {
		var w Window
		if err := rows.Scan(&w.ID, &w.HallID, &w.Number, &w.Name); err != nil {
			rows.Close()
			return nil, err
		}
		w.Services = []int64{}
		out = append(out, &w)
		byID[w.ID] = &w
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	srows, err := q.Query(ctx, `SELECT ws.window_id, ws.service_id FROM window_services ws
		JOIN windows w ON w.id = ws.window_id WHERE w.hall_id = ? ORDER BY ws.window_id, ws.rank`, hall)
	if err != nil {
		return nil, err
	}
	defer srows.Close()
	for srows.Next() {
		var wid, sid int64
		if err := srows.Scan(&wid, &sid); err != nil {
			return nil, err
		}
		if w := byID[wid]; w != nil {
			w.Services = append(w.Services, sid)
		}
	}
	return out, srows.Err()
}

// PriorityClasses lists the configured green-channel classes.
func PriorityClasses(ctx context.Context, q store.Querier) ([]PriorityClass, error) {
	rows, err := q.Query(ctx, "SELECT code, name, name_en FROM priority_classes ORDER BY position, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []PriorityClass{}
	for rows.Next() {
		var p PriorityClass
		if err := rows.Scan(&p.Code, &p.Name, &p.NameEN); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// HomeWindows are the windows whose home clerk (the A post) is the staff member.
func HomeWindows(ctx context.Context, q store.Querier, staffID int64) ([]int64, error) {
	return store.Int64s(ctx, q, "SELECT id FROM windows WHERE home_clerk_id = ? ORDER BY number", staffID)
}
