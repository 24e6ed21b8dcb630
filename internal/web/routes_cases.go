package web

import (
	"net/http"
	"strconv"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/cases"
)

// casesRoutes: case files (办件), the one-time notice, time limits.
func (s *Server) casesRoutes() []route {
	return []route{
		{"POST /api/v1/cases", authz.CaseWork, false, s.caseOpen},
		{"GET /api/v1/cases/{id}", authz.CaseRead, false, s.caseGet},
		{"PUT /api/v1/cases/{id}/materials", authz.CaseWork, false, s.caseCheck},
		{"POST /api/v1/cases/{id}/notice", authz.CaseWork, false, s.caseNotice},
		{"POST /api/v1/cases/{id}/steps", authz.CaseStep, false, s.caseStep},
		{"POST /api/v1/cases/resume", authz.CaseWork, false, s.caseResume},
		{"POST /api/v1/handoffs", authz.CaseWork, false, s.caseHandoff},
		{"GET /api/v1/cases/by-ticket/{id}", authz.CaseRead, false, s.caseOfTicket},
		{"GET /api/v1/halls/{hall}/cases", authz.CaseMonitor, false, s.caseList},
		{"GET /api/v1/halls/{hall}/departments", authz.CaseRead, false, s.caseDepartments},
		{"POST /api/v1/halls/{hall}/cases/checkin", authz.Public, false, s.caseCheckin},
		{"GET /api/v1/notices/{code}", authz.Public, false, s.noticePublic},
		{"GET /api/v1/tickets/{token}/case", authz.Public, false, s.caseOfMyTicket},
		{"GET /notice/{code}", authz.Public, true, s.noticePage},
		{"GET /notice/{code}/qr.png", authz.Public, true, s.noticeQR},
		{"GET /cases/{hall}", authz.CaseMonitor, true, s.caseListPage},
	}
}

func (s *Server) caseOpen(w http.ResponseWriter, r *http.Request) {
	var in cases.OpenInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Open(r.Context(), actor(r), in)
	s.answer(w, r, http.StatusCreated, c, err)
}

func (s *Server) caseGet(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Get(r.Context(), actor(r), id)
	s.answer(w, r, http.StatusOK, c, err)
}

func (s *Server) caseCheck(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in cases.CheckInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Check(r.Context(), actor(r), id, in)
	s.answer(w, r, http.StatusOK, c, err)
}

func (s *Server) caseNotice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.IssueNotice(r.Context(), actor(r), id)
	s.answer(w, r, http.StatusCreated, c, err)
}

func (s *Server) caseStep(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in cases.StepInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Step(r.Context(), actor(r), id, in)
	s.answer(w, r, http.StatusOK, c, err)
}

func (s *Server) caseResume(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Code   string `json:"code"`
		Ticket int64  `json:"ticket"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.Resume(r.Context(), actor(r), in.Code, in.Ticket)
	s.answer(w, r, http.StatusOK, c, err)
}

func (s *Server) caseHandoff(w http.ResponseWriter, r *http.Request) {
	var in cases.HandoffInput
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	err := s.Cases.Handoff(r.Context(), actor(r), in)
	s.answer(w, r, http.StatusCreated, map[string]bool{"ok": true}, err)
}

// caseOfTicket is the case of a ticket, for the counter (null when none).
func (s *Server) caseOfTicket(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Cases.ForTicket(r.Context(), actor(r), id)
	s.answer(w, r, http.StatusOK, c, err)
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := cases.Filter{Hall: h.ID, Open: r.URL.Query().Get("open") == "1", Urgent: r.URL.Query().Get("urgent") == "1"}
	if d := r.URL.Query().Get("department"); d != "" {
		if f.Department, err = strconv.ParseInt(d, 10, 64); err != nil || f.Department <= 0 {
			s.fail(w, r, apperr.New(apperr.Invalid, "bad_id", d))
			return
		}
	}
	out, err := s.Cases.List(r.Context(), actor(r), f)
	s.answer(w, r, http.StatusOK, out, err)
}

func (s *Server) caseDepartments(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !authz.InHall(actor(r), authz.CaseRead, h.ID) {
		s.fail(w, r, apperr.New(apperr.Forbidden, "case_of_other_hall"))
		return
	}
	out, err := cases.Departments(r.Context(), s.DB, h.ID)
	s.answer(w, r, http.StatusOK, out, err)
}

// caseCheckin is the kiosk's "凭告知书取号": a ticket shaped like the kiosk's answer.
func (s *Server) caseCheckin(w http.ResponseWriter, r *http.Request) {
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
	t, err := s.Cases.Checkin(r.Context(), h.ID, in.Code)
	s.answer(w, r, http.StatusCreated, t, err)
}

// noticePublic is the notice for whoever holds its code (the QR code on the printed notice).
func (s *Server) noticePublic(w http.ResponseWriter, r *http.Request) {
	p, _, err := s.Cases.NoticeByCode(r.Context(), r.PathValue("code"))
	s.answer(w, r, http.StatusOK, p, err)
}

// caseOfMyTicket is the case of the citizen's ticket, by the ticket's token (null when none).
func (s *Server) caseOfMyTicket(w http.ResponseWriter, r *http.Request) {
	t, err := s.Queue.Status(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Cases.ForTicketPublic(r.Context(), t.ID)
	s.answer(w, r, http.StatusOK, p, err)
}
