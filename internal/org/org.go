// Package org holds the organisation (the catalogue): halls, their services with materials,
// windows and the services each window serves in its order of preference, the priority
// classes, and each hall's guided finder (智能导办). A window's live state (open, paused, who
// is at it) is the queue's. The service guide (办事指南, Guide) and the one-time notice are
// both read from here, so they cannot disagree.
//
// Tables owned (only this package writes them): halls, services, materials, windows,
// window_services, priority_classes, finder_nodes.
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
	Address        string `json:"address"`
	AddressEN      string `json:"address_en"`
	Phone          string `json:"phone"`
	HoursNote      string `json:"hours_note"` // e.g. "法定节假日休息" for the guide
	Active         bool   `json:"active"`
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
	Description   string     `json:"description"` // what it is (事项说明)
	Conditions    string     `json:"conditions"`  // who may apply (申请条件)
	Fees          string     `json:"fees"`        // 收费标准, "免费" when free
	LegalBasis    string     `json:"legal_basis"` // 设定依据
	PlaceNote     string     `json:"place_note"`  // where in the hall, when it differs from the hall's address
	Keywords      string     `json:"keywords"`    // words the finder's search also matches
	Active        bool       `json:"active"`
	Materials     []Material `json:"materials"`
}

// Material is one item of a service's material list (材料清单).
type Material struct {
	Name         string `json:"name"`
	Original     bool   `json:"original"`
	Copies       int    `json:"copies"`
	RequiredWhen string `json:"required_when,omitempty"`
	Issuer       string `json:"issuer,omitempty"` // the body that issues it (出具单位)
}

// Window is a counter (窗口) as configured: its number, name and the services it serves, best
// first. Whether it is open now is the queue's (queue.WindowStates).
type Window struct {
	ID        int64   `json:"id"`
	HallID    int64   `json:"hall_id"`
	Number    int     `json:"number"`
	Name      string  `json:"name"`
	Services  []int64 `json:"services"`
	HomeClerk int64   `json:"home_clerk_id,omitempty"`
	Active    bool    `json:"active"`
}

// PriorityClass is a green-channel class (elderly, pregnant, disabled, ...).
type PriorityClass struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Active bool   `json:"active"`
}

const hallCols = `id, number, name, name_en, timezone, always_open, open_time, close_time, weekdays,
	max_recalls, priority_streak, free_pause_min, peak_waiting, long_wait_min, target_wait_min,
	address, address_en, phone, hours_note, active`

func scanHall(row interface{ Scan(...any) error }) (*Hall, error) {
	var h Hall
	err := row.Scan(&h.ID, &h.Number, &h.Name, &h.NameEN, &h.Timezone, &h.AlwaysOpen, &h.OpenTime, &h.CloseTime,
		&h.Weekdays, &h.MaxRecalls, &h.PriorityStreak, &h.FreePauseMin, &h.PeakWaiting, &h.LongWaitMin, &h.TargetWaitMin,
		&h.Address, &h.AddressEN, &h.Phone, &h.HoursNote, &h.Active)
	return &h, err
}

// Halls lists the halls in service (not retired) by number.
func Halls(ctx context.Context, q store.Querier) ([]*Hall, error) {
	return halls(ctx, q, "SELECT "+hallCols+" FROM halls WHERE active = 1 ORDER BY number")
}

// AllHalls lists every hall, retired ones included, by number (the back office).
func AllHalls(ctx context.Context, q store.Querier) ([]*Hall, error) {
	return halls(ctx, q, "SELECT "+hallCols+" FROM halls ORDER BY number")
}

func halls(ctx context.Context, q store.Querier, query string) ([]*Hall, error) {
	rows, err := q.Query(ctx, query)
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

// GetHall finds a hall by id, retired or not (its tickets and calendar still need it).
func GetHall(ctx context.Context, q store.Querier, id int64) (*Hall, error) {
	h, err := scanHall(q.QueryRow(ctx, "SELECT "+hallCols+" FROM halls WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "hall_not_found", id)
	}
	return h, err
}

const serviceCols = `id, hall_id, name, name_en, category, prefix, kind, time_limit_days, std_minutes, daily_cap,
	alert_waiting, issue_start, issue_end, description, conditions, fees, legal_basis, place_note, keywords, active`

func scanService(row interface{ Scan(...any) error }) (*Service, error) {
	var s Service
	err := row.Scan(&s.ID, &s.HallID, &s.Name, &s.NameEN, &s.Category, &s.Prefix, &s.Kind, &s.TimeLimitDays,
		&s.StdMinutes, &s.DailyCap, &s.AlertWaiting, &s.IssueStart, &s.IssueEnd,
		&s.Description, &s.Conditions, &s.Fees, &s.LegalBasis, &s.PlaceNote, &s.Keywords, &s.Active)
	return &s, err
}

// Services lists the active services of a hall with their materials, in display order.
func Services(ctx context.Context, q store.Querier, hall int64) ([]*Service, error) {
	return services(ctx, q, hall, "SELECT "+serviceCols+" FROM services WHERE hall_id = ? AND active = 1 ORDER BY position, id")
}

// AllServices lists every service of a hall, retired ones included (the back office).
func AllServices(ctx context.Context, q store.Querier, hall int64) ([]*Service, error) {
	return services(ctx, q, hall, "SELECT "+serviceCols+" FROM services WHERE hall_id = ? ORDER BY active DESC, position, id")
}

func services(ctx context.Context, q store.Querier, hall int64, query string) ([]*Service, error) {
	rows, err := q.Query(ctx, query, hall)
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
	mrows, err := q.Query(ctx, `SELECT m.service_id, m.name, m.original, m.copies, m.required_when, m.issuer
		FROM materials m JOIN services s ON s.id = m.service_id WHERE s.hall_id = ? ORDER BY m.service_id, m.position, m.id`, hall)
	if err != nil {
		return nil, err
	}
	defer mrows.Close()
	for mrows.Next() {
		var sid int64
		var m Material
		if err := mrows.Scan(&sid, &m.Name, &m.Original, &m.Copies, &m.RequiredWhen, &m.Issuer); err != nil {
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

// GetWindow finds a window by id, retired or not.
func GetWindow(ctx context.Context, q store.Querier, id int64) (*Window, error) {
	var hall int64
	err := q.QueryRow(ctx, "SELECT hall_id FROM windows WHERE id = ?", id).Scan(&hall)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "window_not_found", id)
	}
	if err != nil {
		return nil, err
	}
	ws, err := AllWindows(ctx, q, hall)
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		if w.ID == id {
			return w, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "window_not_found", id)
}

// Materials lists one service's materials in order.
func Materials(ctx context.Context, q store.Querier, service int64) ([]Material, error) {
	rows, err := q.Query(ctx, `SELECT name, original, copies, required_when, issuer FROM materials WHERE service_id = ? ORDER BY position, id`, service)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Material{}
	for rows.Next() {
		var m Material
		if err := rows.Scan(&m.Name, &m.Original, &m.Copies, &m.RequiredWhen, &m.Issuer); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// PriorityClassExists tells whether code names a priority class in use (not retired).
func PriorityClassExists(ctx context.Context, q store.Querier, code string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM priority_classes WHERE code = ? AND active = 1", code).Scan(&n)
	return n > 0, err
}

// Windows lists a hall's windows in service (not retired) with their services in order of
// preference.
func Windows(ctx context.Context, q store.Querier, hall int64) ([]*Window, error) {
	return windows(ctx, q, hall, "SELECT id, hall_id, number, name, COALESCE(home_clerk_id, 0), active FROM windows WHERE hall_id = ? AND active = 1 ORDER BY number")
}

// AllWindows lists every window of a hall, retired ones included (the back office).
func AllWindows(ctx context.Context, q store.Querier, hall int64) ([]*Window, error) {
	return windows(ctx, q, hall, "SELECT id, hall_id, number, name, COALESCE(home_clerk_id, 0), active FROM windows WHERE hall_id = ? ORDER BY active DESC, number")
}

func windows(ctx context.Context, q store.Querier, hall int64, query string) ([]*Window, error) {
	rows, err := q.Query(ctx, query, hall)
	if err != nil {
		return nil, err
	}
	var out []*Window
	byID := map[int64]*Window{}
	for rows.Next() {
		var w Window
		if err := rows.Scan(&w.ID, &w.HallID, &w.Number, &w.Name, &w.HomeClerk, &w.Active); err != nil {
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

// PriorityClasses lists the green-channel classes in use.
func PriorityClasses(ctx context.Context, q store.Querier) ([]PriorityClass, error) {
	return priorityClasses(ctx, q, "SELECT code, name, name_en, active FROM priority_classes WHERE active = 1 ORDER BY position, id")
}

// AllPriorityClasses lists every green-channel class, retired ones included.
func AllPriorityClasses(ctx context.Context, q store.Querier) ([]PriorityClass, error) {
	return priorityClasses(ctx, q, "SELECT code, name, name_en, active FROM priority_classes ORDER BY active DESC, position, id")
}

func priorityClasses(ctx context.Context, q store.Querier, query string) ([]PriorityClass, error) {
	rows, err := q.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []PriorityClass{}
	for rows.Next() {
		var p PriorityClass
		if err := rows.Scan(&p.Code, &p.Name, &p.NameEN, &p.Active); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// HomeWindows are the windows whose home clerk (the A post) is the staff member.
func HomeWindows(ctx context.Context, q store.Querier, staffID int64) ([]int64, error) {
	return store.Int64s(ctx, q, "SELECT id FROM windows WHERE home_clerk_id = ? AND active = 1 ORDER BY number", staffID)
}
