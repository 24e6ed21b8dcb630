package web

import (
	"context"
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/org"
)

func (s *Server) halls(w http.ResponseWriter, r *http.Request) {
	hs, err := org.Halls(r.Context(), s.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, hs)
}

// hallRead answers GET requests for one hall: {hall} is checked to exist, then read runs.
func (s *Server) hallRead(read func(ctx context.Context, h *org.Hall) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h, err := s.hallFromPath(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v, err := read(r.Context(), h)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, 200, v)
	}
}

func (s *Server) priorityClasses(w http.ResponseWriter, r *http.Request) {
	ps, err := org.PriorityClasses(r.Context(), s.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, ps)
}

// issue is the kiosk: anyone may take a ticket.
func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err == nil && !h.Active { // retired by the back office: no new tickets
		err = apperr.New(apperr.NotFound, "hall_not_found", h.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in struct {
		Service  int64  `json:"service"`
		Priority string `json:"priority"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Service <= 0 {
		s.fail(w, r, apperr.New(apperr.Invalid, "bad_request", "service"))
		return
	}
	if err := s.issueAllowed(r, h.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.Queue.Issue(r.Context(), h.ID, in.Service, in.Priority, "kiosk")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// ticket is the citizen's own ticket, reached only by its unguessable token.
func (s *Server) ticket(w http.ResponseWriter, r *http.Request) {
	t, err := s.Queue.Status(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, t)
}
