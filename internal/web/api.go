package web

import (
	"context"
	"net/http"
	"time"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
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
	if !authz.InHall(actor(r), authz.WindowRead, v.HallID) {
		s.fail(w, r, apperr.New(apperr.Forbidden, "window_of_other_hall"))
		return
	}
	writeJSON(w, 200, v)
}

// The counter's operations. Each has its own input type, so a field that belongs to another
// operation is refused like any unknown field, and each route has its own handler, so no
// operation can answer without running.
type (
	noInput       struct{}
	transferInput struct {
		Service int64 `json:"service"`
		Window  int64 `json:"window"`
	}
	pauseInput struct {
		Reason  string `json:"reason"`
		Minutes int    `json:"minutes"`
		Note    string `json:"note"`
	}
	reenterInput struct {
		Number string `json:"number"`
	}
)

// windowOp makes the handler of one window operation: it decodes In, runs op and answers with
// what op returns, or with the window's view when op returns nothing to show.
func windowOp[In any](s *Server, op func(ctx context.Context, a staff.Actor, window int64, in In) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "window")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var in In
		if err := decode(r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		out, err := op(r.Context(), actor(r), id, in)
		switch {
		case err != nil:
			s.fail(w, r, err)
		case out == nil:
			s.writeWindow(w, r, id)
		case out == nobodyWaiting{}:
			w.WriteHeader(http.StatusNoContent)
		default:
			writeJSON(w, http.StatusOK, out)
		}
	}
}

// nobodyWaiting is what call returns when nobody waits: 204.
type nobodyWaiting struct{}

// ticketOrNil keeps a nil *Ticket from becoming a non-nil interface.
func ticketOrNil(t *queue.Ticket, err error) (any, error) {
	if t == nil || err != nil {
		return nil, err
	}
	return t, nil
}

func (s *Server) windowOpen(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return nil, s.Queue.Open(ctx, a, id)
	})(w, r)
}

func (s *Server) windowClose(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return nil, s.Queue.Close(ctx, a, id)
	})(w, r)
}

func (s *Server) windowCall(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		t, err := s.Queue.Call(ctx, a, id)
		if err == nil && t == nil {
			return nobodyWaiting{}, nil
		}
		return ticketOrNil(t, err)
	})(w, r)
}

func (s *Server) windowRecall(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return ticketOrNil(s.Queue.Recall(ctx, a, id))
	})(w, r)
}

func (s *Server) windowSkip(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return ticketOrNil(s.Queue.Skip(ctx, a, id))
	})(w, r)
}

func (s *Server) windowStart(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return ticketOrNil(s.Queue.Start(ctx, a, id))
	})(w, r)
}

func (s *Server) windowFinish(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return ticketOrNil(s.Queue.Finish(ctx, a, id))
	})(w, r)
}

func (s *Server) windowTransfer(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, in transferInput) (any, error) {
		return ticketOrNil(s.Queue.Transfer(ctx, a, id, in.Service, in.Window))
	})(w, r)
}

func (s *Server) windowPause(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, in pauseInput) (any, error) {
		res, err := s.Queue.Pause(ctx, a, id, in.Reason, in.Minutes, in.Note)
		if err != nil {
			return nil, err
		}
		return res, nil
	})(w, r)
}

func (s *Server) windowResume(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, _ noInput) (any, error) {
		return nil, s.Queue.Resume(ctx, a, id)
	})(w, r)
}

func (s *Server) windowReenter(w http.ResponseWriter, r *http.Request) {
	windowOp(s, func(ctx context.Context, a staff.Actor, id int64, in reenterInput) (any, error) {
		return ticketOrNil(s.Queue.Reenter(ctx, a, id, in.Number))
	})(w, r)
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
	if authz.Everywhere(a, authz.AuditRead) {
		hall = 0
	}
	es, err := audit.List(r.Context(), s.DB, hall, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, es)
}
