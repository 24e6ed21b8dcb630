package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/qr"
)

// The appointments' pages: booking (phone), the booking's own page, the staff's list.

type apptServiceJS struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Prefix  string `json:"prefix"`
	NeedsID bool   `json:"needs_id"`
}

type apptDayJS struct {
	Date  string `json:"date"`
	Label string `json:"label"`
}

type bookView struct {
	Hall     hallJS
	Services []apptServiceJS
	Settings appointments.Settings
}

// bookDays are the days one may book, today first, labelled in the page's language.
func bookDays(p *page, now time.Time, loc *time.Location, ahead int) []apptDayJS {
	var out []apptDayJS
	today := now.In(loc)
	for i := 0; i <= ahead; i++ {
		d := time.Date(today.Year(), today.Month(), today.Day()+i, 12, 0, 0, 0, loc)
		label := p.T("appt_weekday_"+d.Weekday().String()[:3]) + " " + d.Format("01-02")
		switch i {
		case 0:
			label = p.T("appt_today") + " " + d.Format("01-02")
		case 1:
			label = p.T("appt_tomorrow") + " " + d.Format("01-02")
		}
		out = append(out, apptDayJS{Date: d.Format(time.DateOnly), Label: label})
	}
	return out
}

func (s *Server) apptServices(r *http.Request, lang string, hall int64) ([]apptServiceJS, error) {
	svcs, err := org.Services(r.Context(), s.DB, hall)
	if err != nil {
		return nil, err
	}
	needs, err := org.ServicesNeedingID(r.Context(), s.DB, hall)
	if err != nil {
		return nil, err
	}
	var out []apptServiceJS
	for _, x := range svcs {
		out = append(out, apptServiceJS{ID: x.ID, Name: localName(lang, x.Name, x.NameEN), Prefix: x.Prefix, NeedsID: slices.Contains(needs, x.ID)})
	}
	return out, nil
}

// bookPage is the public booking page of a hall (for phones).
func (s *Server) bookPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "appt_book_title")
	p.Class = "page-book"
	svcs, err := s.apptServices(r, p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	set, err := appointments.GetSettings(r.Context(), s.DB, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	hall := hallFor(p.Lang, h)
	p.Title = p.T("appt_book_title") + " · " + hall.Name
	p.V = bookView{Hall: hall, Services: svcs, Settings: set}
	p.Data = map[string]any{"hall": hall, "services": svcs, "days": bookDays(p, s.Now(), h.Location(), set.DaysAhead)}
	s.render(w, r, http.StatusOK, "book", p)
}

type bookingView struct {
	Hall    hallJS
	B       *appointments.Booking
	Service string
	State   string
	When    string
	Change  string
	Checkin string
	CanEdit bool
	CanIn   bool
}

// bookingPage is the booking's own page, reached by its token (the link and QR code given at
// booking): details masked, cancel, reschedule, check in.
func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request) {
	b, err := s.Appointments.Get(r.Context(), r.PathValue("token"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	h, err := org.GetHall(r.Context(), s.DB, b.HallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "appt_booking_title")
	p.Class = "page-book"
	svcs, err := s.apptServices(r, p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	name := b.ServiceName
	for _, x := range svcs {
		if x.ID == b.ServiceID {
			name = x.Name
		}
	}
	set, err := appointments.GetSettings(r.Context(), s.DB, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	loc, now := h.Location(), s.Now()
	hall := hallFor(p.Lang, h)
	v := bookingView{Hall: hall, B: b, Service: name, State: p.T("appt_state_" + b.State),
		When:    b.Start.In(loc).Format("2006-01-02 15:04") + "–" + b.End.In(loc).Format("15:04"),
		Change:  b.ChangeUntil.In(loc).Format("01-02 15:04"),
		Checkin: b.CheckinFrom.In(loc).Format("15:04") + "–" + b.CheckinUntil.In(loc).Format("15:04"),
		CanEdit: b.State == appointments.Booked && !now.After(b.ChangeUntil),
		CanIn:   (b.State == appointments.Booked || b.State == appointments.NoShow) && !now.Before(b.CheckinFrom) && now.In(loc).Format(time.DateOnly) == b.Start.In(loc).Format(time.DateOnly)}
	p.V = v
	p.Data = map[string]any{"hall": hall, "token": b.Token, "service": b.ServiceID, "start": b.Start,
		"days": bookDays(p, now, loc, set.DaysAhead)}
	s.render(w, r, http.StatusOK, "booking", p)
}

// bookingQR is the booking's QR code: the address of its page, where the citizen checks in.
func (s *Server) bookingQR(w http.ResponseWriter, r *http.Request) {
	b, err := s.Appointments.Get(r.Context(), r.PathValue("token"))
	if err != nil {
		if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
			http.NotFound(w, r)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.serveQR(w, r, "/a/"+url.PathEscape(b.Token))
}

// serveQR answers a QR code of this server's address of path (a ticket's or a booking's page).
func (s *Server) serveQR(w http.ResponseWriter, r *http.Request, path string) {
	base := strings.TrimRight(s.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	png, err := qr.PNG(base+path, 8)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(png)
}

type apptStaffRow struct {
	appointments.Entry
	Time, StateLabel string
}

type apptStaffView struct {
	Hall   hallJS
	Date   string
	Rows   []apptStaffRow
	Counts []codeName
}

// apptStaffPage lists a hall's bookings of a day (today by default) for its staff.
func (s *Server) apptStaffPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := mayReadAppointments(r, h.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	day := r.URL.Query().Get("date")
	if day == "" {
		day = s.Now().In(h.Location()).Format(time.DateOnly)
	}
	list, err := s.Appointments.Day(r.Context(), a, h.ID, day)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "appt_staff_title")
	p.Class, p.Actor = "page-appt-staff", &a
	hall := hallFor(p.Lang, h)
	p.Title = p.T("appt_staff_title") + " · " + hall.Name
	v := apptStaffView{Hall: hall, Date: day}
	count := map[string]int{}
	for _, e := range list {
		count[e.State]++
		e.ServiceName = localName(p.Lang, e.ServiceName, "")
		v.Rows = append(v.Rows, apptStaffRow{Entry: e, Time: e.Start.In(h.Location()).Format("15:04") + "–" + e.End.In(h.Location()).Format("15:04"),
			StateLabel: p.T("appt_state_" + e.State)})
	}
	for _, st := range appointments.States {
		v.Counts = append(v.Counts, codeName{Code: st, Name: p.T("appt_count_"+st, count[st])})
	}
	p.V = v
	s.render(w, r, http.StatusOK, "appt_staff", p)
}
