package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/calendar"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// calendarErr turns the calendar's errors into the caller's: bad input a 400, a missing day 404.
func calendarErr(err error) error {
	switch {
	case errors.Is(err, calendar.ErrInvalid):
		return apperr.New(apperr.Invalid, "bad_request", err.Error())
	case errors.Is(err, calendar.ErrNotFound):
		return apperr.New(apperr.NotFound, "calendar_day_not_found")
	}
	return err
}

// workdays is GET /api/v1/calendar/workdays?hall=&from=&add=: the add-th working day after from
// in the hall's calendar (no sign-in; citizens' pages show due dates with it).
func (s *Server) workdays(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	hall, err := strconv.ParseInt(q.Get("hall"), 10, 64)
	if err != nil || hall <= 0 {
		s.fail(w, r, apperr.New(apperr.Invalid, "bad_id", q.Get("hall")))
		return
	}
	if _, err := org.GetHall(r.Context(), s.DB, hall); err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := calendar.Workdays(r.Context(), s.DB, hall, q.Get("from"), q.Get("add"))
	if err != nil {
		s.fail(w, r, calendarErr(err))
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// adminCalendar is a hall's year: the national holidays and make-up days and the hall's own days.
func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err == nil {
		err = reach(actor(r), authz.HallConfigure, h.ID)
	}
	year := s.Now().Year()
	if v := r.URL.Query().Get("year"); v != "" && err == nil {
		year, err = strconv.Atoi(v)
		if err != nil || year < 2000 || year > 2100 {
			err = apperr.New(apperr.Invalid, "bad_request", "year: 2000 to 2100")
		}
	}
	var days []calendar.Day
	if err == nil {
		days, err = calendar.ListDays(r.Context(), s.DB, h.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	own := []calendar.Day{}
	for _, d := range days {
		if d.Day.Year == year {
			own = append(own, d)
		}
	}
	national := calendar.Holidays(year)
	if national == nil {
		national = []calendar.Holiday{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"year": year, "published": calendar.Published(year), "national": national, "days": own})
}

func (s *Server) calendarDay(r *http.Request) (int64, calendar.Date, error) {
	hall, err := pathID(r, "hall")
	if err != nil {
		return 0, calendar.Date{}, err
	}
	d, err := calendar.ParseDate(r.PathValue("day"))
	if err != nil {
		return 0, calendar.Date{}, calendarErr(err)
	}
	return hall, d, nil
}

func (s *Server) adminSetDay(w http.ResponseWriter, r *http.Request) {
	hall, day, err := s.calendarDay(r)
	var in struct {
		Working *bool  `json:"working"`
		Note    string `json:"note"`
	}
	if err == nil {
		err = decode(r, &in)
	}
	if err == nil && in.Working == nil {
		err = apperr.New(apperr.Invalid, "bad_request", "working: true or false")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := s.calendarHall(ctx, tx, a, hall); err != nil {
			return nil, err
		}
		if err := calendar.SetDay(ctx, tx, hall, day, *in.Working, in.Note); err != nil {
			return nil, calendarErr(err)
		}
		return map[string]any{"day": day, "working": *in.Working, "note": in.Note},
			audit.Record(ctx, tx, s.Now(), a, hall, "calendar.set", "day:"+day.String(), map[string]any{"working": *in.Working, "note": in.Note})
	})
}

func (s *Server) calendarHall(ctx context.Context, q store.Querier, a staff.Actor, hall int64) error {
	if _, err := org.GetHall(ctx, q, hall); err != nil {
		return err
	}
	return reach(a, authz.HallConfigure, hall)
}

func (s *Server) adminDeleteDay(w http.ResponseWriter, r *http.Request) {
	hall, day, err := s.calendarDay(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := s.calendarHall(ctx, tx, a, hall); err != nil {
			return nil, err
		}
		if err := calendar.DeleteDay(ctx, tx, hall, day); err != nil {
			return nil, calendarErr(err)
		}
		return nil, audit.Record(ctx, tx, s.Now(), a, hall, "calendar.delete", "day:"+day.String(), nil)
	})
}
