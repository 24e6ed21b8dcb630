package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/audit"
	"github.com/qhall/qhall/internal/authz"
)

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

// jobStates: the scheduled jobs with their last run, for admins.
func (s *Server) jobStates(w http.ResponseWriter, r *http.Request) {
	st, err := s.Jobs.Status(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, 200, st)
}
