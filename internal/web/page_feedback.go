package web

import (
	"net/http"
	"slices"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/feedback"
	"github.com/qhall/qhall/internal/org"
)

// feedbackView is what the feedback pages' templates show: the hall, and the window for a pad.
type feedbackView struct {
	Hall   hallJS
	Window string
}

// codes of the feedback domain that the pages' scripts word (families fb_*).
func feedbackCodes() map[string]any {
	return map[string]any{"channels": feedback.Channels, "topics": feedback.Topics, "classes": feedback.Classes,
		"responses": feedback.CallbackResponses, "tags": feedback.LevelTags(),
		"verdicts": []string{feedback.VerdictReasonable, feedback.VerdictComplex, feedback.VerdictNoBasis}}
}

// padPage is the rating pad at a window: paired once by a supervisor's code, then it asks each
// citizen the window finishes for a rating.
func (s *Server) padPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "window")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	win, err := s.Queue.Window(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	h, err := org.GetHall(r.Context(), s.DB, win.HallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "fb_pad_title")
	p.Class = "page-pad"
	hall := hallFor(p.Lang, h)
	svcs, _, err := s.hallNames(r.Context(), p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.V = feedbackView{Hall: hall, Window: win.Window.Name}
	p.Data = map[string]any{"mode": "pad", "hall": hall, "window": id, "services": svcs, "codes": feedbackCodes()}
	s.render(w, r, http.StatusOK, "fb_pad", p)
}

// ratePage is the citizen's rating on their phone, from the ticket page.
func (s *Server) ratePage(w http.ResponseWriter, r *http.Request) {
	t, err := s.Queue.Status(r.Context(), r.PathValue("token"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	h, err := org.GetHall(r.Context(), s.DB, t.HallID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v, err := s.Feedback.TicketRating(r.Context(), t.Token)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "fb_rate_title")
	p.Class = "page-ticket page-rate"
	hall := hallFor(p.Lang, h)
	p.V = feedbackView{Hall: hall}
	p.Data = map[string]any{"mode": "phone", "hall": hall, "token": t.Token, "number": t.Number, "rating": v, "codes": feedbackCodes()}
	s.render(w, r, http.StatusOK, "fb_rate", p)
}

// complainPage is the web form for a complaint (no sign-in).
func (s *Server) complainPage(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "fb_complain_title")
	p.Class = "page-ticket page-complain"
	hall := hallFor(p.Lang, h)
	p.V = feedbackView{Hall: hall}
	staffer := s.optionalStaff(r)
	p.Actor = staffer
	p.Data = map[string]any{"hall": hall, "ticket": r.URL.Query().Get("ticket"), "codes": feedbackCodes(), "staff": staffer != nil}
	s.render(w, r, http.StatusOK, "fb_complain", p)
}

// complaintPage is the complainant's follow-up page, by their complaint's token.
func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.Feedback.ComplaintByToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "fb_complaint_title")
	p.Class = "page-ticket page-complain"
	p.V = feedbackView{}
	p.Data = map[string]any{"token": r.PathValue("token"), "complaint": c, "codes": feedbackCodes()}
	s.render(w, r, http.StatusOK, "fb_complaint", p)
}

// staffHallPage is the hall of a staff page, checked against the caller's reach of perm.
func (s *Server) staffHallPage(w http.ResponseWriter, r *http.Request, perm authz.Permission, title string) (*page, hallJS, bool) {
	a := actor(r)
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return nil, hallJS{}, false
	}
	if !authz.InHall(a, perm, h.ID) {
		s.pageError(w, r, apperr.New(apperr.Forbidden, "forbidden"))
		return nil, hallJS{}, false
	}
	p := newPage(w, r, title)
	p.Actor = &a
	hall := hallFor(p.Lang, h)
	p.Title = p.T(title) + " · " + hall.Name
	p.V = feedbackView{Hall: hall}
	return p, hall, true
}

// feedbackPage is the supervisor's work lists: rectifications, complaints, call-back surveys.
func (s *Server) feedbackPage(w http.ResponseWriter, r *http.Request) {
	p, hall, ok := s.staffHallPage(w, r, authz.FeedbackManage, "fb_work_title")
	if !ok {
		return
	}
	svcs, wins, err := s.hallNames(r.Context(), p.Lang, hall.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class = "page-feedback"
	p.Data = map[string]any{"hall": hall, "services": svcs, "windows": wins, "codes": feedbackCodes()}
	s.render(w, r, http.StatusOK, "fb_work", p)
}

// figuresPage shows the ratings, rectifications, complaints and surveys counted.
func (s *Server) figuresPage(w http.ResponseWriter, r *http.Request) {
	p, hall, ok := s.staffHallPage(w, r, authz.FeedbackFigures, "fb_fig_title")
	if !ok {
		return
	}
	p.Class = "page-feedback"
	p.Data = map[string]any{"hall": hall, "whole": authz.WholeHall(*p.Actor, authz.FeedbackFigures, hall.ID),
		"topics": slices.Clone(feedback.Topics), "classes": feedback.Classes}
	s.render(w, r, http.StatusOK, "fb_figures", p)
}

// rectPage is the citizen's view of the rectification their bad rating opened, by its code:
// the state and the deadlines, nothing of the clerk.
func (s *Server) rectPage(w http.ResponseWriter, r *http.Request) {
	x, err := s.Feedback.RectByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := newPage(w, r, "fb_rect_title")
	p.Class = "page-ticket page-complain"
	p.V = x
	s.render(w, r, http.StatusOK, "fb_rect", p)
}
