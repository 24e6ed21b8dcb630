package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/apperr"
	"github.com/qhall/qhall/internal/authz"
)

type supervisorView struct{ Hall hallJS }

func (s *Server) supervisorPage(w http.ResponseWriter, r *http.Request) {
	a := actor(r)
	h, err := s.hallFromPath(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if !authz.InHall(a, authz.HallMonitor, h.ID) {
		s.pageError(w, r, apperr.New(apperr.Forbidden, "forbidden"))
		return
	}
	p := newPage(w, r, "super_title")
	svcs, wins, err := s.hallNames(r.Context(), p.Lang, h.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Class, p.Actor = "page-super", &a
	hall := hallFor(p.Lang, h)
	p.Title = p.T("super_title") + " · " + hall.Name
	p.V = supervisorView{Hall: hall}
	p.Data = map[string]any{"hall": hall, "services": svcs, "windows": wins}
	s.render(w, r, http.StatusOK, "supervisor", p)
}
