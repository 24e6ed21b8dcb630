package web

import (
	"context"
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
)

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
