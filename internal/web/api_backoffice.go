package web

import (
	"context"
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
	"github.com/qhall/qhall/internal/org"
	"github.com/qhall/qhall/internal/staff"
	"github.com/qhall/qhall/internal/store"
)

// The back office's catalogue handlers: each decodes its input, checks the caller's reach over
// the hall, and runs the owner's write in one transaction with its audit line.

// change runs op in a transaction as the caller and answers status with its result (204 when
// it returns nil).
func (s *Server) change(w http.ResponseWriter, r *http.Request, status int, op func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error)) {
	a := actor(r)
	var out any
	err := s.DB.InTx(r.Context(), func(tx *store.Tx) error {
		var err error
		out, err = op(r.Context(), tx, a)
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if out == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, status, out)
}

// reach refuses a caller whose permission p does not extend to the whole of hall.
func reach(a staff.Actor, p authz.Permission, hall int64) error {
	if !authz.WholeHall(a, p, hall) {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	return nil
}

type activeIn struct {
	Active *bool `json:"active"`
}

func decodeActive(r *http.Request) (bool, error) {
	var in activeIn
	if err := decode(r, &in); err != nil {
		return false, err
	}
	if in.Active == nil {
		return false, apperr.New(apperr.Invalid, "bad_request", "active: true or false")
	}
	return *in.Active, nil
}

type idJS struct {
	ID int64 `json:"id"`
}

// adminHalls lists every hall the caller configures, retired ones included.
func (s *Server) adminHalls(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	hs, err := org.AllHalls(r.Context(), s.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []*org.Hall{}
	for _, h := range hs {
		if authz.WholeHall(a, authz.HallConfigure, h.ID) {
			out = append(out, h)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminCreateHall(w http.ResponseWriter, r *http.Request) {
	var h org.Hall
	if err := decode(r, &h); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusCreated, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		id, err := org.CreateHall(ctx, tx, a, s.Now(), h)
		return idJS{id}, err
	})
}

func (s *Server) adminUpdateHall(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "hall")
	var h org.Hall
	if err == nil {
		err = decode(r, &h)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h.ID = id
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := reach(a, authz.CatalogueEdit, id); err != nil {
			return nil, err
		}
		if err := org.UpdateHall(ctx, tx, a, s.Now(), h); err != nil {
			return nil, err
		}
		return org.GetHall(ctx, tx, id)
	})
}

func (s *Server) adminHallActive(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "hall")
	var active bool
	if err == nil {
		active, err = decodeActive(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := reach(a, authz.CatalogueEdit, id); err != nil {
			return nil, err
		}
		if err := org.SetHallActive(ctx, tx, a, s.Now(), id, active); err != nil {
			return nil, err
		}
		return org.GetHall(ctx, tx, id)
	})
}

// adminServices lists a hall's services with their materials, retired ones included.
func (s *Server) adminServices(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	if err == nil {
		err = reach(actor(r), authz.HallConfigure, h.ID)
	}
	var out []*org.Service
	if err == nil {
		out, err = org.AllServices(r.Context(), s.DB, h.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminCreateService(w http.ResponseWriter, r *http.Request) {
	hall, err := pathID(r, "hall")
	var in org.Service
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
		id, err := org.CreateService(ctx, tx, a, s.Now(), in)
		if err != nil {
			return nil, err
		}
		return s.guideOf(ctx, tx, id)
	})
}

func (s *Server) guideOf(ctx context.Context, q store.Querier, id int64) (*org.Service, error) {
	g, err := org.GetGuide(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return g.Service, nil
}

// serviceInHall loads the service of the path and checks the caller's reach over its hall.
func serviceInHall(ctx context.Context, q store.Querier, r *http.Request, p authz.Permission) (*org.Service, error) {
	id, err := pathID(r, "service")
	if err != nil {
		return nil, err
	}
	svc, err := org.GetServiceAny(ctx, q, id)
	if err != nil {
		return nil, err
	}
	return svc, reach(actor(r), p, svc.HallID)
}

func (s *Server) adminUpdateService(w http.ResponseWriter, r *http.Request) {
	var in org.Service
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		old, err := serviceInHall(ctx, tx, r, authz.CatalogueEdit)
		if err != nil {
			return nil, err
		}
		in.ID, in.HallID = old.ID, old.HallID
		if err := org.UpdateService(ctx, tx, a, s.Now(), in); err != nil {
			return nil, err
		}
		return s.guideOf(ctx, tx, old.ID)
	})
}

func (s *Server) adminServiceActive(w http.ResponseWriter, r *http.Request) {
	active, err := decodeActive(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		svc, err := serviceInHall(ctx, tx, r, authz.CatalogueEdit)
		if err != nil {
			return nil, err
		}
		if err := org.SetServiceActive(ctx, tx, a, s.Now(), svc.HallID, svc.ID, active); err != nil {
			return nil, err
		}
		return s.guideOf(ctx, tx, svc.ID)
	})
}
