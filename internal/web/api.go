package web

import (
	"context"
	"net/http"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/org"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	token, a, err := s.Auth.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https", Expires: s.Now().Add(12 * time.Hour)})
	writeJSON(w, 200, map[string]any{"token": token, "staff": a})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.Logout(r.Context(), sessionToken(r), actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, actor(r))
}

func (s *Server) halls(w http.ResponseWriter, r *http.Request) {
	hs, err := org.Halls(r.Context(), s.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, hs)
}

// hallFromPath reads {hall} and checks it exists.
func (s *Server) hallFromPath(r *http.Request) (*org.Hall, error) {
	id, err := pathID(r, "hall")
	if err != nil {
		return nil, err
	}
	return org.GetHall(r.Context(), s.DB, id)
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

// window is the counter terminal's view; staff of the window's hall (or an admin) may read it.
func (s *Server) window(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "window")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.Queue.Window(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if a := actor(r); a.Role != audit.Admin && a.HallID != v.HallID {
		s.fail(w, r, apperr.New(apperr.Forbidden, "window_of_other_hall"))
		return
	}
	writeJSON(w, 200, v)
}

// windowOp runs one of the counter's operations. call answers 204 when nobody waits.
func (s *Server) windowOp(op string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "window")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var in struct {
			Service int64  `json:"service"`
			Window  int64  `json:"window"`
			Reason  string `json:"reason"`
			Minutes int    `json:"minutes"`
			Note    string `json:"note"`
			Number  string `json:"number"`
		}
		if err := decode(r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		ctx, a := r.Context(), actor(r)
		var out any
		switch op {
		case "open":
			err = s.Queue.Open(ctx, a, id)
		case "close":
			err = s.Queue.Close(ctx, a, id)
		case "call":
			t, e := s.Queue.Call(ctx, a, id)
			if e == nil && t == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			out, err = t, e
		case "recall":
			out, err = s.Queue.Recall(ctx, a, id)
		case "skip":
			out, err = s.Queue.Skip(ctx, a, id)
		case "start":
			out, err = s.Queue.Start(ctx, a, id)
		case "finish":
			out, err = s.Queue.Finish(ctx, a, id)
		case "transfer":
			out, err = s.Queue.Transfer(ctx, a, id, in.Service, in.Window)
		case "pause":
			out, err = s.Queue.Pause(ctx, a, id, in.Reason, in.Minutes, in.Note)
		case "resume":
			err = s.Queue.Resume(ctx, a, id)
		case "reenter":
			out, err = s.Queue.Reenter(ctx, a, id, in.Number)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if out == nil {
			s.writeWindow(w, r, id)
			return
		}
		writeJSON(w, 200, out)
	}
}

func (s *Server) decidePause(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "window")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.Queue.DecidePause(r.Context(), actor(r), id, approve); err != nil {
			s.fail(w, r, err)
			return
		}
		s.writeWindow(w, r, id)
	}
}

// writeWindow answers an operation that has no ticket to show with the window's view.
func (s *Server) writeWindow(w http.ResponseWriter, r *http.Request, id int64) {
	v, err := s.Queue.Window(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, v)
}

// auditLog: an admin reads every hall's, a supervisor their own hall's.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	hall := a.HallID
	if a.Role == audit.Admin {
		hall = 0
	}
	es, err := audit.List(r.Context(), s.DB, hall, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, es)
}
