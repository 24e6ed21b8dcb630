package web

import (
	"net/http"

	"github.com/qhall/qhall/internal/org"
)

// serviceGuide is a service's guide (办事指南) as data: what the guide page and the one-time
// notice show.
func (s *Server) serviceGuide(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "service")
	var g *org.Guide
	if err == nil {
		g, err = org.GetGuide(r.Context(), s.DB, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) finderTree(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	var tree []*org.FinderNode
	if err == nil {
		tree, err = org.Finder(r.Context(), s.DB, h.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tree)
}

// serviceSearch finds a hall's services by words or pinyin (?q=sbjn finds 社保缴纳).
func (s *Server) serviceSearch(w http.ResponseWriter, r *http.Request) {
	h, err := s.hallFromPath(r)
	var svcs []*org.Service
	if err == nil {
		svcs, err = org.Services(r.Context(), s.DB, h.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := org.Search(svcs, r.URL.Query().Get("q"))
	if out == nil {
		out = []*org.Service{}
	}
	writeJSON(w, http.StatusOK, out)
}
