package web

import (
	"net/http"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/appointments"
	"github.com/qhall/qhall/internal/authz"
)

// The appointments' API: thin handlers over internal/appointments.

func (s *Server) hallService(r *http.Request) (hall, service int64, err error) {
	h, err := s.hallFromPath(r)
	if err != nil {
		return 0, 0, err
	}
	svc, err := pathID(r, "service")
	return h.ID, svc, err
}

func (s *Server) apptSlots(w http.ResponseWriter, r *http.Request) {
	hall, svc, err := s.hallService(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	slots, err := s.Appointments.Slots(r.Context(), hall, svc, r.URL.Query().Get("date"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, slots)
}

func (s *Server) apptSetCapacity(w http.ResponseWriter, r *http.Request) {
	hall, svc, err := s.hallService(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Date  string                        `json:"date"`
		Slots []appointments.SlotCapacityIn `json:"slots"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	slots, err := s.Appointments.SetCapacity(r.Context(), actor(r), hall, svc, in.Date, in.Slots)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, slots)
}

func (s *Server) apptSettings(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := appointments.GetSettings(r.Context(), s.DB, h.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, set)
}

func (s *Server) apptPutSettings(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in appointments.Settings
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	set, err := s.Appointments.SetSettings(r.Context(), actor(r), h.ID, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, set)
}

func (s *Server) apptBook(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in appointments.Request
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.Appointments.Book(r.Context(), h.ID, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, b)
}

func (s *Server) apptDay(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	day := r.URL.Query().Get("date")
	if day == "" {
		day = s.Now().In(h.Location()).Format(time.DateOnly)
	}
	list, err := s.Appointments.Day(r.Context(), actor(r), h.ID, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, list)
}

// apptCheckIn is the kiosk's 预约签到: the booking's code gives a ticket shaped like the
// kiosk's own answer.
func (s *Server) apptCheckIn(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Appointments.CheckIn(r.Context(), h.ID, in.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

func (s *Server) apptGet(w http.ResponseWriter, r *http.Request) {
	b, err := s.Appointments.Get(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, b)
}

func (s *Server) apptCancel(w http.ResponseWriter, r *http.Request) {
	b, err := s.Appointments.Cancel(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, b)
}

func (s *Server) apptReschedule(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Start time.Time `json:"start"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.Appointments.Reschedule(r.Context(), r.PathValue("token"), in.Start)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, b)
}

func (s *Server) apptCheckInByToken(w http.ResponseWriter, r *http.Request) {
	t, err := s.Appointments.CheckInByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// mayReadAppointments guards the staff page like the API.
func mayReadAppointments(r *http.Request, hall int64) error {
	if !authz.InHall(actor(r), authz.AppointmentsRead, hall) {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	return nil
}
