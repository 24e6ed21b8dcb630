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

// The back office's staff accounts: create, change role and hall, reset the password, disable
// and enable. Accounts are never deleted (the audit log names them).

func (s *Server) adminStaff(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	hall := int64(0)
	if !authz.Everywhere(a, authz.StaffManage) {
		hall = a.HallID
	}
	ms, err := staff.List(r.Context(), s.DB, hall, s.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ms)
}

// checkStaffHall: an admin works everywhere (no hall), anyone else in one existing hall, and
// the caller must reach that hall.
func checkStaffHall(ctx context.Context, q store.Querier, a staff.Actor, role staff.Role, hall int64) error {
	if role == staff.Admin {
		if hall != 0 {
			return apperr.New(apperr.Invalid, "bad_request", "hall_id: an administrator belongs to no hall")
		}
		return reachAll(a)
	}
	if hall == 0 {
		return apperr.New(apperr.Invalid, "bad_request", "hall_id: required for this role")
	}
	if _, err := org.GetHall(ctx, q, hall); err != nil {
		return err
	}
	return reach(a, authz.StaffManage, hall)
}

func reachAll(a staff.Actor) error {
	if !authz.Everywhere(a, authz.StaffManage) {
		return apperr.New(apperr.Forbidden, "forbidden")
	}
	return nil
}

func (s *Server) adminCreateStaff(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Username string     `json:"username"`
		Name     string     `json:"name"`
		Role     staff.Role `json:"role"`
		HallID   int64      `json:"hall_id"`
		Password string     `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := staff.CheckStrength(in.Username, in.Password); err != nil {
		s.fail(w, r, apperr.New(apperr.Invalid, "bad_request", "password: "+err.Error()))
		return
	}
	hash := staff.HashPassword(in.Password) // slow on purpose: outside the transaction
	s.change(w, r, http.StatusCreated, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		if err := checkStaffHall(ctx, tx, a, in.Role, in.HallID); err != nil {
			return nil, err
		}
		id, err := staff.Create(ctx, tx, a, s.Now(), staff.Account{Username: in.Username, Name: in.Name, Role: in.Role, HallID: in.HallID, PasswordHash: hash})
		if err != nil {
			return nil, err
		}
		return staff.Get(ctx, tx, id)
	})
}

// staffInReach loads the account of the path and checks the caller reaches it.
func staffInReach(ctx context.Context, q store.Querier, r *http.Request) (*staff.Member, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	m, err := staff.Get(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if m.HallID == 0 {
		return m, reachAll(actor(r))
	}
	return m, reach(actor(r), authz.StaffManage, m.HallID)
}

func (s *Server) adminUpdateStaff(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name   string     `json:"name"`
		Role   staff.Role `json:"role"`
		HallID int64      `json:"hall_id"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		m, err := staffInReach(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		if err := checkStaffHall(ctx, tx, a, in.Role, in.HallID); err != nil {
			return nil, err
		}
		if m.ID == a.ID && in.Role != m.Role {
			return nil, apperr.New(apperr.Conflict, "staff_own_role")
		}
		if err := staff.Update(ctx, tx, a, s.Now(), m.ID, in.Name, in.Role, in.HallID); err != nil {
			return nil, err
		}
		return staff.Get(ctx, tx, m.ID)
	})
}

func (s *Server) adminStaffPassword(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		m, err := staffInReach(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		return nil, staff.SetPassword(ctx, tx, a, s.Now(), m.Username, in.Password)
	})
}

func (s *Server) adminStaffActive(w http.ResponseWriter, r *http.Request) {
	active, err := decodeActive(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.change(w, r, http.StatusOK, func(ctx context.Context, tx *store.Tx, a staff.Actor) (any, error) {
		m, err := staffInReach(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		if err := staff.SetActive(ctx, tx, a, s.Now(), m.ID, active); err != nil {
			return nil, err
		}
		return staff.Get(ctx, tx, m.ID)
	})
}
