package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/org"
)

// padHeader carries a rating pad's device token (never a staff session: the pad rates with the
// ticket's own authority, through its pairing).
const padHeader = "X-Qhall-Pad"

// rateTicket: the ticket's holder (its token is the authority) or the pad paired to its window.
func (s *Server) rateTicket(w http.ResponseWriter, r *http.Request) {
	var in feedback.RateInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.Feedback.Rate(r.Context(), r.PathValue("token"), r.Header.Get(padHeader), in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) ticketRating(w http.ResponseWriter, r *http.Request) {
	v, err := s.Feedback.TicketRating(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, v)
}

func (s *Server) rateFollowup(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text string `json:"text"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.Feedback.Followup(r.Context(), r.PathValue("token"), in.Text)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, out)
}

// padCode makes a pairing code for the window's pad (its supervisor types it on the pad).
func (s *Server) padCode(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "window")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	win, err := s.Queue.Window(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cd, exp, err := s.Feedback.PairCode(r.Context(), actor(r), win.HallID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"code": cd, "expires_at": exp})
}

func (s *Server) padPair(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Window int64  `json:"window"`
		Code   string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	tok, err := s.Feedback.Pair(r.Context(), in.Window, in.Code)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token": tok})
}

func (s *Server) padPrompt(w http.ResponseWriter, r *http.Request) {
	p, err := s.Feedback.PadPrompt(r.Context(), r.Header.Get(padHeader))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, p)
}

// withHall runs f with the hall of the path, checked to exist.
func (s *Server) withHall(f func(w http.ResponseWriter, r *http.Request, h *org.Hall)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h, err := s.hallFromPath(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f(w, r, h)
	}
}

func (s *Server) rectifications(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	v, err := s.Feedback.Rectifications(r.Context(), actor(r), h.ID, r.URL.Query().Get("state"))
	s.answer(w, r, 200, v, err)
}

func (s *Server) rectification(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Feedback.Rectification(r.Context(), actor(r), id)
	s.answer(w, r, 200, v, err)
}

func (s *Server) rectificationAct(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in feedback.RectInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Feedback.Act(r.Context(), actor(r), id, r.PathValue("action"), in)
	s.answer(w, r, 200, v, err)
}

func (s *Server) rectificationByCode(w http.ResponseWriter, r *http.Request) {
	v, err := s.Feedback.RectByCode(r.Context(), r.PathValue("code"))
	s.answer(w, r, 200, v, err)
}

// takeComplaint: a citizen on the web form (no sign-in), or staff for a citizen.
func (s *Server) takeComplaint(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	var in feedback.ComplaintInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Feedback.TakeComplaint(r.Context(), s.optionalStaff(r), h.ID, in)
	s.answer(w, r, http.StatusCreated, v, err)
}

func (s *Server) complaintByToken(w http.ResponseWriter, r *http.Request) {
	v, err := s.Feedback.ComplaintByToken(r.Context(), r.PathValue("token"))
	s.answer(w, r, 200, v, err)
}

func (s *Server) complaintOpinion(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Satisfied *bool  `json:"satisfied"`
		Text      string `json:"text"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Satisfied == nil {
		s.fail(w, r, apperr.New(apperr.Invalid, "feedback_missing", "satisfied"))
		return
	}
	v, err := s.Feedback.CitizenOpinion(r.Context(), r.PathValue("token"), *in.Satisfied, in.Text)
	s.answer(w, r, 200, v, err)
}

func (s *Server) complaints(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	v, err := s.Feedback.Complaints(r.Context(), actor(r), h.ID, r.URL.Query().Get("state"))
	s.answer(w, r, 200, v, err)
}

// complaintOf is the staff's complaint id of the path, checked to be of the path's hall.
func (s *Server) complaintOf(r *http.Request, h *org.Hall) (*feedback.Complaint, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := s.Feedback.Complaint(r.Context(), actor(r), id)
	if err != nil {
		return nil, err
	}
	if p.HallID != h.ID {
		return nil, apperr.New(apperr.NotFound, "complaint_not_found")
	}
	return p, nil
}

func (s *Server) complaint(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	p, err := s.complaintOf(r, h)
	s.answer(w, r, 200, p, err)
}

func (s *Server) complaintAct(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	var in feedback.ComplaintStep
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.complaintOf(r, h)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Feedback.ActComplaint(r.Context(), actor(r), p.ID, r.PathValue("action"), in)
	s.answer(w, r, 200, v, err)
}

func (s *Server) surveys(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	v, err := s.Feedback.Surveys(r.Context(), actor(r), h.ID, r.URL.Query().Get("state"))
	s.answer(w, r, 200, v, err)
}

func (s *Server) surveyDraw(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	var in struct {
		N    int `json:"n"`
		Days int `json:"days"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Feedback.DrawSurvey(r.Context(), actor(r), h.ID, in.N, in.Days)
	s.answer(w, r, http.StatusCreated, v, err)
}

func (s *Server) surveyRecord(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in feedback.SurveyResult
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, 200, map[string]bool{"ok": true}, s.Feedback.RecordSurvey(r.Context(), actor(r), id, in))
}

func (s *Server) feedbackFigures(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	q := r.URL.Query()
	v, err := s.Feedback.Figures(r.Context(), actor(r), h.ID, q.Get("from"), q.Get("to"), q.Get("by"))
	s.answer(w, r, 200, v, err)
}

func (s *Server) feedbackSettings(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	v, err := feedback.GetSettings(r.Context(), s.DB, h.ID)
	s.answer(w, r, 200, v, err)
}

func (s *Server) putFeedbackSettings(w http.ResponseWriter, r *http.Request, h *org.Hall) {
	var in feedback.Settings
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.answer(w, r, 200, in, s.Feedback.SetSettings(r.Context(), actor(r), h.ID, in))
}
