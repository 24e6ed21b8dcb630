package web

import (
	"context"
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/queue"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// The back office's windows, priority classes and finder.

// adminWindows lists a hall's windows (retired included) with their live state.
func (s *Server) adminWindows(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err == nil {
		err = reach(actor(r), authz.HallConfigure, h.ID)
	}
	var ws []*org.Window
	if err == nil {
		ws, err = org.AllWindows(r.Context(), s.DB, h.ID)
	}
	type windowJS struct {
		*org.Window
		State string `json:"state"`
	}
	out := []windowJS{}
	for _, x := range ws {
		if err != nil {
			break
		}
		var st string
		st, err = queue.LiveState(r.Context(), s.DB, x.ID)
		out = append(out, windowJS{x, st})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// checkHomeClerk: a window's home clerk is a staff member of its hall.
func checkHomeClerk(ctx context.Context, q store.Querier, hall, clerk int64) error {
	if clerk == 0 {
		return nil
	}
	m, err := staff.Get(ctx, q, clerk)
	if err != nil {
		return err
	}
	if m.HallID != hall || !m.Active {
		return apperr.New(apperr.Invalid, "bad_request", "home_clerk_id: an active staff member of this hall")
	}
	return nil
}

func (s *Server) adminCreateWindow(w http.ResponseWriter, r *http.Request) {
	hall, err := pathID(r, "hall")
	var in org.Window
	if err == nil {
		err = decode(r, &in)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in.HallID = hall
	s.change(w, r, http.StatusCreated, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := reach(a, authz.CatalogueEdit, hall); err != nil {
			return nil, err
		}
		if _, err := org.GetHall(ctx, tx, hall); err != nil {
			return nil, err
		}
		if err := checkHomeClerk(ctx, tx, hall, in.HomeClerk); err != nil {
			return nil, err
		}
		id, err := org.CreateWindow(ctx, tx, a, s.Now(), in, in.HomeClerk)
		if err != nil {
			return nil, err
		}
		return org.GetWindow(ctx, tx, id)
	})
}

func (s *Server) windowInHall(ctx context.Context, q store.Querier, r *http.Request, p authz.Permission) (*org.Window, error) {
	id, err := pathID(r, "window")
	if err != nil {
		return nil, err
	}
	win, err := org.GetWindow(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return win, reach(actor(r), p, win.HallID)
}

// adminUpdateWindow changes a window's number, name, home clerk and services in order of
// preference; supervisors may do it in their hall.
func (s *Server) adminUpdateWindow(w http.ResponseWriter, r *http.Request) {
	var in org.Window
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		old, err := s.windowInHall(ctx, tx, r, authz.HallConfigure)
		if err != nil {
			return nil, err
		}
		if err := checkHomeClerk(ctx, tx, old.HallID, in.HomeClerk); err != nil {
			return nil, err
		}
		in.ID = old.ID
		if err := org.UpdateWindow(ctx, tx, a, s.Now(), in); err != nil {
			return nil, err
		}
		return org.GetWindow(ctx, tx, old.ID)
	})
}

// adminWindowActive retires a window or brings it back. The row is changed first and the live
// state read after: the queue's Open locks the same row, so a clerk opening the window at the
// same moment either sees it retired or is seen here, and a window is never retired while open.
func (s *Server) adminWindowActive(w http.ResponseWriter, r *http.Request) {
	active, err := decodeActive(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		old, err := s.windowInHall(ctx, tx, r, authz.CatalogueEdit)
		if err != nil {
			return nil, err
		}
		win, err := org.SetWindowActive(ctx, tx, a, s.Now(), old.ID, active)
		if err != nil || active {
			return win, err
		}
		st, err := queue.LiveState(ctx, tx, old.ID)
		if err == nil && st != "closed" {
			err = apperr.New(apperr.Conflict, "window_open_cannot_retire", old.Number)
		}
		return win, err
	})
}

func (s *Server) adminPriorityClasses(w http.ResponseWriter, r *http.Request) {
	ps, err := org.AllPriorityClasses(r.Context(), s.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ps)
}

func (s *Server) adminCreatePriorityClass(w http.ResponseWriter, r *http.Request) {
	var in org.PriorityClass
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusCreated, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := org.CreatePriorityClass(ctx, tx, a, s.Now(), in); err != nil {
			return nil, err
		}
		in.Active = true
		return in, nil
	})
}

func (s *Server) adminUpdatePriorityClass(w http.ResponseWriter, r *http.Request) {
	var in org.PriorityClass
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	in.Code = r.PathValue("code")
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		return nil, org.UpdatePriorityClass(ctx, tx, a, s.Now(), in)
	})
}

func (s *Server) adminPriorityClassActive(w http.ResponseWriter, r *http.Request) {
	active, err := decodeActive(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		return nil, org.SetPriorityClassActive(ctx, tx, a, s.Now(), r.PathValue("code"), active)
	})
}

func (s *Server) adminSetFinder(w http.ResponseWriter, r *http.Request) {
	hall, err := pathID(r, "hall")
	var in []*org.FinderNode
	if err == nil {
		err = decode(r, &in)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := reach(a, authz.CatalogueEdit, hall); err != nil {
			return nil, err
		}
		if err := org.SetFinder(ctx, tx, a, s.Now(), hall, in); err != nil {
			return nil, err
		}
		return org.Finder(ctx, tx, hall)
	})
}
