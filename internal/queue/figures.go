package queue

import (
	"context"
	"database/sql"
	"time"

	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// DayFigures are a hall's figures since the start of its day: per service and per clerk.
type DayFigures struct {
	Since    time.Time       `json:"since"`
	Services []ServiceFigure `json:"services"`
	Clerks   []ClerkFigure   `json:"clerks"`
}

// ServiceFigure is one service's day: served, no-shows (过号), waiting now, and the waits of the
// tickets called so far (mean and longest, taking to calling).
type ServiceFigure struct {
	ID           int64 `json:"id"`
	Served       int   `json:"served"`
	NoShows      int   `json:"no_shows"`
	MeanWaitS    int   `json:"mean_wait_seconds"`
	LongestWaitS int   `json:"longest_wait_seconds"`
}

// ClerkFigure is one clerk's day: tickets finished and their mean handling time.
type ClerkFigure struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Served      int    `json:"served"`
	MeanHandleS int    `json:"mean_handle_seconds"`
}

// dayStart is the start of the hall's local day holding now.
func dayStart(h *org.Hall, now time.Time) time.Time {
	y, m, d := now.In(h.Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, h.Location())
}

// Today reads a hall's figures of the day so far.
func (e *Engine) Today(ctx context.Context, hallID int64) (*DayFigures, error) {
	h, err := org.GetHall(ctx, e.DB, hallID)
	if err != nil {
		return nil, err
	}
	since := dayStart(h, e.Now())
	out := &DayFigures{Since: since, Services: []ServiceFigure{}, Clerks: []ClerkFigure{}}
	rows, err := e.DB.Query(ctx, `SELECT service_id, SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END),
		SUM(CASE WHEN state = 'skipped' THEN 1 ELSE 0 END),
		CAST(AVG(CASE WHEN called_at > 0 THEN called_at - taken_at END) AS DOUBLE PRECISION),
		COALESCE(MAX(CASE WHEN called_at > 0 THEN called_at - taken_at END), 0)
		FROM tickets WHERE hall_id = ? AND taken_at >= ? GROUP BY service_id ORDER BY service_id`, hallID, since.UnixMilli())
	if err != nil {
		return nil, wrap("today", err)
	}
	for rows.Next() {
		var f ServiceFigure
		var mean sql.NullFloat64
		var longest int64
		if err := rows.Scan(&f.ID, &f.Served, &f.NoShows, &mean, &longest); err != nil {
			rows.Close()
			return nil, wrap("today", err)
		}
		f.MeanWaitS, f.LongestWaitS = int(mean.Float64/1000), int(longest/1000)
		out.Services = append(out.Services, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("today", err)
	}
	out.Clerks, err = clerkFigures(ctx, e.DB, "hall_id", hallID, since)
	return out, err
}

// ClerkToday is one clerk's figures of the day (the counter shows them to the clerk).
func (e *Engine) ClerkToday(ctx context.Context, hallID, clerkID int64) (*ClerkFigure, error) {
	h, err := org.GetHall(ctx, e.DB, hallID)
	if err != nil {
		return nil, err
	}
	fs, err := clerkFigures(ctx, e.DB, "clerk_id", clerkID, dayStart(h, e.Now()))
	if err != nil || len(fs) == 0 {
		return &ClerkFigure{ID: clerkID}, err
	}
	return &fs[0], nil
}

func clerkFigures(ctx context.Context, q store.Querier, col string, id int64, since time.Time) ([]ClerkFigure, error) {
	// col is one of two constants, never input.
	rows, err := q.Query(ctx, `SELECT clerk_id, COUNT(*), CAST(AVG(finished_at - started_at) AS DOUBLE PRECISION) FROM tickets
		WHERE `+col+` = ? AND state = 'done' AND started_at > 0 AND clerk_id IS NOT NULL AND taken_at >= ?
		GROUP BY clerk_id ORDER BY COUNT(*) DESC, clerk_id`, id, since.UnixMilli())
	if err != nil {
		return nil, wrap("clerk figures", err)
	}
	out := []ClerkFigure{}
	var ids []int64
	for rows.Next() {
		var f ClerkFigure
		var mean sql.NullFloat64
		if err := rows.Scan(&f.ID, &f.Served, &mean); err != nil {
			rows.Close()
			return nil, wrap("clerk figures", err)
		}
		f.MeanHandleS = int(mean.Float64 / 1000)
		out = append(out, f)
		ids = append(ids, f.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("clerk figures", err)
	}
	names, err := staff.Names(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Name = names[out[i].ID]
	}
	return out, nil
}
